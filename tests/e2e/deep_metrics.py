#!/usr/bin/env python3
"""Writes a catalog of derived metrics that share their inputs (issue 13,
items 1.1 and 1.7): level_k uses level_(k-1) nine times, a fan-in metric
sums 100 metrics, a chain 13 deep, and a 3-cycle. Usage: deep_metrics.py DIR"""
import os, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
L = []
w = L.append
w("semantic_models:")
w("  - name: items")
w("    model: ref('items')")
w("    defaults: {agg_time_dimension: ordered_on}")
w("    entities: [{name: item, type: primary, expr: item_id}]")
w("    dimensions: [{name: ordered_on, type: time, type_params: {time_granularity: day}}]")
w("    measures: [{name: units, agg: sum, expr: qty}]")
w("metrics:")
w("  - {name: level_0, type: simple, type_params: {measure: units}}")
# each level is the mean of nine uses of the one below: the same value
for k in range(1, 13):
    e = " + ".join(["x"] * 9)
    w(f"  - name: level_{k}")
    w("    type: derived")
    w(f"    type_params: {{expr: \"({e}) / 9\", metrics: [{{name: level_{k-1}, alias: x}}]}}")
# nine inputs a level that the expr does not all use: small SQL, but a walk
# over the inputs that does not remember what it saw visits 9^12 metrics
w("  - {name: reuse_0, type: simple, type_params: {measure: units}}")
for k in range(1, 13):
    ins = ", ".join(f"{{name: reuse_{k-1}, alias: r{i}}}" for i in range(9))
    w(f"  - {{name: reuse_{k}, type: derived, type_params: {{expr: \"r4 + 0\", metrics: [{ins}]}}}}")
# a wide fan-in: 100 metrics, each of the measure, summed
for i in range(100):
    w(f"  - {{name: part_{i}, type: simple, type_params: {{measure: units}}}}")
w("  - name: fan_in")
w("    type: derived")
w("    type_params:")
w("      expr: \"" + " + ".join(f"part_{i}" for i in range(100)) + "\"")
w("      metrics: [" + ", ".join(f"{{name: part_{i}}}" for i in range(100)) + "]")
# a fan-in of 500 terms (the SQL nests some 2000 levels deep)
w("  - name: fan_in_500")
w("    type: derived")
w("    type_params:")
w("      expr: \"" + " + ".join(f"p{i}" for i in range(500)) + "\"")
w("      metrics: [" + ", ".join(f"{{name: part_{i % 100}, alias: p{i}}}" for i in range(500)) + "]")
# a chain 13 deep (no cycle)
w("  - {name: chain_0, type: simple, type_params: {measure: units}}")
for k in range(1, 14):
    w(f"  - {{name: chain_{k}, type: derived, type_params: {{expr: \"chain_{k-1} + 1\", metrics: [{{name: chain_{k-1}}}]}}}}")
# a real cycle of three
for a, b in (("loop_a", "loop_b"), ("loop_b", "loop_c"), ("loop_c", "loop_a")):
    w(f"  - {{name: {a}, type: derived, type_params: {{expr: \"{b} + 1\", metrics: [{{name: {b}}}]}}}}")
with open(os.path.join(out, "semantic_models.yml"), "w") as f:
    f.write("\n".join(L) + "\n")

#!/usr/bin/env bash
# Trap suite of issue 10: requests phrased as users phrase them, over the demo,
# the hr/logistics/compiler test catalogs, the fitness catalog and a library
# catalog and thirteen more (saas, clinic, airline, mfg, elearn, property, hotel, nonprofit,
# telecom, restaurant, game, insurance, rides) and two dbt projects (subbox, and parts in dbt's
# latest YAML spec, read from their folders) written by someone who had
# not read the code, each with the
# answer a user must get (tests/traps/*.txt, format in tests/traps/README.md).
# TRAPS_ONLY=<class or substring> runs a subset.
. "$(dirname "$0")/lib.inc"
S=$DP_SOURCE_DIR
"$DPGEN" demo --out "$WORK/demo.duckdb" >/dev/null 2>&1 || { bad "build demo"; finish; exit 1; }
for d in hr logistics compiler fitness library saas clinic airline mfg elearn property hotel nonprofit telecom restaurant subbox game insurance rides parts bank utility university recruit; do
  "$DPGEN" demo --sql "$S/tests/data/$d/data.sql" --out "$WORK/$d.duckdb" >/dev/null 2>&1 || { bad "build $d"; finish; exit 1; }
done
# the runner itself: a right gold passes, each wrong expectation fails
TRAPS_ONLY= python3 "$S/tests/traps/run.py" "$DPGEN" "$S/tests/traps/selftest" "$WORK" \
  "hr=$WORK/hr.duckdb,$S/tests/data/hr/semantic_models.yml,$S/tests/data/hr/glossary.yml" >"$WORK/self.out" 2>&1
verdicts=$(grep -oE '^(ok|FAIL) +self-[a-z-]+' "$WORK/self.out" | tr -s ' ' | tr '\n' ' ')
if [ "$verdicts" != "ok self-pass FAIL self-wrong-gold FAIL self-wrong-rows FAIL self-wrong-order FAIL self-wrong-exit FAIL self-wrong-metric " ]; then
  cat "$WORK/self.out"; bad "trap runner self-test: $verdicts"; finish; exit 1
fi
python3 "$S/tests/traps/run.py" "$DPGEN" "$S/tests/traps" "$WORK" \
  "demo=$WORK/demo.duckdb,$S/catalog/demo/semantic_models.yml,$S/catalog/demo/glossary.yml" \
  "hr=$WORK/hr.duckdb,$S/tests/data/hr/semantic_models.yml,$S/tests/data/hr/glossary.yml" \
  "logistics=$WORK/logistics.duckdb,$S/tests/data/logistics/semantic_models.yml,$S/tests/data/logistics/glossary.yml" \
  "compiler=$WORK/compiler.duckdb,$S/tests/data/compiler/semantic_models.yml" \
  "fitness=$WORK/fitness.duckdb,$S/tests/data/fitness/semantic_models.yml,$S/tests/data/fitness/glossary.yml" \
  "library=$WORK/library.duckdb,$S/tests/data/library/semantic_models.yml" \
  "saas=$WORK/saas.duckdb,$S/tests/data/saas/semantic_models.yml,$S/tests/data/saas/glossary.yml" \
  "clinic=$WORK/clinic.duckdb,$S/tests/data/clinic/semantic_models.yml,$S/tests/data/clinic/glossary.yml" \
  "airline=$WORK/airline.duckdb,$S/tests/data/airline/semantic_models.yml,$S/tests/data/airline/glossary.yml" \
  "mfg=$WORK/mfg.duckdb,$S/tests/data/mfg/semantic_models.yml,$S/tests/data/mfg/glossary.yml" \
  "elearn=$WORK/elearn.duckdb,$S/tests/data/elearn/semantic_models.yml,$S/tests/data/elearn/glossary.yml" \
  "property=$WORK/property.duckdb,$S/tests/data/property/semantic_models.yml,$S/tests/data/property/glossary.yml" \
  "hotel=$WORK/hotel.duckdb,$S/tests/data/hotel/semantic_models.yml,$S/tests/data/hotel/glossary.yml" \
  "nonprofit=$WORK/nonprofit.duckdb,$S/tests/data/nonprofit/semantic_models.yml,$S/tests/data/nonprofit/glossary.yml" \
  "telecom=$WORK/telecom.duckdb,$S/tests/data/telecom/semantic_models.yml,$S/tests/data/telecom/glossary.yml" \
  "restaurant=$WORK/restaurant.duckdb,$S/tests/data/restaurant/semantic_models.yml,$S/tests/data/restaurant/glossary.yml" \
  "subbox=$WORK/subbox.duckdb,$S/tests/data/subbox/project" \
  "game=$WORK/game.duckdb,$S/tests/data/game/semantic_models.yml,$S/tests/data/game/glossary.yml" \
  "insurance=$WORK/insurance.duckdb,$S/tests/data/insurance/semantic_models.yml,$S/tests/data/insurance/glossary.yml" \
  "rides=$WORK/rides.duckdb,$S/tests/data/rides/semantic_models.yml,$S/tests/data/rides/glossary.yml" \
  "parts=$WORK/parts.duckdb,$S/tests/data/parts/project" \
  "bank=$WORK/bank.duckdb,$S/tests/data/bank/semantic_models.yml,$S/tests/data/bank/glossary.yml" \
  "utility=$WORK/utility.duckdb,$S/tests/data/utility/semantic_models.yml,$S/tests/data/utility/glossary.yml" \
  "university=$WORK/university.duckdb,$S/tests/data/university/semantic_models.yml,$S/tests/data/university/glossary.yml" \
  "recruit=$WORK/recruit.duckdb,$S/tests/data/recruit/project"

/* What a test run's result says of the answer: empty, a metric NULL on
 * every row, a range that runs past the data; the cause when it can be
 * known, said as warnings. */
#ifndef DP_TRANSFORM_EXPLAIN_H
#define DP_TRANSFORM_EXPLAIN_H
#include "intent/intent.h"
#include "util/arena.h"

/* 1 when the intent's time range depends on its as-of date ("last quarter",
 * "since April", "year to date": read again against another date it moves),
 * 0 when it does not ("in March 2025"), -1 with no range or when its text
 * cannot be read again. */
int dp_transform__range_relative(const dp_intent *in, dp_arena *a);

struct dp_run;
/* After the test run: the dates of the data the metrics use
 * (r->exec.coverage), and warnings (stage warnings and r->exec.warnings)
 * for a range past the data, an empty result or a metric NULL on every row,
 * each with its cause when it can be known (read-only, time-capped queries;
 * a query that fails only leaves a cause unsaid). */
void dp_transform__explain(struct dp_run *r);

#endif

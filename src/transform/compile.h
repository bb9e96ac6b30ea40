/* The metric compiler: structured intent + discovery + target design ->
 * one read-only SELECT in DuckDB or PostgreSQL dialect, following
 * MetricFlow's semantics (see README, "Semantics"). */
#ifndef DP_TRANSFORM_COMPILE_H
#define DP_TRANSFORM_COMPILE_H
#include "modeling/modeling.h"

typedef enum { DP_DIALECT_DUCKDB, DP_DIALECT_POSTGRES } dp_dialect;

typedef struct dp_compiled {
    const char *sql;
    json_t *lineage; /* [{column, sources: ["model.column"], expression}] */
    json_t *ctes;    /* [{name, dataset, grain, measures}] */
    /* A bound on the result's rows: the sum of the stored rows of the
     * datasets its CTEs aggregate (a GROUP BY has no more groups than
     * rows; the CTEs are joined on the grain), -1 when one is not known
     * or a CTE makes rows of its own (a time spine, a window body). */
    double max_rows;
} dp_compiled;

int dp_compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
               const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err);

#endif

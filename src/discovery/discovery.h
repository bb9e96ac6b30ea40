/* Discovery stage: the datasets that can serve the intent, ranked (coverage
 * 40%, quality 30%, freshness 20%, popularity 10%), the dimensions the request
 * meant resolved against what each measure can reach, and the join paths
 * (only towards primary or unique keys, any number of hops). */
#ifndef DP_DISCOVERY_DISCOVERY_H
#define DP_DISCOVERY_DISCOVERY_H
#include <jansson.h>
#include "intent/intent.h"
#include "kg/kg.h"

#define DP_PATH_MAX 8
#define DP_PLAN_MAX 32

typedef struct dp_join_step {
    const dp_model *from, *to;
    const char *entity;
    const char *from_expr, *to_expr;
} dp_join_step;

typedef struct dp_path {
    dp_join_step steps[DP_PATH_MAX];
    size_t n;
} dp_path;

typedef enum { DP_COL_TIME, DP_COL_DIM, DP_COL_ENTITY } dp_col_kind;

/* A column of the grain: time bucket, dimension or entity key. */
typedef struct dp_grain_col {
    dp_col_kind kind;
    const char *name;            /* output column name */
    const dp_dimension *dim;     /* DP_COL_DIM */
    const dp_model *dim_model;
    const char *entity;          /* DP_COL_ENTITY */
    const char *description;
    int attribute; /* an attribute of an entity in the grain: it does not change the grain */
    const dp_model *via; /* DP_COL_DIM named with an entity ("<entity> <dimension>"): reached through its dataset */
} dp_grain_col;

typedef struct dp_plan_filter {
    const dp_dimension *dim;
    const dp_model *model;
    const char *const *values;
    size_t nvalues;
    int negate; /* rows whose value is none of values, NULL included */
    int matched;                         /* with negate: only rows with a row of model (dp_filter.matched) */
    const char *range_start, *range_end; /* a range of a time dimension instead of values */
    int presence;                        /* DP_PRESENCE_EMPTY / _SET: whether the column holds a value, no values */
} dp_plan_filter;

typedef struct dp_ranked {
    const dp_model *model;
    double score, coverage, quality, freshness, popularity;
    const char *why;
    int selected;
} dp_ranked;

typedef struct dp_discovery {
    dp_grain_col cols[DP_PLAN_MAX];
    size_t ncols;
    dp_plan_filter filters[DP_PLAN_MAX];
    size_t nfilters;
    dp_ranked ranked[64];
    size_t nranked;
    const dp_model *selected[DP_PLAN_MAX];
    size_t nselected;
    json_t *joins;       /* [{from, to, on, entity}] used */
    json_t *semantic;    /* semantic search hits */
} dp_discovery;

typedef int (*dp_popularity_fn)(void *payload, const char *dataset, double *out);

/* Resolves and ranks; DP_ECLARIFY when a dimension or filter cannot be
 * reached from the metrics' datasets. */
int dp_discover(dp_discovery *out, const dp_kg *kg, dp_intent *in, dp_arena *a,
                dp_popularity_fn pop, void *pop_payload, json_t *decisions, unsigned *kgq,
                dp_error *err);

/* Shortest join path from -> to through entities (towards primary/unique
 * keys). Returns 0 with path, DP_ENOTFOUND when unreachable; *ambiguous is set
 * when another path of the same length exists. */
int dp_join_path(dp_path *out, const dp_kg *kg, const dp_model *from, const dp_model *to,
                 int *ambiguous);

/* dp_join_path, and when another shortest path exists (*ambiguous), one
 * such path in rival (rival->n stays 0 otherwise; rival may be NULL). */
int dp_join_paths(dp_path *out, dp_path *rival, const dp_kg *kg, const dp_model *from, const dp_model *to,
                  int *ambiguous);

/* "a -[entity]-> b -[entity]-> c" for path p starting at from, in a. */
const char *dp_path_text(const dp_path *p, const dp_model *from, dp_arena *a);

/* Models a metric's measures live in (up to max). */
size_t dp_metric_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t max, int depth);

#endif

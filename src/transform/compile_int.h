/* Between the parts of the metric compiler: the CTEs it assembles and the
 * helpers one part uses from another (compile.c: CTEs and the query,
 * compile_dialect.c, compile_expr.c, compile_metric.c). */
#ifndef DP_TRANSFORM_COMPILE_INT_H
#define DP_TRANSFORM_COMPILE_INT_H
#include "transform/compile.h"
#include "discovery/discovery.h"
#include "kg/kg.h"
#include "util/arena.h"
#include "util/error.h"

#define MAX_CTES 16
#define MAX_MCOLS 48
#define MAX_JOINS 16

typedef struct mcol {
    const dp_measure *me;
    const char *filter; /* rendered SQL, or NULL */
    const char *filter_raw;
    const char *name;
} mcol;

typedef struct cte {
    const dp_model *model;
    const char *time_dim; /* agg time dimension name (NULL when no grain/range) */
    const char *name;
    mcol cols[MAX_MCOLS];
    size_t n;
    const dp_model *joined[MAX_JOINS];
    dp_join_step steps[MAX_JOINS];
    size_t njoins;
    const char *shift; /* offset window: each period moved forward by this interval */
    int daily;         /* rows per day (metric_day), no lower range bound: feeds a cumulative */
    int helper;        /* feeds another CTE; not joined into the result */
    const char *body;  /* hand-built body (cumulative windows) */
    /* LEFT JOINs of a metric aggregated per entity, for Metric() filters
     * (compile_metric_filter.c): "    LEFT JOIN (...) AS alias ON ...\n" */
    const char *subjoins[MAX_JOINS];
    const char *subjoin_alias[MAX_JOINS];
    size_t nsubjoins;
} cte;

typedef struct comp {
    const dp_kg *kg;
    const dp_intent *in;
    const dp_discovery *d;
    const dp_design *design;
    dp_dialect dialect;
    dp_arena *a;
    dp_error *err;
    cte ctes[MAX_CTES];
    size_t nctes;
    json_t *lineage_sources; /* per current metric: array of "model.column" */
    const char *shift;       /* offset window in force while compiling an input */
    const dp_metric *metric; /* the report column's metric being compiled */
    int depth;               /* queries compiled inside another (Metric() filters) */
} comp;

/* ------------------------------------------------------------------------ */
/* Helpers used across files                                                */

/* compile_dialect.c */
/* name as an identifier: as it is when plain lowercase and not reserved,
 * else double-quoted. */
const char *dp_comp__qi(comp *c, const char *name);
/* sql with date_diff/datediff rewritten for PostgreSQL; as it is for DuckDB. */
const char *dp_comp__pg_functions(comp *c, const char *sql);
/* INTERVAL 'n unit(s)' for days, weeks, months, years (quarters as months),
 * or NULL for another unit or n outside 0..100000. */
const char *dp_comp__interval_of(comp *c, long n, const char *unit_in);
/* The interval of a window like "7 days", or NULL. */
const char *dp_comp__interval_sql(comp *c, const char *window);

/* compile_expr.c */
/* expr with the bare column names of model m prefixed with alias; adds
 * "model.column" to sources (when not NULL) for each. */
const char *dp_comp__qualify(comp *c, const char *expr, const char *alias, const dp_model *m, json_t *sources);
/* A filter's templates rendered as columns cte t can reach (joining what it
 * needs); NULL with c->err set when one names nothing reachable. */
const char *dp_comp__render_filter(comp *c, cte *t, const char *text);

/* The dataset and dimension a template argument 'entity__dim' (or 'dim')
 * names as seen from dataset from: from itself when it has the dimension
 * (and the entity, if named, is its own key), else the entity's home; NULL
 * when neither has it. */
const dp_model *dp_comp__dim_home(comp *c, const dp_model *from, const char *arg, const dp_dimension **dim);

/* compile_filters.c */
/* DP_ECLARIFY (c->err naming the column and the values) when the request's
 * filters leave no value a row could have: two equality or IN filters on
 * one column with nothing in common, a value and its exclusion; else 0. */
int dp_comp__check_filters(comp *c);
/* The same for filter_raw, a measure's whole filter text (the metric's own,
 * its inputs', AND-ed) on dataset from, against itself and the request's
 * filters; conjuncts it cannot read are left to SQL. */
int dp_comp__check_metric_filter(comp *c, const dp_model *from, const char *filter_raw);

/* compile_metric.c */
/* The SQL of metric m (under extra_filter) over the CTE columns it adds to
 * c->ctes; NULL with c->err set when it cannot be compiled. */
const char *dp_comp__metric_sql(comp *c, const dp_metric *m, const char *extra_filter, int depth);

/* compile_rows.c: one dataset's rows before aggregation */
#define DP_ROWS_KEYS 1    /* the report's key columns, under their names */
#define DP_ROWS_REQUEST 2 /* the request's range (on tdim) and filters */
/* A scope for the rows of dataset m (the joins they need accumulate in it);
 * arena-owned, not one of c->ctes. */
cte *dp_comp__rows_scope(comp *c, const dp_model *m);
/* SELECT [keys,] extra FROM m's table and the joins needed, WHERE [the
 * request's range and filters] [AND filter_raw rendered]; each line begins
 * with indent, extra is "expr AS name,\n" lines ending without a comma. NULL
 * with c->err set. */
const char *dp_comp__rows_sql(comp *c, cte *t, int flags, const char *tdim, const char *filter_raw, const char *extra,
                              const char *indent);
/* Time dimension tdim of m truncated to grain (day when none), as a DATE. */
const char *dp_comp__row_time(comp *c, const dp_model *m, const char *tdim, dp_grain grain);
/* A dimension (time ones at their own grain) or entity of m by name, or NULL. */
const char *dp_comp__row_element(comp *c, const dp_model *m, const char *name);
/* How many key (non-metric) columns the report has; their names, comma
 * separated, each prefixed with "alias." when alias is not NULL. */
size_t dp_comp__nkeys(const comp *c);
const char *dp_comp__key_list(comp *c, const char *alias);
/* me's aggregation applied to the expression x. */
const char *dp_comp__agg_of(comp *c, const dp_measure *me, const char *x);
/* The hand-built CTE named base (or base_2, ...) holding measure me under
 * filter_raw in column col: *existing when built before (its body is then
 * complete), else a new one whose body the caller writes. */
cte *dp_comp__body_cte(comp *c, const dp_model *m, const char *base, const dp_measure *me, const char *filter_raw,
                       const char *col, int *existing);

/* compile_conversion.c */
/* Conversion metric m (filter: the metric's own and the request's, AND-ed)
 * given base, the SQL of its base measure at the report grain. */
const char *dp_comp__conversion_sql(comp *c, const dp_metric *m, const char *filter, const char *base);

/* compile_semiadd.c */
/* The column holding semi-additive measure me under filter_raw at the
 * report grain; NULL with c->err set (per day, for a window, is refused). */
const char *dp_comp__semiadd_ref(comp *c, const dp_measure *me, const char *filter_raw, int daily);

/* compile_scd.c */
/* For a join step of cte t into an SCD type 2 dataset: "\n AND <the
 * row's time within the validity period>"; "" for another dataset; NULL
 * with c->err set when the rows of t have no time to place in a period. */
const char *dp_comp__validity_on(comp *c, const cte *t, const dp_join_step *s);

/* compile_metric_filter.c */
/* {{ Metric('m', group_by=['entity']) }} (inner: the template's text) in
 * the scope of cte t: m aggregated per entity over all its rows, LEFT
 * JOINed to t on the entity's key; returns its column, NULL with c->err
 * set when it cannot be. */
const char *dp_comp__metric_filter_ref(comp *c, cte *t, const char *metric, const char *inner);

/* compile.c */
/* dp_compile for a query inside another (depth > 0). */
int dp_comp__compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
                     const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err, int depth);
/* Adds to t the joins that reach dataset to; 0 or an error code. */
int dp_comp__cte_join(comp *c, cte *t, const dp_model *to);

#endif

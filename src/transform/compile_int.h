/* Between the parts of the metric compiler: the CTEs it assembles and the
 * helpers one part uses from another (compile.c: CTEs and the query, compile_join.c: their joins,
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
    const dp_model *reached[MAX_JOINS]; /* each dataset a join was asked for, and its path */
    const char *reached_path[MAX_JOINS];
    size_t nreached;
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

/* The dataset the path of 'e1__e2__dim' starts from, as seen from dataset
 * from: the first entity's home; NULL when it is from's own key or absent. */
const dp_model *dp_comp__path_start(comp *c, const dp_model *from, const char *arg);

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

/* compile.c */
/* Adds to t the joins that reach dataset to; 0 or an error code. */
int dp_comp__cte_join(comp *c, cte *t, const dp_model *to);
/* The same through dataset via (t's dataset to via, then via to to). */
int dp_comp__cte_join_via(comp *c, cte *t, const dp_model *via, const dp_model *to);

#endif

/* Between the parts of the metric compiler: the CTEs it assembles and the
 * helpers one part uses from another (compile.c: CTEs and the query, compile_join.c: their joins,
 * compile_dialect.c, compile_expr.c, compile_metric.c). */
#ifndef DP_TRANSFORM_COMPILE_INT_H
#define DP_TRANSFORM_COMPILE_INT_H
#include "transform/compile.h"
#include "discovery/discovery.h"
#include "kg/kg.h"
#include "util/arena.h"
#include "util/buf.h"
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

    /* time spine joins (compile_spine.c) */
    int spine_src;             /* 1: at the report grain, feeds a spine join; 2: the same, no lower range bound */
    const struct cte *spine_of; /* this CTE joins the time spine to that one */
    const char *spine_col;     /* the one column of spine_of to carry (a cumulative's), else all its measures */
    const char *spine_offset;  /* offset_window: each spine period takes the value this much earlier */
    dp_grain spine_to_grain;   /* offset_to_grain: each spine period takes the value at the start of this grain */
    int spine_left;            /* LEFT JOIN (join_to_timespine: every period) rather than INNER (offsets) */
    int spine_daily;           /* spine_of is per day: joined by day, then aggregated to the report grain */

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
    int depth;               /* queries compiled inside another (Metric() filters) */

    /* in force while compiling an input (compile_spine.c) */
    int spine_src;             /* measure CTEs being made feed a spine join (cte.spine_src) */
    int spine_left;            /* the measure joins the spine (join_to_timespine) */
    const char *spine_offset;  /* offset_window through the spine */
    dp_grain spine_to_grain;   /* offset_to_grain through the spine */

    struct metric_memo *memo; /* derived metrics' SQL compiled so far (compile_metric.c) */
    size_t nmemo;
    const char *cut; /* an expression whose SQL hit its buffer's cap: the compile is refused */
} comp;

/* ------------------------------------------------------------------------ */
/* Helpers used across files                                                */

/* compile_dialect.c */
/* name as an identifier: as it is when plain lowercase and not reserved,
 * else double-quoted. */
const char *dp_comp__qi(comp *c, const char *name);
/* text on one line (runs of spaces and line breaks as one space), for a
 * SQL comment: a catalog's multi-line filter would end the comment */
const char *dp_comp__one_line(comp *c, const char *text);
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

/* A value of dataset home as the rows of cte t see it: a constant
 * expression (a dimension "1") is NULL where no row of home joined, as a
 * column of the joined row would be. ref: the qualified expression. */
const char *dp_comp__joined_value(comp *c, const cte *t, const dp_model *home, const char *ref);

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

/* A ratio's or derived metric's input in as that metric reads it (filter:
 * the metric's own): the same SQL, so the same CTE column. */
const char *dp_comp__input_sql(comp *c, const dp_metric_input *in, const char *filter);

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
/* The table a join step reads, or one row per key of it when its key
 * repeats (compile_join.c). */
const char *dp_comp__join_source(comp *c, const dp_join_step *s);

/* compile_metric_filter.c */
/* {{ Metric('m', group_by=['entity']) }} (inner: the template's text) in
 * the scope of cte t: m aggregated per entity over all its rows, LEFT
 * JOINed to t on the entity's key; returns its column, NULL with c->err
 * set when it cannot be. */
const char *dp_comp__metric_filter_ref(comp *c, cte *t, const char *metric, const char *inner);

/* The CTE column holding measure me (under filter_raw, raw text) at the
 * report grain, or per day (daily) for a window; the CTE in *out_cte. */
const char *dp_comp__measure_ref_at(comp *c, const dp_measure *me, const char *filter_raw, int daily, cte **out_cte);

/* compile_spine.c */
/* The first (upper 0) or last (upper 1) day of the daily time spine as a
 * TIMESTAMP subquery, or NULL when the catalog has no daily spine: the days
 * a cumulative metric is computed on, as MetricFlow reads them. */
const char *dp_comp__spine_days_bound(comp *c, int upper);
/* The finest bound time spine, or NULL with c->err set (DP_ECLARIFY) saying
 * that what (a metric's name and feature) needs one and why there is none. */
const dp_time_spine *dp_comp__spine(comp *c, const char *what);
/* measure me through the time spine (join_to_timespine, offset_window or
 * offset_to_grain in force in c): the spine CTE's column. */
const char *dp_comp__spine_measure(comp *c, const dp_measure *me, const char *filter_raw);
/* Cumulative metric m's value r (NULL: passed on) with every spine period
 * (join_to_timespine, LEFT JOIN) and fill_nulls_with. */
const char *dp_comp__spine_cumulative(comp *c, const dp_metric *m, const char *r);
/* The spine's periods at the report grain in the range, as the body of a
 * subquery whose column is tname; NULL when the catalog has no spine. */
const char *dp_comp__spine_periods(comp *c, const char *tname);
/* The request's custom granularity: the period column of the spine joined
 * as dp_spine (NULL, c->err set, when that spine is not bound), the LEFT JOIN
 * of the spine on the day of day_expr, and DP_ECLARIFY (c->err saying what)
 * for what cannot be computed by one yet (0 without a custom grain). */
const char *dp_comp__custom_period(comp *c, const char *what);
int dp_comp__custom_join(comp *c, dp_buf *b, const char *day_expr);
int dp_comp__custom_refuse(comp *c, const char *what);
/* Adds to sources ("model.column" strings) the spine column the report's
 * periods came from, when they came from a spine; for a custom granularity
 * also returns the period's expression (merged: the time columns read). */
const char *dp_comp__spine_lineage(comp *c, json_t *sources, const char *merged);
/* The SQL of a spine CTE (t->spine_of set). */
int dp_comp__emit_spine(comp *c, dp_buf *b, const cte *t);
/* Sets c->spine_offset/spine_to_grain for a derived metric's input with an
 * offset when the catalog has a spine (1), leaves them for the shift
 * without one (0), or refuses what cannot be exact (-1, c->err set). */
int dp_comp__spine_offset(comp *c, const dp_metric *m, const dp_metric_input *in);

/* compile_keys.c: what every dataset's rows share in a query */
/* Adds to t the joins the report's keys (keys) and the request's filters
 * (filters) need; 0 or the error code (a refusal stays one). */
int dp_comp__join_for_request(comp *c, cte *t, int keys, int filters);
/* A dimension or entity key column of the report as t's rows see it; NULL
 * with c->err set when t cannot reach the entity. */
const char *dp_comp__key_expr(comp *c, const cte *t, const dp_target_col *tc);
/* A filter of the plan as one SQL condition. */
const char *dp_comp__filter_cond(comp *c, const dp_plan_filter *f);

/* compile_wide.c: the wide product (modeling/wide.c) */
/* The design the compiler works on: the keys, the component measures as
 * metrics (the simple metric their parent reads) and the metrics; the
 * attributes are left to dp_comp__wrap_attributes. dz itself when it has
 * no added column; NULL out of memory. */
const dp_design *dp_comp__inner_design(comp *c, const dp_design *dz);
int dp_comp__has_attributes(const dp_design *dz);
/* A component measure's SQL: a column the metrics' SQL already computes;
 * NULL with c->err set otherwise. */
const char *dp_comp__component_sql(comp *c, const dp_target_col *tc);
/* type as the dialect spells it for a CAST, or NULL (no cast). */
const char *dp_comp__cast_type(comp *c, const char *type);
/* x cast to tc's designed type (x itself when the type has no cast). */
const char *dp_comp__typed(comp *c, const dp_target_col *tc, const char *x);
/* Writes head, the CTEs (ctes: "WITH ... )" without the final statement),
 * the finished product as CTE dp_product (final), one CTE of attributes
 * per entity and the SELECT of every column of wide joining them, then
 * order; adds the attributes' lineage. 0 or an error code. */
int dp_comp__wrap_attributes(comp *c, dp_buf *b, const dp_design *wide, const char *head, const char *ctes,
                             const char *final, const char *order, json_t *lineage);

/* compile.c */
/* dp_compile for a query inside another (depth > 0). */
int dp_comp__compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
                     const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err, int depth);
/* Adds to t the joins that reach dataset to; 0 or an error code. */
int dp_comp__cte_join(comp *c, cte *t, const dp_model *to);
/* The same through dataset via (t's dataset to via, then via to to). */
int dp_comp__cte_join_via(comp *c, cte *t, const dp_model *via, const dp_model *to);

#endif

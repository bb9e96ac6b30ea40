/* The knowledge graph: datasets (semantic models bound to tables), their
 * entities, dimensions, measures and columns, metrics, glossary terms, and
 * what profiling learned. Built once by the catalog loader, then read-only:
 * runs on many threads share it. Every string lives in kg->arena. */
#ifndef DP_KG_KG_H
#define DP_KG_KG_H
#include <stddef.h>
#include <stdint.h>
#include "util/arena.h"
#include "dpgen/dpgen.h"

typedef enum { DP_ENT_PRIMARY, DP_ENT_UNIQUE, DP_ENT_FOREIGN, DP_ENT_NATURAL } dp_entity_type;
typedef enum { DP_DIM_CATEGORICAL, DP_DIM_TIME } dp_dim_type;
typedef enum {
    DP_AGG_SUM, DP_AGG_COUNT, DP_AGG_COUNT_DISTINCT, DP_AGG_SUM_BOOLEAN, DP_AGG_AVERAGE,
    DP_AGG_MIN, DP_AGG_MAX, DP_AGG_MEDIAN, DP_AGG_PERCENTILE
} dp_agg;
typedef enum {
    DP_METRIC_SIMPLE, DP_METRIC_RATIO, DP_METRIC_DERIVED, DP_METRIC_CUMULATIVE,
    DP_METRIC_CONVERSION
} dp_metric_type;
typedef enum { DP_GRAIN_NONE, DP_GRAIN_DAY, DP_GRAIN_WEEK, DP_GRAIN_MONTH, DP_GRAIN_QUARTER,
               DP_GRAIN_YEAR } dp_grain;

typedef struct dp_src_pos {
    const char *file;
    int line, col;
} dp_src_pos;

/* What the profile says of one column. */
typedef struct dp_col_profile {
    int done;
    int64_t nulls, distinct; /* distinct is approximate on large tables */
    double null_frac;
    const char *min, *max;   /* as text */
    const char **top_values; /* frequent values of low-cardinality text columns */
    int64_t *top_counts;
    size_t ntop;
    int all_values;          /* top_values holds every distinct value */
    int nonneg;              /* numeric column whose min >= 0 */
} dp_col_profile;

typedef struct dp_column {
    const char *name, *type, *comment;
    int is_key; /* declared primary/unique key in the database */
    dp_col_profile prof;
} dp_column;

/* Why a catalog element is switched off (issue 11: one broken element does
 * not break the catalog). NULL reason: the element is in use. */
typedef struct dp_disabled {
    const char *reason; /* "uses column 'x', which table s.t does not have", ... */
} dp_disabled;

typedef struct dp_entity {
    const char *name, *expr, *description, *label;
    dp_entity_type type;
    dp_src_pos pos;
    dp_disabled off;
} dp_entity;

typedef struct dp_dimension {
    const char *name, *expr, *description, *label;
    dp_dim_type type;
    dp_grain granularity;
    int is_partition;
    const dp_column *column; /* when expr is a bare column of the table */
    int validity;            /* validity_params: 1 is_start, 2 is_end, 0 none (SCD type 2) */
    dp_src_pos pos;
    dp_disabled off;
} dp_dimension;

typedef struct dp_measure {
    const char *name, *expr, *description, *label;
    dp_agg agg;
    double percentile;         /* for DP_AGG_PERCENTILE */
    int use_discrete_percentile;
    const char *agg_time_dimension; /* resolved: measure's, else model default */
    const char *non_additive_dim;   /* name of the non-additive dimension, if any */
    int non_additive_max;           /* window_choice max (1) or min (0) */
    int create_metric;              /* also a simple metric of the same name */
    const char **window_groupings;  /* non_additive_dimension.window_groupings (entities) */
    size_t nwindow_groupings;
    struct dp_model *model;
    dp_src_pos pos;
    dp_disabled off;
    const char *expr_type; /* DuckDB's type of an expr that is no bare column, found when the catalog
                              binds (NULL: unknown); a sum's designed type follows it */
} dp_measure;

typedef struct dp_model {
    const char *name, *description, *label, *ref;
    const char *schema, *table; /* resolved in the database */
    /* The relation dbt built for the model, when a manifest gives it
     * (target/manifest.json or node_relation of semantic_manifest.json). */
    const char *rel_database, *rel_schema, *rel_alias;
    const char *bind_note; /* how the relation was chosen (a decision) */
    const char *default_time_dim;
    dp_entity *entities;
    size_t nentities;
    dp_dimension *dims;
    size_t ndims;
    dp_measure *measures;
    size_t nmeasures;
    dp_column *columns;
    size_t ncolumns;
    /* columns by name, case aside (dp_kg_index_columns): open addressing,
     * each slot a column's index + 1 (0 empty), ncolx slots (a power of
     * two); NULL: dp_kg_model_column searches in order */
    uint32_t *colx;
    size_t ncolx;
    int64_t rows;
    /* DuckDB's count of the bound table's stored rows, read with the
     * database's catalog (est_known 0: a view, or not read) */
    int64_t est_rows;
    int est_known;
    const char *freshest;   /* newest value of the default time dimension */
    int profiled;
    int64_t dup_keys;       /* rows whose primary key repeats another row's */
    int64_t orphans;        /* rows whose foreign keys find no parent row */
    const char *orphan_entity;
    /* The profile hit a limit: which one and where (a's text), else NULL;
     * what it did not reach is unknown (never cached as complete). */
    const char *profile_partial;
    int64_t profile_sample; /* > 0: key, value and orphan counts from a sample of this many rows */
    int dup_keys_unknown;   /* the profile could not rule out repeated keys (sampled or partial) */
    double quality;         /* 0..1 from the profile */
    dp_src_pos pos;
    dp_disabled off;
    const char *primary_entity; /* primary_entity: when no entity is primary */
    const char *ref_package; /* the package of ref('package', 'name'), else NULL */
    const char *ref_version; /* the version of ref('name', v=2), else NULL */
    /* its elements' exprs checked when its file loaded (on a loader
     * thread, dp_catalog__precheck_exprs): the ones refused, with why,
     * for dp_catalog__check_exprs to disable in its order */
    int exprs_checked;
    struct dp_expr_refusal *expr_refusals;
    size_t nexpr_refusals;
    size_t nexprs; /* with exprs_checked: its element exprs that are not a bare column name */
} dp_model;

/* A metric input: measure or metric reference with optional filter, alias,
 * offset window. */
typedef struct dp_metric_input {
    const char *name, *filter, *alias, *offset_window, *offset_to_grain;
    int fill_nulls_with_set;
    long fill_nulls_with;
    int join_to_timespine;
} dp_metric_input;

/* conversion_type_params.constant_properties: a property that must be equal
 * on the base and the conversion event. */
typedef struct dp_const_prop {
    const char *base_property, *conversion_property;
} dp_const_prop;

/* The most levels of metrics a metric may be computed through (a derived
 * metric of a derived metric ...): the catalog check disables deeper ones,
 * the compiler refuses them. */
#define DP_METRIC_MAX_DEPTH 12
/* The most SQL one metric may expand to: inputs used many times repeat
 * their SQL, which grows by a factor per level. */
#define DP_METRIC_SQL_MAX (1u << 20)

typedef struct dp_metric {
    const char *name, *label, *description, *filter;
    dp_metric_type type;
    dp_metric_input measure;                /* simple, cumulative */
    dp_metric_input numerator, denominator; /* ratio */
    const char *expr;                       /* derived */
    dp_metric_input *inputs;                /* derived: metrics */
    size_t ninputs;
    const char *window, *grain_to_date;     /* cumulative */
    dp_metric_input base_measure, conversion_measure; /* conversion */
    const char *entity, *calculation, *conv_window;
    dp_const_prop *const_props;
    size_t nconst_props;
    dp_src_pos pos;
    dp_disabled off;
    /* latest YAML spec: measure, base_measure and conversion_measure name
     * metrics; dp_dbt_check resolves them to the metrics' measures */
    int inputs_are_metrics;
    /* cumulative: the value a coarser period takes of its days' values:
     * "first" (MetricFlow's default), "last" or "average" */
    const char *period_agg;
} dp_metric;

/* A time spine: one row per period of its grain (dbt's time_spines: config
 * of a model, or the legacy metricflow_time_spine model), with the custom
 * granularities its columns give (fiscal quarter, retail week). */
typedef struct dp_custom_grain {
    const char *name, *column;
    const char *type; /* the column's type in the database, once bound */
} dp_custom_grain;

typedef struct dp_time_spine {
    const char *model;        /* dbt model name (ref) */
    const char *schema, *table; /* resolved in the database */
    const char *column;       /* standard granularity column */
    dp_grain grain;
    dp_custom_grain *custom;
    size_t ncustom;
    dp_src_pos pos;
} dp_time_spine;

/* A saved query: a named request of the project (dbt saved_queries). */
typedef struct dp_saved_query {
    const char *name, *label, *description;
    const char **metrics;
    size_t nmetrics;
    const char **group_by;  /* "TimeDimension('metric_time', 'day')", "Dimension('e__d')", "Entity('e')" */
    size_t ngroup_by;
    const char **where;     /* where filters as written */
    size_t nwhere;
    const char **exports;   /* export names (export_as table/view) */
    size_t nexports;
    dp_src_pos pos;
    dp_disabled off;
    /* each export's config, parallel to exports (NULL where not given;
     * a loader that reads only names leaves the arrays NULL) */
    const char **export_as, **export_schema, **export_alias;
    const char **order_by;  /* "Metric('m').descending(True)", "TimeDimension('metric_time', 'day')" */
    size_t norder_by;
    long limit;             /* 0: none */
} dp_saved_query;

/* A catalog problem found while loading or binding: the element it
 * disabled, where it is written and why (dpgen catalog check). */
typedef struct dp_problem {
    const char *kind;   /* "semantic_model", "entity", "dimension", "measure", "metric", "saved_query", "time_spine" */
    const char *name;   /* model.element for parts of a semantic model */
    const char *reason;
    const char *hint;   /* what settles it ("run dbt build", "--schema NAME"), or NULL */
    dp_src_pos pos;
} dp_problem;

/* Glossary term: maps business words onto a metric, dimension or column. */
typedef struct dp_term {
    const char *name, *definition, *owner, *domain, *source;
    const char **synonyms;
    size_t nsynonyms;
    const char **abbreviations;
    size_t nabbreviations;
    const char *maps_kind;   /* "metric", "dimension", "entity", "column" or NULL */
    const char *maps_to;     /* name (metric), entity__dim, model.column */
    const char *maps_value;  /* with a dimension or column: the one value the term means, else NULL */
    dp_src_pos pos;
} dp_term;

typedef struct dp_lexicon dp_lexicon;
typedef struct dp_vindex dp_vindex;
typedef struct dp_kg_index dp_kg_index;

typedef struct dp_kg {
    dp_arena *arena;
    dp_model *models;
    size_t nmodels;
    dp_metric *metrics;
    size_t nmetrics;
    dp_term *terms;
    size_t nterms;
    size_t models_cap, metrics_cap, terms_cap;
    dp_lexicon *lex;  /* phrase index for intent and search */
    dp_vindex *vec;   /* vectors for semantic search */
    dp_kg_index *index; /* name lookups (dp_kg_index_build); NULL: linear scans */
    struct dp_kg_draft *draft; /* the index drafted while loading (dp_kg_draft_add), for dp_kg_index_build */
    const char *models_path, *glossary_path, *db_path;
    /* where parsed catalog files are kept (the state's cache/yaml; NULL:
     * every load parses them) */
    const char *yaml_cache;
    dp_time_spine *spines;
    size_t nspines, spines_cap;
    dp_saved_query *saved;
    size_t nsaved, saved_cap;
    dp_problem *problems;
    size_t nproblems, problems_cap;
    const char *manifest_path; /* dbt semantic manifest, when given */
    const char *target_schema; /* dbt target schema for ref(), when given */
    size_t nscd; /* datasets with validity_params (SCD type 2), counted by dp_kg_index_build */
    /* catalog/paths.c: what written files' paths are relative to (the
     * catalog root, absolute; NULL: unknown), the prefix shown for it ("",
     * or "$DPGEN_DEMO_CATALOG/"), what it is, and the rewrites of the
     * paths given (as written and real) to their shown forms */
    const char *path_root, *path_shown, *path_root_kind;
    const char *path_from[24], *path_to[24]; /* 1 root + 4 paths given x 4 forms at most */
    size_t npath_maps;
} dp_kg;

const dp_model *dp_kg_model(const dp_kg *kg, const char *name);
const dp_metric *dp_kg_metric(const dp_kg *kg, const char *name);
const dp_measure *dp_kg_measure(const dp_kg *kg, const char *name);
/* The metrics m is computed from, m first and each once (a ratio's inputs
 * that name another metric, a derived metric's inputs), breadth first, at
 * most max; returns how many. Walks over metric inputs use it rather than
 * recursing, which visits a metric used n times per level n^levels times. */
#define DP_METRIC_CLOSURE_MAX 512
size_t dp_kg_metric_closure(const dp_kg *kg, const dp_metric *m, const dp_metric **out, size_t max);
/* A model's dimension / entity by name; disabled ones are not found. */
const dp_dimension *dp_kg_model_dim(const dp_model *m, const char *name);
const dp_entity *dp_kg_model_entity(const dp_model *m, const char *name);
/* A yes/no column: "true" for a BOOLEAN, "1" for an integer column the
 * profile found only 0 and 1 in; NULL for any other. */
const char *dp_kg_flag_true(const dp_column *c);
const dp_column *dp_kg_model_column(const dp_model *m, const char *name);
/* Indexes m's columns by name for dp_kg_model_column (a binding calls it
 * once the columns are final: a model of 50 columns and 50 elements asked
 * 2,500 string comparisons); a few columns are left to the search in
 * order. 0 or -1 (out of memory: the search in order stays). */
int dp_kg_index_columns(dp_arena *a, dp_model *m);
/* The model where entity is primary or unique (NULL if none). */
const dp_model *dp_kg_entity_home(const dp_kg *kg, const char *entity);
/* Every model where entity is primary or unique, in model order (borrowed,
 * valid as long as the kg); NULL when the graph has no current index. */
const dp_model *const *dp_kg_entity_homes(const dp_kg *kg, const char *entity, size_t *n);
/* The same for every model with an entity of that name (any type), and for
 * every model with a dimension of that name or whose expression is exactly
 * that (a column name, usually). */
const dp_model *const *dp_kg_models_with_entity(const dp_kg *kg, const char *entity, size_t *n);
const dp_model *const *dp_kg_models_with_dim(const dp_kg *kg, const char *dim, size_t *n);
/* Indexes models, metrics and measures by name, and entities and dimensions
 * by the models that have them (in kg->arena), so the lookups above are O(1). Call once loading
 * is over (dp_dbt_check does); lookups fall back to scans if models or
 * metrics are added later. Returns 0 or DP_ENOMEM. */
int dp_kg_index_build(dp_kg *kg);
/* The costly part of the index drafted while a loader appends models (in
 * order, to a graph that had none): dp_kg_draft_add after each append
 * takes the models added since; dp_kg_index_build then uses (and frees)
 * kg->draft when it covers every model and nothing was disabled since,
 * else builds anew. A draft that runs out of memory is only not used. */
typedef struct dp_kg_draft dp_kg_draft;
dp_kg_draft *dp_kg_draft_new(void);
void dp_kg_draft_add(dp_kg_draft *d, const dp_kg *kg);
void dp_kg_draft_free(dp_kg_draft *d);

/* An SCD type 2 dataset (validity_params): 1 with *start and *end (either
 * may be NULL) when m has a dimension marked is_start and one marked
 * is_end; else 0. */
int dp_kg_model_validity(const dp_model *m, const dp_dimension **start, const dp_dimension **end);

const char *dp_agg_name(dp_agg a);
const char *dp_metric_type_name(dp_metric_type t);
const char *dp_grain_name(dp_grain g);
int dp_grain_parse(const char *s, dp_grain *out);

#endif

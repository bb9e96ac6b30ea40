/* Modeling stage: the target table (name, grain, keys, columns with types,
 * descriptions and constraints) from the intent and the discovered grain. */
#ifndef DP_MODELING_MODELING_H
#define DP_MODELING_MODELING_H
#include <jansson.h>
#include "discovery/discovery.h"
#include "intent/intent.h"

/* DP_ROLE_MEASURE: a component measure of a ratio or derived metric the
 * product carries beside it (the wide product), so a BI tool can
 * re-aggregate the metric. */
/* DP_ROLE_CALCULATED: a calculation on a metric column that the compiler
 * does not do ("share of", "median"), computed by SQL a language model
 * wrote and dpgen checked (docs/llm.md); its metric is the base metric.
 * The compiler never sees it (dp_model_compiled_part). */
/* DP_ROLE_ATTRIBUTE: a descriptive attribute of an entity of the grain,
 * joined on the entity's key after aggregation (the wide product): it
 * never changes the grain. */
typedef enum {
    DP_ROLE_TIME,
    DP_ROLE_DIMENSION,
    DP_ROLE_ENTITY,
    DP_ROLE_METRIC,
    DP_ROLE_MEASURE,
    DP_ROLE_ATTRIBUTE,
    DP_ROLE_CALCULATED
} dp_role;

typedef struct dp_target_col {
    const char *name, *type, *description, *formula;
    dp_role role;
    const dp_metric *metric;     /* DP_ROLE_METRIC; DP_ROLE_MEASURE: the metric it is a component of */
    const dp_measure *measure;   /* DP_ROLE_MEASURE */
    const char *added_because;   /* NULL: asked for; else why the wide product added it */
    const dp_grain_col *grain;   /* other roles */
    int is_key, not_null, is_rate; /* is_rate: a part of a whole, in [0, 1] */
    /* DP_ROLE_MEASURE: the simple metric whose value the column is (the
     * metric input as the metric's SQL reads it); NULL: the measure itself */
    const dp_metric *input;
    /* DP_ROLE_ATTRIBUTE: the dimension of the entity's primary dataset,
     * and the entity (a key column of the grain) it describes */
    const dp_model *attr_model;
    const dp_dimension *attr_dim;
    const char *attr_entity, *attr_key_col;
    const char *key_note;        /* a grain column the test run found NULL in: why it is no declared key */
    /* DP_ROLE_MEASURE: the input (part) of metric parent the column is, read
     * under parent's filter as parent's SQL reads it */
    const dp_metric *parent;
    const dp_metric_input *part;
} dp_target_col;

typedef struct dp_design {
    const char *name, *table, *grain_text, *description;
    dp_target_col cols[2 * DP_PLAN_MAX + DP_INTENT_MAX_ITEMS];
    size_t ncols;
    int no_primary_key; /* a grain column can be NULL: the grain is unique, yet no primary key */
    const char *name_reason; /* why the product has its name (the modeling decision) */
} dp_design;

int dp_model_design(dp_design *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
                    dp_arena *a, dp_error *err);
/* wide.c: the wide product (the default; --columns asked skips it): the
 * descriptive attributes of each entity of the grain and the component
 * measures of each ratio or derived metric asked, inserted before the
 * metrics. Each column added, or skipped and why, is a line of *notes
 * (arena strings, at most max). */
int dp_model_widen(dp_design *dz, const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a,
                   const char **notes, size_t max, size_t *nnotes, dp_error *err);
/* The design without its DP_ROLE_CALCULATED columns (the last ones), as
 * the compiler takes it: *out is a copy. */
void dp_model_compiled_part(const dp_design *in, dp_design *out);
/* The designed type of a metric's column, or of a measure's value at the
 * grain (me: counts BIGINT, sums of DECIMAL(p, s) DECIMAL(38, s), ...). */
const char *dp_model_metric_type(const dp_kg *kg, const dp_metric *m);
const char *dp_model_measure_type(const dp_measure *me);
/* Human formula of a measure (under filter, raw text, or NULL). */
const char *dp_model_measure_formula(const dp_measure *me, const char *filter, dp_arena *a);
/* Human formula of a metric ("sum(late) / sum(shipments)"). */
const char *dp_metric_formula(const dp_kg *kg, const dp_metric *m, dp_arena *a, int depth);
/* Type family of an SQL type name: integer, decimal, double, date,
 * timestamp, text, boolean, other. */
const char *dp_type_family(const char *type);

#endif

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
typedef enum { DP_ROLE_TIME, DP_ROLE_DIMENSION, DP_ROLE_ENTITY, DP_ROLE_METRIC, DP_ROLE_MEASURE } dp_role;

typedef struct dp_target_col {
    const char *name, *type, *description, *formula;
    dp_role role;
    const dp_metric *metric;     /* DP_ROLE_METRIC; DP_ROLE_MEASURE: the metric it is a component of */
    const dp_measure *measure;   /* DP_ROLE_MEASURE */
    const char *added_because;   /* NULL: asked for; else why the wide product added it */
    const dp_grain_col *grain;   /* other roles */
    int is_key, not_null, is_rate; /* is_rate: a part of a whole, in [0, 1] */
} dp_target_col;

typedef struct dp_design {
    const char *name, *table, *grain_text, *description;
    dp_target_col cols[2 * DP_PLAN_MAX + DP_INTENT_MAX_ITEMS];
    size_t ncols;
    const char *name_reason; /* why the product has its name (the modeling decision) */
} dp_design;

int dp_model_design(dp_design *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
                    dp_arena *a, dp_error *err);
/* Human formula of a metric ("sum(late) / sum(shipments)"). */
const char *dp_metric_formula(const dp_kg *kg, const dp_metric *m, dp_arena *a, int depth);
/* Type family of an SQL type name: integer, decimal, double, date,
 * timestamp, text, boolean, other. */
const char *dp_type_family(const char *type);

#endif

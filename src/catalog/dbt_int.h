/* Between the dbt loaders: the legacy spec (dbt_load.c: top-level
 * semantic_models and metrics with type_params) and the latest spec
 * (dbt_latest.c: semantic models on `models:`, metrics without type_params). */
#ifndef DP_CATALOG_DBT_INT_H
#define DP_CATALOG_DBT_INT_H
#include "doc/node.h"
#include "kg/kg.h"

/* dbt_load.c */
int dp_dbt__parse_agg(const char *s, dp_agg *out);
/* A filter: one template string, or a list of them AND-ed; arena text. */
const char *dp_dbt__filter_text(dp_kg *kg, const char *file, const dp_node *n);
/* A metric input: a name, or a map {name, filter, alias, offset_window, ...}. */
int dp_dbt__parse_input(dp_kg *kg, const char *file, const dp_node *n, dp_metric_input *in, const char *what,
                        dp_error *err);

/* dbt_types.c */
/* Every field of a file's semantic_models, metrics, saved_queries and
 * latest-spec models has the YAML kind the spec gives it (text, a list of
 * text, a mapping, a list): 0, or DP_EINVALID naming each mismatch as
 * "file:line:col: metric 'x': 'filter' is a mapping; expected text or a
 * list of text" (the first few; a count for the rest). */
int dp_dbt__check_types(const dp_node *doc, dp_error *err);
/* The same without the quick pass that lets a valid file through (tests
 * compare the two). */
int dp_dbt__check_types_full(const dp_node *doc, dp_error *err);

/* dbt_latest.c */
/* 1 when the element's config says enabled: false (dbt leaves it out). */
int dp_dbt__disabled(const dp_node *n);
/* The `models:` list of a properties file: each model with an enabled
 * semantic_model becomes a semantic model (entities and dimensions from its
 * columns and derived_semantics, a measure and a simple metric for each
 * simple metric, its other metrics as metrics). Models without one are
 * skipped. file: the graph's copy of the file name, or NULL. */
int dp_dbt_latest_models(dp_kg *kg, const char *file, const dp_node *models, dp_error *err);
/* 1 when a metric mapping is written in the latest spec (no type_params,
 * its parameters as keys of the metric). */
int dp_dbt_latest_is_metric(const dp_node *n);
/* A top-level metric in the latest spec. */
int dp_dbt_latest_metric(dp_kg *kg, const char *file, const dp_node *n, dp_error *err);
/* After loading: metrics whose inputs name metrics (inputs_are_metrics)
 * read the measures of those simple metrics, with their filters. */
int dp_dbt_latest_resolve(dp_kg *kg, dp_error *err);

#endif

/* Internal to the semantic manifest loader: the load context and the JSON
 * field readers that name the path of a wrong field. */
#ifndef DP_CATALOG_SEMANTIC_MANIFEST_INT_H
#define DP_CATALOG_SEMANTIC_MANIFEST_INT_H
#include "kg/kg.h"
#include <jansson.h>

#define DP_SM_MAX_BYTES (256ll * 1024 * 1024) /* the file */
#define DP_SM_MAX_ITEMS 100000                /* items of one list */
#define DP_SM_MAX_WHERE 256                   /* where filters of one filter */

/* A measure a metric defines itself (dbt's newer spec: a simple metric with
 * metric_aggregation_params), added to its semantic model once all are read. */
typedef struct dp_sm_measure {
    const char *model, *path;
    dp_measure measure;
    int reuse; /* the model has this very measure already */
} dp_sm_measure;

typedef struct dp_sm {
    dp_kg *kg;
    dp_error *err;
    const char *file; /* in kg->arena */
    dp_sm_measure *extra;
    size_t nextra, extra_cap;
} dp_sm;

/* Each returns 0 or a dp_error code with "file: path.key: why" in err. */
int dp_sm__fail(dp_sm *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *dp_sm__item(dp_sm *c, const char *path, const char *key, size_t i); /* path.key[i] */
const char *dp_sm__sub(dp_sm *c, const char *path, const char *key);            /* path.key */
dp_src_pos dp_sm__pos(dp_sm *c, const json_t *o, const char *path);
int dp_sm__field(dp_sm *c, const json_t *o, const char *key, const char *path, json_type want, json_t **out);
int dp_sm__text(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out);
int dp_sm__need_text(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out);
int dp_sm__bool(dp_sm *c, const json_t *o, const char *key, const char *path, int *out);
int dp_sm__list(dp_sm *c, const json_t *o, const char *key, const char *path, json_t **out);
int dp_sm__names(dp_sm *c, const json_t *o, const char *key, const char *path, const char ***out, size_t *n);
int dp_sm__wheres(dp_sm *c, const json_t *o, const char *key, const char *path, const char ***out, size_t *n);
int dp_sm__filter(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out);
int dp_sm__window(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out);

/* dp_semantic_manifest_load on text in memory named name (fuzzing, tests). */
int dp_sm__load_text(dp_kg *kg, const char *name, const char *data, size_t len, dp_error *err);

/* semantic_models, metrics, and saved_queries + project_configuration. */
int dp_sm__load_models(dp_sm *c, const json_t *root);
int dp_sm__load_metrics(dp_sm *c, const json_t *root);
int dp_sm__load_project(dp_sm *c, const json_t *root);
/* Reads a measure object (shared by measures and metric_aggregation_params). */
int dp_sm__measure_params(dp_sm *c, const json_t *o, const char *path, dp_measure *m);

#endif

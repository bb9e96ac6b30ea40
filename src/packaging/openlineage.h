/* The OpenLineage RunEvent of a spec (openlineage.c), its column lineage
 * (openlineage_columns.c), and posting it to a lineage server
 * (openlineage_post.c). */
#ifndef DP_PACKAGING_OPENLINEAGE_H
#define DP_PACKAGING_OPENLINEAGE_H
#include <jansson.h>
#include "dpgen/dpgen.h"

/* Versions of the spec files the event follows (schemas/openlineage/). */
#define DP_OL_SPEC_URL "https://openlineage.io/spec/2-0-2/OpenLineage.json"
#define DP_OL_FACETS_URL "https://openlineage.io/spec/facets/"

/* Names the event gives the datasets: the namespace of every dataset
 * (DPGEN_OPENLINEAGE_DATASET_NAMESPACE, else "duckdb://<database file
 * name>": no folder, so no machine path), and the database part of dataset
 * names "<database>.<schema>.<table>" (the file name without extension). */
typedef struct dp_ol_names {
    const json_t *spec;
    char ns[512];
    char db[128];
    char producer[128];
} dp_ol_names;

void dp_packaging__ol_names(dp_ol_names *out, const json_t *spec);

/* A facet's base: {"_producer", "_schemaURL"} for facet file
 * <version>/<file>.json, definition <def> (new reference or NULL). */
json_t *dp_packaging__ol_facet(const dp_ol_names *n, const char *version, const char *def);

/* The dataset name of a source dataset (by spec name, e.g. "events") or of
 * a table "schema.table"; new reference, NULL when the spec has no such
 * source dataset. */
json_t *dp_packaging__ol_source_name(const dp_ol_names *n, const char *dataset);
json_t *dp_packaging__ol_table_name(const dp_ol_names *n, const char *table);

/* The columnLineage facet of the product: every target column from its
 * source columns with the transformation (DIRECT IDENTITY, TRANSFORMATION
 * or AGGREGATION; INDIRECT FILTER for a column a metric only filters on),
 * and what affects the whole product (INDIRECT GROUP_BY for the grain's
 * sources, JOIN, FILTER, SORT). *out is a new reference. Returns 0,
 * DP_EINVALID when the lineage names a dataset the spec's sources lack,
 * or DP_ENOMEM. */
int dp_packaging__ol_column_lineage(json_t **out, const dp_ol_names *n, dp_error *err);

/* The RunEvent (eventType COMPLETE) of the spec's test run. *out is a new
 * reference. Returns 0, DP_EINVALID (a spec without run id, time or name)
 * or DP_ENOMEM. */
int dp_packaging__openlineage(json_t **out, const json_t *spec, dp_error *err);

/* The event as text (malloc'd into *out): the bytes --out writes and
 * dp_result_openlineage_post sends. Returns as dp_packaging__openlineage. */
int dp_packaging__openlineage_text(char **out, const json_t *spec, dp_error *err);

/* Writes dir/openlineage/<name>_run_event.json. */
int dp_export__openlineage(const char *dir, const json_t *spec, const char *name, dp_error *err);

/* POSTs body (JSON) to url with a 10 s timeout (DPGEN_OPENLINEAGE_TIMEOUT
 * seconds when set); Authorization: Bearer
 * $DPGEN_OPENLINEAGE_API_KEY when set (never in a message). Returns 0 on a
 * 2xx answer, DP_EINVALID for a URL that is not http(s), DP_ERROR when the
 * server cannot be reached or answers otherwise (the message says which,
 * with the start of the answer). */
int dp_packaging__openlineage_post(const char *url, const char *body, dp_error *err);

#endif

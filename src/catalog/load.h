/* Catalog loading: dbt Semantic Layer YAML and dpgen glossary YAML into the
 * knowledge graph, the database binding, and profiling. */
#ifndef DP_CATALOG_LOAD_H
#define DP_CATALOG_LOAD_H
#include "dpgen/dpgen.h"
#include "doc/node.h"
#include "kg/kg.h"

/* Loads every semantic model and metric from path (a .yml/.yaml file or a
 * folder searched recursively) into kg. Checks references between them. */
int dp_dbt_load_path(dp_kg *kg, const char *path, dp_error *err);
/* Loads one parsed document (exposed for tests and fuzzing). */
int dp_dbt_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err);
/* Loads dbt's semantic manifest (target/semantic_manifest.json, written by
 * `dbt parse`) into kg instead of the YAML: the same graph, then the same
 * checks. Errors name the file and the JSON path of the wrong field. */
int dp_semantic_manifest_load(dp_kg *kg, const char *path, dp_error *err);
/* Checks cross references once everything is loaded. */
int dp_dbt_check(dp_kg *kg, dp_error *err);

/* Loads glossary terms from a file or folder; then adds the labels,
 * descriptions and abbreviations of metrics as implicit terms. */
int dp_glossary_load_path(dp_kg *kg, const char *path, dp_error *err);
int dp_glossary_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err);
int dp_glossary_check(const dp_kg *kg, dp_error *err);

/* Lists .yml/.yaml files under path (or path itself), sorted; arena-owned. */
int dp_list_yaml_files(const char ***out, size_t *n, dp_arena *a, const char *path, dp_error *err);

#endif

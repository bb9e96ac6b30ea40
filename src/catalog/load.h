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
/* Loads files[0..n) (Jinja rendered with jinja's vars; NULL: no vars) and
 * checks them as dp_dbt_load_path does; what names them in errors. */
struct dp_jinja_ctx;
int dp_dbt_load_files(dp_kg *kg, const char *const *files, size_t n, const struct dp_jinja_ctx *jinja,
                      const char *what, dp_error *err);
/* Loads the catalog at path: a dbt project root (dbt_project.yml: its
 * model-paths, vars, target/semantic_manifest.json and target/manifest.json;
 * src/catalog/dbt_project.c) or a YAML file or folder (dp_dbt_load_path).
 * kg->manifest_path and kg->target_schema are read. */
int dp_dbt_load_catalog(dp_kg *kg, const char *path, dp_error *err);
/* Loads a dbt semantic manifest (target/semantic_manifest.json written by
 * `dbt parse`) into kg instead of the YAML. */
int dp_semantic_manifest_load(dp_kg *kg, const char *path, dp_error *err);
/* Loads one parsed document (exposed for tests and fuzzing). */
int dp_dbt_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err);
/* saved_queries: (a sequence) into kg->saved (dbt_saved.c); file: the
 * graph's copy of the file name, or NULL for the tree's own. */
int dp_dbt__load_saved_queries(dp_kg *kg, const dp_node *seq, const char *file, dp_error *err);
/* Checks cross references once everything is loaded. */
int dp_dbt_check(dp_kg *kg, dp_error *err);

/* Loads glossary terms from a file or folder; then adds the labels,
 * descriptions and abbreviations of metrics as implicit terms. */
int dp_glossary_load_path(dp_kg *kg, const char *path, dp_error *err);
int dp_glossary_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err);
int dp_glossary_check(const dp_kg *kg, dp_error *err);

/* Lists .yml/.yaml files under path (or path itself), sorted; arena-owned. */
int dp_list_yaml_files(const char ***out, size_t *n, dp_arena *a, const char *path, dp_error *err);
/* The same for files whose name ends with ext (".md"). */
int dp_list_files_ext(const char ***out, size_t *n, dp_arena *a, const char *path, const char *ext, dp_error *err);

#endif

/* Internal interface between the export's files: dp_result_export (export.c)
 * writes the tree with the writers of export_files.c and the renderings of
 * dbt.c, gx.c and assertions.c. */
#ifndef DP_PACKAGING_EXPORT_INT_H
#define DP_PACKAGING_EXPORT_INT_H
#include "dpgen/dpgen.h"
#include "util/buf.h"
#include <jansson.h>

/* A string member of an object, "" when absent (borrowed). */
const char *dp_export__str(const json_t *o, const char *k);
int dp_export__mkdirp(const char *path, dp_error *err);
/* Writes dir/rel (creating its folders). Returns 0 or DP_EINVALID. */
int dp_export__write_file(const char *dir, const char *rel, const char *text, dp_error *err);
int dp_export__write_yaml(const char *dir, const char *rel, const json_t *v, dp_error *err);
int dp_export__write_json(const char *dir, const char *rel, const json_t *v, dp_error *err);
/* Comment text: one line, nothing Jinja would evaluate. */
void dp_export__comment(dp_buf *b, const char *s);
/* Every string of v (catalog text bound for YAML dbt renders) with its
 * Jinja delimiters printed by Jinja instead: dbt shows the text as written
 * and evaluates none of it. Returns 0, or -1 when out of memory. */
int dp_export__jinja_literal_tree(json_t *v);

/* dbt/ of the export (temp: the test run's result table, "" if unknown). */
int dp_export__dbt_project(const char *dir, const json_t *spec, const char *temp, dp_error *err);
/* The GX suite (new reference, NULL when out of memory). */
json_t *dp_export__gx_suite(const json_t *spec);
/* data/<object>.parquet for the ODCS contract's local server: the product
 * recomputed with product_sql (the DuckDB SQL the run ran, checked again as
 * one read-only SELECT) and the source tables, from cat's database, under
 * memory_limit (NULL: 2GB). */
int dp_export__odcs_data(const char *dir, dp_catalog *cat, const char *product_sql, const char *memory_limit,
                         const json_t *spec, dp_error *err);
/* sql/assertions.sql. */
int dp_export__assertions(const char *dir, const json_t *spec, const char *temp, dp_error *err);
/* An export replaced whole (export_atomic.c): begin checks that dir may be
 * replaced (new, empty, or a previous export), creates its parent and the
 * temporary folder beside it (its path into tmp); commit syncs the files and
 * renames the folder into dir's place. On an error the caller removes tmp. */
int dp_export__atomic_begin(const char *dir, char *tmp, size_t cap, dp_error *err);
int dp_export__atomic_commit(const char *dir, const char *tmp, dp_error *err);
void dp_export__remove_tree(const char *path);

#endif

/* A dbt project as a catalog: dbt_project.yml (model-paths, vars,
 * target-path), the artifacts dbt writes under target/ and the relation
 * each model was built as (target/manifest.json). */
#ifndef DP_CATALOG_DBT_PROJECT_H
#define DP_CATALOG_DBT_PROJECT_H
#include "catalog/jinja.h"
#include "kg/kg.h"

typedef struct dp_dbt_project {
    const char *dir;               /* the project root */
    const char *name;              /* name: of dbt_project.yml; NULL when absent */
    const char **model_paths;      /* model-paths joined to dir (default models) */
    size_t nmodel_paths;
    dp_jinja_var *vars;            /* vars: the project's own scope first, then global */
    size_t nvars;
    const char *target_dir;        /* target-path joined to dir (default target) */
    const char *semantic_manifest; /* target/semantic_manifest.json when it exists, else NULL */
    const char *manifest;          /* target/manifest.json when it exists, else NULL */
    dp_jinja_var *docs;            /* docs blocks of the project's .md files: name, text */
    size_t ndocs;
} dp_dbt_project;

/* Reads the docs blocks ({% docs name %}...{% enddocs %}) of the .md files
 * under the model paths and docs/ into p->docs (dbt_docs.c). */
int dp_dbt_docs_read(dp_dbt_project *p, dp_arena *a, dp_error *err);

/* 1 when dir is a folder holding dbt_project.yml. */
int dp_dbt_project_is(const char *dir);

/* Reads dir/dbt_project.yml. *out and everything in it live in a.
 * DP_ENOTFOUND when dir has no dbt_project.yml; DP_EINVALID (file:line:col)
 * for a malformed one. */
int dp_dbt_project_open(dp_dbt_project **out, const char *dir, dp_arena *a, dp_error *err);

/* Sets rel_database, rel_schema and rel_alias of each model whose ref
 * names a model, seed or snapshot node of dbt's manifest (path: a
 * target/manifest.json); project (may be NULL) is the root package, which
 * a ref without a package prefers. Models the manifest does not name keep
 * NULL. */
int dp_dbt_manifest_relations(dp_kg *kg, const char *path, const char *project, dp_error *err);

/* The parts of ref('name'), ref('package', 'name'), ref('name', v=2) or
 * ref('name', version='2') in text: *package and *version NULL when not
 * written; strings in a. -1 when text holds no such call. */
int dp_dbt__ref_parts(dp_arena *a, const char *text, const char **name, const char **package, const char **version);

#endif

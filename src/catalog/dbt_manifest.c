/* target/manifest.json (dbt's manifest) -> the relation each semantic
 * model's ref() was built as: database, schema and alias of the model, seed
 * or snapshot node of that name. Only those fields are read. */
#include "catalog/dbt_project.h"
#include "util/error.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Manifests of large projects run to hundreds of megabytes. */
#define MAX_MANIFEST_BYTES (1024LL * 1024 * 1024)

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static int buildable(const char *type)
{
    return type && (!strcmp(type, "model") || !strcmp(type, "seed") || !strcmp(type, "snapshot"));
}

/* A version is a number or a string in the manifest, text in a ref. */
static int version_is(const json_t *v, const char *want)
{
    char buf[64];
    if (json_is_string(v))
        return !strcmp(json_string_value(v), want);
    if (json_is_integer(v)) {
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
        return !strcmp(buf, want);
    }
    if (json_is_real(v)) {
        snprintf(buf, sizeof(buf), "%g", json_real_value(v));
        return !strcmp(buf, want);
    }
    return 0;
}

/* ref('x', v=N) reads version N; ref('x') the latest version of a
 * versioned model; other versions are other relations. */
static int version_matches(const json_t *node, const char *want)
{
    const json_t *v = json_object_get(node, "version"), *latest = json_object_get(node, "latest_version");
    if (want)
        return v && version_is(v, want);
    if (!v || json_is_null(v) || !latest || json_is_null(latest))
        return 1;
    return json_equal((json_t *)v, (json_t *)latest);
}

int dp_dbt_manifest_relations(dp_kg *kg, const char *path, const char *project, dp_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return dp_error_set(err, DP_ENOTFOUND, "%s: no such file", path);
    if ((long long)st.st_size > MAX_MANIFEST_BYTES)
        return dp_error_set(err, DP_ELIMIT, "%s: larger than %lld bytes", path, MAX_MANIFEST_BYTES);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return dp_error_set(err, DP_EINVALID, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    int rc = 0;
    const json_t *nodes = json_object_get(root, "nodes");
    if (!json_is_object(nodes)) {
        rc = dp_error_set(err, DP_EINVALID, "%s: not a dbt manifest (it has no nodes)", path);
        goto done;
    }
    if (!project)
        project = jstr(json_object_get(root, "metadata"), "project_name");
    /* how binding will say where the relation came from */
    size_t pl = strlen(path), tl = strlen("target/manifest.json");
    const char *note = pl >= tl && !strcmp(path + pl - tl, "target/manifest.json")
                           ? "relation from target/manifest.json"
                           : dp_arena_printf(kg->arena, "relation from %s", path);
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        if (m->rel_schema)
            continue; /* a semantic manifest's node_relation already gave it */
        const json_t *best = NULL;
        int best_score = 0, ties = 0;
        const char *key;
        json_t *node;
        json_object_foreach((json_t *)nodes, key, node) {
            const char *name = jstr(node, "name"), *pkg = jstr(node, "package_name");
            if (!buildable(jstr(node, "resource_type")) || !name || strcmp(name, m->ref) ||
                (m->ref_package && (!pkg || strcmp(pkg, m->ref_package))) || !version_matches(node, m->ref_version))
                continue;
            /* an ephemeral model is never a relation */
            if (!jstr(node, "schema") || json_is_null(json_object_get(node, "relation_name")))
                continue;
            /* dbt resolves a ref without a package in the root project first */
            int score = project && pkg && !strcmp(pkg, project) ? 2 : 1;
            if (score > best_score) {
                best = node;
                best_score = score;
                ties = 0;
            } else if (score == best_score) {
                ties++;
            }
        }
        if (!best || ties)
            continue; /* dbt would refuse an ambiguous ref; binding decides */
        const char *db = jstr(best, "database"), *alias = jstr(best, "alias");
        m->rel_database = db ? dp_arena_strdup(kg->arena, db) : NULL;
        m->rel_schema = dp_arena_strdup(kg->arena, jstr(best, "schema"));
        m->rel_alias = dp_arena_strdup(kg->arena, alias ? alias : m->ref);
        m->bind_note = note;
        if (!m->rel_schema || !m->rel_alias || (db && !m->rel_database) || !note) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        (void)key;
    }
done:
    json_decref(root);
    return rc;
}

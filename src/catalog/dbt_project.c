/* A dbt project root as a catalog: the YAML of its model-paths only (not
 * target/, dbt_packages/, logs/), Jinja rendered with its vars, or the
 * semantic manifest dbt parse wrote; relations from target/manifest.json. */
#include "catalog/dbt_project.h"
#include "catalog/load.h"
#include "util/error.h"
#include "util/fs.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_MODEL_PATHS 64

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int dp_dbt_project_is(const char *dir)
{
    struct stat st;
    char p[4096];
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    if ((size_t)snprintf(p, sizeof(p), "%s/dbt_project.yml", dir) >= sizeof(p))
        return 0;
    return is_file(p);
}

static const char *join(dp_arena *a, const char *dir, const char *rel)
{
    if (rel[0] == '/')
        return dp_arena_strdup(a, rel);
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    return dp_arena_printf(a, "%s/%s", dir, rel);
}

static int fail_at(dp_error *err, const dp_node *n, const char *what)
{
    return dp_error_set(err, DP_EINVALID, "%s:%d:%d: %s", n->file, n->line, n->col, what);
}

/* dbt reads YAML 1.1 (PyYAML): these plain words are booleans, which
 * Jinja writes True and False. */
static const char *yaml11_bool(const dp_node *v)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    if (v->kind != DP_NODE_SCALAR || !v->plain)
        return NULL;
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        if (!strcmp(v->value, yes[i]))
            return "True";
        if (!strcmp(v->value, no[i]))
            return "False";
    }
    return NULL;
}

static int add_var(dp_dbt_project *p, dp_arena *a, size_t *cap, const char *name, const dp_node *v)
{
    const char *b = yaml11_bool(v);
    dp_jinja_var var = {dp_arena_strdup(a, name),
                        v->kind == DP_NODE_SCALAR && !dp_node_is_null(v) ? dp_arena_strdup(a, b ? b : v->value) : NULL};
    if (v->kind == DP_NODE_SCALAR && dp_node_is_null(v))
        var.value = dp_arena_strdup(a, "None"); /* what dbt writes for a null var */
    if (!var.name || (v->kind == DP_NODE_SCALAR && !var.value) || DP_VEC_PUSH(a, p->vars, p->nvars, *cap, var))
        return -1;
    return 0;
}

/* vars: a key naming the project holds the project's own vars, which win
 * over the global ones (dbt's scoping); other packages' scopes are not the
 * project's and are skipped when recognisable (a mapping under a key that
 * holds mappings is taken for a value, which var() refuses to write). */
static int read_vars(dp_dbt_project *p, dp_arena *a, const dp_node *vars, dp_error *err)
{
    size_t cap = 0;
    if (vars->kind != DP_NODE_MAP)
        return fail_at(err, vars, "vars must be a mapping");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < vars->n; i++) {
            const dp_node *v = vars->items[i];
            int scope = p->name && !strcmp(vars->keys[i], p->name) && v->kind == DP_NODE_MAP;
            if (pass == 0 && scope) {
                for (size_t j = 0; j < v->n; j++)
                    if (add_var(p, a, &cap, v->keys[j], v->items[j]))
                        return dp_error_set(err, DP_ENOMEM, "out of memory");
            } else if (pass == 1 && !scope && add_var(p, a, &cap, vars->keys[i], v)) {
                return dp_error_set(err, DP_ENOMEM, "out of memory");
            }
        }
    return 0;
}

int dp_dbt_project_open(dp_dbt_project **out, const char *dir, dp_arena *a, dp_error *err)
{
    *out = NULL;
    char yml[4096];
    if ((size_t)snprintf(yml, sizeof(yml), "%s/dbt_project.yml", dir) >= sizeof(yml))
        return dp_error_set(err, DP_ELIMIT, "%s: path too long", dir);
    if (!is_file(yml))
        return dp_error_set(err, DP_ENOTFOUND, "%s: no dbt_project.yml", dir);
    dp_node *doc = NULL;
    int rc = dp_yaml_load_file(&doc, a, yml, err);
    if (rc)
        return rc;
    if (doc->kind != DP_NODE_MAP)
        return fail_at(err, doc, "dbt_project.yml must be a mapping");
    dp_dbt_project *p = dp_arena_alloc(a, sizeof(*p));
    if (!p)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    p->dir = dp_arena_strndup(a, dir, dl);
    const char *name = dp_node_str(doc, "name");
    p->name = name ? dp_arena_strdup(a, name) : NULL;
    /* model-paths since dbt 1.0; source-paths before it */
    const dp_node *mp = dp_node_get(doc, "model-paths");
    if (!mp || dp_node_is_null(mp))
        mp = dp_node_get(doc, "source-paths");
    size_t cap = 0;
    if (mp && !dp_node_is_null(mp)) {
        if (mp->kind != DP_NODE_SEQ)
            return fail_at(err, mp, "model-paths must be a list of folders");
        if (mp->n > MAX_MODEL_PATHS)
            return fail_at(err, mp, "model-paths lists too many folders");
        for (size_t i = 0; i < mp->n; i++) {
            if (mp->items[i]->kind != DP_NODE_SCALAR)
                return fail_at(err, mp->items[i], "model-paths must be a list of folders");
            const char *path = join(a, p->dir, mp->items[i]->value);
            if (!path || DP_VEC_PUSH(a, p->model_paths, p->nmodel_paths, cap, path))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    } else {
        const char *path = join(a, p->dir, "models");
        if (!path || DP_VEC_PUSH(a, p->model_paths, p->nmodel_paths, cap, path))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    /* dbt's order: DBT_TARGET_PATH over the project's target-path */
    const char *tp = getenv("DBT_TARGET_PATH");
    if (!tp || !*tp)
        tp = dp_node_str(doc, "target-path");
    p->target_dir = join(a, p->dir, tp && *tp ? tp : "target");
    const dp_node *vars = dp_node_get(doc, "vars");
    if (vars && !dp_node_is_null(vars) && (rc = read_vars(p, a, vars, err)))
        return rc;
    const char *sm = p->target_dir ? dp_arena_printf(a, "%s/semantic_manifest.json", p->target_dir) : NULL;
    const char *m = p->target_dir ? dp_arena_printf(a, "%s/manifest.json", p->target_dir) : NULL;
    if (!p->dir || !p->target_dir || !sm || !m)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    p->semantic_manifest = is_file(sm) ? sm : NULL;
    p->manifest = is_file(m) ? m : NULL;
    if ((rc = dp_dbt_docs_read(p, a, err)))
        return rc;
    *out = p;
    return 0;
}

/* One argument of ref(): a quoted literal or a number, optionally after
 * v= or version=. Returns the end, NULL when it is none of these. */
static const char *ref_arg(const char *q, const char **val, size_t *len, int *is_version)
{
    while (*q == ' ' || *q == '\t')
        q++;
    *is_version = 0;
    if (!strncmp(q, "version", 7) || (q[0] == 'v' && (q[1] == '=' || q[1] == ' '))) {
        q += q[1] == 'e' ? 7 : 1;
        while (*q == ' ')
            q++;
        if (*q++ != '=')
            return NULL;
        while (*q == ' ')
            q++;
        *is_version = 1;
    }
    if (*q == '\'' || *q == '"') {
        const char *close = strchr(q + 1, *q);
        if (!close)
            return NULL;
        *val = q + 1;
        *len = (size_t)(close - q - 1);
        return close + 1;
    }
    const char *d = q;
    while ((*d >= '0' && *d <= '9') || *d == '.')
        d++;
    if (d == q)
        return NULL;
    *val = q;
    *len = (size_t)(d - q);
    return d;
}

int dp_dbt__ref_parts(dp_arena *a, const char *text, const char **name, const char **package, const char **version)
{
    const char *p = text ? strstr(text, "ref(") : NULL;
    const char *lit[2] = {0}, *ver = NULL;
    size_t len[2] = {0}, vlen = 0, n = 0;
    if (!p)
        return -1;
    for (const char *q = p + 4;;) {
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == ')')
            break;
        const char *val;
        size_t vl;
        int is_version;
        if (!(q = ref_arg(q, &val, &vl, &is_version)))
            return -1;
        if (is_version) {
            ver = val;
            vlen = vl;
        } else if (n < 2) {
            lit[n] = val;
            len[n++] = vl;
        } else {
            return -1;
        }
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == ',')
            q++;
        else if (*q != ')')
            return -1;
    }
    if (n == 0)
        return -1;
    *name = dp_arena_strndup(a, lit[n - 1], len[n - 1]);
    *package = n == 2 ? dp_arena_strndup(a, lit[0], len[0]) : NULL;
    *version = ver ? dp_arena_strndup(a, ver, vlen) : NULL;
    return *name ? 0 : -1;
}

/* The YAML of every model path (a missing one is skipped, as dbt does). */
static int project_files(const char ***out, size_t *nout, dp_arena *a, const dp_dbt_project *p, dp_error *err)
{
    const char **all = NULL;
    size_t n = 0, cap = 0;
    int found = 0;
    for (size_t i = 0; i < p->nmodel_paths; i++) {
        struct stat st;
        if (stat(p->model_paths[i], &st) != 0)
            continue;
        found = 1;
        const char **files;
        size_t k;
        int rc = dp_list_yaml_files(&files, &k, a, p->model_paths[i], err);
        if (rc)
            return rc;
        for (size_t j = 0; j < k; j++)
            if (DP_VEC_PUSH(a, all, n, cap, files[j]))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    if (!found)
        return dp_error_set(err, DP_ENOTFOUND, "%s: no folder of model-paths exists (%s%s)", p->dir,
                            p->nmodel_paths ? p->model_paths[0] : "models", p->nmodel_paths > 1 ? ", ..." : "");
    *out = all;
    *nout = n;
    return 0;
}

/* A semantic manifest older than a YAML file of the project was written
 * before that edit: loading it would answer from the old definitions. */
static int stale(const char *manifest, const char *const *files, size_t n)
{
    struct stat ms, st;
    if (stat(manifest, &ms) != 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (stat(files[i], &st) == 0 && st.st_mtime > ms.st_mtime)
            return 1;
    return 0;
}

/* --manifest names either the semantic manifest or dbt's manifest.json
 * (which gives relations only): told by the file name, or by the schema
 * dbt writes at the top of its metadata. */
static int is_dbt_manifest(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "manifest.json"))
        return 1;
    char head[4096];
    FILE *f = dp_fs_open_read(path);
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof(head) - 1, f);
    fclose(f);
    head[n] = 0;
    return strstr(head, "schemas.getdbt.com/dbt/manifest/") != NULL;
}

/* 1 when path (resolved) is folder or below it. */
static int under(const char *path, const char *folder)
{
    char f[PATH_MAX];
    if (!realpath(folder, f))
        return 0;
    size_t n = strlen(f);
    return !strncmp(path, f, n) && (path[n] == '/' || path[n] == 0);
}

/* The project a folder or file of it belongs to (--models project/models):
 * the nearest folder above with dbt_project.yml, at most MAX_UP levels,
 * when path is in one of its model-paths (a YAML file that merely sits
 * below some project is not that project's). */
#define MAX_UP 8
static int enclosing_project(dp_dbt_project **out, const char *path, dp_arena *a, dp_error *err)
{
    *out = NULL;
    char full[PATH_MAX], buf[PATH_MAX];
    if (!realpath(path, full))
        return 0;
    memcpy(buf, full, sizeof(buf));
    for (int up = 0; up <= MAX_UP; up++) {
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf)
            return 0;
        *slash = 0; /* the first step leaves a file for its folder, or a folder for its parent */
        if (!dp_dbt_project_is(buf))
            continue;
        dp_dbt_project *p;
        int rc = dp_dbt_project_open(&p, buf, a, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < p->nmodel_paths; i++)
            if (under(full, p->model_paths[i])) {
                *out = p;
                return 0;
            }
        return 0;
    }
    return 0;
}

int dp_dbt_load_catalog(dp_kg *kg, const char *path, dp_error *err)
{
    const char *given = kg->manifest_path;
    int given_relations = given && is_dbt_manifest(given);
    int rc;
    struct stat gst;
    if (given && stat(given, &gst) != 0)
        return dp_error_set(err, DP_ENOTFOUND, "%s: no such file (--manifest)", given);
    if (given && !S_ISREG(gst.st_mode))
        return dp_error_set(err, DP_EINVALID, "%s: not a regular file (--manifest takes a JSON file)", given);
    if (!dp_dbt_project_is(path)) {
        if (given && !given_relations)
            return dp_semantic_manifest_load(kg, given, err);
        kg->manifest_path = NULL;
        dp_dbt_project *enc;
        if ((rc = enclosing_project(&enc, path, kg->arena, err)))
            return rc;
        if (!enc) {
            if ((rc = dp_dbt_load_path(kg, path, err)))
                return rc;
            return given_relations ? dp_dbt_manifest_relations(kg, given, NULL, err) : 0;
        }
        /* a part of a project: its files only, with the project's vars and
         * relations */
        const char **files;
        size_t n;
        dp_jinja_ctx jc = {enc->vars, enc->nvars, NULL, NULL, enc->docs, enc->ndocs};
        if ((rc = dp_list_yaml_files(&files, &n, kg->arena, path, err)) ||
            (rc = dp_dbt_load_files(kg, files, n, &jc, path, err)))
            return rc;
        const char *rel = given_relations ? given : enc->manifest;
        return rel ? dp_dbt_manifest_relations(kg, rel, enc->name, err) : 0;
    }
    dp_dbt_project *p;
    const char **files = NULL;
    size_t n = 0;
    if ((rc = dp_dbt_project_open(&p, path, kg->arena, err)) || (rc = project_files(&files, &n, kg->arena, p, err)))
        return rc;
    const char *semantic = given && !given_relations ? given : NULL;
    if (!semantic && !given_relations && p->semantic_manifest && !stale(p->semantic_manifest, files, n))
        semantic = p->semantic_manifest;
    kg->manifest_path = semantic;
    if (semantic) {
        rc = dp_semantic_manifest_load(kg, semantic, err);
    } else {
        dp_jinja_ctx jc = {p->vars, p->nvars, NULL, NULL, p->docs, p->ndocs};
        rc = dp_dbt_load_files(kg, files, n, &jc, path, err);
    }
    if (rc)
        return rc;
    const char *relations = given_relations ? given : p->manifest;
    return relations ? dp_dbt_manifest_relations(kg, relations, p->name, err) : 0;
}

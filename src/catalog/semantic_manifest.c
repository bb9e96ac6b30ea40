/* dbt's semantic manifest (target/semantic_manifest.json, written by `dbt
 * parse` with Jinja rendered) -> the same knowledge graph the YAML loader
 * builds; the same checks then run. Positions name the file and the JSON
 * path ("semantic_models[3].measures[2]"): the file has no useful lines. */
#include "catalog/load.h"
#include "catalog/semantic_manifest_int.h"
#include "util/error.h"
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int dp_sm__fail(dp_sm *c, const char *path, const char *key, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dp_error_set(c->err, DP_EINVALID, "%s: %s%s%s: %s", c->file, path, *path && key ? "." : "",
                        key ? key : "", msg);
}

const char *dp_sm__item(dp_sm *c, const char *path, const char *key, size_t i)
{
    return dp_arena_printf(c->kg->arena, "%s%s%s[%zu]", path, *path ? "." : "", key, i);
}

const char *dp_sm__sub(dp_sm *c, const char *path, const char *key)
{
    return dp_arena_printf(c->kg->arena, "%s%s%s", path, *path ? "." : "", key);
}

/* The element's source position: the YAML it came from when dbt recorded it
 * (metadata.repo_file_path and file_slice.start_line_number), else the
 * manifest and the JSON path. */
dp_src_pos dp_sm__pos(dp_sm *c, const json_t *o, const char *path)
{
    const json_t *md = json_object_get(o, "metadata");
    const json_t *file = json_object_get(md, "repo_file_path");
    const json_t *line = json_object_get(json_object_get(md, "file_slice"), "start_line_number");
    if (json_is_string(file) && json_string_length(file) && json_is_integer(line) && json_integer_value(line) > 0 &&
        json_integer_value(line) < 1000000000)
        return (dp_src_pos){dp_arena_strdup(c->kg->arena, json_string_value(file)), (int)json_integer_value(line), 1};
    return (dp_src_pos){dp_arena_printf(c->kg->arena, "%s:%s", c->file, path), 0, 0};
}

static const char *type_word(json_type t)
{
    switch (t) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "text";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    default: return "true or false";
    }
}

/* A field that may be absent or null (*out NULL); another type than want
 * is an error naming its path. */
int dp_sm__field(dp_sm *c, const json_t *o, const char *key, const char *path, json_type want, json_t **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    json_type t = json_typeof(v);
    int ok = t == want || (want == JSON_REAL && t == JSON_INTEGER) ||
             (want == JSON_TRUE && (t == JSON_TRUE || t == JSON_FALSE));
    if (!ok)
        return dp_sm__fail(c, path, key, "must be %s", type_word(want));
    *out = v;
    return 0;
}

int dp_sm__text(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out)
{
    json_t *v;
    int rc = dp_sm__field(c, o, key, path, JSON_STRING, &v);
    *out = v ? dp_arena_strdup(c->kg->arena, json_string_value(v)) : NULL;
    if (!rc && v && !*out)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return rc;
}

int dp_sm__need_text(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out)
{
    int rc = dp_sm__text(c, o, key, path, out);
    if (!rc && (!*out || !**out))
        return dp_sm__fail(c, path, key, *out ? "is empty" : "is missing");
    return rc;
}

int dp_sm__bool(dp_sm *c, const json_t *o, const char *key, const char *path, int *out)
{
    json_t *v;
    int rc = dp_sm__field(c, o, key, path, JSON_TRUE, &v);
    *out = v && json_is_true(v);
    return rc;
}

int dp_sm__list(dp_sm *c, const json_t *o, const char *key, const char *path, json_t **out)
{
    int rc = dp_sm__field(c, o, key, path, JSON_ARRAY, out);
    if (!rc && *out && json_array_size(*out) > DP_SM_MAX_ITEMS)
        return dp_sm__fail(c, path, key, "has %zu items, more than the %d dpgen reads", json_array_size(*out),
                           DP_SM_MAX_ITEMS);
    return rc;
}

/* A list of names (window_groupings, group_by, metrics of a saved query). */
int dp_sm__names(dp_sm *c, const json_t *o, const char *key, const char *path, const char ***out, size_t *n)
{
    json_t *a;
    int rc = dp_sm__list(c, o, key, path, &a);
    *out = NULL;
    *n = 0;
    if (rc || !a || !json_array_size(a))
        return rc;
    *out = dp_arena_calloc(c->kg->arena, json_array_size(a), sizeof(**out));
    if (!*out)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s))
            return dp_sm__fail(c, dp_sm__item(c, path, key, i), NULL, "must be text");
        (*out)[i] = dp_arena_strdup(c->kg->arena, json_string_value(s));
    }
    *n = json_array_size(a);
    return 0;
}

/* Where filters: a text, {where_sql_template}, {where_filters: [...]} or a
 * list of these (the forms dbt-semantic-interfaces accepts). Each template
 * is appended to out (NULL: count only). */
static int where_list(dp_sm *c, const json_t *v, const char *path, const char ***out, size_t *n, size_t cap)
{
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        if (*n >= cap)
            return dp_sm__fail(c, path, NULL, "has more than %zu where filters", cap);
        if (out)
            (*out)[*n] = dp_arena_strdup(c->kg->arena, json_string_value(v));
        ++*n;
        return 0;
    }
    if (json_is_array(v)) {
        if (json_array_size(v) > cap - *n)
            return dp_sm__fail(c, path, NULL, "has more than %zu where filters", cap);
        for (size_t i = 0; i < json_array_size(v); i++) {
            const char *p = dp_arena_printf(c->kg->arena, "%s[%zu]", path, i);
            if (json_is_array(json_array_get(v, i))) /* the YAML loader refuses a nested list too */
                return dp_sm__fail(c, p, NULL, "is a list; expected text or {where_sql_template}");
            int rc = where_list(c, json_array_get(v, i), p, out, n, cap);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (json_is_object(v)) {
        json_t *t = json_object_get(v, "where_sql_template"), *fs = json_object_get(v, "where_filters");
        if (t && !json_is_null(t)) {
            if (!json_is_string(t))
                return dp_sm__fail(c, path, "where_sql_template", "must be text");
            return where_list(c, t, path, out, n, cap);
        }
        if (fs && !json_is_null(fs)) {
            if (!json_is_array(fs))
                return dp_sm__fail(c, path, "where_filters", "must be a list");
            return where_list(c, fs, dp_sm__sub(c, path, "where_filters"), out, n, cap);
        }
        if (fs) /* where_filters: null, as dbt writes no filter */
            return 0;
        /* another object would be read as no filter: an unfiltered metric */
        return dp_sm__fail(c, path, NULL, "is an object without where_sql_template or where_filters");
    }
    return dp_sm__fail(c, path, NULL, "must be a where filter (text or {where_filters: [...]})");
}

int dp_sm__wheres(dp_sm *c, const json_t *o, const char *key, const char *path, const char ***out, size_t *n)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return 0;
    /* counted first (out NULL), then read into a list of that size */
    const char *p = dp_sm__sub(c, path, key);
    int rc = where_list(c, v, p, NULL, n, DP_SM_MAX_WHERE);
    size_t cap = *n;
    if (rc || !cap)
        return rc;
    if (!(*out = dp_arena_calloc(c->kg->arena, cap, sizeof(**out))))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    *n = 0;
    return where_list(c, v, p, out, n, cap);
}

/* Several where filters AND-ed, spelled as the YAML loader spells a list of
 * filters, so both loaders give the compiler the same text. */
int dp_sm__filter(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out)
{
    const char **w;
    size_t n;
    int rc = dp_sm__wheres(c, o, key, path, &w, &n);
    *out = NULL;
    for (size_t i = 0; !rc && i < n; i++)
        *out = *out ? dp_arena_printf(c->kg->arena, "(%s) AND (%s)", *out, w[i]) : w[i];
    return rc;
}

/* A time window: {count, granularity} in the manifest, "<count>
 * <granularity>" in YAML; rendered as the YAML loader stores it. */
int dp_sm__window(dp_sm *c, const json_t *o, const char *key, const char *path, const char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        *out = dp_arena_strdup(c->kg->arena, json_string_value(v));
        return 0;
    }
    if (!json_is_object(v))
        return dp_sm__fail(c, path, key, "must be an object {count, granularity}");
    const char *p = dp_sm__sub(c, path, key), *g;
    json_t *n;
    int rc;
    if ((rc = dp_sm__field(c, v, "count", p, JSON_INTEGER, &n)) || (rc = dp_sm__need_text(c, v, "granularity", p, &g)))
        return rc;
    if (!n || json_integer_value(n) < 0)
        return dp_sm__fail(c, p, "count", n ? "must not be negative" : "is missing");
    /* dbt drops the plural ("7 days" -> day); a standard grain gets it
     * back so the text reads as written */
    dp_grain std;
    long long k = json_integer_value(n);
    char *lower = dp_arena_strdup(c->kg->arena, g); /* older manifests wrote DAY */
    for (char *q = lower; q && *q; q++)
        *q = (char)tolower((unsigned char)*q);
    *out = dp_arena_printf(c->kg->arena, "%lld %s%s", k, lower, k != 1 && !dp_grain_parse(lower, &std) ? "s" : "");
    return 0;
}

static json_t *check_root(dp_sm *c, json_t *root, const json_error_t *je)
{
    if (!root) {
        dp_error_set(c->err, DP_EINVALID, "%s:%d:%d: not valid JSON: %s", c->file, je->line, je->column, je->text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        dp_error_set(c->err, DP_EINVALID, "%s: a semantic manifest is a JSON object with semantic_models and metrics",
                     c->file);
        return NULL;
    }
    return root;
}

static json_t *read_file(dp_sm *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        dp_error_set(c->err, DP_ENOTFOUND, "%s: cannot read the semantic manifest (no such file)", path);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        dp_error_set(c->err, DP_EINVALID, "%s: is a folder; --manifest takes target/semantic_manifest.json", path);
        return NULL;
    }
    if ((long long)st.st_size > DP_SM_MAX_BYTES) {
        dp_error_set(c->err, DP_ELIMIT, "%s: %lld bytes, larger than the %lld bytes dpgen reads", path,
                     (long long)st.st_size, (long long)DP_SM_MAX_BYTES);
        return NULL;
    }
    json_error_t je;
    return check_root(c, json_load_file(path, JSON_REJECT_DUPLICATES, &je), &je);
}

/* The document is read; its elements go into the graph, then the checks. */
static int load_root(dp_sm *c, json_t *root)
{
    int rc;
    if (!root)
        return c->err && c->err->code ? c->err->code : DP_EINVALID;
    if ((rc = dp_sm__load_models(c, root)) || (rc = dp_sm__load_metrics(c, root)) || (rc = dp_sm__load_project(c, root)))
        goto done;
    if (c->kg->nmodels == 0) {
        rc = dp_error_set(c->err, DP_ENOTFOUND, "%s: no semantic_models found", c->file);
        goto done;
    }
    rc = dp_dbt_check(c->kg, c->err);
done:
    json_decref(root);
    return rc;
}

int dp_semantic_manifest_load(dp_kg *kg, const char *path, dp_error *err)
{
    dp_sm c = {kg, err, NULL, NULL, 0, 0};
    if (!(c.file = dp_arena_strdup(kg->arena, path)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return load_root(&c, read_file(&c, path));
}

int dp_sm__load_text(dp_kg *kg, const char *name, const char *data, size_t len, dp_error *err)
{
    dp_sm c = {kg, err, NULL, NULL, 0, 0};
    json_error_t je;
    if (!(c.file = dp_arena_strdup(kg->arena, name)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if (len > (size_t)DP_SM_MAX_BYTES)
        return dp_error_set(err, DP_ELIMIT, "%s: %zu bytes, larger than the %lld bytes dpgen reads", name, len,
                            (long long)DP_SM_MAX_BYTES);
    return load_root(&c, check_root(&c, json_loadb(data, len, JSON_REJECT_DUPLICATES, &je), &je));
}

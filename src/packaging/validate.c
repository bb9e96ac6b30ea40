/* Spec validation against the embedded JSON Schema, and YAML trees as JSON
 * (so exported YAML can be checked against the official schemas). */
#include "packaging/validate.h"
#include "doc/jsonschema.h"
#include "util/arena.h"
#include "util/embedded.h"
#include "util/error.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- YAML scalars as JSON (YAML 1.2 core schema) ---- */

static int is_digits(const char *s, const char *digits)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr(digits, *s))
            return 0;
    return 1;
}

/* [-+]?[0-9]+ */
static int is_int(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    return is_digits(s, "0123456789");
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    size_t before = strspn(s, "0123456789");
    s += before;
    size_t after = 0;
    if (*s == '.') {
        s++;
        after = strspn(s, "0123456789");
        s += after;
    }
    if (!before && !after)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!is_digits(s, "0123456789"))
            return 0;
        return 1;
    }
    return *s == 0;
}

static int one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(s, *words))
            return 1;
    return 0;
}

static json_t *scalar_json(const dp_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    const char *s = n->value;
    if (!n->plain)
        return json_string(s);
    if (one_of(s, nulls))
        return json_null();
    if (one_of(s, trues))
        return json_true();
    if (one_of(s, falses))
        return json_false();
    if (is_int(s)) {
        errno = 0;
        char *end = NULL;
        long long v = strtoll(s, &end, 10);
        if (!errno && end && !*end)
            return json_integer((json_int_t)v);
    }
    if (is_int(s) || is_float(s)) {
        errno = 0;
        char *end = NULL;
        double d = strtod(s, &end);
        if (!errno && end && !*end)
            return json_real(d);
    }
    /* 0x.., 0o.., .inf, .nan and anything else stay text: JSON has no
     * infinities, and dpgen never writes the other forms */
    return json_string(s);
}

static int to_json(json_t **out, const dp_node *n, int depth, dp_error *err)
{
    *out = NULL;
    if (depth > DP_YAML_MAX_DEPTH)
        return dp_error_set(err, DP_ELIMIT, "%s:%d:%d: nested deeper than %d levels", n->file ? n->file : "yaml",
                            n->line, n->col, DP_YAML_MAX_DEPTH);
    if (n->kind == DP_NODE_SCALAR) {
        if (!(*out = scalar_json(n)))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        return 0;
    }
    json_t *v = n->kind == DP_NODE_MAP ? json_object() : json_array();
    if (!v)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        json_t *child = NULL;
        int rc = to_json(&child, n->items[i], depth + 1, err);
        if (rc) {
            json_decref(v);
            return rc;
        }
        if (n->kind == DP_NODE_MAP ? json_object_set_new(v, n->keys[i], child) : json_array_append_new(v, child)) {
            json_decref(v);
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    }
    *out = v;
    return 0;
}

int dp_packaging__yaml_to_json(json_t **out, const dp_node *node, dp_error *err)
{
    if (!node) {
        *out = json_null();
        return 0;
    }
    return to_json(out, node, 0, err);
}

int dp_packaging__yaml_file_to_json(json_t **out, const char *path, dp_error *err)
{
    *out = NULL;
    dp_arena *a = dp_arena_new(0);
    dp_node *doc = NULL;
    int rc;
    if (!a)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if ((rc = dp_yaml_load_file(&doc, a, path, err)))
        goto done;
    rc = dp_packaging__yaml_to_json(out, doc, err);
done:
    dp_arena_free(a);
    return rc;
}

/* ---- the spec schema: compiled once, then shared read-only ---- */

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static dp_jsonschema *schema_compiled; /* written once under schema_once */
static dp_error schema_error;          /* why it did not compile, if it did not */

static void compile_schema(void)
{
    size_t len = 0;
    const char *text = dp_embedded_find(DP_SPEC_SCHEMA_NAME, &len);
    if (!text) {
        dp_error_set(&schema_error, DP_ERROR, "%s is not compiled into the library", DP_SPEC_SCHEMA_NAME);
        return;
    }
    json_error_t je;
    json_t *doc = json_loadb(text, len, 0, &je);
    if (!doc) {
        dp_error_set(&schema_error, DP_ERROR, "%s:%d:%d: %s", DP_SPEC_SCHEMA_NAME, je.line, je.column, je.text);
        return;
    }
    if (dp_jsonschema_new(&schema_compiled, doc, &schema_error)) {
        schema_compiled = NULL;
        dp_error_prefix(&schema_error, "%s", DP_SPEC_SCHEMA_NAME);
    }
    json_decref(doc);
}

int dp_packaging__spec_validate(const json_t *spec, dp_error *err)
{
    pthread_once(&schema_once, compile_schema);
    if (!schema_compiled)
        return dp_error_set(err, DP_ERROR, "%s", schema_error.message);
    dp_error verr = {0};
    int rc = dp_jsonschema_validate(schema_compiled, spec, NULL, 0, &verr);
    if (rc == DP_EINVALID)
        return dp_error_set(err, DP_ERROR, "spec does not validate against %s: %s", DP_SPEC_SCHEMA_NAME, verr.message);
    if (rc)
        return dp_error_set(err, rc, "validating the spec: %s", verr.message);
    return 0;
}

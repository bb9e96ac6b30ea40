/* Compiles a JSON schema once: registers $id/$anchor names, checks keyword
 * values, translates patterns and resolves every $ref; and frees it. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"
#include "doc/jsonschema_int.h"

#include <assert.h>
#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/error.h"

/* ------------------------------------------------------------------------ */
/* Compiled form                                                            */

static size_t slot_hash(const void *p, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & mask;
}

unsigned dp_js__kw_groups(const json_t *node)
{
    static const struct {
        const char *kw;
        unsigned group;
    } known[] = {
        {"type", JS_KW_GENERIC},
        {"enum", JS_KW_GENERIC},
        {"const", JS_KW_GENERIC},
        {"minimum", JS_KW_NUMBER},
        {"maximum", JS_KW_NUMBER},
        {"exclusiveMinimum", JS_KW_NUMBER},
        {"exclusiveMaximum", JS_KW_NUMBER},
        {"multipleOf", JS_KW_NUMBER},
        {"minLength", JS_KW_STRING},
        {"maxLength", JS_KW_STRING},
        {"pattern", JS_KW_STRING},
        {"format", JS_KW_STRING},
        {"items", JS_KW_ARRAY},
        {"prefixItems", JS_KW_ARRAY},
        {"additionalItems", JS_KW_ARRAY},
        {"contains", JS_KW_ARRAY},
        {"minContains", JS_KW_ARRAY},
        {"maxContains", JS_KW_ARRAY},
        {"minItems", JS_KW_ARRAY},
        {"maxItems", JS_KW_ARRAY},
        {"uniqueItems", JS_KW_ARRAY},
        {"properties", JS_KW_OBJECT},
        {"additionalProperties", JS_KW_OBJECT},
        {"patternProperties", JS_KW_OBJECT},
        {"required", JS_KW_OBJECT},
        {"minProperties", JS_KW_OBJECT},
        {"maxProperties", JS_KW_OBJECT},
        {"propertyNames", JS_KW_OBJECT},
        {"dependencies", JS_KW_OBJECT},
        {"dependentRequired", JS_KW_OBJECT},
        {"dependentSchemas", JS_KW_OBJECT},
        {"allOf", JS_KW_COMBINE},
        {"anyOf", JS_KW_COMBINE},
        {"oneOf", JS_KW_COMBINE},
        {"not", JS_KW_COMBINE},
        {"if", JS_KW_COMBINE},
        {"then", JS_KW_COMBINE},
        {"else", JS_KW_COMBINE},
        /* asserting nothing here ($ref and unevaluated* have their own fields) */
        {"$ref", 0},
        {"$schema", 0},
        {"$id", 0},
        {"id", 0},
        {"$defs", 0},
        {"definitions", 0},
        {"$anchor", 0},
        {"$comment", 0},
        {"title", 0},
        {"description", 0},
        {"default", 0},
        {"examples", 0},
        {"readOnly", 0},
        {"writeOnly", 0},
        {"deprecated", 0},
        {"unevaluatedProperties", 0},
        {"unevaluatedItems", 0},
    };
    unsigned groups = 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)node, key, v) {
        size_t i = 0;
        while (i < sizeof(known) / sizeof(*known) && strcmp(known[i].kw, key))
            i++;
        groups |= i < sizeof(known) / sizeof(*known) ? known[i].group : JS_KW_ALL;
    }
    return groups;
}

const snode *dp_js__slot_get(const dp_jsonschema *s, const json_t *node)
{
    if (!s->nslots)
        return NULL;
    size_t mask = s->nslots - 1;
    for (size_t i = slot_hash(node, mask);; i = (i + 1) & mask) {
        if (!s->slots[i])
            return NULL;
        if (s->slots[i]->schema == node)
            return s->slots[i];
    }
}

static int slot_put(dp_jsonschema *s, snode *sn)
{
    if ((s->nused + 1) * 2 > s->nslots) {
        size_t n = s->nslots ? s->nslots * 2 : 64;
        snode **ns = calloc(n, sizeof(*ns));
        if (!ns)
            return DP_ENOMEM;
        for (size_t i = 0; i < s->nslots; i++) {
            if (!s->slots[i])
                continue;
            size_t j = slot_hash(s->slots[i]->schema, n - 1);
            while (ns[j])
                j = (j + 1) & (n - 1);
            ns[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = ns;
        s->nslots = n;
    }
    size_t mask = s->nslots - 1, i = slot_hash(sn->schema, mask);
    while (s->slots[i])
        i = (i + 1) & mask;
    s->slots[i] = sn;
    s->nused++;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

/* Appends p to an arena-grown array of pointers; 0 or -1. */
int dp_js__ptr_push(dp_arena *a, void ***items, size_t *n, size_t *cap, void *p)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void **ni = dp_arena_grow(a, *items, *cap, nc, sizeof(**items));
        if (!ni)
            return -1;
        *items = ni;
        *cap = nc;
    }
    (*items)[(*n)++] = p;
    return 0;
}

static int is_count(const json_t *v)
{
    return (json_is_integer(v) && json_integer_value(v) >= 0) ||
           (json_is_real(v) && json_real_value(v) >= 0 && dp_js__is_integral(json_real_value(v)));
}

static int type_known(const char *t)
{
    static const char *const names[] = {"null", "boolean", "object", "array",
                                        "number", "string", "integer"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(t, names[i]))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Compilation                                                              */

typedef struct cctx {
    dp_jsonschema *s;
    dp_error *err;
    jptr where; /* schema location of the node being compiled */
    void **refs; /* every snode with a $ref */
    size_t nrefs, caprefs;
    int resources_scanned;
} cctx;

static int cerr(cctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cerr(cctx *c, int code, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (code == DP_ENOMEM)
        return dp_error_set(c->err, code, "out of memory compiling a JSON schema");
    return dp_error_set(c->err, code, "invalid schema at %s: %s", c->where.s, msg);
}

static int kw_err(cctx *c, const char *kw, const char *fmt, const char *arg)
{
    size_t save = dp_js__jptr_push(&c->where, kw);
    int rc = cerr(c, DP_EINVALID, fmt, arg);
    dp_js__jptr_pop(&c->where, save);
    return rc;
}

static int register_id(cctx *c, const char *uri, json_t *node)
{
    json_t *old = json_object_get(c->s->ids, uri);
    if (old == node)
        return 0;
    if (old)
        return cerr(c, DP_EINVALID, "duplicate schema identifier '%s'", uri);
    if (json_object_set(c->s->ids, uri, node))
        return cerr(c, DP_ENOMEM, "-");
    return 0;
}

static char *strip_frag(dp_arena *a, const char *uri)
{
    const char *h = strchr(uri, '#');
    return h ? dp_arena_strndup(a, uri, (size_t)(h - uri)) : dp_arena_strdup(a, uri);
}

static int walk(cctx *c, json_t *node, const char *base, int depth);

static int walk_kw(cctx *c, json_t *sub, const char *kw, const char *key, const char *base,
                   int depth)
{
    size_t save = dp_js__jptr_push(&c->where, kw);
    if (key)
        dp_js__jptr_push(&c->where, key);
    int rc = walk(c, sub, base, depth + 1);
    dp_js__jptr_pop(&c->where, save);
    return rc;
}

/* Keyword values that have one meaning in every supported draft. */
static int check_keywords(cctx *c, const json_t *node)
{
    static const char *const counts[] = {"minLength", "maxLength", "minItems", "maxItems",
                                         "minProperties", "maxProperties", "minContains",
                                         "maxContains"};
    static const char *const nums[] = {"minimum", "maximum"};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        const json_t *v = json_object_get(node, counts[i]);
        if (v && !is_count(v))
            return kw_err(c, counts[i], "%s", "expected a non-negative integer");
    }
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        const json_t *v = json_object_get(node, nums[i]);
        if (v && !json_is_number(v))
            return kw_err(c, nums[i], "%s", "expected a number");
    }
    const char *excl[] = {"exclusiveMinimum", "exclusiveMaximum"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(node, excl[i]);
        if (v && !json_is_number(v) && !json_is_boolean(v))
            return kw_err(c, excl[i], "%s", "expected a number");
    }
    const json_t *v = json_object_get(node, "multipleOf");
    if (v && (!json_is_number(v) || json_number_value(v) <= 0))
        return kw_err(c, "multipleOf", "%s", "expected a number greater than 0");
    if ((v = json_object_get(node, "uniqueItems")) && !json_is_boolean(v))
        return kw_err(c, "uniqueItems", "%s", "expected a boolean");
    if ((v = json_object_get(node, "enum")) && !json_is_array(v))
        return kw_err(c, "enum", "%s", "expected an array");
    if ((v = json_object_get(node, "type"))) {
        if (json_is_string(v)) {
            if (!type_known(json_string_value(v)))
                return kw_err(c, "type", "unknown type '%s'", json_string_value(v));
        } else if (json_is_array(v)) {
            for (size_t i = 0; i < json_array_size(v); i++) {
                const json_t *t = json_array_get(v, i);
                if (!json_is_string(t))
                    return kw_err(c, "type", "%s", "expected type names");
                if (!type_known(json_string_value(t)))
                    return kw_err(c, "type", "unknown type '%s'", json_string_value(t));
            }
        } else {
            return kw_err(c, "type", "%s", "expected a string or an array");
        }
    }
    if ((v = json_object_get(node, "required"))) {
        if (!json_is_array(v))
            return kw_err(c, "required", "%s", "expected an array of strings");
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!json_is_string(json_array_get(v, i)))
                return kw_err(c, "required", "%s", "expected an array of strings");
    }
    const char *depkw[] = {"dependentRequired", "dependencies"};
    for (size_t k = 0; k < 2; k++) {
        if (!(v = json_object_get(node, depkw[k])))
            continue;
        if (!json_is_object(v))
            return kw_err(c, depkw[k], "%s", "expected an object");
        const char *name;
        json_t *d;
        json_object_foreach((json_t *)v, name, d)
        {
            if (json_is_array(d)) {
                for (size_t i = 0; i < json_array_size(d); i++)
                    if (!json_is_string(json_array_get(d, i)))
                        return kw_err(c, depkw[k], "%s", "expected arrays of property names");
            } else if (k == 0 || !(json_is_object(d) || json_is_boolean(d))) {
                return kw_err(c, depkw[k], "%s", "expected arrays of property names");
            }
        }
    }
    return 0;
}

static int add_pattern(cctx *c, const char *kw, const char *key, const char *pat, size_t len,
                       rx **out)
{
    char why[200];
    if (dp_js__rx_compile(c->s, out, pat, len, why, sizeof(why)) == 0)
        return 0;
    size_t save = dp_js__jptr_push(&c->where, kw);
    if (key)
        dp_js__jptr_push(&c->where, key);
    int rc = cerr(c, DP_EINVALID, "unsupported regular expression '%.200s': %s", pat, why);
    dp_js__jptr_pop(&c->where, save);
    return rc;
}

/* Registers the $id, $anchor and $dynamicAnchor of node; *base becomes
 * the base URI inside it. strict: report malformed values (else skip). */
static int node_ids(cctx *c, json_t *node, const char **base, int strict)
{
    dp_jsonschema *s = c->s;
    char buf[MAX_URI];
    int rc;
    json_t *id = json_object_get(node, "$id");
    if (id && !json_is_string(id))
        return strict ? kw_err(c, "$id", "%s", "expected a string") : 0;
    /* draft-07: $ref hides its siblings, $id too */
    if (id && !(json_object_get(node, "$ref") && !s->modern)) {
        const char *ids = json_string_value(id);
        if (dp_js__uri_resolve(*base, ids, buf, sizeof(buf)))
            return strict ? kw_err(c, "$id", "%s", "URI too long") : 0;
        const char *h = strchr(buf, '#');
        if (ids[0] == '#' && ids[1]) { /* draft-07 location-independent name */
            if ((rc = register_id(c, buf, node)) && strict)
                return rc;
        } else {
            char *doc = strip_frag(s->arena, buf);
            if (!doc)
                return cerr(c, DP_ENOMEM, "-");
            if ((rc = register_id(c, doc, node)) && strict)
                return rc;
            if (h && h[1] && (rc = register_id(c, buf, node)) && strict)
                return rc;
            *base = doc;
        }
    }
    static const char *const anchors[] = {"$anchor", "$dynamicAnchor"};
    for (size_t k = 0; k < 2; k++) {
        json_t *a = json_object_get(node, anchors[k]);
        if (!a)
            continue;
        if (!json_is_string(a)) {
            if (strict)
                return kw_err(c, anchors[k], "%s", "expected a string");
            continue;
        }
        const char *h = strchr(*base, '#');
        int bl = h ? (int)(h - *base) : (int)strlen(*base);
        if (snprintf(buf, sizeof(buf), "%.*s#%s", bl, *base, json_string_value(a)) >=
            (int)sizeof(buf)) {
            if (strict)
                return kw_err(c, anchors[k], "%s", "URI too long");
            continue;
        }
        if ((rc = register_id(c, buf, node)) && strict)
            return rc;
    }
    return 0;
}

/* Keywords whose values are subschemas. */
static const char *const kw_single[] = {"additionalProperties", "additionalItems", "contains",
                                        "propertyNames", "not", "if", "then", "else",
                                        "unevaluatedProperties", "unevaluatedItems"};
static const char *const kw_maps[] = {"patternProperties", "properties", "definitions", "$defs",
                                      "dependentSchemas", "dependencies"};
static const char *const kw_arrays[] = {"allOf", "anyOf", "oneOf", "prefixItems", "items"};
#define NKW(a) (sizeof(a) / sizeof((a)[0]))

/* Registers the identifiers of a document without compiling it: how names
 * declared in resources no $ref has reached yet become known. */
static int scan_ids(cctx *c, json_t *node, const char *base, int depth)
{
    if (!json_is_object(node) || depth > MAX_DEPTH || dp_js__slot_get(c->s, node))
        return 0;
    int rc = node_ids(c, node, &base, 0);
    for (size_t k = 0; !rc && k < NKW(kw_single); k++)
        rc = scan_ids(c, json_object_get(node, kw_single[k]), base, depth + 1);
    for (size_t k = 0; !rc && k < NKW(kw_maps); k++) {
        const char *key;
        json_t *sub;
        json_object_foreach(json_object_get(node, kw_maps[k]), key, sub)
        if (!rc)
            rc = scan_ids(c, sub, base, depth + 1);
    }
    for (size_t k = 0; !rc && k < NKW(kw_arrays); k++) {
        json_t *v = json_object_get(node, kw_arrays[k]);
        if (json_is_object(v))
            rc = scan_ids(c, v, base, depth + 1);
        for (size_t i = 0; !rc && i < json_array_size(v); i++)
            rc = scan_ids(c, json_array_get(v, i), base, depth + 1);
    }
    return rc;
}

/* Registers identifiers, checks keywords, compiles patterns and walks the
 * subschemas of one schema node; $ref targets are resolved afterwards. */
static int walk(cctx *c, json_t *node, const char *base, int depth)
{
    dp_jsonschema *s = c->s;
    char buf[MAX_URI];
    int rc;
    if (json_is_boolean(node))
        return 0;
    if (!json_is_object(node))
        return cerr(c, DP_EINVALID, "expected a schema (object or boolean), got %s",
                    dp_js__type_name(node));
    if (depth > MAX_DEPTH)
        return cerr(c, DP_ELIMIT, "schema nested deeper than %d levels", MAX_DEPTH);
    if (dp_js__slot_get(s, node))
        return 0;
    snode *sn = dp_arena_calloc(s->arena, 1, sizeof(*sn));
    if (!sn || !(sn->where = dp_arena_strdup(s->arena, c->where.len ? c->where.s : "#")))
        return cerr(c, DP_ENOMEM, "-");
    sn->schema = node;
    if (slot_put(s, sn))
        return cerr(c, DP_ENOMEM, "-");

    json_t *ref = json_object_get(node, "$ref");
    if ((rc = node_ids(c, node, &base, 1)))
        return rc;
    if (!(sn->base = dp_arena_strdup(s->arena, base)))
        return cerr(c, DP_ENOMEM, "-");
    if (ref) {
        if (!json_is_string(ref))
            return kw_err(c, "$ref", "%s", "expected a string");
        if (dp_js__uri_resolve(base, json_string_value(ref), buf, sizeof(buf)))
            return kw_err(c, "$ref", "%s", "URI too long");
        if (!(sn->ref_uri = dp_arena_strdup(s->arena, buf)) ||
            dp_js__ptr_push(s->arena, &c->refs, &c->nrefs, &c->caprefs, sn))
            return cerr(c, DP_ENOMEM, "-");
    }
    if (json_object_get(node, "$recursiveRef") || json_object_get(node, "$dynamicRef"))
        return cerr(c, DP_EINVALID, "%s", "$recursiveRef/$dynamicRef are not supported");
    sn->uneval = json_object_get(node, "unevaluatedProperties") != NULL ||
                 json_object_get(node, "unevaluatedItems") != NULL;
    sn->kw = dp_js__kw_groups(node);
    if ((rc = check_keywords(c, node)))
        return rc;

    json_t *v = json_object_get(node, "pattern");
    if (v) {
        if (!json_is_string(v))
            return kw_err(c, "pattern", "%s", "expected a string");
        if ((rc = add_pattern(c, "pattern", NULL, json_string_value(v), json_string_length(v),
                              &sn->pattern)))
            return rc;
    }
    if ((v = json_object_get(node, "patternProperties"))) {
        if (!json_is_object(v))
            return kw_err(c, "patternProperties", "%s", "expected an object");
        sn->pp = dp_arena_calloc(s->arena, json_object_size(v) ? json_object_size(v) : 1,
                                 sizeof(*sn->pp));
        if (!sn->pp)
            return cerr(c, DP_ENOMEM, "-");
        const char *key;
        json_t *sub;
        json_object_foreach(v, key, sub)
        {
            ppat *pp = &sn->pp[sn->npp];
            pp->key = key;
            pp->schema = sub;
            if ((rc = add_pattern(c, "patternProperties", key, key, strlen(key), &pp->re)) ||
                (rc = walk_kw(c, sub, "patternProperties", key, base, depth)))
                return rc;
            sn->npp++;
        }
    }

    for (size_t k = 0; k < NKW(kw_single); k++)
        if ((v = json_object_get(node, kw_single[k])) &&
            (rc = walk_kw(c, v, kw_single[k], NULL, base, depth)))
            return rc;
    for (size_t k = 1; k < NKW(kw_maps); k++) { /* patternProperties: above */
        if (!(v = json_object_get(node, kw_maps[k])))
            continue;
        if (!json_is_object(v))
            return kw_err(c, kw_maps[k], "%s", "expected an object");
        const char *key;
        json_t *sub;
        json_object_foreach(v, key, sub)
        {
            if (!strcmp(kw_maps[k], "dependencies") && json_is_array(sub)) /* property names */
                continue;
            if ((rc = walk_kw(c, sub, kw_maps[k], key, base, depth)))
                return rc;
        }
    }
    for (size_t k = 0; k < NKW(kw_arrays); k++) {
        if (!(v = json_object_get(node, kw_arrays[k])))
            continue;
        if (k == 4 && !json_is_array(v)) { /* items: one schema */
            if ((rc = walk_kw(c, v, "items", NULL, base, depth)))
                return rc;
            continue;
        }
        if (!json_is_array(v) || (k < 3 && json_array_size(v) == 0))
            return kw_err(c, kw_arrays[k], "%s", "expected a non-empty array of schemas");
        for (size_t i = 0; i < json_array_size(v); i++) {
            char idx[32];
            snprintf(idx, sizeof(idx), "%zu", i);
            if ((rc = walk_kw(c, json_array_get(v, i), kw_arrays[k], idx, base, depth)))
                return rc;
        }
    }
    return 0;
}

/* Finds the node an absolute URI names; *tbase gets its base URI. */
static int lookup_uri(cctx *c, const char *uri, json_t **target, char *tbase, size_t cap)
{
    dp_jsonschema *s = c->s;
    char doc[MAX_URI];
    const char *h = strchr(uri, '#');
    size_t dn = h ? (size_t)(h - uri) : strlen(uri);
    if (dn >= sizeof(doc))
        return -1;
    memcpy(doc, uri, dn);
    doc[dn] = 0;
    json_t *cur = json_object_get(s->ids, doc);
    if (!cur)
        return -1;
    snprintf(tbase, cap, "%s", doc);
    if (!h || !h[1]) {
        *target = cur;
        return 0;
    }
    if (h[1] != '/') { /* a plain name: $anchor or draft-07 "$id": "#name" */
        json_t *t = json_object_get(s->ids, uri);
        if (!t)
            return -1;
        const snode *sn = dp_js__slot_get(s, t);
        snprintf(tbase, cap, "%s", sn ? sn->base : doc);
        *target = t;
        return 0;
    }
    char frag[MAX_URI];
    snprintf(frag, sizeof(frag), "%s", h + 1);
    dp_js__pct_decode(frag);
    for (char *p = frag; *p == '/';) {
        char *tok = p + 1, *end = strchr(tok, '/');
        p = end ? end : tok + strlen(tok);
        char save = *p;
        *p = 0;
        char *o = tok; /* unescape ~1 and ~0 in place */
        for (char *q = tok; *q; q++) {
            if (q[0] == '~' && (q[1] == '0' || q[1] == '1'))
                *o++ = q[1] == '0' ? '~' : '/', q++;
            else
                *o++ = *q;
        }
        *o = 0;
        if (json_is_object(cur)) {
            cur = json_object_get(cur, tok);
        } else if (json_is_array(cur)) {
            char *e;
            if (!tok[0] || (tok[0] == '0' && tok[1]) || tok[0] < '0' || tok[0] > '9')
                return -1;
            unsigned long long i = strtoull(tok, &e, 10);
            if (*e || i >= json_array_size(cur))
                return -1;
            cur = json_array_get(cur, (size_t)i);
        } else {
            return -1;
        }
        *p = save;
        if (!cur)
            return -1;
        json_t *id = json_is_object(cur) ? json_object_get(cur, "$id") : NULL;
        if (json_is_string(id) && json_string_value(id)[0] != '#' &&
            !(json_object_get(cur, "$ref") && !s->modern)) {
            char nb[MAX_URI];
            if (dp_js__uri_resolve(tbase, json_string_value(id), nb, sizeof(nb)))
                return -1;
            char *fh = strchr(nb, '#');
            if (fh)
                *fh = 0;
            snprintf(tbase, cap, "%s", nb);
        }
    }
    *target = cur;
    return 0;
}

/* Registers the identifiers inside every resource not compiled yet. */
static int scan_resources(cctx *c)
{
    const char *key;
    json_t *doc;
    c->resources_scanned = 1;
    json_object_foreach(c->s->resources, key, doc)
    {
        char *uri = strip_frag(c->s->arena, key);
        int rc = uri ? scan_ids(c, doc, uri, 0) : cerr(c, DP_ENOMEM, "-");
        if (rc)
            return rc;
    }
    return 0;
}

static int resolve_refs(cctx *c)
{
    char tbase[MAX_URI];
    for (;;) {
        int progress = 1, missing = 0;
        while (progress) {
            progress = missing = 0;
            for (size_t i = 0; i < c->nrefs; i++) { /* walks below may append refs */
                snode *sn = c->refs[i];
                json_t *t;
                if (sn->ref)
                    continue;
                if (lookup_uri(c, sn->ref_uri, &t, tbase, sizeof(tbase))) {
                    missing = 1;
                    continue;
                }
                if (!dp_js__slot_get(c->s, t) && !json_is_boolean(t)) {
                    snprintf(c->where.s, sizeof(c->where.s), "%s", sn->ref_uri);
                    c->where.len = strlen(c->where.s);
                    int rc = walk(c, t, tbase, 0);
                    if (rc)
                        return rc;
                }
                sn->ref = t;
                progress = 1;
            }
        }
        if (!missing)
            return 0;
        if (c->resources_scanned || json_object_size(c->s->resources) == 0)
            break;
        int rc = scan_resources(c); /* a name may be declared inside one */
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < c->nrefs; i++) {
        const snode *sn = c->refs[i];
        if (sn->ref)
            continue;
        snprintf(c->where.s, sizeof(c->where.s), "%s/$ref", sn->where);
        c->where.len = strlen(c->where.s);
        return cerr(c, DP_EINVALID, "cannot resolve $ref '%.300s'%s", sn->ref_uri,
                    strncmp(sn->ref_uri, "http", 4) ? "" : " (other documents are not fetched)");
    }
    return 0;
}

static locale_t utf8_locale(void)
{
    static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        locale_t l = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (l)
            return l;
    }
    return (locale_t)0;
}

int dp_jsonschema__new_with(dp_jsonschema **out, json_t *schema, json_t *resources, dp_error *err)
{
    dp_jsonschema *s = NULL;
    cctx c;
    int rc;
    assert(out && schema);
    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.err = err;
    if (!json_is_object(schema) && !json_is_boolean(schema))
        return dp_error_set(err, DP_EINVALID, "invalid schema: expected an object or a boolean");
    if (resources && !json_is_object(resources))
        return dp_error_set(err, DP_EINVALID, "schema resources: expected an object");
    if (!(s = calloc(1, sizeof(*s))) || !(s->arena = dp_arena_new(0)) ||
        !(s->ids = json_object())) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory compiling a JSON schema");
        goto done;
    }
    c.s = s;
    s->root = json_incref(schema);
    s->resources = json_incref(resources);
    s->loc = utf8_locale();
    s->cloc = s->loc ? newlocale(LC_CTYPE_MASK, "C", (locale_t)0) : (locale_t)0;
    const json_t *ver = json_is_object(schema) ? json_object_get(schema, "$schema") : NULL;
    if (json_is_string(ver))
        s->modern = strstr(json_string_value(ver), "2020-12") ? 2
                    : strstr(json_string_value(ver), "2019-09") ? 1
                                                                : 0;

    /* resources are compiled when a $ref reaches them */
    const char *key;
    json_t *doc;
    json_object_foreach(resources, key, doc)
    {
        char *uri = strip_frag(s->arena, key);
        if (!uri) {
            rc = cerr(&c, DP_ENOMEM, "-");
            goto done;
        }
        if ((rc = register_id(&c, uri, doc)))
            goto done;
    }
    snprintf(c.where.s, sizeof(c.where.s), "#");
    c.where.len = 1;
    const json_t *rid = json_is_object(schema) ? json_object_get(schema, "$id") : NULL;
    if (!json_is_string(rid) && (rc = register_id(&c, "", schema)))
        goto done;
    if ((rc = walk(&c, schema, "", 0)) || (rc = resolve_refs(&c)))
        goto done;
    *out = s;
    s = NULL;
    rc = 0;
done:
    dp_jsonschema_free(s);
    return rc;
}

int dp_jsonschema_new(dp_jsonschema **out, json_t *schema, dp_error *err)
{
    return dp_jsonschema__new_with(out, schema, NULL, err);
}

void dp_jsonschema_free(dp_jsonschema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nrx; i++) {
        rx *r = s->rxs[i];
        if (r->body_ok)
            regfree(&r->body);
        if (r->body_c_ok)
            regfree(&r->body_c);
        for (size_t k = 0; k < r->nlook_ok; k++)
            regfree(&r->look[k]);
    }
    if (s->loc)
        freelocale(s->loc);
    if (s->cloc)
        freelocale(s->cloc);
    free(s->slots);
    json_decref(s->ids);
    json_decref(s->root);
    json_decref(s->resources);
    dp_arena_free(s->arena);
    free(s);
}

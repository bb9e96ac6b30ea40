/* JSON Schema validation of jansson values against a compiled schema
 * (dp_jsonschema_validate). Compiling is in jsonschema_compile.c, patterns
 * in jsonschema_regex.c, URIs in jsonschema_uri.c. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"
#include "doc/jsonschema_int.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/error.h"

#define EQ_MAX_DEPTH 1024          /* nesting of values compared by const/enum/uniqueItems */
#define PROBE_MSG 512              /* bytes kept of a branch's first failure */
#define VAL_SHOWN 120              /* bytes of a value quoted in a message */

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

/* Cuts a trailing incomplete UTF-8 sequence left by truncation. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), i = n, cont = 0;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && cont < 3) {
        i--;
        cont++;
    }
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead >= 0x80 && cont < need)
        s[i - 1] = 0;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

size_t dp_js__jptr_push(jptr *p, const char *seg)
{
    size_t save = p->len, n = strlen(seg);
    if (p->len + 1 + 4 >= PTR_CAP)
        return save;
    p->s[p->len++] = '/';
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)seg[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (k > n - i)
            k = n - i;
        size_t need = (c == '~' || c == '/') ? 2 : k;
        if (p->len + need + 4 >= PTR_CAP) {
            memcpy(p->s + p->len, "...", 3);
            p->len += 3;
            break;
        }
        if (c == '~' || c == '/') {
            p->s[p->len++] = '~';
            p->s[p->len++] = c == '~' ? '0' : '1';
        } else {
            memcpy(p->s + p->len, seg + i, k);
            p->len += k;
        }
        i += k;
    }
    p->s[p->len] = 0;
    return save;
}

static size_t jptr_push_index(jptr *p, size_t i)
{
    char b[32];
    snprintf(b, sizeof(b), "%zu", i);
    return dp_js__jptr_push(p, b);
}

void dp_js__jptr_pop(jptr *p, size_t save)
{
    p->len = save;
    p->s[save] = 0;
}

/* A non-negative integer keyword value (integer, or real with no fraction). */
static long long count_value(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v);
    double d = json_real_value(v);
    return d >= 9.2e18 ? LLONG_MAX : (long long)d;
}

int dp_js__is_integral(double d)
{
    if (!isfinite(d))
        return 0;
    if (d >= 9.2e18 || d <= -9.2e18)
        return 1;
    return d == (double)(long long)d;
}

const char *dp_js__type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static int type_is(const json_t *v, const char *t)
{
    switch (t[0]) {
    case 'n':
        return t[1] == 'u' && t[2] == 'l' ? json_is_null(v) : json_is_number(v);
    case 'b': return json_is_boolean(v);
    case 'o': return json_is_object(v);
    case 'a': return json_is_array(v);
    case 's': return json_is_string(v);
    case 'i':
        return json_is_integer(v) || (json_is_real(v) && dp_js__is_integral(json_real_value(v)));
    default: return 0;
    }
}

static const char *num_str(char *buf, size_t n, const json_t *v)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(buf, n, "%.15g", json_number_value(v));
    return buf;
}

/* The value as compact JSON, cut to VAL_SHOWN bytes, for messages. */
static const char *val_str(char *buf, size_t n, const json_t *v)
{
    char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, n, "(value)");
    if (!d)
        return buf;
    size_t len = strlen(d), keep = n - 4 < VAL_SHOWN ? n - 4 : VAL_SHOWN;
    if (len <= keep) {
        memcpy(buf, d, len + 1);
    } else {
        memcpy(buf, d, keep);
        buf[keep] = 0;
        utf8_trim(buf);
        memcpy(buf + strlen(buf), "...", 4);
    }
    free(d);
    return buf;
}

/* -1, 0 or 1; integers compare exactly, anything else as doubles. */
static int num_cmp(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return x < y ? -1 : x > y;
    }
    double x = json_number_value(a), y = json_number_value(b);
    return x < y ? -1 : x > y;
}

static int is_multiple(const json_t *v, const json_t *m)
{
    if (json_is_integer(v) && json_is_integer(m))
        return json_integer_value(v) % json_integer_value(m) == 0; /* m > 0: compile checks */
    double x = json_number_value(v), d = json_number_value(m);
    double q = x / d;
    if (!isfinite(q)) /* huge quotient: fmod is exact */
        return fmod(x, d) == 0;
    if (dp_js__is_integral(q))
        return 1;
    double r = q - (double)(long long)(q + (q >= 0 ? 0.5 : -0.5));
    double tol = fabs(q) * 1e-14 > 1e-9 ? fabs(q) * 1e-14 : 1e-9;
    return fabs(r) <= tol;
}

/* Deep equality where 1 == 1.0. Sets *lim when nesting exceeds EQ_MAX_DEPTH. */
static int json_same(const json_t *a, const json_t *b, int depth, int *lim)
{
    if (depth > EQ_MAX_DEPTH) {
        *lim = 1;
        return 0;
    }
    if (json_is_number(a) && json_is_number(b))
        return num_cmp(a, b) == 0;
    if (json_typeof(a) != json_typeof(b))
        return 0;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
    case JSON_ARRAY: {
        size_t n = json_array_size(a);
        if (n != json_array_size(b))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!json_same(json_array_get(a, i), json_array_get(b, i), depth + 1, lim))
                return 0;
        return 1;
    }
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        const char *k;
        json_t *va;
        json_object_foreach((json_t *)a, k, va)
        {
            json_t *vb = json_object_get(b, k);
            if (!vb || !json_same(va, vb, depth + 1, lim))
                return 0;
        }
        return 1;
    }
    default:
        return 1;
    }
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

static uint64_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* A hash consistent with json_same (numbers hash by their double value). */
static uint64_t json_hash(const json_t *v, int depth, int *lim)
{
    if (depth > EQ_MAX_DEPTH) {
        *lim = 1;
        return 0;
    }
    switch (json_typeof(v)) {
    case JSON_INTEGER:
    case JSON_REAL: {
        double d = json_number_value(v);
        uint64_t bits;
        if (d == 0)
            d = 0; /* -0.0 */
        memcpy(&bits, &d, sizeof(bits));
        return mix(1, bits);
    }
    case JSON_STRING:
        return mix(2, bytes_hash(json_string_value(v), json_string_length(v)));
    case JSON_ARRAY: {
        uint64_t h = 3;
        for (size_t i = 0; i < json_array_size(v); i++)
            h = mix(h, json_hash(json_array_get(v, i), depth + 1, lim));
        return h;
    }
    case JSON_OBJECT: {
        uint64_t h = 0;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        h += mix(bytes_hash(k, strlen(k)), json_hash(x, depth + 1, lim));
        return mix(4, h);
    }
    case JSON_TRUE: return 5;
    case JSON_FALSE: return 6;
    default: return 7;
    }
}

/* ------------------------------------------------------------------------ */
/* Validation                                                               */

/* Where failures go: the caller's list, or (probing a branch of anyOf,
 * oneOf, not, if, contains, propertyNames) only the first message. */
typedef struct sink {
    json_t *arr;
    size_t max;
    size_t count;
    int probe;
    char *first;
    size_t firstsz;
    size_t first_plen; /* pointer length of the first failure */
    size_t first_text; /* offset of its text after "<pointer>: " */
} sink;

/* Which properties and items the schemas applied so far evaluated
 * (for unevaluatedProperties/unevaluatedItems). */
typedef struct ann {
    unsigned char *seen; /* bit per instance property, in iteration order */
    size_t nkeys;
    int all_props;
    size_t items; /* leading items evaluated */
    int all_items;
    unsigned char *iseen; /* 2020-12: bit per item "contains" matched */
    size_t nitems;
} ann;

typedef struct vctx {
    const dp_jsonschema *s;
    dp_arena *arena; /* per validation, created on first use */
    sink *sink;
    jptr ptr; /* instance location */
    int depth;
    char fatal[sizeof(((dp_error *)0)->message)];
} vctx;

static int fatal(vctx *c, int code, const char *what)
{
    if (!c->fatal[0])
        snprintf(c->fatal, sizeof(c->fatal), "%s: %s", c->ptr.len ? c->ptr.s : "(root)", what);
    return code;
}

static int more(const vctx *c)
{
    const sink *k = c->sink;
    return !k->probe && k->arr && json_array_size(k->arr) < k->max;
}

/* Records a failure at the current instance location. Returns 0, or a
 * negative code when the message could not be stored. */
static int fail(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(vctx *c, const char *fmt, ...)
{
    char msg[sizeof(((dp_error *)0)->message)];
    sink *k = c->sink;
    int n = snprintf(msg, sizeof(msg), "%s: ", c->ptr.len ? c->ptr.s : "(root)");
    if (n < 0 || (size_t)n >= sizeof(msg))
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    va_end(ap);
    utf8_trim(msg);
    for (char *q = msg; *q; q++) /* one line, even with odd keys */
        if ((unsigned char)*q < 0x20)
            *q = ' ';
    if (k->count++ == 0) {
        snprintf(k->first, k->firstsz, "%s", msg);
        utf8_trim(k->first);
        k->first_plen = c->ptr.len;
        k->first_text = (size_t)n < strlen(k->first) ? (size_t)n : strlen(k->first);
    }
    if (k->arr && !k->probe && json_array_size(k->arr) < k->max &&
        json_array_append_new(k->arr, json_string(msg)))
        return fatal(c, DP_ENOMEM, "out of memory");
    return 0;
}

static dp_arena *varena(vctx *c)
{
    if (!c->arena)
        c->arena = dp_arena_new(4096);
    return c->arena;
}

static void ann_init(ann *a, const json_t *inst)
{
    memset(a, 0, sizeof(*a));
    a->nkeys = json_is_object(inst) ? json_object_size(inst) : 0;
    a->nitems = json_is_array(inst) ? json_array_size(inst) : 0;
}

/* Like the validators, these return 1 when all is well (for STEP). */
static int ann_mark(vctx *c, ann *a, size_t i)
{
    if (!a || a->all_props || i >= a->nkeys)
        return 1;
    if (!a->seen && !(a->seen = dp_arena_calloc(varena(c), (a->nkeys + 7) / 8, 1)))
        return fatal(c, DP_ENOMEM, "out of memory");
    a->seen[i / 8] |= (unsigned char)(1u << (i % 8));
    return 1;
}

static int ann_mark_item(vctx *c, ann *a, size_t i)
{
    if (!a || a->all_items || i >= a->nitems)
        return 1;
    if (!a->iseen && !(a->iseen = dp_arena_calloc(varena(c), (a->nitems + 7) / 8, 1)))
        return fatal(c, DP_ENOMEM, "out of memory");
    a->iseen[i / 8] |= (unsigned char)(1u << (i % 8));
    return 1;
}

static int ann_has_item(const ann *a, size_t i)
{
    return a->all_items || i < a->items ||
           (a->iseen && i < a->nitems && (a->iseen[i / 8] >> (i % 8)) & 1);
}

static int ann_has(const ann *a, size_t i)
{
    return a->all_props || (a->seen && i < a->nkeys && (a->seen[i / 8] >> (i % 8)) & 1);
}

static int ann_merge(vctx *c, ann *dst, const ann *src)
{
    if (!dst)
        return 1;
    dst->all_props |= src->all_props;
    dst->all_items |= src->all_items;
    if (src->items > dst->items)
        dst->items = src->items;
    if (src->seen && !dst->all_props) {
        if (!dst->seen && !(dst->seen = dp_arena_calloc(varena(c), (dst->nkeys + 7) / 8, 1)))
            return fatal(c, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < (dst->nkeys + 7) / 8; i++)
            dst->seen[i] |= src->seen[i];
    }
    if (src->iseen && !dst->all_items) {
        if (!dst->iseen && !(dst->iseen = dp_arena_calloc(varena(c), (dst->nitems + 7) / 8, 1)))
            return fatal(c, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < (dst->nitems + 7) / 8; i++)
            dst->iseen[i] |= src->iseen[i];
    }
    return 1;
}

static int v_schema(vctx *c, const json_t *sch, const json_t *inst, ann *out);

typedef struct hidx {
    uint64_t h;
    size_t i;
} hidx;

static int hidx_cmp(const void *x, const void *y)
{
    const hidx *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Evaluates one keyword's result: r < 0 stops everything, 0 marks the
 * schema invalid and stops unless more messages are wanted. */
#define STEP(expr)                          \
    do {                                    \
        int r_ = (expr);                    \
        if (r_ < 0) {                       \
            valid = r_;                     \
            goto done;                      \
        }                                   \
        if (!r_) {                          \
            valid = 0;                      \
            if (!more(c))                   \
                goto done;                  \
        }                                   \
    } while (0)

/* Records a failure: the schema is invalid. */
#define FAIL(...)                           \
    do {                                    \
        int f_ = fail(c, __VA_ARGS__);      \
        STEP(f_ < 0 ? f_ : 0);              \
    } while (0)

static int v_key(vctx *c, const json_t *sch, const json_t *inst, const char *key)
{
    size_t save = dp_js__jptr_push(&c->ptr, key);
    int r = v_schema(c, sch, inst, NULL);
    dp_js__jptr_pop(&c->ptr, save);
    return r;
}

static int v_index(vctx *c, const json_t *sch, const json_t *inst, size_t i)
{
    size_t save = jptr_push_index(&c->ptr, i);
    int r = v_schema(c, sch, inst, NULL);
    dp_js__jptr_pop(&c->ptr, save);
    return r;
}

/* Validates without reporting; k receives the first failure. */
static int v_probe(vctx *c, sink *k, char *buf, size_t bufsz, const json_t *sch,
                   const json_t *inst, ann *a)
{
    memset(k, 0, sizeof(*k));
    k->probe = 1;
    k->first = buf;
    k->firstsz = bufsz;
    buf[0] = 0;
    sink *saved = c->sink;
    c->sink = k;
    int r = v_schema(c, sch, inst, a);
    c->sink = saved;
    return r;
}

static int v_generic(vctx *c, const json_t *sch, const json_t *inst)
{
    int valid = 1, lim = 0;
    char vb[VAL_SHOWN + 8];
    const json_t *t = json_object_get(sch, "type");
    if (json_is_string(t) && !type_is(inst, json_string_value(t))) {
        FAIL("expected %s, got %s", json_string_value(t), dp_js__type_name(inst));
    } else if (json_is_array(t)) {
        size_t n = json_array_size(t), i;
        for (i = 0; i < n; i++)
            if (type_is(inst, json_string_value(json_array_get(t, i))))
                break;
        if (i == n) {
            char names[200] = "";
            size_t len = 0;
            for (i = 0; i < n && len < sizeof(names); i++)
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                        i == 0 ? "" : i + 1 == n ? " or " : ", ",
                                        json_string_value(json_array_get(t, i)));
            FAIL("expected %s, got %s", names, dp_js__type_name(inst));
        }
    }
    const json_t *e = json_object_get(sch, "enum");
    if (json_is_array(e)) {
        size_t n = json_array_size(e), i;
        for (i = 0; i < n && !json_same(inst, json_array_get(e, i), 0, &lim); i++)
            ;
        if (lim)
            return fatal(c, DP_ELIMIT, "value nested too deeply to compare");
        if (i == n)
            FAIL("must be one of %s (enum)", val_str(vb, sizeof(vb), e));
    }
    if ((e = json_object_get(sch, "const"))) {
        int same = json_same(inst, e, 0, &lim);
        if (lim)
            return fatal(c, DP_ELIMIT, "value nested too deeply to compare");
        if (!same)
            FAIL("must equal %s (const)", val_str(vb, sizeof(vb), e));
    }
done:
    return valid;
}

static int v_number(vctx *c, const json_t *sch, const json_t *inst)
{
    int valid = 1;
    char a[64], b[64];
    const json_t *min = json_object_get(sch, "minimum"), *max = json_object_get(sch, "maximum");
    const json_t *emin = json_object_get(sch, "exclusiveMinimum");
    const json_t *emax = json_object_get(sch, "exclusiveMaximum");
    if (min) {
        int cmp = num_cmp(inst, min);
        if (json_is_true(emin) && cmp <= 0) /* draft-04 boolean form */
            FAIL("%s must be greater than %s (exclusiveMinimum)", num_str(a, 64, inst),
                 num_str(b, 64, min));
        else if (cmp < 0)
            FAIL("%s is less than minimum %s", num_str(a, 64, inst), num_str(b, 64, min));
    }
    if (max) {
        int cmp = num_cmp(inst, max);
        if (json_is_true(emax) && cmp >= 0)
            FAIL("%s must be less than %s (exclusiveMaximum)", num_str(a, 64, inst),
                 num_str(b, 64, max));
        else if (cmp > 0)
            FAIL("%s is greater than maximum %s", num_str(a, 64, inst), num_str(b, 64, max));
    }
    if (json_is_number(emin) && num_cmp(inst, emin) <= 0)
        FAIL("%s must be greater than %s (exclusiveMinimum)", num_str(a, 64, inst),
             num_str(b, 64, emin));
    if (json_is_number(emax) && num_cmp(inst, emax) >= 0)
        FAIL("%s must be less than %s (exclusiveMaximum)", num_str(a, 64, inst),
             num_str(b, 64, emax));
    const json_t *m = json_object_get(sch, "multipleOf");
    if (m && !is_multiple(inst, m))
        FAIL("%s is not a multiple of %s", num_str(a, 64, inst), num_str(b, 64, m));
done:
    return valid;
}

static int v_string(vctx *c, const snode *sn, const json_t *inst)
{
    int valid = 1;
    const json_t *sch = sn->schema;
    const char *str = json_string_value(inst);
    size_t n = json_string_length(inst);
    const json_t *minl = json_object_get(sch, "minLength"), *maxl = json_object_get(sch, "maxLength");
    if (minl || maxl) {
        size_t len = utf8_count(str, n);
        if (minl && (long long)len < count_value(minl))
            FAIL("string has %zu characters, fewer than minLength %lld", len, count_value(minl));
        if (maxl && (long long)len > count_value(maxl))
            FAIL("string has %zu characters, more than maxLength %lld", len, count_value(maxl));
    }
    if (sn->pattern) {
        int r = dp_js__rx_match(c->s, sn->pattern, str, n);
        if (r < 0)
            return fatal(c, r, "pattern evaluation failed or exceeded its step limit");
        if (!r)
            FAIL("does not match pattern '%.200s'",
                 json_string_value(json_object_get(sch, "pattern")));
    }
    const char *format = json_string_value(json_object_get(sch, "format"));
    if (c->s->formats && format && dp_js__format_check(format, str, n) == 0)
        FAIL("'%.80s' is not a valid %s", str, format);
done:
    return valid;
}

static int v_array(vctx *c, const json_t *sch, const json_t *inst, ann *a)
{
    int valid = 1;
    size_t n = json_array_size(inst);
    const json_t *items = json_object_get(sch, "items");
    const json_t *prefix = json_object_get(sch, "prefixItems");
    size_t done_upto = 0; /* items the positional keywords covered */
    const json_t *tuple = json_is_array(items) ? items : json_is_array(prefix) ? prefix : NULL;
    if (tuple) {
        size_t k = json_array_size(tuple) < n ? json_array_size(tuple) : n;
        for (size_t i = 0; i < k; i++)
            STEP(v_index(c, json_array_get(tuple, i), json_array_get(inst, i), i));
        done_upto = json_array_size(tuple);
        if (a && k > a->items)
            a->items = k;
    }
    /* the rest: additionalItems after an items array, items after prefixItems */
    const json_t *rest = json_is_array(items) ? json_object_get(sch, "additionalItems")
                         : items              ? items
                                              : NULL;
    if (rest && n > done_upto) {
        for (size_t i = done_upto; i < n; i++) {
            if (json_is_false(rest)) {
                size_t save = jptr_push_index(&c->ptr, i);
                int f = fail(c, "item not allowed (%s)",
                             json_is_array(items) ? "additionalItems" : "items");
                dp_js__jptr_pop(&c->ptr, save);
                STEP(f < 0 ? f : 0);
                break;
            }
            STEP(v_index(c, rest, json_array_get(inst, i), i));
        }
        if (a)
            a->all_items = 1;
    }
    const json_t *contains = json_object_get(sch, "contains");
    if (contains) {
        const json_t *minc = json_object_get(sch, "minContains");
        const json_t *maxc = json_object_get(sch, "maxContains");
        long long lo = minc ? count_value(minc) : 1;
        size_t hits = 0;
        int mark = a && c->s->modern == 2; /* 2020-12: matches count as evaluated */
        char buf[PROBE_MSG];
        sink k;
        for (size_t i = 0; i < n; i++) {
            size_t save = jptr_push_index(&c->ptr, i);
            int r = v_probe(c, &k, buf, sizeof(buf), contains, json_array_get(inst, i), NULL);
            dp_js__jptr_pop(&c->ptr, save);
            if (r < 0)
                return r;
            hits += (size_t)r;
            if (r && mark)
                STEP(ann_mark_item(c, a, i));
            if (!maxc && !mark && (long long)hits >= lo)
                break;
        }
        if ((long long)hits < lo) {
            if (!minc)
                FAIL("no item matches 'contains'");
            else
                FAIL("%zu items match 'contains', fewer than minContains %lld", hits, lo);
        }
        if (maxc && (long long)hits > count_value(maxc))
            FAIL("%zu items match 'contains', more than maxContains %lld", hits,
                 count_value(maxc));
    }
    const json_t *v;
    if ((v = json_object_get(sch, "minItems")) && (long long)n < count_value(v))
        FAIL("array has %zu items, fewer than minItems %lld", n, count_value(v));
    if ((v = json_object_get(sch, "maxItems")) && (long long)n > count_value(v))
        FAIL("array has %zu items, more than maxItems %lld", n, count_value(v));
    if (json_is_true(json_object_get(sch, "uniqueItems")) && n > 1) {
        int lim = 0;
        size_t dup_i = 0, dup_j = 0, found = 0;
        if (n <= 16) {
            for (size_t i = 0; i < n && !found; i++)
                for (size_t j = i + 1; j < n && !found; j++)
                    if (json_same(json_array_get(inst, i), json_array_get(inst, j), 0, &lim))
                        dup_i = i, dup_j = j, found = 1;
        } else {
            hidx *hs = dp_arena_calloc(varena(c), n, sizeof(*hs));
            if (!hs)
                return fatal(c, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < n; i++)
                hs[i].h = json_hash(json_array_get(inst, i), 0, &lim), hs[i].i = i;
            qsort(hs, n, sizeof(*hs), hidx_cmp); /* equal values end up adjacent */
            for (size_t i = 0; i < n && !found && !lim; i++)
                for (size_t j = i + 1; j < n && hs[j].h == hs[i].h && !found; j++)
                    if (json_same(json_array_get(inst, hs[i].i), json_array_get(inst, hs[j].i), 0,
                                  &lim))
                        dup_i = hs[i].i < hs[j].i ? hs[i].i : hs[j].i,
                        dup_j = hs[i].i < hs[j].i ? hs[j].i : hs[i].i, found = 1;
        }
        if (lim)
            return fatal(c, DP_ELIMIT, "value nested too deeply to compare");
        if (found)
            FAIL("items %zu and %zu are equal (uniqueItems)", dup_i, dup_j);
    }
done:
    return valid;
}

static int v_object(vctx *c, const snode *sn, const json_t *inst, ann *a)
{
    int valid = 1;
    const json_t *sch = sn->schema;
    const json_t *props = json_object_get(sch, "properties");
    const json_t *addl = json_object_get(sch, "additionalProperties");
    const char *key;
    json_t *val;
    size_t i = 0;
    if (json_is_object(props) || sn->npp || addl) {
        json_object_foreach((json_t *)inst, key, val)
        {
            int matched = 0;
            const json_t *ps = json_is_object(props) ? json_object_get(props, key) : NULL;
            if (ps) {
                matched = 1;
                STEP(ann_mark(c, a, i));
                STEP(v_key(c, ps, val, key));
            }
            for (size_t k = 0; k < sn->npp; k++) {
                int r = dp_js__rx_match(c->s, sn->pp[k].re, key, strlen(key));
                if (r < 0)
                    return fatal(c, r, "pattern evaluation failed or exceeded its step limit");
                if (r) {
                    matched = 1;
                    STEP(ann_mark(c, a, i));
                    STEP(v_key(c, sn->pp[k].schema, val, key));
                }
            }
            if (!matched && addl) {
                STEP(ann_mark(c, a, i));
                if (json_is_false(addl)) {
                    size_t save = dp_js__jptr_push(&c->ptr, key);
                    int f = fail(c, "property not allowed (additionalProperties)");
                    dp_js__jptr_pop(&c->ptr, save);
                    STEP(f < 0 ? f : 0);
                } else {
                    STEP(v_key(c, addl, val, key));
                }
            }
            i++;
        }
    }
    const json_t *req = json_object_get(sch, "required");
    for (size_t k = 0; k < json_array_size(req); k++) {
        const char *name = json_string_value(json_array_get(req, k));
        if (!json_object_get(inst, name))
            FAIL("missing required property '%.200s'", name);
    }
    const json_t *v;
    size_t n = json_object_size(inst);
    if ((v = json_object_get(sch, "minProperties")) && (long long)n < count_value(v))
        FAIL("object has %zu properties, fewer than minProperties %lld", n, count_value(v));
    if ((v = json_object_get(sch, "maxProperties")) && (long long)n > count_value(v))
        FAIL("object has %zu properties, more than maxProperties %lld", n, count_value(v));
    if ((v = json_object_get(sch, "propertyNames"))) {
        char buf[PROBE_MSG];
        sink k;
        json_object_foreach((json_t *)inst, key, val)
        {
            json_t *name = json_stringn_nocheck(key, strlen(key));
            if (!name)
                return fatal(c, DP_ENOMEM, "out of memory");
            int r = v_probe(c, &k, buf, sizeof(buf), v, name, NULL);
            json_decref(name);
            if (r < 0)
                return r;
            if (!r)
                FAIL("property name '%.200s' is invalid (propertyNames: %s)", key,
                     buf + k.first_text);
        }
    }
    static const char *const depkw[] = {"dependencies", "dependentRequired", "dependentSchemas"};
    for (size_t d = 0; d < 3; d++) {
        const json_t *deps = json_object_get(sch, depkw[d]), *dep;
        json_object_foreach((json_t *)deps, key, dep)
        {
            if (!json_object_get(inst, key))
                continue;
            if (!json_is_array(dep)) {
                STEP(v_schema(c, dep, inst, a));
                continue;
            }
            for (size_t k = 0; k < json_array_size(dep); k++) {
                const char *need = json_string_value(json_array_get(dep, k));
                if (!json_object_get(inst, need))
                    FAIL("property '%.200s' requires property '%.200s' (%s)", key, need,
                         depkw[d]);
            }
        }
    }
done:
    return valid;
}

/* "no alternative matched" with the failure of the branch that got
 * deepest into the instance, the likeliest intended one. */
static int fail_closest(vctx *c, const char *kw, const char *best, size_t best_plen,
                        size_t best_text)
{
    if (!best[0])
        return fail(c, "does not match any alternative of %s", kw);
    if (best_plen == c->ptr.len)
        return fail(c, "does not match any alternative of %s (closest: %s)", kw, best + best_text);
    return fail(c, "does not match any alternative of %s (closest: %s)", kw, best);
}

static int v_combine(vctx *c, const json_t *sch, const json_t *inst, ann *a)
{
    int valid = 1;
    char buf[PROBE_MSG], best[PROBE_MSG];
    size_t best_plen = 0, best_text = 0;
    sink k;
    ann b, keep;
    const json_t *v = json_object_get(sch, "allOf");
    for (size_t i = 0; i < json_array_size(v); i++)
        STEP(v_schema(c, json_array_get(v, i), inst, a));

    if ((v = json_object_get(sch, "anyOf"))) {
        int any = 0;
        best[0] = 0;
        for (size_t i = 0; i < json_array_size(v); i++) {
            ann_init(&b, inst);
            int r = v_probe(c, &k, buf, sizeof(buf), json_array_get(v, i), inst, a ? &b : NULL);
            if (r < 0)
                return r;
            if (r) {
                any = 1;
                STEP(ann_merge(c, a, &b));
                if (!a) /* annotations need every passing branch; validity does not */
                    break;
            } else if (!any && (!best[0] || k.first_plen > best_plen)) {
                memcpy(best, buf, sizeof(best));
                best_plen = k.first_plen;
                best_text = k.first_text;
            }
        }
        if (!any) {
            int f = fail_closest(c, "anyOf", best, best_plen, best_text);
            STEP(f < 0 ? f : 0);
        }
    }
    if ((v = json_object_get(sch, "oneOf"))) {
        size_t hits = 0, first = 0, second = 0;
        best[0] = 0;
        for (size_t i = 0; i < json_array_size(v) && hits < 2; i++) {
            ann_init(&b, inst);
            int r = v_probe(c, &k, buf, sizeof(buf), json_array_get(v, i), inst, a ? &b : NULL);
            if (r < 0)
                return r;
            if (r) {
                if (hits++ == 0)
                    first = i, keep = b;
                else
                    second = i;
            } else if (!best[0] || k.first_plen > best_plen) {
                memcpy(best, buf, sizeof(best));
                best_plen = k.first_plen;
                best_text = k.first_text;
            }
        }
        if (hits == 0) {
            int f = fail_closest(c, "oneOf", best, best_plen, best_text);
            STEP(f < 0 ? f : 0);
        } else if (hits > 1) {
            FAIL("matches alternatives %zu and %zu of oneOf; exactly one must match", first,
                 second);
        } else {
            STEP(ann_merge(c, a, &keep));
        }
    }
    if ((v = json_object_get(sch, "not"))) {
        int r = v_probe(c, &k, buf, sizeof(buf), v, inst, NULL);
        if (r < 0)
            return r;
        if (r)
            FAIL("must not match the schema in 'not'");
    }
    const json_t *then = json_object_get(sch, "then"), *els = json_object_get(sch, "else");
    if ((v = json_object_get(sch, "if")) && (then || els || a)) {
        ann_init(&b, inst);
        int r = v_probe(c, &k, buf, sizeof(buf), v, inst, a ? &b : NULL);
        if (r < 0)
            return r;
        if (r)
            STEP(ann_merge(c, a, &b));
        if (r && then)
            STEP(v_schema(c, then, inst, a));
        else if (!r && els)
            STEP(v_schema(c, els, inst, a));
    }
done:
    return valid;
}

static int v_uneval(vctx *c, const json_t *sch, const json_t *inst, ann *a)
{
    int valid = 1;
    const json_t *up = json_object_get(sch, "unevaluatedProperties");
    if (up && json_is_object(inst)) {
        const char *key;
        json_t *val;
        size_t i = 0;
        json_object_foreach((json_t *)inst, key, val)
        {
            if (!ann_has(a, i)) {
                if (json_is_false(up)) {
                    size_t save = dp_js__jptr_push(&c->ptr, key);
                    int f = fail(c, "property not allowed (unevaluatedProperties)");
                    dp_js__jptr_pop(&c->ptr, save);
                    STEP(f < 0 ? f : 0);
                } else {
                    STEP(v_key(c, up, val, key));
                }
            }
            i++;
        }
        a->all_props = 1;
    }
    const json_t *ui = json_object_get(sch, "unevaluatedItems");
    if (ui && json_is_array(inst)) {
        size_t n = json_array_size(inst);
        for (size_t i = a->all_items ? n : a->items; i < n; i++) {
            if (ann_has_item(a, i))
                continue;
            if (json_is_false(ui)) {
                size_t save = jptr_push_index(&c->ptr, i);
                int f = fail(c, "item not allowed (unevaluatedItems)");
                dp_js__jptr_pop(&c->ptr, save);
                STEP(f < 0 ? f : 0);
                break;
            }
            STEP(v_index(c, ui, json_array_get(inst, i), i));
        }
        a->all_items = 1;
    }
done:
    return valid;
}

/* 1 when inst is valid against sch, 0 when not, negative on a hard error.
 * out (optional) receives what sch evaluated, valid or not: callers give a
 * fresh one where the spec drops the annotations of a failed branch. */
static int v_schema(vctx *c, const json_t *sch, const json_t *inst, ann *out)
{
    if (json_is_true(sch))
        return 1;
    if (json_is_false(sch)) {
        int f = fail(c, "no value allowed here (schema false)");
        return f < 0 ? f : 0;
    }
    const snode *sn = dp_js__slot_get(c->s, sch);
    if (!sn)
        return fatal(c, DP_ERROR, "schema location was not compiled");
    if (c->depth >= MAX_DEPTH)
        return fatal(c, DP_ELIMIT, "schema evaluation deeper than DP_JSONSCHEMA_MAX_DEPTH "
                                   "(recursive $ref or deeply nested value)");
    c->depth++;
    int valid = 1;
    ann local, *a = NULL; /* this schema's own annotations, merged into out */
    if (out || sn->uneval) {
        ann_init(&local, inst);
        a = &local;
    }
    if (sn->ref) {
        STEP(v_schema(c, sn->ref, inst, a));
        if (!c->s->modern) /* draft-07: $ref replaces its siblings */
            goto done;
    }
    /* only the groups of keywords the schema has (most have a type and a
     * few more): each group is a handful of lookups in the schema object */
    if (sn->kw & JS_KW_GENERIC)
        STEP(v_generic(c, sch, inst));
    if (json_is_number(inst) && (sn->kw & JS_KW_NUMBER))
        STEP(v_number(c, sch, inst));
    else if (json_is_string(inst) && (sn->kw & JS_KW_STRING))
        STEP(v_string(c, sn, inst));
    else if (json_is_array(inst) && (sn->kw & JS_KW_ARRAY))
        STEP(v_array(c, sch, inst, a));
    else if (json_is_object(inst) && (sn->kw & JS_KW_OBJECT))
        STEP(v_object(c, sn, inst, a));
    if (sn->kw & JS_KW_COMBINE)
        STEP(v_combine(c, sch, inst, a));
    if (sn->uneval)
        STEP(v_uneval(c, sch, inst, a));
done:
    if (out && valid >= 0) {
        int m = ann_merge(c, out, a);
        if (m < 0)
            valid = m;
    }
    c->depth--;
    return valid;
}

int dp_jsonschema_validate(const dp_jsonschema *s, const json_t *instance, json_t *errors_out,
                           size_t max_errors, dp_error *err)
{
    assert(s && instance);
    char first[sizeof(((dp_error *)0)->message)] = "";
    sink top;
    vctx c;
    memset(&top, 0, sizeof(top));
    memset(&c, 0, sizeof(c));
    top.arr = json_is_array(errors_out) ? errors_out : NULL;
    top.max = max_errors;
    top.first = first;
    top.firstsz = sizeof(first);
    c.s = s;
    c.sink = &top;
    int r = v_schema(&c, s->root, instance, NULL);
    dp_arena_free(c.arena);
    if (r < 0)
        return dp_error_set(err, r, "%s", c.fatal[0] ? c.fatal : "JSON schema validation failed");
    if (r == 0)
        return dp_error_set(err, DP_EINVALID, "%s", first[0] ? first : "(root): invalid");
    return 0;
}

/* JSON Schema validator: compiles a schema once (refs resolved, patterns
 * translated to POSIX EREs) and validates jansson values against it. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"

#include <assert.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#define MAX_DEPTH DP_JSONSCHEMA_MAX_DEPTH
#define EQ_MAX_DEPTH 1024          /* nesting of values compared by const/enum/uniqueItems */
#define MAX_PATTERN 4096           /* bytes of one ECMA-262 pattern */
#define MAX_ERE (64 * 1024)        /* bytes of its translation */
#define MAX_REPEAT 1000            /* largest {n,m} count */
#define MAX_WIDE_RANGE 1024        /* non-ASCII code points one class range may list */
#define MAX_URI 4096
#define MAX_LOOKAHEAD_SCAN (16u << 20) /* bytes the lookahead search may rescan */
#define PTR_CAP 512                /* bytes of a JSON pointer in a message */
#define PROBE_MSG 512              /* bytes kept of a branch's first failure */
#define VAL_SHOWN 120              /* bytes of a value quoted in a message */

/* ------------------------------------------------------------------------ */
/* Compiled form                                                            */

/* A translated pattern: optional leading lookaheads, then the body. */
typedef struct rx {
    regex_t body;
    int body_ok;
    int anchored; /* "^" before the lookaheads: only position 0 can match */
    size_t nlook, nlook_ok;
    regex_t *look;
    int *look_neg;
    int *look_anch; /* compiled as "^(...)": tried at one position only */
} rx;

typedef struct ppat {
    const char *key;      /* the pattern (a patternProperties key) */
    const json_t *schema; /* its subschema */
    rx *re;
} ppat;

/* What compilation learned about one schema object. */
typedef struct snode {
    const json_t *schema;
    const json_t *ref; /* resolved $ref target */
    const char *ref_uri;
    const char *base;  /* base URI in effect (compile time) */
    const char *where; /* schema location, for compile errors */
    rx *pattern;
    ppat *pp;
    size_t npp;
    int uneval; /* has unevaluatedProperties/unevaluatedItems */
} snode;

struct dp_jsonschema {
    json_t *root;
    json_t *resources;
    json_t *ids; /* absolute URI (with "#anchor" for anchors) -> schema node */
    dp_arena *arena;
    snode **slots; /* open addressing on the schema node's address */
    size_t nslots, nused;
    void **rxs; /* every pattern (rx *), for regfree */
    size_t nrx, caprx;
    locale_t loc; /* UTF-8 LC_CTYPE for regcomp/regexec, or 0 */
    int modern;   /* 1: 2019-09, 2: 2020-12 ($ref beside its siblings) */
};

static size_t slot_hash(const void *p, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & mask;
}

static const snode *slot_get(const dp_jsonschema *s, const json_t *node)
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

/* Decodes one UTF-8 sequence (input is valid UTF-8: jansson checks it). */
static size_t utf8_dec(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
    if (len > n || u[0] >= 0xF8 || (u[0] >= 0x80 && u[0] < 0xC0)) {
        *cp = u[0];
        return 1;
    }
    uint32_t c = len == 1 ? u[0] : len == 2 ? u[0] & 0x1Fu : len == 3 ? u[0] & 0x0Fu : u[0] & 0x07u;
    for (size_t i = 1; i < len; i++)
        c = (c << 6) | (u[i] & 0x3Fu);
    *cp = c;
    return len;
}

static size_t utf8_enc(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

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

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(int c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Appends p to an arena-grown array of pointers; 0 or -1. */
static int ptr_push(dp_arena *a, void ***items, size_t *n, size_t *cap, void *p)
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

/* A JSON pointer built segment by segment, cut (with "...") when too long. */
typedef struct jptr {
    char s[PTR_CAP];
    size_t len;
} jptr;

static size_t jptr_push(jptr *p, const char *seg)
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
    return jptr_push(p, b);
}

static void jptr_pop(jptr *p, size_t save)
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

static int is_integral(double d)
{
    if (!isfinite(d))
        return 0;
    if (d >= 9.2e18 || d <= -9.2e18)
        return 1;
    return d == (double)(long long)d;
}

static int is_count(const json_t *v)
{
    return (json_is_integer(v) && json_integer_value(v) >= 0) ||
           (json_is_real(v) && json_real_value(v) >= 0 && is_integral(json_real_value(v)));
}

static const char *type_name(const json_t *v)
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

static int type_known(const char *t)
{
    static const char *const names[] = {"null", "boolean", "object", "array",
                                        "number", "string", "integer"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(t, names[i]))
            return 1;
    return 0;
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
    case 'i': return json_is_integer(v) || (json_is_real(v) && is_integral(json_real_value(v)));
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
    if (is_integral(q))
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
/* ECMA-262 patterns as POSIX EREs                                          */

typedef struct xl {
    dp_buf out;
    int utf8;
    char why[160];
} xl;

static int xl_fail(xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int xl_fail(xl *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, sizeof(x->why), fmt, ap);
    va_end(ap);
    return -1;
}

static int xl_put(xl *x, dp_buf *b, const char *s, size_t n)
{
    if (dp_buf_add(b, s, n))
        return xl_fail(x, "translated pattern too long");
    return 0;
}

static int xl_puts(xl *x, dp_buf *b, const char *s)
{
    return xl_put(x, b, s, strlen(s));
}

/* A literal code point outside brackets. */
static int xl_lit(xl *x, uint32_t cp)
{
    if (cp == 0)
        return xl_fail(x, "NUL character");
    if (cp < 0x80 && strchr(".[\\()*+?{|^$", (int)cp)) {
        char e[2] = {'\\', (char)cp};
        return xl_put(x, &x->out, e, 2);
    }
    char u[4];
    return xl_put(x, &x->out, u, utf8_enc(cp, u));
}

/* A code point inside a bracket expression. */
static int cls_char(xl *x, dp_buf *b, uint32_t cp)
{
    if (cp == 0)
        return xl_fail(x, "NUL character");
    if (cp == ']' || cp == '-' || cp == '^' || cp == '[') {
        char t[5] = {'[', '.', (char)cp, '.', ']'};
        return xl_put(x, b, t, 5);
    }
    if (cp >= 0x80 && !x->utf8)
        return xl_fail(x, "non-ASCII character in a class (no UTF-8 locale)");
    char u[4];
    return xl_put(x, b, u, utf8_enc(cp, u));
}

/* glibc rejects non-ASCII range ends, so those code points are listed. */
static int cls_range(xl *x, dp_buf *b, uint32_t lo, uint32_t hi)
{
    if (lo > hi)
        return xl_fail(x, "class range out of order");
    if (lo == 0)
        lo = 1;
    if (lo < 0x80) {
        uint32_t h = hi < 0x80 ? hi : 0x7F;
        if (cls_char(x, b, lo) ||
            (h > lo && (xl_puts(x, b, "-") || cls_char(x, b, h))))
            return -1;
        lo = 0x80;
    }
    if (hi < lo)
        return 0;
    if (hi - lo >= MAX_WIDE_RANGE)
        return xl_fail(x, "class range of more than %d non-ASCII characters", MAX_WIDE_RANGE);
    for (uint32_t c = lo; c <= hi; c++)
        if ((c < 0xD800 || c > 0xDFFF) && cls_char(x, b, c))
            return -1;
    return 0;
}

/* \d, \w or \s (lowercase letter) as bracket content. */
static int cls_named(xl *x, dp_buf *b, int k)
{
    if (k == 'd')
        return xl_puts(x, b, "0-9");
    if (k == 'w')
        return xl_puts(x, b, "A-Za-z0-9_");
    if (xl_puts(x, b, " \t\n\v\f\r"))
        return -1;
    if (!x->utf8)
        return 0;
    static const uint32_t ws[] = {0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF};
    for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
        if (cls_char(x, b, ws[i]))
            return -1;
    return cls_range(x, b, 0x2000, 0x200A);
}

/* Parses the escape whose backslash precedes p[*i]. Returns 'c' with *cp
 * for a character, the letter for \d \D \w \W \s \S, or -1. */
static int xl_escape(xl *x, const char *p, size_t n, size_t *i, int in_class, uint32_t *cp)
{
    if (*i >= n)
        return xl_fail(x, "trailing backslash");
    unsigned char ch = (unsigned char)p[*i];
    size_t j = *i + 1;
    switch (ch) {
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
        *i = j;
        return ch;
    case 'b':
        if (!in_class)
            return xl_fail(x, "word boundary \\b");
        *cp = 8;
        break;
    case 'B': return xl_fail(x, "word boundary \\B");
    case 'n': *cp = 10; break;
    case 't': *cp = 9; break;
    case 'r': *cp = 13; break;
    case 'f': *cp = 12; break;
    case 'v': *cp = 11; break;
    case '0': return xl_fail(x, "\\0 (NUL or octal escape)");
    case 'x':
        if (j + 2 > n || !is_hex(p[j]) || !is_hex(p[j + 1]))
            return xl_fail(x, "malformed \\x escape");
        *cp = (uint32_t)(hex_val(p[j]) * 16 + hex_val(p[j + 1]));
        j += 2;
        break;
    case 'u':
        if (j < n && p[j] == '{') {
            uint32_t v = 0;
            size_t k = j + 1;
            while (k < n && is_hex(p[k]) && v <= 0x10FFFF)
                v = v * 16 + (uint32_t)hex_val(p[k++]);
            if (k == j + 1 || k >= n || p[k] != '}' || v > 0x10FFFF)
                return xl_fail(x, "malformed \\u{...} escape");
            *cp = v;
            j = k + 1;
            break;
        }
        if (j + 4 > n || !is_hex(p[j]) || !is_hex(p[j + 1]) || !is_hex(p[j + 2]) ||
            !is_hex(p[j + 3]))
            return xl_fail(x, "malformed \\u escape");
        *cp = (uint32_t)(hex_val(p[j]) << 12 | hex_val(p[j + 1]) << 8 | hex_val(p[j + 2]) << 4 |
                         hex_val(p[j + 3]));
        j += 4;
        if (*cp >= 0xD800 && *cp <= 0xDBFF && j + 6 <= n && p[j] == '\\' && p[j + 1] == 'u' &&
            is_hex(p[j + 2]) && is_hex(p[j + 3]) && is_hex(p[j + 4]) && is_hex(p[j + 5])) {
            uint32_t lo = (uint32_t)(hex_val(p[j + 2]) << 12 | hex_val(p[j + 3]) << 8 |
                                     hex_val(p[j + 4]) << 4 | hex_val(p[j + 5]));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
                j += 6;
            }
        }
        if (*cp >= 0xD800 && *cp <= 0xDFFF)
            return xl_fail(x, "lone surrogate \\u%04X", (unsigned)*cp);
        break;
    case 'c':
        if (j >= n || !((p[j] | 0x20) >= 'a' && (p[j] | 0x20) <= 'z'))
            return xl_fail(x, "malformed \\c escape");
        *cp = (uint32_t)(p[j] % 32);
        j++;
        break;
    case 'k': return xl_fail(x, "named backreference \\k");
    case 'p':
    case 'P': return xl_fail(x, "Unicode property escape \\%c", ch);
    default:
        if (ch >= '1' && ch <= '9')
            return xl_fail(x, "backreference \\%c", ch);
        if (is_alnum(ch))
            return xl_fail(x, "unknown escape \\%c", ch);
        j = *i + utf8_dec(p + *i, n - *i, cp);
        break;
    }
    *i = j;
    return 'c';
}

/* A class; *i is just past '['. */
static int xl_class(xl *x, const char *p, size_t n, size_t *i)
{
    dp_buf b;
    int neg = 0, rc = -1;
    dp_buf_init(&b, MAX_ERE);
    if (*i < n && p[*i] == '^') {
        neg = 1;
        (*i)++;
    }
    if (*i < n && p[*i] == ']') { /* [] matches nothing, [^] anything */
        (*i)++;
        rc = xl_puts(x, &x->out, neg ? "." : "($.)");
        goto done;
    }
    for (int first = 1;; first = 0) {
        if (*i >= n) {
            xl_fail(x, "unterminated character class");
            goto done;
        }
        if (p[*i] == ']') {
            (*i)++;
            break;
        }
        uint32_t lo, hi;
        int k = 'c';
        if (p[*i] == '\\') {
            (*i)++;
            if ((k = xl_escape(x, p, n, i, 1, &lo)) < 0)
                goto done;
        } else {
            *i += utf8_dec(p + *i, n - *i, &lo);
        }
        if (k != 'c') {
            if (k == 'd' || k == 'w' || k == 's') {
                if (cls_named(x, &b, k))
                    goto done;
                continue;
            }
            /* \D \W \S: expressible only as the whole class */
            if (!first || *i >= n || p[*i] != ']') {
                xl_fail(x, "\\%c inside a larger character class", k);
                goto done;
            }
            (*i)++;
            neg = !neg;
            if (cls_named(x, &b, k | 0x20))
                goto done;
            break;
        }
        if (*i + 1 < n && p[*i] == '-' && p[*i + 1] != ']') {
            (*i)++;
            int k2 = 'c';
            if (p[*i] == '\\') {
                (*i)++;
                if ((k2 = xl_escape(x, p, n, i, 1, &hi)) < 0)
                    goto done;
            } else {
                *i += utf8_dec(p + *i, n - *i, &hi);
            }
            if (k2 != 'c') {
                xl_fail(x, "class escape \\%c as a range end", k2);
                goto done;
            }
            if (cls_range(x, &b, lo, hi))
                goto done;
        } else if (cls_char(x, &b, lo)) {
            goto done;
        }
    }
    if (xl_puts(x, &x->out, neg ? "[^" : "[") || xl_put(x, &x->out, b.ptr, b.len) ||
        xl_puts(x, &x->out, "]"))
        goto done;
    rc = 0;
done:
    dp_buf_dispose(&b);
    return rc;
}

/* Translates p[0..n) (no lookaround allowed) onto x->out. */
static int xl_run(xl *x, const char *p, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)p[i];
        int rc = 0;
        switch (ch) {
        case '\\': {
            uint32_t cp;
            i++;
            int k = xl_escape(x, p, n, &i, 0, &cp);
            if (k < 0)
                return -1;
            if (k == 'c') {
                rc = xl_lit(x, cp);
            } else {
                rc = xl_puts(x, &x->out, (k & 0x20) ? "[" : "[^") ||
                     cls_named(x, &x->out, k | 0x20) || xl_puts(x, &x->out, "]");
            }
            break;
        }
        case '[':
            i++;
            rc = xl_class(x, p, n, &i);
            break;
        case '(':
            if (i + 1 < n && p[i + 1] == '?') {
                char g = i + 2 < n ? p[i + 2] : 0;
                if (g == ':') {
                    i += 3;
                } else if (g == '=' || g == '!') {
                    return xl_fail(x, "lookahead (supported only at the start of the pattern)");
                } else if (g == '<' && i + 3 < n && (p[i + 3] == '=' || p[i + 3] == '!')) {
                    return xl_fail(x, "lookbehind");
                } else if (g == '<') {
                    size_t j = i + 3;
                    while (j < n && p[j] != '>')
                        j++;
                    if (j >= n)
                        return xl_fail(x, "unterminated group name");
                    i = j + 1;
                } else {
                    return xl_fail(x, "group modifier (?%c", g ? g : ' ');
                }
            } else {
                i++;
            }
            depth++;
            rc = xl_puts(x, &x->out, "(");
            break;
        case ')':
            if (depth == 0)
                return xl_fail(x, "unbalanced ')'");
            depth--;
            i++;
            rc = xl_puts(x, &x->out, ")");
            break;
        case '.':
            i++;
            rc = xl_puts(x, &x->out, x->utf8 ? "[^\n\r\xE2\x80\xA8\xE2\x80\xA9]" : "[^\n\r]");
            break;
        case '*':
        case '+':
        case '?':
            i++;
            rc = xl_put(x, &x->out, (const char *)&p[i - 1], 1);
            if (i < n && p[i] == '?') /* lazy: same set of matching strings */
                i++;
            break;
        case '{': {
            size_t j = i + 1;
            unsigned long lo = 0, hi = 0;
            int has_hi = 0, comma = 0, ok = 0;
            while (j < n && p[j] >= '0' && p[j] <= '9' && lo <= MAX_REPEAT)
                lo = lo * 10 + (unsigned long)(p[j++] - '0');
            if (j > i + 1) {
                if (j < n && p[j] == ',') {
                    comma = 1;
                    j++;
                    size_t d = j;
                    while (j < n && p[j] >= '0' && p[j] <= '9' && hi <= MAX_REPEAT)
                        hi = hi * 10 + (unsigned long)(p[j++] - '0');
                    has_hi = j > d;
                }
                ok = j < n && p[j] == '}';
            }
            if (!ok) { /* not a quantifier: a literal brace (Annex B) */
                i++;
                rc = xl_puts(x, &x->out, "\\{");
                break;
            }
            if (lo > MAX_REPEAT || hi > MAX_REPEAT)
                return xl_fail(x, "repetition count above %d", MAX_REPEAT);
            if (has_hi && hi < lo)
                return xl_fail(x, "repetition range out of order");
            char q[48];
            if (!comma)
                snprintf(q, sizeof(q), "{%lu}", lo);
            else if (has_hi)
                snprintf(q, sizeof(q), "{%lu,%lu}", lo, hi);
            else
                snprintf(q, sizeof(q), "{%lu,}", lo);
            rc = xl_puts(x, &x->out, q);
            i = j + 1;
            if (i < n && p[i] == '?')
                i++;
            break;
        }
        case '|':
        case '^':
        case '$':
            i++;
            rc = xl_put(x, &x->out, (const char *)&p[i - 1], 1);
            break;
        default: {
            uint32_t cp;
            size_t k = utf8_dec(p + i, n - i, &cp);
            rc = xl_put(x, &x->out, p + i, k);
            i += k;
            break;
        }
        }
        if (rc)
            return -1;
    }
    if (depth)
        return xl_fail(x, "unbalanced '('");
    return 0;
}

/* Index of the ')' closing the group that opens at p[i], or n. */
static size_t group_end(const char *p, size_t n, size_t i)
{
    int depth = 0, cls = 0;
    for (; i < n; i++) {
        char ch = p[i];
        if (ch == '\\') {
            i++;
        } else if (cls) {
            if (ch == ']')
                cls = 0;
        } else if (ch == '[') {
            cls = 1;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0) {
            return i;
        }
    }
    return n;
}

/* Whether p[0..n) uses the "^" anchor. */
static int has_caret(const char *p, size_t n)
{
    int cls = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\')
            i++;
        else if (cls)
            cls = p[i] != ']';
        else if (p[i] == '[')
            cls = 1;
        else if (p[i] == '^')
            return 1;
    }
    return 0;
}

static int has_top_alt(const char *p, size_t n)
{
    int depth = 0, cls = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '\\')
            i++;
        else if (cls)
            cls = ch != ']';
        else if (ch == '[')
            cls = 1;
        else if (ch == '(')
            depth++;
        else if (ch == ')')
            depth--;
        else if (ch == '|' && depth == 0)
            return 1;
    }
    return 0;
}

static int rx_regcomp(const dp_jsonschema *s, xl *x, regex_t *re, const char *p, size_t n,
                      int flags, int anchor)
{
    dp_buf_clear(&x->out);
    if ((anchor && xl_puts(x, &x->out, "^(")) || xl_run(x, p, n) ||
        (anchor && xl_puts(x, &x->out, ")")))
        return -1;
    locale_t old = s->loc ? uselocale(s->loc) : (locale_t)0;
    int rc = regcomp(re, dp_buf_cstr(&x->out), REG_EXTENDED | flags);
    if (s->loc)
        uselocale(old);
    if (rc) {
        char msg[96];
        regerror(rc, re, msg, sizeof(msg));
        return xl_fail(x, "regcomp: %s", msg);
    }
    return 0;
}

/* Compiles an ECMA-262 pattern; on failure why says what is unsupported. */
static int rx_compile(dp_jsonschema *s, rx **out, const char *pat, size_t len, char *why,
                      size_t whysz)
{
    xl x;
    int rc = -1;
    memset(&x, 0, sizeof(x));
    dp_buf_init(&x.out, MAX_ERE);
    x.utf8 = s->loc != 0;
    rx *r = dp_arena_calloc(s->arena, 1, sizeof(*r));
    if (!r || ptr_push(s->arena, &s->rxs, &s->nrx, &s->caprx, r)) {
        snprintf(why, whysz, "out of memory");
        goto done;
    }
    if (len > MAX_PATTERN) {
        snprintf(why, whysz, "pattern longer than %d bytes", MAX_PATTERN);
        goto done;
    }
    if (memchr(pat, 0, len)) {
        snprintf(why, whysz, "NUL character");
        goto done;
    }
    size_t i = 0;
    if (len >= 4 && pat[0] == '^' && pat[1] == '(' && pat[2] == '?' &&
        (pat[3] == '=' || pat[3] == '!'))
        i = 1;
    size_t nlook = 0;
    for (size_t j = i; j + 2 < len && pat[j] == '(' && pat[j + 1] == '?' &&
                       (pat[j + 2] == '=' || pat[j + 2] == '!');) {
        size_t e = group_end(pat, len, j);
        if (e >= len) {
            snprintf(why, whysz, "unbalanced '('");
            goto done;
        }
        nlook++;
        j = e + 1;
    }
    if (!nlook) {
        if (rx_regcomp(s, &x, &r->body, pat, len, REG_NOSUB, 0))
            goto fail;
        r->body_ok = 1;
        rc = 0;
        goto done;
    }
    r->anchored = i == 1;
    r->look = dp_arena_calloc(s->arena, nlook, sizeof(*r->look));
    r->look_neg = dp_arena_calloc(s->arena, nlook, sizeof(*r->look_neg));
    r->look_anch = dp_arena_calloc(s->arena, nlook, sizeof(*r->look_anch));
    if (!r->look || !r->look_neg || !r->look_anch) {
        snprintf(why, whysz, "out of memory");
        goto done;
    }
    r->nlook = nlook;
    for (size_t k = 0; k < nlook; k++) {
        size_t e = group_end(pat, len, i);
        r->look_neg[k] = pat[i + 2] == '!';
        r->look_anch[k] = !has_caret(pat + i + 3, e - i - 3);
        if (rx_regcomp(s, &x, &r->look[k], pat + i + 3, e - i - 3,
                       r->look_anch[k] ? REG_NOSUB : 0, r->look_anch[k]))
            goto fail;
        r->nlook_ok++;
        i = e + 1;
    }
    if (has_top_alt(pat + i, len - i)) {
        snprintf(why, whysz, "'|' after a leading lookahead");
        goto done;
    }
    if (rx_regcomp(s, &x, &r->body, pat + i, len - i, 0, 0))
        goto fail;
    r->body_ok = 1;
    rc = 0;
    goto done;
fail:
    snprintf(why, whysz, "%s", x.why);
done:
    dp_buf_dispose(&x.out);
    if (!rc)
        *out = r;
    return rc;
}

/* Leftmost match start of re in s[0..n), or -1 (-2: engine error). */
static long rx_exec(const regex_t *re, const char *s, size_t n, int notbol)
{
    regmatch_t m[1];
    int flags = notbol ? REG_NOTBOL : 0;
#ifdef REG_STARTEND
    m[0].rm_so = 0;
    m[0].rm_eo = (regoff_t)n;
    flags |= REG_STARTEND;
#else
    (void)n;
#endif
    int rc = regexec(re, s, 1, m, flags);
    if (rc == REG_NOMATCH)
        return -1;
    if (rc)
        return -2;
    return (long)m[0].rm_so;
}

/* 1 when the pattern matches somewhere in s[0..n), 0 when not, <0 on error. */
static int rx_match(const dp_jsonschema *s, const rx *r, const char *str, size_t n)
{
    locale_t old = s->loc ? uselocale(s->loc) : (locale_t)0;
    int result = 0;
    if (!r->nlook) {
        long off = rx_exec(&r->body, str, n, 0);
        result = off >= 0 ? 1 : off == -1 ? 0 : DP_ERROR;
        goto done;
    }
    /* Lookaheads: find a start position where the body matches and every
     * lookahead holds; a match that starts at offset 0 of str+p is one at p. */
    size_t scanned = 0;
    for (size_t p = 0; p <= n;) {
        if ((scanned += n - p) > MAX_LOOKAHEAD_SCAN) { /* quadratic on a long string */
            result = DP_ELIMIT;
            goto done;
        }
        long off = rx_exec(&r->body, str + p, n - p, p > 0);
        if (off < 0) {
            result = off == -1 ? 0 : DP_ERROR;
            goto done;
        }
        size_t q = p + (size_t)off;
        if (r->anchored && q != 0)
            goto done;
        int all = 1;
        for (size_t k = 0; k < r->nlook && all; k++) {
            /* anchored: a plain exec; else "starts at q" is "leftmost at 0" */
            long lo = rx_exec(&r->look[k], str + q, n - q, !r->look_anch[k] && q > 0);
            if (lo == -2) {
                result = DP_ERROR;
                goto done;
            }
            all = (lo == 0) != r->look_neg[k];
        }
        if (all) {
            result = 1;
            goto done;
        }
        if (q >= n || r->anchored)
            goto done;
        uint32_t cp;
        p = q + utf8_dec(str + q, n - q, &cp);
    }
done:
    if (s->loc)
        uselocale(old);
    return result;
}

/* ------------------------------------------------------------------------ */
/* URIs (RFC 3986 reference resolution)                                     */

typedef struct uparts {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
    int has_scheme, has_auth, has_query, has_frag;
} uparts;

static void uri_split(const char *s, uparts *u)
{
    memset(u, 0, sizeof(*u));
    size_t n = strlen(s), i = 0;
    if (n && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')) {
        size_t j = 1;
        while (j < n && (is_alnum(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.'))
            j++;
        if (j < n && s[j] == ':') {
            u->has_scheme = 1;
            u->scheme = s;
            u->scheme_n = j;
            i = j + 1;
        }
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        size_t j = i + 2;
        while (j < n && s[j] != '/' && s[j] != '?' && s[j] != '#')
            j++;
        u->has_auth = 1;
        u->auth = s + i + 2;
        u->auth_n = j - i - 2;
        i = j;
    }
    size_t j = i;
    while (j < n && s[j] != '?' && s[j] != '#')
        j++;
    u->path = s + i;
    u->path_n = j - i;
    i = j;
    if (i < n && s[i] == '?') {
        j = i + 1;
        while (j < n && s[j] != '#')
            j++;
        u->has_query = 1;
        u->query = s + i + 1;
        u->query_n = j - i - 1;
        i = j;
    }
    if (i < n && s[i] == '#') {
        u->has_frag = 1;
        u->frag = s + i + 1;
        u->frag_n = n - i - 1;
    }
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path of < MAX_URI bytes. */
static void remove_dots(char *path)
{
    char out[MAX_URI];
    size_t o = 0;
    const char *in = path;
    while (*in) {
        if (!strncmp(in, "../", 3)) {
            in += 3;
        } else if (!strncmp(in, "./", 2) || !strncmp(in, "/./", 3)) {
            in += 2;
        } else if (!strcmp(in, "/.")) {
            in = "/";
        } else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
            in = in[3] ? in + 3 : "/";
            while (o > 0 && out[--o] != '/') /* drop the last output segment */
                ;
        } else if (!strcmp(in, ".") || !strcmp(in, "..")) {
            break;
        } else {
            do
                out[o++] = *in++;
            while (*in && *in != '/' && o < sizeof(out) - 1);
        }
    }
    out[o] = 0;
    memcpy(path, out, o + 1);
}

/* Resolves ref against base into out (cap bytes); -1 when too long. */
static int uri_resolve(const char *base, const char *ref, char *out, size_t cap)
{
    uparts b, r;
    char path[MAX_URI];
    uri_split(base, &b);
    uri_split(ref, &r);
    const uparts *sa; /* scheme and authority come from here */
    const char *q = NULL;
    size_t qn = 0;
    int hq = 0;
    if (r.has_scheme || r.has_auth) {
        sa = r.has_scheme ? &r : &b;
        if (snprintf(path, sizeof(path), "%.*s", (int)r.path_n, r.path) >= (int)sizeof(path))
            return -1;
        q = r.query, qn = r.query_n, hq = r.has_query;
        if (!r.has_scheme) {
            /* authority from ref, scheme from base */
            int n = snprintf(out, cap, "%s%.*s%s//%.*s", "", (int)b.scheme_n, b.scheme,
                             b.has_scheme ? ":" : "", (int)r.auth_n, r.auth);
            if (n < 0 || (size_t)n >= cap)
                return -1;
            remove_dots(path);
            n += snprintf(out + n, cap - (size_t)n, "%s%s%.*s%s%.*s", path, hq ? "?" : "",
                          (int)qn, q ? q : "", r.has_frag ? "#" : "", (int)r.frag_n,
                          r.frag ? r.frag : "");
            return (size_t)n >= cap ? -1 : 0;
        }
    } else {
        sa = &b;
        if (r.path_n == 0) {
            if (snprintf(path, sizeof(path), "%.*s", (int)b.path_n, b.path) >= (int)sizeof(path))
                return -1;
            if (r.has_query)
                q = r.query, qn = r.query_n, hq = 1;
            else
                q = b.query, qn = b.query_n, hq = b.has_query;
        } else {
            int n;
            if (r.path[0] == '/') {
                n = snprintf(path, sizeof(path), "%.*s", (int)r.path_n, r.path);
            } else if (b.has_auth && b.path_n == 0) {
                n = snprintf(path, sizeof(path), "/%.*s", (int)r.path_n, r.path);
            } else {
                size_t k = b.path_n;
                while (k > 0 && b.path[k - 1] != '/')
                    k--;
                n = snprintf(path, sizeof(path), "%.*s%.*s", (int)k, b.path, (int)r.path_n,
                             r.path);
            }
            if (n < 0 || n >= (int)sizeof(path))
                return -1;
            q = r.query, qn = r.query_n, hq = r.has_query;
        }
    }
    if (sa->has_scheme || sa->has_auth || path[0] == '/')
        remove_dots(path);
    int n = snprintf(out, cap, "%.*s%s%s%.*s%s%s%.*s%s%.*s", (int)sa->scheme_n,
                     sa->scheme ? sa->scheme : "", sa->has_scheme ? ":" : "",
                     sa->has_auth ? "//" : "", (int)sa->auth_n, sa->auth ? sa->auth : "", path,
                     hq ? "?" : "", (int)qn, q ? q : "", r.has_frag ? "#" : "", (int)r.frag_n,
                     r.frag ? r.frag : "");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Decodes %XX in place. */
static void pct_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '%' && is_hex(p[1]) && is_hex(p[2]) && (hex_val(p[1]) || hex_val(p[2]))) {
            *o++ = (char)(hex_val(p[1]) * 16 + hex_val(p[2]));
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
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
    size_t save = jptr_push(&c->where, kw);
    int rc = cerr(c, DP_EINVALID, fmt, arg);
    jptr_pop(&c->where, save);
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
    size_t save = jptr_push(&c->where, kw);
    if (key)
        jptr_push(&c->where, key);
    int rc = walk(c, sub, base, depth + 1);
    jptr_pop(&c->where, save);
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
    if (rx_compile(c->s, out, pat, len, why, sizeof(why)) == 0)
        return 0;
    size_t save = jptr_push(&c->where, kw);
    if (key)
        jptr_push(&c->where, key);
    int rc = cerr(c, DP_EINVALID, "unsupported regular expression '%.200s': %s", pat, why);
    jptr_pop(&c->where, save);
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
        if (uri_resolve(*base, ids, buf, sizeof(buf)))
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
    if (!json_is_object(node) || depth > MAX_DEPTH || slot_get(c->s, node))
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
                    type_name(node));
    if (depth > MAX_DEPTH)
        return cerr(c, DP_ELIMIT, "schema nested deeper than %d levels", MAX_DEPTH);
    if (slot_get(s, node))
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
        if (uri_resolve(base, json_string_value(ref), buf, sizeof(buf)))
            return kw_err(c, "$ref", "%s", "URI too long");
        if (!(sn->ref_uri = dp_arena_strdup(s->arena, buf)) ||
            ptr_push(s->arena, &c->refs, &c->nrefs, &c->caprefs, sn))
            return cerr(c, DP_ENOMEM, "-");
    }
    if (json_object_get(node, "$recursiveRef") || json_object_get(node, "$dynamicRef"))
        return cerr(c, DP_EINVALID, "%s", "$recursiveRef/$dynamicRef are not supported");
    sn->uneval = json_object_get(node, "unevaluatedProperties") != NULL ||
                 json_object_get(node, "unevaluatedItems") != NULL;
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
        const snode *sn = slot_get(s, t);
        snprintf(tbase, cap, "%s", sn ? sn->base : doc);
        *target = t;
        return 0;
    }
    char frag[MAX_URI];
    snprintf(frag, sizeof(frag), "%s", h + 1);
    pct_decode(frag);
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
            if (uri_resolve(tbase, json_string_value(id), nb, sizeof(nb)))
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
                if (!slot_get(c->s, t) && !json_is_boolean(t)) {
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
        for (size_t k = 0; k < r->nlook_ok; k++)
            regfree(&r->look[k]);
    }
    if (s->loc)
        freelocale(s->loc);
    free(s->slots);
    json_decref(s->ids);
    json_decref(s->root);
    json_decref(s->resources);
    dp_arena_free(s->arena);
    free(s);
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
    size_t save = jptr_push(&c->ptr, key);
    int r = v_schema(c, sch, inst, NULL);
    jptr_pop(&c->ptr, save);
    return r;
}

static int v_index(vctx *c, const json_t *sch, const json_t *inst, size_t i)
{
    size_t save = jptr_push_index(&c->ptr, i);
    int r = v_schema(c, sch, inst, NULL);
    jptr_pop(&c->ptr, save);
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
        FAIL("expected %s, got %s", json_string_value(t), type_name(inst));
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
            FAIL("expected %s, got %s", names, type_name(inst));
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
        int r = rx_match(c->s, sn->pattern, str, n);
        if (r < 0)
            return fatal(c, r, "pattern evaluation failed or exceeded its step limit");
        if (!r)
            FAIL("does not match pattern '%.200s'",
                 json_string_value(json_object_get(sch, "pattern")));
    }
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
                jptr_pop(&c->ptr, save);
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
            jptr_pop(&c->ptr, save);
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
                int r = rx_match(c->s, sn->pp[k].re, key, strlen(key));
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
                    size_t save = jptr_push(&c->ptr, key);
                    int f = fail(c, "property not allowed (additionalProperties)");
                    jptr_pop(&c->ptr, save);
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
                    size_t save = jptr_push(&c->ptr, key);
                    int f = fail(c, "property not allowed (unevaluatedProperties)");
                    jptr_pop(&c->ptr, save);
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
                jptr_pop(&c->ptr, save);
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
    const snode *sn = slot_get(c->s, sch);
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
    STEP(v_generic(c, sch, inst));
    if (json_is_number(inst))
        STEP(v_number(c, sch, inst));
    else if (json_is_string(inst))
        STEP(v_string(c, sn, inst));
    else if (json_is_array(inst))
        STEP(v_array(c, sch, inst, a));
    else if (json_is_object(inst))
        STEP(v_object(c, sn, inst, a));
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

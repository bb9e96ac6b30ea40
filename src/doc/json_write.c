/* dp_json_dump (emit.h): a JSON tree as pretty text, byte for byte what
 * json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(15)) writes with the C1 characters then escaped as
 * \u00XX (utf8.h), in one pass: jansson's dump keeps a table of the
 * containers it is inside (a cycle check) and writes through a callback,
 * about 1.4 ms for a 100 KB spec; this writer, a fraction of that. A tree
 * deeper than JSON_WRITE_DEPTH is refused (NULL), as jansson refuses a
 * cycle. */
#include "doc/emit.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_WRITE_DEPTH 2048
#define JSON_WRITE_MAX ((size_t)1 << 30)

typedef struct out {
    char *p;
    size_t len, cap;
    int bad;
} out;

static int grow(out *o, size_t more)
{
    if (o->bad)
        return -1;
    if (o->len + more + 1 <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + more + 1) {
        if (cap > JSON_WRITE_MAX) {
            o->bad = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(o->p, cap);
    if (!p) {
        o->bad = 1;
        return -1;
    }
    o->p = p;
    o->cap = cap;
    return 0;
}

static void put(out *o, const char *s, size_t n)
{
    if (grow(o, n))
        return;
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void newline(out *o, int depth)
{
    size_t n = 1 + 2 * (size_t)depth;
    if (grow(o, n))
        return;
    o->p[o->len] = '\n';
    memset(o->p + o->len + 1, ' ', n - 1);
    o->len += n;
}

/* What a byte needs: 0 none, 1 an escape of its own (the byte),
 * 2 the first byte of a C1 character (0xC2 0x80-0x9F). */
static const uint8_t ESC[256] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1, 1, 1,
                                 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, [0xC2] = 2};

static void string(out *o, const char *s, size_t n)
{
    /* the worst case at once: six bytes per byte, and the quotes */
    if (grow(o, 6 * n + 2))
        return;
    char *w = o->p + o->len;
    *w++ = '"';
    for (size_t i = 0; i < n;) {
        size_t run = i;
        while (run < n && !ESC[(unsigned char)s[run]])
            run++;
        memcpy(w, s + i, run - i);
        w += run - i;
        if (run == n)
            break;
        unsigned char c = (unsigned char)s[run];
        i = run + 1;
        if (ESC[c] == 2) {
            unsigned char d = run + 1 < n ? (unsigned char)s[run + 1] : 0;
            if (d >= 0x80 && d <= 0x9f) { /* C1: escaped, lower-case hex as utf8.c writes it */
                w += sprintf(w, "\\u%04x", d);
                i = run + 2;
            } else {
                *w++ = (char)c;
            }
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '\b':
            *w++ = 'b';
            break;
        case '\f':
            *w++ = 'f';
            break;
        case '\n':
            *w++ = 'n';
            break;
        case '\r':
            *w++ = 'r';
            break;
        case '\t':
            *w++ = 't';
            break;
        default:
            w += sprintf(w, "u%04X", c);
            break;
        }
    }
    *w++ = '"';
    o->len = (size_t)(w - o->p);
}

static void real(out *o, double v)
{
    char b[64];
    int len = dp_json_real_text(v, 15, b, sizeof(b));
    if (len < 0)
        o->bad = 1;
    else
        put(o, b, (size_t)len);
}

static void value(out *o, const json_t *v, int depth)
{
    if (o->bad)
        return;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        void *it = json_object_iter((json_t *)v);
        if (!it) {
            put(o, "{}", 2);
            return;
        }
        if (depth >= JSON_WRITE_DEPTH) {
            o->bad = 1;
            return;
        }
        put(o, "{", 1);
        for (int first = 1; it; it = json_object_iter_next((json_t *)v, it), first = 0) {
            if (!first)
                put(o, ",", 1);
            newline(o, depth + 1);
            const char *k = json_object_iter_key(it);
            string(o, k, json_object_iter_key_len(it));
            put(o, ": ", 2);
            value(o, json_object_iter_value(it), depth + 1);
        }
        newline(o, depth);
        put(o, "}", 1);
        return;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        if (!n) {
            put(o, "[]", 2);
            return;
        }
        if (depth >= JSON_WRITE_DEPTH) {
            o->bad = 1;
            return;
        }
        put(o, "[", 1);
        for (size_t i = 0; i < n; i++) {
            if (i)
                put(o, ",", 1);
            newline(o, depth + 1);
            value(o, json_array_get(v, i), depth + 1);
        }
        newline(o, depth);
        put(o, "]", 1);
        return;
    }
    case JSON_STRING:
        string(o, json_string_value(v), json_string_length(v));
        return;
    case JSON_INTEGER: {
        char b[32];
        int n = snprintf(b, sizeof(b), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        put(o, b, (size_t)n);
        return;
    }
    case JSON_REAL:
        real(o, json_real_value(v));
        return;
    case JSON_TRUE:
        put(o, "true", 4);
        return;
    case JSON_FALSE:
        put(o, "false", 5);
        return;
    default:
        put(o, "null", 4);
        return;
    }
}

char *dp_json_dump(const json_t *v)
{
    out o = {0};
    if (!v)
        return NULL;
    value(&o, v, 0);
    if (o.bad || grow(&o, 0)) {
        free(o.p);
        return NULL;
    }
    o.p[o.len] = '\0';
    return o.p;
}

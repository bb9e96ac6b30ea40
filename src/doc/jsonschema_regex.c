/* ECMA-262 patterns (JSON Schema "pattern", patternProperties) translated to
 * POSIX EREs, compiled with regcomp and matched with regexec in a UTF-8
 * locale; leading lookaheads are compiled and tried separately. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"
#include "doc/jsonschema_int.h"

#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"

#define MAX_PATTERN 4096           /* bytes of one ECMA-262 pattern */
#define MAX_ERE (64 * 1024)        /* bytes of its translation */
#define MAX_REPEAT 1000            /* largest {n,m} count */
#define MAX_WIDE_RANGE 1024        /* non-ASCII code points one class range may list */
#define MAX_LOOKAHEAD_SCAN (16u << 20) /* bytes the lookahead search may rescan */

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

/* 1 when s[0..n) is 7-bit ASCII with no NUL. */
static int ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] - 1u >= 0x7Fu)
            return 0;
    return 1;
}

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

int dp_js__is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int dp_js__hex_val(int c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int dp_js__is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
        if (j + 2 > n || !dp_js__is_hex(p[j]) || !dp_js__is_hex(p[j + 1]))
            return xl_fail(x, "malformed \\x escape");
        *cp = (uint32_t)(dp_js__hex_val(p[j]) * 16 + dp_js__hex_val(p[j + 1]));
        j += 2;
        break;
    case 'u':
        if (j < n && p[j] == '{') {
            uint32_t v = 0;
            size_t k = j + 1;
            while (k < n && dp_js__is_hex(p[k]) && v <= 0x10FFFF)
                v = v * 16 + (uint32_t)dp_js__hex_val(p[k++]);
            if (k == j + 1 || k >= n || p[k] != '}' || v > 0x10FFFF)
                return xl_fail(x, "malformed \\u{...} escape");
            *cp = v;
            j = k + 1;
            break;
        }
        if (j + 4 > n || !dp_js__is_hex(p[j]) || !dp_js__is_hex(p[j + 1]) ||
            !dp_js__is_hex(p[j + 2]) || !dp_js__is_hex(p[j + 3]))
            return xl_fail(x, "malformed \\u escape");
        *cp = (uint32_t)(dp_js__hex_val(p[j]) << 12 | dp_js__hex_val(p[j + 1]) << 8 |
                         dp_js__hex_val(p[j + 2]) << 4 | dp_js__hex_val(p[j + 3]));
        j += 4;
        if (*cp >= 0xD800 && *cp <= 0xDBFF && j + 6 <= n && p[j] == '\\' && p[j + 1] == 'u' &&
            dp_js__is_hex(p[j + 2]) && dp_js__is_hex(p[j + 3]) && dp_js__is_hex(p[j + 4]) &&
            dp_js__is_hex(p[j + 5])) {
            uint32_t lo = (uint32_t)(dp_js__hex_val(p[j + 2]) << 12 |
                                     dp_js__hex_val(p[j + 3]) << 8 |
                                     dp_js__hex_val(p[j + 4]) << 4 | dp_js__hex_val(p[j + 5]));
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
        if (dp_js__is_alnum(ch))
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
int dp_js__rx_compile(dp_jsonschema *s, rx **out, const char *pat, size_t len, char *why,
                      size_t whysz)
{
    xl x;
    int rc = -1;
    memset(&x, 0, sizeof(x));
    dp_buf_init(&x.out, MAX_ERE);
    x.utf8 = s->loc != 0;
    rx *r = dp_arena_calloc(s->arena, 1, sizeof(*r));
    if (!r || dp_js__ptr_push(s->arena, &s->rxs, &s->nrx, &s->caprx, r)) {
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
        /* an ASCII expression matches ASCII text alike in the C locale,
         * where glibc's matcher reads bytes, not characters */
        if (s->cloc && ascii(dp_buf_cstr(&x.out), strlen(dp_buf_cstr(&x.out)))) {
            locale_t old = uselocale(s->cloc);
            r->body_c_ok = regcomp(&r->body_c, dp_buf_cstr(&x.out), REG_EXTENDED | REG_NOSUB) == 0;
            uselocale(old);
        }
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
int dp_js__rx_match(const dp_jsonschema *s, const rx *r, const char *str, size_t n)
{
    if (r->body_c_ok && ascii(str, n)) {
        locale_t old = uselocale(s->cloc);
        long off = rx_exec(&r->body_c, str, n, 0);
        uselocale(old);
        return off >= 0 ? 1 : off == -1 ? 0 : DP_ERROR;
    }
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

/* Line records for dpgen's caches (textrec.h). */
#include "util/textrec.h"
#include <stdlib.h>
#include <string.h>

void dp_textrec_put(dp_buf *b, const char *s)
{
    const char *p = s ? s : "", *run = p;
    for (; *p; p++) {
        const char *e = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
        if (!e)
            continue;
        dp_buf_add(b, run, (size_t)(p - run));
        dp_buf_puts(b, e);
        run = p + 1;
    }
    dp_buf_add(b, run, (size_t)(p - run));
}

const char *dp_textrec_field(const char **p, dp_arena *a)
{
    const char *s = *p;
    size_t n = 0;
    int escaped = 0;
    for (; s[n] && s[n] != '\t' && s[n] != '\n'; n++)
        escaped |= s[n] == '\\';
    if (!n)
        return ""; /* an empty field (an absent min or max) takes no room */
    char *o = dp_arena_alloc_text(a, n + 1), *w = o;
    if (!o)
        return NULL;
    *p = s + n;
    if (!escaped) { /* most fields: copied as they are */
        memcpy(o, s, n);
        o[n] = 0;
        return o;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            *w++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else {
            *w++ = s[i];
        }
    }
    *w = 0;
    return o;
}

int dp_textrec_int(const char **p, int64_t *out)
{
    const char *s = *p;
    int neg = *s == '-';
    s += neg;
    if (*s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    const uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (lim - d) / 10)
            return -1; /* out of range */
        v = v * 10 + d;
    }
    if (*s != ' ')
        return -1;
    *out = !neg ? (int64_t)v : v > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)v;
    *p = s + 1;
    return 0;
}

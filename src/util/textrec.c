/* Line records for dpgen's caches (textrec.h). */
#include "util/textrec.h"
#include <errno.h>
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
    size_t n = strcspn(s, "\t\n");
    if (!n)
        return ""; /* an empty field (an absent min or max) takes no room */
    char *o = dp_arena_alloc_text(a, n + 1), *w = o;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            *w++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else {
            *w++ = s[i];
        }
    }
    *w = 0;
    *p = s + n;
    return o;
}

int dp_textrec_int(const char **p, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(*p, &end, 10);
    if (end == *p || *end != ' ' || errno)
        return -1;
    *out = (int64_t)v;
    *p = end + 1;
    return 0;
}

/* UTF-8 validity (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
#include "util/utf8.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

size_t dp_utf8_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        return (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xe0 && p[0] <= 0xef) {
        unsigned char lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        unsigned char lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 ? 4 : 0;
    }
    return 0;
}

long dp_utf8_bad(const char *s)
{
    for (const char *p = s; *p;) {
        size_t n = dp_utf8_len(p);
        if (!n)
            return (long)(p - s);
        p += n;
    }
    return -1;
}

char *dp_utf8_json_c1(char *json)
{
    size_t n = 0, len = 0;
    if (!json)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)json; *p; p++, len++)
        n += p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
    if (!n)
        return json;
    char *out = malloc(len + n * 4 + 1), *o = out;
    if (out) {
        for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
            if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
                o += snprintf(o, 7, "\\u%04x", p[1]);
                p++;
            } else {
                *o++ = (char)*p;
            }
        }
        *o = 0;
    }
    free(json);
    return out;
}

size_t dp_utf8_cut(const char *s, size_t n)
{
    size_t l = strlen(s);
    if (l <= n)
        return l;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

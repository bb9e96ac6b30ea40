/* The compact form of a document dp_json_dump wrote, from its text: what
 * json_dumps(json_loads(text), JSON_COMPACT | JSON_PRESERVE_ORDER) gives,
 * without building the tree (a spec of 100 KB takes jansson about 4 ms to
 * parse and dump again; this pass, a tenth of a millisecond). */
#include "doc/emit.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dp_json_real_text(double v, int precision, char *out, size_t n)
{
    int len = snprintf(out, n, "%.*g", precision, v);
    if (len < 0 || (size_t)len + 3 >= n)
        return -1;
    if (!strchr(out, '.') && !strchr(out, 'e')) {
        memcpy(out + len, ".0", 3);
        len += 2;
    }
    char *start = strchr(out, 'e');
    if (start) {
        start++;
        char *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
        len = (int)strlen(out);
    }
    return len;
}

/* "\u00XX": the value of its hex digits, or -1. */
static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

char *dp_json_compact(const char *text, size_t *len_out)
{
    if (!text)
        return NULL;
    size_t n = strlen(text), o = 0;
    /* whitespace goes and an escape of 6 bytes becomes 2, but a real of 15
     * digits may come back with 17: room grows when a real needs it */
    size_t cap = n + 64;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            i++;
        } else if (c == '"') {
            out[o++] = text[i++];
            while (i < n && text[i] != '"') {
                if (text[i] != '\\') {
                    out[o++] = text[i++];
                    continue;
                }
                if (i + 1 >= n)
                    goto fail;
                if (text[i + 1] != 'u') { /* \" \\ \b \f \n \r \t: jansson writes them back as they are */
                    out[o++] = text[i++];
                    out[o++] = text[i++];
                    continue;
                }
                int cp = i + 6 <= n ? hex4(text + i + 2) : -1;
                if (cp >= 0x80 && cp <= 0x9f) { /* dp_json_dump's C1 escape: jansson writes the character */
                    out[o++] = (char)0xc2;
                    out[o++] = (char)cp;
                } else if (cp >= 0x01 && cp < 0x20) { /* a control character: escaped the same way again */
                    memcpy(out + o, text + i, 6);
                    o += 6;
                } else { /* NUL (jansson refuses to read it back) or an escape jansson never writes */
                    goto fail;
                }
                i += 6;
            }
            if (i >= n)
                goto fail;
            out[o++] = text[i++];
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t e = i;
            int real = 0;
            while (e < n && strchr("0123456789+-.eE", text[e])) {
                real |= text[e] == '.' || text[e] == 'e' || text[e] == 'E';
                e++;
            }
            if (!real) { /* an integer reads back as the same integer */
                memcpy(out + o, text + i, e - i);
                o += e - i;
            } else {
                char num[64], buf[40];
                if (e - i >= sizeof(num))
                    goto fail;
                memcpy(num, text + i, e - i);
                num[e - i] = 0;
                char *end;
                double v = strtod(num, &end);
                if (*end || isinf(v) ||
                    dp_json_real_text(v, 17, buf, sizeof(buf)) < 0) /* overflow: jansson refuses it */
                    goto fail;
                size_t bl = strlen(buf);
                if (o + bl + (n - e) + 1 > cap) { /* the rest never grows but by its reals */
                    size_t ncap = cap + cap / 2 + bl;
                    char *nout = realloc(out, ncap);
                    if (!nout)
                        goto fail;
                    out = nout;
                    cap = ncap;
                }
                memcpy(out + o, buf, bl);
                o += bl;
            }
            i = e;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = 0;
    if (len_out)
        *len_out = o;
    return out;
fail:
    free(out);
    return NULL;
}

/* Error objects: one line, no globals (see STYLE.md, "Errors"). */
#include "util/error.h"
#include "util/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include "dpgen/dpgen.h"
#include <string.h>

const char *dp_escape_line(const char *text, char *out, size_t n)
{
    size_t j = 0;
    if (!n)
        return "";
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && j + 1 < n;) {
        size_t len = dp_utf8_len((const char *)p);
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            out[j++] = ' ';
        } else if (len == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
            /* a C1 control (U+0080..U+009F; U+009B is CSI) */
            if (j + 7 >= n)
                break;
            j += (size_t)snprintf(out + j, n - j, "\\u%04x", p[1]);
        } else if (!len || *p < 0x20 || *p == 0x7f) {
            /* a control byte, or a byte that is not UTF-8 (0x9b alone is CSI to an 8-bit terminal) */
            if (j + 5 >= n)
                break;
            j += (size_t)snprintf(out + j, n - j, "\\x%02x", *p);
            len = 1;
        } else {
            if (j + len >= n)
                break;
            memcpy(out + j, p, len);
            j += len;
            p += len;
            continue;
        }
        p += len ? len : 1;
    }
    out[j] = 0;
    return out;
}

int dp_error_set(dp_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    /* formatted apart first: the arguments may be err->message itself */
    char text[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    dp_escape_line(text, err->message, sizeof(err->message));
    err->code = code;
    return code;
}

int dp_error_prefix(dp_error *err, const char *fmt, ...)
{
    if (!err)
        return DP_ERROR;
    char head[256], text[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    snprintf(text, sizeof(text), "%s: %s", head, err->message);
    dp_escape_line(text, err->message, sizeof(err->message));
    return err->code;
}

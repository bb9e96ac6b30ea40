/* Error objects: one line, no globals (see STYLE.md, "Errors"). */
#include "util/error.h"
#include <stdarg.h>
#include <stdio.h>
#include "dpgen/dpgen.h"
#include <string.h>

const char *dp_escape_line(const char *text, char *out, size_t n)
{
    size_t j = 0;
    if (!n)
        return "";
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && j + 1 < n; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            out[j++] = ' ';
        } else if (*p < 0x20 || *p == 0x7f) {
            if (j + 5 >= n)
                break;
            j += (size_t)snprintf(out + j, n - j, "\\x%02x", *p);
        } else {
            out[j++] = (char)*p;
        }
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

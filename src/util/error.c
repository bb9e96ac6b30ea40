/* Error objects: one line, no globals (see STYLE.md, "Errors"). */
#include "util/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Copies text into out as one safe line: line breaks and tabs become spaces,
 * other control bytes "\xNN" (a request's ESC must not reach a terminal). */
static void one_line(char *out, size_t n, const char *text)
{
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && j + 1 < n; p++) {
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
    one_line(err->message, sizeof(err->message), text);
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
    one_line(err->message, sizeof(err->message), text);
    return err->code;
}

/* Error objects: one line, no globals (see STYLE.md, "Errors"). */
#include "util/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dp_error_set(dp_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    err->code = code;
    return code;
}

int dp_error_prefix(dp_error *err, const char *fmt, ...)
{
    if (!err)
        return DP_ERROR;
    char head[256], old[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof(old));
    snprintf(err->message, sizeof(err->message), "%s: %s", head, old);
    return err->code;
}

/* Per-call error objects: a code callers act on and a one-line message. */
#ifndef DP_UTIL_ERROR_H
#define DP_UTIL_ERROR_H
#include "dpgen/dpgen.h"

/* Sets err (may be NULL) to code and a printf-formatted one-line message;
 * returns code so callers can `return dp_error_set(...)`. */
int dp_error_set(dp_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes an existing message with "what: " (used to add file or stage). */
int dp_error_prefix(dp_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

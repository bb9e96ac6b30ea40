/* Line records for dpgen's caches: fields separated by tabs, records by
 * newlines, with backslash escapes (\\ \t \n \r) so any text survives;
 * numbers ahead of the text fields, each followed by one space. */
#ifndef DP_UTIL_TEXTREC_H
#define DP_UTIL_TEXTREC_H
#include "util/arena.h"
#include "util/buf.h"
#include <stdint.h>

/* Appends s (NULL as "") escaped. */
void dp_textrec_put(dp_buf *b, const char *s);
/* The field at *p up to a tab or newline (not consumed), unescaped into a
 * (NULL when out of memory); *p moves to the tab or newline. */
const char *dp_textrec_field(const char **p, dp_arena *a);
/* A decimal number (an optional '-' first) and the space after it; 0, or
 * -1 when *p does not start with one. */
int dp_textrec_int(const char **p, int64_t *out);

#endif

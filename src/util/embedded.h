/* Files of share/ compiled into the library (scripts/embed.cmake). */
#ifndef DP_UTIL_EMBEDDED_H
#define DP_UTIL_EMBEDDED_H
#include <stddef.h>

/* Contents of share/<name> (NUL-terminated, static) or NULL; *len its size. */
const char *dp_embedded_find(const char *name, size_t *len);

#endif

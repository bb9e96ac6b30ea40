/* UTF-8 validity, for text that is printed or stored as JSON. */
#ifndef DP_UTIL_UTF8_H
#define DP_UTIL_UTF8_H
#include <stddef.h>

/* Length (1-4) of the UTF-8 character at p, or 0 when the bytes there are
 * not one (a stray continuation byte, an overlong form, a surrogate, a
 * character cut by the end of the string). p is NUL-terminated. */
size_t dp_utf8_len(const char *p);
/* Offset of the first byte of s that is not UTF-8, or -1 when s is UTF-8. */
long dp_utf8_bad(const char *s);
/* A JSON text with each C1 control (U+0080..U+009F, which JSON allows raw
 * in strings and a terminal acts on: U+009B is CSI) as its \u escape.
 * Takes json (malloc'd, NULL allowed) and returns the new text (malloc'd;
 * json itself when it has none), NULL when out of memory. */
char *dp_utf8_json_c1(char *json);
/* The length of s cut at n bytes, never inside a UTF-8 character. */
size_t dp_utf8_cut(const char *s, size_t n);

#endif

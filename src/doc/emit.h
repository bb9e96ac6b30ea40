/* Renders JSON trees (jansson) as YAML and JSON text. */
#ifndef DP_DOC_EMIT_H
#define DP_DOC_EMIT_H
#include <jansson.h>
#include "util/buf.h"

/* Appends the YAML rendering of v (block style, keys in insertion order,
 * multi-line strings as literal blocks). Returns 0 or -1 (buffer cap). */
int dp_yaml_emit(dp_buf *out, const json_t *v);
/* Returns malloc'd pretty JSON (2-space indent, key order kept) or NULL. */
char *dp_json_dump(const json_t *v);
/* A real as jansson writes it at precision digits (17: its default;
 * dp_json_dump's 15): "%.*g", ".0" when there is neither a dot nor an
 * exponent, the exponent without '+' and leading zeros. Its length, or -1
 * when n is too small. */
int dp_json_real_text(double v, int precision, char *out, size_t n);
/* json_compact.c: of text dp_json_dump wrote, the malloc'd text
 * json_dumps(json_loads(text), JSON_COMPACT | JSON_PRESERVE_ORDER) gives
 * (reals at jansson's default precision, C1 characters unescaped), and its
 * length in *len (may be NULL); NULL when it cannot be told without the
 * tree (a NUL character, a real past the range of a double) or out of
 * memory: then parse it. */
char *dp_json_compact(const char *text, size_t *len);

#endif

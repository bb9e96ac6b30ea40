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
/* json_compact.c: of text dp_json_dump wrote, the malloc'd text
 * json_dumps(json_loads(text), JSON_COMPACT | JSON_PRESERVE_ORDER) gives
 * (reals at jansson's default precision, C1 characters unescaped), and its
 * length in *len (may be NULL); NULL when it cannot be told without the
 * tree (a NUL character, a real past the range of a double) or out of
 * memory: then parse it. */
char *dp_json_compact(const char *text, size_t *len);

#endif

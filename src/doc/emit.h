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

#endif

/* Text from the command line made safe to print: control bytes escaped. */
#ifndef DP_CLI_ESCAPE_H
#define DP_CLI_ESCAPE_H
#include <stddef.h>

/* s with line breaks and tabs as spaces and other control bytes as "\xNN"
 * (a request's ESC must not reach a terminal), in buf (cut to n); returns buf. */
const char *dp_cli_escape(const char *s, char *buf, size_t n);
/* For a printf argument: the buffer lives until the end of the statement's block. */
#define DP_SAFE(s) dp_cli_escape((s), (char[1024]){0}, 1024)

#endif

/* Text from the command line made safe to print (see escape.h). */
#include "cli/escape.h"
#include "dpgen/dpgen.h"

const char *dp_cli_escape(const char *s, char *buf, size_t n) { return dp_escape_line(s, buf, n); }

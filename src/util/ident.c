/* SQL identifiers: letters, digits and underscores, not starting with a digit. */
#include "util/ident.h"

/* ASCII only, whatever the locale (isalpha would follow it) */
static int word_start(unsigned char c) { return (unsigned char)((c | 32) - 'a') < 26 || c == '_'; }

int dp_is_identifier(const char *s)
{
    if (!s || !word_start((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!word_start((unsigned char)*s) && (unsigned char)(*s - '0') >= 10)
            return 0;
    return 1;
}

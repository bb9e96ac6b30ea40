/* SQL identifiers: letters, digits and underscores, not starting with a digit. */
#include "util/ident.h"
#include <ctype.h>

int dp_is_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

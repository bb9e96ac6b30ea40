/* SQL identifiers: letters, digits and underscores, not starting with a digit. */
#include "util/ident.h"

/* ASCII only, whatever the locale (isalpha would follow it): 1 a letter or
 * '_', 2 a digit, 0 anything else (bytes past 127 too) */
static const unsigned char word[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

static int kind_of(unsigned char c) { return c < 128 ? word[c] : 0; }

int dp_is_identifier(const char *s)
{
    if (!s || kind_of((unsigned char)*s) != 1)
        return 0;
    for (s++; *s; s++)
        if (!kind_of((unsigned char)*s))
            return 0;
    return 1;
}

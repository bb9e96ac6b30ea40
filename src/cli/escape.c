/* Text from the command line made safe to print (see escape.h). */
#include "cli/escape.h"
#include <stdio.h>

const char *dp_cli_escape(const char *s, char *buf, size_t n)
{
    size_t j = 0;
    if (!n)
        return "";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && j + 1 < n; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            buf[j++] = ' ';
        } else if (*p < 0x20 || *p == 0x7f) {
            if (j + 5 >= n)
                break;
            j += (size_t)snprintf(buf + j, n - j, "\\x%02x", *p);
        } else {
            buf[j++] = (char)*p;
        }
    }
    buf[j] = 0;
    return buf;
}

/* SQL quoting of literals and identifiers (declared in catalog/db.h), apart
 * from the database code so that programs with no DuckDB (the request
 * fuzzer) link the compiler, which quotes with them. */
#include "catalog/db.h"

char *dp_sql_quote_literal(const char *s, char *out, size_t n)
{
    size_t j = 0;
    if (n < 3)
        return NULL;
    out[j++] = '\'';
    for (; *s && j + 3 < n; s++) {
        if (*s == '\'')
            out[j++] = '\'';
        out[j++] = *s;
    }
    if (*s)
        return NULL;
    out[j++] = '\'';
    out[j] = 0;
    return out;
}

char *dp_sql_quote_ident(const char *s, char *out, size_t n)
{
    size_t j = 0;
    if (n < 3)
        return NULL;
    out[j++] = '"';
    for (; *s && j + 3 < n; s++) {
        if (*s == '"')
            out[j++] = '"';
        out[j++] = *s;
    }
    if (*s)
        return NULL;
    out[j++] = '"';
    out[j] = 0;
    return out;
}

/* The metric compiler's dialect helpers: identifiers quoted when needed,
 * DuckDB functions translated for PostgreSQL, intervals both dialects read. */
#include "transform/compile_int.h"
#include "catalog/db.h"
#include "util/buf.h"
#include "util/ident.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *dp_comp__qi(comp *c, const char *name)
{
    if (dp_is_identifier(name)) {
        /* lowercase plain identifiers need no quotes */
        int plain = 1;
        for (const char *p = name; *p; p++)
            plain &= !isupper((unsigned char)*p);
        static const char *reserved[] = {"order", "group", "select", "from", "where", "user", "table", "limit",
                                         "offset", "end", "case", "desc", "asc", "all", "and", "or", "not", "to",
                                         "default", "window", "year", "month", "day", "check", "primary", NULL};
        for (int i = 0; reserved[i] && plain; i++)
            plain = strcmp(name, reserved[i]) != 0;
        if (plain)
            return name;
    }
    char buf[512];
    return dp_arena_strdup(c->a, dp_sql_quote_ident(name, buf, sizeof(buf)) ? buf : "\"?\"");
}

/* PostgreSQL has no date_diff: DuckDB's date_diff(part, a, b) (or
 * datediff) counts the boundaries of part between a and b, which is date
 * subtraction for days (and its truncated sevenths for weeks), EXTRACT
 * arithmetic for months, quarters and years, and floored epochs for hours,
 * minutes and seconds. Calls with another part are left as they are (and
 * fail in PostgreSQL with its message). sql is catalog SQL, possibly with
 * nested calls; the DuckDB dialect gets it unchanged. */
const char *dp_comp__pg_functions(comp *c, const char *sql)
{
    if (c->dialect != DP_DIALECT_POSTGRES || !sql)
        return sql;
    int any = 0;
    for (const char *q = sql; *q && !any; q++)
        any = !strncasecmp(q, "datediff", 8) || !strncasecmp(q, "date_diff", 9);
    if (!any)
        return sql;
    static const struct {
        const char *names, *fmt; /* fmt: %1$s is the end, %2$s the start */
    } parts[] = {
        {" day days d ", "(CAST(%1$s AS DATE) - CAST(%2$s AS DATE))"},
        {" week weeks w ", "((CAST(%1$s AS DATE) - CAST(%2$s AS DATE)) / 7)"},
        {" month months mon ", "CAST((EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s)) * 12 + EXTRACT(MONTH FROM %1$s) - "
                               "EXTRACT(MONTH FROM %2$s) AS BIGINT)"},
        {" quarter quarters ", "CAST((EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s)) * 4 + EXTRACT(QUARTER FROM %1$s) - "
                               "EXTRACT(QUARTER FROM %2$s) AS BIGINT)"},
        {" year years y yr ", "CAST(EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s) AS BIGINT)"},
        {" hour hours h hr ", "CAST(floor(EXTRACT(EPOCH FROM %1$s) / 3600) - floor(EXTRACT(EPOCH FROM %2$s) / 3600) AS BIGINT)"},
        {" minute minutes min ", "CAST(floor(EXTRACT(EPOCH FROM %1$s) / 60) - floor(EXTRACT(EPOCH FROM %2$s) / 60) AS BIGINT)"},
        {" second seconds s sec ", "CAST(floor(EXTRACT(EPOCH FROM %1$s)) - floor(EXTRACT(EPOCH FROM %2$s)) AS BIGINT)"},
    };
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            char qc = *p;
            const char *s = p++;
            while (*p && !(*p == qc && p[1] != qc))
                p += *p == qc ? 2 : 1;
            if (*p)
                p++;
            dp_buf_add(&b, s, (size_t)(p - s));
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            dp_buf_add(&b, p, 1);
            p++;
            continue;
        }
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t len = (size_t)(p - s);
        const char *q = p;
        while (isspace((unsigned char)*q))
            q++;
        int fn = *q == '(' && (s == sql || s[-1] != '.') &&
                 ((len == 9 && !strncasecmp(s, "date_diff", 9)) || (len == 8 && !strncasecmp(s, "datediff", 8)));
        /* the three arguments at depth 0 */
        const char *arg[3] = {0}, *end = NULL;
        size_t alen[3] = {0};
        int n = 0, depth = 0;
        for (const char *r = q + 1, *a0 = q + 1; fn && *r && !end; r++) {
            if (*r == '\'' || *r == '"') {
                char qc = *r++;
                while (*r && !(*r == qc && r[1] != qc))
                    r += *r == qc ? 2 : 1;
                if (!*r)
                    break;
            } else if (*r == '(') {
                depth++;
            } else if ((*r == ')' && depth == 0) || (*r == ',' && depth == 0)) {
                if (n == 3) {
                    n = 4;
                    break;
                }
                arg[n] = a0;
                alen[n++] = (size_t)(r - a0);
                a0 = r + 1;
                if (*r == ')')
                    end = r + 1;
            } else if (*r == ')') {
                depth--;
            }
        }
        const char *fmt = NULL;
        if (end && n == 3) {
            while (alen[0] && isspace((unsigned char)*arg[0]))
                arg[0]++, alen[0]--;
            while (alen[0] && isspace((unsigned char)arg[0][alen[0] - 1]))
                alen[0]--;
            char part[24];
            if (alen[0] >= 3 && alen[0] < sizeof(part) && arg[0][0] == '\'' && arg[0][alen[0] - 1] == '\'') {
                snprintf(part, sizeof(part), " %.*s ", (int)alen[0] - 2, arg[0] + 1);
                for (char *z = part; *z; z++)
                    *z = (char)tolower((unsigned char)*z);
                for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !fmt; i++)
                    if (strstr(parts[i].names, part))
                        fmt = parts[i].fmt;
            }
        }
        if (!fmt) {
            dp_buf_add(&b, s, len);
            continue;
        }
        const char *from = dp_comp__pg_functions(c, dp_arena_printf(c->a, "%.*s", (int)alen[1], arg[1]));
        const char *to = dp_comp__pg_functions(c, dp_arena_printf(c->a, "%.*s", (int)alen[2], arg[2]));
        while (isspace((unsigned char)*from))
            from++;
        while (isspace((unsigned char)*to))
            to++;
        char *f2 = dp_arena_strdup(c->a, from), *t2 = dp_arena_strdup(c->a, to);
        for (size_t k = strlen(f2); k && isspace((unsigned char)f2[k - 1]); k--)
            f2[k - 1] = 0;
        for (size_t k = strlen(t2); k && isspace((unsigned char)t2[k - 1]); k--)
            t2[k - 1] = 0;
        dp_buf_printf(&b, fmt, t2, f2);
        p = end;
    }
    if (b.toobig && !c->cut)
        c->cut = dp_arena_printf(c->a, "%.60s...", sql);
    const char *out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
    dp_buf_dispose(&b);
    return out;
}

/* "7 days", "1 month", "2 weeks", "1 quarter" -> an interval both dialects
 * read; NULL when the window is not of that form. */
const char *dp_comp__interval_of(comp *c, long n, const char *unit_in)
{
    char unit[32];
    snprintf(unit, sizeof(unit), "%s", unit_in);
    size_t ul = strlen(unit);
    if (ul > 1 && unit[ul - 1] == 's')
        unit[--ul] = 0;
    if (!strcmp(unit, "quarter")) {
        n *= 3;
        snprintf(unit, sizeof(unit), "month");
    }
    if (n < 0 || n > 100000 || (strcmp(unit, "day") && strcmp(unit, "week") && strcmp(unit, "month") && strcmp(unit, "year")))
        return NULL;
    return dp_arena_printf(c->a, "INTERVAL '%ld %s%s'", n, unit, n == 1 ? "" : "s");
}

const char *dp_comp__interval_sql(comp *c, const char *window)
{
    long n;
    char unit[32];
    if (!window || sscanf(window, "%ld %31s", &n, unit) != 2)
        return NULL;
    return dp_comp__interval_of(c, n, unit);
}

const char *dp_comp__one_line(comp *c, const char *text)
{
    if (!text || !strpbrk(text, "\r\n"))
        return text ? text : "";
    char *out = dp_arena_strdup(c->a, text);
    if (!out)
        return "";
    char *w = out;
    for (const char *r = text; *r; r++) {
        int space = *r == '\n' || *r == '\r' || *r == '\t' || *r == ' ';
        if (space && (w == out || w[-1] == ' '))
            continue;
        *w++ = space ? ' ' : *r;
    }
    while (w > out && w[-1] == ' ')
        w--;
    *w = 0;
    return out;
}

/* SQL rewritten for where it runs: the deployed target table, a dbt
 * project (ref and source), a GX batch or the views of a data contract's
 * local server. */
#include "packaging/odcs.h"
#include "util/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int ident_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int ident_char(unsigned char c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/* Copies text; in dbt mode "{{", "{%" and "{#" become Jinja string
 * expressions so dbt prints them instead of evaluating them. */
static int put_text(dp_buf *b, const char *s, size_t n, int dbt)
{
    size_t run = 0; /* the start of the text not yet copied */
    for (size_t i = 0; dbt && i < n; i++)
        if (s[i] == '{' && i + 1 < n && strchr("{%#", s[i + 1])) {
            if (dp_buf_add(b, s + run, i - run) || dp_buf_printf(b, "{{ '{%c' }}", s[i + 1]))
                return -1;
            run = ++i + 1;
        }
    return dp_buf_add(b, s + run, n - run);
}

/* One identifier at *pp (bare or "quoted"); its value (unquoted) goes to
 * val. Returns 0, or -1 when it is longer than the buffer (then it is only
 * skipped). */
static int read_ident(const char **pp, char *val, size_t n, int *quoted)
{
    const char *p = *pp;
    size_t len = 0;
    int fits = 1;
    *quoted = *p == '"';
    if (*quoted) {
        p++;
        while (*p) {
            if (*p == '"') {
                if (p[1] != '"')
                    break;
                p++;
            }
            if (len + 1 < n)
                val[len++] = *p;
            else
                fits = 0;
            p++;
        }
        if (*p == '"')
            p++;
    } else {
        while (ident_char((unsigned char)*p)) {
            if (len + 1 < n)
                val[len++] = *p;
            else
                fits = 0;
            p++;
        }
    }
    val[len] = 0;
    *pp = p;
    return fits ? 0 : -1;
}

static void note_table(json_t *tables, const char *schema, const char *table)
{
    if (!tables)
        return;
    char *qn = NULL;
    size_t n = strlen(schema) + strlen(table) + 2;
    if (!(qn = malloc(n)))
        return;
    snprintf(qn, n, "%s.%s", schema, table);
    size_t i;
    json_t *v;
    int dup = 0;
    json_array_foreach(tables, i, v)
        dup |= !strcmp(json_string_value(v), qn);
    if (!dup)
        json_array_append_new(tables, json_string(qn));
    free(qn);
}

static int safe_jinja_arg(const char *s) { return *s && !strpbrk(s, "'\\{}%#\n\r"); }

static char *retarget(const char *sql, const dp_sql_target *t, const json_t *rename)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const char *p = sql ? sql : "";
    size_t tlen = t->temp ? strlen(t->temp) : 0;
    int after_from = 0, bad = 0;
    /* FROM names a table only in a query: at the top, or in parentheses
     * that open with SELECT or WITH (not in EXTRACT(x FROM y), nor in
     * IS [NOT] DISTINCT FROM) */
    enum { PAREN_UNKNOWN, PAREN_QUERY, PAREN_OTHER };
    unsigned char parens[64];
    size_t depth = 0;
    char prev[16] = "";
    while (*p && !bad) {
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
            const char *e = p[0] == '-' ? strchr(p, '\n') : strstr(p + 2, "*/");
            size_t n = e ? (size_t)(e - p) + (p[0] == '/' ? 2 : 0) : strlen(p);
            bad = put_text(&b, p, n, t->dbt);
            p += n;
            continue;
        }
        if (depth && depth <= sizeof(parens) && parens[depth - 1] == PAREN_UNKNOWN && !isspace((unsigned char)*p) &&
            *p != '"' && !ident_start((unsigned char)*p))
            parens[depth - 1] = PAREN_OTHER;
        if (*p == '\'') {
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            /* the literal, with the result table's name replaced inside it */
            for (const char *q = s; q < p && !bad;) {
                if (tlen && t->result_literal && !strncmp(q, t->temp, tlen) && q + tlen <= p &&
                    !ident_char((unsigned char)q[tlen]) && (q == s || !ident_char((unsigned char)q[-1]))) {
                    bad = put_text(&b, t->result_literal, strlen(t->result_literal), t->dbt);
                    q += tlen;
                } else {
                    size_t n = q + 1 < p && q[0] == '{' && strchr("{%#", q[1]) ? 2 : 1;
                    bad = put_text(&b, q, n, t->dbt);
                    q += n;
                }
            }
            after_from = 0;
            continue;
        }
        if (*p == '"' || ident_start((unsigned char)*p)) {
            const char *s = p;
            char a[256], c[256];
            int qa, qc;
            int fa = read_ident(&p, a, sizeof(a), &qa);
            if (*p == '.' && (p[1] == '"' || ident_start((unsigned char)p[1]))) {
                const char *q = p + 1;
                int fc = read_ident(&q, c, sizeof(c), &qc);
                int three = *q == '.';
                if (depth && depth <= sizeof(parens) && parens[depth - 1] == PAREN_UNKNOWN)
                    parens[depth - 1] = PAREN_OTHER;
                char qual[520];
                snprintf(qual, sizeof(qual), "%s.%s", a, c);
                if (!three && !qa && !qc && tlen && !strcmp(qual, t->temp)) { /* the product itself */
                    bad = put_text(&b, t->result, strlen(t->result), 0);
                    p = q;
                    after_from = 0;
                    continue;
                }
                if (after_from && !three && !fa && !fc) {
                    note_table(t->tables, a, c);
                    const char *to = json_string_value(json_object_get(rename, qual));
                    if (to) {
                        bad = put_text(&b, to, strlen(to), t->dbt);
                        p = q;
                        after_from = 0;
                        continue;
                    }
                    if (t->dbt && safe_jinja_arg(a) && safe_jinja_arg(c)) {
                        bad = dp_buf_printf(&b, "{{ source('%s', '%s') }}", a, c);
                        p = q;
                        after_from = 0;
                        continue;
                    }
                }
                bad = put_text(&b, s, (size_t)(q - s), t->dbt);
                p = q;
                after_from = 0;
                continue;
            }
            if (!qa && !fa && tlen && !strcmp(a, t->temp))
                bad = put_text(&b, t->result, strlen(t->result), 0);
            else
                bad = put_text(&b, s, (size_t)(p - s), t->dbt);
            unsigned char *top = depth && depth <= sizeof(parens) ? &parens[depth - 1] : NULL;
            int in_query = !depth || (top && *top == PAREN_QUERY);
            if (top && *top == PAREN_UNKNOWN)
                *top = !qa && (!strcasecmp(a, "select") || !strcasecmp(a, "with")) ? PAREN_QUERY : PAREN_OTHER;
            after_from =
                !qa && in_query && ((!strcasecmp(a, "from") && strcasecmp(prev, "distinct")) || !strcasecmp(a, "join"));
            /* the word before (only "distinct" is asked for): cut to fit */
            size_t pl = qa ? 0 : strnlen(a, sizeof(prev) - 1);
            memcpy(prev, a, pl);
            prev[pl] = 0;
            continue;
        }
        if (*p == '(') {
            if (depth < sizeof(parens))
                parens[depth] = PAREN_UNKNOWN;
            depth++;
        } else if (*p == ')' && depth) {
            depth--;
        }
        if (!isspace((unsigned char)*p)) {
            after_from = 0;
            prev[0] = 0;
        }
        bad = put_text(&b, p, 1, t->dbt);
        p++;
    }
    if (bad || b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

char *dp_packaging__sql_retarget(const char *sql, const dp_sql_target *t) { return retarget(sql, t, NULL); }

char *dp_packaging__sql_retarget_renamed(const char *sql, const dp_sql_target *t, const json_t *rename)
{
    return retarget(sql, t, rename);
}

/* The name the spec's rules use for the product's table: the target table
 * (the run checked them on its temporary copy). */
int dp_packaging__temp_table(char *out, size_t n, const json_t *spec)
{
    const char *target = json_string_value(json_object_get(json_object_get(spec, "data_model"), "target_table"));
    if (!target || !*target || snprintf(out, n, "%s", target) >= (int)n)
        return -1;
    return 0;
}

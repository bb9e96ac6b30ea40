/* What binding does when an element does not bind (problems.h): the
 * element is disabled with its reason, here in one place; bind.c calls it. */
#include "catalog/problems.h"
#include "util/error.h"
#include "util/ident.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Edit distance of two short names, case aside (larger than 64: 99). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[65];
    if (la > 64 || lb > 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[lb];
}

/* The table's column a typo most likely meant, or NULL. */
static const char *closest_column(const dp_model *m, const char *name)
{
    const char *best = NULL;
    size_t bd = strlen(name) / 3 + 1;
    for (size_t i = 0; i < m->ncolumns; i++) {
        size_t d = distance(name, m->columns[i].name);
        if (d <= bd && (!best || d < bd)) {
            best = m->columns[i].name;
            bd = d;
        }
    }
    return best;
}

/* An expr that does not bind switches its element off (problems.h): a bare
 * name the table lacks, or an expression DuckDB cannot prepare over the
 * table. One prepare per expression, at most DP_EXPR_PREPARE_MAX per
 * catalog (problems.h; the rest are left to the compiler's own checks). */
int dp_bind__check_expr(dp_kg *kg, dp_exprprobe *probe, const dp_model *m, const char *kind, const char *name,
                        const char *expr, dp_src_pos pos, dp_disabled *off, size_t *prepares, const char **type_out,
                        dp_error *err)
{
    char why[900], hint[700];
    hint[0] = 0; /* not "" in the declaration: that clears 700 bytes, per column */
    if (off->reason)
        return 0; /* never prepared: an expr refused when the catalog loaded (expr_check.c) */
    if (dp_is_identifier(expr)) {
        if (dp_kg_model_column(m, expr))
            return 0;
        const char *close = closest_column(m, expr);
        if (close) {
            snprintf(hint, sizeof(hint), "did you mean '%s'?", close);
        } else {
            size_t off_ = (size_t)snprintf(hint, sizeof(hint), "columns of %s.%s: ", m->schema, m->table);
            for (size_t i = 0; i < m->ncolumns && off_ < sizeof(hint) - 40; i++)
                off_ += (size_t)snprintf(hint + off_, sizeof(hint) - off_, "%s%s", i ? ", " : "", m->columns[i].name);
        }
        snprintf(why, sizeof(why), "uses column '%s', which table %s.%s does not have", expr, m->schema, m->table);
    } else {
        if (!probe || ++*prepares > DP_EXPR_PREPARE_MAX)
            return 0;
        char qs[300], qt[300], sql[4096], msg[400] = "", type[64] = "";
        if (!dp_sql_quote_ident(m->schema, qs, sizeof(qs)) || !dp_sql_quote_ident(m->table, qt, sizeof(qt)) ||
            (size_t)snprintf(sql, sizeof(sql), "SELECT %s FROM %s.%s LIMIT 0", expr, qs, qt) >= sizeof(sql))
            return 0;
        int bad = 0;
        if (dp_exprprobe_run(probe, sql, &bad, msg, sizeof(msg), type, sizeof(type), err))
            return err ? err->code : DP_EENGINE;
        if (!bad) {
            if (type_out)
                *type_out = type[0] ? dp_arena_strdup(kg->arena, type) : NULL;
            return 0;
        }
        snprintf(why, sizeof(why), "has expr '%.200s', which does not run on table %s.%s: %s", expr, m->schema,
                 m->table, msg);
    }
    const char *full = dp_arena_printf(kg->arena, "%s.%s", m->name, name);
    int rc = full ? dp_catalog__disable(kg, off, kind, full, why, hint[0] ? hint : NULL, pos) : DP_ENOMEM;
    return rc == DP_ENOMEM ? dp_error_set(err, DP_ENOMEM, "out of memory") : rc;
}

/* A model whose relation the database does not have is disabled with all
 * of it; reason and hint are bind.c's (dp_bind_missing_relation), the one
 * message for it. 0 or DP_ENOMEM. */
int dp_bind__missing_relation(dp_kg *kg, dp_model *m, const char *reason, const char *hint)
{
    char why[900];
    snprintf(why, sizeof(why), "is not built: %s", reason);
    return dp_catalog__disable(kg, &m->off, "semantic_model", m->name, why, hint, m->pos);
}

/* Catalog SQL expressions (expr, filter) are allowed only what the
 * allow-list says, checked on PostgreSQL's parse tree (libpg_query) of
 * SELECT <expr>: columns, literals, operators, CASE/CAST/IN/... and the
 * functions of expr_functions.c; never a subquery, a table function, a
 * qualified name or a function the list lacks. */
#include "sql/check.h"
#include "util/error.h"
#include "util/ident.h"
#include <jansson.h>
#include <pg_query.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longer than any expression a catalog writes; deeper is refused too. */
#define MAX_EXPR_LEN 16384
#define MAX_DEPTH 2040 /* jansson stops at 2048; a sum of 500 terms nests about 4 a term */

typedef struct walk {
    dp_sql_walker base; /* first: the walk's callbacks get it */
    dp_error *err;
} walk;

/* Node types whose every child is checked in turn (all others refused). */
/* clang-format off */
static const char *const plain_nodes[] = {
    "A_Const", "A_Expr", "BoolExpr", "NullTest", "BooleanTest", "CaseExpr", "CaseWhen", "CoalesceExpr",
    "MinMaxExpr", "TypeCast", "TypeName", "List", "SortBy", "A_Indirection", "A_Indices", "A_ArrayExpr",
    "RowExpr", "CollateClause", "String", "Integer", "Float", "Boolean", "BitString", NULL};

/* Operators: arithmetic, comparison, text and pattern matching, bits. */
static const char *const operators[] = {
    "+", "-", "*", "/", "%", "^", "//", "**", "=", "<>", "!=", "<", ">", "<=", ">=", "||", "~~", "!~~", "~~*",
    "!~~*", "~", "!~", "~*", "!~*", "&", "|", "<<", ">>", "@", "^@", "->", "->>", "BETWEEN", "NOT BETWEEN",
    "BETWEEN SYMMETRIC", "NOT BETWEEN SYMMETRIC", NULL};

/* SQL value functions: today's date and time, not who or where the
 * session is. */
static const char *const value_functions[] = {
    "SVFOP_CURRENT_DATE", "SVFOP_CURRENT_TIME", "SVFOP_CURRENT_TIME_N", "SVFOP_CURRENT_TIMESTAMP",
    "SVFOP_CURRENT_TIMESTAMP_N", "SVFOP_LOCALTIME", "SVFOP_LOCALTIME_N", "SVFOP_LOCALTIMESTAMP",
    "SVFOP_LOCALTIMESTAMP_N", NULL};
/* clang-format on */

int dp_sql__operator(const char *op)
{
    for (size_t i = 0; op && operators[i]; i++)
        if (!strcmp(operators[i], op))
            return 1;
    return 0;
}

static int listed(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

static int refuse(walk *w, const char *fmt, const char *arg)
{
    char msg[300];
    snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
    return dp_error_set(w->err, DP_EINVALID, "%s", msg);
}

#define sval dp_sql__sval
#define check_value(w, v) dp_sql__walk_value(&(w)->base, (v))
#define check_children(w, body) dp_sql__walk_children(&(w)->base, (body))

static int check_func(walk *w, json_t *f)
{
    json_t *name = json_object_get(f, "funcname");
    size_t n = json_array_size(name);
    const char *fn = sval(json_array_get(name, n ? n - 1 : 0));
    char shown[160];
    snprintf(shown, sizeof(shown), "%.120s%s", fn ? fn : "?", n > 1 ? " (schema-qualified)" : "");
    /* pg_catalog.extract and the like come from SQL syntax (EXTRACT(... FROM
     * ...), TRIM, POSITION), not from a name the text wrote */
    const char *how = json_string_value(json_object_get(f, "funcformat"));
    const char *schema = n == 2 ? sval(json_array_get(name, 0)) : NULL;
    /* x SIMILAR TO p calls it on p (an explicit call of the grammar's) */
    int similar = fn && !strcmp(fn, "similar_to_escape");
    int grammar = schema && !strcmp(schema, "pg_catalog") && ((how && !strcmp(how, "COERCE_SQL_SYNTAX")) || similar);
    if (!fn || (n != 1 && !grammar))
        return refuse(w, "calls %s; a catalog expression calls functions by their bare name", shown);
    if (!dp_sql_expr_function(fn) && !(grammar && similar))
        return refuse(w, "calls %s(), which is not one of the functions a catalog expression may call", fn);
    if (json_object_get(f, "over"))
        return refuse(w, "calls %s() OVER (...); a window function is not allowed in a catalog expression", fn);
    if (json_is_true(json_object_get(f, "agg_star")) && strcasecmp(fn, "count"))
        return refuse(w, "calls %s(*); only count(*) takes a star", fn);
    if (json_is_true(json_object_get(f, "func_variadic")))
        return refuse(w, "calls %s(VARIADIC ...), which is not allowed in a catalog expression", fn);
    static const char *const parts[] = {"args", "agg_order", "agg_filter", NULL};
    for (size_t i = 0; parts[i]; i++) {
        int rc = check_value(w, json_object_get(f, parts[i]));
        if (rc)
            return rc;
    }
    return 0;
}

static int check_node(walk *w, const char *type, json_t *body)
{
    if (!strcmp(type, "ColumnRef")) {
        json_t *fields = json_object_get(body, "fields");
        if (json_array_size(fields) != 1 || !sval(json_array_get(fields, 0)))
            return refuse(w, "names %s; a catalog expression names columns of its own table by their bare name",
                          json_array_size(fields) == 1 ? "'*'" : "a qualified column (table.column)");
        return 0;
    }
    if (!strcmp(type, "FuncCall"))
        return check_func(w, body);
    if (!strcmp(type, "A_Expr")) {
        json_t *name = json_object_get(body, "name");
        const char *op = sval(json_array_get(name, json_array_size(name) ? json_array_size(name) - 1 : 0));
        if (json_array_size(name) != 1 || !listed(operators, op))
            return refuse(w, "uses operator '%s', which is not allowed in a catalog expression", op ? op : "?");
        return check_children(w, body);
    }
    if (!strcmp(type, "SQLValueFunction")) {
        const char *op = json_string_value(json_object_get(body, "op"));
        if (!listed(value_functions, op))
            return refuse(w,
                          "uses %s, which is not allowed in a catalog expression (only the current date and time are)",
                          op && !strncmp(op, "SVFOP_", 6) ? op + 6 : "?");
        return 0;
    }
    if (!strcmp(type, "A_Indirection")) { /* x[1]; a field (x).f could name another table's row */
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(body, "indirection"), i, c) {
            if (!json_object_get(c, "A_Indices"))
                return refuse(w, "%sselects a field ((x).field), which is not allowed in a catalog expression", "");
        }
        return check_children(w, body);
    }
    if (!strcmp(type, "SubLink"))
        return refuse(w, "%sholds a subquery; a catalog expression reads only its own table's row", "");
    if (!strcmp(type, "A_Star"))
        return refuse(w, "%suses '*' (all columns), which is not allowed in a catalog expression", "");
    if (!strcmp(type, "ParamRef"))
        return refuse(w, "%suses a parameter ($n), which is not allowed in a catalog expression", "");
    if (!listed(plain_nodes, type))
        return refuse(w, "uses SQL of kind %s, which is not allowed in a catalog expression", type);
    return check_children(w, body);
}

static int on_node(dp_sql_walker *b, const char *type, json_t *body) { return check_node((walk *)b, type, body); }

/* Text the two parsers (PostgreSQL's here, DuckDB's when it runs) might
 * split differently is refused before parsing: comments, ';', dollar
 * quotes, E'' and U&'' strings. Quoted text and names are skipped. */
int dp_sql__lexical(const char *s, const char *what, dp_error *err)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *w = p; /* the word right before the quote: E, U& */
            while (w > s && (w[-1] == '_' || isalnum((unsigned char)w[-1])))
                w--;
            if ((p - w == 1 && (*w | 32) == 'e') || (p - s >= 2 && p[-1] == '&' && (p[-2] | 32) == 'u'))
                return dp_error_set(err, DP_EINVALID,
                                    "has an escape string (E'...' or U&'...'), which is not allowed in %s", what);
            const char *close = strchr(p + 1, *p);
            if (!close)
                return dp_error_set(err, DP_EINVALID, "has an unclosed quote");
            p = close;
            continue;
        }
        if ((*p == '-' && p[1] == '-') || (*p == '/' && p[1] == '*'))
            return dp_error_set(err, DP_EINVALID, "holds an SQL comment, which is not allowed in %s", what);
        if (*p == ';' || *p == '$' || *p == '\\')
            return dp_error_set(err, DP_EINVALID, "holds '%c', which is not allowed in %s", *p, what);
    }
    return 0;
}

int dp_sql_check_expr(const char *expr, dp_error *err)
{
    if (!expr || !*expr)
        return dp_error_set(err, DP_EINVALID, "is empty");
    size_t len = strlen(expr);
    if (len > MAX_EXPR_LEN)
        return dp_error_set(err, DP_ELIMIT, "is longer than %d bytes", MAX_EXPR_LEN);
    /* one name is a column of the table (binding checks the table has it),
     * even a word SQL reserves (offset, user) */
    if (dp_is_identifier(expr))
        return 0;
    int rc = dp_sql__lexical(expr, "a catalog expression", err);
    if (rc)
        return rc;
    char *sql = malloc(len + 16);
    if (!sql)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    memcpy(sql, "SELECT ", 7);
    memcpy(sql + 7, expr, len + 1);
    PgQueryParseResult r = pg_query_parse(sql);
    free(sql);
    json_t *tree = NULL;
    if (r.error) {
        rc = dp_error_set(err, DP_EINVALID,
                          "does not parse as an SQL expression (%.200s); DuckDB-only syntax is not "
                          "allowed in a catalog expression",
                          r.error->message);
        goto done;
    }
    json_error_t je;
    if (!(tree = json_loads(r.parse_tree, 0, &je))) {
        rc = dp_error_set(err, DP_ELIMIT, "nests deeper than %d levels", MAX_DEPTH);
        goto done;
    }
    json_t *stmts = json_object_get(tree, "stmts");
    json_t *sel = json_object_get(json_object_get(json_array_get(stmts, 0), "stmt"), "SelectStmt");
    /* one bare target: no FROM, WHERE, UNION, alias ... smuggled after it */
    json_t *targets = json_object_get(sel, "targetList");
    json_t *target = json_object_get(json_array_get(targets, 0), "ResTarget");
    const char *k;
    json_t *c;
    int extra = json_array_size(stmts) != 1 || !sel || json_array_size(targets) != 1 || !target;
    json_object_foreach(sel, k, c) {
        if (strcmp(k, "targetList") && strcmp(k, "limitOption") && strcmp(k, "op"))
            extra = 1;
    }
    const char *op = json_string_value(json_object_get(sel, "op"));
    json_object_foreach(target, k, c) {
        if (strcmp(k, "val") && strcmp(k, "location"))
            extra = 1;
    }
    if (extra || !op || strcmp(op, "SETOP_NONE")) {
        rc = dp_error_set(err, DP_EINVALID, "is not one expression (a clause, alias or list follows it)");
        goto done;
    }
    walk w = {{on_node, 0, MAX_DEPTH, err}, err};
    rc = check_value(&w, json_object_get(target, "val"));
done:
    json_decref(tree);
    pg_query_free_parse_result(r);
    return rc;
}

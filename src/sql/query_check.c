/* SQL written by someone else (a language model) before it is prepared:
 * one SELECT, on PostgreSQL's parse tree (libpg_query), that reads only the
 * catalog's relations, its own CTEs and subqueries, and calls only the
 * functions catalog expressions may call plus window functions. Table
 * functions (read_csv, read_text, glob, query, duckdb_settings...), any
 * statement but SELECT, settings and comments are refused with the reason;
 * DuckDB then prepares it read-only under the run's limits. */
#include "sql/check.h"
#include "util/error.h"
#include <jansson.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_QUERY_LEN (64 * 1024)
#define MAX_DEPTH 2000 /* jansson stops at 2048 */
#define MAX_CTES 64

typedef struct qwalk {
    dp_sql_walker base; /* first: the walk's callbacks get it */
    int (*known)(void *, const char *, const char *);
    void *payload;
    const char *ctes[MAX_CTES];
    size_t nctes;
    dp_error *err;
} qwalk;

/* Window functions, beside the catalog expressions' list. */
static const char *const window_functions[] = {"row_number",  "rank",       "dense_rank", "percent_rank",
                                               "cume_dist",   "ntile",      "lag",        "lead",
                                               "first_value", "last_value", "nth_value",  NULL};

/* Node types whose every child is checked in turn. */
static const char *const plain[] = {"A_Const",        "A_Expr",    "BoolExpr",      "NullTest",      "BooleanTest",
                                    "CaseExpr",       "CaseWhen",  "CoalesceExpr",  "MinMaxExpr",    "TypeCast",
                                    "TypeName",       "List",      "SortBy",        "A_Indirection", "A_Indices",
                                    "A_ArrayExpr",    "RowExpr",   "CollateClause", "String",        "Integer",
                                    "Float",          "Boolean",   "BitString",     "ResTarget",     "JoinExpr",
                                    "Alias",          "WindowDef", "GroupingSet",   "A_Star",        "SubLink",
                                    "RangeSubselect", NULL};

static int listed(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcasecmp(list[i], s))
            return 1;
    return 0;
}

#define sval dp_sql__sval
#define check_value(w, v) dp_sql__walk_value(&(w)->base, (v))
#define children(w, body) dp_sql__walk_children(&(w)->base, (body))

static int refuse(qwalk *w, const char *fmt, const char *arg)
{
    char msg[400];
    snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
    return dp_error_set(w->err, DP_EINVALID, "%s", msg);
}

static int is_cte(const qwalk *w, const char *name)
{
    for (size_t i = 0; i < w->nctes; i++)
        if (!strcasecmp(w->ctes[i], name))
            return 1;
    return 0;
}

static int check_func(qwalk *w, json_t *f)
{
    json_t *name = json_object_get(f, "funcname");
    size_t n = json_array_size(name);
    const char *fn = sval(json_array_get(name, n ? n - 1 : 0));
    const char *how = json_string_value(json_object_get(f, "funcformat"));
    const char *schema = n == 2 ? sval(json_array_get(name, 0)) : NULL;
    int grammar = schema && !strcmp(schema, "pg_catalog") && how && !strcmp(how, "COERCE_SQL_SYNTAX");
    if (!fn || (n != 1 && !grammar))
        return refuse(w, "calls %.120s by a qualified name; functions are called by their bare name", fn ? fn : "?");
    if (!grammar && !dp_sql_expr_function(fn) && !listed(window_functions, fn))
        return refuse(w, "calls %.120s(), which is not one of the functions it may call", fn);
    if (listed(window_functions, fn) && !json_object_get(f, "over"))
        return refuse(w, "calls %.120s() without OVER (...)", fn);
    if (json_is_true(json_object_get(f, "func_variadic")))
        return refuse(w, "calls %.120s(VARIADIC ...)", fn);
    static const char *const parts[] = {"args", "agg_order", "agg_filter", "over", NULL};
    for (size_t i = 0; parts[i]; i++) {
        int rc = check_value(w, json_object_get(f, parts[i]));
        if (rc)
            return rc;
    }
    return 0;
}

static int check_select(qwalk *w, json_t *sel)
{
    if (json_object_get(sel, "intoClause") || json_object_get(sel, "lockingClause"))
        return refuse(w, "%sis not read-only (INTO or FOR UPDATE)", "");
    json_t *with = json_object_get(sel, "withClause"); /* a struct of its own, not a node */
    if (json_object_get(with, "WithClause"))
        with = json_object_get(with, "WithClause");
    if (with) {
        if (json_is_true(json_object_get(with, "recursive")))
            return refuse(w, "%shas a recursive CTE, which is not allowed", "");
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(with, "ctes"), i, c) {
            json_t *cte = json_object_get(c, "CommonTableExpr");
            const char *nm = json_string_value(json_object_get(cte, "ctename"));
            if (!cte || !nm)
                return refuse(w, "%shas a CTE it cannot read", "");
            if (w->nctes == MAX_CTES)
                return refuse(w, "%shas too many CTEs", "");
            int rc = check_value(w, json_object_get(cte, "ctequery"));
            if (rc)
                return rc;
            w->ctes[w->nctes++] = nm; /* named after its own query: no self-reference */
        }
    }
    const char *k;
    json_t *c;
    json_object_foreach(sel, k, c) {
        if (!strcmp(k, "withClause"))
            continue;
        int rc = check_value(w, c);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_node(qwalk *w, const char *type, json_t *body)
{
    if (!strcmp(type, "SelectStmt"))
        return check_select(w, body);
    if (!strcmp(type, "RangeVar")) {
        const char *rel = json_string_value(json_object_get(body, "relname"));
        const char *sch = json_string_value(json_object_get(body, "schemaname"));
        if (json_object_get(body, "catalogname"))
            return refuse(w, "reads %.120s through another database's name", rel);
        if (!rel)
            return refuse(w, "%sreads a relation it does not name", "");
        if (!sch && is_cte(w, rel))
            return 0;
        if (!w->known(w->payload, sch, rel)) {
            char shown[300];
            snprintf(shown, sizeof(shown), "%s%s%s", sch ? sch : "", sch ? "." : "", rel);
            return refuse(w, "reads %s, which is not a table of the catalog", shown);
        }
        return 0;
    }
    if (!strcmp(type, "RangeFunction") || !strcmp(type, "RangeTableFunc"))
        return refuse(w, "%sreads from a table function (read_csv, glob, query...), which is not allowed", "");
    if (!strcmp(type, "RangeTableSample"))
        return refuse(w, "%suses TABLESAMPLE, which is not allowed", "");
    if (!strcmp(type, "ColumnRef"))
        return 0; /* DuckDB's prepare says whether the relations have it */
    if (!strcmp(type, "FuncCall"))
        return check_func(w, body);
    if (!strcmp(type, "A_Expr")) {
        json_t *name = json_object_get(body, "name");
        const char *op = sval(json_array_get(name, json_array_size(name) ? json_array_size(name) - 1 : 0));
        if (json_array_size(name) != 1 || !dp_sql__operator(op))
            return refuse(w, "uses operator '%s', which is not allowed", op ? op : "?");
        return children(w, body);
    }
    if (!strcmp(type, "SQLValueFunction")) {
        const char *op = json_string_value(json_object_get(body, "op"));
        if (!op || (strncmp(op, "SVFOP_CURRENT_DATE", 18) && strncmp(op, "SVFOP_CURRENT_TIME", 18) &&
                    strncmp(op, "SVFOP_LOCALTIME", 15)))
            return refuse(w, "uses %s, which is not allowed (only the current date and time are)",
                          op && !strncmp(op, "SVFOP_", 6) ? op + 6 : "?");
        return 0;
    }
    if (!strcmp(type, "ParamRef"))
        return refuse(w, "%suses a parameter ($n)", "");
    if (!listed(plain, type))
        return refuse(w, "uses SQL of kind %s, which is not allowed", type);
    return children(w, body);
}

static int on_node(dp_sql_walker *b, const char *type, json_t *body) { return check_node((qwalk *)b, type, body); }

int dp_sql_check_query(const char *sql, int (*known)(void *payload, const char *schema, const char *name),
                       void *payload, dp_error *err)
{
    if (!sql || !*sql)
        return dp_error_set(err, DP_EINVALID, "is empty");
    if (strlen(sql) > MAX_QUERY_LEN)
        return dp_error_set(err, DP_ELIMIT, "is longer than %d bytes", MAX_QUERY_LEN);
    int rc = dp_sql__lexical(sql, "SQL dpgen runs for others", err);
    if (rc)
        return rc;
    PgQueryParseResult r = pg_query_parse(sql);
    json_t *tree = NULL;
    if (r.error) {
        rc = dp_error_set(err, DP_EINVALID, "does not parse (%.200s at character %d)", r.error->message,
                          r.error->cursorpos);
        goto done;
    }
    json_error_t je;
    if (!(tree = json_loads(r.parse_tree, 0, &je))) {
        rc = dp_error_set(err, DP_ELIMIT, "nests deeper than %d levels", MAX_DEPTH);
        goto done;
    }
    json_t *stmts = json_object_get(tree, "stmts");
    json_t *stmt = json_object_get(json_array_get(stmts, 0), "stmt");
    if (json_array_size(stmts) != 1 || !json_object_get(stmt, "SelectStmt")) {
        rc = dp_error_set(err, DP_EINVALID, "is not one SELECT statement");
        goto done;
    }
    qwalk w = {{on_node, 0, MAX_DEPTH, err}, known, payload, {0}, 0, err};
    rc = check_value(&w, stmt);
done:
    json_decref(tree);
    pg_query_free_parse_result(r);
    return rc;
}

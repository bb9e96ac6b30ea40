/* SQL safety: the generated query must be exactly one SELECT (or WITH ...
 * SELECT), checked with libpg_query (PostgreSQL's own parser) before it runs. */
#ifndef DP_SQL_CHECK_H
#define DP_SQL_CHECK_H
#include "dpgen/dpgen.h"

/* 0 when sql parses as one read-only SELECT statement; DP_EINVALID with the
 * parser's message (and position) otherwise. */
int dp_sql_check_select(const char *sql, dp_error *err);

/* 0 when expr, a catalog expression (a dimension's or measure's expr, a
 * filter with its templates already replaced), holds only what the
 * allow-list of expr_check.c takes: bare column names, literals,
 * operators, CASE/CAST/COALESCE/NULLIF/IN/BETWEEN/LIKE/IS and the functions
 * dp_sql_expr_function lists. Else DP_EINVALID (or DP_ELIMIT when too long
 * or deep) with err->message a predicate of the expression: "calls
 * read_csv(), which is not one of ...". DP_ENOMEM. */
int dp_sql_check_expr(const char *expr, dp_error *err);
/* query_check.c: 0 when sql, a query written by someone else (a language
 * model), is one SELECT reading only relations known(payload, schema, name)
 * says are the catalog's (schema NULL: unqualified), or its own CTEs and
 * subqueries, and calling only functions of the allow-list (plus window
 * functions): never a table function (read_csv, glob, query...), a
 * setting, a comment or a second statement. Else DP_EINVALID (DP_ELIMIT
 * when too long or deep) with the reason. DP_ENOMEM. */
int dp_sql_check_query(const char *sql, int (*known)(void *payload, const char *schema, const char *name),
                       void *payload, dp_error *err);
/* tree_walk.c: the parse-tree walk both checkers use; a checker's own
 * state starts with a dp_sql_walker (node is called for each node). */
#include <jansson.h>
typedef struct dp_sql_walker {
    int (*node)(struct dp_sql_walker *w, const char *type, json_t *body);
    int depth, max_depth;
    dp_error *err;
} dp_sql_walker;
int dp_sql__walk_value(dp_sql_walker *w, json_t *v);
int dp_sql__walk_children(dp_sql_walker *w, json_t *body);
/* The text of a String node, NULL when not one. */
const char *dp_sql__sval(json_t *node);
/* Shared by the checkers: an operator allowed; text the two parsers could
 * split differently (comments, ';', dollar quotes, escape strings), what
 * naming the text in the message. */
int dp_sql__operator(const char *op);
int dp_sql__lexical(const char *s, const char *what, dp_error *err);
/* 1 when a catalog expression may call the function (any case). */
int dp_sql_expr_function(const char *name);
/* The i-th function of the list (sorted), NULL past its end. */
const char *dp_sql_expr_function_at(size_t i);

#endif

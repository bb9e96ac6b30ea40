/* A SQL text's parse tree by PostgreSQL's grammar (libpg_query's JSON read
 * by jansson), kept in a memo (util/json_memo.h) for the runs that ask for
 * the same text again. */
#ifndef DP_SQL_PARSE_KEPT_H
#define DP_SQL_PARSE_KEPT_H
#include "util/json_memo.h"

/* A new reference to the tree ({"version", "stmts"}), NULL when sql does
 * not parse; memo may be NULL (parsed, not kept). The tree is shared:
 * read it, never change it. */
json_t *dp_sql_parse_kept(dp_json_memo *memo, const char *sql);

#endif

/* SQL safety: the generated query must be exactly one SELECT (or WITH ...
 * SELECT), checked with libpg_query (PostgreSQL's own parser) before it runs. */
#ifndef DP_SQL_CHECK_H
#define DP_SQL_CHECK_H
#include "dpgen/dpgen.h"

/* 0 when sql parses as one read-only SELECT statement; DP_EINVALID with the
 * parser's message (and position) otherwise. */
int dp_sql_check_select(const char *sql, dp_error *err);

#endif

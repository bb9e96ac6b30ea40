/* Parse trees kept between runs (parse_kept.h). */
#include "sql/parse_kept.h"
#include <pg_query.h>

static json_t *parse(void *payload, const char *sql)
{
    (void)payload;
    PgQueryParseResult pr = pg_query_parse(sql);
    json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
    pg_query_free_parse_result(pr);
    return tree;
}

json_t *dp_sql_parse_kept(dp_json_memo *memo, const char *sql) { return dp_json_memo_get(memo, sql, parse, NULL); }

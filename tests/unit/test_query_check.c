/* Unit tests: SQL written by someone else (a language model) is one SELECT
 * reading only the catalog's relations, its CTEs and subqueries, calling
 * only allowed functions (sql/query_check.c); everything that reads files,
 * settings or other tables, or is not one SELECT, is refused with why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <strings.h>
#include "sql/check.h"

/* The catalog: main.events, main.people and raw.items; unqualified names
 * resolve in main. */
static int known(void *payload, const char *schema, const char *name)
{
    (void)payload;
    static const char *const rels[][2] = {{"main", "events"}, {"main", "people"}, {"raw", "items"}};
    for (size_t i = 0; i < 3; i++)
        if (!strcasecmp(rels[i][0], schema ? schema : "main") && !strcasecmp(rels[i][1], name))
            return 1;
    return 0;
}

static void accepted(const char *sql)
{
    dp_error err = {0};
    if (dp_sql_check_query(sql, known, NULL, &err))
        fail_msg("refused: %s\n  %s", sql, err.message);
}

static void refused(const char *sql, const char *why)
{
    dp_error err = {0};
    if (!dp_sql_check_query(sql, known, NULL, &err))
        fail_msg("accepted: %s", sql);
    if (!strstr(err.message, why))
        fail_msg("refused %s\n  saying '%s', not '%s'", sql, err.message, why);
}

static void what_a_query_may_do(void **state)
{
    (void)state;
    accepted("SELECT date_trunc('week', e.at) AS week, median(e.amount) AS m FROM events e GROUP BY 1 ORDER BY 1");
    accepted("WITH w AS (SELECT kind, sum(amount) AS s FROM raw.items GROUP BY kind) "
             "SELECT kind, s / sum(s) OVER () AS share FROM w");
    accepted("SELECT p.region, count(*) FILTER (WHERE e.kind = 'x') FROM main.events e JOIN people p USING (person_id) "
             "GROUP BY 1");
    accepted("SELECT kind, row_number() OVER (PARTITION BY kind ORDER BY amount DESC) FROM raw.items");
    accepted("SELECT * FROM (SELECT kind FROM raw.items) t WHERE kind IN (SELECT kind FROM events)");
    accepted("SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) FROM events WHERE at >= current_date - 7");
    accepted("SELECT kind FROM raw.items UNION ALL SELECT kind FROM events LIMIT 10");
}

static void what_it_may_not(void **state)
{
    (void)state;
    refused("SELECT * FROM read_csv('/etc/passwd')", "table function");
    refused("SELECT * FROM read_text('x.txt')", "table function");
    refused("SELECT * FROM glob('*')", "table function");
    refused("SELECT * FROM duckdb_settings()", "table function");
    refused("SELECT * FROM query('SELECT 1')", "table function");
    refused("SELECT * FROM secrets", "secrets, which is not a table of the catalog");
    refused("SELECT * FROM raw.people", "raw.people, which is not a table of the catalog");
    refused("SELECT * FROM other.main.events", "another database");
    refused("SELECT current_setting('threads')", "current_setting(), which is not one of the functions");
    refused("SELECT getenv('HOME')", "getenv()");
    refused("SELECT read_blob('x')", "read_blob()");
    refused("INSTALL httpfs", "does not parse");
    refused("LOAD httpfs", "does not parse");
    refused("COPY events TO '/tmp/x.csv'", "is not one SELECT");
    refused("SET threads = 1", "is not one SELECT");
    refused("SELECT 1; SELECT 2", "holds ';'");
    refused("SELECT 1 -- a comment", "comment");
    refused("SELECT * INTO t2 FROM events", "not read-only");
    refused("SELECT kind FROM events FOR UPDATE", "not read-only");
    refused("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r", "recursive");
    refused("SELECT current_user", "CURRENT_USER");
    refused("SELECT rank() FROM events", "without OVER");
    refused("SELECT pg_catalog.now()", "qualified name");
    refused("SELECT E'\\x41'", "escape string");
    refused("SELECT $1", "'$'");
    refused("", "is empty");
    /* a CTE's name is its own only after it: a name the catalog lacks is refused before */
    refused("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a", "b, which is not a table");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(what_a_query_may_do), cmocka_unit_test(what_it_may_not)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

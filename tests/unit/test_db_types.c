/* Unit tests: the result schema read from a query's own result types
 * (dp_db_type_name, dp_db_query_cols) names every plain type as
 * pragma_table_info does, so the test run's schema reads the table once;
 * a type it does not name (nested, enum, alias) is NULL and the caller asks
 * the pragma. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/db.h"
#include "util/error.h"

#define MAXC 64

typedef struct seen {
    char names[MAXC][64], types[MAXC][64];
    int named[MAXC];
    size_t n, rows;
} seen;

static void on_cols(void *p, size_t ncols, const char *const *names, const char *const *types)
{
    seen *s = p;
    s->n = ncols;
    for (size_t i = 0; i < ncols && i < MAXC; i++) {
        snprintf(s->names[i], sizeof(s->names[i]), "%s", names[i]);
        snprintf(s->types[i], sizeof(s->types[i]), "%s", types[i] ? types[i] : "");
        s->named[i] = types[i] != NULL;
    }
}

static int on_row(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)ncols;
    (void)names;
    (void)vals;
    ((seen *)p)->rows++;
    return 0;
}

typedef struct prag {
    char types[MAXC][64];
    size_t n;
} prag;

static int on_pragma(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    prag *g = p;
    if (ncols == 1 && g->n < MAXC)
        snprintf(g->types[g->n++], sizeof(g->types[0]), "%s", vals[0]);
    return 0;
}

static void plain_types_as_the_pragma_names_them(void **state)
{
    (void)state;
    duckdb_database db;
    duckdb_connection con;
    dp_error err = {0};
    assert_int_equal(duckdb_open(NULL, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    const char *cols = "a BOOLEAN, b TINYINT, c SMALLINT, d INTEGER, e BIGINT, f HUGEINT, g UTINYINT, h USMALLINT, "
                       "i UINTEGER, j UBIGINT, k UHUGEINT, l FLOAT, m DOUBLE, n DATE, o TIME, p TIMESTAMP, "
                       "q TIMESTAMP_S, r TIMESTAMP_MS, s TIMESTAMP_NS, t TIMESTAMPTZ, u TIMETZ, v INTERVAL, "
                       "w VARCHAR, x BLOB, y UUID, z DECIMAL(38,2), z2 DECIMAL(4,0), z3 DECIMAL(18,6), z4 NUMERIC";
    char sql[1024];
    snprintf(sql, sizeof(sql), "CREATE TEMPORARY TABLE plain (%s)", cols);
    assert_int_equal(dp_db_query(con, sql, 0, NULL, NULL, &err), 0);
    seen s = {0};
    /* an empty table: the types come with the result all the same */
    assert_int_equal(dp_db_query_cols(con, "SELECT * FROM plain LIMIT 5", 0, on_cols, on_row, &s, &err), 0);
    prag g = {0};
    assert_int_equal(
        dp_db_query(con, "SELECT type FROM pragma_table_info('plain') ORDER BY cid", 0, on_pragma, &g, &err), 0);
    assert_int_equal(s.n, g.n);
    assert_int_equal(s.rows, 0);
    for (size_t i = 0; i < s.n; i++) {
        assert_true(s.named[i]);
        assert_string_equal(s.types[i], g.types[i]);
    }
    assert_string_equal(s.names[0], "a");
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void other_types_are_left_to_the_pragma(void **state)
{
    (void)state;
    duckdb_database db;
    duckdb_connection con;
    dp_error err = {0};
    assert_int_equal(duckdb_open(NULL, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    assert_int_equal(dp_db_query(con, "CREATE TYPE mood AS ENUM ('a', 'b')", 0, NULL, NULL, &err), 0);
    seen s = {0};
    assert_int_equal(dp_db_query_cols(con,
                                      "SELECT [1, 2] AS l, {'x': 1} AS st, 'a'::mood AS en, MAP {'k': 1} AS mp, "
                                      "[1, 2]::INTEGER[2] AS ar, 1 AS plain",
                                      0, on_cols, on_row, &s, &err),
                     0);
    assert_int_equal(s.n, 6);
    assert_int_equal(s.rows, 1);
    for (size_t i = 0; i < 5; i++)
        assert_false(s.named[i]);
    assert_true(s.named[5]);
    assert_string_equal(s.types[5], "INTEGER");
    /* an error calls no callback */
    seen e = {0};
    assert_int_not_equal(dp_db_query_cols(con, "SELECT * FROM nowhere", 0, on_cols, on_row, &e, &err), 0);
    assert_int_equal(e.n, 0);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_types_as_the_pragma_names_them),
        cmocka_unit_test(other_types_are_left_to_the_pragma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

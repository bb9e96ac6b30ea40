/* Unit tests: a run's DuckDB connection goes back to the database when the
 * run ends (dp_db_run_release) and the next run takes it (dp_db_run_connect):
 * still in src, its result table dropped as a disconnect would have; one
 * whose table cannot be dropped is closed, not kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/db.h"
#include "util/error.h"
#include "testutil.h"

static void reuse_drops_the_result(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-pool-XXXXXX", path[300], out[64];
    assert_non_null(mkdtemp(top));
    snprintf(path, sizeof(path), "%s/t.duckdb", top);
    assert_int_equal(tu_write_db(path, "CREATE TABLE t AS SELECT 1 AS x"), 0);

    dp_db *db = NULL;
    dp_error err = {0};
    dp_db_options o = {0};
    assert_int_equal(dp_db_open(&db, path, &o, &err), 0);
    duckdb_connection a = NULL, b = NULL, c = NULL;
    assert_int_equal(dp_db_run_connect(&a, db, &err), 0);
    assert_int_equal(dp_db_query(a, "CREATE TEMPORARY TABLE dp_result_one AS SELECT x FROM t", 0, NULL, NULL, &err), 0);
    duckdb_connection first = a;
    dp_db_run_release(db, &a, "dp_result_one");
    assert_null(a);
    /* the next run: the same connection, in src, without the result */
    assert_int_equal(dp_db_run_connect(&b, db, &err), 0);
    assert_ptr_equal(b, first);
    assert_int_equal(dp_db_scalar(b, "SELECT current_database()", out, sizeof(out), &err), 0);
    assert_string_equal(out, "src");
    assert_int_equal(dp_db_scalar(b, "SELECT count(*) FROM duckdb_tables() WHERE temporary", out, sizeof(out), &err),
                     0);
    assert_string_equal(out, "0");
    /* two at once: the second is a new connection */
    assert_int_equal(dp_db_run_connect(&c, db, &err), 0);
    assert_ptr_not_equal(c, b);
    assert_int_equal(dp_db_scalar(c, "SELECT x FROM t", out, sizeof(out), &err), 0);
    assert_string_equal(out, "1");
    /* a table it cannot drop by that name: the connection is closed */
    assert_int_equal(dp_db_query(c, "CREATE TEMPORARY TABLE dp_result_two AS SELECT 2 AS y", 0, NULL, NULL, &err), 0);
    duckdb_connection second = c;
    dp_db_run_release(db, &c, "dp_result_\"two");
    assert_null(c);
    dp_db_run_release(db, &b, NULL);
    duckdb_connection d = NULL;
    assert_int_equal(dp_db_run_connect(&d, db, &err), 0);
    assert_ptr_equal(d, first);
    assert_ptr_not_equal(d, second);
    dp_db_run_release(db, &d, NULL);
    dp_db_close(db);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reuse_drops_the_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: DuckDB's memory limit is set when a run asks for another one,
 * and not again when it asks for the one already set (setting it costs
 * ~2 ms and slows the next query); a value DuckDB refuses is an error and
 * changes nothing. */
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
#include "testutil.h"
#include "util/error.h"

static void setting(duckdb_connection con, char *out, size_t n)
{
    dp_error err = {0};
    assert_int_equal(dp_db_scalar(con, "SELECT current_setting('memory_limit')", out, n, &err), 0);
}

static void set_only_when_it_changes(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-memlimit-XXXXXX", path[300], before[64], after[64], other[64];
    assert_non_null(mkdtemp(top));
    snprintf(path, sizeof(path), "%s/t.duckdb", top);
    assert_int_equal(tu_write_db(path, "CREATE TABLE t AS SELECT 1 AS x"), 0);

    dp_db *db = NULL;
    duckdb_connection con = NULL;
    dp_error err = {0};
    dp_db_options o = {.memory_limit = "1GB"};
    assert_int_equal(dp_db_open(&db, path, &o, &err), 0);
    assert_int_equal(dp_db_connect(&con, db, &err), 0);
    setting(con, before, sizeof(before));
    /* the limit the database was opened with: nothing to set */
    assert_int_equal(dp_db_query(con, "SET memory_limit = '3GB'", 0, NULL, NULL, &err), 0);
    setting(con, other, sizeof(other));
    assert_string_not_equal(other, before);
    assert_int_equal(dp_db_set_memory_limit(db, con, "1GB", &err), 0);
    setting(con, after, sizeof(after));
    assert_string_equal(after, other); /* not set again: the value set behind its back stays */
    /* another limit is set, and then it is the one not set again */
    assert_int_equal(dp_db_set_memory_limit(db, con, "2GB", &err), 0);
    setting(con, after, sizeof(after));
    assert_string_not_equal(after, other);
    char two[64];
    snprintf(two, sizeof(two), "%s", after);
    assert_int_equal(dp_db_set_memory_limit(db, con, "1GB", &err), 0);
    setting(con, after, sizeof(after));
    assert_string_equal(after, before);
    /* refused by DuckDB: an error, and the last value still counts as set */
    assert_int_not_equal(dp_db_set_memory_limit(db, con, "12 parsecs", &err), 0);
    assert_int_not_equal(dp_db_set_memory_limit(db, con, "1'GB", &err), 0);
    assert_int_equal(dp_db_set_memory_limit(db, con, "1GB", &err), 0);
    setting(con, after, sizeof(after));
    assert_string_equal(after, before);
    duckdb_disconnect(&con);
    dp_db_close(db);
    tu_rm_tree(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_only_when_it_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

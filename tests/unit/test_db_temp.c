/* Unit tests: DuckDB's spill folder lives under the temp root given (one per
 * open database, removed on close); at open the folders of dead processes
 * are removed, and nothing else: not a live process's, not a name that is
 * not ours. Without a root nothing spills (no ./.tmp). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "catalog/db.h"
#include "dpgen/dpgen.h"
#include "testutil.h"
#include "util/error.h"
#include "util/fs.h"

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void write_db(const char *path, const char *sql)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    assert_int_equal(duckdb_open(path, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    if (duckdb_query(con, sql, &res) != DuckDBSuccess)
        fail_msg("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void spill_folder_lifecycle(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-dbtemp-XXXXXX", path[300], root[300], dead[400], live[400], other[400], mine[4300];
    assert_non_null(mkdtemp(top));
    snprintf(path, sizeof(path), "%s/t.duckdb", top);
    snprintf(root, sizeof(root), "%s/state/tmp", top);
    write_db(path, "CREATE TABLE t AS SELECT 1 AS x");
    /* a dead process's folder (a child that has exited), a live one's (our
     * parent's), and a name that is not a pid's */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    waitpid(child, NULL, 0);
    assert_int_equal(dp_mkdirs(root, 0), 0);
    snprintf(dead, sizeof(dead), "%s/%ld-AbCdEf", root, (long)child);
    snprintf(live, sizeof(live), "%s/%ld-AbCdEf", root, (long)getppid());
    snprintf(other, sizeof(other), "%s/notes", root);
    assert_int_equal(mkdir(dead, 0700), 0);
    assert_int_equal(mkdir(live, 0700), 0);
    assert_int_equal(mkdir(other, 0700), 0);
    snprintf(mine, sizeof(mine), "%s/duckdb_temp_storage_DEFAULT-0.tmp", dead);
    FILE *f = fopen(mine, "w");
    assert_non_null(f);
    fclose(f);
    dp_db *db = NULL;
    dp_error err = {0};
    dp_db_options o = {.temp_root = root};
    if (dp_db_open(&db, path, &o, &err))
        fail_msg("open: %s", err.message);
    assert_false(exists(dead));
    assert_true(exists(live));
    assert_true(exists(other));
    const char *t = dp_db_temp_dir(db);
    assert_non_null(t);
    assert_int_equal(strncmp(t, root, strlen(root)), 0);
    assert_true(exists(t));
    assert_string_equal(dp_db_temp_root(db), root);
    /* DuckDB spills there: a temporary table larger than its memory limit */
    duckdb_connection con;
    assert_int_equal(dp_db_connect(&con, db, &err), 0);
    assert_int_equal(dp_db_query(con, "SET memory_limit = '32MB'", 0, NULL, NULL, &err), 0);
    if (dp_db_query(con, "CREATE TEMPORARY TABLE big AS SELECT range AS a, range * 2 AS b FROM range(8000000)", 0, NULL,
                    NULL, &err))
        fail_msg("spill: %s", err.message);
    snprintf(mine, sizeof(mine), "%s", t);
    char spill[4400];
    snprintf(spill, sizeof(spill), "%s/duckdb_temp_storage_DEFAULT-0.tmp", mine);
    assert_true(exists(spill));
    assert_false(exists(".tmp"));
    duckdb_disconnect(&con);
    dp_db_close(db);
    assert_false(exists(mine)); /* removed on close */
    /* no root: no folder, no spilling (the statement fails, nothing in ./.tmp) */
    db = NULL;
    assert_int_equal(dp_db_open(&db, path, NULL, &err), 0);
    assert_null(dp_db_temp_dir(db));
    assert_int_equal(dp_db_connect(&con, db, &err), 0);
    assert_int_equal(dp_db_query(con, "SET memory_limit = '32MB'", 0, NULL, NULL, &err), 0);
    assert_int_not_equal(
        dp_db_query(con, "CREATE TEMPORARY TABLE big AS SELECT range AS a, range * 2 AS b FROM range(8000000)", 0, NULL,
                    NULL, &err),
        0);
    assert_false(exists(".tmp"));
    duckdb_disconnect(&con);
    dp_db_close(db);
    tu_rm_tree(top);
}

/* The large-result threshold is the library's option: a result above it is
 * a warning with the row count and the threshold; the default (1,000,000)
 * says nothing of a small one. */
static const char *large_warning(dp_result *res)
{
    for (size_t i = 0; i < dp_result_warning_count(res); i++)
        if (strstr(dp_result_warning(res, i), "large-result threshold"))
            return dp_result_warning(res, i);
    return NULL;
}

static void large_result_threshold(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-large-XXXXXX", path[300];
    assert_non_null(mkdtemp(top));
    snprintf(path, sizeof(path), "%s/demo.duckdb", top);
    dp_catalog *cat = NULL;
    if (tu_open_demo(&cat, path, 0.05))
        fail_msg("demo");
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.as_of = "2025-07-16";
    go.record = 0;
    dp_result *res = NULL;
    dp_error err = {0};
    const char *req = "Daily sales by region and product category";
    if (dp_generate(&res, cat, req, &go, &err))
        fail_msg("%s", err.message);
    assert_null(large_warning(res));
    dp_result_free(res);
    go.large_result_rows = 10;
    res = NULL;
    if (dp_generate(&res, cat, req, &go, &err))
        fail_msg("%s", err.message);
    const char *w = large_warning(res);
    assert_non_null(w);
    assert_non_null(strstr(w, "more than the large-result threshold of 10 rows"));
    assert_non_null(strstr(w, "the test run returned "));
    assert_non_null(strstr(dp_result_spec(res, DP_FORMAT_JSON), "large-result threshold of 10 rows"));
    dp_result_free(res);
    dp_catalog_free(cat);
    tu_rm_tree(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spill_folder_lifecycle),
        cmocka_unit_test(large_result_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

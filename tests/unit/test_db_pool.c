/* Unit tests: a run's DuckDB connection goes back to the database when the
 * run ends (dp_db_run_release) and the next run takes it (dp_db_run_connect):
 * still in src, its result table dropped as a disconnect would have; one
 * whose table cannot be dropped is closed, not kept. And the engine opened
 * again after recycle_after runs, while the runs in flight go on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
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

static int count_dirs(const char *root)
{
    char cmd[400], out[32] = "";
    snprintf(cmd, sizeof(cmd), "find '%s' -mindepth 1 -maxdepth 1 -type d | wc -l", root);
    FILE *f = popen(cmd, "r");
    if (!f || !fgets(out, sizeof(out), f))
        out[0] = 0;
    if (f)
        pclose(f);
    return atoi(out);
}

static void setting(duckdb_connection con, char *out, size_t n)
{
    dp_error err = {0};
    assert_int_equal(dp_db_scalar(con, "SELECT current_setting('memory_limit')", out, n, &err), 0);
}

/* A database of one table under a fresh folder top (its spill root
 * top/tmp into tmp), opened to recycle its engine after `after` runs. */
static dp_db *open_recycling(char *top, char *tmp, size_t tmpn, unsigned long after)
{
    char path[300];
    dp_db *db = NULL;
    dp_error err = {0};
    assert_non_null(mkdtemp(top));
    snprintf(path, sizeof(path), "%s/t.duckdb", top);
    snprintf(tmp, tmpn, "%s/tmp", top);
    assert_int_equal(tu_write_db(path, "CREATE TABLE t AS SELECT 1 AS x"), 0);
    dp_db_options o = {.temp_root = tmp, .recycle_after = after};
    assert_int_equal(dp_db_open(&db, path, &o, &err), 0);
    return db;
}

/* After recycle_after lent connections the engine is opened again: the
 * runs in flight go on on the old one (their data, their settings), which
 * is closed with its spill folder when the last gives its connection back;
 * the next runs get the new one, and a memory limit set on the old engine
 * is not taken for the new one's. */
static void engine_recycles_without_stopping_runs(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-recycle-XXXXXX", tmp[300], out[64], lim_old[64], lim_new[64];
    dp_db *db = open_recycling(top, tmp, sizeof(tmp), 3);
    dp_error err = {0};
    unsigned long recycled = 9;
    size_t in_use = 9;
    dp_db_engines(db, &recycled, &in_use);
    assert_int_equal(recycled, 0);
    assert_int_equal(in_use, 0);
    duckdb_connection a = NULL, b = NULL, c = NULL, d = NULL;
    assert_int_equal(dp_db_run_connect(&a, db, &err), 0);
    assert_int_equal(dp_db_run_connect(&b, db, &err), 0);
    dp_db_run_release(db, &b, NULL);                      /* idle, of the first engine */
    assert_int_equal(dp_db_run_connect(&c, db, &err), 0); /* the third: the next engine opens */
    for (int i = 0; i < 500 && recycled == 0; i++) {
        usleep(10000);
        dp_db_engines(db, &recycled, &in_use);
    }
    assert_int_equal(recycled, 1);
    assert_int_equal(in_use, 1);
    assert_int_equal(count_dirs(tmp), 2); /* the old engine's spill folder and the new one's */
    /* the runs in flight still read their data and keep their tables */
    assert_int_equal(dp_db_query(a, "CREATE TEMPORARY TABLE dp_result_a AS SELECT x FROM t", 0, NULL, NULL, &err), 0);
    assert_int_equal(dp_db_scalar(c, "SELECT x + 1 FROM t", out, sizeof(out), &err), 0);
    assert_string_equal(out, "2");
    assert_int_equal(dp_db_set_memory_limit(db, a, "123MB", &err), 0);
    setting(a, lim_old, sizeof(lim_old));
    /* a new run: the new engine, in src, with the limit it was opened with */
    assert_int_equal(dp_db_run_connect(&d, db, &err), 0);
    assert_int_equal(dp_db_scalar(d, "SELECT current_database() || x FROM t", out, sizeof(out), &err), 0);
    assert_string_equal(out, "src1");
    setting(d, lim_new, sizeof(lim_new));
    assert_string_not_equal(lim_old, lim_new);
    assert_int_equal(dp_db_set_memory_limit(db, d, "123MB", &err), 0);
    setting(d, lim_new, sizeof(lim_new));
    assert_string_equal(lim_old, lim_new);
    dp_db_run_release(db, &a, "dp_result_a");
    dp_db_engines(db, &recycled, &in_use);
    assert_int_equal(in_use, 1); /* c still runs there */
    dp_db_run_release(db, &c, NULL);
    dp_db_engines(db, &recycled, &in_use);
    assert_int_equal(in_use, 0);
    assert_int_equal(count_dirs(tmp), 1); /* closed, its folder gone */
    dp_db_run_release(db, &d, NULL);
    dp_db_close(db);
    assert_int_equal(count_dirs(tmp), 0);
    tu_rm_tree(top);
}

/* Many runs at once while the engine recycles again and again: each gets
 * a working connection, and every old engine is closed at the end. */
typedef struct churn_arg {
    dp_db *db;
    int failures;
} churn_arg;

static void *churn(void *p)
{
    churn_arg *a = p;
    unsigned long recycled = 0;
    size_t in_use;
    for (int i = 0; i < 5000 && recycled < 3; i++) { /* until it recycled a few times while runs went on */
        duckdb_connection con = NULL;
        dp_error err = {0};
        char out[16];
        if (dp_db_run_connect(&con, a->db, &err) || dp_db_scalar(con, "SELECT x FROM t", out, sizeof(out), &err) ||
            strcmp(out, "1"))
            a->failures++;
        dp_db_run_release(a->db, &con, NULL);
        dp_db_engines(a->db, &recycled, &in_use);
    }
    return NULL;
}

static void engine_recycles_under_concurrent_runs(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-recycle-XXXXXX", tmp[300];
    dp_db *db = open_recycling(top, tmp, sizeof(tmp), 7);
    pthread_t th[6];
    churn_arg args[6];
    for (int i = 0; i < 6; i++) {
        args[i] = (churn_arg){db, 0};
        assert_int_equal(pthread_create(&th[i], NULL, churn, &args[i]), 0);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    unsigned long recycled = 0;
    size_t in_use = 9;
    for (int i = 0; i < 500; i++) { /* the last recycle may still be opening */
        dp_db_engines(db, &recycled, &in_use);
        if (in_use == 0 && count_dirs(tmp) == 1)
            break;
        usleep(10000);
    }
    assert_true(recycled >= 3);
    assert_int_equal(in_use, 0);
    dp_db_close(db);
    assert_int_equal(count_dirs(tmp), 0);
    tu_rm_tree(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reuse_drops_the_result),
        cmocka_unit_test(engine_recycles_without_stopping_runs),
        cmocka_unit_test(engine_recycles_under_concurrent_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

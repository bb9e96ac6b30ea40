/* Unit tests: the database fingerprint that keys dpgen's caches changes with
 * a write that stays in DuckDB's WAL; a FIFO as the database and links that
 * leave a folder of files are refused; error messages can quote their own
 * buffer and never carry control bytes. */
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
#include "util/utf8.h"

/* Runs SQL in a writable DuckDB file; nowal: the writes stay in the WAL
 * (no checkpoint, also not on close). */
static void write_db(const char *path, const char *sql, int nowal)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    assert_int_equal(duckdb_open(path, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    if (nowal) {
        assert_int_equal(duckdb_query(con, "SET wal_autocheckpoint = '1TB'", NULL), DuckDBSuccess);
        assert_int_equal(duckdb_query(con, "PRAGMA disable_checkpoint_on_shutdown", NULL), DuckDBSuccess);
    }
    if (duckdb_query(con, sql, &res) != DuckDBSuccess)
        fail_msg("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void fingerprint_of(const char *path, char *out, size_t n)
{
    dp_db *db = NULL;
    dp_error err = {0};
    if (dp_db_open(&db, path, NULL, &err))
        fail_msg("open %s: %s", path, err.message);
    snprintf(out, n, "%s", dp_db_fingerprint(db));
    dp_db_close(db);
}

static void wal_write_changes_fingerprint(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-caches-XXXXXX", path[256], wal[300], a[700], b[700], c[700];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    snprintf(wal, sizeof(wal), "%s.wal", path);
    write_db(path, "CREATE TABLE t AS SELECT 1 AS x", 0);
    fingerprint_of(path, a, sizeof(a));
    struct stat before, st;
    assert_int_equal(stat(path, &before), 0);
    write_db(path, "INSERT INTO t VALUES (2)", 1);
    assert_int_equal(stat(wal, &st), 0); /* the write is in the WAL only */
    fingerprint_of(path, b, sizeof(b));
    assert_string_not_equal(a, b);
    write_db(path, "INSERT INTO t VALUES (3)", 1);
    fingerprint_of(path, c, sizeof(c));
    assert_string_not_equal(b, c);
    tu_rm_tree(dir);
}

/* A folder of files: a change to a file's content changes the fingerprint. */
static void folder_file_change_changes_fingerprint(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-caches-XXXXXX", file[256], a[700], b[700];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/t.csv", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("x\n1\n", f);
    fclose(f);
    fingerprint_of(dir, a, sizeof(a));
    f = fopen(file, "a");
    assert_non_null(f);
    fputs("2\n", f);
    fclose(f);
    fingerprint_of(dir, b, sizeof(b));
    assert_string_not_equal(a, b);
    tu_rm_tree(dir);
}

static int run(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* End to end: a value only a row in the WAL has is found by a warm state
 * (a column's few values are kept in the cached profile). */
static void warm_state_sees_wal_row(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-caches-XXXXXX", path[256], cmd[2048];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/demo.duckdb", dir);
    dp_error err = {0};
    if (dp_demo_build(path, 0.05, &err))
        fail_msg("demo: %s", err.message);
    snprintf(cmd, sizeof(cmd),
             "DPGEN_STATE_DIR=%s/state DPGEN_DEMO_DB=%s %s/dpgen generate --as-of 2025-07-16 --format json "
             "'daily spend on podcast in May 2025' >%s/out 2>%s/err",
             dir, path, DP_BUILD_DIR, dir, dir);
    assert_int_equal(run(cmd), 3); /* warms the state: no such value */
    write_db(
        path,
        "INSERT INTO bronze.marketing_campaigns SELECT * REPLACE ('podcast' AS channel, 'CMP-9999' AS campaign_id) "
        "FROM bronze.marketing_campaigns LIMIT 1",
        1);
    int rc = run(cmd);
    if (rc != 0) {
        char errf[300];
        snprintf(errf, sizeof(errf), "%s/err", dir);
        char *e = tu_read_text(errf, NULL);
        fail_msg("after the WAL write: exit %d: %s", rc, e ? e : "");
    }
    /* profiled again after the write; cached on the next run */
    char outf[300];
    snprintf(outf, sizeof(outf), "%s/out", dir);
    char *out = tu_read_text(outf, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"profile_cached\": false"));
    free(out);
    assert_int_equal(run(cmd), 0);
    out = tu_read_text(outf, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"profile_cached\": true"));
    free(out);
    tu_rm_tree(dir);
}

/* dp_generate_stored answers a repeat from the run store without running
 * (a server answers it before queueing for a run slot): nothing before the
 * first recorded run; then the stored spec, marked cached; a stored
 * clarification as DP_ECLARIFY; an option that changes the answer is not a
 * repeat. */
static void stored_answer_without_running(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-caches-XXXXXX", path[256], st[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/demo.duckdb", dir);
    snprintf(st, sizeof(st), "%s/state", dir);
    dp_error err = {0};
    if (dp_demo_build(path, 0.05, &err))
        fail_msg("demo: %s", err.message);
    setenv("DPGEN_DEMO_DB", path, 1);
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.state_dir = st;
    dp_catalog *cat = NULL;
    if (dp_catalog_open(&cat, &co, &err))
        fail_msg("open: %s", err.message);
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.as_of = "2025-07-16";
    go.record = 1;
    go.reuse = 1;
    const char *req = "monthly spend by channel", *odd = "weekly zorblax by campaign";
    dp_result *res = NULL, *again = NULL;
    assert_int_equal(dp_generate_stored(&res, cat, req, &go, &err), 0);
    assert_null(res); /* nothing stored yet */
    assert_int_equal(dp_generate(&res, cat, req, &go, &err), 0);
    assert_int_equal(dp_result_cached(res, NULL), 0);
    assert_int_equal(dp_generate_stored(&again, cat, req, &go, &err), 0);
    assert_non_null(again);
    const char *from = NULL;
    assert_int_equal(dp_result_cached(again, &from), 1);
    assert_non_null(from);
    assert_string_equal(dp_result_spec(again, DP_FORMAT_JSON), dp_result_spec(res, DP_FORMAT_JSON));
    dp_result_free(again);
    again = NULL;
    go.columns = "spend"; /* another answer: not a repeat */
    assert_int_equal(dp_generate_stored(&again, cat, req, &go, &err), 0);
    assert_null(again);
    go.columns = NULL;
    dp_result_free(res);
    res = NULL;
    assert_int_equal(dp_generate(&res, cat, odd, &go, &err), DP_ECLARIFY);
    dp_result_free(res);
    res = NULL;
    assert_int_equal(dp_generate_stored(&res, cat, odd, &go, &err), DP_ECLARIFY);
    assert_non_null(res);
    assert_int_equal(dp_result_cached(res, NULL), 1);
    assert_non_null(dp_result_clarification_json(res));
    dp_result_free(res);
    res = NULL;
    /* another known product run again (fresh) teaches nothing new: the
     * repeat stays (a server's other users keep their cached answers) */
    const char *other = "Daily sales by region and product category";
    go.reuse = 0;
    assert_int_equal(dp_generate(&res, cat, other, &go, &err), 0);
    dp_result_free(res);
    res = NULL;
    assert_int_equal(dp_generate(&res, cat, req, &go, &err), 0); /* filed after the other's writes */
    dp_result_free(res);
    res = NULL;
    sleep(1); /* the state's times are to the second: the next run's is later */
    assert_int_equal(dp_generate(&res, cat, other, &go, &err), 0);
    dp_result_free(res);
    res = NULL;
    assert_int_equal(dp_generate_stored(&res, cat, req, &go, &err), 0);
    assert_non_null(res);
    dp_result_free(res);
    res = NULL;
    /* a new product on the same data changes what an answer says (its
     * sibling products): no longer a repeat */
    assert_int_equal(dp_generate(&res, cat, "weekly spend by channel", &go, &err), 0);
    dp_result_free(res);
    res = NULL;
    assert_int_equal(dp_generate_stored(&res, cat, req, &go, &err), 0);
    assert_null(res);
    dp_catalog_free(cat);
    unsetenv("DPGEN_DEMO_DB");
    tu_rm_tree(dir);
}

static void fifo_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-caches-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/db.fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    alarm(20); /* a hang fails the test instead of stalling it */
    dp_db *db = NULL;
    dp_error err = {0};
    assert_int_equal(dp_db_open(&db, path, NULL, &err), DP_EINVALID);
    alarm(0);
    assert_non_null(strstr(err.message, "not a regular file"));
    tu_rm_tree(dir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void symlink_leaving_folder_refused(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-caches-XXXXXX", dir[256], p[512], q[512];
    assert_non_null(mkdtemp(top));
    snprintf(dir, sizeof(dir), "%s/data", top);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(p, sizeof(p), "%s/a.csv", dir);
    write_file(p, "x\n1\n");
    snprintf(p, sizeof(p), "%s/secret.csv", top);
    write_file(p, "s\nhidden\n");
    /* a link inside the folder is fine */
    snprintf(q, sizeof(q), "%s/b.csv", dir);
    assert_int_equal(symlink("a.csv", q), 0);
    dp_db *db = NULL;
    dp_error err = {0};
    if (dp_db_open(&db, dir, NULL, &err))
        fail_msg("in-folder link refused: %s", err.message);
    dp_db_close(db);
    /* a link to a file outside is not */
    snprintf(q, sizeof(q), "%s/c.csv", dir);
    assert_int_equal(symlink(p, q), 0);
    db = NULL;
    assert_int_equal(dp_db_open(&db, dir, NULL, &err), DP_EINVALID);
    assert_null(db);
    assert_non_null(strstr(err.message, "c.csv"));
    assert_non_null(strstr(err.message, "outside the folder"));
    /* nor a FIFO named like a data file */
    assert_int_equal(unlink(q), 0);
    snprintf(q, sizeof(q), "%s/d.csv", dir);
    assert_int_equal(mkfifo(q, 0600), 0);
    alarm(20);
    assert_int_equal(dp_db_open(&db, dir, NULL, &err), DP_EINVALID);
    alarm(0);
    assert_non_null(strstr(err.message, "not a regular file"));
    /* nor a link that leads nowhere */
    assert_int_equal(unlink(q), 0);
    assert_int_equal(symlink("missing.csv", q), 0);
    assert_int_equal(dp_db_open(&db, dir, NULL, &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "d.csv"));
    tu_rm_tree(top);
}

static void error_quotes_its_own_buffer(void **state)
{
    (void)state;
    dp_error err = {0};
    dp_error_set(&err, DP_EINVALID, "first part of a message");
    dp_error_set(&err, DP_EENGINE, "wrapped: %s (%s)", err.message, err.message);
    assert_string_equal(err.message, "wrapped: first part of a message (first part of a message)");
    assert_int_equal(err.code, DP_EENGINE);
}

static void error_escapes_control_bytes(void **state)
{
    (void)state;
    dp_error err = {0};
    dp_error_set(&err, DP_EINVALID, "no metric '%s'", "a\x1b[31mred\nb\rc\x07\x7f");
    assert_string_equal(err.message, "no metric 'a\\x1b[31mred b c\\x07\\x7f'");
    dp_error_prefix(&err, "at %s", "x\x1by");
    assert_string_equal(err.message, "at x\\x1by: no metric 'a\\x1b[31mred b c\\x07\\x7f'");
    /* UTF-8 text is kept */
    dp_error_set(&err, DP_EINVALID, "%s", "caf\xc3\xa9");
    assert_string_equal(err.message, "caf\xc3\xa9");
}

/* C1 controls (U+009B is CSI) and bytes that are not UTF-8 (a raw 0x9b is
 * CSI to an 8-bit terminal) are escaped too; a cut never splits a
 * character. */
static void error_escapes_c1_and_invalid_utf8(void **state)
{
    (void)state;
    dp_error err = {0};
    dp_error_set(&err, DP_EINVALID, "'%s' '%s'", "\302\23331m", "\23331m");
    assert_string_equal(err.message, "'\\u009b31m' '\\x9b31m'");
    dp_error_set(&err, DP_EINVALID, "%s|%s|%s|%s", "\xc3(", "\xed\xa0\x80", "\xc0\xaf", "\xe2\x82");
    assert_string_equal(err.message, "\\xc3(|\\xed\\xa0\\x80|\\xc0\\xaf|\\xe2\\x82");
    dp_error_set(&err, DP_EINVALID, "%s", "\xf0\x9f\x8e\xaf \xe2\x82\xac");
    assert_string_equal(err.message, "\xf0\x9f\x8e\xaf \xe2\x82\xac");
    char buf[4];
    assert_string_equal(dp_escape_line("ab\xc3\xa9", buf, sizeof(buf)), "ab");
}

/* JSON allows U+0080..U+009F raw in strings, a terminal acts on them:
 * the printed JSON has them as \u escapes, other text unchanged. */
static void json_c1_escaped(void **state)
{
    (void)state;
    char *s = strdup("{\"a\": \"x\302\23331m caf\303\251 \302\200\"}");
    s = dp_utf8_json_c1(s);
    assert_non_null(s);
    assert_string_equal(s, "{\"a\": \"x\\u009b31m caf\303\251 \\u0080\"}");
    free(s);
    assert_null(dp_utf8_json_c1(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wal_write_changes_fingerprint),
        cmocka_unit_test(folder_file_change_changes_fingerprint),
        cmocka_unit_test(warm_state_sees_wal_row),
        cmocka_unit_test(stored_answer_without_running),
        cmocka_unit_test(fifo_refused),
        cmocka_unit_test(symlink_leaving_folder_refused),
        cmocka_unit_test(error_quotes_its_own_buffer),
        cmocka_unit_test(error_escapes_control_bytes),
        cmocka_unit_test(error_escapes_c1_and_invalid_utf8),
        cmocka_unit_test(json_c1_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: the rules run together (one statement on the test result, one
 * pass per source table, examples only for failing rules) give each rule
 * the result its own statement gives (status, failing rows, the same five
 * examples); a rule whose SQL fails at run time fails alone, the others
 * keep their results; source results come back from the state as they were
 * recorded, marked cached. */
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
#include "catalog/catalog.h"
#include "catalog/db.h"
#include "catalog/rowset.h"
#include "quality/quality_int.h"
#include "state/state.h"
#include "testutil.h"
#include "util/json_memo.h"
#include "util/error.h"

#define T "dp_result_t"

static const char *rules_sql[] = {
    "SELECT * FROM " T " WHERE a < 0",                                        /* fails: 24 rows */
    "SELECT * FROM " T " WHERE a IS NULL",                                    /* passes */
    "SELECT a, count(*) AS copies FROM " T " GROUP BY a HAVING count(*) > 1", /* a grouping */
    "SELECT p.* FROM " T " AS p WHERE p.k IS NOT NULL AND p.k NOT IN (SELECT k FROM h WHERE k IS NOT NULL)",
    "SELECT * FROM " T " WHERE a > 1000",       /* passes */
    "SELECT * FROM \"main\".\"s\" WHERE x < 0", /* source, fails */
    "SELECT * FROM \"main\".\"s\" WHERE y < 0", /* source, passes */
    "SELECT c.* FROM \"main\".\"s\" AS c WHERE c.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM h AS p WHERE p.k = c.k)",
    "SELECT k, count(*) AS copies FROM \"main\".\"s\" GROUP BY 1 HAVING count(*) > 1",
    /* a name with a space, a quote and a dot: one table, read in one pass */
    "SELECT * FROM \"main\".\"we ird\"\".t\" WHERE x < 3",
    "SELECT c.* FROM \"main\".\"we ird\"\".t\" AS c WHERE c.x > 7",
};
#define NRULES (sizeof(rules_sql) / sizeof(*rules_sql))

typedef struct fixture {
    char dir[64];
    dp_db *db;
    dp_state *st;
    struct dp_catalog cat;
    duckdb_connection con;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char path[128], sdir[128];
    dp_error err = {0};
    snprintf(f->dir, sizeof(f->dir), "/tmp/dp-rulerun-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(path, sizeof(path), "%s/d.duckdb", f->dir);
    snprintf(sdir, sizeof(sdir), "%s/state", f->dir);
    duckdb_database wdb;
    duckdb_connection w;
    assert_int_equal(duckdb_open(path, &wdb), DuckDBSuccess);
    assert_int_equal(duckdb_connect(wdb, &w), DuckDBSuccess);
    assert_int_equal(duckdb_query(w,
                                  "CREATE TABLE s AS SELECT i AS x, 5 AS y, 'k' || (i % 13) AS k FROM range(-40, 2000) "
                                  "t(i); CREATE TABLE h AS SELECT 'k' || i AS k FROM range(0, 11) t(i); "
                                  "CREATE TABLE \"we ird\"\".t\" AS SELECT i AS x FROM range(0, 10) t(i)",
                                  NULL),
                     DuckDBSuccess);
    duckdb_disconnect(&w);
    duckdb_close(&wdb);
    assert_int_equal(dp_db_open(&f->db, path, NULL, &err), 0);
    assert_int_equal(dp_db_connect(&f->con, f->db, &err), 0);
    assert_int_equal(dp_state_open(&f->st, sdir, &err), 0);
    if (dp_db_query(f->con,
                    "CREATE TEMPORARY TABLE " T " AS SELECT (i % 50) - 3 AS a, 'k' || (i % 12) AS k, "
                    "CASE WHEN i = 17 THEN 'x' ELSE CAST(i AS VARCHAR) END AS n FROM range(0, 400) t(i)",
                    0, NULL, NULL, &err))
        fail_msg("%s", err.message);
    f->cat.db = f->db;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    duckdb_disconnect(&f->con);
    dp_state_close(f->st);
    dp_db_close(f->db);
    tu_rm_tree(f->dir);
    free(f);
    return 0;
}

static int collect(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    json_t *res = p, *o = json_object();
    for (size_t i = 0; i + 1 < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    json_object_set_new(res, "failing_rows", json_integer(atoll(vals[ncols - 1])));
    json_array_append_new(json_object_get(res, "examples"), o);
    return 0;
}

/* What the rule's own statement gives: the per-rule way, as it always ran. */
static json_t *alone(fixture *f, const char *sql)
{
    char q[1024];
    dp_error err = {0};
    json_t *res = json_pack("{s:I,s:[]}", "failing_rows", (json_int_t)0, "examples");
    snprintf(q, sizeof(q), "SELECT *, count(*) OVER () AS dp_failing_rows FROM (%s) AS failing LIMIT 5", sql);
    if (dp_db_query(f->con, q, 0, collect, res, &err)) {
        json_decref(res);
        return json_pack("{s:s}", "status", "error");
    }
    json_object_set_new(res, "status",
                        json_string(json_integer_value(json_object_get(res, "failing_rows")) ? "failed" : "passed"));
    return res;
}

static int collect_all(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    json_t *o = json_object();
    for (size_t i = 0; i < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    json_array_append_new(p, o);
    return 0;
}

/* The rule's examples: as many as its own statement gives, each one of its
 * failing rows. Which five of more rows come first is DuckDB's to say (a
 * parallel GROUP BY has no order), so they are compared as members. */
static int same_examples(fixture *f, const char *sql, const json_t *got, const json_t *want)
{
    if (json_array_size(got) != json_array_size(want))
        return 0;
    json_t *all = json_array();
    dp_error err = {0};
    int ok = !dp_db_query(f->con, sql, 0, collect_all, all, &err);
    size_t i, k;
    json_t *e, *a;
    json_array_foreach(got, i, e) {
        int found = 0;
        json_array_foreach(all, k, a)
            found |= json_equal(e, a);
        ok &= found;
    }
    json_decref(all);
    return ok;
}

static void run(fixture *f, dp_run *r, const char *const *sqls, size_t n, int with_state)
{
    struct dp_catalog *cat = &f->cat;
    cat->state = with_state ? f->st : NULL;
    memset(r, 0, sizeof(*r));
    r->a = dp_arena_new(0);
    r->cat = cat;
    r->con = f->con;
    r->exec.table = T;
    r->exec.table_made = 1;
    snprintf(r->created_at, sizeof(r->created_at), "2025-07-16T00:00:00Z");
    r->rules = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(r->rules, json_pack("{s:s,s:s}", "type", "t", "dp_sql", sqls[i]));
    dp_quality__run_rules(r);
}

static void check_like_alone(fixture *f, dp_run *r, const char *const *sqls, size_t n, size_t error_at)
{
    for (size_t i = 0; i < n; i++) {
        json_t *got = json_object_get(json_array_get(r->rules, i), "result");
        assert_non_null(got);
        const char *st = json_string_value(json_object_get(got, "status"));
        if (i == error_at) {
            assert_string_equal(st, "error");
            assert_non_null(strstr(json_string_value(json_object_get(got, "message")), "onver"));
            continue;
        }
        json_t *want = alone(f, sqls[i]);
        if (strcmp(st, json_string_value(json_object_get(want, "status"))) ||
            !json_equal(json_object_get(got, "failing_rows"), json_object_get(want, "failing_rows")) ||
            !same_examples(f, sqls[i], json_object_get(got, "examples"), json_object_get(want, "examples")))
            fail_msg("rule %zu (%s): %s, alone %s", i, sqls[i], json_dumps(got, JSON_COMPACT),
                     json_dumps(want, JSON_COMPACT));
        assert_true(json_real_value(json_object_get(got, "ms")) >= 0);
        json_decref(want);
    }
}

static void fused_equals_alone(void **state)
{
    fixture *f = *state;
    dp_run r;
    run(f, &r, rules_sql, NRULES, 0);
    check_like_alone(f, &r, rules_sql, NRULES, (size_t)-1);
    /* not vacuous: failures with examples and passes, on both tables */
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(json_array_get(r.rules, 0), "result"), "failing_rows")),
        3 * 8);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(json_array_get(r.rules, 5), "result"), "examples")), 5);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(r.rules, 6), "result"), "status")), "passed");
    assert_null(json_object_get(json_array_get(r.rules, 0), "dp_run_sql"));
    /* and they did run together: passing rules of one statement share its time */
#define MS(i) json_real_value(json_object_get(json_object_get(json_array_get(r.rules, i), "result"), "ms"))
    assert_true(MS(1) > 0 && MS(1) == MS(4));
#undef MS
    json_decref(r.rules);
    dp_arena_free(r.a);
}

static void failing_statement_falls_back(void **state)
{
    fixture *f = *state;
    const char *sqls[NRULES + 1];
    for (size_t i = 0; i < NRULES; i++)
        sqls[i] = rules_sql[i];
    /* fails at run time, not when planned: the fused statement fails */
    sqls[NRULES] = "SELECT * FROM " T " WHERE CAST(n AS INTEGER) > 0";
    /* once among the test result's rules and once on its own */
    const char *first[NRULES + 1];
    first[0] = sqls[NRULES];
    for (size_t i = 0; i < NRULES; i++)
        first[i + 1] = rules_sql[i];
    dp_run r;
    run(f, &r, first, NRULES + 1, 0);
    check_like_alone(f, &r, first, NRULES + 1, 0);
    json_decref(r.rules);
    dp_arena_free(r.a);
}

static void sources_cached_as_recorded(void **state)
{
    fixture *f = *state;
    dp_run r1, r2;
    run(f, &r1, rules_sql, NRULES, 1);
    check_like_alone(f, &r1, rules_sql, NRULES, (size_t)-1);
    run(f, &r2, rules_sql, NRULES, 1);
    check_like_alone(f, &r2, rules_sql, NRULES, (size_t)-1);
    for (size_t i = 0; i < NRULES; i++) {
        json_t *a = json_object_get(json_array_get(r1.rules, i), "result");
        json_t *b = json_object_get(json_array_get(r2.rules, i), "result");
        int source = !strstr(rules_sql[i], T);
        assert_int_equal(json_is_true(json_object_get(b, "cached")), source);
        assert_null(json_object_get(a, "cached"));
        if (source) { /* the time it was checked travels with it */
            assert_string_equal(json_string_value(json_object_get(a, "checked_at")), "2025-07-16T00:00:00Z");
            assert_string_equal(json_string_value(json_object_get(b, "checked_at")), "2025-07-16T00:00:00Z");
        }
    }
    json_decref(r1.rules);
    json_decref(r2.rules);
    dp_arena_free(r1.a);
    dp_arena_free(r2.a);
}

/* A long-lived catalog keeps the source checks it read from the state: the
 * third run reads none of them (the memo answers) and gets what the second
 * got; a run's own result is a copy (marking it cached leaves the kept
 * document as the state holds it). */
static void sources_kept_by_the_catalog(void **state)
{
    fixture *f = *state;
    f->cat.checks = dp_json_memo_new(64, 1 << 20);
    dp_run r[3];
    size_t hits[3], misses[3];
    for (int k = 0; k < 3; k++) {
        run(f, &r[k], rules_sql, NRULES, 1);
        check_like_alone(f, &r[k], rules_sql, NRULES, (size_t)-1);
        dp_json_memo_counts(f->cat.checks, &hits[k], &misses[k]);
    }
    size_t nsource = 0;
    for (size_t i = 0; i < NRULES; i++)
        nsource += !strstr(rules_sql[i], T);
    assert_true(nsource >= 5);
    assert_int_equal(hits[0], 0);
    assert_int_equal(hits[1], 0);           /* read from the state, then kept */
    assert_int_equal(misses[2], misses[1]); /* nothing read again */
    assert_int_equal(hits[2] - hits[1], nsource);
    for (size_t i = 0; i < NRULES; i++) {
        json_t *b = json_object_get(json_array_get(r[1].rules, i), "result");
        json_t *c = json_object_get(json_array_get(r[2].rules, i), "result");
        if (strstr(rules_sql[i], T))
            continue;
        assert_true(json_is_true(json_object_get(c, "cached")));
        /* the same but for the time it took this run */
        json_t *bb = json_deep_copy(b), *cc = json_deep_copy(c);
        json_object_del(bb, "ms");
        json_object_del(cc, "ms");
        assert_true(json_equal(bb, cc));
        json_decref(bb);
        json_decref(cc);
        json_t *kept = dp_quality__kept_check(&r[2], dp_quality__cache_key(&r[2], rules_sql[i]));
        assert_non_null(kept);
        assert_null(json_object_get(kept, "cached"));
        json_decref(kept);
    }
    for (int k = 0; k < 3; k++) {
        json_decref(r[k].rules);
        dp_arena_free(r[k].a);
    }
    dp_json_memo_free(f->cat.checks);
    f->cat.checks = NULL;
}

/* A run over table (rows of it said) on the fixture's connection, its
 * catalog's state st (NULL: none); the caller frees r->a and r->rules. */
static void bare_run(fixture *f, dp_run *r, const char *table, long long rows, dp_state *st)
{
    memset(r, 0, sizeof(*r));
    r->a = dp_arena_new(0);
    r->cat = &f->cat;
    f->cat.state = st;
    r->con = f->con;
    r->exec.table = table;
    r->exec.table_made = 1;
    r->exec.rows = rows;
    r->rules = json_array();
}

/* The grain's uniqueness on the test result, decided by the keys' hashes
 * when they all differ, by the rule's own GROUP BY when one repeats: the
 * result its own statement gives either way. */
static void unique_key_by_hashes(void **state)
{
    fixture *f = *state;
    const char *sqls[] = {
        "SELECT n, count(*) AS copies FROM " T " GROUP BY n HAVING count(*) > 1",       /* unique */
        "SELECT a, k, count(*) AS copies FROM " T " GROUP BY a, k HAVING count(*) > 1", /* 100 pairs */
        "SELECT k, n, count(*) AS copies FROM " T " GROUP BY k, n HAVING count(*) > 1", /* unique */
        "SELECT k, count(*) AS copies FROM " T " GROUP BY k HAVING count(*) > 2",       /* not its shape */
        "SELECT * FROM " T " WHERE a < 0",
    };
    size_t n = sizeof(sqls) / sizeof(*sqls);
    for (int rows = 0; rows < 2; rows++) {
        dp_run r;
        bare_run(f, &r, T, rows ? 400 : 3, NULL); /* too few rows said: the hashes are not enough, the SQL counts */
        for (size_t i = 0; i < n; i++)
            json_array_append_new(r.rules,
                                  json_pack("{s:s,s:s}", "type", i < 4 ? "unique_key" : "t", "dp_sql", sqls[i]));
        dp_quality__run_rules(&r);
        check_like_alone(f, &r, sqls, n, (size_t)-1);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(json_array_get(r.rules, 1), "result"), "failing_rows")),
            100);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(json_array_get(r.rules, 0), "result"), "status")),
            "passed");
        json_decref(r.rules);
        dp_arena_free(r.a);
    }
}

/* The rules on a test result read into C are decided there: the same
 * results as their own statements gave, even once the table is emptied
 * (so no statement read it). */
static void decided_in_c(void **state)
{
    fixture *f = *state;
    const char *sqls[] = {
        "SELECT * FROM " T " WHERE a < 0",
        "SELECT * FROM " T " WHERE a IS NULL",
        "SELECT * FROM " T " WHERE a > 1000 OR (k = 'k3' AND NOT a >= 2)",
        "SELECT p.* FROM " T " AS p WHERE p.k IS NOT NULL AND p.k NOT IN (SELECT e.k FROM main.h AS e WHERE e.k IS "
        "NOT NULL)",
        "SELECT n, count(*) AS copies FROM " T " GROUP BY n HAVING count(*) > 1",
        "SELECT count(*) AS row_count FROM " T " HAVING count(*) < 1 OR count(*) > CAST(1000 AS BIGINT)",
    };
    size_t n = sizeof(sqls) / sizeof(*sqls);
    json_t *want[8];
    for (size_t i = 0; i < n; i++)
        want[i] = alone(f, sqls[i]);
    dp_run r;
    bare_run(f, &r, T, 400, f->st);
    snprintf(r.created_at, sizeof(r.created_at), "2025-07-16T00:00:00Z");
    dp_error err = {0};
    assert_int_equal(dp_rowset_read(&r.exec.rowset, f->con, "SELECT * FROM " T, 0, 1000, 1 << 20, &err), 0);
    assert_int_equal(dp_db_query(f->con, "DELETE FROM " T, 0, NULL, NULL, &err), 0);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(r.rules, json_pack("{s:s,s:s}", "type", i == 4 ? "unique_key" : "t", "dp_sql", sqls[i]));
    dp_quality__run_rules(&r);
    for (size_t i = 0; i < n; i++) {
        json_t *got = json_object_get(json_array_get(r.rules, i), "result");
        if (!json_equal(json_object_get(got, "failing_rows"), json_object_get(want[i], "failing_rows")) ||
            !json_equal(json_object_get(got, "examples"), json_object_get(want[i], "examples")) ||
            strcmp(json_string_value(json_object_get(got, "status")),
                   json_string_value(json_object_get(want[i], "status"))))
            fail_msg("rule %zu (%s): %s, alone %s", i, sqls[i], json_dumps(got, JSON_COMPACT),
                     json_dumps(want[i], JSON_COMPACT));
        json_decref(want[i]);
    }
    /* not vacuous: failures with examples, and passes */
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(json_array_get(r.rules, 0), "result"), "failing_rows")), 24);
    assert_true(
        json_integer_value(json_object_get(json_object_get(json_array_get(r.rules, 3), "result"), "failing_rows")) > 0);
    dp_rowset_free(r.exec.rowset);
    json_decref(r.rules);
    dp_arena_free(r.a);
}

/* The grain's uniqueness decided in C over keys of every kind a grain has
 * (integers of two widths, dates, short and long text, decimals, booleans,
 * NULLs), over several chunks: a key C calls unique is one the rule's own
 * statement finds no copy of, and a key with copies gets the statement's
 * result (C leaves it to the SQL). */
static void unique_keys_of_every_kind(void **state)
{
    fixture *f = *state;
    dp_error err = {0};
    assert_int_equal(
        dp_db_query(f->con,
                    "CREATE TEMPORARY TABLE dp_result_u AS SELECT i::INTEGER AS i32, (i * 7919)::BIGINT AS i64, "
                    "(DATE '2024-01-01' + (i % 400)::INTEGER) AS d, "
                    "CASE WHEN i % 97 = 0 THEN NULL ELSE 'id-' || (i % 300) END AS s, "
                    "'a much longer text key than twelve bytes ' || (i % 7) AS ls, "
                    "((i % 50) / 4)::DECIMAL(18,2) AS m, i % 2 = 0 AS b, "
                    "CASE WHEN i % 11 = 0 THEN NULL ELSE i % 13 END AS n FROM range(0, 5000) t(i)",
                    0, NULL, NULL, &err),
        0);
    const char *keys[] = {"i32",      "i64",  "d, s", "s, d", "d, ls", "i32, s", "ls, m, b",
                          "d, ls, s", "n, d", "m",    "b, d", "s",     "n, i64", "d, n, ls"};
    size_t n = sizeof(keys) / sizeof(*keys);
    const char **sqls = calloc(n, sizeof(*sqls));
    dp_run r;
    bare_run(f, &r, "dp_result_u", 5000, NULL);
    assert_int_equal(dp_rowset_read(&r.exec.rowset, f->con, "SELECT * FROM dp_result_u", 0, 10000, 1 << 24, &err), 0);
    assert_true(dp_rowset_nchunks(r.exec.rowset) > 1);
    for (size_t i = 0; i < n; i++) {
        sqls[i] = dp_arena_printf(r.a, "SELECT %s, count(*) AS copies FROM dp_result_u GROUP BY %s HAVING count(*) > 1",
                                  keys[i], keys[i]);
        json_array_append_new(r.rules, json_pack("{s:s,s:s}", "type", "unique_key", "dp_sql", sqls[i]));
    }
    dp_quality__run_rules(&r);
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *got = json_object_get(json_array_get(r.rules, i), "result");
        json_t *want = alone(f, sqls[i]);
        if (!json_equal(json_object_get(got, "failing_rows"), json_object_get(want, "failing_rows")) ||
            strcmp(json_string_value(json_object_get(got, "status")),
                   json_string_value(json_object_get(want, "status"))))
            fail_msg("key (%s): %s, alone %s", keys[i], json_dumps(got, JSON_COMPACT), json_dumps(want, JSON_COMPACT));
        passed += !strcmp(json_string_value(json_object_get(got, "status")), "passed");
        failed += !strcmp(json_string_value(json_object_get(got, "status")), "failed");
        json_decref(want);
    }
    assert_true(passed >= 4 && failed >= 4); /* not vacuous either way */
    dp_rowset_free(r.exec.rowset);
    json_decref(r.rules);
    dp_arena_free(r.a);
    free(sqls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(unique_key_by_hashes, setup, teardown),
        cmocka_unit_test_setup_teardown(fused_equals_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_statement_falls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(sources_cached_as_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(sources_kept_by_the_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(decided_in_c, setup, teardown),
        cmocka_unit_test_setup_teardown(unique_keys_of_every_kind, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: a rule evaluated in C (rule_eval.c over a dp_rowset) gives
 * exactly what DuckDB gives for the same SQL: the number of failing rows
 * and the first five of them, each value written as DuckDB writes it.
 * Differential: thousands of conditions, built from every column, literals
 * of each family at the edges (NULL, NaN, infinities, -0.0, decimals of
 * another scale, dates, bytes past ASCII), combined with AND, OR and NOT,
 * each run both ways. What the evaluator must not take (a function on a
 * column, arithmetic on columns, another table, a FLOAT, a string against
 * a date) is refused, so that DuckDB runs it. And the test run's stream
 * keeps a small result in C and puts a large one in a table. */
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
#include "catalog/rowset.h"
#include "quality/rule_eval.h"
#include "util/json_memo.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct fixture {
    duckdb_database db;
    duckdb_connection con;
    dp_rowset *rs;
    dp_arena *a;
    size_t compiled, refused;
} fixture;

static const char *table_sql =
    "CREATE TABLE t AS SELECT * FROM (VALUES "
    "(1, 1, 0.5::DOUBLE, 12.50::DECIMAL(18,2), 123456789012345678901234.5678::DECIMAL(38,4), "
    " 170141183460469231731687303715884105727::HUGEINT, 'alpha', DATE '2025-01-06', TIMESTAMP '2025-01-06 10:00:00', "
    " true, 3::TINYINT, 18446744073709551615::UBIGINT, 0.1::FLOAT),"
    "(2, -5, 'nan'::DOUBLE, -0.01::DECIMAL(18,2), -1.0000::DECIMAL(38,4), -3::HUGEINT, '', DATE '1970-01-01', "
    " TIMESTAMP '1970-01-01 00:00:00', false, (-128)::TINYINT, 0::UBIGINT, -0.0::FLOAT),"
    "(3, NULL, 'inf'::DOUBLE, 0::DECIMAL(18,2), NULL, NULL, 'Zeta', DATE '2024-02-29', NULL, NULL, NULL, 7::UBIGINT, "
    "NULL),"
    "(4, 0, -0.0::DOUBLE, NULL, 0::DECIMAL(38,4), 0::HUGEINT, NULL, NULL, TIMESTAMP '2024-02-29 23:59:59.999999', "
    " true, 127::TINYINT, NULL, 1.5::FLOAT),"
    "(5, 9007199254740993, '-inf'::DOUBLE, 99999999.99::DECIMAL(18,2), 0.0001::DECIMAL(38,4), 1::HUGEINT, "
    " 'caf\xc3\xa9', DATE '2025-06-30', TIMESTAMP '2025-06-30 00:00:00', false, 0::TINYINT, 1::UBIGINT, 0::FLOAT),"
    "(6, 1, NULL, 1::DECIMAL(18,2), 12.5::DECIMAL(38,4), 2::HUGEINT, 'alpha', DATE '2025-01-12', "
    " TIMESTAMP '2025-01-12 00:00:01', NULL, 1::TINYINT, 2::UBIGINT, 2::FLOAT),"
    "(7, 1, 1.0::DOUBLE, 0.50::DECIMAL(18,2), 0.5::DECIMAL(38,4), 5::HUGEINT, 'beta', DATE '2025-01-12', "
    " TIMESTAMP '2025-01-13 00:00:00', true, 1::TINYINT, 3::UBIGINT, 0.5::FLOAT),"
    "(8, 12, 12.5::DOUBLE, 12.49::DECIMAL(18,2), 12.5001::DECIMAL(38,4), 12::HUGEINT, 'alpha ', DATE '2025-03-31', "
    " TIMESTAMP '2025-03-31 12:00:00', false, 12::TINYINT, 12::UBIGINT, 12::FLOAT)"
    ") v(id, i, d, m, w, h, s, dt, ts, b, ti, ub, f); "
    "CREATE SCHEMA src; CREATE TABLE src.keys AS SELECT * FROM (VALUES ('alpha', 1, DATE '2025-01-12'), "
    "('beta', 12, DATE '1970-01-01'), (NULL, NULL, NULL), ('caf\xc3\xa9', -5, DATE '2025-06-30')) v(k, n, day); "
    /* lists long enough to be hashed (or sorted, against another kind) */
    "CREATE TABLE src.many AS SELECT x::INTEGER AS n, CASE x WHEN 5 THEN 'alpha' WHEN 6 THEN 'caf\xc3\xa9' "
    "ELSE 'k' || x END AS k, DATE '2025-01-01' + x::INTEGER AS day FROM range(-3, 40) r(x); "
    /* a list too long for a result of eight rows */
    "CREATE TABLE src.huge AS SELECT x AS n FROM range(0, 10050) r(x)";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    duckdb_config cfg;
    duckdb_create_config(&cfg);
    duckdb_set_config(cfg, "threads", "1"); /* rows in table order, as the examples are */
    assert_int_equal(duckdb_open_ext(NULL, &f->db, cfg, NULL), DuckDBSuccess);
    duckdb_destroy_config(&cfg);
    assert_int_equal(duckdb_connect(f->db, &f->con), DuckDBSuccess);
    duckdb_result res;
    if (duckdb_query(f->con, table_sql, &res) == DuckDBError)
        fail_msg("%s", duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    dp_error err = {0};
    if (dp_rowset_read(&f->rs, f->con, "SELECT * FROM t", 0, 1000, 1 << 20, &err))
        fail_msg("%s", err.message);
    f->a = dp_arena_new(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dp_rowset_free(f->rs);
    dp_arena_free(f->a);
    duckdb_disconnect(&f->con);
    duckdb_close(&f->db);
    free(f);
    return 0;
}

static int collect(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    json_t *o = json_object();
    for (size_t i = 0; i < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    json_array_append_new(p, o);
    return 0;
}

/* The provider of a subquery's values: DuckDB's own, as the quality stage
 * reads them (distinct, non-NULL, as text, one type). */
static long values(void *payload, const char *schema, const char *table, const char *column, long max,
                   const char ***vals, const char **type)
{
    fixture *f = payload;
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT typeof(x), CAST(x AS VARCHAR) FROM (SELECT DISTINCT \"%s\" AS x FROM \"%s\".\"%s\" WHERE \"%s\" "
             "IS NOT NULL) s",
             column, schema, table, column);
    json_t *all = json_array();
    dp_error err = {0};
    if (dp_db_query(f->con, sql, 0, collect, all, &err)) {
        json_decref(all);
        return -1;
    }
    size_t n = json_array_size(all);
    if (n > (size_t)max) {
        json_decref(all);
        return -1;
    }
    const char **v = dp_arena_calloc(f->a, n ? n : 1, sizeof(*v));
    *type = "VARCHAR";
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(all, i);
        void *it = json_object_iter(o);
        *type = dp_arena_strdup(f->a, json_string_value(json_object_iter_value(it)));
        v[i] = dp_arena_strdup(f->a, json_string_value(json_object_iter_value(json_object_iter_next(o, it))));
    }
    json_decref(all);
    *vals = v;
    return (long)n;
}

/* sql run both ways: the same failing rows, the same first five. 1 when
 * the evaluator took it, 0 when it left it to DuckDB. */
static int same_both_ways(fixture *f, const char *sql)
{
    dp_rule_eval *e = dp_rule_eval_compile(sql, "t", f->rs, values, f, f->a);
    if (!e) {
        f->refused++;
        return 0;
    }
    f->compiled++;
    size_t first[5], nf = 0;
    long long n = dp_rule_eval_count(e, f->rs, first, 5, &nf);
    json_t *want = json_array();
    dp_error err = {0};
    char *q = malloc(strlen(sql) + 64);
    sprintf(q, "SELECT * FROM (%s) AS failing", sql);
    if (dp_db_query(f->con, q, 0, collect, want, &err)) {
        /* DuckDB refuses it (a type it will not compare): so must we */
        fail_msg("evaluated in C, but DuckDB says: %s\n%s", err.message, sql);
    }
    free(q);
    if ((long long)json_array_size(want) != n)
        fail_msg("%lld rows in C, %zu in DuckDB: %s", n, json_array_size(want), sql);
    if (dp_rule_eval_row_form(e)) {
        assert_int_equal(nf, n < 5 ? (size_t)n : 5);
        for (size_t i = 0; i < nf; i++) {
            json_t *got = dp_rowset_row_json(f->rs, first[i]);
            if (!json_equal(got, json_array_get(want, i)))
                fail_msg("example %zu differs: %s vs %s\n%s", i, json_dumps(got, JSON_COMPACT),
                         json_dumps(json_array_get(want, i), JSON_COMPACT), sql);
            json_decref(got);
        }
    }
    json_decref(want);
    return 1;
}

static const char *columns[] = {"i", "d", "m", "w", "h", "s", "dt", "ts", "b", "ti", "ub", "id"};
static const char *literals[] = {"0",
                                 "1",
                                 "-5",
                                 "12.5",
                                 "12.50",
                                 "-0.01",
                                 "0.5",
                                 "1e0",
                                 "9007199254740992",
                                 "99999999.99",
                                 "'alpha'",
                                 "''",
                                 "'caf\xc3\xa9'",
                                 "'alpha '",
                                 "DATE '2025-01-12'",
                                 "DATE '1970-01-01'",
                                 "CAST('2025-06-30' AS DATE)",
                                 "CAST(date_trunc('week', DATE '2025-01-08') AS DATE)",
                                 "CAST(date_trunc('month', DATE '2025-03-31') AS DATE)",
                                 "CAST(date_trunc('quarter', DATE '2025-06-30' + 1) AS DATE)",
                                 "DATE '2025-01-13' - 1",
                                 "true",
                                 "NULL",
                                 "CAST(12 AS BIGINT)"};
static const char *ops[] = {"=", "<>", "<", "<=", ">", ">=", "!="};

static void compare_with_duckdb(void **state)
{
    fixture *f = *state;
    char sql[1024];
    size_t nc = sizeof(columns) / sizeof(*columns), nl = sizeof(literals) / sizeof(*literals);
    /* the single comparisons the evaluator took, combined below */
    size_t ntook = 0, captook = nc * nl * 7;
    char(*took)[160] = calloc(captook, sizeof(*took));
    /* every column against every literal, every operator, both sides */
    for (size_t c = 0; c < nc; c++)
        for (size_t l = 0; l < nl; l++)
            for (size_t o = 0; o < sizeof(ops) / sizeof(*ops); o++) {
                snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE \"%s\" %s %s", columns[c], ops[o], literals[l]);
                if (same_both_ways(f, sql))
                    snprintf(took[ntook++], sizeof(*took), "\"%s\" %s %s", columns[c], ops[o], literals[l]);
                snprintf(sql, sizeof(sql), "SELECT p.* FROM t AS p WHERE %s %s p.\"%s\"", literals[l], ops[o],
                         columns[c]);
                same_both_ways(f, sql);
            }
    /* columns against columns */
    for (size_t c = 0; c < nc; c++)
        for (size_t k = 0; k < nc; k++) {
            snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s > %s", columns[c], columns[k]);
            same_both_ways(f, sql);
            snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s = %s", columns[c], columns[k]);
            same_both_ways(f, sql);
        }
    /* NULL tests, IN lists, and combinations of random pairs (a fixed seed) */
    for (size_t c = 0; c < nc; c++) {
        snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s IS NULL", columns[c]);
        assert_true(same_both_ways(f, sql));
        snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE NOT (%s IS NOT NULL)", columns[c]);
        assert_true(same_both_ways(f, sql));
    }
    static const char *lists[] = {"('alpha', 'beta')",
                                  "('alpha', NULL)",
                                  "(1, 12, -5)",
                                  "(1, NULL)",
                                  "(DATE '2025-01-12', DATE '1970-01-01')",
                                  "('a0','a1','a2','a3','a4','a5','a6','a7','a8','a9','alpha','zz')",
                                  "(0,2,3,4,5,6,7,8,9,10,11,12,13)",
                                  "(0.5, 12.5, 1)"};
    for (size_t c = 0; c < nc; c++)
        for (size_t l = 0; l < sizeof(lists) / sizeof(*lists); l++) {
            snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s IN %s", columns[c], lists[l]);
            same_both_ways(f, sql);
            snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s NOT IN %s", columns[c], lists[l]);
            same_both_ways(f, sql);
        }
    assert_true(ntook > 500);
    unsigned seed = 12345;
    for (int k = 0; k < 3000; k++) {
        const char *parts[3];
        for (int j = 0; j < 3; j++) {
            seed = seed * 1103515245u + 12345u;
            parts[j] = took[(seed >> 8) % ntook];
        }
        static const char *shapes[] = {"(%s) AND (%s) OR (%s)", "NOT ((%s) OR (%s)) AND (%s)",
                                       "(%s) OR NOT (%s) OR (%s)", "((%s) AND (%s)) AND NOT (%s)"};
        char cond[800];
        snprintf(cond, sizeof(cond), shapes[k % 4], parts[0], parts[1], parts[2]);
        snprintf(sql, sizeof(sql), "SELECT * FROM t WHERE %s", cond);
        assert_true(same_both_ways(f, sql));
    }
    free(took);
    /* subqueries on a source column */
    static const char *subs[] = {
        "s IN (SELECT e.k FROM src.keys AS e WHERE e.k IS NOT NULL)",
        "s NOT IN (SELECT e.k FROM src.keys AS e WHERE e.k IS NOT NULL)",
        "i NOT IN (SELECT n FROM src.keys WHERE n IS NOT NULL)",
        "dt IN (SELECT e.day FROM src.keys AS e WHERE e.day IS NOT NULL)",
        "p.i IS NOT NULL AND p.i NOT IN (SELECT e.n FROM src.keys AS e WHERE e.n IS NOT NULL)",
        /* hashed lists, values found and missed */
        "s IN (SELECT e.k FROM src.many AS e WHERE e.k IS NOT NULL)",
        "s NOT IN (SELECT e.k FROM src.many AS e WHERE e.k IS NOT NULL)",
        "i NOT IN (SELECT n FROM src.many WHERE n IS NOT NULL)",
        "p.i IS NOT NULL AND p.i NOT IN (SELECT e.n FROM src.many AS e WHERE e.n IS NOT NULL)",
        "dt NOT IN (SELECT e.day FROM src.many AS e WHERE e.day IS NOT NULL)",
        /* sorted: a double against integers */
        "d NOT IN (SELECT e.n FROM src.many AS e WHERE e.n IS NOT NULL)"};
    for (size_t s = 0; s < sizeof(subs) / sizeof(*subs); s++) {
        snprintf(sql, sizeof(sql), "SELECT p.* FROM t AS p WHERE %s", subs[s]);
        assert_true(same_both_ways(f, sql));
    }
    /* whole-table conditions (HAVING) */
    static const char *aggs[] = {
        "SELECT count(*) AS row_count FROM t HAVING count(*) < 1 OR count(*) > CAST(7 AS BIGINT)",
        "SELECT count(*) AS row_count FROM t HAVING count(*) < 1 OR count(*) > CAST(8 AS BIGINT)",
        "SELECT max(\"dt\") AS newest FROM t HAVING max(\"dt\") IS NULL OR max(\"dt\") < DATE '2025-06-30'",
        "SELECT max(\"dt\") AS newest FROM t HAVING max(\"dt\") IS NULL OR max(\"dt\") < DATE '2025-07-01'",
        "SELECT min(s) AS first FROM t HAVING min(s) = ''",
        "SELECT max(d) AS top FROM t HAVING max(d) > 1e308",
        "SELECT min(w) AS low FROM t HAVING min(w) < 0",
        "SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM t)"};
    for (size_t s = 0; s < sizeof(aggs) / sizeof(*aggs); s++)
        assert_true(same_both_ways(f, aggs[s]));
    /* on no rows: the empty-product rule fails (its one row is its SQL's to
     * read), the row count's holds */
    dp_rowset *none = NULL;
    dp_error err = {0};
    assert_int_equal(dp_rowset_read(&none, f->con, "SELECT * FROM t WHERE false", 0, 10, 1 << 20, &err), 0);
    size_t first[5], nf = 0;
    dp_rule_eval *e =
        dp_rule_eval_compile("SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM t)", "t", none, NULL, NULL, f->a);
    assert_non_null(e);
    assert_int_equal(dp_rule_eval_row_form(e), 0);
    assert_int_equal(dp_rule_eval_count(e, none, first, 5, &nf), 1);
    e = dp_rule_eval_compile("SELECT count(*) AS row_count FROM t HAVING count(*) < 1", "t", none, NULL, NULL, f->a);
    assert_non_null(e);
    assert_int_equal(dp_rule_eval_count(e, none, first, 5, &nf), 1);
    dp_rowset_free(none);
    /* not vacuous: most were evaluated in C */
    assert_true(f->compiled > 4000);
    printf("# %zu conditions evaluated in C and by DuckDB alike, %zu left to DuckDB\n", f->compiled, f->refused);
}

static void refuses_what_it_does_not_know(void **state)
{
    fixture *f = *state;
    static const char *sqls[] = {
        "SELECT * FROM t WHERE lower(s) = 'alpha'",              /* a function on a column */
        "SELECT * FROM t WHERE i + 1 > 2",                       /* arithmetic on a column */
        "SELECT * FROM u WHERE i > 2",                           /* another table */
        "SELECT * FROM main.t WHERE i > 2",                      /* a schema: not the run's table */
        "SELECT * FROM t WHERE f > 0.1",                         /* FLOAT: DuckDB casts the literal */
        "SELECT * FROM t WHERE dt = '2025-01-12'",               /* a string against a date */
        "SELECT * FROM t WHERE s = 1",                           /* text against a number */
        "SELECT i FROM t WHERE i > 2",                           /* not the whole row */
        "SELECT * FROM t WHERE i > 2 LIMIT 1",                   /* a limit */
        "SELECT * FROM t WHERE i > 2 ORDER BY i",                /* an order */
        "SELECT * FROM t WHERE s IN (SELECT k FROM src.keys)",   /* NULLs in the subquery */
        "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM src.keys)", /* another subquery */
        "SELECT * FROM t WHERE i BETWEEN 1 AND 3",
        "SELECT * FROM t WHERE w > 0.00001", /* DECIMAL(38,4) against scale 5 */
        "SELECT * FROM t WHERE q.i > 2",     /* an unknown qualifier */
        "SELECT * FROM t WHERE nope > 2",    /* an unknown column */
        "SELECT count(*) AS n FROM t GROUP BY i HAVING count(*) > 1",
        "SELECT sum(i) AS n FROM t HAVING sum(i) > 1",
        "SELECT * FROM t WHERE i > 2; SELECT 1",
        "SELECT * FROM t WHERE date_trunc('hour', DATE '2025-01-01') = ts",
        "SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM t WHERE i > 2)", /* a condition inside */
        "SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM u)",             /* another table */
        "SELECT 1 AS empty WHERE EXISTS (SELECT 1 FROM t)",
        /* 10,050 keys against eight rows: the anti join is DuckDB's */
        "SELECT * FROM t WHERE i NOT IN (SELECT n FROM src.huge WHERE n IS NOT NULL)",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++)
        if (dp_rule_eval_compile(sqls[i], "t", f->rs, values, f, f->a))
            fail_msg("took %s", sqls[i]);
}

typedef struct spill_to {
    duckdb_database db;
    duckdb_connection con;
    int calls;
} spill_to;

static int second(void *payload, duckdb_connection *out, dp_error *err)
{
    spill_to *s = payload;
    (void)err;
    s->calls++;
    assert_int_equal(duckdb_connect(s->db, &s->con), DuckDBSuccess);
    *out = s->con;
    return 0;
}

static long long scalar(duckdb_connection con, const char *sql)
{
    duckdb_result res;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        fail_msg("%s: %s", sql, duckdb_result_error(&res));
    long long v = duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    return v;
}

/* The test run's stream: a result within the caps is kept in C (every
 * row, in order); past them, every row goes into the table on the second
 * connection the caller gives, none lost or doubled. */
/* A run's rules compiled at once under the run's own table name, then
 * under another run's name from the parse memo: every rule compiles or
 * not as it does alone, and counts the same failing rows and examples; the
 * second run parses nothing. */
static void rules_compile_the_same_through_the_memo(void **state)
{
    fixture *f = *state;
    static const char *const tmpl[] = {
        "SELECT * FROM %s WHERE i > 1",
        "SELECT p.* FROM %s AS p WHERE p.s IN ('alpha', 'beta') OR p.d IS NULL",
        "SELECT count(*) AS row_count FROM %s HAVING count(*) < 100",
        "SELECT * FROM %s WHERE s NOT IN (SELECT e.k FROM src.keys AS e WHERE e.k IS NOT NULL)",
        "SELECT * FROM %s WHERE dt < DATE '2025-01-12' AND m >= 0",
        "SELECT * FROM %s WHERE lower(s) = 'alpha'", /* a function on a column: left to DuckDB */
        "SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM %s)",
    };
    enum { N = sizeof(tmpl) / sizeof(*tmpl) };
    const char *names[] = {"dp_result_aaaa1111", "dp_result_bbbb2222"};
    dp_json_memo *memo = dp_json_memo_new(8, 1 << 20);
    assert_non_null(memo);
    for (int run = 0; run < 2; run++) {
        char text[N][256];
        const char *sqls[N];
        for (size_t i = 0; i < N; i++) {
            snprintf(text[i], sizeof(text[i]), tmpl[i], names[run]);
            sqls[i] = text[i];
        }
        dp_rule_eval *all[N];
        dp_rule_eval_compile_all(sqls, N, names[run], f->rs, values, f, memo, f->a, all);
        for (size_t i = 0; i < N; i++) {
            char alone_sql[256];
            snprintf(alone_sql, sizeof(alone_sql), tmpl[i], "t");
            dp_rule_eval *alone = dp_rule_eval_compile(alone_sql, "t", f->rs, values, f, f->a);
            if (!alone != !all[i])
                fail_msg("run %d: '%s' compiled %s alone, %s together", run, sqls[i], alone ? "" : "not",
                         all[i] ? "" : "not");
            if (!alone)
                continue;
            size_t fa[5], fb[5], na = 0, nb = 0;
            long long ca = dp_rule_eval_count(alone, f->rs, fa, 5, &na);
            long long cb = dp_rule_eval_count(all[i], f->rs, fb, 5, &nb);
            assert_true(ca == cb);
            assert_int_equal(na, nb);
            assert_memory_equal(fa, fb, na * sizeof(*fa));
            assert_int_equal(dp_rule_eval_row_form(alone), dp_rule_eval_row_form(all[i]));
        }
        assert_null(all[5]);
        assert_non_null(all[0]);
    }
    size_t hits = 0, misses = 0;
    dp_json_memo_counts(memo, &hits, &misses);
    assert_int_equal(misses, 1);
    assert_int_equal(hits, 1);
    dp_json_memo_free(memo);
}

static void stream_keeps_or_spills(void **state)
{
    fixture *f = *state;
    duckdb_prepared_statement ps;
    assert_int_equal(duckdb_prepare(f->con, "SELECT range AS n, 'v' || range AS s FROM range(5000) ORDER BY n", &ps),
                     DuckDBSuccess);
    for (int spill = 0; spill < 2; spill++) {
        spill_to to = {f->db, NULL, 0};
        dp_rowset *rs = NULL;
        long long rows = -1;
        dp_error err = {0};
        int rc = dp_rowset_stream(&rs, f->con, ps, 10000, spill ? 1000 : 10000, 1 << 20, second, &to,
                                  "dp_result_spilled", &rows, &err);
        if (rc)
            fail_msg("%s", err.message);
        assert_int_equal(rows, 5000);
        assert_int_equal(to.calls, spill);
        if (!spill) {
            assert_non_null(rs);
            assert_int_equal(dp_rowset_rows(rs), 5000);
            dp_val v;
            dp_rowset_get(rs, 0, 4321, &v);
            assert_true(v.kind == DP_VAL_EXACT && v.u.i == 4321);
            dp_rowset_free(rs);
            continue;
        }
        assert_null(rs);
        /* the table is the second connection's (temporary), with every row once */
        assert_int_equal(scalar(to.con, "SELECT count(*) FROM dp_result_spilled"), 5000);
        assert_int_equal(scalar(to.con, "SELECT count(DISTINCT n) FROM dp_result_spilled"), 5000);
        assert_int_equal(scalar(to.con, "SELECT sum(n) FROM dp_result_spilled"), 4999LL * 5000 / 2);
        assert_int_equal(scalar(to.con, "SELECT count(*) FROM dp_result_spilled WHERE s <> 'v' || n"), 0);
        duckdb_disconnect(&to.con);
    }
    duckdb_destroy_prepare(&ps);
}

/* Example rows are written in C for the plain types (integers of every
 * width, decimals of every storage and scale, dates, booleans): each value
 * must be the text DuckDB's cast to VARCHAR gives, at the edges of each
 * type, and a date C does not write (BC, a five-digit year, infinity) is
 * left to DuckDB, which still writes it. */
static void examples_written_as_duckdb_writes_them(void **state)
{
    fixture *f = *state;
    static const char *sql =
        "CREATE TABLE e AS SELECT * FROM (VALUES "
        "((-128)::TINYINT, (-32768)::SMALLINT, (-2147483648)::INTEGER, (-9223372036854775808)::BIGINT, "
        " (-170141183460469231731687303715884105728)::HUGEINT, 0::UTINYINT, 0::USMALLINT, 0::UINTEGER, 0::UBIGINT, "
        " (-9.9)::DECIMAL(2,1), (-9999.9999)::DECIMAL(8,4), (-0.000000001)::DECIMAL(18,9), "
        " (-99999999999999999999999999999999999999)::DECIMAL(38,0), "
        " (-0.1234567890123456789012345678901234567)::DECIMAL(38,37), DATE '0001-01-01', false),"
        "(127::TINYINT, 32767::SMALLINT, 2147483647::INTEGER, 9223372036854775807::BIGINT, "
        " 170141183460469231731687303715884105727::HUGEINT, 255::UTINYINT, 65535::USMALLINT, 4294967295::UINTEGER, "
        " 18446744073709551615::UBIGINT, 9.9::DECIMAL(2,1), 0.0001::DECIMAL(8,4), 123456789.000000001::DECIMAL(18,9), "
        " 0::DECIMAL(38,0), 0.0000000000000000000000000000000000001::DECIMAL(38,37), DATE '9999-12-31', true),"
        "(0::TINYINT, (-1)::SMALLINT, 0::INTEGER, (-1)::BIGINT, 0::HUGEINT, 1::UTINYINT, 1::USMALLINT, 1::UINTEGER, "
        " 1::UBIGINT, 0::DECIMAL(2,1), (-0.5)::DECIMAL(8,4), 0::DECIMAL(18,9), 10::DECIMAL(38,0), "
        " 0::DECIMAL(38,37), DATE '1970-01-01', NULL),"
        "(NULL, 10::SMALLINT, 100::INTEGER, 1000::BIGINT, 10000::HUGEINT, 10::UTINYINT, 100::USMALLINT, "
        " 1000::UINTEGER, 10000::UBIGINT, (-0.1)::DECIMAL(2,1), 1000::DECIMAL(8,4), (-1)::DECIMAL(18,9), "
        " (-10)::DECIMAL(38,0), (-1.5)::DECIMAL(38,37), DATE '2024-02-29', true),"
        "(1::TINYINT, 2::SMALLINT, 3::INTEGER, 4::BIGINT, 5::HUGEINT, 6::UTINYINT, 7::USMALLINT, 8::UINTEGER, "
        " 9::UBIGINT, 0.1::DECIMAL(2,1), 0.05::DECIMAL(8,4), 0.5::DECIMAL(18,9), 7::DECIMAL(38,0), "
        " 1.0::DECIMAL(38,37), DATE '1900-03-01', false),"
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " DATE '0001-01-01' - 1, NULL),"
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " DATE '9999-12-31' + 1, NULL),"
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " 'infinity'::DATE, NULL),"
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " '-infinity'::DATE, NULL),"
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " DATE '1600-02-29', NULL)"
        ") v(ti, si, ii, bi, hi, uti, usi, ui, ubi, d2, d8, d18, d38, d38s, dt, b); "
        /* every day of four years across a century's leap rule, and the first of each month far out */
        "CREATE TABLE days AS SELECT (DATE '1899-12-01' + i::INTEGER)::DATE AS dt FROM range(0, 1600) r(i) "
        "UNION ALL SELECT (DATE '0001-01-01' + to_months(i::INTEGER))::DATE FROM range(0, 119988, 97) r(i)";
    duckdb_result res;
    if (duckdb_query(f->con, sql, &res) == DuckDBError)
        fail_msg("%s", duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    const char *tables[] = {"SELECT * FROM e", "SELECT * FROM days"};
    for (size_t t = 0; t < 2; t++) {
        dp_rowset *rs = NULL;
        dp_error err = {0};
        if (dp_rowset_read(&rs, f->con, tables[t], 0, 100000, 1 << 24, &err))
            fail_msg("%s", err.message);
        json_t *want = json_array();
        if (dp_db_query(f->con, tables[t], 0, collect, want, &err))
            fail_msg("%s", err.message);
        assert_int_equal(json_array_size(want), dp_rowset_rows(rs));
        assert_true(dp_rowset_rows(rs) >= 10);
        for (size_t i = 0; i < dp_rowset_rows(rs); i++) {
            json_t *got = dp_rowset_row_json(rs, i);
            if (!json_equal(got, json_array_get(want, i)))
                fail_msg("row %zu: %s in C, %s in DuckDB", i, json_dumps(got, JSON_COMPACT),
                         json_dumps(json_array_get(want, i), JSON_COMPACT));
            json_decref(got);
        }
        json_decref(want);
        dp_rowset_free(rs);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(compare_with_duckdb, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_what_it_does_not_know, setup, teardown),
        cmocka_unit_test_setup_teardown(stream_keeps_or_spills, setup, teardown),
        cmocka_unit_test_setup_teardown(rules_compile_the_same_through_the_memo, setup, teardown),
        cmocka_unit_test_setup_teardown(examples_written_as_duckdb_writes_them, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

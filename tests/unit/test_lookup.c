/* Unit tests: request-time value look-ups (src/catalog/lookup.c) on a small
 * in-memory table: exact hits case aside, closest values, number keys, text
 * bound as a parameter, the time budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "catalog/lookup.h"

typedef struct fixture {
    duckdb_database db;
    duckdb_connection con;
    dp_column cols[3];
    dp_model model;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    duckdb_result r;
    if (!f || duckdb_open(NULL, &f->db) == DuckDBError || duckdb_connect(f->db, &f->con) == DuckDBError)
        return -1;
    const char *sql = "CREATE TABLE main.things AS SELECT printf('TH-%04d', i) AS thing_id, i AS num, "
                      "['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'O''Brien'][1 + i % 4] AS thing_name "
                      "FROM range(1, 41) t(i)";
    if (duckdb_query(f->con, sql, &r) == DuckDBError)
        return -1;
    duckdb_destroy_result(&r);
    f->cols[0] = (dp_column){.name = "thing_id", .type = "VARCHAR"};
    f->cols[1] = (dp_column){.name = "num", .type = "BIGINT"};
    f->cols[2] = (dp_column){.name = "thing_name", .type = "VARCHAR"};
    f->model.name = "things";
    f->model.schema = "main";
    f->model.table = "things";
    f->model.columns = f->cols;
    f->model.ncolumns = 3;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    duckdb_disconnect(&f->con);
    duckdb_close(&f->db);
    free(f);
    return 0;
}

static void exact_and_closest(void **state)
{
    fixture *f = *state;
    dp_lookup l;
    dp_value_hits h;
    dp_error err = {0};
    dp_lookup_init(&l, f->con, 0);
    /* the stored spelling comes back for any case */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_id", "th-0007", &h, &err), 0);
    assert_true(h.exact);
    assert_string_equal(h.values[0], "TH-0007");
    assert_true(h.scores[0] == 1.0);
    /* a missing id: not exact, the closest stored ids, at most five */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_id", "TH-0099", &h, &err), 0);
    assert_false(h.exact);
    assert_int_equal(h.n, DP_VALUE_HITS_MAX);
    assert_int_equal(strncmp(h.values[0], "TH-00", 5), 0);
    /* values containing the text come first: "42" is in no id here, "4" is */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_id", "04", &h, &err), 0);
    assert_false(h.exact);
    assert_non_null(strstr(h.values[0], "04"));
    /* a misspelt name: the nearest name first */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_name", "Grace Hoper", &h, &err), 0);
    assert_false(h.exact);
    assert_string_equal(h.values[0], "Grace Hopper");
    assert_int_equal(l.queries, 4);
}

static void numbers_and_quotes(void **state)
{
    fixture *f = *state;
    dp_lookup l;
    dp_value_hits h;
    dp_error err = {0};
    dp_lookup_init(&l, f->con, 0);
    assert_int_equal(dp_lookup_values(&l, &f->model, "num", "12", &h, &err), 0);
    assert_true(h.exact);
    assert_string_equal(h.values[0], "12");
    /* a number key that is not there: the nearest numbers */
    assert_int_equal(dp_lookup_values(&l, &f->model, "num", "99", &h, &err), 0);
    assert_false(h.exact);
    assert_string_equal(h.values[0], "40");
    /* a name is no number: not even asked */
    assert_int_equal(dp_lookup_values(&l, &f->model, "num", "Ada Lovelace", &h, &err), 0);
    assert_int_equal(h.n, 0);
    assert_int_equal(l.queries, 2);
    /* the text is a parameter: quotes are data, not SQL */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_name", "o'brien", &h, &err), 0);
    assert_true(h.exact);
    assert_string_equal(h.values[0], "O'Brien");
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_name", "x'); DROP TABLE things; --", &h, &err), 0);
    assert_false(h.exact);
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_id", "TH-0001", &h, &err), 0);
    assert_true(h.exact);
}

static void budget(void **state)
{
    fixture *f = *state;
    dp_lookup l;
    dp_value_hits h;
    dp_error err = {0};
    dp_lookup_init(&l, f->con, 50);
    l.spent_ms = 50; /* the request's look-ups took their time */
    assert_int_equal(dp_lookup_values(&l, &f->model, "thing_id", "TH-0001", &h, &err), DP_ELIMIT);
    assert_int_equal(l.queries, 0);
    /* a column that is not there is an engine error, not a crash */
    dp_lookup_init(&l, f->con, 0);
    assert_int_equal(dp_lookup_values(&l, &f->model, "no_such_column", "x", &h, &err), DP_EENGINE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_and_closest),
        cmocka_unit_test(numbers_and_quotes),
        cmocka_unit_test(budget),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

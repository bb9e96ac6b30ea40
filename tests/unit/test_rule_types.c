/* Unit tests: the types rule is decided in C from the schema the test run
 * read, and its SQL runs only when a column is missing or of another
 * family; the C family of a type name must be the SQL's CASE, for every
 * type DuckDB can give a column (else a failing column would pass). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quality/quality_int.h"

#define SQL_CASE DP_QUALITY_TYPE_FAMILY_CASE

static void c_family_is_the_sql_case(void **state)
{
    (void)state;
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    assert_int_equal(duckdb_open(NULL, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    assert_int_equal(duckdb_query(con, "CREATE TYPE mood AS ENUM ('low', 'high')", NULL), DuckDBSuccess);
    const char *create =
        "CREATE TEMPORARY TABLE t (a TINYINT, b SMALLINT, c INTEGER, d BIGINT, e HUGEINT, f UTINYINT, g USMALLINT, "
        "h UINTEGER, i UBIGINT, j UHUGEINT, k FLOAT, l DOUBLE, m DECIMAL(18,3), n DECIMAL(38,2), o DATE, p TIME, "
        "q TIMESTAMP, r TIMESTAMP WITH TIME ZONE, s TIMESTAMP_S, t2 TIMESTAMP_MS, u TIMESTAMP_NS, v VARCHAR, "
        "w mood, x BOOLEAN, y BLOB, z INTERVAL, aa UUID, ab INTEGER[], ac STRUCT(q INTEGER), "
        "ad MAP(VARCHAR, INTEGER), ae BIT, af TIME WITH TIME ZONE, ag VARCHAR[], ah DOUBLE[3])";
    if (duckdb_query(con, create, &res) == DuckDBError)
        fail_msg("%s", duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    if (duckdb_query(con, "SELECT type, " SQL_CASE " FROM (SELECT type AS data_type, type FROM pragma_table_info('t'))",
                     &res) == DuckDBError)
        fail_msg("%s", duckdb_result_error(&res));
    idx_t n = duckdb_row_count(&res);
    assert_true(n >= 34);
    int seen[6] = {0};
    for (idx_t row = 0; row < n; row++) {
        char *type = duckdb_value_varchar(&res, 0, row), *fam = duckdb_value_varchar(&res, 1, row);
        const char *c = dp_quality__sql_family(type);
        if (strcmp(c, fam))
            fail_msg("%s: C says %s, the SQL %s", type, c, fam);
        static const char *fams[] = {"number", "date", "timestamp", "text", "boolean", "other"};
        for (int k = 0; k < 6; k++)
            seen[k] |= !strcmp(fam, fams[k]);
        duckdb_free(type);
        duckdb_free(fam);
    }
    for (int k = 0; k < 6; k++)
        assert_true(seen[k]); /* every family was reached */
    duckdb_destroy_result(&res);
    /* the rule's SQL reads DESCRIBE, the schema check pragma_table_info: one name per type */
    char *diff = NULL;
    if (duckdb_query(con,
                     "SELECT count(*) FROM (DESCRIBE t) AS d JOIN pragma_table_info('t') AS p "
                     "ON d.column_name = p.name AND d.column_type = p.type",
                     &res) == DuckDBError)
        fail_msg("%s", duckdb_result_error(&res));
    diff = duckdb_value_varchar(&res, 0, 0);
    assert_int_equal(atoi(diff), (int)n);
    duckdb_free(diff);
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void names_are_exact(void **state)
{
    (void)state;
    /* = and LIKE compare case and all: a lower-case or padded name is other */
    assert_string_equal(dp_quality__sql_family("varchar"), "other");
    assert_string_equal(dp_quality__sql_family("DECIMAL"), "number");
    assert_string_equal(dp_quality__sql_family("DATE "), "other");
    assert_string_equal(dp_quality__sql_family("TIMESTAMPTZ"), "timestamp");
    assert_string_equal(dp_quality__sql_family(""), "other");
}

/* Decided in C only when it passes: a missing column or another family
 * leaves the rule to its SQL (which finds every failing row). */
static void c_decides_only_a_pass(void **state)
{
    (void)state;
    dp_run r;
    memset(&r, 0, sizeof(r));
    const char *names[] = {"a", "b"}, *fams[] = {"number", "text"}, *wrong[] = {"number", "date"};
    r.exec.schema =
        json_pack("[{s:s,s:s},{s:s,s:s}]", "name", "a", "type", "DECIMAL(38,2)", "name", "b", "type", "VARCHAR");
    r.rules = json_pack("[{s:s}]", "type", "types");
    json_t *rule = json_array_get(r.rules, 0);
    dp_quality__types_from_schema(&r, names, wrong, 2);
    assert_null(json_object_get(rule, "result"));
    const char *missing[] = {"a", "c"};
    dp_quality__types_from_schema(&r, missing, fams, 2);
    assert_null(json_object_get(rule, "result"));
    dp_quality__types_from_schema(&r, names, fams, 2);
    json_t *res = json_object_get(rule, "result");
    assert_non_null(res);
    assert_string_equal(json_string_value(json_object_get(res, "status")), "passed");
    assert_int_equal(json_integer_value(json_object_get(res, "failing_rows")), 0);
    assert_int_equal(json_array_size(json_object_get(res, "examples")), 0);
    /* another rule last: not touched */
    json_t *other = json_pack("{s:s}", "type", "not_null");
    json_array_append_new(r.rules, other);
    dp_quality__types_from_schema(&r, names, fams, 2);
    assert_null(json_object_get(other, "result"));
    json_decref(r.rules);
    json_decref(r.exec.schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c_family_is_the_sql_case),
        cmocka_unit_test(names_are_exact),
        cmocka_unit_test(c_decides_only_a_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

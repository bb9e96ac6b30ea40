/* The allow-list of catalog SQL (src/sql/expr_check.c, issue 13 item 5.2):
 * every way out of the expression's own row (a table function, a subquery,
 * a setting, a qualified name, a clause after the expression, text the two
 * parsers could split differently) is refused with why, and the expressions
 * real catalogs write are accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "catalog/problems.h"
#include "sql/check.h"
#include "testutil.h"

/* Refused, with a message that holds want. */
static void refused(const char *expr, int templated, const char *want)
{
    dp_error e = {0};
    int rc = templated ? dp_catalog__check_filter_text(expr, &e) : dp_sql_check_expr(expr, &e);
    if (rc >= 0 || !strstr(e.message, want))
        print_error("'%s': rc %d, message '%s' (want a refusal naming '%s')\n", expr, rc, e.message, want);
    assert_true(rc < 0);
    assert_non_null(strstr(e.message, want));
}

static void accepted(const char *expr, int templated)
{
    dp_error e = {0};
    int rc = templated ? dp_catalog__check_filter_text(expr, &e) : dp_sql_check_expr(expr, &e);
    if (rc)
        print_error("'%s' refused: %s\n", expr, e.message);
    assert_int_equal(rc, 0);
}

static void attacks_are_refused(void **state)
{
    (void)state;
    refused("duckdb_settings()", 0, "calls duckdb_settings(), which is not one of the functions");
    refused("query('SELECT * FROM other_schema.secret')", 0, "calls query()");
    refused("read_csv('/etc/passwd')", 0, "calls read_csv()");
    refused("upper(read_text('/etc/passwd'))", 0, "calls read_text()");
    refused("(SELECT max(x) FROM other_schema.secret)", 0, "holds a subquery");
    refused("amount + (SELECT count(*) FROM duckdb_tables())", 0, "holds a subquery");
    refused("x IN (SELECT id FROM other_schema.secret)", 0, "holds a subquery");
    refused("EXISTS (SELECT 1)", 0, "holds a subquery");
    refused("main.sum(x)", 0, "sum (schema-qualified)");
    refused("pg_catalog.extract('year', d)", 0, "schema-qualified");
    refused("pragma_version()", 0, "calls pragma_version()");
    refused("pragma_table_info('secret')", 0, "calls pragma_table_info()");
    refused("current_setting('home_directory')", 0, "calls current_setting()");
    refused("getenv('HOME')", 0, "calls getenv()");
    refused("current_user || 'x'", 0, "uses CURRENT_USER");
    accepted("user", 0); /* one name is a column (binding checks the table has it), reserved or not */
    accepted("offset", 0);
    refused("other_schema.secret.x", 0, "qualified column");
    refused("(t).secret", 0, "selects a field");
    refused("x FROM other_schema.secret", 0, "is not one expression");
    refused("1 UNION SELECT secret FROM other_schema.secret", 0, "is not one expression");
    refused("x AS y", 0, "is not one expression");
    refused("x, y", 0, "is not one expression");
    refused("1; ATTACH '/tmp/x.db'", 0, "holds ';'");
    refused("x -- the rest of the line is gone", 0, "comment");
    refused("x /* c */ + 1", 0, "comment");
    refused("$$a$$", 0, "holds '$'");
    refused("E'\\'' || 1", 0, "escape string");
    refused("*", 0, "'*'");
    refused("COLUMNS(*)", 0, "calls columns()");
    refused("list_value(1, 2)", 0, "calls list_value()");
    refused("[1, 2]", 0, "does not parse");
    refused("list_transform(l, x -> x + 1)", 0, "calls list_transform()");
    refused("sum(x) OVER ()", 0, "window function");
    refused("#1", 0, "operator '#'");
    refused("concat(VARIADIC ARRAY['a'])", 0, "VARIADIC");
    refused("sum(*)", 0, "only count(*)");
    refused("", 0, "is empty");
}

static void real_expressions_pass(void **state)
{
    (void)state;
    accepted("CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END", 0);
    accepted("date_trunc('month', purchased_at)", 0);
    accepted("extract(year from purchased_at)", 0);
    accepted("EXTRACT(EPOCH FROM b - a)", 0);
    accepted("coalesce(discount, 0)", 0);
    accepted("purchased_at::DATE", 0);
    accepted("CAST(amount AS DECIMAL(18, 2))", 0);
    accepted("quantity * unit_price - coalesce(discount, 0)", 0);
    accepted("percentile_cont(0.5) WITHIN GROUP (ORDER BY amount)", 0);
    accepted("percentile_disc(0.9) WITHIN GROUP (ORDER BY amount DESC)", 0);
    accepted("a / NULLIF(b, 0)", 0);
    accepted("x BETWEEN 1 AND 10 AND y NOT IN ('a', 'b')", 0);
    accepted("name LIKE 'a%' OR name ILIKE 'b%' OR name SIMILAR TO 'c%'", 0);
    accepted("x IS NOT NULL AND y IS DISTINCT FROM z AND f IS TRUE", 0);
    accepted("sum(x) FILTER (WHERE y > 1)", 0);
    accepted("count(DISTINCT x) + count(*)", 0);
    accepted("string_agg(name, ', ' ORDER BY name)", 0);
    accepted("d + INTERVAL '1 day' > DATE '2025-06-30'", 0);
    accepted("date_diff('day', ship_date, delivered_date)", 0);
    accepted("greatest(a, b) - least(a, b)", 0);
    accepted("regexp_matches(code, '^[A-Z]\\d+$')", 0); /* a backslash inside quotes is text */
    accepted("trim(x) || substring(y from 1 for 2) || position('a' in z)", 0);
    accepted("current_date - d", 0);
    accepted("\"Weird Column\" + 1", 0);
    accepted("CASE\n  WHEN a > 1\n  THEN 1\nEND", 0);
    accepted("if(a > 1, 'x', 'y')", 0);
}

static void filters(void **state)
{
    (void)state;
    accepted("{{ Dimension('order__status') }} = 'paid'", 1);
    accepted("{{ TimeDimension('metric_time', 'day') }} >= '2025-03-01'", 1);
    accepted("{{ Metric('visits', group_by=['member']) }} >= 3", 1);
    accepted("({{ Dimension('a__b') }} = 'x' AND {{ Entity('a') }} IS NOT NULL)", 1);
    accepted("{{Dimension('a__b')}}::DATE > DATE '2025-01-01'", 1);
    refused("{{ Dimension('a__b') }} = (SELECT max(x) FROM other_schema.secret)", 1, "holds a subquery");
    refused("{{ Dimension('a__b') }} = read_csv('/etc/passwd')", 1, "calls read_csv()");
    /* a template inside quotes or glued to text renders into other tokens */
    refused("'{{ Dimension('a__b') }}' = 'x'", 1, "inside quotes");
    refused("E{{ Entity('a') }} = 1", 1, "written against other text");
    refused("x -{{ Dimension('a__b') }}", 1, "written against other text");
    refused("{{ Dimension('a__b') = 1", 1, "no }} closes");
    refused("{{ Dimension('a__b') }} = 1; SELECT 2", 1, "holds ';'");
}

static void function_list_is_sorted_and_lists_aggregates(void **state)
{
    (void)state;
    size_t n = 0;
    for (const char *prev = NULL, *f; (f = dp_sql_expr_function_at(n)); prev = f, n++) {
        if (prev && strcasecmp(prev, f) >= 0)
            print_error("function list out of order at '%s' after '%s'\n", f, prev);
        assert_true(!prev || strcasecmp(prev, f) < 0);
    }
    assert_true(n > 100);
    /* what MetricFlow's agg types compile to */
    const char *aggs[] = {
        "sum",    "count",    "avg",      "min",     "max",        "median", "percentile_cont", "percentile_disc",
        "stddev", "variance", "bool_and", "bool_or", "string_agg", "SUM"};
    for (size_t i = 0; i < sizeof(aggs) / sizeof(*aggs); i++)
        assert_true(dp_sql_expr_function(aggs[i]));
    assert_false(dp_sql_expr_function("read_csv"));
    assert_false(dp_sql_expr_function("query"));
    assert_false(dp_sql_expr_function(NULL));
}

static void limits(void **state)
{
    (void)state;
    char deep[24000];
    size_t n = 0;
    for (int i = 0; i < 4000; i++, n += 4)
        memcpy(deep + n, "abs(", 4);
    deep[n++] = '1';
    for (int i = 0; i < 4000; i++)
        deep[n++] = ')';
    deep[n] = 0;
    dp_error e = {0};
    assert_true(dp_sql_check_expr(deep, &e) < 0);                        /* deeper than the walk goes (or the parser) */
    assert_int_equal(dp_sql_check_expr("((((((((((1))))))))))", &e), 0); /* parentheses are no depth */
    static char big[20000];
    memset(big, 'a', sizeof(big) - 1);
    assert_int_equal(dp_sql_check_expr(big, &e), DP_ELIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attacks_are_refused),
        cmocka_unit_test(real_expressions_pass),
        cmocka_unit_test(filters),
        cmocka_unit_test(function_list_is_sorted_and_lists_aggregates),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The designed types of the wide product's columns (docs/spec.md, "Column
 * types"): counts BIGINT, sums of DECIMAL(p, s) DECIMAL(38, s), an
 * expression's sum BIGINT only when it is surely an integer, else DOUBLE
 * (never a type that would round it), ratios DOUBLE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "kg/kg.h"
#include "modeling/modeling.h"

static dp_column cols[] = {
    {.name = "amount", .type = "DECIMAL(12,2)"},
    {.name = "price", .type = "DECIMAL(10,3)"},
    {.name = "qty", .type = "INTEGER"},
    {.name = "score", .type = "DOUBLE"},
    {.name = "day", .type = "DATE"},
    {.name = "code", .type = "VARCHAR"},
    {.name = "big", .type = "UBIGINT"},
};
static dp_model model = {.name = "m", .columns = cols, .ncolumns = sizeof(cols) / sizeof(cols[0])};

static const char *type_of(dp_agg agg, const char *expr)
{
    dp_measure me = {.name = "x", .expr = expr, .agg = agg, .model = &model};
    return dp_model_measure_type(&me);
}

static void sums_keep_their_type(void **state)
{
    (void)state;
    assert_string_equal(type_of(DP_AGG_SUM, "amount"), "DECIMAL(38,2)");
    assert_string_equal(type_of(DP_AGG_SUM, "price"), "DECIMAL(38,3)");
    assert_string_equal(type_of(DP_AGG_SUM, "qty"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_SUM, "score"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "big"), "HUGEINT"); /* would overflow a BIGINT */
}

static void counts_are_bigint(void **state)
{
    (void)state;
    assert_string_equal(type_of(DP_AGG_COUNT, "code"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_COUNT_DISTINCT, "code"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_SUM_BOOLEAN, "qty > 0"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_SUM, "1"), "BIGINT");
}

static void expressions(void **state)
{
    (void)state;
    /* integers for sure: literals and integer columns, conditions aside */
    assert_string_equal(type_of(DP_AGG_SUM, "case when amount >= 50 then 1 else 0 end"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_SUM, "CASE WHEN code = 'x' THEN qty ELSE 0 END"), "BIGINT");
    assert_string_equal(type_of(DP_AGG_SUM, "qty * 2 + 1"), "BIGINT");
    /* anything else: DOUBLE, which rounds nothing a DECIMAL would keep */
    assert_string_equal(type_of(DP_AGG_SUM, "qty * price"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "qty / 2"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "case when qty > 0 then 1.5 else 0 end"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "abs(qty)"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "case when qty > 0 then 'a' end"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_SUM, "unknown_column"), "DOUBLE");
}

static void other_aggregations(void **state)
{
    (void)state;
    assert_string_equal(type_of(DP_AGG_AVERAGE, "qty"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_MEDIAN, "qty"), "DOUBLE");
    assert_string_equal(type_of(DP_AGG_MAX, "day"), "DATE");
    assert_string_equal(type_of(DP_AGG_MIN, "amount"), "DECIMAL(12,2)");
    assert_string_equal(type_of(DP_AGG_MEDIAN, "day"), "DATE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums_keep_their_type),
        cmocka_unit_test(counts_are_bigint),
        cmocka_unit_test(expressions),
        cmocka_unit_test(other_aggregations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

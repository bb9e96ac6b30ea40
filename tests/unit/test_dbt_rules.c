/* Where dp_dbt__place_rules puts each rule of a hand-written spec: the
 * generic test that reproduces the rule's failing rows exactly (on the
 * model, a model column, a source table or a source column), or a singular
 * test file when no generic test does (another relation read, a name dbt
 * would have to quote, a shape it does not know). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "packaging/dbt_int.h"
#include "testutil.h"

static const char *const rules[][3] = {
    /* id, type, sql */
    {"Q001", "not_null", "SELECT * FROM gold.p WHERE \"k\" IS NULL"},
    {"Q002", "not_null", "SELECT * FROM gold.p WHERE \"K2\" IS NULL"},
    {"Q003", "range", "SELECT * FROM gold.p WHERE \"m\" > (SELECT max(\"x\") FROM \"bronze\".\"t\")"},
    {"Q004", "source_unique_key",
     "SELECT \"a\", \"b\", count(*) AS copies FROM \"bronze\".\"t\" GROUP BY 1, 2 HAVING count(*) > 1"},
    {"Q005", "source_relationship",
     "SELECT c.* FROM \"bronze\".\"t\" AS c WHERE c.\"x\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"bronze\".\"u\" "
     "AS p WHERE p.\"id\" = c.\"y\")"},
    {"Q006", "source_non_negative", "SELECT * FROM \"bronze\".\"t\" WHERE (q * p) < 0"},
    {"Q007", "types", "SELECT 1"},
    {"Q008", "accepted_values", "SELECT * FROM gold.p WHERE \"k\" NOT IN ('a select b')"},
    {"Q009", "source_relationship",
     "SELECT c.* FROM \"bronze\".\"t\" AS c WHERE c.\"x\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"bronze\".\"u\" "
     "AS p WHERE p.\"id\" = c.\"x\")"},
    {"Q010", "unique_key", "SELECT \"k\", count(*) AS copies FROM gold.p GROUP BY ALL HAVING count(*) > 1"},
    {"Q011", "unique_key", "SELECT \"k\", count(*) AS copies FROM gold.p GROUP BY \"k\" HAVING count(*) > 1"},
    {"Q012", "funnel_order", "SELECT * FROM \"bronze\".\"t\" WHERE \"a\" > \"b\";\n"},
};
#define NRULES (sizeof(rules) / sizeof(*rules))

static char dir[256];

/* The test with rule id rid in a list: its name (test type), or NULL. */
static const char *find(const json_t *tests, const char *rid, const json_t **args)
{
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        const char *k;
        json_t *v;
        json_object_foreach(t, k, v) {
            const char *id =
                json_string_value(json_object_get(json_object_get(json_object_get(v, "config"), "meta"), "dpgen_rule"));
            if (id && !strcmp(id, rid)) {
                if (args)
                    *args = json_object_get(v, "arguments");
                return k;
            }
        }
    }
    return NULL;
}

static int singular(const char *rid, const char *type)
{
    char path[512], id[8];
    snprintf(id, sizeof(id), "q%s", rid + 1);
    snprintf(path, sizeof(path), "%s/dbt/tests/p_%s_%s.sql", dir, id, type);
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_place(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/dpgen_dbt_rules_XXXXXX");
    assert_non_null(mkdtemp(dir));
    json_t *rs = json_array();
    for (size_t i = 0; i < NRULES; i++)
        json_array_append_new(rs, json_pack("{s:s,s:s,s:s,s:s}", "id", rules[i][0], "type", rules[i][1], "sql",
                                            rules[i][2], "severity", i % 2 ? "warn" : "error"));
    json_t *spec =
        json_pack("{s:{s:s},s:{s:s,s:[{s:s},{s:s},{s:s}]},s:{s:o}}", "metadata", "name", "p", "data_model",
                  "target_table", "gold.p", "columns", "name", "k", "name", "K2", "name", "m", "quality", "rules", rs);
    dp_dbt_placed p = {0};
    dp_error err = {0};
    assert_int_equal(dp_dbt__place_rules(&p, dir, spec, "gold.p", &err), 0);
    const json_t *args = NULL;

    /* "k" IS NULL on the model: the column's not_null, with the severity */
    assert_string_equal(find(json_object_get(p.column_tests, "k"), "Q001", NULL), "not_null");
    /* a name dbt would quote: the whole condition, negated */
    assert_string_equal(find(p.model_tests, "Q002", &args), "dbt_utils.expression_is_true");
    assert_string_equal(json_string_value(json_object_get(args, "expression")), "NOT (\"K2\" IS NULL)");
    /* another relation read: the rule's own SQL */
    assert_true(singular("Q003", "range"));
    assert_null(find(p.model_tests, "Q003", NULL));
    /* duplicates on a source, by positions */
    const json_t *t = json_object_get(p.source_tests, "bronze.t");
    assert_non_null(t);
    assert_string_equal(find(json_object_get(t, "data_tests"), "Q004", &args),
                        "dbt_utils.unique_combination_of_columns");
    assert_int_equal(json_array_size(json_object_get(args, "combination_of_columns")), 2);
    /* the orphan query comparing two different child columns is no
     * relationships test */
    assert_true(singular("Q005", "source_relationship"));
    /* an expression on a source */
    assert_string_equal(find(json_object_get(t, "data_tests"), "Q006", &args), "dbt_utils.expression_is_true");
    assert_string_equal(json_string_value(json_object_get(args, "expression")), "NOT ((q * p) < 0)");
    /* the contract checks types: no test at all */
    assert_false(singular("Q007", "types"));
    /* a literal that reads like SQL: kept as the rule's own SQL */
    assert_true(singular("Q008", "accepted_values"));
    /* orphans: relationships on the child column, to the parent source */
    const json_t *x = json_object_get(json_object_get(t, "columns"), "x");
    assert_string_equal(find(x, "Q009", &args), "relationships");
    assert_string_equal(json_string_value(json_object_get(args, "to")), "source('bronze', 'u')");
    assert_string_equal(json_string_value(json_object_get(args, "field")), "id");
    /* GROUP BY ALL on the model; GROUP BY a name is not a shape it knows */
    assert_string_equal(find(p.model_tests, "Q010", NULL), "dbt_utils.unique_combination_of_columns");
    assert_true(singular("Q011", "unique_key"));
    /* a trailing semicolon and newline are not part of the condition */
    assert_string_equal(find(json_object_get(t, "data_tests"), "Q012", &args), "dbt_utils.expression_is_true");
    assert_string_equal(json_string_value(json_object_get(args, "expression")), "NOT (\"a\" > \"b\")");
    /* the tables read, for sources.yml */
    char *tables = json_dumps(p.tables, JSON_COMPACT);
    assert_string_equal(tables, "[\"bronze.t\",\"bronze.u\"]");
    free(tables);
    /* the rule's id and severity on every test; each rule once */
    size_t n = json_array_size(p.model_tests) + json_array_size(json_object_get(p.column_tests, "k")) +
               json_array_size(json_object_get(t, "data_tests")) + json_array_size(x);
    assert_int_equal(n, 7); /* Q001 Q002 Q004 Q006 Q009 Q010 Q012, nothing twice */
    dp_dbt__placed_dispose(&p);
    json_decref(spec);
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_place)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: catalog text bound for the YAML dbt renders keeps no live
 * Jinja delimiter: each one becomes an expression printing it, so the
 * text renders back as written (src/packaging/export_files.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "packaging/export_int.h"

static void delimiters_printed(void **unused)
{
    (void)unused;
    json_t *doc = json_pack("{s:s,s:[s,{s:s}],s:s,s:i}", "description", "a {{ run_query('drop table x') }} b",
                            "columns", "{% macro m() %}", "name", "{# c #} {{{", "plain", "no jinja { here }", "n", 3);
    assert_int_equal(dp_export__jinja_literal_tree(doc), 0);
    assert_string_equal(json_string_value(json_object_get(doc, "description")),
                        "a {{ '{{' }} run_query('drop table x') }} b");
    json_t *cols = json_object_get(doc, "columns");
    assert_string_equal(json_string_value(json_array_get(cols, 0)), "{{ '{%' }} macro m() %}");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 1), "name")),
                        "{{ '{#' }} c #} {{ '{{' }}{");
    assert_string_equal(json_string_value(json_object_get(doc, "plain")), "no jinja { here }");
    assert_int_equal(json_integer_value(json_object_get(doc, "n")), 3);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delimiters_printed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

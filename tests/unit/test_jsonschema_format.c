/* "format" as an assertion (dp_jsonschema__assert_formats): the official
 * suite's optional/format files for the formats it checks, uuid cases (the
 * draft-07 suite has none), and "format" staying an annotation by default. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/jsonschema.h"

#define SUITE_DIR "/usr/share/json-schema-test-suite/tests/draft7/optional/format"

static int check(const char *format, const char *value, int assert_formats)
{
    json_t *sch = json_pack("{s:s}", "format", format), *inst = json_string(value);
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_jsonschema_new(&s, sch, &err), 0);
    dp_jsonschema__assert_formats(s, assert_formats);
    int rc = dp_jsonschema_validate(s, inst, NULL, 0, &err);
    dp_jsonschema_free(s);
    json_decref(sch);
    json_decref(inst);
    return rc;
}

static void test_suite_files(void **state)
{
    (void)state;
    static const char *const files[] = {"date-time.json", "date.json", "time.json", "uri.json"};
    size_t passed = 0, failed = 0;
    for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", SUITE_DIR, files[f]);
        json_error_t je;
        json_t *doc = json_load_file(path, 0, &je);
        if (!doc) {
            printf("jsonschema format: %s not found (install json-schema-test-suite); skipped\n", path);
            skip();
        }
        size_t g;
        json_t *group;
        json_array_foreach(doc, g, group) {
            dp_jsonschema *s = NULL;
            dp_error err = {0};
            assert_int_equal(dp_jsonschema_new(&s, json_object_get(group, "schema"), &err), 0);
            dp_jsonschema__assert_formats(s, 1);
            size_t t;
            json_t *tc;
            json_array_foreach(json_object_get(group, "tests"), t, tc) {
                int want = json_is_true(json_object_get(tc, "valid"));
                int rc = dp_jsonschema_validate(s, json_object_get(tc, "data"), NULL, 0, &err);
                if ((rc == 0) == want) {
                    passed++;
                } else {
                    failed++;
                    printf("  FAIL %s | %s: expected %s (%s)\n", files[f],
                           json_string_value(json_object_get(tc, "description")), want ? "valid" : "invalid",
                           rc ? err.message : "passed");
                }
            }
            dp_jsonschema_free(s);
        }
        json_decref(doc);
    }
    printf("jsonschema format suite: %zu passed, %zu failed\n", passed, failed);
    assert_int_equal(failed, 0);
    assert_true(passed > 30);
}

/* A string with a NUL inside is not a URI (JSON strings may hold one). */
static void test_embedded_nul(void **state)
{
    (void)state;
    json_t *sch = json_pack("{s:s}", "format", "uri"), *inst = json_stringn("http://a/b\0c", 12);
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_jsonschema_new(&s, sch, &err), 0);
    dp_jsonschema__assert_formats(s, 1);
    assert_int_equal(dp_jsonschema_validate(s, inst, NULL, 0, &err), DP_EINVALID);
    dp_jsonschema_free(s);
    json_decref(sch);
    json_decref(inst);
}

static void test_uuid_and_more(void **state)
{
    (void)state;
    assert_int_equal(check("uuid", "d695932d-49cd-48fd-a8ca-8e16ceab3466", 1), 0);
    assert_int_equal(check("uuid", "D695932D-49CD-48FD-A8CA-8E16CEAB3466", 1), 0);
    assert_int_equal(check("uuid", "d695932d49cd48fda8ca8e16ceab3466", 1), DP_EINVALID);
    assert_int_equal(check("uuid", "d695932d-49cd-48fd-a8ca-8e16ceab346g", 1), DP_EINVALID);
    assert_int_equal(check("uuid", "d695932d-49cd-48fd-a8ca-8e16ceab34667", 1), DP_EINVALID);
    assert_int_equal(check("date-time", "2026-12-02T02:19:29Z", 1), 0);
    assert_int_equal(check("date-time", "2026-12-02 02:19:29Z", 1), DP_EINVALID);
    assert_int_equal(check("date-time", "2024-02-29T00:00:00Z", 1), 0);
    assert_int_equal(check("date-time", "2025-02-29T00:00:00Z", 1), DP_EINVALID);
    assert_int_equal(check("date-time", "2025-06-30T23:59:60Z", 1), 0);
    assert_int_equal(check("date-time", "2025-06-30T22:59:60Z", 1), DP_EINVALID);
    assert_int_equal(check("uri", "https://github.com/dpgen/dpgen/tree/0.1.0", 1), 0);
    assert_int_equal(check("uri", "duckdb://demo.duckdb", 1), 0);
    assert_int_equal(check("uri", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", 1), 0);
    assert_int_equal(check("uri", "http://[::1]:5000/api/v1/lineage", 1), 0);
    assert_int_equal(check("uri", "http://a/b]c", 1), DP_EINVALID);
    assert_int_equal(check("uri", "dpgen 0.1.0", 1), DP_EINVALID);
    assert_int_equal(check("uri", "http://a/%zz", 1), DP_EINVALID);
    /* formats not checked stay annotations */
    assert_int_equal(check("email", "not an address", 1), 0);
    /* and every format is an annotation unless asked */
    assert_int_equal(check("uuid", "not a uuid", 0), 0);
    assert_int_equal(check("date-time", "yesterday", 0), 0);
}

static void test_message(void **state)
{
    (void)state;
    json_t *sch = json_pack("{s:{s:{s:s}}}", "properties", "runId", "format", "uuid");
    json_t *inst = json_pack("{s:s}", "runId", "run-1");
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_jsonschema_new(&s, sch, &err), 0);
    dp_jsonschema__assert_formats(s, 1);
    assert_int_equal(dp_jsonschema_validate(s, inst, NULL, 0, &err), DP_EINVALID);
    assert_string_equal(err.message, "/runId: 'run-1' is not a valid uuid");
    dp_jsonschema_free(s);
    json_decref(sch);
    json_decref(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_files),
        cmocka_unit_test(test_uuid_and_more),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_embedded_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

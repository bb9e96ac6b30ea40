/* dp_json_compact (doc/json_compact.c): the compact text of a pretty
 * document, byte for byte what jansson gives when it parses the pretty text
 * and dumps it compact (the server's answers were made that way). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/emit.h"

/* The old way: parse the pretty text, dump it compact. */
static char *by_tree(const char *pretty)
{
    json_t *v = json_loads(pretty, 0, NULL);
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    return s;
}

static void same(json_t *doc)
{
    char *pretty = dp_json_dump(doc);
    assert_non_null(pretty);
    char *want = by_tree(pretty);
    size_t len = 0;
    char *got = dp_json_compact(pretty, &len);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(pretty);
    free(want);
    free(got);
    json_decref(doc);
}

static void test_structure_and_strings(void **state)
{
    (void)state;
    same(json_pack("{s:s,s:[i,i,{}],s:{s:b,s:n,s:[]},s:s}", "name", "a b\tc\n\"quoted\" \\ / end", "list", 1, -20,
                   "nested", "t", 1, "z", "empty", "unicode", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    /* control characters stay escaped; C1 characters (which dp_json_dump
     * escapes) are written as themselves */
    same(json_pack("{s:s,s:s}", "ctl", "\x01\x02\x1f\x7f", "c1", "x\xc2\x80y\xc2\x9f z \xc2\xa0"));
    same(json_pack("[s,s]", "  spaces  inside  ", "{\"not\": [json]}"));
    same(json_pack("{s:I,s:I}", "big", (json_int_t)9223372036854775807LL, "small",
                   (json_int_t)(-9223372036854775807LL - 1)));
}

static void test_reals(void **state)
{
    (void)state;
    double fixed[] = {0.1,
                      1.0 / 3,
                      2.0 / 3,
                      1e-7,
                      1e300,
                      -1e-300,
                      123456789.123456789,
                      0.0,
                      -0.0,
                      5.0,
                      1e21,
                      1e15,
                      1e16,
                      1e17,
                      4.35,
                      0.30000000000000004,
                      1.7976931348623e308,
                      4.9e-324,
                      38.25};
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
        json_array_append_new(arr, json_real(fixed[i]));
    same(arr);
    /* many values of every magnitude (a fixed sequence) */
    unsigned long long x = 88172645463325252ULL;
    for (int round = 0; round < 20; round++) {
        arr = json_array();
        for (int i = 0; i < 500; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            double m = (double)(x % 1000000007ULL) / 1000.0;
            int e = (int)(x >> 40) % 40 - 20;
            double v = ldexp(m, e) * ((x & 1) ? -1 : 1);
            json_array_append_new(arr, json_pack("{s:f,s:I}", "ms", v, "n", (json_int_t)(x % 100000)));
        }
        same(arr);
    }
}

static void test_refuses_what_needs_the_tree(void **state)
{
    (void)state;
    assert_null(dp_json_compact(NULL, NULL));
    /* jansson does not read a NUL back: the caller parses (and finds none) */
    assert_null(dp_json_compact("{\"a\": \"x\\u0000y\"}", NULL));
    /* a real past the largest double */
    assert_null(dp_json_compact("[1.8e308]", NULL));
    /* a string left open */
    assert_null(dp_json_compact("{\"a\": \"x", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure_and_strings),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_refuses_what_needs_the_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

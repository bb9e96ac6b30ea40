/* Unit tests: dp_json_dump (doc/json_write.c) writes what jansson's
 * json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
 * writes, C1 characters then escaped (utf8.h), byte for byte: every ASCII
 * byte in a string, C1 and other multi-byte characters, empty and nested
 * containers, integers and reals at their edges, keys in insertion order,
 * a generated spec of the demo, and random trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/emit.h"
#include "dpgen/dpgen.h"
#include "testutil.h"
#include "util/utf8.h"

static void same_as_jansson(const json_t *v)
{
    char *want = dp_utf8_json_c1(
        json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY));
    char *got = dp_json_dump(v);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got)) {
        size_t i = 0;
        while (want[i] && want[i] == got[i])
            i++;
        fail_msg("differs at byte %zu: want '%.40s' got '%.40s'", i, want + i, got + i);
    }
    free(want);
    free(got);
}

static void strings_and_scalars(void **state)
{
    (void)state;
    char ascii[128];
    for (int i = 1; i < 128; i++)
        ascii[i - 1] = (char)i;
    ascii[127] = 0;
    json_t *o = json_object();
    json_object_set_new(o, "ascii", json_string(ascii));
    json_object_set_new(o, "c1",
                        json_string("a\xc2\x80"
                                    "b\xc2\x9f"
                                    "c\xc2\xa0"
                                    "d\xc2\x85"));
    json_object_set_new(o, "multi", json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8"));
    json_object_set_new(o, "nul", json_stringn("a\0b", 3));
    json_object_set_new(o, "key \"quoted\"\n\x01", json_string(""));
    json_object_set_new(o, "\xc2\x81key", json_true());
    json_object_set_new(o, "f", json_false());
    json_object_set_new(o, "n", json_null());
    json_t *ints = json_array();
    json_int_t iv[] = {0, 1, -1, 42, INT64_MAX, INT64_MIN, 1000000000000LL};
    for (size_t i = 0; i < sizeof(iv) / sizeof(*iv); i++)
        json_array_append_new(ints, json_integer(iv[i]));
    json_object_set_new(o, "ints", ints);
    json_t *reals = json_array();
    double rv[] = {0.0,      -0.0,
                   1.0,      -1.5,
                   0.1,      1.0 / 3,
                   2.0 / 3,  1e15,
                   1e16,     1e17,
                   1e21,     1e-7,
                   1.5e-300, 123456789012345.6,
                   DBL_MAX,  DBL_MIN,
                   5e-324,   0.30000000000000004,
                   100.0,    1e100,
                   -2.5e-5};
    for (size_t i = 0; i < sizeof(rv) / sizeof(*rv); i++)
        json_array_append_new(reals, json_real(rv[i]));
    json_object_set_new(o, "reals", reals);
    same_as_jansson(o);
    json_decref(o);
}

static void containers(void **state)
{
    (void)state;
    json_t *v = json_loads("{\"eo\": {}, \"ea\": [], \"mixed\": [{}, [], [[]], {\"k\": {}}], "
                           "\"deep\": {\"x\": [1, {\"y\": []}]}, \"one\": [null]}",
                           0, NULL);
    assert_non_null(v);
    same_as_jansson(v);
    json_decref(v);
    /* scalars and empties alone, as a whole document */
    json_t *alone[] = {json_object(), json_array(), json_string("x"), json_integer(7), json_real(2.5), json_null()};
    for (size_t i = 0; i < sizeof(alone) / sizeof(*alone); i++) {
        same_as_jansson(alone[i]);
        json_decref(alone[i]);
    }
    /* keys in insertion order, also after a key is deleted and set again */
    json_t *o = json_object();
    const char *keys[] = {"zeta", "alpha", "mu", "beta", "omega", "a", "b"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
        json_object_set_new(o, keys[i], json_integer((json_int_t)i));
    json_object_del(o, "mu");
    json_object_set_new(o, "mu", json_string("again"));
    json_object_set_new(o, "alpha", json_string("replaced"));
    same_as_jansson(o);
    json_decref(o);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static json_t *random_tree(int depth)
{
    static const char *const pieces[] = {"a", "\n", "\"",   "\\",   "\xc2\x85", "\xc3\xa9",
                                         "/", "\t", "\x1f", "\x7f", "x y"};
    int k = (int)(next() % (depth > 6 ? 5 : 8));
    switch (k) {
    case 0:
        return json_integer((json_int_t)(next() % 2000000) - 1000000);
    case 1:
        return json_real((double)(int64_t)(next() % 2000000 - 1000000) / (double)(1 + next() % 1000));
    case 2: {
        char s[64] = "";
        for (int i = 0, n = (int)(next() % 6); i < n; i++)
            strcat(s, pieces[next() % (sizeof(pieces) / sizeof(*pieces))]);
        return json_string(s);
    }
    case 3:
        return json_boolean(next() & 1);
    case 4:
        return json_null();
    case 5:
    case 6: {
        json_t *a = json_array();
        for (int i = 0, n = (int)(next() % 5); i < n; i++)
            json_array_append_new(a, random_tree(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (int i = 0, n = (int)(next() % 5); i < n; i++) {
            char key[32];
            snprintf(key, sizeof(key), "k%d%s", (int)(next() % 50), pieces[next() % 11]);
            json_object_set_new(o, key, random_tree(depth + 1));
        }
        return o;
    }
    }
}

static void random_trees(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        json_t *t = random_tree(0);
        same_as_jansson(t);
        json_decref(t);
    }
}

static void a_spec_of_the_demo(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-jsonwrite-XXXXXX", db[300];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/demo.duckdb", dir);
    dp_catalog *cat = NULL;
    assert_int_equal(tu_open_demo(&cat, db, 0.01), 0);
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    dp_result *res = NULL;
    dp_error err = {0};
    go.record = 0;
    if (dp_generate(&res, cat,
                    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.", &go,
                    &err))
        fail_msg("%s", err.message);
    const char *js = dp_result_spec(res, DP_FORMAT_JSON);
    assert_non_null(js);
    json_t *spec = json_loads(js, 0, NULL);
    assert_non_null(spec);
    same_as_jansson(spec);
    /* the text the run gave is the writer's */
    char *again = dp_json_dump(spec);
    assert_string_equal(again, js);
    free(again);
    json_decref(spec);
    dp_result_free(res);
    dp_catalog_free(cat);
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_and_scalars),
        cmocka_unit_test(containers),
        cmocka_unit_test(random_trees),
        cmocka_unit_test(a_spec_of_the_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

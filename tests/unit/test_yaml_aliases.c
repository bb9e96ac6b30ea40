/* Unit tests: YAML aliases cannot make the work on a small file unbounded
 * (an alias bomb: a few lines that expand to 10^11 nodes, which every walk
 * of the tree then visits) nor make the tree a cycle. Found by tests/stress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "doc/node.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"

/* levels of ten aliases to the level below: 10^(levels+1) nodes expanded */
static void bomb(char *buf, size_t n, int levels)
{
    size_t j = (size_t)snprintf(buf, n, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= levels; i++) {
        j += (size_t)snprintf(buf + j, n - j, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            j += (size_t)snprintf(buf + j, n - j, "%s*a%d", k ? ", " : "", i - 1);
        j += (size_t)snprintf(buf + j, n - j, "]\n");
    }
    snprintf(buf + j, n - j, "semantic_models: *a%d\n", levels);
}

static void alias_bomb_refused(void **state)
{
    (void)state;
    char text[4096];
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    bomb(text, sizeof(text), 10);
    double t0 = dp_now_ms();
    assert_int_equal(dp_yaml_parse(&doc, a, "bomb.yml", text, strlen(text), &err), DP_ELIMIT);
    assert_true(dp_now_ms() - t0 < 2000);
    assert_non_null(strstr(err.message, "bomb.yml:"));
    assert_non_null(strstr(err.message, "aliases expand to more than"));
    /* a few levels stay under the cap and load, sharing the nodes */
    bomb(text, sizeof(text), 3);
    assert_int_equal(dp_yaml_parse(&doc, a, "small.yml", text, strlen(text), &err), 0);
    dp_arena_free(a);
}

static void alias_cycle_refused(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    const char *t = "a: &a [1, *a]\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "cycle.yml", t, strlen(t), &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "cycle.yml:1:11: alias *a is inside its own anchor"));
    const char *m = "b: &b {k: {j: *b}}\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "cycle.yml", m, strlen(m), &err), DP_EINVALID);
    /* an ordinary anchor used twice is fine */
    const char *ok = "d: &d {x: 1}\ne: *d\nf: [*d, *d]\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "ok.yml", ok, strlen(ok), &err), 0);
    assert_string_equal(dp_node_str(dp_node_get(doc, "e"), "x"), "1");
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alias_bomb_refused),
        cmocka_unit_test(alias_cycle_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

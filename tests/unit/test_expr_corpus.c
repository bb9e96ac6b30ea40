/* Replays the catalog-expression fuzzer's saved inputs (fuzz/corpus/expr)
 * through the fuzzer's own code path (fuzz/expr_target.h): nothing may
 * crash, leak or hit undefined behaviour (make test-asan), every refusal is
 * a negative DP_ code with a one-line message, and no accepted text holds a
 * query word. The named seeds say more: every attack-* is refused as an
 * expr and as a filter; every ok-* and cat-* (the test catalogs' own exprs
 * and filters) is accepted as a filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../fuzz/expr_target.h"
#include "testutil.h"

typedef struct replay {
    const char *name;
    int bad;
} replay;

static void report(void *payload, const char *step, int rc, const char *what)
{
    replay *r = payload;
    print_error("%s: %s step broke its contract: code %d, '%s'\n", r->name, step, rc, what);
    r->bad++;
}

/* 1 when the file's name says how it must fare and it does not. */
static int misjudged(const char *name, const char *text)
{
    dp_error e1 = {0}, e2 = {0};
    int as_expr = dp_sql_check_expr(text, &e1), as_filter = dp_catalog__check_filter_text(text, &e2);
    if (!strncmp(name, "attack-", 7) && (!as_expr || !as_filter)) {
        print_error("%s: accepted ('%s')\n", name, text);
        return 1;
    }
    if ((!strncmp(name, "ok-", 3) || !strncmp(name, "cat-", 4)) && as_filter) {
        print_error("%s: refused: %s ('%s')\n", name, e2.message, text);
        return 1;
    }
    return 0;
}

typedef struct tally {
    size_t bad, attacks, legit;
} tally;

static void replay_one(const char *name, unsigned char *data, size_t len, void *payload)
{
    tally *t = payload;
    replay r = {name, 0};
    dp_fuzz_expr_one(data, len, report, &r);
    t->bad += (size_t)r.bad + (size_t)misjudged(r.name, (const char *)data);
    t->attacks += !strncmp(r.name, "attack-", 7);
    t->legit += !strncmp(r.name, "ok-", 3) || !strncmp(r.name, "cat-", 4);
}

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    tally t = {0};
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/expr", tu_source_dir());
    size_t ran = tu_corpus_each(dir, replay_one, &t, &t.bad);
    assert_true(ran >= 200);
    assert_true(t.attacks >= 40);
    assert_true(t.legit >= 150);
    assert_int_equal(t.bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus_replays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Replays the semantic manifest fuzzer's saved inputs (fuzz/corpus/manifest)
 * through the fuzzer's own code path (fuzz/manifest_target.h): nothing may
 * crash, leak or hit undefined behaviour (make test-asan), and every input
 * either loads or fails with a negative DP_ code and a one-line message that
 * starts with the file's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../fuzz/manifest_target.h"
#include "testutil.h"

typedef struct replay {
    const char *name;
    int bad;
} replay;

static void report(void *payload, const char *step, int rc, const dp_error *err)
{
    replay *r = payload;
    if (dp_fuzz_failure_ok(r->name, rc, err))
        return;
    print_error("%s: %s step: code %d, message '%s' (want a negative DP_ code and '%s:...')\n", r->name, step, rc,
                err->message, r->name);
    r->bad++;
}

typedef struct tally {
    size_t bad, loaded;
} tally;

static void replay_one(const char *name, unsigned char *data, size_t len, void *payload)
{
    tally *t = payload;
    replay r = {name, 0};
    t->loaded += dp_fuzz_manifest_one(r.name, data, len, report, &r) == 0;
    t->bad += (size_t)r.bad;
}

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    tally t = {0};
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/manifest", tu_source_dir());
    size_t ran = tu_corpus_each(dir, replay_one, &t, &t.bad);
    assert_true(ran >= 20);
    assert_true(t.loaded >= 3); /* the fixture, the newer spec, the legacy forms */
    assert_int_equal(t.bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus_replays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

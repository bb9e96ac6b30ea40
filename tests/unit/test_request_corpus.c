/* Replays the request fuzzer's saved inputs (fuzz/corpus/request) through
 * the fuzzer's own code path (fuzz/request_target.h) on the same catalogs:
 * nothing may crash, leak or hit undefined behaviour (make test-asan); every
 * refusal is a negative DP_ code with a one-line message and no control
 * byte; every compiled SQL is one read-only SELECT by PostgreSQL's parser;
 * and the bench and trap requests mostly compile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../fuzz/request_target.h"
#include "testutil.h"

/* One input's time, far above the fuzzer's own limit: a sanitizer build
 * on a busy machine is slow, a loop is not bounded at all. */
#define MAX_MS 20000.0

typedef struct replay {
    const char *name;
    int bad;
} replay;

static void report(void *payload, const char *step, int rc, const char *what)
{
    replay *r = payload;
    print_error("%s: %s step, code %d: %s\n", r->name, step, rc, what);
    r->bad++;
}

/* The request fuzzer's checks fire: a refusal with a newline or a control
 * byte, or with a code that is no DP_ code, is reported. */
static void malformed_refusals_are_caught(void **state)
{
    (void)state;
    /* written past dp_error_set, which escapes what it is given */
    static const char *const msgs[] = {"no metric 'x'", "two\nlines", "a bell \a", "", "tab\there"};
    dp_error e = {0};
    for (size_t i = 0; i < sizeof(msgs) / sizeof(*msgs); i++) {
        e.code = DP_ECLARIFY;
        snprintf(e.message, sizeof(e.message), "%s", msgs[i]);
        if (i == 0)
            assert_null(dp_fuzz_req__bad_error(DP_ECLARIFY, &e));
        else
            assert_non_null(dp_fuzz_req__bad_error(DP_ECLARIFY, &e));
    }
    e.code = DP_EINVALID;
    assert_non_null(dp_fuzz_req__bad_error(DP_ECLARIFY, &e)); /* code and error differ */
    assert_non_null(dp_fuzz_req__bad_error(1, &e));
    assert_non_null(dp_fuzz_req__bad_error(-99, &e));
}

typedef struct tally {
    dp_fuzz_req_catalogs *cats;
    size_t bad, seeds, made, slow;
} tally;

static void replay_one(const char *name, unsigned char *data, size_t len, void *payload)
{
    tally *t = payload;
    replay r = {name, 0};
    double ms = 0;
    int sql = dp_fuzz_request_one(t->cats, data, len, report, &r, &ms);
    if (!strncmp(r.name, "bench-", 6) || !strncmp(r.name, "trap-", 5)) {
        t->seeds++;
        t->made += sql > 0;
    }
    if (ms > MAX_MS) {
        print_error("%s: took %.0f ms\n", r.name, ms);
        t->slow++;
    }
    t->bad += (size_t)r.bad;
}

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    dp_fuzz_req_catalogs cats;
    dp_error err = {0};
    if (dp_fuzz_req_open(&cats, tu_source_dir(), &err))
        fail_msg("catalogs: %s", err.message);
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/request", tu_source_dir());
    tally t = {&cats, 0, 0, 0, 0};
    size_t ran = tu_corpus_each(dir, replay_one, &t, &t.bad), bad = t.bad, seeds = t.seeds, made = t.made,
           slow = t.slow;
    dp_fuzz_req_close(&cats);
    print_message("%zu inputs; %zu of %zu bench and trap requests compiled\n", ran, made, seeds);
    assert_true(ran >= 100);
    /* the catalogs are loaded as they should be: most answerable requests
     * of the demo compile offline (the others ask, as they must) */
    assert_true(made * 2 >= seeds);
    assert_int_equal(bad, 0);
    assert_int_equal(slow, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(malformed_refusals_are_caught),
                                       cmocka_unit_test(corpus_replays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

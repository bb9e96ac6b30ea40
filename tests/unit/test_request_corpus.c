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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    dp_fuzz_req_catalogs cats;
    dp_error err = {0};
    if (dp_fuzz_req_open(&cats, tu_source_dir(), &err))
        fail_msg("catalogs: %s", err.message);
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/request", tu_source_dir());
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n > 0);
    size_t ran = 0, bad = 0, seeds = 0, made = 0, slow = 0;
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        struct stat st;
        FILE *f = names[i]->d_name[0] != '.' && !stat(path, &st) && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
        if (f) {
            uint8_t *data = malloc((size_t)st.st_size + 1);
            assert_non_null(data);
            assert_int_equal(fread(data, 1, (size_t)st.st_size, f), (size_t)st.st_size);
            fclose(f);
            replay r = {names[i]->d_name, 0};
            double ms = 0;
            int sql = dp_fuzz_request_one(&cats, data, (size_t)st.st_size, report, &r, &ms);
            if (!strncmp(r.name, "bench-", 6) || !strncmp(r.name, "trap-", 5)) {
                seeds++;
                made += sql > 0;
            }
            if (ms > MAX_MS) {
                print_error("%s: took %.0f ms\n", r.name, ms);
                slow++;
            }
            bad += (size_t)r.bad;
            ran++;
            free(data);
        }
        free(names[i]);
    }
    free(names);
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

/* Unit tests: a catalog loaded with defer_indexes builds no lexicon and no
 * vector index until a call reads words; a check and a listing answer as a
 * full load does without them; the first search, learn or run builds them
 * once, even when several threads ask at the same time, and each answers
 * what it answers after a full load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/catalog.h"
#include "dpgen/dpgen.h"
#include "util/error.h"

static dp_catalog *open_demo(int defer)
{
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.no_state = 1;
    co.defer_indexes = defer;
    dp_catalog *cat = NULL;
    dp_error err = {0};
    if (dp_catalog_open(&cat, &co, &err))
        fail_msg("open: %s", err.message);
    return cat;
}

static char *checked(dp_catalog *cat)
{
    char *out = NULL;
    size_t np = 0;
    dp_error err = {0};
    if (dp_catalog_check(&out, cat, DP_FORMAT_JSON, &np, &err))
        fail_msg("check: %s", err.message);
    return out;
}

static char *listed(dp_catalog *cat)
{
    char *out = NULL;
    dp_error err = {0};
    if (dp_catalog_list(&out, cat, &err))
        fail_msg("list: %s", err.message);
    return out;
}

static char *searched(dp_catalog *cat, const char *text)
{
    char *out = NULL;
    dp_error err = {0};
    if (dp_catalog_search(&out, cat, text, 5, &err))
        fail_msg("search: %s", err.message);
    return out;
}

static void check_and_list_need_no_indexes(void **state)
{
    (void)state;
    dp_catalog *full = open_demo(0), *lazy = open_demo(1);
    assert_true(full->indexes_built);
    assert_non_null(full->kg.lex);
    assert_false(lazy->indexes_built);
    assert_null(lazy->kg.lex);
    assert_null(lazy->kg.vec);
    char *a = checked(full), *b = checked(lazy), *c = listed(full), *d = listed(lazy);
    assert_string_equal(a, b);
    assert_string_equal(c, d);
    assert_false(lazy->indexes_built); /* still not needed */
    free(a);
    free(b);
    free(c);
    free(d);
    /* a search builds them, and finds what a full load finds */
    a = searched(full, "click through rate");
    b = searched(lazy, "click through rate");
    assert_string_equal(a, b);
    assert_true(lazy->indexes_built);
    assert_non_null(lazy->kg.lex);
    free(a);
    free(b);
    dp_catalog_free(full);
    dp_catalog_free(lazy);
}

typedef struct job {
    dp_catalog *cat;
    char *out;
    int rc;
} job;

static void *run_one(void *p)
{
    job *j = p;
    dp_result *res = NULL;
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    dp_error err = {0};
    j->rc = dp_generate(&res, j->cat, "weekly clicks by campaign", &go, &err);
    const char *js = res ? dp_result_intent_json(res) : NULL;
    j->out = js ? strdup(js) : NULL;
    dp_result_free(res);
    return NULL;
}

/* Eight threads ask a deferred catalog at once: one builds, the others wait
 * and read the same intent as a full load gives. */
static void first_callers_share_one_build(void **state)
{
    (void)state;
    dp_catalog *full = open_demo(0), *lazy = open_demo(1);
    job want = {full, NULL, 0};
    run_one(&want);
    assert_int_equal(want.rc, 0);
    assert_non_null(want.out);
    enum { N = 8 };
    pthread_t th[N];
    job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (job){lazy, NULL, -1};
        assert_int_equal(pthread_create(&th[i], NULL, run_one, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
        assert_non_null(jobs[i].out);
        if (strcmp(jobs[i].out, want.out))
            fail_msg("thread %d read\n%s\nwhere a full load reads\n%s", i, jobs[i].out, want.out);
        free(jobs[i].out);
    }
    assert_true(lazy->indexes_built);
    free(want.out);
    dp_catalog_free(full);
    dp_catalog_free(lazy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_and_list_need_no_indexes),
        cmocka_unit_test(first_callers_share_one_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

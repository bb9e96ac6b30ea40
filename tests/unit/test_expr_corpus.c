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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/expr", tu_source_dir());
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n > 0);
    size_t ran = 0, bad = 0, attacks = 0, legit = 0;
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
            data[st.st_size] = 0;
            replay r = {names[i]->d_name, 0};
            dp_fuzz_expr_one(data, (size_t)st.st_size, report, &r);
            bad += (size_t)r.bad + (size_t)misjudged(r.name, (const char *)data);
            attacks += !strncmp(r.name, "attack-", 7);
            legit += !strncmp(r.name, "ok-", 3) || !strncmp(r.name, "cat-", 4);
            ran++;
            free(data);
        }
        free(names[i]);
    }
    free(names);
    assert_true(ran >= 200);
    assert_true(attacks >= 40);
    assert_true(legit >= 150);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus_replays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

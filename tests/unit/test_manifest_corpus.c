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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/manifest", tu_source_dir());
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n > 0);
    size_t ran = 0, bad = 0, loaded = 0;
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
            loaded += dp_fuzz_manifest_one(r.name, data, (size_t)st.st_size, report, &r) == 0;
            bad += (size_t)r.bad;
            ran++;
            free(data);
        }
        free(names[i]);
    }
    free(names);
    assert_true(ran >= 20);
    assert_true(loaded >= 3); /* the fixture, the newer spec, the legacy forms */
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus_replays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

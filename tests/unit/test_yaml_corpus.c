/* Replays the YAML fuzzer's saved inputs (fuzz/corpus/yaml) through the
 * fuzzer's own code path (fuzz/yaml_target.h): nothing may crash, leak or
 * hit undefined behaviour (make test-asan), and every input either loads or
 * fails with a negative DP_ code and a one-line message that starts with
 * the file's name. With DP_FUZZ_CRASHES=1 it also replays fuzz/crashes/yaml
 * (inputs that found bugs, kept there until their fixes land). The seed
 * catalogs also load whole with dp_kg_open_offline (no database). */
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
#include "../../fuzz/yaml_target.h"
#include "kg/vindex.h"
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

static void replay_one(const char *name, unsigned char *data, size_t len, void *payload)
{
    size_t *bad = payload;
    replay r = {name, 0};
    dp_fuzz_yaml_one(r.name, data, len, report, &r);
    *bad += (size_t)r.bad;
}

/* Replays every regular file of dir (sorted); returns how many ran. */
static size_t replay_dir(const char *dir, size_t *bad)
{
    return tu_corpus_each(dir, replay_one, bad, bad);
}

static void corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    size_t bad = 0;
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/yaml", tu_source_dir());
    size_t ran = replay_dir(dir, &bad);
    assert_true(ran >= 20); /* the seed corpus alone has more */
    assert_int_equal(bad, 0);
}

static void crashes_replay(void **state)
{
    (void)state;
    const char *on = getenv("DP_FUZZ_CRASHES");
    if (!on || strcmp(on, "1"))
        skip();
    char dir[4096];
    size_t bad = 0;
    snprintf(dir, sizeof(dir), "%s/fuzz/crashes/yaml", tu_source_dir());
    replay_dir(dir, &bad);
    assert_int_equal(bad, 0);
}

/* The demo and test catalogs, offline: every model gets a table and the
 * columns its expressions name, and search finds things. */
static void offline_catalogs(void **state)
{
    (void)state;
    static const char *const dirs[] = {"catalog/demo", "tests/data/hr", "tests/data/logistics"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
        char models[4096], glossary[4096];
        snprintf(models, sizeof(models), "%s/%s/semantic_models.yml", tu_source_dir(), dirs[i]);
        snprintf(glossary, sizeof(glossary), "%s/%s/glossary.yml", tu_source_dir(), dirs[i]);
        dp_kg *kg = NULL;
        dp_error err = {0};
        int rc = dp_kg_open_offline(&kg, models, glossary, &err);
        if (rc)
            print_error("%s: %s\n", dirs[i], err.message);
        assert_int_equal(rc, 0);
        assert_true(kg->nmodels > 0 && kg->nmetrics > 0);
        for (size_t m = 0; m < kg->nmodels; m++) {
            const dp_model *mo = &kg->models[m];
            assert_non_null(mo->table);
            assert_true(mo->ncolumns > 0);
            for (size_t d = 0; d < mo->ndims; d++)
                if (mo->dims[d].column)
                    assert_ptr_equal(dp_kg_model_column(mo, mo->dims[d].expr), mo->dims[d].column);
        }
        assert_true(dp_lexicon_size(kg->lex) > 0);
        dp_vhit hits[5];
        assert_true(dp_vindex_search(kg, kg->metrics[0].label ? kg->metrics[0].label : kg->metrics[0].name, hits, 5,
                                     1 << DP_DOC_METRIC) > 0);
        dp_kg_free_offline(kg);
    }
    dp_error err = {0};
    dp_kg *kg = NULL;
    assert_int_equal(dp_kg_open_offline(&kg, "/nonexistent/models", NULL, &err), DP_ENOTFOUND);
    assert_null(kg);
    assert_non_null(strstr(err.message, "/nonexistent/models"));
    dp_kg_free_offline(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(corpus_replays), cmocka_unit_test(crashes_replay),
                                       cmocka_unit_test(offline_catalogs)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

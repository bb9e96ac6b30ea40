/* The code path the semantic manifest fuzzer drives, shared with the test
 * that replays its saved inputs (tests/unit/test_manifest_corpus.c): bytes
 * -> dp_sm__load_text (jansson, the graph, dp_dbt_check) on a fresh
 * knowledge graph -> the offline columns -> dp_lexicon_build ->
 * dp_vindex_build. Header-only (static) so both programs compile it
 * without CMake. */
#ifndef DP_FUZZ_MANIFEST_TARGET_H
#define DP_FUZZ_MANIFEST_TARGET_H
#include "yaml_target.h" /* dp_fuzz_fail_fn, dp_fuzz_failure_ok */
#include "catalog/semantic_manifest_int.h"

/* Runs one input named name; returns how many steps failed (0: it loads). */
static inline int dp_fuzz_manifest_one(const char *name, const uint8_t *data, size_t size, dp_fuzz_fail_fn on_fail,
                                void *payload)
{
    int failed = 0, rc;
    dp_error err = {0};
    dp_arena *a = dp_arena_new(64 * 1024);
    dp_kg kg;
    if (!a)
        return 1;
    memset(&kg, 0, sizeof(kg));
    kg.arena = a;
    if ((rc = dp_sm__load_text(&kg, name, (const char *)data, size, &err)) || (rc = dp_kg__offline_columns(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "manifest", rc, &err);
        goto done;
    }
    memset(&err, 0, sizeof(err));
    if ((rc = dp_lexicon_build(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "lexicon", rc, &err);
    }
    memset(&err, 0, sizeof(err));
    if ((rc = dp_vindex_build(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "vector index", rc, &err);
    }
done:
    dp_arena_free(a);
    return failed;
}

#endif

/* The code path the YAML fuzzer drives, shared with the test that replays its
 * saved inputs (tests/unit/test_yaml_corpus.c): bytes -> dp_yaml_parse ->
 * on a fresh knowledge graph, dp_dbt_load_doc + dp_dbt_check + the offline
 * columns -> dp_glossary_load_doc + dp_glossary_check -> dp_lexicon_build ->
 * dp_vindex_build (every name, label, description and synonym featurised).
 * Header-only (static) so both programs compile it without CMake. */
#ifndef DP_FUZZ_YAML_TARGET_H
#define DP_FUZZ_YAML_TARGET_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "catalog/load.h"
#include "catalog/offline.h"
#include "doc/node.h"
#include "kg/lexicon.h"
#include "kg/vindex.h"

/* Called for each step that failed: its name, code and error. */
typedef void (*dp_fuzz_fail_fn)(void *payload, const char *step, int rc, const dp_error *err);

/* A failure is well formed when its code is a negative DP_ code and its
 * message is one line that starts with the input's name ("name:line:col: ..."
 * or "name: ..."). */
static inline int dp_fuzz_failure_ok(const char *name, int rc, const dp_error *err)
{
    size_t n = strlen(name);
    return rc < 0 && rc >= DP_ENOMEM && err->code == rc && err->message[0] &&
           !strncmp(err->message, name, n) && err->message[n] == ':' && !strchr(err->message, '\n');
}

/* Runs one input named name; returns how many steps failed (0: it loads). */
static inline int dp_fuzz_yaml_one(const char *name, const uint8_t *data, size_t size, dp_fuzz_fail_fn on_fail,
                            void *payload)
{
    int failed = 0, rc;
    dp_error err = {0};
    dp_arena *a = dp_arena_new(64 * 1024);
    dp_node *doc = NULL;
    dp_kg kg;
    if (!a)
        return 1;
    if ((rc = dp_yaml_parse(&doc, a, name, (const char *)data, size, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "yaml", rc, &err);
        goto done;
    }
    memset(&kg, 0, sizeof(kg));
    kg.arena = a;
    int dbt_ok = 0;
    if ((rc = dp_dbt_load_doc(&kg, doc, &err)) || (rc = dp_dbt_check(&kg, &err)) ||
        (rc = dp_kg__offline_columns(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "dbt", rc, &err);
    } else {
        dbt_ok = 1;
    }
    /* the glossary goes into the same graph, so its mappings are checked
     * against whatever models loaded */
    memset(&err, 0, sizeof(err));
    if ((rc = dp_glossary_load_doc(&kg, doc, &err)) || (rc = dp_glossary_check(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "glossary", rc, &err);
    }
    memset(&err, 0, sizeof(err));
    if (dbt_ok && (rc = dp_lexicon_build(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "lexicon", rc, &err);
    }
    memset(&err, 0, sizeof(err));
    if (dbt_ok && (rc = dp_vindex_build(&kg, &err))) {
        failed++;
        if (on_fail)
            on_fail(payload, "vector index", rc, &err);
    }
done:
    dp_arena_free(a);
    return failed;
}

#endif

/* Unit tests: the typed-field check's quick pass (catalog/dbt_types.c)
 * lets a file through only when the full check finds nothing: every node
 * of the test catalogs' files is turned in turn into each other YAML kind
 * (text, mapping, list, list of mappings) and the two must agree on
 * whether the file has a field of the wrong kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/dbt_int.h"
#include "doc/node.h"
#include "testutil.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct walk_ctx {
    const dp_node *doc;
    size_t checked, wrong;
} walk_ctx;

static void agree(walk_ctx *w)
{
    dp_error e1 = {0}, e2 = {0};
    int quick = dp_dbt__check_types(w->doc, &e1) != 0;
    int full = dp_dbt__check_types_full(w->doc, &e2) != 0;
    if (quick != full)
        fail_msg("the quick pass says %s, the full check %s: %s", quick ? "wrong" : "fine", full ? "wrong" : "fine",
                 full ? e2.message : e1.message);
    if (full)
        assert_string_equal(e1.message, e2.message);
    w->checked++;
    w->wrong += full;
}

/* Each node below n turned into each other kind, then restored. */
static void mutate_all(walk_ctx *w, dp_node *n, dp_node *item_map)
{
    dp_node saved = *n;
    static const char *const none[1] = {NULL};
    dp_node *one[1] = {item_map};
    dp_node kinds[4] = {
        {.kind = DP_NODE_SCALAR, .value = "x", .plain = 1},
        {.kind = DP_NODE_MAP, .n = 0, .keys = (const char **)none},
        {.kind = DP_NODE_SEQ, .n = 0},
        {.kind = DP_NODE_SEQ, .n = 1, .items = one},
    };
    for (int k = 0; k < 4; k++) {
        dp_node m = kinds[k];
        m.file = saved.file;
        m.line = saved.line;
        m.col = saved.col;
        if (m.kind == saved.kind && m.n == saved.n)
            continue;
        *n = m;
        agree(w);
        *n = saved;
    }
    if (n->kind != DP_NODE_SCALAR)
        for (size_t i = 0; i < n->n; i++)
            mutate_all(w, n->items[i], item_map);
}

static void check_file(const char *rel, size_t *checked, size_t *wrong)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tu_source_dir(), rel);
    size_t len = 0;
    char *text = tu_read_text(path, &len);
    if (!text)
        fail_msg("%s: missing", path);
    dp_arena *a = dp_arena_new(0);
    dp_node *doc = NULL;
    dp_error err = {0};
    if (dp_yaml_parse(&doc, a, rel, text, strlen(text), &err))
        fail_msg("%s: %s", rel, err.message);
    dp_node item = {.kind = DP_NODE_MAP, .n = 0};
    walk_ctx w = {doc, 0, 0};
    agree(&w); /* as written */
    for (size_t i = 0; doc->kind == DP_NODE_MAP && i < doc->n; i++)
        mutate_all(&w, doc->items[i], &item);
    *checked += w.checked;
    *wrong += w.wrong;
    dp_arena_free(a);
    free(text);
}

static void quick_pass_agrees_with_full_check(void **state)
{
    (void)state;
    static const char *const files[] = {
        "catalog/demo/semantic_models.yml",       "tests/data/typed_fields/models/events.yml",
        "tests/data/typed_fields/wrong.yml",      "tests/data/mfspec_conv/semantic_models.yml",
        "tests/data/library/semantic_models.yml", "tests/data/latest/models/shipments.yml",
        "tests/data/latest/models/metrics.yml"};
    size_t checked = 0, wrong = 0;
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++)
        check_file(files[i], &checked, &wrong);
    print_message("%zu mutations, %zu of a field of the wrong kind\n", checked, wrong);
    /* not vacuous: most mutations are of a field the spec types */
    assert_true(checked > 1000);
    assert_true(wrong > checked / 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quick_pass_agrees_with_full_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

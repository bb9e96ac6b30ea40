/* The code path the catalog-expression fuzzer drives, shared with the test
 * that replays its saved inputs (tests/unit/test_expr_corpus.c): bytes ->
 * dp_sql_check_expr (the allow-list of catalog SQL), the same text as a
 * filter (dp_catalog__check_filter_text) and rendered by the filter Jinja
 * (dp_jinja_render, DP_JINJA_FILTER) then checked. Header-only (static) so
 * both programs compile it without CMake. */
#ifndef DP_FUZZ_EXPR_TARGET_H
#define DP_FUZZ_EXPR_TARGET_H
#include "catalog/jinja.h"
#include "catalog/problems.h"
#include "sql/check.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/ident.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Called for each broken contract: step, code and message (or why). */
typedef void (*dp_fuzz_expr_fn)(void *payload, const char *step, int rc, const char *what);

/* A refusal is a negative DP_ code with a one-line message. */
static inline int dp_fuzz_expr_refusal_ok(int rc, const dp_error *err)
{
    return rc < 0 && rc >= DP_ENOMEM && err->message[0] && !strchr(err->message, '\n');
}

/* What an accepted text never holds: a word PostgreSQL reserves that starts
 * a query (select, table, with; values is a plain name to it, a column)
 * outside quotes and (templated) outside the
 * {{ ... }} templates, whose text renders to a checked expr, never itself. */
static inline const char *dp_fuzz_expr_query_word(const char *s, int templated)
{
    static const char *const words[] = {"select", "table", "with", NULL};
    for (const char *p = s; *p;) {
        if (*p == '\'' || *p == '"') {
            const char *close = strchr(p + 1, *p);
            if (!close)
                return NULL;
            p = close + 1;
        } else if (templated && p[0] == '{' && p[1] == '{') {
            const char *close = strstr(p + 2, "}}");
            if (!close)
                return NULL;
            p = close + 2;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *w = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            for (size_t i = 0; words[i]; i++)
                if ((size_t)(p - w) == strlen(words[i]) && !strncasecmp(w, words[i], (size_t)(p - w)))
                    return words[i];
        } else {
            p++;
        }
    }
    return NULL;
}

/* One check: 0 (accepted, and no query word) or a well-formed refusal. */
static inline void dp_fuzz_expr_step(const char *step, const char *text, int templated, dp_fuzz_expr_fn on_fail,
                                     void *payload, int *accepted)
{
    dp_error err = {0};
    int rc = templated ? dp_catalog__check_filter_text(text, &err) : dp_sql_check_expr(text, &err);
    /* one name alone is a column, even a reserved word (binding checks it) */
    const char *word = rc || dp_is_identifier(text) ? NULL : dp_fuzz_expr_query_word(text, templated);
    if (rc ? !dp_fuzz_expr_refusal_ok(rc, &err) : word != NULL)
        on_fail(payload, step, rc, rc ? err.message : word);
    if (!rc && accepted)
        (*accepted)++;
}

/* Runs one input; returns how many of its checks accepted it. */
static inline int dp_fuzz_expr_one(const uint8_t *data, size_t size, dp_fuzz_expr_fn on_fail, void *payload)
{
    int accepted = 0;
    char *text = malloc(size + 1);
    dp_arena *a = dp_arena_new(16 * 1024);
    if (!text || !a)
        goto done;
    memcpy(text, data, size);
    text[size] = 0; /* text stops at a NUL, as YAML's scalars do */
    dp_fuzz_expr_step("expr", text, 0, on_fail, payload, &accepted);
    dp_fuzz_expr_step("filter", text, 1, on_fail, payload, &accepted);
    const char *rendered = NULL;
    dp_error err = {0};
    dp_src_pos pos = {0};
    pos.file = "fuzz.yml";
    int rc = dp_jinja_render(&rendered, a, text, DP_JINJA_FILTER, NULL, pos, &err);
    if (rc && !dp_fuzz_expr_refusal_ok(rc, &err))
        on_fail(payload, "jinja", rc, err.message);
    if (!rc && rendered)
        dp_fuzz_expr_step("rendered filter", rendered, 1, on_fail, payload, &accepted);
done:
    free(text);
    dp_arena_free(a);
    return accepted;
}

#endif

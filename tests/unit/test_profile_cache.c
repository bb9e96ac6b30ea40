/* Unit tests: the profile cache's line records keep every value (NULL
 * apart from "", tabs, newlines, backslashes in values), only complete
 * profiles are written, models whose table changed are left to profile,
 * and a text of another format is refused whole; the records' numbers
 * and fields read back exactly, and what is not one is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/bind.h"
#include "kg/kg.h"
#include "util/textrec.h"

static dp_model *add_model(dp_kg *kg, const char *name, const char *table)
{
    dp_model *m = &kg->models[kg->nmodels++];
    memset(m, 0, sizeof(*m));
    m->name = name;
    m->schema = "s";
    m->table = table;
    m->ncolumns = 3;
    m->columns = dp_arena_calloc(kg->arena, 3, sizeof(dp_column));
    static const char *names[] = {"id", "label", "when"}, *types[] = {"BIGINT", "VARCHAR", "DATE"};
    for (size_t i = 0; i < 3; i++) {
        m->columns[i].name = names[i];
        m->columns[i].type = types[i];
    }
    return m;
}

static void fill(dp_kg *kg, dp_model *m)
{
    m->rows = 12;
    m->dup_keys = 2;
    m->orphans = 3;
    m->orphan_entity = "other\tone";
    m->profile_sample = 0;
    m->dup_keys_unknown = 1;
    dp_col_profile *p = &m->columns[0].prof;
    p->done = 1;
    p->nulls = 0;
    p->distinct = 10;
    p->min = "-4";
    p->max = "90";
    p = &m->columns[1].prof;
    p->done = 1;
    p->nulls = 4;
    p->distinct = 3;
    p->min = ""; /* an empty string, not NULL */
    p->max = "z\\\n";
    p->all_values = 1;
    p->ntop = 3;
    p->top_values = dp_arena_calloc(kg->arena, 3, sizeof(char *));
    p->top_counts = dp_arena_calloc(kg->arena, 3, sizeof(int64_t));
    p->top_values[0] = "a\tb";
    p->top_values[1] = "";
    p->top_values[2] = "line\nbreak\\";
    p->top_counts[0] = 5;
    p->top_counts[1] = 2;
    p->top_counts[2] = 1;
    p = &m->columns[2].prof; /* all NULL: min and max NULL */
    p->done = 1;
    p->nulls = 12;
    m->profiled = 1;
}

static void same_profile(const dp_model *a, const dp_model *b)
{
    assert_int_equal(b->profiled, 1);
    assert_int_equal(a->rows, b->rows);
    assert_int_equal(a->dup_keys, b->dup_keys);
    assert_int_equal(a->orphans, b->orphans);
    assert_true((!a->orphan_entity && !b->orphan_entity) ||
                (a->orphan_entity && b->orphan_entity && !strcmp(a->orphan_entity, b->orphan_entity)));
    assert_int_equal(a->dup_keys_unknown, b->dup_keys_unknown);
    for (size_t i = 0; i < a->ncolumns; i++) {
        const dp_col_profile *x = &a->columns[i].prof, *y = &b->columns[i].prof;
        assert_int_equal(x->done, y->done);
        assert_int_equal(x->nulls, y->nulls);
        assert_int_equal(x->distinct, y->distinct);
        assert_int_equal(x->all_values, y->all_values);
        assert_true((!x->min && !y->min) || (x->min && y->min && !strcmp(x->min, y->min)));
        assert_true((!x->max && !y->max) || (x->max && y->max && !strcmp(x->max, y->max)));
        assert_int_equal(x->ntop, y->ntop);
        for (size_t k = 0; k < x->ntop; k++) {
            assert_string_equal(x->top_values[k], y->top_values[k]);
            assert_int_equal(x->top_counts[k], y->top_counts[k]);
        }
    }
}

static void the_text_keeps_every_value(void **state)
{
    (void)state;
    dp_kg src = {0}, dst = {0};
    src.arena = dp_arena_new(4096);
    dst.arena = dp_arena_new(4096);
    src.models = dp_arena_calloc(src.arena, 4, sizeof(dp_model));
    dst.models = dp_arena_calloc(dst.arena, 4, sizeof(dp_model));
    dp_model *a = add_model(&src, "first", "t1"), *b = add_model(&src, "second", "t2");
    dp_model *c = add_model(&src, "third", "t3");
    fill(&src, a);
    fill(&src, b);
    b->orphan_entity = NULL;
    b->columns[1].prof.ntop = 0;
    fill(&src, c);
    c->profile_partial = "time limit: partial"; /* never written */
    char *text = dp_profile_to_text(&src);
    assert_non_null(text);
    assert_null(strstr(text, "third"));
    /* read into a catalog listed in another order, where second's table changed */
    dp_model *y = add_model(&dst, "second", "t2");
    dp_model *z = add_model(&dst, "third", "t3");
    dp_model *x = add_model(&dst, "first", "t1");
    dp_model *w = add_model(&dst, "fourth", "t4");
    y->table = "t2_new";
    assert_int_equal(dp_profile_from_text(&dst, text), 0);
    same_profile(a, x);
    assert_int_equal(y->profiled, 0);
    assert_int_equal(y->columns[0].prof.done, 0);
    assert_int_equal(z->profiled, 0);
    assert_int_equal(w->profiled, 0);
    assert_string_equal(x->freshest ? "set" : "none", "none"); /* no default time dimension */
    /* the same catalog, second's table as written: all three read */
    y->table = "t2";
    assert_int_equal(dp_profile_from_text(&dst, text), 0);
    same_profile(b, y);
    assert_null(y->orphan_entity);
    free(text);
    /* another format, or a cut text: refused */
    assert_int_equal(dp_profile_from_text(&dst, "{\"first\": {}}"), -1);
    text = dp_profile_to_text(&src);
    text[strlen(text) - 5] = 0;
    assert_int_equal(dp_profile_from_text(&dst, text), -1);
    free(text);
    dp_arena_free(src.arena);
    dp_arena_free(dst.arena);
}

/* A text past 4 MB is read in two parts side by side: every model of both
 * parts read back, in a catalog listed in another order; a model named
 * twice (a damaged text) read once; a part cut short refuses the whole. */
static void a_large_text_read_in_two_parts(void **state)
{
    (void)state;
    enum { NM = 3000 };
    dp_kg src = {0}, dst = {0};
    src.arena = dp_arena_new(1 << 20);
    dst.arena = dp_arena_new(1 << 20);
    src.models = dp_arena_calloc(src.arena, NM, sizeof(dp_model));
    dst.models = dp_arena_calloc(dst.arena, NM, sizeof(dp_model));
    char name[32], table[32];
    for (size_t i = 0; i < NM; i++) {
        snprintf(name, sizeof(name), "model_%zu", i);
        snprintf(table, sizeof(table), "table_%zu", i);
        dp_model *m = add_model(&src, dp_arena_strdup(src.arena, name), dp_arena_strdup(src.arena, table));
        fill(&src, m);
        m->rows = (int64_t)i * 31;
        /* long values: the text passes 4 MB */
        m->columns[0].prof.min = dp_arena_printf(src.arena, "%0600zu", i);
        m->columns[0].prof.max = dp_arena_printf(src.arena, "%0900zu", i * 7);
    }
    for (size_t k = 0; k < NM; k++) { /* listed backwards */
        size_t i = NM - 1 - k;
        snprintf(name, sizeof(name), "model_%zu", i);
        snprintf(table, sizeof(table), "table_%zu", i);
        add_model(&dst, dp_arena_strdup(dst.arena, name), dp_arena_strdup(dst.arena, table));
    }
    char *text = dp_profile_to_text(&src);
    assert_non_null(text);
    assert_true(strlen(text) > (4u << 20));
    assert_int_equal(dp_profile_from_text(&dst, text), 0);
    for (size_t i = 0; i < NM; i++)
        same_profile(&src.models[i], &dst.models[NM - 1 - i]);
    /* the last model's record again at the end: read once, the first one */
    const char *last = strstr(text, "M 92969 "); /* model_2999's rows: 2999 x 31 */
    assert_non_null(last);
    size_t len = strlen(text);
    char *twice = malloc(len + (len - (size_t)(last - text)) + 1);
    memcpy(twice, text, len);
    strcpy(twice + len, last);
    twice[len + strlen(last)] = 0;
    for (size_t i = 0; i < NM; i++)
        dst.models[i].profiled = 0;
    assert_int_equal(dp_profile_from_text(&dst, twice), 0);
    same_profile(&src.models[NM - 1], &dst.models[0]);
    /* cut in the second part: refused */
    twice[len - 3] = 0;
    assert_int_equal(dp_profile_from_text(&dst, twice), -1);
    free(twice);
    free(text);
    dp_arena_free(src.arena);
    dp_arena_free(dst.arena);
}

/* Every number a record can hold, its edges included, reads back; what is
 * not one (out of range, no digits, no space after) is refused and leaves
 * the cursor where it was. */
static void numbers_and_fields_read_back(void **state)
{
    (void)state;
    static const char *const good[] = {
        "0 ", "-0 ", "7 ", "-7 ", "9223372036854775807 ", "-9223372036854775808 ", "1234567890123 "};
    static const int64_t want[] = {0, 0, 7, -7, INT64_MAX, INT64_MIN, 1234567890123LL};
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
        const char *p = good[i];
        int64_t v = 42;
        assert_int_equal(dp_textrec_int(&p, &v), 0);
        assert_true(v == want[i]);
        assert_int_equal(*p, 0);
    }
    static const char *const bad[] = {"9223372036854775808 ",
                                      "-9223372036854775809 ",
                                      "99999999999999999999 ",
                                      "",
                                      "- ",
                                      " 1 ",
                                      "1",
                                      "1\t",
                                      "x1 ",
                                      "12a "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        const char *p = bad[i];
        int64_t v = 42;
        assert_int_equal(dp_textrec_int(&p, &v), -1);
        assert_ptr_equal(p, bad[i]);
        assert_true(v == 42);
    }
    /* fields: escapes undone, empty ones "", the cursor on the separator */
    dp_arena *a = dp_arena_new(256);
    dp_buf b;
    dp_buf_init(&b, 1 << 16);
    static const char *const texts[] = {"plain", "tab\there", "a\\b", "line\nbreak\r", "\\", "", "x"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        dp_textrec_put(&b, texts[i]);
        dp_buf_putc(&b, i + 1 < sizeof(texts) / sizeof(*texts) ? '\t' : '\n');
    }
    char *rec = dp_buf_detach(&b);
    const char *p = rec;
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        const char *f = dp_textrec_field(&p, a);
        assert_non_null(f);
        assert_string_equal(f, texts[i]);
        assert_int_equal(*p, i + 1 < sizeof(texts) / sizeof(*texts) ? '\t' : '\n');
        p++;
    }
    assert_int_equal(*p, 0);
    free(rec);
    dp_buf_dispose(&b);
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(the_text_keeps_every_value),
                                       cmocka_unit_test(numbers_and_fields_read_back),
                                       cmocka_unit_test(a_large_text_read_in_two_parts)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: YAML loading with positions, YAML emitting, dates and time
 * phrases, the SELECT-only SQL check, edit distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include "doc/emit.h"
#include "doc/node.h"
#include "intent/timeparse.h"
#include "kg/text.h"
#include "sql/check.h"
#include "util/ident.h"

static void yaml_positions(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    const char *t = "a: 1\nlist:\n  - x\n  - {k: v}\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "f.yml", t, strlen(t), &err), 0);
    assert_string_equal(dp_node_str(doc, "a"), "1");
    const dp_node *l = dp_node_get(doc, "list");
    assert_int_equal(l->kind, DP_NODE_SEQ);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[1]->line, 4);
    assert_string_equal(dp_node_str(l->items[1], "k"), "v");
    const char *bad = "a: [1, 2\nb: 3\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "bad.yml", bad, strlen(bad), &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "bad.yml:"));
    const char *dup = "a: 1\na: 2\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "d.yml", dup, strlen(dup), &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "d.yml:2:1: duplicate key 'a'"));
    dp_arena_free(a);
}

/* dbt reads YAML merge keys: `<<: *anchor` and `<<: [*a, *b]` */
static void yaml_merge_keys(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    const char *t = "base: &b {type: categorical, expr: x}\nmore: &m {label: L, expr: y}\n"
                    "one: {<<: *b, name: n1}\ntwo: {<<: [*m, *b], expr: z}\nself: &s {<<: *b}\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "m.yml", t, strlen(t), &err), 0);
    const dp_node *one = dp_node_get(doc, "one"), *two = dp_node_get(doc, "two");
    assert_string_equal(dp_node_str(one, "name"), "n1");
    assert_string_equal(dp_node_str(one, "type"), "categorical"); /* merged */
    assert_string_equal(dp_node_str(two, "expr"), "z");           /* own key wins */
    assert_string_equal(dp_node_str(two, "label"), "L");          /* first merged map */
    assert_string_equal(dp_node_str(two, "type"), "categorical"); /* second merged map */
    assert_null(dp_node_get(one, "label"));
    dp_arena_free(a);
}

static void yaml_emit_roundtrip(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s,s:s,s:s,s:i,s:f,s:[s,{s:s}],s:b,s:n,s:s}", "plain", "hello", "num", "1.0", "sql",
                          "SELECT 1\nFROM t\n", "int", 7, "real", 0.25, "list", "a", "k", "yes", "flag", 1, "none",
                          "colon", "a: b # c");
    dp_buf b;
    dp_buf_init(&b, 0);
    assert_int_equal(dp_yaml_emit(&b, v), 0);
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    assert_int_equal(dp_yaml_parse(&doc, a, "emitted", b.ptr, b.len, &err), 0);
    assert_string_equal(dp_node_str(doc, "plain"), "hello");
    assert_string_equal(dp_node_str(doc, "num"), "1.0");
    assert_false(dp_node_get(doc, "num")->plain); /* quoted: stays a string */
    assert_string_equal(dp_node_str(doc, "sql"), "SELECT 1\nFROM t\n");
    assert_string_equal(dp_node_str(dp_node_get(doc, "list")->items[1], "k"), "yes");
    assert_false(dp_node_get(dp_node_get(doc, "list")->items[1], "k")->plain);
    assert_string_equal(dp_node_str(doc, "colon"), "a: b # c");
    assert_true(dp_node_is_null(dp_node_get(doc, "none")));
    dp_buf_dispose(&b);
    dp_arena_free(a);
    json_decref(v);
}

/* Whether a YAML 1.1 or 1.2 reader could take plain text for something
 * other than a string: a boolean, null, a number or a date. */
static int not_a_string_when_plain(const char *t)
{
    static const char *const words[] = {"true", "false", "yes",  "no",   "on",    "off",   "null", "~",
                                        "y",    "n",     ".nan", ".inf", "-.inf", "+.inf", ""};
    char low[16];
    size_t n = strlen(t);
    for (size_t i = 0; i < n && i < sizeof(low) - 1; i++)
        low[i] = (char)tolower((unsigned char)t[i]);
    low[n < sizeof(low) - 1 ? n : sizeof(low) - 1] = 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (n < sizeof(low) && !strcmp(low, words[i]))
            return 1;
    char *end; /* a number (C's "nan" and "inf" are YAML's .nan and .inf) */
    strtod(t, &end);
    if (end != t && !*end && !isalpha((unsigned char)t[0]))
        return 1;
    return strlen(t) >= 10 && isdigit((unsigned char)t[0]) && t[4] == '-' && t[7] == '-';
}

/* Every string the emitter writes reads back as the same string (quoted
 * where a reader would take it for something else: YAML's special words in
 * any case, numbers, leading indicators, ': ' and ' #', edge spaces,
 * control bytes), and every real as the same double. */
static void yaml_emit_tricky_scalars(void **state)
{
    (void)state;
    static const char *const strs[] = {"true",
                                       "False",
                                       "YES",
                                       "no",
                                       "On",
                                       "OFF",
                                       "null",
                                       "Null",
                                       "~",
                                       "y",
                                       "N",
                                       ".nan",
                                       ".inf",
                                       "-.inf",
                                       ".NaN",
                                       "truth",
                                       "nothing",
                                       "yesterday",
                                       "12",
                                       "-3.5",
                                       "+1",
                                       ".5",
                                       "1e3",
                                       "2025-01-06",
                                       "0x1F",
                                       "-",
                                       "- a",
                                       "? x",
                                       ":x",
                                       "a:b",
                                       "a: b",
                                       "a:",
                                       "a #b",
                                       "a#b",
                                       "#x",
                                       "!tag",
                                       "&anchor",
                                       "*alias",
                                       "{x}",
                                       "[1]",
                                       ",",
                                       "|",
                                       ">",
                                       "@x",
                                       "`x",
                                       "%x",
                                       "=x",
                                       "'q'",
                                       "\"dq\"",
                                       " lead",
                                       "trail ",
                                       "tab\tin",
                                       "nl\nin",
                                       "cr\rx",
                                       "bell\x07x",
                                       "del\x7fx",
                                       "back\\slash and \"quote\" mixed",
                                       "caf\xc3\xa9",
                                       "\xe2\x82\xac 5",
                                       "plain words here",
                                       "SELECT 1\nFROM t",
                                       "x\n",
                                       "x\n\n",
                                       "\nlead",
                                       "  ",
                                       "a b  ",
                                       "-.5",
                                       "+",
                                       "~x",
                                       "o",
                                       "nan"};
    json_t *o = json_object(), *reals = json_array();
    for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
        char k[16];
        snprintf(k, sizeof(k), "s%zu", i);
        json_object_set_new(o, k, json_string(strs[i]));
        json_object_set_new(o, strs[i], json_integer((json_int_t)i)); /* as keys too */
    }
    const double rv[] = {100.0, 0.1, 1e-7, 123.456, 1.0 / 3, 2.5, -0.0, 1e21, 5e-324, 1.7976931348623157e308, 42.0};
    for (size_t i = 0; i < sizeof(rv) / sizeof(*rv); i++)
        json_array_append_new(reals, json_real(rv[i]));
    json_object_set_new(o, "reals", reals);
    dp_buf b;
    dp_buf_init(&b, 0);
    assert_int_equal(dp_yaml_emit(&b, o), 0);
    dp_arena *a = dp_arena_new(0);
    dp_node *doc;
    dp_error err = {0};
    if (dp_yaml_parse(&doc, a, "emitted", b.ptr, b.len, &err))
        fail_msg("%s\n%s", err.message, b.ptr);
    for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
        char k[16];
        snprintf(k, sizeof(k), "s%zu", i);
        const dp_node *v = dp_node_get(doc, k);
        assert_non_null(v);
        if (!dp_node_str(doc, k) || strcmp(dp_node_str(doc, k), strs[i]))
            fail_msg("'%s' read back as '%s'", strs[i], dp_node_str(doc, k) ? dp_node_str(doc, k) : "(none)");
        if (v->plain && not_a_string_when_plain(strs[i]))
            fail_msg("'%s' written plain: a reader takes it for another type", strs[i]);
        const dp_node *kv = dp_node_get(doc, strs[i]);
        if (!kv)
            fail_msg("key '%s' not read back", strs[i]);
    }
    const dp_node *rl = dp_node_get(doc, "reals");
    assert_int_equal(rl->n, sizeof(rv) / sizeof(*rv));
    for (size_t i = 0; i < rl->n; i++) {
        assert_true(rl->items[i]->plain);
        double d = strtod(rl->items[i]->value, NULL);
        if (d != rv[i] || signbit(d) != signbit(rv[i]))
            fail_msg("%.17g read back as %s", rv[i], rl->items[i]->value);
    }
    dp_buf_dispose(&b);
    dp_arena_free(a);
    json_decref(o);
}

static const char *range(const char *text, const char *as_of, char *out)
{
    dp_arena *a = dp_arena_new(0);
    dp_tok *t;
    size_t n;
    dp_date asof, s, e;
    dp_date_parse(as_of, &asof);
    out[0] = 0;
    if (dp_tokenize(&t, &n, a, NULL, text) == 0)
        for (size_t i = 0; i < n; i++)
            if (dp_time_range_at(t, n, i, asof, &s, &e)) {
                char x[11], y[11];
                dp_date_format(s, x);
                dp_date_format(e, y);
                snprintf(out, 40, "%s..%s", x, y);
                break;
            }
    dp_arena_free(a);
    return out;
}

static void time_ranges(void **state)
{
    (void)state;
    char b[48];
    assert_string_equal(range("revenue in March 2025", "2025-06-10", b), "2025-03-01..2025-04-01");
    assert_string_equal(range("in Q2 2025", "2025-06-10", b), "2025-04-01..2025-07-01");
    assert_string_equal(range("spend in 2025", "2026-01-01", b), "2025-01-01..2026-01-01");
    assert_string_equal(range("the first half of 2025", "2026-01-01", b), "2025-01-01..2025-07-01");
    assert_string_equal(range("since April", "2025-06-10", b), "2025-04-01..2025-06-11");
    assert_string_equal(range("between March and May 2025", "2026-01-01", b), "2025-03-01..2025-06-01");
    /* 2025-06-11 is a Wednesday: the 12 complete weeks before its week */
    assert_string_equal(range("last 12 weeks", "2025-06-11", b), "2025-03-17..2025-06-09");
    assert_string_equal(range("year to date", "2025-06-11", b), "2025-01-01..2025-06-12");
    assert_string_equal(range("in November", "2025-03-01", b), "2024-11-01..2024-12-01");
    assert_string_equal(range("from 2025-02-03 to 2025-02-10", "2026-01-01", b), "2025-02-03..2025-02-11");
    /* N units at one end of a period, cut to it */
    assert_string_equal(range("for the last two weeks of June 2025", "2026-01-01", b), "2025-06-17..2025-07-01");
    assert_string_equal(range("the first 10 days of May 2025", "2026-01-01", b), "2025-05-01..2025-05-11");
    assert_string_equal(range("the last week of 2024", "2026-01-01", b), "2024-12-25..2025-01-01");
    assert_string_equal(range("the first 3 months of 2025", "2026-01-01", b), "2025-01-01..2025-04-01");
    assert_string_equal(range("the last 40 days of June 2025", "2026-01-01", b), "2025-06-01..2025-07-01");
    assert_string_equal(range("total revenue by region", "2026-01-01", b), "");
    /* "full", "complete", "whole" after the count: the same complete periods */
    assert_string_equal(range("for the last 2 full months", "2025-07-16", b), "2025-05-01..2025-07-01");
    assert_string_equal(range("past 3 complete weeks", "2025-06-11", b), "2025-05-19..2025-06-09");
    assert_string_equal(range("last whole quarter", "2025-06-11", b), "2025-01-01..2025-04-01");
    /* days of a month: the later date's year for the first, a day with no
     * year the last one not after as-of, a day that does not exist none */
    assert_string_equal(range("from June 17 to June 30 2025", "2026-01-01", b), "2025-06-17..2025-07-01");
    assert_string_equal(range("from March 3 to March 9, 2025", "2026-01-01", b), "2025-03-03..2025-03-10");
    assert_string_equal(range("between December 5 and January 10 2025", "2026-01-01", b), "2024-12-05..2025-01-11");
    assert_string_equal(range("on 17 June 2025", "2026-01-01", b), "2025-06-17..2025-06-18");
    assert_string_equal(range("on June 17th", "2025-07-16", b), "2025-06-17..2025-06-18");
    assert_string_equal(range("since December 3", "2025-07-16", b), "2024-12-03..2025-07-17");
    assert_string_equal(range("in June 2025", "2026-01-01", b), "2025-06-01..2025-07-01");
    assert_string_equal(range("on February 30 2025", "2026-01-01", b), "2025-02-01..2025-03-01");
    dp_date d = {2024, 2, 29};
    assert_int_equal(dp_date_weekday(d), 3); /* Thursday */
    dp_date m = dp_date_add_months(d, 12);
    assert_int_equal(m.d, 28);
}

static void sql_check(void **state)
{
    (void)state;
    dp_error err = {0};
    assert_int_equal(dp_sql_check_select("WITH a AS (SELECT 1 AS x) SELECT x FROM a", &err), 0);
    assert_int_equal(dp_sql_check_select("SELECT 1; DROP TABLE t", &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "one statement"));
    assert_int_equal(dp_sql_check_select("DELETE FROM t", &err), DP_EINVALID);
    assert_int_equal(dp_sql_check_select("SELECT * INTO t2 FROM t", &err), DP_EINVALID);
    assert_int_equal(dp_sql_check_select("SELECT * FROM t FOR UPDATE", &err), DP_EINVALID);
    assert_int_equal(dp_sql_check_select("SELEC 1", &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "does not parse"));
}

static void text_tools(void **state)
{
    (void)state;
    /* identifiers: ASCII letters, digits, '_', not a digit first */
    static const char *const idents[] = {"a", "_", "amount_usd", "Col9", "_x_1", "Z"};
    static const char *const not_idents[] = {
        "", "9a", "a b", "a-b", "a.b", "caf\xc3\xa9", "a\x7f", "\xc3\xa9t\xc3\xa9", "(a)", "a+1", "`a`"};
    for (size_t i = 0; i < sizeof(idents) / sizeof(*idents); i++)
        assert_true(dp_is_identifier(idents[i]));
    for (size_t i = 0; i < sizeof(not_idents) / sizeof(*not_idents); i++)
        assert_false(dp_is_identifier(not_idents[i]));
    assert_false(dp_is_identifier(NULL));
    for (int c = 1; c < 256; c++) { /* each byte alone and after a letter, against the C locale's ctype */
        char one[2] = {(char)c, 0}, two[3] = {'a', (char)c, 0};
        int word = c < 128 && (isalnum(c) || c == '_');
        assert_int_equal(dp_is_identifier(one), c < 128 && (isalpha(c) || c == '_'));
        assert_int_equal(dp_is_identifier(two), word);
    }
    assert_int_equal(dp_edit_distance("revenue", "revenu", 1), 1);
    assert_int_equal(dp_edit_distance("campaign", "campiagn", 1), 1); /* transposition */
    assert_true(dp_edit_distance("spend", "trend", 1) > 1);
    dp_arena *a = dp_arena_new(0);
    dp_stemmer *st = dp_stemmer_new();
    dp_tok *t;
    size_t n;
    assert_int_equal(dp_tokenize(&t, &n, a, st, "Click-through rates, in the US"), 0);
    assert_int_equal(n, 7);
    assert_string_equal(t[2].stem, "rate");
    assert_int_equal(t[3].punct, ',');
    assert_true(t[6].is_upper);
    dp_stemmer_free(st);
    dp_arena_free(a);
}

/* dp_buf_put_i64 writes what printf's %lld writes, at the edges too */
static void buf_integers(void **state)
{
    (void)state;
    const long long v[] = {0, 7, -7, 10, -10, 1234567890123LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
    for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
        char want[32];
        snprintf(want, sizeof(want), "%lld", v[i]);
        dp_buf b;
        dp_buf_init(&b, 0);
        dp_buf_puts(&b, "x");
        assert_int_equal(dp_buf_put_i64(&b, v[i]), 0);
        assert_string_equal(b.ptr + 1, want);
        assert_int_equal(b.len, 1 + strlen(want));
        dp_buf_dispose(&b);
    }
    dp_buf b; /* over the cap: refused, marked */
    dp_buf_init(&b, 4);
    assert_int_equal(dp_buf_put_i64(&b, 1234), 0);
    assert_int_not_equal(dp_buf_put_i64(&b, 5), 0);
    assert_true(b.toobig);
    dp_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_positions),      cmocka_unit_test(yaml_merge_keys),
        cmocka_unit_test(yaml_emit_roundtrip), cmocka_unit_test(yaml_emit_tricky_scalars),
        cmocka_unit_test(time_ranges),         cmocka_unit_test(sql_check),
        cmocka_unit_test(text_tools),          cmocka_unit_test(buf_integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

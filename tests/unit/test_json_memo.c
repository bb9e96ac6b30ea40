/* Unit tests: the JSON memo (util/json_memo.h) answers a key it loaded
 * with the same document, keeps at most its caps (least recently used
 * out), keeps nothing for a key its loader has none for, and is shared by
 * threads; SQL parse trees kept in it (sql/parse_kept.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "sql/parse_kept.h"

static void kept_and_answered(void **state)
{
    (void)state;
    dp_json_memo *m = dp_json_memo_new(2, 1 << 20);
    json_t *a = dp_sql_parse_kept(m, "SELECT 1");
    json_t *b = dp_sql_parse_kept(m, "SELECT 1");
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_non_null(json_object_get(a, "stmts"));
    json_decref(a);
    json_decref(b);
    assert_null(dp_sql_parse_kept(m, "SELEC 1 FROM"));
    size_t h, n;
    dp_json_memo_counts(m, &h, &n);
    assert_int_equal(h, 1);
    assert_int_equal(n, 2);
    /* two more texts: "SELECT 1" (least recently used) goes */
    json_decref(dp_sql_parse_kept(m, "SELECT 2"));
    json_decref(dp_sql_parse_kept(m, "SELECT 3"));
    json_t *c = dp_sql_parse_kept(m, "SELECT 1");
    dp_json_memo_counts(m, &h, &n);
    assert_int_equal(h, 1);
    assert_int_equal(n, 5);
    /* a tree the caller holds outlives its entry */
    json_decref(dp_sql_parse_kept(m, "SELECT 4"));
    json_decref(dp_sql_parse_kept(m, "SELECT 5"));
    assert_non_null(json_object_get(c, "stmts"));
    json_decref(c);
    dp_json_memo_free(m);
}

static void a_text_over_the_byte_cap_is_not_kept(void **state)
{
    (void)state;
    dp_json_memo *m = dp_json_memo_new(8, 10);
    json_t *a = dp_sql_parse_kept(m, "SELECT 12345678");
    json_t *b = dp_sql_parse_kept(m, "SELECT 12345678");
    assert_non_null(a);
    assert_true(a != b);
    json_decref(a);
    json_decref(b);
    /* NULL memo: parsed, not kept */
    a = dp_sql_parse_kept(NULL, "SELECT 1");
    assert_non_null(a);
    json_decref(a);
    dp_json_memo_free(m);
}

typedef struct job {
    dp_json_memo *m;
    int id, bad;
} job;

static void *worker(void *p)
{
    job *j = p;
    char sql[64];
    for (int i = 0; i < 400; i++) {
        /* 10 texts in all, and one the caps turn over */
        if (i % 10 == 9)
            snprintf(sql, sizeof(sql), "SELECT %d FROM u", j->id * 1000 + i);
        else
            snprintf(sql, sizeof(sql), "SELECT %d FROM t WHERE x > %d", i % 5, j->id % 2);
        json_t *t = dp_sql_parse_kept(j->m, sql);
        json_t *v = t ? json_object_get(t, "stmts") : NULL;
        if (!v || json_array_size(v) != 1)
            j->bad++;
        json_decref(t);
    }
    return NULL;
}

static void shared_by_threads(void **state)
{
    (void)state;
    dp_json_memo *m = dp_json_memo_new(20, 1 << 20);
    pthread_t th[8];
    job jobs[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (job){m, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].bad, 0);
    }
    size_t h, n;
    dp_json_memo_counts(m, &h, &n);
    assert_int_equal(h + n, 8 * 400);
    assert_true(h > n); /* the repeated texts stay kept */
    dp_json_memo_free(m);
}

static json_t *load_count(void *payload, const char *key)
{
    int *calls = payload;
    ++*calls;
    return strcmp(key, "none") ? json_pack("{s:s}", "key", key) : NULL;
}

static void a_key_the_loader_lacks_is_asked_again(void **state)
{
    (void)state;
    dp_json_memo *m = dp_json_memo_new(4, 1 << 10);
    int calls = 0;
    assert_null(dp_json_memo_get(m, "none", load_count, &calls));
    assert_null(dp_json_memo_get(m, "none", load_count, &calls));
    assert_int_equal(calls, 2);
    json_t *a = dp_json_memo_get(m, "k1", load_count, &calls);
    json_t *b = dp_json_memo_get(m, "k1", load_count, &calls);
    assert_int_equal(calls, 3);
    assert_ptr_equal(a, b);
    assert_string_equal(json_string_value(json_object_get(a, "key")), "k1");
    json_decref(a);
    json_decref(b);
    dp_json_memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kept_and_answered),
        cmocka_unit_test(a_text_over_the_byte_cap_is_not_kept),
        cmocka_unit_test(shared_by_threads),
        cmocka_unit_test(a_key_the_loader_lacks_is_asked_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Join paths over the joins test catalog (tests/data/joins): the shortest
 * path of each length, the rival path when two of the same length exist
 * (both reported, neither picked), and the path text the spec shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/catalog.h"
#include "discovery/discovery.h"
#include "util/arena.h"

typedef struct world {
    char dir[64];
    dp_catalog *cat;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    const char *src = getenv("DP_SOURCE_DIR") ? getenv("DP_SOURCE_DIR") : DP_SOURCE_DIR;
    snprintf(w->dir, sizeof(w->dir), "/tmp/dpgen-jpath-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    char sql[1024], db[256], models[1024];
    dp_error err = {0};
    snprintf(sql, sizeof(sql), "%s/tests/data/joins/data.sql", src);
    snprintf(models, sizeof(models), "%s/tests/data/joins/semantic_models.yml", src);
    snprintf(db, sizeof(db), "%s/j.duckdb", w->dir);
    if (dp_db_build(db, sql, 1.0, &err)) {
        fprintf(stderr, "build: %s\n", err.message);
        return -1;
    }
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.no_state = 1;
    if (dp_catalog_open(&w->cat, &co, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        return -1;
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[128];
    dp_catalog_free(w->cat);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", w->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", w->dir);
    free(w);
    return 0;
}

static const char *text(world *w, dp_arena *a, const char *from, const char *to, int *amb, const char **rival)
{
    const dp_kg *kg = &w->cat->kg;
    const dp_model *f = dp_kg_model(kg, from), *t = dp_kg_model(kg, to);
    assert_non_null(f);
    assert_non_null(t);
    dp_path p, r;
    if (dp_join_paths(&p, &r, kg, f, t, amb))
        return NULL;
    *rival = r.n ? dp_path_text(&r, f, a) : NULL;
    return dp_path_text(&p, f, a);
}

static void unique_paths(void **state)
{
    world *w = *state;
    dp_arena *a = dp_arena_new(1 << 16);
    int amb = -1;
    const char *rival = NULL;
    assert_string_equal(text(w, a, "refunds", "cities", &amb, &rival),
                        "refunds -[sale]-> sales -[store]-> stores -[city]-> cities");
    assert_int_equal(amb, 0);
    assert_null(rival);
    assert_string_equal(text(w, a, "buyers", "cities", &amb, &rival), "buyers -[city]-> cities");
    assert_int_equal(amb, 0);
    /* no path towards a foreign key: cities cannot reach buyers */
    assert_null(text(w, a, "cities", "buyers", &amb, &rival));
    dp_arena_free(a);
}

static void equal_paths_both_reported(void **state)
{
    world *w = *state;
    dp_arena *a = dp_arena_new(1 << 16);
    int amb = 0;
    const char *rival = NULL;
    const char *one = text(w, a, "deliveries", "cities", &amb, &rival);
    assert_int_equal(amb, 1);
    assert_non_null(one);
    assert_non_null(rival);
    assert_string_not_equal(one, rival);
    const char *s = "deliveries -[store]-> stores -[city]-> cities", *b = "deliveries -[buyer]-> buyers -[city]-> cities";
    assert_true((!strcmp(one, s) && !strcmp(rival, b)) || (!strcmp(one, b) && !strcmp(rival, s)));
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unique_paths),
        cmocka_unit_test(equal_paths_both_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests: the intent's value pass (src/intent/intent_values.c) with a
 * look-up the test plays: which columns it asks, what a hit, a miss and a
 * failed look-up become, and that without a look-up nothing is asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "catalog/catalog.h"
#include "intent/intent.h"
#include "util/error.h"

typedef struct fake {
    int fail;            /* answer every look-up with this error */
    const char *have;    /* the one value the data holds, in column have_col */
    const char *have_col;
    char asked[16][80];  /* "model.column=text" */
    size_t nasked;
} fake;

static int fake_lookup(void *payload, const dp_model *model, const char *column, const char *text,
                       dp_value_hits *out, dp_error *err)
{
    fake *f = payload;
    memset(out, 0, sizeof(*out));
    if (f->nasked < 16)
        snprintf(f->asked[f->nasked++], sizeof(f->asked[0]), "%s.%s=%s", model->name, column, text);
    if (f->fail)
        return dp_error_set(err, f->fail, "no time left");
    if (f->have && !strcasecmp(text, f->have) && !strcmp(column, f->have_col)) {
        out->exact = 1;
        snprintf(out->values[0], DP_VALUE_MAX, "%s", f->have);
        out->scores[0] = 1;
        out->n = 1;
        return 0;
    }
    snprintf(out->values[0], DP_VALUE_MAX, "%s", "Nearest One");
    out->scores[0] = 0.8;
    out->n = 1;
    return 0;
}

static int asked(const fake *f, const char *what)
{
    for (size_t i = 0; i < f->nasked; i++)
        if (!strcmp(f->asked[i], what))
            return 1;
    return 0;
}

typedef struct world {
    char dir[64];
    dp_catalog *cat;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    const char *src = getenv("DP_SOURCE_DIR") ? getenv("DP_SOURCE_DIR") : DP_SOURCE_DIR;
    char sql[1024], db[256], models[1024];
    dp_error err = {0};
    snprintf(w->dir, sizeof(w->dir), "/tmp/dpgen-values-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(sql, sizeof(sql), "%s/tests/data/hr/data.sql", src);
    snprintf(models, sizeof(models), "%s/tests/data/hr/semantic_models.yml", src);
    snprintf(db, sizeof(db), "%s/hr.duckdb", w->dir);
    if (dp_db_build(db, sql, 1.0, &err))
        return -1;
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.no_state = 1;
    if (dp_catalog_open(&w->cat, &co, &err))
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[128];
    dp_catalog_free(w->cat);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", w->dir);
    if (system(cmd)) {
    }
    free(w);
    return 0;
}

static int parse(world *w, fake *f, const char *request, dp_intent *in, dp_arena *a, dp_error *err)
{
    dp_intent_opts io = {0};
    io.as_of = "2025-07-16";
    if (f) {
        io.lookup = fake_lookup;
        io.lookup_payload = f;
    }
    return dp_intent_parse(in, &w->cat->kg, a, request, &io, NULL, err);
}

static void columns_asked(void **state)
{
    world *w = *state;
    dp_arena *a = dp_arena_new(0);
    dp_intent in;
    dp_error err = {0};
    fake f = {.have = "Tom Berg", .have_col = "full_name"};
    assert_int_equal(parse(w, &f, "monthly payroll cost for employee Tom Berg", &in, a, &err), 0);
    /* the key and the name column are asked; nothing of another dataset */
    assert_true(asked(&f, "employees.full_name=Tom Berg"));
    for (size_t i = 0; i < f.nasked; i++)
        assert_non_null(strstr(f.asked[i], "employees."));
    assert_int_equal(in.nfilters, 1);
    assert_string_equal(in.filters[0].target.dims[0]->name, "employee_name");
    assert_string_equal(in.filters[0].values[0], "Tom Berg");
    /* an id alone: every dataset's name-like columns, and its key when the
     * key is text (hr's are numbers, which cannot hold letters) */
    f.nasked = 0;
    f.have = NULL; /* the data holds it nowhere */
    assert_int_equal(parse(w, &f, "monthly payroll cost for DX-990", &in, a, &err), DP_ECLARIFY);
    assert_true(asked(&f, "departments.department_name=DX-990"));
    assert_true(asked(&f, "employees.full_name=DX-990"));
    assert_false(asked(&f, "departments.department_id=DX-990"));
    assert_false(asked(&f, "employees.employee_id=DX-990"));
    /* cost_center is no name-like column: not asked */
    assert_false(asked(&f, "departments.cost_center=DX-990"));
    assert_non_null(strstr(err.message, "closest: Nearest One"));
    dp_arena_free(a);
}

static void failures_and_no_lookup(void **state)
{
    world *w = *state;
    dp_arena *a = dp_arena_new(0);
    dp_intent in;
    dp_error err = {0};
    /* look-ups that cannot answer: the name is not dropped, it is asked */
    fake f = {.fail = DP_ELIMIT};
    assert_int_equal(parse(w, &f, "monthly payroll cost for employee Tom Berg", &in, a, &err), DP_ECLARIFY);
    assert_non_null(strstr(err.message, "could not be searched"));
    /* ... but a key filter the user asked for is kept when it cannot be
     * checked */
    f.nasked = 0;
    assert_int_equal(parse(w, &f, "monthly absence days of employee 5", &in, a, &err), 0);
    assert_int_equal(f.nasked, 1);
    assert_int_equal(in.nfilters, 1);
    assert_string_equal(in.filters[0].values[0], "5");
    /* no look-up: as before (the name is an unplaced phrase) */
    memset(&err, 0, sizeof(err));
    int rc = parse(w, NULL, "monthly payroll cost for employee Tom Berg", &in, a, &err);
    assert_int_equal(in.nfilters, 0);
    (void)rc;
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_asked),
        cmocka_unit_test(failures_and_no_lookup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

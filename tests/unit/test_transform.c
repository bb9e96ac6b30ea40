/* The transformation stage on the compiler test catalog. The metric
 * compiler refuses filters no row can pass (issue 10, item 3): intents built
 * directly, with filters set on the discovery plan and metric filters written
 * by hand, so the refusal does not depend on how a request is read. Relative
 * ranges are told from fixed ones (item 8). */
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
#include "intent/intent.h"
#include "modeling/modeling.h"
#include "transform/compile.h"
#include "transform/explain.h"

typedef struct world {
    char dir[64];
    dp_catalog *cat;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    const char *src = getenv("DP_SOURCE_DIR") ? getenv("DP_SOURCE_DIR") : DP_SOURCE_DIR;
    snprintf(w->dir, sizeof(w->dir), "/tmp/dpgen-cfilt-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    char sql[1024], db[256], models[1024];
    dp_error err = {0};
    snprintf(sql, sizeof(sql), "%s/tests/data/compiler/data.sql", src);
    snprintf(models, sizeof(models), "%s/tests/data/compiler/semantic_models.yml", src);
    snprintf(db, sizeof(db), "%s/c.duckdb", w->dir);
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

/* One compiled request: intent, plan and design, which a test may change
 * before compiling. */
typedef struct plan {
    dp_arena *a;
    dp_intent in;
    dp_discovery d;
    dp_design design;
    dp_compiled out;
    dp_error err;
} plan;

static void plan_of(plan *p, world *w, const char *request)
{
    memset(p, 0, sizeof(*p));
    p->a = dp_arena_new(64 * 1024);
    const dp_kg *kg = &w->cat->kg;
    dp_intent_opts io = {0};
    io.as_of = "2025-06-15";
    unsigned q = 0;
    json_t *dec = json_array();
    if (dp_intent_parse(&p->in, kg, p->a, request, &io, &q, &p->err) ||
        dp_discover(&p->d, kg, &p->in, p->a, NULL, NULL, dec, &q, &p->err) ||
        dp_model_design(&p->design, kg, &p->in, &p->d, p->a, &p->err))
        fail_msg("%s: %s", request, p->err.message);
    json_decref(dec);
}

static int compile(plan *p, world *w)
{
    memset(&p->err, 0, sizeof(p->err));
    return dp_compile(&p->out, &w->cat->kg, &p->in, &p->d, &p->design, DP_DIALECT_DUCKDB, p->a, &p->err);
}

static void plan_dispose(plan *p)
{
    json_decref(p->out.lineage);
    json_decref(p->out.ctes);
    json_decref(p->d.joins);
    json_decref(p->d.semantic);
    dp_arena_free(p->a);
}

/* Adds a filter on model.dim to the plan. */
static void add_filter(plan *p, world *w, const char *model, const char *dim, int negate, const char *v1, const char *v2)
{
    const dp_model *m = dp_kg_model(&w->cat->kg, model);
    assert_non_null(m);
    const char **vals = dp_arena_alloc(p->a, 2 * sizeof(*vals));
    vals[0] = v1;
    vals[1] = v2;
    dp_plan_filter *f = &p->d.filters[p->d.nfilters++];
    f->model = m;
    f->dim = dp_kg_model_dim(m, dim);
    assert_non_null(f->dim);
    f->values = vals;
    f->nvalues = v2 ? 2 : 1;
    f->negate = negate;
}

static void expect_refusal(plan *p, world *w, const char *msg)
{
    int rc = compile(p, w);
    if (rc != DP_ECLARIFY)
        fail_msg("expected a refusal '%s', got rc %d (%s)", msg, rc, p->out.sql ? p->out.sql : p->err.message);
    assert_null(p->out.sql);
    if (!strstr(p->err.message, msg))
        fail_msg("message '%s' lacks '%s'", p->err.message, msg);
}

static void expect_sql(plan *p, world *w, const char *fragment)
{
    int rc = compile(p, w);
    if (rc)
        fail_msg("rc %d: %s", rc, p->err.message);
    if (fragment && !strstr(p->out.sql, fragment))
        fail_msg("SQL lacks %s:\n%s", fragment, p->out.sql);
}

static void two_equalities(void **state)
{
    world *w = *state;
    plan p;
    plan_of(&p, w, "revenue by tier");
    add_filter(&p, w, "customers", "region", 0, "north", NULL);
    add_filter(&p, w, "customers", "region", 0, "south", NULL);
    expect_refusal(&p, w, "region cannot be both 'north' and 'south'; ask for one, or 'north vs south' to compare them");
    plan_dispose(&p);
}

static void in_and_disjoint_equality(void **state)
{
    world *w = *state;
    plan p;
    plan_of(&p, w, "revenue by tier");
    add_filter(&p, w, "customers", "region", 0, "north", "south");
    add_filter(&p, w, "customers", "region", 0, "east", NULL);
    expect_refusal(&p, w, "region cannot be both one of 'north', 'south' and 'east'");
    plan_dispose(&p);
}

static void in_and_overlapping_equality_compile(void **state)
{
    world *w = *state;
    plan p;
    plan_of(&p, w, "revenue by tier");
    add_filter(&p, w, "customers", "region", 0, "north", "south");
    add_filter(&p, w, "customers", "region", 0, "north", NULL);
    expect_sql(&p, w, "IN ('north', 'south')");
    plan_dispose(&p);
    /* two columns: no contradiction */
    plan_of(&p, w, "revenue by region");
    add_filter(&p, w, "customers", "region", 0, "north", NULL);
    add_filter(&p, w, "customers", "tier", 0, "gold", NULL);
    expect_sql(&p, w, "'gold'");
    plan_dispose(&p);
    /* two exclusions leave the other values */
    plan_of(&p, w, "revenue by tier");
    add_filter(&p, w, "customers", "region", 1, "north", NULL);
    add_filter(&p, w, "customers", "region", 1, "south", NULL);
    expect_sql(&p, w, "IS DISTINCT FROM 'south'");
    plan_dispose(&p);
}

static void value_and_its_exclusion(void **state)
{
    world *w = *state;
    plan p;
    plan_of(&p, w, "revenue by tier");
    add_filter(&p, w, "customers", "region", 0, "north", NULL);
    add_filter(&p, w, "customers", "region", 1, "south", "north");
    expect_refusal(&p, w, "region cannot be both 'north' and none of 'south', 'north'");
    plan_dispose(&p);
}

/* The metric's own filter against the request's. */
static void metric_filter_against_request(void **state)
{
    world *w = *state;
    plan p;
    plan_of(&p, w, "completed orders by month");
    add_filter(&p, w, "orders", "status", 0, "void", NULL);
    expect_refusal(&p, w, "status cannot be both 'void' and 'done': metric completed_orders");
    plan_dispose(&p);
    plan_of(&p, w, "completed orders by month");
    add_filter(&p, w, "orders", "status", 0, "done", "void");
    expect_sql(&p, w, "IN ('done', 'void')");
    plan_dispose(&p);
    /* the request excludes what the metric keeps: still the metric named */
    plan_of(&p, w, "completed orders by month");
    add_filter(&p, w, "orders", "status", 1, "done", NULL);
    expect_refusal(&p, w, "status cannot be both other than 'done' and 'done': metric completed_orders keeps only rows where status is 'done'");
    plan_dispose(&p);
}

/* Metric filters written by hand: AND-ed and parenthesised comparisons are
 * read; OR and anything else is left to SQL. */
static void metric_filter_forms(void **state)
{
    world *w = *state;
    static const struct {
        const char *filter, *user, *msg; /* msg NULL: compiles */
    } cases[] = {
        {"{{ Dimension('order__status') }} = 'done'", "void", "'void' and 'done'"},
        {"(({{ Dimension('order__status') }} IN ('done', 'pending')))", "void", "'void' and one of 'done', 'pending'"},
        {"{{ Dimension('customer__region') }} = 'north' AND ({{ Dimension('order__status') }} = 'done')", "void",
         "'void' and 'done'"},
        {"{{ Dimension('order__status') }} NOT IN ('void', 'pending')", "void", "'void' and none of 'void', 'pending'"},
        {"{{ Dimension('order__status') }} != 'void'", "void", "'void' and other than 'void'"},
        {"{{ Dimension('order__status') }} = 'it''s'", "void", "'void' and 'it's'"},
        {"{{ Dimension('order__status') }} = 'done' OR {{ Dimension('order__status') }} = 'void'", "void", NULL},
        {"{{ Dimension('order__status') }} = 'done'", "done", NULL},
        {"{{ Dimension('order__status') }} IN ('done', 'void')", "void", NULL},
        {"lower({{ Dimension('order__status') }}) = 'done'", "void", NULL},
        /* two of the metric's own */
        {"{{ Dimension('order__status') }} = 'done' AND {{ Dimension('order__status') }} = 'void'", NULL,
         "the filters of metric"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        plan p;
        plan_of(&p, w, "completed orders by month");
        dp_metric m = *dp_kg_metric(&w->cat->kg, "completed_orders");
        m.filter = cases[i].filter;
        for (size_t k = 0; k < p.design.ncols; k++)
            if (p.design.cols[k].metric)
                p.design.cols[k].metric = &m;
        if (cases[i].user)
            add_filter(&p, w, "orders", "status", 0, cases[i].user, NULL);
        if (cases[i].msg)
            expect_refusal(&p, w, cases[i].msg);
        else
            expect_sql(&p, w, NULL);
        plan_dispose(&p);
    }
}

/* A range is relative when it moves with the as-of date. */
static void relative_ranges(void **state)
{
    world *w = *state;
    static const struct {
        const char *request;
        int relative;
    } cases[] = {
        {"revenue last quarter", 1},
        {"revenue last 12 weeks", 1},
        {"revenue year to date", 1},
        {"revenue since April", 1},
        {"revenue in March", 1}, /* the year comes from as-of */
        {"revenue this month", 1},
        {"revenue yesterday", 1},
        {"revenue in March 2025", 0},
        {"revenue in 2024", 0},
        {"revenue between March and May 2025", 0},
        {"revenue in Q2 2025", 0},
        {"revenue before 2025", 0},
        {"revenue by region", -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        plan p;
        plan_of(&p, w, cases[i].request);
        int got = dp_transform__range_relative(&p.in, p.a);
        if (got != cases[i].relative)
            fail_msg("%s: relative %d, want %d (range %s..%s '%s')", cases[i].request, got, cases[i].relative,
                     p.in.range_start ? p.in.range_start : "-", p.in.range_end ? p.in.range_end : "-",
                     p.in.range_text ? p.in.range_text : "");
        plan_dispose(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_equalities),
        cmocka_unit_test(in_and_disjoint_equality),
        cmocka_unit_test(in_and_overlapping_equality_compile),
        cmocka_unit_test(value_and_its_exclusion),
        cmocka_unit_test(metric_filter_against_request),
        cmocka_unit_test(metric_filter_forms),
        cmocka_unit_test(relative_ranges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

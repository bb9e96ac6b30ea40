/* Unit tests of disabled catalog elements (catalog/problems.h): what each
 * metric problem disables, the cascade to what depends on it, and that the
 * graph's lookups no longer reach a disabled element. Loaded offline (no
 * database): the checks that need none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/offline.h"
#include "catalog/problems.h"

static const char *models =
    "semantic_models:\n"
    "  - name: items\n"                                   /* line 2 */
    "    model: ref('items')\n"
    "    defaults: {agg_time_dimension: day}\n"
    "    entities: [{name: item, type: primary, expr: item_id}, {name: group, type: foreign, expr: group_id}]\n"
    "    dimensions:\n"
    "      - {name: day, type: time, type_params: {time_granularity: day}}\n"
    "      - {name: colour, type: categorical}\n"
    "    measures:\n"
    "      - {name: units, agg: sum}\n"
    "      - {name: weight, agg: sum, agg_time_dimension: colour}\n" /* line 11: not a time dimension */
    "  - name: rows_only\n"                                /* line 12: primary_entity, no key */
    "    model: ref('rows_only')\n"
    "    primary_entity: visit\n"
    "    dimensions: [{name: channel, type: categorical}]\n"
    "  - name: groups\n"
    "    model: ref('groups')\n"
    "    entities: [{name: group, type: primary, expr: group_id}]\n"
    "    dimensions: [{name: region, type: categorical}]\n"
    "  - name: groups\n"                                   /* line 20: defined twice */
    "    model: ref('groups2')\n"
    "    entities: [{name: group, type: primary, expr: group_id}]\n"
    "metrics:\n"
    "  - {name: units, type: simple, type_params: {measure: units}}\n"                  /* 24 */
    "  - {name: ghost, type: simple, type_params: {measure: no_such}}\n"                /* 25 */
    "  - {name: loop_a, type: derived, type_params: {expr: loop_b + 1, metrics: [loop_b]}}\n"  /* 26 */
    "  - {name: loop_b, type: derived, type_params: {expr: loop_a * 2, metrics: [loop_a]}}\n"  /* 27 */
    "  - {name: on_loop, type: derived, type_params: {expr: loop_a + units, metrics: [loop_a, units]}}\n"
    "  - {name: stray, type: derived, type_params: {expr: units / unitz, metrics: [units]}}\n" /* 29 */
    "  - name: fine_expr\n"
    "    type: derived\n"
    "    type_params:\n"
    "      expr: \"CASE WHEN u > 0 THEN cast(u AS double) ELSE coalesce(u, 0)::double END\"\n"
    "      metrics: [{name: units, alias: u}]\n"
    "  - {name: bad_filter, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('item__colr') }} = 'x'\"}\n"
    "  - {name: good_filter, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('item__colour') }} = 'x' AND {{ TimeDimension('metric_time', 'day') }} > '2024-01-01'\"}\n"
    "  - {name: heavy, type: simple, type_params: {measure: weight}}\n"
    "  - {name: dup, type: simple, type_params: {measure: units}}\n"   /* 38 */
    "  - {name: dup, type: simple, type_params: {measure: units}}\n"   /* 39: twice */
    "  - {name: grain_filter, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('item__day__month') }} > '2024-01-01' AND {{ Dimension('metric_time__week') }} > '2024-01-01'\"}\n"
    "  - {name: path_filter, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('item__group__colour') }} = 'x' AND {{ Entity('item') }} IS NOT NULL\"}\n"
    "  - {name: own_rows, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('visit__channel') }} = 'x'\"}\n"
    "  - {name: off_entity, type: simple, type_params: {measure: units}, filter: \"{{ Dimension('group__region') }} = 'x'\"}\n";

typedef struct fx {
    char dir[64];
    dp_kg *kg;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/dp_problems_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char path[128];
    snprintf(path, sizeof(path), "%s/m.yml", f->dir);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs(models, fp);
    fclose(fp);
    dp_error err = {0};
    if (dp_kg_open_offline(&f->kg, path, NULL, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/m.yml", f->dir);
    unlink(path);
    rmdir(f->dir);
    dp_kg_free_offline(f->kg);
    free(f);
    return 0;
}

static const dp_metric *metric(const dp_kg *kg, const char *name)
{
    for (size_t i = 0; i < kg->nmetrics; i++)
        if (!strcmp(kg->metrics[i].name, name))
            return &kg->metrics[i];
    fail_msg("no metric %s", name);
    return NULL;
}

static const dp_problem *problem(const dp_kg *kg, const char *name, int line)
{
    for (size_t i = 0; i < kg->nproblems; i++)
        if (!strcmp(kg->problems[i].name, name) && (!line || kg->problems[i].pos.line == line))
            return &kg->problems[i];
    return NULL;
}

static void test_the_catalog_loads_and_good_metrics_stay(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    /* a grain suffix, metric_time, an entity path and Entity() are read as
     * such, not as names no model has */
    const char *names[] = {"units", "fine_expr", "good_filter", "grain_filter", "own_rows"};
    for (size_t i = 0; i < 5; i++)
        if (metric(kg, names[i])->off.reason)
            fail_msg("%s: %s", names[i], metric(kg, names[i])->off.reason);
}

static void test_unknown_measure(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    const dp_problem *p = problem(kg, "ghost", 25);
    assert_non_null(p);
    assert_string_equal(p->kind, "metric");
    assert_string_equal(p->reason, "refers to measure 'no_such', which the catalog does not define");
    assert_ptr_equal(metric(kg, "ghost")->off.reason, p->reason);
    char msg[600];
    const dp_metric *g = metric(kg, "ghost");
    dp_catalog__disabled_msg(kg, "metric", g->name, &g->off, g->pos, msg, sizeof(msg));
    assert_non_null(strstr(msg, "metric 'ghost' is disabled: refers to measure 'no_such'"));
    assert_non_null(strstr(msg, "m.yml:25)"));
}

static void test_cycle_disables_its_members_and_what_uses_them(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    assert_non_null(problem(kg, "loop_a", 26));
    assert_non_null(problem(kg, "loop_b", 27));
    assert_non_null(strstr(metric(kg, "loop_a")->off.reason, "refers to itself through loop_a -> loop_b -> loop_a"));
    const char *r = metric(kg, "on_loop")->off.reason;
    assert_non_null(r);
    assert_non_null(strstr(r, "its metric 'loop_a' refers to itself"));
    assert_null(problem(kg, "on_loop", 0)); /* a consequence, not a problem of its own */
}

static void test_derived_expr_names_only_its_inputs(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    const dp_problem *p = problem(kg, "stray", 29);
    assert_non_null(p);
    assert_non_null(strstr(p->reason, "uses 'unitz' in its expr, which is not one of its inputs (units)"));
}

static void test_filter_on_unknown_dimension(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    assert_non_null(strstr(metric(kg, "bad_filter")->off.reason, "dimension 'item__colr', which no semantic model has"));
}

static void test_filter_paths_and_disabled_dimensions(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    /* item__group__colour: a model with the entity 'group' has colour */
    assert_null(metric(kg, "path_filter")->off.reason);
    /* region exists, but only in the disabled 'groups' models: a consequence */
    const char *r = metric(kg, "off_entity")->off.reason;
    assert_non_null(r);
    assert_non_null(strstr(r, "its entity 'group' is disabled") ? r : strstr(r, "its dimension 'group__region' is disabled"));
    assert_null(problem(kg, "off_entity", 0));
}

static void test_time_dimension_that_is_not_one(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    const dp_problem *p = problem(kg, "items.weight", 11);
    assert_non_null(p);
    assert_string_equal(p->kind, "measure");
    assert_non_null(strstr(metric(kg, "heavy")->off.reason, "its measure 'weight' has agg_time_dimension 'colour'"));
}

static void test_names_defined_twice(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    /* neither definition is used: which one was meant is not known */
    assert_non_null(problem(kg, "groups", 20));
    assert_non_null(problem(kg, "groups", 16));
    const dp_problem *p = problem(kg, "dup", 39);
    assert_non_null(p);
    assert_non_null(strstr(p->reason, "is also defined at "));
    assert_non_null(strstr(p->reason, "m.yml:38"));
    assert_non_null(problem(kg, "dup", 38));
    assert_null(metric(kg, "units")->off.reason);
}

static void test_lookups_skip_disabled_elements(void **state)
{
    const dp_kg *kg = ((fx *)*state)->kg;
    /* both 'groups' models are off: the entity has no home, no join reaches them */
    assert_null(dp_kg_entity_home(kg, "group"));
    size_t n = 9;
    dp_kg_models_with_dim(kg, "region", &n);
    assert_int_equal(n, 0);
    /* their parts are off too, with the model's reason */
    const dp_model *g = dp_kg_model(kg, "groups"); /* names stay findable */
    assert_non_null(g);
    assert_non_null(g->off.reason);
    assert_non_null(strstr(g->dims[0].off.reason, "its semantic model 'groups' is also defined at"));
    assert_null(dp_kg_model_dim(g, "region"));
    /* the enabled model keeps its dimensions */
    assert_non_null(dp_kg_model_dim(dp_kg_model(kg, "items"), "colour"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_catalog_loads_and_good_metrics_stay),
        cmocka_unit_test(test_unknown_measure),
        cmocka_unit_test(test_cycle_disables_its_members_and_what_uses_them),
        cmocka_unit_test(test_derived_expr_names_only_its_inputs),
        cmocka_unit_test(test_filter_on_unknown_dimension),
        cmocka_unit_test(test_filter_paths_and_disabled_dimensions),
        cmocka_unit_test(test_time_dimension_that_is_not_one),
        cmocka_unit_test(test_names_defined_twice),
        cmocka_unit_test(test_lookups_skip_disabled_elements),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

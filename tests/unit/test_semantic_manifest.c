/* Unit tests of the semantic manifest loader: the fixture gives the graph its
 * YAML twin gives (field by field), the issue-11 fields arrive, dbt's newer
 * forms map onto measures, and a wrong field is named by its JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/load.h"
#include "util/error.h"

#define FIXTURE DP_SOURCE_DIR "/tests/data/smanifest"

static dp_kg *kg_new(void)
{
    dp_kg *kg = calloc(1, sizeof(*kg));
    assert_non_null(kg);
    kg->arena = dp_arena_new(64 * 1024);
    assert_non_null(kg->arena);
    return kg;
}

static void kg_free(dp_kg *kg)
{
    dp_arena_free(kg->arena);
    free(kg);
}

static void assert_same_text(const char *a, const char *b, const char *what)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b))) {
        print_error("%s: YAML '%s', manifest '%s'\n", what, a ? a : "(null)", b ? b : "(null)");
        fail();
    }
}

static void same_input(const dp_metric_input *a, const dp_metric_input *b, const char *what)
{
    assert_same_text(a->name, b->name, what);
    assert_same_text(a->filter, b->filter, what);
    assert_same_text(a->alias, b->alias, what);
    assert_same_text(a->offset_window, b->offset_window, what);
    assert_same_text(a->offset_to_grain, b->offset_to_grain, what);
    assert_int_equal(a->fill_nulls_with_set, b->fill_nulls_with_set);
    assert_int_equal(a->fill_nulls_with, b->fill_nulls_with);
    /* join_to_timespine, validity, window_groupings and constant_properties
     * are compared once the YAML loader reads them (issue 11's other parts);
     * issue11_fields checks the manifest's side */
    if (a->join_to_timespine)
        assert_int_equal(a->join_to_timespine, b->join_to_timespine);
}

static dp_kg *load_manifest(const char *path, dp_error *err)
{
    dp_kg *kg = kg_new();
    if (dp_semantic_manifest_load(kg, path, err)) {
        kg_free(kg);
        return NULL;
    }
    return kg;
}

static void same_graph_as_yaml(void **state)
{
    (void)state;
    dp_error err = {0};
    dp_kg *y = kg_new(), *j = load_manifest(FIXTURE "/semantic_manifest.json", &err);
    assert_int_equal(dp_dbt_load_path(y, FIXTURE "/models", &err), 0);
    assert_non_null(j);
    assert_int_equal(y->nmodels, j->nmodels);
    for (size_t i = 0; i < y->nmodels; i++) {
        const dp_model *a = &y->models[i], *b = &j->models[i];
        assert_same_text(a->name, b->name, "model");
        assert_same_text(a->description, b->description, a->name);
        assert_same_text(a->label, b->label, a->name);
        assert_same_text(a->default_time_dim, b->default_time_dim, a->name);
        assert_same_text(a->primary_entity, b->primary_entity, a->name);
        char rel[200];
        snprintf(rel, sizeof(rel), "%s.%s", b->rel_schema, b->rel_alias);
        assert_same_text(a->ref, rel, a->name); /* the twin writes ref('schema.table') */
        assert_int_equal(a->nentities, b->nentities);
        for (size_t k = 0; k < a->nentities; k++) {
            assert_same_text(a->entities[k].name, b->entities[k].name, a->name);
            assert_same_text(a->entities[k].expr, b->entities[k].expr, a->entities[k].name);
            assert_same_text(a->entities[k].description, b->entities[k].description, a->entities[k].name);
            assert_same_text(a->entities[k].label, b->entities[k].label, a->entities[k].name);
            assert_int_equal(a->entities[k].type, b->entities[k].type);
        }
        assert_int_equal(a->ndims, b->ndims);
        for (size_t k = 0; k < a->ndims; k++) {
            const dp_dimension *p = &a->dims[k], *q = &b->dims[k];
            assert_same_text(p->name, q->name, a->name);
            assert_same_text(p->expr, q->expr, p->name);
            assert_same_text(p->description, q->description, p->name);
            assert_same_text(p->label, q->label, p->name);
            assert_int_equal(p->type, q->type);
            assert_int_equal(p->granularity, q->granularity);
            assert_int_equal(p->is_partition, q->is_partition);
            if (p->validity)
                assert_int_equal(p->validity, q->validity);
        }
        assert_int_equal(a->nmeasures, b->nmeasures);
        for (size_t k = 0; k < a->nmeasures; k++) {
            const dp_measure *p = &a->measures[k], *q = &b->measures[k];
            assert_same_text(p->name, q->name, a->name);
            assert_same_text(p->expr, q->expr, p->name);
            assert_same_text(p->description, q->description, p->name);
            assert_same_text(p->label, q->label, p->name);
            assert_same_text(p->agg_time_dimension, q->agg_time_dimension, p->name);
            assert_same_text(p->non_additive_dim, q->non_additive_dim, p->name);
            assert_int_equal(p->agg, q->agg);
            assert_true(p->percentile == q->percentile);
            assert_int_equal(p->use_discrete_percentile, q->use_discrete_percentile);
            assert_int_equal(p->non_additive_max, q->non_additive_max);
            assert_int_equal(p->create_metric, q->create_metric);
            for (size_t g = 0; g < p->nwindow_groupings; g++) {
                assert_int_equal(p->nwindow_groupings, q->nwindow_groupings);
                assert_same_text(p->window_groupings[g], q->window_groupings[g], p->name);
            }
        }
    }
    assert_int_equal(y->nmetrics, j->nmetrics);
    for (size_t i = 0; i < y->nmetrics; i++) {
        const dp_metric *a = dp_kg_metric(y, j->metrics[i].name), *b = &j->metrics[i];
        assert_non_null(a);
        assert_int_equal(a->type, b->type);
        assert_same_text(a->label, b->label, a->name);
        assert_same_text(a->description, b->description, a->name);
        assert_same_text(a->filter, b->filter, a->name);
        assert_same_text(a->expr, b->expr, a->name);
        assert_same_text(a->window, b->window, a->name);
        assert_same_text(a->grain_to_date, b->grain_to_date, a->name);
        assert_same_text(a->entity, b->entity, a->name);
        assert_same_text(a->calculation, b->calculation, a->name);
        assert_same_text(a->conv_window, b->conv_window, a->name);
        same_input(&a->measure, &b->measure, a->name);
        same_input(&a->numerator, &b->numerator, a->name);
        same_input(&a->denominator, &b->denominator, a->name);
        same_input(&a->base_measure, &b->base_measure, a->name);
        same_input(&a->conversion_measure, &b->conversion_measure, a->name);
        assert_int_equal(a->ninputs, b->ninputs);
        for (size_t k = 0; k < a->ninputs; k++)
            same_input(&a->inputs[k], &b->inputs[k], a->name);
        for (size_t k = 0; k < a->nconst_props; k++) {
            assert_int_equal(a->nconst_props, b->nconst_props);
            assert_same_text(a->const_props[k].base_property, b->const_props[k].base_property, a->name);
            assert_same_text(a->const_props[k].conversion_property, b->const_props[k].conversion_property, a->name);
        }
    }
    kg_free(y);
    kg_free(j);
}

static const dp_measure *measure(const dp_kg *kg, const char *name)
{
    const dp_measure *m = dp_kg_measure(kg, name);
    assert_non_null(m);
    return m;
}

static void issue11_fields(void **state)
{
    (void)state;
    dp_error err = {0};
    dp_kg *kg = load_manifest(FIXTURE "/semantic_manifest.json", &err);
    assert_non_null(kg);
    const dp_model *orders = dp_kg_model(kg, "orders");
    assert_non_null(orders);
    assert_string_equal(orders->rel_schema, "shop");
    assert_string_equal(orders->rel_alias, "orders");
    assert_string_equal(orders->rel_database, "dev");
    assert_string_equal(orders->ref, "orders");
    assert_string_equal(orders->pos.file, FIXTURE "/semantic_manifest.json:semantic_models[1]");
    assert_string_equal(measure(kg, "p90_amount")->pos.file, FIXTURE "/semantic_manifest.json:semantic_models[1].measures[4]");
    assert_true(measure(kg, "p90_amount")->percentile == 0.9);
    assert_int_equal(measure(kg, "p90_amount")->use_discrete_percentile, 1);
    assert_true(measure(kg, "median_amount")->percentile == 0.5);

    const dp_model *tiers = dp_kg_model(kg, "tier_history");
    assert_int_equal(dp_kg_model_dim(tiers, "valid_from")->validity, 1);
    assert_int_equal(dp_kg_model_dim(tiers, "valid_to")->validity, 2);
    assert_int_equal(dp_kg_model_dim(tiers, "tier")->validity, 0);
    assert_string_equal(tiers->primary_entity, "tier_record");

    const dp_measure *bal = measure(kg, "balance_total");
    assert_string_equal(bal->non_additive_dim, "as_of");
    assert_int_equal(bal->non_additive_max, 1);
    assert_int_equal(bal->nwindow_groupings, 1);
    assert_string_equal(bal->window_groupings[0], "customer");
    assert_int_equal(measure(kg, "first_balance")->non_additive_max, 0);
    assert_int_equal(measure(kg, "first_balance")->nwindow_groupings, 0);

    const dp_metric *m = dp_kg_metric(kg, "large_paid_orders");
    assert_string_equal(m->filter, "({{ Dimension('order__status') }} = 'paid') AND ({{ Dimension('order__device') }} = 'web')");
    m = dp_kg_metric(kg, "paid_share");
    assert_string_equal(m->numerator.filter, "{{ Dimension('order__status') }} = 'paid'");
    assert_string_equal(m->numerator.alias, "paid_orders");
    m = dp_kg_metric(kg, "revenue_growth");
    assert_string_equal(m->inputs[1].offset_window, "1 month");
    assert_null(m->inputs[0].offset_window);
    assert_string_equal(dp_kg_metric(kg, "revenue_since_month_start")->inputs[0].offset_to_grain, "month");
    assert_string_equal(dp_kg_metric(kg, "visits_7d")->window, "7 days");
    assert_string_equal(dp_kg_metric(kg, "revenue_mtd")->grain_to_date, "month");
    assert_string_equal(dp_kg_metric(kg, "revenue_to_date")->period_agg, "first");
    m = dp_kg_metric(kg, "visit_to_order_rate");
    assert_string_equal(m->base_measure.name, "visit_count");
    assert_string_equal(m->conversion_measure.name, "order_count");
    assert_string_equal(m->entity, "customer");
    assert_string_equal(m->calculation, "conversion_rate");
    assert_string_equal(m->conv_window, "7 days");
    assert_int_equal(m->nconst_props, 1);
    assert_string_equal(m->const_props[0].base_property, "device");
    assert_string_equal(m->const_props[0].conversion_property, "device");
    m = dp_kg_metric(kg, "daily_orders_filled");
    assert_int_equal(m->measure.join_to_timespine, 1);
    assert_int_equal(m->measure.fill_nulls_with_set, 1);
    assert_int_equal(m->measure.fill_nulls_with, 0);
    assert_int_equal(dp_kg_metric(kg, "revenue")->measure.fill_nulls_with_set, 0);
    assert_non_null(dp_kg_metric(kg, "average_amount")); /* create_metric */

    assert_int_equal(kg->nsaved, 1);
    const dp_saved_query *q = &kg->saved[0];
    assert_string_equal(q->name, "revenue_by_region");
    assert_string_equal(q->label, "Revenue by region");
    assert_int_equal(q->nmetrics, 2);
    assert_string_equal(q->metrics[1], "orders");
    assert_int_equal(q->ngroup_by, 2);
    assert_string_equal(q->group_by[0], "TimeDimension('metric_time', 'month')");
    assert_string_equal(q->group_by[1], "Dimension('customer__region')");
    assert_int_equal(q->nwhere, 1);
    assert_string_equal(q->where[0], "{{ Dimension('order__status') }} = 'paid'");
    assert_int_equal(q->nexports, 1);
    assert_string_equal(q->exports[0], "revenue_by_region_export");
    assert_int_equal(q->norder_by, 1);
    assert_int_equal(q->limit, 100);

    /* time_spines; the legacy entry of the same grain is left out */
    assert_int_equal(kg->nspines, 1);
    const dp_time_spine *sp = &kg->spines[0];
    assert_string_equal(sp->model, "time_spine_daily");
    assert_string_equal(sp->schema, "shop");
    assert_string_equal(sp->table, "time_spine_daily");
    assert_string_equal(sp->column, "date_day");
    assert_int_equal(sp->grain, DP_GRAIN_DAY);
    assert_int_equal(sp->ncustom, 1);
    assert_string_equal(sp->custom[0].name, "fiscal_quarter");
    assert_string_equal(sp->custom[0].column, "fiscal_quarter");
    kg_free(kg);
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/dp_smanifest_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* a minimal model the newer-form metrics below aggregate */
#define MODEL                                                                                                    \
    "{\"name\": \"ev\", \"node_relation\": {\"alias\": \"ev\", \"schema_name\": \"s\"},"                         \
    " \"defaults\": {\"agg_time_dimension\": \"day\"},"                                                          \
    " \"entities\": [{\"name\": \"user\", \"type\": \"foreign\", \"expr\": \"user_id\"}],"                      \
    " \"dimensions\": [{\"name\": \"day\", \"type\": \"time\", \"type_params\": {\"time_granularity\": \"day\"}},"\
    " {\"name\": \"kind\", \"type\": \"categorical\"}],"                                                         \
    " \"measures\": [{\"name\": \"n\", \"agg\": \"count\", \"expr\": \"1\"}],"                                  \
    " \"metadata\": {\"repo_file_path\": \"models/ev.yml\", \"file_slice\": {\"filename\": \"ev.yml\","         \
    " \"content\": \"\", \"start_line_number\": 12, \"end_line_number\": 30}}}"

static size_t ev_measures(const dp_kg *kg) { return dp_kg_model(kg, "ev")->nmeasures; }

static void newer_forms(void **state)
{
    (void)state;
    char *path = write_temp(
        "{\"semantic_models\": [" MODEL "],"
        " \"metrics\": ["
        "  {\"name\": \"amount\", \"type\": \"simple\", \"label\": \"Amount\", \"filter\": \"{{ Dimension('user__kind') }} = 'a'\","
        "   \"type_params\": {\"expr\": \"price * qty\", \"join_to_timespine\": true, \"fill_nulls_with\": 0,"
        "     \"metric_aggregation_params\": {\"semantic_model\": \"ev\", \"agg\": \"sum\", \"agg_params\": null,"
        "       \"agg_time_dimension\": \"day\", \"non_additive_dimension\": null}}},"
        "  {\"name\": \"amount_28d\", \"type\": \"cumulative\", \"type_params\": {\"cumulative_type_params\":"
        "   {\"window\": {\"count\": 28, \"granularity\": \"day\"}, \"period_agg\": \"last\","
        "    \"metric\": {\"name\": \"amount\", \"filter\": {\"where_sql_template\": \"{{ Dimension('user__kind') }} <> 'b'\"}}}}},"
        "  {\"name\": \"conv\", \"type\": \"conversion\", \"type_params\": {\"conversion_type_params\":"
        "   {\"base_metric\": {\"name\": \"amount\"}, \"conversion_measure\": \"n\", \"entity\": \"user\","
        "    \"window\": {\"count\": 1, \"granularity\": \"week\"}}}},"
        "  {\"name\": \"n\", \"type\": \"simple\", \"type_params\": {\"expr\": \"1\","
        "   \"metric_aggregation_params\": {\"semantic_model\": \"ev\", \"agg\": \"count\"}}},"
        "  {\"name\": \"amount_2fq\", \"type\": \"derived\", \"type_params\": {\"expr\": \"a\", \"metrics\":"
        "   [{\"name\": \"amount\", \"alias\": \"a\", \"offset_window\": {\"count\": 2, \"granularity\": \"fiscal_quarter\"}},"
        "    {\"name\": \"amount\", \"alias\": \"b\", \"offset_window\": {\"count\": 3, \"granularity\": \"MONTH\"}}]}}"
        " ],"
        " \"project_configuration\": {\"time_spine_table_configurations\":"
        "   [{\"location\": \"\\\"db\\\".\\\"util\\\".\\\"spine\\\"\", \"column_name\": \"d\", \"grain\": \"day\"},"
        "    {\"location\": \"util.hours\", \"column_name\": \"h\", \"grain\": \"hour\"}]}}");
    dp_error err = {0};
    dp_kg *kg = load_manifest(path, &err);
    if (!kg)
        print_error("%s\n", err.message);
    assert_non_null(kg);
    const dp_measure *me = dp_kg_measure(kg, "amount");
    assert_non_null(me);
    assert_int_equal(me->agg, DP_AGG_SUM);
    assert_string_equal(me->expr, "price * qty");
    assert_string_equal(me->model->name, "ev");
    assert_string_equal(me->agg_time_dimension, "day");
    const dp_metric *m = dp_kg_metric(kg, "amount");
    assert_string_equal(m->measure.name, "amount");
    assert_int_equal(m->measure.join_to_timespine, 1);
    assert_int_equal(m->measure.fill_nulls_with_set, 1);
    m = dp_kg_metric(kg, "amount_28d");
    assert_string_equal(m->measure.name, "amount");
    assert_string_equal(m->measure.filter, "({{ Dimension('user__kind') }} = 'a') AND ({{ Dimension('user__kind') }} <> 'b')");
    assert_string_equal(m->window, "28 days");
    assert_string_equal(m->period_agg, "last");
    m = dp_kg_metric(kg, "conv");
    assert_string_equal(m->base_measure.name, "amount");
    assert_string_equal(m->base_measure.filter, "{{ Dimension('user__kind') }} = 'a'");
    assert_string_equal(m->conversion_measure.name, "n");
    assert_string_equal(m->conv_window, "1 week");
    /* the model's own measure n, not a second one */
    assert_int_equal(ev_measures(kg), 2);
    assert_string_equal(dp_kg_metric(kg, "n")->measure.name, "n");
    /* a custom grain keeps dbt's spelling; a standard one gets its plural back */
    m = dp_kg_metric(kg, "amount_2fq");
    assert_string_equal(m->inputs[0].offset_window, "2 fiscal_quarter");
    assert_string_equal(m->inputs[1].offset_window, "3 months");
    /* the position dbt recorded */
    const dp_model *ev = dp_kg_model(kg, "ev");
    assert_string_equal(ev->pos.file, "models/ev.yml");
    assert_int_equal(ev->pos.line, 12);
    /* legacy spine: schema and table from the location; an hourly one is left out */
    assert_int_equal(kg->nspines, 1);
    assert_string_equal(kg->spines[0].schema, "util");
    assert_string_equal(kg->spines[0].table, "spine");
    assert_string_equal(kg->spines[0].column, "d");
    kg_free(kg);
    unlink(path);
    free(path);
}

/* Each malformed manifest fails with its JSON path in the message. */
static void errors_name_the_path(void **state)
{
    (void)state;
    static const struct { const char *json, *want; } cases[] = {
        {"[1, 2]", "a semantic manifest is a JSON object"},
        {"{\"semantic_models\": {}}", ": semantic_models: must be a list"},
        {"{\"semantic_models\": [7]}", ": semantic_models[0]: must be an object"},
        {"{\"semantic_models\": [{\"name\": \"a\"}]}", "semantic_models[0].node_relation: is missing (semantic model 'a')"},
        {"{\"semantic_models\": [{\"name\": \"a\", \"node_relation\": {\"alias\": \"a\", \"schema_name\": \"s\"},"
         " \"entities\": [{\"name\": \"e\", \"type\": \"primry\"}]}]}",
         "semantic_models[0].entities[0].type: unknown type 'primry' (primary, unique, foreign, natural)"},
        {"{\"semantic_models\": [{\"name\": \"a\", \"node_relation\": {\"alias\": \"a\", \"schema_name\": \"s\"},"
         " \"measures\": [{\"name\": \"m\", \"agg\": \"percentile\"}]}]}",
         "semantic_models[0].measures[0]: agg percentile needs agg_params.percentile"},
        {"{\"semantic_models\": [{\"name\": \"a\", \"node_relation\": {\"alias\": \"a\", \"schema_name\": \"s\"},"
         " \"measures\": [{\"name\": \"m\", \"agg\": \"sum\", \"non_additive_dimension\": {\"name\": \"d\", \"window_choice\": \"avg\"}}]}]}",
         "semantic_models[0].measures[0].non_additive_dimension.window_choice: must be min or max, not 'avg'"},
        {"{\"semantic_models\": [], \"metrics\": [{\"name\": \"x\", \"type\": \"derived\", \"type_params\": {\"expr\": \"a\", \"metrics\": [{\"alias\": \"b\"}]}}]}",
         "metrics[0].type_params.metrics[0].name: is missing"},
        {"{\"semantic_models\": [], \"metrics\": [{\"name\": \"x\", \"type\": \"simple\", \"type_params\": {}}]}",
         "metrics[0].type_params.measure: is missing (simple metric 'x')"},
        {"{\"semantic_models\": [], \"metrics\": [{\"name\": \"x\", \"type\": \"gauge\", \"type_params\": {}}]}",
         "metrics[0].type: metric 'x': unknown or missing type"},
        {"{\"semantic_models\": [], \"metrics\": [{\"name\": \"x\", \"type\": \"cumulative\", \"type_params\":"
         " {\"cumulative_type_params\": {\"metric\": {\"name\": \"nope\"}}}}]}",
         "metrics[0].type_params.cumulative_type_params.metric: names metric 'nope', which metrics does not define"},
        {"{\"semantic_models\": [], \"saved_queries\": [{\"name\": \"q\", \"query_params\": {\"metrics\": [], \"limit\": 0}}]}",
         "saved_queries[0].query_params.metrics: is missing (saved query 'q')"},
        {"{\"semantic_models\": [], \"project_configuration\": {\"time_spines\": [{\"node_relation\": {\"alias\": \"t\","
         " \"schema_name\": \"s\"}, \"primary_column\": {\"name\": \"d\", \"time_granularity\": \"fortnight\"}}]}}",
         "project_configuration.time_spines[0].primary_column.time_granularity: unknown granularity 'fortnight'"},
        {"{\"semantic_models\": [" MODEL "], \"metrics\": [{\"name\": \"n\", \"type\": \"simple\", \"type_params\":"
         " {\"metric_aggregation_params\": {\"semantic_model\": \"ev\", \"agg\": \"sum\"}}}]}",
         "metrics[0].type_params.metric_aggregation_params: aggregates otherwise than measure 'n' of semantic model 'ev'"},
        {"{\"semantic_models\": [], \"metrics\": [], \"semantic_models\": []}", "duplicate object key"},
        {"{\"semantic_models\": [], \"project_configuration\": {\"time_spine_table_configurations\": [{\"location\":"
         " \"a.b.c.d\", \"column_name\": \"d\", \"grain\": \"day\"}]}}",
         "time_spine_table_configurations[0].location: must be schema.table or database.schema.table, not 'a.b.c.d'"},
        {"{\"semantic_models\": [], \"project_configuration\": {\"time_spine_table_configurations\": [{\"location\":"
         " \"s.\\\"t\", \"column_name\": \"d\", \"grain\": \"day\"}]}}",
         "time_spine_table_configurations[0].location: must be schema.table"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char *path = write_temp(cases[i].json);
        dp_error err = {0};
        dp_kg *kg = load_manifest(path, &err);
        if (kg || !strstr(err.message, cases[i].want) || !strstr(err.message, path)) {
            print_error("case %zu: got '%s', want '%s'\n", i, kg ? "(loaded)" : err.message, cases[i].want);
            fail();
        }
        assert_int_equal(err.code, DP_EINVALID);
        unlink(path);
        free(path);
    }
}

/* A list longer than the cap is refused before it is walked. */
static void lists_are_capped(void **state)
{
    (void)state;
    size_t n = 100001, len = 40 + n * 3;
    char *text = malloc(len);
    assert_non_null(text);
    size_t off = (size_t)snprintf(text, len, "{\"semantic_models\": [");
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(text + off, len - off, "%s0", i ? "," : "");
    snprintf(text + off, len - off, "]}");
    char *path = write_temp(text);
    free(text);
    dp_error err = {0};
    assert_null(load_manifest(path, &err));
    assert_non_null(strstr(err.message, "semantic_models: has 100001 items, more than the 100000 dpgen reads"));
    unlink(path);
    free(path);
    dp_kg *kg = kg_new();
    assert_int_equal(dp_semantic_manifest_load(kg, "/nonexistent/semantic_manifest.json", &err), DP_ENOTFOUND);
    kg_free(kg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_graph_as_yaml),
        cmocka_unit_test(issue11_fields),
        cmocka_unit_test(newer_forms),
        cmocka_unit_test(errors_name_the_path),
        cmocka_unit_test(lists_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

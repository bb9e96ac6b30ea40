/* Unit tests of dbt saved queries and SCD type 2 models: what the loader
 * keeps (validity_params, query_params, exports), what it refuses with
 * file:line, and the intent a saved query becomes (dp_intent_from_saved). */
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
#include "doc/node.h"
#include "intent/intent.h"

static const char *base =
    "semantic_models:\n"
    "  - name: hist\n"
    "    model: ref('hist')\n"
    "    entities: [{name: acct, type: natural, expr: acct_id}]\n"
    "    dimensions:\n"
    "      - {name: level, type: categorical}\n"
    "      - name: since\n"
    "        type: time\n"
    "        expr: valid_from\n"
    "        type_params: {time_granularity: day, validity_params: {is_start: true}}\n"
    "      - name: until\n"
    "        type: time\n"
    "        expr: valid_to\n"
    "        type_params: {time_granularity: day, validity_params: {is_end: true}}\n"
    "  - name: facts\n"
    "    model: ref('facts')\n"
    "    defaults: {agg_time_dimension: at}\n"
    "    entities: [{name: row_id, type: primary}, {name: acct, type: foreign, expr: acct_id}]\n"
    "    dimensions: [{name: at, type: time, type_params: {time_granularity: day}}]\n"
    "    measures:\n"
    "      - {name: n_rows, agg: count, expr: row_id, create_metric: true}\n"
    "      - {name: hidden_total, agg: sum, expr: x}\n"
    "metrics:\n"
    "  - {name: rows_m, type: simple, type_params: {measure: n_rows}}\n";

typedef struct fx {
    dp_arena *a;
    dp_kg kg;
    dp_error err;
} fx;

/* Loads base followed by extra into f; returns the loader's code. */
static int load(fx *f, const char *extra)
{
    memset(f, 0, sizeof(*f));
    f->a = dp_arena_new(64 * 1024);
    f->kg.arena = f->a;
    const char *text = dp_arena_printf(f->a, "%s%s", base, extra);
    dp_node *doc = NULL;
    int rc = dp_yaml_parse(&doc, f->a, "sq.yml", text, strlen(text), &f->err);
    assert_int_equal(rc, 0);
    if ((rc = dp_dbt_load_doc(&f->kg, doc, &f->err)))
        return rc;
    return dp_dbt_check(&f->kg, &f->err);
}

static void validity_parsed(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(load(&f, ""), 0);
    const dp_model *h = dp_kg_model(&f.kg, "hist");
    const dp_dimension *st = NULL, *en = NULL;
    assert_int_equal(dp_kg_model_validity(h, &st, &en), 1);
    assert_string_equal(st->expr, "valid_from");
    assert_string_equal(en->expr, "valid_to");
    assert_int_equal(dp_kg_model_validity(dp_kg_model(&f.kg, "facts"), NULL, NULL), 0);
    /* create_metric: true is a simple metric of the measure's name */
    assert_non_null(dp_kg_metric(&f.kg, "n_rows"));
    assert_null(dp_kg_metric(&f.kg, "hidden_total"));
    dp_arena_free(f.a);
}

static const char *saved =
    "saved_queries:\n"
    "  - name: by_level\n"
    "    label: By level\n"
    "    query_params:\n"
    "      metrics: [rows_m, n_rows]\n"
    "      group_by: [\"TimeDimension('metric_time').grain('month')\", \"Dimension('acct__level')\", \"Entity('acct')\"]\n"
    "      where: \"{{ Dimension('acct__level') }} = 'a'\"\n"
    "      order_by: [\"Metric('rows_m').descending(True)\"]\n"
    "      limit: 10\n"
    "    exports:\n"
    "      - {name: e1, config: {export_as: view, schema: marts, alias: Level-Report}}\n";

static void saved_query_loaded(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(load(&f, saved), 0);
    assert_int_equal(f.kg.nsaved, 1);
    const dp_saved_query *q = &f.kg.saved[0];
    assert_string_equal(q->name, "by_level");
    assert_int_equal(q->nmetrics, 2);
    assert_int_equal(q->ngroup_by, 3);
    assert_int_equal(q->nwhere, 1); /* one text is a list of one */
    assert_int_equal(q->limit, 10);
    assert_int_equal(q->nexports, 1);
    assert_string_equal(q->export_as[0], "view");
    assert_string_equal(q->export_schema[0], "marts");
    assert_string_equal(q->export_alias[0], "Level-Report");
    assert_string_equal(q->pos.file, "sq.yml");

    dp_intent in;
    assert_int_equal(dp_intent_from_saved(&in, &f.kg, f.a, "by_level", "2025-07-16", &f.err), 0);
    assert_int_equal(in.nmetrics, 2);
    assert_int_equal(in.grain, DP_GRAIN_MONTH);
    assert_int_equal(in.ngroups, 2);
    assert_string_equal(in.groups[0].dim_models[0]->name, "hist"); /* through the natural entity */
    assert_true(in.groups[1].is_entity);
    assert_int_equal(in.nwhere, 1);
    assert_ptr_equal(in.order_metric, dp_kg_metric(&f.kg, "rows_m"));
    assert_int_equal(in.order_desc, 1);
    assert_int_equal(in.limit, 10);
    assert_string_equal(in.as_of, "2025-07-16");
    /* another dataset's time dimension at its own granularity: its value */
    fx g;
    assert_int_equal(load(&g, "saved_queries:\n  - name: t\n    query_params: {metrics: [rows_m], group_by: "
                              "[\"TimeDimension('acct__since', 'day')\"]}\n"), 0);
    assert_int_equal(dp_intent_from_saved(&in, &g.kg, g.a, "t", NULL, &g.err), 0);
    assert_int_equal(in.ngroups, 1);
    assert_string_equal(in.groups[0].dims[0]->name, "since");
    assert_int_equal(in.grain, DP_GRAIN_NONE);
    dp_arena_free(g.a);
    assert_int_equal(dp_intent_from_saved(&in, &f.kg, f.a, "by_level", "2025-07-16", &f.err), 0);
    const char *name, *table;
    dp_intent_saved_product(q, f.a, &name, &table);
    assert_string_equal(name, "level_report");
    assert_string_equal(table, "marts.level_report");

    /* a name the catalog lacks: not found, with the close names */
    assert_int_equal(dp_intent_from_saved(&in, &f.kg, f.a, "by_levle", NULL, &f.err), DP_ENOTFOUND);
    assert_non_null(strstr(f.err.message, "by_level"));
    dp_arena_free(f.a);
}

/* Each refused form says why, with the saved query's file:line. */
static void saved_query_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *says;
        int rc;
    } cases[] = {
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [hidden_total]}\n",
         "add create_metric: true to it", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [nothing]}\n", "no metric 'nothing'", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], group_by: [\"TimeDimension('row_id__at', 'month')\"]}\n",
         "at its own granularity (day) only", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], group_by: [\"TimeDimension('acct__level', 'day')\"]}\n",
         "not a time dimension", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], group_by: [\"TimeDimension('metric_time', 'fortnight')\"]}\n",
         "not day, week", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], group_by: [\"Dimension('acct__colour')\"]}\n",
         "no dataset of entity 'acct'", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], limit: 5}\n", "needs an order_by", DP_ECLARIFY},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], group_by: [\"Dimension('metric_time').date_part('year')\"]}\n",
         "cannot read group_by", DP_ECLARIFY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        fx f;
        assert_int_equal(load(&f, cases[i].yaml), 0);
        dp_intent in;
        assert_int_equal(dp_intent_from_saved(&in, &f.kg, f.a, "s", NULL, &f.err), cases[i].rc);
        if (!strstr(f.err.message, cases[i].says) || !strstr(f.err.message, "sq.yml:"))
            fail_msg("case %zu: '%s' does not say '%s' with file:line", i, f.err.message, cases[i].says);
        dp_arena_free(f.a);
    }
}

/* What the loader refuses, with file:line. */
static void saved_query_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *says;
    } cases[] = {
        {"saved_queries:\n  - name: s\n    query_params: {metrics: []}\n", "at least one metric"},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m]}\n    exports: [{name: e, config: {export_as: csv}}]\n",
         "export_as is table or view"},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m]}\n  - name: s\n    query_params: {metrics: [rows_m]}\n",
         "also defined at"},
        {"saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m], limit: -3}\n", "positive whole number"},
        {"saved_queries:\n  - name: s\n", "needs query_params"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        fx f;
        assert_int_equal(load(&f, cases[i].yaml), DP_EINVALID);
        if (!strstr(f.err.message, cases[i].says) || !strstr(f.err.message, "sq.yml:"))
            fail_msg("case %zu: '%s' does not say '%s' with file:line", i, f.err.message, cases[i].says);
        dp_arena_free(f.a);
    }
}

/* Files load side by side, each into its own part, merged in file order:
 * elements keep the files' order, and a saved query named in two files is
 * refused with both places, whichever file was read first. */
static void files_merged_in_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp_saved_files_XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *texts[] = {
        base,
        "semantic_models:\n  - name: more_a\n    model: ref('more_a')\n    entities: [{name: a_id, type: primary}]\n",
        "saved_queries:\n  - name: s\n    query_params: {metrics: [rows_m]}\n",
        "semantic_models:\n  - name: more_b\n    model: ref('more_b')\n    entities: [{name: b_id, type: primary}]\n"
        "metrics:\n  - {name: rows_b, type: simple, type_params: {measure: n_rows}}\n",
        "saved_queries:\n  - name: s\n    query_params: {metrics: [rows_b]}\n",
    };
    enum { NF = sizeof(texts) / sizeof(*texts) };
    char paths[NF][128];
    const char *files[NF];
    for (size_t i = 0; i < NF; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/f%zu.yml", dir, i);
        FILE *fp = fopen(paths[i], "w");
        assert_non_null(fp);
        fputs(texts[i], fp);
        fclose(fp);
        files[i] = paths[i];
    }
    for (int round = 0; round < 3; round++) {
        fx f;
        memset(&f, 0, sizeof(f));
        f.a = dp_arena_new(64 * 1024);
        f.kg.arena = f.a;
        /* without the last file: loaded, in order */
        assert_int_equal(dp_dbt_load_files(&f.kg, files, NF - 1, NULL, dir, &f.err), 0);
        assert_int_equal(f.kg.nmodels, 4);
        assert_string_equal(f.kg.models[0].name, "hist");
        assert_string_equal(f.kg.models[2].name, "more_a");
        assert_string_equal(f.kg.models[3].name, "more_b");
        assert_int_equal(f.kg.nsaved, 1);
        assert_non_null(dp_kg_metric(&f.kg, "rows_b"));
        dp_arena_free(f.a);
        /* with it: the second s is refused, naming the first */
        memset(&f, 0, sizeof(f));
        f.a = dp_arena_new(64 * 1024);
        f.kg.arena = f.a;
        assert_int_equal(dp_dbt_load_files(&f.kg, files, NF, NULL, dir, &f.err), DP_EINVALID);
        if (!strstr(f.err.message, "f4.yml:2:") || !strstr(f.err.message, "saved query 's' is also defined at") ||
            !strstr(f.err.message, "f2.yml:2"))
            fail_msg("%s", f.err.message);
        dp_arena_free(f.a);
    }
    for (size_t i = 0; i < NF; i++)
        unlink(paths[i]);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validity_parsed),       cmocka_unit_test(saved_query_loaded),
        cmocka_unit_test(saved_query_refusals),  cmocka_unit_test(saved_query_load_errors),
        cmocka_unit_test(files_merged_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

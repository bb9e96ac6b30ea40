/* Explicit arithmetic over catalog metrics (issue 10, item 11): "X divided
 * by Y", "X per Y" when Y is a metric and no grouping, "ratio of X to Y", "X
 * as a share of Y" and "NAME, which is X divided by Y" become a ratio metric
 * the request defines, over the demo, HR and logistics catalogs; a catalog
 * metric that already means the phrase and "per <entity>" keep their reading;
 * an operand the catalog lacks is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dpgen/dpgen.h"

typedef struct acase {
    const char *catalog;  /* demo, hr, logistics */
    const char *request;
    int clarify;          /* 1: must be refused */
    const char *metrics;  /* comma list, in order */
    const char *defined;  /* "name=numerator/denominator" of the defined metric, or NULL: none */
    const char *label;    /* its label */
    const char *groups;   /* comma list (entity, else first dimension candidate), or NULL: not checked */
    const char *missing;  /* for a refusal: a phrase not_found must name */
} acase;

static const acase cases[] = {
    /* named in the request, then defined */
    {"demo", "average basket, which is revenue divided by the number of orders, by month", 0, "average_basket",
     "average_basket=revenue/order_count", "average basket", "", NULL},
    {"demo", "monthly average basket (revenue / orders)", 0, "average_basket", "average_basket=revenue/order_count",
     "average basket", "", NULL},
    {"hr", "absence ratio, defined as absence days divided by headcount, by department", 0, "absence_ratio",
     "absence_ratio=absence_days/headcount", "absence ratio", "department", NULL},
    {"demo", "basket size = units sold / orders, by month", 0, "basket_size", "basket_size=units_sold/order_count",
     "basket size", "", NULL},
    {"demo", "basket size: units sold divided by orders, by month", 0, "basket_size",
     "basket_size=units_sold/order_count", "basket size", "", NULL},
    {"demo", "monthly basket size, i.e. units sold divided by orders", 0, "basket_size",
     "basket_size=units_sold/order_count", "basket size", "", NULL},
    {"demo", "show me the basket size (units sold / number of orders) per month", 0, "basket_size",
     "basket_size=units_sold/order_count", "basket size", "", NULL},
    /* "per Y" where Y is a metric and no grouping */
    {"demo", "spend per buyer by month", 0, "spend_per_buyer", "spend_per_buyer=spend/buyers", "spend per buyer", "",
     NULL},
    {"hr", "payroll cost per hire by department", 0, "payroll_cost_per_hire", "payroll_cost_per_hire=payroll_cost/hires",
     "payroll cost per hire", "department", NULL},
    /* explicit operators */
    {"demo", "spend divided by clicks by campaign", 0, "spend_divided_by_clicks",
     "spend_divided_by_clicks=spend/clicks", "spend divided by clicks", "campaign", NULL},
    {"demo", "ratio of clicks to impressions by month", 0, "ratio_of_clicks_to_impressions",
     "ratio_of_clicks_to_impressions=clicks/impressions", "ratio of clicks to impressions", "", NULL},
    {"demo", "returned orders as a share of orders by month", 0, "returned_orders_as_a_share_of_orders",
     "returned_orders_as_a_share_of_orders=returned_orders/order_count", "returned orders as a share of orders", "",
     NULL},
    {"demo", "spend as a percentage of revenue by month", 0, "spend_as_a_percentage_of_revenue",
     "spend_as_a_percentage_of_revenue=spend/revenue", "spend as a percentage of revenue", "", NULL},
    {"demo", "clicks and spend divided by clicks by campaign", 0, "clicks,spend_divided_by_clicks",
     "spend_divided_by_clicks=spend/clicks", "spend divided by clicks", "campaign", NULL},
    {"hr", "sick days as a share of absence days by division", 0, "sick_days_as_a_share_of_absence_days",
     "sick_days_as_a_share_of_absence_days=sick_days/absence_days", "sick days as a share of absence days",
     "departments.division", NULL},
    {"logistics", "late shipments as a share of shipments by carrier", 0, "late_shipments_as_a_share_of_shipments",
     "late_shipments_as_a_share_of_shipments=late_shipments/shipment_count", "late shipments as a share of shipments",
     "carrier", NULL},
    {"logistics", "shipping cost divided by lost shipments by carrier", 0, "shipping_cost_divided_by_lost_shipments",
     "shipping_cost_divided_by_lost_shipments=shipping_cost/lost_shipments", "shipping cost divided by lost shipments",
     "carrier", NULL},
    /* a catalog metric that means the phrase wins */
    {"demo", "revenue per buyer by month", 0, "revenue_per_buyer", NULL, NULL, "", NULL},
    {"logistics", "cost per shipment by carrier", 0, "cost_per_shipment", NULL, NULL, "carrier", NULL},
    /* "per <entity>" is a grouping, even when a count metric of it exists */
    {"demo", "clicks per campaign", 0, "clicks", NULL, NULL, "campaign", NULL},
    {"logistics", "shipping cost per carrier", 0, "shipping_cost", NULL, NULL, "carrier", NULL},
    {"demo", "spend as % of revenue by month", 0, "spend_as_percent_of_revenue",
     "spend_as_percent_of_revenue=spend/revenue", "spend as % of revenue", "", NULL},
    /* "average" before a ratio the request spells out: the ratio is the average */
    {"demo", "average spend per buyer by month", 0, "average_spend_per_buyer",
     "average_spend_per_buyer=spend/buyers", "average spend per buyer", "", NULL},
    /* the name is the user's, even with a catalog word in it; a catalog
     * metric of another definition is not it */
    {"demo", "conversion rate, which is conversions divided by impressions, by channel", 0, "conversion_rate",
     "conversion_rate=conversions/impressions", "conversion rate", "marketing_campaigns.channel", NULL},
    /* a name that is a catalog ratio of that very definition: the catalog's */
    {"demo", "ctr, which is clicks divided by impressions, by month", 0, "ctr", NULL, NULL, "", NULL},
    /* a slash outside a definition lists metrics */
    {"demo", "CPA/ROAS by channel", 0, "cpa,roas", NULL, NULL, "marketing_campaigns.channel", NULL},
    /* two definitions in one request; a filter beside one stays a filter */
    {"demo", "spend per buyer and revenue divided by clicks by month", 0, "spend_per_buyer,revenue_divided_by_clicks",
     "spend_per_buyer=spend/buyers", "spend per buyer", "", NULL},
    {"logistics", "the shipping cost to shipped weight ratio by carrier", 0, "shipping_cost_to_shipped_weight_ratio",
     "shipping_cost_to_shipped_weight_ratio=shipping_cost/total_weight_kg", "shipping cost to shipped weight ratio",
     "carrier", NULL},
    /* "per <entity>" on HR: a grouping */
    {"hr", "overtime hours per employee", 0, "overtime_hours", NULL, NULL, "employee", NULL},
    /* an operand the catalog lacks is refused, naming it */
    {"demo", "refunds as a share of revenue by month", 1, NULL, NULL, NULL, NULL, "refunds"},
    {"demo", "divided by clicks", 1, NULL, NULL, NULL, NULL, "divided by"},
    /* a rate "per" a count: neither a ratio to vouch for nor two metrics */
    {"demo", "average order value per buyer by month", 1, NULL, NULL, NULL, NULL, "average order value per buyer"},
    {"demo", "revenue divided by widgets by month", 1, NULL, NULL, NULL, NULL, "widgets"},
    {"logistics", "ratio of late shipments to gadget returns", 1, NULL, NULL, NULL, NULL, "gadget returns"},
    {"hr", "gizmos as a share of headcount", 1, NULL, NULL, NULL, NULL, "gizmos"},
};

typedef struct world {
    char dir[64];
    dp_catalog *cat[3];
} world;

static const char *names[] = {"demo", "hr", "logistics"};

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    const char *src = getenv("DP_SOURCE_DIR") ? getenv("DP_SOURCE_DIR") : DP_SOURCE_DIR;
    snprintf(w->dir, sizeof(w->dir), "/tmp/dpgen-arith-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    for (int i = 0; i < 3; i++) {
        char sql[1024], db[256], models[1024], gloss[1024];
        dp_error err = {0};
        if (i == 0) {
            snprintf(sql, sizeof(sql), "%s/catalog/demo/generate.sql", src);
            snprintf(models, sizeof(models), "%s/catalog/demo/semantic_models.yml", src);
            snprintf(gloss, sizeof(gloss), "%s/catalog/demo/glossary.yml", src);
        } else {
            snprintf(sql, sizeof(sql), "%s/tests/data/%s/data.sql", src, names[i]);
            snprintf(models, sizeof(models), "%s/tests/data/%s/semantic_models.yml", src, names[i]);
            snprintf(gloss, sizeof(gloss), "%s/tests/data/%s/glossary.yml", src, names[i]);
        }
        snprintf(db, sizeof(db), "%s/%s.duckdb", w->dir, names[i]);
        if (dp_db_build(db, sql, i == 0 ? 0.02 : 1.0, &err)) {
            fprintf(stderr, "build %s: %s\n", names[i], err.message);
            return -1;
        }
        dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
        co.db_path = db;
        co.models_path = models;
        co.glossary_path = gloss;
        co.no_state = 1;
        if (dp_catalog_open(&w->cat[i], &co, &err)) {
            fprintf(stderr, "open %s: %s\n", names[i], err.message);
            return -1;
        }
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[128];
    for (int i = 0; i < 3; i++)
        dp_catalog_free(w->cat[i]);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", w->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", w->dir);
    free(w);
    return 0;
}

static int cat_index(const char *name)
{
    return !strcmp(name, "demo") ? 0 : !strcmp(name, "hr") ? 1 : 2;
}

static void one(world *w, const acase *c)
{
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    go.as_of = "2025-07-15";
    go.record = 0;
    dp_result *res = NULL;
    dp_error err = {0};
    int rc = dp_generate(&res, w->cat[cat_index(c->catalog)], c->request, &go, &err);
    json_t *in = json_loads(dp_result_intent_json(res), 0, NULL);
    char got[1024];
    size_t i, off = 0;
    json_t *v;
    if (c->clarify) {
        if (rc != DP_ECLARIFY)
            fail_msg("%s: expected a refusal, got rc %d", c->request, rc);
        int named = 0;
        json_array_foreach(json_object_get(in, "not_found"), i, v) named |=
            !strcmp(json_string_value(json_object_get(v, "phrase")), c->missing);
        if (!named)
            fail_msg("%s: the refusal does not name '%s': %s", c->request, c->missing, err.message);
        goto done;
    }
    if (rc)
        fail_msg("%s: rc %d: %s", c->request, rc, err.message);
    got[0] = 0;
    json_array_foreach(json_object_get(in, "metrics"), i, v) off +=
        (size_t)snprintf(got + off, sizeof(got) - off, "%s%s", i ? "," : "", json_string_value(v));
    if (strcmp(got, c->metrics))
        fail_msg("%s: metrics %s, want %s", c->request, got, c->metrics);
    json_t *defs = json_object_get(in, "defined_metrics");
    if (!c->defined) {
        if (json_array_size(defs))
            fail_msg("%s: defined a metric, want the catalog's reading", c->request);
    } else {
        json_t *d = json_array_get(defs, 0);
        if (!d) /* the first of them; the metrics list says how many */
            fail_msg("%s: no defined metric", c->request);
        snprintf(got, sizeof(got), "%s=%s/%s", json_string_value(json_object_get(d, "name")),
                 json_string_value(json_object_get(d, "numerator")), json_string_value(json_object_get(d, "denominator")));
        if (strcmp(got, c->defined))
            fail_msg("%s: defined %s, want %s", c->request, got, c->defined);
        const char *label = json_string_value(json_object_get(d, "label"));
        if (!label || strcmp(label, c->label))
            fail_msg("%s: label '%s', want '%s'", c->request, label ? label : "", c->label);
        /* "as a share/percentage of" is a fraction, and says so */
        const char *desc = json_string_value(json_object_get(d, "description"));
        int share = strstr(c->request, " share of ") || strstr(c->request, " percentage of ");
        if (!desc || (share && !strstr(desc, "fraction")) || !strstr(desc, "NULL when"))
            fail_msg("%s: description '%s'", c->request, desc ? desc : "");
        /* the words of the definition are placed, none left over */
        if (json_array_size(json_object_get(in, "unplaced_words")))
            fail_msg("%s: unplaced words left", c->request);
        if (json_array_size(json_object_get(in, "filters")))
            fail_msg("%s: an operand was read as a filter", c->request);
    }
    if (c->groups) {
        json_t *g;
        off = 0;
        got[0] = 0;
        json_array_foreach(json_object_get(in, "dimensions"), i, g) {
            json_t *cand = json_object_get(g, "dimension_candidates");
            off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s", i ? "," : "",
                                    cand ? json_string_value(json_array_get(cand, 0))
                                         : json_string_value(json_object_get(g, "entity")));
        }
        if (strcmp(got, c->groups))
            fail_msg("%s: groups %s, want %s", c->request, got, c->groups);
    }
done:
    json_decref(in);
    dp_result_free(res);
}

static void arith_table(void **state)
{
    world *w = *state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        one(w, &cases[i]);
}

/* Ranked by a defined metric: "top 5 campaigns by spend divided by
 * clicks" ranks by the ratio, not by one of its sides. */
static void arith_ranking(void **state)
{
    world *w = *state;
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    go.as_of = "2025-07-15";
    go.record = 0;
    dp_result *res = NULL;
    dp_error err = {0};
    int rc = dp_generate(&res, w->cat[0], "top 5 campaigns by spend divided by clicks", &go, &err);
    if (rc)
        fail_msg("rc %d: %s", rc, err.message);
    json_t *in = json_loads(dp_result_intent_json(res), 0, NULL);
    json_t *o = json_object_get(in, "order");
    assert_string_equal(json_string_value(json_object_get(o, "metric")), "spend_divided_by_clicks");
    assert_int_equal(json_integer_value(json_object_get(o, "limit")), 5);
    json_decref(in);
    dp_result_free(res);
}

/* The whole pipeline with a defined metric: the spec says where it was
 * defined (the request), a decision says so, the SQL divides after
 * aggregation with NULLIF, and the spec validates against its schema. */
static void arith_spec(void **state)
{
    world *w = *state;
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.as_of = "2025-07-15";
    go.record = 0;
    dp_result *res = NULL;
    dp_error err = {0};
    int rc = dp_generate(&res, w->cat[0], "spend per buyer by month", &go, &err);
    if (rc)
        fail_msg("rc %d: %s", rc, err.message);
    json_t *spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
    assert_non_null(spec);
    json_t *m = json_array_get(json_object_get(json_object_get(spec, "business_context"), "metrics"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "name")), "spend_per_buyer");
    assert_string_equal(json_string_value(json_object_get(m, "defined_in")), "request");
    assert_string_equal(json_string_value(json_object_get(m, "type")), "ratio");
    const char *sql = json_string_value(json_object_get(json_object_get(spec, "transformation"), "sql"));
    assert_non_null(strstr(sql, "NULLIF("));
    char *all = json_dumps(spec, JSON_COMPACT);
    assert_non_null(strstr(all, "defined in the request"));
    free(all);
    json_decref(spec);
    dp_result_free(res);

    /* a share the request defines is a fraction, but no part of a whole the
     * catalog vouches for: no [0, 1] rule that fails where the numerator is
     * larger (spend against revenue) */
    res = NULL;
    rc = dp_generate(&res, w->cat[0], "spend as a percentage of revenue by month", &go, &err);
    if (rc)
        fail_msg("rc %d: %s", rc, err.message);
    spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, r)
        if (!strcmp(json_string_value(json_object_get(r, "type")), "range"))
            fail_msg("range rule on a defined share: %s", json_string_value(json_object_get(r, "description")));
    json_decref(spec);
    dp_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(arith_table), cmocka_unit_test(arith_ranking),
                                       cmocka_unit_test(arith_spec)};
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* Table-driven intent tests over three catalogs the code knows nothing of
 * (the demo's marketing/commerce/support world, HR, logistics): request ->
 * structured intent, including typos, casing, framing, countries, ranges,
 * ranking and requests that must be refused (clarify). */
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

typedef struct icase {
    const char *catalog; /* demo, hr, logistics */
    const char *request;
    int clarify;         /* 1: must be refused */
    const char *metrics; /* comma list, in order */
    const char *groups;  /* comma list: entity names or dimension names (model.dim) */
    const char *grain;   /* NULL: none */
    const char *range;   /* "start..end" or NULL */
    const char *filters; /* "model.dim=v1|v2;..." first candidate ("!=": excluded), or NULL */
    const char *order;   /* "metric desc 5" or NULL */
} icase;

static const icase cases[] = {
    /* demo: marketing */
    {"demo", "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.", 0,
     "ctr,cvr,cpa,roas", "campaign", "week", NULL, NULL, NULL},
    {"demo", "show me clcks and impresions by device", 0, "clicks,impressions", "marketing_events.device", NULL, NULL,
     NULL, NULL},
    {"demo", "I need a view of CTR split by channel", 0, "ctr", "marketing_campaigns.channel", NULL, NULL, NULL, NULL},
    {"demo", "which 3 campaigns had the lowest ROAS", 0, "roas", "campaign", NULL, NULL, NULL, "roas asc 3"},
    {"demo", "WEEKLY ROAS IN THE FIRST HALF OF 2025 FOR SEARCH AND SOCIAL CAMPAIGNS", 0, "roas",
     "marketing_campaigns.channel", "week", "2025-01-01..2025-07-01", "marketing_campaigns.channel=search|social",
     NULL},
    {"demo", "How much did we spend on mobile since April?", 0, "spend", "", NULL, "2025-04-01..2025-07-16",
     "marketing_events.device=mobile", NULL},
    {"demo", "ad spend by country last 12 weeks", 0, "spend", "marketing_events.country", NULL,
     "2025-04-21..2025-07-14", NULL, NULL},
    {"demo", "Monthly customer lifetime value by campaign", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    /* demo: commerce and support */
    /* "customers" says whose country: the customers' */
    {"demo", "French customers revenue by month", 0, "revenue", "", "month", NULL, "customers.country=FR", NULL},
    {"demo", "Average order value for enterprise customers by quarter", 0, "average_order_value", "", "quarter", NULL,
     "customers.segment=enterprise", NULL},
    {"demo", "GMV per category year to date", 0, "revenue", "products.category", NULL, "2025-01-01..2025-07-16", NULL,
     NULL},
    {"demo", "which 5 products sold the most units", 0, "units_sold", "product", NULL, NULL, NULL, "units_sold desc 5"},
    {"demo", "bottom 10 products by units sold", 0, "units_sold", "product", NULL, NULL, NULL, "units_sold asc 10"},
    {"demo", "top 5 days by revenue", 0, "revenue", "", "day", NULL, NULL, "revenue desc 5"},
    /* "of the customer" says whose country: no second grouping */
    {"demo", "revenue by country of the customer", 0, "revenue", "customers.country", NULL, NULL, NULL, NULL},
    /* a rate is an average already */
    {"demo", "average CTR by campaign", 0, "ctr", "campaign", NULL, NULL, NULL, NULL},
    /* who the report is for is no filter */
    {"demo", "monthly revenue for the board", 0, "revenue", "", "month", NULL, NULL, NULL},
    {"demo", "views and purchases per product", 0, "product_views,purchases", "product", NULL, NULL, NULL, NULL},
    {"demo", "billing tickets per week", 0, "tickets", "", "week", NULL, "support_tickets.category=billing", NULL},
    {"demo", "Monthly inventory turnover by warehouse", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    /* whether a column holds a value: a column after "without", "with no",
     * "with a"; a value after "without" stays an exclusion */
    {"demo", "clicks of campaigns without an end date", 0, "clicks", "", NULL, NULL,
     "marketing_campaigns.end_date is null", NULL},
    {"demo", "weekly clicks for campaigns with no end date", 0, "clicks", "", "week", NULL,
     "marketing_campaigns.end_date is null", NULL},
    {"demo", "clicks of campaigns with an end date by channel", 0, "clicks", "marketing_campaigns.channel", NULL, NULL,
     "marketing_campaigns.end_date is not null", NULL},
    {"demo", "spend without mobile", 0, "spend", "", NULL, NULL, "marketing_events.device!=mobile", NULL},
    /* a column named before its value says what the word is: the value,
     * not the metric of the same word; "status" alone is placed */
    {"demo", "orders whose status is returned by month", 0, "order_count", "", "month", NULL, "orders.status=returned",
     NULL},
    {"demo", "tickets with status open by priority", 0, "tickets", "support_tickets.priority", NULL, NULL,
     "support_tickets.status=open", NULL},
    /* a verb linking a thing to a value ("living in", "placed through")
     * is grammar; negated, it is asked */
    {"demo", "revenue from customers living in France by month", 0, "revenue", "", "month", NULL,
     "customers.country=FR", NULL},
    {"demo", "revenue from customers not living in France", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    /* "customers affected by unplanned outages": a metric after a
     * participle's "by" is its filter when it has one; "ranked by" is no
     * agent */
    {"demo", "top 5 campaigns ranked by spend", 0, "spend", "campaign", NULL, NULL, NULL, "spend desc 5"},
    /* a share said in parts: the whole after "of", then what the part is;
     * "share of clicks" is no click-through rate (clicks are its part) */
    {"demo", "what share of clicks were on mobile", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"demo", "share of impressions that were clicked, by channel", 0, "ctr", "marketing_campaigns.channel", NULL, NULL,
     NULL, NULL},
    /* a thing named alone is counted by the one count named for it; a
     * thing counted several ways (new customers, buyers) is asked */
    {"demo", "campaigns by channel", 0, "campaign_count", "marketing_campaigns.channel", NULL, NULL, NULL, NULL},
    {"demo", "customers by region", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"demo", "search campaigns by region", 0, "campaign_count", "marketing_campaigns.region", NULL, NULL,
     "marketing_campaigns.channel=search", NULL},
    {"demo", "enterprise customers by region", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    /* negated filters */
    {"demo", "clicks by device except mobile", 0, "clicks", "marketing_events.device", NULL, NULL,
     "marketing_events.device!=mobile", NULL},
    {"demo", "spend outside the US by channel", 0, "spend", "marketing_campaigns.channel", NULL, NULL,
     "marketing_events.country!=US", NULL},
    /* hr */
    {"hr", "Monthly headcount by department", 0, "headcount", "department", "month", NULL, NULL, NULL},
    {"hr", "average salary per division", 0, "avg_salary", "departments.division", NULL, NULL, NULL, NULL},
    {"hr", "Total absence days by reason each quarter in 2025", 0, "absence_days", "absences.reason", "quarter",
     "2025-01-01..2026-01-01", NULL, NULL},
    {"hr", "Top 5 departments by overtime hours", 0, "overtime_hours", "department", NULL, NULL, NULL,
     "overtime_hours desc 5"},
    {"hr", "atrition rate by job level", 0, "attrition_rate", "employees.job_level", NULL, NULL, NULL, NULL},
    {"hr", "total salary by division", 0, "total_salary", "departments.division", NULL, NULL, NULL, NULL},
    {"hr", "Employee engagement survey score by manager", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    {"hr", "headcount by department excluding contractors", 0, "headcount", "department", NULL, NULL,
     "employees.employment_type!=contractor", NULL},
    /* the dimension names what the excluded values are of: one total, no
     * grouping (an average per location would not give the overall one) */
    {"hr", "headcount for locations other than London and Berlin", 0, "headcount", "", NULL, NULL,
     "employees.location!=London|Berlin", NULL},
    /* logistics */
    {"logistics", "Weekly on-time delivery rate by carrier", 0, "on_time_delivery_rate", "carrier", "week", NULL, NULL,
     NULL},
    {"logistics", "OTD and shipping cost per carrier type between March and May 2025", 0,
     "on_time_delivery_rate,shipping_cost", "carriers.carrier_type", NULL, "2025-03-01..2025-06-01", NULL, NULL},
    {"logistics", "which 3 carriers had the highest cost per shipment", 0, "cost_per_shipment", "carrier", NULL, NULL,
     NULL, "cost_per_shipment desc 3"},
    {"logistics", "Fuel consumption per truck by route", 1, NULL, NULL, NULL, NULL, NULL, NULL},
    /* an aggregation word the metric already is: "mean" for Average Delivery Days */
    {"logistics", "mean delivery days by carrier", 0, "avg_delivery_days", "carrier", NULL, NULL, NULL, NULL},
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
    snprintf(w->dir, sizeof(w->dir), "/tmp/dpgen-intent-XXXXXX");
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

/* "a,b" == JSON array of strings (in order) */
static int list_eq(json_t *arr, const char *want, char *got, size_t n)
{
    size_t i, off = 0;
    json_t *v;
    got[0] = 0;
    json_array_foreach(arr, i, v) off += (size_t)snprintf(got + off, n - off, "%s%s", i ? "," : "", json_string_value(v));
    return !strcmp(got, want);
}

static void one(world *w, const icase *c)
{
    int ci = !strcmp(c->catalog, "demo") ? 0 : !strcmp(c->catalog, "hr") ? 1 : 2;
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    go.as_of = "2025-07-15";
    go.record = 0;
    dp_result *res = NULL;
    dp_error err = {0};
    int rc = dp_generate(&res, w->cat[ci], c->request, &go, &err);
    json_t *in = json_loads(dp_result_intent_json(res), 0, NULL);
    char got[1024];
    if (c->clarify) {
        if (rc != DP_ECLARIFY)
            fail_msg("%s: expected a refusal, got rc %d", c->request, rc);
        assert_true(json_array_size(json_object_get(in, "not_found")) > 0);
        assert_true(strlen(err.message) > 10);
        goto done;
    }
    if (rc)
        fail_msg("%s: rc %d: %s", c->request, rc, err.message);
    if (!list_eq(json_object_get(in, "metrics"), c->metrics, got, sizeof(got)))
        fail_msg("%s: metrics %s, want %s", c->request, got, c->metrics);
    /* groups: entity, else first dimension candidate */
    json_t *gs = json_array(), *g;
    size_t i;
    json_array_foreach(json_object_get(in, "dimensions"), i, g) {
        json_t *cand = json_object_get(g, "dimension_candidates");
        json_array_append_new(gs, json_string(cand ? json_string_value(json_array_get(cand, 0))
                                                   : json_string_value(json_object_get(g, "entity"))));
    }
    if (!list_eq(gs, c->groups, got, sizeof(got)))
        fail_msg("%s: groups %s, want %s", c->request, got, c->groups);
    json_decref(gs);
    const char *grain = json_string_value(json_object_get(in, "time_grain"));
    if ((c->grain || grain) && (!c->grain || !grain || strcmp(c->grain, grain)))
        fail_msg("%s: grain %s, want %s", c->request, grain ? grain : "none", c->grain ? c->grain : "none");
    json_t *tr = json_object_get(in, "time_range");
    char range[64] = "";
    if (json_is_object(tr))
        snprintf(range, sizeof(range), "%s..%s", json_string_value(json_object_get(tr, "start")),
                 json_string_value(json_object_get(tr, "end")));
    if (strcmp(range, c->range ? c->range : ""))
        fail_msg("%s: range %s, want %s", c->request, range, c->range ? c->range : "none");
    char filters[512] = "";
    size_t off = 0;
    json_array_foreach(json_object_get(in, "filters"), i, g) {
        const char *op = json_string_value(json_object_get(g, "operator"));
        off += (size_t)snprintf(filters + off, sizeof(filters) - off, "%s%s%s", i ? ";" : "",
                                json_string_value(json_array_get(json_object_get(g, "dimension_candidates"), 0)),
                                !strcmp(op, "!=") || !strcmp(op, "not in") ? "!="
                                : !strcmp(op, "is null")                   ? " is null"
                                : !strcmp(op, "is not null")               ? " is not null"
                                                                           : "=");
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(g, "values"), k, v) off +=
            (size_t)snprintf(filters + off, sizeof(filters) - off, "%s%s", k ? "|" : "", json_string_value(v));
    }
    if (strcmp(filters, c->filters ? c->filters : ""))
        fail_msg("%s: filters %s, want %s", c->request, filters, c->filters ? c->filters : "none");
    json_t *o = json_object_get(in, "order");
    char order[128] = "";
    if (json_is_object(o))
        snprintf(order, sizeof(order), "%s %s %lld", json_string_value(json_object_get(o, "metric")),
                 json_string_value(json_object_get(o, "direction")), (long long)json_integer_value(json_object_get(o, "limit")));
    if (strcmp(order, c->order ? c->order : ""))
        fail_msg("%s: order '%s', want '%s'", c->request, order, c->order ? c->order : "");
    /* framing and typos never lower confidence below a useful level */
    assert_true(json_real_value(json_object_get(in, "confidence")) >= 0.75);
done:
    json_decref(in);
    dp_result_free(res);
}

static void intent_table(void **state)
{
    world *w = *state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        one(w, &cases[i]);
    printf("intent cases: %zu passed, 0 failed\n", sizeof(cases) / sizeof(*cases));
}

static void empty_and_huge(void **state)
{
    world *w = *state;
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    dp_result *res = NULL;
    dp_error err = {0};
    assert_int_equal(dp_generate(&res, w->cat[1], "   ", &go, &err), DP_EINVALID);
    dp_result_free(res);
    char *big = malloc(100001);
    memset(big, 'x', 100000);
    big[100000] = 0;
    assert_int_equal(dp_generate(&res, w->cat[1], big, &go, &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "limit"));
    dp_result_free(res);
    free(big);
}

/* The intent of request on catalog cat (as of 2025-07-15, not recorded):
 * dp_generate's code, err set on failure; *intent (if given) the intent JSON,
 * the caller's to free. */
static int ask(world *w, int cat, const char *request, dp_error *err, json_t **intent)
{
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    go.as_of = "2025-07-15";
    go.record = 0;
    dp_result *res = NULL;
    int rc = dp_generate(&res, w->cat[cat], request, &go, err);
    if (intent)
        *intent = json_loads(dp_result_intent_json(res), 0, NULL);
    dp_result_free(res);
    return rc;
}

/* Words asking for a calculation on top of a metric (share/calculations.tsv)
 * that no catalog phrase claims: refused, naming the metric the catalog would
 * need, never answered with the plain metric. */
static void calculation_words(void **state)
{
    world *w = *state;
    static const struct {
        int cat;
        const char *request, *kind, *phrase;
    } calc[] = {
        {0, "Monthly cumulative revenue", "cumulative metric", "cumulative revenue"},
        {0, "revenue growth rate by channel", "period-over-period metric", "revenue growth rate"},
        {0, "Share of revenue by country", "share-of-total metric", "Share of revenue"},
        {0, "Revenue year over year by month", "period-over-period metric", "Revenue year over year"},
        {0, "weekly rolling clicks by device", "rolling-window metric", "rolling clicks"},
        {1, "running total of payroll cost by month", "cumulative metric", "running total of payroll cost"},
        {1, "headcount change by department", "period-over-period metric", "headcount change"},
        {0, "average daily clicks by campaign", "average metric", "average daily clicks"},
        {0, "max spend by campaign", "maximum metric", "max spend"},
        {0, "median order value", "median metric", "median order"},
        {0, "median spend by device", "median metric", "median spend"}, /* not a typo of "media spend" */
        {2, "max delivery days by carrier", "maximum metric", "max delivery days"},
        {1, "distinct employees by location", "distinct-count metric", "distinct"},
    };
    for (size_t i = 0; i < sizeof(calc) / sizeof(*calc); i++) {
        dp_error err = {0};
        json_t *in = NULL;
        int rc = ask(w, calc[i].cat, calc[i].request, &err, &in);
        if (rc != DP_ECLARIFY)
            fail_msg("%s: expected a refusal, got rc %d", calc[i].request, rc);
        char want[200];
        snprintf(want, sizeof(want), "%s '%s'", calc[i].kind, calc[i].phrase);
        if (!strstr(err.message, want))
            fail_msg("%s: message '%s' lacks \"%s\"", calc[i].request, err.message, want);
        json_t *nf = json_array_get(json_object_get(in, "not_found"), 0);
        assert_string_equal(json_string_value(json_object_get(nf, "kind")), calc[i].kind);
        json_decref(in);
    }
    /* comparisons of amounts, two periods, single keys and a ranking over
     * several groupings with nothing named to rank are refused, not dropped;
     * bounds of ranking and time are not comparisons, "Customer 360" no key */
    static const struct {
        const char *request, *phrase; /* NULL: answered */
    } cmp[] = {
        /* a comparison on a one-row total, or with no metric to compare */
        {"campaigns with more than 1000 clicks", "this comparison of amounts ('more than 1000 clicks')"},
        {"campaigns with at least 1,000 clicks", "this comparison of amounts ('at least 1,000 clicks')"},
        {"clicks by campaign between 10 and 20", "this comparison of amounts ('between 10')"},
        {"top 5 by spend by country and channel", "ranking within each group or period ('top 5')"},
        {"top 3 countries by spend for each channel", NULL}, /* ranked within each channel */
        {"Top 5 campaigns by clicks per month", NULL},       /* within each month */
        {"spend this year compared to last year", "comparing periods ('last year')"},
        {"Customer 360 table: for each customer, orders and revenue", NULL},
        {"Build a customer 360 table with orders and revenue for each customer", NULL}, /* the name's number */
        {"which 3 campaigns had the least clicks", NULL},
        {"top 5 campaigns by clicks", NULL},
        {"spend over the last 3 months", NULL},
    };
    for (size_t i = 0; i < sizeof(cmp) / sizeof(*cmp); i++) {
        dp_error err = {0};
        int rc = ask(w, 0, cmp[i].request, &err, NULL);
        char want[200];
        snprintf(want, sizeof(want), "%s is not supported yet", cmp[i].phrase ? cmp[i].phrase : "");
        if (cmp[i].phrase && (rc != DP_ECLARIFY || !strstr(err.message, want)))
            fail_msg("%s: rc %d, message '%s'", cmp[i].request, rc, err.message);
        if (!cmp[i].phrase && rc)
            fail_msg("%s: rc %d: %s", cmp[i].request, rc, err.message);
    }
    /* "for campaign CMP-0007" (a key the data has): a filter on the entity's
     * key in its home dataset; "campaign" is then no metric (the count of
     * campaigns) */
    {
        dp_error err = {0};
        json_t *in = NULL;
        assert_int_equal(ask(w, 0, "clicks and conversions for campaign cmp-0007", &err, &in), 0);
        char got[256];
        if (!list_eq(json_object_get(in, "metrics"), "clicks,conversions", got, sizeof(got)))
            fail_msg("key filter: metrics %s", got);
        json_t *f0 = json_array_get(json_object_get(in, "filters"), 0);
        assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "dimension_candidates"), 0)),
                            "marketing_campaigns.campaign");
        assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "values"), 0)), "CMP-0007");
        json_decref(in);
    }
    /* campaign keys are CMP-nnnn: 42 is none, and the question back names
     * real ones instead of an empty report */
    {
        dp_error err = {0};
        assert_int_equal(ask(w, 0, "clicks and conversions for campaign 42", &err, NULL), DP_ECLARIFY);
        if (!strstr(err.message, "filter value 'campaign 42' (closest: CMP-0"))
            fail_msg("missing key: '%s'", err.message);
    }
    /* a number key the data has ("employee 5") stays a key filter */
    {
        dp_error err = {0};
        json_t *in = NULL;
        assert_int_equal(ask(w, 1, "monthly absence days of employee 5", &err, &in), 0);
        json_t *f0 = json_array_get(json_object_get(in, "filters"), 0);
        assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "dimension_candidates"), 0)),
                            "employees.employee");
        assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "values"), 0)), "5");
        json_decref(in);
    }
    /* a comparison per grouping is a condition on the report's rows */
    static const struct {
        const char *request, *metric, *op;
        double value;
    } cond[] = {
        {"spend above 500 by country", "spend", ">", 500},
        {"clicks > 1000 by campaign", "clicks", ">", 1000},
        {"clicks by campaign with at least 1,000 clicks", "clicks", ">=", 1000},
        {"CTR above 5% by campaign", "ctr", ">", 0.05},
        {"weekly spend below 2.5", "spend", "<", 2.5},
        {"clicks >= 2000 by campaign", "clicks", ">=", 2000}, /* no year 2000 */
    };
    for (size_t i = 0; i < sizeof(cond) / sizeof(*cond); i++) {
        dp_error err = {0};
        json_t *in = NULL;
        int rc = ask(w, 0, cond[i].request, &err, &in);
        if (rc)
            fail_msg("%s: rc %d: %s", cond[i].request, rc, err.message);
        json_t *c0 = json_array_get(json_object_get(in, "conditions"), 0);
        if (!c0 || strcmp(json_string_value(json_object_get(c0, "metric")), cond[i].metric) ||
            strcmp(json_string_value(json_object_get(c0, "operator")), cond[i].op) ||
            json_real_value(json_object_get(c0, "value")) != cond[i].value || json_is_object(json_object_get(in, "time_range")))
            fail_msg("%s: conditions %s", cond[i].request, json_dumps(json_object_get(in, "conditions"), 0));
        json_decref(in);
    }
    /* the same words claimed by the catalog's own phrase are no calculation:
     * HR's "Average Salary" is a metric of its own */
    dp_error err = {0};
    assert_int_equal(ask(w, 1, "monthly average salary", &err, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intent_table),
        cmocka_unit_test(calculation_words),
        cmocka_unit_test(empty_and_huge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

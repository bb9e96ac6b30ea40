/* Clarification as a result and learning from the answer, on a small demo:
 *   - a refused request gives dp_result_clarification_json, valid against
 *     definitions/clarification_result of schemas/dpgen-spec-1.0.json, with
 *     the unplaced phrase, its role and its candidates;
 *   - a --choose answer reads the phrase as the chosen object and, recorded,
 *     answers the next request; forget undoes it; a bad name is refused
 *     with close names;
 *   - a learned phrase wins over the catalog's phrase of the same words;
 *   - two catalogs sharing one state see neither each other's learned
 *     phrases nor each other's popularity;
 *   - a state.db of the previous schema opens, migrates and keeps its rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "doc/jsonschema.h"
#include "util/error.h"
#include "testutil.h"

#define REFUSED "weekly zorblax by campaign"

typedef struct fixture {
    char tmp[256], db_a[512], db_b[512], state[512];
    dp_catalog *a, *b; /* same models, two databases, one state */
    dp_jsonschema *schema;
} fixture;

static fixture F;

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (!rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out))
        rc = -1;
    return rc;
}

static int open_cat(dp_catalog **out, const char *db)
{
    char models[1024], gloss[1024];
    snprintf(models, sizeof(models), "%s/catalog/demo/semantic_models.yml", tu_source_dir());
    snprintf(gloss, sizeof(gloss), "%s/catalog/demo/glossary.yml", tu_source_dir());
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.glossary_path = gloss;
    co.state_dir = F.state;
    dp_error err = {0};
    if (dp_catalog_open(out, &co, &err)) {
        fprintf(stderr, "catalog: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* The spec schema with its root pointing at the clarification document. */
static dp_jsonschema *clarification_schema(void)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/schemas/dpgen-spec-1.0.json", tu_source_dir());
    json_error_t je;
    json_t *s = json_load_file(path, 0, &je);
    if (!s)
        return NULL;
    json_object_del(s, "required");
    json_object_del(s, "properties");
    json_object_del(s, "additionalProperties");
    json_object_set_new(s, "type", json_string("object"));
    json_object_set_new(s, "allOf", json_pack("[{s:s}]", "$ref", "#/definitions/clarification_result"));
    dp_jsonschema *out = NULL;
    dp_error err = {0};
    if (dp_jsonschema_new(&out, s, &err))
        fprintf(stderr, "schema: %s\n", err.message);
    json_decref(s);
    return out;
}

static int setup(void **state)
{
    (void)state;
    snprintf(F.tmp, sizeof(F.tmp), "/tmp/dpgen_clarify_XXXXXX");
    if (!mkdtemp(F.tmp))
        return -1;
    snprintf(F.db_a, sizeof(F.db_a), "%s/a.duckdb", F.tmp);
    snprintf(F.db_b, sizeof(F.db_b), "%s/b.duckdb", F.tmp);
    snprintf(F.state, sizeof(F.state), "%s/state", F.tmp);
    dp_error err = {0};
    if (dp_demo_build(F.db_a, 0.05, &err) || copy_file(F.db_a, F.db_b)) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    if (open_cat(&F.a, F.db_a) || open_cat(&F.b, F.db_b))
        return -1;
    F.schema = clarification_schema();
    return F.schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dp_catalog_free(F.a);
    dp_catalog_free(F.b);
    dp_jsonschema_free(F.schema);
    if (F.tmp[0])
        tu_rm_tree(F.tmp);
    return 0;
}

/* Runs request on cat (intent only unless full), with choices. */
static int run(dp_catalog *cat, const char *request, const char *const *choose, size_t nchoose, int full,
               dp_result **out, dp_error *err)
{
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.as_of = "2025-07-16";
    go.intent_only = !full;
    go.choose = choose;
    go.nchoose = nchoose;
    return dp_generate(out, cat, request, &go, err);
}

static json_t *intent_of(dp_result *res)
{
    return json_loads(dp_result_intent_json(res), 0, NULL);
}

static void clarification_shape(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    assert_int_equal(run(F.a, REFUSED, NULL, 0, 1, &res, &err), DP_ECLARIFY);
    const char *js = dp_result_clarification_json(res);
    assert_non_null(js);
    json_t *doc = json_loads(js, 0, NULL);
    assert_non_null(doc);
    dp_error verr = {0};
    if (dp_jsonschema_validate(F.schema, doc, NULL, 0, &verr))
        fail_msg("clarification does not validate: %s\n%s", verr.message, js);
    json_t *c = json_object_get(doc, "clarification");
    const char *q = json_string_value(json_object_get(c, "question"));
    assert_non_null(strstr(q, "'zorblax'"));
    assert_null(strchr(q, '\n'));
    json_t *u = json_array_get(json_object_get(c, "unplaced"), 0);
    assert_string_equal(json_string_value(json_object_get(u, "phrase")), "zorblax");
    assert_string_equal(json_string_value(json_object_get(u, "role")), "metric");
    /* what was understood stays in the reading */
    json_t *rd = json_object_get(c, "reading");
    assert_string_equal(json_string_value(json_object_get(rd, "time_grain")), "week");
    assert_int_equal(json_array_size(json_object_get(rd, "dimensions")), 1);
    json_t *cands = json_object_get(json_object_get(c, "candidates"), "zorblax");
    int has_clicks = 0;
    size_t i;
    json_t *v;
    json_array_foreach(cands, i, v) {
        assert_string_equal(json_string_value(json_object_get(v, "kind")), "metric");
        has_clicks |= !strcmp(json_string_value(json_object_get(v, "name")), "clicks");
    }
    assert_true(has_clicks);
    /* the schema can fail: without candidates it is no clarification */
    json_object_del(c, "candidates");
    assert_int_not_equal(dp_jsonschema_validate(F.schema, doc, NULL, 0, &verr), 0);
    json_decref(doc);
    dp_result_free(res);

    /* a phrase close to a catalog name: that name, with its score */
    assert_int_equal(run(F.a, "weekly clickz and planet by campaign", NULL, 0, 0, &res, &err), DP_ECLARIFY);
    doc = json_loads(dp_result_clarification_json(res), 0, NULL);
    assert_int_equal(dp_jsonschema_validate(F.schema, doc, NULL, 0, &verr), 0);
    dp_result_free(res);
    json_decref(doc);

    /* an answered request has no clarification */
    assert_int_equal(run(F.a, "weekly clicks by campaign", NULL, 0, 0, &res, &err), 0);
    assert_null(dp_result_clarification_json(res));
    dp_result_free(res);
}

static void choose_learn_forget(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    const char *choose[] = {"zorblax=clicks"};
    assert_int_equal(run(F.a, REFUSED, choose, 1, 0, &res, &err), 0);
    json_t *in = intent_of(res);
    assert_string_equal(json_string_value(json_array_get(json_object_get(in, "metrics"), 0)), "clicks");
    json_decref(in);
    dp_result_free(res);
    /* recorded: the next request is answered without --choose */
    assert_int_equal(run(F.a, "zorblax by campaign", NULL, 0, 0, &res, &err), 0);
    in = intent_of(res);
    assert_string_equal(json_string_value(json_array_get(json_object_get(in, "metrics"), 0)), "clicks");
    json_decref(in);
    dp_result_free(res);
    char *list = NULL;
    assert_int_equal(dp_catalog_learned(&list, F.a, &err), 0);
    assert_non_null(strstr(list, "\"zorblax\""));
    free(list);
    /* forgotten: refused again */
    assert_int_equal(dp_catalog_forget(F.a, "Zorblax", &err), 0);
    assert_int_equal(run(F.a, REFUSED, NULL, 0, 0, &res, &err), DP_ECLARIFY);
    dp_result_free(res);
    assert_int_equal(dp_catalog_forget(F.a, "zorblax", &err), DP_ENOTFOUND);
    /* a name the catalog lacks: refused, with the close names */
    assert_int_equal(dp_catalog_check_choice(F.a, "zorblax=clickz", &err), DP_ENOTFOUND);
    assert_non_null(strstr(err.message, "clicks"));
    assert_int_equal(dp_catalog_learn(F.a, "zorblax", "marketing_campaigns.planet", &err), DP_ENOTFOUND);
    assert_int_equal(dp_catalog_check_choice(F.a, "zorblax", &err), DP_EINVALID);
    assert_int_equal(dp_catalog_learn(F.a, "the", "clicks", &err), DP_EINVALID);
    /* without record an answer is not learned */
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.intent_only = 1;
    go.record = 0;
    go.choose = choose;
    go.nchoose = 1;
    assert_int_equal(dp_generate(&res, F.a, REFUSED, &go, &err), 0);
    dp_result_free(res);
    assert_int_equal(run(F.a, REFUSED, NULL, 0, 0, &res, &err), DP_ECLARIFY);
    dp_result_free(res);
}

static void learned_kinds_and_precedence(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    /* "campaign" is the catalog's entity; taught as the channel, it is that */
    assert_int_equal(dp_catalog_learn(F.a, "campaign", "marketing_campaigns.channel", &err), 0);
    assert_int_equal(dp_catalog_learn(F.a, "paid lookups", "marketing_campaigns.channel=search", &err), 0);
    assert_int_equal(run(F.a, "clicks by campaign for paid lookups", NULL, 0, 0, &res, &err), 0);
    json_t *in = intent_of(res);
    json_t *g = json_array_get(json_object_get(in, "dimensions"), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(g, "dimension_candidates"), 0)),
                        "marketing_campaigns.channel");
    json_t *f = json_array_get(json_object_get(in, "filters"), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(f, "values"), 0)), "search");
    json_decref(in);
    dp_result_free(res);
    /* a dimension's own name taught as another dimension: only that one */
    assert_int_equal(dp_catalog_learn(F.a, "channel", "marketing_campaigns.region", &err), 0);
    assert_int_equal(run(F.a, "clicks by channel", NULL, 0, 0, &res, &err), 0);
    in = intent_of(res);
    json_t *c = json_object_get(json_array_get(json_object_get(in, "dimensions"), 0), "dimension_candidates");
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(json_string_value(json_array_get(c, 0)), "marketing_campaigns.region");
    json_decref(in);
    dp_result_free(res);
    assert_int_equal(dp_catalog_forget(F.a, "channel", &err), 0);
    /* longest first: a learned phrase longer than the catalog's "clicks" */
    assert_int_equal(dp_catalog_learn(F.a, "click volume", "impressions", &err), 0);
    assert_int_equal(run(F.a, "weekly click volume", NULL, 0, 0, &res, &err), 0);
    in = intent_of(res);
    assert_int_equal(json_array_size(json_object_get(in, "metrics")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(in, "metrics"), 0)), "impressions");
    json_decref(in);
    dp_result_free(res);
    assert_int_equal(dp_catalog_forget(F.a, "click volume", &err), 0);
    /* matched by stem, as the catalog's phrases are: "zorblaxes" */
    assert_int_equal(dp_catalog_learn(F.a, "zorblax", "clicks", &err), 0);
    assert_int_equal(run(F.a, "weekly zorblaxes by campaign", NULL, 0, 0, &res, &err), 0);
    dp_result_free(res);
    assert_int_equal(dp_catalog_forget(F.a, "zorblax", &err), 0);
    /* a learned target the catalog no longer has is skipped, and said */
    assert_int_equal(dp_state_learn(F.a->state, "zorblax", "zorblax", "metric", "renamed_metric", &err), 0);
    assert_int_equal(run(F.a, REFUSED, NULL, 0, 0, &res, &err), DP_ECLARIFY);
    assert_non_null(strstr(dp_result_trace_json(res), "learned phrase 'zorblax' skipped"));
    dp_result_free(res);
    assert_int_equal(dp_catalog_forget(F.a, "zorblax", &err), 0);
    /* a value the profile does not have is no value of the catalog */
    assert_int_equal(dp_catalog_learn(F.a, "zz", "marketing_campaigns.channel=telepathy", &err), DP_ENOTFOUND);
    assert_int_equal(dp_catalog_forget(F.a, "campaign", &err), 0);
    assert_int_equal(dp_catalog_forget(F.a, "paid lookups", &err), 0);
}

static void per_catalog_state(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    assert_string_not_equal(dp_state_catalog(F.a->state), dp_state_catalog(F.b->state));
    assert_int_equal(dp_catalog_learn(F.a, "zorblax", "clicks", &err), 0);
    assert_int_equal(run(F.a, REFUSED, NULL, 0, 0, &res, &err), 0);
    dp_result_free(res);
    /* the other catalog, same state folder, same model names: not learned */
    char *list = NULL;
    assert_int_equal(dp_catalog_learned(&list, F.b, &err), 0);
    assert_string_equal(list, "[]");
    free(list);
    assert_int_equal(run(F.b, REFUSED, NULL, 0, 0, &res, &err), DP_ECLARIFY);
    dp_result_free(res);
    /* popularity: a product recorded on a is none of b's */
    double pa0 = 0, pa = 0, pb = 0;
    dp_state_popularity(F.a->state, "marketing_events", &pa0);
    assert_int_equal(run(F.a, "weekly clicks by campaign", NULL, 0, 1, &res, &err), 0);
    dp_result_free(res);
    dp_state_popularity(F.a->state, "marketing_events", &pa);
    dp_state_popularity(F.b->state, "marketing_events", &pb);
    assert_true(pa > pa0);
    assert_true(pb == 0);
    json_t *rules = dp_state_rules_for(F.b->state, "marketing_events");
    assert_int_equal(json_array_size(rules), 0);
    json_decref(rules);
    rules = dp_state_rules_for(F.a->state, "marketing_events");
    assert_true(json_array_size(rules) > 0);
    json_decref(rules);
    assert_int_equal(dp_catalog_forget(F.a, "zorblax", &err), 0);
}

static void old_state_migrates(void **state)
{
    (void)state;
    char dir[600], path[700];
    snprintf(dir, sizeof(dir), "%s/old", F.tmp);
    snprintf(path, sizeof(path), "%s/state.db", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* the schema before per-catalog state, with one product recorded */
    const char *old =
        "CREATE TABLE profiles(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
        "CREATE TABLE source_checks(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
        "CREATE TABLE runs(run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, request TEXT NOT NULL,"
        " status TEXT NOT NULL, product TEXT, ms REAL, message TEXT);"
        "CREATE TABLE product_datasets(product TEXT NOT NULL, dataset TEXT NOT NULL, run_id TEXT NOT NULL,"
        " created_at TEXT NOT NULL, PRIMARY KEY(product, dataset));"
        "CREATE TABLE rules(product TEXT NOT NULL, dataset TEXT NOT NULL, rule_type TEXT NOT NULL,"
        " column_name TEXT, definition TEXT NOT NULL, severity TEXT NOT NULL, created_at TEXT NOT NULL,"
        " PRIMARY KEY(product, dataset, rule_type, column_name, definition));"
        "INSERT INTO runs VALUES('r1', '2025-01-01T00:00:00Z', 'old request', 'ok', 'p', 1.0, NULL);"
        "INSERT INTO product_datasets VALUES('p', 'ds', 'r1', '2025-01-01T00:00:00Z');"
        "INSERT INTO rules VALUES('p', 'ds', 'not_null', 'id', 'id is not null', 'error', '2025-01-01T00:00:00Z');";
    assert_int_equal(sqlite3_exec(db, old, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    dp_state *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_state_open(&s, dir, &err), 0);
    json_t *runs = dp_state_runs(s, 10);
    assert_int_equal(json_array_size(runs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 0), "request")), "old request");
    json_decref(runs);
    /* old rows belong to no known catalog */
    double p = -1;
    dp_state_set_catalog(s, "c1-0000000000000001");
    assert_int_equal(dp_state_popularity(s, "ds", &p), 0);
    assert_true(p == 0);
    dp_state_set_catalog(s, "");
    dp_state_popularity(s, "ds", &p);
    assert_true(p == 1);
    json_t *rules = dp_state_rules_for(s, "ds");
    assert_int_equal(json_array_size(rules), 1);
    json_decref(rules);
    /* and it keeps working: the same product on another catalog is a row of its own */
    dp_state_set_catalog(s, "c1-0000000000000001");
    const char *ds[] = {"ds"};
    assert_int_equal(dp_state_record_product(s, "r2", "p", ds, 1, NULL, &err), 0);
    assert_int_equal(dp_state_learn(s, "zorblax", "Zorblax", "metric", "clicks", &err), 0);
    dp_state_popularity(s, "ds", &p);
    assert_true(p == 1);
    dp_state_set_catalog(s, "");
    dp_state_popularity(s, "ds", &p);
    assert_true(p == 1);
    dp_state_close(s);
    /* opened again: no second migration */
    assert_int_equal(dp_state_open(&s, dir, &err), 0);
    dp_state_set_catalog(s, "c1-0000000000000001");
    json_t *l = dp_state_learned(s);
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    dp_state_close(s);
    /* the history a run asks for is found by dataset, through the indexes
     * version 3 adds, not by reading every product's rows */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    static const char *const plans[][2] = {
        {"EXPLAIN QUERY PLAN SELECT rule_type, column_name, definition, severity, count(*) FROM rules WHERE "
         "dataset = 'ds' AND catalog = 'c' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2 LIMIT 50",
         "rules_by_dataset"},
        {"EXPLAIN QUERY PLAN SELECT product, max(created_at) FROM product_datasets WHERE dataset = 'ds' AND "
         "catalog = 'c' GROUP BY 1 ORDER BY 2 DESC LIMIT 100",
         "product_datasets_by_dataset"},
        {"PRAGMA user_version", "3"}};
    for (size_t i = 0; i < sizeof(plans) / sizeof(*plans); i++) {
        sqlite3_stmt *st = NULL;
        int found = 0;
        assert_int_equal(sqlite3_prepare_v2(db, plans[i][0], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, sqlite3_column_count(st) - 1);
            found |= d && strstr(d, plans[i][1]) != NULL;
        }
        sqlite3_finalize(st);
        if (!found)
            fail_msg("%s: no %s", plans[i][0], plans[i][1]);
    }
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clarification_shape),
        cmocka_unit_test(choose_learn_forget),
        cmocka_unit_test(learned_kinds_and_precedence),
        cmocka_unit_test(per_catalog_state),
        cmocka_unit_test(old_state_migrates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

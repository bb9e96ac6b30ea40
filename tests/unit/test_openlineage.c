/* The OpenLineage run event `generate --out` writes, for several requests on
 * a small demo: it validates against the RunEvent definition of the spec in
 * schemas/openlineage (JSON Schema 2020-12, formats asserted), every facet
 * against its own facet schema and version, and it says what the spec says:
 * run id and time, the job's SQL, one input per source with its schema,
 * every target column's lineage from columns the inputs have, grouping,
 * filter, join and sort columns, and every quality rule once with its
 * result. Also: the validator rejects broken events (the checks are not
 * vacuous), the environment's namespaces, and a lineage naming a dataset
 * the sources lack is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "doc/jsonschema.h"
#include "packaging/openlineage.h"
#include "testutil.h"

#define SEED "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
#define CTR_FILTERED "Show me the CTR on mobile in the US, week by week"
#define TOP "top 10 products by units sold"
#define C360                                                                                                           \
    "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support "      \
    "tickets and average satisfaction"

static const char *const requests[] = {
    SEED,
    CTR_FILTERED,
    TOP,
    C360,
    "Daily sales by region and product category",
    "Revenue per day by customer region for the app channel in June 2025",
    "monthly average basket (revenue / orders) by sales channel",
};
#define NREQ (sizeof(requests) / sizeof(*requests))

/* facet key -> schema file (and definition), by where the facet sits */
static const struct {
    const char *where, *key, *file;
} facet_files[] = {
    {"job", "sql", "SQLJobFacet"},
    {"job", "jobType", "JobTypeJobFacet"},
    {"job", "documentation", "DocumentationJobFacet"},
    {"dataset", "schema", "SchemaDatasetFacet"},
    {"dataset", "dataSource", "DatasourceDatasetFacet"},
    {"dataset", "documentation", "DocumentationDatasetFacet"},
    {"dataset", "columnLineage", "ColumnLineageDatasetFacet"},
    {"dataset", "dataQualityAssertions", "DataQualityAssertionsDatasetFacet"},
    {"dataset", "ownership", "OwnershipDatasetFacet"},
    {"input", "dataQualityAssertions", "DataQualityAssertionsDatasetFacet"},
    {"output", "outputStatistics", "OutputStatisticsOutputDatasetFacet"},
};
#define NFACETS (sizeof(facet_files) / sizeof(*facet_files))

typedef struct fixture {
    char tmp[256], db_path[512];
    dp_catalog *cat;
    json_t *resources;  /* $id -> document, every file of schemas/openlineage */
    dp_jsonschema *run; /* the RunEvent definition */
    dp_jsonschema *facet[NFACETS];
    const char *facet_id[NFACETS];
} fixture;

static fixture F;

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static json_t *load(const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s: %s", path, je.text);
    return doc;
}

static dp_jsonschema *compile(json_t *schema)
{
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    if (dp_jsonschema__new_with(&s, schema, F.resources, &err))
        fail_msg("schema: %s", err.message);
    dp_jsonschema__assert_formats(s, 1);
    json_decref(schema);
    return s;
}

static int setup(void **state)
{
    (void)state;
    snprintf(F.tmp, sizeof(F.tmp), "/tmp/dpgen_openlineage_XXXXXX");
    if (!mkdtemp(F.tmp))
        return -1;
    snprintf(F.db_path, sizeof(F.db_path), "%s/demo.duckdb", F.tmp);
    if (tu_open_demo(&F.cat, F.db_path, 0.05))
        return -1;
    char path[1200];
    F.resources = json_object();
    snprintf(path, sizeof(path), "%s/schemas/openlineage/OpenLineage.json", tu_source_dir());
    json_t *doc = load(path);
    json_object_set_new(F.resources, str(doc, "$id"), doc);
    json_t *files[NFACETS] = {0};
    for (size_t i = 0; i < NFACETS; i++) {
        snprintf(path, sizeof(path), "%s/schemas/openlineage/facets/%s.json", tu_source_dir(), facet_files[i].file);
        files[i] = load(path);
        json_object_set(F.resources, str(files[i], "$id"), files[i]);
    }
    F.run = compile(json_pack("{s:s,s:s}", "$schema", "https://json-schema.org/draft/2020-12/schema", "$ref",
                              DP_OL_SPEC_URL "#/$defs/RunEvent"));
    for (size_t i = 0; i < NFACETS; i++) {
        F.facet_id[i] = str(json_object_get(F.resources, str(files[i], "$id")), "$id");
        F.facet[i] = compile(
            json_pack("{s:s,s:s}", "$schema", "https://json-schema.org/draft/2020-12/schema", "$ref", F.facet_id[i]));
        json_decref(files[i]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dp_catalog_free(F.cat);
    dp_jsonschema_free(F.run);
    for (size_t i = 0; i < NFACETS; i++)
        dp_jsonschema_free(F.facet[i]);
    json_decref(F.resources);
    if (F.tmp[0] && !getenv("DP_KEEP_EXPORTS"))
        tu_rm_tree(F.tmp);
    return 0;
}

static void expect_valid(const dp_jsonschema *s, const json_t *doc, const char *what)
{
    dp_error err = {0};
    json_t *errs = json_array();
    if (dp_jsonschema_validate(s, doc, errs, 20, &err)) {
        size_t i;
        json_t *e;
        json_array_foreach(errs, i, e)
            printf("  %s: %s\n", what, json_string_value(e));
        json_decref(errs);
        fail_msg("%s does not validate: %s", what, err.message);
    }
    json_decref(errs);
}

/* Validates each facet of a facets object against its own schema, and its
 * _schemaURL against that schema's $id. Returns how many were checked. */
static size_t check_facets(const json_t *facets, const char *where, const char *alt)
{
    const char *key;
    json_t *f;
    size_t n = 0;
    json_object_foreach((json_t *)facets, key, f) {
        size_t i = 0;
        while (i < NFACETS && !((!strcmp(facet_files[i].where, where) || (alt && !strcmp(facet_files[i].where, alt))) &&
                                !strcmp(facet_files[i].key, key)))
            i++;
        if (i == NFACETS)
            fail_msg("%s facet '%s' has no schema in schemas/openlineage", where, key);
        json_t *wrap = json_pack("{s:O}", key, f);
        char what[128];
        snprintf(what, sizeof(what), "%s facet %s", where, key);
        expect_valid(F.facet[i], wrap, what);
        json_decref(wrap);
        char url[512];
        snprintf(url, sizeof(url), "%s#/$defs/%s", F.facet_id[i], facet_files[i].file);
        assert_string_equal(str(f, "_schemaURL"), url);
        snprintf(url, sizeof(url), "https://github.com/dpgen/dpgen/tree/%s", dp_version());
        assert_string_equal(str(f, "_producer"), url);
        n++;
    }
    return n;
}

static const json_t *find_dataset(const json_t *list, const char *ns, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) {
        if (!strcmp(str(d, "namespace"), ns) && !strcmp(str(d, "name"), name))
            return d;
    }
    return NULL;
}

static int has_field(const json_t *dataset, const char *field)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(json_object_get(json_object_get(dataset, "facets"), "schema"), "fields"), i, f) {
        if (!strcmp(str(f, "name"), field))
            return 1;
    }
    return 0;
}

/* Whether list (inputFields) has dataset-name suffix .table, field, type/subtype. */
static int has_input(const json_t *list, const char *table, const char *field, const char *type, const char *subtype)
{
    size_t i, k;
    json_t *f, *t;
    json_array_foreach(list, i, f) {
        const char *name = str(f, "name");
        size_t nl = strlen(name), tl = strlen(table);
        if (nl < tl || strcmp(name + nl - tl, table) || strcmp(str(f, "field"), field))
            continue;
        json_array_foreach(json_object_get(f, "transformations"), k, t) {
            if (!strcmp(str(t, "type"), type) && !strcmp(str(t, "subtype"), subtype))
                return 1;
        }
    }
    return 0;
}

/* Every inputField names an input of the event and a field of its schema. */
static void check_input_fields(const json_t *ev, const json_t *list, const char *what)
{
    static const char *const subtypes[] = {"IDENTITY", "TRANSFORMATION", "AGGREGATION", "JOIN",       "GROUP_BY",
                                           "FILTER",   "SORT",           "WINDOW",      "CONDITIONAL"};
    size_t i, k;
    json_t *f, *t;
    json_array_foreach(list, i, f) {
        const json_t *in = find_dataset(json_object_get(ev, "inputs"), str(f, "namespace"), str(f, "name"));
        if (!in)
            fail_msg("%s: %s is not an input of the event", what, str(f, "name"));
        if (!has_field(in, str(f, "field")))
            fail_msg("%s: %s has no field %s", what, str(f, "name"), str(f, "field"));
        assert_true(json_array_size(json_object_get(f, "transformations")) > 0);
        json_array_foreach(json_object_get(f, "transformations"), k, t) {
            const char *type = str(t, "type"), *sub = str(t, "subtype");
            assert_true(!strcmp(type, "DIRECT") || !strcmp(type, "INDIRECT"));
            size_t s = 0;
            while (s < sizeof(subtypes) / sizeof(*subtypes) && strcmp(subtypes[s], sub))
                s++;
            if (s == sizeof(subtypes) / sizeof(*subtypes))
                fail_msg("%s: unknown subtype %s", what, sub);
            /* DIRECT: the value flows in; INDIRECT: it shapes the rows */
            assert_int_equal(!strcmp(type, "DIRECT"), s < 3);
        }
    }
}

/* Each rule appears once, with its result, on the dataset it reads. */
static void check_assertions(const json_t *ev, const json_t *spec)
{
    json_t *seen = json_object();
    size_t i, k;
    json_t *d, *a;
    const json_t *lists[2] = {json_object_get(ev, "inputs"), json_object_get(ev, "outputs")};
    for (int l = 0; l < 2; l++)
        json_array_foreach(lists[l], i, d) {
            const json_t *facet = json_object_get(json_object_get(d, "facets"), "dataQualityAssertions");
            if (l == 0) /* the input facet says the same */
            {
                const json_t *inf = json_object_get(json_object_get(d, "inputFacets"), "dataQualityAssertions");
                assert_true(facet ? json_equal(facet, inf) : inf == NULL); /* an input no rule reads has neither */
            }
            json_array_foreach(json_object_get(facet, "assertions"), k, a) {
                if (json_object_get(seen, str(a, "name")))
                    fail_msg("rule %s appears twice", str(a, "name"));
                json_object_set_new(seen, str(a, "name"), json_integer(l));
                if (json_object_get(a, "column"))
                    assert_true(has_field(d, str(a, "column")));
            }
        }
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, a) {
        if (!json_object_get(seen, str(a, "id")))
            fail_msg("rule %s is in no dataQualityAssertions facet", str(a, "id"));
    }
    assert_int_equal(json_object_size(seen),
                     json_array_size(json_object_get(json_object_get(spec, "quality"), "rules")));
    json_decref(seen);
}

static const json_t *assertion_of(const json_t *dataset, const char *id)
{
    size_t i;
    json_t *a;
    json_array_foreach(
        json_object_get(json_object_get(json_object_get(dataset, "facets"), "dataQualityAssertions"), "assertions"), i,
        a) {
        if (!strcmp(str(a, "name"), id))
            return a;
    }
    return NULL;
}

/* The event of one request; returns it with its spec in *spec_out. */
static json_t *event_of(const char *request, int index, const char *dialect, json_t **spec_out)
{
    dp_result *res = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    go.dialect = dialect;
    if (dp_generate(&res, F.cat, request, &go, &err))
        fail_msg("%s: %s", request, err.message);
    char dir[600], path[1400];
    snprintf(dir, sizeof(dir), "%s/out%d", F.tmp, index);
    if (dp_result_export(res, dir, &err))
        fail_msg("export of '%s': %s", request, err.message);
    dp_result_free(res);
    snprintf(path, sizeof(path), "%s/spec.json", dir);
    json_t *spec = load(path);
    snprintf(path, sizeof(path), "%s/openlineage/%s_run_event.json", dir,
             str(json_object_get(spec, "metadata"), "name"));
    /* the file is the event the library renders (and posts) */
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s is missing", path);
    char *text = NULL, *again = NULL;
    size_t cap = 0;
    assert_true(getdelim(&text, &cap, 0, f) > 0);
    fclose(f);
    assert_int_equal(dp_packaging__openlineage_text(&again, spec, &err), 0);
    assert_string_equal(text, again);
    /* no machine path: the database is named by its file name */
    assert_null(strstr(text, F.tmp));
    free(text);
    free(again);
    *spec_out = spec;
    return load(path);
}

static void check_event(const char *request, int index, const char *dialect)
{
    json_t *spec = NULL, *ev = event_of(request, index, dialect, &spec);
    const json_t *meta = json_object_get(spec, "metadata"), *tx = json_object_get(spec, "transformation");
    expect_valid(F.run, ev, "RunEvent");
    assert_string_equal(str(ev, "eventType"), "COMPLETE");
    assert_string_equal(str(ev, "eventTime"), str(meta, "created_at"));
    assert_string_equal(str(json_object_get(ev, "run"), "runId"), str(json_object_get(spec, "execution"), "run_id"));
    const json_t *job = json_object_get(ev, "job"), *jf = json_object_get(job, "facets");
    assert_string_equal(str(job, "namespace"), "dpgen");
    assert_string_equal(str(job, "name"), str(meta, "name"));
    assert_string_equal(str(json_object_get(jf, "sql"), "query"), str(tx, "sql"));
    assert_string_equal(str(json_object_get(jf, "sql"), "dialect"), str(tx, "dialect"));
    assert_string_equal(str(json_object_get(jf, "jobType"), "processingType"), "BATCH");
    assert_string_equal(str(json_object_get(jf, "documentation"), "description"), str(meta, "description"));
    size_t checked = check_facets(jf, "job", NULL), i;
    assert_int_equal(checked, 3);

    /* one input per source, named <database>.<schema>.<table> */
    const json_t *inputs = json_object_get(ev, "inputs"), *outputs = json_object_get(ev, "outputs"), *d;
    assert_int_equal(json_array_size(inputs), json_array_size(json_object_get(spec, "source_datasets")));
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        char name[300];
        snprintf(name, sizeof(name), "demo.%s", str(d, "table"));
        const json_t *in = find_dataset(inputs, "duckdb://demo.duckdb", name);
        if (!in)
            fail_msg("no input %s", name);
        assert_int_equal(
            json_array_size(json_object_get(json_object_get(json_object_get(in, "facets"), "schema"), "fields")),
            json_array_size(json_object_get(d, "schema")));
        check_facets(json_object_get(in, "facets"), "dataset", NULL);
        check_facets(json_object_get(in, "inputFacets"), "input", NULL);
    }
    assert_int_equal(json_array_size(outputs), 1);
    const json_t *out = json_array_get(outputs, 0), *of = json_object_get(out, "facets");
    char target[300];
    snprintf(target, sizeof(target), "demo.%s", str(json_object_get(spec, "data_model"), "target_table"));
    assert_string_equal(str(out, "name"), target);
    check_facets(of, "dataset", NULL);
    check_facets(json_object_get(out, "outputFacets"), "output", NULL);
    assert_true(json_equal(
        json_object_get(json_object_get(json_object_get(out, "outputFacets"), "outputStatistics"), "rowCount"),
        json_object_get(json_object_get(tx, "test_run"), "rows")));

    /* every target column, from columns the inputs have */
    const json_t *cl = json_object_get(of, "columnLineage"), *fields = json_object_get(cl, "fields"), *c;
    const json_t *cols = json_object_get(json_object_get(spec, "data_model"), "columns");
    assert_int_equal(json_object_size(fields), json_array_size(cols));
    json_array_foreach(cols, i, c) {
        const json_t *fl = json_object_get(json_object_get(fields, str(c, "name")), "inputFields");
        if (!json_array_size(fl))
            fail_msg("%s: column %s has no lineage", request, str(c, "name"));
        check_input_fields(ev, fl, str(c, "name"));
        assert_true(has_field(out, str(c, "name")));
    }
    check_input_fields(ev, json_object_get(cl, "dataset"), "dataset");
    check_assertions(ev, spec);
    json_decref(ev);
    json_decref(spec);
}

static void test_events_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < NREQ; i++)
        check_event(requests[i], (int)i, NULL);
    check_event(requests[4], (int)NREQ, "postgres");
}

/* What the seed's event says, column by column and rule by rule. */
static void test_seed_lineage(void **state)
{
    (void)state;
    json_t *spec = NULL, *ev = event_of(SEED, 100, NULL, &spec);
    const json_t *out = json_array_get(json_object_get(ev, "outputs"), 0);
    const json_t *in = json_array_get(json_object_get(ev, "inputs"), 0);
    const json_t *cl = json_object_get(json_object_get(out, "facets"), "columnLineage");
    const json_t *fields = json_object_get(cl, "fields"), *dataset = json_object_get(cl, "dataset");
#define INPUTS(col) json_object_get(json_object_get(fields, col), "inputFields")
    assert_true(has_input(INPUTS("ctr"), ".marketing_events", "clicks", "DIRECT", "AGGREGATION"));
    assert_true(has_input(INPUTS("ctr"), ".marketing_events", "impressions", "DIRECT", "AGGREGATION"));
    assert_int_equal(json_array_size(INPUTS("ctr")), 2);
    assert_true(has_input(INPUTS("roas"), ".marketing_events", "revenue", "DIRECT", "AGGREGATION"));
    assert_true(has_input(INPUTS("week"), ".marketing_events", "event_date", "DIRECT", "TRANSFORMATION"));
    assert_true(has_input(INPUTS("campaign_id"), ".marketing_events", "campaign_id", "DIRECT", "IDENTITY"));
    /* the grain's sources group every row */
    assert_true(has_input(dataset, ".marketing_events", "event_date", "INDIRECT", "GROUP_BY"));
    assert_true(has_input(dataset, ".marketing_events", "campaign_id", "INDIRECT", "GROUP_BY"));
    assert_false(has_input(dataset, ".marketing_events", "clicks", "INDIRECT", "GROUP_BY"));
    /* rules on the product on the output, rules on source rows on the input */
    const json_t *a = assertion_of(out, "Q001");
    assert_non_null(a);
    assert_string_equal(str(a, "assertion"), "not_null");
    assert_string_equal(str(a, "column"), "week");
    assert_true(json_is_true(json_object_get(a, "success")));
    assert_null(assertion_of(in, "Q001"));
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        const char *type = str(rule, "type");
        /* a funnel on source rows reads the source; on the product's columns, the product */
        int on_source = !strncmp(type, "source_", 7) || (!strcmp(type, "funnel_order") &&
                                                               !strstr(str(rule, "sql"), str(json_object_get(spec, "data_model"), "target_table")));
        /* a source rule sits on the input it names (the wide product reads a second one) */
        const json_t *x = NULL;
        size_t n;
        json_t *input;
        if (on_source)
            json_array_foreach(json_object_get(ev, "inputs"), n, input) if (!x) x = assertion_of(input, str(rule, "id"));
        if (!on_source)
            x = assertion_of(out, str(rule, "id"));
        if (!x)
            fail_msg("rule %s (%s) is not on the %s", str(rule, "id"), type, on_source ? "input" : "output");
        assert_int_equal(json_is_true(json_object_get(x, "success")),
                         !strcmp(str(json_object_get(rule, "result"), "status"), "passed"));
        assert_string_equal(str(x, "content"), str(rule, "sql"));
        assert_true(json_equal(json_object_get(json_object_get(x, "params"), "failing_rows"),
                               json_object_get(json_object_get(rule, "result"), "failing_rows")));
    }
    json_decref(ev);
    json_decref(spec);
}

/* Filters, ordering, joins and a metric's own filter. */
static void test_indirect_lineage(void **state)
{
    (void)state;
    json_t *spec = NULL, *ev = event_of(CTR_FILTERED, 101, NULL, &spec);
#define CL(e)                                                                                                          \
    json_object_get(                                                                                                   \
        json_object_get(json_object_get(json_array_get(json_object_get(e, "outputs"), 0), "facets"), "columnLineage"), \
        "dataset")
    assert_true(has_input(CL(ev), ".marketing_events", "device", "INDIRECT", "FILTER"));
    assert_true(has_input(CL(ev), ".marketing_events", "country", "INDIRECT", "FILTER"));
    json_decref(ev);
    json_decref(spec);

    ev = event_of(TOP, 102, NULL, &spec);
    assert_true(has_input(CL(ev), ".order_items", "quantity", "INDIRECT", "SORT"));
    assert_true(has_input(CL(ev), ".order_items", "product_id", "INDIRECT", "GROUP_BY"));
    json_decref(ev);
    json_decref(spec);

    ev = event_of(C360, 103, NULL, &spec);
    assert_true(has_input(CL(ev), ".order_items", "order_id", "INDIRECT", "JOIN"));
    assert_true(has_input(CL(ev), ".orders", "order_id", "INDIRECT", "JOIN"));
    const json_t *fields = json_object_get(
        json_object_get(json_object_get(json_array_get(json_object_get(ev, "outputs"), 0), "facets"), "columnLineage"),
        "fields");
    const json_t *open = json_object_get(json_object_get(fields, "open_tickets"), "inputFields");
    assert_true(has_input(open, ".support_tickets", "status", "INDIRECT", "FILTER"));
    assert_false(has_input(open, ".support_tickets", "status", "DIRECT", "AGGREGATION"));
    assert_true(has_input(open, ".support_tickets", "ticket_id", "DIRECT", "AGGREGATION"));
    json_decref(ev);
    json_decref(spec);
}

static int valid_run_event(const json_t *ev)
{
    dp_error err = {0};
    return dp_jsonschema_validate(F.run, ev, NULL, 0, &err);
}

/* The validation would catch what a server rejects. */
static void test_broken_events_rejected(void **state)
{
    (void)state;
    json_t *spec = NULL, *ev = event_of(SEED, 104, NULL, &spec);
    assert_int_equal(valid_run_event(ev), 0);
    json_t *bad = json_deep_copy(ev);
    json_object_set_new(json_object_get(bad, "run"), "runId", json_string("run-1"));
    assert_int_equal(valid_run_event(bad), DP_EINVALID);
    json_decref(bad);
    bad = json_deep_copy(ev);
    json_object_set_new(bad, "eventTime", json_string("2025-07-16 10:00"));
    assert_int_equal(valid_run_event(bad), DP_EINVALID);
    json_decref(bad);
    bad = json_deep_copy(ev);
    json_object_del(json_object_get(json_object_get(json_object_get(bad, "job"), "facets"), "sql"), "_producer");
    assert_int_equal(valid_run_event(bad), DP_EINVALID);
    json_decref(bad);
    bad = json_deep_copy(ev);
    json_object_set_new(bad, "eventType", json_string("DONE"));
    assert_int_equal(valid_run_event(bad), DP_EINVALID);
    json_decref(bad);
    bad = json_deep_copy(ev);
    json_object_del(json_array_get(json_object_get(bad, "inputs"), 0), "namespace");
    assert_int_equal(valid_run_event(bad), DP_EINVALID);
    json_decref(bad);
    /* a facet schema catches what the event schema lets through */
    bad = json_pack("{s:{s:s,s:s}}", "sql", "_producer", "https://x.example/p", "_schemaURL", "https://x.example/s");
    dp_error err = {0};
    size_t sql = 0;
    while (strcmp(facet_files[sql].key, "sql"))
        sql++;
    assert_int_equal(dp_jsonschema_validate(F.facet[sql], bad, NULL, 0, &err), DP_EINVALID);
    json_decref(bad);
    json_decref(ev);
    json_decref(spec);
}

/* Namespaces from the environment; a lineage that names a dataset the
 * sources lack is refused, not written with a made-up name. */
static void test_names_and_refusal(void **state)
{
    (void)state;
    json_t *spec = NULL, *ev = event_of(SEED, 105, NULL, &spec), *ev2 = NULL;
    json_decref(ev);
    dp_error err = {0};
    setenv("DPGEN_OPENLINEAGE_NAMESPACE", "scheduler-a", 1);
    setenv("DPGEN_OPENLINEAGE_DATASET_NAMESPACE", "postgres://warehouse:5432", 1);
    assert_int_equal(dp_packaging__openlineage(&ev2, spec, &err), 0);
    unsetenv("DPGEN_OPENLINEAGE_NAMESPACE");
    unsetenv("DPGEN_OPENLINEAGE_DATASET_NAMESPACE");
    assert_int_equal(valid_run_event(ev2), 0);
    assert_string_equal(str(json_object_get(ev2, "job"), "namespace"), "scheduler-a");
    assert_string_equal(str(json_array_get(json_object_get(ev2, "inputs"), 0), "namespace"),
                        "postgres://warehouse:5432");
    const json_t *fl = json_object_get(
        json_object_get(
            json_object_get(
                json_object_get(json_object_get(json_array_get(json_object_get(ev2, "outputs"), 0), "facets"),
                                "columnLineage"),
                "fields"),
            "ctr"),
        "inputFields");
    assert_string_equal(str(json_array_get(fl, 0), "namespace"), "postgres://warehouse:5432");
    json_decref(ev2);

    /* a file name with a space is percent-encoded in the namespace URI */
    json_t *copy = json_deep_copy(spec);
    json_object_set_new(json_object_get(json_object_get(copy, "execution"), "catalog"), "database",
                        json_string("/srv/data/my lake.duckdb"));
    assert_int_equal(dp_packaging__openlineage(&ev2, copy, &err), 0);
    assert_int_equal(valid_run_event(ev2), 0);
    assert_string_equal(str(json_array_get(json_object_get(ev2, "inputs"), 0), "namespace"),
                        "duckdb://my%20lake.duckdb");
    assert_string_equal(str(json_array_get(json_object_get(ev2, "inputs"), 0), "name"),
                        "my lake.bronze.marketing_events");
    json_decref(ev2);
    json_decref(copy);

    /* a rule reading only a table that is no input goes to the dataset it
     * names, not to the product */
    copy = json_deep_copy(spec);
    json_t *rule = json_array_get(json_object_get(json_object_get(copy, "quality"), "rules"), 0);
    json_object_set_new(rule, "sql", json_string("SELECT * FROM bronze.not_an_input WHERE x IS NULL"));
    json_object_set_new(rule, "id", json_string("QX"));
    assert_int_equal(dp_packaging__openlineage(&ev2, copy, &err), 0);
    assert_non_null(assertion_of(json_array_get(json_object_get(ev2, "inputs"), 0), "QX"));
    assert_null(assertion_of(json_array_get(json_object_get(ev2, "outputs"), 0), "QX"));
    json_decref(ev2);
    json_decref(copy);

    copy = json_deep_copy(spec);
    json_t *lin = json_array_get(json_object_get(json_object_get(copy, "lineage"), "columns"), 0);
    json_array_append_new(json_object_get(lin, "sources"), json_string("elsewhere.x"));
    ev2 = NULL;
    assert_int_equal(dp_packaging__openlineage(&ev2, copy, &err), DP_EINVALID);
    assert_null(ev2);
    assert_non_null(strstr(err.message, "elsewhere"));
    json_decref(copy);
    json_decref(spec);
}

/* The copy in schemas/openlineage is the one in ../shared/schemas (when
 * that folder is there): the event is checked against the spec the issue
 * names, not a drifted copy. */
static void test_schema_copy(void **state)
{
    (void)state;
    static const char *const files[] = {"LICENSE", "OpenLineage.json"};
    char a[1200], b[1200];
    snprintf(b, sizeof(b), "%s/../shared/schemas/openlineage/OpenLineage.json", tu_source_dir());
    struct stat st;
    if (stat(b, &st)) {
        printf("openlineage: ../shared/schemas/openlineage not found; the copy is not compared\n");
        skip();
    }
    for (size_t i = 0; i < 2 + NFACETS; i++) {
        char rel[128];
        if (i < 2)
            snprintf(rel, sizeof(rel), "%s", files[i]);
        else
            snprintf(rel, sizeof(rel), "facets/%s.json", facet_files[i - 2].file);
        snprintf(a, sizeof(a), "%s/schemas/openlineage/%s", tu_source_dir(), rel);
        snprintf(b, sizeof(b), "%s/../shared/schemas/openlineage/%s", tu_source_dir(), rel);
        char *ta = tu_read_text(a, NULL), *tb = tu_read_text(b, NULL);
        if (!ta || !tb || strcmp(ta, tb))
            fail_msg("schemas/openlineage/%s differs from ../shared/schemas/openlineage/%s", rel, rel);
        free(ta);
        free(tb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_validate),   cmocka_unit_test(test_seed_lineage),
        cmocka_unit_test(test_indirect_lineage),  cmocka_unit_test(test_broken_events_rejected),
        cmocka_unit_test(test_names_and_refusal), cmocka_unit_test(test_schema_copy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

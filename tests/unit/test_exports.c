/* Packaging: the published spec schema (schemas/ and its embedded copy in
 * share/), YAML read as JSON, validation of every spec before it is
 * printed, and the exports of `generate --out` for the seed and showcase
 * requests on a small demo:
 *   - spec.json and spec.yaml validate against schemas/dpgen-spec-1.0.json;
 *   - the ODCS contract, dbt_project.yml, schema.yml and sources.yml
 *     validate against the official schemas in ../shared/schemas (read with
 *     src/doc's YAML loader and JSON Schema validator);
 *   - the dbt model, with {{ source() }} resolved, runs in DuckDB and
 *     returns the test run's row count;
 *   - every quality rule is checked by the dbt project, and the singular
 *     tests and the SQL assertions find as many failing rows as the
 *     in-process rule did (the GX and ODCS checks: test_gx_odcs.c).
 * The official schemas are looked up at $DP_SOURCE_DIR/../shared/schemas;
 * when that folder is missing those checks are skipped and say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "catalog/db.h"
#include "doc/jsonschema.h"
#include "doc/node.h"
#include "packaging/airflow.h"
#include "packaging/odcs.h"
#include "packaging/validate.h"
#include "util/buf.h"
#include "util/embedded.h"
#include "testutil.h"

#define SEED "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."

static const char *const requests[] = {
    SEED,
    "Daily sales by region and product category",
    ("Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support "
     "tickets and average satisfaction"),
    "Revenue per day by customer region for the app channel in June 2025",
    "top 10 products by units sold",
    "Recommendation features per user and product: views, clicks, add to carts, purchases and average rating",
    "Show me the CTR on mobile in the US, week by week",
    /* a metric the request defines (no catalog file, no glossary owner) */
    "monthly average basket (revenue / orders) by sales channel",
};
#define NREQ (sizeof(requests) / sizeof(*requests))

/* ---- fixture: a small demo, its catalog and the schemas ---- */

typedef struct fixture {
    char tmp[256];
    char db_path[512];
    dp_catalog *cat;
    dp_jsonschema *spec_schema, *odcs, *dbt_yml, *dbt_project;
    int have_shared;
} fixture;

static fixture F;

static dp_jsonschema *compile_file(const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s: %s", path, je.text);
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    if (dp_jsonschema_new(&s, doc, &err))
        fail_msg("%s: %s", path, err.message);
    json_decref(doc);
    return s;
}

static dp_jsonschema *official(const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/../shared/schemas/%s", tu_source_dir(), file);
    struct stat st;
    if (stat(path, &st)) {
        printf("exports: %s not found (DP_SOURCE_DIR/../shared/schemas); official-schema checks skipped\n", file);
        return NULL;
    }
    return compile_file(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(F.tmp, sizeof(F.tmp), "/tmp/dpgen_exports_XXXXXX");
    if (!mkdtemp(F.tmp))
        return -1;
    snprintf(F.db_path, sizeof(F.db_path), "%s/demo.duckdb", F.tmp);
    if (tu_open_demo(&F.cat, F.db_path, 0.05))
        return -1;
    char path[1024];
    snprintf(path, sizeof(path), "%s/schemas/%s", tu_source_dir(), DP_SPEC_SCHEMA_NAME);
    F.spec_schema = compile_file(path);
    F.odcs = official("odcs-json-schema-v3.1.0.json");
    F.dbt_yml = official("dbt_yml_files-latest.json");
    F.dbt_project = official("dbt_project-latest.json");
    F.have_shared = F.odcs && F.dbt_yml && F.dbt_project;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dp_catalog_free(F.cat);
    dp_jsonschema_free(F.spec_schema);
    dp_jsonschema_free(F.odcs);
    dp_jsonschema_free(F.dbt_yml);
    dp_jsonschema_free(F.dbt_project);
    if (F.tmp[0] && !getenv("DP_KEEP_EXPORTS"))
        tu_rm_tree(F.tmp);
    return 0;
}

/* ---- helpers ---- */

static void expect_valid(const dp_jsonschema *s, const json_t *doc, const char *what)
{
    if (!s)
        return;
    dp_error err = {0};
    json_t *errs = json_array();
    if (dp_jsonschema_validate(s, doc, errs, 20, &err)) {
        size_t i;
        json_t *e;
        json_array_foreach(errs, i, e) printf("  %s: %s\n", what, json_string_value(e));
        json_decref(errs);
        fail_msg("%s does not validate: %s", what, err.message);
    }
    json_decref(errs);
}

static json_t *yaml_file(const char *path)
{
    json_t *doc = NULL;
    dp_error err = {0};
    if (dp_packaging__yaml_file_to_json(&doc, path, &err))
        fail_msg("%s", err.message);
    return doc;
}

static json_t *json_file(const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s: %s", path, je.text);
    return doc;
}

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* Resolves a dbt file for DuckDB: {{ source('s', 't') }} -> s.t,
 * {{ ref('x') }} -> ref_table, {{ config(...) }} and -- depends_on lines
 * dropped. */
static int declared(const json_t *sources, const char *schema, size_t sn, const char *table, size_t tn)
{
    size_t i, k;
    json_t *s, *t;
    json_array_foreach(json_object_get(sources, "sources"), i, s) {
        if (strlen(str(s, "name")) != sn || strncmp(str(s, "name"), schema, sn))
            continue;
        json_array_foreach(json_object_get(s, "tables"), k, t) {
            if (strlen(str(t, "name")) == tn && !strncmp(str(t, "name"), table, tn))
                return 1;
        }
    }
    return 0;
}

static char *resolve_dbt(const char *sql, const char *ref_table, const json_t *sources)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const char *p = sql;
    while (*p) {
        if (!strncmp(p, "{{ config(", 10) || !strncmp(p, "-- depends_on:", 14)) {
            const char *e = strchr(p, '\n');
            p = e ? e + 1 : p + strlen(p);
            continue;
        }
        if (!strncmp(p, "{{ source('", 11)) {
            const char *a = p + 11, *mid = strstr(a, "', '"), *end = mid ? strstr(mid, "') }}") : NULL;
            assert_non_null(end);
            if (!declared(sources, a, (size_t)(mid - a), mid + 4, (size_t)(end - mid - 4)))
                fail_msg("source('%.*s', '%.*s') is not in sources.yml", (int)(mid - a), a, (int)(end - mid - 4), mid + 4);
            dp_buf_printf(&b, "%.*s.%.*s", (int)(mid - a), a, (int)(end - mid - 4), mid + 4);
            p = end + 5;
            continue;
        }
        if (!strncmp(p, "{{ ref('", 8)) {
            const char *end = strstr(p, "') }}");
            assert_non_null(end);
            dp_buf_puts(&b, ref_table);
            p = end + 5;
            continue;
        }
        if (!strncmp(p, "{{ '{", 5) && p[5] && !strncmp(p + 6, "' }}", 4)) { /* escaped "{{", "{%", "{#" */
            dp_buf_putc(&b, '{');
            dp_buf_putc(&b, p[5]);
            p += 10;
            continue;
        }
        if (p[0] == '{' && p[1] == '{') /* no other Jinja is expected */
            fail_msg("unexpected Jinja at: %.60s", p);
        dp_buf_putc(&b, *p++);
    }
    return dp_buf_detach(&b);
}

static long long count_rows(duckdb_connection con, const char *sql, const char *what)
{
    size_t len = strlen(sql) + 64;
    char *q = malloc(len);
    assert_non_null(q);
    snprintf(q, len, "SELECT count(*) FROM (%s) AS t", sql);
    char out[64];
    dp_error err = {0};
    if (dp_db_scalar(con, q, out, sizeof(out), &err))
        fail_msg("%s: %s\n%s", what, err.message, sql);
    free(q);
    return strtoll(out, NULL, 10);
}

static int has_test(const json_t *tests, const char *name)
{
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        if ((json_is_string(t) && !strcmp(json_string_value(t), name)) || json_object_get(t, name))
            return 1;
    }
    return 0;
}

/* ---- the dbt project's generic tests as SQL ---- */

/* A generic test of the exported dbt project, found by the rule id in its
 * config.meta.dpgen_rule: its name, arguments, the relation it is on
 * (schema.table of a source, or "" for the model) and its column. */
typedef struct generic_test {
    const char *test, *relation, *column;
    const json_t *args;
    int count;
} generic_test;

static void find_in_tests(const json_t *tests, const char *rid, const char *relation, const char *column,
                          generic_test *g)
{
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        const char *k;
        json_t *v;
        json_object_foreach(t, k, v) {
            if (!strcmp(str(json_object_get(json_object_get(v, "config"), "meta"), "dpgen_rule"), rid)) {
                g->test = k;
                g->args = json_object_get(v, "arguments");
                g->relation = relation;
                g->column = column;
                g->count++;
            }
        }
    }
}

static generic_test find_generic(const json_t *schema_yml, const json_t *sources, const char *rid, char *rel,
                                 size_t reln)
{
    generic_test g = {0};
    const json_t *model = json_array_get(json_object_get(schema_yml, "models"), 0);
    size_t i, k, j;
    json_t *c, *s, *t;
    find_in_tests(json_object_get(model, "data_tests"), rid, "", NULL, &g);
    json_array_foreach(json_object_get(model, "columns"), i, c)
        find_in_tests(json_object_get(c, "data_tests"), rid, "", str(c, "name"), &g);
    json_array_foreach(json_object_get(sources, "sources"), i, s) {
        json_array_foreach(json_object_get(s, "tables"), k, t) {
            generic_test before = g;
            find_in_tests(json_object_get(t, "data_tests"), rid, rel, NULL, &g);
            json_array_foreach(json_object_get(t, "columns"), j, c)
                find_in_tests(json_object_get(c, "data_tests"), rid, rel, str(c, "name"), &g);
            if (g.count != before.count)
                snprintf(rel, reln, "%s.%s", str(s, "name"), str(t, "name"));
        }
    }
    return g;
}

/* The SQL dbt (dbt-adapters' and dbt_utils' macros) runs for the test: its
 * failing rows. model: the table the model was built into. */
static char *generic_sql(const generic_test *g, const char *model)
{
    const char *r = *g->relation ? g->relation : model;
    dp_buf b;
    dp_buf_init(&b, 0);
    if (!strcmp(g->test, "not_null")) {
        dp_buf_printf(&b, "select %s from %s where %s is null", g->column, r, g->column);
    } else if (!strcmp(g->test, "dbt_utils.expression_is_true")) {
        assert_null(g->column); /* on a column dbt_utils would prefix the column's name */
        dp_buf_printf(&b, "select * from %s where not(%s)", r, str(g->args, "expression"));
    } else if (!strcmp(g->test, "dbt_utils.unique_combination_of_columns")) {
        dp_buf b2;
        dp_buf_init(&b2, 0);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(g->args, "combination_of_columns"), i, c)
            dp_buf_printf(&b2, "%s%s", i ? ", " : "", json_string_value(c));
        dp_buf_printf(&b, "select %s from %s group by %s having count(*) > 1", dp_buf_cstr(&b2), r, dp_buf_cstr(&b2));
        dp_buf_dispose(&b2);
    } else if (!strcmp(g->test, "relationships")) {
        const char *to = str(g->args, "to"), *a = strstr(to, "source('"), *mid = a ? strstr(a, "', '") : NULL;
        assert_non_null(mid);
        dp_buf_printf(&b,
                      "with child as (select %s as from_field from %s where %s is not null), "
                      "parent as (select %s as to_field from %.*s.%.*s) "
                      "select from_field from child left join parent on child.from_field = parent.to_field "
                      "where parent.to_field is null",
                      g->column, r, g->column, str(g->args, "field"), (int)(mid - a - 8), a + 8,
                      (int)(strlen(mid + 4) - 2), mid + 4);
    } else {
        fail_msg("unexpected generic test %s", g->test);
    }
    return dp_buf_detach(&b);
}

/* ---- tests ---- */

static void test_schema_copies(void **state)
{
    (void)state;
    char a[1024], b[1024];
    snprintf(a, sizeof(a), "%s/schemas/%s", tu_source_dir(), DP_SPEC_SCHEMA_NAME);
    snprintf(b, sizeof(b), "%s/share/%s", tu_source_dir(), DP_SPEC_SCHEMA_NAME);
    size_t la = 0, lb = 0, le = 0;
    char *ta = tu_read_text(a, &la), *tb = tu_read_text(b, &lb);
    assert_non_null(ta);
    assert_non_null(tb);
    if (la != lb || memcmp(ta, tb, la))
        fail_msg("share/%s differs from schemas/%s: copy the canonical file", DP_SPEC_SCHEMA_NAME, DP_SPEC_SCHEMA_NAME);
    const char *te = dp_embedded_find(DP_SPEC_SCHEMA_NAME, &le);
    assert_non_null(te);
    if (le != la || memcmp(te, ta, la))
        fail_msg("the library's embedded %s is stale: rebuild", DP_SPEC_SCHEMA_NAME);
    free(ta);
    free(tb);
}

static void test_yaml_to_json(void **state)
{
    (void)state;
    const char *text = "t: true\nf: False\nn: null\ntilde: ~\nempty:\ni: -42\nbig: 123456789012345678901234\n"
                       "r: 2.5e3\ndot: .5\nqs: \"true\"\nq1: '12'\nword: yes\nver: 1.0.0\nhex: 0x1F\n"
                       "list: [1, a, {k: [false]}]\n";
    dp_arena *a = dp_arena_new(0);
    dp_node *doc = NULL;
    dp_error err = {0};
    assert_int_equal(dp_yaml_parse(&doc, a, "t.yml", text, strlen(text), &err), 0);
    json_t *j = NULL;
    assert_int_equal(dp_packaging__yaml_to_json(&j, doc, &err), 0);
    json_t *want = json_loads("{\"t\":true,\"f\":false,\"n\":null,\"tilde\":null,\"empty\":null,\"i\":-42,"
                              "\"big\":1.2345678901234568e23,\"r\":2500.0,\"dot\":0.5,\"qs\":\"true\",\"q1\":\"12\","
                              "\"word\":\"yes\",\"ver\":\"1.0.0\",\"hex\":\"0x1F\",\"list\":[1,\"a\",{\"k\":[false]}]}",
                              0, NULL);
    assert_non_null(want);
    if (!json_equal(j, want)) {
        char *got = json_dumps(j, JSON_COMPACT);
        fail_msg("got %s", got);
    }
    json_decref(j);
    json_decref(want);
    dp_arena_free(a);
}

typedef struct vthread {
    const json_t *spec;
    int failures;
} vthread;

static void *validate_loop(void *p)
{
    vthread *v = p;
    for (int i = 0; i < 20; i++) {
        dp_error err = {0};
        v->failures += dp_packaging__spec_validate(v->spec, &err) != 0;
    }
    return NULL;
}

/* A broken spec is refused, naming the field. */
static void test_spec_validation(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    go.as_of = "2025-07-15";
    assert_int_equal(dp_generate(&res, F.cat, SEED, &go, &err), 0);
    json_t *spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
    assert_non_null(spec);
    assert_int_equal(dp_packaging__spec_validate(spec, &err), 0);
    assert_non_null(strstr(dp_result_spec(res, DP_FORMAT_JSON), "spec validated against"));
    static const struct {
        const char *pointer, *value, *want;
    } breaks[] = {
        {"/metadata/name", "42", "/metadata/name: expected string"},
        {"/metadata/name", "\"../evil\"", "/metadata/name: "},
        {"/quality/rules/0/severity", "\"fatal\"", "/quality/rules/0/severity: "},
        {"/transformation/test_run/rows", "-1", "/transformation/test_run/rows: "},
        {"/lineage/upstream", "[]", "/lineage/upstream: "},
        {"/execution/stages/0/stage", "\"guessing\"", "/execution/stages/0/stage: "},
        {"/data_model/columns/0/role", "\"key\"", "/data_model/columns/0/role: "},
    };
    for (size_t i = 0; i < sizeof(breaks) / sizeof(*breaks); i++) {
        json_t *bad = json_deep_copy(spec);
        /* walk the pointer to the parent */
        char tok[64];
        json_t *cur = bad;
        const char *p = breaks[i].pointer + 1, *slash;
        while ((slash = strchr(p, '/'))) {
            snprintf(tok, sizeof(tok), "%.*s", (int)(slash - p), p);
            cur = json_is_array(cur) ? json_array_get(cur, strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
            p = slash + 1;
        }
        snprintf(tok, sizeof(tok), "%s", p);
        json_t *v = json_loads(breaks[i].value, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        if (json_is_array(cur))
            json_array_set_new(cur, strtoul(tok, NULL, 10), v);
        else
            json_object_set_new(cur, tok, v);
        memset(&err, 0, sizeof(err));
        assert_int_equal(dp_packaging__spec_validate(bad, &err), DP_ERROR);
        if (!strstr(err.message, breaks[i].want))
            fail_msg("%s: got '%s'", breaks[i].pointer, err.message);
        assert_non_null(strstr(err.message, "does not validate against dpgen-spec-1.0.json"));
        json_decref(bad);
    }
    /* unknown top-level section, missing section */
    json_t *bad = json_deep_copy(spec);
    json_object_set_new(bad, "extra", json_true());
    assert_int_equal(dp_packaging__spec_validate(bad, &err), DP_ERROR);
    json_object_del(bad, "extra");
    json_object_del(bad, "sla");
    assert_int_equal(dp_packaging__spec_validate(bad, &err), DP_ERROR);
    assert_non_null(strstr(err.message, "sla"));
    json_decref(bad);
    /* the compiled schema is shared by threads */
    pthread_t th[4];
    vthread args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (vthread){spec, 0};
        assert_int_equal(pthread_create(&th[i], NULL, validate_loop, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    json_decref(spec);
    /* an export needs a valid spec */
    assert_int_equal(dp_result_export(NULL, F.tmp, &err), DP_EINVALID);
    dp_result_free(res);
}

static void test_sql_retarget(void **state)
{
    (void)state;
    json_t *tables = json_array();
    dp_sql_target t = {"dp_result_x", "{{ ref('p') }}", "p", 1, tables};
    const char *sql = "-- from a.b {{x}}\nSELECT a.b, 'dp_result_x {%' FROM \"s\".\"t\" AS t JOIN s2.t2 ON t.k = s2.k "
                      "WHERE x IN (SELECT 1 FROM dp_result_x) AND y = \"dp_result_x\"";
    char *out = dp_packaging__sql_retarget(sql, &t);
    assert_non_null(out);
    assert_string_equal(out, "-- from a.b {{ '{{' }}x}}\nSELECT a.b, 'p {{ '{%' }}' FROM {{ source('s', 't') }} AS t JOIN "
                             "{{ source('s2', 't2') }} ON t.k = s2.k WHERE x IN (SELECT 1 FROM {{ ref('p') }}) AND y = "
                             "\"dp_result_x\"");
    free(out);
    char *list = json_dumps(tables, JSON_COMPACT);
    assert_string_equal(list, "[\"s.t\",\"s2.t2\"]");
    free(list);
    json_decref(tables);
    /* FROM that does not name a table */
    dp_sql_target joins = {NULL, NULL, NULL, 1, NULL};
    out = dp_packaging__sql_retarget("SELECT extract(year FROM o.d), (o.k) FROM s.o FULL JOIN a ON o.k IS NOT DISTINCT FROM "
                                     "a.k WHERE EXISTS (SELECT 1 FROM s.p AS p WHERE p.k = o.k)",
                                     &joins);
    assert_string_equal(out, "SELECT extract(year FROM o.d), (o.k) FROM {{ source('s', 'o') }} FULL JOIN a ON o.k IS NOT "
                             "DISTINCT FROM a.k WHERE EXISTS (SELECT 1 FROM {{ source('s', 'p') }} AS p WHERE p.k = o.k)");
    free(out);
    dp_sql_target plain = {"dp_result_x", "gold.p", NULL, 0, NULL};
    out = dp_packaging__sql_retarget("SELECT * FROM dp_result_x WHERE c = 'dp_result_x' -- {{", &plain);
    assert_string_equal(out, "SELECT * FROM gold.p WHERE c = 'dp_result_x' -- {{");
    free(out);
}

/* All exports of one request. */
static void check_exports(const char *request, int index, const char *dialect)
{
    dp_result *result = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    go.dialect = dialect;
    if (dp_generate(&result, F.cat, request, &go, &err))
        fail_msg("%s: %s", request, err.message);
    char dir[600], path[1200];
    snprintf(dir, sizeof(dir), "%s/out%d", F.tmp, index);
    if (dp_result_export(result, dir, &err))
        fail_msg("export of '%s': %s", request, err.message);

    /* the spec, as JSON and as YAML */
    snprintf(path, sizeof(path), "%s/spec.json", dir);
    json_t *spec = json_file(path);
    expect_valid(F.spec_schema, spec, "spec.json");
    snprintf(path, sizeof(path), "%s/spec.yaml", dir);
    json_t *spec_yaml = yaml_file(path);
    expect_valid(F.spec_schema, spec_yaml, "spec.yaml");
    assert_string_equal(str(json_object_get(spec_yaml, "metadata"), "name"), str(json_object_get(spec, "metadata"), "name"));
    json_decref(spec_yaml);
    const char *name = str(json_object_get(spec, "metadata"), "name");
    const char *target = str(json_object_get(spec, "data_model"), "target_table");
    const json_t *run = json_object_get(json_object_get(spec, "transformation"), "test_run");
    const json_t *rules = json_object_get(json_object_get(spec, "quality"), "rules");

    /* README */
    snprintf(path, sizeof(path), "%s/README.md", dir);
    char *md = tu_read_text(path, NULL);
    assert_non_null(md);
    static const char *const sections[] = {"## Purpose", "## Grain", "## Columns", "## Metric definitions", "## Sources",
                                           "## Lineage", "### Column-level lineage", "## Quality rules", "## SLA",
                                           "```mermaid\ngraph LR"};
    for (size_t i = 0; i < sizeof(sections) / sizeof(*sections); i++)
        if (!strstr(md, sections[i]))
            fail_msg("README.md lacks %s", sections[i]);
    free(md);

    /* ODCS */
    snprintf(path, sizeof(path), "%s/%s.odcs.yaml", dir, name);
    json_t *odcs = yaml_file(path);
    expect_valid(F.odcs, odcs, "odcs");
    assert_string_equal(str(odcs, "apiVersion"), "v3.1.0");
    assert_string_equal(str(odcs, "kind"), "DataContract");
    const json_t *server = json_array_get(json_object_get(odcs, "servers"), 0);
    assert_string_equal(str(server, "type"), "local"); /* test_gx_odcs runs its checks */
    assert_string_equal(str(server, "path"), "./data/{model}.parquet");
    const json_t *obj = json_array_get(json_object_get(odcs, "schema"), 0);
    assert_int_equal(json_array_size(json_object_get(obj, "properties")),
                     json_array_size(json_object_get(json_object_get(spec, "data_model"), "columns")));
    assert_true(json_array_size(json_object_get(odcs, "slaProperties")) >= 3);

    if (F.odcs && index == 0) { /* the check is not vacuous */
        json_t *bad = json_deep_copy(odcs);
        json_object_set_new(json_array_get(json_object_get(json_array_get(json_object_get(bad, "schema"), 0), "properties"), 0),
                            "nullable", json_true());
        assert_int_equal(dp_jsonschema_validate(F.odcs, bad, NULL, 0, &err), DP_EINVALID);
        json_decref(bad);
    }

    /* dbt */
    snprintf(path, sizeof(path), "%s/dbt/dbt_project.yml", dir);
    json_t *proj = yaml_file(path);
    expect_valid(F.dbt_project, proj, "dbt_project.yml");
    assert_string_equal(str(proj, "name"), name);
    json_decref(proj);
    snprintf(path, sizeof(path), "%s/dbt/packages.yml", dir);
    json_t *pk = yaml_file(path);
    assert_string_equal(str(json_array_get(json_object_get(pk, "packages"), 0), "package"), "dbt-labs/dbt_utils");
    json_decref(pk);
    snprintf(path, sizeof(path), "%s/dbt/models/sources.yml", dir);
    json_t *sources = yaml_file(path);
    expect_valid(F.dbt_yml, sources, "sources.yml");
    snprintf(path, sizeof(path), "%s/dbt/models/schema.yml", dir);
    json_t *schema_yml = yaml_file(path);
    expect_valid(F.dbt_yml, schema_yml, "schema.yml");
    /* the spec's quality.dbt_tests is what the project holds */
    const json_t *spec_dbt = json_object_get(json_object_get(spec, "quality"), "dbt_tests");
    assert_true(json_equal(json_object_get(spec_dbt, "models"), json_object_get(schema_yml, "models")));
    assert_true(json_equal(json_object_get(spec_dbt, "sources"), json_object_get(sources, "sources")));
    if (F.dbt_yml && index == 0) {
        json_t *bad = json_deep_copy(sources);
        json_t *tab = json_array_get(json_object_get(json_array_get(json_object_get(bad, "sources"), 0), "tables"), 0);
        json_t *fresh = json_object_get(json_object_get(tab, "config"), "freshness");
        assert_non_null(fresh);
        json_object_set_new(json_object_get(fresh, "warn_after"), "period", json_string("week"));
        json_object_set(tab, "freshness", fresh);
        assert_int_equal(dp_jsonschema_validate(F.dbt_yml, bad, NULL, 0, &err), DP_EINVALID);
        json_decref(bad);
    }
    if (F.dbt_yml) {
        /* the schema does not look inside a source's config: its freshness
         * is checked where the schema defines one */
        json_t *moved = json_deep_copy(sources), *s, *tab;
        size_t si, ti;
        json_array_foreach(json_object_get(moved, "sources"), si, s) {
            json_array_foreach(json_object_get(s, "tables"), ti, tab) {
                json_t *fresh = json_object_get(json_object_get(tab, "config"), "freshness");
                if (fresh)
                    json_object_set(tab, "freshness", fresh);
                if (json_object_get(json_object_get(tab, "config"), "loaded_at_field"))
                    json_object_set(tab, "loaded_at_field",
                                    json_object_get(json_object_get(tab, "config"), "loaded_at_field"));
            }
        }
        expect_valid(F.dbt_yml, moved, "sources.yml (freshness)");
        json_decref(moved);
    }
    const json_t *model = json_array_get(json_object_get(schema_yml, "models"), 0);
    assert_string_equal(str(model, "name"), name);
    assert_true(json_is_true(json_object_get(json_object_get(json_object_get(model, "config"), "contract"), "enforced")));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(model, "columns"), i, c) {
        /* the contract's types are the design's (PostgreSQL's names in
         * that dialect); not-null keys are constraints */
        const json_t *dc = json_array_get(json_object_get(json_object_get(spec, "data_model"), "columns"), i);
        assert_string_equal(str(c, "name"), str(dc, "name"));
        if (!dialect)
            assert_string_equal(str(c, "data_type"), str(dc, "type"));
        else if (!strcmp(str(dc, "type"), "DOUBLE"))
            assert_string_equal(str(c, "data_type"), "double precision");
        char *dcc = json_dumps(json_object_get(dc, "constraints"), JSON_COMPACT);
        int nn = json_is_true(json_object_get(dc, "not_null")) ||
                 (json_is_true(json_object_get(dc, "primary_key")) && dcc && strstr(dcc, "\"not_null\""));
        free(dcc);
        assert_int_equal(str(json_array_get(json_object_get(c, "constraints"), 0), "type")[0] != 0, nn);
        assert_false(has_test(json_object_get(c, "data_tests"), "dbt_utils.expression_is_true"));
    }

    /* GX suite: the spec's, in GX 1.x form */
    snprintf(path, sizeof(path), "%s/gx/%s_suite.json", dir, name);
    json_t *gx = json_file(path);
    const json_t *spec_gx = json_object_get(json_object_get(spec, "quality"), "great_expectations_suite");
    assert_string_equal(str(gx, "name"), str(spec_gx, "name"));
    assert_int_equal(json_array_size(json_object_get(gx, "expectations")), json_array_size(json_object_get(spec_gx, "expectations")));
    json_array_foreach(json_object_get(gx, "expectations"), i, c) {
        assert_true(json_is_string(json_object_get(c, "type")));
        assert_true(json_is_object(json_object_get(c, "kwargs")));
        assert_true(json_is_object(json_object_get(c, "meta")));
        assert_true(json_is_string(json_object_get(json_object_get(c, "meta"), "rule_id")));
        /* types are the dbt contract's (test_gx_odcs runs the suite) */
        assert_string_not_equal(str(c, "type"), "expect_column_values_to_be_of_type");
        assert_true(json_equal(c, json_array_get(json_object_get(spec_gx, "expectations"), i)));
    }
    json_decref(gx);

    /* Airflow */
    snprintf(path, sizeof(path), "%s/airflow/%s_dag.py", dir, name);
    char *dag = tu_read_text(path, NULL), want[512];
    assert_non_null(dag);
    assert_non_null(strstr(dag, "dbt(\"dbt_deps\", \"deps\")"));
    assert_non_null(strstr(dag, "dbt(\"dbt_source_freshness\", \"source freshness\")"));
    snprintf(want, sizeof(want), "dbt(\"dbt_build\", \"build --select +%s\")", name);
    assert_non_null(strstr(dag, want));
    assert_non_null(strstr(dag, "dbt_deps >> dbt_source_freshness >> dbt_build"));
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    if (sch.grain)
        snprintf(want, sizeof(want), "schedule=\"%s\"", sch.cron);
    else
        snprintf(want, sizeof(want), "schedule=None");
    assert_non_null(strstr(dag, want));
    if (!strcmp(request, SEED))
        assert_string_equal(sch.cron, "0 8 * * 1"); /* weekly: Mondays */
    free(dag);

    if (!dialect) {
        /* the model runs in DuckDB and returns the test run's rows */
        duckdb_connection con = NULL;
        assert_int_equal(dp_db_connect(&con, F.cat->db, &err), 0);
        snprintf(path, sizeof(path), "%s/dbt/models/%s.sql", dir, name);
        char *model_sql = tu_read_text(path, NULL);
        assert_non_null(model_sql);
        assert_null(strstr(model_sql, "bronze."));
        char *sql = resolve_dbt(model_sql, "?", sources);
        free(model_sql);
        assert_int_equal(count_rows(con, sql, "dbt model"), json_integer_value(json_object_get(run, "rows")));
        size_t len = strlen(sql) + 100;
        char *create = malloc(len);
        assert_non_null(create);
        snprintf(create, len, "CREATE OR REPLACE TEMP TABLE exported_model AS %s", sql);
        if (dp_db_query(con, create, 0, NULL, NULL, &err))
            fail_msg("%s", err.message);
        free(create);
        free(sql);

        /* every rule: a generic test, the contract, or a singular test that
         * finds the same failing rows */
        json_t *rule;
        json_array_foreach(rules, i, rule) {
            char id[16];
            snprintf(id, sizeof(id), "%s", str(rule, "id"));
            id[0] = 'q';
            snprintf(path, sizeof(path), "%s/dbt/tests/%s_%s_%s.sql", dir, name, id, str(rule, "type"));
            char *test = tu_read_text(path, NULL);
            const json_t *res = json_object_get(rule, "result");
            char rel[300] = "";
            generic_test g = find_generic(schema_yml, sources, str(rule, "id"), rel, sizeof(rel));
            /* each rule once: the contract, a generic test or a singular test */
            assert_int_equal(!strcmp(str(rule, "type"), "types") + g.count + (test != NULL), 1);
            char *tsql = NULL;
            if (test) {
                assert_non_null(strstr(test, "{{ config(severity='"));
                assert_null(strstr(test, "depends_on"));
                tsql = resolve_dbt(test, "exported_model", sources);
                free(test);
            } else if (g.count) {
                tsql = generic_sql(&g, "exported_model");
            }
            if (tsql && json_is_integer(json_object_get(res, "failing_rows")))
                assert_int_equal(count_rows(con, tsql, str(rule, "id")),
                                 json_integer_value(json_object_get(res, "failing_rows")));
            free(tsql);
        }

        /* SQL assertions and ODCS SQL checks on the deployed table */
        const char *dot = strchr(target, '.');
        char attach[300], deploy[700];
        /* as dbt deploys it: a schema of that name (the types assertion
         * reads the catalog's schema_name) */
        snprintf(attach, sizeof(attach), "ATTACH ':memory:' AS deployed");
        if (dp_db_query(con, attach, 0, NULL, NULL, &err))
            fail_msg("%s: %s", attach, err.message);
        snprintf(deploy, sizeof(deploy), "CREATE SCHEMA deployed.%.*s", (int)(dot - target), target);
        if (dp_db_query(con, deploy, 0, NULL, NULL, &err))
            fail_msg("%s: %s", deploy, err.message);
        snprintf(deploy, sizeof(deploy), "SET search_path = 'src.main,deployed.%.*s'", (int)(dot - target), target);
        if (dp_db_query(con, deploy, 0, NULL, NULL, &err))
            fail_msg("%s: %s", deploy, err.message);
        snprintf(deploy, sizeof(deploy), "CREATE TABLE deployed.%s AS SELECT * FROM exported_model", target);
        if (dp_db_query(con, deploy, 0, NULL, NULL, &err))
            fail_msg("%s: %s", deploy, err.message);
        snprintf(path, sizeof(path), "%s/sql/assertions.sql", dir);
        char *asserts = tu_read_text(path, NULL);
        assert_non_null(asserts);
        size_t nrule = 0;
        for (char *p = asserts; (p = strstr(p, "\n-- Q"));) {
            char *stmt = strstr(p, "\nSELECT");
            assert_non_null(stmt);
            char *end = strstr(stmt, ";\n");
            assert_non_null(end);
            *end = 0;
            const json_t *rule_n = json_array_get(rules, nrule++);
            assert_non_null(rule_n);
            assert_int_equal(strncmp(p + 4, str(rule_n, "id"), strlen(str(rule_n, "id"))), 0);
            const json_t *res = json_object_get(rule_n, "result");
            if (json_is_integer(json_object_get(res, "failing_rows")))
                assert_int_equal(count_rows(con, stmt + 1, str(rule_n, "id")), json_integer_value(json_object_get(res, "failing_rows")));
            p = end + 1;
        }
        assert_int_equal(nrule, json_array_size(rules));
        free(asserts);
        /* the ODCS checks run over the contract's local server: test_gx_odcs */
        snprintf(attach, sizeof(attach), "DETACH deployed");
        dp_db_query(con, attach, 0, NULL, NULL, &err);
        duckdb_disconnect(&con);
    }
    json_decref(schema_yml);
    json_decref(sources);
    json_decref(odcs);
    json_decref(spec);
    dp_result_free(result);
}

static void test_exports(void **state)
{
    (void)state;
    for (size_t i = 0; i < NREQ; i++)
        check_exports(requests[i], (int)i, NULL);
    check_exports(requests[1], (int)NREQ, "postgres");
}

/* A second export into the same folder replaces the files, leaving no
 * stale singular tests. */
static void test_export_twice(void **state)
{
    (void)state;
    dp_result *res = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    assert_int_equal(dp_generate(&res, F.cat, SEED, &go, &err), 0);
    char dir[600], stale[900];
    snprintf(dir, sizeof(dir), "%s/twice", F.tmp);
    assert_int_equal(dp_result_export(res, dir, &err), 0);
    snprintf(stale, sizeof(stale), "%s/dbt/tests/weekly_marketing_performance_by_campaign_q999_gone.sql", dir);
    FILE *f = fopen(stale, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(dp_result_export(res, dir, &err), 0);
    struct stat st;
    assert_int_not_equal(stat(stale, &st), 0);
    dp_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_copies), cmocka_unit_test(test_yaml_to_json),
        cmocka_unit_test(test_sql_retarget),  cmocka_unit_test(test_spec_validation),
        cmocka_unit_test(test_exports),       cmocka_unit_test(test_export_twice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

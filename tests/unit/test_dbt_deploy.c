/* The exported dbt project deployed as dbt-duckdb would run it, on a small
 * demo: profiles.yml's env_var() defaults resolved in the project folder,
 * the product built in its own database with the source database attached
 * READ_ONLY under the profile's alias; the model created with its enforced
 * contract (data types, not-null and primary-key constraints) and filled
 * with the model's SQL; every rule's dbt test (generic ones as the SQL dbt
 * and dbt_utils run) finds the rule's failing rows there; the freshness
 * expressions return timestamps; the source database is never written. */
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
#include "catalog/db.h"
#include "packaging/validate.h"
#include "util/buf.h"
#include "testutil.h"

static const char *const requests[] = {
    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
    "Daily sales by region and product category",
    ("Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support "
     "tickets and average satisfaction"),
    "top 10 products by units sold",
    /* a grain key with a NULL group (orphans): no not-null constraint */
    "Orders, revenue and support tickets by customer region",
};
#define NREQ (sizeof(requests) / sizeof(*requests))

static char tmp[256], demo[512];

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static json_t *yaml_file(const char *path)
{
    json_t *doc = NULL;
    dp_error err = {0};
    if (dp_packaging__yaml_file_to_json(&doc, path, &err))
        fail_msg("%s", err.message);
    return doc;
}

/* The default of "{{ env_var('VAR', 'default') }}"; fails on anything else. */
static void env_default(const char *value, const char *var, char *out, size_t n)
{
    char head[128];
    snprintf(head, sizeof(head), "{{ env_var('%s', '", var);
    if (strncmp(value, head, strlen(head)))
        fail_msg("'%s' is not env_var('%s', ...)", value, var);
    const char *a = value + strlen(head), *e = strstr(a, "') }}");
    assert_non_null(e);
    assert_true((size_t)(e - a) < n);
    snprintf(out, n, "%.*s", (int)(e - a), a);
    assert_true(out[0] != '/' && out[0]); /* relative to the project */
}

/* {{ source('s', 't') }} -> db.s.t, {{ ref('x') }} -> model; config()
 * lines dropped. */
static char *resolve(const char *sql, const char *db, const char *model)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const char *p = sql;
    while (*p) {
        if (!strncmp(p, "{{ config(", 10)) {
            const char *e = strchr(p, '\n');
            p = e ? e + 1 : p + strlen(p);
        } else if (!strncmp(p, "{{ source('", 11)) {
            const char *a = p + 11, *mid = strstr(a, "', '"), *end = mid ? strstr(mid, "') }}") : NULL;
            assert_non_null(end);
            dp_buf_printf(&b, "%s.%.*s.%.*s", db, (int)(mid - a), a, (int)(end - mid - 4), mid + 4);
            p = end + 5;
        } else if (!strncmp(p, "{{ ref('", 8)) {
            const char *end = strstr(p, "') }}");
            assert_non_null(end);
            dp_buf_puts(&b, model);
            p = end + 5;
        } else {
            if (p[0] == '{' && (p[1] == '{' || p[1] == '%'))
                fail_msg("unexpected Jinja at: %.60s", p);
            dp_buf_putc(&b, *p++);
        }
    }
    return dp_buf_detach(&b);
}

static void exec(duckdb_connection con, const char *sql)
{
    dp_error err = {0};
    if (dp_db_query(con, sql, 0, NULL, NULL, &err))
        fail_msg("%s\n%s", err.message, sql);
}

static long long count_rows(duckdb_connection con, const char *sql, const char *what)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_buf_printf(&b, "SELECT count(*) FROM (%s) AS t", sql);
    char out[64];
    dp_error err = {0};
    if (dp_db_scalar(con, dp_buf_cstr(&b), out, sizeof(out), &err))
        fail_msg("%s: %s\n%s", what, err.message, sql);
    dp_buf_dispose(&b);
    return strtoll(out, NULL, 10);
}

/* The SQL of a generic test, as dbt-adapters' and dbt_utils' macros write
 * it (column: NULL for a table-level test). */
static char *generic_sql(const char *test, const json_t *args, const char *rel, const char *column, const char *db)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const char *col = column ? column : "<no column>"; /* a column test without one fails in DuckDB */
    if (!strcmp(test, "not_null")) {
        dp_buf_printf(&b, "select %s from %s where %s is null", col, rel, col);
    } else if (!strcmp(test, "dbt_utils.expression_is_true")) {
        assert_null(column);
        dp_buf_printf(&b, "select * from %s where not(%s)", rel, str(args, "expression"));
    } else if (!strcmp(test, "dbt_utils.unique_combination_of_columns")) {
        dp_buf cols;
        dp_buf_init(&cols, 0);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(args, "combination_of_columns"), i, c)
            dp_buf_printf(&cols, "%s%s", i ? ", " : "", json_string_value(c));
        dp_buf_printf(&b, "select %s from %s group by %s having count(*) > 1", dp_buf_cstr(&cols), rel,
                      dp_buf_cstr(&cols));
        dp_buf_dispose(&cols);
    } else if (!strcmp(test, "relationships")) {
        char to[300];
        snprintf(to, sizeof(to), "{{ %s }}", str(args, "to"));
        char *parent = resolve(to, db, "?");
        dp_buf_printf(&b,
                      "with child as (select %s as from_field from %s where %s is not null), "
                      "parent as (select %s as to_field from %s) select from_field from child left join parent "
                      "on child.from_field = parent.to_field where parent.to_field is null",
                      col, rel, col, str(args, "field"), parent);
        free(parent);
    } else {
        fail_msg("unexpected generic test %s", test);
    }
    return dp_buf_detach(&b);
}

/* Runs each generic test of a list on rel; counts them per rule id into
 * ran (object id -> failing rows). */
static void run_generic(duckdb_connection con, const json_t *tests, const char *rel, const char *column, const char *db,
                        json_t *ran)
{
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        const char *k;
        json_t *v;
        json_object_foreach(t, k, v) {
            const char *rid = str(json_object_get(json_object_get(v, "config"), "meta"), "dpgen_rule");
            assert_true(*rid);
            assert_null(json_object_get(ran, rid)); /* each rule once */
            char *sql = generic_sql(k, json_object_get(v, "arguments"), rel, column, db);
            json_object_set_new(ran, rid, json_integer(count_rows(con, sql, rid)));
            free(sql);
        }
    }
}

static void deploy(const char *request, int index, dp_catalog *cat)
{
    dp_result *result = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    if (dp_generate(&result, cat, request, &go, &err))
        fail_msg("%s: %s", request, err.message);
    char dir[600], path[1200];
    snprintf(dir, sizeof(dir), "%s/out%d", tmp, index);
    if (dp_result_export(result, dir, &err))
        fail_msg("export: %s", err.message);
    dp_result_free(result);
    snprintf(path, sizeof(path), "%s/spec.json", dir);
    json_t *spec = json_load_file(path, 0, NULL);
    assert_non_null(spec);
    const char *name = str(json_object_get(spec, "metadata"), "name");
    const char *target = str(json_object_get(spec, "data_model"), "target_table");

    /* the profile, resolved as dbt does in the project folder */
    snprintf(path, sizeof(path), "%s/dbt/profiles.yml", dir);
    json_t *prof = yaml_file(path);
    const json_t *dev = json_object_get(json_object_get(json_object_get(prof, "dpgen"), "outputs"), "dev");
    assert_string_equal(str(dev, "type"), "duckdb");
    char tdefault[300], sdefault[300], target_db[1000];
    env_default(str(dev, "path"), "DPGEN_TARGET_DB", tdefault, sizeof(tdefault));
    const json_t *att = json_array_get(json_object_get(dev, "attach"), 0);
    env_default(str(att, "path"), "DPGEN_SOURCE_DB", sdefault, sizeof(sdefault));
    assert_true(json_is_true(json_object_get(att, "read_only")));
    const char *alias = str(att, "alias");
    assert_true(*alias);
    snprintf(target_db, sizeof(target_db), "%s/dbt/%s", dir, tdefault);

    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    assert_int_equal(duckdb_open(target_db, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    char sql[2000];
    snprintf(sql, sizeof(sql), "ATTACH '%s' AS %s (READ_ONLY)", demo, alias); /* DPGEN_SOURCE_DB=<demo> */
    exec(con, sql);

    /* sources name the attached database */
    snprintf(path, sizeof(path), "%s/dbt/models/sources.yml", dir);
    json_t *sources = yaml_file(path);
    size_t i, k, j;
    json_t *s, *t, *c;
    json_array_foreach(json_object_get(sources, "sources"), i, s)
        assert_string_equal(str(s, "database"), alias);

    /* the model with its enforced contract, as dbt-duckdb creates it */
    snprintf(path, sizeof(path), "%s/dbt/models/schema.yml", dir);
    json_t *schema = yaml_file(path);
    const json_t *model = json_array_get(json_object_get(schema, "models"), 0);
    snprintf(path, sizeof(path), "%s/dbt/models/%s.sql", dir, name);
    char *model_text = tu_read_text(path, NULL);
    assert_non_null(model_text);
    char *model_sql = resolve(model_text, alias, "?");
    free(model_text);
    const char *dot = strchr(target, '.');
    snprintf(sql, sizeof(sql), "CREATE SCHEMA IF NOT EXISTS %.*s", (int)(dot - target), target);
    exec(con, sql);
    dp_buf ddl, cols;
    dp_buf_init(&ddl, 0);
    dp_buf_init(&cols, 0);
    dp_buf_printf(&ddl, "CREATE TABLE %s (", target);
    json_array_foreach(json_object_get(model, "columns"), i, c) {
        dp_buf_printf(&ddl, "%s%s %s", i ? ", " : "", str(c, "name"), str(c, "data_type"));
        dp_buf_printf(&cols, "%s%s", i ? ", " : "", str(c, "name"));
        json_array_foreach(json_object_get(c, "constraints"), k, t) {
            assert_string_equal(str(t, "type"), "not_null");
            dp_buf_puts(&ddl, " NOT NULL");
        }
    }
    json_array_foreach(json_object_get(model, "constraints"), k, t) {
        assert_string_equal(str(t, "type"), "primary_key");
        dp_buf_puts(&ddl, ", PRIMARY KEY (");
        json_array_foreach(json_object_get(t, "columns"), j, c)
            dp_buf_printf(&ddl, "%s%s", j ? ", " : "", json_string_value(c));
        dp_buf_putc(&ddl, ')');
    }
    dp_buf_putc(&ddl, ')');
    exec(con, dp_buf_cstr(&ddl));
    dp_buf_clear(&ddl);
    dp_buf_printf(&ddl, "INSERT INTO %s (%s) SELECT %s FROM (%s) AS model_subq", target, dp_buf_cstr(&cols),
                  dp_buf_cstr(&cols), model_sql);
    exec(con, dp_buf_cstr(&ddl));
    const json_t *run = json_object_get(json_object_get(spec, "transformation"), "test_run");
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", target);
    assert_int_equal(count_rows(con, sql, "product"), json_integer_value(json_object_get(run, "rows")));

    /* the contract's types are the types the model returns, where the
     * design states the test run's types (making them agree is the
     * modeling stage's part) */
    int typed = 1;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c) {
        const json_t *rc = json_array_get(json_object_get(run, "result_schema"), i);
        typed &= !strcmp(str(c, "type"), str(rc, "type"));
    }
    if (typed || index == 0) {
        dp_buf_clear(&ddl);
        dp_buf_printf(&ddl, "SELECT count(*) FROM (DESCRIBE (%s)) AS d WHERE ", model_sql);
        json_array_foreach(json_object_get(model, "columns"), i, c) {
            char lit1[300], lit2[300];
            dp_buf_printf(&ddl, "%s(column_name = %s AND column_type <> %s)", i ? " OR " : "",
                          dp_sql_quote_literal(str(c, "name"), lit1, sizeof(lit1)),
                          dp_sql_quote_literal(str(c, "data_type"), lit2, sizeof(lit2)));
        }
        char out[64];
        if (dp_db_scalar(con, dp_buf_cstr(&ddl), out, sizeof(out), &err))
            fail_msg("%s", err.message);
        if (strcmp(out, "0"))
            fail_msg("%s: %s contract type(s) differ from the model's", name, out);
    }
    dp_buf_dispose(&ddl);
    dp_buf_dispose(&cols);
    free(model_sql);

    /* every rule's test, on the deployed product and the attached sources */
    json_t *ran = json_object();
    run_generic(con, json_object_get(model, "data_tests"), target, NULL, alias, ran);
    json_array_foreach(json_object_get(model, "columns"), i, c)
        run_generic(con, json_object_get(c, "data_tests"), target, str(c, "name"), alias, ran);
    json_array_foreach(json_object_get(sources, "sources"), i, s) {
        json_array_foreach(json_object_get(s, "tables"), k, t) {
            char rel[400];
            snprintf(rel, sizeof(rel), "%s.%s.%s", alias, str(s, "name"), str(t, "name"));
            run_generic(con, json_object_get(t, "data_tests"), rel, NULL, alias, ran);
            json_array_foreach(json_object_get(t, "columns"), j, c)
                run_generic(con, json_object_get(c, "data_tests"), rel, str(c, "name"), alias, ran);
            /* freshness: dbt needs a timestamp from max(loaded_at_field) */
            const char *la = str(json_object_get(t, "config"), "loaded_at_field");
            if (*la) {
                char out[64];
                snprintf(sql, sizeof(sql), "SELECT typeof(max(%s)) FROM %s", la, rel);
                if (dp_db_scalar(con, sql, out, sizeof(out), &err))
                    fail_msg("%s", err.message);
                if (strncmp(out, "TIMESTAMP", 9))
                    fail_msg("%s: freshness reads a %s", rel, out);
            }
        }
    }
    json_t *rule;
    size_t nsingular = 0;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        const char *rid = str(rule, "id");
        const json_t *want = json_object_get(json_object_get(rule, "result"), "failing_rows");
        char id[16];
        snprintf(id, sizeof(id), "%s", rid);
        id[0] = 'q';
        snprintf(path, sizeof(path), "%s/dbt/tests/%s_%s_%s.sql", dir, name, id, str(rule, "type"));
        char *test = tu_read_text(path, NULL);
        if (test) {
            assert_null(json_object_get(ran, rid));
            char *tsql = resolve(test, alias, target);
            json_object_set_new(ran, rid, json_integer(count_rows(con, tsql, rid)));
            free(tsql);
            free(test);
            nsingular++;
        }
        if (!strcmp(str(rule, "type"), "types")) {
            assert_null(json_object_get(ran, rid));
            continue;
        }
        if (!json_object_get(ran, rid))
            fail_msg("%s: rule %s has no dbt test", name, rid);
        if (json_is_integer(want) && json_integer_value(json_object_get(ran, rid)) != json_integer_value(want))
            fail_msg("%s: rule %s: dbt finds %lld failing rows, the spec %lld", name, rid,
                     (long long)json_integer_value(json_object_get(ran, rid)), (long long)json_integer_value(want));
    }
    assert_true(nsingular <= json_object_size(ran));
    assert_int_equal(json_object_size(ran), /* every rule but the contract's */
                     json_array_size(json_object_get(json_object_get(spec, "quality"), "rules")) - 1);

    /* the source database is read-only: dbt cannot write into it */
    snprintf(sql, sizeof(sql), "CREATE TABLE %s.main.dpgen_probe AS SELECT 1 AS x", alias);
    assert_int_not_equal(dp_db_query(con, sql, 0, NULL, NULL, &err), 0);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    json_decref(ran);
    json_decref(schema);
    json_decref(sources);
    json_decref(prof);
    json_decref(spec);
}

static void test_deploy(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/dpgen_dbt_deploy_XXXXXX");
    assert_non_null(mkdtemp(tmp));
    snprintf(demo, sizeof(demo), "%s/demo.duckdb", tmp);
    dp_error err = {0};
    if (dp_demo_build(demo, 0.05, &err))
        fail_msg("demo: %s", err.message);
    char models[1024], gloss[1024];
    snprintf(models, sizeof(models), "%s/catalog/demo/semantic_models.yml", tu_source_dir());
    snprintf(gloss, sizeof(gloss), "%s/catalog/demo/glossary.yml", tu_source_dir());
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = demo;
    co.models_path = models;
    co.glossary_path = gloss;
    co.no_state = 1;
    dp_catalog *cat = NULL;
    if (dp_catalog_open(&cat, &co, &err))
        fail_msg("catalog: %s", err.message);
    struct stat before, after;
    assert_int_equal(stat(demo, &before), 0);
    for (size_t i = 0; i < NREQ; i++)
        deploy(requests[i], (int)i, cat);
    dp_catalog_free(cat);
    /* no product table landed in the source database */
    assert_int_equal(stat(demo, &after), 0);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(before.st_size, after.st_size);
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    assert_int_equal(duckdb_open(demo, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    char out[64];
    assert_int_equal(
        dp_db_scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'gold'", out, sizeof(out), &err),
        0);
    assert_string_equal(out, "0");
    duckdb_disconnect(&con);
    duckdb_close(&db);
    if (!getenv("DP_KEEP_EXPORTS"))
        tu_rm_tree(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_deploy)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The dbt project of an export: dbt_project.yml, packages.yml,
 * profiles.yml, the model with its sources as {{ source() }}, schema.yml
 * (enforced contract and generic tests), sources.yml and singular tests
 * for the rules no generic test expresses. */
#include "dpgen/dpgen.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "util/buf.h"
#include "util/error.h"
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Removes the singular tests an earlier export of this product left. */
static void remove_old_tests(const char *dir, const char *name)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/dbt/tests", dir) >= (int)sizeof(path))
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    size_t n = strlen(name);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > n + 5 && !strncmp(e->d_name, name, n) && e->d_name[n] == '_' && e->d_name[n + 1] == 'q' &&
            !strcmp(e->d_name + l - 4, ".sql")) {
            char f[PATH_MAX];
            if (snprintf(f, sizeof(f), "%s/%s", path, e->d_name) < (int)sizeof(f))
                unlink(f);
        }
    }
    closedir(d);
}

/* ---- the dbt project ---- */

/* Whether a list of dbt tests holds one named test. */
static int has_test(const json_t *tests, const char *test)
{
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        if ((json_is_string(t) && !strcmp(json_string_value(t), test)) ||
            (json_is_object(t) && json_object_get(t, test)))
            return 1;
    }
    return 0;
}

static const json_t *model_column(const json_t *model, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(model, "columns"), i, c) {
        if (!strcmp(dp_export__str(c, "name"), name))
            return c;
    }
    return NULL;
}

/* Whether the spec's schema.yml entry already checks the rule with a
 * generic test (or the contract does). */
static int dbt_covers(const json_t *model, const json_t *rule)
{
    const char *type = dp_export__str(rule, "type");
    const json_t *col = model_column(model, dp_export__str(rule, "column"));
    const json_t *ct = json_object_get(col, "data_tests");
    if (!strcmp(type, "types"))
        return 1; /* the enforced contract */
    if (!strcmp(type, "unique_key")) {
        if (has_test(json_object_get(model, "data_tests"), "dbt_utils.unique_combination_of_columns"))
            return 1;
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(model, "columns"), i, c) {
            if (has_test(json_object_get(c, "data_tests"), "unique"))
                return 1;
        }
        return 0;
    }
    if (!col)
        return 0;
    if (!strcmp(type, "not_null"))
        return has_test(ct, "not_null");
    if (!strcmp(type, "accepted_values"))
        return has_test(ct, "accepted_values");
    if (!strcmp(type, "range") || !strcmp(type, "non_negative"))
        return has_test(ct, "dbt_utils.expression_is_true");
    return 0;
}

/* schema.yml: the spec's dbt model with the types DuckDB gave the test run
 * (an enforced contract compares them), and column-level
 * dbt_utils.expression_is_true tests moved to the model: their expressions
 * are whole conditions, and on a column dbt_utils prefixes the column name. */
static json_t *schema_yml(const json_t *spec, const json_t *model)
{
    json_t *m = json_deep_copy(model);
    if (!m)
        return NULL;
    const json_t *rs =
        json_object_get(json_object_get(json_object_get(spec, "transformation"), "test_run"), "result_schema");
    if (!json_is_array(json_object_get(m, "data_tests")))
        json_object_set_new(m, "data_tests", json_array());
    json_t *model_tests = json_object_get(m, "data_tests");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(m, "columns"), i, c) {
        size_t k;
        json_t *r;
        json_array_foreach(rs, k, r) {
            if (!strcmp(dp_export__str(r, "name"), dp_export__str(c, "name")) && *dp_export__str(r, "type"))
                json_object_set_new(c, "data_type", json_string(dp_export__str(r, "type")));
        }
        json_t *tests = json_object_get(c, "data_tests");
        for (k = 0; k < json_array_size(tests);) {
            json_t *t = json_array_get(tests, k);
            if (json_is_object(t) && json_object_get(t, "dbt_utils.expression_is_true")) {
                json_array_append(model_tests, t);
                json_array_remove(tests, k);
            } else {
                k++;
            }
        }
    }
    if (!json_array_size(model_tests))
        json_object_del(m, "data_tests");
    return json_pack("{s:i,s:[o]}", "version", 2, "models", m);
}

/* One dbt singular test per rule the generic tests do not express: the
 * rule's own failing-rows SQL, on ref() and source(). Tables read are noted
 * in tables (for sources.yml). */
static int singular_tests(const char *dir, const json_t *spec, const json_t *model, const char *temp, json_t *tables,
                          int *count, dp_error *err)
{
    const char *name = dp_export__str(json_object_get(spec, "metadata"), "name");
    char ref[300];
    snprintf(ref, sizeof(ref), "{{ ref('%s') }}", name);
    *count = 0;
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        if (dbt_covers(model, rule))
            continue;
        dp_sql_target t = {temp, ref, name, 1, tables};
        char *sql = dp_packaging__sql_retarget(dp_export__str(rule, "sql"), &t);
        if (!sql)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        const json_t *res = json_object_get(rule, "result");
        dp_buf b;
        dp_buf_init(&b, 0);
        dp_buf_printf(&b, "-- %s %s (%s, from %s): ", dp_export__str(rule, "id"), dp_export__str(rule, "type"),
                      dp_export__str(rule, "severity"), dp_export__str(rule, "source"));
        dp_export__comment(&b, dp_export__str(rule, "description"));
        dp_buf_puts(&b, "\n-- Returns the failing rows. dpgen's test run: ");
        dp_export__comment(&b, dp_export__str(res, "status"));
        if (json_is_integer(json_object_get(res, "failing_rows")))
            dp_buf_printf(&b, ", %lld failing row(s)",
                          (long long)json_integer_value(json_object_get(res, "failing_rows")));
        dp_buf_printf(&b, ".\n{{ config(severity='%s') }}\n",
                      !strcmp(dp_export__str(rule, "severity"), "error") ? "error" : "warn");
        if (!strstr(sql, ref))
            dp_buf_printf(&b, "-- depends_on: %s\n", ref); /* runs with `dbt test --select <name>` */
        dp_buf_printf(&b, "%s\n", sql);
        free(sql);
        char rel[PATH_MAX], id[32];
        snprintf(id, sizeof(id), "%s", dp_export__str(rule, "id"));
        for (char *p = id; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        snprintf(rel, sizeof(rel), "dbt/tests/%s_%s_%s.sql", name, id, dp_export__str(rule, "type"));
        int rc = b.toobig ? dp_error_set(err, DP_ENOMEM, "out of memory")
                          : dp_export__write_file(dir, rel, dp_buf_cstr(&b), err);
        dp_buf_dispose(&b);
        if (rc)
            return rc;
        (*count)++;
    }
    return 0;
}

static const json_t *dataset_of_table(const json_t *spec, const char *qualified)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        if (!strcmp(dp_export__str(d, "table"), qualified))
            return d;
    }
    return NULL;
}

/* The column a dataset's rows are dated by (its time dimension in the
 * SQL, when that is a column of the table). */
static const char *loaded_at(const json_t *spec, const json_t *ds)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "transformation"), "ctes"), i, c) {
        const char *td = dp_export__str(c, "time_dimension");
        if (strcmp(dp_export__str(c, "dataset"), dp_export__str(ds, "name")) || !*td)
            continue;
        size_t k;
        json_t *col;
        json_array_foreach(json_object_get(ds, "schema"), k, col) {
            if (!strcmp(dp_export__str(col, "name"), td))
                return td;
        }
    }
    return NULL;
}

/* sources.yml: every table the model and the tests read, grouped by schema;
 * freshness from the product's grain (the newest source day may be a day
 * old when the run starts; a whole period missing is an error). */
static json_t *sources_yml(const json_t *spec, const json_t *tables)
{
    static const struct {
        const char *grain;
        int days;
    } periods[] = {{"day", 1}, {"week", 7}, {"month", 31}, {"quarter", 92}, {"year", 366}};
    const char *grain = json_string_value(json_object_get(json_object_get(spec, "business_context"), "time_grain"));
    int days = 0;
    for (size_t i = 0; grain && i < sizeof(periods) / sizeof(*periods); i++)
        if (!strcmp(grain, periods[i].grain))
            days = periods[i].days;
    json_t *sources = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tables, i, t) {
        const char *qn = json_string_value(t), *dot = strchr(qn, '.');
        if (!dot)
            continue;
        json_t *src = NULL;
        size_t k;
        json_t *s;
        json_array_foreach(sources, k, s) {
            if (strlen(dp_export__str(s, "name")) == (size_t)(dot - qn) &&
                !strncmp(dp_export__str(s, "name"), qn, (size_t)(dot - qn)))
                src = s;
        }
        if (!src) {
            src = json_pack("{s:s%,s:s,s:[]}", "name", qn, (size_t)(dot - qn), "description",
                            "Tables the data product reads, as dpgen found them in the catalog", "tables");
            json_array_append_new(sources, src);
        }
        const json_t *ds = dataset_of_table(spec, qn);
        json_t *tab = json_pack("{s:s}", "name", dot + 1);
        if (!ds) {
            json_object_set_new(tab, "description", json_string("Read by the product's quality rules"));
            json_array_append_new(json_object_get(src, "tables"), tab);
            continue;
        }
        if (*dp_export__str(ds, "description"))
            json_object_set_new(tab, "description", json_string(dp_export__str(ds, "description")));
        const char *la = loaded_at(spec, ds);
        if (la && days) {
            json_object_set_new(tab, "loaded_at_field", json_string(la));
            json_object_set_new(tab, "freshness",
                                json_pack("{s:{s:i,s:s},s:{s:i,s:s}}", "warn_after", "count", 2, "period", "day",
                                          "error_after", "count", days + 1 > 3 ? days + 1 : 3, "period", "day"));
        }
        json_object_set_new(tab, "meta",
                            json_pack("{s:s,s:O,s:O}", "dpgen_dataset", dp_export__str(ds, "name"), "row_count",
                                      json_object_get(ds, "row_count"), "freshest", json_object_get(ds, "freshest")));
        json_t *cols = json_array(), *c;
        json_array_foreach(json_object_get(ds, "columns_used"), k, c) {
            json_t *col = json_pack("{s:s}", "name", json_string_value(c));
            size_t j;
            json_t *sc;
            json_array_foreach(json_object_get(ds, "schema"), j, sc) {
                if (!strcmp(dp_export__str(sc, "name"), json_string_value(c)))
                    json_object_set_new(col, "data_type", json_string(dp_export__str(sc, "type")));
            }
            json_array_append_new(cols, col);
        }
        json_object_set_new(tab, "columns", cols);
        json_array_append_new(json_object_get(src, "tables"), tab);
    }
    return json_pack("{s:i,s:o}", "version", 2, "sources", sources);
}

static const char generate_schema_macro[] =
    "{#- The model's schema is the one the spec names (+schema in dbt_project.yml),\n"
    "    not dbt's default <target schema>_<custom schema>. -#}\n"
    "{% macro generate_schema_name(custom_schema_name, node) -%}\n"
    "    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif "
    "-%}\n"
    "{%- endmacro %}\n";

int dp_export__dbt_project(const char *dir, const json_t *spec, const char *temp, dp_error *err)
{
    const json_t *md = json_object_get(spec, "metadata"), *dm = json_object_get(spec, "data_model");
    const json_t *tx = json_object_get(spec, "transformation");
    const char *name = dp_export__str(md, "name"), *target = dp_export__str(dm, "target_table"),
               *dot = strchr(target, '.');
    const json_t *model =
        json_array_get(json_object_get(json_object_get(json_object_get(spec, "quality"), "dbt_tests"), "models"), 0);
    json_t *proj = NULL, *tables = json_array(), *doc = NULL;
    char *sql = NULL;
    char rel[PATH_MAX];
    int rc = 0, ntests = 0;
    /* dbt_project.yml: the project is named after the product */
    proj = json_pack("{s:s,s:s,s:i,s:s,s:s,s:[s],s:[s],s:[s],s:{s:{s:s}}}", "name", name, "version",
                     dp_export__str(md, "version"), "config-version", 2, "profile", "dpgen", "require-dbt-version",
                     ">=1.10.0", "model-paths", "models", "test-paths", "tests", "macro-paths", "macros", "models",
                     name, "+materialized", dp_export__str(dm, "materialization"));
    if (proj && dot)
        json_object_set_new(json_object_get(json_object_get(proj, "models"), name), "+schema",
                            json_stringn(target, (size_t)(dot - target)));
    if ((rc = dp_export__write_yaml(dir, "dbt/dbt_project.yml", proj, err)))
        goto done;
    json_decref(proj);
    proj =
        json_pack("{s:[{s:s,s:[s,s]}]}", "packages", "package", "dbt-labs/dbt_utils", "version", ">=1.3.0", "<2.0.0");
    if ((rc = dp_export__write_yaml(dir, "dbt/packages.yml", proj, err)))
        goto done;
    json_decref(proj);
    /* profiles.yml: the database the spec was tested on */
    if (!strcmp(dp_export__str(tx, "dialect"), "postgres"))
        proj =
            json_pack("{s:{s:s,s:{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}}}}", "dpgen", "target", "dev", "outputs", "dev",
                      "type", "postgres", "host", "{{ env_var('DPGEN_PG_HOST', 'localhost') }}", "port",
                      "{{ env_var('DPGEN_PG_PORT', '5432') | as_number }}", "user",
                      "{{ env_var('DPGEN_PG_USER', 'dpgen') }}", "password", "{{ env_var('DPGEN_PG_PASSWORD', '') }}",
                      "dbname", "{{ env_var('DPGEN_PG_DBNAME', 'dpgen') }}", "schema", "public", "threads", 1);
    else
        proj = json_pack(
            "{s:{s:s,s:{s:{s:s,s:s,s:i}}}}", "dpgen", "target", "dev", "outputs", "dev", "type", "duckdb", "path",
            dp_export__str(json_object_get(json_object_get(spec, "execution"), "catalog"), "database"), "threads", 1);
    if ((rc = dp_export__write_yaml(dir, "dbt/profiles.yml", proj, err)) ||
        (rc = dp_export__write_file(dir, "dbt/macros/generate_schema_name.sql", generate_schema_macro, err)))
        goto done;
    /* the model: sources as {{ source() }} */
    dp_sql_target t = {NULL, NULL, NULL, 1, tables};
    if (!(sql = dp_packaging__sql_retarget(dp_export__str(tx, "sql"), &t))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t n = strlen(sql); n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n'); n--)
        sql[n - 1] = 0;
    snprintf(rel, sizeof(rel), "dbt/models/%s.sql", name);
    {
        size_t len = strlen(sql) + 2;
        char *text = malloc(len);
        if (!text) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        snprintf(text, len, "%s\n", sql);
        rc = dp_export__write_file(dir, rel, text, err);
        free(text);
        if (rc)
            goto done;
    }
    if ((rc = dp_export__write_yaml(dir, "dbt/models/schema.yml", (doc = schema_yml(spec, model)), err)))
        goto done;
    json_decref(doc);
    doc = NULL;
    remove_old_tests(dir, name);
    if ((rc = singular_tests(dir, spec, model, temp, tables, &ntests, err)))
        goto done;
    rc = dp_export__write_yaml(dir, "dbt/models/sources.yml", (doc = sources_yml(spec, tables)), err);
done:
    json_decref(proj);
    json_decref(tables);
    json_decref(doc);
    free(sql);
    return rc;
}

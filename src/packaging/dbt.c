/* The dbt project of an export: dbt_project.yml, packages.yml,
 * profiles.yml (paths from the environment, sources read-only), the model
 * with its sources as {{ source() }}, schema.yml (enforced contract with the
 * design's types and constraints) and sources.yml (freshness, source tests). */
#include "dpgen/dpgen.h"
#include "doc/emit.h"
#include "packaging/dbt_int.h"
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
#include <strings.h>
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

static const json_t *design_column(const json_t *spec, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c) {
        if (!strcmp(dp_export__str(c, "name"), name))
            return c;
    }
    return NULL;
}

/* A column the design declares present in every row: not_null (a grain
 * column the test run found no NULL in), or a primary-key column with a
 * not_null constraint. */
static int not_null_key(const json_t *dc)
{
    /* as ODCS's required says, key of the product or not */
    if (json_is_true(json_object_get(dc, "not_null")))
        return 1;
    if (!json_is_true(json_object_get(dc, "primary_key")))
        return 0;
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(dc, "constraints"), i, k) {
        if (json_is_string(k) && !strcasecmp(json_string_value(k), "not_null"))
            return 1;
    }
    return 0;
}

/* The contract's data_type: the design's (DuckDB's names), in PostgreSQL
 * the name PostgreSQL has for the same type (dbt creates the table with
 * it; PostgreSQL has no DOUBLE or HUGEINT; DuckDB's VARCHAR has no length,
 * PostgreSQL's unbounded string is text). */
static const char *contract_type(const char *type, int pg)
{
    static const struct {
        const char *duckdb, *postgres;
    } names[] = {{"DOUBLE", "double precision"},
                 {"FLOAT", "real"},
                 {"HUGEINT", "numeric(38,0)"},
                 {"UBIGINT", "numeric(20,0)"},
                 {"UINTEGER", "bigint"},
                 {"USMALLINT", "integer"},
                 {"UTINYINT", "smallint"},
                 {"TINYINT", "smallint"},
                 {"BLOB", "bytea"},
                 {"TIMESTAMP WITH TIME ZONE", "timestamptz"},
                 {"TIMESTAMP_NS", "timestamp"},
                 {"TIMESTAMP_MS", "timestamp"},
                 {"TIMESTAMP_S", "timestamp"},
                 {"VARCHAR", "text"}};
    for (size_t i = 0; pg && i < sizeof(names) / sizeof(*names); i++)
        if (!strcasecmp(type, names[i].duckdb))
            return names[i].postgres;
    return type;
}

/* schema.yml: the spec's dbt model with the design's types (the enforced
 * contract compares them with what the model returns), not-null keys as
 * contract constraints (and the grain as the primary key when every key
 * column is one), and each rule's generic test once. */
static json_t *schema_yml(const json_t *spec, const json_t *model, const dp_dbt_placed *placed)
{
    int pg = !strcmp(dp_export__str(json_object_get(spec, "transformation"), "dialect"), "postgres");
    json_t *m = json_deep_copy(model);
    if (!m)
        return NULL;
    json_object_del(m, "data_tests");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(m, "columns"), i, c) {
        const json_t *dc = design_column(spec, dp_export__str(c, "name"));
        if (*dp_export__str(dc, "type"))
            json_object_set_new(c, "data_type", json_string(contract_type(dp_export__str(dc, "type"), pg)));
        if (not_null_key(dc))
            json_object_set_new(c, "constraints", json_pack("[{s:s}]", "type", "not_null"));
        json_t *tests = json_object_get(placed->column_tests, dp_export__str(c, "name"));
        if (tests)
            json_object_set(c, "data_tests", tests);
        else
            json_object_del(c, "data_tests");
    }
    const json_t *keys = json_object_get(json_object_get(spec, "data_model"), "primary_keys");
    int all_keys = json_array_size(keys) > 0;
    json_array_foreach(keys, i, c)
        all_keys &= not_null_key(design_column(spec, json_string_value(c)));
    if (all_keys)
        json_object_set_new(m, "constraints", json_pack("[{s:s,s:O}]", "type", "primary_key", "columns", keys));
    if (json_array_size(placed->model_tests))
        json_object_set(m, "data_tests", placed->model_tests);
    return json_pack("{s:i,s:[o]}", "version", 2, "models", m);
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

static const char *column_type(const json_t *ds, const char *name)
{
    size_t k;
    json_t *col;
    json_array_foreach(json_object_get(ds, "schema"), k, col) {
        if (!strcmp(dp_export__str(col, "name"), name))
            return dp_export__str(col, "type");
    }
    return NULL;
}

/* The column a dataset's rows are dated by: its time dimension in the SQL
 * when that is a column of the table, else the column its freshest value
 * was read from; and its type. */
static const char *loaded_at(const json_t *spec, const json_t *ds, const char **type)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "transformation"), "ctes"), i, c) {
        const char *td = dp_export__str(c, "time_dimension");
        if (strcmp(dp_export__str(c, "dataset"), dp_export__str(ds, "name")) || !*td)
            continue;
        if ((*type = column_type(ds, td)))
            return td;
    }
    const char *tc = dp_export__str(ds, "time_column");
    return *tc && (*type = column_type(ds, tc)) ? tc : NULL;
}

/* The loaded_at_field expression: dbt's freshness check needs a timestamp
 * (a DATE is refused: "Expected a timestamp value"), so any other type is
 * cast; the column is quoted unless it is a plain lower-case name. */
static json_t *loaded_at_expr(const char *col, const char *type)
{
    int plain = (*col >= 'a' && *col <= 'z') || *col == '_';
    for (const char *p = col; *p; p++)
        plain &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    dp_buf b;
    dp_buf_init(&b, 0);
    int ts = !strncasecmp(type, "TIMESTAMP", 9);
    if (!ts)
        dp_buf_puts(&b, "CAST(");
    if (plain) {
        dp_buf_puts(&b, col);
    } else {
        dp_buf_putc(&b, '"');
        for (const char *p = col; *p; p++)
            dp_buf_puts(&b, *p == '"' ? "\"\"" : (char[]){*p, 0});
        dp_buf_putc(&b, '"');
    }
    if (!ts)
        dp_buf_puts(&b, " AS TIMESTAMP)");
    json_t *v = b.toobig ? NULL : json_string(dp_buf_cstr(&b));
    dp_buf_dispose(&b);
    return v;
}

static json_t *source_column(json_t *cols, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) {
        if (!strcmp(dp_export__str(c, "name"), name))
            return c;
    }
    c = json_pack("{s:s}", "name", name);
    json_array_append_new(cols, c);
    return c;
}

/* sources.yml: every table the model and the tests read, grouped by schema
 * (in DuckDB, in the source database attached read-only); freshness from
 * the product's grain for each time source (the newest source day may be a
 * day old when the run starts; a whole period missing is an error; with no
 * grain, only a warning); the source rules' generic tests. */
static json_t *sources_yml(const json_t *spec, const json_t *tables, const dp_dbt_placed *placed, int duckdb)
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
            src = json_pack("{s:s%}", "name", qn, (size_t)(dot - qn));
            if (duckdb)
                json_object_set_new(src, "database", json_string(DP_DBT_SOURCE_DB));
            json_object_set_new(src, "description",
                                json_string("Tables the data product reads, as dpgen found them in the catalog"));
            json_object_set_new(src, "tables", json_array());
            json_array_append_new(sources, src);
        }
        const json_t *ds = dataset_of_table(spec, qn);
        const json_t *st = json_object_get(placed->source_tests, qn);
        json_t *tab = json_pack("{s:s}", "name", dot + 1), *cols = json_array(), *c;
        if (!ds) {
            json_object_set_new(tab, "description", json_string("Read by the product's quality rules"));
        } else {
            if (*dp_export__str(ds, "description"))
                json_object_set_new(tab, "description", json_string(dp_export__str(ds, "description")));
            json_t *config = json_object();
            const char *type = "";
            const char *la = loaded_at(spec, ds, &type);
            if (la) {
                json_object_set_new(config, "loaded_at_field", loaded_at_expr(la, type));
                json_object_set_new(config, "freshness",
                                    days ? json_pack("{s:{s:i,s:s},s:{s:i,s:s}}", "warn_after", "count", 2, "period",
                                                     "day", "error_after", "count", days + 1 > 3 ? days + 1 : 3,
                                                     "period", "day")
                                         : json_pack("{s:{s:i,s:s}}", "warn_after", "count", 2, "period", "day"));
            }
            json_object_set_new(config, "meta",
                                json_pack("{s:s,s:O,s:O}", "dpgen_dataset", dp_export__str(ds, "name"), "row_count",
                                          json_object_get(ds, "row_count"), "freshest",
                                          json_object_get(ds, "freshest")));
            json_object_set_new(tab, "config", config);
            json_array_foreach(json_object_get(ds, "columns_used"), k, c) {
                json_t *col = source_column(cols, json_string_value(c));
                size_t j;
                json_t *sc;
                json_array_foreach(json_object_get(ds, "schema"), j, sc) {
                    if (!strcmp(dp_export__str(sc, "name"), json_string_value(c)))
                        json_object_set_new(col, "data_type", json_string(dp_export__str(sc, "type")));
                }
            }
        }
        const char *cn;
        json_t *ct;
        json_object_foreach(json_object_get(st, "columns"), cn, ct)
            json_object_set(source_column(cols, cn), "data_tests", ct);
        if (json_array_size(cols))
            json_object_set(tab, "columns", cols);
        json_decref(cols);
        if (json_array_size(json_object_get(st, "data_tests")))
            json_object_set(tab, "data_tests", json_object_get(st, "data_tests"));
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

/* profiles.yml: every path or credential from the environment. In DuckDB
 * the product is built in its own database file and the source database is
 * attached read-only, so a run never writes into the sources. */
static int profiles_yml(const char *dir, const json_t *spec, dp_error *err)
{
    const char *name = dp_export__str(json_object_get(spec, "metadata"), "name");
    int pg = !strcmp(dp_export__str(json_object_get(spec, "transformation"), "dialect"), "postgres");
    json_t *doc;
    dp_buf b;
    dp_buf_init(&b, 0);
    if (pg) {
        dp_buf_puts(&b, "# The product's PostgreSQL database, from the environment: DPGEN_PG_HOST,\n"
                        "# DPGEN_PG_PORT, DPGEN_PG_USER, DPGEN_PG_PASSWORD, DPGEN_PG_DBNAME.\n");
        doc = json_pack("{s:{s:s,s:{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}}}}", "dpgen", "target", "dev", "outputs", "dev",
                        "type", "postgres", "host", "{{ env_var('DPGEN_PG_HOST', 'localhost') }}", "port",
                        "{{ env_var('DPGEN_PG_PORT', '5432') | as_number }}", "user",
                        "{{ env_var('DPGEN_PG_USER', 'dpgen') }}", "password", "{{ env_var('DPGEN_PG_PASSWORD', '') }}",
                        "dbname", "{{ env_var('DPGEN_PG_DBNAME', 'dpgen') }}", "schema", "public", "threads", 1);
    } else {
        char target[300], source[64];
        snprintf(target, sizeof(target), "{{ env_var('DPGEN_TARGET_DB', '%s.duckdb') }}", name);
        snprintf(source, sizeof(source), "{{ env_var('DPGEN_SOURCE_DB', 'source.duckdb') }}");
        dp_buf_printf(&b,
                      "# Paths from the environment; relative paths are read from the folder dbt\n"
                      "# runs in (run it in this project folder, as the Airflow DAG does):\n"
                      "#   DPGEN_SOURCE_DB  the source database, attached read-only as %s\n"
                      "#                    (default source.duckdb: a copy or link in this folder)\n"
                      "#   DPGEN_TARGET_DB  the database the product is built in (default %s.duckdb)\n",
                      DP_DBT_SOURCE_DB, name);
        doc = json_pack("{s:{s:s,s:{s:{s:s,s:s,s:[{s:s,s:s,s:b}],s:i}}}}", "dpgen", "target", "dev", "outputs", "dev",
                        "type", "duckdb", "path", target, "attach", "path", source, "alias", DP_DBT_SOURCE_DB,
                        "read_only", 1, "threads", 1);
    }
    int rc = !doc || dp_yaml_emit(&b, doc) || b.toobig
                 ? dp_error_set(err, DP_ENOMEM, "profiles.yml: out of memory")
                 : dp_export__write_file(dir, "dbt/profiles.yml", dp_buf_cstr(&b), err);
    json_decref(doc);
    dp_buf_dispose(&b);
    return rc;
}

json_t *dp_packaging__dbt_properties(const json_t *spec, const char *temp, dp_error *err)
{
    const json_t *model =
        json_array_get(json_object_get(json_object_get(json_object_get(spec, "quality"), "dbt_tests"), "models"), 0);
    int duckdb = strcmp(dp_export__str(json_object_get(spec, "transformation"), "dialect"), "postgres") != 0;
    dp_dbt_placed placed = {0};
    json_t *out = NULL, *models = NULL, *sources = NULL;
    char *sql = NULL;
    /* the tables the model reads, then those its tests read: as the export */
    dp_sql_target t = {NULL, NULL, NULL, 1, placed.tables = json_array()};
    if (!model || !placed.tables ||
        !(sql = dp_packaging__sql_retarget(dp_export__str(json_object_get(spec, "transformation"), "sql"), &t)) ||
        dp_dbt__place_rules(&placed, NULL, spec, temp ? temp : "", err) ||
        !(models = schema_yml(spec, model, &placed)) || !(sources = sources_yml(spec, placed.tables, &placed, duckdb)))
        goto done;
    out = json_pack("{s:i,s:O,s:O}", "version", 2, "models", json_object_get(models, "models"), "sources",
                    json_object_get(sources, "sources"));
done:
    if (!out && !err->code)
        dp_error_set(err, DP_ENOMEM, "out of memory");
    free(sql);
    json_decref(models);
    json_decref(sources);
    dp_dbt__placed_dispose(&placed);
    return out;
}

/* A YAML file dbt renders as Jinja, with the catalog's text in it (descriptions,
 * labels, owners, values) kept as text: no delimiter of it is live. */
static int write_yaml_text(const char *dir, const char *rel, json_t *v, dp_error *err)
{
    if (v && dp_export__jinja_literal_tree(v))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return dp_export__write_yaml(dir, rel, v, err);
}

int dp_export__dbt_project(const char *dir, const json_t *spec, const char *temp, dp_error *err)
{
    const json_t *md = json_object_get(spec, "metadata"), *dm = json_object_get(spec, "data_model");
    const json_t *tx = json_object_get(spec, "transformation");
    const char *name = dp_export__str(md, "name"), *target = dp_export__str(dm, "target_table"),
               *dot = strchr(target, '.');
    const json_t *model =
        json_array_get(json_object_get(json_object_get(json_object_get(spec, "quality"), "dbt_tests"), "models"), 0);
    json_t *proj = NULL, *doc = NULL;
    dp_dbt_placed placed = {0};
    char *sql = NULL;
    char rel[PATH_MAX];
    int rc = 0;
    if (!strcmp(name, DP_DBT_SOURCE_DB))
        return dp_error_set(err, DP_EINVALID, "product name '%s' is the dbt project's name of its source database",
                            name);
    if (!(placed.tables = json_array()))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    /* dbt_project.yml: the project is named after the product; 1.10.5 reads
     * tests' arguments: and sources' loaded_at_field under config: */
    proj = json_pack("{s:s,s:s,s:i,s:s,s:s,s:[s],s:[s],s:[s],s:{s:{s:s}}}", "name", name, "version",
                     dp_export__str(md, "version"), "config-version", 2, "profile", "dpgen", "require-dbt-version",
                     ">=1.10.5", "model-paths", "models", "test-paths", "tests", "macro-paths", "macros", "models",
                     name, "+materialized", dp_export__str(dm, "materialization"));
    if (proj && dot)
        json_object_set_new(json_object_get(json_object_get(proj, "models"), name), "+schema",
                            json_stringn(target, (size_t)(dot - target)));
    if ((rc = write_yaml_text(dir, "dbt/dbt_project.yml", proj, err)))
        goto done;
    json_decref(proj);
    proj =
        json_pack("{s:[{s:s,s:[s,s]}]}", "packages", "package", "dbt-labs/dbt_utils", "version", ">=1.3.0", "<2.0.0");
    if ((rc = dp_export__write_yaml(dir, "dbt/packages.yml", proj, err)) || (rc = profiles_yml(dir, spec, err)) ||
        (rc = dp_export__write_file(dir, "dbt/macros/generate_schema_name.sql", generate_schema_macro, err)))
        goto done;
    /* the model: sources as {{ source() }} */
    dp_sql_target t = {NULL, NULL, NULL, 1, placed.tables};
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
    remove_old_tests(dir, name);
    if ((rc = dp_dbt__place_rules(&placed, dir, spec, temp, err)))
        goto done;
    if ((rc = write_yaml_text(dir, "dbt/models/schema.yml", (doc = schema_yml(spec, model, &placed)), err)))
        goto done;
    json_decref(doc);
    rc = write_yaml_text(
        dir, "dbt/models/sources.yml",
        (doc = sources_yml(spec, placed.tables, &placed, strcmp(dp_export__str(tx, "dialect"), "postgres") != 0)), err);
done:
    json_decref(proj);
    json_decref(doc);
    dp_dbt__placed_dispose(&placed);
    free(sql);
    return rc;
}

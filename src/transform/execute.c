/* Transformation stage: compile, check (libpg_query, DuckDB prepare), run
 * read-only with time and memory limits into a temporary table, record rows,
 * time, result schema against the target, and a sample. */
#include "orchestrator/run.h"
#include "catalog/db.h"
#include "sql/check.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef struct rows_ctx {
    json_t *arr;
    int as_objects;
} rows_ctx;

static int collect(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    rows_ctx *c = p;
    json_t *o = json_object();
    for (size_t i = 0; i < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    json_array_append_new(c->arr, o);
    return 0;
}

int dp_stage_transform(dp_run *r, dp_error *err)
{
    int rc;
    if ((rc = dp_compile(&r->compiled, r->kg, &r->intent, &r->disc, &r->design, DP_DIALECT_DUCKDB, r->a, err)))
        return rc;
    dp_run_decision(r, "compiled %zu CTE(s): each dataset aggregated at the grain before joining", json_array_size(r->compiled.ctes));
    if (r->dialect == DP_DIALECT_POSTGRES &&
        (rc = dp_compile(&r->compiled_target, r->kg, &r->intent, &r->disc, &r->design, DP_DIALECT_POSTGRES, r->a, err)))
        return rc;
    r->validation = json_object();
    /* 1. PostgreSQL's parser: one read-only SELECT (both dialects) */
    if ((rc = dp_sql_check_select(r->compiled.sql, err)) ||
        (r->dialect == DP_DIALECT_POSTGRES && (rc = dp_sql_check_select(r->compiled_target.sql, err)))) {
        dp_run_warning(r, "generated SQL failed validation: %s", err->message);
        return rc;
    }
    json_object_set_new(r->validation, "parser", json_string("libpg_query: one SELECT statement, no INTO, no locking"));
    /* 2. DuckDB prepares it against the real schema */
    if ((rc = dp_db_prepare_check(r->con, r->compiled.sql, err))) {
        dp_run_warning(r, "DuckDB rejected the generated SQL: %s", err->message);
        return dp_error_prefix(err, "generated SQL does not prepare");
    }
    json_object_set_new(r->validation, "engine", json_string("DuckDB prepared the statement against the source schema"));
    json_object_set_new(r->validation, "is_valid", json_true());
    /* 3. run it, read-only, with a time limit */
    char sql[256];
    r->exec.table = dp_arena_printf(r->a, "dp_result_%s", r->run_id);
    for (char *p = (char *)r->exec.table; *p; p++)
        if (*p == '-')
            *p = '_';
    long timeout = r->opts.timeout_ms > 0 ? r->opts.timeout_ms : 30000;
    char *create = NULL;
    size_t len = strlen(r->compiled.sql) + 200;
    if (!(create = malloc(len)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    snprintf(create, len, "CREATE TEMPORARY TABLE %s AS\n%s", r->exec.table, r->compiled.sql);
    double t0 = now_ms();
    rc = dp_db_query(r->con, create, timeout, NULL, NULL, err);
    free(create);
    r->exec.ms = now_ms() - t0;
    if (rc) {
        dp_run_warning(r, "test run failed: %s", err->message);
        return dp_error_prefix(err, "test run of the generated SQL");
    }
    r->exec.ran = 1;
    char out[64];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", r->exec.table);
    if ((rc = dp_db_scalar(r->con, sql, out, sizeof(out), err)))
        return rc;
    r->exec.rows = atoll(out);
    rows_ctx rs = {json_array(), 1};
    snprintf(sql, sizeof(sql), "SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = '%s' ORDER BY column_index",
             r->exec.table);
    if ((rc = dp_db_query(r->con, sql, 0, collect, &rs, err))) {
        json_decref(rs.arr);
        return rc;
    }
    r->exec.schema = rs.arr;
    rows_ctx sm = {json_array(), 1};
    snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 5", r->exec.table);
    if ((rc = dp_db_query(r->con, sql, 0, collect, &sm, err))) {
        json_decref(sm.arr);
        return rc;
    }
    r->exec.sample = sm.arr;
    /* result schema against the target design: names and type families */
    json_t *diffs = json_array();
    size_t n = json_array_size(r->exec.schema);
    if (n != r->design.ncols)
        json_array_append_new(diffs, json_sprintf("result has %zu columns, target has %zu", n, r->design.ncols));
    for (size_t i = 0; i < n && i < r->design.ncols; i++) {
        json_t *c = json_array_get(r->exec.schema, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *type = json_string_value(json_object_get(c, "type"));
        const dp_target_col *t = &r->design.cols[i];
        if (strcmp(name, t->name))
            json_array_append_new(diffs, json_sprintf("column %zu is %s, target says %s", i + 1, name, t->name));
        const char *fa = dp_type_family(type), *fb = dp_type_family(t->type);
        int numeric_ok = (!strcmp(fa, "integer") || !strcmp(fa, "decimal") || !strcmp(fa, "double")) &&
                         (!strcmp(fb, "integer") || !strcmp(fb, "decimal") || !strcmp(fb, "double")) &&
                         (!strcmp(fa, fb) || !strcmp(fb, "double") || !strcmp(fa, "decimal"));
        if (strcmp(fa, fb) && !numeric_ok)
            json_array_append_new(diffs, json_sprintf("%s is %s, target says %s", name, type, t->type));
    }
    r->exec.schema_check = json_pack("{s:b,s:o}", "matches", json_array_size(diffs) == 0, "differences", diffs);
    dp_run_decision(r, "test run: %lld rows in %.1f ms", r->exec.rows, r->exec.ms);
    if (r->exec.rows == 0)
        dp_run_warning(r, "the test run returned no rows: check the time range and filters");
    return 0;
}

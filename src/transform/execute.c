/* Transformation stage: compile, check (libpg_query, DuckDB prepare), run
 * read-only with time and memory limits into a temporary table, record rows,
 * time, result schema against the target, and a sample. The rows stay in
 * DuckDB (what exceeds the memory limit spills into the state's tmp/); a
 * small result (DP_ROWSET_MAX_ROWS) is also read into C once, where the
 * sample, the counts and most quality rules read it; of a larger one only
 * the count, the schema and 5 sample rows are read into C, and the quality
 * checks run against the table in DuckDB. */
#define DP_LARGE_RESULT_ROWS 1000000LL
#define SAMPLE_ROWS 5
#include "util/fs.h"
#include "orchestrator/run.h"
#include "catalog/db.h"
#include "catalog/rowset.h"
#include "intent/timeparse.h"
#include "sql/check.h"
#include "transform/explain.h"
#include "transform/generator.h"
#include "transform/result_table.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

typedef struct rows_ctx {
    json_t *arr;
    int as_objects;
    json_t *schema; /* [{name, type}] of the result's columns */
    int unnamed;    /* a column whose type dp_db_type_name does not name */
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

static void sample_cols(void *p, size_t ncols, const char *const *names, const char *const *types)
{
    rows_ctx *c = p;
    c->schema = json_array();
    for (size_t i = 0; i < ncols; i++) {
        c->unnamed |= !types[i];
        json_array_append_new(c->schema, json_pack("{s:s,s:s}", "name", names[i], "type", types[i] ? types[i] : "?"));
    }
}

static int compiler_generate(void *self, const dp_sql_request *q, dp_compiled *out, dp_error *err)
{
    (void)self;
    return dp_compile(out, q->kg, q->intent, q->disc, q->design, q->dialect, q->a, err);
}

const dp_sql_generator *dp_generator_compiler(void)
{
    static const dp_sql_generator g = {"metric compiler", 1, compiler_generate, NULL};
    return &g;
}

/* The language model's SQL the intent stage checked (self: the dp_llm_sql):
 * its product SQL, with the compiler's lineage and CTEs of the design's
 * compiled part (what it reconciles with), and the calculation's columns
 * drawn from the base metric's sources. */
static int llm_generate(void *self, const dp_sql_request *q, dp_compiled *out, dp_error *err)
{
    const dp_llm_sql *l = self;
    dp_design *part = dp_arena_alloc(q->a, sizeof(*part));
    if (!part)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    dp_model_compiled_part(q->design, part);
    int rc = dp_compile(out, q->kg, q->intent, q->disc, part, q->dialect, q->a, err);
    if (rc)
        return rc;
    json_t *sources = NULL, *lc;
    size_t i;
    json_array_foreach(out->lineage, i, lc)
        if (!strcmp(json_string_value(json_object_get(lc, "column")), l->base_col))
            sources = json_object_get(lc, "sources");
    for (size_t k = 0; k < l->ncalc; k++)
        json_array_append_new(
            out->lineage,
            json_pack("{s:s,s:O,s:s}", "column", l->calc[k], "sources", sources ? sources : json_null(), "expression",
                      dp_arena_printf(q->a, "%s of %s: the language model's SQL", l->kind, l->base_col)));
    out->sql = l->product_sql;
    out->max_rows = -1; /* the model's SQL is not the compiled part's */
    return 0;
}

/* The statement of the test run: the result kept in a temporary table. */
static char *ctas_sql(const dp_run *r, const char *sql)
{
    size_t len = strlen(sql) + strlen(r->exec.table) + 64;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "CREATE TEMPORARY TABLE %s AS\n%s", r->exec.table, sql);
    return s;
}

/* The text prepared when it is exactly one statement (never running a
 * statement before it, as duckdb_prepare does with several); 0 or -1. */
static int prepare_one(duckdb_connection con, const char *text, duckdb_prepared_statement *out)
{
    duckdb_extracted_statements ex = NULL;
    int rc = -1;
    if (duckdb_extract_statements(con, text, &ex) == 1)
        rc = duckdb_prepare_extracted_statement(con, ex, 0, out) == DuckDBSuccess ? 0 : -1;
    duckdb_destroy_extracted(&ex);
    return rc;
}

typedef struct check_job {
    const char *sql;
    dp_error err;
    int rc;
} check_job;

static void *check_main(void *p)
{
    check_job *j = p;
    j->rc = dp_sql_check_select(j->sql, &j->err);
    return NULL;
}

/* One read-only SELECT by PostgreSQL's parser; DuckDB prepares it against
 * the real schema (kept in *ps, so the test run does not parse, bind and
 * plan it a second time). The parser checks on a thread of its own while
 * DuckDB prepares (each takes about a millisecond and the prepare leaves
 * the second core idle); what it refuses is refused, the statement
 * prepared meanwhile thrown away unrun. */
static int validate_sql(dp_run *r, const char *sql, int prepare, duckdb_prepared_statement *ps, dp_error *err)
{
    if (!prepare)
        return dp_sql_check_select(sql, err);
    check_job job = {sql, {0}, 0};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, check_main, &job) == 0;
    if (!threaded)
        check_main(&job);
    if (ps && *ps)
        duckdb_destroy_prepare(ps);
    int prepared =
        ps && (threaded || !job.rc) && prepare_one(r->con, sql, ps) == 0; /* job.rc is the thread's until joined */
    if (threaded)
        pthread_join(th, NULL);
    if ((job.rc || !prepared) && ps)
        duckdb_destroy_prepare(ps);
    if (job.rc) {
        *err = job.err;
        return job.rc;
    }
    if (prepared)
        return 0;
    int rc;
    if ((rc = dp_db_prepare_check(r->con, sql, err)))
        dp_error_prefix(err, "DuckDB cannot prepare it");
    return rc;
}

/* Tries each generator in turn, each up to its attempts with the last error
 * as feedback; every attempt is logged. */
static int generate_checked(dp_run *r, dp_dialect dialect, dp_compiled *out, json_t *attempts,
                            duckdb_prepared_statement *ps, dp_error *err)
{
    /* a calculation the compiler does not do: the model's SQL, checked in
     * the intent stage (its attempts there come first in the log) */
    dp_sql_generator model = {"language model", 1, llm_generate, r->llm_sql};
    const dp_sql_generator *gens[] = {r->llm_sql ? &model : dp_generator_compiler()};
    int rc = DP_ERROR;
    if (r->llm_sql && dialect == DP_DIALECT_DUCKDB) {
        size_t i;
        json_t *a;
        json_array_foreach(r->llm_sql->log, i, a)
            if (json_integer_value(json_object_get(a, "attempt")) < r->llm_sql->attempts)
                json_array_append(attempts, a);
    }
    for (size_t g = 0; g < sizeof(gens) / sizeof(*gens); g++) {
        const char *feedback = NULL;
        for (int k = 1; k <= gens[g]->max_attempts; k++) {
            dp_sql_request q = {r->kg, &r->intent, &r->disc, &r->design, dialect, r->a, feedback, k};
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            rc = gens[g]->generate(gens[g]->self, &q, out, err);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
            if (rc == DP_ECLARIFY) /* the catalog cannot answer: no generator can */
                return rc;
            if (!rc)
                rc = validate_sql(r, out->sql, dialect == DP_DIALECT_DUCKDB, ps, err);
            json_array_append_new(attempts,
                                  json_pack("{s:s,s:s,s:i,s:f,s:s,s:s?}", "generator", gens[g]->name, "dialect",
                                            dialect == DP_DIALECT_DUCKDB ? "duckdb" : "postgres", "attempt",
                                            gens[g] == &model ? r->llm_sql->attempts : k, "compile_us", us, "result",
                                            rc ? "rejected" : "valid", "error", rc ? err->message : NULL));
            if (!rc)
                return 0;
            dp_run_warning(r, "%s, attempt %d: %s", gens[g]->name, k, err->message);
            feedback = dp_arena_strdup(r->a, err->message);
        }
    }
    return rc;
}

/* Type names equal but for case and spaces ("DECIMAL(38, 2)"). */
static int same_type(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (toupper((unsigned char)*a++) != toupper((unsigned char)*b++))
            return 0;
    }
}

/* A result over the threshold is said: it stayed in DuckDB (only the sample
 * was read), but a product of that size is rarely what was asked. */
static void large_result(dp_run *r)
{
    long long limit = r->opts.large_result_rows > 0 ? r->opts.large_result_rows : DP_LARGE_RESULT_ROWS;
    if (r->exec.rows <= limit)
        return;
    const char *msg =
        dp_arena_printf(r->a,
                        "the test run returned %lld rows, more than the large-result threshold of %lld rows: "
                        "the product is large (a coarser grain or a filter makes it smaller; library: "
                        "dp_generate_options.large_result_rows)",
                        r->exec.rows, limit);
    if (!r->exec.warnings)
        r->exec.warnings = json_array();
    json_array_append_new(r->exec.warnings, json_string(msg));
    dp_run_warning(r, "%s", msg);
}

/* CREATE TABLE AS answers with the number of rows it wrote. */
static int read_count(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    long long *n = p;
    if (ncols == 1 && vals[0])
        *n = atoll(vals[0]);
    return 1;
}

/* Every column of the prepared SELECT of a type the rowset reads. */
static int plain_columns(duckdb_prepared_statement ps)
{
    idx_t n = duckdb_prepared_statement_column_count(ps);
    int plain = n > 0;
    for (idx_t c = 0; plain && c < n; c++) {
        duckdb_logical_type t = duckdb_prepared_statement_column_logical_type(ps, c);
        plain = dp_rowset_plain_type(t);
        duckdb_destroy_logical_type(&t);
    }
    return plain;
}

/* Days of a profile's "YYYY-MM-DD..." value (a date, or a timestamp's
 * day) since 1970-01-01; -1 if none. */
static long day_number(const char *s)
{
    char day[11];
    dp_date d;
    if (!s || strlen(s) < 10)
        return -1;
    memcpy(day, s, 10);
    day[10] = 0;
    return dp_date_parse(day, &d) ? -1 : dp_date_days(d);
}

/* Periods of the run's time grain in the data's span (the request's range,
 * else the widest span of the selected datasets' measures' time
 * dimensions); -1 when unknown. */
static double periods(const dp_run *r)
{
    static const double days[] = {0, 1, 7, 28, 90, 365};
    if (r->intent.grain <= DP_GRAIN_NONE || r->intent.grain > DP_GRAIN_YEAR || r->intent.custom_grain)
        return -1;
    long span = -1;
    if (r->intent.range_start && r->intent.range_end)
        span = day_number(r->intent.range_end) - day_number(r->intent.range_start);
    for (size_t i = 0; span < 0 && i < r->disc.nselected; i++)
        for (size_t k = 0; k < r->disc.selected[i]->nmeasures; k++) {
            const dp_measure *me = &r->disc.selected[i]->measures[k];
            const dp_dimension *d =
                me->agg_time_dimension ? dp_kg_model_dim(r->disc.selected[i], me->agg_time_dimension) : NULL;
            long lo = d && d->column ? day_number(d->column->prof.min) : -1;
            long hi = d && d->column ? day_number(d->column->prof.max) : -1;
            if (lo >= 0 && hi >= lo && hi - lo > span)
                span = hi - lo;
        }
    return span < 0 ? -1 : span / days[r->intent.grain] + 2;
}

/* A bound on the result's rows from the profile: the product of its grain
 * columns' distinct values (the time column's periods), or the rows of the
 * datasets it aggregates when fewer; -1 when neither is known. It only
 * chooses how the test run keeps its rows. */
static double estimated_rows(const dp_run *r)
{
    double est = 1;
    for (size_t i = 0; i < r->design.ncols; i++) {
        const dp_target_col *c = &r->design.cols[i];
        const dp_grain_col *g = c->grain;
        if (!c->is_key || !g)
            continue;
        double n = -1;
        if (g->kind == DP_COL_TIME) {
            n = periods(r);
        } else if (g->kind == DP_COL_DIM) {
            n = g->dim && g->dim->column && g->dim->column->prof.done ? (double)g->dim->column->prof.distinct + 1 : -1;
        } else if (g->dim_model) {
            const dp_entity *e = dp_kg_model_entity(g->dim_model, g->entity);
            const dp_column *col = e ? dp_kg_model_column(g->dim_model, e->expr) : NULL;
            n = col && col->prof.done ? (double)col->prof.distinct + 1 : -1;
        }
        if (n <= 0) {
            est = -1;
            break;
        }
        est *= n;
    }
    /* no more groups than the rows they aggregate */
    double bound = r->compiled.max_rows;
    if (bound >= 0 && (est < 0 || bound < est))
        est = bound;
    return est;
}

typedef struct spill_ctx {
    dp_run *r;
    duckdb_connection *second;
} spill_ctx;

/* A second connection of the run's pool, for a result too large for C. */
static int second_connection(void *payload, duckdb_connection *out, dp_error *err)
{
    spill_ctx *s = payload;
    int rc = dp_db_run_connect(s->second, s->r->cat->db, err);
    *out = *s->second;
    return rc;
}

/* 3. runs it, read-only, with a time limit: the statement the check
 * prepared, streamed, its rows kept in C when they are few (the result's
 * table is made from them only if a check needs it), else appended to the
 * result's table on a second connection (the streaming one runs nothing
 * else meanwhile), which the run then goes on with; a result of other
 * types (or none prepared) into the table by CTAS */
static int test_run(dp_run *r, duckdb_prepared_statement ps, dp_error *err)
{
    int rc;
    dp_run_budget_start(r); /* the test run and the quality checks share one budget */
    long timeout = dp_run_remaining_ms(r);
    long long rows = -1;
    double t0 = dp_now_ms();
    /* a result the profile says is large goes straight into the table
     * (DuckDB writes it there faster than C can append it) */
    double est = ps ? estimated_rows(r) : -1;
    if (ps && plain_columns(ps) && est <= (double)DP_ROWSET_MAX_ROWS) {
        duckdb_connection second = NULL;
        rc = dp_rowset_stream(&r->exec.rowset, r->con, ps, timeout, DP_ROWSET_MAX_ROWS, DP_ROWSET_MAX_BYTES,
                              second_connection, &(spill_ctx){r, &second}, r->exec.table, &rows, err);
        if (second) { /* the table is there: the run goes on on that connection */
            r->exec.stream_con = r->con;
            r->con = second;
        }
        r->exec.table_made = !r->exec.rowset; /* or part of it, on an error: dropped with the run */
    } else {
        char *create = ctas_sql(r, r->compiled.sql);
        if (!create)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        rc = dp_db_query(r->con, create, timeout, read_count, &rows, err);
        free(create);
        r->exec.table_made = 1;
        /* smaller than the profile said: read into C all the same */
        dp_error ignore = {0};
        if (!rc && rows >= 0 && rows <= DP_ROWSET_MAX_ROWS)
            dp_rowset_read(&r->exec.rowset, r->con, dp_arena_printf(r->a, "SELECT * FROM %s", r->exec.table),
                           dp_run_remaining_ms(r), DP_ROWSET_MAX_ROWS, DP_ROWSET_MAX_BYTES, &ignore);
    }
    r->exec.ms = dp_now_ms() - t0;
    if (rc) {
        dp_run_warning(r, "test run failed: %s", err->message);
        if (rc == DP_ELIMIT && dp_run_over(r, err))
            return DP_ELIMIT;
        return dp_error_prefix(err, "test run of the generated SQL");
    }
    r->exec.ran = 1;
    if (rows < 0) { /* no count came back: ask for it */
        char sql[256], out[64];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", r->exec.table);
        if ((rc = dp_db_scalar(r->con, sql, out, sizeof(out), err)))
            return rc;
        rows = atoll(out);
    }
    r->exec.rows = rows;
    return 0;
}

int dp_transform_result_table(dp_run *r, dp_error *err)
{
    if (r->exec.table_made)
        return 0;
    if (!r->exec.rowset)
        return dp_error_set(err, DP_EINVALID, "the test run has no result");
    int rc = dp_rowset_to_table(r->exec.rowset, r->con, r->exec.table, err);
    r->exec.table_made = !rc;
    return rc;
}

/* The sample and the schema from the result kept in C. */
static void rowset_sample(dp_run *r)
{
    dp_rowset *rs = r->exec.rowset;
    r->exec.sample = json_array();
    r->exec.schema = json_array();
    for (size_t i = 0; i < dp_rowset_rows(rs) && i < SAMPLE_ROWS; i++)
        json_array_append_new(r->exec.sample, dp_rowset_row_json(rs, i));
    for (size_t c = 0; c < dp_rowset_cols(rs); c++)
        json_array_append_new(r->exec.schema,
                              json_pack("{s:s,s:s}", "name", dp_rowset_name(rs, c), "type", dp_rowset_type(rs, c)));
}

/* The sample, and the schema from its result's types: the table read once;
 * the pragma only for a type not named from the C API. */
static int read_sample(dp_run *r, dp_error *err)
{
    if (r->exec.rowset) {
        rowset_sample(r);
        return 0;
    }
    char sql[256];
    int rc;
    rows_ctx sm = {json_array(), 1, NULL, 0};
    snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT %d", r->exec.table, SAMPLE_ROWS);
    if ((rc = dp_db_query_cols(r->con, sql, 0, sample_cols, collect, &sm, err))) {
        json_decref(sm.arr);
        json_decref(sm.schema);
        return rc;
    }
    r->exec.sample = sm.arr;
    r->exec.schema = sm.schema;
    if (!sm.schema || sm.unnamed) {
        json_decref(sm.schema);
        r->exec.schema = NULL;
        rows_ctx rs = {json_array(), 1, NULL, 0};
        /* this table only (duckdb_columns() lists every column of the catalog) */
        snprintf(sql, sizeof(sql), "SELECT name, type FROM pragma_table_info('%s') ORDER BY cid", r->exec.table);
        if ((rc = dp_db_query(r->con, sql, 0, collect, &rs, err))) {
            json_decref(rs.arr);
            return rc;
        }
        r->exec.schema = rs.arr;
    }
    return 0;
}

int dp_stage_transform(dp_run *r, dp_error *err)
{
    int rc;
    r->validation = json_object();
    json_t *attempts = json_array();
    json_object_set_new(r->validation, "attempts", attempts);
    duckdb_prepared_statement ps = NULL;
    /* the result's table is named before the test run: the run or a check
     * that reads it fills it */
    r->exec.table = dp_arena_printf(r->a, "dp_result_%s", r->run_id);
    for (char *p = (char *)r->exec.table; *p; p++)
        if (*p == '-')
            *p = '_';
    rc = generate_checked(r, DP_DIALECT_DUCKDB, &r->compiled, attempts, &ps, err);
    if (!rc && r->llm_sql)
        dp_run_decision(r,
                        "the language model's SQL (attempt %d) is the transformation: its columns in the design's "
                        "order, the grain and %s cast to the compiler's types",
                        r->llm_sql->attempts, r->llm_sql->base_col);
    else if (!rc)
        dp_run_decision(r, "compiled %zu CTE(s): each dataset aggregated at the grain before joining",
                        json_array_size(r->compiled.ctes));
    if (!rc && r->dialect == DP_DIALECT_POSTGRES)
        rc = generate_checked(r, DP_DIALECT_POSTGRES, &r->compiled_target, attempts, NULL, err);
    if (!rc) {
        json_object_set_new(r->validation, "parser",
                            json_string("libpg_query: one SELECT statement, no INTO, no locking"));
        json_object_set_new(r->validation, "engine",
                            json_string("DuckDB prepared the statement against the source schema"));
        json_object_set_new(r->validation, "is_valid", json_true());
        rc = test_run(r, ps, err);
    }
    if (ps)
        duckdb_destroy_prepare(&ps);
    if (r->exec.stream_con) /* the statement it ran is gone: back to the pool */
        dp_db_run_release(r->cat->db, &r->exec.stream_con, NULL);
    if (rc)
        return rc;
    if ((rc = read_sample(r, err)))
        return rc;
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
        /* the SQL casts each column to its designed type: the same name */
        if (!same_type(type, t->type))
            json_array_append_new(diffs, json_sprintf("%s is %s, target says %s", name, type, t->type));
    }
    r->exec.schema_check = json_pack("{s:b,s:o}", "matches", json_array_size(diffs) == 0, "differences", diffs);
    dp_run_decision(r, "test run: %lld rows in %.1f ms", r->exec.rows, r->exec.ms);
    /* an empty result, a metric NULL on every row, a range past the data:
     * said, with the cause */
    dp_transform__explain(r);
    large_result(r);
    return 0;
}

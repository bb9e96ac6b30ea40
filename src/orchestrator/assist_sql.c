/* Language-model SQL for a calculation the compiler does not do (docs/llm.md,
 * issue 16 item 3): when the request was read but for one calculation on its
 * metric ("share of", "median"), the model is shown the request, the source
 * tables the metric reaches and the compiler's own SQL for the metric at the
 * grain, and writes one SELECT. dpgen checks it (one SELECT over catalog
 * relations only, dp_sql_check_query), prepares it, checks its columns (the
 * grain and the base metric named as asked, the calculation's beside them),
 * test-runs it under the run's time budget, and reconciles its base column
 * with the compiler's at the same grain; each failure is fed back, three
 * attempts in all. The SQL that passed is the run's transformation
 * (r->llm_sql: the product stages take it, the spec says generator llm); in
 * the PostgreSQL dialect, where it could not be tested, it is only offered
 * in the clarification (proposed_sql). */
#include "orchestrator/run.h"
#include "catalog/db.h"
#include "llm/llm.h"
#include "sql/check.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQL_ATTEMPTS 3
#define SQL_SAMPLE_ROWS 1000 /* rows the test run reads at most */
#define SQL_SAMPLE_KEEP 5    /* of those, kept in the clarification */
#define SQL_MAX_LEN 20000    /* a longer answer is refused unread */
#define SQL_PROMPT_COLUMNS 200 /* a table's columns shown at most */
#define SQL_MAX_COLUMNS 32     /* columns of an answer's result read at most */
#define SQL_NAME_MAX 63        /* a calculation column's name */

/* The missing kinds that are a calculation on a metric the request names
 * (share/calculations.tsv); other kinds are words the catalog lacks. */
static const char *const CALCS[] = {
    "share-of-total metric",     "median metric",  "cumulative metric", "rolling-window metric",
    "period-over-period metric", "average metric", "maximum metric",    "minimum metric",
    "distinct-count metric"};

static const char *SYSTEM =
    "You write SQL for a data request that a metric compiler cannot express. Write ONE PostgreSQL-compatible "
    "SELECT (it runs on DuckDB) over the tables listed only, by their schema-qualified names: no other table, "
    "no table function, no file, no comment, no semicolon. It must return one row per grain value, the grain "
    "columns named exactly as given, the requested calculation in a column named in lower case letters, digits "
    "and underscores, and also the base metric's aggregate at the same grain in a column named exactly as the "
    "base metric. Answer as JSON: {\"sql\": \"...\"}.";

int dp_orch__calculation_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(CALCS) / sizeof(*CALCS); i++)
        if (!strcmp(kind, CALCS[i]))
            return 1;
    return 0;
}

/* A relation the query may read: a bound model of the catalog, named with
 * its schema (the product's SQL then names it as dbt's sources do); the
 * first unqualified name is kept to say so. */
typedef struct relcheck {
    const dp_kg *kg;
    char unqualified[128]; /* (the parse tree's names die with it) */
} relcheck;

static int known(void *payload, const char *schema, const char *name)
{
    relcheck *c = payload;
    if (!schema) {
        if (!c->unqualified[0])
            snprintf(c->unqualified, sizeof(c->unqualified), "%s", name);
        return 0;
    }
    for (size_t i = 0; i < c->kg->nmodels; i++) {
        const dp_model *m = &c->kg->models[i];
        if (m->schema && m->table && !strcasecmp(m->schema, schema) && !strcasecmp(m->table, name))
            return 1;
    }
    return 0;
}

/* What the compiler computes for the base metric at the request's grain. */
typedef struct base {
    dp_intent in;
    dp_discovery disc;
    dp_design design;
    dp_compiled comp;
    const char *grain[DP_PLAN_MAX]; /* the grain columns' names */
    size_t ngrain;
    const dp_target_col *metric;
} base;

/* The stored usage of the datasets, as discovery ranks them in the run. */
static int popularity(void *payload, const char *dataset, double *out)
{
    dp_catalog *cat = payload;
    return cat->state ? dp_state_popularity(cat->state, dataset, out) : -1;
}

static void base_dispose(base *b)
{
    json_decref(b->disc.joins);
    json_decref(b->disc.semantic);
    json_decref(b->comp.lineage);
    json_decref(b->comp.ctes);
}

/* The intent without its calculation, through discovery, design (the
 * columns asked only) and the compiler. */
static int base_compile(dp_run *r, base *b, dp_error *err)
{
    b->in = r->intent;
    b->in.nmissing = 0;
    json_t *notes = json_array();
    unsigned q = 0;
    int rc = dp_discover(&b->disc, r->kg, &b->in, r->a, popularity, r->cat, notes, &q, err);
    json_decref(notes);
    if (!rc)
        rc = dp_model_design(&b->design, r->kg, &b->in, &b->disc, r->a, err);
    if (!rc)
        rc = dp_compile(&b->comp, r->kg, &b->in, &b->disc, &b->design, DP_DIALECT_DUCKDB, r->a, err);
    for (size_t i = 0; !rc && i < b->design.ncols; i++) {
        const dp_target_col *c = &b->design.cols[i];
        if (c->role == DP_ROLE_METRIC)
            b->metric = c;
        else if (b->ngrain < DP_PLAN_MAX)
            b->grain[b->ngrain++] = c->name;
    }
    if (!rc && !b->metric)
        rc = dp_error_set(err, DP_EINVALID, "no metric column");
    return rc;
}

/* The prompt: the request, the calculation, the base metric, the grain,
 * the tables it reaches (columns and types) and the compiler's SQL. */
static char *prompt(const dp_run *r, const base *b, const char *phrase, const char *kind, const char *last_sql,
                    const char *last_error)
{
    json_t *tables = json_array(), *grain = json_array();
    for (size_t i = 0; i < b->disc.nselected; i++) {
        const dp_model *m = b->disc.selected[i];
        json_t *cols = json_array();
        for (size_t k = 0; k < m->ncolumns && k < SQL_PROMPT_COLUMNS; k++)
            json_array_append_new(cols,
                                  json_pack("{s:s,s:s?}", "name", m->columns[k].name, "type", m->columns[k].type));
        json_array_append_new(tables, json_pack("{s:s,s:o}", "relation",
                                                dp_arena_printf(r->a, "%s.%s", m->schema, m->table), "columns", cols));
    }
    for (size_t i = 0; i < b->ngrain; i++)
        json_array_append_new(grain, json_string(b->grain[i]));
    json_t *msg =
        json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s?},s:o,s:o,s:s}", "request", r->request, "calculation", "phrase", phrase,
                  "kind", kind, "base_metric", "column", b->metric->name, "definition", b->metric->formula,
                  "grain_columns", grain, "tables", tables, "base_metric_sql_at_the_grain", b->comp.sql);
    if (msg && last_sql)
        json_object_set_new(msg, "previous_sql", json_string(last_sql));
    if (msg && last_error)
        json_object_set_new(msg, "previous_error", json_string(last_error));
    char *s = msg ? json_dumps(msg, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(msg);
    return s;
}

typedef struct sample {
    long long rows;
    json_t *keep;
} sample;

static const char *l_model(const dp_run *r) { return r->opts.llm->model ? r->opts.llm->model : ""; }

static int take_row(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    sample *s = p;
    if (s->rows++ < SQL_SAMPLE_KEEP) {
        json_t *o = json_object();
        for (size_t i = 0; i < ncols; i++)
            json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
        json_array_append_new(s->keep, o);
    }
    return 0;
}

typedef struct recon {
    long long m_rows, m_keys, d_rows, bad;
    char example[400];
} recon;

static int take_recon(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    recon *c = p;
    if (ncols == 5) {
        c->m_rows = vals[0] ? atoll(vals[0]) : 0;
        c->m_keys = vals[1] ? atoll(vals[1]) : 0;
        c->d_rows = vals[2] ? atoll(vals[2]) : 0;
        c->bad = vals[3] ? atoll(vals[3]) : 0;
        snprintf(c->example, sizeof(c->example), "%s", vals[4] ? vals[4] : "");
    }
    return 1;
}

/* The reconciliation: the model's rows and the compiler's joined on the
 * grain; the base column must agree to 1e-6 relative on every row, each
 * grain value once. */
static char *recon_sql(const base *b, const char *sql, dp_arena *a)
{
    char q[300], v[300];
    dp_buf on, keys, ex;
    dp_buf_init(&on, 0);
    dp_buf_init(&keys, 0);
    dp_buf_init(&ex, 0);
    dp_buf_puts(&ex, "''");
    for (size_t i = 0; i < b->ngrain; i++) {
        dp_sql_quote_ident(b->grain[i], q, sizeof(q));
        dp_sql_quote_literal(b->grain[i], v, sizeof(v));
        dp_buf_printf(&on, "%sm.%s IS NOT DISTINCT FROM d.%s", i ? " AND " : "", q, q);
        dp_buf_printf(&keys, "%s%s", i ? ", " : "", q);
        dp_buf_printf(&ex, " || %s || '=' || coalesce(CAST(coalesce(m.%s, d.%s) AS VARCHAR), 'NULL') || ' '", v, q, q);
    }
    dp_sql_quote_ident(b->metric->name, q, sizeof(q));
    const char *mv = dp_arena_printf(a, "CAST(m.%s AS DOUBLE)", q), *dv = dp_arena_printf(a, "CAST(d.%s AS DOUBLE)", q);
    const char *differ = dp_arena_printf(
        a, "NOT coalesce(%s IS NOT DISTINCT FROM %s OR abs(%s - %s) <= 1e-6 * greatest(abs(%s), abs(%s)), false)", mv,
        dv, mv, dv, mv, dv);
    const char *join = dp_arena_printf(a, "m FULL JOIN d ON %s", b->ngrain ? dp_buf_cstr(&on) : "true");
    char *out = dp_arena_printf(
        a,
        "WITH m AS (\n%s\n), d AS (\n%s\n)\nSELECT (SELECT count(*) FROM m), (SELECT count(*) FROM (SELECT DISTINCT %s "
        "FROM m) "
        "AS k), (SELECT count(*) FROM d), (SELECT count(*) FROM %s WHERE %s), (SELECT %s || ': the model''s %s is ' || "
        "coalesce(CAST(%s AS VARCHAR), 'NULL or no row') || ', the compiler''s ' || coalesce(CAST(%s AS VARCHAR), "
        "'NULL "
        "or no row') FROM %s WHERE %s ORDER BY 1 LIMIT 1)",
        sql, b->comp.sql, b->ngrain ? dp_buf_cstr(&keys) : "1", join, differ, dp_buf_cstr(&ex), b->metric->name, mv, dv,
        join, differ);
    dp_buf_dispose(&on);
    dp_buf_dispose(&keys);
    dp_buf_dispose(&ex);
    return out;
}

/* The columns of an answer's result, as DuckDB describes them. */
typedef struct shape {
    dp_arena *a;
    size_t n;
    int over;
    const char *name[SQL_MAX_COLUMNS], *type[SQL_MAX_COLUMNS];
} shape;

static int take_col(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    shape *s = p;
    if (ncols < 2 || !vals[0] || !vals[1])
        return 0;
    if (s->n == SQL_MAX_COLUMNS) {
        s->over = 1;
        return 1;
    }
    s->name[s->n] = dp_arena_strdup(s->a, vals[0]);
    s->type[s->n] = dp_arena_strdup(s->a, vals[1]);
    s->n += s->name[s->n] && s->type[s->n];
    return 0;
}

/* Is name a grain column or the base metric (the columns asked by name)? */
static int asked_column(const base *b, const char *name)
{
    for (size_t g = 0; g < b->ngrain; g++)
        if (!strcmp(name, b->grain[g]))
            return 1;
    return !strcmp(name, b->metric->name);
}

/* A name a product column can have in every file it is written to. */
static int plain_name(const char *s)
{
    size_t n = 0;
    if (!(*s >= 'a' && *s <= 'z') && *s != '_')
        return 0;
    for (; *s; s++, n++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return n <= SQL_NAME_MAX;
}

/* The answer's columns: each grain column and the base metric once, by the
 * names asked, and one to DP_LLM_SQL_MAX_CALC columns of the calculation
 * with plain names. */
static int check_shape(const base *b, const shape *sh, dp_error *err)
{
    if (sh->over)
        return dp_error_set(err, DP_EINVALID, "its result has more than %d columns", SQL_MAX_COLUMNS);
    size_t ncalc = 0;
    for (size_t i = 0; i < sh->n; i++) {
        for (size_t k = 0; k < i; k++)
            if (!strcasecmp(sh->name[i], sh->name[k]))
                return dp_error_set(err, DP_EINVALID, "its result names the column %s twice", sh->name[i]);
        if (asked_column(b, sh->name[i]))
            continue;
        if (!plain_name(sh->name[i]))
            return dp_error_set(err, DP_EINVALID,
                                "its result has a column named '%.80s': the calculation's column is to be named in "
                                "lower case letters, digits and underscores (at most %d), the others exactly as asked",
                                sh->name[i], SQL_NAME_MAX);
        if (!strcmp(dp_type_family(sh->type[i]), "other") || strchr(sh->type[i], '['))
            return dp_error_set(err, DP_EINVALID,
                                "its column %s is of type %.80s: a number, date, timestamp, text or boolean is "
                                "expected",
                                sh->name[i], sh->type[i]);
        ncalc++;
    }
    for (size_t g = 0; g <= b->ngrain; g++) {
        const char *want = g < b->ngrain ? b->grain[g] : b->metric->name;
        int has = 0;
        for (size_t i = 0; i < sh->n && !has; i++)
            has = !strcmp(sh->name[i], want);
        if (!has)
            return dp_error_set(err, DP_EINVALID, "its result has no column named %s (%s)", want,
                                g < b->ngrain ? "a grain column" : "the base metric");
    }
    if (!ncalc)
        return dp_error_set(err, DP_EINVALID,
                            "its result has the grain and the base metric only: no column of the calculation");
    if (ncalc > DP_LLM_SQL_MAX_CALC)
        return dp_error_set(err, DP_EINVALID,
                            "its result has %zu columns beyond the grain and the base metric (at most %d)", ncalc,
                            DP_LLM_SQL_MAX_CALC);
    return 0;
}

/* What goes back to the model of an error the data raised (the test run,
 * the reconciliation): its quoted literals masked, so that no value of the
 * data is sent (docs/llm.md, "What is sent"); the user's warning keeps them. */
static void mask_values(char *out, size_t n, const char *msg)
{
    size_t o = 0;
    int quoted = 0;
    for (const char *p = msg; *p && o + 2 < n; p++) {
        if (*p == '\'') {
            quoted = !quoted;
            out[o++] = '\'';
            if (quoted)
                out[o++] = '?';
        } else if (!quoted) {
            out[o++] = *p;
        }
    }
    out[o] = 0;
}

/* The checks of one answer, in order; 0 when it passed them all (sample
 * filled), else err, and in told what the model is to be told when that
 * is not err's message (an error the data raised, its values masked). */
static int check_answer(dp_run *r, const base *b, const char *sql, sample *s, shape *sh, char *told, size_t ntold,
                        dp_error *err)
{
    told[0] = 0;
    relcheck rel = {r->kg, ""};
    int rc = dp_sql_check_query(sql, known, &rel, err);
    if (rc && rel.unqualified[0])
        return dp_error_set(err, DP_EINVALID,
                            "the query was refused: it reads %.120s without its schema (name each table as listed, "
                            "schema.table)",
                            rel.unqualified);
    if (rc)
        return dp_error_prefix(err, "the query was refused");
    if ((rc = dp_db_prepare_check(r->con, sql, err)))
        return dp_error_prefix(err, "DuckDB cannot prepare it");
    const char *desc = dp_arena_printf(r->a, "DESCRIBE SELECT * FROM (\n%s\n) AS q", sql);
    *sh = (shape){r->a, 0, 0, {0}, {0}};
    if ((rc = dp_db_query(r->con, desc, 0, take_col, sh, err)))
        return dp_error_prefix(err, "DuckDB cannot describe its result");
    if ((rc = check_shape(b, sh, err)))
        return rc;
    dp_run_budget_start(r); /* the run's one time budget */
    const char *run = dp_arena_printf(r->a, "SELECT * FROM (\n%s\n) AS q LIMIT %d", sql, SQL_SAMPLE_ROWS);
    if ((rc = dp_db_query(r->con, run, dp_run_remaining_ms(r), take_row, s, err))) {
        rc = rc == DP_ELIMIT && dp_run_over(r, err) ? DP_ELIMIT : dp_error_prefix(err, "its test run failed");
        mask_values(told, ntold, err->message);
        return rc;
    }
    recon c = {0};
    const char *rq = recon_sql(b, sql, r->a);
    if ((rc = dp_db_query(r->con, rq, dp_run_remaining_ms(r), take_recon, &c, err))) {
        rc = rc == DP_ELIMIT && dp_run_over(r, err) ? DP_ELIMIT
                                                    : dp_error_prefix(err, "its base column could not be reconciled");
        mask_values(told, ntold, err->message);
        return rc;
    }
    if (c.m_rows != c.m_keys)
        return dp_error_set(err, DP_EINVALID,
                            "reconciliation: it returns %lld rows for %lld grain values (one row per "
                            "grain value expected)",
                            c.m_rows, c.m_keys);
    if (!c.bad)
        return 0;
    /* the model is told the counts; the user the row too */
    snprintf(told, ntold,
             "reconciliation: its %s differs from the compiler's on %lld of %lld rows (%lld from the compiler)",
             b->metric->name, c.bad, c.m_rows, c.d_rows);
    return dp_error_set(err, DP_EINVALID, "%s, e.g. %s", told, c.example);
}

/* The product's SQL: the model's, its columns in the design's order, the
 * grain and the base metric cast to the types the compiler gives them, the
 * calculation to the type DuckDB described (the product's contract), ordered
 * by the grain as the compiler orders. */
static const char *product_sql(dp_run *r, const base *b, const dp_llm_sql *l)
{
    dp_buf out;
    char q[300];
    dp_buf_init(&out, 0);
    dp_buf_puts(&out, "SELECT ");
    for (size_t i = 0; i < b->design.ncols; i++) {
        const dp_target_col *c = &b->design.cols[i];
        dp_sql_quote_ident(c->name, q, sizeof(q));
        dp_buf_printf(&out, "%sCAST(q.%s AS %s) AS %s", i ? ", " : "", q, c->type, q);
    }
    for (size_t i = 0; i < l->ncalc; i++) { /* its own types, stated: the contract */
        dp_sql_quote_ident(l->calc[i], q, sizeof(q));
        dp_buf_printf(&out, ", CAST(q.%s AS %s) AS %s", q, l->calc_type[i], q);
    }
    dp_buf_printf(&out, "\nFROM (\n%s\n) AS q", l->sql);
    for (size_t i = 0; i < b->ngrain; i++)
        dp_buf_printf(&out, "%s%zu NULLS LAST", i ? ", " : "\nORDER BY ", i + 1);
    const char *s = dp_arena_strdup(r->a, dp_buf_cstr(&out));
    dp_buf_dispose(&out);
    return s;
}

/* The model's SQL that passed, as the run's transformation. */
static dp_llm_sql *answer_with(dp_run *r, const base *b, const char *sql, const shape *sh, const char *phrase,
                               const char *kind, int attempts, json_t *log)
{
    dp_llm_sql *l = dp_arena_calloc(r->a, 1, sizeof(*l));
    if (!l)
        return NULL;
    l->sql = sql;
    l->phrase = phrase;
    l->kind = kind;
    l->model = l_model(r);
    l->attempts = attempts;
    l->base_sql = b->comp.sql;
    l->base_col = b->metric->name;
    for (size_t i = 0; i < b->ngrain; i++)
        l->grain[l->ngrain++] = b->grain[i];
    for (size_t i = 0; i < sh->n; i++) {
        if (!asked_column(b, sh->name[i]) && l->ncalc < DP_LLM_SQL_MAX_CALC) {
            l->calc[l->ncalc] = sh->name[i];
            l->calc_type[l->ncalc++] = sh->type[i];
        }
    }
    if (!(l->product_sql = product_sql(r, b, l)))
        return NULL;
    l->log = json_incref(log);
    return l;
}

int dp_orch__assist_sql(dp_run *r)
{
    const dp_intent *in = &r->intent;
    size_t ncalc = 0;
    for (size_t i = 0; i < in->nmissing; i++)
        ncalc += dp_orch__calculation_kind(in->missing_kind[i]) != 0;
    if (!r->opts.llm || !r->con || in->saved || !ncalc || r->opts.intent_only)
        return 0;                                 /* (dpgen intent says what was read: no SQL is written for it) */
    if (in->nmissing != 1 || in->nmetrics != 1) { /* said, so that the plain refusal is not taken for the model's */
        dp_run_warning(r,
                       "no SQL asked of the language model: it is asked for one calculation on one metric the "
                       "request names, and this request has %zu item(s) the catalog lacks and %zu metric(s)",
                       in->nmissing, in->nmetrics);
        return 0;
    }
    const char *phrase = in->missing[0], *kind = in->missing_kind[0];
    base *b = dp_arena_calloc(r->a, 1, sizeof(*b));
    dp_error e = {0};
    if (!b)
        return 0;
    if (base_compile(r, b, &e)) {
        dp_run_warning(r,
                       "no SQL asked of the language model for '%s': the compiler cannot compute %s at this grain (%s)",
                       phrase, in->metrics[0]->name, e.message);
        base_dispose(b);
        return 0;
    }
    /* last_error: what the model is told; shown: what the user is */
    char *last_sql = NULL, last_error[sizeof(e.message)] = "", shown[sizeof(e.message)] = "";
    int attempts = 0, passed = 0, went_on = 0;
    sample s = {0, NULL};
    shape sh = {0};
    json_t *log = json_array();
    for (int k = 1; k <= SQL_ATTEMPTS && !passed; k++) {
        char *user = prompt(r, b, phrase, kind, last_sql, last_error[0] ? last_error : NULL);
        json_t *schema = json_pack("{s:s,s:{s:{s:s}},s:[s],s:b}", "type", "object", "properties", "sql", "type",
                                   "string", "required", "sql", "additionalProperties", 0);
        dp_llm_call call = {0};
        call.purpose = "sql";
        call.system = SYSTEM;
        call.user = user;
        call.schema_name = "query";
        call.schema = schema;
        call.time_left_ms = dp_run_budget_ms(r);
        int rc = user && schema ? dp_llm__chat(r->opts.llm, &r->llm, &call, &e)
                                : dp_error_set(&e, DP_ENOMEM, "out of memory");
        free(user);
        json_decref(schema);
        if (rc) { /* unreachable, over budget, not JSON: no more attempts */
            snprintf(shown, sizeof(shown), "the language model gave no SQL (%s)", e.message);
            break;
        }
        attempts = k;
        const char *sql = json_string_value(json_object_get(call.answer, "sql"));
        last_sql = sql ? dp_arena_strndup(r->a, sql, strlen(sql) < SQL_MAX_LEN ? strlen(sql) : SQL_MAX_LEN) : NULL;
        if (last_sql) /* the statement's end, as models often write it: not a second statement */
            for (size_t n = strlen(last_sql); n && (last_sql[n - 1] == ';' || isspace((unsigned char)last_sql[n - 1]));)
                last_sql[--n] = 0;
        json_decref(call.answer);
        json_decref(s.keep);
        s = (sample){0, json_array()};
        last_error[0] = 0;
        if (!last_sql || strlen(last_sql) >= SQL_MAX_LEN - 1)
            rc = dp_error_set(&e, DP_EINVALID, "the answer has no SQL of at most %d bytes", SQL_MAX_LEN - 1);
        else
            rc = check_answer(r, b, last_sql, &s, &sh, last_error, sizeof(last_error), &e);
        json_array_append_new(log, json_pack("{s:s,s:s,s:i,s:s,s:s?}", "generator", "language model", "dialect",
                                             "duckdb", "attempt", k, "result", rc ? "rejected" : "valid", "error",
                                             rc ? e.message : NULL));
        if (!rc) {
            passed = 1;
            dp_llm__outcome(&r->llm, "accepted", NULL);
            break;
        }
        if (!last_error[0])
            snprintf(last_error, sizeof(last_error), "%s", e.message);
        snprintf(shown, sizeof(shown), "%s", e.message);
        dp_llm__outcome(&r->llm, "rejected", e.message);
        dp_run_warning(r, "the language model's SQL for '%s', attempt %d, was refused: %s", phrase, k, e.message);
        if (rc == DP_ELIMIT)
            break; /* the run's time is spent */
    }
    if (!passed) {
        dp_run_warning(r, "no SQL of the language model for '%s' passed the checks (%d answer(s) checked): %s", phrase,
                       attempts, shown[0] ? shown : "no answer");
    } else if (r->dialect != DP_DIALECT_POSTGRES) {
        /* the run goes on with it: the transformation, reconciled again by the quality stage */
        r->llm_sql = answer_with(r, b, last_sql, &sh, phrase, kind, attempts, log);
        went_on = r->llm_sql != NULL;
        if (went_on)
            dp_run_decision(r,
                            "'%s' (%s of %s) is computed by the language model's SQL (%s), which passed every check "
                            "on attempt %d: one SELECT over catalog relations, prepared, test-run, its %s equal to "
                            "the compiler's at the same grain",
                            phrase, kind, b->metric->name, l_model(r), attempts, b->metric->name);
    } else {
        json_decref(r->proposed_sql);
        r->proposed_sql = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:[ssss],s:I,s:o,s:s}", "sql", last_sql, "generator", "llm", "model",
            l_model(r), "calculation", phrase, "base_metric", b->metric->name, "attempts", attempts, "dialect",
            "duckdb", "checks",
            "one SELECT over catalog relations only (libpg_query; no table function, setting or comment)",
            "DuckDB prepared it against the source schema", "test-run read-only under the run's time budget",
            dp_arena_printf(r->a, "its %s equals the compiler's at the same grain on every row (1e-6 relative)",
                            b->metric->name),
            "sample_rows_read", (json_int_t)s.rows, "sample", s.keep, "status",
            "proposed: checked on DuckDB, not answered as a PostgreSQL product (it was not run on PostgreSQL)");
        s.keep = NULL;
        /* a warning, so that stderr says it too: the refusal has an answer to look at */
        dp_run_warning(r,
                       "the language model's SQL for '%s' passed every check on attempt %d, on DuckDB: offered in the "
                       "clarification (proposed_sql, --format json), not answered in the PostgreSQL dialect "
                       "(--dialect duckdb answers with it)",
                       phrase, attempts);
    }
    json_decref(s.keep);
    json_decref(log);
    base_dispose(b); /* (the compiler's SQL is the arena's: it stays, for the reconciliation) */
    return went_on;
}

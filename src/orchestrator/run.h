/* One run's state, shared by the six stages. Everything is allocated from
 * the run's arena or owned by the JSON trees freed with the run. */
#ifndef DP_ORCHESTRATOR_RUN_H
#define DP_ORCHESTRATOR_RUN_H
#include <duckdb.h>
#include <jansson.h>
#include "catalog/catalog.h"
#include "discovery/discovery.h"
#include "intent/intent.h"
#include "llm/llm.h"
#include "modeling/modeling.h"
#include "transform/compile.h"

enum { DP_STAGE_INTENT, DP_STAGE_DISCOVERY, DP_STAGE_MODELING, DP_STAGE_TRANSFORM, DP_STAGE_QUALITY,
       DP_STAGE_PACKAGING, DP_NSTAGES };

typedef struct dp_stage_log {
    const char *name;
    const char *status; /* "ok", "failed", "skipped" */
    double ms;
    unsigned kg_queries;
    json_t *decisions; /* array of strings */
    json_t *warnings;  /* array of strings */
    const char *error;
} dp_stage_log;

/* The test result is read into C (dp_exec_result.rowset) up to this many
 * rows and bytes; a larger one stays in DuckDB, checked with SQL. The
 * estimate that picks the way (the product of the grain's distinct counts,
 * or the rows the result aggregates when fewer) runs 1.5 to 2 times over
 * the rows a result has: at 100,000 a weekly report of 95,000 rows went
 * through a table and back (scale 10 of the demo: 100 ms of a 380 ms test
 * run), at 250,000 a result of 140,000 rows estimated at 300,000 (50 ms
 * more on a 57 ms SELECT). The bytes bound the memory either way. */
#define DP_ROWSET_MAX_ROWS 500000LL
#define DP_ROWSET_MAX_BYTES ((size_t)64 << 20)
typedef struct dp_exec_result {
    int ran;
    long long rows;
    double ms;
    json_t *schema;  /* [{name, type}] */
    json_t *sample;  /* [{col: val}] up to 5 */
    json_t *schema_check; /* {matches, differences[]} */
    const char *table; /* temp table holding the result */
    /* the result read into C when it is small (DP_ROWSET_MAX_ROWS): the
     * sample, the counts and the quality rules read it without a statement
     * each; NULL when it stayed in DuckDB only */
    struct dp_rowset *rowset;
    int table_made;    /* table exists on the run's connection */
    /* the connection the test run streamed on, when a large result went
     * to a table on another (released once its statement is destroyed) */
    duckdb_connection stream_con;
    json_t *warnings;  /* empty, partial or all-NULL answers, with their cause */
    json_t *coverage;  /* [{dataset, time_dimension, first, last}] of the data the metrics use */
    /* the NULLs of each key column of the design (in column order), counted
     * with the metrics' values when key_nulls_counted (explain.c), for the
     * quality stage (dp_quality__key_nulls) */
    long long key_nulls[DP_PLAN_MAX];
    size_t nkey_nulls;
    int key_nulls_counted;
} dp_exec_result;

/* The language model's SQL a run answers with (assist_sql.c, docs/llm.md):
 * a calculation on one metric the compiler does not do, checked, test-run
 * and reconciled with the compiler's base metric at the grain. */
#define DP_LLM_SQL_MAX_CALC 4
#define DP_LLM_SQL_CONFIDENCE 0.8 /* the intent's confidence is multiplied by it */
typedef struct dp_llm_sql {
    const char *sql;         /* the model's SELECT as it passed the checks */
    const char *product_sql; /* it, its columns in the design's order and types: the product's SQL */
    const char *phrase, *kind, *model;
    int attempts;
    json_t *log;          /* [{attempt, result, error}] of each answer checked; owned */
    const char *base_sql; /* the compiler's SQL of the base metric at the grain: the reconciliation's */
    const char *base_col; /* the base metric's column */
    const char *grain[DP_PLAN_MAX];
    size_t ngrain;
    const char *calc[DP_LLM_SQL_MAX_CALC], *calc_type[DP_LLM_SQL_MAX_CALC]; /* its columns beyond those */
    size_t ncalc;
} dp_llm_sql;

typedef struct dp_run {
    dp_arena *a;
    dp_catalog *cat;
    const dp_kg *kg;
    dp_generate_options opts;
    char run_id[40];
    char created_at[32];
    const char *request;
    dp_dialect dialect;
    duckdb_connection con;
    dp_intent intent;
    int range_relative;         /* dp_transform__range_relative of the intent */
    dp_discovery disc;
    dp_design design;
    dp_compiled compiled;       /* DuckDB, the one that is run */
    dp_compiled compiled_target;/* the requested dialect when not DuckDB */
    json_t *validation;         /* {parser, engine, ...} */
    dp_exec_result exec;
    json_t *rules;   /* quality rules with results */
    json_t *gx;      /* Great Expectations suite */
    json_t *dbt;     /* dbt schema.yml model entry */
    json_t *sql_assertions;
    json_t *sla;
    json_t *spec;
    dp_stage_log stages[DP_NSTAGES];
    int cur;
    double total_ms;
    double deadline_ms; /* dp_now_ms() when the test run and quality budget ends; 0: not started */
    dp_llm_usage llm;   /* the language model's calls in this run (opts.llm) */
    size_t nproposed;   /* the last nproposed of opts.choose: the model's readings, checked, never learned */
    const char *description_draft; /* the model's draft (opts.llm_draft), beside the deterministic one; NULL: none */
    json_t *proposed_sql; /* assist_sql.c: the model's checked SQL the clarification offers; NULL none */
    dp_llm_sql *llm_sql;  /* assist_sql.c: the model's checked SQL the run answers with; NULL none */
} dp_run;

/* The run's time budget (deadline.c): opts.timeout_ms (0: 30 s) for the test
 * run and the quality checks together, started by the test run. remaining
 * is what the next statement may take (at least 1 ms; the full budget before
 * it starts); over sets err, naming the limit and how to raise it, when the
 * budget is spent (DP_ELIMIT), else returns 0. */
long dp_run_budget_ms(const dp_run *r);
void dp_run_budget_start(dp_run *r);
long dp_run_remaining_ms(const dp_run *r);
int dp_run_over(const dp_run *r, dp_error *err);
int dp_stage_transform(dp_run *r, dp_error *err);
int dp_stage_quality(dp_run *r, dp_error *err);
int dp_stage_packaging(dp_run *r, dp_error *err);

void dp_run_decision(dp_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dp_run_warning(dp_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
json_t *dp_run_trace(const dp_run *r);
/* clarify.c: what a refused run asks back (docs/clarification.md); message
 * is the refusal's one line. Returns malloc'd JSON, NULL out of memory. */
char *dp_orch__clarification(const dp_run *r, const char *message);
/* disabled.c: refuses (DP_ECLARIFY) an intent that needs a disabled catalog
 * element, naming it and why; drops disabled candidates of a phrase that
 * has enabled ones (with a warning). */
int dp_orch__refuse_disabled(dp_run *r, dp_error *err);
/* After discovery refused: appends to err the disabled entities of the
 * datasets the metrics reach whose join could have been used. */
void dp_orch__disabled_joins(dp_run *r, dp_error *err);
/* measure_hint.c: measures the request names that no metric exposes, and
 * how to expose them: appended to err's message; inserted first among the
 * candidates of the phrases that share a word with them (kind "measure",
 * with a hint). */
void dp_orch__measure_hint(dp_run *r, dp_error *err);
/* assist.c: asks opts.llm to read the phrases the clarification (message:
 * its one line) could not place; *out: the checked readings as "phrase=name"
 * answers (in r->a), 0; -1 when none (why in the run's warnings). */
int dp_orch__assist_intent(dp_run *r, const char *message, const char ***out, size_t *nout);
/* assist_sql.c: when the refused request asks one calculation the compiler
 * does not do on one metric it read, asks opts.llm for SQL, checks,
 * test-runs and reconciles it (three attempts). The SQL that passed is
 * r->llm_sql and 1 is returned: the run goes on with it as its
 * transformation. In the PostgreSQL dialect (the SQL ran on DuckDB only) it
 * is r->proposed_sql, for the clarification, and 0 is returned. */
int dp_orch__assist_sql(dp_run *r);
/* 1 when a missing kind is a calculation on a metric ("share-of-total
 * metric"): no catalog name means it, so the intent assistance never maps it. */
int dp_orch__calculation_kind(const char *kind);
/* What a language model was asked in this run and what became of it
 * ({model, calls, total_calls, total_tokens, proposed}); NULL when none. */
json_t *dp_orch__llm_record(const dp_run *r);
void dp_orch__measure_candidates(const dp_run *r, json_t *cands);
/* assist_rules.c: with opts.llm and opts.llm_draft, asks the model once for
 * conditions every row of the product should meet and a draft of its
 * description; each condition that passes the checks and runs on the test
 * result is added to q's rules (proposed_by llm), the others are dropped
 * with a warning saying why; the draft goes to r->description_draft.
 * Called by the quality stage before its rules run. */
struct qctx;
void dp_orch__assist_rules(struct qctx *q);

#endif

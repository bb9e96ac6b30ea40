/* libdpgen: business request -> executed data product specification.
 *
 * Usage:
 *   dp_catalog *cat; dp_error err = {0};
 *   dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
 *   co.db_path = "lake.duckdb"; co.models_path = "models/";
 *   if (dp_catalog_open(&cat, &co, &err) < 0) ... err.message ...
 *   dp_result *res;
 *   dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
 *   int rc = dp_generate(&res, cat, "weekly headcount by region", &go, &err);
 *   puts(dp_result_spec(res, DP_FORMAT_YAML));
 *   dp_result_free(res); dp_catalog_free(cat);
 *
 * A catalog is read-only once opened and may be shared by threads; each
 * dp_generate call owns its own run state. */
#ifndef DPGEN_H
#define DPGEN_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DP_BUILDING_LIBRARY)
#define DP_EXTERN __attribute__((visibility("default")))
#else
#define DP_EXTERN
#endif

/* Return codes: 0 success, negative failure. */
enum {
    DP_OK = 0,
    DP_ERROR = -1,     /* catch-all */
    DP_EINVALID = -2,  /* bad input: empty request, malformed file, bad option */
    DP_ENOTFOUND = -3, /* a named file, table or catalog object does not exist */
    DP_ECLARIFY = -4,  /* the catalog cannot answer the request: ask the user */
    DP_ELIMIT = -5,    /* a size, time or memory limit was exceeded */
    DP_EENGINE = -6,   /* the database engine refused or failed a statement */
    DP_ENOMEM = -7,
    DP_ESTALE = -8 /* a stored result no longer matches the catalog or the data */
};

/* The longest request text dp_generate reads, in bytes; a longer one is
 * DP_EINVALID. */
#define DP_REQUEST_MAX_BYTES 4000

typedef struct dp_error {
    int code;
    char message[1024];
} dp_error;

typedef struct dp_catalog dp_catalog;
typedef struct dp_result dp_result;

typedef struct dp_catalog_options {
    int version;
    const char *db_path;       /* DuckDB file or folder of Parquet/CSV; NULL: demo */
    const char *models_path;   /* dbt semantic layer YAML file or folder; NULL: demo */
    const char *glossary_path; /* dpgen glossary YAML file or folder; optional */
    const char *state_dir;     /* folder for dpgen's SQLite state; NULL: per-user default */
    int refresh_profile;       /* 1: recompute the profile even if cached */
    int no_state;              /* 1: use no durable state (tests, read-only runs) */
    /* dbt: the semantic manifest (target/semantic_manifest.json written by
     * `dbt parse`) to load instead of the YAML; NULL: found in the project
     * under models_path when it has one. */
    const char *manifest_path;
    /* dbt: the target schema ref() resolves to when the project's
     * target/manifest.json does not give the model's relation; NULL: the
     * database's default search path. */
    const char *schema;
    /* Runs the state keeps, with their documents (the newest); 0: all. */
    long keep_runs;
    /* Runs older than this many days are removed with their documents;
     * 0: kept whatever their age. */
    long keep_days;
    /* Profiling's own time budget (ms), every table together (a table
     * gets an even share of what is left); 0: 30000. A table that hits it,
     * or the memory limit, is profiled in part and said so, never cached. */
    long timeout_ms;
    /* DuckDB's memory limit for profiling (and the runs' default); NULL:
     * "2GB". What exceeds it spills into the state folder's tmp/ (never the
     * current folder); with no_state, nothing spills. */
    const char *memory_limit;
    /* 1: DuckDB opens the database only when a statement needs it, so a
     * load whose binding, expression checks and profile all come from the
     * state opens none (catalog check, search); 0: it opens on a thread of
     * its own while the catalog files load, and what needs it waits. */
    int defer_db;
    /* A long-lived process (the server): DuckDB is opened again after this
     * many runs, and the next runs use the new engine while those in flight
     * finish on the old one, closed when they are done. DuckDB 1.4 frees
     * the handles of its freed blocks only when an eviction queue passes
     * 32,768 entries, so a process that runs for ever holds ~40 MB more
     * than one that recycles. 0: never. */
    long engine_recycle_runs;
    /* 1: the lexicon and the vector index (what reads requests and searches
     * the catalog) are built when a call first needs them, once, by
     * whichever thread asks first; a command that only lists or checks the
     * catalog never builds them. 0: built by the load. */
    int defer_indexes;
} dp_catalog_options;
#define DP_CATALOG_OPTIONS_VERSION 1
#define DP_CATALOG_OPTIONS_INIT                                                                                        \
    {                                                                                                                  \
        DP_CATALOG_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0                                        \
    }

typedef struct dp_generate_options {
    int version;
    const char *dialect;  /* "duckdb" (default) or "postgres" */
    const char *as_of;    /* YYYY-MM-DD for relative ranges; NULL: today */
    const char *owner;    /* owner written in the spec; NULL: "data-platform" */
    int intent_only;      /* 1: stop after the intent stage */
    int record;           /* 1: record the run in the state (learning) */
    long timeout_ms;      /* time budget (ms) of the test run and quality checks together; 0: 30000 */
    const char *memory_limit; /* DuckDB memory limit of the test run; NULL: "2GB" */
    /* Answers to a clarification, each "phrase=name" (name: a metric, a
     * dimension model.dim or entity__dim, an entity, a value model.dim=value):
     * the phrase is read as that catalog object in this run, and with record
     * it is learned for the catalog (dp_catalog_learn). A name the catalog
     * does not have fails the run with DP_ENOTFOUND (see
     * dp_catalog_check_choice). Borrowed for the call. */
    const char *const *choose;
    size_t nchoose;
    /* dbt: the name of a saved query of the catalog to answer instead of a
     * request text (the request argument is then NULL or empty). */
    const char *saved_query;
    /* Columns of the product: NULL or "wide" (default): the grain, each
     * grain entity's descriptive attributes, the component measures of
     * each ratio or derived metric, then the metrics; "asked": only the
     * grain and the metrics the request asked for. */
    const char *columns;
    /* Called on the calling thread as each stage ends, with the stage's log
     * as JSON {stage, status, ms, kg_queries, decisions, warnings, error}
     * (borrowed for the call; the trace's entry for it): a server streams
     * the stages as they finish. NULL: none. */
    void (*on_stage)(void *user, const char *stage_json);
    void *on_stage_user;
    /* 1: a repeat (the same request and options on the same catalog
     * files, data and learned state as a stored run) is answered from the
     * run store without running (dp_result_cached says so; the answer is the
     * stored run's, run id and times included, and cannot be exported).
     * Only answers are reused (ok or clarify), never failures. */
    int reuse;
    /* A test run returning more rows than this is warned about (in the
     * spec and on stderr, with the count and this threshold): the product
     * is large for what it was asked. Its rows stay in DuckDB (a temporary
     * table that spills into the state folder past memory_limit); only the
     * sample is read. 0: 1,000,000. */
    long long large_result_rows;
    /* A language model that may propose readings of the words the catalog
     * cannot place (dp_llm_open); dpgen checks every proposal against the
     * catalog and the data, and the spec says which parts it proposed.
     * NULL (default): no model, no network. Borrowed for the call. */
    const struct dp_llm *llm;
    /* 1 (with llm): the model also drafts the product's description (kept
     * beside the deterministic one, business_context.description_draft)
     * and proposes business-logic rules, each checked and run on the test
     * result like every rule, dropped with the reason when it fails. 0
     * (default): the model is never asked for them. */
    int llm_draft;
} dp_generate_options;
#define DP_GENERATE_OPTIONS_VERSION 1
#define DP_GENERATE_OPTIONS_INIT                                                                                       \
    {                                                                                                                  \
        DP_GENERATE_OPTIONS_VERSION, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0                                 \
    }

/* ---- optional language-model assistance (docs/llm.md) ----------------- */

/* An OpenAI-compatible chat completions endpoint (a hosted API, vLLM,
 * llama.cpp's server, Ollama). Immutable once open: shared by threads. */
typedef struct dp_llm dp_llm;
typedef struct dp_llm_options {
    int version;
    /* http(s) URL: the full .../chat/completions, or a base (".../v1" or
     * the server's root) it is appended to. */
    const char *url;
    const char *model;   /* NULL: "default" (servers of one model ignore it) */
    const char *api_key; /* sent as a Bearer token; never logged; NULL: none */
    long timeout_ms;     /* one call; 0: 20000 */
    int retries;         /* more tries on 429, 5xx, timeouts, with backoff; 0: 2; -1: none */
    int max_calls;       /* a run's calls (tries included); 0: 6 */
    long max_tokens;     /* a run's prompt + completion tokens; 0: 20000 */
} dp_llm_options;
#define DP_LLM_OPTIONS_VERSION 1
#define DP_LLM_OPTIONS_INIT                                                                                            \
    {                                                                                                                  \
        DP_LLM_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, 0                                                                    \
    }

DP_EXTERN int dp_llm_open(dp_llm **out, const dp_llm_options *opts, dp_error *err);
/* From the environment: DPGEN_LLM_URL (url overrides it when not NULL),
 * DPGEN_LLM_MODEL, DPGEN_LLM_API_KEY or DPGEN_LLM_API_KEY_FILE,
 * DPGEN_LLM_TIMEOUT (seconds), DPGEN_LLM_RETRIES, DPGEN_LLM_MAX_CALLS and
 * DPGEN_LLM_MAX_TOKENS (a run's budget). *out NULL and 0 when no URL is set. */
DP_EXTERN int dp_llm_open_env(dp_llm **out, const char *url, dp_error *err);
DP_EXTERN void dp_llm_free(dp_llm *llm);

typedef enum { DP_FORMAT_JSON, DP_FORMAT_YAML, DP_FORMAT_MARKDOWN } dp_format;

DP_EXTERN const char *dp_version(void);

/* Text made safe to print on one line: line breaks and tabs become spaces,
 * other control bytes "\xNN" (a request's ESC must not reach a terminal).
 * Written into out (cut to n bytes); returns out. Every error message is
 * made so; front ends use it for the text they echo. */
DP_EXTERN const char *dp_escape_line(const char *text, char *out, size_t n);

/* Opens the knowledge graph: loads models and glossary, opens the database
 * read-only, resolves every model's table and profiles the data (cached in
 * the state). *out is owned by the caller (dp_catalog_free). */
DP_EXTERN int dp_catalog_open(dp_catalog **out, const dp_catalog_options *opts, dp_error *err);
DP_EXTERN void dp_catalog_free(dp_catalog *cat);
/* 1 when the catalog's files (models, glossary, manifest) or its database
 * changed since it was opened, so a long-lived process should open it again;
 * a few stat calls, no reading. */
DP_EXTERN int dp_catalog_changed(dp_catalog *cat);
/* The bytes the catalog's DuckDB engine holds by its own account (cached
 * data blocks, the hash tables and results of runs in flight): 0 with
 * *bytes set, DP_ENOTFOUND when no engine is open (no database, or a
 * deferred one not started; none is started for this), or an engine error.
 * Thread-safe: it runs a statement on a connection of its own. */
DP_EXTERN int dp_catalog_engine_memory(dp_catalog *cat, int64_t *bytes, dp_error *err);
/* How many times the engine was opened again (engine_recycle_runs), and how
 * many of the old engines runs in flight still use: 0, or DP_ENOTFOUND when
 * no engine is open. Thread-safe. */
DP_EXTERN int dp_catalog_engine_recycles(dp_catalog *cat, unsigned long *recycled, size_t *old_in_use);

/* Catalog inspection: each returns a JSON document the caller frees with free(). */
DP_EXTERN int dp_catalog_list(char **out_json, dp_catalog *cat, dp_error *err);
DP_EXTERN int dp_catalog_search(char **out_json, dp_catalog *cat, const char *text, int top_k,
                                dp_error *err);
DP_EXTERN int dp_catalog_show(char **out_json, dp_catalog *cat, const char *name, dp_error *err);

/* Rewrites, in *text (malloc'd, replaced when it changes), every path of
 * the catalog's files as the spec shows them: relative to the catalog root,
 * and any other absolute path of two or more parts (a spill file, the
 * state's folder) as its last part: never a path of the machine (front
 * ends that serve remote users apply it to the JSON and messages they pass
 * on). 0 or DP_ENOMEM. */
DP_EXTERN int dp_catalog_shown_paths(char **text, dp_catalog *cat, dp_error *err);

/* Learned synonyms, per catalog (models + database), kept in the state.
 * dp_catalog_learn: from now on phrase is read as name (a metric name, a
 * dimension "model.dim" or "entity__dim", an entity name, or a value
 * "model.dim=value"); learning a phrase again replaces it. DP_ENOTFOUND
 * when name is nothing of the catalog (the message lists close names),
 * DP_EINVALID for a phrase that is not 1 to 12 words. */
DP_EXTERN int dp_catalog_learn(dp_catalog *cat, const char *phrase, const char *name, dp_error *err);
/* Removes a learned phrase; DP_ENOTFOUND when the catalog has none. */
DP_EXTERN int dp_catalog_forget(dp_catalog *cat, const char *phrase, dp_error *err);
/* The catalog's learned phrases as a JSON array of {phrase, text, kind,
 * target, created_at}; caller frees. */
DP_EXTERN int dp_catalog_learned(char **out_json, dp_catalog *cat, dp_error *err);
/* Checks one --choose answer "phrase=name" without running or recording
 * anything: 0, DP_EINVALID (malformed) or DP_ENOTFOUND (with close names). */
DP_EXTERN int dp_catalog_check_choice(dp_catalog *cat, const char *choice, dp_error *err);

/* Runs the pipeline. On DP_OK or DP_ECLARIFY and most failures *out holds a
 * result (spec, or the trace of the failed run); the caller frees it. */
DP_EXTERN int dp_generate(dp_result **out, dp_catalog *cat, const char *request,
                          const dp_generate_options *opts, dp_error *err);
/* The stored answer to a repeat (see reuse), without running anything or
 * taking the engine: 0 with *out NULL when none is stored (dp_generate
 * runs it), else what dp_generate with reuse returns for it (0, or
 * DP_ECLARIFY with the clarification) with *out set, dp_result_cached 1.
 * A server answers repeats with it before queueing for a run. */
DP_EXTERN int dp_generate_stored(dp_result **out, dp_catalog *cat, const char *request, const dp_generate_options *opts,
                                 dp_error *err);

/* 1 when the result is a stored run's answer to the same request (reuse);
 * *run_id (may be NULL) gets that run's id, valid until dp_result_free. */
DP_EXTERN int dp_result_cached(dp_result *res, const char **run_id);
/* Borrowed strings, valid until dp_result_free. NULL when not available. */
DP_EXTERN const char *dp_result_spec(dp_result *res, dp_format fmt);
DP_EXTERN const char *dp_result_intent_json(dp_result *res);
DP_EXTERN const char *dp_result_trace_json(dp_result *res);
/* After DP_ECLARIFY: what dpgen asks back, as JSON
 * {"clarification": {"question", "reading", "unplaced", "candidates"}}
 * (schema: definitions/clarification_result of dpgen-spec-1.0.json,
 * docs/clarification.md). NULL for a run that was not refused. */
DP_EXTERN const char *dp_result_clarification_json(dp_result *res);
/* The run's warnings in stage order (an empty or partial answer with its
 * cause, words not placed, failed rules): how many, and the i-th (borrowed,
 * valid until dp_result_free; NULL past the end). */
DP_EXTERN size_t dp_result_warning_count(dp_result *res);
DP_EXTERN const char *dp_result_warning(dp_result *res, size_t i);
/* Writes the spec and every export into dir (created if missing). */
DP_EXTERN int dp_result_export(dp_result *res, const char *dir, dp_error *err);
/* POSTs the run's OpenLineage RunEvent (the one dp_result_export writes to
 * openlineage/<name>_run_event.json) to url, e.g. a lineage server's
 * http://host:5000/api/v1/lineage, as application/json with a 10 s
 * timeout (DPGEN_OPENLINEAGE_TIMEOUT seconds, 1 to 300, when set) and,
 * when DPGEN_OPENLINEAGE_API_KEY is set, "Authorization: Bearer <key>".
 * Nothing goes on the network unless this is called. Returns 0 on a 2xx
 * answer; DP_EINVALID (no valid spec, a URL that is not http or https, a
 * bad timeout), DP_ERROR (unreachable or timed out, or the server's status
 * and the start of its answer in the message) or DP_ENOMEM. */
DP_EXTERN int dp_result_openlineage_post(dp_result *res, const char *url, dp_error *err);
DP_EXTERN void dp_result_free(dp_result *res);

/* One stored run (recorded by dp_generate with record): what is "run" (its
 * record with data_product_spec, trace and clarification as JSON), or one
 * of its documents "spec.json", "spec.yaml", "README.md", "trace.json",
 * "clarification.json" as written. *out is the caller's to free().
 * DP_ENOTFOUND for no such run, or a run without that document (a refused
 * run has no spec). */
DP_EXTERN int dp_run_document(char **out, const char *state_dir, const char *run_id, const char *what, dp_error *err);
/* Writes a stored run's exports into dir (as dp_result_export does for a
 * fresh run: the tree is replaced whole), from its stored spec and, for the
 * contract's data, the product recomputed with the SQL it ran. DP_ENOTFOUND
 * for no such run or a run without a spec; DP_ESTALE when the catalog's
 * files or data changed since the run. */
DP_EXTERN int dp_run_export(dp_catalog *cat, const char *run_id, const char *dir, dp_error *err);
/* The latest runs recorded in the state (JSON array); caller frees. */
DP_EXTERN int dp_runs_list(char **out_json, const char *state_dir, int limit, dp_error *err);

/* Builds the demo database at path (scale 1.0 = about one million events). */
DP_EXTERN int dp_demo_build(const char *path, double scale, dp_error *err);
/* Builds a DuckDB database at path by running the SQL file sql_path (with
 * the variable `scale` set); used for the demo and for test catalogs. */
DP_EXTERN int dp_db_build(const char *path, const char *sql_path, double scale, dp_error *err);
/* Default locations of the built-in demo (borrowed, static strings). */
DP_EXTERN const char *dp_demo_catalog_dir(void);
DP_EXTERN const char *dp_demo_db_path(void);

/* dbt-style catalog inspection (dpgen catalog check / list KIND /
 * dimension-values). fmt DP_FORMAT_JSON gives JSON, any other value text
 * (lines, or a table like `mf list metrics`); *out is the caller's to free().
 *
 * dp_catalog_check: every problem found while loading (an element that did
 * not bind, disabled with what depends on it), as "file:line: kind name:
 * reason [hint]" lines, or JSON {"problems": [{kind, name, reason, hint,
 * file, line}], "disabled": [...], "ok": bool}. *nproblems (may be NULL)
 * gets their number; problems are the answer, not a failure: returns 0. */
DP_EXTERN int dp_catalog_check(char **out, dp_catalog *cat, dp_format fmt, size_t *nproblems, dp_error *err);
/* kind: "metrics", "dimensions" (entity__dim), "entities" or
 * "saved-queries", each with its status and, when disabled, why.
 * DP_EINVALID for another kind. */
DP_EXTERN int dp_catalog_list_kind(char **out, dp_catalog *cat, const char *kind, dp_format fmt, dp_error *err);
/* The distinct values of a dimension in the data (read-only, sorted, at
 * most 1000). name: "entity__dim", "model.dim" or a dimension name one
 * dataset has. DP_ENOTFOUND for no such dimension, DP_EINVALID when the
 * name is ambiguous, DP_ECLARIFY when it is disabled (the message says
 * why). */
DP_EXTERN int dp_catalog_dimension_values(char **out, dp_catalog *cat, const char *name, dp_format fmt,
                                          dp_error *err);

#ifdef __cplusplus
}
#endif
#endif

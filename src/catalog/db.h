/* The user's database, opened read-only through DuckDB: a DuckDB file is
 * attached READ_ONLY; a folder of Parquet/CSV files becomes one view per
 * file. One dp_db is shared by runs; each run takes its own connection. */
#ifndef DP_CATALOG_DB_H
#define DP_CATALOG_DB_H
#include <duckdb.h>
#include <stdint.h>
#include "dpgen/dpgen.h"

typedef struct dp_db dp_db;

typedef struct dp_db_options {
    const char *memory_limit; /* e.g. "2GB"; NULL: 2GB */
    int threads;              /* 0: 2 */
    const char *write_dir;    /* a folder COPY ... TO may write into (exports); NULL: none */
    /* DuckDB spills what exceeds memory_limit into a folder made under this
     * one ("<pid>-XXXXXX", removed by dp_db_close; those of dead processes
     * are removed here); NULL: no spilling (a statement over the limit fails)
     * -- never DuckDB's default, ./.tmp of the current folder. */
    const char *temp_root;
    /* DP_DB_OPEN_BACKGROUND: DuckDB opens and attaches on a thread of its
     * own (for a large file that takes a while, which the caller spends
     * reading its catalog files); DP_DB_OPEN_DEFERRED: not until
     * dp_db_start or the first dp_db_ready (a warm catalog load whose
     * binding and profile come from the state needs no engine at all);
     * dp_db_connect and dp_db_ready wait for it */
    int background;
    /* A long-lived process: after this many connections lent to runs
     * (dp_db_run_connect), the engine is opened again and the next runs
     * use the new one, while runs in flight finish on the old one, which
     * closes when the last of them gives its connection back. DuckDB 1.4
     * keeps every freed block's handle in its eviction queues until a queue
     * passes 32,768 entries, ~40 MB of heap that only a close gives back.
     * 0: never. */
    unsigned long recycle_after;
} dp_db_options;

#define DP_DB_OPEN_BACKGROUND 1
#define DP_DB_OPEN_DEFERRED 2

int dp_db_open(dp_db **out, const char *path, const dp_db_options *opts, dp_error *err);
/* Closes; a deferred engine never started is never opened. */
void dp_db_close(dp_db *db);
/* Waits for a background open, or opens a deferred one now (once; safe
 * from any thread): 0, or the error of opening the engine or attaching the
 * file. */
int dp_db_ready(dp_db *db, dp_error *err);
/* Starts a deferred open on a thread of its own (nothing when it started
 * already); dp_db_ready waits for it. */
void dp_db_start(dp_db *db);
/* Whether the engine was asked to open (started, opening or open). */
int dp_db_started(const dp_db *db);
const char *dp_db_path(const dp_db *db);
/* Identity of the data for profile caching: path, size and mtime. */
const char *dp_db_fingerprint(const dp_db *db);
/* Sets DuckDB's memory limit (the whole database's) to limit ("2GB"), unless
 * it is the value last set: a run asking for the same limit as the one
 * before it costs nothing. Thread-safe. */
int dp_db_set_memory_limit(dp_db *db, duckdb_connection con, const char *limit, dp_error *err);
int dp_db_connect(duckdb_connection *out, dp_db *db, dp_error *err);
/* A connection for a run: one an earlier run gave back (already in src),
 * else a new one; give it back with dp_db_run_release. */
#define DP_DB_IDLE_MAX 16
int dp_db_run_connect(duckdb_connection *out, dp_db *db, dp_error *err);
/* Gives a run's connection back (*con becomes NULL): kept for the next run
 * when its temporary table (table, or NULL for none) is dropped, as a
 * disconnect would have dropped it; else (or past DP_DB_IDLE_MAX kept)
 * disconnected. */
void dp_db_run_release(dp_db *db, duckdb_connection *con, const char *table);
/* How many times the engine was opened again (recycle_after), and how many
 * recycled engines runs still use. */
void dp_db_engines(dp_db *db, unsigned long *recycled, size_t *in_use);
/* The temp_root the database was opened with (borrowed), NULL if none: a
 * second database on the same data (exports) spills there too. */
const char *dp_db_temp_root(const dp_db *db);
/* Its own spill folder (borrowed), NULL when spilling is off. */
const char *dp_db_temp_dir(const dp_db *db);
/* db_temp.c: a new spill folder under root into out (stale ones of dead
 * processes removed first); remove one with everything in it. */
int dp_db__temp_make(const char *root, char *out, size_t n, dp_error *err);
void dp_db__temp_remove(const char *dir);

/* Row callback: vals[i] is NULL for SQL NULL. Return non-zero to stop. */
typedef int (*dp_row_fn)(void *payload, size_t ncols, const char *const *names,
                         const char *const *vals);
/* Runs sql; calls fn (may be NULL) for each row. timeout_ms > 0 interrupts
 * the statement when it runs longer. Engine errors -> DP_EENGINE. */
int dp_db_query(duckdb_connection con, const char *sql, long timeout_ms, dp_row_fn fn,
                void *payload, dp_error *err);
/* Column callback: types[i] is the column's type as DuckDB names it in
 * pragma_table_info ("DECIMAL(38,2)", "TIMESTAMP WITH TIME ZONE"), or NULL
 * for one dp_db_type_name does not name (nested, enum, alias types). */
typedef void (*dp_cols_fn)(void *payload, size_t ncols, const char *const *names, const char *const *types);
/* dp_db_query that also calls cols (once, before the rows, rows or none)
 * with the result's columns and their types. */
int dp_db_query_cols(duckdb_connection con, const char *sql, long timeout_ms, dp_cols_fn cols, dp_row_fn fn,
                     void *payload, dp_error *err);
/* Runs sql, a query of one UBIGINT column (hash(...)), and copies its
 * values into out (at most cap; *n of them): 0, DP_ELIMIT past cap,
 * DP_EINVALID for another type or a NULL, or the statement's error. Read
 * from DuckDB's vectors, not as text. */
int dp_db_query_u64(duckdb_connection con, const char *sql, long timeout_ms, uint64_t *out, size_t cap, size_t *n,
                    dp_error *err);
/* Runs sql under the time limit and leaves its whole result in *res for
 * the caller (who destroys it; nothing to destroy on an error). */
int dp_db_query_result(duckdb_connection con, const char *sql, long timeout_ms, duckdb_result *res, dp_error *err);
/* A type's name as pragma_table_info writes it, into out (size n), or NULL
 * when it is not a plain type this names. */
const char *dp_db_type_name(duckdb_logical_type t, char *out, size_t n);
/* The same for one statement with ? parameters, each bound as text (values
 * are never pasted into SQL). */
/* Runs a statement prepared on con, as dp_db_query runs SQL text (the same
 * time limit, rows and errors); ps stays the caller's. */
int dp_db_execute_prepared(duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms, dp_row_fn fn,
                           void *payload, dp_error *err);
/* A chunk of a streamed result to its reader, who takes it (chunk NULL:
 * once, before any row, for res's columns): 0 to go on, else an error
 * code (err set) that stops the stream. */
typedef int (*dp_chunk_fn)(void *payload, duckdb_result *res, duckdb_data_chunk chunk, dp_error *err);
/* Runs ps streaming, under the time limit for the whole of it: the rows
 * are never all held by DuckDB at once. 0, the reader's error, or the
 * statement's (DP_ELIMIT past the time limit). */
int dp_db_stream_prepared(duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms, dp_chunk_fn fn,
                          void *payload, dp_error *err);
int dp_db_query_params(duckdb_connection con, const char *sql, const char *const *params, size_t nparams,
                       long timeout_ms, dp_row_fn fn, void *payload, dp_error *err);
/* First column of the first row as text into out (size n); "" for NULL. */
int dp_db_scalar(duckdb_connection con, const char *sql, char *out, size_t n, dp_error *err);
/* Prepares sql without running it (DuckDB's own check). */
int dp_db_prepare_check(duckdb_connection con, const char *sql, dp_error *err);

/* Appends s as a SQL string literal / quoted identifier to out (capped). */
char *dp_sql_quote_literal(const char *s, char *out, size_t n);
char *dp_sql_quote_ident(const char *s, char *out, size_t n);

/* 1 when the database's files changed since it was opened (its
 * fingerprint now differs, or it is gone). */
int dp_db_changed(const dp_db *db);

#endif

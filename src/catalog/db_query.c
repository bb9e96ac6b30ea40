/* Statements on a connection: each under a watchdog that interrupts it past
 * its time limit, rows as text or as DuckDB's vectors, prepared or not. */
#include "catalog/db.h"
#include "util/error.h"
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct watchdog {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, fired;
    long ms;
    duckdb_connection con;
} watchdog;

static void *watch(void *p)
{
    watchdog *w = p;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += w->ms / 1000;
    ts.tv_nsec += (w->ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->mu);
    while (!w->done) {
        if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT) {
            if (!w->done) {
                w->fired = 1;
                duckdb_interrupt(w->con);
            }
            break;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

#define DP_DB_MAX_COLS 1024

/* The watchdog around one statement: started when timeout_ms > 0; stopped
 * (joined) before the result is read. */
static int watch_start(watchdog *w, pthread_t *th, duckdb_connection con, long timeout_ms)
{
    if (timeout_ms <= 0)
        return 0;
    memset(w, 0, sizeof(*w));
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->ms = timeout_ms;
    w->con = con;
    if (pthread_create(th, NULL, watch, w) == 0)
        return 1;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    return 0;
}

static void watch_stop(watchdog *w, pthread_t th)
{
    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
}

const char *dp_db_type_name(duckdb_logical_type t, char *out, size_t n)
{
    static const struct {
        duckdb_type id;
        const char *name;
    } plain[] = {{DUCKDB_TYPE_BOOLEAN, "BOOLEAN"},
                 {DUCKDB_TYPE_TINYINT, "TINYINT"},
                 {DUCKDB_TYPE_SMALLINT, "SMALLINT"},
                 {DUCKDB_TYPE_INTEGER, "INTEGER"},
                 {DUCKDB_TYPE_BIGINT, "BIGINT"},
                 {DUCKDB_TYPE_HUGEINT, "HUGEINT"},
                 {DUCKDB_TYPE_UTINYINT, "UTINYINT"},
                 {DUCKDB_TYPE_USMALLINT, "USMALLINT"},
                 {DUCKDB_TYPE_UINTEGER, "UINTEGER"},
                 {DUCKDB_TYPE_UBIGINT, "UBIGINT"},
                 {DUCKDB_TYPE_UHUGEINT, "UHUGEINT"},
                 {DUCKDB_TYPE_FLOAT, "FLOAT"},
                 {DUCKDB_TYPE_DOUBLE, "DOUBLE"},
                 {DUCKDB_TYPE_DATE, "DATE"},
                 {DUCKDB_TYPE_TIME, "TIME"},
                 {DUCKDB_TYPE_TIMESTAMP, "TIMESTAMP"},
                 {DUCKDB_TYPE_TIMESTAMP_S, "TIMESTAMP_S"},
                 {DUCKDB_TYPE_TIMESTAMP_MS, "TIMESTAMP_MS"},
                 {DUCKDB_TYPE_TIMESTAMP_NS, "TIMESTAMP_NS"},
                 {DUCKDB_TYPE_TIMESTAMP_TZ, "TIMESTAMP WITH TIME ZONE"},
                 {DUCKDB_TYPE_TIME_TZ, "TIME WITH TIME ZONE"},
                 {DUCKDB_TYPE_INTERVAL, "INTERVAL"},
                 {DUCKDB_TYPE_VARCHAR, "VARCHAR"},
                 {DUCKDB_TYPE_BLOB, "BLOB"},
                 {DUCKDB_TYPE_UUID, "UUID"}};
    char *alias = duckdb_logical_type_get_alias(t);
    duckdb_type id = duckdb_get_type_id(t);
    const char *name = NULL;
    if (alias) { /* JSON and other named types: their own name, left to the pragma */
        duckdb_free(alias);
        return NULL;
    }
    if (id == DUCKDB_TYPE_DECIMAL) {
        snprintf(out, n, "DECIMAL(%u,%u)", (unsigned)duckdb_decimal_width(t), (unsigned)duckdb_decimal_scale(t));
        return out;
    }
    for (size_t i = 0; i < sizeof(plain) / sizeof(*plain) && !name; i++)
        if (plain[i].id == id)
            name = plain[i].name;
    if (!name)
        return NULL;
    snprintf(out, n, "%s", name);
    return out;
}

/* The result's columns to cols: names and type names (none past the
 * column cap: finish refuses the result). */
static void columns(duckdb_result *res, dp_cols_fn cols, void *payload)
{
    idx_t ncols = duckdb_column_count(res);
    if (ncols > DP_DB_MAX_COLS)
        return;
    const char *names[DP_DB_MAX_COLS], *types[DP_DB_MAX_COLS];
    char(*tb)[48] = malloc(ncols ? ncols * sizeof(*tb) : 1);
    for (idx_t c = 0; c < ncols; c++) {
        duckdb_logical_type t = duckdb_column_logical_type(res, c);
        names[c] = duckdb_column_name(res, c);
        types[c] = tb && t ? dp_db_type_name(t, tb[c], sizeof(tb[c])) : NULL;
        duckdb_destroy_logical_type(&t);
    }
    cols(payload, (size_t)ncols, names, types);
    free(tb);
}

/* The result's rows to fn (as text), or the statement's error. */
static int finish(duckdb_state st, duckdb_result *res, int fired, long timeout_ms, dp_row_fn fn, void *payload,
                  dp_error *err)
{
    int rc = 0;
    if (st == DuckDBError) {
        const char *msg = duckdb_result_error(res);
        if (fired)
            return dp_error_set(err, DP_ELIMIT, "query stopped after the %ld ms time limit", timeout_ms);
        return dp_error_set(err, DP_EENGINE, "%s", msg ? msg : "query failed");
    }
    if (fn) {
        idx_t ncols = duckdb_column_count(res), nrows = duckdb_row_count(res);
        if (ncols > DP_DB_MAX_COLS)
            return dp_error_set(err, DP_ELIMIT, "result has more than %d columns", DP_DB_MAX_COLS);
        const char *names[DP_DB_MAX_COLS];
        char *vals[DP_DB_MAX_COLS];
        for (idx_t c = 0; c < ncols; c++)
            names[c] = duckdb_column_name(res, c);
        for (idx_t r = 0; r < nrows && !rc; r++) {
            for (idx_t c = 0; c < ncols; c++)
                vals[c] = duckdb_value_is_null(res, c, r) ? NULL : duckdb_value_varchar(res, c, r);
            if (fn(payload, (size_t)ncols, names, (const char *const *)vals))
                rc = 1;
            for (idx_t c = 0; c < ncols; c++)
                if (vals[c])
                    duckdb_free(vals[c]);
        }
        if (rc == 1)
            rc = 0;
    }
    return rc;
}

int dp_db_query(duckdb_connection con, const char *sql, long timeout_ms, dp_row_fn fn, void *payload, dp_error *err)
{
    return dp_db_query_cols(con, sql, timeout_ms, NULL, fn, payload, err);
}

/* duckdb_query under the watchdog of timeout_ms; *fired: it interrupted. */
static duckdb_state timed_query(duckdb_connection con, const char *sql, long timeout_ms, duckdb_result *res, int *fired)
{
    watchdog w;
    pthread_t th;
    int have_th = watch_start(&w, &th, con, timeout_ms);
    duckdb_state st = duckdb_query(con, sql, res);
    if (have_th)
        watch_stop(&w, th);
    *fired = have_th && w.fired;
    return st;
}

int dp_db_query_cols(duckdb_connection con, const char *sql, long timeout_ms, dp_cols_fn cols, dp_row_fn fn,
                     void *payload, dp_error *err)
{
    duckdb_result res;
    int fired;
    duckdb_state st = timed_query(con, sql, timeout_ms, &res, &fired);
    if (st != DuckDBError && cols)
        columns(&res, cols, payload);
    int rc = finish(st, &res, fired, timeout_ms, fn, payload, err);
    duckdb_destroy_result(&res);
    return rc;
}

int dp_db_query_u64(duckdb_connection con, const char *sql, long timeout_ms, uint64_t *out, size_t cap, size_t *n,
                    dp_error *err)
{
    duckdb_result res;
    int fired;
    *n = 0;
    duckdb_state st = timed_query(con, sql, timeout_ms, &res, &fired);
    int rc = finish(st, &res, fired, timeout_ms, NULL, NULL, err);
    if (!rc && (duckdb_column_count(&res) != 1 || duckdb_column_type(&res, 0) != DUCKDB_TYPE_UBIGINT))
        rc = dp_error_set(err, DP_EINVALID, "not one UBIGINT column");
    duckdb_data_chunk ch;
    while (!rc && (ch = duckdb_fetch_chunk(res))) {
        idx_t size = duckdb_data_chunk_get_size(ch);
        duckdb_vector v = duckdb_data_chunk_get_vector(ch, 0);
        const uint64_t *data = duckdb_vector_get_data(v);
        uint64_t *valid = duckdb_vector_get_validity(v);
        if (*n + size > cap)
            rc = dp_error_set(err, DP_ELIMIT, "more than %zu rows", cap);
        for (idx_t i = 0; !rc && i < size; i++) {
            if (valid && !duckdb_validity_row_is_valid(valid, i))
                rc = dp_error_set(err, DP_EINVALID, "a NULL value");
            else
                out[(*n)++] = data[i];
        }
        duckdb_destroy_data_chunk(&ch);
    }
    duckdb_destroy_result(&res);
    return rc;
}

int dp_db_query_result(duckdb_connection con, const char *sql, long timeout_ms, duckdb_result *res, dp_error *err)
{
    int fired;
    duckdb_state st = timed_query(con, sql, timeout_ms, res, &fired);
    int rc = finish(st, res, fired, timeout_ms, NULL, NULL, err);
    if (rc)
        duckdb_destroy_result(res);
    return rc;
}

int dp_db_query_params(duckdb_connection con, const char *sql, const char *const *params, size_t nparams,
                       long timeout_ms, dp_row_fn fn, void *payload, dp_error *err)
{
    duckdb_prepared_statement ps = NULL;
    duckdb_result res;
    watchdog w;
    pthread_t th;
    int rc = 0, have_res = 0, have_th;
    if (duckdb_prepare(con, sql, &ps) == DuckDBError) {
        const char *msg = duckdb_prepare_error(ps);
        rc = dp_error_set(err, DP_EENGINE, "%s", msg ? msg : "prepare failed");
        goto done;
    }
    for (size_t i = 0; i < nparams; i++)
        if (duckdb_bind_varchar(ps, (idx_t)(i + 1), params[i]) == DuckDBError) {
            rc = dp_error_set(err, DP_EENGINE, "cannot bind parameter %zu", i + 1);
            goto done;
        }
    have_th = watch_start(&w, &th, con, timeout_ms);
    duckdb_state st = duckdb_execute_prepared(ps, &res);
    have_res = 1;
    if (have_th)
        watch_stop(&w, th);
    rc = finish(st, &res, have_th && w.fired, timeout_ms, fn, payload, err);
done:
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&ps);
    return rc;
}

int dp_db_execute_prepared(duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms, dp_row_fn fn,
                           void *payload, dp_error *err)
{
    duckdb_result res;
    watchdog w;
    pthread_t th;
    int have_th = watch_start(&w, &th, con, timeout_ms);
    duckdb_state st = duckdb_execute_prepared(ps, &res);
    if (have_th)
        watch_stop(&w, th);
    int rc = finish(st, &res, have_th && w.fired, timeout_ms, fn, payload, err);
    duckdb_destroy_result(&res);
    return rc;
}

int dp_db_stream_prepared(duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms, dp_chunk_fn fn,
                          void *payload, dp_error *err)
{
    watchdog w;
    pthread_t th;
    int have_th = watch_start(&w, &th, con, timeout_ms), rc = 0;
    duckdb_pending_result pend = NULL;
    duckdb_result res;
    int have_res = 0;
    if (duckdb_pending_prepared_streaming(ps, &pend) == DuckDBError) {
        const char *msg = pend ? duckdb_pending_error(pend) : NULL;
        rc = dp_error_set(err, DP_EENGINE, "%s", msg ? msg : "query failed");
    } else {
        duckdb_state st = duckdb_execute_pending(pend, &res);
        have_res = 1;
        if (st == DuckDBError) {
            const char *msg = duckdb_result_error(&res);
            rc = dp_error_set(err, DP_EENGINE, "%s", msg ? msg : "query failed");
        }
    }
    if (pend)
        duckdb_destroy_pending(&pend);
    if (!rc)
        rc = fn(payload, &res, NULL, err); /* the columns, before any row */
    duckdb_data_chunk ch;
    while (!rc && (ch = duckdb_fetch_chunk(res)))
        rc = fn(payload, &res, ch, err);
    if (!rc && have_res && duckdb_result_error(&res)) /* the stream stopped on an error */
        rc = dp_error_set(err, DP_EENGINE, "%s", duckdb_result_error(&res));
    if (have_th)
        watch_stop(&w, th);
    if (rc == DP_EENGINE && have_th && w.fired)
        rc = dp_error_set(err, DP_ELIMIT, "query stopped after the %ld ms time limit", timeout_ms);
    if (have_res)
        duckdb_destroy_result(&res);
    return rc;
}

typedef struct scalar_out {
    char *out;
    size_t n;
} scalar_out;

static int scalar_row(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    scalar_out *s = p;
    snprintf(s->out, s->n, "%s", ncols && vals[0] ? vals[0] : "");
    return 1;
}

int dp_db_scalar(duckdb_connection con, const char *sql, char *out, size_t n, dp_error *err)
{
    scalar_out s = {out, n};
    out[0] = 0;
    return dp_db_query(con, sql, 0, scalar_row, &s, err);
}

int dp_db_prepare_check(duckdb_connection con, const char *sql, dp_error *err)
{
    duckdb_prepared_statement ps = NULL;
    int rc = 0;
    if (duckdb_prepare(con, sql, &ps) == DuckDBError) {
        const char *msg = duckdb_prepare_error(ps);
        rc = dp_error_set(err, DP_EENGINE, "%s", msg ? msg : "prepare failed");
    }
    duckdb_destroy_prepare(&ps);
    return rc;
}

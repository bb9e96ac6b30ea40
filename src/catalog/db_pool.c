/* Connections for runs: a pool of idle ones already in the source, each
 * lent connection recorded with its engine, and the engine opened again
 * after recycle_after of them (a long-lived process), without waiting for
 * the runs in flight: they finish on the old engine, which closes when the
 * last of them is given back. */
#include "catalog/db_int.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new connection starts in the default catalog: make it the source. On
 * an error *con is left to the caller. */
static int use_src(const dp_db *db, duckdb_connection con, dp_error *err)
{
    if (db->attached && dp_db_query(con, "USE src", 0, NULL, NULL, err) != 0)
        return err ? err->code : DP_EENGINE;
    return 0;
}

int dp_db_connect(duckdb_connection *out, dp_db *db, dp_error *err)
{
    int rc = dp_db_ready(db, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&db->mu);
    duckdb_state st = duckdb_connect(db->db, out);
    pthread_mutex_unlock(&db->mu);
    if (st == DuckDBError)
        return dp_error_set(err, DP_EENGINE, "duckdb: cannot connect");
    if ((rc = use_src(db, *out, err)))
        duckdb_disconnect(out);
    return rc;
}

/* An engine nobody uses any more: closed, then its spill folder removed
 * (after DuckDB let go of its files). */
static void old_close(dp_db_old *o)
{
    duckdb_close(&o->db);
    dp_db__temp_remove(o->temp_dir);
    free(o);
}

/* Under mu: con's record among the lent ones, or NULL (not lent). */
static dp_db_lent *lent_find(const dp_db *db, duckdb_connection con)
{
    for (size_t i = 0; i < db->nlent; i++)
        if (db->lent[i].con == con)
            return &db->lent[i];
    return NULL;
}

/* Under mu: takes con's record out of the lent ones; the recycled engine
 * it came from, or NULL (the current one, or not lent). */
static dp_db_old *lent_take(dp_db *db, duckdb_connection con)
{
    dp_db_lent *l = lent_find(db, con);
    if (!l)
        return NULL;
    dp_db_old *o = l->old;
    *l = db->lent[--db->nlent];
    return o;
}

/* Opens the next engine and makes it the current one: the connections lent
 * so far now belong to the old one, its idle ones are closed, and it closes
 * when nothing uses it. A failure keeps the current engine (and tries again
 * after another recycle_after). */
static void *recycle_main(void *p)
{
    dp_db *db = p;
    char mem[sizeof(db->memory_limit)], dir[sizeof(db->temp_dir)] = "";
    duckdb_config cfg = NULL;
    duckdb_database fresh = NULL;
    duckdb_connection idle[DP_DB_IDLE_MAX];
    size_t nidle = 0;
    dp_error err = {0};
    dp_db_old *o = calloc(1, sizeof(*o));
    pthread_mutex_lock(&db->mu);
    snprintf(mem, sizeof(mem), "%s", db->memory_limit[0] ? db->memory_limit : "2GB");
    pthread_mutex_unlock(&db->mu);
    int ok = o && (!db->temp_root || dp_db__temp_make(db->temp_root, dir, sizeof(dir), &err) == 0) &&
             dp_db__config(db, mem, dir, &cfg, &err) == 0 && dp_db__open_engine(db, &cfg, &fresh, &err) == 0;
    pthread_mutex_lock(&db->mu);
    if (ok) {
        o->db = db->db;
        memcpy(o->temp_dir, db->temp_dir, sizeof(o->temp_dir));
        for (size_t i = 0; i < db->nlent; i++)
            if (!db->lent[i].old) {
                db->lent[i].old = o;
                o->users++;
            }
        db->db = fresh;
        memcpy(db->temp_dir, dir, sizeof(db->temp_dir));
        memcpy(idle, db->idle, db->nidle * sizeof(idle[0]));
        nidle = db->nidle;
        db->nidle = 0;
        if (strcmp(mem, db->memory_limit)) /* set by a run meanwhile: set it again on the next */
            db->memory_limit[0] = 0;
        db->generation++;
        if (o->users) {
            o->next = db->olds;
            db->olds = o;
            o = NULL;
        }
    }
    db->served = 0;
    db->recycling = 0;
    pthread_mutex_unlock(&db->mu);
    for (size_t i = 0; i < nidle; i++)
        duckdb_disconnect(&idle[i]);
    if (ok && o)
        old_close(o); /* nothing lent: the old engine goes now */
    else if (!ok) {
        free(o);
        dp_db__temp_remove(dir);
    }
    return NULL;
}

/* Under mu, after a connection was lent: starts the next engine when the
 * current one has lent enough. */
static void recycle_due(dp_db *db)
{
    if (!db->recycle_after || ++db->served < db->recycle_after || db->recycling)
        return;
    if (db->recycler_joinable) { /* the last one is done (recycling is 0): only its thread's end is left */
        pthread_join(db->recycler, NULL);
        db->recycler_joinable = 0;
    }
    db->recycling = 1;
    if (pthread_create(&db->recycler, NULL, recycle_main, db) == 0) {
        db->recycler_joinable = 1;
    } else { /* tried again after another recycle_after */
        db->recycling = 0;
        db->served = 0;
    }
}

/* Ends a lending: con back to the pool when keep and it is of the
 * current engine, else disconnected (*con NULL either way); a recycled
 * engine nothing uses any more is closed. */
static void give_back(dp_db *db, duckdb_connection *con, int keep)
{
    pthread_mutex_lock(&db->mu);
    dp_db_old *o = lent_take(db, *con);
    if (keep && !o && db->nidle < DP_DB_IDLE_MAX) {
        db->idle[db->nidle++] = *con;
        *con = NULL;
    }
    pthread_mutex_unlock(&db->mu);
    if (*con)
        duckdb_disconnect(con);
    if (!o)
        return;
    pthread_mutex_lock(&db->mu);
    int last = --o->users == 0;
    if (last)
        for (dp_db_old **pp = &db->olds; *pp; pp = &(*pp)->next)
            if (*pp == o) {
                *pp = o->next;
                break;
            }
    pthread_mutex_unlock(&db->mu);
    if (last)
        old_close(o);
}

/* Under mu: records con as lent by the current engine. */
static int lent_put(dp_db *db, duckdb_connection con)
{
    if (db->nlent == db->caplent) {
        size_t cap = db->caplent ? db->caplent * 2 : 16;
        dp_db_lent *grown = realloc(db->lent, cap * sizeof(*grown));
        if (!grown)
            return -1;
        db->lent = grown;
        db->caplent = cap;
    }
    db->lent[db->nlent++] = (dp_db_lent){con, NULL};
    return 0;
}

int dp_db_run_connect(duckdb_connection *out, dp_db *db, dp_error *err)
{
    int rc = dp_db_ready(db, err);
    if (rc)
        return rc;
    /* taken or made, and recorded, under one hold of mu: a recycle never
     * falls between a connection and the record of its engine */
    pthread_mutex_lock(&db->mu);
    *out = db->nidle ? db->idle[--db->nidle] : NULL;
    int made = !*out;
    if (made && duckdb_connect(db->db, out) == DuckDBError)
        rc = dp_error_set(err, DP_EENGINE, "duckdb: cannot connect");
    else if (db->recycle_after && lent_put(db, *out))
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
    else if (db->recycle_after)
        recycle_due(db);
    pthread_mutex_unlock(&db->mu);
    if (!rc && made && (rc = use_src(db, *out, err)))
        give_back(db, out, 0);
    if (rc && *out) {
        duckdb_disconnect(out);
        *out = NULL;
    }
    return rc;
}

void dp_db_run_release(dp_db *db, duckdb_connection *con, const char *table)
{
    if (!*con)
        return;
    char sql[300];
    dp_error ignore = {0};
    /* a statement that fails here (an interrupt left behind, a broken
     * connection) is a connection not kept */
    int keep = !table || strlen(table) < 200;
    if (keep && table) { /* the run's result, which a disconnect would have dropped */
        snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.main.\"%s\"", table);
        keep = !strchr(table, '"') && dp_db_query(*con, sql, 0, NULL, NULL, &ignore) == 0;
    }
    give_back(db, con, keep);
}

void dp_db_engines(dp_db *db, unsigned long *recycled, size_t *in_use)
{
    size_t n = 0;
    pthread_mutex_lock(&db->mu);
    for (const dp_db_old *o = db->olds; o; o = o->next)
        n++;
    *recycled = db->generation;
    pthread_mutex_unlock(&db->mu);
    *in_use = n;
}

int dp_db_set_memory_limit(dp_db *db, duckdb_connection con, const char *limit, dp_error *err)
{
    char sql[128];
    int rc = 0;
    if (strlen(limit) >= sizeof(db->memory_limit) || strchr(limit, '\''))
        return dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", limit);
    snprintf(sql, sizeof(sql), "SET memory_limit = '%s'", limit);
    pthread_mutex_lock(&db->mu);
    const dp_db_lent *l = lent_find(db, con);
    if (l && l->old) /* a recycled engine's: set there, and not what the current one has */
        rc = dp_db_query(con, sql, 0, NULL, NULL, err);
    else if (strcmp(db->memory_limit, limit) && !(rc = dp_db_query(con, sql, 0, NULL, NULL, err)))
        snprintf(db->memory_limit, sizeof(db->memory_limit), "%s", limit);
    pthread_mutex_unlock(&db->mu);
    return rc;
}

void dp_db__pool_close(dp_db *db)
{
    pthread_mutex_lock(&db->mu);
    int join = db->recycler_joinable;
    db->recycler_joinable = 0;
    pthread_mutex_unlock(&db->mu);
    if (join)
        pthread_join(db->recycler, NULL);
    for (size_t i = 0; i < db->nidle; i++)
        duckdb_disconnect(&db->idle[i]);
    db->nidle = 0;
    while (db->olds) { /* connections not given back: their instance lives on until they go */
        dp_db_old *o = db->olds;
        db->olds = o->next;
        old_close(o);
    }
    free(db->lent);
    db->lent = NULL;
    db->nlent = db->caplent = 0;
}

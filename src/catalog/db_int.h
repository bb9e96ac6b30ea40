/* dp_db's insides, shared by db.c (opening and closing the engine) and
 * db_pool.c (connections lent to runs, and recycling the engine). */
#ifndef DP_CATALOG_DB_INT_H
#define DP_CATALOG_DB_INT_H
#include "catalog/db.h"
#include <pthread.h>

/* An engine recycled while runs still held connections to it: closed, and
 * its spill folder removed, when the last of them is given back. */
typedef struct dp_db_old {
    duckdb_database db;
    char temp_dir[4200];
    size_t users; /* connections still lent */
    struct dp_db_old *next;
} dp_db_old;

/* A connection lent to a run and the engine it came from (NULL: the
 * current one). */
typedef struct dp_db_lent {
    duckdb_connection con;
    dp_db_old *old;
} dp_db_lent;

struct dp_db {
    duckdb_database db; /* the current engine (under mu once open) */
    char *path;
    int attached; /* a DuckDB file attached as catalog src */
    int is_dir;
    int threads;
    char *write_dir;   /* dp_db_options.write_dir, copied */
    duckdb_config cfg; /* until the engine is open */
    /* the engine opens on a thread of its own when asked (background):
     * dp_db_ready joins it, once, and reports how it went (under mu);
     * deferred: not started until dp_db_start or dp_db_ready */
    pthread_t opener;
    int deferred, opening, ready_rc;
    dp_error ready_err;
    char fingerprint[600];
    char *temp_root;     /* as opened with; NULL: no spilling */
    char temp_dir[4200]; /* the current engine's spill folder, removed on close */
    /* DuckDB's memory limit is the database's, not a connection's: the value
     * last set, so a run asking for it again does not set it again (setting
     * it costs ~2 ms and makes the next query slower); mu guards it for the
     * server's threads, and the opener's join; "" when not known */
    pthread_mutex_t mu;
    char memory_limit[64];
    /* connections runs gave back (dp_db_run_release), already in src,
     * handed to the next runs (under mu); all of the current engine */
    duckdb_connection idle[DP_DB_IDLE_MAX];
    size_t nidle;
    /* recycling (dp_db_options.recycle_after), all under mu: connections
     * lent to runs and their engines, connections lent since the current
     * engine opened, the recycled engines still in use, and the thread
     * that opens the next engine */
    unsigned long recycle_after, served, generation;
    dp_db_lent *lent;
    size_t nlent, caplent;
    dp_db_old *olds;
    pthread_t recycler;
    int recycling, recycler_joinable;
};

/* A DuckDB configuration for this database's engine: its threads, limit
 * and spill folder ("" for none), into *cfg (the caller's). */
int dp_db__config(const dp_db *db, const char *memory_limit, const char *temp_dir, duckdb_config *cfg, dp_error *err);
/* Opens an engine with cfg (consumed) into *out: the instance, the
 * read-only attach (or a folder's views) and the settings every connection
 * inherits. */
int dp_db__open_engine(const dp_db *db, duckdb_config *cfg, duckdb_database *out, dp_error *err);
/* db_pool.c: at close, waits for a recycling under way, then disconnects
 * the idle connections and closes every recycled engine. */
void dp_db__pool_close(dp_db *db);

#endif

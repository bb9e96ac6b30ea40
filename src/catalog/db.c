/* DuckDB access: read-only attach, limits, a watchdog for statement time. */
#include "catalog/db.h"
#include "util/buf.h"
#include "util/error.h"
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

struct dp_db {
    duckdb_database db;
    char *path;
    int attached; /* a DuckDB file attached as catalog src */
    int is_dir;
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
    char temp_dir[4200]; /* our spill folder under it, removed on close */
    /* DuckDB's memory limit is the database's, not a connection's: the value
     * last set, so a run asking for it again does not set it again (setting
     * it costs ~2 ms and makes the next query slower); mu guards it for the
     * server's threads, and the opener's join */
    pthread_mutex_t mu;
    char memory_limit[64];
    /* connections runs gave back (dp_db_run_release), already in src,
     * handed to the next runs (under mu) */
    duckdb_connection idle[DP_DB_IDLE_MAX];
    size_t nidle;
};

static int exec(duckdb_connection con, const char *sql, dp_error *err)
{
    return dp_db_query(con, sql, 0, NULL, NULL, err);
}

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && !strcasecmp(name + n - e, ext);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    for (const unsigned char *c = p; n--; c++)
        h = (h ^ *c) * 1099511628211ull;
    return h;
}

static uint64_t stat_hash(uint64_t h, const struct stat *st)
{
    long long v[3] = {(long long)st->st_size, (long long)st->st_mtim.tv_sec, (long long)st->st_mtim.tv_nsec};
    return fnv(h, v, sizeof(v));
}

/* What keys the caches: it must change with every committed write. A DuckDB
 * file's write may stay in its WAL (path.wal) until a checkpoint, so the WAL's
 * presence, size and mtime count too; a folder's files are read at query
 * time, so each file's name, size and mtime count (order-free sum). */
static void fingerprint_into(char *out, size_t n, const char *path, const struct stat *st)
{
    uint64_t h = stat_hash(1469598103934665603ull, st);
    char aux[4200];
    struct stat fs;
    if (S_ISDIR(st->st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        uint64_t sum = 0;
        while (d && (e = readdir(d))) {
            snprintf(aux, sizeof(aux), "%s/%s", path, e->d_name);
            uint64_t eh = fnv(1469598103934665603ull, e->d_name, strlen(e->d_name));
            if (stat(aux, &fs) == 0)
                eh = stat_hash(eh, &fs);
            sum += eh;
        }
        if (d)
            closedir(d);
        h = fnv(h, &sum, sizeof(sum));
    } else {
        snprintf(aux, sizeof(aux), "%s.wal", path);
        h = stat(aux, &fs) == 0 ? stat_hash(fnv(h, "w", 1), &fs) : fnv(h, "-", 1);
    }
    /* the hash first: a long path is cut, never the hash */
    snprintf(out, n, "%016llx|%s", (unsigned long long)h, path);
}

static void fingerprint(dp_db *db, const char *path, const struct stat *st)
{
    fingerprint_into(db->fingerprint, sizeof(db->fingerprint), path, st);
}

int dp_db_changed(const dp_db *db)
{
    struct stat st;
    char now[sizeof(db->fingerprint)];
    if (stat(db->path, &st) != 0)
        return 1;
    fingerprint_into(now, sizeof(now), db->path, &st);
    return strcmp(now, db->fingerprint) != 0;
}

/* A folder's file must stay in it: a link that resolves outside is refused,
 * as a "../" path is (DuckDB's allowed_directories does not follow links);
 * and it must be a regular file. */
static int inside(const char *realdir, const char *file, dp_error *err)
{
    char *real = realpath(file, NULL);
    size_t n = strlen(realdir);
    int ok = real && !strncmp(real, realdir, n) && (real[n] == '/' || (n == 1 && realdir[0] == '/'));
    free(real);
    if (!ok)
        return dp_error_set(err, DP_EINVALID, "%s: resolves outside the folder (or not at all): not read", file);
    struct stat st; /* a FIFO would hang the read */
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
        return dp_error_set(err, DP_EINVALID, "%s: not a regular file", file);
    return 0;
}

/* A folder: one view per Parquet/CSV file, named after the file. */
static int attach_folder(duckdb_connection con, const char *dir, dp_error *err)
{
    char *realdir = realpath(dir, NULL);
    DIR *d = realdir ? opendir(dir) : NULL;
    if (!d) {
        free(realdir);
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
    }
    int rc = 0, count = 0;
    struct dirent *e;
    while ((e = readdir(d)) && !rc) {
        const char *reader = NULL;
        size_t cut = 0;
        if (has_ext(e->d_name, ".parquet")) reader = "read_parquet", cut = 8;
        else if (has_ext(e->d_name, ".csv")) reader = "read_csv_auto", cut = 4;
        else if (has_ext(e->d_name, ".csv.gz")) reader = "read_csv_auto", cut = 7;
        if (!reader)
            continue;
        char name[256], qname[600], file[4096], qfile[8300], sql[9200];
        size_t len = strlen(e->d_name) - cut;
        if (len >= sizeof(name))
            continue;
        memcpy(name, e->d_name, len);
        name[len] = 0;
        snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        if ((rc = inside(realdir, file, err)))
            break;
        if (!dp_sql_quote_ident(name, qname, sizeof(qname)) ||
            !dp_sql_quote_literal(file, qfile, sizeof(qfile)))
            continue;
        snprintf(sql, sizeof(sql), "CREATE VIEW main.%s AS SELECT * FROM %s(%s)", qname, reader, qfile);
        if ((rc = exec(con, sql, err)))
            dp_error_prefix(err, "%s", file);
        count++;
    }
    closedir(d);
    free(realdir);
    if (!rc && count == 0)
        rc = dp_error_set(err, DP_ENOTFOUND, "%s: no .parquet or .csv files in the folder", dir);
    return rc;
}

/* DuckDB itself: the instance, the read-only attach (or a folder's views)
 * and the settings every connection inherits. */
static int open_engine(dp_db *db, dp_error *err)
{
    int rc = 0;
    duckdb_connection con = NULL;
    char *open_err = NULL;
    if (duckdb_open_ext(NULL, &db->db, db->cfg, &open_err) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "duckdb: %s", open_err ? open_err : "cannot open");
        goto done;
    }
    if (duckdb_connect(db->db, &con) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "duckdb: cannot connect");
        goto done;
    }
    if (db->is_dir) {
        rc = attach_folder(con, db->path, err);
    } else {
        char q[4200], sql[4400];
        if (!dp_sql_quote_literal(db->path, q, sizeof(q))) {
            rc = dp_error_set(err, DP_EINVALID, "database path too long");
            goto done;
        }
        snprintf(sql, sizeof(sql), "ATTACH %s AS src (READ_ONLY)", q);
        if ((rc = exec(con, sql, err))) {
            char why[sizeof(err->message)]; /* the message is formatted into its own buffer */
            snprintf(why, sizeof(why), "%s", err ? err->message : "");
            dp_error_set(err, DP_EINVALID, "database %s cannot be opened read-only: %s", db->path, why);
            goto done;
        }
        rc = exec(con, "USE src", err);
        db->attached = 1;
    }
    if (!rc && (!db->attached || db->write_dir)) {
        /* a folder's views read their files at query time: allow that folder
         * only (and the folder an export writes into, when asked) */
        char q[4200] = "", w[4200] = "", sql[8600];
        if ((db->attached || dp_sql_quote_literal(db->path, q, sizeof(q))) &&
            (!db->write_dir || dp_sql_quote_literal(db->write_dir, w, sizeof(w)))) {
            snprintf(sql, sizeof(sql), "SET allowed_directories = [%s%s%s]", q, *q && *w ? ", " : "", w);
            rc = exec(con, sql, err);
        }
    }
    if (!rc) /* generated SQL never needs other files or the network */
        rc = exec(con, "SET enable_external_access = false", err);
done:
    if (con)
        duckdb_disconnect(&con);
    if (open_err)
        duckdb_free(open_err);
    duckdb_destroy_config(&db->cfg);
    return rc;
}

static void *opener_main(void *p)
{
    dp_db *db = p;
    db->ready_rc = open_engine(db, &db->ready_err);
    return NULL;
}

void dp_db_start(dp_db *db)
{
    pthread_mutex_lock(&db->mu);
    if (db->deferred) {
        db->deferred = 0;
        if (pthread_create(&db->opener, NULL, opener_main, db) == 0)
            db->opening = 1;
        else
            db->ready_rc = open_engine(db, &db->ready_err);
    }
    pthread_mutex_unlock(&db->mu);
}

int dp_db_started(const dp_db *db)
{
    dp_db *m = (dp_db *)db; /* the lock only */
    pthread_mutex_lock(&m->mu);
    int started = !m->deferred;
    pthread_mutex_unlock(&m->mu);
    return started;
}

int dp_db_ready(dp_db *db, dp_error *err)
{
    pthread_mutex_lock(&db->mu);
    if (db->deferred) {
        db->deferred = 0;
        db->ready_rc = open_engine(db, &db->ready_err);
    }
    if (db->opening) {
        pthread_join(db->opener, NULL);
        db->opening = 0;
    }
    int rc = db->ready_rc;
    pthread_mutex_unlock(&db->mu);
    if (rc && err)
        *err = db->ready_err;
    return rc;
}

int dp_db_open(dp_db **out, const char *path, const dp_db_options *opts, dp_error *err)
{
    int rc = 0;
    dp_db *db = NULL;
    struct stat st;
    *out = NULL;
    if (!path || !*path)
        return dp_error_set(err, DP_EINVALID, "no database given");
    if (stat(path, &st) != 0)
        return dp_error_set(err, errno == ENOENT ? DP_ENOTFOUND : DP_EINVALID, "database %s: %s", path,
                            strerror(errno));
    /* DuckDB would wait forever on a FIFO's reader end */
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return dp_error_set(err, DP_EINVALID, "database %s is not a regular file or a folder", path);
    db = calloc(1, sizeof(*db));
    if (!db || !(db->path = strdup(path)) || (opts && opts->write_dir && !(db->write_dir = strdup(opts->write_dir)))) {
        if (db)
            free(db->path);
        free(db);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&db->mu, NULL);
    db->is_dir = S_ISDIR(st.st_mode);
    fingerprint(db, path, &st);
    if (duckdb_create_config(&db->cfg) == DuckDBError) {
        rc = dp_error_set(err, DP_ENOMEM, "duckdb: cannot create config");
        goto done;
    }
    char threads[16];
    snprintf(threads, sizeof(threads), "%d", opts && opts->threads > 0 ? opts->threads : 2);
    duckdb_set_config(db->cfg, "threads", threads);
    const char *mem = opts && opts->memory_limit ? opts->memory_limit : "2GB";
    if (duckdb_set_config(db->cfg, "memory_limit", mem) == DuckDBError) {
        rc = dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", mem);
        goto done;
    }
    snprintf(db->memory_limit, sizeof(db->memory_limit), "%s", strlen(mem) < sizeof(db->memory_limit) ? mem : "");
    duckdb_set_config(db->cfg, "autoinstall_known_extensions", "false");
    duckdb_set_config(db->cfg, "autoload_known_extensions", "false");
    if (opts && opts->temp_root) {
        if (!(db->temp_root = strdup(opts->temp_root))) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = dp_db__temp_make(opts->temp_root, db->temp_dir, sizeof(db->temp_dir), err)))
            goto done;
    }
    /* "": DuckDB spills nowhere (never into ./.tmp of the current folder) */
    duckdb_set_config(db->cfg, "temp_directory", db->temp_dir);
    if (opts && opts->background == DP_DB_OPEN_DEFERRED)
        db->deferred = 1;
    else if (opts && opts->background && pthread_create(&db->opener, NULL, opener_main, db) == 0)
        db->opening = 1;
    else
        rc = open_engine(db, err);
done:
    if (rc) {
        dp_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void dp_db_close(dp_db *db)
{
    if (!db)
        return;
    if (!db->deferred) /* never started: nothing to wait for */
        dp_db_ready(db, NULL);
    for (size_t i = 0; i < db->nidle; i++)
        duckdb_disconnect(&db->idle[i]);
    db->nidle = 0;
    if (db->cfg)
        duckdb_destroy_config(&db->cfg);
    if (db->db)
        duckdb_close(&db->db);
    dp_db__temp_remove(db->temp_dir); /* after DuckDB let go of its files */
    free(db->temp_root);
    free(db->write_dir);
    free(db->path);
    pthread_mutex_destroy(&db->mu);
    free(db);
}

const char *dp_db_path(const dp_db *db) { return db->path; }
const char *dp_db_fingerprint(const dp_db *db) { return db->fingerprint; }
const char *dp_db_temp_root(const dp_db *db) { return db->temp_root; }
const char *dp_db_temp_dir(const dp_db *db) { return db->temp_dir[0] ? db->temp_dir : NULL; }

int dp_db_connect(duckdb_connection *out, dp_db *db, dp_error *err)
{
    int rc = dp_db_ready(db, err);
    if (rc)
        return rc;
    if (duckdb_connect(db->db, out) == DuckDBError)
        return dp_error_set(err, DP_EENGINE, "duckdb: cannot connect");
    /* a new connection starts in the default catalog; make it the source */
    if (db->attached && dp_db_query(*out, "USE src", 0, NULL, NULL, err) != 0) {
        duckdb_disconnect(out);
        return err ? err->code : DP_EENGINE;
    }
    return 0;
}

int dp_db_run_connect(duckdb_connection *out, dp_db *db, dp_error *err)
{
    int rc = dp_db_ready(db, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&db->mu);
    *out = db->nidle ? db->idle[--db->nidle] : NULL;
    pthread_mutex_unlock(&db->mu);
    return *out ? 0 : dp_db_connect(out, db, err);
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
    pthread_mutex_lock(&db->mu);
    if (keep && db->nidle < DP_DB_IDLE_MAX) {
        db->idle[db->nidle++] = *con;
        *con = NULL;
    }
    pthread_mutex_unlock(&db->mu);
    if (*con)
        duckdb_disconnect(con);
}

int dp_db_set_memory_limit(dp_db *db, duckdb_connection con, const char *limit, dp_error *err)
{
    char sql[128];
    int rc = 0;
    if (strlen(limit) >= sizeof(db->memory_limit) || strchr(limit, '\''))
        return dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", limit);
    pthread_mutex_lock(&db->mu);
    if (strcmp(db->memory_limit, limit)) {
        snprintf(sql, sizeof(sql), "SET memory_limit = '%s'", limit);
        if (!(rc = dp_db_query(con, sql, 0, NULL, NULL, err)))
            snprintf(db->memory_limit, sizeof(db->memory_limit), "%s", limit);
    }
    pthread_mutex_unlock(&db->mu);
    return rc;
}

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

int dp_db_query(duckdb_connection con, const char *sql, long timeout_ms, dp_row_fn fn,
                void *payload, dp_error *err)
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

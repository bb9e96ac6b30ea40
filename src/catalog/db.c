/* DuckDB access: read-only attach, limits, a watchdog for statement time. */
#include "catalog/db_int.h"
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

int dp_db__open_engine(const dp_db *db, duckdb_config *cfg, duckdb_database *out, dp_error *err)
{
    int rc = 0;
    duckdb_connection con = NULL;
    char *open_err = NULL;
    if (duckdb_open_ext(NULL, out, *cfg, &open_err) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "duckdb: %s", open_err ? open_err : "cannot open");
        goto done;
    }
    if (duckdb_connect(*out, &con) == DuckDBError) {
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
    duckdb_destroy_config(cfg);
    if (rc && *out)
        duckdb_close(out);
    return rc;
}

/* The first engine, with the configuration dp_db_open made. */
static int open_engine(dp_db *db, dp_error *err) { return dp_db__open_engine(db, &db->cfg, &db->db, err); }

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

int dp_db__config(const dp_db *db, const char *memory_limit, const char *temp_dir, duckdb_config *cfg, dp_error *err)
{
    char threads[16];
    if (duckdb_create_config(cfg) == DuckDBError)
        return dp_error_set(err, DP_ENOMEM, "duckdb: cannot create config");
    snprintf(threads, sizeof(threads), "%d", db->threads);
    duckdb_set_config(*cfg, "threads", threads);
    if (duckdb_set_config(*cfg, "memory_limit", memory_limit) == DuckDBError) {
        duckdb_destroy_config(cfg);
        return dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", memory_limit);
    }
    duckdb_set_config(*cfg, "autoinstall_known_extensions", "false");
    duckdb_set_config(*cfg, "autoload_known_extensions", "false");
    /* "": DuckDB spills nowhere (never into ./.tmp of the current folder) */
    duckdb_set_config(*cfg, "temp_directory", temp_dir);
    return 0;
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
    db->attached = !db->is_dir;
    fingerprint(db, path, &st);
    db->threads = opts && opts->threads > 0 ? opts->threads : 2;
    db->recycle_after = opts ? opts->recycle_after : 0;
    const char *mem = opts && opts->memory_limit ? opts->memory_limit : "2GB";
    snprintf(db->memory_limit, sizeof(db->memory_limit), "%s", strlen(mem) < sizeof(db->memory_limit) ? mem : "");
    if (opts && opts->temp_root) {
        if (!(db->temp_root = strdup(opts->temp_root))) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = dp_db__temp_make(opts->temp_root, db->temp_dir, sizeof(db->temp_dir), err)))
            goto done;
    }
    if ((rc = dp_db__config(db, mem, db->temp_dir, &db->cfg, err)))
        goto done;
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
    dp_db__pool_close(db);
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

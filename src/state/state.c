/* SQLite state: profile and check caches, runs, products, adopted rules and
 * learned synonyms, the last three per catalog; schema migrations. */
#include "util/fs.h"
#include "state/state.h"
#include "util/error.h"
#include "util/utf8.h"
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "intent/intent.h"

/* The run history keeps at most a request's length limit of a request or a
 * message, `dpgen runs` prints at most DP_STATE_PRINT_MAX characters of
 * each (rows recorded before the cap included) and at most
 * DP_STATE_MAX_RUNS runs. */
#define DP_STATE_MAX_TEXT DP_INTENT_MAX_REQUEST
#define DP_STATE_PRINT_MAX "500"
#define DP_STATE_MAX_RUNS 1000
#define DP_STATE_STMTS 16 /* prepared statements kept */
#define DP_STATE_PRINT_CUT(col)                                                                                        \
    "CASE WHEN length(" col ") > " DP_STATE_PRINT_MAX " THEN substr(" col ", 1, " DP_STATE_PRINT_MAX                   \
    ") || '... (cut)' ELSE " col " END AS " col

struct dp_state {
    sqlite3 *db;
    char path[4096];
    char catalog[40]; /* the catalog runs are recorded for and read from ("" none) */
    /* the reads a run makes a dozen of, prepared once and kept (each use
     * under the connection's mutex: requests share the connection) */
    struct {
        const char *sql; /* a string literal of this file */
        sqlite3_stmt *st;
    } stmts[DP_STATE_STMTS];
    size_t nstmts;
};

/* WAL with synchronous=NORMAL: a commit is not fsynced, the checkpoint is;
 * a killed process loses nothing committed, a power cut at worst the last
 * runs, and the file is never corrupt (the FULL default's fsync per run
 * cost as much as a stage). */
static const char *schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS profiles(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS source_checks(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs(run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, request TEXT NOT NULL,"
    " status TEXT NOT NULL, product TEXT, ms REAL, message TEXT);"
    "CREATE TABLE IF NOT EXISTS product_datasets(product TEXT NOT NULL, dataset TEXT NOT NULL, run_id TEXT NOT NULL,"
    " created_at TEXT NOT NULL, PRIMARY KEY(product, dataset));"
    "CREATE TABLE IF NOT EXISTS rules(product TEXT NOT NULL, dataset TEXT NOT NULL, rule_type TEXT NOT NULL,"
    " column_name TEXT, definition TEXT NOT NULL, severity TEXT NOT NULL, created_at TEXT NOT NULL,"
    " PRIMARY KEY(product, dataset, rule_type, column_name, definition));"
    /* the run store (runstore.c) */
    "CREATE TABLE IF NOT EXISTS run_docs(run_id TEXT PRIMARY KEY, spec_json TEXT, spec_yaml TEXT, markdown TEXT,"
    " trace_json TEXT, clarification TEXT);"
    "CREATE TABLE IF NOT EXISTS run_live(run_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL,"
    " started_at TEXT NOT NULL, request TEXT NOT NULL, catalog TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_repeats(key TEXT PRIMARY KEY, run_id TEXT NOT NULL, created_at TEXT NOT NULL);";

/* Version 1: what runs learn (popularity, adopted rules, learned synonyms)
 * belongs to one catalog, so each table gets the catalog key, in the primary
 * key where two catalogs may hold the same product or dataset name. Rows of
 * an older state keep catalog '': no catalog is known for them, so no
 * catalog sees them (their runs stay in the audit list). */
static const char *migrate_v1 =
    "ALTER TABLE runs ADD COLUMN catalog TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE product_datasets_v1(catalog TEXT NOT NULL DEFAULT '', product TEXT NOT NULL, dataset TEXT NOT NULL,"
    " run_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(catalog, product, dataset));"
    "INSERT INTO product_datasets_v1(product, dataset, run_id, created_at)"
    " SELECT product, dataset, run_id, created_at FROM product_datasets;"
    "DROP TABLE product_datasets;"
    "ALTER TABLE product_datasets_v1 RENAME TO product_datasets;"
    "CREATE TABLE rules_v1(catalog TEXT NOT NULL DEFAULT '', product TEXT NOT NULL, dataset TEXT NOT NULL,"
    " rule_type TEXT NOT NULL, column_name TEXT, definition TEXT NOT NULL, severity TEXT NOT NULL, created_at TEXT NOT NULL,"
    " PRIMARY KEY(catalog, product, dataset, rule_type, column_name, definition));"
    "INSERT INTO rules_v1(product, dataset, rule_type, column_name, definition, severity, created_at)"
    " SELECT product, dataset, rule_type, column_name, definition, severity, created_at FROM rules;"
    "DROP TABLE rules;"
    "ALTER TABLE rules_v1 RENAME TO rules;"
    "CREATE TABLE learned(catalog TEXT NOT NULL, phrase TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,"
    " target TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(catalog, phrase));"
    "PRAGMA user_version = 1;";

/* Version 2: a stored run keeps the fingerprint of the catalog files and
 * data it ran on (its exports are only rewritten on the same). */
static const char *migrate_v2 = "ALTER TABLE run_docs ADD COLUMN data_key TEXT;"
                                "PRAGMA user_version = 2;";

/* Version 3: what each run asks of the history (the rules earlier products
 * adopted on a dataset, the products using it) is found by dataset, not by
 * reading every product's rows (their primary keys lead with the product). */
static const char *migrate_v3 =
    "CREATE INDEX IF NOT EXISTS rules_by_dataset ON rules(catalog, dataset);"
    "CREATE INDEX IF NOT EXISTS product_datasets_by_dataset ON product_datasets(catalog, dataset, product, created_at);"
    "PRAGMA user_version = 3;";

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Brings an older state up to the current version, in one transaction taken
 * before the version is read, so two processes opening the same old state
 * migrate it once. */
static int migrate(sqlite3 *db, char **msg)
{
    if (user_version(db) >= 3)
        return SQLITE_OK;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, msg);
    if (rc != SQLITE_OK)
        return rc;
    int v = user_version(db);
    rc = v < 0 ? SQLITE_ERROR : v < 1 ? sqlite3_exec(db, migrate_v1, NULL, NULL, msg) : SQLITE_OK;
    if (rc == SQLITE_OK && v < 2)
        rc = sqlite3_exec(db, migrate_v2, NULL, NULL, msg);
    if (rc == SQLITE_OK && v < 3)
        rc = sqlite3_exec(db, migrate_v3, NULL, NULL, msg);
    sqlite3_exec(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int dp_state_open(dp_state **out, const char *dir, dp_error *err)
{
    char d[3800];
    *out = NULL;
    if (dir && *dir)
        snprintf(d, sizeof(d), "%s", dir);
    else if (getenv("DPGEN_STATE_DIR") && *getenv("DPGEN_STATE_DIR"))
        snprintf(d, sizeof(d), "%s", getenv("DPGEN_STATE_DIR"));
    else if (getenv("XDG_STATE_HOME") && *getenv("XDG_STATE_HOME"))
        snprintf(d, sizeof(d), "%s/dpgen", getenv("XDG_STATE_HOME"));
    else
        snprintf(d, sizeof(d), "%s/.local/state/dpgen", getenv("HOME") ? getenv("HOME") : "/tmp");
    if (dp_mkdirs(d, 0))
        return dp_error_set(err, DP_EINVALID, "state folder %s: %s", d, strerror(errno));
    dp_state *s = calloc(1, sizeof(*s));
    if (!s)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    snprintf(s->path, sizeof(s->path), "%s/state.db", d);
    if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        int rc = dp_error_set(err, DP_EINVALID, "state %s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        dp_state_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK || migrate(s->db, &msg) != SQLITE_OK) {
        int rc = dp_error_set(err, DP_EINVALID, "state %s: %s", s->path, msg ? msg : "schema");
        sqlite3_free(msg);
        dp_state_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void dp_state_close(dp_state *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nstmts; i++)
        sqlite3_finalize(s->stmts[i].st);
    sqlite3_close(s->db);
    free(s);
}

const char *dp_state_path(const dp_state *s) { return s->path; }

static unsigned long long fnv(unsigned long long h, const char *p)
{
    for (; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

/* The path as the file system resolves it, so "./m.yml" and "/abs/m.yml"
 * are one catalog; as given when it cannot be resolved. */
static unsigned long long fnv_path(unsigned long long h, const char *path)
{
    char *real = path ? realpath(path, NULL) : NULL;
    h = fnv(h, real ? real : path);
    free(real);
    return fnv(h, "\n");
}

void dp_state_catalog_key(char out[40], const char *models_path, const char *db_path)
{
    unsigned long long h = fnv_path(fnv_path(1469598103934665603ull, models_path), db_path);
    snprintf(out, 40, "c1-%016llx", h);
}

void dp_state_set_catalog(dp_state *s, const char *key)
{
    snprintf(s->catalog, sizeof(s->catalog), "%s", key ? key : "");
}

const char *dp_state_catalog(const dp_state *s) { return s->catalog; }

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The prepared statement of sql (a string literal), kept after its first
 * use while there is room, with the connection's mutex held until
 * stmt_done; NULL (the mutex not held) when it cannot be prepared. */
static sqlite3_stmt *stmt_get(dp_state *s, const char *sql)
{
    sqlite3_mutex_enter(sqlite3_db_mutex(s->db));
    for (size_t i = 0; i < s->nstmts; i++)
        if (s->stmts[i].sql == sql || !strcmp(s->stmts[i].sql, sql))
            return s->stmts[i].st;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        sqlite3_mutex_leave(sqlite3_db_mutex(s->db));
        return NULL;
    }
    if (s->nstmts < DP_STATE_STMTS) {
        s->stmts[s->nstmts].sql = sql;
        s->stmts[s->nstmts++].st = st;
    }
    return st;
}

/* Resets a statement of stmt_get (its bindings are the caller's), or
 * finalizes it when it was not kept, and releases the mutex. */
static void stmt_done(dp_state *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    size_t i = 0;
    while (i < s->nstmts && s->stmts[i].st != st)
        i++;
    if (i < s->nstmts) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    sqlite3_mutex_leave(sqlite3_db_mutex(s->db));
}

/* The JSON stored under key in a (key, json, created_at) table, or NULL. */
static char *keyed_get(dp_state *s, const char *sql, const char *key)
{
    char *out = NULL;
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st && sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *j = (const char *)sqlite3_column_text(st, 0);
        out = j ? strdup(j) : NULL;
    }
    stmt_done(s, st);
    return out;
}

char *dp_state_profile_get(dp_state *s, const char *key)
{
    return keyed_get(s, "SELECT json FROM profiles WHERE key = ?", key);
}

static int exec_bind(dp_state *s, const char *sql, const char *const *vals, int n, double real, int real_at,
                     dp_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(s->db));
    for (int i = 0; i < n; i++) {
        if (i + 1 == real_at)
            sqlite3_bind_double(st, i + 1, real);
        else if (vals[i])
            sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, i + 1);
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return rc;
}

/* exec_bind for a statement run once per row of a loop: prepared on the
 * first row into *st, reset for the next; the caller finalizes *st. */
static int exec_row(dp_state *s, sqlite3_stmt **st, const char *sql, const char *const *vals, int n, dp_error *err)
{
    if (*st) {
        sqlite3_reset(*st);
        sqlite3_clear_bindings(*st);
    } else if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(s->db));
    }
    for (int i = 0; i < n; i++) {
        if (vals[i])
            sqlite3_bind_text(*st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(*st, i + 1);
    }
    if (sqlite3_step(*st) != SQLITE_DONE)
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(s->db));
    return 0;
}

int dp_state_profile_put(dp_state *s, const char *key, const char *json, dp_error *err)
{
    char now[32];
    now_iso(now);
    const char *v[] = {key, json, now};
    return exec_bind(s, "INSERT OR REPLACE INTO profiles(key, json, created_at) VALUES (?, ?, ?)", v, 3, 0, 0, err);
}

char *dp_state_check_get(dp_state *s, const char *key)
{
    return keyed_get(s, "SELECT json FROM source_checks WHERE key = ?", key);
}

int dp_state_check_put(dp_state *s, const char *key, const char *json, dp_error *err)
{
    char now[32];
    now_iso(now);
    const char *v[] = {key, json, now};
    return exec_bind(s, "INSERT OR REPLACE INTO source_checks(key, json, created_at) VALUES (?, ?, ?)", v, 3, 0, 0, err);
}

/* Text longer than a request may be, cut on a character boundary and
 * marked (malloc'd), or NULL when it fits (or memory is short: then the
 * cut is the SQL's, below). */
static char *cut_text(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n <= DP_STATE_MAX_TEXT)
        return NULL;
    size_t k = DP_STATE_MAX_TEXT;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    char *out = malloc(k + 64);
    if (out)
        snprintf(out, k + 64, "%.*s... (cut: %zu bytes)", (int)k, s, n);
    return out;
}

int dp_state_record_run(dp_state *s, const char *run_id, const char *request, const char *status, const char *product,
                        double ms, const char *message, dp_error *err)
{
    char now[32];
    now_iso(now);
    /* a refused request may be any size: what is kept is bounded */
    char *req = cut_text(request), *msg = cut_text(message);
    const char *v[] = {run_id, now, req ? req : request, status, product, NULL, msg ? msg : message, s->catalog};
    int rc = exec_bind(s,
                       "INSERT OR REPLACE INTO runs(run_id, created_at, request, status, product, ms, message, "
                       "catalog) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       v, 8, ms, 6, err);
    free(req);
    free(msg);
    return rc;
}

int dp_state_record_product(dp_state *s, const char *run_id, const char *product, const char *const *datasets,
                            size_t nd, json_t *rules, dp_error *err)
{
    char now[32];
    now_iso(now);
    int rc = 0;
    /* a savepoint: a transaction of its own, or a part of the run's; each
     * statement prepared once for all its rows. A pair or rule already
     * known keeps its first time: what runs taught (repeat.c keys answers
     * on it) changes only when something new is learned, not with every
     * run of a known product */
    sqlite3_stmt *pd = NULL, *ru = NULL;
    sqlite3_exec(s->db, "SAVEPOINT record_product", NULL, NULL, NULL);
    for (size_t i = 0; i < nd && !rc; i++) {
        const char *v[] = {product, datasets[i], run_id, now, s->catalog};
        rc = exec_row(s, &pd,
                      "INSERT INTO product_datasets(product, dataset, run_id, created_at, catalog) VALUES "
                      "(?, ?, ?, ?, ?) ON CONFLICT(catalog, product, dataset) DO UPDATE SET run_id = excluded.run_id",
                      v, 5, err);
    }
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) {
        if (rc)
            break;
        const char *ds = json_string_value(json_object_get(r, "dataset"));
        const char *type = json_string_value(json_object_get(r, "type"));
        const char *def = json_string_value(json_object_get(r, "definition"));
        const char *col = json_string_value(json_object_get(r, "column"));
        const char *sev = json_string_value(json_object_get(r, "severity"));
        if (!ds || !type || !def || !sev)
            continue;
        const char *v[] = {product, ds, type, col ? col : "", def, sev, now, s->catalog};
        rc = exec_row(s, &ru,
                      "INSERT INTO rules(product, dataset, rule_type, column_name, definition, severity, "
                      "created_at, catalog) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(catalog, product, dataset, "
                      "rule_type, column_name, definition) DO UPDATE SET severity = excluded.severity, created_at = "
                      "CASE WHEN severity = excluded.severity THEN created_at ELSE excluded.created_at END",
                      v, 8, err);
    }
    sqlite3_finalize(pd);
    sqlite3_finalize(ru);
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK TO record_product", NULL, NULL, NULL);
    sqlite3_exec(s->db, "RELEASE record_product", NULL, NULL, NULL);
    return rc;
}

int dp_state_popularity(dp_state *s, const char *dataset, double *out)
{
    *out = 0;
    sqlite3_stmt *st = stmt_get(s, "SELECT count(*) FROM product_datasets WHERE dataset = ? AND catalog = ?");
    int rc = st ? 0 : -1;
    if (st) {
        sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->catalog, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            *out = sqlite3_column_double(st, 0);
    }
    stmt_done(s, st);
    return rc;
}

static json_t *query_json(dp_state *s, const char *sql, const char *arg, int limit)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = stmt_get(s, sql);
    if (!st)
        return arr;
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 1, limit);
    /* a second parameter is always the catalog the state reads for */
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_text(st, 2, s->catalog, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *name = sqlite3_column_name(st, c);
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                json_object_set_new(o, name, json_null());
            else if (sqlite3_column_type(st, c) == SQLITE_FLOAT || sqlite3_column_type(st, c) == SQLITE_INTEGER)
                json_object_set_new(o, name, json_real(sqlite3_column_double(st, c)));
            else
                json_object_set_new(o, name, json_string((const char *)sqlite3_column_text(st, c)));
        }
        json_array_append_new(arr, o);
    }
    stmt_done(s, st);
    return arr;
}

json_t *dp_state_rules_for(dp_state *s, const char *dataset)
{
    return query_json(s, "SELECT rule_type AS type, column_name AS \"column\", definition, severity, count(*) AS adopted_by "
                         "FROM rules WHERE dataset = ? AND catalog = ? GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2 LIMIT 50",
                      dataset, 0);
}

json_t *dp_state_products_using(dp_state *s, const char *dataset)
{
    return query_json(s, "SELECT product, max(created_at) AS created_at FROM product_datasets WHERE dataset = ? AND catalog = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 100",
                      dataset, 0);
}

json_t *dp_state_runs(dp_state *s, int limit)
{
    return query_json(
        s,
        "SELECT run_id, created_at, status, product, ms, " DP_STATE_PRINT_CUT("request") ", " DP_STATE_PRINT_CUT(
            "message") ", catalog FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?",
        NULL, limit);
}

int dp_state_learn(dp_state *s, const char *phrase, const char *text, const char *kind, const char *target, dp_error *err)
{
    char now[32];
    now_iso(now);
    const char *v[] = {s->catalog, phrase, text, kind, target, now};
    return exec_bind(s, "INSERT OR REPLACE INTO learned(catalog, phrase, text, kind, target, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     v, 6, 0, 0, err);
}

int dp_state_forget(dp_state *s, const char *phrase, dp_error *err)
{
    const char *v[] = {s->catalog, phrase};
    int rc = exec_bind(s, "DELETE FROM learned WHERE catalog = ? AND phrase = ?", v, 2, 0, 0, err);
    return rc ? rc : sqlite3_changes(s->db) > 0;
}

json_t *dp_state_learned(dp_state *s)
{
    /* the first parameter is the catalog here: query_json binds arg there */
    return query_json(s, "SELECT phrase, text, kind, target, created_at FROM learned WHERE catalog = ? ORDER BY phrase LIMIT 10000",
                      s->catalog, 0);
}

int dp_runs_list(char **out, const char *dir, int limit, dp_error *err)
{
    dp_state *s;
    int rc = dp_state_open(&s, dir, err);
    if (rc)
        return rc;
    json_t *runs = dp_state_runs(s, limit > 0 ? (limit < DP_STATE_MAX_RUNS ? limit : DP_STATE_MAX_RUNS) : 20);
    *out = dp_utf8_json_c1(json_dumps(runs, JSON_INDENT(2) | JSON_PRESERVE_ORDER));
    json_decref(runs);
    dp_state_close(s);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

sqlite3 *dp_state__db(dp_state *s) { return s->db; }

void dp_state__now(char out[32]) { now_iso(out); }

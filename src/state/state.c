/* SQLite state. */
#include "util/fs.h"
#include "state/state.h"
#include "util/error.h"
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct dp_state {
    sqlite3 *db;
    char path[4096];
};

static const char *schema =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS profiles(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS source_checks(key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs(run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, request TEXT NOT NULL,"
    " status TEXT NOT NULL, product TEXT, ms REAL, message TEXT);"
    "CREATE TABLE IF NOT EXISTS product_datasets(product TEXT NOT NULL, dataset TEXT NOT NULL, run_id TEXT NOT NULL,"
    " created_at TEXT NOT NULL, PRIMARY KEY(product, dataset));"
    "CREATE TABLE IF NOT EXISTS rules(product TEXT NOT NULL, dataset TEXT NOT NULL, rule_type TEXT NOT NULL,"
    " column_name TEXT, definition TEXT NOT NULL, severity TEXT NOT NULL, created_at TEXT NOT NULL,"
    " PRIMARY KEY(product, dataset, rule_type, column_name, definition));";

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
    if (sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
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
    sqlite3_close(s->db);
    free(s);
}

const char *dp_state_path(const dp_state *s) { return s->path; }

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The JSON stored under key in a (key, json, created_at) table, or NULL. */
static char *keyed_get(dp_state *s, const char *sql, const char *key)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *j = (const char *)sqlite3_column_text(st, 0);
        out = j ? strdup(j) : NULL;
    }
    sqlite3_finalize(st);
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

int dp_state_record_run(dp_state *s, const char *run_id, const char *request, const char *status, const char *product,
                        double ms, const char *message, dp_error *err)
{
    char now[32];
    now_iso(now);
    const char *v[] = {run_id, now, request, status, product, NULL, message};
    return exec_bind(s, "INSERT OR REPLACE INTO runs(run_id, created_at, request, status, product, ms, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     v, 7, ms, 6, err);
}

int dp_state_record_product(dp_state *s, const char *run_id, const char *product, const char *const *datasets,
                            size_t nd, json_t *rules, dp_error *err)
{
    char now[32];
    now_iso(now);
    int rc = 0;
    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < nd && !rc; i++) {
        const char *v[] = {product, datasets[i], run_id, now};
        rc = exec_bind(s, "INSERT OR REPLACE INTO product_datasets(product, dataset, run_id, created_at) VALUES (?, ?, ?, ?)",
                       v, 4, 0, 0, err);
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
        const char *v[] = {product, ds, type, col ? col : "", def, sev, now};
        rc = exec_bind(s, "INSERT OR REPLACE INTO rules(product, dataset, rule_type, column_name, definition, severity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       v, 7, 0, 0, err);
    }
    sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

int dp_state_popularity(dp_state *s, const char *dataset, double *out)
{
    sqlite3_stmt *st = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM product_datasets WHERE dataset = ?", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static json_t *query_json(dp_state *s, const char *sql, const char *arg, int limit)
{
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return arr;
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 1, limit);
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
    sqlite3_finalize(st);
    return arr;
}

json_t *dp_state_rules_for(dp_state *s, const char *dataset)
{
    return query_json(s, "SELECT rule_type AS type, column_name AS \"column\", definition, severity, count(*) AS adopted_by "
                         "FROM rules WHERE dataset = ? GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2 LIMIT 50",
                      dataset, 0);
}

json_t *dp_state_products_using(dp_state *s, const char *dataset)
{
    return query_json(s, "SELECT product, max(created_at) AS created_at FROM product_datasets WHERE dataset = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 100",
                      dataset, 0);
}

json_t *dp_state_runs(dp_state *s, int limit)
{
    return query_json(s, "SELECT run_id, created_at, status, product, ms, request, message FROM runs ORDER BY created_at DESC LIMIT ?",
                      NULL, limit);
}

int dp_runs_list(char **out, const char *dir, int limit, dp_error *err)
{
    dp_state *s;
    int rc = dp_state_open(&s, dir, err);
    if (rc)
        return rc;
    json_t *runs = dp_state_runs(s, limit > 0 ? limit : 20);
    *out = json_dumps(runs, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(runs);
    dp_state_close(s);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

/* The run store: each recorded run's documents (spec as JSON, YAML and
 * Markdown, trace, clarification) beside its row of `runs`, written in the
 * run's one transaction; runs going on are marked with their process, so a
 * run a crash interrupted is found and recorded failed. */
#include "state/state.h"
#include "util/error.h"
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Runs sql with text parameters (NULL binds NULL); 0 or DP_ERROR. */
static int exec_text(dp_state *s, const char *sql, const char *const *v, int n, dp_error *err)
{
    sqlite3 *db = dp_state__db(s);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(db));
    for (int i = 0; i < n; i++)
        v[i] ? sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC) : sqlite3_bind_null(st, i + 1);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

static void host_name(char out[256])
{
    if (gethostname(out, 256) != 0)
        strcpy(out, "?");
    out[255] = 0;
}

int dp_state_begin(dp_state *s, dp_error *err)
{
    if (sqlite3_exec(dp_state__db(s), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(dp_state__db(s)));
    return 0;
}

int dp_state_commit(dp_state *s, int ok)
{
    return sqlite3_exec(dp_state__db(s), ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? 0 : DP_ERROR;
}

int dp_state_run_begin(dp_state *s, const char *run_id, const char *request, dp_error *err)
{
    char now[32], host[256], pid[24];
    dp_state__now(now);
    host_name(host);
    snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    /* the request as the runs table keeps it: cut to its limit */
    char req[DP_REQUEST_MAX_BYTES + 1];
    snprintf(req, sizeof(req), "%s", request ? request : "");
    const char *v[] = {run_id, pid, host, now, req, dp_state_catalog(s)};
    return exec_text(s,
                     "INSERT OR REPLACE INTO run_live(run_id, pid, host, started_at, request, catalog)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     v, 6, err);
}

int dp_state_run_docs(dp_state *s, const char *run_id, const char *spec_json, const char *spec_yaml,
                      const char *markdown, const char *trace_json, const char *clarification, const char *data_key,
                      dp_error *err)
{
    const char *v[] = {run_id, spec_json, spec_yaml, markdown, trace_json, clarification, data_key};
    int rc = exec_text(s,
                       "INSERT OR REPLACE INTO run_docs(run_id, spec_json, spec_yaml, markdown, trace_json,"
                       " clarification, data_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       v, 7, err);
    if (!rc)
        rc = exec_text(s, "DELETE FROM run_live WHERE run_id = ?", v, 1, err);
    return rc;
}

int dp_state_run_reap(dp_state *s, dp_error *err)
{
    int rc = 0;
    sqlite3 *db = dp_state__db(s);
    char host[256];
    host_name(host);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT run_id, pid, request, catalog FROM run_live WHERE host = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return dp_error_set(err, DP_ERROR, "state: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
    /* collected first: the rows are rewritten below */
    struct dead {
        char run_id[64];
        char *request, *catalog;
    } dead[64];
    int n = 0;
    while (n < 64 && sqlite3_step(st) == SQLITE_ROW) {
        long pid = (long)sqlite3_column_int64(st, 1);
        if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive (or not ours to judge) */
        snprintf(dead[n].run_id, sizeof(dead[n].run_id), "%s", (const char *)sqlite3_column_text(st, 0));
        dead[n].request = strdup((const char *)sqlite3_column_text(st, 2));
        dead[n].catalog = strdup((const char *)sqlite3_column_text(st, 3));
        n++;
    }
    sqlite3_finalize(st);
    char now[32];
    dp_state__now(now);
    for (int i = 0; i < n; i++) {
        const char *v[] = {dead[i].run_id, now, dead[i].request ? dead[i].request : "", dead[i].catalog};
        if (!rc)
            rc = exec_text(s,
                           "INSERT OR IGNORE INTO runs(run_id, created_at, request, status, product, ms, message,"
                           " catalog) VALUES (?, ?, ?, 'failed', NULL, NULL,"
                           " 'interrupted: the process running it ended before it finished', ?)",
                           v, 4, err);
        if (!rc)
            rc = exec_text(s, "DELETE FROM run_live WHERE run_id = ?", v, 1, err);
        free(dead[i].request);
        free(dead[i].catalog);
    }
    return rc;
}

char *dp_state_run_doc(dp_state *s, const char *run_id, const char *what)
{
    static const char *const cols[][2] = {{"spec.json", "spec_json"},
                                          {"spec.yaml", "spec_yaml"},
                                          {"README.md", "markdown"},
                                          {"trace.json", "trace_json"},
                                          {"clarification.json", "clarification"},
                                          {"data_key", "data_key"}};
    const char *col = NULL;
    for (size_t i = 0; i < sizeof(cols) / sizeof(*cols); i++)
        if (!strcmp(what, cols[i][0]))
            col = cols[i][1];
    if (!col)
        return NULL;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM run_docs WHERE run_id = ?", col);
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(dp_state__db(s), sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            out = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
}

json_t *dp_state_run_record(dp_state *s, const char *run_id)
{
    sqlite3_stmt *st = NULL;
    json_t *o = NULL;
    if (sqlite3_prepare_v2(dp_state__db(s),
                           "SELECT run_id, created_at, status, product, ms, request, message, catalog FROM runs"
                           " WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = json_object();
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *name = sqlite3_column_name(st, i);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                json_object_set_new(o, name, json_null());
                break;
            case SQLITE_FLOAT:
            case SQLITE_INTEGER:
                json_object_set_new(o, name, json_real(sqlite3_column_double(st, i)));
                break;
            default:
                json_object_set_new(o, name, json_string((const char *)sqlite3_column_text(st, i)));
            }
        }
    }
    sqlite3_finalize(st);
    return o;
}

int dp_state_run_prune(dp_state *s, long keep, long days, dp_error *err)
{
    int rc = 0;
    if (days > 0) {
        /* created_at is ISO 8601 UTC text: the cut-off compares as text */
        char cut[32];
        time_t t = time(NULL) - (time_t)days * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(cut, sizeof(cut), "%Y-%m-%dT%H:%M:%SZ", &tm);
        const char *v[] = {cut};
        rc = exec_text(s, "DELETE FROM run_docs WHERE run_id IN (SELECT run_id FROM runs WHERE created_at < ?)", v, 1,
                       err);
        if (!rc)
            rc = exec_text(s, "DELETE FROM runs WHERE created_at < ?", v, 1, err);
    }
    if (rc || keep <= 0)
        return rc;
    char n[32];
    snprintf(n, sizeof(n), "%ld", keep);
    const char *v[] = {n};
    /* the oldest beyond keep, by the order `runs` lists them */
    if (!rc)
        rc = exec_text(s,
                       "DELETE FROM run_docs WHERE run_id IN (SELECT run_id FROM runs ORDER BY created_at DESC,"
                       " rowid DESC LIMIT -1 OFFSET ?)",
                       v, 1, err);
    if (!rc)
        rc = exec_text(s,
                       "DELETE FROM runs WHERE run_id IN (SELECT run_id FROM runs ORDER BY created_at DESC,"
                       " rowid DESC LIMIT -1 OFFSET ?)",
                       v, 1, err);
    return rc;
}

int dp_run_document(char **out, const char *state_dir, const char *run_id, const char *what, dp_error *err)
{
    *out = NULL;
    if (!run_id || !*run_id || strlen(run_id) > 64 || run_id[strspn(run_id, "0123456789abcdef-")])
        return dp_error_set(err, DP_ENOTFOUND, "no run '%.64s'", run_id ? run_id : "");
    dp_state *s;
    int rc = dp_state_open(&s, state_dir, err);
    if (rc)
        return rc;
    json_t *rec = dp_state_run_record(s, run_id);
    if (!rec) {
        rc = dp_error_set(err, DP_ENOTFOUND, "no run '%s' in the state", run_id);
    } else if (strcmp(what, "run")) {
        if (!(*out = dp_state_run_doc(s, run_id, what)))
            rc = dp_error_set(err, DP_ENOTFOUND, "run '%s' has no %s (%s)", run_id, what,
                              json_string_value(json_object_get(rec, "status")));
    } else {
        static const char *const docs[][2] = {
            {"data_product_spec", "spec.json"}, {"trace", "trace.json"}, {"clarification", "clarification.json"}};
        for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
            char *text = dp_state_run_doc(s, run_id, docs[i][1]);
            json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
            json_t *inner = doc && !strcmp(docs[i][0], "clarification") ? json_object_get(doc, "clarification") : doc;
            json_object_set(rec, docs[i][0], inner ? inner : json_null());
            json_decref(doc);
            free(text);
        }
        if (!(*out = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    json_decref(rec);
    dp_state_close(s);
    return rc;
}

/* Repeats: a request asked again with the same options, on the same
 * catalog files and data, with nothing learned since, has the answer the
 * stored run gave. The key is the whole of what an answer depends on, as
 * text (compared in full, so no hash collision can answer the wrong
 * request): dpgen's version, the catalog and data fingerprint, what runs
 * have taught the catalog (products, adopted rules, learned phrases), the
 * options with the as-of day resolved, and the request. */
#include "orchestrator/repeat.h"
#include "catalog/catalog.h"
#include "llm/llm.h"
#include "util/buf.h"
#include "util/error.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What runs taught this catalog so far: counts and the last write of each
 * table an answer reads (popularity, adopted rules, learned phrases). */
static void learned_state(dp_state *s, dp_buf *b)
{
    static const char *const tables[] = {"product_datasets", "rules", "learned"};
    sqlite3 *db = dp_state__db(s);
    for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT count(*), max(created_at) FROM %s WHERE catalog = ?", tables[i]);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, dp_state_catalog(s), -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                dp_buf_printf(b, "%s=%lld@%s;", tables[i], (long long)sqlite3_column_int64(st, 0),
                              sqlite3_column_type(st, 1) == SQLITE_NULL ? "-"
                                                                        : (const char *)sqlite3_column_text(st, 1));
        }
        sqlite3_finalize(st);
    }
}

static void opt(dp_buf *b, const char *name, const char *v)
{
    dp_buf_printf(b, "%s=%zu:%s\n", name, v ? strlen(v) : 0, v ? v : "");
}

char *dp_repeat__key(dp_catalog *cat, const char *request, const dp_generate_options *o)
{
    if (!cat->state || !cat->data_key[0])
        return NULL;
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_buf_printf(&b, "repeat-v1\nversion=%s\ndata=%s\ncatalog=%s\n", dp_version(), cat->data_key,
                  dp_state_catalog(cat->state));
    learned_state(cat->state, &b);
    dp_buf_puts(&b, "\n");
    char today[16];
    if (!o->as_of) { /* relative periods count from today: another day is another request */
        time_t now = time(NULL);
        struct tm tm;
        strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
    }
    opt(&b, "as_of", o->as_of ? o->as_of : today);
    opt(&b, "dialect", o->dialect);
    opt(&b, "owner", o->owner);
    opt(&b, "columns", o->columns);
    opt(&b, "saved_query", o->saved_query);
    if (o->llm) { /* a model's readings are its own: another model, or none, is another request */
        opt(&b, "llm_url", o->llm->url);
        opt(&b, "llm_model", o->llm->model);
        if (o->llm_draft) /* the model's rules and draft are part of the answer */
            opt(&b, "llm_draft", "1");
    }
    for (size_t i = 0; i < o->nchoose; i++)
        opt(&b, "choose", o->choose[i]);
    opt(&b, "request", request);
    return dp_buf_detach(&b);
}

int dp_repeat__find(dp_catalog *cat, const char *key, char run_id[64], char status[16], char **message)
{
    sqlite3 *db = dp_state__db(cat->state);
    sqlite3_stmt *st = NULL;
    int found = 0;
    *message = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.run_id, r.status, r.message FROM run_repeats k JOIN runs r USING (run_id)"
                           " JOIN run_docs d USING (run_id) WHERE k.key = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(run_id, 64, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 1));
            if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                *message = strdup((const char *)sqlite3_column_text(st, 2));
            found = 1;
        }
    }
    sqlite3_finalize(st);
    return found;
}

int dp_repeat__store(dp_catalog *cat, const char *request, const dp_generate_options *o, const char *run_id)
{
    char *key = dp_repeat__key(cat, request, o); /* after the run's own writes: what a repeat will see */
    if (!key)
        return 0;
    sqlite3 *db = dp_state__db(cat->state);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char now[32];
    dp_state__now(now);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO run_repeats(key, run_id, created_at) VALUES (?, ?, ?)", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, run_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    free(key);
    return rc;
}

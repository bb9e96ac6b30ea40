/* The catalog and run-history routes: GET /v1/catalog, /v1/catalog/search,
 * /v1/catalog/datasets/{name}, /v1/catalog/metrics/{name}, POST
 * /v1/catalog/synonyms and GET /v1/runs, each one library call. */
#include "server/server.h"
#include "server/zip.h"
#include <ftw.h>
#include <sys/stat.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

#define RUNS_MAX 1000 /* the most a history page reads */

/* out (malloc'd JSON from the library, freed here) as the body, with the
 * catalog's paths as the spec shows them; 500 when it is not JSON. */
static void json_body(dp_srv_reply *r, char *out, dp_catalog *cat)
{
    dp_error ignore = {0};
    dp_catalog_shown_paths(&out, cat, &ignore);
    json_t *doc = out ? json_loads(out, 0, NULL) : NULL;
    free(out);
    if (!doc) {
        dp_srv_reply_error(r, 500, "internal", "the library's answer is not JSON");
        return;
    }
    r->status = 200;
    r->body = doc;
}

/* Adds the catalog's saved queries ("saved_queries", as `catalog list
 * saved-queries` lists them) to the listing in *out: the page offers them
 * as example requests. 0, or the library's code. */
static int with_saved_queries(char **out, dp_catalog *cat, dp_error *err)
{
    char *sq = NULL, *merged = NULL;
    int rc = dp_catalog_list_kind(&sq, cat, "saved-queries", DP_FORMAT_JSON, err);
    json_t *doc = NULL, *extra = NULL;
    if (rc)
        goto done;
    doc = json_loads(*out, 0, NULL);
    extra = json_loads(sq, 0, NULL);
    json_t *list = extra ? json_object_get(extra, "saved_queries") : NULL;
    if (!doc || !json_is_array(list) || json_object_set(doc, "saved_queries", list) ||
        !(merged = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
        err->code = rc = DP_ENOMEM; /* the only way two library JSON texts fail to merge */
        snprintf(err->message, sizeof(err->message), "out of memory");
        goto done;
    }
    free(*out);
    *out = merged;
done:
    json_decref(doc);
    json_decref(extra);
    free(sq);
    return rc;
}

/* A whole number in [lo, hi] from the query, or def; -1 when malformed. */
static long query_long(const dp_srv_req *q, const char *key, long def, long lo, long hi)
{
    const char *v = q->query(q->conn, key);
    if (!v)
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    return end == v || *end || n < lo || n > hi ? -1 : n;
}

void dp_srv_get_catalog(dp_srv *s, const dp_srv_req *q, const char *what, const char *name, dp_srv_reply *r)
{
    dp_srv_gen *g = dp_srv_gen_take(s);
    if (!g) {
        r->retry_after = "1";
        dp_srv_reply_error(r, 503, "loading", "the catalog is not loaded yet");
        return;
    }
    dp_error err = {0};
    char *out = NULL;
    int rc = 0;
    if (!strcmp(what, "list")) {
        rc = dp_catalog_list(&out, g->cat, &err);
        if (!rc)
            rc = with_saved_queries(&out, g->cat, &err);
    } else if (!strcmp(what, "search")) {
        const char *text = q->query(q->conn, "q");
        long k = query_long(q, "limit", 10, 1, 100);
        if (!text || !*text || k < 0) {
            dp_srv_reply_error(r, 400, "invalid", "search takes q=TEXT and an optional limit=1..100");
            goto done;
        }
        rc = dp_catalog_search(&out, g->cat, text, (int)k, &err);
    } else {
        rc = dp_catalog_show(&out, g->cat, name, &err);
        /* show answers a dataset or a metric: the route names which */
        json_t *doc = !rc && out ? json_loads(out, 0, NULL) : NULL;
        int is_metric = doc && json_object_get(doc, "metric");
        json_decref(doc);
        if (!rc && is_metric != !strcmp(what, "metric")) {
            dp_srv_reply_error(r, 404, "not_found", "no %s named '%.200s'", what, name);
            goto done;
        }
    }
    if (rc)
        dp_srv_reply_lib(r, rc, &err, g->cat);
    else
        json_body(r, out, g->cat), out = NULL;
done:
    free(out);
    dp_srv_gen_drop(s, g);
}

void dp_srv_post_synonym(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r)
{
    json_t *body = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, NULL);
    const char *phrase = json_string_value(json_object_get(body, "phrase"));
    const char *name = json_string_value(json_object_get(body, "name"));
    dp_srv_gen *g = NULL;
    if (!phrase || !name) {
        dp_srv_reply_error(r, 400, "invalid", "the body is {\"phrase\": \"words\", \"name\": \"catalog name\"}");
        goto done;
    }
    if (!(g = dp_srv_gen_take(s))) {
        r->retry_after = "1";
        dp_srv_reply_error(r, 503, "loading", "the catalog is not loaded yet");
        goto done;
    }
    dp_error err = {0};
    int rc = dp_catalog_learn(g->cat, phrase, name, &err);
    if (rc) {
        dp_srv_reply_lib(r, rc, &err, g->cat);
        if (rc == DP_ENOTFOUND) { /* the name, not the route, is unknown */
            r->status = 400;
            json_object_set_new(json_object_get(r->body, "error"), "code", json_string("unknown_name"));
        }
    } else {
        r->status = 201;
        r->body = json_pack("{s:s,s:s,s:b}", "phrase", phrase, "name", name, "learned", 1);
    }
done:
    if (g)
        dp_srv_gen_drop(s, g);
    json_decref(body);
}

/* case-insensitive substring */
static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return !n;
}

void dp_srv_get_runs(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r)
{
    long limit = query_long(q, "limit", 20, 1, RUNS_MAX);
    const char *text = q->query(q->conn, "q");
    if (limit < 0) {
        dp_srv_reply_error(r, 400, "invalid", "limit is 1..%d", RUNS_MAX);
        return;
    }
    dp_error err = {0};
    char *out = NULL;
    int rc = dp_runs_list(&out, s->cfg.co.state_dir, text ? RUNS_MAX : (int)limit, &err);
    if (rc) {
        dp_srv_reply_lib(r, rc, &err, NULL);
        return;
    }
    json_t *all = out ? json_loads(out, 0, NULL) : NULL, *runs = json_array();
    free(out);
    size_t i;
    json_t *run;
    json_array_foreach(all, i, run) {
        if ((long)json_array_size(runs) >= limit)
            break;
        if (!text || contains(json_string_value(json_object_get(run, "request")), text))
            json_array_append(runs, run);
    }
    json_decref(all);
    r->status = 200;
    r->body = json_pack("{s:o}", "runs", runs);
}

void dp_srv_get_run(dp_srv *s, const char *id, const char *doc, dp_srv_reply *r)
{
    static const struct {
        const char *name, *type;
    } docs[] = {{"spec.yaml", "application/yaml"},
                {"spec.json", "application/json"},
                {"README.md", "text/markdown; charset=utf-8"}};
    char run_id[80];
    snprintf(run_id, sizeof(run_id), "%.*s", (int)strcspn(id, "/"), id);
    const char *what = "run", *type = "application/json";
    if (doc && !strcmp(doc, "exports.zip")) {
        dp_srv_get_exports(s, run_id, r);
        return;
    }
    if (doc) {
        what = NULL;
        for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++)
            if (!strcmp(doc, docs[i].name))
                what = docs[i].name, type = docs[i].type;
        if (!what) {
            dp_srv_reply_error(r, 404, "not_found", "a run has spec.yaml, spec.json, README.md and exports.zip");
            return;
        }
    }
    dp_error err = {0};
    char *out = NULL;
    int rc = dp_run_document(&out, s->cfg.co.state_dir, run_id, what, &err);
    if (rc) {
        dp_srv_reply_lib(r, rc, &err, NULL);
        return;
    }
    if (!strcmp(type, "application/json")) {
        dp_srv_gen *g = dp_srv_gen_take(s);
        json_body(r, out, g ? g->cat : NULL);
        if (g)
            dp_srv_gen_drop(s, g);
        return;
    }
    r->status = 200;
    r->text = out;
    r->text_len = strlen(out);
    r->content_type = type;
}

/* Removes a tree this route wrote (its own temporary folder). */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void dp_srv_get_exports(dp_srv *s, const char *run_id, dp_srv_reply *r)
{
    dp_srv_gen *g = dp_srv_gen_take(s);
    if (!g) {
        r->retry_after = "1";
        dp_srv_reply_error(r, 503, "loading", "the catalog is not loaded yet");
        return;
    }
    const char *tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char base[4096], dir[4200], why[300];
    snprintf(base, sizeof(base), "%s/dpgen-exports-XXXXXX", tmpdir);
    if (!mkdtemp(base)) {
        dp_srv_gen_drop(s, g);
        dp_srv_reply_error(r, 500, "internal", "cannot make a temporary folder for the exports");
        return;
    }
    snprintf(dir, sizeof(dir), "%s/exports", base);
    dp_error err = {0};
    int rc = dp_run_export(g->cat, run_id, dir, &err);
    char *zip = NULL;
    size_t len = 0;
    if (rc == DP_ESTALE)
        dp_srv_reply_error(r, 409, "stale", "%s", err.message);
    else if (rc)
        dp_srv_reply_lib(r, rc, &err, g->cat);
    else if (dp_srv_zip_dir(dir, &zip, &len, why, sizeof(why)))
        dp_srv_reply_error(r, 500, "internal", "cannot zip the exports: %s", why);
    else {
        r->status = 200;
        r->text = zip;
        r->text_len = len;
        r->content_type = "application/zip";
    }
    nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    dp_srv_gen_drop(s, g);
}

/* The route table: method and path to a handler; the health, readiness and
 * OpenAPI routes, which need nothing else, are answered here. */
#include "server/server.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    R_NONE,
    R_HEALTH,
    R_READY,
    R_METRICS,
    R_OPENAPI,
    R_PRODUCTS,
    R_RUNS,
    R_CATALOG,
    R_SEARCH,
    R_DATASET,
    R_METRIC,
    R_SYNONYMS,
    R_RUN,
    R_RUN_DOC,
    R_PAGE,
    R_COUNT
};

/* Each route: its path (a trailing "{name}" is one path segment), the
 * method it takes (GET routes take HEAD too). */
static const struct route {
    const char *path, *method;
} routes[R_COUNT] = {
    [R_NONE] = {"none", ""},
    [R_HEALTH] = {"/healthz", "GET"},
    [R_READY] = {"/readyz", "GET"},
    [R_METRICS] = {"/metrics", "GET"},
    [R_OPENAPI] = {"/openapi.json", "GET"},
    [R_PRODUCTS] = {"/v1/data-products", "POST"},
    [R_RUNS] = {"/v1/runs", "GET"},
    [R_CATALOG] = {"/v1/catalog", "GET"},
    [R_SEARCH] = {"/v1/catalog/search", "GET"},
    [R_DATASET] = {"/v1/catalog/datasets/{name}", "GET"},
    [R_METRIC] = {"/v1/catalog/metrics/{name}", "GET"},
    [R_SYNONYMS] = {"/v1/catalog/synonyms", "POST"},
    [R_RUN] = {"/v1/runs/{id}", "GET"},
    [R_RUN_DOC] = {"/v1/runs/{id}/{document}", "GET"},
    [R_PAGE] = {"/{page}", "GET"}, /* matched by dp_srv_page_path, not by the loop */
};

_Static_assert(R_COUNT <= DP_SRV_ROUTES, "route counters");

const char *dp_srv_route_name(int i) { return i >= 0 && i < R_COUNT ? routes[i].path : "none"; }

int dp_srv_route_public(const char *path)
{
    /* the page's files hold no data: a browser loads them before it has a key */
    return !strcmp(path, "/healthz") || !strcmp(path, "/readyz") || !strcmp(path, "/openapi.json") ||
           dp_srv_page_path(path);
}

/* path against a route's path, segment by segment: a "{...}" matches one
 * non-empty segment, the first given back in *name, the second in *doc. 1
 * when it matches. */
static int match(const char *pattern, const char *path, const char **name, const char **doc)
{
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char **slot = *name ? doc : name;
            size_t seg = strcspn(path, "/");
            if (!seg)
                return 0;
            *slot = path;
            pattern += strcspn(pattern, "}") + 1;
            path += seg;
            continue;
        }
        if (*pattern++ != *path++)
            return 0;
    }
    return !*pattern && !*path;
}

static void ready(dp_srv *s, dp_srv_reply *r)
{
    dp_srv_gen *g = dp_srv_gen_take(s);
    if (g) {
        r->status = 200;
        r->body = json_pack("{s:s,s:I}", "status", "ready", "catalog_generation", (json_int_t)g->id);
        dp_srv_gen_drop(s, g);
        return;
    }
    char why[512];
    pthread_mutex_lock(&s->mu);
    snprintf(why, sizeof(why), "%s", s->load_error);
    pthread_mutex_unlock(&s->mu);
    r->retry_after = "1";
    if (why[0])
        dp_srv_reply_error(r, 503, "catalog_failed", "the catalog did not load: %s", why);
    else
        dp_srv_reply_error(r, 503, "loading", "the catalog is loading");
}

static void openapi(dp_srv_reply *r)
{
    size_t len;
    const char *doc = dp_srv_asset_find("openapi.json", &len);
    if (!doc || !(r->text = malloc(len))) {
        dp_srv_reply_error(r, 500, "internal", "the OpenAPI document is missing");
        return;
    }
    memcpy(r->text, doc, len);
    r->text_len = len;
    r->content_type = "application/json";
    r->status = 200;
}

int dp_srv_route(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r)
{
    const char *p = q->path, *name = NULL, *doc = NULL;
    int route = R_NONE;
    for (int i = 1; i < R_PAGE && route == R_NONE; i++) {
        name = doc = NULL;
        if (match(routes[i].path, p, &name, &doc))
            route = i;
    }
    if (route == R_NONE && dp_srv_page_path(p))
        route = R_PAGE;
    if (route == R_NONE) {
        dp_srv_reply_error(r, 404, "not_found", "no route %s %s (see /openapi.json)", q->method, p);
        return route;
    }
    const char *want = routes[route].method;
    if (strcmp(q->method, want) && !(!strcmp(want, "GET") && !strcmp(q->method, "HEAD"))) {
        r->allow = !strcmp(want, "GET") ? "GET, HEAD" : want;
        dp_srv_reply_error(r, 405, "method_not_allowed", "%s takes %s", routes[route].path, r->allow);
        return route;
    }
    switch (route) {
    case R_HEALTH:
        r->status = 200;
        r->body = json_pack("{s:s}", "status", "alive");
        break;
    case R_READY:
        ready(s, r);
        break;
    case R_METRICS:
        dp_srv_get_metrics(s, r);
        break;
    case R_OPENAPI:
        openapi(r);
        break;
    case R_PRODUCTS:
        dp_srv_post_product(s, q, r);
        break;
    case R_RUNS:
        dp_srv_get_runs(s, q, r);
        break;
    case R_CATALOG:
        dp_srv_get_catalog(s, q, "list", NULL, r);
        break;
    case R_SEARCH:
        dp_srv_get_catalog(s, q, "search", NULL, r);
        break;
    case R_DATASET:
        dp_srv_get_catalog(s, q, "dataset", name, r);
        break;
    case R_METRIC:
        dp_srv_get_catalog(s, q, "metric", name, r);
        break;
    case R_SYNONYMS:
        dp_srv_post_synonym(s, q, r);
        break;
    case R_RUN:
        dp_srv_get_run(s, name, NULL, r);
        break;
    case R_RUN_DOC:
        dp_srv_get_run(s, name, doc, r);
        break;
    case R_PAGE:
        dp_srv_get_page(q, r);
        break;
    }
    return route;
}

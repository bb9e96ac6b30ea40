/* libmicrohttpd glue: one thread per connection (a run blocks its own
 * thread only), the body read up to the cap (413 past it, before it is read
 * when Content-Length says so), the route's reply written, one JSON line per
 * request in the access log on stderr. */
#include "server/http.h"
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DP_SRV_DISCARD_MAX (64u * 1024 * 1024) /* body bytes read past the limit before answering anyway */

typedef struct conn_ctx {
    char *body;
    size_t len;
    int too_big;
    int answered;     /* a response is queued */
    size_t discarded; /* bytes of a body over the limit, read and dropped */
    struct timespec t0;
} conn_ctx;

void dp_srv_reply_error(dp_srv_reply *r, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[1200], safe[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_decref(r->body);
    r->status = status;
    r->body = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", dp_escape_line(msg, safe, sizeof(safe)));
}

static const char *query_get(void *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

static double since_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* One line: time, method, path, route, status, ms, bytes. Paths are the
 * client's: JSON-encoded, so no control byte reaches the log raw. */
static void access_log(const char *method, const char *path, int route, unsigned status, double ms, size_t bytes)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    json_t *line = json_pack("{s:s,s:s,s:s,s:s,s:i,s:f,s:I}", "time", when, "method", method, "path", path, "route",
                             dp_srv_route_name(route), "status", (int)status, "ms", ms, "bytes", (json_int_t)bytes);
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        fprintf(stderr, "%s\n", text); /* one fprintf: lines of threads do not interleave */
    free(text);
    json_decref(line);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, dp_srv_reply *r, size_t *bytes)
{
    char *buf = NULL;
    size_t len = 0;
    const char *ct = "application/json";
    if (r->body) {
        buf = json_dumps(r->body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        len = buf ? strlen(buf) : 0;
    } else if (r->text) {
        buf = r->text;
        len = r->text_len;
        ct = r->content_type ? r->content_type : "text/plain; charset=utf-8";
        r->text = NULL;
    }
    if (!buf && (buf = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}"))) {
        len = strlen(buf);
        r->status = 500;
    }
    *bytes = len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", ct);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->retry_after)
        MHD_add_response_header(resp, "Retry-After", r->retry_after);
    if (r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    enum MHD_Result ret = MHD_queue_response(c, r->status ? r->status : 500, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void reply_free(dp_srv_reply *r)
{
    json_decref(r->body);
    free(r->text);
}

static enum MHD_Result finish(dp_srv *s, struct MHD_Connection *c, conn_ctx *x, const char *method, const char *url,
                              int route, dp_srv_reply *r)
{
    size_t bytes = 0;
    enum MHD_Result ret = send_reply(c, r, &bytes);
    dp_srv_count(s, route, r->status);
    access_log(method, url, route, r->status, since_ms(&x->t0), bytes);
    reply_free(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    dp_srv *s = cls;
    conn_ctx *x = *con_cls;
    if (!x) {
        if (!(x = calloc(1, sizeof(*x))))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &x->t0);
        *con_cls = x;
        atomic_fetch_add(&s->active, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body)
            x->too_big = 1; /* answered at once below: the body is never read */
        else
            return MHD_YES;
    }
    if (x->answered) { /* the rest of a body answered early (413) is dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        if (x->too_big) {
            /* the rest is read and dropped, so the 413 reaches the client:
             * closing with unread bytes would reset the connection and lose
             * it. Past DP_SRV_DISCARD_MAX the answer goes at once. */
            x->discarded += *upload_size;
        } else if (x->len + *upload_size > s->cfg.max_body) {
            x->too_big = 1;
            x->discarded = x->len + *upload_size;
            free(x->body);
            x->body = NULL;
        } else {
            char *nb = realloc(x->body, x->len + *upload_size + 1);
            if (!nb)
                return MHD_NO;
            memcpy(nb + x->len, upload, *upload_size);
            x->len += *upload_size;
            nb[x->len] = 0;
            x->body = nb;
        }
        *upload_size = 0;
        if (!x->too_big || x->discarded <= DP_SRV_DISCARD_MAX)
            return MHD_YES;
    }
    *upload_size = 0;
    x->answered = 1;
    dp_srv_reply r = {0};
    int route = 0;
    if (x->too_big) {
        dp_srv_reply_error(&r, 413, "too_large", "the request body is larger than %zu bytes", s->cfg.max_body);
    } else {
        const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
        dp_srv_req q = {method, url, accept, x->body ? x->body : "", x->len, query_get, c};
        route = dp_srv_route(s, &q, &r);
    }
    return finish(s, c, x, method, url, route, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)c, (void)toe;
    dp_srv *s = cls;
    conn_ctx *x = *con_cls;
    if (x) {
        atomic_fetch_sub(&s->active, 1);
        free(x->body);
        free(x);
    }
    *con_cls = NULL;
}

void *dp_srv_http_start(dp_srv *s, const struct sockaddr *addr, unsigned *port)
{
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
                             MHD_USE_ERROR_LOG,
                         0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)DP_SRV_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (d && port) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        *port = info ? info->port : 0;
    }
    return d;
}

void dp_srv_http_quiesce(void *daemon) { MHD_quiesce_daemon(daemon); }

void dp_srv_http_stop(void *daemon) { MHD_stop_daemon(daemon); }

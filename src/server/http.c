/* libmicrohttpd glue: one thread per connection (a run blocks its own
 * thread only), the body read up to the cap (413 past it, before it is read
 * when Content-Length says so), the route's reply written, one JSON line per
 * request in the access log on stderr. */
#include "server/http.h"
#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
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

static const char *header_get(void *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, key);
}

static double since_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* One line: time, method, path, route, status, ms, bytes (and the request
 * text with --log-requests). Paths are the client's: JSON-encoded, so no
 * control byte reaches the log raw. */
static void access_log(const char *method, const char *path, int route, unsigned status, double ms, size_t bytes,
                       const char *text)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    json_t *line = json_pack("{s:s,s:s,s:s,s:s,s:i,s:f,s:I}", "time", when, "method", method, "path", path, "route",
                             dp_srv_route_name(route), "status", (int)status, "ms", ms, "bytes", (json_int_t)bytes);
    if (line && text)
        json_object_set_new(line, "request", json_string(text));
    char *out = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (out)
        fprintf(stderr, "%s\n", out); /* one fprintf: lines of threads do not interleave */
    free(out);
    json_decref(line);
}

/* The CORS headers when --cors names the request's origin (or is "*"). */
static void cors_headers(const dp_srv *s, struct MHD_Connection *c, struct MHD_Response *resp)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!s->cfg.cors || !origin || (strcmp(s->cfg.cors, "*") && strcmp(s->cfg.cors, origin)))
        return;
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", s->cfg.cors);
    MHD_add_response_header(resp, "Vary", "Origin");
    MHD_add_response_header(resp, "Access-Control-Expose-Headers", "Retry-After");
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    MHD_add_response_header(resp, "Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key");
    MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
}

static enum MHD_Result send_stream(const dp_srv *s, struct MHD_Connection *c, dp_srv_reply *r)
{
    struct MHD_Response *resp = dp_srv_stream_response(r->stream);
    r->stream = NULL;
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/event-stream");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no"); /* proxies pass each event at once */
    cors_headers(s, c, resp);
    enum MHD_Result ret = MHD_queue_response(c, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A page file's headers: revalidated by ETag each load (the names carry no
 * version), and a policy that lets it load and call nothing but this server. */
static void page_headers(struct MHD_Response *resp, const dp_srv_reply *r)
{
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "ETag", r->etag);
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (r->gzip)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_reply(const dp_srv *s, struct MHD_Connection *c, dp_srv_reply *r, size_t *bytes)
{
    if (r->stream) {
        *bytes = 0;
        return send_stream(s, c, r);
    }
    char *buf = NULL;
    size_t len = 0;
    const char *ct = "application/json";
    if (r->body) {
        buf = dp_srv_reply_json(r, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
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
    if (r->page)
        page_headers(resp, r);
    else
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->retry_after)
        MHD_add_response_header(resp, "Retry-After", r->retry_after);
    if (r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->unauthorized)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"dpgen\"");
    cors_headers(s, c, resp);
    enum MHD_Result ret = MHD_queue_response(c, r->status ? r->status : 500, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void reply_free(dp_srv_reply *r)
{
    json_decref(r->body);
    free(r->raw_spec);
    free(r->text);
    free(r->log_text);
}

static enum MHD_Result finish(dp_srv *s, struct MHD_Connection *c, conn_ctx *x, const char *method, const char *url,
                              int route, dp_srv_reply *r)
{
    size_t bytes = 0;
    enum MHD_Result ret = send_reply(s, c, r, &bytes);
    dp_srv_count(s, route, r->status);
    access_log(method, url, route, r->status, since_ms(&x->t0), bytes, r->log_text);
    reply_free(r);
    return ret;
}

/* The client a rate limit counts: its key when keys are on, else its address. */
static void client_name(const dp_srv *s, struct MHD_Connection *c, int key, char *out, size_t n)
{
    if (s->guard.nkeys && key >= 0) {
        snprintf(out, n, "key:%d", key);
        return;
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, n, "?");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* API key and rate limit: 1 admitted, else 0 with 401 or 429 in r. */
static int admitted(dp_srv *s, struct MHD_Connection *c, dp_srv_reply *r)
{
    int key = -1;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *xkey = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-API-Key");
    if (!dp_srv_keys_check(&s->guard, auth, xkey, &key)) {
        r->unauthorized = 1;
        dp_srv_reply_error(r, 401, "unauthorized",
                           "an API key is required: Authorization: Bearer KEY, or X-API-Key: KEY");
        return 0;
    }
    char client[72];
    double retry;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    client_name(s, c, key, client, sizeof(client));
    if (!dp_srv_rate_take(&s->guard, client, (double)t.tv_sec + (double)t.tv_nsec / 1e9, &retry)) {
        snprintf(r->retry_buf, sizeof(r->retry_buf), "%d", (int)ceil(retry));
        r->retry_after = r->retry_buf;
        dp_srv_reply_error(r, 429, "rate_limited", "more than %g requests a second from this client",
                           s->guard.rate);
        return 0;
    }
    return 1;
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
    } else if (s->cfg.cors && !strcmp(method, "OPTIONS")) { /* a browser's preflight */
        r.status = 204;
        r.text = strdup("");
        r.content_type = "text/plain";
    } else if (!dp_srv_route_public(url) && !admitted(s, c, &r)) {
        /* 401 or 429 set */
    } else {
        const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
        dp_srv_req q = {method, url, accept, x->body ? x->body : "", x->len, query_get, c, header_get};
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

void *dp_srv_http_start(dp_srv *s, const struct sockaddr *addr, const char *cert_pem, const char *key_pem,
                        unsigned *port)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d;
    if (cert_pem)
        d = MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)DP_SRV_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                             (unsigned)60, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_HTTPS_MEM_KEY,
                             key_pem, MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)DP_SRV_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                             (unsigned)60, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (d && port) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        *port = info ? info->port : 0;
    }
    return d;
}

void dp_srv_http_quiesce(void *daemon) { MHD_quiesce_daemon(daemon); }

void dp_srv_http_stop(void *daemon) { MHD_stop_daemon(daemon); }

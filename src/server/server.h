/* dpgen serve: the REST API over the public library (include/dpgen/). The
 * server parses HTTP, calls dp_catalog_* and dp_generate, and writes what
 * they return; no stage logic lives here (docs/server.md). */
#ifndef DP_SERVER_SERVER_H
#define DP_SERVER_SERVER_H
#include "dpgen/dpgen.h"
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "server/guard.h"

#define DP_SRV_BODY_MAX_DEFAULT (64 * 1024)
#define DP_SRV_ROUTES 24 /* request counters by route (metrics.c) */

typedef struct dp_srv_config {
    const char *listen;       /* "host:port"; default 127.0.0.1:8080, port 0: any free port */
    size_t max_body;          /* bytes of a request body; larger is 413 */
    int max_runs;             /* runs at once; more wait in the queue */
    int max_queue;            /* requests waiting for a run slot; one more is 429 */
    long queue_wait_ms;       /* the longest one waits before it is answered 429 */
    long timeout_ms;          /* per-run budget (dp_generate_options.timeout_ms) */
    const char *memory_limit; /* DuckDB memory limit of each run */
    dp_catalog_options co;    /* the catalog, as `generate` opens it */
    int log_requests;         /* 1: the access log carries request texts */
    const char *cors;         /* the origin allowed to call from a browser; NULL: none */
    const char *tls_cert, *tls_key; /* PEM files: HTTPS */
    const char *api_keys;     /* file of keys; NULL: none required */
    double rate, burst;       /* per-client requests a second and bucket; 0: no limit */
    const char *llm_url;      /* --llm: a language model (else DPGEN_LLM_URL) */
} dp_srv_config;

/* One opened catalog with the requests using it: a reload opens a new one
 * beside it and the old one is freed when its last request drops it. */
typedef struct dp_srv_gen {
    dp_catalog *cat;
    long id;   /* 1, 2, ... */
    int refs;  /* under dp_srv.mu */
    int stale; /* replaced: freed at refs == 0 */
} dp_srv_gen;

#define DP_SRV_STAGES 8   /* stage latency histograms kept (metrics.c) */
#define DP_SRV_BUCKETS 14 /* their upper bounds in ms, +Inf last */

typedef struct dp_srv_hist {
    char name[24]; /* a stage of the trace, or "total" */
    long buckets[DP_SRV_BUCKETS];
    long count;
    double sum_ms;
} dp_srv_hist;

typedef struct dp_srv {
    dp_srv_config cfg;
    pthread_mutex_t mu;
    dp_srv_gen *gen;                        /* current generation; NULL until the first load */
    char load_error[512];                   /* the last failed load, for /readyz */
    atomic_int in_flight;                   /* runs executing */
    pthread_mutex_t slots_mu;               /* guards running, waiting and the waiters (products.c) */
    int running, waiting;
    struct dp_srv_waiter *wait_head, *wait_tail; /* first come, first given a freed slot */
    atomic_int active;                      /* requests begun and not yet answered in full */
    atomic_long requests[DP_SRV_ROUTES][6]; /* by route, status class 1xx..5xx (index 1-5), 0: all */
    atomic_long runs_total;
    dp_srv_guard guard;         /* API keys and rate limits */
    dp_llm *llm;                /* --llm / DPGEN_LLM_URL; NULL: none */
    pthread_mutex_t metrics_mu; /* guards hist */
    dp_srv_hist hist[DP_SRV_STAGES];
} dp_srv;

/* The current generation with a reference taken, or NULL (not loaded). */
dp_srv_gen *dp_srv_gen_take(dp_srv *s);
void dp_srv_gen_drop(dp_srv *s, dp_srv_gen *g);
/* Opens the catalog and makes it current: 0, or the library's code with
 * err set (the previous generation stays). */
int dp_srv_load(dp_srv *s, dp_error *err);

/* HTTP: one response. status and a JSON body (stolen), or an error body
 * {"error": {"code", "message"}}. */
struct dp_srv_stream;

typedef struct dp_srv_reply {
    unsigned status;
    json_t *body; /* JSON body, or NULL when text is set */
    char *text;   /* malloc'd body of another type */
    size_t text_len;
    const char *content_type;
    const char *retry_after; /* seconds, for 429 and 503 */
    char retry_buf[16];      /* retry_after's text when it is computed */
    const char *allow;       /* methods, for 405 */
    int unauthorized;        /* 401: WWW-Authenticate */
    char *log_text;          /* malloc'd request text for the access log (--log-requests) */
    struct dp_srv_stream *stream; /* an event stream instead of a body (sse.c) */
    int page;                     /* a file of the web page: its ETag, revalidation and CSP (page.c) */
    int gzip;                     /* text is gzip-compressed: Content-Encoding */
    char etag[40];                /* the page file's quoted ETag */
    char *raw_spec; /* malloc'd compact JSON of body's data_product_spec, which holds a placeholder (products.c) */
} dp_srv_reply;

/* The body as JSON text (json_dumps with flags, JSON_COMPACT among them),
 * with the spec's text put where its placeholder is (a spec of 100 KB is
 * not parsed and dumped again per answer); malloc'd, or NULL. */
char *dp_srv_reply_json(dp_srv_reply *r, size_t flags);

void dp_srv_reply_error(dp_srv_reply *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The error body for a library return code: 400 invalid, 404 not found,
 * 503 limit or memory, 500 engine or other; the message's catalog paths
 * are shown as the spec shows them (cat may be NULL). */
void dp_srv_reply_lib(dp_srv_reply *r, int rc, const dp_error *err, dp_catalog *cat);

/* A parsed request: method, path (without the query), query string, body. */
typedef struct dp_srv_req {
    const char *method, *path, *accept;
    const char *body;
    size_t body_len;
    const char *(*query)(void *conn, const char *key); /* a query parameter or NULL */
    void *conn;
    const char *(*header)(void *conn, const char *key); /* a request header or NULL */
} dp_srv_req;

/* Route table (routes.c): fills r; returns the route's index for metrics. */
int dp_srv_route(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r);
/* One run of POST /v1/data-products: the body, its options, the
 * generation and the in-flight slot it holds. Must not move once prepared
 * (go.choose points into it). */
#define DP_SRV_CHOOSE_MAX 16
typedef struct dp_srv_run {
    json_t *body;
    const char *text; /* the request (in body) */
    dp_generate_options go;
    const char *choose[DP_SRV_CHOOSE_MAX];
    dp_srv_gen *g;
    int slot;
    /* admit: the stored answer to a repeat (owned), or its error */
    dp_result *stored;
    int stored_rc;
    dp_error stored_err;
    struct timespec t0; /* when it was admitted: a repeat's time is its lookup */
} dp_srv_run;

/* Reads and checks the body and takes a generation: 0, or -1 with the
 * error (400, 413, 503) in r and nothing held. */
int dp_srv_run_prepare(dp_srv *s, const dp_srv_req *q, dp_srv_run *run, dp_srv_reply *r);
/* Lets a prepared run in: a repeat the run store answers is read now and
 * takes no slot (it waits behind no run); anything else waits for a run
 * slot. 0, or -1 with 429 in r and everything released. */
int dp_srv_run_admit(dp_srv *s, dp_srv_run *run, dp_srv_reply *r);
/* Runs an admitted run (or answers from the store): r gets the payload
 * (200), the clarification (422) or the error; returns the library's code. */
int dp_srv_run_execute(dp_srv *s, dp_srv_run *run, dp_srv_reply *r);
/* Gives back what prepare took. */
void dp_srv_run_release(dp_srv *s, dp_srv_run *run);
/* The same POST answered as an event stream (sse.c). */
void dp_srv_stream_product(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r);

/* Route handlers. */
void dp_srv_post_product(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r);
void dp_srv_get_catalog(dp_srv *s, const dp_srv_req *q, const char *what, const char *name, dp_srv_reply *r);
void dp_srv_post_synonym(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r);
void dp_srv_get_runs(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r);
/* GET /v1/runs/{id} (doc NULL) and /v1/runs/{id}/{doc}: id and doc point
 * into the path (id ends at the next '/'). */
void dp_srv_get_run(dp_srv *s, const char *id, const char *doc, dp_srv_reply *r);
/* GET /v1/runs/{id}/exports.zip: the stored run's --out tree, zipped (409
 * when the catalog or data changed since the run). */
void dp_srv_get_exports(dp_srv *s, const char *run_id, dp_srv_reply *r);
void dp_srv_get_metrics(dp_srv *s, dp_srv_reply *r);
/* Counts one answered request of route (metrics.c). */
void dp_srv_count(dp_srv *s, int route, unsigned status);
/* Observes one finished run's trace, parsed (stage latencies, metrics.c);
 * anything but an object is nothing to observe. */
void dp_srv_observe_trace(dp_srv *s, const json_t *trace);
/* 1 for the routes open without a key and outside the rate limit: the
 * probes and the OpenAPI document. */
int dp_srv_route_public(const char *path);
/* Names of the routes, for the metrics' labels (index as dp_srv_route returns). */
const char *dp_srv_route_name(int i);

/* The web page (page.c): 1 when path names one of its files ("/" is
 * index.html); GET answers the file. */
int dp_srv_page_path(const char *path);
void dp_srv_get_page(const dp_srv_req *q, dp_srv_reply *r);

/* Embedded files of src/server/assets/ (openapi.json, the page). */
const char *dp_srv_asset_find(const char *name, size_t *len);

/* `dpgen serve ARGS`: runs until SIGTERM/SIGINT; the process exit code. */
int dp_serve_main(int argc, char **argv);

#endif

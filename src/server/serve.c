/* `dpgen serve`: options, the catalog's generations (loaded in the
 * background, reloaded on SIGHUP without dropping requests), and the
 * process's life: listen, then on SIGTERM/SIGINT stop accepting, let the
 * runs in flight finish (up to a grace period) and exit. */
#include "server/http.h"
#include "server/options.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define DRAIN_GRACE_MS 30000 /* runs in flight at SIGTERM get this long */
#define DP_SRV_WATCH_S 2     /* how often the catalog's files and data are looked at */

static const char *usage =
    "usage: dpgen serve [--listen HOST:PORT] [--db PATH --models PATH] [--glossary PATH] [--state DIR]\n"
    "                   [--manifest FILE] [--schema NAME] [--max-body BYTES] [--max-runs N]\n"
    "                   [--timeout SECONDS] [--memory-limit SIZE] [--api-keys FILE] [--rate N] [--burst N]\n"
    "                   [--cors ORIGIN] [--tls-cert FILE --tls-key FILE] [--log-requests] [--keep-runs N]\n"
    "                   [--keep-days N] [--queue N] [--queue-wait SECONDS] [--engine-recycle N] [--llm URL]\n"
    "  --listen    default 127.0.0.1:8080; port 0 takes a free port (printed on stdout)\n"
    "  --max-body  request body limit, default 65536 bytes (413 past it)\n"
    "  --max-runs  runs at once, default 2 per core; more wait in the queue\n"
    "  --queue     requests that may wait for a run slot, default 64 (429 past it)\n"
    "  --queue-wait  how long one waits before it is answered 429, default 30 s\n"
    "  --keep-runs the newest runs the state keeps with their documents (default all)\n"
    "  --keep-days runs older than this many days are removed (default: kept)\n"
    "  --engine-recycle  DuckDB is opened again after this many runs, default 2048 (0: never);\n"
    "              runs in flight finish on the old engine (bounds what DuckDB 1.4 keeps)\n"
    "  --llm       an OpenAI-compatible model that may read words the catalog lacks (docs/llm.md)\n"
    "  --api-keys  a file of keys (one a line, or sha256:HEX): every route but the probes needs one\n"
    "  --rate      requests a second per client (its key, else its address); --burst the bucket, default 2x\n"
    "  --cors      the browser origin allowed to call (or *); none by default\n"
    "  --tls-cert/--tls-key  PEM files: serve HTTPS\n"
    "  --log-requests  the access log carries request texts (it does not by default)\n"
    "  the catalog reloads on SIGHUP and when its files or data change; SIGTERM drains and exits.\n";

dp_srv_gen *dp_srv_gen_take(dp_srv *s)
{
    pthread_mutex_lock(&s->mu);
    dp_srv_gen *g = s->gen;
    if (g)
        g->refs++;
    pthread_mutex_unlock(&s->mu);
    return g;
}

void dp_srv_gen_drop(dp_srv *s, dp_srv_gen *g)
{
    pthread_mutex_lock(&s->mu);
    int last = --g->refs == 0 && g->stale;
    pthread_mutex_unlock(&s->mu);
    if (last) {
        dp_catalog_free(g->cat);
        free(g);
    }
}

int dp_srv_load(dp_srv *s, dp_error *err)
{
    dp_catalog *cat = NULL;
    int rc = dp_catalog_open(&cat, &s->cfg.co, err);
    dp_srv_gen *g = rc ? NULL : calloc(1, sizeof(*g));
    if (!rc && !g) {
        dp_catalog_free(cat);
        err->code = rc = DP_ENOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
    pthread_mutex_lock(&s->mu);
    if (rc) {
        snprintf(s->load_error, sizeof(s->load_error), "%s", err->message);
        pthread_mutex_unlock(&s->mu);
        return rc;
    }
    dp_srv_gen *old = s->gen;
    g->cat = cat;
    g->id = old ? old->id + 1 : 1;
    s->gen = g;
    s->load_error[0] = 0;
    int free_old = 0;
    if (old) {
        old->stale = 1;
        free_old = old->refs == 0;
    }
    pthread_mutex_unlock(&s->mu);
    if (free_old) {
        dp_catalog_free(old->cat);
        free(old);
    }
    return 0;
}

static void log_line(const char *event, const char *detail)
{
    char safe[1200];
    json_t *l = json_pack("{s:s,s:s}", "event", event, "detail", dp_escape_line(detail, safe, sizeof(safe)));
    char *t = l ? json_dumps(l, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (t)
        fprintf(stderr, "%s\n", t);
    free(t);
    json_decref(l);
}

static void *load_thread(void *p)
{
    dp_srv *s = p;
    dp_error err = {0};
    if (dp_srv_load(s, &err))
        log_line("catalog_failed", err.message);
    else
        log_line("catalog_loaded", "first generation");
    return NULL;
}

/* "host:port" (IPv4 or [IPv6]) into addr. */
static int parse_listen(const char *spec, struct sockaddr_storage *addr)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof(host))
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return -1;
    memset(addr, 0, sizeof(*addr));
    size_t hl = strlen(host);
    if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        host[hl - 1] = 0;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((unsigned short)port);
        return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, hl ? host : "127.0.0.1", &a4->sin_addr) == 1 ? 0 : -1;
}

static int parse(dp_srv_config *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(o, "--listen")         ? &c->listen
                            : !strcmp(o, "--memory-limit") ? &c->memory_limit
                            : !strcmp(o, "--cors")         ? &c->cors
                            : !strcmp(o, "--tls-cert")     ? &c->tls_cert
                            : !strcmp(o, "--tls-key")      ? &c->tls_key
                            : !strcmp(o, "--api-keys")     ? &c->api_keys
                                                           : NULL;
        char *end = NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help"))
            return -1;
        if (!strcmp(o, "--log-requests")) {
            c->log_requests = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "dpgen serve: %s needs a value, or is unknown\n", o);
            return -1;
        }
        i++;
        if (slot) {
            *slot = v;
        } else if (dp_srv_catalog_option(&c->co, o, v)) {
            continue;
        } else if (!strcmp(o, "--max-body")) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || n < 1024 || n > 16u * 1024 * 1024)
                return fprintf(stderr, "dpgen serve: --max-body is 1024..16777216 bytes\n"), -1;
            c->max_body = (size_t)n;
        } else if (!strcmp(o, "--keep-runs")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 1)
                return fprintf(stderr, "dpgen serve: --keep-runs is a number of runs above 0\n"), -1;
            c->co.keep_runs = n;
        } else if (!strcmp(o, "--engine-recycle")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 0)
                return fprintf(stderr, "dpgen serve: --engine-recycle is a number of runs (0: never)\n"), -1;
            c->co.engine_recycle_runs = n;
        } else if (!strcmp(o, "--llm")) {
            c->llm_url = v;
        } else if (!strcmp(o, "--keep-days")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 36500)
                return fprintf(stderr, "dpgen serve: --keep-days is a number of days, 1..36500\n"), -1;
            c->co.keep_days = n;
        } else if (!strcmp(o, "--queue")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 0 || n > 65536)
                return fprintf(stderr, "dpgen serve: --queue is 0..65536 waiting requests\n"), -1;
            c->max_queue = (int)n;
        } else if (!strcmp(o, "--queue-wait")) {
            double sec = strtod(v, &end);
            if (*end || !(sec >= 0 && sec <= 3600))
                return fprintf(stderr, "dpgen serve: --queue-wait is 0..3600 seconds\n"), -1;
            c->queue_wait_ms = (long)(sec * 1000);
        } else if (!strcmp(o, "--max-runs")) {
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 1024)
                return fprintf(stderr, "dpgen serve: --max-runs is 1..1024\n"), -1;
            c->max_runs = (int)n;
        } else if (!strcmp(o, "--rate") || !strcmp(o, "--burst")) {
            double n = strtod(v, &end);
            if (*end || !(n > 0 && n <= 1e6))
                return fprintf(stderr, "dpgen serve: %s is a number of requests above 0\n", o), -1;
            *(o[2] == 'r' ? &c->rate : &c->burst) = n;
        } else if (!strcmp(o, "--timeout")) {
            double sec = strtod(v, &end);
            if (*end || !(sec > 0 && sec <= 86400))
                return fprintf(stderr, "dpgen serve: --timeout is seconds above 0, at most 86400\n"), -1;
            c->timeout_ms = (long)(sec * 1000) ? (long)(sec * 1000) : 1;
        } else {
            fprintf(stderr, "dpgen serve: unknown option %s\n", o);
            return -1;
        }
    }
    c->co.memory_limit = c->memory_limit; /* profiling has the runs' limits */
    c->co.timeout_ms = c->timeout_ms;
    if (!c->tls_cert != !c->tls_key) {
        fprintf(stderr, "dpgen serve: give both --tls-cert and --tls-key\n");
        return -1;
    }
    const char *why = dp_srv_catalog_options_check(&c->co);
    if (why) {
        fprintf(stderr, "dpgen serve: %s\n", why);
        return -1;
    }
    return 0;
}

/* A PEM file's text (malloc'd), or NULL (unreadable, empty or over 1 MiB). */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1024 * 1024 + 1);
    size_t n = buf ? fread(buf, 1, 1024 * 1024 + 1, f) : 0;
    fclose(f);
    if (!buf || !n || n > 1024 * 1024) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* glibc gives each thread that meets a locked arena a new one, up to 8 per
 * core: a server whose runs move between threads spreads its freed memory
 * over all of them, and its RSS sits higher and creeps (the mix, 64
 * clients, 5,000-request steps: 221, 228, 235, 239, 241 MB by default; 197,
 * 213, 211, 210, 205 MB with 2 arenas; bench/README.md). Two arenas per
 * core, as many as the default run slots, bound that. (malloc_trim was
 * measured before and not kept: within noise at idle, up to ~250 ms with
 * the arenas locked.) */
static void malloc_tune(long cores)
{
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, (int)(cores > 0 && cores < 64 ? 2 * cores : 16));
#else
    (void)cores;
#endif
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int dp_serve_main(int argc, char **argv)
{
    dp_srv *s = calloc(1, sizeof(*s));
    if (!s)
        return 1;
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    s->cfg.co = co;
    s->cfg.listen = "127.0.0.1:8080";
    s->cfg.max_body = DP_SRV_BODY_MAX_DEFAULT;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    malloc_tune(cores); /* before any thread starts */
    s->cfg.max_runs = (int)(cores > 0 ? 2 * cores : 2);
    s->cfg.max_queue = 64;
    s->cfg.co.engine_recycle_runs = 2048;
    s->cfg.queue_wait_ms = 30000;
    struct sockaddr_storage addr;
    if (parse(&s->cfg, argc, argv)) {
        fputs(usage, stderr);
        free(s);
        return 2;
    }
    if (parse_listen(s->cfg.listen, &addr)) {
        fprintf(stderr, "dpgen serve: --listen is HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), not '%s'\n",
                s->cfg.listen);
        free(s);
        return 2;
    }
    char why[300];
    char *cert = NULL, *key = NULL;
    int code = 0;
    void *d = NULL;
    if (s->cfg.api_keys && dp_srv_keys_load(&s->guard, s->cfg.api_keys, why, sizeof(why))) {
        fprintf(stderr, "dpgen serve: --api-keys: %s\n", why);
        free(s);
        return 2;
    }
    dp_error lerr = {0};
    if (dp_llm_open_env(&s->llm, s->cfg.llm_url, &lerr)) {
        fprintf(stderr, "dpgen serve: --llm: %s\n", lerr.message);
        free(s);
        return 2;
    }
    if (s->cfg.tls_cert && (!(cert = read_pem(s->cfg.tls_cert)) || !(key = read_pem(s->cfg.tls_key)))) {
        fprintf(stderr, "dpgen serve: cannot read %s (a PEM file of at most 1 MiB)\n",
                cert ? s->cfg.tls_key : s->cfg.tls_cert);
        free(cert);
        dp_llm_free(s->llm);
        free(s);
        return 2;
    }
    s->guard.rate = s->cfg.rate;
    s->guard.burst = s->cfg.burst;
    pthread_mutex_init(&s->guard.mu, NULL);
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->metrics_mu, NULL);
    pthread_mutex_init(&s->slots_mu, NULL);
    /* every thread started from here on inherits the blocked set: the
     * signals are taken by sigwait below, never by a request's thread */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned port = 0;
    d = dp_srv_http_start(s, (struct sockaddr *)&addr, cert, key, &port);
    if (!d) {
        fprintf(stderr, "dpgen serve: cannot listen on %s: %s\n", s->cfg.listen, strerror(errno));
        code = 1;
        goto done;
    }
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (addr.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, host, sizeof(host));
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, host, sizeof(host));
    printf(addr.ss_family == AF_INET6 ? "dpgen: listening on %s://[%s]:%u\n" : "dpgen: listening on %s://%s:%u\n",
           cert ? "https" : "http", host, port);
    fflush(stdout);
    pthread_t loader;
    int loading = pthread_create(&loader, NULL, load_thread, s) == 0;
    for (;;) {
        /* a signal, or every DP_SRV_WATCH_S a look at the catalog's files
         * and data: changed ones are opened again as SIGHUP would */
        struct timespec tick = {DP_SRV_WATCH_S, 0};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig < 0) {
            dp_srv_gen *g = dp_srv_gen_take(s);
            int changed = g && dp_catalog_changed(g->cat);
            if (g)
                dp_srv_gen_drop(s, g);
            dp_error err = {0};
            if (changed && dp_srv_load(s, &err))
                log_line("reload_failed", err.message);
            else if (changed)
                log_line("catalog_reloaded", "its files or data changed");
            continue;
        }
        if (sig == SIGHUP) {
            dp_error err = {0};
            if (dp_srv_load(s, &err))
                log_line("reload_failed", err.message);
            else
                log_line("catalog_reloaded", "SIGHUP");
            continue;
        }
        break;
    }
    log_line("draining", "stopped accepting; waiting for the runs in flight");
    dp_srv_http_quiesce(d);
    double until = now_ms() + DRAIN_GRACE_MS;
    while (atomic_load(&s->active) > 0 && now_ms() < until) /* answered and sent */
        usleep(20 * 1000);
    dp_srv_http_stop(d);
    if (loading)
        pthread_join(loader, NULL);
    log_line("stopped", atomic_load(&s->active) ? "grace period over" : "drained");
done:
    if (s->gen) {
        dp_catalog_free(s->gen->cat);
        free(s->gen);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->metrics_mu);
    pthread_mutex_destroy(&s->slots_mu);
    pthread_mutex_destroy(&s->guard.mu);
    if (key)
        explicit_bzero(key, strlen(key));
    free(key);
    free(cert);
    explicit_bzero(s->guard.keys, sizeof(s->guard.keys));
    dp_llm_free(s->llm);
    free(s);
    return code;
}

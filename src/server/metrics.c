/* GET /metrics in Prometheus' text format (version 0.0.4): requests by
 * route and status class, stage latency histograms from each run's trace,
 * runs in flight, runs total and the catalog generation. */
#include "server/server.h"
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const double bounds[DP_SRV_BUCKETS - 1] = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 30000};

void dp_srv_count(dp_srv *s, int route, unsigned status)
{
    if (route < 0 || route >= DP_SRV_ROUTES)
        route = 0;
    unsigned cls = status / 100;
    atomic_fetch_add(&s->requests[route][cls >= 1 && cls <= 5 ? cls : 5], 1);
}

/* Under metrics_mu: the histogram named name (a new one while there is room). */
static dp_srv_hist *hist_for(dp_srv *s, const char *name)
{
    for (size_t i = 0; i < DP_SRV_STAGES; i++) {
        dp_srv_hist *h = &s->hist[i];
        if (!h->name[0] && strlen(name) < sizeof(h->name)) {
            strcpy(h->name, name);
            return h;
        }
        if (!strcmp(h->name, name))
            return h;
    }
    return NULL;
}

static void observe(dp_srv *s, const char *name, double ms)
{
    dp_srv_hist *h = hist_for(s, name);
    if (!h)
        return;
    size_t b = 0;
    while (b < DP_SRV_BUCKETS - 1 && ms > bounds[b])
        b++;
    h->buckets[b]++;
    h->count++;
    h->sum_ms += ms;
}

void dp_srv_observe_trace(dp_srv *s, const json_t *t)
{
    if (!json_is_object(t))
        return;
    size_t i;
    json_t *st;
    pthread_mutex_lock(&s->metrics_mu);
    json_array_foreach(json_object_get(t, "stages"), i, st) {
        const char *name = json_string_value(json_object_get(st, "stage"));
        if (name)
            observe(s, name, json_number_value(json_object_get(st, "ms")));
    }
    observe(s, "total", json_number_value(json_object_get(t, "total_ms")));
    pthread_mutex_unlock(&s->metrics_mu);
}

/* printf into a growing buffer; 0 or -1 (out of memory). */
static int put(char **buf, size_t *len, size_t *cap, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(*buf ? *buf + *len : NULL, *buf ? *cap - *len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if (*buf && *len + (size_t)n < *cap) {
            *len += (size_t)n;
            return 0;
        }
        size_t ncap = (*cap ? *cap * 2 : 4096) + (size_t)n;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = ncap;
    }
}

/* The process's memory: resident set (as Prometheus' process collector
 * names it), the C heap's live and retained bytes (glibc's mallinfo2: what
 * dpgen and DuckDB's small objects hold, and what free() kept), and
 * DuckDB's own account of its buffers. Where a long-running server's RSS
 * goes is then readable without a debugger. */
static int put_memory(char **b, size_t *len, size_t *cap, dp_catalog *cat)
{
    int bad = 0;
    long pages = 0, resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = -1;
        fclose(f);
    }
    if (resident >= 0)
        bad |= put(b, len, cap,
                   "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                   "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %lld\n",
                   (long long)resident * sysconf(_SC_PAGESIZE));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 mi = mallinfo2();
    /* all zero: the heap is not glibc's (a sanitizer's, a preloaded one) */
    if (mi.arena || mi.hblkhd)
        bad |= put(b, len, cap,
                   "# HELP dpgen_heap_bytes The C heap: bytes in live allocations, and bytes freed but kept.\n"
                   "# TYPE dpgen_heap_bytes gauge\ndpgen_heap_bytes{state=\"in_use\"} %zu\n"
                   "dpgen_heap_bytes{state=\"free\"} %zu\n",
                   mi.uordblks + mi.hblkhd, mi.fordblks);
#endif
    int64_t engine = -1;
    dp_error ignore = {0};
    if (cat && dp_catalog_engine_memory(cat, &engine, &ignore) == 0 && engine >= 0)
        bad |= put(b, len, cap,
                   "# HELP dpgen_engine_memory_bytes Memory DuckDB accounts for (cached blocks, runs' "
                   "hash tables and results).\n"
                   "# TYPE dpgen_engine_memory_bytes gauge\ndpgen_engine_memory_bytes %lld\n",
                   (long long)engine);
    unsigned long recycled;
    size_t old_in_use;
    if (cat && dp_catalog_engine_recycles(cat, &recycled, &old_in_use) == 0)
        bad |= put(b, len, cap,
                   "# HELP dpgen_engine_recycles_total Times the catalog's engine was opened again "
                   "(--engine-recycle).\n"
                   "# TYPE dpgen_engine_recycles_total counter\ndpgen_engine_recycles_total %lu\n"
                   "# HELP dpgen_engines_retiring Recycled engines that runs in flight still use.\n"
                   "# TYPE dpgen_engines_retiring gauge\ndpgen_engines_retiring %zu\n",
                   recycled, old_in_use);
    return bad;
}

void dp_srv_get_metrics(dp_srv *s, dp_srv_reply *r)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    int bad = 0;
    bad |= put(&b, &len, &cap,
               "# HELP dpgen_http_requests_total Requests answered, by route and status class.\n"
               "# TYPE dpgen_http_requests_total counter\n");
    for (int i = 0; i < DP_SRV_ROUTES; i++)
        for (int c = 1; c <= 5; c++) {
            long n = atomic_load(&s->requests[i][c]);
            if (n)
                bad |= put(&b, &len, &cap, "dpgen_http_requests_total{route=\"%s\",code=\"%dxx\"} %ld\n",
                           dp_srv_route_name(i), c, n);
        }
    pthread_mutex_lock(&s->slots_mu);
    int waiting = s->waiting;
    pthread_mutex_unlock(&s->slots_mu);
    bad |= put(&b, &len, &cap,
               "# HELP dpgen_runs_queued Requests waiting for a run slot.\n# TYPE dpgen_runs_queued gauge\n"
               "dpgen_runs_queued %d\n",
               waiting);
    bad |= put(&b, &len, &cap,
               "# HELP dpgen_runs_in_flight Runs executing now.\n# TYPE dpgen_runs_in_flight gauge\n"
               "dpgen_runs_in_flight %d\n"
               "# HELP dpgen_runs_total Runs executed.\n# TYPE dpgen_runs_total counter\ndpgen_runs_total %ld\n",
               atomic_load(&s->in_flight), atomic_load(&s->runs_total));
    dp_srv_gen *g = dp_srv_gen_take(s);
    bad |= put(&b, &len, &cap,
               "# HELP dpgen_catalog_generation The loaded catalog's generation (0: none yet).\n"
               "# TYPE dpgen_catalog_generation gauge\ndpgen_catalog_generation %ld\n",
               g ? g->id : 0L);
    bad |= put_memory(&b, &len, &cap, g ? g->cat : NULL);
    if (g)
        dp_srv_gen_drop(s, g);
    bad |= put(&b, &len, &cap,
               "# HELP dpgen_stage_duration_seconds Time of each stage of a run, and of the run.\n"
               "# TYPE dpgen_stage_duration_seconds histogram\n");
    pthread_mutex_lock(&s->metrics_mu);
    for (size_t i = 0; i < DP_SRV_STAGES && s->hist[i].name[0]; i++) {
        const dp_srv_hist *h = &s->hist[i];
        long cum = 0;
        for (size_t k = 0; k < DP_SRV_BUCKETS; k++) {
            cum += h->buckets[k];
            if (k < DP_SRV_BUCKETS - 1)
                bad |= put(&b, &len, &cap, "dpgen_stage_duration_seconds_bucket{stage=\"%s\",le=\"%g\"} %ld\n", h->name,
                           bounds[k] / 1000.0, cum);
            else
                bad |= put(&b, &len, &cap, "dpgen_stage_duration_seconds_bucket{stage=\"%s\",le=\"+Inf\"} %ld\n",
                           h->name, cum);
        }
        bad |= put(&b, &len, &cap,
                   "dpgen_stage_duration_seconds_sum{stage=\"%s\"} %.6f\n"
                   "dpgen_stage_duration_seconds_count{stage=\"%s\"} %ld\n",
                   h->name, h->sum_ms / 1000.0, h->name, h->count);
    }
    pthread_mutex_unlock(&s->metrics_mu);
    if (bad) {
        free(b);
        dp_srv_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    r->status = 200;
    r->text = b;
    r->text_len = len;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* Load client for dpgen serve (libcurl multi): C connections at once, N
 * requests in all, each a POST /v1/data-products of the next body of a
 * file (one JSON body a line, taken in turn), then throughput, latency
 * percentiles and the answers by status; with --pid, the server's RSS.
 *
 *   bench/load URL BODIES -c 8 -n 400 [--pid PID]
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BODIES 256

typedef struct slot {
    CURL *h;
    struct curl_slist *hdr;
    double t0;
    int body;
} slot;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static size_t sink(char *p, size_t s, size_t n, void *u)
{
    (void)p, (void)u;
    return s * n;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long rss_kb(long pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void start(CURLM *m, slot *s, const char *url, char **bodies, int i)
{
    curl_easy_reset(s->h);
    curl_easy_setopt(s->h, CURLOPT_URL, url);
    curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, bodies[i]);
    curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->hdr);
    curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(s->h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
    s->t0 = now_ms();
    s->body = i;
    curl_multi_add_handle(m, s->h);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: load URL BODIES [-c CONNECTIONS] [-n REQUESTS] [--pid SERVER_PID]\n");
        return 2;
    }
    const char *url = argv[1];
    int conns = 8, total = 200;
    long pid = 0;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-c"))
            conns = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-n"))
            total = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--pid"))
            pid = atol(argv[i + 1]);
    }
    if (conns < 1 || conns > 1024 || total < 1) {
        fprintf(stderr, "load: -c is 1..1024, -n above 0\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    char *bodies[MAX_BODIES], line[8192];
    int nb = 0;
    while (f && nb < MAX_BODIES && fgets(line, sizeof(line), f))
        if (line[strspn(line, " \t\r\n")])
            bodies[nb++] = strdup(line);
    if (f)
        fclose(f);
    if (!nb) {
        fprintf(stderr, "load: no bodies in %s\n", argv[2]);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *m = curl_multi_init();
    slot *slots = calloc((size_t)conns, sizeof(*slots));
    double *lat = calloc((size_t)total, sizeof(*lat));
    long codes[600] = {0}, errors = 0, rss0 = pid ? rss_kb(pid) : -1;
    int started = 0, done = 0;
    double t0 = now_ms();
    for (int i = 0; i < conns && started < total; i++) {
        slots[i].h = curl_easy_init();
        slots[i].hdr = curl_slist_append(NULL, "Content-Type: application/json");
        start(m, &slots[i], url, bodies, started++ % nb);
    }
    while (done < total) {
        int running, left;
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            slot *s;
            long code = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
            if (msg->data.result != CURLE_OK)
                errors++;
            else
                codes[code > 0 && code < 600 ? code : 599]++;
            lat[done++] = now_ms() - s->t0;
            curl_multi_remove_handle(m, s->h);
            if (started < total)
                start(m, s, url, bodies, started++ % nb);
        }
        curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    double secs = (now_ms() - t0) / 1e3;
    qsort(lat, (size_t)total, sizeof(*lat), cmp);
    printf("%d requests, %d connections: %.1f requests/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", total,
           conns, total / secs, lat[total / 2], lat[(int)(total * 0.95)], lat[(int)(total * 0.99)], lat[total - 1]);
    printf("answers:");
    for (int c = 100; c < 600; c++)
        if (codes[c])
            printf(" %d x%ld", c, codes[c]);
    printf("; transport errors %ld\n", errors);
    if (pid)
        printf("server RSS: %ld KB before, %ld KB after\n", rss0, rss_kb(pid));
    for (int i = 0; i < conns; i++) {
        curl_slist_free_all(slots[i].hdr);
        curl_easy_cleanup(slots[i].h);
    }
    curl_multi_cleanup(m);
    curl_global_cleanup();
    free(slots);
    free(lat);
    for (int i = 0; i < nb; i++)
        free(bodies[i]);
    return errors ? 1 : 0;
}

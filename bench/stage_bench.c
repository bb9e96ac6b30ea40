/* Per-stage timing of dpgen: runs one request many times on an opened
 * catalog and prints median and p95 per stage and end to end.
 *   stage_bench [-n RUNS] [--db PATH --models PATH] ["request"] */
#include "dpgen/dpgen.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp);
    printf("%-16s median %9.3f ms   p95 %9.3f ms\n", name, v[n / 2], v[(int)(n * 0.95) < n ? (int)(n * 0.95) : n - 1]);
}

int main(int argc, char **argv)
{
    int runs = 50;
    const char *db = NULL, *models = NULL;
    const char *request = "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc) models = argv[++i];
        else request = argv[i];
    }
    if (runs < 1 || runs > 100000)
        runs = 50;
    dp_error err = {0};
    dp_catalog *cat;
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    char state_dir[] = "/tmp/dpgen-bench-XXXXXX";
    if (!mkdtemp(state_dir)) {
        perror("mkdtemp");
        return 1;
    }
    co.state_dir = state_dir; /* fresh state: the first run is cold */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dp_catalog_open(&cat, &co, &err)) {
        fprintf(stderr, "stage_bench: %s\n", err.message);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("catalog open (load + bind + profile): %.1f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    static const char *stages[] = {"intent", "discovery", "modeling", "transformation", "quality", "packaging"};
    double *v[7];
    for (int s = 0; s < 7; s++)
        v[s] = calloc((size_t)runs, sizeof(double));
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    for (int i = 0; i < runs; i++) {
        dp_result *res = NULL;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = dp_generate(&res, cat, request, &go, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc) {
            fprintf(stderr, "stage_bench: %s\n", err.message);
            return 1;
        }
        json_t *tr = json_loads(dp_result_trace_json(res), 0, NULL);
        json_t *st = json_object_get(tr, "stages");
        for (int s = 0; s < 6; s++)
            v[s][i] = json_real_value(json_object_get(json_array_get(st, (size_t)s), "ms"));
        v[6][i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        json_decref(tr);
        dp_result_free(res);
        if (i == 0)
            printf("first run (cold: source checks not cached yet): %.1f ms\n", v[6][0]);
    }
    printf("request: %s\nruns: %d\n", request, runs);
    for (int s = 0; s < 6; s++)
        report(stages[s], v[s], runs);
    report("end to end", v[6], runs);
    for (int s = 0; s < 7; s++)
        free(v[s]);
    dp_catalog_free(cat);
    return 0;
}

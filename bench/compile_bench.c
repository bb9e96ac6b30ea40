/* Compile time per query and end-to-end time per request, for a catalog and
 * a list of requests (one per line).
 *   compile_bench --db PATH --models PATH [--glossary PATH] [-n N] REQUESTS.txt */
#include "catalog/catalog.h"
#include "discovery/discovery.h"
#include "intent/intent.h"
#include "modeling/modeling.h"
#include "transform/compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    const char *db = NULL, *models = NULL, *glossary = NULL, *file = NULL;
    int n = 200;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc) models = argv[++i];
        else if (!strcmp(argv[i], "--glossary") && i + 1 < argc) glossary = argv[++i];
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) n = atoi(argv[++i]);
        else file = argv[i];
    }
    if (!file || n < 1) {
        fprintf(stderr, "usage: compile_bench --db PATH --models PATH [-n N] REQUESTS.txt\n");
        return 2;
    }
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return 1;
    }
    dp_error err = {0};
    dp_catalog *cat;
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.glossary_path = glossary;
    co.no_state = 1;
    if (dp_catalog_open(&cat, &co, &err)) {
        fprintf(stderr, "compile_bench: %s\n", err.message);
        return 1;
    }
    double *t = calloc((size_t)n, sizeof(double));
    double all_compile[512], all_e2e[512];
    int nreq = 0;
    char line[2048];
    printf("%10s %10s  request\n", "compile", "end2end");
    while (fgets(line, sizeof(line), f) && nreq < 512) {
        line[strcspn(line, "\n")] = 0;
        if (!*line || line[0] == '#')
            continue;
        dp_arena *a = dp_arena_new(0);
        dp_intent in;
        dp_discovery d;
        dp_design dz;
        dp_intent_opts io = {.as_of = "2025-07-01"};
        if (dp_intent_parse(&in, &cat->kg, a, line, &io, NULL, &err) ||
            dp_discover(&d, &cat->kg, &in, a, NULL, NULL, NULL, NULL, &err) ||
            dp_model_design(&dz, &cat->kg, &in, &d, a, &err)) {
            printf("%10s %10s  %s (%s)\n", "-", "-", line, err.message);
            dp_arena_free(a);
            continue;
        }
        for (int k = 0; k < n; k++) {
            dp_arena *ca = dp_arena_new(0);
            dp_compiled out;
            double t0 = now_us();
            int rc = dp_compile(&out, &cat->kg, &in, &d, &dz, DP_DIALECT_DUCKDB, ca, &err);
            t[k] = now_us() - t0;
            if (!rc) {
                json_decref(out.lineage);
                json_decref(out.ctes);
            }
            dp_arena_free(ca);
        }
        json_decref(d.joins);
        json_decref(d.semantic);
        dp_arena_free(a);
        double cm = median(t, n);
        int ne = n < 20 ? n : 20;
        dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
        go.record = 0;
        go.as_of = "2025-07-01";
        for (int k = 0; k < ne; k++) {
            dp_result *res = NULL;
            double t0 = now_us();
            dp_generate(&res, cat, line, &go, &err);
            t[k] = now_us() - t0;
            dp_result_free(res);
        }
        double em = median(t, ne);
        all_compile[nreq] = cm;
        all_e2e[nreq++] = em;
        printf("%8.1f us %7.2f ms  %s\n", cm, em / 1000, line);
    }
    fclose(f);
    if (nreq)
        printf("median over %d requests: compile %.1f us, end to end %.2f ms (in process, catalog open)\n", nreq,
               median(all_compile, nreq), median(all_e2e, nreq) / 1000);
    free(t);
    dp_catalog_free(cat);
    return 0;
}

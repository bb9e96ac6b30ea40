/* Per-stage timing of dpgen: runs one request many times on an opened
 * catalog and prints median and p95 per stage and end to end, against the
 * limit: DuckDB alone running the generated SQL on the same file.
 *   stage_bench [-n RUNS] [--db PATH --models PATH] [--as-of DATE] ["request"] */
#include "dpgen/dpgen.h"
#include <duckdb.h>
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

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* DuckDB alone, configured as dpgen opens it (two threads, 2GB, the file
 * attached read-only): the floor a request's test run cannot go under. */
typedef struct alone {
    duckdb_database db;
    duckdb_connection con;
    char *sql;
} alone;

static int alone_open(alone *a, const char *path, const char *sql)
{
    duckdb_config cfg;
    char *e = NULL, att[4400];
    memset(a, 0, sizeof(*a));
    if (duckdb_create_config(&cfg) == DuckDBError)
        return -1;
    duckdb_set_config(cfg, "threads", "2");
    duckdb_set_config(cfg, "memory_limit", "2GB");
    int rc = duckdb_open_ext(NULL, &a->db, cfg, &e) == DuckDBError || duckdb_connect(a->db, &a->con) == DuckDBError;
    duckdb_destroy_config(&cfg);
    duckdb_free(e);
    snprintf(att, sizeof(att), "ATTACH '%s' AS src (READ_ONLY)", path);
    if (rc || duckdb_query(a->con, att, NULL) == DuckDBError || duckdb_query(a->con, "USE src", NULL) == DuckDBError)
        return -1;
    a->sql = strdup(sql);
    return a->sql ? 0 : -1;
}

/* One run of the SQL, its whole result materialized (what the test run
 * does), in ms; -1 on error. */
static double alone_run(alone *a)
{
    duckdb_result res;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int bad = duckdb_query(a->con, a->sql, &res) == DuckDBError;
    double ms = ms_since(&t0);
    if (bad)
        fprintf(stderr, "stage_bench: duckdb alone: %s\n", duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return bad ? -1 : ms;
}

static void alone_close(alone *a)
{
    if (a->con)
        duckdb_disconnect(&a->con);
    if (a->db)
        duckdb_close(&a->db);
    free(a->sql);
}

int main(int argc, char **argv)
{
    int runs = 50;
    const char *db = NULL, *models = NULL, *as_of = NULL;
    const char *request = "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc) models = argv[++i];
        else if (!strcmp(argv[i], "--as-of") && i + 1 < argc) as_of = argv[++i];
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
    double *v[8];
    for (int s = 0; s < 8; s++)
        v[s] = calloc((size_t)runs, sizeof(double));
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    go.as_of = as_of;
    alone al = {0};
    int have_alone = 0;
    for (int i = 0; i < runs; i++) {
        dp_result *res = NULL;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = dp_generate(&res, cat, request, &go, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc) {
            fprintf(stderr, "stage_bench: %s\n", err.message);
            return 1;
        }
        if (i == 0) {
            /* the generated SQL, as the spec states it */
            json_t *spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
            const char *sql = json_string_value(json_object_get(json_object_get(spec, "transformation"), "sql"));
            const char *path = db ? db : getenv("DPGEN_DEMO_DB") ? getenv("DPGEN_DEMO_DB") : "build/demo/demo.duckdb";
            have_alone = sql && !alone_open(&al, path, sql);
            if (!have_alone)
                fprintf(stderr, "stage_bench: DuckDB alone could not run the SQL on %s\n", path);
            json_decref(spec);
        }
        /* interleaved with dpgen's runs: both see the same machine load */
        v[7][i] = have_alone ? alone_run(&al) : 0;
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
    if (have_alone) {
        double e2e = v[6][runs / 2], tr = v[3][runs / 2];
        report("duckdb alone", v[7], runs);
        printf("ratio            end to end / duckdb alone %.2fx   transformation / duckdb alone %.2fx\n",
               e2e / v[7][runs / 2], tr / v[7][runs / 2]);
    }
    alone_close(&al);
    for (int s = 0; s < 8; s++)
        free(v[s]);
    dp_catalog_free(cat);
    return 0;
}

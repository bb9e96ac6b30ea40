/* Per-stage timing of dpgen: runs one request many times on an opened
 * catalog and prints median and p95 per stage and end to end, against the
 * limit: DuckDB alone running the generated SQL on the same file.
 *   stage_bench [-n RUNS] [--db PATH --models PATH] [--as-of DATE] [--state DIR] [--record] [--no-alone] ["request"]
 * --no-alone: dpgen only (to compare two builds of dpgen under the same load)
 * --record: each run recorded in the state, as the server and the CLI do
 * --state DIR: that state (a warm one, so a slow run such as valgrind's is
 *   not cut short by the profile's time budget); by default a fresh one
 * --raw: also each run's transformation, quality and end-to-end ms
 * After the runs, the same request answered as a repeat: the last run
 * recorded with reuse, then dp_generate_stored (what the server and
 * `generate` without --fresh do) timed over the same number of runs. */
#define _XOPEN_SOURCE 700
#include "dpgen/dpgen.h"
#include <duckdb.h>
#include <ftw.h>
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
 * attached read-only): the floor a request cannot go under. It runs the
 * generated SQL, and each quality rule on the test result (the source
 * rules are cached by dpgen) against its own copy of that result. */
#define MAX_RULES 256
typedef struct alone {
    duckdb_database db;
    duckdb_connection con;
    char *sql;
    char *rules[MAX_RULES];
    size_t nrules;
} alone;

/* text with every "from" replaced by "to" (malloc'd) */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), n = 0;
    for (const char *p = text; (p = strstr(p, from)); p += nf)
        n++;
    char *out = malloc(strlen(text) + n * (nt > nf ? nt - nf : 0) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text, *h; *p; p = h + nf) {
        if (!(h = strstr(p, from))) {
            strcpy(o, p);
            return out;
        }
        memcpy(o, p, (size_t)(h - p));
        o += h - p;
        memcpy(o, to, nt);
        o += nt;
        *o = 0;
    }
    *o = 0;
    return out;
}

static int alone_open(alone *a, const char *path, json_t *spec)
{
    duckdb_config cfg;
    char *e = NULL, att[4400];
    memset(a, 0, sizeof(*a));
    const char *sql = json_string_value(json_object_get(json_object_get(spec, "transformation"), "sql"));
    const char *target = json_string_value(json_object_get(json_object_get(spec, "data_model"), "target_table"));
    if (!sql || !target || duckdb_create_config(&cfg) == DuckDBError)
        return -1;
    duckdb_set_config(cfg, "threads", "2");
    duckdb_set_config(cfg, "memory_limit", "2GB");
    int rc = duckdb_open_ext(NULL, &a->db, cfg, &e) == DuckDBError || duckdb_connect(a->db, &a->con) == DuckDBError;
    duckdb_destroy_config(&cfg);
    duckdb_free(e);
    snprintf(att, sizeof(att), "ATTACH '%s' AS src (READ_ONLY)", path);
    if (rc || duckdb_query(a->con, att, NULL) == DuckDBError || duckdb_query(a->con, "USE src", NULL) == DuckDBError)
        return -1;
    if (!(a->sql = strdup(sql)))
        return -1;
    size_t len = strlen(sql) + 64;
    char *ctas = malloc(len);
    if (!ctas)
        return -1;
    snprintf(ctas, len, "CREATE TEMPORARY TABLE dp_alone_result AS %s", sql);
    rc = duckdb_query(a->con, ctas, NULL) == DuckDBError;
    free(ctas);
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        const char *rs = json_string_value(json_object_get(rule, "sql"));
        if (!rc && rs && strstr(rs, target) && a->nrules < MAX_RULES)
            a->rules[a->nrules++] = replace_all(rs, target, "dp_alone_result");
    }
    return rc ? -1 : 0;
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

/* Each rule on the result once, counting its failing rows, in ms. */
static double alone_rules(alone *a)
{
    double ms = 0;
    for (size_t i = 0; i < a->nrules; i++) {
        if (!a->rules[i])
            continue;
        size_t len = strlen(a->rules[i]) + 64;
        char *q = malloc(len);
        duckdb_result res;
        struct timespec t0;
        if (!q)
            continue;
        snprintf(q, len, "SELECT count(*) FROM (%s) AS f", a->rules[i]);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (duckdb_query(a->con, q, &res) == DuckDBError)
            fprintf(stderr, "stage_bench: duckdb alone: %s\n", duckdb_result_error(&res));
        ms += ms_since(&t0);
        duckdb_destroy_result(&res);
        free(q);
    }
    return ms;
}

static void alone_close(alone *a)
{
    if (a->con)
        duckdb_disconnect(&a->con);
    if (a->db)
        duckdb_close(&a->db);
    free(a->sql);
    for (size_t i = 0; i < a->nrules; i++)
        free(a->rules[i]);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 50;
    const char *db = NULL, *models = NULL, *as_of = NULL, *state = NULL;
    int no_alone = 0, raw = 0, record = 0;
    const char *request = "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc) models = argv[++i];
        else if (!strcmp(argv[i], "--as-of") && i + 1 < argc) as_of = argv[++i];
        else if (!strcmp(argv[i], "--state") && i + 1 < argc) state = argv[++i];
        else if (!strcmp(argv[i], "--no-alone")) no_alone = 1;
        else if (!strcmp(argv[i], "--record"))
            record = 1;
        else if (!strcmp(argv[i], "--raw")) raw = 1;
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
    if (!state && !mkdtemp(state_dir)) {
        perror("mkdtemp");
        return 1;
    }
    co.state_dir = state ? state : state_dir; /* fresh state: the first run is cold */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dp_catalog_open(&cat, &co, &err)) {
        fprintf(stderr, "stage_bench: %s\n", err.message);
        if (!state)
            nftw(state_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("catalog open (load + bind + profile): %.1f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    static const char *stages[] = {"intent", "discovery", "modeling", "transformation", "quality", "packaging"};
    double *v[10];
    for (int s = 0; s < 10; s++)
        v[s] = calloc((size_t)runs, sizeof(double));
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = record;
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
            dp_catalog_free(cat);
            if (!state)
                nftw(state_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
            return 1;
        }
        if (i == 0 && !no_alone) {
            /* the generated SQL and the rules, as the spec states them */
            json_t *spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
            const char *path = db ? db : getenv("DPGEN_DEMO_DB") ? getenv("DPGEN_DEMO_DB") : "build/demo/demo.duckdb";
            have_alone = !alone_open(&al, path, spec);
            if (!have_alone)
                fprintf(stderr, "stage_bench: DuckDB alone could not run the SQL on %s\n", path);
            json_decref(spec);
        }
        /* interleaved with dpgen's runs: both see the same machine load */
        v[7][i] = have_alone ? alone_run(&al) : 0;
        v[8][i] = have_alone ? alone_rules(&al) : 0;
        v[9][i] = v[7][i] + v[8][i];
        json_t *tr = json_loads(dp_result_trace_json(res), 0, NULL);
        json_t *st = json_object_get(tr, "stages");
        for (int s = 0; s < 6; s++)
            v[s][i] = json_real_value(json_object_get(json_array_get(st, (size_t)s), "ms"));
        v[6][i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        json_decref(tr);
        dp_result_free(res);
        if (raw)
            printf("run %d transformation %.3f quality %.3f end_to_end %.3f\n", i, v[3][i], v[4][i], v[6][i]);
        if (i == 0)
            printf("first run (cold: source checks not cached yet): %.1f ms\n", v[6][0]);
    }
    /* on a fresh state the first run is cold (printed above): the figures
     * are those of the warm runs after it */
    int first = !state && runs > 1;
    int n = runs - first;
    printf("request: %s\nruns: %d%s\n", request, n, first ? " (warm; the cold first run apart)" : "");
    for (int s = 0; s < 6; s++)
        report(stages[s], v[s] + first, n);
    report("end to end", v[6] + first, n);
    if (have_alone) {
        /* the limit, per stage: the transformation against the SQL alone,
         * the quality stage against its rules on the result alone */
        report("alone: SQL", v[7] + first, n);
        report("alone: rules", v[8] + first, n);
        report("alone: both", v[9] + first, n);
        double *m[10];
        for (int s = 0; s < 10; s++)
            m[s] = v[s] + first + n / 2; /* medians: report() sorted them */
        printf("ratio            transformation %.2fx   quality %.2fx   end to end %.2fx (of SQL alone %.2fx)\n",
               *m[3] / *m[7], *m[4] / *m[8], *m[6] / *m[9], *m[6] / *m[7]);
    }
    /* a repeat: one run recorded, then answered from the run store */
    dp_generate_options ro = go;
    ro.record = 1;
    ro.reuse = 1;
    dp_result *rec = NULL;
    if (dp_generate(&rec, cat, request, &ro, &err) == 0) {
        int cached = 0;
        for (int i = 0; i < runs; i++) {
            dp_result *res = NULL;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            int rc = dp_generate_stored(&res, cat, request, &ro, &err);
            v[0][i] = ms_since(&t0);
            cached += rc == 0 && res && dp_result_cached(res, NULL);
            dp_result_free(res);
        }
        if (cached == runs)
            report("cached repeat", v[0], runs);
        else
            printf("cached repeat    %d of %d answered from the store\n", cached, runs);
    } else
        fprintf(stderr, "stage_bench: recording the run: %s\n", err.message);
    dp_result_free(rec);
    alone_close(&al);
    for (int s = 0; s < 10; s++)
        free(v[s]);
    dp_catalog_free(cat);
    if (!state) /* the fresh state was ours: leave nothing in /tmp */
        nftw(state_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

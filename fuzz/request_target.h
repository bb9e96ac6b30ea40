/* The code path the request fuzzer drives, shared with the test that replays
 * its saved inputs (tests/unit/test_request_corpus.c): request text ->
 * dp_intent_parse (every pass) -> dp_discover -> dp_model_design +
 * dp_model_widen -> dp_compile (DuckDB and PostgreSQL) -> dp_sql_check_select,
 * on catalogs loaded once with no database (the demo's, and the semantic
 * manifest test catalog, whose saved queries the text also names).
 * Header-only (static) so both programs compile it without CMake. */
#ifndef DP_FUZZ_REQUEST_TARGET_H
#define DP_FUZZ_REQUEST_TARGET_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "catalog/load.h"
#include "catalog/offline.h"
#include "discovery/discovery.h"
#include "intent/intent.h"
#include "kg/indexes.h"
#include "modeling/modeling.h"
#include "sql/check.h"
#include "transform/compile.h"
#include "util/error.h"

#define DP_FUZZ_REQ_AS_OF "2025-07-16"
#define DP_FUZZ_REQ_LOOKUPS 48 /* look-ups per run; then the budget is spent (DP_ELIMIT) */
#define DP_FUZZ_REQ_VALUES 64  /* values per dimension in the values file */

/* The catalogs: [0] the demo (models + glossary), [1] tests/data/smanifest
 * (saved queries, a time spine). */
typedef struct dp_fuzz_req_catalogs {
    dp_kg *kg[2];
} dp_fuzz_req_catalogs;

/* Called for each contract broken: the step, the code and what is wrong. */
typedef void (*dp_fuzz_req_fail_fn)(void *payload, const char *step, int rc, const char *what);

/* The offline graph has no data, so no frequent values: the values file
 * (one "dimension: value, value, ..." a line) gives each categorical
 * dimension of that name its values, as a profile would, before the lexicon
 * and the vector index are built. Returns 0 or -1. */
static inline int dp_fuzz_req__values(dp_kg *kg, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        if (line[0] == '#' || !colon)
            continue;
        *colon = 0;
        const char *vals[DP_FUZZ_REQ_VALUES];
        size_t n = 0;
        for (char *save = NULL, *t = strtok_r(colon + 1, ",\n", &save); t && n < DP_FUZZ_REQ_VALUES;
             t = strtok_r(NULL, ",\n", &save)) {
            while (*t == ' ')
                t++;
            if (*t)
                vals[n++] = dp_arena_strdup(kg->arena, t);
        }
        for (size_t i = 0; i < kg->nmodels; i++)
            for (size_t j = 0; j < kg->models[i].ndims; j++) {
                dp_dimension *d = &kg->models[i].dims[j];
                if (d->type != DP_DIM_CATEGORICAL || !d->column || strcmp(d->name, line))
                    continue;
                dp_column *c = (dp_column *)d->column;
                c->prof.top_values = dp_arena_calloc(kg->arena, n ? n : 1, sizeof(char *));
                c->prof.top_counts = dp_arena_calloc(kg->arena, n ? n : 1, sizeof(int64_t));
                if (!c->prof.top_values || !c->prof.top_counts) {
                    fclose(f);
                    return -1;
                }
                for (size_t k = 0; k < n; k++) {
                    c->prof.top_values[k] = vals[k];
                    c->prof.top_counts[k] = 10 + (int64_t)k;
                }
                c->prof.ntop = n;
                c->prof.distinct = (int64_t)n;
                c->prof.all_values = 1;
                c->prof.done = 1;
            }
    }
    fclose(f);
    return 0;
}

/* One catalog as dp_kg_open_offline builds it, with the values file's
 * values in between. */
static inline int dp_fuzz_req__open(dp_kg **out, const char *models, const char *glossary, const char *values,
                                    dp_error *err)
{
    int rc;
    dp_arena *arena = dp_arena_new(1024 * 1024);
    dp_kg *kg = arena ? dp_arena_alloc(arena, sizeof(*kg)) : NULL;
    *out = NULL;
    if (!kg) {
        dp_arena_free(arena);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    memset(kg, 0, sizeof(*kg));
    kg->arena = arena;
    kg->models_path = models;
    kg->glossary_path = glossary;
    if ((rc = dp_dbt_load_path(kg, models, err)) || (rc = dp_kg__offline_columns(kg, err)) ||
        (glossary && (rc = dp_glossary_load_path(kg, glossary, err))))
        goto done;
    if (values && dp_fuzz_req__values(kg, values)) {
        rc = dp_error_set(err, DP_EINVALID, "%s: cannot read", values);
        goto done;
    }
    /* dp_bind_spines finds the spines' relations in the database: here
     * each spine is its model's name in main, its columns text */
    for (size_t i = 0; i < kg->nspines; i++) {
        dp_time_spine *sp = &kg->spines[i];
        if (!sp->table) {
            sp->schema = "main";
            sp->table = sp->model;
        }
        for (size_t j = 0; j < sp->ncustom; j++)
            if (!sp->custom[j].type)
                sp->custom[j].type = "VARCHAR";
    }
    if ((rc = dp_kg_build_indexes(kg, err)))
        goto done;
    *out = kg;
    arena = NULL;
done:
    dp_arena_free(arena);
    return rc;
}

/* Loads the catalogs of the tree at root (the repository). Returns 0, or a
 * negative DP_ code with err set. */
static inline int dp_fuzz_req_open(dp_fuzz_req_catalogs *c, const char *root, dp_error *err)
{
    static char paths[5][4096]; /* the graphs keep the paths */
    memset(c, 0, sizeof(*c));
    snprintf(paths[0], sizeof(paths[0]), "%s/catalog/demo/semantic_models.yml", root);
    snprintf(paths[1], sizeof(paths[1]), "%s/catalog/demo/glossary.yml", root);
    snprintf(paths[2], sizeof(paths[2]), "%s/fuzz/request_values.txt", root);
    snprintf(paths[3], sizeof(paths[3]), "%s/tests/data/smanifest/models", root);
    int rc = dp_fuzz_req__open(&c->kg[0], paths[0], paths[1], paths[2], err);
    if (!rc)
        rc = dp_fuzz_req__open(&c->kg[1], paths[3], NULL, paths[2], err);
    return rc;
}

static inline void dp_fuzz_req_close(dp_fuzz_req_catalogs *c)
{
    dp_kg_free_offline(c->kg[0]);
    dp_kg_free_offline(c->kg[1]);
}

/* The data look-up, answered from the values file's values: the exact value
 * (as stored), else the values sharing the longest prefix, case aside; the
 * budget ends after DP_FUZZ_REQ_LOOKUPS calls, as a slow database's would. */
static inline int dp_fuzz_req__lookup(void *payload, const dp_model *model, const char *column, const char *text,
                                      dp_value_hits *out, dp_error *err)
{
    unsigned *calls = payload;
    memset(out, 0, sizeof(*out));
    if (++*calls > DP_FUZZ_REQ_LOOKUPS)
        return dp_error_set(err, DP_ELIMIT, "value look-ups took their time budget");
    const dp_column *c = NULL;
    for (size_t i = 0; i < model->ncolumns && !c; i++)
        if (!strcasecmp(model->columns[i].name, column))
            c = &model->columns[i];
    if (!c)
        return 0;
    size_t tl = strlen(text);
    for (size_t k = 0; k < c->prof.ntop; k++) {
        const char *v = c->prof.top_values[k];
        if (!strcmp(v, text)) {
            out->exact = 1;
            out->n = 1;
            out->exact_rows = c->prof.top_counts[k];
            snprintf(out->values[0], DP_VALUE_MAX, "%s", v);
            out->scores[0] = 1;
            return 0;
        }
        size_t vl = strlen(v), p = 0;
        while (p < vl && p < tl && (v[p] | 32) == (text[p] | 32))
            p++;
        double s = (double)p / (double)(vl > tl ? vl : tl);
        if (s < 0.3)
            continue;
        size_t at = out->n < DP_VALUE_HITS_MAX ? out->n++ : DP_VALUE_HITS_MAX - 1;
        if (at == DP_VALUE_HITS_MAX - 1 && out->scores[at] >= s)
            continue;
        while (at > 0 && out->scores[at - 1] < s) {
            out->scores[at] = out->scores[at - 1];
            memcpy(out->values[at], out->values[at - 1], DP_VALUE_MAX);
            at--;
        }
        out->scores[at] = s;
        snprintf(out->values[at], DP_VALUE_MAX, "%s", v);
    }
    return 0;
}

/* A refusal is well formed when its code is a negative DP_ code and its
 * message one non-empty line with no control byte (what the CLI prints). */
static inline const char *dp_fuzz_req__bad_error(int rc, const dp_error *err)
{
    if (rc >= 0 || rc < DP_ENOMEM)
        return "not a negative DP_ code";
    if (err->code != rc)
        return "the error's code differs from the returned one";
    if (!err->message[0])
        return "empty message";
    for (const unsigned char *s = (const unsigned char *)err->message; *s; s++)
        if (*s < 0x20 || *s == 0x7f)
            return "a control byte in the message";
    return NULL;
}

static inline double dp_fuzz_req__ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* After an intent: discovery, modeling (the wide product, as the default
 * run makes it) and both dialects, each SQL through PostgreSQL's parser.
 * Returns 1 when SQL was made. */
static inline int dp_fuzz_req__rest(const dp_kg *kg, dp_intent *in, dp_arena *a, dp_fuzz_req_fail_fn on_fail,
                                    void *payload)
{
    int made = 0, rc;
    dp_error err = {0};
    const char *bad;
    dp_discovery d;
    dp_design design;
    dp_compiled out[2];
    memset(&d, 0, sizeof(d));
    memset(&design, 0, sizeof(design));
    memset(out, 0, sizeof(out));
    json_t *decisions = json_array();
    json_t *ij = dp_intent_to_json(in);
    if (!ij)
        on_fail(payload, "intent", 0, "dp_intent_to_json gave NULL");
    json_decref(ij);
    const char *notes[64];
    size_t nnotes = 0;
    if ((rc = dp_discover(&d, kg, in, a, NULL, NULL, decisions, NULL, &err)) ||
        (rc = dp_model_design(&design, kg, in, &d, a, &err)) ||
        (rc = dp_model_widen(&design, kg, in, &d, a, notes, 64, &nnotes, &err))) {
        if ((bad = dp_fuzz_req__bad_error(rc, &err)))
            on_fail(payload, "discovery/modeling", rc, bad);
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        memset(&err, 0, sizeof(err));
        rc = dp_compile(&out[k], kg, in, &d, &design, k ? DP_DIALECT_POSTGRES : DP_DIALECT_DUCKDB, a, &err);
        if (rc) {
            if ((bad = dp_fuzz_req__bad_error(rc, &err)))
                on_fail(payload, "compile", rc, bad);
            continue;
        }
        if (!out[k].sql) {
            on_fail(payload, "compile", 0, "answered with no SQL");
            continue;
        }
        if ((rc = dp_sql_check_select(out[k].sql, &err))) {
            fprintf(stderr, "SQL (%s) refused: %s\n%s\n", k ? "postgres" : "duckdb", err.message, out[k].sql);
            on_fail(payload, "sql check", rc, "the compiled SQL is not one read-only SELECT");
            continue;
        }
        made = 1;
    }
done:
    json_decref(decisions);
    json_decref(d.joins);
    json_decref(d.semantic);
    for (int k = 0; k < 2; k++) {
        json_decref(out[k].lineage);
        json_decref(out[k].ctes);
    }
    return made;
}

/* Runs one input (the bytes up to the first NUL, as a command line carries
 * it) on every catalog, and on the second as a saved query's name. Returns
 * how many runs made SQL; *ms: the time it took. */
static inline int dp_fuzz_request_one(const dp_fuzz_req_catalogs *c, const uint8_t *data, size_t size,
                                      dp_fuzz_req_fail_fn on_fail, void *payload, double *ms)
{
    int made = 0;
    double t0 = dp_fuzz_req__ms();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    for (int run = 0; run < 3; run++) {
        const dp_kg *kg = c->kg[run ? 1 : 0];
        dp_arena *a = dp_arena_new(64 * 1024);
        dp_intent in;
        dp_error err = {0};
        unsigned calls = 0, kgq = 0;
        int rc;
        const char *bad;
        if (!a)
            break;
        memset(&in, 0, sizeof(in));
        if (run < 2) {
            dp_intent_opts io = {.as_of = DP_FUZZ_REQ_AS_OF, .lookup = dp_fuzz_req__lookup, .lookup_payload = &calls};
            rc = dp_intent_parse(&in, kg, a, text, &io, &kgq, &err);
        } else {
            rc = dp_intent_from_saved(&in, kg, a, text, DP_FUZZ_REQ_AS_OF, &err);
        }
        if (rc) {
            if ((bad = dp_fuzz_req__bad_error(rc, &err)))
                on_fail(payload, run < 2 ? "intent" : "saved query", rc, bad);
        } else {
            made += dp_fuzz_req__rest(kg, &in, a, on_fail, payload);
        }
        dp_arena_free(a);
    }
    free(text);
    *ms = dp_fuzz_req__ms() - t0;
    return made;
}

#endif

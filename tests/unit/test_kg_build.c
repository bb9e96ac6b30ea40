/* Unit tests of what loading a big catalog relies on: YAML files parsed side
 * by side but loaded in order, search features remembered per word, and
 * glossary terms that reach every model through the lexicon's indexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/offline.h"
#include "doc/node.h"
#include "kg/features.h"
#include "kg/kg.h"
#include "kg/lexicon.h"
#include "util/error.h"

static char *temp_dir(void)
{
    char *d = strdup("/tmp/dp_kg_build_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_dir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* ---- dp_yaml_load_files ---- */

#define NFILES 23

typedef struct seen {
    size_t n;
    size_t index[NFILES];
    int value[NFILES];
    size_t refuse_at; /* visit returns an error for this index */
} seen;

static int record(void *p, size_t i, const dp_node *tree)
{
    seen *s = p;
    s->index[s->n] = i;
    s->value[s->n] = atoi(dp_node_str(tree, "v"));
    s->n++;
    return i == s->refuse_at ? DP_EINVALID : 0;
}

/* NFILES files f00.yml.. in dir, each "v: i * mult"; paths malloc'd */
static void numbered_files(const char *dir, const char **files, char **paths, int mult)
{
    for (int i = 0; i < NFILES; i++) {
        char name[32], text[64];
        snprintf(name, sizeof(name), "f%02d.yml", i);
        snprintf(text, sizeof(text), "v: %d\n", i * mult);
        write_file(dir, name, text);
        paths[i] = malloc(strlen(dir) + 40);
        sprintf(paths[i], "%s/%s", dir, name);
        files[i] = paths[i];
    }
}

static void yaml_files_in_order(void **state)
{
    (void)state;
    char *dir = temp_dir();
    const char *files[NFILES];
    char *paths[NFILES];
    numbered_files(dir, files, paths, 7);
    unsigned threads[] = {1, 3, 8, 0};
    for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
        seen s = {.refuse_at = (size_t)-1};
        dp_error err = {0};
        assert_int_equal(dp_yaml_load_files(files, NFILES, threads[t], NULL, record, &s, &err), 0);
        assert_int_equal(s.n, NFILES);
        for (size_t i = 0; i < NFILES; i++) {
            assert_int_equal(s.index[i], i);
            assert_int_equal(s.value[i], (int)i * 7);
        }
        /* the visitor's refusal stops the walk there */
        seen r = {.refuse_at = 9};
        assert_int_equal(dp_yaml_load_files(files, NFILES, threads[t], NULL, record, &r, &err), DP_EINVALID);
        assert_int_equal(r.n, 10);
    }
    /* two broken files: the error is the first one's, whatever parsed first */
    write_file(dir, "f05.yml", "v: [1, 2\n");
    write_file(dir, "f17.yml", "v: {\n");
    for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
        seen s = {.refuse_at = (size_t)-1};
        dp_error err = {0};
        assert_int_equal(dp_yaml_load_files(files, NFILES, threads[t], NULL, record, &s, &err), DP_EINVALID);
        assert_int_equal(s.n, 5);
        assert_non_null(strstr(err.message, "f05.yml:"));
    }
    /* a missing file is named too */
    const char *missing[] = {files[0], "/nonexistent/dir/x.yml", files[1]};
    seen s = {.refuse_at = (size_t)-1};
    dp_error err = {0};
    assert_int_equal(dp_yaml_load_files(missing, 3, 2, NULL, record, &s, &err), DP_ENOTFOUND);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(err.message, "/nonexistent/dir/x.yml"));
    for (int i = 0; i < NFILES; i++)
        free(paths[i]);
    remove_dir(dir);
}

/* ---- dp_yaml_load_files_steps: work on the workers, visits in order ---- */

typedef struct steps_seen {
    size_t n, index[NFILES];
    int value[NFILES];
    size_t fail_work_at, refuse_at;
    _Atomic long made, freed; /* results: work makes them, visit or drop frees them */
} steps_seen;

static int work_value(void *p, size_t i, const dp_node *tree, void **result, dp_error *err)
{
    steps_seen *s = p;
    int *v = malloc(sizeof(int));
    assert_non_null(v);
    *v = atoi(dp_node_str(tree, "v"));
    *result = v;
    s->made++;
    return i == s->fail_work_at ? dp_error_set(err, DP_EINVALID, "work refused file %zu", i) : 0;
}

static int visit_value(void *p, size_t i, const dp_node *tree, void *result)
{
    steps_seen *s = p;
    assert_null(tree); /* freed after the work */
    s->index[s->n] = i;
    s->value[s->n++] = *(int *)result;
    free(result);
    s->freed++;
    return i == s->refuse_at ? DP_EINVALID : 0;
}

static void drop_value(void *p, void *result)
{
    steps_seen *s = p;
    free(result);
    s->freed++;
}

static void yaml_files_worked_then_visited_in_order(void **state)
{
    (void)state;
    char *dir = temp_dir();
    const char *files[NFILES];
    char *paths[NFILES];
    numbered_files(dir, files, paths, 11);
    const dp_yaml_steps steps = {work_value, visit_value, drop_value};
    unsigned threads[] = {1, 2, 3, 8, 0};
    for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
        steps_seen s = {.fail_work_at = (size_t)-1, .refuse_at = (size_t)-1};
        dp_error err = {0};
        assert_int_equal(dp_yaml_load_files_steps(files, NFILES, threads[t], NULL, &steps, &s, &err), 0);
        assert_int_equal(s.n, NFILES);
        for (size_t i = 0; i < NFILES; i++) {
            assert_int_equal(s.index[i], i);
            assert_int_equal(s.value[i], (int)i * 11);
        }
        assert_int_equal(s.made, NFILES);
        assert_int_equal(s.freed, NFILES);
        /* the work's error is the file's: the visits stop before it, every
         * result made is freed (visited or dropped) */
        steps_seen w = {.fail_work_at = 13, .refuse_at = (size_t)-1};
        assert_int_equal(dp_yaml_load_files_steps(files, NFILES, threads[t], NULL, &steps, &w, &err), DP_EINVALID);
        assert_int_equal(w.n, 13);
        assert_string_equal(err.message, "work refused file 13");
        assert_int_equal(w.made, w.freed);
        /* a visit's refusal stops there too */
        steps_seen r = {.fail_work_at = (size_t)-1, .refuse_at = 4};
        assert_int_equal(dp_yaml_load_files_steps(files, NFILES, threads[t], NULL, &steps, &r, &err), DP_EINVALID);
        assert_int_equal(r.n, 5);
        assert_int_equal(r.made, r.freed);
    }
    for (int i = 0; i < NFILES; i++)
        free(paths[i]);
    remove_dir(dir);
}

/* ---- dp_kg_index_build at size (its lists built on a thread of their own
 * past 20,000 elements) against scans of the models ---- */

static int lists_model(const dp_model *const *v, size_t n, const dp_model *m)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == m)
            return 1;
    return 0;
}

/* mode 0: built at once; 1: drafted as models are appended in chunks;
 * 2: drafted, then a model disabled after the last chunk (the draft is not
 * used: built anew) */
static void index_checked(int mode)
{
    static const char *const words[] = {"alpha", "beta",   "gamma", "delta", "eps", "zeta",    "eta", "theta", "iota",
                                        "kappa", "lambda", "mu",    "nu",    "xi",  "omicron", "pi",  "rho",   "sigma"};
    enum { NW = sizeof(words) / sizeof(*words), NM = 600, ND = 40 };
    for (int round = 0; round < 2; round++) {
        size_t nmodels = round ? NM : 20; /* past the thread's threshold, then below it */
        dp_kg kg;
        memset(&kg, 0, sizeof(kg));
        kg.arena = dp_arena_new(1 << 20);
        kg.models = dp_arena_calloc(kg.arena, nmodels, sizeof(dp_model));
        kg.nmodels = kg.models_cap = nmodels;
        for (size_t i = 0; i < nmodels; i++) {
            dp_model *m = &kg.models[i];
            m->name = dp_arena_printf(kg.arena, "model_%zu", i);
            m->off.reason = i % 97 == 5 ? "disabled" : NULL;
            m->ndims = ND;
            m->dims = dp_arena_calloc(kg.arena, ND, sizeof(dp_dimension));
            for (size_t j = 0; j < ND; j++) {
                dp_dimension *d = &m->dims[j];
                d->name = dp_arena_printf(kg.arena, "%s_%zu", words[(i * 7 + j) % NW], j % 5);
                d->expr = j % 3 ? d->name : dp_arena_printf(kg.arena, "col_%zu", (i + j) % 50);
                d->off.reason = (i + j) % 41 == 0 ? "off" : NULL;
            }
            m->nentities = 3;
            m->entities = dp_arena_calloc(kg.arena, 3, sizeof(dp_entity));
            for (size_t j = 0; j < 3; j++) {
                dp_entity *e = &m->entities[j];
                e->name = dp_arena_printf(kg.arena, "%s_key", words[(i + j * 5) % NW]);
                e->expr = e->name;
                e->type = j == 0 ? DP_ENT_PRIMARY : j == 1 ? DP_ENT_FOREIGN : (i % 2 ? DP_ENT_UNIQUE : DP_ENT_NATURAL);
            }
            m->nmeasures = 2;
            m->measures = dp_arena_calloc(kg.arena, 2, sizeof(dp_measure));
            for (size_t j = 0; j < 2; j++)
                m->measures[j].name = dp_arena_printf(kg.arena, "measure_%zu", (i * 2 + j) % (nmodels + 3));
        }
        if (mode) { /* appended in chunks of 37 models, drafted after each */
            size_t total = kg.nmodels;
            kg.draft = dp_kg_draft_new();
            assert_non_null(kg.draft);
            for (size_t at = 0; at < total;) {
                at = at + 37 < total ? at + 37 : total;
                kg.nmodels = at;
                dp_kg_draft_add(kg.draft, &kg);
            }
            if (mode == 2) { /* disabled after the draft: a problem says so */
                kg.models[1].off.reason = "disabled later";
                kg.nproblems = 1;
                kg.problems = dp_arena_calloc(kg.arena, 1, sizeof(dp_problem));
            }
        }
        assert_int_equal(dp_kg_index_build(&kg), 0);
        assert_null(kg.draft);
        /* every name asked, against a scan of the models in order */
        for (size_t w = 0; w < NW; w++)
            for (size_t k = 0; k < 6; k++) {
                char dim[64], col[64], ent[64];
                snprintf(dim, sizeof(dim), "%s_%zu", words[w], k % 5);
                snprintf(col, sizeof(col), "col_%zu", w * 3 + k);
                snprintf(ent, sizeof(ent), "%s_key", words[w]);
                const char *asks[] = {dim, col};
                for (size_t a = 0; a < 2; a++) {
                    size_t n;
                    const dp_model *const *v = dp_kg_models_with_dim(&kg, asks[a], &n);
                    size_t want = 0;
                    for (size_t i = 0; i < nmodels; i++) {
                        const dp_model *m = &kg.models[i];
                        int has = 0;
                        for (size_t j = 0; !m->off.reason && j < ND; j++)
                            has |= !m->dims[j].off.reason &&
                                   (!strcmp(m->dims[j].name, asks[a]) || !strcmp(m->dims[j].expr, asks[a]));
                        want += has;
                        assert_int_equal(lists_model(v, n, m), has);
                    }
                    assert_int_equal(n, want);
                    for (size_t i = 1; i < n; i++) /* in the models' order */
                        assert_true(v[i - 1] < v[i]);
                }
                size_t nw, nh;
                const dp_model *const *with = dp_kg_models_with_entity(&kg, ent, &nw);
                const dp_model *const *homes = dp_kg_entity_homes(&kg, ent, &nh);
                size_t want_w = 0, want_h = 0;
                for (size_t i = 0; i < nmodels; i++) {
                    const dp_model *m = &kg.models[i];
                    int has = 0, home = 0;
                    for (size_t j = 0; !m->off.reason && j < 3; j++)
                        if (!strcmp(m->entities[j].name, ent)) {
                            has = 1;
                            home |= m->entities[j].type == DP_ENT_PRIMARY || m->entities[j].type == DP_ENT_UNIQUE;
                        }
                    want_w += has;
                    want_h += home;
                    assert_int_equal(lists_model(with, nw, m), has);
                    assert_int_equal(lists_model(homes, nh, m), home);
                }
                assert_int_equal(nw, want_w);
                assert_int_equal(nh, want_h);
            }
        /* names: the first one wins, as a scan finds it */
        for (size_t i = 0; i < nmodels; i++) {
            assert_ptr_equal(dp_kg_model(&kg, kg.models[i].name), &kg.models[i]);
            for (size_t j = 0; j < 2; j++) {
                const dp_measure *first = NULL;
                for (size_t a = 0; !first && a < nmodels; a++)
                    for (size_t b = 0; !first && b < 2; b++)
                        if (!strcmp(kg.models[a].measures[b].name, kg.models[i].measures[j].name))
                            first = &kg.models[a].measures[b];
                assert_ptr_equal(dp_kg_measure(&kg, kg.models[i].measures[j].name), first);
            }
        }
        dp_arena_free(kg.arena);
    }
}

static void index_at_size_equals_scans(void **state)
{
    (void)state;
    index_checked(0);
    index_checked(1);
    index_checked(2);
}

/* ---- dp_featurizer ---- */

static int by_bucket(const void *a, const void *b)
{
    const dp_feat *x = a, *y = b;
    return x->h < y->h ? -1 : x->h > y->h;
}

/* The features of the texts fed to one document, sorted by bucket. */
static size_t doc(dp_featurizer *fz, dp_feat *out, const char *const *texts, size_t n)
{
    dp_featurizer_begin(fz);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(dp_featurizer_add(fz, texts[i]), 0);
    size_t k = dp_featurizer_end(fz, out);
    qsort(out, k, sizeof(*out), by_bucket);
    return k;
}

static void assert_same(const dp_feat *a, size_t na, const dp_feat *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].h, b[i].h);
        assert_true(fabsf(a[i].w - b[i].w) < 1e-6f);
    }
}

static void search_features(void **state)
{
    (void)state;
    dp_featurizer *fz = dp_featurizer_new();
    assert_non_null(fz);
    dp_feat a[DP_FEAT_MAX], b[DP_FEAT_MAX];

    /* texts of a document count as one text joined by spaces */
    const char *parts[] = {"Net Revenue", "per shipped order", NULL};
    const char *whole[] = {"net revenue per shipped order"};
    size_t na = doc(fz, a, parts, 2), nb = doc(fz, b, whole, 1);
    assert_true(na > 10);
    assert_same(a, na, b, nb);
    /* remembered words give what they gave the first time */
    nb = doc(fz, b, parts, 2);
    assert_same(a, na, b, nb);
    /* normalised */
    double sq = 0;
    for (size_t i = 0; i < na; i++)
        sq += (double)a[i].w * a[i].w;
    assert_true(fabs(sq - 1.0) < 1e-5);
    /* stopwords and punctuation carry nothing; NULL is nothing */
    const char *empty[] = {"the of and, (to)", ""};
    assert_int_equal(doc(fz, a, empty, 2), 0);
    /* an inner apostrophe is dropped, as the tokenizer does */
    const char *apo[] = {"customer's"}, *plain[] = {"customers"};
    na = doc(fz, a, apo, 1);
    nb = doc(fz, b, plain, 1);
    assert_same(a, na, b, nb);
    /* a word longer than any remembered one: its stem alone */
    char longword[120];
    memset(longword, 'q', sizeof(longword) - 1);
    longword[sizeof(longword) - 1] = 0;
    const char *lw[] = {longword};
    assert_int_equal(doc(fz, a, lw, 1), 1);
    /* the cap: 200 distinct five-letter words are 6 features each (a stem,
     * five trigrams); the document stops taking words within 16 of 512, so
     * after 83 of them */
    static char many[200 * 6 + 1], first[83 * 6 + 1];
    char *p = many;
    for (int i = 0; i < 200; i++) {
        p += sprintf(p, "%c%c%cxz ", 'a' + i % 26, 'a' + (i / 26) % 26, 'k');
        if (i == 82)
            memcpy(first, many, (size_t)(p - many));
    }
    const char *m1[] = {many}, *m2[] = {first};
    na = doc(fz, a, m1, 1);
    nb = doc(fz, b, m2, 1);
    assert_true(na <= DP_FEAT_MAX);
    assert_same(a, na, b, nb);
    dp_featurizer_free(fz);
}

/* ---- glossary terms through the lexicon's indexes ---- */

static const char *const models_yml =
    "semantic_models:\n"
    "  - name: parcels\n"
    "    model: ref('parcels')\n"
    "    entities:\n"
    "      - {name: parcel, type: primary, expr: parcel_id}\n"
    "    dimensions:\n"
    "      - {name: progress_label, type: categorical, expr: stage}\n"
    "      - {name: stage, type: categorical}\n"
    "    measures:\n"
    "      - {name: parcel_weight, agg: sum, expr: weight}\n"
    "  - name: scans\n"
    "    model: ref('scans')\n"
    "    entities:\n"
    "      - {name: scan, type: primary, expr: scan_id}\n"
    "      - {name: parcel, type: foreign, expr: parcel_id}\n"
    "    dimensions:\n"
    "      - {name: stage, type: categorical}\n"
    "      - {name: depot, type: categorical}\n"
    "    measures:\n"
    "      - {name: scan_count, agg: count, expr: scan_id}\n"
    "  - name: depots\n"
    "    model: ref('depots')\n"
    "    entities:\n"
    "      - {name: depot_key, type: primary, expr: depot}\n"
    "    dimensions:\n"
    "      - {name: depot, type: categorical}\n";

static const char *const glossary_yml = "version: 1\n"
                                        "terms:\n"
                                        "  - name: Handling Phase\n"
                                        "    definition: Where a parcel is in its journey.\n"
                                        "    synonyms: [transit step]\n"
                                        "    maps_to:\n"
                                        "      dimension: stage\n"
                                        "  - name: Consignment\n"
                                        "    definition: One parcel sent.\n"
                                        "    maps_to:\n"
                                        "      entity: parcel\n"
                                        "  - name: Hub\n"
                                        "    definition: A sorting depot.\n"
                                        "    maps_to:\n"
                                        "      column: scans.depot\n"
                                        "  - name: Final Leg\n"
                                        "    definition: Parcels out for delivery.\n"
                                        "    synonyms: [last mile]\n"
                                        "    maps_to: {value: out_for_delivery, column: scans.stage}\n";

/* The glossary entries of kind with text: for each, its model's name and,
 * for a dimension, the dimension's name, into names; returns how many names. */
static size_t glossary_entries(const dp_kg *kg, dp_lex_kind kind, const char *text, const char **models)
{
    size_t n = 0;
    for (size_t i = 0; i < dp_lexicon_size(kg->lex); i++) {
        const dp_lex_entry *e = dp_lexicon_entry(kg->lex, i);
        if (e->kind != kind || strcmp(e->source, "glossary") || strcmp(e->text, text))
            continue;
        models[n++] = e->model->name;
        if (kind == DP_LEX_DIM)
            models[n++] = e->dim->name;
    }
    return n;
}

static void glossary_terms(void **state)
{
    (void)state;
    char *dir = temp_dir();
    write_file(dir, "models.yml", models_yml);
    char gpath[512];
    snprintf(gpath, sizeof(gpath), "%s/glossary.yml", dir);
    write_file(dir, "glossary.yml", glossary_yml);
    char mpath[512];
    snprintf(mpath, sizeof(mpath), "%s/models.yml", dir);
    dp_kg *kg = NULL;
    dp_error err = {0};
    assert_int_equal(dp_kg_open_offline(&kg, mpath, gpath, &err), 0);
    const char *got[16];
    /* a dimension term: every model's first dimension named or computed
     * as stage (parcels: progress_label, whose expr is stage) */
    assert_int_equal(glossary_entries(kg, DP_LEX_DIM, "Handling Phase", got), 4);
    assert_string_equal(got[0], "parcels");
    assert_string_equal(got[1], "progress_label");
    assert_string_equal(got[2], "scans");
    assert_string_equal(got[3], "stage");
    assert_int_equal(glossary_entries(kg, DP_LEX_DIM, "transit step", got), 4);
    /* an entity term: only where the entity is the primary key */
    assert_int_equal(glossary_entries(kg, DP_LEX_ENTITY, "Consignment", got), 1);
    assert_string_equal(got[0], "parcels");
    /* a column term: that model's only */
    assert_int_equal(glossary_entries(kg, DP_LEX_DIM, "Hub", got), 2);
    assert_string_equal(got[0], "scans");
    assert_string_equal(got[1], "depot");
    /* a column term with a value: that value of it, no grouping */
    assert_int_equal(glossary_entries(kg, DP_LEX_DIM, "last mile", got), 0);
    size_t nv = 0;
    for (size_t i = 0; i < dp_lexicon_size(kg->lex); i++) {
        const dp_lex_entry *e = dp_lexicon_entry(kg->lex, i);
        if (e->kind == DP_LEX_VALUE && !strcmp(e->source, "glossary") && !strcmp(e->text, "last mile")) {
            assert_string_equal(e->model->name, "scans");
            assert_string_equal(e->dim->name, "stage");
            assert_string_equal(e->value, "out_for_delivery");
            nv++;
        }
    }
    assert_int_equal(nv, 1);
    dp_kg_free_offline(kg);
    /* a value with an entity or a metric, or a value that is a list, is refused */
    static const char *const bad[] = {
        "    maps_to: {entity: parcel, value: x}\n",
        "    maps_to: {column: scans.stage, value: [a, b]}\n",
        "    maps_to: {column: scans.stage, dimension: stage}\n",
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
        char text[512];
        snprintf(text, sizeof(text), "version: 1\nterms:\n  - name: T\n    definition: d.\n%s", bad[k]);
        write_file(dir, "glossary.yml", text);
        dp_error e2 = {0};
        kg = NULL;
        assert_int_not_equal(dp_kg_open_offline(&kg, mpath, gpath, &e2), 0);
        assert_non_null(strstr(e2.message, "maps_to"));
    }
    remove_dir(dir);
}

/* A model's column index finds what the search in order finds: any case,
 * the first of two names that differ only in case, nothing for names it
 * lacks, and names past ASCII compared byte for byte. */
static void column_index_as_search(void **state)
{
    (void)state;
    static const char *const names[] = {"id", "Amount", "amount", "event_date", "REGION", "caf\xc3\xa9", "x1",
                                        "x2", "x3",     "x4",     "x5",         "x6",     "x7",          "x8",
                                        "x9", "x10",    "Zeta",   "zeta_2",     "_u",     "a b"};
    enum { N = sizeof(names) / sizeof(*names) };
    dp_arena *a = dp_arena_new(0);
    dp_model m;
    memset(&m, 0, sizeof(m));
    m.columns = dp_arena_calloc(a, N, sizeof(dp_column));
    for (size_t i = 0; i < N; i++)
        m.columns[i].name = names[i];
    m.ncolumns = N;
    static const char *const asked[] = {"id",     "ID",          "amount",      "AMOUNT",      "Amount",  "event_DATE",
                                        "region", "caf\xc3\xa9", "CAF\xc3\xa9", "caf\xc3\x89", "x10",     "X9",
                                        "zeta",   "ZETA_2",      "_U",          "A B",         "missing", "",
                                        "x11",    "amoun"};
    const dp_column *want[sizeof(asked) / sizeof(*asked)];
    for (size_t i = 0; i < sizeof(asked) / sizeof(*asked); i++)
        want[i] = dp_kg_model_column(&m, asked[i]);
    assert_int_equal(dp_kg_index_columns(a, &m), 0);
    assert_non_null(m.colx);
    for (size_t i = 0; i < sizeof(asked) / sizeof(*asked); i++)
        if (dp_kg_model_column(&m, asked[i]) != want[i])
            fail_msg("'%s': the index finds %s, the search %s", asked[i],
                     dp_kg_model_column(&m, asked[i]) ? dp_kg_model_column(&m, asked[i])->name : "nothing",
                     want[i] ? want[i]->name : "nothing");
    assert_ptr_equal(dp_kg_model_column(&m, "AMOUNT"), &m.columns[1]); /* the first of the two */
    assert_null(dp_kg_model_column(&m, "missing"));
    /* a few columns: no index, the search in order */
    m.ncolumns = 4;
    assert_int_equal(dp_kg_index_columns(a, &m), 0);
    assert_null(m.colx);
    assert_null(dp_kg_model_column(&m, "region")); /* past the four */
    assert_ptr_equal(dp_kg_model_column(&m, "ID"), &m.columns[0]);
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_files_in_order),    cmocka_unit_test(yaml_files_worked_then_visited_in_order),
        cmocka_unit_test(search_features),        cmocka_unit_test(glossary_terms),
        cmocka_unit_test(column_index_as_search), cmocka_unit_test(index_at_size_equals_scans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Sparse vectors over hashed features, inverted index, cosine top-k. */
#include "kg/vindex.h"
#include "kg/features.h"
#include "kg/text.h"
#include "util/error.h"
#include "util/mem.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS DP_FEAT_BUCKETS

typedef struct posting {
    uint32_t doc;
    float w;
} posting;

typedef struct plist {
    posting *p;
    uint32_t n, cap;
} plist;

typedef struct vdoc {
    dp_vhit hit;
} vdoc;

struct dp_vindex {
    vdoc *docs;
    size_t ndocs, cap;
    plist *lists; /* NBUCKETS */
};

/* Ends the featurizer's document and indexes it as hit (no words: not
 * indexed). */
static int add_doc(dp_vindex *v, dp_featurizer *fz, dp_vhit hit)
{
    dp_feat f[DP_FEAT_MAX];
    size_t nf = dp_featurizer_end(fz, f);
    if (!nf)
        return 0;
    if (v->ndocs == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 256;
        vdoc *d = realloc(v->docs, nc * sizeof(*d));
        if (!d)
            return -1;
        v->docs = d;
        v->cap = nc;
    }
    uint32_t id = (uint32_t)v->ndocs;
    v->docs[v->ndocs++].hit = hit;
    for (size_t i = 0; i < nf; i++) {
        plist *pl = &v->lists[f[i].h];
        if (pl->n == pl->cap) {
            uint32_t nc = pl->cap ? pl->cap * 2 : 4;
            posting *p = realloc(pl->p, nc * sizeof(*p));
            if (!p)
                return -1;
            pl->p = p;
            pl->cap = nc;
        }
        pl->p[pl->n++] = (posting){id, f[i].w};
    }
    return 0;
}

/* The index's memory is malloc'd (large, grows by doubling); freed with the kg
 * through an arena-registered cleanup is not available, so it lives in the
 * arena's lifetime via a small trick: we copy final arrays into the arena. */
static int freeze(dp_arena *dst, dp_vindex *v)
{
    vdoc *docs = dp_arena_calloc(dst, v->ndocs ? v->ndocs : 1, sizeof(vdoc));
    if (!docs)
        return -1;
    if (v->ndocs)
        memcpy(docs, v->docs, v->ndocs * sizeof(vdoc));
    free(v->docs);
    v->docs = docs;
    for (size_t i = 0; i < NBUCKETS; i++) {
        plist *pl = &v->lists[i];
        if (!pl->n)
            continue;
        posting *p = dp_arena_calloc(dst, pl->n, sizeof(posting));
        if (!p)
            return -1;
        memcpy(p, pl->p, pl->n * sizeof(posting));
        free(pl->p);
        pl->p = p;
        pl->cap = pl->n;
    }
    plist *lists = dp_arena_calloc(dst, NBUCKETS, sizeof(plist));
    if (!lists)
        return -1;
    memcpy(lists, v->lists, NBUCKETS * sizeof(plist));
    free(v->lists);
    v->lists = lists;
    return 0;
}

/* Feeds fz s unless NULL (a space between texts is implied). */
static int feed(dp_featurizer *fz, const char *s)
{
    return s ? dp_featurizer_add(fz, s) : 0;
}

/* A metric: its name, label, description, and the glossary terms that mean
 * it (name, definition, synonyms, abbreviations). */
static int add_metric(dp_vindex *v, dp_featurizer *fz, const dp_metric *m, const dp_term *const *terms, size_t nterms)
{
    dp_featurizer_begin(fz);
    if (feed(fz, m->name) || feed(fz, m->label) || feed(fz, m->description))
        return -1;
    for (size_t t = 0; t < nterms; t++) {
        const dp_term *tm = terms[t];
        if (strcmp(tm->maps_to, m->name))
            continue;
        if (feed(fz, tm->name) || feed(fz, tm->definition))
            return -1;
        for (size_t s = 0; s < tm->nsynonyms; s++)
            if (feed(fz, tm->synonyms[s]))
                return -1;
        for (size_t s = 0; s < tm->nabbreviations; s++)
            if (feed(fz, tm->abbreviations[s]))
                return -1;
    }
    return add_doc(v, fz, (dp_vhit){DP_DOC_METRIC, m->name, m->label, NULL, m, 0});
}

/* A dataset (name, label, description, its measures' names and
 * descriptions), then each of its dimensions (name, label, description and
 * up to 20 frequent values). */
static int add_model(dp_vindex *v, dp_featurizer *fz, dp_arena *dst, const dp_model *m)
{
    dp_featurizer_begin(fz);
    if (feed(fz, m->name) || feed(fz, m->label) || feed(fz, m->description))
        return -1;
    for (size_t j = 0; j < m->nmeasures; j++)
        if (feed(fz, m->measures[j].name) || feed(fz, m->measures[j].description))
            return -1;
    if (add_doc(v, fz, (dp_vhit){DP_DOC_DATASET, m->name, m->label, m, NULL, 0}))
        return -1;
    for (size_t j = 0; j < m->ndims; j++) {
        const dp_dimension *d = &m->dims[j];
        dp_featurizer_begin(fz);
        if (feed(fz, d->name) || feed(fz, d->label) || feed(fz, d->description))
            return -1;
        if (d->column)
            for (size_t k = 0; k < d->column->prof.ntop && k < 20; k++)
                if (feed(fz, d->column->prof.top_values[k]))
                    return -1;
        const char *name = dp_arena_join(dst, m->name, '.', d->name);
        if (!name || add_doc(v, fz, (dp_vhit){DP_DOC_DIMENSION, name, d->label, m, NULL, 0}))
            return -1;
    }
    return 0;
}

int dp_vindex_build_into(const dp_kg *kg, dp_arena *dst, dp_vindex **out, dp_error *err)
{
    dp_vindex *v = dp_arena_alloc(dst, sizeof(*v));
    *out = NULL;
    dp_featurizer *fz = dp_featurizer_new();
    const dp_term **terms = calloc(kg->nterms ? kg->nterms : 1, sizeof(*terms));
    size_t nterms = 0;
    int rc = 0;
    if (!v || !fz || !terms || !(v->lists = dp_calloc_written(NBUCKETS, sizeof(plist)))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t t = 0; t < kg->nterms; t++)
        if (kg->terms[t].maps_kind && !strcmp(kg->terms[t].maps_kind, "metric"))
            terms[nterms++] = &kg->terms[t];
    for (size_t i = 0; i < kg->nmetrics && !rc; i++)
        rc = add_metric(v, fz, &kg->metrics[i], terms, nterms);
    for (size_t i = 0; i < kg->nmodels && !rc; i++)
        rc = add_model(v, fz, dst, &kg->models[i]);
    if (rc)
        rc = dp_error_set(err, DP_ENOMEM, "out of memory building the search index");
    else if (freeze(dst, v))
        rc = dp_error_set(err, DP_ENOMEM, "out of memory building the search index");
    else
        *out = v;
done:
    if (rc && v) {
        free(v->docs);
        if (v->lists)
            for (size_t i = 0; i < NBUCKETS; i++)
                free(v->lists[i].p);
        free(v->lists);
    }
    free(terms);
    dp_featurizer_free(fz);
    return rc;
}

size_t dp_vindex_search(const dp_kg *kg, const char *text, dp_vhit *out, size_t k, int mask)
{
    const dp_vindex *v = kg->vec;
    if (!v || !v->ndocs || !k)
        return 0;
    if (k > 64)
        k = 64;
    dp_featurizer *fz = dp_featurizer_new();
    float *score = dp_calloc_written(v->ndocs, sizeof(float));
    size_t cnt = 0;
    dp_feat f[DP_FEAT_MAX];
    size_t nf = 0;
    if (fz && score && text && !dp_featurizer_add(fz, text))
        nf = dp_featurizer_end(fz, f);
    for (size_t i = 0; i < nf; i++) {
        const plist *pl = &v->lists[f[i].h];
        for (uint32_t j = 0; j < pl->n; j++)
            score[pl->p[j].doc] += f[i].w * pl->p[j].w;
    }
    for (size_t d = 0; d < v->ndocs && nf; d++) {
        if (score[d] <= 0.05f || !(mask & (1 << v->docs[d].hit.kind)))
            continue;
        dp_vhit h = v->docs[d].hit;
        h.score = score[d];
        size_t pos = cnt < k ? cnt++ : k;
        if (pos == k && h.score <= out[k - 1].score)
            continue;
        if (pos == k)
            pos = k - 1;
        while (pos > 0 && out[pos - 1].score < h.score) {
            out[pos] = out[pos - 1];
            pos--;
        }
        out[pos] = h;
    }
    free(score);
    dp_featurizer_free(fz);
    return cnt;
}

int dp_vindex_build(dp_kg *kg, dp_error *err)
{
    return dp_vindex_build_into(kg, kg->arena, &kg->vec, err);
}

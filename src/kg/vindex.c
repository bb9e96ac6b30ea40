/* Sparse vectors over hashed features, inverted index, cosine top-k. */
#include "kg/vindex.h"
#include "kg/text.h"
#include "util/error.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS (1u << 18)
#define MAX_FEATS 512

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

typedef struct feat {
    uint32_t h;
    float w;
} feat;

static uint32_t fnv(const char *s, size_t n, uint32_t salt)
{
    uint32_t h = 2166136261u ^ salt;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (NBUCKETS - 1);
}

static int cmp_feat(const void *a, const void *b)
{
    const feat *x = a, *y = b;
    return x->h < y->h ? -1 : x->h > y->h;
}

/* Features of text: stems (1.0) and trigrams of " stem " (0.25), merged and
 * L2-normalised. */
static size_t features(const char *text, dp_stemmer *st, dp_arena *a, feat *out)
{
    dp_tok *t;
    size_t n, k = 0;
    if (!text || dp_tokenize(&t, &n, a, st, text))
        return 0;
    for (size_t i = 0; i < n && k + 16 < MAX_FEATS; i++) {
        if (t[i].punct || dp_is_stopword(t[i].low))
            continue;
        out[k++] = (feat){fnv(t[i].stem, strlen(t[i].stem), 1), 1.0f};
        char buf[80];
        size_t l = strlen(t[i].low);
        if (l > 60)
            continue;
        buf[0] = ' ';
        memcpy(buf + 1, t[i].low, l);
        buf[l + 1] = ' ';
        for (size_t j = 0; j + 3 <= l + 2 && k < MAX_FEATS; j++)
            out[k++] = (feat){fnv(buf + j, 3, 2), 0.25f};
    }
    if (!k)
        return 0;
    qsort(out, k, sizeof(*out), cmp_feat);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && out[m - 1].h == out[i].h)
            out[m - 1].w += out[i].w;
        else
            out[m++] = out[i];
    }
    double norm = 0;
    for (size_t i = 0; i < m; i++)
        norm += (double)out[i].w * out[i].w;
    norm = sqrt(norm);
    for (size_t i = 0; i < m; i++)
        out[i].w = (float)(out[i].w / norm);
    return m;
}

static int add_doc(dp_vindex *v, dp_arena *tmp, dp_stemmer *st, dp_vhit hit, const char *text)
{
    feat f[MAX_FEATS];
    size_t nf = features(text, st, tmp, f);
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

/* The scratch arena holds each document's text and tokens; once it has
 * grown, the documents already indexed let it go. */
static int renew(dp_arena **tmp)
{
    if (dp_arena_used(*tmp) < (64u << 20))
        return 0;
    dp_arena *fresh = dp_arena_new(1 << 20);
    if (!fresh)
        return -1;
    dp_arena_free(*tmp);
    *tmp = fresh;
    return 0;
}

int dp_vindex_build_into(const dp_kg *kg, dp_arena *dst, dp_vindex **out, dp_error *err)
{
    dp_vindex *v = dp_arena_alloc(dst, sizeof(*v));
    *out = NULL;
    dp_stemmer *st = dp_stemmer_new();
    dp_arena *tmp = dp_arena_new(1 << 20);
    int rc = 0;
    if (!v || !st || !tmp || !(v->lists = calloc(NBUCKETS, sizeof(plist)))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < kg->nmetrics && !rc; i++) {
        const dp_metric *m = &kg->metrics[i];
        const char *text = dp_arena_printf(tmp, "%s %s %s", m->name, m->label ? m->label : "", m->description ? m->description : "");
        for (size_t t = 0; t < kg->nterms; t++)
            if (kg->terms[t].maps_kind && !strcmp(kg->terms[t].maps_kind, "metric") && !strcmp(kg->terms[t].maps_to, m->name)) {
                text = dp_arena_printf(tmp, "%s %s %s", text, kg->terms[t].name, kg->terms[t].definition);
                for (size_t s = 0; s < kg->terms[t].nsynonyms; s++)
                    text = dp_arena_printf(tmp, "%s %s", text, kg->terms[t].synonyms[s]);
                for (size_t s = 0; s < kg->terms[t].nabbreviations; s++)
                    text = dp_arena_printf(tmp, "%s %s", text, kg->terms[t].abbreviations[s]);
            }
        dp_vhit h = {DP_DOC_METRIC, m->name, m->label, NULL, m, 0};
        rc = add_doc(v, tmp, st, h, text) || renew(&tmp);
    }
    for (size_t i = 0; i < kg->nmodels && !rc; i++) {
        const dp_model *m = &kg->models[i];
        const char *text = dp_arena_printf(tmp, "%s %s %s", m->name, m->label ? m->label : "", m->description ? m->description : "");
        for (size_t j = 0; j < m->nmeasures; j++)
            text = dp_arena_printf(tmp, "%s %s %s", text, m->measures[j].name,
                                   m->measures[j].description ? m->measures[j].description : "");
        dp_vhit h = {DP_DOC_DATASET, m->name, m->label, m, NULL, 0};
        rc = add_doc(v, tmp, st, h, text);
        for (size_t j = 0; j < m->ndims && !rc; j++) {
            const dp_dimension *d = &m->dims[j];
            const char *dt = dp_arena_printf(tmp, "%s %s %s", d->name, d->label ? d->label : "", d->description ? d->description : "");
            if (d->column)
                for (size_t k = 0; k < d->column->prof.ntop && k < 20; k++)
                    dt = dp_arena_printf(tmp, "%s %s", dt, d->column->prof.top_values[k]);
            dp_vhit dh = {DP_DOC_DIMENSION, dp_arena_printf(dst, "%s.%s", m->name, d->name), d->label, m, NULL, 0};
            rc = add_doc(v, tmp, st, dh, dt);
        }
        if (!rc)
            rc = renew(&tmp);
    }
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
    dp_stemmer_free(st);
    dp_arena_free(tmp);
    return rc;
}

size_t dp_vindex_search(const dp_kg *kg, const char *text, dp_vhit *out, size_t k, int mask)
{
    const dp_vindex *v = kg->vec;
    if (!v || !v->ndocs || !k)
        return 0;
    if (k > 64)
        k = 64;
    dp_arena *tmp = dp_arena_new(64 * 1024);
    dp_stemmer *st = dp_stemmer_new();
    float *score = calloc(v->ndocs, sizeof(float));
    size_t cnt = 0;
    feat f[MAX_FEATS];
    size_t nf = tmp && st && score ? features(text, st, tmp, f) : 0;
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
    dp_stemmer_free(st);
    dp_arena_free(tmp);
    return cnt;
}

int dp_vindex_build(dp_kg *kg, dp_error *err)
{
    return dp_vindex_build_into(kg, kg->arena, &kg->vec, err);
}

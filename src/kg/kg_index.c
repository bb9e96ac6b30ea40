/* Lookups over the knowledge graph: by name through a hash index built once
 * loading is over (10,000 models and 500,000 columns make scans quadratic),
 * by scans before that. */
#include "kg/kg.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct slot {
    const char *key;
    const void *val;
    uint64_t hash; /* of key: a probe compares it before the text */
} slot;

typedef struct table {
    slot *s;
    size_t cap;  /* power of two, at least twice the keys */
    size_t used; /* keys, in a counting table (which grows) */
} table;

typedef struct model_list {
    const dp_model **v;
    size_t n, cap;
    const dp_model *last; /* while building: the model listed last */
} model_list;

struct dp_kg_index {
    const dp_model *models; /* the arrays it was built over */
    size_t nmodels;
    const dp_metric *metrics;
    size_t nmetrics;
    table model, metric, measure;
    table home;        /* entity -> models where it is primary or unique */
    table with_entity; /* entity -> models that have it (any type) */
    table with_dim;    /* dimension name or expression -> models that have it */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= h >> 33; /* tables take the low bits: mix the high ones in */
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

static size_t table_cap(size_t n)
{
    size_t cap = 16;
    while (cap < n * 2) {
        if (cap > SIZE_MAX / (4 * sizeof(slot)))
            return 0;
        cap *= 2;
    }
    return cap;
}

/* A table for n keys in a, or (a NULL) malloc'd, for table_compact. */
static int table_init(table *t, dp_arena *a, size_t n)
{
    size_t cap = table_cap(n);
    t->s = !cap ? NULL : a ? dp_arena_calloc(a, cap, sizeof(slot)) : calloc(cap, sizeof(slot));
    t->cap = cap;
    t->used = 0;
    return t->s ? 0 : -1;
}

/* The slot of key: its own, or the empty one where it would go. */
static slot *table_slot_h(const table *t, const char *key, uint64_t h)
{
    size_t i = h & (t->cap - 1);
    while (t->s[i].key && (t->s[i].hash != h || strcmp(t->s[i].key, key)))
        i = (i + 1) & (t->cap - 1);
    return &t->s[i];
}

static slot *table_slot(const table *t, const char *key) { return table_slot_h(t, key, hash(key)); }

/* t (malloc'd, sized for an upper bound of its keys) moved into a table
 * in a sized for the keys it holds; 0, or -1 with t freed. */
static int table_compact(table *t, dp_arena *a)
{
    table old = *t;
    size_t n = 0;
    for (size_t i = 0; i < old.cap; i++)
        n += old.s[i].key != NULL;
    int rc = table_init(t, a, n);
    for (size_t i = 0; !rc && i < old.cap; i++)
        if (old.s[i].key)
            *table_slot_h(t, old.s[i].key, old.s[i].hash) = old.s[i];
    free(old.s);
    return rc;
}

/* A counting table (malloc'd) with room for one more key: doubled when
 * half full. It starts small: sized for every name that could be a key
 * (dimensions share names across models) it was tens of MB of slots,
 * touched at random. 0 or -1 (t unchanged). */
static int table_room(table *t)
{
    if ((t->used + 1) * 2 <= t->cap)
        return 0;
    table old = *t;
    if (old.cap > SIZE_MAX / (4 * sizeof(slot)) || !(t->s = calloc(old.cap * 2, sizeof(slot)))) {
        *t = old;
        return -1;
    }
    t->cap = old.cap * 2;
    for (size_t i = 0; i < old.cap; i++)
        if (old.s[i].key)
            *table_slot_h(t, old.s[i].key, old.s[i].hash) = old.s[i];
    free(old.s);
    return 0;
}

/* First one wins, as with a scan. */
static void table_put(table *t, const char *key, const void *val)
{
    uint64_t h = hash(key);
    slot *s = table_slot_h(t, key, h);
    if (!s->key) {
        *s = (slot){key, val, h};
        t->used++;
    }
}

static const void *table_get(const table *t, const char *key) { return t->s ? table_slot(t, key)->val : NULL; }

static const dp_kg_index *current(const dp_kg *kg)
{
    const dp_kg_index *x = kg->index;
    return x && x->models == kg->models && x->nmodels == kg->nmodels && x->metrics == kg->metrics &&
                   x->nmetrics == kg->nmetrics
               ? x
               : NULL;
}

/* Lists m under key, once (models come in order): a first pass counts
 * (fill 0), size_lists gives each list its exact room, a second pass
 * (fill 1) stores. */
static int list_model(table *t, dp_arena *a, const char *key, const dp_model *m, int fill)
{
    uint64_t kh = hash(key);
    if (!fill && table_room(t))
        return -1;
    slot *s = table_slot_h(t, key, kh);
    if (!s->key) {
        model_list *h = fill ? NULL : dp_arena_alloc(a, sizeof(*h));
        if (!h)
            return -1;
        *s = (slot){key, h, kh};
        t->used++;
    }
    model_list *h = (model_list *)s->val;
    if (h->last == m)
        return 0;
    h->last = m;
    if (!fill)
        h->cap++;
    else if (h->n < h->cap)
        h->v[h->n++] = m;
    return 0;
}

static int size_lists(table *t, dp_arena *a)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->s[i].key) {
            model_list *h = (model_list *)t->s[i].val;
            if (!(h->v = dp_arena_calloc(a, h->cap, sizeof(*h->v))))
                return -1;
            h->n = 0;
            h->last = NULL;
        }
    return 0;
}

/* Lists each model under its dimensions and entities. */
static int list_models(dp_kg_index *x, dp_arena *a, const dp_kg *kg, int fill)
{
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        if (m->off.reason)
            continue; /* disabled: no join or dimension home leads to it */
        for (size_t j = 0; j < m->ndims; j++) {
            const dp_dimension *d = &m->dims[j];
            if (d->off.reason)
                continue;
            if (list_model(&x->with_dim, a, d->name, m, fill) ||
                (d->expr && strcmp(d->expr, d->name) && list_model(&x->with_dim, a, d->expr, m, fill)))
                return -1;
        }
        for (size_t j = 0; j < m->nentities; j++) {
            const dp_entity *e = &m->entities[j];
            if (e->off.reason)
                continue;
            if (list_model(&x->with_entity, a, e->name, m, fill) ||
                ((e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE) && list_model(&x->home, a, e->name, m, fill)))
                return -1;
        }
    }
    return 0;
}

static const dp_model *const *models_of(const table *t, const char *key, size_t *n)
{
    static const dp_model *const none[1] = {NULL};
    const model_list *h = table_get(t, key);
    *n = h ? h->n : 0;
    return h ? h->v : none;
}

/* The counting tables (malloc'd) of an index that failed to build. */
static void free_counting(dp_kg_index *x)
{
    free(x->home.s);
    free(x->with_entity.s);
    free(x->with_dim.s);
}

/* The lists of models by dimension, entity and home: a first pass counts
 * into tables that grow, which then move into a at the size of the names
 * there are, and a second pass fills the lists. 0, or -1 (the counting
 * tables freed). */
static int build_lists(dp_kg_index *x, dp_arena *a, const dp_kg *kg)
{
    if (list_models(x, a, kg, 0)) {
        free_counting(x);
        return -1;
    }
    int bad = table_compact(&x->with_dim, a);
    bad |= table_compact(&x->with_entity, a);
    bad |= table_compact(&x->home, a);
    if (bad || size_lists(&x->with_dim, a) || size_lists(&x->with_entity, a) || size_lists(&x->home, a) ||
        list_models(x, a, kg, 1))
        return -1;
    return 0;
}

typedef struct lists_job {
    dp_kg_index *x;
    dp_arena *a; /* its own: the arena is not shared between threads */
    const dp_kg *kg;
    int rc;
} lists_job;

static void *lists_main(void *p)
{
    lists_job *j = p;
    j->rc = build_lists(j->x, j->a, j->kg);
    return NULL;
}

/* Elements past which the lists are built on a thread of their own while
 * this one fills the name tables (each is tens of ms at 10,000 models). */
#define LISTS_THREAD_ELEMENTS 20000

static int build_index(dp_kg *kg);

/* ---- the draft: the costly part of the index built while a loader
 * merges files (its calling thread waits on the file readers then), by
 * model number since the models array still moves ---- */

typedef struct draft_list {
    uint32_t *v; /* model numbers, in order, each once (malloc'd) */
    size_t n, cap;
} draft_list;

struct dp_kg_draft {
    table measure;                     /* malloc'd, grows; measures stay where they are */
    table home, with_entity, with_dim; /* malloc'd, grow; values: draft_list in a */
    dp_arena *a;
    size_t nmodels, nproblems; /* what it covers: models [0, nmodels), taken with nproblems problems */
    int bad;                   /* out of memory: not used */
};

dp_kg_draft *dp_kg_draft_new(void)
{
    dp_kg_draft *d = calloc(1, sizeof(*d));
    if (!d || !(d->a = dp_arena_new(64 * 1024)) || table_init(&d->measure, NULL, 64) ||
        table_init(&d->home, NULL, 64) || table_init(&d->with_entity, NULL, 64) || table_init(&d->with_dim, NULL, 64)) {
        dp_kg_draft_free(d);
        return NULL;
    }
    return d;
}

static void free_lists(table *t)
{
    for (size_t i = 0; t->s && i < t->cap; i++)
        if (t->s[i].key)
            free(((draft_list *)t->s[i].val)->v);
    free(t->s);
    t->s = NULL;
}

void dp_kg_draft_free(dp_kg_draft *d)
{
    if (!d)
        return;
    free(d->measure.s);
    free_lists(&d->home);
    free_lists(&d->with_entity);
    free_lists(&d->with_dim);
    dp_arena_free(d->a);
    free(d);
}

/* model number i under key, once */
static int draft_list_add(dp_kg_draft *d, table *t, const char *key, uint32_t i)
{
    uint64_t h = hash(key);
    if (table_room(t))
        return -1;
    slot *s = table_slot_h(t, key, h);
    if (!s->key) {
        draft_list *l = dp_arena_alloc(d->a, sizeof(*l));
        if (!l)
            return -1;
        *s = (slot){key, l, h};
        t->used++;
    }
    draft_list *l = (draft_list *)s->val;
    if (l->n && l->v[l->n - 1] == i)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        uint32_t *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = i;
    return 0;
}

void dp_kg_draft_add(dp_kg_draft *d, const dp_kg *kg)
{
    if (!d || d->bad)
        return;
    if (kg->nmodels > UINT32_MAX) {
        d->bad = 1;
        return;
    }
    for (size_t i = d->nmodels; i < kg->nmodels && !d->bad; i++) {
        const dp_model *m = &kg->models[i];
        for (size_t j = 0; j < m->nmeasures && !d->bad; j++) /* every model's, as the build puts them */
            if (!(d->bad = table_room(&d->measure)))
                table_put(&d->measure, m->measures[j].name, &m->measures[j]);
        if (m->off.reason)
            continue; /* as list_models */
        for (size_t j = 0; j < m->ndims && !d->bad; j++) {
            const dp_dimension *dm = &m->dims[j];
            if (dm->off.reason)
                continue;
            d->bad = draft_list_add(d, &d->with_dim, dm->name, (uint32_t)i) ||
                     (dm->expr && strcmp(dm->expr, dm->name) && draft_list_add(d, &d->with_dim, dm->expr, (uint32_t)i));
        }
        for (size_t j = 0; j < m->nentities && !d->bad; j++) {
            const dp_entity *e = &m->entities[j];
            if (e->off.reason)
                continue;
            d->bad = draft_list_add(d, &d->with_entity, e->name, (uint32_t)i) ||
                     ((e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE) &&
                      draft_list_add(d, &d->home, e->name, (uint32_t)i));
        }
    }
    d->nmodels = kg->nmodels;
    d->nproblems = kg->nproblems;
}

/* The draft's lists as the index's (in a, model numbers made pointers
 * into the final array); 0 or -1. The draft's table is emptied. */
static int lists_from_draft(table *out, table *draft, dp_arena *a, const dp_kg *kg)
{
    table t = *draft;
    size_t n = 0;
    for (size_t i = 0; i < t.cap; i++)
        n += t.s[i].key != NULL;
    if (table_init(out, a, n))
        return -1;
    int rc = 0;
    for (size_t i = 0; !rc && i < t.cap; i++) {
        if (!t.s[i].key)
            continue;
        const draft_list *dl = t.s[i].val;
        model_list *l = dp_arena_alloc(a, sizeof(*l));
        if (!l || !(l->v = dp_arena_alloc_uninit(a, dl->n * sizeof(*l->v)))) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < dl->n; k++)
            l->v[k] = &kg->models[dl->v[k]];
        l->n = l->cap = dl->n;
        *table_slot_h(out, t.s[i].key, t.s[i].hash) = (slot){t.s[i].key, l, t.s[i].hash};
    }
    return rc;
}

/* The index from the draft: the name tables of models and metrics made
 * now, the measures and lists taken from it. 0, or -1 (build anew). */
static int index_from_draft(dp_kg *kg, dp_kg_draft *d)
{
    dp_kg_index *x = dp_arena_alloc(kg->arena, sizeof(*x));
    if (!x || table_init(&x->model, kg->arena, kg->nmodels) || table_init(&x->metric, kg->arena, kg->nmetrics))
        return -1;
    kg->nscd = 0;
    for (size_t i = 0; i < kg->nmodels; i++) {
        table_put(&x->model, kg->models[i].name, &kg->models[i]);
        kg->nscd += dp_kg_model_validity(&kg->models[i], NULL, NULL) != 0;
    }
    for (size_t i = 0; i < kg->nmetrics; i++)
        table_put(&x->metric, kg->metrics[i].name, &kg->metrics[i]);
    table m = d->measure;
    if (table_compact(&m, kg->arena)) { /* frees the draft's table either way */
        d->measure.s = NULL;
        return -1;
    }
    d->measure.s = NULL;
    x->measure = m;
    if (lists_from_draft(&x->home, &d->home, kg->arena, kg) ||
        lists_from_draft(&x->with_entity, &d->with_entity, kg->arena, kg) ||
        lists_from_draft(&x->with_dim, &d->with_dim, kg->arena, kg))
        return -1;
    x->models = kg->models;
    x->nmodels = kg->nmodels;
    x->metrics = kg->metrics;
    x->nmetrics = kg->nmetrics;
    kg->index = x;
    return 0;
}

int dp_kg_index_build(dp_kg *kg)
{
    dp_kg_draft *d = kg->draft;
    kg->draft = NULL;
    /* the draft covers every model, and nothing was disabled since (a
     * disable always adds a problem) */
    int usable = d && !d->bad && d->nmodels == kg->nmodels && d->nproblems == kg->nproblems;
    int rc = usable ? index_from_draft(kg, d) : -1;
    dp_kg_draft_free(d);
    if (!rc)
        return 0;
    return build_index(kg);
}

static int build_index(dp_kg *kg)
{
    dp_kg_index *x =
        dp_arena_alloc(kg->arena, sizeof(*x)); /* zeroed: free_counting may run before every table is made */
    size_t nmeasures = 0, nelements = 0;
    if (!x)
        return DP_ENOMEM;
    kg->nscd = 0;
    for (size_t i = 0; i < kg->nmodels; i++) {
        nmeasures += kg->models[i].nmeasures;
        nelements += kg->models[i].nmeasures + kg->models[i].ndims + kg->models[i].nentities;
        kg->nscd += dp_kg_model_validity(&kg->models[i], NULL, NULL) != 0;
    }
    if (table_init(&x->model, kg->arena, kg->nmodels) || table_init(&x->metric, kg->arena, kg->nmetrics) ||
        table_init(&x->measure, kg->arena, nmeasures) || table_init(&x->home, NULL, 64) ||
        table_init(&x->with_entity, NULL, 64) || table_init(&x->with_dim, NULL, 64)) {
        free_counting(x);
        return DP_ENOMEM;
    }
    lists_job job = {x, NULL, kg, 0};
    pthread_t th;
    int threaded = nelements > LISTS_THREAD_ELEMENTS && (job.a = dp_arena_new(256 * 1024)) &&
                   pthread_create(&th, NULL, lists_main, &job) == 0;
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        table_put(&x->model, m->name, m);
        for (size_t j = 0; j < m->nmeasures; j++)
            table_put(&x->measure, m->measures[j].name, &m->measures[j]);
    }
    for (size_t i = 0; i < kg->nmetrics; i++)
        table_put(&x->metric, kg->metrics[i].name, &kg->metrics[i]);
    if (threaded)
        pthread_join(th, NULL);
    else
        job.rc = build_lists(x, kg->arena, kg);
    dp_arena_adopt(kg->arena, job.a); /* the lists live there */
    if (job.rc)
        return DP_ENOMEM;
    x->models = kg->models;
    x->nmodels = kg->nmodels;
    x->metrics = kg->metrics;
    x->nmetrics = kg->nmetrics;
    kg->index = x;
    return 0;
}

const dp_model *const *dp_kg_entity_homes(const dp_kg *kg, const char *entity, size_t *n)
{
    const dp_kg_index *x = current(kg);
    *n = 0;
    return x ? models_of(&x->home, entity, n) : NULL;
}

const dp_model *const *dp_kg_models_with_entity(const dp_kg *kg, const char *entity, size_t *n)
{
    const dp_kg_index *x = current(kg);
    *n = 0;
    return x ? models_of(&x->with_entity, entity, n) : NULL;
}

const dp_model *const *dp_kg_models_with_dim(const dp_kg *kg, const char *dim, size_t *n)
{
    const dp_kg_index *x = current(kg);
    *n = 0;
    return x ? models_of(&x->with_dim, dim, n) : NULL;
}

const dp_model *dp_kg_model(const dp_kg *kg, const char *name)
{
    const dp_kg_index *x = current(kg);
    if (x)
        return table_get(&x->model, name);
    for (size_t i = 0; i < kg->nmodels; i++)
        if (!strcmp(kg->models[i].name, name))
            return &kg->models[i];
    return NULL;
}

const dp_metric *dp_kg_metric(const dp_kg *kg, const char *name)
{
    const dp_kg_index *x = current(kg);
    if (x)
        return table_get(&x->metric, name);
    for (size_t i = 0; i < kg->nmetrics; i++)
        if (!strcmp(kg->metrics[i].name, name))
            return &kg->metrics[i];
    return NULL;
}

const dp_measure *dp_kg_measure(const dp_kg *kg, const char *name)
{
    const dp_kg_index *x = current(kg);
    if (x)
        return table_get(&x->measure, name);
    for (size_t i = 0; i < kg->nmodels; i++)
        for (size_t j = 0; j < kg->models[i].nmeasures; j++)
            if (!strcmp(kg->models[i].measures[j].name, name))
                return &kg->models[i].measures[j];
    return NULL;
}

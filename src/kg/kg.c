/* Lookups over the knowledge graph: by name through a hash index built once
 * loading is over (10,000 models and 500,000 columns make scans quadratic),
 * by scans before that. */
#include "kg/kg.h"
#include <stdint.h>
#include <string.h>
#include <strings.h>

typedef struct slot {
    const char *key;
    const void *val;
} slot;

typedef struct table {
    slot *s;
    size_t cap; /* power of two, at least twice the keys */
} table;

typedef struct homes {
    const dp_model **v;
    size_t n, cap;
} homes;

struct dp_kg_index {
    const dp_model *models; /* the arrays it was built over */
    size_t nmodels;
    const dp_metric *metrics;
    size_t nmetrics;
    table model, metric, measure, home;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int table_init(table *t, dp_arena *a, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2) {
        if (cap > SIZE_MAX / (4 * sizeof(slot)))
            return -1;
        cap *= 2;
    }
    t->s = dp_arena_calloc(a, cap, sizeof(slot));
    t->cap = cap;
    return t->s ? 0 : -1;
}

/* The slot of key: its own, or the empty one where it would go. */
static slot *table_slot(const table *t, const char *key)
{
    size_t i = hash(key) & (t->cap - 1);
    while (t->s[i].key && strcmp(t->s[i].key, key))
        i = (i + 1) & (t->cap - 1);
    return &t->s[i];
}

/* First one wins, as with a scan. */
static void table_put(table *t, const char *key, const void *val)
{
    slot *s = table_slot(t, key);
    if (!s->key)
        *s = (slot){key, val};
}

static const void *table_get(const table *t, const char *key)
{
    return t->s ? table_slot(t, key)->val : NULL;
}

static const dp_kg_index *current(const dp_kg *kg)
{
    const dp_kg_index *x = kg->index;
    return x && x->models == kg->models && x->nmodels == kg->nmodels && x->metrics == kg->metrics &&
                   x->nmetrics == kg->nmetrics
               ? x
               : NULL;
}

int dp_kg_index_build(dp_kg *kg)
{
    dp_kg_index *x = dp_arena_alloc(kg->arena, sizeof(*x));
    size_t nmeasures = 0, nentities = 0;
    if (!x)
        return DP_ENOMEM;
    for (size_t i = 0; i < kg->nmodels; i++) {
        nmeasures += kg->models[i].nmeasures;
        nentities += kg->models[i].nentities;
    }
    if (table_init(&x->model, kg->arena, kg->nmodels) || table_init(&x->metric, kg->arena, kg->nmetrics) ||
        table_init(&x->measure, kg->arena, nmeasures) || table_init(&x->home, kg->arena, nentities))
        return DP_ENOMEM;
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        table_put(&x->model, m->name, m);
        for (size_t j = 0; j < m->nmeasures; j++)
            table_put(&x->measure, m->measures[j].name, &m->measures[j]);
        for (size_t j = 0; j < m->nentities; j++) {
            const dp_entity *e = &m->entities[j];
            if (e->type != DP_ENT_PRIMARY && e->type != DP_ENT_UNIQUE)
                continue;
            slot *s = table_slot(&x->home, e->name);
            if (!s->key) {
                homes *h = dp_arena_alloc(kg->arena, sizeof(*h));
                if (!h)
                    return DP_ENOMEM;
                *s = (slot){e->name, h};
            }
            homes *h = (homes *)s->val;
            if ((!h->n || h->v[h->n - 1] != m) && DP_VEC_PUSH(kg->arena, h->v, h->n, h->cap, m))
                return DP_ENOMEM;
        }
    }
    for (size_t i = 0; i < kg->nmetrics; i++)
        table_put(&x->metric, kg->metrics[i].name, &kg->metrics[i]);
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
    if (!x)
        return NULL;
    static const dp_model *const none[1] = {NULL};
    const homes *h = table_get(&x->home, entity);
    if (!h)
        return none; /* indexed, and no model has it as a key */
    *n = h->n;
    return h->v;
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

const dp_dimension *dp_kg_model_dim(const dp_model *m, const char *name)
{
    for (size_t i = 0; i < m->ndims; i++)
        if (!strcmp(m->dims[i].name, name))
            return &m->dims[i];
    return NULL;
}

const dp_entity *dp_kg_model_entity(const dp_model *m, const char *name)
{
    for (size_t i = 0; i < m->nentities; i++)
        if (!strcmp(m->entities[i].name, name))
            return &m->entities[i];
    return NULL;
}

const dp_column *dp_kg_model_column(const dp_model *m, const char *name)
{
    for (size_t i = 0; i < m->ncolumns; i++)
        if (!strcasecmp(m->columns[i].name, name))
            return &m->columns[i];
    return NULL;
}

const dp_model *dp_kg_entity_home(const dp_kg *kg, const char *entity)
{
    size_t n;
    const dp_model *const *h = dp_kg_entity_homes(kg, entity, &n);
    if (h)
        return n ? h[0] : NULL;
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_entity *e = dp_kg_model_entity(&kg->models[i], entity);
        if (e && (e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE))
            return &kg->models[i];
    }
    return NULL;
}

const char *dp_agg_name(dp_agg a)
{
    static const char *n[] = {"sum", "count", "count_distinct", "sum_boolean", "average",
                              "min", "max", "median", "percentile"};
    return n[a];
}

const char *dp_metric_type_name(dp_metric_type t)
{
    static const char *n[] = {"simple", "ratio", "derived", "cumulative", "conversion"};
    return n[t];
}

const char *dp_grain_name(dp_grain g)
{
    static const char *n[] = {"none", "day", "week", "month", "quarter", "year"};
    return n[g];
}

int dp_grain_parse(const char *s, dp_grain *out)
{
    static const char *n[] = {"day", "week", "month", "quarter", "year"};
    for (int i = 0; i < 5; i++)
        if (!strcasecmp(s, n[i])) {
            *out = (dp_grain)(i + 1);
            return 0;
        }
    return -1;
}

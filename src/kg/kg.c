/* The knowledge graph's elements by name within a model, and its names of
 * aggregations, metric types and grains (the catalog-wide lookups by name
 * are kg_index.c's). */
#include "kg/kg.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t closure_add(const dp_metric **out, size_t n, size_t max, const dp_metric *x)
{
    if (!x || n >= max)
        return n;
    for (size_t i = 0; i < n; i++)
        if (out[i] == x)
            return n;
    out[n] = x;
    return n + 1;
}

size_t dp_kg_metric_closure(const dp_kg *kg, const dp_metric *m, const dp_metric **out, size_t max)
{
    size_t n = closure_add(out, 0, max, m);
    for (size_t i = 0; i < n; i++) { /* out grows behind i: breadth first */
        const dp_metric *x = out[i];
        if (x->type == DP_METRIC_RATIO) {
            n = closure_add(out, n, max, x->numerator.name ? dp_kg_metric(kg, x->numerator.name) : NULL);
            n = closure_add(out, n, max, x->denominator.name ? dp_kg_metric(kg, x->denominator.name) : NULL);
        } else if (x->type == DP_METRIC_DERIVED) {
            for (size_t k = 0; k < x->ninputs; k++)
                n = closure_add(out, n, max, x->inputs[k].name ? dp_kg_metric(kg, x->inputs[k].name) : NULL);
        }
    }
    return n;
}

const dp_dimension *dp_kg_model_dim(const dp_model *m, const char *name)
{
    for (size_t i = 0; i < m->ndims; i++)
        if (!m->dims[i].off.reason && !strcmp(m->dims[i].name, name))
            return &m->dims[i];
    return NULL;
}

const dp_entity *dp_kg_model_entity(const dp_model *m, const char *name)
{
    for (size_t i = 0; i < m->nentities; i++)
        if (!m->entities[i].off.reason && !strcmp(m->entities[i].name, name))
            return &m->entities[i];
    return NULL;
}

const char *dp_kg_flag_true(const dp_column *c)
{
    static const char *const ints[] = {"TINYINT",   "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                                       "USMALLINT", "UINTEGER", "UBIGINT", "INT",    NULL};
    if (!c || !c->type)
        return NULL;
    if (!strcasecmp(c->type, "BOOLEAN"))
        return "true";
    int integer = 0;
    for (int i = 0; ints[i] && !integer; i++)
        integer = !strcasecmp(c->type, ints[i]);
    if (integer && c->prof.done && c->prof.distinct <= 2 && c->prof.min && c->prof.max && !strcmp(c->prof.min, "0") &&
        !strcmp(c->prof.max, "1"))
        return "1";
    return NULL;
}

/* FNV-1a over the name in ASCII lower case (strcasecmp's folding in the
 * C and UTF-8 locales), mixed so that the low bits spread. */
static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

int dp_kg_index_columns(dp_arena *a, dp_model *m)
{
    m->colx = NULL;
    m->ncolx = 0;
    if (m->ncolumns < 8 || m->ncolumns >= UINT32_MAX / 4)
        return 0;
    size_t n = 16;
    while (n < m->ncolumns * 2)
        n *= 2;
    uint32_t *x = dp_arena_calloc(a, n, sizeof(*x));
    if (!x)
        return -1;
    for (size_t i = 0; i < m->ncolumns; i++) {
        size_t at = (size_t)name_hash(m->columns[i].name) & (n - 1);
        while (x[at] && strcasecmp(m->columns[x[at] - 1].name, m->columns[i].name))
            at = (at + 1) & (n - 1);
        if (!x[at]) /* a name seen before keeps its first column, as the search in order finds */
            x[at] = (uint32_t)i + 1;
    }
    m->colx = x;
    m->ncolx = n;
    return 0;
}

const dp_column *dp_kg_model_column(const dp_model *m, const char *name)
{
    if (m->colx) {
        for (size_t at = (size_t)name_hash(name) & (m->ncolx - 1); m->colx[at]; at = (at + 1) & (m->ncolx - 1))
            if (!strcasecmp(m->columns[m->colx[at] - 1].name, name))
                return &m->columns[m->colx[at] - 1];
        return NULL;
    }
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

int dp_kg_model_validity(const dp_model *m, const dp_dimension **start, const dp_dimension **end)
{
    const dp_dimension *st = NULL, *en = NULL;
    for (size_t i = 0; m && i < m->ndims; i++) {
        if (m->dims[i].validity == 1 && !st)
            st = &m->dims[i];
        else if (m->dims[i].validity == 2 && !en)
            en = &m->dims[i];
    }
    if (start)
        *start = st;
    if (end)
        *end = en;
    return st && en;
}

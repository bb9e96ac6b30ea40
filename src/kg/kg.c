/* Lookups over the knowledge graph. Linear scans are fine at catalog scale
 * for names (the lexicon serves text lookups). */
#include "kg/kg.h"
#include <string.h>
#include <strings.h>

const dp_model *dp_kg_model(const dp_kg *kg, const char *name)
{
    for (size_t i = 0; i < kg->nmodels; i++)
        if (!strcmp(kg->models[i].name, name))
            return &kg->models[i];
    return NULL;
}

const dp_metric *dp_kg_metric(const dp_kg *kg, const char *name)
{
    for (size_t i = 0; i < kg->nmetrics; i++)
        if (!strcmp(kg->metrics[i].name, name))
            return &kg->metrics[i];
    return NULL;
}

const dp_measure *dp_kg_measure(const dp_kg *kg, const char *name)
{
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

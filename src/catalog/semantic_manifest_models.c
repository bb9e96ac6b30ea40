/* The semantic_models of a dbt semantic manifest: node_relation, defaults,
 * entities, dimensions (validity_params) and measures (agg_params,
 * non_additive_dimension with window_groupings, create_metric). */
#include "catalog/semantic_manifest_int.h"
#include "util/error.h"
#include <string.h>
#include <strings.h>

/* An enum value by name (dbt writes them in lower case). */
static int pick(dp_sm *c, const json_t *o, const char *key, const char *path, const char *const *names, int n,
                const char *choices, int *out)
{
    const char *s;
    int rc = dp_sm__need_text(c, o, key, path, &s);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        if (!strcasecmp(s, names[i])) {
            *out = i;
            return 0;
        }
    return dp_sm__fail(c, path, key, "unknown %s '%s' (%s)", key, s, choices);
}

static int parse_entity(dp_sm *c, const json_t *o, const char *path, dp_entity *e)
{
    static const char *const types[] = {"primary", "unique", "foreign", "natural"};
    int rc, t = 0;
    if ((rc = dp_sm__need_text(c, o, "name", path, &e->name)) ||
        (rc = pick(c, o, "type", path, types, 4, "primary, unique, foreign, natural", &t)) ||
        (rc = dp_sm__text(c, o, "expr", path, &e->expr)) || (rc = dp_sm__text(c, o, "description", path, &e->description)) ||
        (rc = dp_sm__text(c, o, "label", path, &e->label)))
        return rc;
    e->type = (dp_entity_type)t;
    if (!e->expr)
        e->expr = e->name;
    e->pos = dp_sm__pos(c, o, path);
    return 0;
}

static int is_subday(const char *g)
{
    static const char *const sub[] = {"hour", "minute", "second", "millisecond", "microsecond", "nanosecond"};
    for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++)
        if (!strcasecmp(g, sub[i]))
            return 1;
    return 0;
}

static int parse_dimension(dp_sm *c, const json_t *o, const char *path, dp_dimension *d)
{
    static const char *const types[] = {"categorical", "time"};
    int rc, t = 0;
    json_t *tp, *vp;
    if ((rc = dp_sm__need_text(c, o, "name", path, &d->name)) ||
        (rc = pick(c, o, "type", path, types, 2, "categorical, time", &t)) ||
        (rc = dp_sm__text(c, o, "expr", path, &d->expr)) || (rc = dp_sm__text(c, o, "description", path, &d->description)) ||
        (rc = dp_sm__text(c, o, "label", path, &d->label)) || (rc = dp_sm__bool(c, o, "is_partition", path, &d->is_partition)) ||
        (rc = dp_sm__field(c, o, "type_params", path, JSON_OBJECT, &tp)))
        return rc;
    d->type = (dp_dim_type)t;
    if (!d->expr)
        d->expr = d->name;
    /* as the YAML loader: day unless a coarser grain is given; finer grains
     * are read as day */
    d->granularity = DP_GRAIN_DAY;
    if (tp) {
        const char *tpp = dp_sm__sub(c, path, "type_params"), *g;
        if ((rc = dp_sm__text(c, tp, "time_granularity", tpp, &g)) ||
            (rc = dp_sm__field(c, tp, "validity_params", tpp, JSON_OBJECT, &vp)))
            return rc;
        if (g && dp_grain_parse(g, &d->granularity) && !is_subday(g))
            return dp_sm__fail(c, tpp, "time_granularity", "unknown time_granularity '%s'", g);
        if (vp) {
            const char *vpp = dp_sm__sub(c, tpp, "validity_params");
            int start, end;
            if ((rc = dp_sm__bool(c, vp, "is_start", vpp, &start)) || (rc = dp_sm__bool(c, vp, "is_end", vpp, &end)))
                return rc;
            if (start && end)
                return dp_sm__fail(c, vpp, NULL, "is_start and is_end are both true");
            d->validity = start ? 1 : end ? 2 : 0;
        }
    }
    d->pos = dp_sm__pos(c, o, path);
    return 0;
}

/* agg, agg_params, agg_time_dimension and non_additive_dimension, read the
 * same from a measure and from a metric's metric_aggregation_params. */
int dp_sm__measure_params(dp_sm *c, const json_t *o, const char *path, dp_measure *m)
{
    static const char *const aggs[] = {"sum", "count", "count_distinct", "sum_boolean", "average",
                                       "min", "max", "median", "percentile"};
    int rc, a = 0;
    json_t *ap, *na;
    if ((rc = pick(c, o, "agg", path, aggs, 9,
                   "sum, count, count_distinct, sum_boolean, average, min, max, median, percentile", &a)) ||
        (rc = dp_sm__text(c, o, "agg_time_dimension", path, &m->agg_time_dimension)) ||
        (rc = dp_sm__field(c, o, "agg_params", path, JSON_OBJECT, &ap)) ||
        (rc = dp_sm__field(c, o, "non_additive_dimension", path, JSON_OBJECT, &na)))
        return rc;
    m->agg = (dp_agg)a;
    if (m->agg == DP_AGG_MEDIAN)
        m->percentile = 0.5;
    json_t *p = NULL;
    if (ap) {
        const char *app = dp_sm__sub(c, path, "agg_params");
        if ((rc = dp_sm__field(c, ap, "percentile", app, JSON_REAL, &p)) ||
            (rc = dp_sm__bool(c, ap, "use_discrete_percentile", app, &m->use_discrete_percentile)))
            return rc;
        if (p) {
            m->percentile = json_number_value(p);
            if (!(m->percentile >= 0 && m->percentile <= 1))
                return dp_sm__fail(c, app, "percentile", "must be a number in [0, 1]");
        }
    }
    if (m->agg == DP_AGG_PERCENTILE && !p)
        return dp_sm__fail(c, path, NULL, "agg percentile needs agg_params.percentile");
    if (na) {
        const char *nap = dp_sm__sub(c, path, "non_additive_dimension"), *wc;
        if ((rc = dp_sm__need_text(c, na, "name", nap, &m->non_additive_dim)) ||
            (rc = dp_sm__text(c, na, "window_choice", nap, &wc)) ||
            (rc = dp_sm__names(c, na, "window_groupings", nap, &m->window_groupings, &m->nwindow_groupings)))
            return rc;
        /* dbt-semantic-interfaces' default window_choice is min */
        if (wc && strcasecmp(wc, "min") && strcasecmp(wc, "max"))
            return dp_sm__fail(c, nap, "window_choice", "must be min or max, not '%s'", wc);
        m->non_additive_max = wc && !strcasecmp(wc, "max");
    }
    return 0;
}

static int parse_measure(dp_sm *c, const json_t *o, const char *path, dp_measure *m)
{
    int rc;
    if ((rc = dp_sm__need_text(c, o, "name", path, &m->name)) || (rc = dp_sm__measure_params(c, o, path, m)) ||
        (rc = dp_sm__text(c, o, "expr", path, &m->expr)) || (rc = dp_sm__text(c, o, "description", path, &m->description)) ||
        (rc = dp_sm__text(c, o, "label", path, &m->label)) || (rc = dp_sm__bool(c, o, "create_metric", path, &m->create_metric)))
        return rc;
    if (!m->expr)
        m->expr = m->name;
    m->pos = dp_sm__pos(c, o, path);
    return 0;
}

typedef int (*parse_fn)(dp_sm *, const json_t *, const char *, void *);
static int ent_fn(dp_sm *c, const json_t *o, const char *p, void *x) { return parse_entity(c, o, p, x); }
static int dim_fn(dp_sm *c, const json_t *o, const char *p, void *x) { return parse_dimension(c, o, p, x); }
static int mea_fn(dp_sm *c, const json_t *o, const char *p, void *x) { return parse_measure(c, o, p, x); }

static int parse_items(dp_sm *c, const json_t *o, const char *key, const char *path, void **items, size_t *n,
                       size_t sz, parse_fn fn)
{
    json_t *a;
    int rc = dp_sm__list(c, o, key, path, &a);
    if (rc || !a || !json_array_size(a))
        return rc;
    if (!(*items = dp_arena_calloc(c->kg->arena, json_array_size(a), sz)))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *ip = dp_sm__item(c, path, key, i);
        json_t *it = json_array_get(a, i);
        if (!json_is_object(it))
            return dp_sm__fail(c, ip, NULL, "must be an object");
        if ((rc = fn(c, it, ip, (char *)*items + i * sz)))
            return rc;
    }
    *n = json_array_size(a);
    return 0;
}

static int parse_model(dp_sm *c, const json_t *o, const char *path)
{
    dp_model m = {0};
    json_t *nr, *defaults;
    int rc;
    if ((rc = dp_sm__need_text(c, o, "name", path, &m.name)) ||
        (rc = dp_sm__field(c, o, "node_relation", path, JSON_OBJECT, &nr)))
        return rc;
    if (!nr)
        return dp_sm__fail(c, path, "node_relation", "is missing (semantic model '%s')", m.name);
    const char *nrp = dp_sm__sub(c, path, "node_relation");
    if ((rc = dp_sm__need_text(c, nr, "alias", nrp, &m.rel_alias)) ||
        (rc = dp_sm__need_text(c, nr, "schema_name", nrp, &m.rel_schema)) ||
        (rc = dp_sm__text(c, nr, "database", nrp, &m.rel_database)))
        return rc;
    /* the relation's name stands for the dbt model name ref() would give */
    m.ref = m.rel_alias;
    if ((rc = dp_sm__text(c, o, "description", path, &m.description)) || (rc = dp_sm__text(c, o, "label", path, &m.label)) ||
        (rc = dp_sm__text(c, o, "primary_entity", path, &m.primary_entity)) ||
        (rc = dp_sm__field(c, o, "defaults", path, JSON_OBJECT, &defaults)))
        return rc;
    if (defaults && (rc = dp_sm__text(c, defaults, "agg_time_dimension", dp_sm__sub(c, path, "defaults"), &m.default_time_dim)))
        return rc;
    if ((rc = parse_items(c, o, "entities", path, (void **)&m.entities, &m.nentities, sizeof(dp_entity), ent_fn)) ||
        (rc = parse_items(c, o, "dimensions", path, (void **)&m.dims, &m.ndims, sizeof(dp_dimension), dim_fn)) ||
        (rc = parse_items(c, o, "measures", path, (void **)&m.measures, &m.nmeasures, sizeof(dp_measure), mea_fn)))
        return rc;
    m.pos = dp_sm__pos(c, o, path);
    if (DP_VEC_PUSH(c->kg->arena, c->kg->models, c->kg->nmodels, c->kg->models_cap, m))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_sm__load_models(dp_sm *c, const json_t *root)
{
    json_t *a;
    int rc = dp_sm__list(c, root, "semantic_models", "", &a);
    for (size_t i = 0; !rc && a && i < json_array_size(a); i++) {
        const char *p = dp_sm__item(c, "", "semantic_models", i);
        json_t *o = json_array_get(a, i);
        rc = json_is_object(o) ? parse_model(c, o, p) : dp_sm__fail(c, p, NULL, "must be an object");
    }
    return rc;
}

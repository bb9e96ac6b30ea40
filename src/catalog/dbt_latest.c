/* dbt's latest Semantic Layer YAML spec (dbt Core 1.12, Fusion): semantic
 * models declared on `models:` entries (entities and dimensions on columns,
 * derived_semantics, simple metrics with agg in place of measures) and
 * metrics whose parameters are keys of the metric instead of type_params.
 * Both land in the same graph as the legacy spec (dbt_load.c). */
#include "catalog/dbt_int.h"
#include "catalog/problems.h"
#include "util/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct lctx {
    dp_kg *kg;
    const char *file; /* graph's copy; NULL: the node's own */
    dp_error *err;
} lctx;

#define LPOS(n) ((dp_src_pos){c->file ? c->file : (n)->file, (n)->line, (n)->col})

static int fail(lctx *c, const dp_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(lctx *c, const dp_node *n, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dp_error_set(c->err, DP_EINVALID, "%s:%d:%d: %s", c->file ? c->file : n->file, n->line, n->col, msg);
}

static const char *sdup(lctx *c, const dp_node *map, const char *key)
{
    const char *s = dp_node_str(map, key);
    return s ? dp_arena_strdup(c->kg->arena, s) : NULL;
}

static int is_true(const char *s) { return s && (!strcasecmp(s, "true") || !strcasecmp(s, "yes")); }
static int is_false(const char *s) { return s && (!strcasecmp(s, "false") || !strcasecmp(s, "no")); }

/* config: {enabled: false} switches an element off, as dbt does. */
int dp_dbt__disabled(const dp_node *n)
{
    const dp_node *cfg = dp_node_get(n, "config");
    return cfg && is_false(dp_node_str(cfg, "enabled"));
}

static int entity_type(const char *s, dp_entity_type *out)
{
    static const struct { const char *name; dp_entity_type t; } types[] = {
        {"primary", DP_ENT_PRIMARY}, {"unique", DP_ENT_UNIQUE}, {"foreign", DP_ENT_FOREIGN}, {"natural", DP_ENT_NATURAL}};
    for (size_t i = 0; s && i < sizeof(types) / sizeof(*types); i++)
        if (!strcasecmp(s, types[i].name)) {
            *out = types[i].t;
            return 0;
        }
    return -1;
}

/* An entity on a column (`entity: primary` or `entity: {type, name, ...}`)
 * or in derived_semantics ({name, expr, type}). */
static int read_entity(lctx *c, const dp_node *n, const char *column, const char *col_desc, dp_entity *e)
{
    const char *type = n->kind == DP_NODE_SCALAR ? n->value : dp_node_str(n, "type");
    if (entity_type(type, &e->type))
        return fail(c, n, "entity of column '%s': unknown or missing type '%s' (primary, unique, foreign, natural)",
                    column ? column : "?", type ? type : "");
    e->name = n->kind == DP_NODE_MAP ? sdup(c, n, "name") : NULL;
    e->expr = column ? dp_arena_strdup(c->kg->arena, column) : (n->kind == DP_NODE_MAP ? sdup(c, n, "expr") : NULL);
    if (!e->name)
        e->name = e->expr;
    if (!e->name || !e->expr)
        return fail(c, n, "a derived entity needs name and expr");
    if (n->kind == DP_NODE_MAP) {
        e->description = sdup(c, n, "description");
        e->label = sdup(c, n, "label");
    }
    if (!e->description && col_desc)
        e->description = dp_arena_strdup(c->kg->arena, col_desc);
    e->pos = LPOS(n);
    return 0;
}

static int read_grain(lctx *c, const dp_node *at, const char *g, dp_dimension *d)
{
    d->granularity = DP_GRAIN_DAY;
    if (!g || !dp_grain_parse(g, &d->granularity))
        return 0;
    /* finer than a day: grouped by day at the least, as the legacy loader does */
    static const char *fine[] = {"hour", "minute", "second", "millisecond", "microsecond", "nanosecond"};
    for (size_t i = 0; i < sizeof(fine) / sizeof(*fine); i++)
        if (!strcasecmp(g, fine[i]))
            return 0;
    return fail(c, at, "dimension '%s': unknown granularity '%s'", d->name, g);
}

/* A dimension on a column (`dimension: time` or `dimension: {type, name,
 * ...}`, the grain in the column's `granularity`) or in derived_semantics
 * ({name, expr, type, granularity}). */
static int read_dimension(lctx *c, const dp_node *n, const dp_node *col, dp_dimension *d)
{
    const char *column = col ? dp_node_str(col, "name") : NULL;
    const char *type = n->kind == DP_NODE_SCALAR ? n->value : dp_node_str(n, "type");
    if (type && !strcasecmp(type, "categorical"))
        d->type = DP_DIM_CATEGORICAL;
    else if (type && !strcasecmp(type, "time"))
        d->type = DP_DIM_TIME;
    else
        return fail(c, n, "dimension of '%s': unknown or missing type '%s' (categorical, time)",
                    column ? column : "?", type ? type : "");
    const dp_node *m = n->kind == DP_NODE_MAP ? n : NULL;
    d->name = m ? sdup(c, m, "name") : NULL;
    d->expr = column ? dp_arena_strdup(c->kg->arena, column) : (m ? sdup(c, m, "expr") : NULL);
    if (!d->name)
        d->name = d->expr;
    if (!d->name || !d->expr)
        return fail(c, n, "a derived dimension needs name and expr");
    if (m) {
        d->description = sdup(c, m, "description");
        d->label = sdup(c, m, "label");
        d->is_partition = is_true(dp_node_str(m, "is_partition"));
        const dp_node *vp = dp_node_get(m, "validity_params");
        if (vp)
            d->validity = is_true(dp_node_str(vp, "is_start")) ? 1 : is_true(dp_node_str(vp, "is_end")) ? 2 : 0;
    }
    if (!d->description && col)
        d->description = sdup(c, col, "description");
    /* the grain on the column (dbt's form), or in the dimension block */
    const dp_node *gn = col ? dp_node_get(col, "granularity") : NULL;
    if (!gn && m)
        gn = dp_node_get(m, "granularity");
    int rc = read_grain(c, gn ? gn : n, gn && gn->kind == DP_NODE_SCALAR ? gn->value : NULL, d);
    d->pos = LPOS(n);
    return rc;
}

/* A simple metric's measure: the metric's agg over its expr, named as the
 * metric (dbt writes a measure of the same name into the manifest). */
static int read_measure(lctx *c, const dp_node *n, const char *name, const char *model_time, dp_measure *me)
{
    me->name = name;
    const char *agg = dp_node_str(n, "agg");
    if (!agg)
        agg = "sum"; /* dbt's own default when agg is left out */
    if (dp_dbt__parse_agg(agg, &me->agg))
        return fail(c, n, "metric '%s': unknown agg '%s' (sum, count, count_distinct, sum_boolean, average, min, max, median, percentile)",
                    name, agg);
    me->expr = sdup(c, n, "expr");
    if (!me->expr)
        me->expr = name;
    me->description = sdup(c, n, "description");
    me->label = sdup(c, n, "label");
    me->agg_time_dimension = sdup(c, n, "agg_time_dimension");
    if (!me->agg_time_dimension && model_time)
        me->agg_time_dimension = model_time;
    if (me->agg == DP_AGG_MEDIAN)
        me->percentile = 0.5;
    const char *p = dp_node_str(n, "percentile");
    if (p) {
        char *end;
        double v = strtod(p, &end);
        if (*end || end == p || !(v >= 0 && v <= 100))
            return fail(c, n, "metric '%s': percentile must be a number in [0, 1] or [0, 100]", name);
        me->percentile = v > 1 ? v / 100 : v; /* dbt's examples write 95.0 */
    } else if (me->agg == DP_AGG_PERCENTILE) {
        return fail(c, n, "metric '%s': agg percentile needs percentile", name);
    }
    const char *pt = dp_node_str(n, "percentile_type");
    me->use_discrete_percentile = pt && !strcasecmp(pt, "discrete");
    const dp_node *na = dp_node_get(n, "non_additive_dimension");
    if (na && na->kind == DP_NODE_MAP) {
        me->non_additive_dim = sdup(c, na, "name");
        const char *wa = dp_node_str(na, "window_agg");
        if (!wa)
            wa = dp_node_str(na, "window_choice");
        me->non_additive_max = !wa || !strcasecmp(wa, "max");
        const dp_node *gb = dp_node_get(na, "group_by");
        if (!gb)
            gb = dp_node_get(na, "window_groupings");
        if (gb && gb->kind == DP_NODE_SEQ && gb->n) {
            me->window_groupings = dp_arena_calloc(c->kg->arena, gb->n, sizeof(*me->window_groupings));
            if (!me->window_groupings)
                return dp_error_set(c->err, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < gb->n; i++)
                if (gb->items[i]->kind == DP_NODE_SCALAR)
                    me->window_groupings[me->nwindow_groupings++] = dp_arena_strdup(c->kg->arena, gb->items[i]->value);
        }
        if (!me->non_additive_dim)
            return fail(c, na, "metric '%s': non_additive_dimension needs a name", name);
    }
    me->pos = LPOS(n);
    return 0;
}

static int read_input(lctx *c, const dp_node *n, dp_metric_input *in, const char *what)
{
    return dp_dbt__parse_input(c->kg, c->file, n, in, what, c->err);
}

static const char *metric_types[] = {"simple", "ratio", "derived", "cumulative", "conversion"};

/* The parameters of a metric written as its own keys; a simple metric (with
 * agg) needs the model it is declared on (me is its measure). */
static int read_metric(lctx *c, const dp_node *n, dp_model *model, dp_measure *me, dp_metric *m)
{
    int rc;
    m->name = sdup(c, n, "name");
    if (!m->name)
        return fail(c, n, "a metric has no name");
    const char *type = dp_node_str(n, "type");
    int t = -1;
    for (int i = 0; type && i < 5; i++)
        if (!strcasecmp(type, metric_types[i]))
            t = i;
    if (!type && dp_node_get(n, "agg"))
        t = DP_METRIC_SIMPLE;
    if (t < 0)
        return fail(c, n, "metric '%s': unknown or missing type '%s' (simple, ratio, derived, cumulative, conversion)", m->name,
                    type ? type : "");
    m->type = (dp_metric_type)t;
    m->label = sdup(c, n, "label");
    m->description = sdup(c, n, "description");
    m->filter = dp_dbt__filter_text(c->kg, c->file, dp_node_get(n, "filter"));
    m->pos = LPOS(n);
    m->inputs_are_metrics = 1;
    switch (m->type) {
    case DP_METRIC_SIMPLE:
        if (!model || !me)
            return fail(c, n, "simple metric '%s' must be declared under the metrics of a model with a semantic_model", m->name);
        if ((rc = read_measure(c, n, m->name, model->default_time_dim, me)))
            return rc;
        m->inputs_are_metrics = 0;
        m->measure.name = m->name;
        m->measure.join_to_timespine = is_true(dp_node_str(n, "join_to_timespine"));
        if (dp_node_str(n, "fill_nulls_with")) {
            m->measure.fill_nulls_with_set = 1;
            m->measure.fill_nulls_with = strtol(dp_node_str(n, "fill_nulls_with"), NULL, 10);
        }
        break;
    case DP_METRIC_CUMULATIVE: {
        if ((rc = read_input(c, dp_node_get(n, "input_metric"), &m->measure, "input_metric")))
            return rc;
        if (!m->measure.name)
            return fail(c, n, "cumulative metric '%s' needs input_metric", m->name);
        m->window = sdup(c, n, "window");
        m->grain_to_date = sdup(c, n, "grain_to_date");
        m->period_agg = sdup(c, n, "period_agg");
        break;
    }
    case DP_METRIC_RATIO:
        if ((rc = read_input(c, dp_node_get(n, "numerator"), &m->numerator, "numerator")) ||
            (rc = read_input(c, dp_node_get(n, "denominator"), &m->denominator, "denominator")))
            return rc;
        if (!m->numerator.name || !m->denominator.name)
            return fail(c, n, "ratio metric '%s' needs numerator and denominator", m->name);
        m->inputs_are_metrics = 0; /* ratio inputs are metrics in both specs */
        break;
    case DP_METRIC_DERIVED: {
        m->expr = sdup(c, n, "expr");
        const dp_node *ms = dp_node_get(n, "input_metrics");
        if (!ms)
            ms = dp_node_get(n, "metrics");
        if (!m->expr || !ms || ms->kind != DP_NODE_SEQ || !ms->n)
            return fail(c, n, "derived metric '%s' needs expr and input_metrics", m->name);
        m->inputs = dp_arena_calloc(c->kg->arena, ms->n, sizeof(*m->inputs));
        if (!m->inputs)
            return dp_error_set(c->err, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < ms->n; i++) {
            if ((rc = read_input(c, ms->items[i], &m->inputs[i], "input metric")))
                return rc;
            if (!m->inputs[i].name)
                return fail(c, ms->items[i], "derived metric '%s': input metric %zu has no name", m->name, i + 1);
        }
        m->ninputs = ms->n;
        m->inputs_are_metrics = 0;
        break;
    }
    case DP_METRIC_CONVERSION: {
        if ((rc = read_input(c, dp_node_get(n, "base_metric"), &m->base_measure, "base_metric")) ||
            (rc = read_input(c, dp_node_get(n, "conversion_metric"), &m->conversion_measure, "conversion_metric")))
            return rc;
        m->entity = sdup(c, n, "entity");
        m->calculation = sdup(c, n, "calculation");
        m->conv_window = sdup(c, n, "window");
        if (!m->base_measure.name || !m->conversion_measure.name || !m->entity)
            return fail(c, n, "conversion metric '%s' needs base_metric, conversion_metric and entity", m->name);
        const dp_node *cp = dp_node_get(n, "constant_properties");
        if (cp && cp->kind == DP_NODE_SEQ && cp->n) {
            m->const_props = dp_arena_calloc(c->kg->arena, cp->n, sizeof(*m->const_props));
            if (!m->const_props)
                return dp_error_set(c->err, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < cp->n; i++) {
                dp_const_prop *p = &m->const_props[m->nconst_props];
                p->base_property = sdup(c, cp->items[i], "base_property");
                p->conversion_property = sdup(c, cp->items[i], "conversion_property");
                if (!p->base_property || !p->conversion_property)
                    return fail(c, cp->items[i], "conversion metric '%s': a constant property needs base_property and conversion_property",
                                m->name);
                m->nconst_props++;
            }
        }
        break;
    }
    }
    return 0;
}

int dp_dbt_latest_is_metric(const dp_node *n)
{
    if (!n || n->kind != DP_NODE_MAP || dp_node_get(n, "type_params"))
        return 0;
    static const char *keys[] = {"agg", "input_metric", "input_metrics", "numerator", "base_metric", "expr"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
        if (dp_node_get(n, keys[i]))
            return 1;
    return 0;
}

static int push_metric(lctx *c, const dp_metric *m)
{
    if (DP_VEC_PUSH(c->kg->arena, c->kg->metrics, c->kg->nmetrics, c->kg->metrics_cap, *m))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_dbt_latest_metric(dp_kg *kg, const char *file, const dp_node *n, dp_error *err)
{
    lctx cc = {kg, file, err}, *c = &cc;
    if (dp_dbt__disabled(n))
        return 0;
    dp_metric m = {0};
    int rc = read_metric(c, n, NULL, NULL, &m);
    return rc ? rc : push_metric(c, &m);
}

/* `semantic_model: true`, or a mapping whose enabled is not false. */
static const dp_node *semantic_block(const dp_node *model, int *on)
{
    const dp_node *sm = dp_node_get(model, "semantic_model");
    *on = 0;
    if (!sm || dp_node_is_null(sm))
        return NULL;
    if (sm->kind == DP_NODE_SCALAR)
        *on = is_true(sm->value);
    else if (sm->kind == DP_NODE_MAP)
        *on = !is_false(dp_node_str(sm, "enabled")) && !dp_dbt__disabled(sm);
    return sm;
}

static int read_model(lctx *c, const dp_node *n)
{
    int on, rc;
    const dp_node *sm = semantic_block(n, &on);
    if (!sm || !on || dp_dbt__disabled(n))
        return 0;
    dp_model m = {0};
    const char *dbt_name = dp_node_str(n, "name");
    if (!dbt_name)
        return fail(c, n, "a model with a semantic_model has no name");
    m.ref = dp_arena_strdup(c->kg->arena, dbt_name);
    m.name = sm->kind == DP_NODE_MAP && dp_node_str(sm, "name") ? sdup(c, sm, "name") : m.ref;
    m.description = sdup(c, n, "description");
    m.label = sm->kind == DP_NODE_MAP ? sdup(c, sm, "label") : NULL;
    m.default_time_dim = sdup(c, n, "agg_time_dimension");
    if (!m.default_time_dim && sm->kind == DP_NODE_MAP)
        m.default_time_dim = sdup(c, sm, "agg_time_dimension");
    m.primary_entity = sdup(c, n, "primary_entity");
    m.pos = LPOS(n);
    const dp_node *cols = dp_node_get(n, "columns");
    const dp_node *ds = dp_node_get(n, "derived_semantics");
    const dp_node *dds = ds ? dp_node_get(ds, "dimensions") : NULL, *des = ds ? dp_node_get(ds, "entities") : NULL;
    const dp_node *mts = dp_node_get(n, "metrics");
    size_t ncols = cols && cols->kind == DP_NODE_SEQ ? cols->n : 0;
    size_t nd = dds && dds->kind == DP_NODE_SEQ ? dds->n : 0, ne = des && des->kind == DP_NODE_SEQ ? des->n : 0;
    size_t nm = mts && mts->kind == DP_NODE_SEQ ? mts->n : 0;
    for (size_t i = 0; i < ncols; i++) { /* metrics written under a column */
        const dp_node *cm = dp_node_get(cols->items[i], "metrics");
        nm += cm && cm->kind == DP_NODE_SEQ ? cm->n : 0;
    }
    m.entities = dp_arena_calloc(c->kg->arena, ncols + ne + 1, sizeof(*m.entities));
    m.dims = dp_arena_calloc(c->kg->arena, ncols + nd + 1, sizeof(*m.dims));
    m.measures = dp_arena_calloc(c->kg->arena, nm + 1, sizeof(*m.measures));
    if (!m.entities || !m.dims || !m.measures)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < ncols; i++) {
        const dp_node *col = cols->items[i];
        const char *cname = dp_node_str(col, "name");
        const dp_node *e = dp_node_get(col, "entity"), *d = dp_node_get(col, "dimension");
        if (!cname && (e || d))
            return fail(c, col, "a column with an entity or a dimension has no name");
        if (e && !dp_node_is_null(e) && (rc = read_entity(c, e, cname, dp_node_str(col, "description"), &m.entities[m.nentities++])))
            return rc;
        if (d && !dp_node_is_null(d) && (rc = read_dimension(c, d, col, &m.dims[m.ndims++])))
            return rc;
    }
    for (size_t i = 0; i < ne; i++)
        if ((rc = read_entity(c, des->items[i], NULL, NULL, &m.entities[m.nentities++])))
            return rc;
    for (size_t i = 0; i < nd; i++)
        if ((rc = read_dimension(c, dds->items[i], NULL, &m.dims[m.ndims++])))
            return rc;
    /* metrics after the model is in the graph: they only name it; those
     * under a column aggregate that column unless they say otherwise */
    for (size_t i = 0; i < nm; i++) {
        const dp_node *mn = NULL, *under = NULL;
        size_t k = i;
        if (mts && mts->kind == DP_NODE_SEQ && k < mts->n) {
            mn = mts->items[k];
        } else {
            k -= mts && mts->kind == DP_NODE_SEQ ? mts->n : 0;
            for (size_t j = 0; j < ncols && !mn; j++) {
                const dp_node *cm = dp_node_get(cols->items[j], "metrics");
                size_t cn = cm && cm->kind == DP_NODE_SEQ ? cm->n : 0;
                if (k < cn) {
                    mn = cm->items[k];
                    under = cols->items[j];
                } else {
                    k -= cn;
                }
            }
        }
        if (!mn)
            break;
        if (mn->kind != DP_NODE_MAP)
            return fail(c, mn, "a metric must be a mapping");
        if (dp_dbt__disabled(mn))
            continue;
        dp_metric mt = {0};
        dp_measure *me = &m.measures[m.nmeasures];
        if ((rc = read_metric(c, mn, &m, me, &mt)))
            return rc;
        if (under && mt.type == DP_METRIC_SIMPLE && !dp_node_get(mn, "expr") && dp_node_str(under, "name"))
            me->expr = sdup(c, under, "name");
        if (mt.type == DP_METRIC_SIMPLE)
            m.nmeasures++;
        if ((rc = push_metric(c, &mt)))
            return rc;
    }
    if (DP_VEC_PUSH(c->kg->arena, c->kg->models, c->kg->nmodels, c->kg->models_cap, m))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_dbt_latest_models(dp_kg *kg, const char *file, const dp_node *models, dp_error *err)
{
    lctx c = {kg, file, err};
    if (!models || dp_node_is_null(models) || models->kind != DP_NODE_SEQ)
        return 0; /* dbt_project.yml's `models:` is a config mapping, not ours */
    for (size_t i = 0; i < models->n; i++) {
        int rc = models->items[i]->kind == DP_NODE_MAP ? read_model(&c, models->items[i]) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static const char *and_filters(dp_kg *kg, const char *a, const char *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return dp_arena_printf(kg->arena, "(%s) AND (%s)", a, b);
}

/* An input naming a simple metric reads its measure under the metric's
 * filter and the input's own. */
static int resolve_input(dp_kg *kg, const dp_metric *m, dp_metric_input *in, const char *what, dp_error *err)
{
    const dp_metric *src = dp_kg_metric(kg, in->name);
    if (!src)
        return 0; /* dp_dbt_check names the missing input */
    if (src->type != DP_METRIC_SIMPLE) { /* the metric is disabled, not the catalog */
        char why[400];
        snprintf(why, sizeof(why), "has %s '%s', a %s metric; dpgen reads this input over simple metrics only", what,
                 in->name, dp_metric_type_name(src->type));
        return dp_catalog__disable(kg, &((dp_metric *)m)->off, "metric", m->name, why, NULL, m->pos)
                   ? dp_error_set(err, DP_ENOMEM, "out of memory")
                   : 0;
    }
    in->filter = and_filters(kg, src->filter, in->filter);
    in->name = src->measure.name;
    return 0;
}

int dp_dbt_latest_resolve(dp_kg *kg, dp_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < kg->nmetrics && !rc; i++) {
        dp_metric *m = &kg->metrics[i];
        if (!m->inputs_are_metrics)
            continue;
        m->inputs_are_metrics = 0;
        if (m->type == DP_METRIC_CUMULATIVE)
            rc = resolve_input(kg, m, &m->measure, "input_metric", err);
        else if (m->type == DP_METRIC_CONVERSION && !(rc = resolve_input(kg, m, &m->base_measure, "base_metric", err)))
            rc = resolve_input(kg, m, &m->conversion_measure, "conversion_metric", err);
    }
    return rc;
}

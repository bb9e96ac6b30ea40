/* The metrics of a dbt semantic manifest: the five types with their
 * type_params, inputs as objects (filter, alias, offset_window {count,
 * granularity}, join_to_timespine, fill_nulls_with), and dbt's newer forms
 * (a simple metric with its own metric_aggregation_params, cumulative and
 * conversion metrics over a metric), mapped onto measures. */
#include "catalog/semantic_manifest_int.h"
#include "util/error.h"
#include <string.h>
#include <strings.h>

/* An input given as a metric where the graph wants a measure: settled once
 * every metric is read. */
typedef struct via_metric {
    size_t metric;
    int which; /* 0 measure, 1 base_measure, 2 conversion_measure */
    const char *path;
} via_metric;

typedef struct pending {
    via_metric *items;
    size_t n, cap;
} pending;

static dp_metric_input *input_of(dp_metric *m, int which)
{
    return which == 0 ? &m->measure : which == 1 ? &m->base_measure : &m->conversion_measure;
}

/* A measure input ({name, filter, alias, join_to_timespine,
 * fill_nulls_with}) or a metric input ({name, filter, alias, offset_window,
 * offset_to_grain}); dbt once wrote a bare name. */
static int input_value(dp_sm *c, const json_t *v, const char *p, dp_metric_input *in)
{
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        in->name = dp_arena_strdup(c->kg->arena, json_string_value(v));
        return 0;
    }
    if (!json_is_object(v))
        return dp_sm__fail(c, p, NULL, "must be an object with a name");
    json_t *fill;
    int rc;
    if ((rc = dp_sm__need_text(c, v, "name", p, &in->name)) || (rc = dp_sm__filter(c, v, "filter", p, &in->filter)) ||
        (rc = dp_sm__text(c, v, "alias", p, &in->alias)) || (rc = dp_sm__window(c, v, "offset_window", p, &in->offset_window)) ||
        (rc = dp_sm__text(c, v, "offset_to_grain", p, &in->offset_to_grain)) ||
        (rc = dp_sm__bool(c, v, "join_to_timespine", p, &in->join_to_timespine)) ||
        (rc = dp_sm__field(c, v, "fill_nulls_with", p, JSON_INTEGER, &fill)))
        return rc;
    if (fill) {
        in->fill_nulls_with_set = 1;
        in->fill_nulls_with = (long)json_integer_value(fill);
    }
    return 0;
}

static int parse_input(dp_sm *c, const json_t *parent, const char *key, const char *path, dp_metric_input *in)
{
    return input_value(c, json_object_get(parent, key), dp_sm__sub(c, path, key), in);
}

/* A measure input, or else the metric input named by metric_key (settled
 * later to that metric's measure). */
static int measure_or_metric(dp_sm *c, dp_metric *m, const json_t *o, const char *key, const char *metric_key,
                             const char *path, int which, pending *pd)
{
    dp_metric_input *in = input_of(m, which);
    int rc = parse_input(c, o, key, path, in);
    if (rc || in->name || !metric_key)
        return rc;
    if ((rc = parse_input(c, o, metric_key, path, in)) || !in->name)
        return rc;
    via_metric v = {(size_t)(m - c->kg->metrics), which, dp_sm__sub(c, path, metric_key)};
    if (DP_VEC_PUSH(c->kg->arena, pd->items, pd->n, pd->cap, v))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

/* A simple metric that aggregates on its own (metric_aggregation_params and
 * type_params.expr): its measure, named as the metric, joins its model. */
static int own_measure(dp_sm *c, dp_metric *m, const json_t *tp, const char *tpp)
{
    json_t *ap;
    int rc = dp_sm__field(c, tp, "metric_aggregation_params", tpp, JSON_OBJECT, &ap);
    if (rc || !ap)
        return rc;
    const char *app = dp_sm__sub(c, tpp, "metric_aggregation_params");
    dp_sm_measure x = {0};
    x.path = app;
    if ((rc = dp_sm__need_text(c, ap, "semantic_model", app, &x.model)) ||
        (rc = dp_sm__measure_params(c, ap, app, &x.measure)) || (rc = dp_sm__text(c, tp, "expr", tpp, &x.measure.expr)))
        return rc;
    x.measure.name = m->name;
    if (!x.measure.expr)
        x.measure.expr = m->name;
    x.measure.description = m->description;
    x.measure.label = m->label;
    x.measure.pos = m->pos;
    if (DP_VEC_PUSH(c->kg->arena, c->extra, c->nextra, c->extra_cap, x))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    m->measure.name = m->name;
    return 0;
}

static int parse_metric(dp_sm *c, const json_t *o, const char *path, pending *pd)
{
    static const char *const types[] = {"simple", "ratio", "derived", "cumulative", "conversion"};
    /* filled in place at kg->metrics[nmetrics], so inputs given as metrics
     * can be noted by index; pushed at the end */
    dp_metric zero = {0};
    if (DP_VEC_PUSH(c->kg->arena, c->kg->metrics, c->kg->nmetrics, c->kg->metrics_cap, zero))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    c->kg->nmetrics--;
    dp_metric *m = &c->kg->metrics[c->kg->nmetrics];
    json_t *tp;
    int rc, t = -1;
    if ((rc = dp_sm__need_text(c, o, "name", path, &m->name)))
        return rc;
    for (int i = 0; i < 5; i++) {
        const char *s = json_string_value(json_object_get(o, "type"));
        if (s && !strcasecmp(s, types[i]))
            t = i;
    }
    if (t < 0)
        return dp_sm__fail(c, path, "type", "metric '%s': unknown or missing type (simple, ratio, derived, cumulative, conversion)",
                           m->name);
    m->type = (dp_metric_type)t;
    if ((rc = dp_sm__text(c, o, "label", path, &m->label)) || (rc = dp_sm__text(c, o, "description", path, &m->description)) ||
        (rc = dp_sm__filter(c, o, "filter", path, &m->filter)) ||
        (rc = dp_sm__field(c, o, "type_params", path, JSON_OBJECT, &tp)))
        return rc;
    m->pos = dp_sm__pos(c, o, path);
    if (!tp)
        return dp_sm__fail(c, path, "type_params", "is missing (metric '%s')", m->name);
    const char *tpp = dp_sm__sub(c, path, "type_params");
    json_t *cp, *ms, *props;
    switch (m->type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE:
        if ((rc = dp_sm__field(c, tp, "cumulative_type_params", tpp, JSON_OBJECT, &cp)) ||
            (rc = measure_or_metric(c, m, tp, "measure", NULL, tpp, 0, pd)))
            return rc;
        if (!m->measure.name && m->type == DP_METRIC_SIMPLE && (rc = own_measure(c, m, tp, tpp)))
            return rc;
        if (!m->measure.name && cp &&
            (rc = measure_or_metric(c, m, cp, "measure", "metric", dp_sm__sub(c, tpp, "cumulative_type_params"), 0, pd)))
            return rc;
        if (!m->measure.name)
            return dp_sm__fail(c, tpp, "measure", "is missing (%s metric '%s')", types[t], m->name);
        if (m->type == DP_METRIC_SIMPLE) {
            /* dbt's newer spec puts these on the simple metric itself */
            int jts = 0;
            json_t *fill;
            if ((rc = dp_sm__bool(c, tp, "join_to_timespine", tpp, &jts)) ||
                (rc = dp_sm__field(c, tp, "fill_nulls_with", tpp, JSON_INTEGER, &fill)))
                return rc;
            m->measure.join_to_timespine |= jts;
            if (fill && !m->measure.fill_nulls_with_set) {
                m->measure.fill_nulls_with_set = 1;
                m->measure.fill_nulls_with = (long)json_integer_value(fill);
            }
        } else {
            const char *cpp = dp_sm__sub(c, tpp, "cumulative_type_params");
            if (cp && ((rc = dp_sm__window(c, cp, "window", cpp, &m->window)) ||
                       (rc = dp_sm__text(c, cp, "grain_to_date", cpp, &m->grain_to_date)) ||
                       (rc = dp_sm__text(c, cp, "period_agg", cpp, &m->period_agg))))
                return rc;
            if (!m->window && (rc = dp_sm__window(c, tp, "window", tpp, &m->window)))
                return rc;
            if (!m->grain_to_date && (rc = dp_sm__text(c, tp, "grain_to_date", tpp, &m->grain_to_date)))
                return rc;
        }
        break;
    case DP_METRIC_RATIO:
        if ((rc = parse_input(c, tp, "numerator", tpp, &m->numerator)) ||
            (rc = parse_input(c, tp, "denominator", tpp, &m->denominator)))
            return rc;
        if (!m->numerator.name || !m->denominator.name)
            return dp_sm__fail(c, tpp, NULL, "ratio metric '%s' needs numerator and denominator", m->name);
        break;
    case DP_METRIC_DERIVED:
        if ((rc = dp_sm__text(c, tp, "expr", tpp, &m->expr)) || (rc = dp_sm__list(c, tp, "metrics", tpp, &ms)))
            return rc;
        if (!m->expr)
            return dp_sm__fail(c, tpp, "expr", "is missing (derived metric '%s')", m->name);
        if (!ms || !json_array_size(ms))
            return dp_sm__fail(c, tpp, "metrics", "is missing (derived metric '%s')", m->name);
        if (!(m->inputs = dp_arena_calloc(c->kg->arena, json_array_size(ms), sizeof(*m->inputs))))
            return dp_error_set(c->err, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < json_array_size(ms); i++) {
            const char *ip = dp_sm__item(c, tpp, "metrics", i);
            if ((rc = input_value(c, json_array_get(ms, i), ip, &m->inputs[i])))
                return rc;
            if (!m->inputs[i].name)
                return dp_sm__fail(c, ip, "name", "is missing");
        }
        m->ninputs = json_array_size(ms);
        break;
    case DP_METRIC_CONVERSION: {
        if ((rc = dp_sm__field(c, tp, "conversion_type_params", tpp, JSON_OBJECT, &cp)))
            return rc;
        if (!cp)
            return dp_sm__fail(c, tpp, "conversion_type_params", "is missing (conversion metric '%s')", m->name);
        const char *cpp = dp_sm__sub(c, tpp, "conversion_type_params");
        if ((rc = measure_or_metric(c, m, cp, "base_measure", "base_metric", cpp, 1, pd)) ||
            (rc = measure_or_metric(c, m, cp, "conversion_measure", "conversion_metric", cpp, 2, pd)) ||
            (rc = dp_sm__need_text(c, cp, "entity", cpp, &m->entity)) ||
            (rc = dp_sm__text(c, cp, "calculation", cpp, &m->calculation)) ||
            (rc = dp_sm__window(c, cp, "window", cpp, &m->conv_window)) ||
            (rc = dp_sm__list(c, cp, "constant_properties", cpp, &props)))
            return rc;
        if (!m->base_measure.name || !m->conversion_measure.name)
            return dp_sm__fail(c, cpp, NULL, "conversion metric '%s' needs base_measure and conversion_measure", m->name);
        if (props && json_array_size(props)) {
            if (!(m->const_props = dp_arena_calloc(c->kg->arena, json_array_size(props), sizeof(*m->const_props))))
                return dp_error_set(c->err, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < json_array_size(props); i++) {
                const char *ip = dp_sm__item(c, cpp, "constant_properties", i);
                json_t *p = json_array_get(props, i);
                if (!json_is_object(p))
                    return dp_sm__fail(c, ip, NULL, "must be an object {base_property, conversion_property}");
                if ((rc = dp_sm__need_text(c, p, "base_property", ip, &m->const_props[i].base_property)) ||
                    (rc = dp_sm__need_text(c, p, "conversion_property", ip, &m->const_props[i].conversion_property)))
                    return rc;
            }
            m->nconst_props = json_array_size(props);
        }
        break;
    }
    }
    c->kg->nmetrics++;
    return 0;
}

/* name -> index, in a jansson object (a hash table): the lookups below stay
 * linear in the manifest's size. */
static json_t *index_names(size_t n, const char *(*name)(const dp_kg *, size_t), const dp_kg *kg)
{
    json_t *map = json_object();
    for (size_t i = 0; map && i < n; i++)
        if (!json_object_get(map, name(kg, i)) && json_object_set_new(map, name(kg, i), json_integer((json_int_t)i))) {
            json_decref(map);
            return NULL;
        }
    return map;
}

static const char *model_name(const dp_kg *kg, size_t i) { return kg->models[i].name; }
static const char *metric_name(const dp_kg *kg, size_t i) { return kg->metrics[i].name; }

static int same_text(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static int same_measure(const dp_measure *a, const dp_measure *b)
{
    return a->agg == b->agg && same_text(a->expr, b->expr) && a->percentile == b->percentile &&
           a->use_discrete_percentile == b->use_discrete_percentile && same_text(a->non_additive_dim, b->non_additive_dim) &&
           a->non_additive_max == b->non_additive_max &&
           (!b->agg_time_dimension || same_text(a->agg_time_dimension, b->agg_time_dimension));
}

/* Appends the measures metrics define themselves to their models: counted
 * first, so each model's array grows once. */
static int add_own_measures(dp_sm *c)
{
    if (!c->nextra)
        return 0;
    int rc = 0;
    size_t *count = NULL;
    json_t *models = index_names(c->kg->nmodels, model_name, c->kg);
    if (!models || !(count = dp_arena_calloc(c->kg->arena, c->kg->nmodels + 1, sizeof(*count)))) {
        rc = dp_error_set(c->err, DP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < c->nextra; i++) {
        dp_sm_measure *x = &c->extra[i];
        json_t *at = json_object_get(models, x->model);
        if (!at) {
            rc = dp_sm__fail(c, x->path, "semantic_model", "names '%s', which semantic_models does not define", x->model);
            goto done;
        }
        /* a manifest that also keeps the measure (dbt's migration copies a
         * measure into the metric that uses it) names the same one twice */
        const dp_model *m = &c->kg->models[json_integer_value(at)];
        for (size_t k = 0; k < m->nmeasures && !x->reuse; k++)
            if (!strcmp(m->measures[k].name, x->measure.name)) {
                if (!same_measure(&m->measures[k], &x->measure)) {
                    rc = dp_sm__fail(c, x->path, NULL, "aggregates otherwise than measure '%s' of semantic model '%s'",
                                     x->measure.name, m->name);
                    goto done;
                }
                x->reuse = 1;
            }
        count[json_integer_value(at)] += !x->reuse;
    }
    for (size_t j = 0; j < c->kg->nmodels; j++) {
        dp_model *m = &c->kg->models[j];
        if (!count[j])
            continue;
        dp_measure *grown = dp_arena_grow(c->kg->arena, m->measures, m->nmeasures, m->nmeasures + count[j], sizeof(*grown));
        if (!grown) {
            rc = dp_error_set(c->err, DP_ENOMEM, "out of memory");
            goto done;
        }
        m->measures = grown;
    }
    for (size_t i = 0; i < c->nextra; i++) {
        dp_model *m = &c->kg->models[json_integer_value(json_object_get(models, c->extra[i].model))];
        if (!c->extra[i].reuse)
            m->measures[m->nmeasures++] = c->extra[i].measure;
    }
done:
    json_decref(models);
    return rc;
}

/* An input given as a metric becomes that simple metric's measure, with the
 * metric's filters AND-ed in front of the input's own. */
static int settle_via_metric(dp_sm *c, const pending *pd)
{
    if (!pd->n)
        return 0;
    int rc = 0;
    json_t *metrics = index_names(c->kg->nmetrics, metric_name, c->kg);
    if (!metrics)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < pd->n && !rc; i++) {
        dp_metric_input *in = input_of(&c->kg->metrics[pd->items[i].metric], pd->items[i].which);
        json_t *at = json_object_get(metrics, in->name);
        const dp_metric *src = at ? &c->kg->metrics[json_integer_value(at)] : NULL;
        if (!src) {
            rc = dp_sm__fail(c, pd->items[i].path, NULL, "names metric '%s', which metrics does not define", in->name);
            break;
        }
        if (src->type != DP_METRIC_SIMPLE) {
            rc = dp_sm__fail(c, pd->items[i].path, NULL, "names %s metric '%s'; dpgen reads this input only over a simple metric",
                             dp_metric_type_name(src->type), in->name);
            break;
        }
        const char *f = NULL, *parts[3] = {src->filter, src->measure.filter, in->filter};
        for (int k = 0; k < 3; k++)
            if (parts[k])
                f = f ? dp_arena_printf(c->kg->arena, "(%s) AND (%s)", f, parts[k]) : parts[k];
        in->name = src->measure.name;
        in->filter = f;
        if (!in->fill_nulls_with_set && src->measure.fill_nulls_with_set) {
            in->fill_nulls_with_set = 1;
            in->fill_nulls_with = src->measure.fill_nulls_with;
        }
        in->join_to_timespine |= src->measure.join_to_timespine;
    }
    json_decref(metrics);
    return rc;
}

int dp_sm__load_metrics(dp_sm *c, const json_t *root)
{
    pending pd = {0};
    json_t *a;
    int rc = dp_sm__list(c, root, "metrics", "", &a);
    for (size_t i = 0; !rc && a && i < json_array_size(a); i++) {
        const char *p = dp_sm__item(c, "", "metrics", i);
        json_t *o = json_array_get(a, i);
        rc = json_is_object(o) ? parse_metric(c, o, p, &pd) : dp_sm__fail(c, p, NULL, "must be an object");
    }
    if (!rc)
        rc = add_own_measures(c);
    if (!rc)
        rc = settle_via_metric(c, &pd);
    return rc;
}

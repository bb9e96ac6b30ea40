/* dbt Semantic Layer (MetricFlow) YAML -> knowledge graph. The whole spec
 * is read (entities, dimensions, measures with agg_params and
 * non_additive_dimension, the five metric types, filters); what the compiler
 * cannot run yet is refused there, not here. */
#include "catalog/load.h"
#include "catalog/dbt_int.h"
#include "catalog/problems.h"
#include "catalog/jinja.h"
#include "catalog/dbt_project.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Positions outlive the document tree: the file name is the graph's copy. */
#define POS(n) ((dp_src_pos){c->file ? c->file : (n)->file, (n)->line, (n)->col})

typedef struct ctx {
    dp_kg *kg;
    dp_error *err;
    const char *file; /* in kg->arena; NULL: the tree's own (it lives as long as kg) */
} ctx;

static int fail_at(ctx *c, const dp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_at(ctx *c, const dp_node *n, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dp_error_set(c->err, DP_EINVALID, "%s:%d:%d: %s", n->file, n->line, n->col, msg);
}

/* The values of keys[0..n) in the map (NULL where absent), in one pass
 * over its keys (an element's parser asks for a dozen: a scan each was
 * most of loading 500,000 of them); a map with a merge key (<<) is asked
 * key by key, as dp_node_get finds them. */
static void pick(const dp_node *map, const char *const *keys, size_t n, const dp_node **out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = NULL;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        if (k[0] == '<' && k[1] == '<' && !k[2]) {
            for (size_t j = 0; j < n; j++)
                out[j] = dp_node_get(map, keys[j]);
            return;
        }
        for (size_t j = 0; j < n; j++)
            if (keys[j][0] == k[0] && !strcmp(keys[j], k)) {
                out[j] = map->items[i];
                break;
            }
    }
}

/* dp_node_str of a picked value: its text when a scalar that is not null */
static const char *text_of(const dp_node *v)
{
    return v && v->kind == DP_NODE_SCALAR && !dp_node_is_null(v) ? v->value : NULL;
}

/* str() of a picked value */
static const char *str_of(ctx *c, const dp_node *v)
{
    const char *s = text_of(v);
    return s ? dp_arena_strdup(c->kg->arena, s) : NULL;
}

/* need_str() of a picked value v of key in map */
static int need_of(ctx *c, const dp_node *map, const dp_node *v, const char *key, const char *what, const char **out)
{
    if (!v || dp_node_is_null(v))
        return fail_at(c, map, "%s has no '%s'", what, key);
    if (v->kind != DP_NODE_SCALAR)
        return fail_at(c, v, "%s: '%s' must be text", what, key);
    *out = dp_arena_strdup(c->kg->arena, v->value);
    return 0;
}

static const char *str(ctx *c, const dp_node *map, const char *key) { return str_of(c, dp_node_get(map, key)); }

static int need_str(ctx *c, const dp_node *map, const char *key, const char *what, const char **out)
{
    return need_of(c, map, dp_node_get(map, key), key, what, out);
}

static int expect(ctx *c, const dp_node *n, dp_node_kind kind, const char *what)
{
    static const char *names[] = {"a value", "a mapping", "a list"};
    if (!n || n->kind != kind)
        return fail_at(c, n, "%s must be %s", what, names[kind]);
    return 0;
}

/* ref('x') / ref("x") / ref('pkg', 'x') -> x; a bare name stays itself. */
static const char *parse_ref(ctx *c, const char *s)
{
    const char *p = strstr(s, "ref(");
    if (!p)
        return dp_arena_strdup(c->kg->arena, s);
    const char *last = NULL, *end = NULL;
    for (const char *q = p + 4; *q && *q != ')'; q++) {
        if (*q == '\'' || *q == '"') {
            const char *close = strchr(q + 1, *q);
            if (!close)
                return NULL;
            last = q + 1;
            end = close;
            q = close;
        }
    }
    return last ? dp_arena_strndup(c->kg->arena, last, (size_t)(end - last)) : NULL;
}

static const char *filter_text(ctx *c, const dp_node *n)
{
    if (!n || dp_node_is_null(n))
        return NULL;
    if (n->kind == DP_NODE_SCALAR)
        return dp_arena_strdup(c->kg->arena, n->value);
    if (n->kind == DP_NODE_SEQ) {
        const char *acc = NULL;
        for (size_t i = 0; i < n->n; i++) {
            if (n->items[i]->kind != DP_NODE_SCALAR)
                continue;
            acc = acc ? dp_arena_printf(c->kg->arena, "(%s) AND (%s)", acc, n->items[i]->value)
                      : dp_arena_strdup(c->kg->arena, n->items[i]->value);
        }
        return acc;
    }
    return NULL;
}

static int parse_entity(ctx *c, const dp_node *n, dp_entity *e)
{
    enum { NAME, TYPE, EXPR, DESC, LABEL, NK };
    static const char *const keys[NK] = {"name", "type", "expr", "description", "label"};
    const dp_node *v[NK];
    int rc;
    if ((rc = expect(c, n, DP_NODE_MAP, "an entity")))
        return rc;
    pick(n, keys, NK, v);
    if ((rc = need_of(c, n, v[NAME], "name", "entity", &e->name)))
        return rc;
    const char *type = text_of(v[TYPE]);
    if (!type)
        return fail_at(c, n, "entity '%s' has no type", e->name);
    if (!strcmp(type, "primary")) e->type = DP_ENT_PRIMARY;
    else if (!strcmp(type, "unique")) e->type = DP_ENT_UNIQUE;
    else if (!strcmp(type, "foreign")) e->type = DP_ENT_FOREIGN;
    else if (!strcmp(type, "natural")) e->type = DP_ENT_NATURAL;
    else
        return fail_at(c, v[TYPE], "entity '%s': unknown type '%s' (primary, unique, foreign, natural)", e->name, type);
    e->expr = str_of(c, v[EXPR]);
    if (!e->expr)
        e->expr = e->name;
    e->description = str_of(c, v[DESC]);
    e->label = str_of(c, v[LABEL]);
    e->pos = POS(n);
    return 0;
}

static int parse_dimension(ctx *c, const dp_node *n, dp_dimension *d)
{
    enum { NAME, TYPE, EXPR, DESC, LABEL, PART, PARAMS, NK };
    static const char *const keys[NK] = {"name", "type", "expr", "description", "label", "is_partition", "type_params"};
    const dp_node *v[NK];
    int rc;
    if ((rc = expect(c, n, DP_NODE_MAP, "a dimension")))
        return rc;
    pick(n, keys, NK, v);
    if ((rc = need_of(c, n, v[NAME], "name", "dimension", &d->name)))
        return rc;
    const char *type = text_of(v[TYPE]);
    if (!type)
        return fail_at(c, n, "dimension '%s' has no type", d->name);
    if (!strcasecmp(type, "categorical")) d->type = DP_DIM_CATEGORICAL;
    else if (!strcasecmp(type, "time")) d->type = DP_DIM_TIME;
    else
        return fail_at(c, v[TYPE], "dimension '%s': unknown type '%s' (categorical, time)", d->name, type);
    d->expr = str_of(c, v[EXPR]);
    if (!d->expr)
        d->expr = d->name;
    d->description = str_of(c, v[DESC]);
    d->label = str_of(c, v[LABEL]);
    const char *part = text_of(v[PART]);
    d->is_partition = part && !strcasecmp(part, "true");
    d->granularity = DP_GRAIN_DAY;
    const dp_node *tp = v[PARAMS];
    const char *g = tp ? dp_node_str(tp, "time_granularity") : NULL;
    if (g && dp_grain_parse(g, &d->granularity) && strcasecmp(g, "hour") && strcasecmp(g, "minute") &&
        strcasecmp(g, "second") && strcasecmp(g, "millisecond") && strcasecmp(g, "nanosecond") &&
        strcasecmp(g, "microsecond"))
        return fail_at(c, dp_node_get(tp, "time_granularity"), "dimension '%s': unknown time_granularity '%s'", d->name, g);
    /* SCD type 2: the period each row is valid over (MetricFlow's
     * validity_params), joined on by dp_comp__validity_on */
    const dp_node *vp = tp ? dp_node_get(tp, "validity_params") : NULL;
    if (vp && !dp_node_is_null(vp)) {
        const char *st = dp_node_str(vp, "is_start"), *en = dp_node_str(vp, "is_end");
        d->validity = st && !strcasecmp(st, "true") ? 1 : en && !strcasecmp(en, "true") ? 2 : 0;
    }
    d->pos = POS(n);
    return 0;
}

static int parse_agg(const char *s, dp_agg *out)
{
    static const struct { const char *name; dp_agg agg; } aggs[] = {
        {"sum", DP_AGG_SUM}, {"count", DP_AGG_COUNT}, {"count_distinct", DP_AGG_COUNT_DISTINCT},
        {"sum_boolean", DP_AGG_SUM_BOOLEAN}, {"average", DP_AGG_AVERAGE}, {"avg", DP_AGG_AVERAGE},
        {"min", DP_AGG_MIN}, {"max", DP_AGG_MAX}, {"median", DP_AGG_MEDIAN},
        {"percentile", DP_AGG_PERCENTILE}};
    for (size_t i = 0; i < sizeof(aggs) / sizeof(*aggs); i++)
        if (!strcasecmp(s, aggs[i].name)) {
            *out = aggs[i].agg;
            return 0;
        }
    return -1;
}

static int parse_measure(ctx *c, const dp_node *n, dp_measure *m)
{
    enum { NAME, AGG, EXPR, DESC, LABEL, ATD, PARAMS, NONADD, CREATE, NK };
    static const char *const keys[NK] = {"name",         "agg",
                                         "expr",         "description",
                                         "label",        "agg_time_dimension",
                                         "agg_params",   "non_additive_dimension",
                                         "create_metric"};
    const dp_node *v[NK];
    int rc;
    if ((rc = expect(c, n, DP_NODE_MAP, "a measure")))
        return rc;
    pick(n, keys, NK, v);
    if ((rc = need_of(c, n, v[NAME], "name", "measure", &m->name)))
        return rc;
    const char *agg = text_of(v[AGG]);
    if (!agg)
        return fail_at(c, n, "measure '%s' has no agg", m->name);
    if (parse_agg(agg, &m->agg))
        return fail_at(c, v[AGG],
                       "measure '%s': unknown agg '%s' (sum, count, count_distinct, sum_boolean, average, min, max, "
                       "median, percentile)",
                       m->name, agg);
    m->expr = str_of(c, v[EXPR]);
    if (!m->expr)
        m->expr = m->name;
    m->description = str_of(c, v[DESC]);
    m->label = str_of(c, v[LABEL]);
    m->agg_time_dimension = str_of(c, v[ATD]);
    const dp_node *ap = v[PARAMS];
    if (m->agg == DP_AGG_MEDIAN)
        m->percentile = 0.5;
    if (ap) {
        const char *p = dp_node_str(ap, "percentile");
        if (p) {
            char *end;
            m->percentile = strtod(p, &end);
            if (*end || end == p || !(m->percentile >= 0 && m->percentile <= 1)) /* "nan" too */
                return fail_at(c, dp_node_get(ap, "percentile"), "measure '%s': percentile must be a number in [0, 1]", m->name);
        }
        const char *d = dp_node_str(ap, "use_discrete_percentile");
        m->use_discrete_percentile = d && !strcasecmp(d, "true");
    }
    if (m->agg == DP_AGG_PERCENTILE && !(ap && dp_node_str(ap, "percentile")))
        return fail_at(c, n, "measure '%s': agg percentile needs agg_params.percentile", m->name);
    const dp_node *na = v[NONADD];
    if (na && !dp_node_is_null(na)) {
        m->non_additive_dim = na->kind == DP_NODE_SCALAR ? dp_arena_strdup(c->kg->arena, na->value) : str(c, na, "name");
        const char *wc = dp_node_str(na, "window_choice");
        m->non_additive_max = !wc || !strcasecmp(wc, "max");
        if (wc && strcasecmp(wc, "max") && strcasecmp(wc, "min"))
            return fail_at(c, dp_node_get(na, "window_choice"), "measure '%s': window_choice '%s' is neither min nor max", m->name, wc);
        const dp_node *wg = na->kind == DP_NODE_MAP ? dp_node_get(na, "window_groupings") : NULL;
        if (wg && wg->kind == DP_NODE_SEQ && wg->n) {
            m->window_groupings = dp_arena_calloc(c->kg->arena, wg->n, sizeof(*m->window_groupings));
            if (!m->window_groupings)
                return dp_error_set(c->err, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < wg->n; i++) {
                if (wg->items[i]->kind != DP_NODE_SCALAR)
                    return fail_at(c, wg->items[i], "measure '%s': window_groupings lists entity names", m->name);
                m->window_groupings[m->nwindow_groupings++] = dp_arena_strdup(c->kg->arena, wg->items[i]->value);
            }
        }
    }
    const char *cm = text_of(v[CREATE]);
    m->create_metric = cm && !strcasecmp(cm, "true");
    m->pos = POS(n);
    return 0;
}

static int parse_list(ctx *c, const dp_node *model, const char *key, void **items, size_t *n,
                      size_t sz, int (*fn)(ctx *, const dp_node *, void *))
{
    const dp_node *seq = dp_node_get(model, key);
    if (!seq || dp_node_is_null(seq))
        return 0;
    int rc;
    if ((rc = expect(c, seq, DP_NODE_SEQ, key)))
        return rc;
    *items = dp_arena_calloc(c->kg->arena, seq->n, sz);
    if (!*items && seq->n)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < seq->n; i++)
        if ((rc = fn(c, seq->items[i], (char *)*items + i * sz)))
            return rc;
    *n = seq->n;
    return 0;
}

static int ent_fn(ctx *c, const dp_node *n, void *p) { return parse_entity(c, n, p); }
static int dim_fn(ctx *c, const dp_node *n, void *p) { return parse_dimension(c, n, p); }
static int mea_fn(ctx *c, const dp_node *n, void *p) { return parse_measure(c, n, p); }

static int parse_model(ctx *c, const dp_node *n)
{
    dp_model m = {0};
    int rc;
    if (dp_dbt__disabled(n))
        return 0;
    if ((rc = expect(c, n, DP_NODE_MAP, "a semantic model")) || (rc = need_str(c, n, "name", "semantic model", &m.name)))
        return rc;
    const char *ref = dp_node_str(n, "model");
    if (!ref)
        return fail_at(c, n, "semantic model '%s' has no model (e.g. ref('table'))", m.name);
    m.ref = parse_ref(c, ref);
    if (!m.ref || !*m.ref)
        return fail_at(c, dp_node_get(n, "model"), "semantic model '%s': cannot read model '%s'", m.name, ref);
    /* dbt's full ref(): package and version beside the name */
    const char *rname;
    if (dp_dbt__ref_parts(c->kg->arena, ref, &rname, &m.ref_package, &m.ref_version) == 0)
        m.ref = rname;
    m.description = str(c, n, "description");
    m.label = str(c, n, "label");
    m.primary_entity = str(c, n, "primary_entity");
    const dp_node *defaults = dp_node_get(n, "defaults");
    m.default_time_dim = defaults ? str(c, defaults, "agg_time_dimension") : NULL;
    m.primary_entity = str(c, n, "primary_entity");
    if ((rc = parse_list(c, n, "entities", (void **)&m.entities, &m.nentities, sizeof(dp_entity), ent_fn)) ||
        (rc = parse_list(c, n, "dimensions", (void **)&m.dims, &m.ndims, sizeof(dp_dimension), dim_fn)) ||
        (rc = parse_list(c, n, "measures", (void **)&m.measures, &m.nmeasures, sizeof(dp_measure), mea_fn)))
        return rc;
    m.pos = POS(n);
    /* a name defined twice is found by dp_dbt_check (through the index) */
    if (DP_VEC_PUSH(c->kg->arena, c->kg->models, c->kg->nmodels, c->kg->models_cap, m))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

/* fill_nulls_with: an integer (MetricFlow's type), or null for none. */
static int parse_fill(ctx *c, const dp_node *map, dp_metric_input *in)
{
    const dp_node *f = dp_node_get(map, "fill_nulls_with");
    if (!f || dp_node_is_null(f))
        return 0;
    char *end = NULL;
    long v = f->kind == DP_NODE_SCALAR ? strtol(f->value, &end, 10) : 0;
    if (f->kind != DP_NODE_SCALAR || end == f->value || *end)
        return fail_at(c, f, "fill_nulls_with must be an integer");
    in->fill_nulls_with_set = 1;
    in->fill_nulls_with = v;
    return 0;
}

/* A metric input is a name or a map {name, filter, alias, offset_window, ...}. */
static int parse_input(ctx *c, const dp_node *n, dp_metric_input *in, const char *what)
{
    if (!n || dp_node_is_null(n))
        return 0;
    if (n->kind == DP_NODE_SCALAR) {
        in->name = dp_arena_strdup(c->kg->arena, n->value);
        return 0;
    }
    if (n->kind != DP_NODE_MAP)
        return fail_at(c, n, "%s must be a name or a mapping with a name", what);
    int rc = need_str(c, n, "name", what, &in->name);
    if (rc)
        return rc;
    in->filter = filter_text(c, dp_node_get(n, "filter"));
    in->alias = str(c, n, "alias");
    in->offset_window = str(c, n, "offset_window");
    in->offset_to_grain = str(c, n, "offset_to_grain");
    const char *jts = dp_node_str(n, "join_to_timespine");
    in->join_to_timespine = jts && !strcasecmp(jts, "true");
    return parse_fill(c, n, in);
}

/* join_to_timespine and fill_nulls_with written on the metric's
 * type_params (dbt's newer form) rather than on its measure input. */
static int type_params_fill(ctx *c, const dp_node *tp, dp_metric_input *in)
{
    const char *jts = tp ? dp_node_str(tp, "join_to_timespine") : NULL;
    if (jts && !strcasecmp(jts, "true"))
        in->join_to_timespine = 1;
    return in->fill_nulls_with_set || !tp ? 0 : parse_fill(c, tp, in);
}

/* conversion_type_params.constant_properties: [{base_property, conversion_property}]. */
static int parse_const_props(ctx *c, const dp_node *cp, dp_metric *m)
{
    const dp_node *seq = dp_node_get(cp, "constant_properties");
    if (!seq || dp_node_is_null(seq))
        return 0;
    if (seq->kind != DP_NODE_SEQ)
        return fail_at(c, seq, "conversion metric '%s': constant_properties must be a list", m->name);
    m->const_props = dp_arena_calloc(c->kg->arena, seq->n ? seq->n : 1, sizeof(*m->const_props));
    if (!m->const_props)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        dp_const_prop *p = &m->const_props[i];
        p->base_property = str(c, seq->items[i], "base_property");
        p->conversion_property = str(c, seq->items[i], "conversion_property");
        if (!p->base_property || !p->conversion_property)
            return fail_at(c, seq->items[i], "conversion metric '%s': a constant property needs base_property and conversion_property",
                           m->name);
    }
    m->nconst_props = seq->n;
    return 0;
}

static int parse_metric(ctx *c, const dp_node *n)
{
    dp_metric m = {0};
    int rc;
    if (dp_dbt__disabled(n))
        return 0;
    if (dp_dbt_latest_is_metric(n)) /* parameters as keys of the metric */
        return dp_dbt_latest_metric(c->kg, c->file, n, c->err);
    if ((rc = expect(c, n, DP_NODE_MAP, "a metric")) || (rc = need_str(c, n, "name", "metric", &m.name)))
        return rc;
    const char *type = dp_node_str(n, "type");
    /* dbt before 1.6 (the dbt_metrics package): sql or calculation_method */
    if (dp_node_get(n, "calculation_method") || (dp_node_get(n, "sql") && dp_node_get(n, "timestamp")))
        return fail_at(c, n,
                       "metric '%s' is written in dbt's metrics spec before 1.6 (calculation_method, expression), "
                       "which MetricFlow replaced and dpgen does not read: define it on a semantic model (dbt 1.6+)",
                       m.name);
    if (!type)
        return fail_at(c, n, "metric '%s' has no type", m.name);
    static const char *types[] = {"simple", "ratio", "derived", "cumulative", "conversion"};
    int t = -1;
    for (int i = 0; i < 5; i++)
        if (!strcasecmp(type, types[i]))
            t = i;
    if (t < 0)
        return fail_at(c, dp_node_get(n, "type"),
                       "metric '%s': unknown type '%s' (simple, ratio, derived, cumulative, conversion)", m.name, type);
    m.type = (dp_metric_type)t;
    m.label = str(c, n, "label");
    m.description = str(c, n, "description");
    m.filter = filter_text(c, dp_node_get(n, "filter"));
    m.pos = POS(n);
    const dp_node *tp = dp_node_get(n, "type_params");
    if (tp && (rc = expect(c, tp, DP_NODE_MAP, "type_params")))
        return rc;
    const char *what = m.name;
    switch (m.type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE:
        if ((rc = parse_input(c, dp_node_get(tp, "measure"), &m.measure, "measure")))
            return rc;
        if (!m.measure.name && m.type == DP_METRIC_SIMPLE)
            return fail_at(c, n, "simple metric '%s' needs type_params.measure", what);
        if ((rc = type_params_fill(c, tp, &m.measure)))
            return rc;
        if (m.type == DP_METRIC_CUMULATIVE) {
            const dp_node *cp = dp_node_get(tp, "cumulative_type_params");
            m.window = str(c, cp ? cp : tp, "window");
            m.grain_to_date = str(c, cp ? cp : tp, "grain_to_date");
            m.period_agg = str(c, cp ? cp : tp, "period_agg");
            /* newer MetricFlow: the input is a metric (cumulative_type_params.metric) */
            if (!m.measure.name && cp && dp_node_get(cp, "metric")) {
                if ((rc = parse_input(c, dp_node_get(cp, "metric"), &m.measure, "metric")))
                    return rc;
                m.inputs_are_metrics = 1;
            }
            if (!m.measure.name)
                return fail_at(c, n, "cumulative metric '%s' needs type_params.measure", what);
        }
        break;
    case DP_METRIC_RATIO:
        if ((rc = parse_input(c, dp_node_get(tp, "numerator"), &m.numerator, "numerator")) ||
            (rc = parse_input(c, dp_node_get(tp, "denominator"), &m.denominator, "denominator")))
            return rc;
        if (!m.numerator.name || !m.denominator.name)
            return fail_at(c, n, "ratio metric '%s' needs type_params.numerator and denominator", what);
        break;
    case DP_METRIC_DERIVED: {
        m.expr = tp ? str(c, tp, "expr") : NULL;
        if (!m.expr)
            return fail_at(c, n, "derived metric '%s' needs type_params.expr", what);
        const dp_node *ms = dp_node_get(tp, "metrics");
        if (!ms || ms->kind != DP_NODE_SEQ || !ms->n)
            return fail_at(c, n, "derived metric '%s' needs type_params.metrics", what);
        m.inputs = dp_arena_calloc(c->kg->arena, ms->n, sizeof(*m.inputs));
        if (!m.inputs)
            return dp_error_set(c->err, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < ms->n; i++) {
            if ((rc = parse_input(c, ms->items[i], &m.inputs[i], "metric input")))
                return rc;
            if (!m.inputs[i].name)
                return fail_at(c, ms->items[i], "derived metric '%s': metric input %zu has no name", what, i + 1);
        }
        m.ninputs = ms->n;
        break;
    }
    case DP_METRIC_CONVERSION: {
        const dp_node *cp = dp_node_get(tp, "conversion_type_params");
        if (!cp)
            return fail_at(c, n, "conversion metric '%s' needs type_params.conversion_type_params", what);
        if ((rc = parse_input(c, dp_node_get(cp, "base_measure"), &m.base_measure, "base_measure")) ||
            (rc = parse_input(c, dp_node_get(cp, "conversion_measure"), &m.conversion_measure, "conversion_measure")))
            return rc;
        /* newer MetricFlow: base_metric and conversion_metric name metrics */
        if (!m.base_measure.name && !m.conversion_measure.name && dp_node_get(cp, "base_metric")) {
            if ((rc = parse_input(c, dp_node_get(cp, "base_metric"), &m.base_measure, "base_metric")) ||
                (rc = parse_input(c, dp_node_get(cp, "conversion_metric"), &m.conversion_measure, "conversion_metric")))
                return rc;
            m.inputs_are_metrics = 1;
        }
        m.entity = str(c, cp, "entity");
        m.calculation = str(c, cp, "calculation");
        m.conv_window = str(c, cp, "window");
        if ((rc = parse_const_props(c, cp, &m)))
            return rc;
        if (!m.base_measure.name || !m.conversion_measure.name || !m.entity)
            return fail_at(c, cp, "conversion metric '%s' needs base_measure, conversion_measure and entity", what);
        break;
    }
    }
    if (DP_VEC_PUSH(c->kg->arena, c->kg->metrics, c->kg->nmetrics, c->kg->metrics_cap, m))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

/* A time spine dpgen leaves out, as a problem of the catalog. */
static int spine_problem(ctx *c, const dp_node *n, const char *model, const char *reason)
{
    dp_problem p = {"time_spine", dp_arena_strdup(c->kg->arena, model), reason, NULL, POS(n)};
    if (!reason || DP_VEC_PUSH(c->kg->arena, c->kg->problems, c->kg->nproblems, c->kg->problems_cap, p))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

/* A dbt model entry with a time_spine config (dbt 1.9+), or the legacy
 * model named metricflow_time_spine (its date_day column, by day): one row
 * per period, and the custom granularities its columns give. Other model
 * entries say nothing to the semantic layer and are skipped. */
static int parse_spine(ctx *c, const dp_node *n)
{
    if (!n || n->kind != DP_NODE_MAP)
        return 0;
    const char *name = dp_node_str(n, "name");
    const dp_node *ts = dp_node_get(n, "time_spine");
    int legacy = name && !strcmp(name, "metricflow_time_spine");
    if (!name || ((!ts || dp_node_is_null(ts)) && !legacy))
        return 0;
    dp_time_spine sp = {0};
    sp.model = dp_arena_strdup(c->kg->arena, name);
    sp.grain = DP_GRAIN_DAY;
    sp.pos = POS(n);
    int rc;
    if (ts && !dp_node_is_null(ts)) {
        if ((rc = expect(c, ts, DP_NODE_MAP, "time_spine")) ||
            (rc = need_str(c, ts, "standard_granularity_column", "time_spine", &sp.column)))
            return rc;
        const dp_node *cg = dp_node_get(ts, "custom_granularities");
        if (cg && !dp_node_is_null(cg)) {
            if ((rc = expect(c, cg, DP_NODE_SEQ, "custom_granularities")))
                return rc;
            sp.custom = dp_arena_calloc(c->kg->arena, cg->n ? cg->n : 1, sizeof(*sp.custom));
            if (!sp.custom)
                return dp_error_set(c->err, DP_ENOMEM, "out of memory");
            for (size_t i = 0; i < cg->n; i++) {
                dp_custom_grain *g = &sp.custom[sp.ncustom];
                if ((rc = expect(c, cg->items[i], DP_NODE_MAP, "a custom granularity")) ||
                    (rc = need_str(c, cg->items[i], "name", "custom granularity", &g->name)))
                    return rc;
                dp_grain std;
                if (!dp_grain_parse(g->name, &std)) { /* MetricFlow refuses it too: the rest of the spine stays */
                    if ((rc = spine_problem(c, cg->items[i], name, dp_arena_printf(c->kg->arena,
                                            "custom granularity '%s' has the name of a standard grain", g->name))))
                        return rc;
                    continue;
                }
                g->column = str(c, cg->items[i], "column_name");
                if (!g->column)
                    g->column = g->name;
                sp.ncustom++;
            }
        }
    } else {
        sp.column = "date_day";
    }
    /* the standard column's grain is written on the column */
    const dp_node *cols = dp_node_get(n, "columns");
    for (size_t i = 0; cols && cols->kind == DP_NODE_SEQ && i < cols->n; i++) {
        const char *cn = dp_node_str(cols->items[i], "name");
        const char *g = dp_node_str(cols->items[i], "granularity");
        if (cn && g && !strcasecmp(cn, sp.column) && dp_grain_parse(g, &sp.grain))
            /* an hourly spine beside a daily one: not used, the project still loads */
            return spine_problem(c, cols->items[i], name, dp_arena_printf(c->kg->arena,
                                 "column '%s' has granularity '%s'; dpgen uses spines by day, week, month, quarter or year", cn, g));
    }
    if (DP_VEC_PUSH(c->kg->arena, c->kg->spines, c->kg->nspines, c->kg->spines_cap, sp))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

static int load_doc(ctx *cp, const dp_node *doc);

int dp_dbt_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err)
{
    ctx c = {kg, err, NULL};
    return load_doc(&c, doc);
}

static int load_doc(ctx *cp, const dp_node *doc)
{
    ctx c = *cp;
    int rc;
    if (doc->kind != DP_NODE_MAP)
        return fail_at(&c, doc, "a dbt YAML file must be a mapping");
    /* a field of the wrong kind fails the load, as a malformed element does */
    if ((rc = dp_dbt__check_types(doc, c.err)))
        return rc;
    const dp_node *sms = dp_node_get(doc, "semantic_models");
    if (sms && !dp_node_is_null(sms)) {
        if ((rc = expect(&c, sms, DP_NODE_SEQ, "semantic_models")))
            return rc;
        for (size_t i = 0; i < sms->n; i++)
            if ((rc = parse_model(&c, sms->items[i])))
                return rc;
    }
    const dp_node *dm = dp_node_get(doc, "models");
    for (size_t i = 0; dm && dm->kind == DP_NODE_SEQ && i < dm->n; i++)
        if ((rc = parse_spine(&c, dm->items[i])))
            return rc;
    const dp_node *ms = dp_node_get(doc, "metrics");
    if (ms && !dp_node_is_null(ms)) {
        if ((rc = expect(&c, ms, DP_NODE_SEQ, "metrics")))
            return rc;
        for (size_t i = 0; i < ms->n; i++)
            if ((rc = parse_metric(&c, ms->items[i])))
                return rc;
    }
    const dp_node *sq = dp_node_get(doc, "saved_queries");
    if (sq && !dp_node_is_null(sq) && (rc = dp_dbt__load_saved_queries(c.kg, sq, c.file, c.err)))
        return rc;
    /* the latest spec: semantic models declared on models */
    return dp_dbt_latest_models(c.kg, c.file, dp_node_get(doc, "models"), c.err);
}

typedef struct load_files {
    dp_kg *kg;
    dp_error *err;
    const char *const *files;
    const dp_jinja_ctx *jinja;
} load_files;

/* A file's elements, loaded on a worker thread into a graph of the file's
 * own (its arena, its arrays): loading only appends, so files are
 * independent until they are merged. */
static int load_part(void *p, size_t i, const dp_node *doc, void **result, dp_error *err)
{
    load_files *lf = p;
    dp_kg *part = calloc(1, sizeof(*part));
    if (!part || !(part->arena = dp_arena_new(64 * 1024))) {
        free(part);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    *result = part;
    ctx c = {part, err, lf->files[i]};
    /* the Jinja dbt would render: the rendered copy lives while loading */
    dp_arena *tmp = dp_arena_new(16 * 1024);
    if (!tmp)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    const dp_node *rendered;
    int rc = dp_jinja_render_doc(&rendered, tmp, doc, lf->jinja, lf->files[i], err);
    if (!rc)
        rc = load_doc(&c, rendered);
    dp_arena_free(tmp);
    /* the models' exprs checked here, side by side; dp_dbt_check applies */
    for (size_t k = 0; !rc && k < part->nmodels; k++)
        if (dp_catalog__precheck_exprs(part, &part->models[k]))
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
    return rc;
}

static void drop_part(void *p, void *result)
{
    (void)p;
    dp_kg *part = result;
    dp_arena_free(part->arena);
    free(part);
}

/* part's items appended to kg's (rc set when out of memory) */
#define APPEND(items, n, cap)                                                                                          \
    for (size_t k_ = 0; !rc && k_ < part->n; k_++)                                                                     \
        if (DP_VEC_PUSH(kg->arena, kg->items, kg->n, kg->cap, part->items[k_]))                                        \
            rc = dp_error_set(lf->err, DP_ENOMEM, "out of memory");

/* A file's elements appended to the graph, in file order (the calling
 * thread); its arena joins the graph's. A saved query's name is the one
 * thing checked across files here (the rest is dp_dbt_check's). */
static int merge_part(void *p, size_t i, const dp_node *tree, void *result)
{
    (void)i;
    (void)tree;
    load_files *lf = p;
    dp_kg *kg = lf->kg, *part = result;
    int rc = 0;
    for (size_t k = 0; !rc && k < part->nsaved; k++) {
        const dp_saved_query *q = &part->saved[k];
        for (size_t j = 0; !rc && j < kg->nsaved; j++)
            if (!strcmp(kg->saved[j].name, q->name))
                rc = dp_error_set(lf->err, DP_EINVALID, "%s:%d:%d: saved query '%s' is also defined at %s:%d",
                                  q->pos.file, q->pos.line, q->pos.col, q->name, kg->saved[j].pos.file,
                                  kg->saved[j].pos.line);
    }
    APPEND(models, nmodels, models_cap)
    APPEND(metrics, nmetrics, metrics_cap)
    APPEND(spines, nspines, spines_cap)
    APPEND(problems, nproblems, problems_cap)
    APPEND(saved, nsaved, saved_cap)
    if (!rc) /* the index's costly part, while the readers work */
        dp_kg_draft_add(kg->draft, kg);
    dp_arena_adopt(kg->arena, part->arena); /* the elements' text and arrays live there */
    free(part);
    return rc;
}

int dp_dbt_load_files(dp_kg *kg, const char *const *files, size_t n, const dp_jinja_ctx *jinja, const char *what,
                      dp_error *err)
{
    if (n == 0)
        return dp_error_set(err, DP_ENOTFOUND, "%s: no .yml or .yaml files", what);
    /* read and loaded side by side, each file into a graph of its own,
     * merged in file order; each tree is only read while loading */
    load_files lf = {kg, err, files, jinja};
    dp_yaml_steps steps = {load_part, merge_part, drop_part};
    if (kg->nmodels == 0 && !kg->draft) /* drafted as the files merge; else built at the check */
        kg->draft = dp_kg_draft_new();
    int rc = dp_yaml_load_files_steps(files, n, 0, kg->yaml_cache, &steps, &lf, err);
    if (!rc && kg->nmodels == 0)
        rc = dp_error_set(err, DP_ENOTFOUND, "%s: no semantic_models (nor models with a semantic_model) found", what);
    if (!rc)
        rc = dp_dbt_check(kg, err); /* the index is built first there (with the draft) */
    dp_kg_draft_free(kg->draft);    /* when the check did not get to it */
    kg->draft = NULL;
    return rc;
}

int dp_dbt_load_path(dp_kg *kg, const char *path, dp_error *err)
{
    const char **files;
    size_t n;
    int rc = dp_list_yaml_files(&files, &n, kg->arena, path, err);
    if (rc)
        return rc;
    return dp_dbt_load_files(kg, files, n, NULL, path, err);
}

/* A name defined twice: neither definition is used (which one was meant
 * is not known), and both are listed. */
static int twice(dp_kg *kg, dp_disabled *a, const char *kind, const char *name, dp_src_pos apos, dp_disabled *b,
                 dp_src_pos bpos)
{
    char why[700], at[600];
    snprintf(why, sizeof(why), "is also defined at %s", dp_catalog__where(bpos, at, sizeof(at)));
    if (dp_catalog__disable(kg, a, kind, name, why, "give each its own name", apos))
        return DP_ENOMEM;
    snprintf(why, sizeof(why), "is also defined at %s", dp_catalog__where(apos, at, sizeof(at)));
    return b->reason ? 0 : dp_catalog__disable(kg, b, kind, name, why, "give each its own name", bpos);
}

/* measures with create_metric: true are also simple metrics of the same
 * name (MetricFlow), unless a metric of that name exists */
static int create_metrics(dp_kg *kg, dp_error *err)
{
    size_t nmodels = kg->nmodels;
    for (size_t i = 0; i < nmodels; i++) {
        dp_model *m = &kg->models[i];
        for (size_t j = 0; j < m->nmeasures; j++) {
            const dp_measure *me = &m->measures[j];
            if (!me->create_metric || dp_kg_metric(kg, me->name))
                continue;
            dp_metric mt = {0};
            mt.name = me->name;
            mt.label = me->label;
            mt.description = me->description;
            mt.type = DP_METRIC_SIMPLE;
            mt.measure.name = me->name;
            mt.pos = me->pos;
            if (DP_VEC_PUSH(kg->arena, kg->metrics, kg->nmetrics, kg->metrics_cap, mt))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    }
    return 0;
}

int dp_dbt_check(dp_kg *kg, dp_error *err)
{
    int crc = create_metrics(kg, err);
    if (crc)
        return crc;
    /* after create_metrics: the index covers the final arrays */
    if (dp_kg_index_build(kg))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if ((crc = dp_dbt_latest_resolve(kg, err)))
        return crc;
    /* back pointers (the models array may have moved while growing) */
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        dp_model *first = (dp_model *)dp_kg_model(kg, m->name);
        if (first != m && (twice(kg, &m->off, "semantic_model", m->name, m->pos, &first->off, first->pos)))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        for (size_t j = 0; j < m->nmeasures; j++) {
            dp_measure *me = &m->measures[j];
            me->model = m;
            if (!me->agg_time_dimension)
                me->agg_time_dimension = m->default_time_dim;
            if (me->agg_time_dimension) {
                const dp_dimension *d = dp_kg_model_dim(m, me->agg_time_dimension);
                if (!d || d->type != DP_DIM_TIME) {
                    char why[400];
                    snprintf(why, sizeof(why),
                             "has agg_time_dimension '%s', which is not a time dimension of semantic model '%s'",
                             me->agg_time_dimension, m->name);
                    if (dp_catalog__disable(kg, &me->off, "measure",
                                            dp_arena_printf(kg->arena, "%s.%s", m->name, me->name), why, NULL, me->pos))
                        return dp_error_set(err, DP_ENOMEM, "out of memory");
                }
            }
            dp_measure *other = (dp_measure *)dp_kg_measure(kg, me->name);
            if (other && other != me && twice(kg, &me->off, "measure", me->name, me->pos, &other->off, other->pos))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    }
    /* catalog SQL outside the allow-list disables its element (expr_check.c) */
    if (dp_catalog__check_exprs(kg))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    /* a metric's problems disable it (and what uses it), not the catalog */
    if (dp_catalog__check_metrics(kg))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < kg->nmetrics; i++) {
        dp_metric *m = &kg->metrics[i];
        dp_metric *first = (dp_metric *)dp_kg_metric(kg, m->name);
        if (first != m && twice(kg, &m->off, "metric", m->name, m->pos, &first->off, first->pos))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    if (dp_catalog__cascade(kg))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

/* For the latest-spec loader (dbt_latest.c), which reads the same values. */
int dp_dbt__parse_agg(const char *s, dp_agg *out) { return parse_agg(s, out); }

const char *dp_dbt__filter_text(dp_kg *kg, const char *file, const dp_node *n)
{
    ctx c = {kg, NULL, file};
    return filter_text(&c, n);
}

int dp_dbt__parse_input(dp_kg *kg, const char *file, const dp_node *n, dp_metric_input *in, const char *what,
                        dp_error *err)
{
    ctx c = {kg, err, file};
    return parse_input(&c, n, in, what);
}

/* Disabled catalog elements: recording a problem, and switching off what
 * depends on a disabled element (see problems.h). */
#include "catalog/problems.h"
#include "util/error.h"
#include <stdio.h>
#include <string.h>

int dp_catalog__disable(dp_kg *kg, dp_disabled *off, const char *kind, const char *name, const char *reason,
                        const char *hint, dp_src_pos pos)
{
    dp_problem p = {0};
    p.kind = kind;
    p.name = dp_arena_strdup(kg->arena, name);
    p.reason = dp_arena_strdup(kg->arena, reason);
    p.hint = hint ? dp_arena_strdup(kg->arena, hint) : NULL;
    p.pos = pos;
    if (!p.name || !p.reason || (hint && !p.hint) ||
        DP_VEC_PUSH(kg->arena, kg->problems, kg->nproblems, kg->problems_cap, p))
        return DP_ENOMEM;
    /* the first cause stays the element's reason; later ones are still listed */
    if (off && !off->reason)
        off->reason = p.reason;
    return 0;
}

const dp_problem *dp_catalog__root(const dp_kg *kg, const dp_disabled *off)
{
    for (size_t i = 0; off && off->reason && i < kg->nproblems; i++)
        if (kg->problems[i].reason == off->reason)
            return &kg->problems[i];
    return NULL;
}

const char *dp_catalog__where(dp_src_pos pos, char *out, size_t n)
{
    if (pos.line > 0)
        snprintf(out, n, "%s:%d", pos.file ? pos.file : "?", pos.line);
    else /* a manifest's element: its JSON path is in the file name */
        snprintf(out, n, "%s", pos.file ? pos.file : "?");
    return out;
}

const char *dp_catalog__disabled_msg(const dp_kg *kg, const char *kind, const char *name, const dp_disabled *off,
                                     dp_src_pos pos, char *out, size_t n)
{
    const dp_problem *p = dp_catalog__root(kg, off);
    char at[600];
    if (p)
        snprintf(out, n, "%s '%s' is disabled: %s (%s)%s%s", kind, name, off->reason,
                 dp_catalog__where(pos, at, sizeof(at)), p->hint ? "; " : "", p->hint ? p->hint : "");
    else
        snprintf(out, n, "%s '%s' is disabled: %s", kind, name, off && off->reason ? off->reason : "?");
    return out;
}

/* Switches off x because of dep (kind 'name'); 1 if x changed, -1 out of memory. */
static int because(dp_kg *kg, dp_disabled *x, const char *kind, const char *name, const dp_disabled *dep,
                   dp_src_pos dep_pos)
{
    if (x->reason || !dep || !dep->reason)
        return 0;
    const dp_problem *p = dp_catalog__root(kg, dep);
    char at[600];
    x->reason = p ? dp_arena_printf(kg->arena, "its %s '%s' %s (%s%s%s)", kind, name, dep->reason,
                                    dp_catalog__where(dep_pos, at, sizeof(at)), p->hint ? "; " : "",
                                    p->hint ? p->hint : "")
                  : dp_arena_printf(kg->arena, "its %s '%s' is disabled: %s", kind, name, dep->reason);
    return x->reason ? 1 : -1;
}

/* A dimension of a model by name, disabled or not. */
static dp_dimension *find_dim(dp_model *m, const char *name)
{
    for (size_t i = 0; name && i < m->ndims; i++)
        if (!strcmp(m->dims[i].name, name))
            return &m->dims[i];
    return NULL;
}

static dp_measure *find_measure(dp_kg *kg, const char *name)
{
    return name ? (dp_measure *)dp_kg_measure(kg, name) : NULL;
}

/* One input of a metric: a metric (when metric_ok and one has the name)
 * else a measure. Returns 1/0/-1 like because(). */
static int input_off(dp_kg *kg, dp_metric *m, const char *name, int metric_ok)
{
    if (!name)
        return 0;
    const dp_metric *sub = metric_ok ? dp_kg_metric(kg, name) : NULL;
    if (sub && sub != m)
        return because(kg, &m->off, "metric", sub->name, &sub->off, sub->pos);
    const dp_measure *me = find_measure(kg, name);
    return me ? because(kg, &m->off, "measure", me->name, &me->off, me->pos) : 0;
}

typedef struct ref_state {
    dp_kg *kg;
    dp_metric *m;
    int rc; /* 1 changed, -1 out of memory */
} ref_state;

/* A filter reference whose every candidate is disabled switches off the metric. */
static int filter_ref(void *payload, const char *fn, const char *arg)
{
    ref_state *s = payload;
    const dp_disabled *dep = NULL;
    dp_src_pos pos = {0};
    const char *kind = NULL, *what = arg;
    int on = 0;
    char ent[256], dbuf[256];
    if (!dp_catalog__split_ref(fn, arg, ent, sizeof(ent), dbuf, sizeof(dbuf)))
        return 0;
    const char *dim = dbuf[0] ? dbuf : NULL;
    for (size_t i = 0; i < s->kg->nmodels && !on; i++) {
        dp_model *mo = &s->kg->models[i];
        dp_entity *e = NULL;
        for (size_t k = 0; ent[0] && k < mo->nentities && !e; k++)
            if (!strcmp(mo->entities[k].name, ent))
                e = &mo->entities[k];
        /* primary_entity names a dataset with no key column */
        int own = ent[0] && !e && mo->primary_entity && !strcmp(mo->primary_entity, ent);
        if (ent[0] && !e && !own)
            continue;
        dp_dimension *d = dim ? find_dim(mo, dim) : NULL;
        if (dim && !d)
            continue;
        /* the entity the path names must be on too */
        int by_entity = e && (e->off.reason || !d), by_model = !d && !e;
        const dp_disabled *o = by_model ? &mo->off : by_entity ? &e->off : &d->off;
        if (!o->reason) {
            on = 1;
        } else if (!dep) {
            dep = o;
            pos = by_model ? mo->pos : by_entity ? e->pos : d->pos;
            kind = by_model ? "semantic model" : by_entity ? "entity" : "dimension";
            what = by_model ? mo->name : by_entity ? e->name : arg;
        }
    }
    if (!on && dep) {
        int r = because(s->kg, &s->m->off, kind, what, dep, pos);
        if (r)
            s->rc = r;
        return r < 0;
    }
    return 0;
}

int dp_catalog__split_ref(const char *fn, const char *arg, char *ent, size_t ne, char *dim, size_t nd)
{
    static const char *grains[] = {"day", "week", "month", "quarter", "year", "hour", "minute", "second",
                                   "millisecond", "microsecond", "nanosecond", NULL};
    ent[0] = dim[0] = 0;
    if (!strcmp(fn, "Entity")) {
        snprintf(ent, ne, "%s", arg);
        return 1;
    }
    if (strcmp(fn, "Dimension") && strcmp(fn, "TimeDimension"))
        return 0; /* Metric(...) and others are read elsewhere */
    char path[256];
    snprintf(path, sizeof(path), "%s", arg);
    /* a time dimension may carry its grain: e__d__month */
    char *last = NULL;
    for (char *p = strstr(path, "__"); p; p = strstr(p + 2, "__"))
        last = p;
    for (size_t g = 0; last && grains[g]; g++)
        if (!strcmp(last + 2, grains[g])) {
            *last = 0;
            last = NULL;
            for (char *p = strstr(path, "__"); p; p = strstr(p + 2, "__"))
                last = p;
            break;
        }
    const char *d = last ? last + 2 : path;
    if (!strcmp(d, "metric_time"))
        return 0; /* the metric's own time, always there */
    snprintf(dim, nd, "%s", d);
    if (last) { /* entity path a__b__dim: the entity that holds it is the last */
        *last = 0;
        char *start = path;
        for (char *p = strstr(path, "__"); p; p = strstr(p + 2, "__"))
            start = p + 2;
        snprintf(ent, ne, "%s", start);
    }
    return 1;
}

int dp_catalog__filter_refs(const char *text, int (*fn)(void *, const char *, const char *), void *payload)
{
    for (const char *p = text ? strstr(text, "{{") : NULL; p; p = strstr(p, "{{")) {
        const char *close = strstr(p, "}}");
        if (!close)
            return 0;
        const char *q = p + 2;
        while (q < close && *q == ' ')
            q++;
        const char *paren = memchr(q, '(', (size_t)(close - q));
        const char *q1 = paren ? strpbrk(paren, "'\"") : NULL;
        const char *q2 = q1 && q1 < close ? strchr(q1 + 1, *q1) : NULL;
        char name[64], arg[256];
        if (paren && q2 && q2 < close && (size_t)(paren - q) < sizeof(name) && (size_t)(q2 - q1 - 1) < sizeof(arg)) {
            snprintf(name, sizeof(name), "%.*s", (int)(paren - q), q);
            for (char *z = name + strlen(name); z > name && z[-1] == ' '; z--)
                z[-1] = 0;
            snprintf(arg, sizeof(arg), "%.*s", (int)(q2 - q1 - 1), q1 + 1);
            int rc = fn(payload, name, arg);
            if (rc)
                return rc;
        }
        p = close + 2;
    }
    return 0;
}

static int metric_filters(dp_kg *kg, dp_metric *m, int any_dim_off)
{
    if (!any_dim_off || m->off.reason)
        return 0;
    ref_state s = {kg, m, 0};
    const char *texts[5] = {m->filter, m->measure.filter, m->numerator.filter, m->denominator.filter, NULL};
    for (size_t i = 0; i < 4 && !s.rc; i++)
        dp_catalog__filter_refs(texts[i], filter_ref, &s);
    for (size_t i = 0; i < m->ninputs && !s.rc; i++)
        dp_catalog__filter_refs(m->inputs[i].filter, filter_ref, &s);
    return s.rc;
}

static int metric_inputs(dp_kg *kg, dp_metric *m)
{
    if (m->off.reason)
        return 0;
    int r = 0;
    switch (m->type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE: r = input_off(kg, m, m->measure.name, 0); break;
    case DP_METRIC_RATIO:
        if (!(r = input_off(kg, m, m->numerator.name, 1)))
            r = input_off(kg, m, m->denominator.name, 1);
        break;
    case DP_METRIC_DERIVED:
        for (size_t i = 0; i < m->ninputs && !r; i++)
            r = input_off(kg, m, m->inputs[i].name, 1);
        break;
    case DP_METRIC_CONVERSION:
        if (!(r = input_off(kg, m, m->base_measure.name, 0)))
            r = input_off(kg, m, m->conversion_measure.name, 0);
        break;
    }
    return r;
}

/* The parts of models: a disabled model switches off all of them; a
 * disabled time dimension its measures. */
static int model_parts(dp_kg *kg, int *any_dim_off)
{
    int changed = 0, r;
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *mo = &kg->models[i];
        for (size_t j = 0; mo->off.reason && j < mo->nentities; j++)
            if ((r = because(kg, &mo->entities[j].off, "semantic model", mo->name, &mo->off, mo->pos)))
                changed = r < 0 ? -1 : 1;
        for (size_t j = 0; mo->off.reason && j < mo->ndims; j++)
            if ((r = because(kg, &mo->dims[j].off, "semantic model", mo->name, &mo->off, mo->pos)))
                changed = r < 0 ? -1 : 1;
        for (size_t j = 0; j < mo->nmeasures; j++) {
            dp_measure *me = &mo->measures[j];
            if ((r = because(kg, &me->off, "semantic model", mo->name, &mo->off, mo->pos)))
                changed = r < 0 ? -1 : 1;
            const char *tds[2] = {me->agg_time_dimension, me->non_additive_dim};
            for (size_t k = 0; k < 2; k++) {
                const dp_dimension *d = find_dim(mo, tds[k]);
                if (d && (r = because(kg, &me->off, "time dimension", d->name, &d->off, d->pos)))
                    changed = r < 0 ? -1 : 1;
            }
        }
        for (size_t j = 0; j < mo->ndims; j++)
            *any_dim_off |= mo->dims[j].off.reason != NULL;
        for (size_t j = 0; j < mo->nentities; j++)
            *any_dim_off |= mo->entities[j].off.reason != NULL;
        if (changed < 0)
            return -1;
    }
    return changed;
}

int dp_catalog__cascade(dp_kg *kg)
{
    int any_dim_off = 0, any = kg->nproblems > 0;
    int r = model_parts(kg, &any_dim_off);
    if (r < 0)
        return DP_ENOMEM;
    /* filters read dimensions and entities, which metrics do not change:
     * once; then metrics over metrics to a fixpoint (each pass switches one
     * more off or ends) */
    for (size_t i = 0; i < kg->nmetrics; i++)
        if (metric_filters(kg, &kg->metrics[i], any_dim_off) < 0)
            return DP_ENOMEM;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < kg->nmetrics; i++) {
            if ((r = metric_inputs(kg, &kg->metrics[i])) < 0)
                return DP_ENOMEM;
            changed |= r;
        }
    }
    /* a saved query asks for its metrics: one disabled, the query is too */
    for (size_t i = 0; i < kg->nsaved; i++)
        for (size_t j = 0; j < kg->saved[i].nmetrics; j++) {
            const dp_metric *m = kg->saved[i].metrics[j] ? dp_kg_metric(kg, kg->saved[i].metrics[j]) : NULL;
            if (m && because(kg, &kg->saved[i].off, "metric", m->name, &m->off, m->pos) < 0)
                return DP_ENOMEM;
        }
    for (size_t i = 0; i < kg->nmetrics && !any; i++)
        any = kg->metrics[i].off.reason != NULL;
    /* the index lists disabled elements under no entity or dimension, so
     * joins and dimension homes never reach them; names stay findable */
    if (any && dp_kg_index_build(kg))
        return DP_ENOMEM;
    return 0;
}

int dp_catalog__names_disabled(const dp_kg *kg, const char *kind, const char *name)
{
    const char *sep = strstr(name, "__"), *dot = strchr(name, '.');
    const char *dim = sep ? sep + 2 : name;
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        if (!strcmp(kind, "column")) {
            if (m->off.reason && dot && strlen(m->name) == (size_t)(dot - name) && !strncmp(m->name, name, (size_t)(dot - name)))
                return 1;
            continue;
        }
        for (size_t j = 0; !strcmp(kind, "entity") && j < m->nentities; j++)
            if (m->entities[j].off.reason && !strcmp(m->entities[j].name, name))
                return 1;
        for (size_t j = 0; !strcmp(kind, "dimension") && j < m->ndims; j++)
            if (m->dims[j].off.reason && !strcmp(m->dims[j].name, dim))
                return 1;
    }
    return 0;
}

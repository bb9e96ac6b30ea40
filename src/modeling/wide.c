/* The wide product: the entity attributes and component measures added beside the metrics asked. */
#include "modeling/modeling.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ATTRS 6 /* per entity: a product, not a copy of the dimension table */
#define MAX_ADDED (2 * DP_PLAN_MAX + DP_INTENT_MAX_ITEMS)

typedef struct wctx {
    dp_design *dz;
    const dp_kg *kg;
    const dp_intent *in;
    dp_arena *a;
    dp_target_col added[MAX_ADDED]; /* attributes, then measures */
    size_t nadded, nattrs, nmeasures;
    size_t room; /* columns the design can still take */
    const char **notes;
    size_t max, *nnotes;
    size_t visits; /* add_input calls: inputs shared level after level multiply them */
} wctx;

static void note(wctx *w, const char *s)
{
    if (*w->nnotes < w->max)
        w->notes[(*w->nnotes)++] = s;
}

static int name_taken(const wctx *w, const char *name)
{
    for (size_t i = 0; i < w->dz->ncols; i++)
        if (!strcasecmp(w->dz->cols[i].name, name))
            return 1;
    for (size_t i = 0; i < w->nadded; i++)
        if (!strcasecmp(w->added[i].name, name))
            return 1;
    return 0;
}

/* name, else prefix_name, else NULL when both are taken */
static const char *free_name(wctx *w, const char *name, const char *prefix)
{
    if (!name_taken(w, name))
        return name;
    const char *alt = dp_arena_printf(w->a, "%s_%s", prefix, name);
    return name_taken(w, alt) ? NULL : alt;
}

/* "name", "label" and "title" words: the attribute a reader looks for first */
static int name_like(const char *s)
{
    static const char *words[] = {"name", "label", "title", NULL};
    if (!s)
        return 0;
    size_t n = strlen(s);
    for (int i = 0; words[i]; i++) {
        size_t wl = strlen(words[i]);
        if (n >= wl && !strcasecmp(s + n - wl, words[i]) &&
            (n == wl || s[n - wl - 1] == '_' || s[n - wl - 1] == ' ' || s[n - wl - 1] == '-'))
            return 1;
    }
    return 0;
}

typedef struct cand {
    const dp_dimension *dim;
    int name_like;
    int64_t distinct; /* INT64_MAX when the profile does not say */
    size_t order;
} cand;

static int cand_cmp(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->name_like != q->name_like)
        return q->name_like - p->name_like;
    if (p->distinct != q->distinct)
        return p->distinct < q->distinct ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

/* The dataset whose primary entity this is, or NULL. */
static const dp_model *primary_home(const dp_kg *kg, const char *entity, const dp_entity **out)
{
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        const dp_entity *e = dp_kg_model_entity(m, entity);
        if (e && e->type == DP_ENT_PRIMARY && !e->off.reason && !m->off.reason && m->table) {
            *out = e;
            return m;
        }
    }
    return NULL;
}

/* Is dimension dim of model m already a column of the grain? */
static int in_grain(const dp_design *dz, const dp_model *m, const dp_dimension *dim)
{
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_grain_col *g = dz->cols[i].grain;
        if (g && g->kind == DP_COL_DIM && (g->dim == dim || (g->dim_model == m && !strcmp(g->dim->name, dim->name))))
            return 1;
    }
    return 0;
}

static void add_attributes(wctx *w, const dp_target_col *key)
{
    const char *entity = key->grain->entity;
    const dp_entity *e = NULL;
    const dp_model *m = primary_home(w->kg, entity, &e);
    if (!m) {
        note(w, dp_arena_printf(w->a, "no attribute of %s: no dataset has it as its primary entity", entity));
        return;
    }
    const dp_dimension *vs = NULL, *ve = NULL;
    if (dp_kg_model_validity(m, &vs, &ve) == 0 && (vs || ve)) {
        note(w,
             dp_arena_printf(
                 w->a,
                 "no attribute of %s: %s keeps its history (validity period), so an attribute has no one value per key",
                 entity, m->name));
        return;
    }
    cand cs[64];
    size_t n = 0;
    for (size_t i = 0; i < m->ndims && n < 64; i++) {
        const dp_dimension *dim = &m->dims[i];
        if (dim->type != DP_DIM_CATEGORICAL || dim->off.reason || dim->validity || !strcmp(dim->expr, e->expr) ||
            in_grain(w->dz, m, dim))
            continue;
        if (!dim->column) { /* an expression: its type is not the source's */
            note(w,
                 dp_arena_printf(w->a, "attribute %s.%s not added: an expression, whose type the catalog does not give",
                                 m->name, dim->name));
            continue;
        }
        cs[n].dim = dim;
        cs[n].name_like = name_like(dim->name) || name_like(dim->label);
        cs[n].distinct = dim->column->prof.done ? dim->column->prof.distinct : INT64_MAX;
        cs[n].order = i;
        n++;
    }
    qsort(cs, n, sizeof(*cs), cand_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const dp_dimension *dim = cs[i].dim;
        if (kept == MAX_ATTRS || w->nadded >= w->room) {
            note(w, dp_arena_printf(w->a, "attribute %s.%s not added: at most %d attributes per entity", m->name,
                                    dim->name, MAX_ATTRS));
            continue;
        }
        const char *name = free_name(w, dim->name, entity);
        if (!name) {
            note(w, dp_arena_printf(w->a, "attribute %s.%s not added: its name is taken", m->name, dim->name));
            continue;
        }
        dp_target_col *c = &w->added[w->nadded++];
        memset(c, 0, sizeof(*c));
        c->name = name;
        c->role = DP_ROLE_ATTRIBUTE;
        c->type = dim->column->type;
        c->description = dim->description ? dim->description : dp_arena_printf(w->a, "%s of %s", dim->name, entity);
        c->formula = dp_arena_printf(w->a, "%s.%s per %s.%s (NULL where the key's rows disagree)", m->name, dim->expr,
                                     m->name, e->expr);
        c->attr_model = m;
        c->attr_dim = dim;
        c->attr_entity = entity;
        c->attr_key_col = key->name;
        c->added_because = dp_arena_printf(
            w->a,
            "attribute of %s from %s (%s), joined on %s after aggregation: it describes the row without changing the "
            "grain",
            entity, m->name,
            cs[i].name_like               ? "its name or label"
            : cs[i].distinct != INT64_MAX ? dp_arena_printf(w->a, "%lld distinct values", (long long)cs[i].distinct)
                                          : "a categorical dimension",
            key->name);
        w->nattrs++;
        kept++;
    }
}

static int same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* The asked metric's column already holding this value (a simple metric
 * asked alone), so no component is added for it. */
static int asked_simple(const wctx *w, const dp_metric *sub, const dp_measure *me)
{
    for (size_t i = 0; i < w->in->nmetrics; i++) {
        const dp_metric *m = w->in->metrics[i];
        if (m == sub)
            return 1;
        if (!sub && m->type == DP_METRIC_SIMPLE && !m->filter && !m->measure.filter &&
            dp_kg_measure(w->kg, m->measure.name) == me)
            return 1;
    }
    return 0;
}

/* One input of metric parent (asked: the metric asked it belongs to). */
static void add_input(wctx *w, const dp_metric *asked, const dp_metric *parent, const dp_metric_input *inp,
                      const char *part, int depth)
{
#define MAX_INPUT_VISITS 4096
    if (++w->visits > MAX_INPUT_VISITS) {
        if (w->visits == MAX_INPUT_VISITS + 1)
            note(w, dp_arena_printf(w->a,
                                    "components past the first %d inputs not added: the metrics' inputs are too many",
                                    MAX_INPUT_VISITS));
        return;
    }
    const char *what = dp_arena_printf(w->a, "%s of %s", part, parent->name);
    if (inp->offset_window || inp->offset_to_grain) {
        note(w, dp_arena_printf(w->a, "%s (%s %s) not added: it is another period's value, not this row's", what,
                                inp->name, inp->offset_window ? inp->offset_window : inp->offset_to_grain));
        return;
    }
    if (inp->join_to_timespine) {
        note(w, dp_arena_printf(w->a, "%s (%s) not added: it is read through the time spine", what, inp->name));
        return;
    }
    /* filtered where the metric reads it: exact, but no measure of its own */
    int outer = parent->filter || inp->filter;
    if (outer && depth > 0) {
        note(w, dp_arena_printf(w->a, "%s (%s) not added: filtered inside another metric", what, inp->name));
        return;
    }
    const dp_metric *sub = dp_kg_metric(w->kg, inp->name);
    const dp_measure *me = sub ? NULL : dp_kg_measure(w->kg, inp->name);
    if (sub && (sub->type == DP_METRIC_RATIO || sub->type == DP_METRIC_DERIVED)) {
        if (depth >= 4 || outer) {
            note(w, dp_arena_printf(w->a, "%s (%s) not added: a filtered or deeply nested metric", what, inp->name));
            return;
        }
        if (sub->type == DP_METRIC_RATIO) {
            add_input(w, asked, sub, &sub->denominator, "denominator", depth + 1);
            add_input(w, asked, sub, &sub->numerator, "numerator", depth + 1);
        } else {
            for (size_t i = 0; i < sub->ninputs; i++)
                add_input(w, asked, sub, &sub->inputs[i], "input", depth + 1);
        }
        return;
    }
    if (sub && sub->type != DP_METRIC_SIMPLE) {
        note(w, dp_arena_printf(w->a, "%s (%s) not added: a %s metric is no measure at the grain", what, sub->name,
                                dp_metric_type_name(sub->type)));
        return;
    }
    if (sub) {
        me = dp_kg_measure(w->kg, sub->measure.name);
        if (sub->measure.join_to_timespine) {
            note(w, dp_arena_printf(w->a, "%s (%s) not added: it is read through the time spine", what, sub->name));
            return;
        }
    }
    if (!me)
        return;
    /* filtered by its own definition: the metric's name says which rows;
     * by the metric reading it: named after that metric and the part */
    int filtered = sub && (sub->filter || sub->measure.filter);
    const char *base = outer      ? dp_arena_printf(w->a, "%s_%s", parent->name,
                                               strcmp(part, "input") ? part
                                                    : inp->alias          ? inp->alias
                                                                          : inp->name)
                       : filtered ? sub->name
                                  : me->name;
    if (!outer && asked_simple(w, filtered ? sub : NULL, me))
        return;
    for (size_t i = 0; i < w->nadded; i++) {
        dp_target_col *c = &w->added[i];
        int c_outer = c->part && (c->parent->filter || c->part->filter);
        int same = c->role == DP_ROLE_MEASURE && c->measure == me && c_outer == outer &&
                   (outer ? c->input == sub && same_str(c->parent->filter, parent->filter) &&
                                same_str(c->part->filter, inp->filter)
                    : filtered ? c->input == sub
                               : !c->input || (!c->input->filter && !c->input->measure.filter));
        if (same) {
            if (!strstr(c->added_because, what)) /* "numerator of m1 and denominator of m2: ..." */
                c->added_because =
                    dp_arena_printf(w->a, "%.*s and %s%s", (int)(strchr(c->added_because, ':') - c->added_because),
                                    c->added_because, what, strchr(c->added_because, ':'));
            return;
        }
    }
    if (w->nadded >= w->room) {
        note(w, dp_arena_printf(w->a, "%s (%s) not added: the design has no room for more columns", what, base));
        return;
    }
    const char *name = free_name(w, base, "total");
    if (!name) {
        note(w, dp_arena_printf(w->a, "%s (%s) not added: its name is taken", what, base));
        return;
    }
    dp_target_col *c = &w->added[w->nadded++];
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->role = DP_ROLE_MEASURE;
    c->metric = asked;
    c->measure = me;
    c->input = sub;
    c->parent = parent;
    c->part = inp;
    c->type = sub ? dp_model_metric_type(w->kg, sub) : dp_model_measure_type(me);
    c->formula = sub ? dp_metric_formula(w->kg, sub, w->a, 0) : dp_model_measure_formula(me, NULL, w->a);
    c->description = sub && sub->description ? sub->description : me->description ? me->description : me->name;
    c->added_because = dp_arena_printf(w->a, "%s: lets a BI tool re-aggregate it%s", what,
                                       outer      ? dp_arena_printf(w->a, " (filtered as %s reads it)", parent->name)
                                       : filtered ? " (the metric's own filter applied)"
                                                  : "");
    if (outer) { /* every filter on its rows, as one */
        const char *fs[] = {sub ? sub->filter : NULL, sub ? sub->measure.filter : NULL, parent->filter, inp->filter};
        const char *all = NULL;
        for (size_t i = 0; i < 4; i++)
            if (fs[i])
                all = all ? dp_arena_printf(w->a, "%s and %s", all, fs[i]) : fs[i];
        c->formula = dp_model_measure_formula(me, all, w->a);
    }
    w->nmeasures++;
}

int dp_model_widen(dp_design *dz, const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a,
                   const char **notes, size_t max, size_t *nnotes, dp_error *err)
{
    (void)d;
    (void)err;
    *nnotes = 0;
    size_t cap = sizeof(dz->cols) / sizeof(dz->cols[0]);
    wctx *w = dp_arena_calloc(a, 1, sizeof(*w));
    if (!w)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    w->dz = dz;
    w->kg = kg;
    w->in = in;
    w->a = a;
    w->room = cap - dz->ncols < MAX_ADDED ? cap - dz->ncols : MAX_ADDED;
    w->notes = notes;
    w->max = max;
    w->nnotes = nnotes;
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role == DP_ROLE_ENTITY && dz->cols[i].grain)
            add_attributes(w, &dz->cols[i]);
    /* the whole before the part: a ratio's denominator, then its numerator */
    for (size_t i = 0; i < in->nmetrics; i++) {
        const dp_metric *m = in->metrics[i];
        if (m->type == DP_METRIC_RATIO) {
            add_input(w, m, m, &m->denominator, "denominator", 0);
            add_input(w, m, m, &m->numerator, "numerator", 0);
        } else if (m->type == DP_METRIC_DERIVED) {
            for (size_t k = 0; k < m->ninputs; k++)
                add_input(w, m, m, &m->inputs[k], "input", 0);
        } else if (m->type == DP_METRIC_CONVERSION) {
            note(w, dp_arena_printf(a,
                                    "no component of %s: a conversion count is computed per entity within its window, "
                                    "no measure at the grain",
                                    m->name));
        }
    }
    if (!w->nadded)
        return 0;
    /* keys, then the attributes and measures, then the metrics */
    size_t first_metric = dz->ncols;
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role == DP_ROLE_METRIC) {
            first_metric = i;
            break;
        }
    size_t nm = dz->ncols - first_metric;
    memmove(&dz->cols[first_metric + w->nadded], &dz->cols[first_metric], nm * sizeof(dz->cols[0]));
    memcpy(&dz->cols[first_metric], w->added, w->nadded * sizeof(dz->cols[0]));
    dz->ncols += w->nadded;
    return 0;
}

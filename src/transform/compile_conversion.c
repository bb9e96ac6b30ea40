/* Conversion metrics as MetricFlow computes them: base rows and conversion
 * rows of one entity, a conversion row matched to the latest base row at or
 * before it (within the window, constant properties equal), counted once,
 * grouped by that base row; the rate divides by the base measure. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <string.h>

static const char *dbl(comp *c)
{
    return c->dialect == DP_DIALECT_POSTGRES ? "DOUBLE PRECISION" : "DOUBLE";
}

/* The time both sides are compared at: the coarser grain of their two time
 * dimensions (MetricFlow's minimum queryable grain of the metric). */
static dp_grain join_grain(const dp_measure *b, const dp_measure *v)
{
    const dp_dimension *bd = dp_kg_model_dim(b->model, b->agg_time_dimension);
    const dp_dimension *vd = dp_kg_model_dim(v->model, v->agg_time_dimension);
    dp_grain g = bd && bd->granularity ? bd->granularity : DP_GRAIN_DAY;
    dp_grain h = vd && vd->granularity ? vd->granularity : DP_GRAIN_DAY;
    return g > h ? g : h;
}

static int refuse_input(comp *c, const dp_metric *m, const dp_measure *me, const char *name)
{
    if (!me)
        return dp_error_set(c->err, DP_EINVALID, "conversion metric '%s': '%s' is not a measure", m->name, name);
    if (!me->agg_time_dimension)
        return dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s': measure '%s' has no time dimension to order events by",
                            m->name, me->name);
    if (me->non_additive_dim)
        return dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s': measure '%s' is semi-additive, which a conversion cannot use",
                            m->name, me->name);
    if (!dp_kg_model_entity(me->model, m->entity))
        return dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s': entity '%s' is not an entity of %s (measure '%s')",
                            m->name, m->entity, me->model->name, me->name);
    return 0;
}

/* The CTE column of the conversions: the conversion measure over the
 * matched conversion rows, at the report grain of the base rows. */
static const char *conversions_ref(comp *c, const dp_metric *m, const char *filter, const dp_measure *bm,
                                   const dp_measure *vm)
{
    const char *win = NULL;
    if (m->conv_window && !(win = dp_comp__interval_sql(c, m->conv_window))) {
        /* MetricFlow also takes hours and minutes, which need a grain finer than a day */
        dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s': window '%s' is not in days, weeks, months, quarters or years",
                     m->name, m->conv_window);
        return NULL;
    }
    const char *base_filter = filter;
    if (m->base_measure.filter)
        base_filter = base_filter ? dp_arena_printf(c->a, "(%s) AND (%s)", base_filter, m->base_measure.filter)
                                  : m->base_measure.filter;
    const char *col = dp_arena_printf(c->a, "%s_conversions", m->name);
    int existing = 0;
    cte *w = dp_comp__body_cte(c, bm->model, dp_arena_printf(c->a, "%s_conversions", m->name), vm, base_filter, col, &existing);
    if (!w)
        return NULL;
    const char *ref = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, w->name), dp_comp__qi(c, col));
    if (existing)
        return ref;
    int timed = c->in->grain != DP_GRAIN_NONE || c->in->range_start;
    w->time_dim = timed ? bm->agg_time_dimension : NULL;
    dp_grain g = join_grain(bm, vm);
    const char *bt = dp_comp__row_time(c, bm->model, bm->agg_time_dimension, g);
    const char *vt = bt ? dp_comp__row_time(c, vm->model, vm->agg_time_dimension, g) : NULL;
    if (!vt)
        return NULL;
    const dp_entity *be = dp_kg_model_entity(bm->model, m->entity), *ve = dp_kg_model_entity(vm->model, m->entity);
    const char *bextra = dp_arena_printf(c->a, "                %s AS dp_entity,\n                %s AS dp_at",
                                         dp_comp__qualify(c, be->expr, dp_comp__qi(c, bm->model->name), bm->model, NULL), bt);
    const char *vextra = dp_arena_printf(
        c->a, "                %s AS dp_entity,\n                %s AS dp_at,\n                %s AS dp_value,\n"
              "                row_number() OVER () AS dp_row",
        dp_comp__qualify(c, ve->expr, dp_comp__qi(c, vm->model->name), vm->model, NULL), vt,
        dp_comp__qualify(c, vm->expr, dp_comp__qi(c, vm->model->name), vm->model, c->lineage_sources));
    const char *on = "dp_v.dp_entity = dp_b.dp_entity\n            AND dp_b.dp_at <= dp_v.dp_at";
    if (win)
        on = dp_arena_printf(c->a, "%s\n            AND dp_b.dp_at > dp_v.dp_at - %s", on, win);
    for (size_t i = 0; i < m->nconst_props; i++) {
        const dp_const_prop *p = &m->const_props[i];
        const char *bp = dp_comp__row_element(c, bm->model, p->base_property);
        const char *vp = dp_comp__row_element(c, vm->model, p->conversion_property);
        if (!bp || !vp) {
            dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s': constant property '%s' is not a dimension or entity of %s",
                         m->name, bp ? p->conversion_property : p->base_property, bp ? vm->model->name : bm->model->name);
            return NULL;
        }
        bextra = dp_arena_printf(c->a, "%s,\n                %s AS dp_p%zu", bextra, bp, i);
        vextra = dp_arena_printf(c->a, "%s,\n                %s AS dp_p%zu", vextra, vp, i);
        on = dp_arena_printf(c->a, "%s\n            AND dp_b.dp_p%zu = dp_v.dp_p%zu", on, i, i);
    }
    /* the base rows carry the report's keys, the request's range and
     * filters and the metric's; the conversion rows only the join columns
     * (MetricFlow applies filters to the base side) */
    cte *bs = dp_comp__rows_scope(c, bm->model), *vs = bs ? dp_comp__rows_scope(c, vm->model) : NULL;
    const char *brows = vs ? dp_comp__rows_sql(c, bs, DP_ROWS_KEYS | DP_ROWS_REQUEST, w->time_dim, base_filter,
                                               dp_arena_printf(c->a, "%s\n", bextra), "            ")
                           : NULL;
    const char *vrows = brows ? dp_comp__rows_sql(c, vs, 0, NULL, NULL, dp_arena_printf(c->a, "%s\n", vextra), "            ")
                              : NULL;
    if (!vrows)
        return NULL;
    size_t nk = dp_comp__nkeys(c);
    const char *keys = dp_comp__key_list(c, "dp_m"), *bkeys = dp_comp__key_list(c, "dp_b");
    const char *grp = "";
    for (size_t k = 0; k < nk; k++)
        grp = dp_arena_printf(c->a, "%s%s%zu", grp, k ? ", " : "\n    GROUP BY ", k + 1);
    w->body = dp_arena_printf(
        c->a,
        "    -- %s: %s of the %s rows that follow a %s row of the same %s%s%s%s, each counted once,\n"
        "    -- for the latest %s row at or before it (by %s), grouped by that row\n"
        "    SELECT\n%s%s%s%s AS %s\n"
        "    FROM (\n        SELECT\n%s%s%s            dp_v.dp_value,\n"
        "            row_number() OVER (PARTITION BY dp_v.dp_row ORDER BY dp_b.dp_at DESC%s%s) AS dp_pick\n"
        "        FROM (\n%s        ) AS dp_b\n        JOIN (\n%s        ) AS dp_v\n            ON %s\n"
        "    ) AS dp_m\n    WHERE dp_m.dp_pick = 1%s",
        m->name, dp_agg_name(vm->agg), vm->model->name, bm->model->name, m->entity, win ? " within " : "",
        win ? m->conv_window : "", m->nconst_props ? " with the same constant properties" : "", bm->model->name,
        dp_grain_name(g), nk ? "        " : "", keys, nk ? ",\n        " : "        ",
        dp_comp__agg_of(c, vm, "dp_m.dp_value"), dp_comp__qi(c, col), nk ? "            " : "", bkeys,
        nk ? ",\n" : "", nk ? ", " : "", bkeys, brows, vrows, on, grp);
    return ref;
}

const char *dp_comp__conversion_sql(comp *c, const dp_metric *m, const char *filter, const char *base)
{
    if (c->shift) {
        dp_error_set(c->err, DP_ECLARIFY, "metric '%s': an offset of a conversion metric is not supported", m->name);
        return NULL;
    }
    if (m->conversion_measure.filter) {
        dp_error_set(c->err, DP_ECLARIFY,
                     "conversion metric '%s' filters its conversion measure, which MetricFlow applies after the join to the "
                     "base rows' columns; the compiler does not support it",
                     m->name);
        return NULL;
    }
    if (m->base_measure.join_to_timespine || m->conversion_measure.join_to_timespine) {
        dp_error_set(c->err, DP_ECLARIFY, "conversion metric '%s' joins an input to the time spine, which the compiler does not support for conversions",
                     m->name);
        return NULL;
    }
    const char *calc = m->calculation ? m->calculation : "conversion_rate";
    int rate = !strcmp(calc, "conversion_rate");
    if (!rate && strcmp(calc, "conversions")) {
        dp_error_set(c->err, DP_EINVALID, "conversion metric '%s': calculation '%s' is neither conversion_rate nor conversions",
                     m->name, calc);
        return NULL;
    }
    const dp_measure *bm = dp_kg_measure(c->kg, m->base_measure.name);
    const dp_measure *vm = dp_kg_measure(c->kg, m->conversion_measure.name);
    if (refuse_input(c, m, bm, m->base_measure.name) || refuse_input(c, m, vm, m->conversion_measure.name))
        return NULL;
    const char *conv = conversions_ref(c, m, filter, bm, vm);
    if (!conv)
        return NULL;
    if (m->conversion_measure.fill_nulls_with_set)
        conv = dp_arena_printf(c->a, "COALESCE(%s, %ld)", conv, m->conversion_measure.fill_nulls_with);
    if (!rate)
        return conv;
    if (m->base_measure.fill_nulls_with_set)
        base = dp_arena_printf(c->a, "COALESCE(%s, %ld)", base, m->base_measure.fill_nulls_with);
    return dp_arena_printf(c->a, "CAST(%s AS %s) / NULLIF(%s, 0)", conv, dbl(c), base);
}

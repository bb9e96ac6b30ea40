/* One dataset's rows before aggregation, in the scope of the report: its key
 * columns, the joins they and the filters need, the request's range and
 * filters. Feeds the measures that choose rows before aggregating
 * (conversion joins, semi-additive measures). */
#include "transform/compile_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <string.h>

cte *dp_comp__rows_scope(comp *c, const dp_model *m)
{
    cte *t = dp_arena_calloc(c->a, 1, sizeof(*t));
    if (!t) {
        dp_error_set(c->err, DP_ENOMEM, "out of memory");
        return NULL;
    }
    t->model = m;
    t->name = m->name;
    return t;
}

const char *dp_comp__row_time(comp *c, const dp_model *m, const char *tdim, dp_grain grain)
{
    const dp_dimension *td = tdim ? dp_kg_model_dim(m, tdim) : NULL;
    if (!td) {
        dp_error_set(c->err, DP_ECLARIFY, "dataset %s has no time dimension '%s'", m->name, tdim ? tdim : "?");
        return NULL;
    }
    const char *x = dp_comp__qualify(c, td->expr, dp_comp__qi(c, m->name), m, NULL);
    return dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(grain ? grain : DP_GRAIN_DAY), x);
}

const char *dp_comp__row_element(comp *c, const dp_model *m, const char *name)
{
    const dp_dimension *d = dp_kg_model_dim(m, name);
    if (d && d->type == DP_DIM_TIME)
        return dp_comp__row_time(c, m, name, d->granularity);
    const char *expr = d ? d->expr : NULL;
    const dp_entity *e = d ? NULL : dp_kg_model_entity(m, name);
    if (e)
        expr = e->expr;
    if (!expr)
        return NULL;
    return dp_comp__qualify(c, expr, dp_comp__qi(c, m->name), m, NULL);
}

size_t dp_comp__nkeys(const comp *c)
{
    size_t n = 0;
    for (size_t k = 0; k < c->design->ncols; k++)
        n += c->design->cols[k].role != DP_ROLE_METRIC;
    return n;
}

const char *dp_comp__key_list(comp *c, const char *alias)
{
    const char *out = "";
    for (size_t k = 0; k < c->design->ncols; k++) {
        const dp_target_col *tc = &c->design->cols[k];
        if (tc->role == DP_ROLE_METRIC)
            continue;
        out = dp_arena_printf(c->a, "%s%s%s%s%s", out, *out ? ", " : "", alias ? alias : "", alias ? "." : "",
                              dp_comp__qi(c, tc->name));
    }
    return out;
}

/* The report's key columns as seen from t's rows ("expr AS name" lines). */
static int key_columns(comp *c, cte *t, const char *tdim, dp_buf *b, const char *indent)
{
    const dp_design *dz = c->design;
    const char *alias = dp_comp__qi(c, t->model->name);
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        const char *expr = NULL;
        if (tc->role == DP_ROLE_TIME) {
            const dp_dimension *td = tdim ? dp_kg_model_dim(t->model, tdim) : NULL;
            if (!td)
                return dp_error_set(c->err, DP_ECLARIFY, "dataset %s has no time dimension to report by %s", t->model->name,
                                    dp_grain_name(c->in->grain));
            expr = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(c->in->grain),
                                   dp_comp__qualify(c, td->expr, alias, t->model, NULL));
        } else if (tc->role == DP_ROLE_DIMENSION || tc->role == DP_ROLE_ENTITY) {
            if (!(expr = dp_comp__key_expr(c, t, tc)))
                return c->err->code;
        } else {
            continue;
        }
        dp_buf_printf(b, "%s%s AS %s,\n", indent, expr, dp_comp__qi(c, tc->name));
    }
    return 0;
}

/* The request's range (on tdim) and filters as conditions, each preceded
 * by " AND " (the same conditions the aggregating CTEs apply). */
static const char *request_conditions(comp *c, cte *t, const char *tdim)
{
    const char *out = "";
    if (c->in->range_start && tdim) {
        const dp_dimension *td = dp_kg_model_dim(t->model, tdim);
        if (!td) {
            dp_error_set(c->err, DP_ECLARIFY, "dataset %s has no time dimension '%s' for the range", t->model->name, tdim);
            return NULL;
        }
        const char *x = dp_comp__qualify(c, td->expr, dp_comp__qi(c, t->model->name), t->model, NULL);
        out = dp_arena_printf(c->a, " AND %s >= DATE '%s' AND %s < DATE '%s'", x, c->in->range_start, x, c->in->range_end);
    }
    for (size_t k = 0; k < c->d->nfilters; k++)
        out = dp_arena_printf(c->a, "%s AND %s", out, dp_comp__filter_cond(c, &c->d->filters[k]));
    return out;
}

const char *dp_comp__rows_sql(comp *c, cte *t, int flags, const char *tdim, const char *filter_raw, const char *extra,
                              const char *indent)
{
    if (dp_comp__join_for_request(c, t, (flags & DP_ROWS_KEYS) != 0, (flags & DP_ROWS_REQUEST) != 0))
        return NULL;
    const char *fsql = NULL;
    if (filter_raw) {
        if (dp_comp__check_metric_filter(c, t->model, filter_raw))
            return NULL;
        if (!(fsql = dp_comp__render_filter(c, t, filter_raw)))
            return NULL;
    }
    const char *conds = flags & DP_ROWS_REQUEST ? request_conditions(c, t, tdim) : "";
    if (!conds)
        return NULL;
    if (fsql)
        conds = dp_arena_printf(c->a, "%s AND (%s)", conds, fsql);
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *out = NULL;
    dp_buf_printf(&b, "%sSELECT\n", indent);
    const char *in2 = dp_arena_printf(c->a, "%s    ", indent);
    if ((flags & DP_ROWS_KEYS) && key_columns(c, t, tdim, &b, in2))
        goto done;
    dp_buf_printf(&b, "%s", extra);
    dp_buf_printf(&b, "%sFROM %s.%s AS %s\n", indent, dp_comp__qi(c, t->model->schema), dp_comp__qi(c, t->model->table),
                  dp_comp__qi(c, t->model->name));
    for (size_t j = 0; j < t->njoins; j++) {
        const dp_join_step *s = &t->steps[j];
        dp_buf_printf(&b, "%sLEFT JOIN %s AS %s\n%s    ON %s = %s\n", indent, dp_comp__join_source(c, s),
                      dp_comp__qi(c, s->to->name), indent,
                      dp_comp__qualify(c, s->to_expr, dp_comp__qi(c, s->to->name), s->to, NULL),
                      dp_comp__qualify(c, s->from_expr, dp_comp__qi(c, s->from->name), s->from, NULL));
    }
    if (*conds)
        dp_buf_printf(&b, "%sWHERE %s\n", indent, conds + 5);
    if (b.toobig) {
        dp_error_set(c->err, DP_ELIMIT, "generated SQL exceeds %zu bytes", b.max);
        goto done;
    }
    out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
done:
    dp_buf_dispose(&b);
    return out;
}

const char *dp_comp__agg_of(comp *c, const dp_measure *me, const char *x)
{
    switch (me->agg) {
    case DP_AGG_SUM: return dp_arena_printf(c->a, "sum(%s)", x);
    case DP_AGG_COUNT: return dp_arena_printf(c->a, "count(%s)", x);
    case DP_AGG_COUNT_DISTINCT: return dp_arena_printf(c->a, "count(DISTINCT %s)", x);
    case DP_AGG_SUM_BOOLEAN: return dp_arena_printf(c->a, "sum(CASE WHEN %s THEN 1 ELSE 0 END)", x);
    case DP_AGG_AVERAGE: return dp_arena_printf(c->a, "avg(%s)", x);
    case DP_AGG_MIN: return dp_arena_printf(c->a, "min(%s)", x);
    case DP_AGG_MAX: return dp_arena_printf(c->a, "max(%s)", x);
    case DP_AGG_MEDIAN:
    case DP_AGG_PERCENTILE:
        return dp_arena_printf(c->a, "percentile_%s(%g) WITHIN GROUP (ORDER BY %s)", me->use_discrete_percentile ? "disc" : "cont",
                               me->percentile, x);
    }
    return NULL;
}

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

cte *dp_comp__body_cte(comp *c, const dp_model *m, const char *base, const dp_measure *me, const char *filter_raw,
                       const char *col, int *existing)
{
    *existing = 0;
    for (int k = 1; k < MAX_CTES + 2; k++) {
        const char *name = k == 1 ? base : dp_arena_printf(c->a, "%s_%d", base, k);
        cte *hit = NULL;
        for (size_t i = 0; i < c->nctes && !hit; i++)
            if (!strcmp(c->ctes[i].name, name))
                hit = &c->ctes[i];
        if (hit && hit->body && hit->n == 1 && hit->cols[0].me == me && same_text(hit->cols[0].filter_raw, filter_raw)) {
            *existing = 1;
            return hit;
        }
        if (hit)
            continue;
        if (c->nctes >= MAX_CTES)
            break;
        cte *w = &c->ctes[c->nctes++];
        memset(w, 0, sizeof(*w));
        w->model = m;
        w->name = name;
        w->body = "";
        w->n = 1;
        w->cols[0].me = me;
        w->cols[0].filter_raw = filter_raw;
        w->cols[0].name = col;
        return w;
    }
    dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
    return NULL;
}

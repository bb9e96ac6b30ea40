/* Semi-additive measures as MetricFlow computes them: the measure over only
 * the rows at the last (or first) value of its non-additive time dimension,
 * within each period of the report (when the report has the measure's time)
 * and each entity of window_groupings, after the filters and the range. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <string.h>

/* The report's time column name, or NULL when it has none. */
static const char *time_key(const comp *c)
{
    for (size_t k = 0; k < c->design->ncols; k++)
        if (c->design->cols[k].role == DP_ROLE_TIME)
            return c->design->cols[k].name;
    return NULL;
}

const char *dp_comp__semiadd_ref(comp *c, const dp_measure *me, const char *filter_raw, int daily)
{
    const char *edge = me->non_additive_max ? "max" : "min";
    if (daily || c->shift) {
        dp_error_set(c->err, DP_ECLARIFY, "measure '%s' is semi-additive (%s of %s): a %s over it is not supported", me->name,
                     edge, me->non_additive_dim, daily ? "cumulative window" : "period offset");
        return NULL;
    }
    const dp_dimension *nd = dp_kg_model_dim(me->model, me->non_additive_dim);
    if (!nd || nd->type != DP_DIM_TIME) {
        dp_error_set(c->err, DP_EINVALID, "measure '%s': non_additive_dimension '%s' is not a time dimension of %s", me->name,
                     me->non_additive_dim, me->model->name);
        return NULL;
    }
    const char *tkey = time_key(c);
    if (tkey && (!me->agg_time_dimension || strcmp(me->agg_time_dimension, me->non_additive_dim))) {
        /* MetricFlow would take the edge over every period and group it by
         * another time: a number that is no period's value */
        dp_error_set(c->err, DP_ECLARIFY,
                     "measure '%s' is semi-additive in %s but reported by its time dimension %s, so no period has its own %s "
                     "%s; ask for it without a time grain",
                     me->name, me->non_additive_dim, me->agg_time_dimension ? me->agg_time_dimension : "(none)",
                     me->non_additive_max ? "last" : "first", me->non_additive_dim);
        return NULL;
    }
    const char *part = "", *notnull = "";
    for (size_t i = 0; i < me->nwindow_groupings; i++) {
        if (!dp_kg_model_entity(me->model, me->window_groupings[i])) {
            dp_error_set(c->err, DP_EINVALID, "measure '%s': window_groupings names '%s', which is not an entity of %s",
                         me->name, me->window_groupings[i], me->model->name);
            return NULL;
        }
        part = dp_arena_printf(c->a, "%s%sdp_r.dp_g%zu", part, *part ? ", " : "", i);
        notnull = dp_arena_printf(c->a, "%s AND dp_s.dp_g%zu IS NOT NULL", notnull, i);
    }
    if (tkey)
        part = dp_arena_printf(c->a, "%s%sdp_r.%s", part, *part ? ", " : "", dp_comp__qi(c, tkey));
    int existing = 0;
    const char *base = dp_arena_printf(c->a, "%s_%s_%s", me->model->name, me->name, me->non_additive_max ? "last" : "first");
    cte *w = dp_comp__body_cte(c, me->model, base, me, filter_raw, me->name, &existing);
    if (!w)
        return NULL;
    const char *ref = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, w->name), dp_comp__qi(c, me->name));
    if (c->lineage_sources)
        dp_comp__qualify(c, me->expr, "x", me->model, c->lineage_sources);
    if (existing)
        return ref;
    int timed = c->in->grain != DP_GRAIN_NONE || c->in->range_start;
    w->time_dim = timed ? me->agg_time_dimension : NULL;
    const char *at = dp_comp__row_time(c, me->model, me->non_additive_dim, nd->granularity);
    if (!at)
        return NULL;
    const char *extra = dp_arena_printf(c->a, "                %s AS dp_value,\n                %s AS dp_at",
                                        dp_comp__qualify(c, me->expr, dp_comp__qi(c, me->model->name), me->model, NULL), at);
    for (size_t i = 0; i < me->nwindow_groupings; i++)
        extra = dp_arena_printf(c->a, "%s,\n                %s AS dp_g%zu", extra,
                                dp_comp__row_element(c, me->model, me->window_groupings[i]), i);
    cte *rs = dp_comp__rows_scope(c, me->model);
    const char *rows = rs ? dp_comp__rows_sql(c, rs, DP_ROWS_KEYS | DP_ROWS_REQUEST, w->time_dim, filter_raw,
                                              dp_arena_printf(c->a, "%s\n", extra), "            ")
                          : NULL;
    if (!rows)
        return NULL;
    size_t nk = dp_comp__nkeys(c);
    const char *grp = "";
    for (size_t k = 0; k < nk; k++)
        grp = dp_arena_printf(c->a, "%s%s%zu", grp, k ? ", " : "\n    GROUP BY ", k + 1);
    const char *scope = me->nwindow_groupings ? (tkey ? "each period and each window grouping" : "each window grouping")
                        : tkey                ? "each period"
                                              : "all the rows";
    w->body = dp_arena_printf(c->a,
                              "    -- %s: %s over the rows at the %s %s (its grain: %s) of %s, after the filters\n"
                              "    SELECT\n        %s%s%s AS %s\n"
                              "    FROM (\n        SELECT\n            dp_r.*,\n"
                              "            %s(dp_r.dp_at) OVER (%s%s) AS dp_edge\n"
                              "        FROM (\n%s        ) AS dp_r\n    ) AS dp_s\n"
                              "    WHERE dp_s.dp_at = dp_s.dp_edge%s%s",
                              me->name, dp_agg_name(me->agg), me->non_additive_max ? "last" : "first",
                              me->non_additive_dim, dp_grain_name(nd->granularity ? nd->granularity : DP_GRAIN_DAY), scope,
                              dp_comp__key_list(c, "dp_s"), nk ? ",\n        " : "", dp_comp__agg_of(c, me, "dp_s.dp_value"),
                              dp_comp__qi(c, me->name), edge, *part ? "PARTITION BY " : "", part, rows, notnull, grp);
    return ref;
}

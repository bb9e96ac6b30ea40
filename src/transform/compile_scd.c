/* Joins into SCD type 2 datasets (validity_params), as MetricFlow makes
 * them: on the key and on the period of validity that holds the row's own
 * time, the measure's time dimension at its granularity, start inclusive,
 * end exclusive, a NULL end open. A join on the key alone would give each
 * row every version of the dimension. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <string.h>

/* The time dimension of the rows of t: its own, else the one every measure
 * of t is aggregated by; NULL when there is none or they differ. */
static const char *rows_time(const cte *t, const char **why)
{
    if (t->time_dim)
        return t->time_dim;
    const char *td = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const char *x = t->cols[i].me->agg_time_dimension;
        if (!x) {
            *why = "has no time dimension";
            return NULL;
        }
        if (td && strcmp(td, x)) {
            *why = "is aggregated by two time dimensions here";
            return NULL;
        }
        td = x;
    }
    if (!td)
        *why = "has no time dimension";
    return td;
}

const char *dp_comp__validity_on(comp *c, const cte *t, const dp_join_step *s)
{
    const dp_dimension *start = NULL, *end = NULL;
    int scd = dp_kg_model_validity(s->to, &start, &end);
    if (!scd && !start && !end)
        return "";
    if (!scd) {
        dp_error_set(c->err, DP_EINVALID, "%s:%d: dataset %s marks %s with validity_params but has no %s dimension",
                     s->to->pos.file ? s->to->pos.file : "?", s->to->pos.line, s->to->name,
                     start ? start->name : end->name, start ? "is_end" : "is_start");
        return NULL;
    }
    const char *why = "has no time dimension";
    const char *td = rows_time(t, &why);
    const dp_dimension *d = td ? dp_kg_model_dim(t->model, td) : NULL;
    if (!d) {
        dp_error_set(c->err, DP_ECLARIFY,
                     "dataset %s is valid over periods (validity_params %s, %s), so it is joined on the time of each "
                     "row, and dataset %s %s",
                     s->to->name, start->name, end->name, t->model->name, why);
        return NULL;
    }
    /* as a DATE, as the compiler's other periods: in PostgreSQL date_trunc
     * of a date is a timestamp with time zone, which a DATE bound would be
     * compared with through the session's zone */
    const char *at = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(d->granularity ? d->granularity : DP_GRAIN_DAY),
                                     dp_comp__qualify(c, d->expr, dp_comp__qi(c, t->model->name), t->model, NULL));
    const char *alias = dp_comp__qi(c, s->to->name);
    const char *st = dp_comp__qualify(c, start->expr, alias, s->to, NULL);
    const char *en = dp_comp__qualify(c, end->expr, alias, s->to, NULL);
    return dp_arena_printf(c->a, "\n        AND %s >= %s AND (%s < %s OR %s IS NULL)", at, st, at, en, en);
}

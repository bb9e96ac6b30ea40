/* What every dataset's rows share in a query, whichever part of the
 * compiler reads them: the joins the report's keys and filters need, each
 * key column's expression, and each filter's condition. */
#include "transform/compile_int.h"
#include "catalog/db.h"
#include "util/error.h"
#include <string.h>
#include <strings.h>

int dp_comp__join_for_request(comp *c, cte *t, int keys, int filters)
{
    int rc;
    for (size_t k = 0; keys && k < c->design->ncols; k++) {
        const dp_target_col *tc = &c->design->cols[k];
        if (tc->role == DP_ROLE_DIMENSION && (rc = dp_comp__cte_join_via(c, t, tc->grain->via, tc->grain->dim_model)))
            return rc;
        if (tc->role == DP_ROLE_ENTITY && !dp_kg_model_entity(t->model, tc->grain->entity) &&
            (rc = dp_comp__cte_join(c, t, tc->grain->dim_model)))
            return rc;
    }
    for (size_t k = 0; filters && k < c->d->nfilters; k++)
        if ((rc = dp_comp__cte_join(c, t, c->d->filters[k].model)))
            return rc;
    return 0;
}

const char *dp_comp__key_expr(comp *c, const cte *t, const dp_target_col *tc)
{
    if (tc->role == DP_ROLE_DIMENSION) {
        const dp_model *dm = tc->grain->dim_model;
        return dp_comp__joined_value(c, t, dm, dp_comp__qualify(c, tc->grain->dim->expr, dp_comp__qi(c, dm->name), dm, NULL));
    }
    /* an entity: its key here, else on the nearest joined dataset that carries it */
    const dp_entity *e = dp_kg_model_entity(t->model, tc->grain->entity);
    const dp_model *em = e ? t->model : tc->grain->dim_model;
    for (size_t j = 0; j < t->njoins && !e; j++)
        if ((e = dp_kg_model_entity(t->joined[j], tc->grain->entity)))
            em = t->joined[j];
    if (!e) {
        dp_error_set(c->err, DP_ECLARIFY, "dataset %s cannot reach entity %s", t->model->name, tc->grain->entity);
        return NULL;
    }
    return dp_comp__qualify(c, e->expr, dp_comp__qi(c, em->name), em, NULL);
}

static const char *literal(comp *c, const char *v)
{
    char buf[1024];
    return dp_arena_strdup(c->a, dp_sql_quote_literal(v, buf, sizeof(buf)) ? buf : "''");
}

const char *dp_comp__filter_cond(comp *c, const dp_plan_filter *f)
{
    const char *x = dp_comp__qualify(c, f->dim->expr, dp_comp__qi(c, f->model->name), f->model, NULL);
    if (f->range_start)
        return dp_arena_printf(c->a, "%s >= DATE '%s' AND %s < DATE '%s'", x, f->range_start, x, f->range_end);
    if (f->presence) {
        /* "without a promo code": no value; a text column whose data
         * writes none as '' holds nothing there either */
        const dp_column *col = f->dim->column;
        int blank = 0;
        for (size_t k = 0; col && col->type && !strncasecmp(col->type, "VARCHAR", 7) && k < col->prof.ntop; k++)
            blank |= col->prof.top_values[k] && !col->prof.top_values[k][0];
        if (f->presence == DP_PRESENCE_EMPTY)
            return blank ? dp_arena_printf(c->a, "(%s IS NULL OR %s = '')", x, x)
                         : dp_arena_printf(c->a, "%s IS NULL", x);
        return blank ? dp_arena_printf(c->a, "(%s IS NOT NULL AND %s <> '')", x, x)
                     : dp_arena_printf(c->a, "%s IS NOT NULL", x);
    }
    /* "excluding x": everything else, rows without a value too; "providers
     * not accepting": of the rows that have a provider (its key) */
    const char *has = "";
    for (size_t e = 0; f->negate && f->matched && e < f->model->nentities; e++)
        if (f->model->entities[e].type == DP_ENT_PRIMARY && f->model->entities[e].expr)
            has = dp_arena_printf(
                c->a, "%s IS NOT NULL AND ",
                dp_comp__qualify(c, f->model->entities[e].expr, dp_comp__qi(c, f->model->name), f->model, NULL));
    const char *cond;
    if (f->nvalues == 1) {
        cond = dp_arena_printf(c->a, "%s %s %s", x, f->negate ? "IS DISTINCT FROM" : "=", literal(c, f->values[0]));
    } else {
        const char *list = "";
        for (size_t v = 0; v < f->nvalues; v++)
            list = dp_arena_printf(c->a, "%s%s%s", list, v ? ", " : "", literal(c, f->values[v]));
        cond = f->negate ? dp_arena_printf(c->a, "(%s IS NULL OR %s NOT IN (%s))", x, x, list)
                         : dp_arena_printf(c->a, "%s IN (%s)", x, list);
    }
    return *has ? dp_arena_printf(c->a, "(%s%s)", has, cond) : cond;
}

/* Quality rules on the product's rows and periods: the row count, the
 * freshness of the newest period and the periods the data covers only in
 * part. */
#include "quality/quality_int.h"
#include "catalog/db.h"
#include "intent/timeparse.h"
#include "util/error.h"
#include "util/ident.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_cumulative(const dp_kg *kg, const dp_metric *m, int depth)
{
    if (depth > 12 || m->type == DP_METRIC_CUMULATIVE)
        return 1;
    const char *names[2] = {m->type == DP_METRIC_RATIO ? m->numerator.name : NULL,
                            m->type == DP_METRIC_RATIO ? m->denominator.name : NULL};
    for (int i = 0; i < 2; i++) {
        const dp_metric *sub = names[i] ? dp_kg_metric(kg, names[i]) : NULL;
        if (sub && sub != m && has_cumulative(kg, sub, depth + 1))
            return 1;
    }
    for (size_t i = 0; m->type == DP_METRIC_DERIVED && i < m->ninputs; i++) {
        const dp_metric *sub = dp_kg_metric(kg, m->inputs[i].name);
        if (sub && has_cumulative(kg, sub, depth + 1))
            return 1;
    }
    return 0;
}

/* Rows: at least one; and, since every row of an aggregate comes from at
 * least one source row, at most the rows of the datasets aggregated (checked
 * live, so it holds as the data grows). Windows repeat rows across periods:
 * products with a cumulative metric get the lower bound only. */
void dp_quality__row_count_rule(qctx *q)
{
    dp_run *r = q->r;
    const char *t = r->exec.table;
    const char *ds = r->disc.nselected ? r->disc.selected[0]->name : "";
    int cumulative = 0;
    for (size_t i = 0; i < r->intent.nmetrics; i++)
        cumulative |= has_cumulative(r->kg, r->intent.metrics[i], 0);
    const char *bound = "";
    size_t i;
    json_t *cte;
    json_array_foreach(r->compiled.ctes, i, cte) {
        const dp_model *m = dp_kg_model(r->kg, json_string_value(json_object_get(cte, "dataset")));
        if (!m || !m->table)
            continue;
        bound = dp_arena_printf(r->a, "%s%s(SELECT count(*) FROM %s)", bound, *bound ? " + " : "", dp_quality__table(r, m));
    }
    /* a time spine the SQL reads gives rows of its own (periods without data) */
    for (size_t k = 0; *bound && k < r->kg->nspines; k++) {
        const dp_time_spine *sp = &r->kg->spines[k];
        char a[300], b[300];
        if (sp->table && r->compiled.sql && strstr(r->compiled.sql, sp->table))
            bound = dp_arena_printf(r->a, "%s + (SELECT count(*) FROM %s.%s)", bound, dp_sql_quote_ident(sp->schema, a, sizeof(a)),
                                    dp_sql_quote_ident(sp->table, b, sizeof(b)));
    }
    if (cumulative || !*bound) {
        dp_quality__add_rule(q, "row_count", NULL, "error", "business_logic", ds, "the product has at least one row", "count(*) >= 1",
                 dp_arena_printf(r->a, "SELECT 1 AS empty WHERE NOT EXISTS (SELECT 1 FROM %s)", t),
                 dp_quality__gx_exp("expect_table_row_count_to_be_between", json_pack("{s:i}", "min_value", 1), "non-empty"), NULL);
        return;
    }
    dp_quality__add_rule(q, "row_count", NULL, "error", "business_logic", ds,
             "between 1 row and the number of source rows aggregated (each row of the product comes from at least one)",
             dp_arena_printf(r->a, "count(*) BETWEEN 1 AND %s", bound),
             dp_arena_printf(r->a, "SELECT count(*) AS row_count FROM %s HAVING count(*) < 1 OR count(*) > %s", t, bound),
             dp_quality__gx_exp("expect_table_row_count_to_be_between", json_pack("{s:i}", "min_value", 1), "non-empty"), NULL);
}

/* The newest period of the product is the newest period of its sources,
 * checked against the sources as they are when the check runs. */
void dp_quality__freshness_rule(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    const dp_target_col *tc = NULL;
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role == DP_ROLE_TIME)
            tc = &dz->cols[i];
    if (!tc || r->intent.range_start || !r->intent.nmetrics)
        return;
    /* the time dimension of the first metric's dataset */
    const dp_model *mm[8];
    size_t nm = dp_metric_models(r->kg, r->intent.metrics[0], mm, 8, 0);
    const dp_model *src = NULL;
    const dp_dimension *td = NULL;
    for (size_t j = 0; j < nm && !td; j++) {
        const char *tname = mm[j]->default_time_dim;
        for (size_t k = 0; k < mm[j]->nmeasures && !tname; k++)
            tname = mm[j]->measures[k].agg_time_dimension;
        if (tname && (td = dp_kg_model_dim(mm[j], tname)) && dp_is_identifier(td->expr))
            src = mm[j];
        else
            td = NULL;
    }
    if (!src)
        return;
    const char *g = dp_grain_name(r->intent.grain);
    const char *newest = dp_arena_printf(r->a, "(SELECT CAST(date_trunc('%s', max(%s)) AS DATE) FROM %s)", g, dp_quality__ident(r, td->expr),
                                         dp_quality__table(r, src));
    /* a custom granularity: the time spine's period of the newest day */
    const char *desc = NULL;
    for (size_t k = 0; r->intent.custom_grain && k < r->kg->nspines; k++)
        for (size_t j = 0; j < r->kg->spines[k].ncustom; j++) {
            const dp_time_spine *sp = &r->kg->spines[k];
            char a[300], b[300];
            if (strcmp(sp->custom[j].name, r->intent.custom_grain) || !sp->table)
                continue;
            newest = dp_arena_printf(r->a, "(SELECT max(%s) FROM %s.%s WHERE CAST(%s AS DATE) = (SELECT CAST(max(%s) AS DATE) FROM %s))",
                                     dp_quality__ident(r, sp->custom[j].column), dp_sql_quote_ident(sp->schema, a, sizeof(a)),
                                     dp_sql_quote_ident(sp->table, b, sizeof(b)), dp_quality__ident(r, sp->column), dp_quality__ident(r, td->expr),
                                     dp_quality__table(r, src));
            desc = dp_arena_printf(r->a, "the newest %s is the %s of the newest day of %s.%s", tc->name, r->intent.custom_grain,
                                   src->name, td->expr);
        }
    dp_quality__add_rule(q, "freshness", tc->name, "warn", "business_logic", src->name,
             desc ? desc : dp_arena_printf(r->a, "the newest %s is the newest %s of %s.%s", tc->name, g, src->name, td->expr),
             dp_arena_printf(r->a, "max(%s) >= %s", tc->name, newest),
             dp_arena_printf(r->a, "SELECT max(%s) AS newest FROM %s HAVING max(%s) IS NULL OR max(%s) < %s", dp_quality__ident(r, tc->name),
                             r->exec.table, dp_quality__ident(r, tc->name), dp_quality__ident(r, tc->name), newest),
             NULL, NULL);
}


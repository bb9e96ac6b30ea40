/* The reconciliation rule of a product whose SQL a language model wrote
 * (run.h, dp_llm_sql): its base metric column equals, on every grain value,
 * what the metric compiler computes from the catalog's definition. The
 * intent stage checked it on the model's SQL; here it runs on the product
 * as every rule does, and is exported with them (a dbt singular test). */
#include "quality/quality_int.h"
#include "util/buf.h"
#include <string.h>

void dp_quality__reconcile_rule(qctx *q)
{
    dp_run *r = q->r;
    const dp_llm_sql *l = r->llm_sql;
    if (!l)
        return;
    dp_buf on, cols;
    dp_buf_init(&on, 0);
    dp_buf_init(&cols, 0);
    for (size_t i = 0; i < l->ngrain; i++) {
        const char *g = dp_quality__ident(r, l->grain[i]);
        dp_buf_printf(&on, "%sm.%s IS NOT DISTINCT FROM d.%s", i ? " AND " : "", g, g);
        dp_buf_printf(&cols, "coalesce(m.%s, d.%s) AS %s, ", g, g, g);
    }
    const char *b = dp_quality__ident(r, l->base_col);
    const char *mv = dp_arena_printf(r->a, "CAST(m.%s AS DOUBLE)", b),
               *dv = dp_arena_printf(r->a, "CAST(d.%s AS DOUBLE)", b);
    const char *sql = dp_arena_printf(
        r->a,
        "WITH dp_compiler AS (\n%s\n)\nSELECT %sm.%s AS product_value, d.%s AS compiler_value FROM %s AS m FULL JOIN "
        "dp_compiler AS d ON %s WHERE NOT coalesce(%s IS NOT DISTINCT FROM %s OR abs(%s - %s) <= 1e-6 * "
        "greatest(abs(%s), abs(%s)), false)",
        l->base_sql, dp_buf_cstr(&cols), b, b, r->exec.table, l->ngrain ? dp_buf_cstr(&on) : "true", mv, dv, mv, dv, mv,
        dv);
    const dp_model *mm[1];
    const dp_metric *m = r->intent.nmetrics ? r->intent.metrics[0] : NULL;
    size_t nmm = m ? dp_metric_models(r->kg, m, mm, 1, 0) : 0;
    const char *ds = nmm ? mm[0]->name : r->disc.nselected ? r->disc.selected[0]->name : "";
    dp_quality__add_rule(
        q, "reconciliation", l->base_col, "error", "business_logic", ds,
        dp_arena_printf(r->a,
                        "%s, from the language model's SQL, equals the metric compiler's %s on every grain value "
                        "(1e-6 relative, each grain value on both sides)",
                        l->base_col, l->base_col),
        dp_arena_printf(r->a, "%s = the compiler's %s at the grain", l->base_col, l->base_col), sql, NULL, NULL);
    dp_buf_dispose(&on);
    dp_buf_dispose(&cols);
}

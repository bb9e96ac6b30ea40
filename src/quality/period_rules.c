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
    (void)depth; /* the closure bounds the walk, each metric once */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX);
    for (size_t c = 0; c < ncl; c++)
        if (cl[c]->type == DP_METRIC_CUMULATIVE)
            return 1;
    return ncl == DP_METRIC_CLOSURE_MAX; /* not all seen: as the depth limit did, assume one */
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
    /* as it runs: the sources' rows counted once per data fingerprint */
    const char *fmt = "SELECT count(*) AS row_count FROM %s HAVING count(*) < 1 OR count(*) > %s";
    const char *lit = dp_quality__source_count(r, bound);
    q->run_sql = lit ? dp_arena_printf(r->a, fmt, t, lit) : NULL;
    dp_quality__add_rule(
        q, "row_count", NULL, "error", "business_logic", ds,
        "between 1 row and the number of source rows aggregated (each row of the product comes from at least one)",
        dp_arena_printf(r->a, "count(*) BETWEEN 1 AND %s", bound), dp_arena_printf(r->a, fmt, t, bound),
        dp_quality__gx_exp("expect_table_row_count_to_be_between", json_pack("{s:i}", "min_value", 1), "non-empty"),
        NULL);
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
    /* the newest period of the source is read once per data fingerprint */
    const char *fmt = "SELECT max(%s) AS newest FROM %s HAVING max(%s) IS NULL OR max(%s) < %s";
    const char *col = dp_quality__ident(r, tc->name), *lit = dp_quality__source_date(r, newest);
    q->run_sql = lit ? dp_arena_printf(r->a, fmt, col, r->exec.table, col, col, lit) : NULL;
    dp_quality__add_rule(q, "freshness", tc->name, "warn", "business_logic", src->name,
             desc ? desc : dp_arena_printf(r->a, "the newest %s is the newest %s of %s.%s", tc->name, g, src->name, td->expr),
             dp_arena_printf(r->a, "max(%s) >= %s", tc->name, newest),
             dp_arena_printf(r->a, fmt, col, r->exec.table, col, col, newest), NULL, NULL);
}


static const char *weekday_name(dp_date d)
{
    static const char *names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    int w = dp_date_weekday(d);
    return w >= 0 && w < 7 ? names[w] : "?";
}

/* The custom granularity of the request in the time spine, or NULL. */
static const dp_time_spine *custom_spine(const dp_run *r, const dp_custom_grain **out)
{
    for (size_t k = 0; r->intent.custom_grain && k < r->kg->nspines; k++)
        for (size_t j = 0; j < r->kg->spines[k].ncustom; j++)
            if (!strcmp(r->kg->spines[k].custom[j].name, r->intent.custom_grain) && r->kg->spines[k].table) {
                *out = &r->kg->spines[k].custom[j];
                return &r->kg->spines[k];
            }
    return NULL;
}

typedef struct period_ctx {
    char value[128];
    int partial, got;
} period_ctx;

static int read_period(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    period_ctx *c = p;
    (void)names;
    if (ncols >= 2 && vals[0]) {
        snprintf(c->value, sizeof(c->value), "%s", vals[0]);
        c->partial = vals[1] && (!strcmp(vals[1], "true") || !strcmp(vals[1], "1"));
        c->got = 1;
    }
    return 1;
}

/* The period of a day and whether the day is not its first (first) or not
 * its last (!first) day: from the calendar for the standard grains, from the
 * time spine for a custom one. 0 on success. */
static int period_of(dp_run *r, dp_date day, int first, const dp_time_spine *sp, const dp_custom_grain *cg,
                     char *out, size_t n, int *partial)
{
    char ds[11];
    dp_date_format(day, ds);
    if (!sp) {
        dp_grain g = r->intent.grain;
        dp_date start = dp_date_trunc(day, g), next = dp_date_trunc(dp_date_add_days(day, 1), g);
        dp_date_format(start, ds);
        snprintf(out, n, "%s", ds);
        *partial = first ? dp_date_days(start) != dp_date_days(day) : dp_date_days(next) == dp_date_days(start);
        return 0;
    }
    char a[300], b[300];
    const char *tab = dp_arena_printf(r->a, "%s.%s", dp_sql_quote_ident(sp->schema, a, sizeof(a)),
                                      dp_sql_quote_ident(sp->table, b, sizeof(b)));
    const char *cc = dp_quality__ident(r, cg->column), *dc = dp_quality__ident(r, sp->column);
    const char *sql = dp_arena_printf(r->a,
                                      "SELECT CAST(a.%s AS VARCHAR), EXISTS (SELECT 1 FROM %s AS b WHERE b.%s = a.%s AND "
                                      "CAST(b.%s AS DATE) %s DATE '%s') FROM %s AS a WHERE CAST(a.%s AS DATE) = DATE '%s'",
                                      cc, tab, cc, cc, dc, first ? "<" : ">", ds, tab, dc, ds);
    period_ctx pc = {"", 0, 0};
    dp_error err = {0};
    if (dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_period, &pc, &err) || !pc.got)
        return -1;
    snprintf(out, n, "%s", pc.value);
    *partial = pc.partial;
    return 0;
}

/* The rows of the first or last period when it is partial: fd and ld are
 * the first and last days the sources have (columns of the live check's
 * derived table, or their values as literals). */
static const char *period_cond(dp_run *r, const dp_time_spine *sp, const dp_custom_grain *cg, const char *p_id,
                               const char *fd, const char *ld)
{
    if (!sp) {
        const char *g = dp_grain_name(r->intent.grain);
        return dp_arena_printf(r->a,
                               "(p.%s = CAST(date_trunc('%s', %s) AS DATE) AND CAST(date_trunc('%s', "
                               "%s) AS DATE) < %s) OR (p.%s = CAST(date_trunc('%s', %s) AS "
                               "DATE) AND CAST(date_trunc('%s', %s + 1) AS DATE) = CAST(date_trunc('%s', "
                               "%s) AS DATE))",
                               p_id, g, fd, g, fd, fd, p_id, g, ld, g, ld, g, ld);
    }
    char a[300], b[300];
    const char *tab = dp_arena_printf(r->a, "%s.%s", dp_sql_quote_ident(sp->schema, a, sizeof(a)),
                                      dp_sql_quote_ident(sp->table, b, sizeof(b)));
    const char *cc = dp_quality__ident(r, cg->column), *dc = dp_quality__ident(r, sp->column);
    return dp_arena_printf(r->a,
                           "p.%s IN (SELECT a.%s FROM %s AS a WHERE CAST(a.%s AS DATE) = %s AND EXISTS "
                           "(SELECT 1 FROM %s AS b WHERE b.%s = a.%s AND CAST(b.%s AS DATE) < %s)) OR p.%s "
                           "IN (SELECT a.%s FROM %s AS a WHERE CAST(a.%s AS DATE) = %s AND EXISTS (SELECT 1 "
                           "FROM %s AS b WHERE b.%s = a.%s AND CAST(b.%s AS DATE) > %s))",
                           p_id, cc, tab, dc, fd, tab, cc, cc, dc, fd, p_id, cc, tab, dc, ld, tab, cc, cc, dc, ld);
}

void dp_quality__partial_period_rule(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    const dp_target_col *tc = NULL;
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role == DP_ROLE_TIME)
            tc = &dz->cols[i];
    const dp_custom_grain *cg = NULL;
    const dp_time_spine *sp = custom_spine(r, &cg);
    if (!tc || !r->exec.ran || !json_array_size(r->exec.coverage) || (r->intent.custom_grain && !sp) ||
        (!sp && (r->intent.grain == DP_GRAIN_NONE || r->intent.grain == DP_GRAIN_DAY)))
        return;
    const char *unit = sp ? r->intent.custom_grain : dp_grain_name(r->intent.grain);
    /* the request's range, half-open: its last day is the day before its end */
    dp_date rs = {0}, rl = {0};
    int has_rs = r->intent.range_start && !dp_date_parse(r->intent.range_start, &rs);
    int has_re = r->intent.range_end && !dp_date_parse(r->intent.range_end, &rl);
    if (has_re)
        rl = dp_date_add_days(rl, -1);
    char rsl[11] = "", rll[11] = "";
    if (has_rs)
        dp_date_format(rs, rsl);
    if (has_re)
        dp_date_format(rl, rll);
    const char *p_id = dp_quality__ident(r, tc->name);
    const char *from = "", *run_cond = "", *cond = "", *desc = "", *ds0 = NULL;
    int any = 0;
    size_t k;
    json_t *cov;
    json_array_foreach(r->exec.coverage, k, cov) {
        const dp_model *m = dp_kg_model(r->kg, json_string_value(json_object_get(cov, "dataset")));
        const dp_dimension *d = m ? dp_kg_model_dim(m, json_string_value(json_object_get(cov, "time_dimension"))) : NULL;
        dp_date f, l;
        if (!m || !m->table || !d || dp_date_parse(json_string_value(json_object_get(cov, "first")), &f) ||
            dp_date_parse(json_string_value(json_object_get(cov, "last")), &l))
            continue;
        /* what the product aggregates: the source's days within the range */
        int cut_f = has_rs && dp_date_days(rs) > dp_date_days(f), cut_l = has_re && dp_date_days(rl) < dp_date_days(l);
        if (cut_f)
            f = rs;
        if (cut_l)
            l = rl;
        if (dp_date_days(f) > dp_date_days(l))
            continue;
        char fp[128], lp[128], fs[11], ls[11];
        int fpart = 0, lpart = 0;
        if (period_of(r, f, 1, sp, cg, fp, sizeof(fp), &fpart) || period_of(r, l, 0, sp, cg, lp, sizeof(lp), &lpart))
            continue;
        dp_date_format(f, fs);
        dp_date_format(l, ls);
        const char *who = dp_arena_printf(r->a, "%s.%s", m->name, d->name);
        int week = !sp && r->intent.grain == DP_GRAIN_WEEK;
        const char *part = "";
        if (fpart)
            part = dp_arena_printf(r->a, "the first %s (%s) is partial: %s %s on %s%s%s", unit, fp,
                                   cut_f ? "the request's range" : who, "starts", fs, week ? ", a " : "",
                                   week ? weekday_name(f) : "");
        if (lpart)
            part = dp_arena_printf(r->a, "%s%sthe last %s (%s) is partial: %s %s on %s%s%s", part, *part ? "; " : "",
                                   unit, lp, cut_l ? "the request's range" : who, "ends", ls, week ? ", a " : "",
                                   week ? weekday_name(l) : "");
        if (!*part)
            part = dp_arena_printf(r->a, "every %s is whole: %s covers %s to %s%s", unit, who, fs, ls,
                                   has_rs || has_re ? " within the request's range" : "");
        desc = dp_arena_printf(r->a, "%s%s%s", desc, *desc ? "; " : "", part);
        any |= fpart || lpart;
        ds0 = ds0 ? ds0 : m->name;
        /* the live check: the same periods from the sources as they are then */
        const char *day = dp_arena_printf(r->a, "CAST(%s AS DATE)",
                                          dp_is_identifier(d->expr) ? dp_quality__ident(r, d->expr) : d->expr);
        const char *lo = has_rs ? dp_arena_printf(r->a, "greatest(min(%s), DATE '%s')", day, rsl)
                                : dp_arena_printf(r->a, "min(%s)", day);
        const char *hi = has_re ? dp_arena_printf(r->a, "least(max(%s), DATE '%s')", day, rll)
                                : dp_arena_printf(r->a, "max(%s)", day);
        const char *s = dp_arena_printf(r->a, "s%zu", k);
        from = dp_arena_printf(r->a, "%s, (SELECT %s AS first_day, %s AS last_day FROM %s) AS %s", from, lo, hi,
                               dp_quality__table(r, m), s);
        /* as it runs: the source's first and last days read once per data
         * fingerprint, when both are plain dates */
        const char *llo = dp_quality__source_date(r, dp_arena_printf(r->a, "(SELECT %s FROM %s)", lo, dp_quality__table(r, m)));
        const char *lhi = llo ? dp_quality__source_date(r, dp_arena_printf(r->a, "(SELECT %s FROM %s)", hi, dp_quality__table(r, m))) : NULL;
        const char *c = period_cond(r, sp, cg, p_id, dp_arena_printf(r->a, "%s.first_day", s),
                                    dp_arena_printf(r->a, "%s.last_day", s));
        /* as it runs: with the days as literals, a condition on the rows alone */
        run_cond = run_cond && llo && lhi ? dp_arena_printf(r->a, "%s%s%s", run_cond, *run_cond ? " OR " : "",
                                                            period_cond(r, sp, cg, p_id, llo, lhi))
                                          : NULL;
        cond = dp_arena_printf(r->a, "%s%s%s", cond, *cond ? " OR " : "", c);
    }
    if (!*cond)
        return;
    q->run_sql = run_cond ? dp_arena_printf(r->a, "SELECT p.* FROM %s AS p WHERE %s", r->exec.table, run_cond) : NULL;
    dp_quality__add_rule(
        q, "partial_period", tc->name, "warn", "business_logic", ds0,
        dp_arena_printf(r->a, "%s%s; the check finds the first and last %s again from the sources on each run", desc,
                        any ? dp_arena_printf(r->a,
                                              ": the rows of those periods are kept, and aggregate only the days the "
                                              "data has, not a whole %s",
                                              unit)
                            : "",
                        unit),
        dp_arena_printf(r->a, "the first and last %s of the product are whole periods of the sources' range", unit),
        dp_arena_printf(r->a, "SELECT p.* FROM %s AS p%s WHERE %s", r->exec.table, from, cond), NULL, NULL);
}

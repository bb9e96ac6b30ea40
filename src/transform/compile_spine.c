/* Time spine joins, as MetricFlow makes them: join_to_timespine (every
 * period of the spine, LEFT JOIN of the aggregated values), offset_window
 * and offset_to_grain (each spine period INNER JOINed to the value of an
 * earlier period: after aggregation when the report grain is no coarser than
 * the offset's, else per day before it). */
#include "transform/compile_int.h"
#include "catalog/db.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The bound spine for a report by grain g, as MetricFlow chooses it: the
 * coarsest whose grain is no coarser than g (any grain: the finest); when
 * none is fine enough, the finest (the caller says it is too coarse). NULL
 * when none is bound; *why then says why, or stays NULL. */
static const dp_time_spine *pick(const dp_kg *kg, dp_grain g, const char **why)
{
    const dp_time_spine *best = NULL, *fin = NULL;
    *why = NULL;
    for (size_t i = 0; i < kg->nspines; i++) {
        const dp_time_spine *sp = &kg->spines[i];
        if (!sp->table)
            continue;
        if (!fin || sp->grain < fin->grain)
            fin = sp;
        if (g != DP_GRAIN_NONE && sp->grain <= g && (!best || sp->grain > best->grain))
            best = sp;
    }
    for (size_t i = 0; !fin && i < kg->nproblems && !*why; i++)
        if (!strcmp(kg->problems[i].kind, "time_spine"))
            *why = kg->problems[i].reason;
    return best ? best : fin;
}

const char *dp_comp__spine_days_bound(comp *c, int upper)
{
    const char *why;
    const dp_time_spine *sp = pick(c->kg, DP_GRAIN_DAY, &why);
    if (!sp || sp->grain != DP_GRAIN_DAY)
        return NULL;
    return dp_arena_printf(c->a, "(SELECT CAST(%s(%s) AS TIMESTAMP) FROM %s.%s)", upper ? "max" : "min",
                           dp_comp__qi(c, sp->column), dp_comp__qi(c, sp->schema), dp_comp__qi(c, sp->table));
}

/* The spine holding the request's custom granularity, and its column. */
static const dp_time_spine *custom_spine(const dp_kg *kg, const char *name, const dp_custom_grain **g)
{
    for (size_t i = 0; i < kg->nspines; i++)
        for (size_t j = 0; j < kg->spines[i].ncustom; j++)
            if (!strcmp(kg->spines[i].custom[j].name, name)) {
                *g = &kg->spines[i].custom[j];
                return &kg->spines[i];
            }
    return NULL;
}

const char *dp_comp__custom_period(comp *c, const char *what)
{
    const dp_custom_grain *g = NULL;
    const dp_time_spine *sp = custom_spine(c->kg, c->in->custom_grain, &g);
    if (!sp || !sp->table) {
        const char *why = NULL;
        for (size_t i = 0; sp && i < c->kg->nproblems && !why; i++)
            if (!strcmp(c->kg->problems[i].kind, "time_spine") && !strcmp(c->kg->problems[i].name, sp->model))
                why = c->kg->problems[i].reason;
        dp_error_set(c->err, DP_ECLARIFY, "the %s of %s needs the time spine%s%s", c->in->custom_grain, what,
                     why ? ": " : "", why ? why : "");
        return NULL;
    }
    return dp_arena_printf(c->a, "dp_spine.%s", dp_comp__qi(c, g->column));
}

int dp_comp__custom_join(comp *c, dp_buf *b, const char *day)
{
    const dp_custom_grain *g = NULL;
    const dp_time_spine *sp = custom_spine(c->kg, c->in->custom_grain, &g);
    if (!sp || !sp->table)
        return dp_error_set(c->err, DP_ECLARIFY, "the %s needs the time spine", c->in->custom_grain);
    /* MetricFlow: LEFT JOIN on the day; a day the spine lacks has no period */
    dp_buf_printf(b, "    LEFT JOIN %s.%s AS dp_spine\n        ON CAST(dp_spine.%s AS DATE) = CAST(%s AS DATE)\n",
                  dp_comp__qi(c, sp->schema), dp_comp__qi(c, sp->table), dp_comp__qi(c, sp->column), day);
    return 0;
}

int dp_comp__custom_refuse(comp *c, const char *what)
{
    if (!c->in->custom_grain)
        return 0;
    return dp_error_set(c->err, DP_ECLARIFY, "%s by the custom granularity %s is not supported yet", what,
                        c->in->custom_grain);
}

const dp_time_spine *dp_comp__spine(comp *c, const char *what)
{
    const char *why;
    const dp_time_spine *sp = pick(c->kg, c->in->grain, &why);
    if (!sp) {
        dp_error_set(c->err, DP_ECLARIFY, "%s needs the project's time spine, and %s", what,
                     why ? why : "the catalog has none (a models: entry with time_spine:, or a metricflow_time_spine model)");
        return NULL;
    }
    if (c->in->grain != DP_GRAIN_NONE && sp->grain > c->in->grain) {
        dp_error_set(c->err, DP_ECLARIFY, "%s: the time spine %s has one row per %s, too coarse for a report by %s", what,
                     sp->model, dp_grain_name(sp->grain), dp_grain_name(c->in->grain));
        return NULL;
    }
    return sp;
}

/* The grain of a window's unit ("14 days" -> day), or DP_GRAIN_NONE. */
static dp_grain window_grain(const char *window)
{
    long n;
    char unit[32];
    dp_grain g = DP_GRAIN_NONE;
    if (!window || sscanf(window, "%ld %31s", &n, unit) != 2)
        return DP_GRAIN_NONE;
    size_t ul = strlen(unit);
    if (ul > 1 && unit[ul - 1] == 's')
        unit[ul - 1] = 0;
    return dp_grain_parse(unit, &g) ? DP_GRAIN_NONE : g;
}

int dp_comp__spine_offset(comp *c, const dp_metric *m, const dp_metric_input *in)
{
    if (!in->offset_window && !in->offset_to_grain)
        return 0;
    if (dp_comp__custom_refuse(c, dp_arena_printf(c->a, "derived metric '%s' (an offset)", m->name)))
        return -1;
    dp_grain g = c->in->grain, og = DP_GRAIN_NONE;
    if (in->offset_window && in->offset_to_grain) {
        dp_error_set(c->err, DP_EINVALID, "derived metric '%s': input '%s' has both offset_window and offset_to_grain",
                     m->name, in->name);
        return -1;
    }
    if (in->offset_to_grain && dp_grain_parse(in->offset_to_grain, &og)) {
        dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s': offset_to_grain '%s' is not day, week, month, quarter or year",
                     m->name, in->offset_to_grain);
        return -1;
    }
    if (in->offset_window && ((og = window_grain(in->offset_window)) == DP_GRAIN_NONE ||
                              !dp_comp__interval_sql(c, in->offset_window))) {
        /* "1 fiscal_quarter": MetricFlow offsets by the spine's custom periods */
        const char *unit = strchr(in->offset_window, ' ');
        const dp_custom_grain *cg = NULL;
        char u[64];
        snprintf(u, sizeof(u), "%s", unit ? unit + 1 + strspn(unit + 1, " ") : "");
        size_t ul = strlen(u);
        if (ul > 1 && u[ul - 1] == 's' && !custom_spine(c->kg, u, &cg))
            u[ul - 1] = 0;
        if (custom_spine(c->kg, u, &cg))
            dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s': offset_window '%s' counts custom periods, which is not supported yet",
                         m->name, in->offset_window);
        else
            dp_error_set(c->err, DP_EINVALID, "derived metric '%s': offset_window '%s' is not like '1 month'", m->name,
                         in->offset_window);
        return -1;
    }
    if (g == DP_GRAIN_NONE) {
        dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s' compares periods (%s %s): ask for it by day, week, month, quarter or year",
                     m->name, in->offset_window ? "offset" : "to the start of the", in->offset_window ? in->offset_window : in->offset_to_grain);
        return -1;
    }
    if (c->shift || c->spine_offset || c->spine_to_grain) {
        dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s': an offset inside another offset is not supported yet", m->name);
        return -1;
    }
    const char *why;
    if (!pick(c->kg, DP_GRAIN_NONE, &why)) {
        /* no spine: an offset of whole periods is a shift of the periods
         * (what MetricFlow's join gives, bar the spine's bounds); finer
         * offsets and months over days are not, and are refused */
        if (in->offset_to_grain) {
            dp_comp__spine(c, dp_arena_printf(c->a, "derived metric '%s' (offset_to_grain %s)", m->name, in->offset_to_grain));
            return -1;
        }
        if (og < g || (g <= DP_GRAIN_WEEK && og >= DP_GRAIN_MONTH && og != g)) {
            dp_comp__spine(c, dp_arena_printf(c->a, "derived metric '%s' (offset_window %s by %s)", m->name,
                                              in->offset_window, dp_grain_name(g)));
            return -1;
        }
        return 0;
    }
    c->spine_offset = in->offset_window;
    c->spine_to_grain = in->offset_to_grain ? og : DP_GRAIN_NONE;
    return 1;
}

static const char *unique_name(comp *c, const char *base)
{
    const char *name = base;
    for (int k = 2;; k++) {
        int clash = 0;
        for (size_t i = 0; i < c->nctes && !clash; i++)
            clash = c->ctes[i].name && !strcmp(c->ctes[i].name, name);
        if (!clash)
            return name;
        name = dp_arena_printf(c->a, "%s_%d", base, k);
    }
}

/* The spine CTE over src (made once per kind of join). */
static cte *spine_cte(comp *c, const cte *src, const char *col, int daily)
{
    for (size_t i = 0; i < c->nctes; i++) {
        cte *t = &c->ctes[i];
        if (t->spine_of == src && t->spine_left == c->spine_left && t->spine_daily == daily &&
            t->spine_to_grain == c->spine_to_grain &&
            ((!t->spine_offset && !c->spine_offset) ||
             (t->spine_offset && c->spine_offset && !strcmp(t->spine_offset, c->spine_offset))))
            return t;
    }
    if (c->nctes >= MAX_CTES) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
        return NULL;
    }
    cte *t = &c->ctes[c->nctes++];
    memset(t, 0, sizeof(*t));
    t->model = src->model;
    t->time_dim = src->time_dim;
    t->spine_of = src;
    t->spine_col = col;
    t->spine_left = c->spine_left;
    t->spine_offset = c->spine_offset;
    t->spine_to_grain = c->spine_to_grain;
    t->spine_daily = daily;
    char sfx[64] = "spine";
    if (c->spine_offset) {
        size_t k = snprintf(sfx, sizeof(sfx), "offset_");
        for (const char *q = c->spine_offset; *q && k < sizeof(sfx) - 1; q++)
            sfx[k++] = isalnum((unsigned char)*q) ? *q : '_';
        sfx[k] = 0;
    } else if (c->spine_to_grain) {
        snprintf(sfx, sizeof(sfx), "at_%s_start", dp_grain_name(c->spine_to_grain));
    }
    t->name = unique_name(c, dp_arena_printf(c->a, "%s_%s", col ? src->name : src->model->name, sfx));
    return t;
}

const char *dp_comp__spine_measure(comp *c, const dp_measure *me, const char *filter_raw)
{
    dp_grain g = c->in->grain;
    const dp_time_spine *sp = dp_comp__spine(c, dp_arena_printf(c->a, "measure '%s' joined to the time spine", me->name));
    if (!sp)
        return NULL;
    dp_grain og = c->spine_to_grain ? c->spine_to_grain : c->spine_offset ? window_grain(c->spine_offset) : g;
    /* MetricFlow joins after aggregation when the report grain is no
     * coarser than the offset's (weeks do not roll up to months: before) */
    int before = g > og || (g == DP_GRAIN_WEEK && c->spine_to_grain && og != DP_GRAIN_WEEK);
    cte *src = NULL;
    const char *ref;
    if (!before) {
        int saved = c->spine_src;
        c->spine_src = c->spine_offset || c->spine_to_grain ? 2 : 1;
        ref = dp_comp__measure_ref_at(c, me, filter_raw, 0, &src);
        c->spine_src = saved;
    } else {
        if (c->spine_left) {
            dp_error_set(c->err, DP_ECLARIFY, "measure '%s': join_to_timespine with an offset finer than the report's %s is not supported yet",
                         me->name, dp_grain_name(g));
            return NULL;
        }
        const char *why;
        sp = pick(c->kg, DP_GRAIN_DAY, &why);
        if (sp->grain != DP_GRAIN_DAY) {
            dp_error_set(c->err, DP_ECLARIFY, "measure '%s': an offset finer than the report's %s joins the time spine by day, and %s is by %s",
                         me->name, dp_grain_name(g), sp->model, dp_grain_name(sp->grain));
            return NULL;
        }
        if (me->agg != DP_AGG_SUM && me->agg != DP_AGG_COUNT && me->agg != DP_AGG_SUM_BOOLEAN && me->agg != DP_AGG_MIN &&
            me->agg != DP_AGG_MAX) {
            dp_error_set(c->err, DP_ECLARIFY, "measure '%s' aggregates with %s, which cannot be offset by less than the report's %s yet",
                         me->name, dp_agg_name(me->agg), dp_grain_name(g));
            return NULL;
        }
        ref = dp_comp__measure_ref_at(c, me, filter_raw, 1, &src);
    }
    if (!ref)
        return NULL;
    cte *t = spine_cte(c, src, NULL, before);
    if (!t)
        return NULL;
    return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, t->name), strrchr(ref, '.') + 1);
}

const char *dp_comp__spine_cumulative(comp *c, const dp_metric *m, const char *r)
{
    /* join_to_timespine: every period of the spine, the window's value where it has one */
    if (r && m->measure.join_to_timespine) {
        const char *col = strrchr(r, '.') + 1;
        const char *wname = dp_arena_printf(c->a, "%s_cumulative", m->name);
        cte *w = NULL;
        for (size_t i = 0; i < c->nctes && !w; i++)
            if (c->ctes[i].body && !strcmp(c->ctes[i].name, wname))
                w = &c->ctes[i];
        if (!w || !dp_comp__spine(c, dp_arena_printf(c->a, "metric '%s' (join_to_timespine)", m->name)))
            return NULL;
        int saved = c->spine_left;
        c->spine_left = 1;
        cte *t = spine_cte(c, w, col, 0);
        c->spine_left = saved;
        if (!t)
            return NULL;
        w->helper = 1;
        r = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, t->name), col);
    }
    if (r && m->measure.fill_nulls_with_set)
        r = dp_arena_printf(c->a, "COALESCE(%s, %ld)", r, m->measure.fill_nulls_with);
    return r;
}

const char *dp_comp__spine_periods(comp *c, const char *tname)
{
    const char *why;
    const dp_time_spine *sp = pick(c->kg, c->in->grain, &why);
    if (!sp || sp->grain > c->in->grain)
        return NULL;
    const char *day = dp_arena_printf(c->a, "CAST(ts.%s AS DATE)", dp_comp__qi(c, sp->column));
    const char *out = dp_arena_printf(c->a, "        SELECT DISTINCT CAST(date_trunc('%s', %s) AS DATE) AS %s\n        FROM %s.%s AS ts",
                                      dp_grain_name(c->in->grain), day, tname, dp_comp__qi(c, sp->schema), dp_comp__qi(c, sp->table));
    if (c->in->range_start)
        out = dp_arena_printf(c->a, "%s\n        WHERE %s >= DATE '%s' AND %s < DATE '%s'", out, day, c->in->range_start, day,
                              c->in->range_end);
    return out;
}

const char *dp_comp__spine_lineage(comp *c, json_t *sources, const char *merged)
{
    const char *why;
    const dp_custom_grain *cg = NULL;
    const dp_time_spine *sp = NULL;
    const char *col = NULL;
    if (c->in->custom_grain && (sp = custom_spine(c->kg, c->in->custom_grain, &cg)))
        col = cg->column;
    for (size_t i = 0; i < c->nctes && !col; i++)
        if (c->ctes[i].spine_of || (c->ctes[i].body && dp_comp__spine_periods(c, "p"))) {
            sp = pick(c->kg, c->ctes[i].spine_daily ? DP_GRAIN_DAY : c->in->grain, &why);
            col = sp ? sp->column : NULL;
        }
    if (sp && col)
        json_array_append_new(sources, json_sprintf("%s.%s", sp->model, col));
    return cg && sp ? dp_arena_printf(c->a, "%s.%s of the day of %s", sp->model, cg->column, merged) : NULL;
}

/* What a per-day value sums to over a period. */
static const char *reagg(const dp_measure *me)
{
    return me->agg == DP_AGG_MIN ? "min" : me->agg == DP_AGG_MAX ? "max" : "sum";
}

/* MetricFlow applies the request's filters on a grouped column again after
 * the LEFT JOIN, so the periods the spine added (with no value in that
 * column) do not pass a filter that wants a value. An exclusion keeps them:
 * it keeps rows without a value (dpgen's semantics of "excluding"). */
static void refilter(comp *c, dp_buf *b)
{
    const char *sep = "    WHERE ";
    for (size_t k = 0; k < c->d->nfilters; k++) {
        const dp_plan_filter *f = &c->d->filters[k];
        if (f->range_start || f->negate || !f->nvalues)
            continue;
        const dp_target_col *col = NULL;
        for (size_t j = 0; j < c->design->ncols && !col; j++)
            if (c->design->cols[j].role == DP_ROLE_DIMENSION && c->design->cols[j].grain->dim == f->dim)
                col = &c->design->cols[j];
        if (!col)
            continue;
        dp_buf_printf(b, "%ssrc.%s IN (", sep, dp_comp__qi(c, col->name));
        for (size_t v = 0; v < f->nvalues; v++) {
            char lit[1024];
            dp_buf_printf(b, "%s%s", v ? ", " : "", dp_sql_quote_literal(f->values[v], lit, sizeof(lit)) ? lit : "''");
        }
        dp_buf_puts(b, ")\n");
        sep = "      AND ";
    }
}

int dp_comp__emit_spine(comp *c, dp_buf *b, const cte *t)
{
    const char *why;
    const dp_custom_grain *cg = NULL;
    const dp_time_spine *sp = c->in->custom_grain ? custom_spine(c->kg, c->in->custom_grain, &cg) : pick(c->kg, t->spine_daily ? DP_GRAIN_DAY : c->in->grain, &why);
    const cte *src = t->spine_of;
    const dp_design *dz = c->design;
    if (!sp || !sp->table)
        return dp_error_set(c->err, DP_ECLARIFY, "the time spine is not bound"); /* checked when the CTE was made */
    const char *gn = cg ? cg->name : dp_grain_name(c->in->grain);
    const char *tbl = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, sp->schema), dp_comp__qi(c, sp->table));
    const char *day = dp_arena_printf(c->a, "CAST(ts.%s AS DATE)", dp_comp__qi(c, sp->column));
    const char *tname = "period", *keys = "";
    size_t nk = 0;
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        if (tc->role == DP_ROLE_TIME)
            tname = dp_comp__qi(c, tc->name);
        else if (tc->role != DP_ROLE_METRIC) {
            keys = dp_arena_printf(c->a, "%s        src.%s,\n", keys, dp_comp__qi(c, tc->name));
            nk++;
        }
    }
    const char *range = c->in->range_start ? dp_arena_printf(c->a, "%s >= DATE '%s' AND %s < DATE '%s'", day,
                                                             c->in->range_start, day, c->in->range_end)
                                           : NULL;
    const char *what = t->spine_offset ? dp_arena_printf(c->a, "the value %s earlier", t->spine_offset)
                       : t->spine_to_grain ? dp_arena_printf(c->a, "the value at the start of its %s", dp_grain_name(t->spine_to_grain))
                                           : "the value where the data has one";
    dp_buf_printf(b, "%s AS (\n    -- every %s of the time spine %s%s, with %s (%s)\n    SELECT\n", dp_comp__qi(c, t->name), gn,
                  sp->model, range ? " in the range" : "", what, t->spine_left ? "LEFT JOIN" : "INNER JOIN");
    const char *join = t->spine_left ? "LEFT JOIN" : "JOIN";
    if (!t->spine_daily) {
        dp_buf_printf(b, "        spine.%s,\n%s", tname, keys);
        if (t->spine_col) {
            dp_buf_printf(b, "        src.%s\n", t->spine_col);
        } else {
            for (size_t i = 0; i < src->n; i++)
                dp_buf_printf(b, "        src.%s%s\n", dp_comp__qi(c, src->cols[i].name), i + 1 < src->n ? "," : "");
        }
        const char *period = cg ? dp_arena_printf(c->a, "ts.%s", dp_comp__qi(c, cg->column))
                                : dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", gn, day);
        dp_buf_printf(b, "    FROM (\n        SELECT DISTINCT %s AS %s\n        FROM %s AS ts\n", period, tname, tbl);
        if (range)
            dp_buf_printf(b, "        WHERE %s\n", range);
        const char *on = t->spine_offset ? dp_arena_printf(c->a, "CAST(spine.%s - %s AS DATE)", tname,
                                                           dp_comp__interval_sql(c, t->spine_offset))
                         : t->spine_to_grain ? dp_arena_printf(c->a, "CAST(date_trunc('%s', spine.%s) AS DATE)",
                                                               dp_grain_name(t->spine_to_grain), tname)
                                             : dp_arena_printf(c->a, "spine.%s", tname);
        dp_buf_printf(b, "    ) AS spine\n    %s %s AS src\n        ON src.%s = %s\n", join, dp_comp__qi(c, src->name), tname,
                      on);
        if (t->spine_left)
            refilter(c, b);
        dp_buf_puts(b, ")");
        return 0;
    }
    /* per day, then to the report grain (MetricFlow's join before aggregation) */
    dp_buf_printf(b, "        CAST(date_trunc('%s', %s) AS DATE) AS %s,\n%s", gn, day, tname, keys);
    for (size_t i = 0; i < src->n; i++)
        dp_buf_printf(b, "        %s(src.%s) AS %s%s\n", reagg(src->cols[i].me), dp_comp__qi(c, src->cols[i].name),
                      dp_comp__qi(c, src->cols[i].name), i + 1 < src->n ? "," : "");
    const char *on = t->spine_offset ? dp_arena_printf(c->a, "CAST(%s - %s AS DATE)", day, dp_comp__interval_sql(c, t->spine_offset))
                                     : dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(t->spine_to_grain), day);
    dp_buf_printf(b, "    FROM %s AS ts\n    %s %s AS src\n        ON src.metric_day = %s\n", tbl, join,
                  dp_comp__qi(c, src->name), on);
    const char *sep = "    WHERE ";
    if (range) {
        dp_buf_printf(b, "%s%s\n", sep, range);
        sep = "      AND ";
    }
    if (t->spine_to_grain) /* one spine day per report period: its first */
        dp_buf_printf(b, "%sCAST(date_trunc('%s', %s) AS DATE) = %s\n", sep, gn, day, day);
    dp_buf_puts(b, "    GROUP BY 1");
    for (size_t k = 0; k < nk; k++)
        dp_buf_printf(b, ", %zu", k + 2);
    dp_buf_puts(b, "\n)");
    return 0;
}

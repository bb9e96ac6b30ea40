/* Metric SQL: the CTE column that holds a measure (filtered, per day or
 * shifted), and simple, ratio, derived and cumulative metrics over them. */
#include "transform/compile_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *and_filters(comp *c, const char *a1, const char *a2)
{
    if (!a1)
        return a2;
    if (!a2)
        return a1;
    return dp_arena_printf(c->a, "(%s) AND (%s)", a1, a2);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The CTE column holding measure me under filter (raw text), at the report
 * grain, or per day for a cumulative window, or shifted by an offset window. */
static const char *measure_ref_at(comp *c, const dp_measure *me, const char *filter_raw, int daily, cte **out_cte)
{
    const char *tdim = c->design && (c->in->grain != DP_GRAIN_NONE || c->in->range_start) ? me->agg_time_dimension : NULL;
    if ((c->in->grain != DP_GRAIN_NONE || c->in->range_start) && !tdim) {
        dp_error_set(c->err, DP_ECLARIFY, "measure '%s' of %s has no time dimension, so it cannot be reported by %s",
                     me->name, me->model->name, c->in->grain ? dp_grain_name(c->in->grain) : "time range");
        return NULL;
    }
    if (me->non_additive_dim && out_cte) {
        dp_error_set(c->err, DP_ECLARIFY, "measure '%s' is semi-additive: a window over it is not supported", me->name);
        return NULL;
    }
    if (me->non_additive_dim) /* compile_semiadd.c */
        return dp_comp__semiadd_ref(c, me, filter_raw, daily);
    cte *t = NULL;
    for (size_t i = 0; i < c->nctes && !t; i++)
        if (c->ctes[i].model == me->model && !c->ctes[i].body && same_str(tdim, c->ctes[i].time_dim) &&
            same_str(c->shift, c->ctes[i].shift) && c->ctes[i].daily == daily && !c->ctes[i].spine_of &&
            c->ctes[i].spine_src == (daily ? 0 : c->spine_src))
            t = &c->ctes[i];
    if (!t) {
        if (c->nctes >= MAX_CTES) {
            dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
            return NULL;
        }
        t = &c->ctes[c->nctes++];
        memset(t, 0, sizeof(*t));
        t->model = me->model;
        t->time_dim = tdim;
        t->shift = c->shift;
        t->daily = daily;
        t->helper = daily;
        if (!daily && c->spine_src) { /* feeds a spine join (compile_spine.c) */
            t->spine_src = c->spine_src;
            t->helper = 1;
        }
        int same_model = 0;
        for (size_t i = 0; i + 1 < c->nctes; i++)
            same_model |= c->ctes[i].model == me->model && !c->ctes[i].body;
        t->name = same_model ? dp_arena_printf(c->a, "%s_by_%s", me->model->name, tdim)
                             : dp_arena_printf(c->a, "%s_agg", me->model->name);
        if (daily)
            t->name = dp_arena_printf(c->a, "%s_daily", t->name);
        else if (t->spine_src)
            t->name = dp_arena_printf(c->a, "%s%s", t->name, t->spine_src == 2 ? "_all" : "_periods");
        if (c->shift) {
            char sfx[64];
            size_t k = 0;
            for (const char *q = c->shift; *q && k < sizeof(sfx) - 1; q++)
                sfx[k++] = isalnum((unsigned char)*q) ? *q : '_';
            sfx[k] = 0;
            t->name = dp_arena_printf(c->a, "%s_%s_earlier", t->name, sfx);
        }
    }
    if (out_cte)
        *out_cte = t;
    for (size_t i = 0; i < t->n; i++)
        if (t->cols[i].me == me && ((!filter_raw && !t->cols[i].filter_raw) ||
                                    (filter_raw && t->cols[i].filter_raw && !strcmp(filter_raw, t->cols[i].filter_raw)))) {
            if (c->lineage_sources)
                dp_comp__qualify(c, me->expr, "x", me->model, c->lineage_sources);
            return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, t->name), dp_comp__qi(c, t->cols[i].name));
        }
    if (t->n >= MAX_MCOLS) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d measures on one dataset", MAX_MCOLS);
        return NULL;
    }
    /* a filter no row can pass is a question to ask, not SQL to run */
    if (dp_comp__check_metric_filter(c, me->model, filter_raw))
        return NULL;
    mcol *mc = &t->cols[t->n];
    mc->me = me;
    mc->filter_raw = filter_raw;
    if (filter_raw && !(mc->filter = dp_comp__render_filter(c, t, filter_raw)))
        return NULL;
    int dup = 0;
    for (size_t i = 0; i < t->n; i++)
        dup += !strcmp(t->cols[i].me->name, me->name);
    mc->name = dup ? dp_arena_printf(c->a, "%s_%d", me->name, dup + 1) : me->name;
    t->n++;
    if (c->lineage_sources)
        dp_comp__qualify(c, me->expr, "x", me->model, c->lineage_sources);
    return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, t->name), dp_comp__qi(c, mc->name));
}

const char *dp_comp__measure_ref_at(comp *c, const dp_measure *me, const char *filter_raw, int daily, cte **out_cte)
{
    return measure_ref_at(c, me, filter_raw, daily, out_cte);
}

static const char *measure_ref(comp *c, const dp_measure *me, const char *filter_raw)
{
    if (c->spine_left || c->spine_offset || c->spine_to_grain)
        return dp_comp__spine_measure(c, me, filter_raw);
    return measure_ref_at(c, me, filter_raw, 0, NULL);
}

/* Cumulative metric: the measure per day and grain key, then summed over
 * the window that ends with each period (rolling window, grain to date, or
 * all history), for the periods the data has. */
static const char *cumulative_sql(comp *c, const dp_metric *m, const char *filter)
{
    const dp_measure *me = dp_kg_measure(c->kg, m->measure.name);
    if (!me)
        return NULL;
    if (c->in->grain == DP_GRAIN_NONE && !c->in->range_start && !m->window && !m->grain_to_date)
        /* all history with no time asked: the total of every row, as
         * MetricFlow answers it */
        return measure_ref(c, me, and_filters(c, filter, m->measure.filter));
    if (c->in->grain == DP_GRAIN_NONE) {
        dp_error_set(c->err, DP_ECLARIFY, "metric '%s' is cumulative: ask for it by day, week, month, quarter or year", m->name);
        return NULL;
    }
    if (me->agg == DP_AGG_AVERAGE || me->agg == DP_AGG_MEDIAN || me->agg == DP_AGG_PERCENTILE) {
        dp_error_set(c->err, DP_ECLARIFY, "cumulative metric '%s' aggregates with %s, which cannot be taken over a window yet",
                     m->name, dp_agg_name(me->agg));
        return NULL;
    }
    const char *win = NULL;
    dp_grain gtd = DP_GRAIN_NONE;
    if (m->window && !(win = dp_comp__interval_sql(c, m->window))) {
        dp_error_set(c->err, DP_EINVALID, "cumulative metric '%s': window '%s' is not like '7 days' or '1 month'", m->name, m->window);
        return NULL;
    }
    if (m->grain_to_date && dp_grain_parse(m->grain_to_date, &gtd)) {
        dp_error_set(c->err, DP_EINVALID, "cumulative metric '%s': grain_to_date '%s' is not a grain", m->name, m->grain_to_date);
        return NULL;
    }
    cte *daily = NULL;
    const char *ref = measure_ref_at(c, me, and_filters(c, filter, m->measure.filter), 1, &daily);
    if (!ref)
        return NULL;
    const char *col = strrchr(ref, '.') + 1;
    for (size_t i = 0; i < c->nctes; i++)
        if (c->ctes[i].body && !strcmp(c->ctes[i].name, dp_arena_printf(c->a, "%s_cumulative", m->name)))
            return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, c->ctes[i].name), dp_comp__qi(c, m->name));
    if (c->nctes >= MAX_CTES) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
        return NULL;
    }
    cte *w = &c->ctes[c->nctes++];
    memset(w, 0, sizeof(*w));
    w->model = me->model;
    w->time_dim = daily->time_dim;
    w->name = dp_arena_printf(c->a, "%s_cumulative", m->name);
    const dp_design *dz = c->design;
    const char *tname = "period", *keys = "", *keys_out = "", *keys_grp = "", *keys_part = "";
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        if (tc->role == DP_ROLE_METRIC)
            continue;
        if (tc->role == DP_ROLE_TIME) {
            tname = dp_comp__qi(c, tc->name);
            continue;
        }
        const char *q = dp_comp__qi(c, tc->name);
        keys = dp_arena_printf(c->a, "%s            daily.%s,\n", keys, q);
        keys_out = dp_arena_printf(c->a, "%s    %s,\n", keys_out, q);
        keys_grp = dp_arena_printf(c->a, "%s, daily.%s", keys_grp, q);
        keys_part = dp_arena_printf(c->a, "%s, daily.%s", keys_part, q);
    }
    /* MetricFlow: the window is summed as of each day (days between the
     * range's bounds, else the data's first and last day, that have rows in
     * their window), and a period takes its first day's value (period_agg
     * first, the default), its last day's, or their average */
    const char *pa = m->period_agg ? m->period_agg : "first";
    int avg = !strcasecmp(pa, "average"), last = !strcasecmp(pa, "last");
    if (!avg && !last && strcasecmp(pa, "first")) {
        dp_error_set(c->err, DP_EINVALID, "cumulative metric '%s': period_agg '%s' is not first, last or average", m->name, pa);
        return NULL;
    }
    const char *g = dp_grain_name(c->in->grain);
    const char *day = dp_comp__interval_of(c, 1, "day");
    const char *lo = c->in->range_start ? dp_arena_printf(c->a, "CAST(DATE '%s' AS TIMESTAMP)", c->in->range_start)
                                        : "CAST(min(metric_day) AS TIMESTAMP)";
    /* the last day whose window still holds rows: the data's last day plus
     * the window, or the end of its grain-to-date period */
    const char *hi = c->in->range_end ? dp_arena_printf(c->a, "CAST(DATE '%s' AS TIMESTAMP) - %s", c->in->range_end, day)
                     : win ? dp_arena_printf(c->a, "CAST(max(metric_day) AS TIMESTAMP) + %s - %s", win, day)
                     : gtd ? dp_arena_printf(c->a, "CAST(date_trunc('%s', max(metric_day)) AS TIMESTAMP) + %s - %s", dp_grain_name(gtd),
                                             dp_comp__interval_of(c, 1, dp_grain_name(gtd)), day)
                           : "CAST(max(metric_day) AS TIMESTAMP)";
    /* with a daily time spine, its days only (MetricFlow's cumulative
     * joins the spine) */
    const char *sp_lo = dp_comp__spine_days_bound(c, 0), *sp_hi = dp_comp__spine_days_bound(c, 1);
    if (sp_lo && sp_hi) {
        lo = dp_arena_printf(c->a, "greatest(%s, %s)", lo, sp_lo);
        hi = dp_arena_printf(c->a, "least(%s, %s)", hi, sp_hi);
    }
    const char *series = c->dialect == DP_DIALECT_POSTGRES
                             ? dp_arena_printf(c->a, "CAST(generate_series(lo, hi, %s) AS DATE)", day)
                             : dp_arena_printf(c->a, "CAST(unnest(generate_series(lo, hi, %s)) AS DATE)", day);
    const char *lower = win ? dp_arena_printf(c->a, "\n            AND daily.metric_day > spine.metric_day - %s", win)
                        : gtd ? dp_arena_printf(c->a, "\n            AND daily.metric_day >= CAST(date_trunc('%s', spine.metric_day) AS DATE)",
                                                dp_grain_name(gtd))
                              : "";
    const char *what = m->window ? m->window
                       : m->grain_to_date ? dp_arena_printf(c->a, "%s to date", m->grain_to_date) : "all history";
    const char *period = dp_arena_printf(c->a, "CAST(date_trunc('%s', spine.metric_day) AS DATE)", g);
    const char *qm = dp_comp__qi(c, m->name);
    /* over the window's days: the daily sums summed, the daily extremes
     * compared, the distinct values of its days counted once */
    const char *window_agg = me->agg == DP_AGG_MIN ? "min" : me->agg == DP_AGG_MAX ? "max"
                             : me->agg == DP_AGG_COUNT_DISTINCT ? "count" : "sum";
    const char *per_day = dp_arena_printf(c->a,
        "        SELECT\n            %s AS %s,\n%s            %s(%sdaily.%s) AS %s%s\n"
        "        FROM (\n            SELECT %s AS metric_day\n"
        "            FROM (SELECT %s AS lo, %s AS hi%s) AS bounds\n        ) AS spine\n"
        "        JOIN %s AS daily\n            ON daily.metric_day <= spine.metric_day%s\n"
        "        GROUP BY spine.metric_day%s",
        period, tname, keys, window_agg, me->agg == DP_AGG_COUNT_DISTINCT ? "DISTINCT " : "", dp_comp__qi(c, col), qm,
        avg ? "" : dp_arena_printf(c->a, ",\n            row_number() OVER (PARTITION BY %s%s ORDER BY spine.metric_day%s) AS day_rank",
                                   period, keys_part, last ? " DESC" : ""),
        series, lo, hi,
        /* the data's own bounds need its rows; the range's are one row */
        c->in->range_start && c->in->range_end ? "" : dp_arena_printf(c->a, " FROM %s", dp_comp__qi(c, daily->name)),
        dp_comp__qi(c, daily->name), lower, keys_grp);
    size_t nk = 1;
    const char *grp = "1";
    for (const char *p = keys_out; (p = strchr(p, '\n')); p++)
        grp = dp_arena_printf(c->a, "%s, %zu", grp, ++nk);
    w->body = avg ? dp_arena_printf(c->a,
                                    "    -- %s: %s over %s as of each day, averaged over the days of each %s (period_agg average)\n"
                                    "    SELECT\n        %s,\n%s        avg(%s) AS %s\n    FROM (\n%s\n    ) AS per_day\n    GROUP BY %s",
                                    m->name, dp_agg_name(me->agg), what, g, tname, keys_out, qm, qm, per_day, grp)
                  : dp_arena_printf(c->a,
                                    "    -- %s: %s over %s as of each day; each %s takes its %s day's value (period_agg %s)\n"
                                    "    SELECT\n        %s,\n%s        %s\n    FROM (\n%s\n    ) AS per_day\n    WHERE day_rank = 1",
                                    m->name, dp_agg_name(me->agg), what, g, last ? "last" : "first", pa, tname, keys_out, qm, per_day);
    return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, w->name), dp_comp__qi(c, m->name));
}

static const char *dbl(comp *c)
{
    return c->dialect == DP_DIALECT_POSTGRES ? "DOUBLE PRECISION" : "DOUBLE";
}

/* A ratio's numerator/denominator: a metric or a measure. */
static const char *input_sql(comp *c, const dp_metric_input *in, const char *filter, int depth)
{
    const char *f = and_filters(c, filter, in->filter);
    const dp_metric *sub = dp_kg_metric(c->kg, in->name);
    if (sub)
        return dp_comp__metric_sql(c, sub, f, depth + 1);
    const dp_measure *me = dp_kg_measure(c->kg, in->name);
    if (!me) {
        dp_error_set(c->err, DP_EINVALID, "'%s' is neither a metric nor a measure", in->name);
        return NULL;
    }
    return measure_ref(c, me, f);
}

const char *dp_comp__input_sql(comp *c, const dp_metric_input *in, const char *filter)
{
    return input_sql(c, in, filter, 0);
}

/* The unit of an offset like "1 month" as a grain name ("day" when unknown). */
static const char *offset_grain_name(const char *window)
{
    long n;
    char unit[32];
    if (!window || sscanf(window, "%ld %31s", &n, unit) != 2)
        return "day";
    size_t ul = strlen(unit);
    if (ul > 1 && unit[ul - 1] == 's')
        unit[ul - 1] = 0;
    static const char *units[] = {"day", "week", "month", "quarter", "year"};
    for (size_t i = 0; i < 5; i++)
        if (!strcmp(unit, units[i]))
            return units[i];
    return "day";
}

/* Does moving each period start of grain g by window land on a period
 * start of g, with g no coarser than the offset (so grouping first and
 * shifting the groups is what MetricFlow computes)? 7 days keep weeks,
 * months keep months, 3 months quarters, 12 months years. */
static int shift_keeps_grain(dp_grain g, const char *window)
{
    long n;
    char unit[32];
    if (!window || sscanf(window, "%ld %31s", &n, unit) != 2)
        return 0;
    const char *u = offset_grain_name(window);
    long days = !strcmp(u, "day") ? n : !strcmp(u, "week") ? 7 * n : -1;
    long months = !strcmp(u, "month") ? n : !strcmp(u, "quarter") ? 3 * n : !strcmp(u, "year") ? 12 * n : -1;
    switch (g) {
    case DP_GRAIN_DAY: return days >= 0;
    case DP_GRAIN_WEEK: return days >= 0 && days % 7 == 0;
    case DP_GRAIN_MONTH: return months >= 0;
    case DP_GRAIN_QUARTER: return months >= 0 && months % 3 == 0;
    case DP_GRAIN_YEAR: return months >= 0 && months % 12 == 0;
    default: return 0;
    }
}

/* A derived metric's SQL was cut at the cap: refused, never passed on. */
static void too_big(comp *c, const dp_metric *m)
{
    const char *in = c->metric && c->metric != m ? dp_arena_printf(c->a, " (in '%s')", c->metric->name) : "";
    dp_error_set(c->err, DP_ELIMIT,
                 "metric '%s'%s expands to more than %u bytes of SQL; each use of an input repeats the input's SQL: "
                 "use its inputs fewer times or ask for them instead",
                 m->name, in, DP_METRIC_SQL_MAX);
}

static const char *derived_sql(comp *c, const dp_metric *m, const char *filter, int depth)
{
    dp_buf b;
    dp_buf_init(&b, DP_METRIC_SQL_MAX);
    const char *p = m->expr, *out = NULL;
    while (*p) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t len = (size_t)(p - s);
            const dp_metric_input *hit = NULL;
            for (size_t i = 0; i < m->ninputs && !hit; i++) {
                const char *nm = m->inputs[i].alias ? m->inputs[i].alias : m->inputs[i].name;
                if (strlen(nm) == len && !strncmp(nm, s, len))
                    hit = &m->inputs[i];
            }
            if (!hit) {
                dp_buf_add(&b, s, len);
                continue;
            }
            const char *saved = c->shift, *saved_off = c->spine_offset;
            dp_grain saved_tg = c->spine_to_grain;
            int through_spine = dp_comp__spine_offset(c, m, hit);
            if (through_spine < 0)
                goto done;
            dp_grain og = DP_GRAIN_NONE;
            if (through_spine && hit->offset_window && c->in->grain > DP_GRAIN_DAY && !c->in->custom_grain &&
                !dp_grain_parse(offset_grain_name(hit->offset_window), &og) && c->in->grain <= og &&
                !shift_keeps_grain(c->in->grain, hit->offset_window)) {
                /* periods joined after grouping: a week moved by a month is
                 * no week, and the earlier value would be missed */
                dp_error_set(c->err, DP_ECLARIFY,
                             "derived metric '%s' compares with %s earlier, which does not move each %s onto one %s: ask for it by %s",
                             m->name, hit->offset_window, dp_grain_name(c->in->grain), dp_grain_name(c->in->grain),
                             offset_grain_name(hit->offset_window));
                c->spine_offset = saved_off;
                c->spine_to_grain = saved_tg;
                goto done;
            }
            if (hit->offset_window && !through_spine) {
                if (c->in->grain == DP_GRAIN_NONE) {
                    dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s' compares periods (offset %s): ask for it by day, week, month, quarter or year",
                                 m->name, hit->offset_window);
                    goto done;
                }
                if (c->shift || !dp_comp__interval_sql(c, hit->offset_window)) {
                    dp_error_set(c->err, DP_EINVALID, "derived metric '%s': offset_window '%s' is not like '1 month' (or is nested)",
                                 m->name, hit->offset_window);
                    goto done;
                }
                if (!shift_keeps_grain(c->in->grain, hit->offset_window)) {
                    dp_error_set(c->err, DP_ECLARIFY,
                                 "derived metric '%s' compares with %s earlier, which does not move each %s onto one %s; "
                                 "MetricFlow then shifts each day before grouping, which the compiler does not do yet: ask "
                                 "for it by %s",
                                 m->name, hit->offset_window, dp_grain_name(c->in->grain), dp_grain_name(c->in->grain),
                                 offset_grain_name(hit->offset_window));
                    goto done;
                }
                c->shift = hit->offset_window;
            }
            const dp_metric *sub = dp_kg_metric(c->kg, hit->name);
            const char *v = sub ? dp_comp__metric_sql(c, sub, and_filters(c, filter, hit->filter), depth + 1) : NULL;
            c->shift = saved;
            c->spine_offset = saved_off;
            c->spine_to_grain = saved_tg;
            if (!v)
                goto done;
            if (hit->fill_nulls_with_set)
                v = dp_arena_printf(c->a, "COALESCE(%s, %ld)", v, hit->fill_nulls_with);
            if (dp_buf_printf(&b, "(%s)", v)) {
                too_big(c, m);
                goto done;
            }
            continue;
        }
        dp_buf_add(&b, p, 1);
        p++;
    }
    if (b.toobig) {
        too_big(c, m);
        goto done;
    }
    /* integer division would truncate in PostgreSQL: divide as double */
    out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
    if (strchr(m->expr, '/')) {
        dp_buf_clear(&b);
        for (const char *q = out; *q; q++) {
            if (*q == '/') {
                dp_buf_printf(&b, "* CAST(1 AS %s) /", dbl(c));
            } else {
                dp_buf_add(&b, q, 1);
            }
        }
        out = b.toobig ? NULL : dp_arena_strdup(c->a, dp_buf_cstr(&b));
        if (!out)
            too_big(c, m);
    }
done:
    dp_buf_dispose(&b);
    return out;
}

/* A derived metric's SQL under one filter and offset state: the same
 * input met again (level after level of shared inputs) is compiled once.
 * Its CTE columns exist from the first time, so the text is all there is. */
typedef struct metric_memo {
    const dp_metric *m, *asked;
    const char *filter, *shift, *spine_offset, *sql;
    dp_grain spine_to_grain;
    int spine_left, spine_src;
    json_t *lineage_sources;
} metric_memo;

#define MAX_MEMO 256

static metric_memo *memo_find(comp *c, const dp_metric *m, const char *f)
{
    for (size_t i = 0; i < c->nmemo; i++) {
        metric_memo *e = &c->memo[i];
        if (e->m == m && e->asked == c->metric && same_str(e->filter, f) && same_str(e->shift, c->shift) &&
            same_str(e->spine_offset, c->spine_offset) && e->spine_to_grain == c->spine_to_grain &&
            e->spine_left == c->spine_left && e->spine_src == c->spine_src && e->lineage_sources == c->lineage_sources)
            return e;
    }
    return NULL;
}

static void memo_add(comp *c, const dp_metric *m, const char *f, const char *sql)
{
    if (!c->memo && !(c->memo = dp_arena_alloc(c->a, MAX_MEMO * sizeof(*c->memo))))
        return;
    if (c->nmemo >= MAX_MEMO) /* unremembered: still bounded by DP_METRIC_SQL_MAX */
        return;
    c->memo[c->nmemo++] = (metric_memo){m,
                                        c->metric,
                                        f,
                                        c->shift,
                                        c->spine_offset,
                                        sql,
                                        c->spine_to_grain,
                                        c->spine_left,
                                        c->spine_src,
                                        c->lineage_sources};
}

const char *dp_comp__metric_sql(comp *c, const dp_metric *m, const char *extra_filter, int depth)
{
    if (depth > DP_METRIC_MAX_DEPTH) {
        /* the catalog check disables such metrics first (metric_check.c) */
        dp_error_set(c->err, DP_ELIMIT, "metric '%s' is derived through more than %d levels (down to '%s')",
                     c->metric ? c->metric->name : m->name, DP_METRIC_MAX_DEPTH, m->name);
        return NULL;
    }
    const char *f = and_filters(c, m->filter, extra_filter);
    switch (m->type) {
    case DP_METRIC_SIMPLE: {
        const dp_measure *me = dp_kg_measure(c->kg, m->measure.name);
        /* join_to_timespine: only with a time grain (MetricFlow: with the agg time dimension asked) */
        int saved_left = c->spine_left;
        if (m->measure.join_to_timespine && c->in->grain != DP_GRAIN_NONE) {
            if (!dp_comp__spine(c, dp_arena_printf(c->a, "metric '%s' (join_to_timespine)", m->name)))
                return NULL;
            c->spine_left = 1;
        }
        const char *r = me ? measure_ref(c, me, and_filters(c, f, m->measure.filter)) : NULL;
        c->spine_left = saved_left;
        if (r && m->measure.fill_nulls_with_set)
            r = dp_arena_printf(c->a, "COALESCE(%s, %ld)", r, m->measure.fill_nulls_with);
        return r;
    }
    case DP_METRIC_RATIO: {
        const char *num = input_sql(c, &m->numerator, f, depth);
        const char *den = num ? input_sql(c, &m->denominator, f, depth) : NULL;
        if (!num || !den)
            return NULL;
        return dp_arena_printf(c->a, "CAST(%s AS %s) / NULLIF(%s, 0)", num, dbl(c), den);
    }
    case DP_METRIC_DERIVED: {
        const metric_memo *e = memo_find(c, m, f);
        if (e)
            return e->sql;
        const char *sql = derived_sql(c, m, f, depth);
        if (sql)
            memo_add(c, m, f, sql);
        return sql;
    }
    case DP_METRIC_CUMULATIVE:
        if (dp_comp__custom_refuse(c, dp_arena_printf(c->a, "cumulative metric '%s'", m->name)))
            return NULL;
        if (c->shift || c->spine_offset || c->spine_to_grain) {
            dp_error_set(c->err, DP_ECLARIFY, "metric '%s': an offset of a cumulative metric is not supported yet", m->name);
            return NULL;
        }
        return dp_comp__spine_cumulative(c, m, cumulative_sql(c, m, f));
    case DP_METRIC_CONVERSION: { /* compile_conversion.c; base measure as a simple metric */
        const dp_measure *bm = dp_kg_measure(c->kg, m->base_measure.name);
        /* "": no base measure to aggregate, which dp_comp__conversion_sql refuses */
        const char *base = bm && !bm->non_additive_dim ? measure_ref(c, bm, and_filters(c, f, m->base_measure.filter)) : "";
        return base ? dp_comp__conversion_sql(c, m, f, base) : NULL;
    }
    }
    return NULL;
}

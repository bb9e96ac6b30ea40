/* Time in the request: the range ("in March 2025", "last 12 weeks"; a
 * second one is a comparison of periods, refused) and the finest grain
 * ("weekly", "per month", "week by week"), read with timeparse.c against the
 * as-of date. */
#include "intent/intent_int.h"
#include "intent/timeparse.h"
#include <string.h>
#include <strings.h>

/* Are tokens [i, i + k) part of a name written with underscores
 * ("x_last_7_days")? Such a name is one word of the catalog, never a
 * date phrase. */
static int in_identifier(const parser *p, size_t i, size_t k)
{
    const char *r = p->in->request;
    for (size_t j = i; j < i + k && j < p->n; j++) {
        if (j > 0 && p->t[j].start > 0 && r[p->t[j].start - 1] == '_')
            return 1;
        if (r[p->t[j].end] == '_')
            return 1;
    }
    return 0;
}

void dp_int__parse_time(parser *p, dp_date as_of)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] || dp_int__is_compared(p, i))
            continue;
        dp_date s, e;
        size_t k = dp_time_range_at(p->t, p->n, i, as_of, &s, &e);
        if (k && in_identifier(p, i, k)) {
            i += k - 1;
            continue;
        }
        if (k && p->nranges == sizeof(p->ranges) / sizeof(*p->ranges)) {
            dp_int__add_missing(p, dp_int__span_text(p, i, k), "period comparison");
            dp_int__mark(p, i, k, U_PATTERN);
            i += k - 1;
        } else if (k) {
            /* every range is kept: whose it is (the report's, or an
             * entity's own date) is settled after the phrases */
            char a[11], b[11];
            dp_date_format(s, a);
            dp_date_format(e, b);
            dp_range *r = &p->ranges[p->nranges++];
            r->start = dp_arena_strdup(p->a, a);
            r->end = dp_arena_strdup(p->a, b);
            r->text = dp_int__span_text(p, i, k);
            r->at = i;
            r->len = k;
            r->owned = 0;
            if (!p->in->range_start) {
                p->in->range_start = r->start;
                p->in->range_end = r->end;
                p->in->range_text = r->text;
            }
            dp_int__mark(p, i, k, U_PATTERN);
            i += k - 1;
        }
    }
    /* grains: "weekly", "per month", "each quarter", "week by week", "by day" */
    dp_int__grains(p);
}

/* The grain of a to-date phrase ("year-to-date", "ytd", "quarter to date"),
 * else DP_GRAIN_NONE. */
static dp_grain to_date_grain(const parser *p, const dp_range *r)
{
    const char *w = p->t[r->at].low;
    if (r->len == 1 && strlen(w) == 3 && !strcmp(w + 1, "td"))
        return w[0] == 'y'   ? DP_GRAIN_YEAR
               : w[0] == 'q' ? DP_GRAIN_QUARTER
               : w[0] == 'm' ? DP_GRAIN_MONTH
                             : DP_GRAIN_NONE;
    if (r->len == 3 && !strcmp(p->t[r->at + 1].low, "to") && !strcmp(p->t[r->at + 2].low, "date"))
        return dp_grain_word(w, NULL);
    return DP_GRAIN_NONE;
}

static int same_text(const char *a, const char *b) { return a ? b && !strcmp(a, b) : !b; }

/* Do metrics a and b over one measure keep the same rows: the same filter,
 * written on the metric or on its measure input? */
static int same_rows(const dp_metric *a, const dp_metric *b)
{
    const char *fa = a->filter ? a->filter : a->measure.filter, *fb = b->filter ? b->filter : b->measure.filter;
    if ((a->filter && a->measure.filter) || (b->filter && b->measure.filter))
        return same_text(a->filter, b->filter) && same_text(a->measure.filter, b->measure.filter);
    return same_text(fa, fb);
}

/* Which cumulative metrics a period phrase names: grain_to_date of a
 * grain, or a window of num units of a grain. */
struct window {
    long num;
    dp_grain g;
};

static int to_date_fits(const dp_metric *m, const void *arg)
{
    return !m->window && m->grain_to_date && dp_grain_word(m->grain_to_date, NULL) == *(const dp_grain *)arg;
}

static int window_fits(const dp_metric *m, const void *arg)
{
    const struct window *w = arg;
    long wn = 0;
    char unit[32] = "";
    return m->window && sscanf(m->window, "%ld %31s", &wn, unit) == 2 && wn == w->num &&
           dp_grain_word(unit, NULL) == w->g;
}

/* Replaces a simple metric of the request by the one cumulative metric
 * over the same measure and rows that fits the period phrase r; 1 when it
 * did. */
static int replace_by_cumulative(parser *p, const dp_range *r, int (*fits)(const dp_metric *, const void *),
                                 const void *arg)
{
    dp_intent *in = p->in;
    for (size_t k = 0; k < in->nmetrics; k++) {
        const dp_metric *base = in->metrics[k], *found = NULL;
        int nfound = 0;
        if (base->type != DP_METRIC_SIMPLE || !base->measure.name)
            continue;
        for (size_t j = 0; j < p->kg->nmetrics; j++) {
            const dp_metric *m = &p->kg->metrics[j];
            if (m->type == DP_METRIC_CUMULATIVE && !m->off.reason && m->measure.name &&
                !strcmp(m->measure.name, base->measure.name) && same_rows(m, base) && fits(m, arg)) {
                found = m;
                nfound++;
            }
        }
        if (nfound != 1)
            continue;
        in->metrics[k] = found;
        dp_int__note(p, r->text, "metric", found->name,
                     dp_arena_printf(p->a, "the catalog's cumulative metric over the rows of %s", base->name), 0.9);
        return 1;
    }
    return 0;
}

/* "year-to-date billings by month for 2025": beside another period of the
 * report, a to-date phrase is no second period but the one catalog metric
 * that is the named metric to date (cumulative over its measure, from the
 * start of each year), which replaces it; 1 when it did. */
static int to_date_metric(parser *p, const dp_range *r)
{
    dp_grain g = to_date_grain(p, r);
    dp_intent *in = p->in;
    /* "gross revenue MTD in June 2025" where "Gross Revenue MTD" is the
     * metric's label: the phrase was the metric's own words */
    for (size_t k = 0; g != DP_GRAIN_NONE && k < in->nmetrics; k++)
        if (in->metrics[k]->type == DP_METRIC_CUMULATIVE && in->metrics[k]->grain_to_date &&
            dp_grain_word(in->metrics[k]->grain_to_date, NULL) == g)
            return 1;
    return g != DP_GRAIN_NONE && replace_by_cumulative(p, r, to_date_fits, &g);
}

/* "boxes shipped over the trailing 7 days, for each day in June": beside
 * another period of the report, "trailing" (or "rolling", "last",
 * "past") N units is the window of the one catalog metric that sums the
 * named metric's rows over that window, which replaces it; 1 when it did. */
static int window_metric(parser *p, const dp_range *r)
{
    size_t i = r->at, end = r->at + r->len;
    while (i < end && (!strcmp(p->t[i].low, "over") || !strcmp(p->t[i].low, "the") || !strcmp(p->t[i].low, "for")))
        i++;
    if (i >= end || (strcmp(p->t[i].low, "trailing") && strcmp(p->t[i].low, "rolling") &&
                             strcmp(p->t[i].low, "last") && strcmp(p->t[i].low, "past")))
        return 0;
    long num = i + 1 < end && p->t[i + 1].is_num ? atol(p->t[i + 1].low) : 0;
    dp_grain g = i + 2 < end ? dp_grain_word(p->t[i + 2].low, NULL) : DP_GRAIN_NONE;
    if (num <= 0 || g == DP_GRAIN_NONE)
        return 0;
    struct window w = {num, g};
    return replace_by_cumulative(p, r, window_fits, &w);
}

void dp_int__settle_ranges(parser *p)
{
    dp_intent *in = p->in;
    in->range_start = in->range_end = in->range_text = NULL;
    size_t nreport = 0;
    for (size_t k = 0; k < p->nranges; k++)
        nreport += !p->ranges[k].owned;
    for (size_t k = 0; k < p->nranges; k++) {
        const dp_range *r = &p->ranges[k];
        if (r->owned)
            continue;
        if (nreport > 1 && (to_date_metric(p, r) || window_metric(p, r))) {
            nreport--;
            continue;
        }
        if (in->range_start) {
            /* a second period of the report: "this year compared to last year" */
            dp_int__add_missing(p, r->text, "period comparison");
            continue;
        }
        in->range_start = r->start;
        in->range_end = r->end;
        in->range_text = r->text;
        dp_int__note(p, r->text, "time_range", dp_arena_printf(p->a, "[%s, %s)", r->start, r->end), "calendar", 1.0);
    }
}

/* Is the grain adjective at i a value of a column here: after a filter
 * word, or before a noun that qualifies the value ("annual members" where
 * billing_cycle holds 'annual' and members have one)? */
static int grain_is_value(parser *p, size_t i)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, i, m, 32);
    const dp_lex_match *v = dp_int__first_of(m, nm, DP_LEX_VALUE, 1);
    if (!v)
        return 0;
    size_t b = i;
    while (b > 0 && (!strcmp(p->t[b - 1].low, "the") || !strcmp(p->t[b - 1].low, "a") || !strcmp(p->t[b - 1].low, "an")))
        b--;
    if (b > 0 && (dp_int__is_filter_marker(p->t[b - 1].low) || !strcmp(p->t[b - 1].low, "is") ||
                  !strcmp(p->t[b - 1].low, "was") || !strcmp(p->t[b - 1].low, "are")))
        return 1; /* "for annual members", "where billing cycle is annual" */
    /* the noun after it is the value's own dataset or column ("annual
     * members", "annual billing cycle"), not one that only refers to it
     * ("monthly bookings" stays a grain) */
    if (i + 1 >= p->n)
        return 0;
    dp_lex_match q[32];
    size_t nq = dp_int__match(p, i + 1, q, 32);
    for (size_t k = 0; k < nq; k++) {
        const dp_lex_entry *e = q[k].e;
        if ((e->kind == DP_LEX_ENTITY && dp_kg_entity_home(p->kg, e->entity->name) == v->e->model) ||
            (e->kind == DP_LEX_MODEL && e->model == v->e->model) || (e->kind == DP_LEX_DIM && e->dim == v->e->dim))
            return 1;
    }
    return 0;
}

/* Does the custom grain name (words joined by underscores, as the catalog
 * writes it) start at token i? Its word count, else 0. */
static size_t custom_at(const parser *p, size_t i, const char *name)
{
    size_t k = 0;
    const char *w = name;
    while (*w) {
        const char *e = strchr(w, '_');
        size_t len = e ? (size_t)(e - w) : strlen(w);
        if (len) {
            if (i + k >= p->n || p->used[i + k] || strlen(p->t[i + k].low) != len || strncasecmp(p->t[i + k].low, w, len))
                return 0;
            k++;
        }
        w += len + (e ? 1 : 0);
    }
    return k;
}

/* Custom granularities of the catalog's time spines ("by lunar month",
 * "per half month"): said as a grouping, before the standard grains read
 * their last word. The names come from the catalog, not from here. */
static void custom_grains(parser *p)
{
    for (size_t i = 1; i < p->n; i++) {
        size_t ml;
        if (p->used[i] || p->used[i - 1] || !dp_int__is_group_marker(p, i - 1, &ml) || ml != 1)
            continue;
        for (size_t s = 0; s < p->kg->nspines; s++) {
            const dp_time_spine *sp = &p->kg->spines[s];
            for (size_t j = 0; j < sp->ncustom; j++) {
                size_t k = custom_at(p, i, sp->custom[j].name);
                if (!k)
                    continue;
                p->in->custom_grain = sp->custom[j].name;
                p->in->grain = sp->grain;
                p->other_groups += strcmp(p->t[i - 1].low, "per") != 0;
                dp_int__note(p, dp_int__span_text(p, i - 1, k + 1), "time_grain", sp->custom[j].name, "time spine", 1.0);
                dp_int__mark(p, i - 1, k + 1, U_PATTERN);
                return;
            }
        }
    }
}

/* Is the grain adjective at i a word inside a metric's name, label or
 * synonym, after its first ("average monthly pledge", a mean of the
 * pledges' monthly amounts), and the metric no running total (whose
 * name's grain is the one it is reported by)? A first word stays the
 * grain too ("monthly revenue" for a metric so named). */
static int in_metric_name(parser *p, size_t i)
{
    for (size_t s = i; s-- > 0 && i - s <= 3;) {
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, s, m, 32);
        for (size_t k = 0; k < nm; k++) {
            const dp_lex_entry *e = m[k].e;
            if (e->kind == DP_LEX_METRIC && m[k].len >= 2 && s + m[k].len > i && !m[k].fuzzy &&
                strncmp(e->source, "description ", 12) && e->metric->type != DP_METRIC_CUMULATIVE)
                return 1;
        }
    }
    return 0;
}

/* Do "end of" or "close of" stand right before token i (an article
 * between them allowed: "the end of the quarter")? */
static int end_of_before(parser *p, size_t i)
{
    size_t b = i;
    if (b > 0 &&
        (!strcmp(p->t[b - 1].low, "each") || !strcmp(p->t[b - 1].low, "every") || !strcmp(p->t[b - 1].low, "the")))
        b--;
    return b >= 2 && !strcmp(p->t[b - 1].low, "of") && !p->used[b - 1] &&
           (!strcmp(p->t[b - 2].low, "end") || !strcmp(p->t[b - 2].low, "close")) && !p->used[b - 2];
}

/* The length of the time range of the request that starts at token i, or 0. */
static size_t in_range(const parser *p, size_t i)
{
    for (size_t k = 0; k < p->nranges; k++)
        if (p->ranges[k].at == i)
            return p->ranges[k].len;
    return 0;
}

void dp_int__grains(parser *p)
{
    custom_grains(p);
    /* "month over month" names the comparison; it is the report's grain
     * only when no other grain is said ("quarterly ... month over month") */
    dp_grain over = DP_GRAIN_NONE;
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i])
            continue;
        int adj = 0;
        dp_grain g = dp_grain_word(p->t[i].low, &adj);
        if (g == DP_GRAIN_NONE)
            continue;
        if (adj && grain_is_value(p, i))
            continue; /* "for annual members": a value of a column, no grain */
        if (adj && in_metric_name(p, i))
            continue; /* "average monthly pledge": the metric's own word */
        size_t start = i, len = 1;
        if (!adj) {
            size_t ml;
            if (i > 0 && !p->used[i - 1] && dp_int__is_group_marker(p, i - 1, &ml) && ml == 1) {
                start = i - 1;
                len = 2;
                p->other_groups += strcmp(p->t[i - 1].low, "per") != 0; /* "by month": said as a grouping */
            } else if (i > 1 && !strcmp(p->t[i - 1].low, "each") && !strcmp(p->t[i - 2].low, "for")) {
                start = i - 2;
                len = 3;
            } else if (i + 2 < p->n && (!strcmp(p->t[i + 1].low, "by") || !strcmp(p->t[i + 1].low, "over") ||
                                        !strcmp(p->t[i + 1].low, "on")) &&
                       dp_grain_word(p->t[i + 2].low, NULL) == g) {
                len = 3; /* week by week, month over month */
                if (!p->in->custom_grain) {
                    over = over ? over : g;
                    dp_int__note(p, dp_int__span_text(p, start, len), "time_grain", dp_grain_name(g), "calendar", 1.0);
                    dp_int__mark(p, start, len, U_PATTERN);
                    continue;
                }
            } else if (i > 0 && (!strcmp(p->t[i - 1].low, "and") || p->t[i - 1].punct == ',')) {
                /* "by region and month": grouping list continues */
                start = i;
            } else if (end_of_before(p, i)) {
                start = i; /* "end of month units on hand": each month, at its end (below) */
            } else {
                continue;
            }
        }
        if (p->in->custom_grain) {
            /* "by lunar month and month": two grains of time */
            dp_int__add_missing(p, dp_int__span_text(p, start, len), "second time grain");
            dp_int__mark(p, start, len, U_PATTERN);
            continue;
        }
        if (p->in->grain != DP_GRAIN_NONE && g != p->in->grain) {
            /* "quarterly ... month over month": which grain the report has
             * is the user's to say, not the finer one's */
            dp_int__add_missing(p, dp_int__span_text(p, start, len), "second time grain");
            dp_int__mark(p, start, len, U_PATTERN);
            continue;
        }
        p->in->grain = g;
        dp_int__note(p, dp_int__span_text(p, start, len), "time_grain", dp_grain_name(g), "calendar", 1.0);
        dp_int__mark(p, start, len, U_PATTERN);
        /* "at the end of each month", "at the close of every quarter" */
        size_t b = start;
        if (b > 0 &&
            (!strcmp(p->t[b - 1].low, "each") || !strcmp(p->t[b - 1].low, "every") || !strcmp(p->t[b - 1].low, "the")))
            b--;
        if (b >= 2 && !strcmp(p->t[b - 1].low, "of") &&
            (!strcmp(p->t[b - 2].low, "end") || !strcmp(p->t[b - 2].low, "close"))) {
            size_t a = b - 2;
            if (a > 0 && !strcmp(p->t[a - 1].low, "the"))
                a--;
            if (a > 0 && !strcmp(p->t[a - 1].low, "at"))
                a--;
            p->period_end = dp_int__span_text(p, a, start + len - a);
            dp_int__mark(p, a, start - a, U_PATTERN);
        }
    }
    if (over && p->in->grain == DP_GRAIN_NONE && !p->in->custom_grain)
        p->in->grain = over;
    /* "month-end balances", "quarter end headcount": each period's last day */
    for (size_t i = 0; i + 1 < p->n && !p->period_end && p->in->grain == DP_GRAIN_NONE && !p->in->custom_grain; i++) {
        dp_grain g = p->used[i] || p->used[i + 1] || strcmp(p->t[i + 1].low, "end") ? DP_GRAIN_NONE
                                                                                    : dp_grain_word(p->t[i].low, NULL);
        if (g != DP_GRAIN_MONTH && g != DP_GRAIN_QUARTER && g != DP_GRAIN_YEAR && g != DP_GRAIN_WEEK)
            continue;
        p->in->grain = g;
        p->period_end = dp_int__span_text(p, i, 2);
        dp_int__note(p, p->period_end, "time_grain", dp_grain_name(g), "each period's end", 1.0);
        dp_int__mark(p, i, 2, U_PATTERN);
    }
    /* "at the end of June 2025": the range's last day ("of" may open the
     * range's own words) */
    for (size_t r = 1; r < p->n && !p->period_end; r++) {
        if (p->used[r] != U_PATTERN || !in_range(p, r))
            continue;
        size_t e = r;
        if (!strcmp(p->t[r].low, "of"))
            e = r - 1;
        else if (end_of_before(p, r))
            e = r - 2 - !strcmp(p->t[r - 1].low, "the");
        if (e == r || p->used[e] || (strcmp(p->t[e].low, "end") && strcmp(p->t[e].low, "close")))
            continue;
        size_t a = e;
        while (a > 0 && !p->used[a - 1] && (!strcmp(p->t[a - 1].low, "the") || !strcmp(p->t[a - 1].low, "at")))
            a--;
        p->period_end = dp_int__span_text(p, a, r - a + in_range(p, r));
        dp_int__mark(p, a, r - a, U_PATTERN);
    }
}

/* Is dim the time dimension every period of m is counted on (the agg
 * time dimension of each measure m is computed from)? */
static int counts_on(const dp_kg *kg, const dp_metric *m, const dp_model *dm, const dp_dimension *dim)
{
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX), nmeasures = 0;
    for (size_t i = 0; i < ncl; i++) {
        if (cl[i]->type != DP_METRIC_SIMPLE && cl[i]->type != DP_METRIC_CUMULATIVE)
            continue;
        const dp_measure *me = cl[i]->measure.name ? dp_kg_measure(kg, cl[i]->measure.name) : NULL;
        if (!me || me->model != dm || !me->agg_time_dimension || strcmp(me->agg_time_dimension, dim->name))
            return 0;
        nmeasures++;
    }
    return nmeasures > 0;
}

/* The first metric's own date whose name is the words s..s+len joined by
 * '_' and a date suffix ("termination" + "_date"), or NULL. */
static const dp_dimension *date_named(parser *p, size_t s, size_t len, const dp_model **model)
{
    static const char *const suffix[] = {"_date", "_at", "_time", "_on", "_day", "_ts"};
    char name[128];
    size_t o = 0;
    for (size_t k = s; k < s + len; k++) {
        int n = snprintf(name + o, sizeof(name) - o, "%s%s", k > s ? "_" : "", p->t[k].low);
        if (n < 0 || (size_t)n >= sizeof(name) - o)
            return NULL;
        o += (size_t)n;
    }
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(p->kg, p->in->metrics[0], cl, DP_METRIC_CLOSURE_MAX);
    for (size_t i = 0; i < ncl; i++) {
        const dp_measure *me = cl[i]->measure.name ? dp_kg_measure(p->kg, cl[i]->measure.name) : NULL;
        const char *td = me ? me->agg_time_dimension : NULL;
        for (size_t k = 0; td && k < sizeof(suffix) / sizeof(*suffix); k++)
            if (!strncmp(td, name, o) && !strcmp(td + o, suffix[k])) {
                *model = me->model;
                return dp_kg_model_dim(me->model, td);
            }
    }
    return NULL;
}

void dp_int__time_dim_grains(parser *p)
{
    dp_intent *in = p->in;
    for (size_t i = 1; i < p->n && in->nmetrics; i++) {
        int adj = 0;
        dp_grain g = p->used[i] ? DP_GRAIN_NONE : dp_grain_word(p->t[i].low, &adj);
        if (g == DP_GRAIN_NONE || adj || p->used[i - 1] != U_MATCH || (in->grain != DP_GRAIN_NONE && in->grain != g) ||
            in->custom_grain)
            continue;
        /* the phrase that ends right before it: a time dimension of the
         * catalog, read as a grouping or as a metric the request asks anyway
         * ("termination", a synonym of leavers) */
        for (size_t s = i; s-- > 0 && i - s <= 4 && p->used[s] == U_MATCH;) {
            dp_lex_match m[32];
            size_t nm = dp_int__match(p, s, m, 32), len = i - s;
            const dp_lex_match *dm = NULL;
            int asked = 0;
            for (size_t k = 0; k < nm; k++) {
                if (m[k].len != len)
                    continue;
                if (m[k].e->kind == DP_LEX_DIM && m[k].e->dim && m[k].e->dim->type == DP_DIM_TIME && !dm)
                    dm = &m[k];
                for (size_t q = 0; m[k].e->kind == DP_LEX_METRIC && q < in->nmetrics; q++)
                    asked |= in->metrics[q] == m[k].e->metric;
            }
            const dp_model *dmodel = dm ? dm->e->model : NULL;
            const dp_dimension *ddim = dm ? dm->e->dim : NULL;
            if (!ddim) /* "termination month": the words of termination_date but its suffix */
                ddim = date_named(p, s, len, &dmodel);
            if (!ddim)
                continue;
            const char *phrase = dp_int__span_text(p, s, len);
            size_t gi = in->ngroups;
            for (size_t k = 0; k < in->ngroups && gi == in->ngroups; k++)
                if (!in->groups[k].is_entity && in->groups[k].phrase && !strcmp(in->groups[k].phrase, phrase))
                    gi = k;
            if (gi == in->ngroups && !asked)
                break; /* read as something else the request needs */
            int all = 1;
            for (size_t k = 0; k < in->nmetrics && all; k++)
                all = counts_on(p->kg, in->metrics[k], dmodel, ddim);
            if (!all)
                break; /* another date than the metrics' own: a grouping the compiler does not truncate; asked */
            in->grain = g;
            if (gi < in->ngroups) {
                memmove(&in->groups[gi], &in->groups[gi + 1], (in->ngroups - gi - 1) * sizeof(*in->groups));
                in->ngroups--;
            }
            dp_int__mark(p, i, 1, U_PATTERN);
            dp_int__note(p, dp_int__span_text(p, s, len + 1), "time_grain", dp_grain_name(g),
                         "the metrics' own date at a calendar grain", 1.0);
            break;
        }
    }
}

/* What a request asks beyond its metrics that dpgen must not drop: a
 * calculation on top of a metric (cumulative, growth, year over year, share
 * of...) unless a catalog phrase claims it, and a comparison of amounts
 * ("more than 1000 shipments"). Answering without them would answer another
 * question, so each becomes a refusal. */
#include "intent/intent_int.h"
#include "util/embedded.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CALC_WORDS 4

/* The next entry of the list at *pos: its words (lowercase, split on
 * spaces, at most CALC_WORDS) into w (room for each word) and what it asks
 * for; 0 at the end. */
static int next_calc(const char *txt, size_t len, size_t *pos, char w[CALC_WORDS][32], size_t *nw, char *what,
                     size_t whatcap)
{
    while (*pos < len) {
        const char *line = txt + *pos, *nl = memchr(line, '\n', len - *pos);
        size_t ll = nl ? (size_t)(nl - line) : len - *pos;
        *pos += ll + 1;
        const char *tab = memchr(line, '\t', ll);
        if (!ll || line[0] == '#' || !tab || (size_t)(line + ll - tab - 1) >= whatcap)
            continue;
        memcpy(what, tab + 1, (size_t)(line + ll - tab - 1));
        what[line + ll - tab - 1] = 0;
        *nw = 0;
        for (const char *q = line; q < tab && *nw < CALC_WORDS;) {
            const char *sp = memchr(q, ' ', (size_t)(tab - q));
            const char *e = sp ? sp : tab;
            if (e > q && (size_t)(e - q) < 32) {
                memcpy(w[*nw], q, (size_t)(e - q));
                w[(*nw)++][e - q] = 0;
            }
            q = e + 1;
        }
        if (*nw)
            return 1;
    }
    return 0;
}

void dp_int__find_calculations(parser *p)
{
    size_t len;
    const char *txt = dp_embedded_find("calculations.tsv", &len);
    char w[CALC_WORDS][32], what[64];
    size_t nw, pos = 0;
    p->ncalcs = 0;
    while (txt && next_calc(txt, len, &pos, w, &nw, what, sizeof(what))) {
        for (size_t i = 0; i + nw <= p->n && p->ncalcs < sizeof(p->calc_at) / sizeof(*p->calc_at); i++) {
            size_t k = 0;
            while (k < nw && !p->t[i + k].punct && !strcmp(p->t[i + k].low, w[k]))
                k++;
            if (k < nw)
                continue;
            /* overlapping entries: the longer wins ("growth rate" over
             * "growth"), whichever the list gives first */
            size_t c = 0;
            while (c < p->ncalcs && !(i + nw > p->calc_at[c] && i < p->calc_at[c] + p->calc_len[c]))
                c++;
            if (c < p->ncalcs && p->calc_len[c] >= nw)
                continue;
            if (c == p->ncalcs)
                p->ncalcs++;
            p->calc_at[c] = i;
            p->calc_len[c] = nw;
            p->calc_what[c] = dp_arena_strdup(p->a, what);
        }
    }
}

/* The metric phrase beside tokens [s, e): right after it (past "of", "in",
 * "the" and time words), else right before it; widens [*from, *to) to cover
 * it. */
static void beside_metric(const parser *p, size_t s, size_t e, size_t *from, size_t *to)
{
    size_t r = e;
    while (r < p->n && (!strcmp(p->t[r].low, "of") || !strcmp(p->t[r].low, "in") || !strcmp(p->t[r].low, "the") ||
                        p->used[r] == U_PATTERN)) /* "average daily shipments" */
        r++;
    if (r < p->n && p->kind[r] == DP_LEX_METRIC) {
        while (r < p->n && p->kind[r] == DP_LEX_METRIC)
            r++;
        *to = r;
        return;
    }
    size_t l = s;
    while (l > 0 && p->kind[l - 1] == DP_LEX_METRIC)
        l--;
    *from = l;
}

/* Is token k inside a catalog phrase that matches it as written (not
 * through a typo)? */
static int exactly_matched(const parser *p, size_t k)
{
    for (size_t j = k + 1; j-- > 0 && k - j < 12;) {
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32);
        for (size_t q = 0; q < nm; q++)
            if (j + m[q].len > k && !m[q].fuzzy)
                return 1;
    }
    return 0;
}

/* The aggregation an aggregation word asks for ("avg" -> average), or -1. */
static int agg_of_word(const char *w)
{
    static const struct {
        const char *w;
        dp_agg agg;
    } words[] = {{"average", DP_AGG_AVERAGE}, {"averages", DP_AGG_AVERAGE}, {"avg", DP_AGG_AVERAGE},
                 {"mean", DP_AGG_AVERAGE},    {"median", DP_AGG_MEDIAN},     {"max", DP_AGG_MAX},
                 {"maximum", DP_AGG_MAX},     {"min", DP_AGG_MIN},           {"minimum", DP_AGG_MIN},
                 {"distinct", DP_AGG_COUNT_DISTINCT}, {"unique", DP_AGG_COUNT_DISTINCT}};
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (!strcmp(w, words[i].w))
            return (int)words[i].agg;
    return -1;
}

/* An aggregation word before a metric that already is that aggregation:
 * "average deal size" for a metric named "avg_deal_size" (matched without
 * its aggregation word), or for "deal size" whose measure is an average;
 * "average" before a rate (a ratio, or a derived metric that divides). */
static int metric_is_aggregation(parser *p, size_t s, size_t e)
{
    int agg = e == s + 1 ? agg_of_word(p->t[s].low) : -1;
    if (agg < 0)
        return 0;
    size_t r = e;
    while (r < p->n && (!strcmp(p->t[r].low, "of") || !strcmp(p->t[r].low, "the") || p->used[r] == U_PATTERN))
        r++;
    if (r >= p->n || p->kind[r] != DP_LEX_METRIC)
        return 0;
    const char *family = dp_agg_word_family(p->t[s].low);
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, r, m, 32);
    const dp_lex_match *read = nm ? dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len) : NULL;
    const dp_metric *is = NULL;
    for (size_t q = 0; q < nm && !is; q++) {
        const dp_lex_entry *x = m[q].e;
        if (x->kind != DP_LEX_METRIC || m[q].fuzzy || (read && m[q].len != read->len))
            continue;
        const dp_measure *me =
            x->metric->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, x->metric->measure.name) : NULL;
        /* a rate is an average already: "average loss rate by carrier" is
         * each carrier's loss rate, the ratio of the sums */
        if ((x->dropped && family && !strcmp(x->dropped, family)) || (me && (int)me->agg == agg) ||
            (me && agg == DP_AGG_MEDIAN && me->agg == DP_AGG_PERCENTILE && me->percentile == 0.5) ||
            (agg == DP_AGG_AVERAGE &&
             (x->metric->type == DP_METRIC_RATIO ||
              (x->metric->type == DP_METRIC_DERIVED && x->metric->expr && strchr(x->metric->expr, '/')))))
            is = x->metric;
    }
    if (!is)
        return 0;
    /* "average loan days" where the words also name a total: the metric that
     * is the average is the one read, not the total that came first */
    for (size_t k = 0; read && k < p->in->nmetrics; k++)
        if (p->in->metrics[k] == read->e->metric && read->e->metric != is)
            p->in->metrics[k] = is;
    return 1;
}

/* The grain a period-over-period phrase names ("month over month", "yoy",
 * "week on week"), or DP_GRAIN_NONE ("growth"). */
static dp_grain pop_grain(const parser *p, size_t s, size_t e)
{
    static const struct {
        const char *w;
        dp_grain g;
    } abbrev[] = {{"yoy", DP_GRAIN_YEAR}, {"mom", DP_GRAIN_MONTH}, {"wow", DP_GRAIN_WEEK}, {"qoq", DP_GRAIN_QUARTER}};
    for (size_t k = s; k < e; k++) {
        dp_grain g = dp_grain_word(p->t[k].low, NULL);
        if (g != DP_GRAIN_NONE)
            return g;
        for (size_t a = 0; a < sizeof(abbrev) / sizeof(*abbrev); a++)
            if (!strcmp(p->t[k].low, abbrev[a].w))
                return abbrev[a].g;
    }
    return DP_GRAIN_NONE;
}

/* A metric of the request that is the period-over-period calculation asked
 * at grain g: a derived metric with an input offset by one g ("cost
 * growth month over month" for a catalog metric over cost and cost offset
 * by 1 month); NULL when none. */
static const dp_metric *pop_metric(const parser *p, dp_grain g)
{
    for (size_t i = 0; i < p->in->nmetrics; i++) {
        const dp_metric *m = p->in->metrics[i];
        for (size_t k = 0; m->type == DP_METRIC_DERIVED && k < m->ninputs; k++) {
            const char *w = m->inputs[k].offset_window;
            char unit[32];
            int n = 0;
            if (!w || sscanf(w, "%d %31s", &n, unit) != 2)
                continue;
            dp_grain ug = dp_grain_word(unit, NULL);
            if (ug == DP_GRAIN_NONE && dp_grain_parse(unit, &ug))
                continue;
            if (g == DP_GRAIN_NONE || (n == 1 && ug == g) || (g == DP_GRAIN_WEEK && ug == DP_GRAIN_DAY && n == 7) ||
                (g == DP_GRAIN_YEAR && ug == DP_GRAIN_MONTH && n == 12))
                return m;
        }
    }
    return NULL;
}

static int share_content(const parser *p, size_t k);
static int share_stop(const parser *p, size_t k);
static void unread(parser *p, size_t s, size_t e, const dp_metric *keep);

/* The words from token s to the first that ends a share's words (at most
 * span of them): the stems of those that say something, in out (up to
 * cap); their count, and in *end the token after them. */
static size_t words_from(parser *p, size_t s, size_t span, const char **out, size_t cap, size_t *end)
{
    size_t e = s, n = 0;
    while (e < p->n && e - s < span && !share_stop(p, e))
        e++;
    for (size_t k = s; k < e && n < cap; k++)
        if (share_content(p, k))
            out[n++] = p->t[k].stem;
    *end = e;
    return n;
}

/* "number of distinct members who ordered": the one count-distinct metric
 * of the catalog whose name, label or description holds every word after
 * "distinct" reads them (a metric described as "Distinct members who
 * placed an order"); 1 when it did. */
static int distinct_described(parser *p, size_t s, size_t e)
{
    size_t ae;
    const char *stems[12];
    size_t ns = words_from(p, e, 8, stems, 12, &ae);
    const dp_metric *found = NULL;
    int nfound = 0;
    for (size_t k = 0; ns && k < p->kg->nmetrics; k++) {
        const dp_metric *m = &p->kg->metrics[k];
        const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
        if (!me || me->agg != DP_AGG_COUNT_DISTINCT)
            continue;
        char text[1024];
        snprintf(text, sizeof(text), "%s %s %s %s", m->name, m->label ? m->label : "",
                 m->description ? m->description : "", me->description ? me->description : "");
        for (char *q = text; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        int all = 1;
        for (size_t w = 0; w < ns && all; w++)
            all = strstr(text, stems[w]) != NULL;
        if (all) {
            found = m;
            nfound++;
        }
    }
    if (nfound != 1)
        return 0;
    /* "number of" before it is the count itself */
    size_t bs = s;
    while (bs > 0 && (!strcmp(p->t[bs - 1].low, "of") || !strcmp(p->t[bs - 1].low, "number") ||
                      !strcmp(p->t[bs - 1].low, "count") || !strcmp(p->t[bs - 1].low, "the")))
        bs--;
    unread(p, s, ae, found);
    dp_int__add_metric(p, found, s);
    dp_int__note(p, dp_int__span_text(p, bs, ae - bs), "metric", found->name, "described count-distinct metric", 0.9);
    dp_int__mark(p, bs, ae - bs, U_MATCH);
    for (size_t k = bs; k < ae; k++)
        p->kind[k] = DP_LEX_METRIC;
    return 1;
}

/* "monthly change in cost", "running total of cost": the one catalog
 * metric that is that calculation of the metric named beside the words (a
 * derived metric over it offset by the grain asked, a cumulative metric of
 * its measure) replaces it; 1 when it did. */
static int catalog_calculation(parser *p, size_t c, size_t s, size_t e, size_t from, size_t to)
{
    const dp_metric *base = NULL;
    for (size_t q = from; q < to && !base; q++) {
        if (q >= s && q < e)
            continue;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, q, m, 32);
        const dp_lex_match *mm = nm ? dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len) : NULL;
        base = mm ? mm->e->metric : NULL;
    }
    if (!base)
        return 0;
    const char *what = p->calc_what[c];
    int pop = strstr(what, "period-over-period") != NULL, cum = strstr(what, "cumulative") != NULL,
        roll = strstr(what, "rolling") != NULL;
    dp_grain g = pop ? pop_grain(p, s, e) : DP_GRAIN_NONE;
    if (pop && g == DP_GRAIN_NONE)
        g = p->in->grain; /* "monthly change in cost" */
    const dp_metric *found = NULL;
    int nfound = 0;
    for (size_t k = 0; k < p->kg->nmetrics; k++) {
        const dp_metric *m = &p->kg->metrics[k];
        int hit = 0;
        if (pop && m->type == DP_METRIC_DERIVED)
            for (size_t i = 0; i < m->ninputs && !hit; i++) {
                const char *w = m->inputs[i].offset_window;
                char unit[32];
                int n = 0;
                dp_grain ug = DP_GRAIN_NONE;
                if (!w || strcmp(m->inputs[i].name, base->name) || sscanf(w, "%d %31s", &n, unit) != 2)
                    continue;
                ug = dp_grain_word(unit, NULL);
                hit = g == DP_GRAIN_NONE || (n == 1 && ug == g);
            }
        if ((cum || roll) && m->type == DP_METRIC_CUMULATIVE && base->type == DP_METRIC_SIMPLE && m->measure.name &&
            base->measure.name && !strcmp(m->measure.name, base->measure.name))
            hit = roll ? m->window != NULL : m->window == NULL && m->grain_to_date == NULL;
        if (hit) {
            found = m;
            nfound++;
        }
    }
    if (nfound != 1)
        return 0;
    for (size_t k = 0; k < p->in->nmetrics; k++)
        if (p->in->metrics[k] == base)
            p->in->metrics[k] = found;
    dp_int__note(p, dp_int__span_text(p, from, to - from), "metric", found->name,
                 dp_arena_printf(p->a, "the catalog's %s of %s", what, base->name), 0.9);
    dp_int__mark(p, s, e - s, U_PATTERN);
    return 1;
}

void dp_int__check_calculations(parser *p)
{
    for (size_t c = 0; c < p->ncalcs; c++) {
        size_t s = p->calc_at[c], e = s + p->calc_len[c];
        /* a catalog phrase ("Headcount growth") has every word of it; one
         * that took a word of it ("rate" of "growth rate") or read it as a
         * typo ("median" for "media") does not count */
        int claimed = 1;
        for (size_t k = s; k < e && claimed; k++)
            claimed = p->used[k] == U_MATCH && exactly_matched(p, k);
        if (claimed)
            continue;
        const dp_metric *pm = strstr(p->calc_what[c], "period-over-period") ? pop_metric(p, pop_grain(p, s, e)) : NULL;
        if (pm) {
            dp_int__note(p, dp_int__span_text(p, s, e - s), "calculation", pm->name, "metric definition (offset window)",
                         1.0);
            dp_int__mark(p, s, e - s, U_PATTERN);
            continue;
        }
        if (metric_is_aggregation(p, s, e)) {
            dp_int__note(p, dp_int__span_text(p, s, e - s), "aggregation", "the metric's own", "metric definition", 1.0);
            dp_int__mark(p, s, e - s, U_PATTERN);
            continue;
        }
        if (strstr(p->calc_what[c], "distinct") && distinct_described(p, s, e))
            continue;
        size_t from = s, to = e;
        beside_metric(p, s, e, &from, &to);
        if (catalog_calculation(p, c, s, e, from, to))
            continue;
        dp_int__add_missing(p, dp_int__span_text(p, from, to - from), p->calc_what[c]);
        dp_int__mark(p, s, e - s, U_PATTERN);
    }
}

/* Before a number: "more than", "at least", "above", ">"... */
static size_t comparison_cue(const parser *p, size_t num)
{
    static const char *one[] = {"above", "below", "over", "under", "exceeding", "exceeds", "exceed", "between",
                                "beyond", NULL};
    static const char *before_than[] = {"more", "less", "fewer", "greater", "higher", "lower", "bigger",
                                        "smaller", NULL};
    /* a comparison sign written before the number: "shipments > 1000" */
    const char *req = p->in->request;
    int from = num > 0 ? p->t[num - 1].end : 0;
    for (int b = p->t[num].start - 1; b >= from; b--)
        if (req[b] == '>' || req[b] == '<')
            return num;
    if (num == 0)
        return SIZE_MAX;
    const dp_tok *t = &p->t[num - 1];
    if (t->punct || p->used[num - 1] == U_MATCH)
        return SIZE_MAX;
    for (int k = 0; one[k]; k++)
        if (!strcmp(t->low, one[k]))
            return num - 1;
    if (num >= 2 && !strcmp(t->low, "than"))
        for (int k = 0; before_than[k]; k++)
            if (!strcmp(p->t[num - 2].low, before_than[k]))
                return num - 2;
    if (num >= 2 && (!strcmp(t->low, "least") || !strcmp(t->low, "most")) && !strcmp(p->t[num - 2].low, "at"))
        return num - 2;
    return SIZE_MAX;
}

/* "for carrier 42", "of employee 1001": a number right after a catalog
 * phrase that a filter word introduced names one key; the start of that
 * phrase, or SIZE_MAX. */
static size_t key_cue(const parser *p, size_t num)
{
    if (num == 0 || p->used[num - 1] != U_MATCH)
        return SIZE_MAX;
    size_t s = num - 1;
    while (s > 0 && p->used[s - 1] == U_MATCH && num - s < 4)
        s--;
    for (size_t b = s; b > 0 && s - b < 2; b--)
        if (dp_int__is_filter_marker(p->t[b - 1].low))
            return s;
    return SIZE_MAX;
}

/* The value of the number in tokens [i, e) ("1,000", "2.5", "5"), with a
 * percent sign after it ("5%") as *pct. */
static double number_value(const parser *p, size_t i, size_t e, int *pct)
{
    char buf[64];
    size_t n = 0;
    for (size_t k = i; k < e && n + 24 < sizeof(buf); k++)
        if (p->t[k].punct != ',')
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", p->t[k].punct ? "." : p->t[k].low);
    buf[n] = 0;
    const char *after = p->in->request + p->t[e - 1].end;
    while (*after == ' ')
        after++;
    *pct = *after == '%';
    return strtod(buf, NULL);
}

/* The metric a comparison is about: the metric phrase right after the number
 * ("more than 1000 shipments"), else right before the cue ("cost above
 * 500", "carriers whose cost is above 500"), else the request's only
 * metric ("cost by carrier above 500"). */
static const dp_metric *compared_metric(const parser *p, size_t cue, size_t e)
{
    size_t j = SIZE_MAX;
    if (e < p->n && p->kind[e] == DP_LEX_METRIC)
        j = e;
    else {
        size_t b = cue;
        while (b > 0 && (!strcmp(p->t[b - 1].low, "is") || !strcmp(p->t[b - 1].low, "are") ||
                         !strcmp(p->t[b - 1].low, "was") || !strcmp(p->t[b - 1].low, "were") ||
                         !strcmp(p->t[b - 1].low, "of")))
            b--;
        if (b > 0 && p->kind[b - 1] == DP_LEX_METRIC) {
            j = b - 1;
            while (j > 0 && p->kind[j - 1] == DP_LEX_METRIC)
                j--;
        }
    }
    if (j == SIZE_MAX) /* "cost by carrier above 500": the request's only metric */
        return p->in->nmetrics == 1 ? p->in->metrics[0] : NULL;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, j, m, 32);
    const dp_lex_match *mm = dp_int__first_of(m, nm, DP_LEX_METRIC, nm ? m[0].len : 0);
    return mm ? mm->e->metric : NULL;
}

/* The operator a cue asks for, or NULL ("between" takes two numbers). */
static const char *cue_operator(const parser *p, size_t cue, size_t num)
{
    if (cue == num) { /* a sign: ">", ">=", "<", "<=" */
        for (int b = p->t[num].start - 1; b >= 0; b--)
            if (p->in->request[b] == '>' || p->in->request[b] == '<') {
                int eq = p->in->request[b + 1] == '=';
                return p->in->request[b] == '>' ? (eq ? ">=" : ">") : (eq ? "<=" : "<");
            }
        return NULL;
    }
    const char *w = p->t[cue].low;
    if (!strcmp(w, "at"))
        return !strcmp(p->t[cue + 1].low, "least") ? ">=" : "<=";
    static const char *more[] = {"above", "over", "exceeding", "exceeds", "exceed", "beyond", "more", "greater",
                                 "higher", "bigger", NULL};
    static const char *less[] = {"below", "under", "less", "fewer", "lower", "smaller", NULL};
    for (int k = 0; more[k]; k++)
        if (!strcmp(w, more[k]))
            return ">";
    for (int k = 0; less[k]; k++)
        if (!strcmp(w, less[k]))
            return "<";
    return NULL;
}

/* Records "more than 1000 shipments" as a condition on the report's rows;
 * 0 when it cannot be placed (no metric beside it, a percent on a metric
 * that is no rate, "between"), which the caller refuses. */
/* Is the condition before cue said of an entity the report is not grouped
 * by ("carriers with cost above 500" beside "by region")? */
static int condition_on_other_entity(parser *p, size_t cue)
{
    size_t b = cue;
    while (b > 0 && (p->kind[b - 1] == DP_LEX_METRIC || !strcmp(p->t[b - 1].low, "is") ||
                     !strcmp(p->t[b - 1].low, "a") || !strcmp(p->t[b - 1].low, "an") || !strcmp(p->t[b - 1].low, "the")))
        b--; /* the metric compared */
    size_t w = b;
    while (b > 0 && (!strcmp(p->t[b - 1].low, "with") || !strcmp(p->t[b - 1].low, "whose") ||
                     !strcmp(p->t[b - 1].low, "having") || !strcmp(p->t[b - 1].low, "where") ||
                     !strcmp(p->t[b - 1].low, "that") || !strcmp(p->t[b - 1].low, "have") ||
                     !strcmp(p->t[b - 1].low, "had")))
        b--; /* the words that make it a condition of what stands before */
    if (b == w || b == 0 || p->used[b - 1] != U_MATCH)
        return 0;
    dp_lex_match m[32];
    for (size_t s = b; s-- > 0 && b - s <= 4 && p->used[s] == U_MATCH;) {
        size_t nm = dp_int__match(p, s, m, 32);
        const dp_lex_match *em = nm && s + m[0].len == b ? dp_int__first_of(m, nm, DP_LEX_ENTITY, m[0].len) : NULL;
        if (!em)
            continue;
        for (size_t g = 0; g < p->in->ngroups; g++)
            if (p->in->groups[g].is_entity && !strcmp(p->in->groups[g].entity, em->e->entity->name))
                return 0;
        return 1;
    }
    return 0;
}

/* "revenue by region for orders over 100": a count of an entity right
 * after "for", compared, says which of the entity's rows (each order's
 * amount, which the words do not name), not how many of them per row. */
static int rows_compared(parser *p, size_t cue)
{
    size_t j = cue;
    while (j > 0 && p->kind[j - 1] == DP_LEX_METRIC)
        j--;
    size_t f = j;
    while (f > 0 && (!strcmp(p->t[f - 1].low, "the") || !strcmp(p->t[f - 1].low, "all")))
        f--;
    if (j == cue || f == 0 || strcmp(p->t[f - 1].low, "for"))
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, j, m, 32);
    return nm && dp_int__counted_entity(p, dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len)) != NULL;
}

static int add_condition(parser *p, size_t cue, size_t num, size_t e, const char *phrase)
{
    if (rows_compared(p, cue))
        return 0;
    const char *op = cue_operator(p, cue, num);
    const dp_metric *m = op ? compared_metric(p, cue, e) : NULL;
    dp_intent *in = p->in;
    if (!m || in->nconditions >= sizeof(in->conditions) / sizeof(*in->conditions))
        return 0;
    int pct = 0;
    double v = number_value(p, num, e, &pct);
    if (pct) {
        /* "5%" of a rate is 0.05; of anything else it is unclear */
        if (m->type != DP_METRIC_RATIO)
            return 0;
        v /= 100.0;
    }
    /* "spend for carriers with a loss rate above 5% by region": the
     * condition is on each carrier, a grain the report does not have; kept
     * on the report's rows it would be another question */
    if (condition_on_other_entity(p, cue))
        return 0;
    int listed = 0;
    for (size_t k = 0; k < in->nmetrics; k++)
        listed |= in->metrics[k] == m;
    /* a condition keeps or drops rows: on a one-row total it is no answer
     * ("carriers with more than 1000 shipments" without "by carrier") */
    if (!listed || (!in->ngroups && in->grain == DP_GRAIN_NONE))
        return 0;
    in->conditions[in->nconditions++] = (dp_condition){m, op, v, phrase};
    dp_int__note(p, phrase, "condition", dp_arena_printf(p->a, "%s %s %g", m->name, op, v), "comparison", 1.0);
    return 1;
}

/* "for carrier 42": a filter on the key of the entity named at tokens
 * [key, num), through its primary key column in its home dataset (a
 * dimension made for the purpose); the words stop being a metric if they
 * were read as one ("carriers" as the count of carriers). 0: no such
 * entity. */
static int add_key_filter(parser *p, size_t key, size_t num)
{
    dp_intent *in = p->in;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, key, m, 32);
    const dp_entity *e = NULL;
    const dp_model *home = NULL;
    for (size_t q = 0; q < nm && !e; q++)
        if (m[q].e->kind == DP_LEX_ENTITY && key + m[q].len == num && (home = dp_kg_entity_home(p->kg, m[q].e->entity->name)))
            e = dp_kg_model_entity(home, m[q].e->entity->name);
    dp_dimension *d = e ? dp_arena_calloc(p->a, 1, sizeof(*d)) : NULL;
    if (!d || in->nfilters >= DP_INTENT_MAX_ITEMS)
        return 0;
    /* a key the data does not have is a question back, not an empty report */
    if (!dp_int__key_exists(p, home, e->expr, key, num))
        return 1;
    d->name = e->name;
    d->expr = e->expr;
    d->type = DP_DIM_CATEGORICAL;
    d->description = dp_arena_printf(p->a, "key of %s", e->name);
    d->column = dp_kg_model_column(home, e->expr);
    const char *phrase = dp_int__span_text(p, key, num + 1 - key);
    dp_filter f = {0};
    f.target.dims[0] = d;
    f.target.dim_models[0] = home;
    f.target.ndims = 1;
    f.values[0] = p->t[num].raw;
    f.nvalues = 1;
    f.phrase = phrase;
    in->filters[in->nfilters++] = f;
    /* the entity's words read as a metric ("carriers"): not one here */
    const char *words = dp_int__span_text(p, key, num - key);
    for (size_t k = 0; k < in->nnotes; k++) {
        dp_match_note *nt = &in->notes[k];
        if (strcmp(nt->kind, "metric") || strcmp(nt->text, words))
            continue;
        dp_int__drop_metric(p, nt->target, NULL);
        nt->kind = "key filter";
        nt->target = dp_arena_printf(p->a, "%s.%s = %s", home->name, e->expr, p->t[num].raw);
    }
    dp_int__note(p, phrase, "filter", dp_arena_printf(p->a, "%s.%s = %s", home->name, e->expr, p->t[num].raw),
                 "entity key", 1.0);
    return 1;
}

int dp_int__is_compared(const parser *p, size_t i)
{
    return p->t[i].is_num && comparison_cue(p, i) != SIZE_MAX;
}

void dp_int__check_comparisons(parser *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!p->t[i].is_num || p->used[i])
            continue;
        size_t key = key_cue(p, i);
        if (key != SIZE_MAX) {
            if (!add_key_filter(p, key, i))
                dp_int__add_missing(p, dp_int__span_text(p, key, i + 1 - key), "key filter");
            dp_int__mark(p, i, 1, U_PATTERN);
            continue;
        }
        size_t cue = comparison_cue(p, i);
        if (cue == SIZE_MAX)
            continue;
        /* the number's own tail ("1,000", "2.5") and the metric after it */
        size_t e = i + 1;
        while (e + 1 < p->n && (p->t[e].punct == ',' || p->t[e].punct == '.') && p->t[e + 1].is_num &&
               p->t[e].start == p->t[e - 1].end && p->t[e + 1].start == p->t[e].end)
            e += 2;
        size_t to = e;
        while (to < p->n && p->kind[to] == DP_LEX_METRIC)
            to++;
        const char *phrase = dp_int__span_text(p, cue, to - cue);
        if (cue == i) /* the sign before the number: "> 1000" */
            for (int b = p->t[i].start - 1; b >= 0; b--)
                if (p->in->request[b] == '>' || p->in->request[b] == '<') {
                    phrase = dp_arena_printf(p->a, "%c %s", p->in->request[b], phrase);
                    break;
                }
        if (!phrase || !add_condition(p, cue, i, e, phrase))
            dp_int__add_missing(p, phrase ? phrase : "", "amount comparison");
        dp_int__mark(p, cue, e - cue, U_PATTERN);
    }
}

/* Is the metric a share: its name or label says so ("Refund share",
 * "pct_returned", "Return rate"), or its description starts so ("Share of
 * invoices whose payment failed")? Its text (name, label, description,
 * lowercase) into text. */
static int share_metric(const dp_metric *m, char *text, size_t cap)
{
    static const char *marks[] = {"share", "percent", "pct", "proportion", "rate", "%", NULL};
    static const char *starts[] = {"share of", "percentage of", "percent of", "proportion of", "fraction of", NULL};
    snprintf(text, cap, "%s %s", m->name, m->label ? m->label : "");
    for (char *q = text; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    int marked = 0;
    for (int k = 0; marks[k] && !marked; k++)
        marked = strstr(text, marks[k]) != NULL;
    for (int k = 0; starts[k] && !marked && m->description; k++)
        marked = !strncasecmp(m->description, starts[k], strlen(starts[k]));
    size_t off = strlen(text);
    snprintf(text + off, cap - off, " %s", m->description ? m->description : "");
    for (char *q = text + off; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return marked;
}

/* A word that says what a share is of ("shipments", "lost", "premium"),
 * not grammar. */
static int share_content(const parser *p, size_t k)
{
    const dp_tok *t = &p->t[k];
    return !t->punct && !t->is_num && strlen(t->low) > 2 && !dp_is_stopword(t->low) &&
           (p->used[k] == U_MATCH || !dp_int__is_noise(t->low)); /* "no-show" is a phrase, "show" alone framing */
}

/* Ends a span of a share's words: punctuation, a grouping or filter word,
 * grammar already placed. */
static int share_stop(const parser *p, size_t k)
{
    size_t ml;
    return p->t[k].punct || p->used[k] == U_PATTERN || dp_int__is_group_marker(p, k, &ml) ||
           (dp_int__ends_grouping(p->t[k].low) && strcmp(p->t[k].low, "of"));
}

/* Forgets what tokens [s, e) were read as (metrics, filter values): a
 * share metric reads them now. */
static void unread(parser *p, size_t s, size_t e, const dp_metric *keep)
{
    dp_intent *in = p->in;
    const char *span = dp_int__span_text(p, s, e - s);
    for (size_t k = 0; k < in->nnotes; k++) {
        dp_match_note *nt = &in->notes[k];
        if (!strstr(span, nt->text))
            continue;
        if (!strcmp(nt->kind, "metric"))
            dp_int__drop_metric(p, nt->target, keep);
        if (!strcmp(nt->kind, "metric") || !strcmp(nt->kind, "filter"))
            nt->kind = "share of";
    }
    /* a dimension read in those words ("who booked a class") is no grouping */
    for (size_t j = 0; j < in->ngroups;)
        if (in->groups[j].phrase && strstr(span, in->groups[j].phrase) && !(in->ranked && in->ranked_group == j)) {
            if (in->ranked && in->ranked_group > j)
                in->ranked_group--;
            memmove(&in->groups[j], &in->groups[j + 1], (in->ngroups - j - 1) * sizeof(*in->groups));
            in->ngroups--;
        } else {
            j++;
        }
    for (size_t j = 0; j < in->nfilters;)
        if (in->filters[j].phrase && strstr(span, in->filters[j].phrase)) {
            memmove(&in->filters[j], &in->filters[j + 1], (in->nfilters - j - 1) * sizeof(*in->filters));
            in->nfilters--;
        } else {
            j++;
        }
}

/* Does every word of a name (but share words), split at any of seps, begin
 * like one of the request's stems ("loss_rate" for "lost": three letters in
 * common)? */
static int words_said(const char *name, const char *seps, const char *const *stems, size_t ns)
{
    static const char *skip[] = {"share", "rate", "pct", "percent", "percentage", "proportion", "ratio", "the", NULL};
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", name);
    char *save = NULL;
    for (char *w = strtok_r(buf, seps, &save); w; w = strtok_r(NULL, seps, &save)) {
        int skipped = strlen(w) < 3;
        for (int k = 0; skip[k] && !skipped; k++)
            skipped = !strcasecmp(w, skip[k]);
        if (skipped)
            continue;
        int said = 0;
        for (size_t s = 0; s < ns && !said; s++)
            said = !strncasecmp(w, stems[s], 3);
        if (!said)
            return 0;
    }
    return 1;
}

static int name_said(const char *name, const char *const *stems, size_t ns) { return words_said(name, "_", stems, ns); }

/* Is one of the synonyms the description gives ("also called on-time rate
 * or OTD") the request's words: every stem in it, and every word of it said
 * ("virtual visit share" is not "percentage of visits")? */
static int synonym_said(const dp_metric *m, const char *const *stems, size_t ns)
{
    const char *also = m->description ? strcasestr(m->description, "also called") : NULL;
    if (!also || !ns)
        return 0;
    char low[512];
    snprintf(low, sizeof(low), "%s", also + strlen("also called"));
    low[strcspn(low, ".;()")] = 0;
    for (char *q = low; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    /* the alternatives: "a, b or c" */
    for (char *alt = low; alt && *alt;) {
        char *next = NULL, *comma = strchr(alt, ','), *either = strstr(alt, " or ");
        if (either && (!comma || either < comma)) {
            *either = 0;
            next = either + 4;
        } else if (comma) {
            *comma = 0;
            next = comma + 1;
        }
        int all = 1;
        for (size_t s = 0; s < ns && all; s++)
            all = strstr(alt, stems[s]) != NULL;
        if (all && words_said(alt, " -", stems, ns))
            return 1;
        alt = next;
    }
    return 0;
}

/* Is byte q of the request inside a whole metric label the request wrote? */
static int in_label(const parser *p, int q)
{
    for (size_t k = 0; k < p->nlabels; k++)
        if (q >= p->label_from[k] && q < p->label_to[k])
            return 1;
    return 0;
}

/* Were the words text read as ratio m's numerator metric, and as nothing
 * else? */
static int numerator_alone(const parser *p, const dp_metric *m, const char *text)
{
    int num = 0;
    for (size_t k = 0; k < p->in->nnotes; k++) {
        const dp_match_note *nt = &p->in->notes[k];
        if (strcmp(nt->text, text))
            continue;
        if (strcmp(nt->kind, "metric") || !m->numerator.name || strcmp(nt->target, m->numerator.name))
            return 0;
        num = 1;
    }
    return num;
}

/* Words that link a share's whole to its part ("were", "came from"). */
static const char *const share_links[] = {"was",   "were",  "is",   "are", "that", "which", "who", "came", "come",
                                          "comes", "would", "will", "got", "had",  "have",  "has", "did",  NULL};

/* Appends text, lowercase, to buf (at *off, within cap). */
static void add_text(char *buf, size_t cap, size_t *off, const char *text)
{
    if (!text || *off + 2 >= cap)
        return;
    int w = snprintf(buf + *off, cap - *off, " %s", text);
    size_t end = w < 0 ? *off : *off + (size_t)w < cap ? *off + (size_t)w : cap - 1;
    for (size_t q = *off; q < end; q++)
        buf[q] = (char)tolower((unsigned char)buf[q]);
    *off = end;
}

/* Do the whole's words at [s, e) name metric d: one phrase of the catalog
 * for it covers them (articles aside), or every word of its name is said
 * and every word said is in its name, label or description? */
static int names_whole(parser *p, size_t s, size_t e, const dp_metric *d)
{
    while (s < e && (!strcmp(p->t[s].low, "the") || !strcmp(p->t[s].low, "all")))
        s++;
    if (s >= e)
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, s, m, 32);
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == DP_LEX_METRIC && m[k].e->metric == d && !m[k].fuzzy && s + m[k].len == e)
            return 1;
    const char *stems[8];
    size_t ns = 0;
    char text[1024];
    size_t off = 0;
    text[0] = 0;
    add_text(text, sizeof(text), &off, d->name);
    add_text(text, sizeof(text), &off, d->label);
    add_text(text, sizeof(text), &off, d->description);
    for (size_t k = s; k < e && ns < 8; k++) {
        if (!share_content(p, k))
            continue;
        if (!strstr(text, p->t[k].stem))
            return 0;
        stems[ns++] = p->t[k].stem;
    }
    return ns && name_said(d->name, stems, ns);
}

/* "what percent of funds raised was restricted", "what share of new
 * activations were prepaid", "what % of installs came from paid campaigns":
 * the whole after "of", a linking verb, then the part. The one ratio of
 * the catalog whose denominator the whole names and whose part the words
 * say (its numerator's name, label, description or filter, or its own
 * name, label or description); NULL when none or several. *end: the token
 * after the part. */
static const dp_metric *share_by_parts(parser *p, size_t of, size_t *end)
{
    static const char *const leads[] = {"from", "through", "via", "as", "be", "been", NULL};
    size_t link = of + 1;
    while (link < p->n && link - of <= 6 && !p->t[link].punct && !dp_int__in_list(p->t[link].low, share_links))
        link++;
    if (link >= p->n || link == of + 1 || !dp_int__in_list(p->t[link].low, share_links))
        return NULL;
    size_t v = link;
    while (v < p->n && (dp_int__in_list(p->t[v].low, share_links) || dp_int__in_list(p->t[v].low, leads)))
        v++;
    size_t ve;
    const char *part[6];
    size_t np = words_from(p, v, 5, part, 6, &ve);
    if (!np)
        return NULL;
    const dp_metric *found = NULL;
    for (size_t k = 0; k < p->kg->nmetrics; k++) {
        const dp_metric *r = &p->kg->metrics[k];
        const dp_metric *d =
            r->type == DP_METRIC_RATIO && !r->off.reason && r->denominator.name && !r->denominator.filter
                ? dp_kg_metric(p->kg, r->denominator.name)
                : NULL;
        const dp_metric *n = d && r->numerator.name ? dp_kg_metric(p->kg, r->numerator.name) : NULL;
        if (!n || !names_whole(p, of + 1, link, d))
            continue;
        char text[2048];
        size_t off = 0;
        text[0] = 0;
        add_text(text, sizeof(text), &off, r->name);
        add_text(text, sizeof(text), &off, r->label);
        add_text(text, sizeof(text), &off, r->description);
        add_text(text, sizeof(text), &off, r->numerator.filter);
        add_text(text, sizeof(text), &off, n->name);
        add_text(text, sizeof(text), &off, n->label);
        add_text(text, sizeof(text), &off, n->description);
        add_text(text, sizeof(text), &off, n->filter);
        int all = 1;
        for (size_t w = 0; w < np && all; w++)
            all = strstr(text, part[w]) != NULL;
        if (!all)
            continue;
        if (found && found != r)
            return NULL;
        found = r;
    }
    *end = ve;
    return found;
}

void dp_int__check_percent(parser *p)
{
    static const char *words[] = {"percent", "percentage", "pct", "share", "proportion", NULL};
    const char *req = p->in->request;
    for (size_t i = 0; i <= p->n; i++) {
        /* a percent marker: a percent word no phrase took, or a '%' sign
         * right after token i - 1 that is no number ("5%" is a value) */
        size_t at = SIZE_MAX, len = 0;
        if (i < p->n && !p->used[i])
            for (int k = 0; words[k] && at == SIZE_MAX; k++)
                if (!strcmp(p->t[i].low, words[k]))
                    at = i, len = 1;
        if (at == SIZE_MAX && (i == 0 || (!p->t[i - 1].is_num && strcmp(p->t[i - 1].low, "as")))) {
            int b = i ? p->t[i - 1].end : 0, e = i < p->n ? p->t[i].start : (int)strlen(req);
            for (int q = b; q < e && at == SIZE_MAX; q++)
                if (req[q] == '%' && !in_label(p, q))
                    at = i;
        }
        if (at == SIZE_MAX)
            continue;
        /* what it is a share of: the words before it ("returns %", "payment
         * failures as a percentage") and after "of" ("percentage of
         * shipments lost", "what % of bookings were no-shows") */
        size_t bs = at, ae = at + len;
        while (bs > 0 && at - bs < 5 && !share_stop(p, bs - 1))
            bs--;
        if (ae < p->n && !strcmp(p->t[ae].low, "of"))
            for (ae++; ae < p->n && ae - at < 8 && !share_stop(p, ae);)
                ae++;
        const char *stems[12];
        size_t ns = 0;
        for (size_t k = bs; k < ae && ns < 12; k++)
            if (k != at && share_content(p, k))
                stems[ns++] = p->t[k].stem;
        const dp_metric *found = NULL;
        int nfound = 0;
        for (size_t k = 0; ns && k < p->kg->nmetrics; k++) {
            char text[1024];
            if (!share_metric(&p->kg->metrics[k], text, sizeof(text)))
                continue;
            int all = 1;
            for (size_t w = 0; w < ns && all; w++)
                all = strstr(text, stems[w]) != NULL;
            /* and the request says every word of the metric's own name: "share
             * of shipments delivered" is not the on-time delivery rate */
            if (all && (name_said(p->kg->metrics[k].name, stems, ns) || synonym_said(&p->kg->metrics[k], stems, ns))) {
                found = &p->kg->metrics[k];
                nfound++;
            }
        }
        /* "share of clicks" is no click-through rate: the words after "of"
         * name the whole, and a ratio whose numerator they are alone (its
         * denominator unsaid) is a share of something else */
        size_t we = ae; /* the whole's words, a linking verb after them aside ("clicks were") */
        while (we > at + len + 2 &&
               (dp_is_stopword(p->t[we - 1].low) || dp_int__in_list(p->t[we - 1].low, share_links)))
            we--;
        int said_before = 0; /* "returns %": words of the share before it ("what share" says none) */
        for (size_t k = bs; k < at; k++)
            said_before |= share_content(p, k);
        if (nfound == 1 && found->type == DP_METRIC_RATIO && !said_before && we > at + len + 1 &&
            numerator_alone(p, found, dp_int__span_text(p, at + len + 1, we - at - len - 1)))
            nfound = 0;
        size_t pe = 0;
        const dp_metric *by_parts =
            !nfound && at + len < p->n && !strcmp(p->t[at + len].low, "of") ? share_by_parts(p, at + len, &pe) : NULL;
        if (by_parts) {
            found = by_parts;
            nfound = 1;
            ae = pe > ae ? pe : ae;
        }
        const char *phrase = bs < ae ? dp_int__span_text(p, bs, ae - bs) : "%";
        if (len == 0 && bs == at && ae == at)
            phrase = dp_arena_printf(p->a, "%s%%", bs ? p->t[bs - 1].raw : "");
        if (nfound == 1) {
            unread(p, bs, ae, found);
            dp_int__add_metric(p, found, bs);
            dp_int__note(p, phrase, "metric", found->name, "share metric of the catalog", 0.9);
            dp_int__mark(p, bs, ae - bs, U_MATCH);
            /* "percentage of": read here, no calculation left to refuse */
            for (size_t c = 0; c < p->ncalcs; c++)
                if (p->calc_at[c] < ae && p->calc_at[c] + p->calc_len[c] > bs)
                    p->calc_len[c] = 0;
            for (size_t k = bs; k < ae; k++)
                p->kind[k] = DP_LEX_METRIC;
        } else {
            dp_int__add_missing(p, phrase, nfound ? "single share metric" : "share-of-total metric");
            if (len)
                dp_int__mark(p, at, len, U_PATTERN);
        }
        i = ae > i ? ae : i;
    }
}

/* Intent stage: request text -> structured intent. This file: what the passes record, the order they
 * run in, the intent as JSON. Patterns known here are English (time, ranking, grouping and filtering
 * markers, report framing); every business phrase comes from the catalog's lexicon. */
#include "intent/intent.h"
#include "intent/intent_int.h"
#include "intent/timeparse.h"
#include "util/error.h"
#include "util/utf8.h"
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void dp_int__note(parser *p, const char *text, const char *kind, const char *target, const char *source, double conf)
{
    dp_intent *in = p->in;
    if (in->nnotes < sizeof(in->notes) / sizeof(*in->notes))
        in->notes[in->nnotes++] = (dp_match_note){text, kind, target, source, conf};
    p->conf_sum += conf;
    p->conf_n++;
}

const char *dp_int__span_text(parser *p, size_t i, size_t len)
{
    if (!len)
        return "";
    int end = p->t[i + len - 1].end;
    if (p->t[i + len - 1].is_num && p->in->request[end] == '%')
        end++; /* "above 10%": the sign is the number's */
    return dp_arena_strndup(p->a, p->in->request + p->t[i].start, (size_t)(end - p->t[i].start));
}

void dp_int__mark(parser *p, size_t i, size_t len, int how)
{
    for (size_t k = i; k < i + len && k < p->n; k++)
        p->used[k] = how;
}

void dp_int__add_metric(parser *p, const dp_metric *m, size_t at)
{
    dp_intent *in = p->in;
    if ((in->limit > 0 || in->ordered) && !in->order_metric && at > p->rank_at)
        in->order_metric = m;
    for (size_t i = 0; i < in->nmetrics; i++)
        if (in->metrics[i] == m)
            return;
    if (in->nmetrics < DP_INTENT_MAX_ITEMS)
        in->metrics[in->nmetrics++] = m;
}

int dp_int__drop_metric(parser *p, const char *name, const dp_metric *keep)
{
    dp_intent *in = p->in;
    for (size_t j = 0; j < in->nmetrics; j++)
        if (in->metrics[j] != keep && !strcmp(in->metrics[j]->name, name)) {
            if (in->order_metric == in->metrics[j])
                in->order_metric = NULL;
            memmove(&in->metrics[j], &in->metrics[j + 1], (in->nmetrics - j - 1) * sizeof(*in->metrics));
            in->nmetrics--;
            return 1;
        }
    return 0;
}

void dp_int__add_missing(parser *p, const char *phrase, const char *kind)
{
    dp_intent *in = p->in;
    for (size_t i = 0; i < in->nmissing; i++)
        if (!strcmp(in->missing[i], phrase))
            return;
    if (in->nmissing < sizeof(in->missing) / sizeof(*in->missing)) {
        in->missing[in->nmissing] = phrase;
        in->missing_kind[in->nmissing++] = kind;
    }
}

static int today(dp_date *d)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return -1;
    *d = (dp_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return 0;
}

/* What dpgen does not do yet, as missing kinds: how to say it, and what to
 * ask instead. */
static const struct {
    const char *kind, *what, *instead;
} unsupported[] = {
    {"grain finer than the data", "a time grain finer than the data is recorded at",
     "ask for the data's own grain or a coarser one"},
    {"amount comparison", "this comparison of amounts",
     "compare a metric of the request per grouping, as in 'cost by carrier above 500'"},
    {"period comparison", "comparing periods", "ask for one period, or group by a time grain"},
    {"value at period end",
     "a metric's value at the end of a period (the catalog gives this only for a cumulative metric with period_agg: "
     "last, or a balance whose non_additive_dimension on its own date takes the last: window_choice max)",
     "ask for the metric per period, or define such a metric"},
    {"second time grain", "a second time grain", "ask for one time grain"},
    {"key filter", "filtering on one key of something that is no entity", "group by it instead"},
    {"ranking within groups", "ranking within each group or period", "rank over one grouping, or drop the ranking"},
    {"ranked nothing", "a ranking with no grouping to rank (the catalog has nothing this names to group by)",
     "name a dimension or entity to rank, as in 'top 3 <dimension> by <metric>'"},
    {"metric twice", "one metric said twice, once of only some rows (a report's filters hold for every column)",
     "ask for the rows of one ('<value> <metric> by month'), or group by the value's column to see each"},
    {"entity condition", "keeping only the ones that have some of a metric",
     "group by them and compare the metric, as in '... by carrier with shipments above 0'"},
};

/* Readings dpgen will not choose between: how to say it, what to ask. */
static const struct {
    const char *kind, *what, *instead;
} questions[] = {
    {"conflicting values", "names two values of one column and no row has both",
     "join them with 'vs' to compare them, 'or' for either, or say what the words mean"},
    {"one of several", "name several rows of the data", "give the key of the one meant, or group by it to see each"},
    {"amount of a count", "asks for an amount of a metric that counts",
     "name the metric of the amount (a sum), or ask for the count"},
    {"number", "is a number no part of the request reads",
     "say what it is: a ranking ('top 5'), a period ('in 2025'), an amount compared ('above 500') or a key ('carrier "
     "42')"},
    {"value of which column", "is a value of several columns, written differently in each",
     "name the column with it ('warehouse Singapore', 'shipped to Singapore')"},
    {"ranking direction",
     "ranks by what is good, and whether more or less of the metric is good the catalog does not say",
     "say 'top' or 'highest' for the largest values, 'bottom' or 'lowest' for the smallest"},
    {"ratio or grouping", "after 'per' beside another grouping may mean one row per item or an average per item",
     "say 'by <it>' for rows per item, or '<metric> divided by <count of them>' for the average"},
    {"filter or metric", "follows a filter word but is a metric whose condition is no simple filter",
     "ask for it as a metric ('... and <metric>') or name the filter's value"},
    {"value of a term",
     "is a glossary term for a yes/no column, and which of its values it means the glossary does not say",
     "say 'where <column> is true' (or false), or give the term its value (maps_to: {column: ..., value: false})"},
    {"grouping by a value", "follows 'by' but is a value in the data, not a column to group by",
     "group by its column ('by <column>'), or keep only it ('for <value>')"},
    {"value of another thing", "describes something the noun after it has no path to",
     "say whose value it is (the noun it describes after 'of' or 'in'), or name the noun's own column"},
    {"value of the other end", "names one end of a journey, and the value is only at the other",
     "name the column the value is of, or give a value of the end asked"},
    {"date of the verb",
     "names a date other than the one its metric counts by, so which date the time grain groups is unclear",
     "drop the verb to count by the metric's own date, or name a period of the verb's date ('returned in 2025')"},
};

static int unsupported_at(const char *kind)
{
    for (size_t i = 0; i < sizeof(unsupported) / sizeof(*unsupported); i++)
        if (!strcmp(kind, unsupported[i].kind))
            return (int)i;
    return -1;
}

const char *dp_intent_question(const char *kind)
{
    for (size_t q = 0; q < sizeof(questions) / sizeof(*questions); q++)
        if (!strcmp(kind, questions[q].kind))
            return questions[q].instead;
    return NULL;
}

const char *dp_intent_unsupported(const char *kind)
{
    int i = unsupported_at(kind);
    return i < 0 ? NULL : unsupported[i].what;
}

/* Does the data hold a date column's values at month ends (or month
 * starts) only, as balance snapshots do: the first and the last both so,
 * and about a month between dates on average? The catalog may still
 * call the column daily. */
static int monthly_snapshots(const dp_column *c)
{
    dp_date lo, hi;
    char a[11], b[11];
    if (!c || !c->prof.done || c->prof.distinct < 3 || !c->prof.min || !c->prof.max || strlen(c->prof.min) < 10 ||
        strlen(c->prof.max) < 10)
        return 0;
    snprintf(a, sizeof(a), "%.10s", c->prof.min);
    snprintf(b, sizeof(b), "%.10s", c->prof.max);
    if (dp_date_parse(a, &lo) || dp_date_parse(b, &hi))
        return 0;
    int ends = dp_date_add_days(lo, 1).d == 1 && dp_date_add_days(hi, 1).d == 1;
    int starts = lo.d == 1 && hi.d == 1;
    long span = dp_date_days(hi) - dp_date_days(lo);
    return (ends || starts) && span >= 25 * (long)(c->prof.distinct - 1); /* distinct is approximate */
}

/* The coarsest time granularity of the dates metric m is counted by (a
 * payroll recorded by month), DP_GRAIN_NONE when unknown; *dim_out names it. */
static dp_grain recorded_grain(const dp_kg *kg, dp_arena *a, const dp_metric *m, int depth, const char **dim_out)
{
    (void)depth; /* each metric it is computed from once: shared inputs do not multiply the walk */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = m ? dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX) : 0;
    dp_grain g = DP_GRAIN_NONE;
    for (size_t i = 0; i < ncl; i++) {
        const dp_metric *x = cl[i];
        if (x->type != DP_METRIC_SIMPLE && x->type != DP_METRIC_CUMULATIVE)
            continue;
        const dp_measure *me = x->measure.name ? dp_kg_measure(kg, x->measure.name) : NULL;
        const dp_dimension *d = me && me->agg_time_dimension ? dp_kg_model_dim(me->model, me->agg_time_dimension) : NULL;
        dp_grain dg = d ? d->granularity : DP_GRAIN_NONE;
        if (d && dg <= DP_GRAIN_DAY && monthly_snapshots(d->column))
            dg = DP_GRAIN_MONTH;
        if (!d || dg == DP_GRAIN_NONE || dg < g)
            continue;
        g = dg;
        *dim_out = dp_arena_printf(a, "%s.%s", me->model->name, d->name);
    }
    return g;
}

/* Is m a balance read at each period's last snapshot: a simple metric
 * whose measure is non-additive over its own time dimension, taking the
 * latest (window_choice max)? */
static int last_snapshot(const dp_kg *kg, const dp_metric *m)
{
    const dp_measure *me = m->type == DP_METRIC_SIMPLE && m->measure.name ? dp_kg_measure(kg, m->measure.name) : NULL;
    return me && me->non_additive_dim && me->non_additive_max && me->agg_time_dimension &&
           !strcmp(me->non_additive_dim, me->agg_time_dimension);
}

/* "fine amount", "amount of fines", "order value": an amount asked of a
 * metric that counts rows (the count of fines) is another number; asked. */
static void amount_of_count(parser *p)
{
    static const char *words[] = {"amount", "amounts", "value", "values", "sum", NULL};
    for (size_t i = 0; i < p->n; i++) {
        int w = 0;
        for (int k = 0; words[k] && !w; k++)
            w = !strcmp(p->t[i].low, words[k]);
        if (!w || p->used[i])
            continue;
        size_t j = i + 1;
        while (j < p->n && (!strcmp(p->t[j].low, "of") || !strcmp(p->t[j].low, "the")))
            j++;
        size_t at = i > 0 && p->kind[i - 1] == DP_LEX_METRIC ? i - 1 : j < p->n && p->kind[j] == DP_LEX_METRIC ? j : SIZE_MAX;
        if (at == SIZE_MAX)
            continue;
        while (at > 0 && at == i - 1 && p->kind[at - 1] == DP_LEX_METRIC)
            at--;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, at, m, 32);
        const dp_lex_match *mm = nm ? dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len) : NULL;
        const dp_measure *me = mm && mm->e->metric->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, mm->e->metric->measure.name) : NULL;
        if (me && (me->agg == DP_AGG_COUNT || me->agg == DP_AGG_COUNT_DISTINCT))
            dp_int__add_missing(p, dp_arena_printf(p->a, "%s (%s counts rows)", p->t[i].raw, mm->e->metric->name),
                                "amount of a count");
    }
    /* "how much did corporate donors give": a quantity of something
     * measured, and every metric read counts rows */
    for (size_t i = 0; i + 1 < p->n; i++) {
        if (strcmp(p->t[i].low, "how") || strcmp(p->t[i + 1].low, "much") || !p->in->nmetrics)
            continue;
        size_t counts = 0;
        for (size_t k = 0; k < p->in->nmetrics; k++) {
            const dp_metric *m = p->in->metrics[k];
            const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
            counts += me && (me->agg == DP_AGG_COUNT || me->agg == DP_AGG_COUNT_DISTINCT);
        }
        if (counts == p->in->nmetrics)
            dp_int__add_missing(p, dp_arena_printf(p->a, "how much (%s counts rows)", p->in->metrics[0]->name),
                                "amount of a count");
        break;
    }
}

/* Does a metric's name or label say only the entity and a count word
 * ("claim_count", "Number of Claims", "orders")? A count named otherwise
 * ("drivers_onboarded", "grant_applications", "new_members") is one of the
 * ways to count the thing, and the thing named alone does not choose it. */
static int says_only_count(const char *name, const char *entity)
{
    static const char *const counting[] = {"count", "number", "num", "total", "of", "nb", "no", NULL};
    char want[128] = "";
    size_t wl = 0;
    for (const char *w = name; *w;) {
        size_t n = strcspn(w, " _-");
        int skip = 0;
        for (int k = 0; counting[k] && !skip; k++)
            skip = strlen(counting[k]) == n && !strncasecmp(w, counting[k], n);
        if (!skip && n) {
            if (wl + n + 2 >= sizeof(want))
                return 0;
            wl += (size_t)snprintf(want + wl, sizeof(want) - wl, "%s%.*s", wl ? "_" : "", (int)n, w);
        }
        w += n;
        w += *w != 0;
    }
    size_t el = strlen(entity);
    return wl && !strncasecmp(want, entity, el) &&
           (wl == el || (wl == el + 1 && tolower((unsigned char)want[el]) == 's') ||
            (wl == el + 2 && !strcasecmp(want + el, "es")));
}

/* Does the request say the thing named by later after first and after a
 * preposition ("claims from policyholders living in Florida": whose
 * claims, not a second thing to count)? */
static int whose_words(const dp_intent *in, const char *first, const char *later)
{
    static const char *const preps[] = {"from", "of", "for", "by", "with", "among", "to", "at", NULL};
    const char *f = strcasestr(in->request, first), *l = f ? strcasestr(f + strlen(first), later) : NULL;
    if (!l)
        return 0;
    const char *e = l;
    while (e > in->request && e[-1] == ' ')
        e--;
    const char *b = e;
    while (b > in->request && isalpha((unsigned char)b[-1]))
        b--;
    for (int k = 0; preps[k]; k++)
        if ((size_t)(e - b) == strlen(preps[k]) && !strncasecmp(b, preps[k], (size_t)(e - b)))
            return 1;
    return 0;
}

/* The one plain count of entity whose name or label says only the entity
 * and a count word, else NULL. */
static const dp_metric *named_count(parser *p, const char *entity)
{
    const dp_metric *cm = dp_int__entity_count(p, entity);
    return cm && (says_only_count(cm->name, entity) || (cm->label && says_only_count(cm->label, entity))) ? cm : NULL;
}

/* MetricFlow's own names for the report's time, as a dbt user writes them in
 * a group by: "metric_time__month" is the month, "metric_time" the day.
 * Rewritten in place with blanks so every word keeps its offset. */
static void metric_time_words(char *text)
{
    static const char mt[] = "metric_time";
    for (char *p = text; (p = strstr(p, mt));) {
        int word_start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        char *q = p + sizeof(mt) - 1;
        if (!word_start) {
            p = q;
            continue;
        }
        if (q[0] == '_' && q[1] == '_' && isalpha((unsigned char)q[2])) {
            memset(p, ' ', (size_t)(q + 2 - p)); /* the grain after it stays */
        } else if (!(isalnum((unsigned char)*q) || *q == '_')) {
            memset(p, ' ', (size_t)(q - p));
            memcpy(q - 3, "day", 3);
        }
        p = q;
    }
}

int dp_intent_parse(dp_intent *in, const dp_kg *kg, dp_arena *a, const char *request,
                    const dp_intent_opts *opts, unsigned *kgq, dp_error *err)
{
    memset(in, 0, sizeof(*in));
    in->order_desc = 1;
    if (!request)
        return dp_error_set(err, DP_EINVALID, "empty request");
    size_t rl = strlen(request);
    if (rl > DP_INTENT_MAX_REQUEST)
        return dp_error_set(err, DP_EINVALID, "request is %zu bytes; the limit is %d", rl, DP_INTENT_MAX_REQUEST);
    /* words are matched, stored and echoed in JSON as UTF-8 text */
    long bad = dp_utf8_bad(request);
    if (bad >= 0)
        return dp_error_set(err, DP_EINVALID, "request is not UTF-8 text (byte 0x%02x at offset %ld)",
                            (unsigned char)request[bad], bad);
    int blank = 1;
    for (const char *q = request; *q; q++)
        if (!strchr(" \t\r\n", *q))
            blank = 0;
    if (blank)
        return dp_error_set(err, DP_EINVALID, "empty request");
    in->request = dp_arena_strdup(a, request);
    dp_date as_of;
    if (opts && opts->as_of) {
        if (dp_date_parse(opts->as_of, &as_of))
            return dp_error_set(err, DP_EINVALID, "as-of date '%s' is not YYYY-MM-DD", opts->as_of);
    } else if (today(&as_of)) {
        return dp_error_set(err, DP_ERROR, "cannot read the clock");
    }
    char asb[11];
    dp_date_format(as_of, asb);
    in->as_of = dp_arena_strdup(a, asb);
    parser p;
    memset(&p, 0, sizeof(p));
    p.kg = kg;
    p.a = a;
    p.in = in;
    p.kgq = kgq;
    p.err = err;
    if (opts) {
        p.learned = opts->learned;
        p.nlearned = opts->nlearned;
        p.lookup = opts->lookup;
        p.lookup_payload = opts->lookup_payload;
    }
    dp_stemmer *st = dp_stemmer_new();
    if (!st)
        return dp_error_set(err, DP_ENOMEM, "cannot create the stemmer");
    char *words = dp_arena_strdup(a, in->request);
    if (!words) {
        dp_stemmer_free(st);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    metric_time_words(words);
    int trc = dp_tokenize(&p.t, &p.n, a, st, words);
    dp_stemmer_free(st);
    if (trc == -2)
        return dp_error_set(err, DP_EINVALID, "request has more than %d words", DP_TEXT_MAX_TOKENS);
    if (trc)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    p.used = dp_arena_calloc(a, p.n + 1, sizeof(int));
    p.kind = dp_arena_calloc(a, p.n + 1, sizeof(int));
    if (!p.used || !p.kind)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    dp_int__exact_labels(&p);
    dp_int__find_calculations(&p);
    dp_int__parse_framing(&p);
    dp_int__parse_time(&p, as_of);
    dp_int__parse_ranking(&p, as_of);
    dp_int__parse_ordering(&p);
    dp_int__flag_clauses(&p);
    dp_int__presence_filters(&p);
    dp_int__parse_phrases(&p);
    dp_int__parse_reordered(&p);
    dp_int__parse_arithmetic(&p);
    dp_int__mark_attributes(&p);
    dp_int__group_words(&p);
    dp_int__attach_dates(&p);
    dp_int__settle_ranges(&p);
    /* "lost shipments per week": with no other metric, the noun that
     * qualified a value is the metric when the catalog has one by that name */
    for (size_t k = 0; k < p.nquals && !in->nmetrics; k++) {
        dp_lex_match m[32];
        size_t nm = dp_int__match(&p, p.qual_at[k], m, 32);
        const dp_lex_match *mm = dp_int__first_of(m, nm, DP_LEX_METRIC, p.qual_len[k]);
        if (mm) {
            dp_int__add_metric(&p, mm->e->metric, p.qual_at[k]);
            dp_int__note(&p, dp_int__span_text(&p, p.qual_at[k], p.qual_len[k]), "metric", mm->e->metric->name,
                         mm->e->source, mm->e->conf);
        }
    }
    /* "auto claims by month": with no metric, the thing a value qualified
     * is counted by the one count named for it */
    for (size_t k = 0; k < p.nquals && !in->nmetrics; k++) {
        dp_lex_match m[32];
        size_t nm = dp_int__match(&p, p.qual_at[k], m, 32);
        for (size_t j = 0; j < nm && !in->nmetrics; j++) {
            const dp_metric *cm = m[j].len == p.qual_len[k] && m[j].e->kind == DP_LEX_ENTITY && !m[j].fuzzy
                                      ? named_count(&p, m[j].e->entity->name)
                                      : NULL;
            if (cm) {
                dp_int__add_metric(&p, cm, p.qual_at[k]);
                dp_int__note(&p, dp_int__span_text(&p, p.qual_at[k], p.qual_len[k]), "metric", cm->name,
                             "the count of the thing a value qualified", 0.9);
            }
        }
    }
    /* "claims by month in 2025": the one thing named, with no metric, is
     * counted the same way */
    if (!in->nmetrics && in->ncontext) {
        const char *ent = in->context_entities[0];
        for (size_t k = 1; ent && k < in->ncontext; k++)
            if (!in->context_entities[k] || (strcmp(in->context_entities[k], ent) &&
                                             !whose_words(in, in->context_phrases[0], in->context_phrases[k])))
                ent = NULL;
        const dp_metric *cm = ent ? named_count(&p, ent) : NULL;
        if (cm) {
            dp_int__add_metric(&p, cm, p.n);
            dp_int__note(&p, in->context_phrases[0], "metric", cm->name, "the count of the thing named alone", 0.9);
        }
    }
    dp_int__compute_kinds(&p);
    dp_int__dimension_words(&p);
    dp_int__linking_verbs(&p);
    dp_int__check_percent(&p);
    dp_int__read_reordered(&p);
    dp_int__check_calculations(&p);
    dp_int__check_comparisons(&p);
    dp_int__lookup_values(&p);
    /* "for Fall 2025 entry": a value whose words hold the period's ("Fall
     * 2025", a term) is that value, not also the calendar year */
    for (size_t k = 0; in->range_text && k < in->nfilters; k++) {
        const dp_filter *f = &in->filters[k];
        if (f->nvalues && !f->negate && f->phrase && strlen(f->phrase) > strlen(in->range_text) &&
            strcasestr(f->phrase, in->range_text)) {
            for (size_t q = 0; q < in->nnotes; q++)
                if (!strcmp(in->notes[q].kind, "time_range") && !strcmp(in->notes[q].text, in->range_text))
                    in->notes[q].kind = "part of a value";
            in->range_start = in->range_end = in->range_text = NULL;
        }
    }
    /* "best 3 channels by cost per click", "worst 5 carriers by loss rate":
     * whether higher is better depends on the metric, which the catalog does
     * not say; asked rather than ranked the wrong way round */
    for (size_t i = 0; i < p.n && (in->limit > 0 || in->ordered); i++)
        if (p.used[i] == U_PATTERN && (!strcmp(p.t[i].low, "best") || !strcmp(p.t[i].low, "worst")))
            dp_int__add_missing(&p, p.t[i].raw, "ranking direction");
    /* "top 3 regions by cost" with nothing grouped: a one-row total
     * cut to 3 rows is no ranking; what to rank is asked */
    if (in->limit > 0 && !in->ngroups && in->grain == DP_GRAIN_NONE && !in->custom_grain && !in->saved) {
        size_t at = p.n, len = 1;
        for (size_t i = 1; i < p.n && at == p.n; i++)
            if (p.t[i].is_num && atol(p.t[i].low) == in->limit && p.used[i] == U_PATTERN)
                at = i - 1, len = 2 + (i + 1 < p.n && p.used[i + 1] != U_PATTERN && !p.t[i + 1].is_num);
        dp_int__add_missing(&p, at < p.n ? dp_int__span_text(&p, at, len) : "top", "ranked nothing");
    }
    dp_int__settle_filter_metrics(&p);
    /* "registered patients at the end of each month": each period's value is
     * its last day's only for a running total the catalog says so of */
    for (size_t k = 0; p.period_end && k < in->nmetrics; k++) {
        const dp_metric *m = in->metrics[k];
        if ((m->type != DP_METRIC_CUMULATIVE || !m->period_agg || strcasecmp(m->period_agg, "last")) &&
            !last_snapshot(p.kg, m)) {
            dp_int__add_missing(&p, dp_arena_printf(a, "%s %s", m->name, p.period_end), "value at period end");
            break;
        }
    }
    /* "DAU from June 1 to June 7": the grain the metric's name says;
     * "DAU by month" says two */
    if (p.named_grain != DP_GRAIN_NONE && !in->custom_grain) {
        if (in->grain == DP_GRAIN_NONE) {
            in->grain = p.named_grain;
            dp_int__note(&p, p.named_grain_phrase, "time_grain", dp_grain_name(p.named_grain), "the metric's name",
                         0.9);
        } else if (in->grain != p.named_grain) {
            dp_int__add_missing(&p, dp_arena_printf(a, "%s by %s", p.named_grain_phrase, dp_grain_name(in->grain)),
                                "second time grain");
        }
    }
    dp_int__metric_verbs(&p);
    dp_int__time_dim_grains(&p);
    amount_of_count(&p);
    /* "cost per member by segment": "per <entity>" beside a grouping
     * said otherwise (a time grain aside: "weekly clicks per carrier" is
     * rows; "per user and product" is one list)
     * reads as much as an average per entity as rows per entity; which one
     * is asked */
    int per_grouped = 0;
    for (size_t g = 0; p.per_entity && g < in->ngroups; g++)
        per_grouped |= in->groups[g].is_entity && in->groups[g].phrase && !strcmp(in->groups[g].phrase, p.per_entity);
    size_t attrs = 0; /* "per customer by segment": the entity's own attribute is another grouping too */
    for (size_t g = 0; per_grouped && g < in->ngroups; g++)
        attrs += in->groups[g].attribute_of != NULL;
    if (per_grouped && (p.other_groups || attrs) && !in->limit)
        dp_int__add_missing(&p, p.per_entity, "ratio or grouping");
    dp_int__find_title(&p);
    dp_int__classify_unplaced(&p);

    /* "top 3 carriers ... for each region", "top 5 carriers per month" rank
     * the carriers within each region or month; over more than one grouping
     * (a time grain counts) without a ranked thing, what to rank within
     * what is unknown */
    if (in->limit > 0 && dp_int__grouping_keys(in) > 1 && !in->ranked)
        dp_int__add_missing(&p, dp_int__span_text(&p, p.rank_from, p.rank_to - p.rank_from), "ranking within groups");

    /* ranking metric: the first metric named after the ranking words ("top 5
     * carriers by cost", "which 3 carriers had the lowest cost"), else
     * the first metric */
    if ((in->limit > 0 || in->ordered) && in->nmetrics && !in->order_metric)
        in->order_metric = in->metrics[0];

    /* "labour cost per week" where pay is recorded by month: each month would
     * fall in one week, another question than the one asked */
    for (size_t k = 0; in->grain != DP_GRAIN_NONE && k < in->nmetrics; k++) {
        const char *dim = NULL;
        dp_grain g = recorded_grain(kg, a, in->metrics[k], 0, &dim);
        if (g != DP_GRAIN_NONE && in->grain < g && dim)
            dp_int__add_missing(&p, dp_arena_printf(a, "%s by %s (%s is recorded by %s)", in->metrics[k]->name,
                                                    dp_grain_name(in->grain), dim, dp_grain_name(g)),
                                "grain finer than the data");
    }
    /* a request naming a dataset and no metric is asked which metric: every
     * metric of the dataset would be a guess */
    size_t content = 0, placed = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.t[i].punct || dp_is_stopword(p.t[i].low))
            continue;
        if (!p.used[i] && (dp_int__is_noise(p.t[i].low) || p.t[i].is_num))
            continue;
        content++;
        placed += p.used[i] != 0;
    }
    double mean = p.conf_n ? p.conf_sum / p.conf_n : 0;
    in->confidence = content ? mean * (double)placed / (double)content : 0;

    if (!in->nmetrics && !in->nmissing && in->ncontext) {
        /* "the loss payment, loss reserve amounts by claim": datasets named,
         * no metric of them: the words that named them are the metrics to
         * ask about (each with its closest metrics), not the whole request */
        for (size_t k = 0; k < in->ncontext; k++)
            dp_int__add_missing(&p, in->context_phrases[k], "metric");
    } else if (!in->nmetrics && !in->nmissing)
        dp_int__add_missing(&p, in->request, "metric");
    if (in->nmissing) {
        /* what the catalog lacks, then what dpgen cannot do yet */
        char msg[700];
        size_t off = 0;
        for (size_t i = 0; i < in->nmissing && off < sizeof(msg) - 200; i++)
            for (size_t q = 0; q < sizeof(questions) / sizeof(*questions); q++)
                if (!strcmp(in->missing_kind[i], questions[q].kind))
                    off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s'%s' %s: %s", off ? "; " : "",
                                            in->missing[i], questions[q].what, questions[q].instead);
        for (size_t i = 0; i < in->nmissing && off < sizeof(msg) - 100; i++)
            if (!dp_intent_unsupported(in->missing_kind[i]) && !dp_intent_question(in->missing_kind[i]))
                off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s '%s'%s%s%s", off ? "; " : "the catalog has no ",
                                        in->missing_kind[i], in->missing[i], in->missing_closest[i] ? " (closest: " : "",
                                        in->missing_closest[i] ? in->missing_closest[i] : "", in->missing_closest[i] ? ")" : "");
        for (size_t i = 0; i < in->nmissing && off < sizeof(msg) - 150; i++) {
            int u = unsupported_at(in->missing_kind[i]);
            if (u >= 0)
                off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s ('%s') is not supported yet: %s",
                                        off ? "; " : "", unsupported[u].what, in->missing[i], unsupported[u].instead);
        }
        return dp_error_set(err, DP_ECLARIFY, "%s", msg);
    }
    return 0;
}

json_t *dp_intent_to_json(const dp_intent *in)
{
    json_t *o = json_object();
    json_t *ms = json_array();
    for (size_t i = 0; i < in->nmetrics; i++)
        json_array_append_new(ms, json_string(in->metrics[i]->name));
    json_object_set_new(o, "request", json_string(in->request ? in->request : ""));
    json_object_set_new(o, "metrics", ms);
    if (in->ndefined)
        json_object_set_new(o, "defined_metrics", dp_int__defined_json(in));
    json_t *gs = json_array();
    for (size_t i = 0; i < in->ngroups; i++) {
        const dp_target *t = &in->groups[i];
        json_t *g = json_object();
        json_object_set_new(g, "phrase", json_string(t->phrase ? t->phrase : ""));
        if (t->is_entity) {
            json_object_set_new(g, "entity", json_string(t->entity));
        } else {
            json_t *c = json_array();
            for (size_t k = 0; k < t->ndims; k++)
                json_array_append_new(c, json_sprintf("%s.%s", t->dim_models[k]->name, t->dims[k]->name));
            json_object_set_new(g, "dimension_candidates", c);
            if (t->qualifier)
                json_object_set_new(g, "entity", json_string(t->qualifier));
            if (t->attribute_of)
                json_object_set_new(g, "attribute_of", json_string(t->attribute_of));
        }
        json_array_append_new(gs, g);
    }
    json_object_set_new(o, "dimensions", gs);
    json_object_set_new(o, "time_grain", in->custom_grain ? json_string(in->custom_grain)
                                         : in->grain      ? json_string(dp_grain_name(in->grain))
                                                          : json_null());
    if (in->range_start)
        json_object_set_new(o, "time_range", json_pack("{s:s,s:s,s:s,s:s}", "start", in->range_start, "end",
                                                        in->range_end, "text", in->range_text, "bounds", "[start, end)"));
    else
        json_object_set_new(o, "time_range", json_null());
    json_t *fs = json_array();
    for (size_t i = 0; i < in->nfilters; i++) {
        const dp_filter *f = &in->filters[i];
        json_t *vals = json_array(), *c = json_array();
        for (size_t k = 0; k < f->nvalues; k++)
            json_array_append_new(vals, json_string(f->values[k]));
        if (f->range_start) {
            json_array_append_new(vals, json_string(f->range_start));
            json_array_append_new(vals, json_string(f->range_end));
        }
        for (size_t k = 0; k < f->target.ndims; k++)
            json_array_append_new(c, json_sprintf("%s.%s", f->target.dim_models[k]->name, f->target.dims[k]->name));
        json_array_append_new(fs,
                              json_pack("{s:s,s:o,s:s,s:o}", "phrase", f->phrase ? f->phrase : "",
                                        "dimension_candidates", c, "operator",
                                        f->range_start ? "range"
                                        : f->presence  ? (f->presence == DP_PRESENCE_EMPTY ? "is null" : "is not null")
                                        : f->negate    ? (f->nvalues > 1 ? "not in" : "!=")
                                        : f->nvalues > 1 ? "in"
                                                         : "=",
                                        "values", vals));
    }
    json_object_set_new(o, "filters", fs);
    json_t *cs = json_array();
    for (size_t i = 0; i < in->nconditions; i++)
        json_array_append_new(cs, json_pack("{s:s,s:s,s:s,s:f}", "phrase", in->conditions[i].phrase, "metric",
                                            in->conditions[i].metric->name, "operator", in->conditions[i].op, "value",
                                            in->conditions[i].value));
    json_object_set_new(o, "conditions", cs);
    if (in->limit > 0)
        json_object_set_new(o, "order", json_pack("{s:s?,s:s,s:I}", "metric",
                                                   in->order_metric ? in->order_metric->name : NULL, "direction",
                                                   in->order_desc ? "desc" : "asc", "limit", (json_int_t)in->limit));
    else if (in->ordered && in->order_metric)
        json_object_set_new(o, "order", json_pack("{s:s,s:s,s:n}", "metric", in->order_metric->name, "direction",
                                                   in->order_desc ? "desc" : "asc", "limit"));
    else
        json_object_set_new(o, "order", json_null());
    json_t *ns = json_array();
    for (size_t i = 0; i < in->nnotes; i++) {
        const dp_match_note *n = &in->notes[i];
        json_array_append_new(ns, json_pack("{s:s,s:s,s:s,s:s,s:f}", "text", n->text, "kind", n->kind, "term",
                                            n->target ? n->target : "", "source", n->source ? n->source : "",
                                            "confidence", n->confidence));
    }
    json_object_set_new(o, "matched_terms", ns);
    json_t *un = json_array();
    for (size_t i = 0; i < in->nunplaced; i++)
        json_array_append_new(un, json_string(in->unplaced[i]));
    json_object_set_new(o, "unplaced_words", un);
    json_t *mi = json_array();
    for (size_t i = 0; i < in->nmissing; i++)
        json_array_append_new(mi, json_pack("{s:s,s:s,s:s*}", "phrase", in->missing[i], "kind", in->missing_kind[i],
                                            "closest", in->missing_closest[i]));
    json_object_set_new(o, "not_found", mi);
    json_object_set_new(o, "confidence", json_real((double)(long)(in->confidence * 1000 + 0.5) / 1000.0));
    json_object_set_new(o, "as_of", json_string(in->as_of ? in->as_of : ""));
    if (in->saved)
        json_object_set_new(o, "saved_query", dp_intent__saved_json(in));
    return o;
}

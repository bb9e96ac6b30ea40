/* Words the catalog does not claim: report framing and filler are dropped;
 * the rest is reported as unplaced, and a phrase in the place of a metric,
 * grouping or filter becomes a question back. */
#include "intent/intent_int.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

/* "appointments by status" where no dimension is called status but the
 * metrics' own dataset has appointment_status: words that end the name of
 * exactly one dimension of the datasets the metrics are measured on (a
 * claim's status, another dataset's, is no candidate) are that grouping;
 * 1 when they were read so. */
static int own_dimension(parser *p, size_t s, size_t e, const char *phrase)
{
    char tail[128];
    size_t n = (size_t)snprintf(tail, sizeof(tail), "_%s", phrase);
    if (n >= sizeof(tail) || p->in->nmetrics == 0)
        return 0;
    for (char *q = tail; *q; q++)
        *q = *q == ' ' ? '_' : (char)tolower((unsigned char)*q);
    const dp_dimension *hit = NULL;
    const dp_model *home = NULL;
    for (size_t k = 0; k < p->in->nmetrics; k++) {
        const dp_metric *sub[DP_METRIC_CLOSURE_MAX];
        size_t ns = dp_kg_metric_closure(p->kg, p->in->metrics[k], sub, DP_METRIC_CLOSURE_MAX);
        for (size_t j = 0; j < ns; j++) {
            const dp_measure *me = sub[j]->measure.name ? dp_kg_measure(p->kg, sub[j]->measure.name) : NULL;
            if (!me || !me->model)
                continue;
            for (size_t d = 0; d < me->model->ndims; d++) {
                const dp_dimension *dim = &me->model->dims[d];
                size_t ln = strlen(dim->name);
                if (dim->off.reason || ln <= n || strcasecmp(dim->name + ln - n, tail) || dim == hit)
                    continue;
                if (hit && strcmp(hit->name, dim->name))
                    return 0; /* two of them: which one is asked */
                hit = dim;
                home = me->model;
            }
        }
    }
    if (!hit || p->in->ngroups >= DP_INTENT_MAX_ITEMS)
        return 0;
    dp_target t = {0};
    t.dims[0] = hit;
    t.dim_models[0] = home;
    t.ndims = 1;
    t.phrase = phrase;
    dp_int__add_group(p, &t);
    dp_int__note(p, phrase, "dimension", dp_arena_printf(p->a, "%s.%s", home->name, hit->name),
                 "the end of a dimension name of the metric's dataset", 0.8);
    dp_int__mark(p, s, e - s, U_MATCH);
    return 1;
}

/* Is the catalog phrase at i a metric whose name, label or description
 * says "new" ("sign-ups" of New Customers)? */
static int new_metric_at(parser *p, size_t i)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, i, m, 32);
    for (size_t k = 0; k < nm; k++) {
        const dp_metric *mt = m[k].e->kind == DP_LEX_METRIC ? m[k].e->metric : NULL;
        const char *texts[] = {mt ? mt->name : NULL, mt ? mt->label : NULL, mt ? mt->description : NULL};
        for (size_t q = 0; q < 3; q++) {
            const char *h = texts[q];
            while (h && (h = strcasestr(h, "new"))) {
                if ((h == texts[q] || !isalpha((unsigned char)h[-1])) && !isalpha((unsigned char)h[3]))
                    return 1;
                h += 3;
            }
        }
    }
    return 0;
}

/* Report framing and filler: ignored without lowering confidence. Only
 * consulted for words the catalog did not claim. */
int dp_int__is_noise(const char *w)
{
    static const char *words[] = {
        "create", "build", "make", "generate", "produce", "give", "show", "list", "get", "need", "want",
        "like", "would", "could", "please", "can", "report", "reports", "dashboard", "dashboards", "table",
        "tables", "view", "overview", "summary", "summarize", "breakdown", "analysis", "metrics", "metric",
        /* the pro-form of the noun before it: "excluding planned ones" */
        "ones",
        "kpi", "kpis", "performance", "dataset", "what", "which", "who", "how", "much", "many",
        "has", "have", "had", "total", "overall", "number", "count", "amount", "sum", "figures",
        "numbers", "stats", "statistics", "trend", "trends", "including", "include", "includes",
        "containing", "plus", "along", "us", "let", "see", "know", "tell", "one", "row", "rows", "given",
        "made", "there", "just", "so", "far", "up", "out", "both", "versus", "vs", "compared", "grain",
        "broken", "down", "grouped", "split", "feature", "features", "daily", "new",
        "weekly", "monthly", "quarterly", "yearly", "ranked", "rank", "sorted", "ordered", "order",
        "showing", "look", "looking", "calculate", "compute", "track", "tracking", "measure", "measuring",
        "where", "when", "while", "whose", "had", "got", "happened", "doing", "did", "does", "do",
        "whole", "entire", "complete", "full", "whats", "hows", "may", "might", "should", "must", "will", "shall", "compare", "comparing", "comparison", "against",
        /* who and what the report is for: "for the board", "for our review"
         * (words that are often values of a catalog's columns, "data",
         * "team", "management", "executive", "manager", "level", "current",
         * are not filler: unplaced, they are asked about) */
        "board", "review", "reviews", "meeting", "meetings", "leadership",
        "stakeholder", "stakeholders", "managers",
        "ceo", "cfo", "cmo", "coo", "cto", "vp", "presentation", "deck", "slides",
        "standup", "sync", "purposes", "purpose", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

/* Report framing: "a view of", "a report on", "a dashboard table of" are
 * consumed before catalog phrases, so their nouns never become metrics. */
void dp_int__parse_framing(parser *p)
{
    static const char *nouns[] = {"view", "report", "dashboard", "table", "breakdown", "summary", "overview",
                                  "chart", "list", "analysis", "extract", "dataset", "snapshot", NULL};
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->t[i].low, "a") && strcmp(p->t[i].low, "an") && strcmp(p->t[i].low, "the"))
            continue;
        size_t j = i + 1, nn = 0;
        while (j < p->n && nn < 4) {
            int hit = 0;
            for (int k = 0; nouns[k] && !hit; k++)
                hit = !strcmp(p->t[j].low, nouns[k]);
            if (!hit)
                break;
            j++;
            nn++;
        }
        if (!nn || j >= p->n)
            continue;
        const char *w = p->t[j].low;
        if (!strcmp(w, "of") || !strcmp(w, "on") || !strcmp(w, "with") || !strcmp(w, "showing") || !strcmp(w, "for") ||
            !strcmp(w, "about") || !strcmp(w, "that") || p->t[j].punct == ':') {
            dp_int__mark(p, i, j - i + (p->t[j].punct != ':' && strcmp(w, "for") ? 1 : 0), U_NOISE);
            i = j;
        }
    }
}

/* The lexicon kind of each placed match, per token (a metric wins at equal
 * length); -1 elsewhere. */
void dp_int__compute_kinds(parser *p)
{
    for (size_t i = 0; i < p->n; i++)
        p->kind[i] = -1;
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] != U_MATCH)
            continue;
        dp_lex_match m[8];
        size_t nm = dp_int__match(p, i, m, 8);
        if (!nm)
            continue;
        int k = m[0].e->kind;
        for (size_t q = 0; q < nm; q++)
            if (m[q].len == m[0].len && m[q].e->kind == DP_LEX_METRIC)
                k = DP_LEX_METRIC;
        for (size_t q = i; q < i + m[0].len && q < p->n; q++)
            p->kind[q] = k;
        i += m[0].len - 1;
    }
}

/* Unplaced words: noise is dropped; the rest is reported, and a phrase in
 * the place of a metric, grouping or filter is a question back. */
void dp_int__classify_unplaced(parser *p)
{
    int mode = MODE_NONE;
    /* "Recommendation features per user and product: views, ...": what
     * stands before the first colon is the product's title */
    size_t colon = p->n;
    for (size_t i = 0; i < p->n && colon == p->n; i++)
        if (p->t[i].punct == ':' && i + 1 < p->n)
            colon = i;
    for (size_t i = 0; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        size_t ml;
        if (p->used[i] || t->punct) {
            if (p->used[i] == U_PATTERN && dp_int__is_group_marker(p, i, &ml))
                mode = MODE_GROUP;
            else if (p->used[i] == U_MATCH || t->punct == '.' || t->punct == '?' || t->punct == ';')
                mode = MODE_NONE;
            continue;
        }
        if (dp_int__is_filter_marker(t->low) && (mode != MODE_GROUP || dp_int__ends_grouping(t->low))) {
            mode = MODE_FILTER;
            continue;
        }
        if (!strcmp(t->low, "new") && i + 1 < p->n && p->used[i + 1] == U_MATCH && !new_metric_at(p, i + 1) &&
            p->in->nunplaced < 64) {
            /* "top-ups from new subscribers": which are new the catalog
             * does not say ("a new report" is framing, "new sign-ups"
             * where sign-ups are the New Customers metric says it twice) */
            p->in->unplaced[p->in->nunplaced++] = t->raw;
            dp_int__add_missing(p, t->raw, "term");
            continue;
        }
        if (dp_is_stopword(t->low) || dp_int__is_noise(t->low)) {
            continue;
        }
        /* a number no pass read (a rank, a year, an amount compared, a key)
         * changes the question as much as a word ("per 1000 parcels"),
         * except in the product's title before a colon */
        if (t->is_num) {
            if (!(i < colon && colon < p->n) && p->in->nunplaced < 64) {
                p->in->unplaced[p->in->nunplaced++] = t->raw;
                dp_int__add_missing(p, t->raw, "number");
            }
            continue;
        }
        /* a run of unplaced words */
        size_t j = i;
        while (j < p->n && !p->used[j] && !p->t[j].punct && !dp_is_stopword(p->t[j].low) &&
               !dp_int__is_group_marker(p, j, &ml))
            j++;
        size_t s = i, e = j;
        while (s < e && dp_int__is_noise(p->t[s].low))
            s++;
        while (e > s && dp_int__is_noise(p->t[e - 1].low))
            e--;
        if (s == e) {
            i = j - 1;
            continue;
        }
        const char *phrase = dp_int__span_text(p, s, e - s);
        if (e <= colon && colon < p->n && mode == MODE_NONE) {
            dp_int__note(p, phrase, "title", "the product's name", "request", 1.0);
            i = j - 1;
            continue;
        }
        if (mode == MODE_GROUP && own_dimension(p, s, e, phrase)) {
            i = j - 1;
            continue;
        }
        for (size_t k = s; k < e; k++)
            if (!dp_int__is_noise(p->t[k].low) && p->in->nunplaced < 64)
                p->in->unplaced[p->in->nunplaced++] = p->t[k].raw;
        /* what sits around the run */
        size_t b = s;
        while (b > 0 && (p->t[b - 1].punct == ',' || !strcmp(p->t[b - 1].low, "and") || !strcmp(p->t[b - 1].low, "or")))
            b--;
        int after_metric = b < s && b > 0 && p->kind[b - 1] == DP_LEX_METRIC;
        size_t f = e;
        while (f < p->n && (p->t[f].punct == ',' || !strcmp(p->t[f].low, "and") || !strcmp(p->t[f].low, "or")))
            f++;
        int before_metric = f > e && f < p->n && p->kind[f] == DP_LEX_METRIC;
        if (mode == MODE_GROUP)
            dp_int__add_missing(p, phrase, "dimension");
        else if (after_metric || before_metric)
            dp_int__add_missing(p, phrase, "metric");
        else if (mode == MODE_FILTER)
            /* "for carriers starting with North": a constraint the
             * catalog cannot place; answering without it would widen the
             * answer */
            dp_int__add_missing(p, phrase, "filter value");
        else if (p->in->nmetrics == 0)
            dp_int__add_missing(p, phrase, "metric");
        else
            /* a complete reading places every content word: one left
             * over may change the question ("for carrier X-12",
             * "churn rate"), so it is asked about, never dropped */
            dp_int__add_missing(p, phrase, "term");
        i = j - 1;
    }
}

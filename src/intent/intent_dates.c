/* Whose date a time range is: "carriers that started in 2025" filters the
 * carrier's own start date, "orders placed in May" the order's; the verb
 * between the entity and the range names the time dimension. */
#include "intent/intent_int.h"
#include "util/embedded.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* How well the time dimension names the verb with stem: 2 in its name or
 * label, 1 in its description, 0 not at all. */
static int dim_says(const dp_dimension *d, const char *stem)
{
    const char *texts[] = {d->name, d->label, d->description};
    size_t sl = strlen(stem);
    if (sl < 3)
        return 0;
    for (size_t k = 0; k < 3; k++) {
        if (!texts[k])
            continue;
        char low[256];
        snprintf(low, sizeof(low), "%s", texts[k]);
        for (char *q = low; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (strstr(low, stem))
            return k < 2 ? 2 : 1;
    }
    return 0;
}

/* The entity named by the phrase that ends at token end (exclusive),
 * *start set to its first token; NULL when none. */
static const dp_entity *entity_before(parser *p, size_t end, size_t *start, const dp_model **home)
{
    for (size_t s = end; s-- > 0 && end - s <= 4;) {
        if (p->used[s] != U_MATCH)
            break;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, s, m, 32);
        for (size_t q = 0; q < nm; q++) {
            if (s + m[q].len != end || m[q].e->kind != DP_LEX_ENTITY)
                continue;
            const dp_model *h = dp_kg_entity_home(p->kg, m[q].e->entity->name);
            const dp_entity *e = h ? dp_kg_model_entity(h, m[q].e->entity->name) : NULL;
            if (e) {
                *start = s;
                *home = h;
                return e;
            }
        }
    }
    return NULL;
}

/* Is tokens [s, e) exactly a metric phrase ("hired" read as hires)? */
static int metric_spans(parser *p, size_t s, size_t e)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, s, m, 32);
    return dp_int__has_kind(m, nm, DP_LEX_METRIC, e - s) && (s == 0 || p->used[s - 1] != U_MATCH ||
                                                            !dp_int__first_of(m, nm, DP_LEX_METRIC, e - s)->fuzzy);
}

/* Is the verb at [vs, r) the end of a metric phrase that starts with an
 * entity ("routes launched" of "on routes launched in 2024": the routes,
 * and the date they were launched)? */
static int entity_headed(parser *p, size_t vs, size_t r)
{
    size_t es = 0;
    const dp_model *home = NULL;
    if (r != vs + 1 || !dp_int__past_participle(p->t[vs].low) || !entity_before(p, vs, &es, &home))
        return 0; /* "sales growth in April": no verb */
    /* beside another metric only: "leases signed in Q2" alone is the
     * metric asked, counted by its own date */
    return metric_spans(p, es, r) && p->in->nmetrics > 1;
}

/* The stems of the verbs that mean the same as the one with stem (from
 * share/date_verbs.tsv), into out (at most max, stem itself first). */
static size_t same_verbs(const char *stem, char out[][24], size_t max)
{
    size_t n = 0, len = 0;
    snprintf(out[n++], 24, "%s", stem);
    const char *txt = dp_embedded_find("date_verbs.tsv", &len);
    for (size_t pos = 0; txt && pos < len;) {
        const char *line = txt + pos, *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + 1;
        if (!ll || line[0] == '#')
            continue;
        char buf[256];
        if (ll >= sizeof(buf))
            continue;
        memcpy(buf, line, ll);
        buf[ll] = 0;
        int hit = 0;
        char *save = NULL;
        for (char *w = strtok_r(buf, "\t", &save); w && !hit; w = strtok_r(NULL, "\t", &save))
            hit = !strncmp(stem, w, strlen(w)) && strlen(w) >= 3;
        if (!hit)
            continue;
        memcpy(buf, line, ll);
        buf[ll] = 0;
        save = NULL;
        for (char *w = strtok_r(buf, "\t", &save); w && n < max; w = strtok_r(NULL, "\t", &save))
            snprintf(out[n++], 24, "%s", w);
    }
    return n;
}

/* Is the token a verb-like word (letters only, not a code)? */
static int wordlike(const dp_tok *t)
{
    if (t->is_upper || t->punct)
        return 0;
    for (const char *q = t->low; *q; q++)
        if (!isalpha((unsigned char)*q))
            return 0;
    return 1;
}

/* Is tokens [s, e) a filter value matched through another form of the word
 * ("opened" for the status 'open'): before a range it is the verb. */
static int inflected_value(parser *p, size_t s, size_t e)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, s, m, 32);
    const dp_lex_match *v = dp_int__first_of(m, nm, DP_LEX_VALUE, e - s);
    return v && e == s + 1 && strcasecmp(v->e->text, p->t[s].low) != 0;
}

/* Is tokens [s, e) a filter value as written ("delivered" for the status
 * 'delivered')? Before a range it may be the verb that names a date. */
static int value_span(parser *p, size_t s, size_t e)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, s, m, 32);
    return dp_int__has_kind(m, nm, DP_LEX_VALUE, e - s);
}

/* Forgets the filter read from the words text (the verb, read as a value),
 * and the record's note of it. */
static void drop_filter(dp_intent *in, const char *text)
{
    for (size_t j = 0; j < in->nfilters; j++)
        if (in->filters[j].phrase && !strcmp(in->filters[j].phrase, text) && !in->filters[j].range_start) {
            memmove(&in->filters[j], &in->filters[j + 1], (in->nfilters - j - 1) * sizeof(*in->filters));
            in->nfilters--;
            size_t n = 0;
            for (size_t k = 0; k < in->nnotes; k++)
                if (strcmp(in->notes[k].text, text) || strcmp(in->notes[k].kind, "filter"))
                    in->notes[n++] = in->notes[k];
            in->nnotes = n;
            return;
        }
}

/* The grouping read from the words [s, e) when it is a time dimension's
 * ("started" beside the campaign, read as a word of start_date's name):
 * before a range it is the verb that names that date. Its index, or
 * in->ngroups. */
static size_t time_group(parser *p, size_t s, size_t e)
{
    const char *text = dp_int__span_text(p, s, e - s);
    dp_intent *in = p->in;
    for (size_t g = 0; g < in->ngroups; g++) {
        const dp_target *t = &in->groups[g];
        int time = !t->is_entity && t->ndims > 0 && t->phrase && !strcmp(t->phrase, text);
        for (size_t d = 0; time && d < t->ndims; d++)
            time = t->dims[d]->type == DP_DIM_TIME;
        if (time)
            return g;
    }
    return in->ngroups;
}

/* Forgets the grouping read from the verb (time_group). */
static void drop_time_group(parser *p, size_t s, size_t e)
{
    dp_intent *in = p->in;
    size_t g = time_group(p, s, e);
    if (g == in->ngroups)
        return;
    const char *text = in->groups[g].phrase;
    memmove(&in->groups[g], &in->groups[g + 1], (in->ngroups - g - 1) * sizeof(*in->groups));
    in->ngroups--;
    /* and what the record said of it: the filter's note says it now */
    size_t n = 0;
    for (size_t k = 0; k < in->nnotes; k++)
        if (strcmp(in->notes[k].text, text) ||
            (strcmp(in->notes[k].kind, "dimension") && strcmp(in->notes[k].kind, "attribute")))
            in->notes[n++] = in->notes[k];
    in->nnotes = n;
}

/* How many metrics of the request were read from the words text? */
static size_t verb_metrics(const dp_intent *in, const char *text)
{
    size_t n = 0;
    for (size_t k = 0; k < in->nnotes; k++)
        n += !strcmp(in->notes[k].kind, "metric") && !strcmp(in->notes[k].text, text);
    return n;
}

/* Was metric m read from the words text? */
static int read_from(const dp_intent *in, const dp_metric *m, const char *text)
{
    for (size_t k = 0; k < in->nnotes; k++)
        if (!strcmp(in->notes[k].kind, "metric") && !strcmp(in->notes[k].text, text) &&
            !strcmp(in->notes[k].target, m->name))
            return 1;
    return 0;
}

/* The time dimension of home the verb in tokens [vs, r) names best: its
 * own word before a synonym ("hired": hire_date over a termination date
 * "while employed"), a name before a description. *nhit: how many share the
 * best score *best (0: none names it). */
static const dp_dimension *verb_dim(parser *p, const dp_model *home, size_t vs, size_t r, int *nhit, int *best)
{
    const dp_dimension *hit = NULL;
    *nhit = *best = 0;
    for (size_t d = 0; d < home->ndims; d++) {
        if (home->dims[d].type != DP_DIM_TIME)
            continue;
        /* each word's best, added up: "moved out" says move_out_date
         * with both words, move_in_date with one */
        int score = 0;
        for (size_t k = vs; k < r; k++) {
            if (dp_is_stopword(p->t[k].low) && strcmp(p->t[k].low, "out") && strcmp(p->t[k].low, "in") &&
                strcmp(p->t[k].low, "up") && strcmp(p->t[k].low, "off"))
                continue;
            char verbs[16][24];
            size_t nv = same_verbs(p->t[k].stem, verbs, 16);
            int word = 0;
            for (size_t v = 0; v < nv; v++) {
                int sc = dim_says(&home->dims[d], verbs[v]) * 2 + (v == 0);
                word = sc > word && dim_says(&home->dims[d], verbs[v]) ? sc : word;
            }
            score += word;
        }
        if (score > *best) {
            *best = score;
            hit = &home->dims[d];
            *nhit = 1;
        } else if (score && score == *best) {
            (*nhit)++;
        }
    }
    return hit;
}

const dp_dimension *dp_int__verb_date(parser *p, const dp_model *home, size_t vs, size_t ve)
{
    int nhit, best;
    const dp_dimension *hit = verb_dim(p, home, vs, ve, &nhit, &best);
    return hit && nhit == 1 && best >= 4 ? hit : NULL;
}

/* Range rg as a filter of home's time dimension hit, read from the words
 * [ps, rg) whose verb [vs, rg) it replaces (the verb's value filter and
 * grouping go). Its phrase, or NULL when the intent has no room. */
static const char *add_range_filter(parser *p, dp_range *rg, const dp_model *home, const dp_dimension *hit, size_t ps,
                                    size_t vs)
{
    dp_intent *in = p->in;
    size_t r = rg->at;
    if (in->nfilters >= DP_INTENT_MAX_ITEMS)
        return NULL;
    dp_filter f = {0};
    f.target.dims[0] = hit;
    f.target.dim_models[0] = home;
    f.target.ndims = 1;
    f.range_start = rg->start;
    f.range_end = rg->end;
    f.phrase = dp_int__span_text(p, ps, r + rg->len - ps);
    drop_filter(in, dp_int__span_text(p, vs, r - vs));
    drop_time_group(p, vs, r);
    in->filters[in->nfilters++] = f;
    return f.phrase;
}

/* Does a metric read from the words text have them, as written, in its
 * name or label ("returned" in returned_loans; not "borrowed" in
 * borrowers)? */
static int verbatim_metric(parser *p, const dp_intent *in, const char *text)
{
    for (size_t k = 0; k < in->nnotes; k++) {
        if (strcmp(in->notes[k].kind, "metric") || strcmp(in->notes[k].text, text))
            continue;
        const dp_metric *m = dp_kg_metric(p->kg, in->notes[k].target);
        const char *texts[] = {m ? m->name : NULL, m ? m->label : NULL};
        for (size_t j = 0; j < 2; j++)
            if (texts[j] && strcasestr(texts[j], text))
                return 1;
    }
    return 0;
}

/* "support tickets by priority opened this year", "delivery days by
 * destination shipped in 2025": no entity stands before the verb, but the
 * verb (a word nothing else read, or one read only as another form of a
 * filter value: "opened" for the status 'open') names, by its name or label,
 * a date of the one model every metric measures. The date the metrics count
 * by: the report's range, said with its verb; another date of that model:
 * the range filters it. Else nothing changes. */
static void verb_of_metrics_date(parser *p, dp_range *rg)
{
    dp_intent *in = p->in;
    size_t r = rg->at, vs = r - 1;
    if (r == 0 || !in->nmetrics || !wordlike(&p->t[vs]) || dp_is_stopword(p->t[vs].low))
        return;
    const char *verb = dp_int__span_text(p, vs, 1);
    /* the verb read as a metric beside others ("loans by genre returned in
     * 2025": returned_loans): the verb, when it names a date */
    size_t nverb = p->used[vs] == U_MATCH && metric_spans(p, vs, r) ? verb_metrics(in, verb) : 0;
    /* also a value as it is ("parcels delivered in June" where delivered
     * is a status): the verb, when it names a date below */
    if (!(p->used[vs] == U_FREE || (p->used[vs] == U_MATCH && (inflected_value(p, vs, r) || value_span(p, vs, r))) ||
          (nverb && in->nmetrics > nverb)))
        return;
    const dp_model *home = NULL;
    const char *date = NULL; /* the date every metric counts by, or NULL when they differ */
    for (size_t k = 0, first = 1; k < in->nmetrics; k++) {
        const dp_metric *m = in->metrics[k];
        if (nverb && read_from(in, m, verb)) {
            size_t notes = 0; /* read from other words too: asked for, not the verb's */
            for (size_t j = 0; j < in->nnotes; j++)
                notes += !strcmp(in->notes[j].kind, "metric") && !strcmp(in->notes[j].target, m->name);
            if (notes > 1)
                return;
            continue;
        }
        const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
        if (!me || !me->model || (home && home != me->model))
            return;
        if (first)
            date = me->agg_time_dimension;
        else if (date && (!me->agg_time_dimension || strcmp(date, me->agg_time_dimension)))
            date = NULL;
        home = me->model;
        first = 0;
    }
    int nhit, best;
    const dp_dimension *hit = home ? verb_dim(p, home, vs, r, &nhit, &best) : NULL;
    if (!hit || nhit != 1 || best < 4) {
        /* "loans by format borrowed in 2025" (borrowers): a past participle
         * read as a metric only through another form of its word, beside
         * the metrics asked for, is a verb whose date nothing names: asked,
         * not answered with a metric nobody asked for */
        size_t vl = strlen(p->t[vs].low);
        if (nverb && vl > 3 && !strcmp(p->t[vs].low + vl - 2, "ed") && !verbatim_metric(p, in, verb))
            dp_int__add_missing(p, dp_int__span_text(p, vs, 1 + rg->len), "time dimension");
        return; /* no date, two, or one a description only mentions: as it was */
    }
    if (nverb) { /* the verb's metric goes, and its note */
        size_t n = 0;
        for (size_t j = 0; j < in->nnotes; j++) {
            if (strcmp(in->notes[j].kind, "metric") || strcmp(in->notes[j].text, verb))
                in->notes[n++] = in->notes[j];
            else
                dp_int__drop_metric(p, in->notes[j].target, NULL);
        }
        in->nnotes = n;
    }
    if (date && !strcmp(hit->name, date)) {
        dp_int__note(p, verb, "time_range", hit->name, "the metrics' own date", 1.0);
        drop_filter(in, verb);
        dp_int__mark(p, vs, 1, U_PATTERN);
        return;
    }
    const char *phrase = add_range_filter(p, rg, home, hit, vs, vs);
    if (!phrase)
        return;
    rg->owned = 1; /* the report's range is not this one */
    dp_int__note(p, phrase, "filter",
                 dp_arena_printf(p->a, "%s.%s in [%s, %s)", home->name, hit->name, rg->start, rg->end),
                 "the verb's date", 1.0);
    dp_int__mark(p, vs, 1, U_MATCH);
}

/* Range r: owned by the entity before it when an entity phrase, a relative
 * word and a verb stand before it; the verb picks the time dimension. */
static void attach_one(parser *p, dp_range *rg)
{
    dp_intent *in = p->in;
    /* back from the range over the verb (one to three words, free or read
     * as a metric: "hired" as hires) and "that", "who", "which", "were"
     * to the entity phrase */
    size_t r = rg->at, vs = r, ent_end = r, es = 0;
    const dp_model *home = NULL;
    const dp_entity *ent = NULL;
    for (size_t vlen = 1; vlen <= 3 && vlen <= r && !ent; vlen++) {
        vs = r - vlen;
        if (p->used[vs] == U_PATTERN || p->used[vs] == U_NOISE || !wordlike(&p->t[vs]) ||
            dp_is_stopword(p->t[vs].low))
            break;
        if (p->used[vs] == U_MATCH && !metric_spans(p, vs, r) && !inflected_value(p, vs, r) && !value_span(p, vs, r) &&
            time_group(p, vs, r) == p->in->ngroups && !entity_headed(p, vs, r))
            continue; /* part of a phrase: "up" of "signed up", or no verb ("carrier type") */
        ent_end = vs;
        while (ent_end > 0 && (!strcmp(p->t[ent_end - 1].low, "that") || !strcmp(p->t[ent_end - 1].low, "who") ||
                               !strcmp(p->t[ent_end - 1].low, "which") || !strcmp(p->t[ent_end - 1].low, "were") ||
                               !strcmp(p->t[ent_end - 1].low, "was")))
            ent_end--;
        ent = entity_before(p, ent_end, &es, &home);
    }
    if (!ent) {
        verb_of_metrics_date(p, rg); /* no entity before the verb */
        return;
    }
    /* the dimension the verb names best: its own word before a synonym
     * ("hired": hire_date over a termination date "while employed"), a
     * name before a description */
    int nhit = 0, best = 0;
    const dp_dimension *hit = verb_dim(p, home, vs, r, &nhit, &best);
    const char *verb = dp_int__span_text(p, vs, r - vs);
    /* "shipments delivered in June": a value that names no date of the
     * entity stays a value, and the range the report's; so does one only a
     * date's description mentions ("lost" in "empty while in transit, lost
     * or returned"): a name or label says what a date is, a description
     * may name what it is not */
    if ((!nhit || best < 4) && p->used[vs] == U_MATCH && value_span(p, vs, r) && (!inflected_value(p, vs, r) || !nhit))
        return; /* "invoices voided in 2025" with no date of voiding: the value 'void', the report's range */
    /* "shipments delivered in May" where delivery is the date the metrics
     * count by: the report's range, said with its verb */
    const char *words = dp_int__span_text(p, es, ent_end - es), *both = dp_int__span_text(p, es, r - es);
    for (size_t k = 0; nhit == 1 && k < in->nmetrics; k++) {
        const dp_metric *m = in->metrics[k];
        if ((read_from(in, m, verb) && in->nmetrics > verb_metrics(in, verb)) ||
            ((read_from(in, m, words) || read_from(in, m, both)) && in->nmetrics > 1))
            continue; /* the verb or the entity ("routes launched" too) read as a metric beside others: not what is
                         counted */
        const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
        if (me && me->model == home && me->agg_time_dimension && !strcmp(me->agg_time_dimension, hit->name)) {
            dp_int__note(p, verb, "time_range", hit->name, "the metrics' own date", 1.0);
            drop_filter(in, verb);
            drop_time_group(p, vs, r);
            dp_int__mark(p, vs, r - vs, U_PATTERN);
            return;
        }
    }
    rg->owned = 1;
    if (nhit != 1) {
        dp_int__add_missing(p, dp_arena_printf(p->a, "%s %s", dp_int__span_text(p, es, ent_end - es), verb),
                            nhit ? "single date of" : "time dimension");
        dp_int__mark(p, vs, r - vs, U_PATTERN);
        return;
    }
    const char *phrase = add_range_filter(p, rg, home, hit, es, vs);
    if (!phrase)
        return;
    /* "placed in May by members who registered in 2025": "by" after a
     * verb or a range names who did it, no grouping */
    size_t b = es;
    while (b > 0 && !strcmp(p->t[b - 1].low, "the"))
        b--;
    if (b >= 2 && !strcmp(p->t[b - 1].low, "by") && (p->used[b - 2] == U_PATTERN || p->used[b - 2] == U_FREE)) {
        const char *words0 = dp_int__span_text(p, es, ent_end - es);
        for (size_t g = 0; g < in->ngroups; g++)
            if (in->groups[g].is_entity && in->groups[g].phrase && !strcmp(in->groups[g].phrase, words0)) {
                memmove(&in->groups[g], &in->groups[g + 1], (in->ngroups - g - 1) * sizeof(*in->groups));
                in->ngroups--;
                break;
            }
    }
    dp_int__note(p, phrase, "filter",
                 dp_arena_printf(p->a, "%s.%s in [%s, %s)", home->name, hit->name, rg->start, rg->end),
                 "entity's own date", 1.0);
    dp_int__mark(p, vs, r - vs, U_MATCH);
    /* the entity's words read as a count metric ("carriers") name whose
     * date it is; the verb read as a metric ("hired" as hires) names the
     * date */
    for (size_t k = 0; k < in->nnotes; k++) {
        dp_match_note *nt = &in->notes[k];
        if (strcmp(nt->kind, "metric") || (strcmp(nt->text, words) && strcmp(nt->text, verb) && strcmp(nt->text, both)))
            continue;
        /* "shipments delivered in June": the count of the entity is what is
         * asked when nothing else is (the verb's metric is gone first) */
        if (!strcmp(nt->text, words) && in->nmetrics - verb_metrics(in, verb) <= 1)
            continue;
        dp_int__drop_metric(p, nt->target, NULL);
        nt->kind = "context";
        nt->target = ent->name;
    }
}

void dp_int__attach_dates(parser *p)
{
    /* the last first: a later clause ("... by members who signed up
     * before 2025") is settled before the one it qualifies, so what it read
     * as metrics is gone when the earlier one asks what is counted */
    for (size_t k = p->nranges; k-- > 0;)
        attach_one(p, &p->ranges[k]);
}

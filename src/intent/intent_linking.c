/* Verbs that only link a thing to a value said after a preposition: "orders
 * placed through the app", "policyholders living in Florida", "customers
 * who came in through paid social", "donors acquired at events". The value
 * is the filter (read with the values); the verb adds nothing the value's
 * column does not say, so it is placed as grammar rather than asked about.
 * Not read: a verb the catalog knows ("orders returned via ..." where
 * 'returned' is a status), a negated verb ("not booked through an OTA"),
 * and a verb whose object is no value (a date is the date passes'). */
#include "intent/intent_int.h"
#include <string.h>
#include <strings.h>

static int verb_form(const char *w)
{
    static const char *const past[] = {"came", "went", "got", "joined", NULL};
    size_t n = strlen(w);
    return dp_int__past_participle(w) || dp_int__in_list(w, past) || (n > 5 && !strcmp(w + n - 3, "ing"));
}

/* The filter read from the value at token k (past articles), else NULL. */
static dp_filter *value_at(parser *p, size_t k)
{
    static const char *const articles[] = {"the", "a", "an", "our", "their", NULL};
    while (k < p->n && !p->used[k] && dp_int__in_list(p->t[k].low, articles))
        k++;
    if (k >= p->n || p->used[k] != U_MATCH)
        return 0;
    for (size_t f = 0; f < p->in->nfilters; f++) {
        dp_filter *fl = &p->in->filters[f];
        if (!fl->nvalues || fl->presence || fl->range_start || !fl->phrase)
            continue;
        if (strcasestr(fl->phrase, p->t[k].raw))
            return fl;
    }
    return NULL;
}

/* "policyholders living in Florida": of the value's columns, those of the
 * thing's own dataset (the policyholder's state, not the policy's). */
static void narrow_to_thing(parser *p, size_t s, dp_filter *f)
{
    const dp_model *home = NULL;
    for (size_t b = s; b-- > 0 && s - b <= 4 && p->used[b] == U_MATCH && !home;) {
        dp_lex_match m[16];
        size_t nm = dp_int__match(p, b, m, 16);
        for (size_t k = 0; k < nm && !home; k++)
            if (b + m[k].len == s && m[k].e->kind == DP_LEX_ENTITY)
                home = dp_kg_entity_home(p->kg, m[k].e->entity->name);
            else if (b + m[k].len == s && m[k].e->kind == DP_LEX_MODEL)
                home = m[k].e->model;
    }
    size_t kept = 0;
    for (size_t d = 0; home && d < f->target.ndims; d++)
        kept += f->target.dim_models[d] == home;
    if (!kept || kept == f->target.ndims)
        return;
    size_t n = 0;
    for (size_t d = 0; d < f->target.ndims; d++)
        if (f->target.dim_models[d] == home) {
            f->target.dims[n] = f->target.dims[d];
            f->target.dim_models[n++] = home;
        }
    f->target.ndims = n;
}

void dp_int__linking_verbs(parser *p)
{
    static const char *const relative[] = {"who", "that", "which", NULL};
    static const char *const particles[] = {"in", "up", "out", "on", "back", "off", NULL};
    static const char *const preps[] = {"through", "via", "in", "at", "from", "on", "with", "into", "under", NULL};
    static const char *const negations[] = {"not",  "never", "didnt",  "dont",  "doesnt", "wasnt", "werent",
                                            "isnt", "arent", "havent", "hasnt", "no",     NULL};
    for (size_t i = 1; i + 2 < p->n; i++) {
        if (p->used[i] || p->t[i].punct || !verb_form(p->t[i].low))
            continue;
        dp_lex_match m[8];
        if (dp_int__match(p, i, m, 8))
            continue;
        /* the thing: placed words right before, or before "who" */
        size_t s = i;
        if (!p->used[s - 1] && dp_int__in_list(p->t[s - 1].low, relative) && s >= 2)
            s--;
        if (p->used[s - 1] != U_MATCH)
            continue;
        if (s >= 2 && dp_int__in_list(p->t[s - 2].low, negations))
            continue;
        size_t j = i + 1;
        if (j + 1 < p->n && !p->used[j] && dp_int__in_list(p->t[j].low, particles) &&
            dp_int__in_list(p->t[j + 1].low, preps))
            j++;
        dp_filter *f = p->used[j] || !dp_int__in_list(p->t[j].low, preps) ? NULL : value_at(p, j + 1);
        if (!f)
            continue;
        narrow_to_thing(p, s, f);
        dp_int__note(p, dp_int__span_text(p, s, j - s), "verb", p->t[j].low, "links the thing to the value after it",
                     1.0);
        dp_int__mark(p, s, j - s, U_PATTERN);
        i = j;
    }
}

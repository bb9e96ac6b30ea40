/* Filters from values: the words that introduce one, the dimensions holding a
 * matched value, values joined into IN lists ("search and social"), and the
 * qualifier after a value ("express shipments"). */
#include "intent/intent_int.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int dp_int__is_filter_marker(const char *w)
{
    static const char *words[] = {"for", "in", "on", "from", "with", "where", "only", "among", "within",
                                  "at", "of", "excluding", "to", "via", "through", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

int dp_int__ends_grouping(const char *w)
{
    /* "of" says whose ("region of carrier"), "to" and "with" may go on a list */
    return dp_int__is_filter_marker(w) && strcmp(w, "of") && strcmp(w, "to") && strcmp(w, "with");
}

/* Does the token at j name the value's dimension, its model or one of the
 * model's entities ("express shipments", "app channel", "urgent requests")? */
/* Is word w (of a glossary phrase) token j, as written or stemmed? */
static int word_is_token(const char *w, size_t wl, const dp_tok *t)
{
    return wl >= 3 && ((strlen(t->low) == wl && !strncasecmp(w, t->low, wl)) ||
                       (strlen(t->stem) == wl && !strncasecmp(w, t->stem, wl)));
}

/* Is token j a word of a glossary term for val's column ("members" of the
 * term Loyalty Tier, also called "member level": "Gold members")? */
static int term_word_of(parser *p, size_t j, const dp_lex_entry *val)
{
    for (size_t k = 0; k < p->kg->nterms; k++) {
        const dp_term *t = &p->kg->terms[k];
        if (!t->maps_kind || !t->maps_to || (strcmp(t->maps_kind, "dimension") && strcmp(t->maps_kind, "column")))
            continue;
        const char *sep = strstr(t->maps_to, "__"), *dot = strchr(t->maps_to, '.');
        const char *dim = !strcmp(t->maps_kind, "column") ? (dot ? dot + 1 : t->maps_to) : sep ? sep + 2 : t->maps_to;
        if (strcmp(dim, val->dim->name))
            continue;
        if (!strcmp(t->maps_kind, "column") && dot &&
            ((size_t)(dot - t->maps_to) != strlen(val->model->name) ||
             strncmp(t->maps_to, val->model->name, (size_t)(dot - t->maps_to))))
            continue;
        if (!strcmp(t->maps_kind, "dimension") && sep) {
            char ent[128];
            snprintf(ent, sizeof(ent), "%.*s", (int)(sep - t->maps_to), t->maps_to);
            if (dp_kg_entity_home(p->kg, ent) != val->model)
                continue;
        }
        for (size_t q = 0; q <= t->nsynonyms; q++) {
            const char *ph = q ? t->synonyms[q - 1] : t->name;
            for (const char *w = ph; *w;) {
                size_t wl = strcspn(w, " -_/");
                if (word_is_token(w, wl, &p->t[j]))
                    return 1;
                w += wl;
                w += *w != 0;
            }
        }
    }
    return 0;
}

size_t dp_int__qualifier_len(parser *p, size_t j, const dp_lex_entry *val)
{
    if (j >= p->n || p->t[j].punct)
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, j, m, 32);
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if ((e->kind == DP_LEX_ENTITY || e->kind == DP_LEX_MODEL) && e->model == val->model)
            return m[k].len;
        if (e->kind == DP_LEX_ENTITY && dp_kg_model_entity(val->model, e->entity->name))
            return m[k].len;
        if (e->kind == DP_LEX_DIM && e->dim == val->dim)
            return m[k].len;
        /* "parcel shipments": the things named refer to the value's dataset
         * (shipments carry the carrier whose type is parcel) */
        const dp_model *home = e->kind == DP_LEX_ENTITY ? dp_kg_entity_home(p->kg, e->entity->name)
                               : e->kind == DP_LEX_MODEL ? e->model
                                                         : NULL;
        for (size_t q = 0; home && q < val->model->nentities; q++)
            if (val->model->entities[q].type == DP_ENT_PRIMARY && dp_kg_model_entity(home, val->model->entities[q].name))
                return m[k].len;
    }
    /* the value and the word as the catalog describes them: "sick leave"
     * where the dataset is "Absence spells (sick leave, vacation, ...)" */
    if (j > 0 && !p->t[j].is_num && strlen(p->t[j].low) >= 3) {
        const char *texts[] = {val->dim->description, val->model->description};
        char want[160];
        snprintf(want, sizeof(want), "%s %s", val->value, p->t[j].low);
        for (size_t k = 0; k < 2; k++)
            if (texts[k] && strcasestr(texts[k], want))
                return 1;
    }
    if (term_word_of(p, j, val))
        return 1;
    /* one word of the dimension's name: "channel" for sales_channel */
    const char *dn = val->dim->name;
    const char *w = p->t[j].low;
    size_t wl = strlen(w);
    const char *hit = strstr(dn, w);
    if (wl >= 3 && hit && (hit == dn || hit[-1] == '_') && (hit[wl] == 0 || hit[wl] == '_'))
        return 1;
    if (wl >= 4 && !strncmp(w, p->t[j].stem, strlen(p->t[j].stem))) {
        hit = strstr(dn, p->t[j].stem);
        if (hit && (hit == dn || hit[-1] == '_'))
            return 1;
    }
    return 0;
}

/* Negating words: those that say no of the thing ("isn't" as read), and
 * those that keep every other row. */
static const char *const not_cues[] = {"not",    "non",    "isnt", "arent", "wasnt",
                                       "werent", "doesnt", "dont", "didnt", NULL};
static const char *const except_cues[] = {"excluding", "exclude", "excludes", "except", "without", "outside", NULL};

int dp_int__in_list(const char *w, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (!strcmp(w, list[k]))
            return 1;
    return 0;
}

int dp_int__negation_is_not(const parser *p, size_t cue)
{
    return cue < p->n && dp_int__in_list(p->t[cue].low, not_cues);
}

/* The words that negate the value after them, looking back from token at
 * past articles and prepositions ("not in Berlin", "other than express",
 * "non-US", "excluding", "apart from"): the first negating token, or at
 * when there is none. */
size_t dp_int__negation_before(const parser *p, size_t at)
{
    static const char *skip[] = {"the", "a", "an", "any", "in", "on", "for", "of", "at", "from", NULL};
    size_t j = at;
    for (int steps = 0; j > 0 && steps < 4; steps++) {
        const dp_tok *t = &p->t[j - 1];
        if (t->punct || p->used[j - 1] == U_MATCH)
            break;
        if (dp_int__in_list(t->low, not_cues) || dp_int__in_list(t->low, except_cues))
            return j - 1;
        if (j > 1 && ((!strcmp(t->low, "than") && !strcmp(p->t[j - 2].low, "other")) ||
                      (!strcmp(t->low, "from") && !strcmp(p->t[j - 2].low, "apart"))))
            return j - 2;
        int skippable = 0;
        for (int k = 0; skip[k] && !skippable; k++)
            skippable = !strcmp(t->low, skip[k]);
        if (!skippable)
            break;
        j--;
    }
    return at;
}

void dp_int__add_filter_value(parser *p, const dp_lex_match *m, size_t nm, size_t at, size_t len, int joined)
{
    dp_intent *in = p->in;
    /* all dimensions holding this value */
    dp_filter f = {0};
    size_t cue = joined ? at : dp_int__negation_before(p, at);
    if (cue < at) {
        f.negate = 1;
        dp_int__mark(p, cue, at - cue, U_PATTERN);
    }
    f.phrase = dp_int__span_text(p, cue, at + len - cue);
    /* values written as the request writes them come first: "returned" is
     * the status 'returned', not an interaction 'return' found by its stem */
    const char *said = dp_int__span_text(p, at, len);
    const dp_lex_match *first = NULL;
    for (size_t k = 0; k < nm && !first; k++)
        if (m[k].len == len && m[k].e->kind == DP_LEX_VALUE && !strcasecmp(m[k].e->text, said))
            first = &m[k];
    int as_written = first != NULL;
    if (!first)
        first = dp_int__first_of(m, nm, DP_LEX_VALUE, len);
    for (size_t k = 0; k < nm; k++) {
        if (m[k].len != len || m[k].e->kind != DP_LEX_VALUE || f.target.ndims >= 8 ||
            (as_written && strcasecmp(m[k].e->text, said)))
            continue;
        int dup = 0;
        for (size_t j = 0; j < f.target.ndims; j++)
            dup |= f.target.dims[j] == m[k].e->dim;
        if (!dup) {
            f.target.dims[f.target.ndims] = m[k].e->dim;
            f.target.dim_models[f.target.ndims++] = m[k].e->model;
        }
    }
    /* "with status open": of the columns holding it, the one named */
    if (p->nnamed && at >= p->named_at && at <= p->named_at + 3) {
        size_t w = 0;
        for (size_t d = 0; d < f.target.ndims; d++)
            for (size_t k = 0; k < p->nnamed; k++)
                if (f.target.dims[d] == p->named_dims[k]) {
                    f.target.dims[w] = f.target.dims[d];
                    f.target.dim_models[w++] = f.target.dim_models[d];
                    break;
                }
        if (w)
            f.target.ndims = w;
        p->nnamed = 0;
    }
    const char *value = first->e->value;
    /* "Maria Costa" where three employees have that name: a column that
     * names rows (nearly one value per row) holding the value more than once
     * names several of them, and their sum is no answer about one */
    const dp_lex_match *vm0 = first;
    const dp_column *col = vm0->e->dim->column;
    const char *dn = vm0->e->dim->name;
    int named =
        strstr(dn, "name") || strstr(dn, "title"); /* a name column: however few rows ("Downtown", two stores) */
    int names = col && (named || col->prof.distinct * 2 >= vm0->e->model->rows);
    if (names && (named || vm0->e->model->rows >= 20))
        for (size_t k = 0; k < col->prof.ntop; k++)
            if (col->prof.top_counts && col->prof.top_counts[k] > 1 && !strcmp(col->prof.top_values[k], value)) {
                dp_int__add_missing(p, dp_arena_printf(p->a, "%s (%lld of them)", f.phrase, (long long)col->prof.top_counts[k]),
                                    "one of several");
                return;
            }
    /* "Singapore": a warehouse named Singapore and the country code SG of a
     * destination are two readings with two values; which one is asked.
     * Values written as the request writes them come first: "returned"
     * is the status 'returned', not the interaction 'return' */
    for (size_t k = 0; k < nm; k++)
        if (m[k].len == len && m[k].e->kind == DP_LEX_VALUE && strcasecmp(m[k].e->value, value) &&
            (!as_written || !strcasecmp(m[k].e->text, said))) {
            dp_int__add_missing(p, f.phrase, "value of which column");
            return;
        }
    /* "express and freight shipments", "mobile vs desktop": same dimension
     * -> an IN list; with "and" or a contrast each value is also a row of
     * its own (grouped by the dimension), with "or" they are one set */
    if (joined && in->nfilters) {
        dp_filter *prev = &in->filters[in->nfilters - 1];
        for (size_t j = 0; j < prev->target.ndims; j++)
            if (prev->target.dims[j] == f.target.dims[0] && prev->nvalues < 8) {
                prev->values[prev->nvalues++] = value;
                if (joined != DP_JOIN_OR && !prev->negate) {
                    dp_target g = prev->target;
                    g.ndims = 1;
                    g.dims[0] = prev->target.dims[j];
                    g.dim_models[0] = prev->target.dim_models[j];
                    g.phrase = prev->phrase;
                    dp_int__add_group(p, &g);
                }
                return;
            }
    }
    /* "the web shop" where both words are values of one column: no row
     * is both, so the words mean something else */
    for (size_t k = 0; k < in->nfilters && !f.negate; k++) {
        const dp_filter *o = &in->filters[k];
        if (o->negate || o->target.ndims != 1 || f.target.ndims != 1 || o->target.dims[0] != f.target.dims[0])
            continue;
        dp_int__add_missing(p, dp_arena_printf(p->a, "%s %s", o->phrase, f.phrase), "conflicting values");
        return;
    }
    f.values[0] = value;
    f.nvalues = 1;
    if (in->nfilters < DP_INTENT_MAX_ITEMS)
        in->filters[in->nfilters++] = f;
}

int dp_int__prev_is_join(parser *p, size_t i)
{
    /* the word before, past "the", "in", "for", "on" */
    while (i > 0 && (!strcmp(p->t[i - 1].low, "the") || !strcmp(p->t[i - 1].low, "in") ||
                     !strcmp(p->t[i - 1].low, "for") || !strcmp(p->t[i - 1].low, "on")))
        i--;
    if (i == 0)
        return DP_JOIN_NONE;
    const dp_tok *t = &p->t[i - 1];
    const char *w = t->low, *w2 = i > 1 ? p->t[i - 2].low : "";
    if (!strcmp(w, "vs") || !strcmp(w, "versus") || !strcmp(w, "v") || !strcmp(w, "against") ||
        ((!strcmp(w, "to") || !strcmp(w, "with")) && (!strcmp(w2, "compared") || !strcmp(w2, "comparing"))))
        return DP_JOIN_CONTRAST;
    if (!strcmp(w, "or") || t->punct == '/')
        return DP_JOIN_OR;
    if (t->punct == ',' || !strcmp(w, "and"))
        return DP_JOIN_AND;
    return DP_JOIN_NONE;
}

/* Does token t say word w ("reminders" for "reminder")? */
static int says_word(const dp_tok *t, const char *w, size_t wl)
{
    size_t tl = strlen(t->low);
    return (tl == wl && !strncmp(t->low, w, wl)) || (strlen(t->stem) == wl && !strncmp(t->stem, w, wl)) ||
           (tl == wl + 1 && t->low[wl] == 's' && !strncmp(t->low, w, wl));
}

static const char *const clause_aux[] = {"was", "were",  "is",     "are",  "has",   "have",  "been",   "be", "got",
                                         "not", "wasnt", "werent", "isnt", "arent", "hasnt", "havent", NULL};

/* Tokens from i that say the words of name (split at '_') with "was",
 * "were", "is", "are", "has been", "have been", "not" before the last one
 * ("reminder was sent", "reminder was not sent"): the number of tokens,
 * and whether "not" was among them, else 0. */
static size_t flag_clause_at(const parser *p, size_t i, const char *name, int *negated)
{
    const char *const *aux = clause_aux;
    const char *w = name;
    size_t j = i, nwords = 0, saw_aux = 0;
    *negated = 0;
    while (*w) {
        size_t wl = strcspn(w, "_");
        const char *next = w + wl + (w[wl] == '_');
        int last = !*next;
        if (last && nwords) /* the auxiliaries stand before the last word */
            for (; j < p->n && !p->used[j]; j++) {
                int k = 0;
                while (aux[k] && strcmp(p->t[j].low, aux[k]))
                    k++;
                if (!aux[k])
                    break;
                saw_aux++;
                size_t al = strlen(aux[k]);
                *negated |= !strcmp(aux[k], "not") || (al > 3 && !strcmp(aux[k] + al - 2, "nt")); /* "wasn't" */
            }
        if (j >= p->n || p->used[j] || !says_word(&p->t[j], w, wl))
            return 0;
        j++;
        nwords++;
        w = next;
    }
    return nwords >= 2 && saw_aux ? j - i : 0;
}

void dp_int__flag_clauses(parser *p)
{
    const dp_kg *kg = p->kg;
    dp_intent *in = p->in;
    int aux = 0; /* most requests have no auxiliary verb: then no clause, and no walk over the catalog's columns */
    for (size_t i = 0; i < p->n && !aux; i++)
        aux = dp_int__in_list(p->t[i].low, clause_aux);
    if (!aux)
        return;
    for (size_t m = 0; m < kg->nmodels; m++)
        for (size_t d = 0; d < kg->models[m].ndims; d++) {
            const dp_dimension *dim = &kg->models[m].dims[d];
            const char *yes = dim->type == DP_DIM_CATEGORICAL && !dim->off.reason ? dp_kg_flag_true(dim->column) : NULL;
            if (!yes || !strchr(dim->name, '_'))
                continue;
            const char *name = dim->name;
            if (!strncmp(name, "is_", 3) || !strncmp(name, "has_", 4))
                name = strchr(name, '_') + 1;
            for (size_t i = 0; i < p->n && in->nfilters < DP_INTENT_MAX_ITEMS; i++) {
                int negated = 0;
                size_t len = flag_clause_at(p, i, name, &negated);
                if (!len)
                    continue;
                size_t s = i;
                if (s > 0 && !p->used[s - 1] && !strcmp(p->t[s - 1].low, "no")) { /* "no reminder was sent" */
                    s--;
                    negated = !negated;
                }
                int except = 0;
                size_t cue = dp_int__negation_before(p, s);
                if (cue < s) {
                    if (dp_int__negation_is_not(p, cue))
                        negated = !negated;
                    else
                        except = 1; /* "excluding ...": every other row */
                    s = cue;
                }
                if (negated && except)
                    negated = except = 0; /* "excluding the ones where no reminder was sent" */
                dp_filter f = {0};
                f.target.dims[0] = dim;
                f.target.dim_models[0] = &kg->models[m];
                f.target.ndims = 1;
                /* "no reminder was sent": every row but those that say yes,
                 * of the rows that have the column's dataset row */
                f.values[0] = yes;
                f.nvalues = 1;
                f.negate = except || negated;
                f.matched = negated;
                f.phrase = dp_int__span_text(p, s, i + len - s);
                in->filters[in->nfilters++] = f;
                dp_int__note(p, f.phrase, "filter",
                             dp_arena_printf(p->a, "%s.%s %s %s", kg->models[m].name, dim->name, f.negate ? "!=" : "=",
                                             f.values[0]),
                             "yes/no column said as a clause", 1.0);
                dp_int__mark(p, s, i + len - s, U_MATCH);
                i += len - 1;
            }
        }
}

/* Is token t a word of the dimension's name ("status" of claim_status)? */
static int word_of_name(const dp_tok *t, const char *name)
{
    for (const char *w = name; *w;) {
        size_t wl = strcspn(w, "_");
        if (word_is_token(w, wl, t))
            return 1;
        w += wl;
        w += *w != 0;
    }
    return 0;
}

void dp_int__dimension_words(parser *p)
{
    static const char *const links[] = {"is", "=", "equal", "equals", "being", "of", NULL};
    for (size_t j = 1; j < p->n; j++) {
        if (p->used[j] != U_MATCH || p->kind[j] != DP_LEX_VALUE)
            continue;
        size_t i = j;
        while (i > 0 && i + 2 > j && !p->used[i - 1] && dp_int__in_list(p->t[i - 1].low, links))
            i--;
        if (i == 0 || p->used[i - 1] || p->t[i - 1].punct)
            continue;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32);
        for (size_t k = 0; k < nm; k++) {
            const dp_lex_entry *e = m[k].e;
            if (e->kind != DP_LEX_VALUE || !e->dim || !word_of_name(&p->t[i - 1], e->dim->name))
                continue;
            /* "with status open": the column's word before its value; of
             * the columns holding the value, the one named so exactly
             * ("status", not outage_status) */
            for (size_t f = 0; f < p->in->nfilters; f++) {
                dp_target *t = &p->in->filters[f].target;
                if (!p->in->filters[f].phrase || !strstr(p->in->filters[f].phrase, p->t[j].raw) || t->ndims < 2)
                    continue;
                size_t n = 0;
                for (size_t d = 0; d < t->ndims; d++)
                    n += !strcmp(t->dims[d]->name, p->t[i - 1].low);
                if (!n || n == t->ndims)
                    continue;
                for (size_t d = 0, w = 0; d < t->ndims; d++)
                    if (!strcmp(t->dims[d]->name, p->t[i - 1].low)) {
                        t->dims[w] = t->dims[d];
                        t->dim_models[w++] = t->dim_models[d];
                    }
                t->ndims = n;
            }
            dp_int__note(p, dp_int__span_text(p, i - 1, 1), "qualifier", e->dim->name, "the value after it", 1.0);
            dp_int__mark(p, i - 1, 1, U_MATCH);
            if (i < j)
                dp_int__mark(p, i, j - i, U_PATTERN);
            break;
        }
    }
}

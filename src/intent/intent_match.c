/* Phrase matching: each free token against the catalog's lexicon, choosing
 * among the candidates (metric, grouping, filter value, qualifier, dataset)
 * by the grammar around them; metric phrases with their words reordered. */
#include "intent/intent_int.h"
#include "discovery/discovery.h"
#include "util/ident.h"
#include <stdint.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

int dp_int__has_kind(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == kind && m[k].len == len)
            return 1;
    return 0;
}

const dp_lex_match *dp_int__first_of(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == kind && m[k].len == len)
            return &m[k];
    return NULL;
}

/* Words that name a kind of number, not a thing measured: alone they select
 * a metric only one the catalog names by that very word ("churn rate" must
 * not become a rating through the stem "rate"). */
static int generic_word(const char *w)
{
    static const char *words[] = {"rate", "rates", "ratio", "ratios", "count", "counts", "total", "totals",
                                  "amount", "amounts", "number", "numbers", "sum", "sums", "value", "values",
                                  "average", "averages", "avg", "mean", "percent", "percentage", "share",
                                  "score", "scores", "figure", "figures", NULL};
    for (int k = 0; words[k]; k++)
        if (!strcmp(w, words[k]))
            return 1;
    return 0;
}

/* Does learned entry e match the request at token i (every word, by stem or
 * lowercase form; no typo tolerance: the user wrote it)? */
static int learned_at(const parser *p, const dp_lex_entry *e, size_t i)
{
    if (i + e->ntok > p->n)
        return 0;
    for (size_t k = 0; k < e->ntok; k++) {
        const dp_tok *t = &p->t[i + k];
        if (t->punct || (strcmp(t->stem, e->stems[k]) && strcmp(t->low, e->words[k])))
            return 0;
    }
    return 1;
}

/* The catalog's and the learned phrases at token i, longest first. */
static size_t all_matches(const parser *p, size_t i, dp_lex_match *out, size_t max)
{
    if (!p->nlearned || i >= p->n)
        return dp_lexicon_match(p->kg->lex, p->t, p->n, i, out, max);
    /* what users taught this catalog first, longest first (stable) */
    size_t n = 0;
    for (size_t k = 0; k < p->nlearned && n < max; k++) {
        const dp_lex_entry *e = p->learned[k];
        if (!learned_at(p, e, i))
            continue;
        size_t at = n;
        while (at > 0 && out[at - 1].len < e->ntok)
            at--;
        memmove(&out[at + 1], &out[at], (n - at) * sizeof(*out));
        out[at] = (dp_lex_match){e, e->ntok, 0};
        n++;
    }
    if (!n)
        return dp_lexicon_match(p->kg->lex, p->t, p->n, i, out, max);
    /* then the catalog's phrases of other lengths: a learned phrase wins over
     * the catalog's reading of the same words */
    dp_lex_match cat[32];
    size_t nc = dp_lexicon_match(p->kg->lex, p->t, p->n, i, cat, 32);
    for (size_t c = 0; c < nc && n < max; c++) {
        int same = 0;
        for (size_t k = 0; k < n && !same; k++)
            same = out[k].e->source && !strcmp(out[k].e->source, "learned") && out[k].len == cat[c].len;
        if (same)
            continue;
        size_t at = n;
        while (at > 0 && out[at - 1].len < cat[c].len)
            at--;
        memmove(&out[at + 1], &out[at], (n - at) * sizeof(*out));
        out[at] = cat[c];
        n++;
    }
    return n;
}

/* Is token j, read as a typo in the fuzzy match m, a word the catalog
 * knows as written ("player" read as "payer" where player is an entity)? */
static int typo_of_known_word(const parser *p, const dp_lex_match *m, size_t i)
{
    for (size_t j = i; j < i + m->len && j < p->n; j++) {
        int in_entry = 0;
        for (size_t k = 0; k < m->e->ntok && !in_entry; k++)
            in_entry = !strcmp(p->t[j].low, m->e->words[k]) || !strcmp(p->t[j].stem, m->e->stems[k]);
        if (in_entry || p->t[j].punct)
            continue;
        dp_lex_match q[32];
        size_t nq = all_matches(p, j, q, 32);
        for (size_t k = 0; k < nq; k++)
            if (!q[k].fuzzy)
                return 1;
    }
    return 0;
}

size_t dp_int__match(const parser *p, size_t i, dp_lex_match *out, size_t max)
{
    size_t n = all_matches(p, i, out, max), k = 0;
    for (size_t j = 0; j < n; j++)
        if (!(out[j].len == 1 && out[j].e->kind == DP_LEX_METRIC && generic_word(p->t[i].low) &&
              (out[j].fuzzy || strcasecmp(out[j].e->text, p->t[i].low))) &&
            !(out[j].fuzzy && typo_of_known_word(p, &out[j], i)))
            out[k++] = out[j];
    return k;
}

static const char *target_name(parser *p, const dp_lex_entry *e)
{
    switch (e->kind) {
    case DP_LEX_METRIC: return e->metric->name;
    case DP_LEX_DIM: return dp_arena_printf(p->a, "%s.%s", e->model->name, e->dim->name);
    case DP_LEX_ENTITY: return e->entity->name;
    case DP_LEX_VALUE: return dp_arena_printf(p->a, "%s.%s = %s", e->model->name, e->dim->name, e->value);
    default: return e->model->name;
    }
}

/* Narrows the last grouping (a dimension) to the candidates of the entity
 * or dataset matched at token i, len tokens ("region of carrier"); 0 when
 * none of its candidates belongs to it (then it is a grouping of its own). */
static int of_qualifies(parser *p, const dp_lex_match *m, size_t nm, size_t i, size_t len)
{
    dp_target *last = &p->in->groups[p->in->ngroups - 1];
    if (last->is_entity || !last->ndims)
        return 0;
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if (m[k].len != len || (e->kind != DP_LEX_ENTITY && e->kind != DP_LEX_MODEL))
            continue;
        dp_target t = *last;
        t.ndims = 0;
        for (size_t d = 0; d < last->ndims; d++) {
            const dp_model *mo = last->dim_models[d];
            if (e->kind == DP_LEX_MODEL ? mo == e->model : dp_kg_model_entity(mo, e->entity->name) != NULL) {
                t.dims[t.ndims] = last->dims[d];
                t.dim_models[t.ndims++] = mo;
            }
        }
        if (!t.ndims)
            continue;
        if (e->kind == DP_LEX_ENTITY)
            t.qualifier = e->entity->name;
        *last = t;
        dp_int__note(p, dp_int__span_text(p, i, len), "qualifier", t.dims[0]->name, "context", 1.0);
        return 1;
    }
    return 0;
}

/* Do the words at token i (matches m), right after the value val, agree
 * with it? 0 when they name only another column of val's dataset than the
 * one holding val ("engineering division" where Engineering is a
 * department): the value and the words are then recorded as a filter value
 * the catalog lacks. 1 otherwise (its own column, or anything else). */
static int column_agrees(parser *p, const dp_lex_entry *val, const dp_lex_match *m, size_t nm, size_t i)
{
    if (!val->model || !val->dim)
        return 1;
    const dp_lex_entry *other = NULL;
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if (m[k].len != m[0].len)
            continue;
        if (e->kind != DP_LEX_DIM || !e->dim)
            return 1; /* a metric, an entity, a value too: read as it is */
        if (e->dim == val->dim)
            return 1;
        if (e->model == val->model && e->dim->type != DP_DIM_TIME)
            other = e;
    }
    if (!other)
        return 1;
    dp_int__add_missing(p, dp_int__span_text(p, i - 1, 1 + m[0].len), "filter value");
    dp_int__mark(p, i, m[0].len, U_MATCH);
    return 0;
}

/* The target of the last filter that holds val's dimension (the one the
 * value just read went to), or NULL. */
static dp_target *value_target(parser *p, const dp_lex_entry *val)
{
    for (size_t f = p->in->nfilters; f-- > 0;) {
        dp_target *t = &p->in->filters[f].target;
        for (size_t d = 0; d < t->ndims; d++)
            if (t->dims[d] == val->dim)
                return t;
    }
    return NULL;
}

/* A dataset the request names as the subject ("customers' revenue", "budget
 * of order items"), with its words and the entity they named (NULL: the
 * dataset's own name); discovery checks the answer reads it. */
static void add_context(parser *p, const char *model, const char *phrase, const char *entity)
{
    dp_intent *in = p->in;
    if (in->ncontext >= sizeof(in->context_models) / sizeof(*in->context_models))
        return;
    in->context_models[in->ncontext] = model;
    in->context_phrases[in->ncontext] = phrase;
    in->context_entities[in->ncontext++] = entity;
}

/* Keeps, of the filter on value val, the candidate columns the words at
 * token i (ql of them, val's qualifier) name too ("the enterprise segment":
 * the accounts' segment, not the plan tier that also holds enterprise;
 * "the North district" keeps every district), when one is. */
static void narrow_to_column(parser *p, size_t i, size_t ql, const dp_lex_entry *val)
{
    dp_target *t = value_target(p, val);
    if (!t || t->ndims < 2)
        return;
    size_t n = 0;
    for (size_t d = 0; d < t->ndims; d++) {
        dp_lex_entry alt = *val;
        alt.dim = t->dims[d];
        alt.model = t->dim_models[d];
        if (dp_int__qualifier_len(p, i, &alt) == ql) {
            t->dims[n] = t->dims[d];
            t->dim_models[n++] = t->dim_models[d];
        }
    }
    if (n)
        t->ndims = n;
}

/* Keeps, of the filter on value val (the last one holding it), the
 * candidate columns of the dataset the phrase at token i names ("Spanish
 * warehouses", "carriers from Germany"): the country of the warehouses, not
 * of the destination. Nothing when the phrase names no dataset of them. */
static void narrow_to_named(parser *p, size_t i, const dp_lex_entry *val)
{
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, i, m, 32);
    const dp_model *home = NULL;
    for (size_t k = 0; k < nm && !home; k++)
        home = m[k].e->kind == DP_LEX_ENTITY ? dp_kg_entity_home(p->kg, m[k].e->entity->name)
               : m[k].e->kind == DP_LEX_MODEL ? m[k].e->model
                                               : NULL;
    dp_target *t = home ? value_target(p, val) : NULL;
    size_t n = 0;
    for (size_t d = 0; t && d < t->ndims; d++)
        if (t->dim_models[d] == home) {
            t->dims[n] = t->dims[d];
            t->dim_models[n++] = t->dim_models[d];
        }
    if (n)
        t->ndims = n;
}

/* A dimension named for the receiving end ("destination_country",
 * "to_city"): a part of its name, between '_', is a word of arrival. */
static int names_destination(const char *name)
{
    static const char *const words[] = {"destination", "dest", "to", "arrival", "recipient", "receiver", "delivery"};
    for (const char *s = name; *s;) {
        size_t n = strcspn(s, "_");
        for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
            if (strlen(words[k]) == n && !strncasecmp(s, words[k], n))
                return 1;
        s += n + (s[n] == '_');
    }
    return 0;
}

/* The end of a journey the words before token b name: 1 where it starts
 * ("from", "out of", "leaving", "departing from"), 2 where it arrives ("to",
 * "into", "bound for", "arriving in", "destined for"), else 0. */
static int direction_before(const parser *p, size_t b, size_t *words)
{
    const char *w1 = b > 0 ? p->t[b - 1].low : "", *w2 = b > 1 ? p->t[b - 2].low : "";
    *words = 1;
    if (!strcmp(w1, "from") || !strcmp(w1, "leaving") || !strcmp(w1, "departing") || !strcmp(w1, "exiting"))
        return 1;
    if (!strcmp(w1, "to") || !strcmp(w1, "into") || !strcmp(w1, "towards"))
        return 2;
    *words = 2;
    if (!strcmp(w1, "of") && !strcmp(w2, "out"))
        return 1;
    if ((!strcmp(w1, "for") && (!strcmp(w2, "bound") || !strcmp(w2, "destined") || !strcmp(w2, "headed"))) ||
        ((!strcmp(w1, "in") || !strcmp(w1, "at")) && !strcmp(w2, "arriving")))
        return 2;
    return 0;
}

/* The last '_'-separated part of a column name ("home_country": "country"). */
static const char *name_kind(const char *name)
{
    const char *u = strrchr(name, '_');
    return u ? u + 1 : name;
}

/* A dimension of the catalog of the same kind as dim ("country", "city")
 * that names the other end: the arrival when to is 1, else the start. */
static const dp_dimension *other_end(const dp_kg *kg, const dp_dimension *dim, int to, const dp_model **model)
{
    const char *kind = name_kind(dim->name);
    for (size_t m = 0; m < kg->nmodels; m++)
        for (size_t d = 0; d < kg->models[m].ndims; d++) {
            const dp_dimension *o = &kg->models[m].dims[d];
            if (o->type != DP_DIM_TIME && names_destination(o->name) == to && !strcasecmp(name_kind(o->name), kind)) {
                *model = &kg->models[m];
                return o;
            }
        }
    return NULL;
}

/* "shipments from Germany" never means their destination; "shipments to
 * Germany" means it: the candidate dimensions of the value at token i
 * (val's filter) keep the ends the preposition before it allows, when some
 * are left. When none is left and the catalog has a column of that kind
 * for the end named ("passengers flown to Germany": the routes'
 * destination country, where only the passengers' home country holds
 * Germany), the end asked lacks the value: asked, not answered with
 * another end's. */
static void by_direction(parser *p, size_t i, size_t len, const dp_lex_entry *val)
{
    size_t b = i;
    while (b > 0 && !strcmp(p->t[b - 1].low, "the"))
        b--;
    size_t words = 0;
    int dir = direction_before(p, b, &words), to = dir == 2;
    dp_target *t = dir ? value_target(p, val) : NULL;
    size_t keep = 0;
    for (size_t d = 0; t && d < t->ndims; d++)
        keep += names_destination(t->dims[d]->name) == to;
    if (t && t->ndims && !keep) {
        const dp_model *om = NULL;
        const dp_dimension *o = other_end(p->kg, t->dims[0], to, &om);
        if (o)
            dp_int__add_missing(p,
                                dp_arena_printf(p->a, "%s (a value of %s.%s, not of %s.%s)",
                                                dp_int__span_text(p, b - words, i + len - (b - words)),
                                                t->dim_models[0]->name, t->dims[0]->name, om->name, o->name),
                                "value of the other end");
        return;
    }
    if (!t || keep == t->ndims)
        return; /* no end named, or none the preposition allows: as it was */
    size_t n = 0;
    for (size_t d = 0; d < t->ndims; d++)
        if (names_destination(t->dims[d]->name) == to) {
            t->dims[n] = t->dims[d];
            t->dim_models[n++] = t->dim_models[d];
        }
    t->ndims = n;
}

/* Does a placed catalog phrase of one of the kinds (bits of dp_lex_kind)
 * end right before token i? */
static int phrase_ends_at(parser *p, size_t i, unsigned kinds)
{
    dp_lex_match m[32];
    for (size_t s = i; s-- > 0 && i - s <= 4 && p->used[s] == U_MATCH;) {
        size_t nm = dp_int__match(p, s, m, 32);
        for (size_t k = 0; k < nm; k++)
            if (s + m[k].len == i && (kinds & (1u << m[k].e->kind)))
                return 1;
    }
    return 0;
}

/* One value alone right after "by" or "per" ("revenue by store"): not
 * contrasted with another ("by mobile vs desktop", "by web and store"),
 * not followed by its column's name ("by store channel"). */
static int by_value(parser *p, size_t i, size_t len, const dp_lex_match *vm)
{
    if (!vm || i == 0 || (strcmp(p->t[i - 1].low, "by") && strcmp(p->t[i - 1].low, "per")))
        return 0;
    size_t j = i + len;
    if (j < p->n && (p->t[j].punct == ',' || p->t[j].punct == '&' || p->t[j].punct == '/' ||
                     !strcmp(p->t[j].low, "vs") || !strcmp(p->t[j].low, "versus") || !strcmp(p->t[j].low, "and") ||
                     !strcmp(p->t[j].low, "or") || !strcmp(p->t[j].low, "compared")))
        return 0;
    return dp_int__qualifier_len(p, j, vm->e) == 0;
}

/* "outages caused by storms": before "by", a participle no other pass read
 * that names the value's column ("caused": cause) makes the value its
 * agent, a filter, not a grouping. The participle's index, else 0. */
static size_t agent_verb(parser *p, size_t i, const dp_lex_match *vm)
{
    if (!vm || i < 2 || strcmp(p->t[i - 1].low, "by") || !vm->e->dim)
        return 0;
    size_t v = i - 2;
    const char *stem = p->t[v].stem;
    const dp_dimension *d = vm->e->dim;
    if (!dp_int__past_participle(p->t[v].low) || strlen(stem) < 4)
        return 0;
    if (p->used[v] == U_MATCH) { /* read as the column itself ("caused": cause) */
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, v, m, 32);
        const dp_lex_match *dm = nm && m[0].len == 1 ? dp_int__first_of(m, nm, DP_LEX_DIM, 1) : NULL;
        if (!dm || dm->e->dim != d)
            return 0;
    } else if (p->used[v]) {
        return 0;
    }
    return strcasestr(d->name, stem) || (d->label && strcasestr(d->label, stem)) ? v : 0;
}

/* Forgets the grouping read from the words phrase, and its note. */
static void unread_group(parser *p, const char *phrase)
{
    dp_intent *in = p->in;
    dp_int__drop_group(in, phrase);
    size_t n = 0;
    for (size_t k = 0; k < in->nnotes; k++)
        if (strcmp(in->notes[k].text, phrase) || strcmp(in->notes[k].kind, "dimension"))
            in->notes[n++] = in->notes[k];
    in->nnotes = n;
}

/* Does lexicon entry e name the rows of model vmod: a simple metric
 * measured there, or an entity at home there? */
static int names_rows_of(parser *p, const dp_lex_entry *e, const dp_model *vmod)
{
    const dp_measure *me = e->kind == DP_LEX_METRIC && e->metric->type == DP_METRIC_SIMPLE
                               ? dp_kg_measure(p->kg, e->metric->measure.name)
                               : NULL;
    return (me && me->model == vmod) ||
           (e->kind == DP_LEX_ENTITY && dp_kg_entity_home(p->kg, e->entity->name) == vmod);
}

/* "bookings cancelled by time slot": right after a phrase of the value's
 * own dataset (the entity it is home to, or a metric measured there), a value written as
 * it is ('cancelled', a booking status) is that value, not a metric of
 * another dataset with the same word (members' cancellations). "billing
 * tickets": right before such a phrase, likewise (a topic of the tickets,
 * not the billings, read through the word's plural). */
static int own_value_beside(parser *p, size_t i, size_t len, const dp_lex_match *vm, const dp_lex_match *mm)
{
    const dp_model *vmod = vm ? vm->e->model : NULL;
    const dp_metric *other = mm ? mm->e->metric : NULL;
    const dp_measure *ome = other && other->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, other->measure.name) : NULL;
    if (!vmod || !ome || ome->model == vmod || len != 1 || strcasecmp(vm->e->text, p->t[i].low))
        return 0;
    dp_lex_match m[32];
    size_t nf = i + 1 < p->n && !p->t[i + 1].punct ? dp_int__match(p, i + 1, m, 32) : 0;
    for (size_t k = 0; k < nf; k++)
        if (m[k].len == m[0].len && names_rows_of(p, m[k].e, vmod))
            return 1;
    if (i == 0 || p->used[i - 1] != U_MATCH)
        return 0;
    for (size_t s = i; s-- > 0 && i - s <= 4 && p->used[s] == U_MATCH;) {
        nf = dp_int__match(p, s, m, 32);
        if (!nf || s + m[0].len != i)
            continue;
        for (size_t k = 0; k < nf; k++)
            if (m[k].len == m[0].len && names_rows_of(p, m[k].e, vmod))
                return 1;
    }
    return 0;
}

/* "absences approved by month", "outages caused by storms": outside a
 * grouping, an entity word that is also a metric, then a yes/no column or
 * a participle naming a column of its dataset, is the metric and then that
 * word, not the column qualified by the entity ("absence approved"). The
 * length of the match at token i to read. */
static size_t split_qualified(parser *p, size_t i, const dp_lex_match *m, size_t nm, int grouping)
{
    size_t len = m[0].len;
    const dp_lex_match *dm = dp_int__first_of(m, nm, DP_LEX_DIM, len);
    if (grouping || len != 2 || !dm || strcmp(dm->e->source, "qualified name") ||
        !dp_int__has_kind(m, nm, DP_LEX_METRIC, 1))
        return len;
    const dp_dimension *d = dm->e->dim;
    int flag = d && d->column && d->column->type && !strcasecmp(d->column->type, "BOOLEAN");
    return flag || dp_int__past_participle(p->t[i + 1].low) ? 1 : len;
}

/* A passive's auxiliary: "tickets (were) opened", "orders (have been) shipped". */
static int auxiliary(const char *w)
{
    static const char *const aux[] = {"was", "were", "is",   "are", "been", "being",
                                      "be",  "has",  "have", "had", "got",  "get"};
    for (size_t k = 0; k < sizeof(aux) / sizeof(*aux); k++)
        if (!strcmp(w, aux[k]))
            return 1;
    return 0;
}

/* A value matched through another form of its word right after a metric
 * or entity phrase, or after it and a passive's auxiliaries ("tickets
 * opened", "tickets were opened"): a participle, not the value 'open'
 * (which comes before its noun: "open tickets", or as it is: "tickets that
 * are open"). */
/* Where the phrase before word i ends, past at most two auxiliaries
 * ("tickets were opened": 1, the end of "tickets"); 0 when no matched
 * phrase is there. */
static size_t before_passive(parser *p, size_t i)
{
    size_t end = i;
    while (end > 1 && i - end < 2 && p->used[end - 1] != U_MATCH && auxiliary(p->t[end - 1].low))
        end--;
    return end > 0 && p->used[end - 1] == U_MATCH ? end : 0;
}

static int participle(parser *p, size_t i, size_t len, const dp_lex_match *vm)
{
    if (len != 1 || !vm || !strcasecmp(vm->e->text, p->t[i].low) || i == 0)
        return 0;
    size_t end = before_passive(p, i);
    /* "invoices voided" where invoices have no date of voiding: the verb
     * can only say the state, the value 'void' */
    return end && phrase_ends_at(p, end, 1u << DP_LEX_METRIC | 1u << DP_LEX_ENTITY) && vm->e->model &&
           dp_int__verb_date(p, vm->e->model, i, i + 1);
}

int dp_int__past_participle(const char *w)
{
    static const char *const irregular[] = {"sold", "paid",   "won",   "lost",    "sent",  "spent", "bought",
                                            "made", "taken",  "given", "written", "held",  "kept",  "built",
                                            "left", "broken", "drawn", "chosen",  "shown", "done"};
    size_t n = strlen(w);
    if (n > 4 && !strcmp(w + n - 2, "ed"))
        return 1;
    for (size_t k = 0; k < sizeof(irregular) / sizeof(*irregular); k++)
        if (!strcmp(w, irregular[k]))
            return 1;
    return 0;
}

/* Was word w read as the verb of a date ("employees hired in 2024": the
 * range of hire_date)? */
static int read_as_date(const dp_intent *in, const char *w)
{
    for (size_t k = 0; k < in->nnotes; k++)
        if ((!strcmp(in->notes[k].kind, "time_range") || !strcmp(in->notes[k].kind, "filter")) &&
            strcasestr(in->notes[k].text, w))
            return 1;
    return 0;
}

/* Does measure me count rows (a count, a sum of a yes/no column or of
 * "CASE WHEN ... THEN 1 ELSE 0 END", a sum of 1) rather than add amounts? */
static int counts_rows(const dp_measure *me)
{
    if (me->agg == DP_AGG_COUNT || me->agg == DP_AGG_COUNT_DISTINCT || me->agg == DP_AGG_SUM_BOOLEAN)
        return 1;
    if (me->agg != DP_AGG_SUM || !me->expr)
        return 0;
    if (!strcmp(me->expr, "1") || (strcasestr(me->expr, "then 1") && strcasestr(me->expr, "else 0")))
        return 1;
    const dp_column *c = dp_is_identifier(me->expr) ? dp_kg_model_column(me->model, me->expr) : NULL;
    return dp_kg_flag_true(c) != NULL;
}

/* "orders that were cancelled", "tickets that were escalated": a relative
 * clause after an entity whose metric counts some of the entity's rows.
 * Alone, that metric is what is asked and the entity's own count goes;
 * beside another metric it says which rows (dp_int__settle_filter_metrics
 * turns it into a filter or asks). Also the clause without its pronoun and
 * auxiliary: "orders cancelled per week", "number of employees hired" (the
 * entity's count read from "number of employees"). */
static void relative_metrics(parser *p)
{
    dp_intent *in = p->in;
    for (size_t i = 1; i < p->n; i++) {
        /* also the passive without them: "orders were cancelled" */
        int passive = !strcmp(p->t[i].low, "were") || !strcmp(p->t[i].low, "was");
        int reduced = !passive && p->used[i] == U_MATCH && p->used[i - 1] == U_MATCH &&
                      dp_int__past_participle(p->t[i].low) && !read_as_date(p->in, p->t[i].raw);
        if (strcmp(p->t[i].low, "that") && strcmp(p->t[i].low, "which") && strcmp(p->t[i].low, "who") && !passive &&
            !reduced)
            continue;
        size_t j = reduced ? i : i + !passive;
        while (j < p->n && (!strcmp(p->t[j].low, "were") || !strcmp(p->t[j].low, "was") || !strcmp(p->t[j].low, "are") ||
                            !strcmp(p->t[j].low, "is") || !strcmp(p->t[j].low, "have") || !strcmp(p->t[j].low, "had") ||
                            !strcmp(p->t[j].low, "been") || !strcmp(p->t[j].low, "got")))
            j++;
        dp_lex_match m[32];
        size_t nm = j < p->n ? dp_int__match(p, j, m, 32) : 0;
        const dp_lex_match *mm = nm ? dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len) : NULL;
        const dp_metric *second = mm ? mm->e->metric : NULL, *first = NULL;
        const dp_entity *ent = NULL;
        /* the phrase that ends before the clause, the longest: the entity,
         * or a count of it ("number of employees": headcount) */
        dp_lex_match q[32]; /* m holds the clause's matches (mm) */
        for (size_t s = i; s-- > 0 && i - s <= 4 && p->used[s] == U_MATCH;) {
            size_t nf = dp_int__match(p, s, q, 32);
            if (!nf || s + q[0].len != i)
                continue;
            const dp_lex_match *fm = dp_int__first_of(q, nf, DP_LEX_METRIC, q[0].len);
            const char *counted = dp_int__counted_entity(p, fm);
            if (dp_int__has_kind(q, nf, DP_LEX_ENTITY, q[0].len)) {
                const dp_entity *e = dp_int__first_of(q, nf, DP_LEX_ENTITY, q[0].len)->e->entity;
                if (ent && strcmp(ent->name, e->name))
                    break;
                ent = e;
                first = fm ? fm->e->metric : first;
            } else if (counted && (!ent || !strcmp(counted, ent->name))) {
                const dp_model *home = dp_kg_entity_home(p->kg, counted);
                ent = ent ? ent : home ? dp_kg_model_entity(home, counted) : NULL;
                first = ent ? fm->e->metric : NULL;
            }
        }
        const dp_measure *b = second && second->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, second->measure.name) : NULL;
        if (!ent || !b || !dp_kg_model_entity(b->model, ent->name) || first == second)
            continue;
        /* "number of books borrowed" read as borrowers: in the passive the
         * entity is what the verb was done to, and a count of another
         * entity (the members who borrowed) is no count of these ("customers
         * who ordered" is active: the customers did it) */
        const char *counts = reduced || passive || j > i + 1 ? dp_int__counted_entity(p, mm) : NULL;
        /* "how many batches were scrapped" read as the scrapped units: a
         * clause's metric that counts nothing (a sum of units) is no count
         * of the batches either */
        int uncounted = (reduced || passive) && !counts && !counts_rows(b);
        if ((counts && strcmp(counts, ent->name)) || uncounted) {
            size_t s0 = i;
            while (s0 > 0 && p->used[s0 - 1] == U_MATCH && i - s0 < 4)
                s0--;
            dp_int__add_missing(p, dp_int__span_text(p, s0, j + mm->len - s0), "metric");
            continue;
        }
        /* "loans returned per month" where returns count by the loan's
         * date: the month of the verb's date or of the metric's? */
        const dp_dimension *vd =
            in->grain != DP_GRAIN_NONE || in->custom_grain ? dp_int__verb_date(p, b->model, j, j + 1) : NULL;
        if (vd && b->agg_time_dimension && strcmp(vd->name, b->agg_time_dimension)) {
            dp_int__add_missing(p, dp_int__span_text(p, j, 1), "date of the verb");
            continue;
        }
        if (first && dp_int__drop_metric(p, first->name, NULL))
            dp_int__note(p, p->t[i - 1].raw, "context", second->name, "counted by the clause after it", 1.0);
        size_t others = 0;
        for (size_t k = 0; k < in->nmetrics; k++)
            others += in->metrics[k] != second;
        if (others && p->nfm < sizeof(p->fm) / sizeof(*p->fm))
            p->fm[p->nfm++] = (dp_fm){second, j, mm->len, 0};
    }
}

/* Does the time dimension name the verb with stem (its name, label or
 * description), and does every row have it (the profile found no NULL):
 * then the verb holds for every row and filters nothing ("orders placed";
 * not "orders delivered" where a delivery date can be missing)? */
static int verb_of_date(const dp_dimension *d, const char *stem)
{
    if (!d || d->type != DP_DIM_TIME || !d->column || !d->column->prof.done || d->column->prof.nulls)
        return 0;
    return strcasestr(d->name, stem) || (d->label && strcasestr(d->label, stem)) ||
           (d->description && strcasestr(d->description, stem));
}

void dp_int__metric_verbs(parser *p)
{
    dp_intent *in = p->in;
    for (size_t i = 1; i < p->n; i++) {
        size_t end =
            p->used[i] || p->t[i].punct || p->t[i].is_num || strlen(p->t[i].stem) < 4 || dp_is_stopword(p->t[i].low)
                ? 0
                : before_passive(p, i);
        if (!end)
            continue;
        if (!phrase_ends_at(p, end, 1u << DP_LEX_METRIC))
            continue;
        for (size_t k = 0; k < in->nmetrics; k++) {
            const dp_metric *m = in->metrics[k];
            const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
            /* "tickets opened", "orders placed": the verb of the count's own
             * date (opened_at; order_date, "the day the order was placed") */
            const dp_dimension *td =
                me && me->agg_time_dimension ? dp_kg_model_dim(me->model, me->agg_time_dimension) : NULL;
            const char *stem = p->t[i].stem;
            const char *why = (m->description && strcasestr(m->description, stem)) ||
                                      (me && me->description && strcasestr(me->description, stem))
                                  ? "the metric's description"
                              : verb_of_date(td, stem) ? "the metric's time dimension, which every row has"
                                                       : NULL;
            if (why) {
                dp_int__mark(p, i, 1, U_PATTERN);
                dp_int__note(p, p->t[i].raw, "verb", m->name, why, 1.0);
                break;
            }
        }
    }
}

/* Is a value of one of t's dimensions next, past "is", "was", "=",
 * "equal to" ("status is done", "with status done")? */
static int names_value_next(parser *p, size_t j, const dp_target *t)
{
    /* also "brands other than Acme", "devices except tablet": the values
     * excluded are still values of the dimension named */
    while (j < p->n &&
           (!strcmp(p->t[j].low, "is") || !strcmp(p->t[j].low, "was") || !strcmp(p->t[j].low, "are") ||
            !strcmp(p->t[j].low, "were") || !strcmp(p->t[j].low, "equals") || !strcmp(p->t[j].low, "equal") ||
            !strcmp(p->t[j].low, "to") || !strcmp(p->t[j].low, "of") || !strcmp(p->t[j].low, "not") ||
            !strcmp(p->t[j].low, "except") || !strcmp(p->t[j].low, "excluding") || !strcmp(p->t[j].low, "other") ||
            !strcmp(p->t[j].low, "than") || !strcmp(p->t[j].low, "but") || !strcmp(p->t[j].low, "isnt") ||
            !strcmp(p->t[j].low, "arent") || !strcmp(p->t[j].low, "wasnt") || !strcmp(p->t[j].low, "werent")))
        j++;
    if (j >= p->n)
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, j, m, 32);
    for (size_t k = 0; k < nm; k++)
        for (size_t d = 0; m[k].e->kind == DP_LEX_VALUE && d < t->ndims; d++)
            if (m[k].e->dim == t->dims[d])
                return 1;
    return 0;
}

/* "enrollments from paid learners" where 'paid' is the courses' pricing:
 * the value before an entity word describes something the entity's rows
 * do not lead to (no candidate column on its dataset or reached from it),
 * so the words are asked about rather than read as the courses' filter. */
static void value_of_other(parser *p, size_t i, size_t len, const dp_lex_entry *val, const char *entity)
{
    const dp_model *home = dp_kg_entity_home(p->kg, entity);
    const dp_target *t = value_target(p, val);
    if (!home || !t)
        return;
    for (size_t d = 0; d < t->ndims; d++) {
        dp_path path;
        int amb;
        if (t->dim_models[d] == home || !dp_join_path(&path, p->kg, home, t->dim_models[d], &amb))
            return;
    }
    size_t s = i - 1;
    while (s > 0 && p->used[s - 1] == U_MATCH && i - s < 3)
        s--;
    dp_int__add_missing(p,
                        dp_arena_printf(p->a, "%s (a value of %s.%s, which %s do not have)",
                                        dp_int__span_text(p, s, i + len - s), t->dim_models[0]->name, t->dims[0]->name,
                                        dp_int__span_text(p, i, len)),
                        "value of another thing");
}

/* Is metric mt a plain count of the rows of the value's dataset (no filter
 * of its own)? */
static int counts_value_rows(parser *p, const dp_metric *mt, const dp_lex_entry *val)
{
    const dp_measure *me =
        mt->type == DP_METRIC_SIMPLE && !mt->filter && mt->measure.name ? dp_kg_measure(p->kg, mt->measure.name) : NULL;
    return me && val->model && me->model == val->model && counts_rows(me);
}

/* "yield for in-state admits": is mt the denominator of a ratio already
 * read (its rows are the ratio's, no second metric)? */
static int denominator_read(parser *p, const dp_metric *mt)
{
    for (size_t k = 0; k < p->in->nmetrics; k++) {
        const dp_metric *r = p->in->metrics[k];
        if (r != mt && r->type == DP_METRIC_RATIO && r->denominator.name && !r->denominator.filter &&
            !strcmp(r->denominator.name, mt->name))
            return 1;
    }
    return 0;
}

/* "criticality A machines", "grade B": a one-letter value (no phrase of its
 * own: "a" is an article elsewhere) written as a capital right after its
 * column's name is that column's filter; 1 when read so. */
static int letter_value_next(parser *p, size_t j, const dp_target *t)
{
    if (j >= p->n || p->used[j] || t->ndims != 1 || strlen(p->t[j].raw) != 1 ||
        !isupper((unsigned char)p->t[j].raw[0]) || p->in->nfilters >= DP_INTENT_MAX_ITEMS)
        return 0;
    const dp_column *c = t->dims[0]->column;
    int held = 0;
    for (size_t k = 0; c && k < c->prof.ntop && !held; k++)
        held = !strcmp(c->prof.top_values[k], p->t[j].raw);
    if (!held)
        return 0;
    dp_filter f = {0};
    f.target = *t;
    f.values[0] = p->t[j].raw;
    f.nvalues = 1;
    f.phrase = dp_int__span_text(p, j, 1);
    p->in->filters[p->in->nfilters++] = f;
    dp_int__note(p, f.phrase, "filter",
                 dp_arena_printf(p->a, "%s.%s = %s", t->dim_models[0]->name, t->dims[0]->name, f.values[0]),
                 "profile value after its column", 0.95);
    dp_int__mark(p, j, 1, U_MATCH);
    return 1;
}

/* Past the values of val's column that follow token j ("billing outage
 * cases": "outage" after "billing"): the token after them. */
static size_t values_after(parser *p, size_t j, const dp_lex_entry *val)
{
    for (int steps = 0; j < p->n && steps < 4; steps++) {
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32), len = 0;
        for (size_t k = 0; k < nm && !len; k++)
            if (m[k].e->kind == DP_LEX_VALUE && m[k].e->dim == val->dim)
                len = m[k].len;
        if (!len)
            break;
        j += len;
    }
    return j;
}

/* Tokens from i written as one code with '-' or '_' between them and no
 * space ("OSL-TOS", "EU-WEST-1"), capitals or digits in each part: how
 * many, else 0. */
static size_t glued_code(const parser *p, size_t i)
{
    const char *r = p->in->request;
    size_t j = i;
    while (j + 1 < p->n && p->t[j].end + 1 == p->t[j + 1].start && (r[p->t[j].end] == '-' || r[p->t[j].end] == '_') &&
           !p->t[j + 1].punct)
        j++;
    if (j == i)
        return 0;
    for (size_t k = i; k <= j; k++)
        if (!p->t[k].is_upper && !p->t[k].is_num)
            return 0;
    return j - i + 1;
}

/* A word of change over time, after which "in" names what changed
 * ("growth in data usage"), not where. */
static int change_word(const char *w)
{
    static const char *const words[] = {"growth",    "change", "changes", "increase", "increases", "decrease",
                                        "decreases", "drop",   "rise",    "decline",  "uplift",    NULL};
    for (int k = 0; words[k]; k++)
        if (!strcmp(w, words[k]))
            return 1;
    return 0;
}

/* Do the words i..i+len say yes/no column d's own words ("award" of
 * is_award), so that the glossary phrase holding them means it true? */
static int says_column(parser *p, size_t i, size_t len, const dp_dimension *d)
{
    const char *n = d->name;
    n += !strncmp(n, "is_", 3) ? 3 : !strncmp(n, "has_", 4) ? 4 : 0;
    while (*n) {
        size_t wl = strcspn(n, "_");
        int found = 0;
        for (size_t k = i; k < i + len && !found; k++)
            found = (strlen(p->t[k].low) == wl && !strncmp(p->t[k].low, n, wl)) ||
                    (strlen(p->t[k].stem) <= wl && strlen(p->t[k].stem) >= 3 &&
                     !strncmp(p->t[k].stem, n, strlen(p->t[k].stem)));
        if (!found && wl > 2)
            return 0;
        n += wl;
        n += *n == '_';
    }
    return 1;
}

/* A word or mark that joins the items of a list (',', '&', and, vs). */
static int list_joint(const dp_tok *t)
{
    return t->punct == ',' || t->punct == '&' || !strcmp(t->low, "and") || !strcmp(t->low, "vs") ||
           !strcmp(t->low, "versus");
}

/* Is the phrase at i..i+len an item of a list with a metric phrase right
 * beside it ("claims and CAT claims", "revenue, orders")? */
static int listed_beside_metric(parser *p, size_t i, size_t len)
{
    dp_lex_match m[32];
    size_t j = i + len;
    if (j + 1 < p->n && list_joint(&p->t[j])) {
        size_t nm = dp_int__match(p, j + 1, m, 32);
        for (size_t k = 0; k < nm; k++)
            if (m[k].e->kind == DP_LEX_METRIC && m[k].len == m[0].len)
                return 1;
    }
    if (i < 2 || !list_joint(&p->t[i - 1]))
        return 0;
    /* the item before: placed words, one of them a metric ("CAT claims") */
    for (size_t s = i - 1; s-- > 0 && i - 1 - s <= 4 && p->used[s] == U_MATCH;) {
        size_t nm = dp_int__match(p, s, m, 32);
        for (size_t k = 0; k < nm; k++)
            if (m[k].e->kind == DP_LEX_METRIC && s + m[k].len <= i - 1)
                return 1;
    }
    return 0;
}

/* The one plain count of entity (a simple metric with no filter counting
 * the key of the entity's home dataset), else NULL. */
const dp_metric *dp_int__entity_count(parser *p, const char *entity)
{
    const dp_model *home = dp_kg_entity_home(p->kg, entity);
    const dp_metric *found = NULL;
    for (size_t k = 0; home && k < p->kg->nmetrics; k++) {
        const dp_metric *m = &p->kg->metrics[k];
        const dp_measure *me = m->type == DP_METRIC_SIMPLE && !m->filter && !m->measure.filter && !m->off.reason
                                   ? dp_kg_measure(p->kg, m->measure.name)
                                   : NULL;
        if (!me || me->model != home || (me->agg != DP_AGG_COUNT && me->agg != DP_AGG_COUNT_DISTINCT))
            continue;
        const dp_entity *e = dp_kg_model_entity(home, entity);
        if (!e || !e->expr || !me->expr || strcmp(e->expr, me->expr))
            continue;
        if (found)
            return NULL; /* two counts of it: which one the words do not say */
        found = m;
    }
    return found;
}


/* "DAU" for the glossary's Daily Active Users over a count of distinct
 * players: a count of distinct things per day is the daily one only by
 * day, so the name's grain is the report's (recorded for dp_intent_parse
 * to apply or to ask about beside another grain). Only daily, weekly and
 * monthly, and only for distinct counts and windows: "Monthly Recurring
 * Revenue" sums, and its name says how it is normalised, not how it is
 * reported. */
static void names_grain(parser *p, const dp_lex_match *mm, const char *phrase)
{
    const dp_metric *m = mm->e->metric;
    const char *text = mm->e->term ? mm->e->term->name : !strcmp(mm->e->source, "label") ? m->label : NULL;
    const dp_measure *me = m->measure.name ? dp_kg_measure(p->kg, m->measure.name) : NULL;
    int distinct = (m->type == DP_METRIC_SIMPLE && me && me->agg == DP_AGG_COUNT_DISTINCT) ||
                   (m->type == DP_METRIC_CUMULATIVE && m->window);
    if (!text || !distinct || p->named_grain != DP_GRAIN_NONE)
        return;
    char w[32];
    for (const char *q = text; *q;) {
        size_t l = strcspn(q, " -_/()");
        if (l && l < sizeof(w)) {
            for (size_t k = 0; k < l; k++)
                w[k] = (char)tolower((unsigned char)q[k]);
            w[l] = 0;
            int adj = 0;
            dp_grain g = dp_grain_word(w, &adj);
            if (adj && (g == DP_GRAIN_DAY || g == DP_GRAIN_WEEK || g == DP_GRAIN_MONTH)) {
                p->named_grain = g;
                p->named_grain_phrase = phrase;
                return;
            }
        }
        q += l;
        q += *q != 0;
    }
}

/* Are all the metric readings of the first len words from a source that
 * begins with src (n characters compared: "description list" with its
 * terminator, a list of parts; "description " any parenthesised text)? */
static int metric_only_from(const dp_lex_match *m, size_t nm, size_t len, const char *src, size_t n)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].len == len && m[k].e->kind == DP_LEX_METRIC && strncmp(m[k].e->source, src, n))
            return 0;
    return 1;
}

/* A metric said in the request, and the words that said it of only some
 * rows ("billing tickets"), NULL when said of all. */
typedef struct {
    const dp_metric *metric;
    const char *valued;
} mention;

/* Records that metric mm is said at i (right after a value of some of its
 * rows when now_valued); when it was said before and only one of the two
 * mentions is of some rows ("tickets and billing tickets"), the request
 * asks for the metric twice with different rows, which one column cannot
 * hold: asked, and 1 returned. */
static int said_twice(parser *p, mention *said, size_t *nsaid, const dp_lex_match *mm, int now_valued, size_t i,
                      size_t len)
{
    size_t from = i; /* a valued mention starts at its values */
    while (now_valued && from > 0 && i - from < 3 && p->used[from - 1] == U_MATCH)
        from--;
    const char *valued = now_valued ? dp_int__span_text(p, from, i + len - from) : NULL;
    for (size_t k = 0; k < *nsaid; k++)
        if (said[k].metric == mm->e->metric) {
            if (!said[k].valued == !valued)
                return 0;
            dp_int__add_missing(p, valued ? valued : said[k].valued, "metric twice");
            dp_int__mark(p, i, len, U_MATCH);
            return 1;
        }
    if (*nsaid < 8)
        said[(*nsaid)++] = (mention){mm->e->metric, valued};
    return 0;
}

void dp_int__parse_phrases(parser *p)
{
    int mode = MODE_NONE, fresh = 0, after_of = 0, after_with = 0, per = 0, each = 0;
    const dp_lex_entry *vals[4]; /* the values just read ("express parcel"), any may be qualified */
    size_t nvals = 0;
    mention said[8]; /* each metric said so far */
    size_t nsaid = 0;
    for (size_t i = 0; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        int was_fresh = fresh;
        fresh = 0;
        if (p->used[i] == U_PATTERN) {
            if (t->punct != ',')
                mode = MODE_NONE;
            continue;
        }
        if (p->used[i] == U_MATCH || p->used[i] == U_NOISE) /* placed already, or framing */
            continue;
        if (t->punct) {
            if (t->punct != ',' && t->punct != '&' && t->punct != '/')
                mode = MODE_NONE;
            continue;
        }
        size_t ml;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, i, m, 32);
        if (p->kgq)
            (*p->kgq)++;
        size_t glued = glued_code(p, i);
        if (glued && (!nm || m[0].len < glued)) {
            /* "OSL-TOS", a route's key: one code, not the airport OSL then
             * TOS; left whole to the key lookup */
            i += glued - 1;
            continue;
        }
        /* grammar words win over catalog phrases only when nothing longer matched */
        if (dp_int__is_group_marker(p, i, &ml) && (!nm || m[0].len <= ml)) {
            mode = MODE_GROUP;
            fresh = 1;
            per = !strcmp(t->low, "per");
            /* "in each category", "for every region", "per month": one
             * group each, never an attribute beside the ranked thing */
            each = per || !strcmp(t->low, "each") || !strcmp(t->low, "every") || !strcmp(t->low, "for") ||
                   !strcmp(t->low, "within");
            dp_int__mark(p, i, ml, U_PATTERN);
            i += ml - 1;
            continue;
        }
        /* qualifier right after a value: "express shipments", "the app
         * channel" (a word of the dimension's name, no phrase of its own) */
        const dp_lex_entry *last_value = NULL;
        size_t ql = 0;
        for (size_t v = nvals; v-- > 0 && !ql && i > 0 && p->used[i - 1] == U_MATCH;)
            if ((ql = dp_int__qualifier_len(p, i, vals[v])))
                last_value = vals[v];
        /* "German carriers": the value is also a carrier's home country, one
         * of the other columns holding it */
        if (!ql && nvals && i > 0 && p->used[i - 1] == U_MATCH && p->in->nfilters) {
            const dp_target *ft = &p->in->filters[p->in->nfilters - 1].target;
            for (size_t d = 0; d < ft->ndims && !ql; d++) {
                dp_lex_entry *alt = dp_arena_alloc(p->a, sizeof(*alt));
                if (!alt)
                    break;
                *alt = *vals[nvals - 1];
                alt->dim = ft->dims[d];
                alt->model = ft->dim_models[d];
                if ((ql = dp_int__qualifier_len(p, i, alt)))
                    last_value = alt;
            }
        }
        /* "plumbing maintenance cost", "new leases signed": the words after
         * the value begin a longer metric phrase, which they are */
        if (last_value && nm && m[0].len > ql && dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len))
            last_value = NULL;
        if (last_value) {
            {
                size_t q = ql;
                dp_int__mark(p, i, q, U_MATCH);
                if (p->nquals < 8) {
                    p->qual_at[p->nquals] = i;
                    p->qual_len[p->nquals++] = q;
                }
                dp_int__note(p, dp_int__span_text(p, i, q), "qualifier", last_value->dim->name, "context", 1.0);
                narrow_to_named(p, i, last_value); /* "Spanish warehouses": the warehouses' country */
                narrow_to_column(p, i, q, last_value); /* "the enterprise segment": the segment's */
                i += q - 1;
                nvals = 0;
                continue;
            }
        }
        /* "for the engineering division" where Engineering is a department
         * and division another column of its dataset: the value called by
         * a column that does not hold it is asked about, not grouped by */
        if (nvals && i > 0 && p->used[i - 1] == U_MATCH && !column_agrees(p, vals[nvals - 1], m, nm, i)) {
            nvals = 0;
            i += m[0].len - 1;
            continue;
        }
        size_t kept_vals = nvals;
        nvals = 0;
        if (!nm) {
            if (dp_int__is_filter_marker(t->low) && (mode != MODE_GROUP || dp_int__ends_grouping(t->low))) {
                mode = MODE_FILTER;
                /* "total of clicks": what follows is measured; "satisfaction
                 * of escalated tickets", "on-time performance of flights"
                 * (the generic word is the metric's own): whose */
                after_with = !strcmp(t->low, "with"); /* "a report with OTD, cost": what it holds */
                after_of =
                    (!strcmp(t->low, "of") &&
                     (i == 0 || (p->used[i - 1] != U_MATCH &&
                                 (generic_word(p->t[i - 1].low) || dp_int__is_noise(p->t[i - 1].low))))) ||
                    (!strcmp(t->low, "in") && i > 0 && change_word(p->t[i - 1].low)); /* "growth in data usage" */
            }
            else if (!strcmp(t->low, "and") || !strcmp(t->low, "or") || dp_is_stopword(t->low))
                ;
            else if (!dp_int__is_noise(t->low))
                mode = mode == MODE_GROUP ? MODE_GROUP : MODE_NONE;
            continue;
        }
        size_t len = split_qualified(p, i, m, nm, mode == MODE_GROUP);
        int metric = dp_int__has_kind(m, nm, DP_LEX_METRIC, len);
        int dim = dp_int__has_kind(m, nm, DP_LEX_DIM, len);
        int ent = dp_int__has_kind(m, nm, DP_LEX_ENTITY, len);
        int val = dp_int__has_kind(m, nm, DP_LEX_VALUE, len);
        int model = dp_int__has_kind(m, nm, DP_LEX_MODEL, len);
        /* "for urgent tickets": after a filter word, a metric phrase that is
         * a value and its qualifier ("urgent" + "tickets") is the user's
         * filter, not a metric that carries the same filter */
        if (metric && !val && mode == MODE_FILTER && !after_of)
            for (size_t q = 0; q < nm; q++)
                if (m[q].e->kind == DP_LEX_VALUE && m[q].len < len &&
                    dp_int__qualifier_len(p, i + m[q].len, m[q].e) == len - m[q].len) {
                    len = m[q].len;
                    metric = dim = ent = model = 0;
                    val = 1;
                    break;
                }
        /* a value is a filter after a filter word or before its qualifier;
         * otherwise a metric of the same words wins ("hires and leavers") */
        /* "parking revenue" where total revenue is "All charges (room, spa,
         * parking)": a list in a description that the data holds as values
         * enumerates parts of the metric, it does not name it */
        if (val && metric && metric_only_from(m, nm, len, "description list", sizeof("description list")))
            metric = 0;
        /* "how many drivers" where a rate's description says "(by riders or
         * drivers)": the entity, not the rate */
        if (metric && (ent || dim || model) && metric_only_from(m, nm, len, "description ", 12))
            metric = 0;
        if (val && metric) {
            const dp_lex_match *vm = dp_int__first_of(m, nm, DP_LEX_VALUE, len);
            if (!((mode == MODE_FILTER && !after_of) || (mode == MODE_VALUE && dp_int__prev_is_join(p, i)) ||
                  dp_int__qualifier_len(p, values_after(p, i + len, vm->e), vm->e) ||
                  own_value_beside(p, i, len, vm, dp_int__first_of(m, nm, DP_LEX_METRIC, len))))
                val = 0;
        }
        /* "region of carrier": the entity or dataset after "of" says
         * whose region, it is no second grouping */
        size_t of = i;
        while (of > 0 && (!strcmp(p->t[of - 1].low, "the") || !strcmp(p->t[of - 1].low, "a") ||
                          !strcmp(p->t[of - 1].low, "an") || !strcmp(p->t[of - 1].low, "their") ||
                          !strcmp(p->t[of - 1].low, "its")))
            of--;
        if (mode == MODE_GROUP && (ent || model) && of > 0 && !strcmp(p->t[of - 1].low, "of") && p->in->ngroups &&
            of_qualifies(p, m, nm, i, len)) {
            dp_int__mark(p, i, len, U_MATCH);
            i += len - 1;
            continue;
        }
        /* "top 3 carriers by shipments": right after the ranked thing, "by"
         * names what it is ranked by, a metric when the words can be one */
        if (mode == MODE_GROUP && metric && (dim || ent) && p->in->limit > 0 && i > 0 && p->rank_to == i - 1)
            dim = ent = 0;
        /* "for each employee, absences, salary": after the first item of a
         * grouping, a metric phrase is a metric again */
        if (mode == MODE_GROUP && metric && !was_fresh && (dim || ent) &&
            (i == 0 || p->t[i - 1].punct == ','))
            dim = ent = 0;
        /* "caused by storms": the value after "by" is the participle's agent */
        size_t agent = val && mode == MODE_GROUP ? agent_verb(p, i, dp_int__first_of(m, nm, DP_LEX_VALUE, len)) : 0;
        if (mode == MODE_GROUP && (dim || ent) && !(metric && !was_fresh && p->t[i - 1].punct == ',')) {
            dp_target tg;
            dp_int__target_from(&tg, m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            tg.phrase = dp_int__span_text(p, i, len);
            tg.each = each;
            dp_int__add_group(p, &tg);
            p->other_groups += !per;
            if (!dim && per && was_fresh && !p->per_entity)
                p->per_entity = tg.phrase; /* "units sold per order" */
            const dp_lex_match *mm = dp_int__first_of(m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            dp_int__note(p, tg.phrase, dim ? "dimension" : "entity", target_name(p, mm->e), mm->e->source,
                         mm->fuzzy ? 0.8 : mm->e->conf);
        } else if (val && participle(p, i, len, dp_int__first_of(m, nm, DP_LEX_VALUE, len))) {
            /* "tickets opened by ...": the verb, not status = 'open'; left
             * for the date and verb passes, else asked */
            continue;
        } else if (val && mode == MODE_GROUP && by_value(p, i, len, dp_int__first_of(m, nm, DP_LEX_VALUE, len)) &&
                   !agent) {
            /* "revenue by store": a value right after "by" is no column to
             * group by, and keeping only it would be a guess: asked */
            dp_int__add_missing(p, dp_int__span_text(p, i, len), "grouping by a value");
            dp_int__mark(p, i, len, U_MATCH);
            i += len - 1;
        } else if (val) {
            const dp_lex_match *vm = dp_int__first_of(m, nm, DP_LEX_VALUE, len);
            if (agent) {
                unread_group(p, dp_int__span_text(p, agent, 1));
                dp_int__mark(p, agent, 1, U_PATTERN);
                dp_int__note(p, p->t[agent].raw, "verb", vm->e->dim->name, "the value's column", 1.0);
            }
            dp_int__add_filter_value(p, m, nm, i, len, dp_int__prev_is_join(p, i));
            dp_int__note(p, dp_int__span_text(p, i, len), "filter", target_name(p, vm->e), "profile value",
                         vm->e->conf);
            nvals = kept_vals < 4 && i > 0 && p->used[i - 1] == U_MATCH ? kept_vals : 0;
            vals[nvals++] = vm->e;
            by_direction(p, i, len, vm->e);
            /* "warehouses in Germany", "carriers from Spain": the entity before
             * the preposition says whose value it is */
            size_t b = i;
            while (b > 0 && (!strcmp(p->t[b - 1].low, "the") || !strcmp(p->t[b - 1].low, "in") ||
                             !strcmp(p->t[b - 1].low, "from") || !strcmp(p->t[b - 1].low, "of") ||
                             !strcmp(p->t[b - 1].low, "at") || !strcmp(p->t[b - 1].low, "based")))
                b--;
            if (b < i && b > 0 && p->used[b - 1] == U_MATCH && !dp_int__qualifier_len(p, i + len, vm->e))
                for (size_t s = b; s-- > 0 && b - s <= 4 && p->used[s] == U_MATCH;) {
                    dp_lex_match q[32];
                    size_t nq = dp_int__match(p, s, q, 32);
                    if (nq && s + q[0].len == b && (dp_int__has_kind(q, nq, DP_LEX_ENTITY, q[0].len) ||
                                                    dp_int__has_kind(q, nq, DP_LEX_MODEL, q[0].len))) {
                        narrow_to_named(p, s, vm->e);
                        break;
                    }
                }
            mode = MODE_VALUE; /* a list of values may go on: "search, social and display" */
        } else if (metric && said_twice(p, said, &nsaid, dp_int__first_of(m, nm, DP_LEX_METRIC, len),
                                        kept_vals && i > 0 && p->used[i - 1] == U_MATCH, i, len)) {
            /* "tickets and billing tickets": one metric said twice, once of
             * some rows: the filter is of one column only, asked */
        } else if (metric && p->in->nmetrics && kept_vals && i > 0 && p->used[i - 1] == U_MATCH &&
                   (counts_value_rows(p, dp_int__first_of(m, nm, DP_LEX_METRIC, len)->e->metric, vals[kept_vals - 1]) ||
                    denominator_read(p, dp_int__first_of(m, nm, DP_LEX_METRIC, len)->e->metric))) {
            /* "average days to close emergency work orders": after another
             * metric, the count of the value's rows right after the value
             * names whose rows they are, no second metric */
            const dp_lex_match *mm = dp_int__first_of(m, nm, DP_LEX_METRIC, len);
            dp_int__note(p, dp_int__span_text(p, i, len), "context", mm->e->metric->name, "the rows the value is of",
                         1.0);
            if (!denominator_read(p, mm->e->metric))
                add_context(p, vals[kept_vals - 1]->model->name, dp_int__span_text(p, i, len), NULL);
        } else if (metric) {
            const dp_lex_match *mm = dp_int__first_of(m, nm, DP_LEX_METRIC, len);
            /* "absences for sick leave": after a filter word, a metric that
             * only counts some rows may be the user's filter; settled once
             * every metric is known (dp_int__settle_filter_metrics) */
            if (mode == MODE_FILTER && !after_of && !after_with && p->nfm < sizeof(p->fm) / sizeof(*p->fm))
                p->fm[p->nfm++] = (dp_fm){mm->e->metric, i, len, 0};
            /* "customers affected by unplanned outages": the agent of a
             * participle after another metric says which rows */
            else if (mode == MODE_GROUP && p->in->nmetrics && i >= 2 && !strcmp(p->t[i - 1].low, "by") &&
                     dp_int__past_participle(p->t[i - 2].low) && p->nfm < sizeof(p->fm) / sizeof(*p->fm))
                p->fm[p->nfm++] = (dp_fm){mm->e->metric, i, len, 1};
            dp_int__add_metric(p, mm->e->metric, i);
            dp_int__note(p, dp_int__span_text(p, i, len), "metric", mm->e->metric->name, mm->e->source,
                         mm->fuzzy ? 0.8 : mm->e->conf);
            names_grain(p, mm, dp_int__span_text(p, i, len));
            mode = MODE_NONE;
        } else if (dim || ent) {
            /* "GMV from suppliers in Italy" where Supplier also labels the
             * supplier's name: after a filter word the entity's word is the
             * subject, not a grouping */
            if (dim && ent && mode == MODE_FILTER)
                dim = 0;
            /* a dimension named outside a grouping phrase ("OTD by carrier" has
             * "by"; "carrier OTD" has not): still a grouping */
            dp_target tg;
            dp_int__target_from(&tg, m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            tg.phrase = dp_int__span_text(p, i, len);
            const dp_lex_match *mm = dp_int__first_of(m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            const dp_dimension *flag = dim && tg.ndims == 1 ? tg.dims[0] : NULL;
            const char *yes = flag ? dp_kg_flag_true(flag->column) : NULL;
            if (yes && mm->e->term && !says_column(p, i, len, flag)) {
                /* "non-residents", a glossary term for a yes/no column:
                 * which of its values the term means the words do not say */
                dp_int__add_missing(p, tg.phrase, "value of a term");
            } else if (yes && p->in->nfilters < DP_INTENT_MAX_ITEMS) {
                /* "approved absences": a true/false (or 0/1) dimension said
                 * as an adjective keeps the rows where it is true */
                dp_filter f = {0};
                f.target = tg;
                f.values[0] = yes;
                f.nvalues = 1;
                f.phrase = tg.phrase;
                size_t cue = dp_int__negation_before(p, i);
                if (cue == i && i > 0 && !p->used[i - 1] && !strcmp(p->t[i - 1].low, "non"))
                    cue = i - 1; /* "non-renewed": true/false has no third reading */
                if (cue < i) {
                    /* "excluding renewed loans": every row where it is not
                     * true; "providers not accepting new patients": of the
                     * rows that have a provider */
                    f.negate = 1;
                    f.matched = dp_int__negation_is_not(p, cue);
                    f.phrase = dp_int__span_text(p, cue, i + len - cue);
                    dp_int__mark(p, cue, i - cue, U_PATTERN);
                }
                p->in->filters[p->in->nfilters++] = f;
                dp_int__note(
                    p, tg.phrase, "filter",
                    dp_arena_printf(p->a, "%s %s %s", target_name(p, mm->e), f.negate ? "!=" : "=", f.values[0]),
                    "true/false dimension", 1.0);
            } else if (dim && letter_value_next(p, i + len, &tg)) {
                /* "criticality A machines": read there */
            } else if (dim && names_value_next(p, i + len, &tg)) {
                /* "whose objective is awareness", "with status done": the
                 * dimension says what the value after it is, no grouping */
                dp_int__note(p, tg.phrase, "qualifier", target_name(p, mm->e), "the value after it", 1.0);
                /* "whose status is returned": the value, not the metric of
                 * the same word, and of that column */
                mode = MODE_FILTER;
                after_of = 0;
                p->nnamed = 0;
                for (size_t d = 0; d < tg.ndims && d < 8; d++)
                    p->named_dims[p->nnamed++] = tg.dims[d];
                p->named_at = i + len;
            } else if (dim) {
                dp_int__add_group(p, &tg);
                p->other_groups++;
                dp_int__note(p, tg.phrase, "dimension", target_name(p, mm->e), mm->e->source,
                             mm->fuzzy ? 0.8 : mm->e->conf);
            } else if (listed_beside_metric(p, i, len) && dp_int__entity_count(p, tg.entity)) {
                /* "claims and CAT claims by quarter": an entity listed with
                 * a metric is its one plain count */
                const dp_metric *cm = dp_int__entity_count(p, tg.entity);
                dp_int__add_metric(p, cm, i);
                dp_int__note(p, tg.phrase, "metric", cm->name, "the count of the entity, listed beside a metric", 0.9);
            } else {
                /* an entity word alone names the subject, not a grouping */
                dp_int__note(p, tg.phrase, "context", tg.entity, mm->e->source, mm->e->conf);
                add_context(p, mm->e->model->name, tg.phrase, tg.entity);
                if (kept_vals && i > 0 && p->used[i - 1] == U_MATCH)
                    value_of_other(p, i, len, vals[kept_vals - 1], tg.entity);
            }
        } else if (model) {
            const dp_lex_match *mm = dp_int__first_of(m, nm, DP_LEX_MODEL, len);
            dp_int__note(p, dp_int__span_text(p, i, len), "context", mm->e->model->name, "dataset name", mm->e->conf);
            add_context(p, mm->e->model->name, dp_int__span_text(p, i, len), NULL);
        }
        dp_int__mark(p, i, len, U_MATCH);
        i += len - 1;
    }
}

/* The time dimension a simple metric's rows are counted on, else NULL. */
static const char *metric_time(parser *p, const dp_metric *m)
{
    const dp_measure *me =
        m && m->type == DP_METRIC_SIMPLE && m->measure.name ? dp_kg_measure(p->kg, m->measure.name) : NULL;
    return me ? me->agg_time_dimension : NULL;
}

/* "work orders completed per week" where the catalog has Completed Work
 * Orders (counted on the completion day): a metric phrase and the value
 * word beside it, read as the metric of those rows, are together the words
 * of another metric in another order, which they are. */
void dp_int__read_reordered(parser *p)
{
    dp_intent *in = p->in;
    /* only where the date matters: "shipments delivered to Germany" keeps
     * the status as written */
    if (in->grain == DP_GRAIN_NONE && !in->range_start)
        return;
    const size_t *idx;
    size_t ne = dp_lexicon_multiword_metrics(p->kg->lex, &idx);
    for (size_t k = 0; k < ne && in->nfilters; k++) {
        const dp_lex_entry *e = dp_lexicon_entry(p->kg->lex, idx[k]);
        if (e->kind != DP_LEX_METRIC || e->ntok < 2 || e->ntok > 4 || e->case_sensitive)
            continue;
        for (size_t i = 0; i + e->ntok <= p->n; i++) {
            int all = 1, in_order = 1;
            unsigned hit = 0;
            for (size_t q = i; q < i + e->ntok && all; q++) {
                all = p->used[q] == U_MATCH && !p->t[q].punct;
                in_order &= !strcmp(p->t[q].stem, e->stems[q - i]);
                int found = 0;
                for (size_t w = 0; w < e->ntok && !found && all; w++)
                    if (!(hit & (1u << w)) && !strcmp(p->t[q].stem, e->stems[w]))
                        hit |= 1u << w, found = 1;
                all &= found;
            }
            if (!all || in_order)
                continue;
            /* one metric and one value filter read in these words, nothing else */
            const char *span = dp_int__span_text(p, i, e->ntok);
            const char *metric = NULL;
            size_t nmet = 0, filt = SIZE_MAX, nfilt = 0;
            for (size_t q = 0; q < in->nnotes; q++)
                if (!strcmp(in->notes[q].kind, "metric") && strstr(span, in->notes[q].text))
                    metric = in->notes[q].target, nmet++;
            for (size_t f = 0; f < in->nfilters; f++)
                if (in->filters[f].phrase && in->filters[f].nvalues == 1 && !in->filters[f].negate &&
                    strstr(span, in->filters[f].phrase))
                    filt = f, nfilt++;
            /* "shipments delivered in June": the words are the thing's own
             * date already (a range of its delivery date) */
            int dated = 0;
            for (size_t f = 0; f < in->nfilters; f++)
                dated |= in->filters[f].range_start && in->filters[f].phrase && strstr(in->filters[f].phrase, span);
            const char *t1 = metric ? metric_time(p, dp_kg_metric(p->kg, metric)) : NULL,
                       *t2 = metric_time(p, e->metric);
            if (nmet != 1 || nfilt != 1 || !metric || !strcmp(metric, e->metric->name) || dated || !t1 || !t2 ||
                !strcmp(t1, t2))
                continue;
            dp_int__drop_metric(p, metric, NULL);
            memmove(&in->filters[filt], &in->filters[filt + 1], (in->nfilters - filt - 1) * sizeof(*in->filters));
            in->nfilters--;
            for (size_t q = 0; q < in->nnotes; q++)
                if ((!strcmp(in->notes[q].kind, "metric") || !strcmp(in->notes[q].kind, "filter")) &&
                    strstr(span, in->notes[q].text))
                    in->notes[q].kind = "part of a metric";
            dp_int__add_metric(p, e->metric, i);
            dp_int__note(p, span, "metric", e->metric->name, "words of its name in another order", 0.85);
            break;
        }
    }
}

/* "which products sold the most units": a metric phrase whose words all
 * appear, unplaced and close together, in another order ("units sold"). */
void dp_int__parse_reordered(parser *p)
{
    size_t nfree = 0;
    for (size_t i = 0; i < p->n; i++)
        nfree += !p->used[i] && !p->t[i].punct && !dp_is_stopword(p->t[i].low);
    const size_t *idx;
    size_t ne = dp_lexicon_multiword_metrics(p->kg->lex, &idx);
    for (size_t k = 0; k < ne && nfree >= 2; k++) {
        const dp_lex_entry *e = dp_lexicon_entry(p->kg->lex, idx[k]);
        if (e->kind != DP_LEX_METRIC || e->ntok < 2 || e->ntok > 4 || e->case_sensitive)
            continue;
        size_t at[4], lo = SIZE_MAX, hi = 0, found = 0;
        for (size_t w = 0; w < e->ntok; w++) {
            at[w] = SIZE_MAX;
            for (size_t i = 0; i < p->n && at[w] == SIZE_MAX; i++) {
                int taken = 0;
                for (size_t v = 0; v < w; v++)
                    taken |= at[v] == i;
                if (!taken && !p->used[i] && !p->t[i].punct && !strcmp(p->t[i].stem, e->stems[w]))
                    at[w] = i;
            }
            if (at[w] == SIZE_MAX)
                break;
            found++;
            lo = at[w] < lo ? at[w] : lo;
            hi = at[w] > hi ? at[w] : hi;
        }
        if (found != e->ntok || hi - lo > e->ntok + 2)
            continue;
        int contiguous_in_order = hi - lo + 1 == e->ntok;
        for (size_t w = 1; w < e->ntok && contiguous_in_order; w++)
            contiguous_in_order = at[w] == at[w - 1] + 1;
        if (contiguous_in_order)
            continue; /* the phrase itself: dp_int__parse_phrases would have taken it */
        dp_int__add_metric(p, e->metric, lo);
        for (size_t w = 0; w < e->ntok; w++)
            dp_int__mark(p, at[w], 1, U_MATCH);
        dp_int__note(p, dp_int__span_text(p, lo, hi - lo + 1), "metric", e->metric->name,
                     "words of its name in another order", 0.8);
    }
}

/* The condition of metric m as a filter: "{{ Dimension('e__d') }} = 'v'"
 * (one equality), or a measure that sums a true/false column (the rows
 * where it is true). 0 when it has none that simple. */
static int metric_condition(parser *p, const dp_metric *m, dp_filter *f)
{
    memset(f, 0, sizeof(*f));
    if (m->type != DP_METRIC_SIMPLE)
        return 0;
    const char *txt = m->filter;
    if (txt) {
        char ent[128], dim[128], val[128];
        const char *q = strstr(txt, "Dimension(");
        const char *end = q ? strstr(q, "}}") : NULL;
        if (!q || strstr(txt, " and ") || strstr(txt, " AND ") || strstr(txt, " or ") || strstr(txt, " OR ") ||
            strstr(end ? end + 2 : txt, "{{"))
            return 0;
        q += strlen("Dimension(");
        while (*q == ' ' || *q == '\'' || *q == '"')
            q++;
        const char *sep = strstr(q, "__"), *qe = strpbrk(q, "'\"");
        if (!sep || !qe || sep > qe || (size_t)(sep - q) >= sizeof(ent) || (size_t)(qe - sep - 2) >= sizeof(dim) || !end)
            return 0;
        snprintf(ent, sizeof(ent), "%.*s", (int)(sep - q), q);
        snprintf(dim, sizeof(dim), "%.*s", (int)(qe - sep - 2), sep + 2);
        const char *r = end + 2;
        while (*r == ' ')
            r++;
        if (*r != '=')
            return 0;
        r++;
        while (*r == ' ')
            r++;
        const char *ve;
        if (*r == '\'' && strchr(r + 1, '\'')) {
            ve = strchr(r + 1, '\'');
            if ((size_t)(ve - r - 1) >= sizeof(val))
                return 0;
            snprintf(val, sizeof(val), "%.*s", (int)(ve - r - 1), r + 1);
        } else {
            /* an unquoted literal: "= true", "= 1" */
            size_t vl = strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
            if (!vl || vl >= sizeof(val))
                return 0;
            snprintf(val, sizeof(val), "%.*s", (int)vl, r);
            for (char *z = val; *z; z++)
                *z = (char)tolower((unsigned char)*z);
            char *num_end = NULL;
            (void)strtod(val, &num_end);
            if (strcmp(val, "true") && strcmp(val, "false") && (!num_end || *num_end))
                return 0;
            ve = r + vl - 1;
        }
        for (const char *z = ve + 1; *z; z++)
            if (!isspace((unsigned char)*z))
                return 0;
        const dp_model *home = dp_kg_entity_home(p->kg, ent);
        const dp_dimension *d = home ? dp_kg_model_dim(home, dim) : NULL;
        if (!d)
            return 0;
        f->target.dims[0] = d;
        f->target.dim_models[0] = home;
        f->values[0] = dp_arena_strdup(p->a, val);
    } else {
        const dp_measure *me = dp_kg_measure(p->kg, m->measure.name);
        const dp_column *col = me && me->expr && dp_is_identifier(me->expr) ? dp_kg_model_column(me->model, me->expr) : NULL;
        if (!col || !col->type || strcasecmp(col->type, "BOOLEAN") ||
            (me->agg != DP_AGG_SUM && me->agg != DP_AGG_SUM_BOOLEAN))
            return 0;
        dp_dimension *d = dp_arena_calloc(p->a, 1, sizeof(*d));
        if (!d)
            return 0;
        d->name = col->name;
        d->expr = col->name;
        d->type = DP_DIM_CATEGORICAL;
        d->description = me->description;
        d->column = col;
        f->target.dims[0] = d;
        f->target.dim_models[0] = me->model;
        f->values[0] = "true";
    }
    f->target.ndims = 1;
    f->nvalues = 1;
    return 1;
}

/* Does metric m count only some rows (a filter, or a measure that is a
 * condition: CASE ..., a sum of a true/false column)? */
static int conditional(parser *p, const dp_metric *m)
{
    if (m->filter)
        return 1;
    const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
    return me && (me->agg == DP_AGG_SUM_BOOLEAN || (me->expr && strcasestr(me->expr, "case ")));
}

int dp_int__counted_entity_metric(const parser *p, const dp_metric *m, const char *entity)
{
    const dp_measure *me = m && m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
    if (!me || !me->expr || (me->agg != DP_AGG_COUNT && me->agg != DP_AGG_COUNT_DISTINCT) || m->filter)
        return 0;
    const dp_entity *e = dp_kg_model_entity(me->model, entity);
    return e && e->expr && !strcmp(e->expr, me->expr);
}

const char *dp_int__counted_entity(const parser *p, const dp_lex_match *mm)
{
    const dp_metric *m = mm ? mm->e->metric : NULL;
    const dp_measure *me = m && m->type == DP_METRIC_SIMPLE ? dp_kg_measure(p->kg, m->measure.name) : NULL;
    if (!me || !me->expr || (me->agg != DP_AGG_COUNT && me->agg != DP_AGG_COUNT_DISTINCT) || m->filter)
        return NULL;
    for (size_t k = 0; k < me->model->nentities; k++)
        if (me->model->entities[k].expr && !strcmp(me->model->entities[k].expr, me->expr))
            return me->model->entities[k].name;
    return NULL;
}

/* "borrowers who have unpaid fines", "members with overdue loans": an
 * entity, then "who have"/"with"/"having" and a metric with no amount
 * compared keeps the entities having some of it, which a report of the
 * metric beside them does not say: refused (dpgen does not filter on an
 * amount at another grain yet). */
static void entity_conditions(parser *p)
{
    for (size_t i = 1; i + 1 < p->n; i++) {
        const char *w = p->t[i].low;
        size_t j = i + 1;
        if (!strcmp(w, "who") || !strcmp(w, "that") || !strcmp(w, "which")) {
            if (strcmp(p->t[j].low, "have") && strcmp(p->t[j].low, "has") && strcmp(p->t[j].low, "had"))
                continue;
            j++;
        } else if (strcmp(w, "with") && strcmp(w, "having")) {
            continue;
        }
        while (j < p->n && (!strcmp(p->t[j].low, "some") || !strcmp(p->t[j].low, "any") || dp_is_stopword(p->t[j].low)))
            j++;
        dp_lex_match m[32];
        size_t nm = j < p->n ? dp_int__match(p, j, m, 32) : 0;
        const dp_lex_match *mm = nm ? dp_int__first_of(m, nm, DP_LEX_METRIC, m[0].len) : NULL;
        if (!mm || p->used[j] != U_MATCH)
            continue;
        size_t after = j + mm->len;
        while (after < p->n && dp_is_stopword(p->t[after].low))
            after++;
        int compared = 0;
        for (size_t k = after; k < p->n && k < after + 3 && !compared; k++)
            compared = p->t[k].is_num && dp_int__is_compared(p, k);
        if (compared)
            continue; /* an amount compared: a condition of its own pass */
        int entity_before = 0;
        for (size_t s = i; s-- > 0 && i - s <= 4 && p->used[s] == U_MATCH && !entity_before;) {
            dp_lex_match q[32];
            size_t nq = dp_int__match(p, s, q, 32);
            entity_before = nq && s + q[0].len == i &&
                            (dp_int__has_kind(q, nq, DP_LEX_ENTITY, q[0].len) ||
                             dp_int__counted_entity(p, dp_int__first_of(q, nq, DP_LEX_METRIC, q[0].len)));
        }
        if (entity_before)
            dp_int__add_missing(p, dp_int__span_text(p, i, j + mm->len - i), "entity condition");
    }
}

/* "employees who left by department": the entity's word, "who" or
 * "that", and a verb no pass read, said word for word by the description
 * of one count of that entity or of its measure ("Employees who left the
 * company": leavers), ask for that count. */
static void described_clauses(parser *p)
{
    dp_intent *in = p->in;
    for (size_t i = 1; i + 1 < p->n && in->nmetrics < DP_INTENT_MAX_ITEMS; i++) {
        size_t v = i + 1;
        /* the verb free, or read as the date of a range while nothing is
         * measured ("employees who left in 2024": termination_date) */
        int free_verb = !p->used[v] || (p->used[v] == U_MATCH && !in->nmetrics && read_as_date(in, p->t[v].raw));
        if ((strcmp(p->t[i].low, "who") && strcmp(p->t[i].low, "that")) || p->used[i - 1] != U_MATCH || !free_verb ||
            p->t[v].punct || p->t[v].is_num || dp_is_stopword(p->t[v].low))
            continue;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, i - 1, m, 32);
        const dp_lex_match *em = nm ? dp_int__first_of(m, nm, DP_LEX_ENTITY, 1) : NULL;
        if (!em)
            continue;
        const char *phrase = dp_int__span_text(p, i - 1, v + 1 - (i - 1));
        const dp_metric *hit = NULL;
        int nhit = 0;
        for (size_t k = 0; k < p->kg->nmetrics && nhit < 2; k++) {
            const dp_metric *mt = &p->kg->metrics[k];
            const dp_measure *me =
                mt->type == DP_METRIC_SIMPLE && !mt->filter ? dp_kg_measure(p->kg, mt->measure.name) : NULL;
            if (!me || !dp_kg_model_entity(me->model, em->e->entity->name) ||
                !((mt->description && strcasestr(mt->description, phrase)) ||
                  (me->description && strcasestr(me->description, phrase))))
                continue;
            if (hit != mt)
                nhit++;
            hit = mt;
        }
        if (nhit != 1)
            continue;
        /* "written premium for policies that had a claim": after a filter
         * word, beside another metric, the clause keeps some rows of the
         * other metric, which is no count beside it: asked */
        if (i >= 2 && dp_int__is_filter_marker(p->t[i - 2].low) && in->nmetrics &&
            !(in->nmetrics == 1 && dp_int__counted_entity_metric(p, in->metrics[0], em->e->entity->name))) {
            size_t end = v + 1; /* the clause's object too ("had a claim") */
            while (end < p->n && dp_is_stopword(p->t[end].low))
                end++;
            dp_lex_match q[32];
            size_t nq = end < p->n ? dp_int__match(p, end, q, 32) : 0;
            end = nq ? end + q[0].len : v + 1;
            dp_int__add_missing(p, dp_int__span_text(p, i - 2, end - (i - 2)), "entity condition");
            dp_int__mark(p, v, 1, U_MATCH);
            continue;
        }
        /* the entity's own count before the clause ("number of employees":
         * headcount) goes: the clause says which of them are counted */
        for (size_t s0 = i; s0-- > 0 && i - s0 <= 4 && p->used[s0] == U_MATCH;) {
            dp_lex_match q[32];
            size_t nq = dp_int__match(p, s0, q, 32);
            const dp_lex_match *fm = nq && s0 + q[0].len == i ? dp_int__first_of(q, nq, DP_LEX_METRIC, q[0].len) : NULL;
            const char *counted = dp_int__counted_entity(p, fm);
            if (counted && !strcmp(counted, em->e->entity->name) && dp_int__drop_metric(p, fm->e->metric->name, NULL))
                dp_int__note(p, p->t[i - 1].raw, "context", hit->name, "counted by the clause after it", 1.0);
        }
        dp_int__add_metric(p, hit, v);
        dp_int__note(p, phrase, "metric", hit->name, "the metric's description", 0.9);
        dp_int__mark(p, v, 1, U_MATCH);
    }
}

void dp_int__settle_filter_metrics(parser *p)
{
    dp_intent *in = p->in;
    described_clauses(p);
    entity_conditions(p);
    relative_metrics(p);
    for (size_t k = 0; k < p->nfm && in->nmetrics > 1; k++) {
        const dp_fm *fm = &p->fm[k];
        size_t j = 0;
        while (j < in->nmetrics && in->metrics[j] != fm->metric)
            j++;
        if (j == in->nmetrics || in->order_metric == fm->metric)
            continue;
        int compared = 0; /* "where units sold above 500": a condition, read by its own pass */
        for (size_t q = fm->at + fm->len; q < p->n && q < fm->at + fm->len + 3 && !compared; q++)
            compared = p->t[q].is_num && dp_int__is_compared(p, q);
        if (compared)
            continue;
        dp_filter f;
        const char *phrase = dp_int__span_text(p, fm->at, fm->len);
        int has_condition = metric_condition(p, fm->metric, &f);
        if (!has_condition && fm->agent)
            continue; /* "ranked by cost": the metric it is */
        if (!has_condition) {
            dp_lex_match m[32];
            size_t nm = dp_int__match(p, fm->at, m, 32);
            if (dp_int__has_kind(m, nm, DP_LEX_ENTITY, fm->len)) {
                /* "budget for carriers starting in 2025": the entity the
                 * filters that follow are about, not a count of it */
                dp_int__drop_metric(p, fm->metric->name, NULL);
                for (size_t q = 0; q < in->nnotes; q++)
                    if (!strcmp(in->notes[q].kind, "metric") && !strcmp(in->notes[q].text, phrase))
                        in->notes[q].kind = "context";
            } else {
                /* "average salary of leavers", "cost from new members":
                 * who they are is a condition no simple filter says */
                (void)conditional;
                dp_int__add_missing(p, phrase, "filter or metric");
            }
            continue;
        }
        if (in->nfilters >= DP_INTENT_MAX_ITEMS)
            continue;
        dp_int__drop_metric(p, fm->metric->name, NULL);
        f.phrase = phrase;
        in->filters[in->nfilters++] = f;
        for (size_t q = 0; q < in->nnotes; q++)
            if (!strcmp(in->notes[q].kind, "metric") && !strcmp(in->notes[q].text, phrase)) {
                in->notes[q].kind = "filter";
                in->notes[q].target = dp_arena_printf(p->a, "%s.%s = %s (the condition of %s)", f.target.dim_models[0]->name,
                                                      f.target.dims[0]->name, f.values[0], fm->metric->name);
            }
    }
}

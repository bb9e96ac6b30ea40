/* Values from the data: identifiers and names no catalog phrase placed ("carrier CAR-0400", "member
 * Jane Doe", an id alone like "WH-07") are looked up, through the caller's look-up (the intent stage
 * has no database), in the key and name-like columns of the entity's dataset. Found: a filter on that
 * column; not found: a question back naming the closest stored values. */
#include "intent/intent_int.h"
#include <stdio.h>
#include <string.h>

#define VALUE_MAX_COLUMNS 16 /* columns searched for one phrase */
#define VALUE_MAX_TOKENS 6   /* words of one identifier or name */
#define VALUE_CLOSE 0.8      /* similarity of a value named as closest to an id or name said alone */

/* One column to search: the key of an entity (key set) or a dimension. */
typedef struct vcol {
    const dp_model *model;
    const dp_entity *key;
    const dp_dimension *dim;
    const char *column;
} vcol;

typedef struct vcols {
    vcol c[VALUE_MAX_COLUMNS];
    size_t n;
} vcols;

static int text_type(const char *type)
{
    static const char *kinds[] = {"VARCHAR", "TEXT", "STRING", "CHAR", "ENUM", NULL};
    for (int i = 0; type && kinds[i]; i++)
        if (strstr(type, kinds[i]))
            return 1;
    return 0;
}

/* Does a column or dimension name mark it as naming or coding each row
 * ("person_name", "title", "cost_code", "ref")? Generic English only. */
static int name_like(const char *name)
{
    static const char *words[] = {"name", "label", "title", "code", "id", "identifier", "number", "ref",
                                  "reference", "key", "handle", "username", NULL};
    char w[64];
    for (const char *s = name; s && *s;) {
        size_t l = strcspn(s, "_ .-");
        if (l && l < sizeof(w)) {
            for (size_t k = 0; k < l; k++)
                w[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
            w[l] = 0;
            for (int i = 0; words[i]; i++)
                if (!strcmp(w, words[i]))
                    return 1;
        }
        s += l;
        s += *s != 0;
    }
    return 0;
}

static void add_col(vcols *v, const dp_model *m, const dp_entity *key, const dp_dimension *dim, const char *column)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->c[i].model == m && !strcmp(v->c[i].column, column))
            return;
    if (v->n < VALUE_MAX_COLUMNS)
        v->c[v->n++] = (vcol){m, key, dim, column};
}

/* The key of entity e in model m (a text key only with text_only), then
 * m's name-like text dimensions. */
static void entity_columns(vcols *v, const dp_model *m, const dp_entity *e, int text_only)
{
    const dp_column *kc = e && e->expr ? dp_kg_model_column(m, e->expr) : NULL;
    if (kc && (!text_only || text_type(kc->type)))
        add_col(v, m, e, NULL, e->expr);
    for (size_t k = 0; k < m->ndims; k++) {
        const dp_dimension *d = &m->dims[k];
        const dp_column *c = d->expr ? dp_kg_model_column(m, d->expr) : NULL;
        if (d->type == DP_DIM_CATEGORICAL && c && text_type(c->type) && (name_like(d->name) || name_like(d->expr)))
            add_col(v, m, NULL, d, d->expr);
    }
}

/* Every dataset with a primary entity: its key and name-like columns, text
 * only (what is looked up so has letters; the cap is for columns that can
 * hold it). */
static void all_columns(const parser *p, vcols *v)
{
    for (size_t i = 0; i < p->kg->nmodels && v->n < VALUE_MAX_COLUMNS; i++) {
        const dp_model *m = &p->kg->models[i];
        for (size_t k = 0; k < m->nentities; k++)
            if (m->entities[k].type == DP_ENT_PRIMARY) {
                entity_columns(v, m, &m->entities[k], 1);
                break;
            }
    }
}

/* A token no pass placed that can be part of an identifier or a name. */
static int free_word(const parser *p, size_t k)
{
    size_t ml;
    return k < p->n && p->used[k] == U_FREE && !p->t[k].punct && !dp_is_stopword(p->t[k].low) &&
           !dp_int__is_group_marker(p, k, &ml);
}

/* Written like an identifier: one run of letters and digits mixed
 * ("CAR-0400", "A17", "wh_07"), or capital codes joined by hyphens. */
static int id_like(const char *s)
{
    int digit = 0, alpha = 0, lower = 0, joint = 0;
    size_t l = strlen(s);
    if (l < 2 || l > 64)
        return 0;
    for (size_t i = 0; i < l; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t')
            return 0;
        digit |= c >= '0' && c <= '9';
        alpha |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        lower |= c >= 'a' && c <= 'z';
        joint |= (c == '-' || c == '_') && i > 0 && i + 1 < l;
    }
    return (digit && alpha) || (joint && alpha && !lower);
}

/* Words between an entity and its value that say what follows: "member
 * named X", "carrier id X". */
static int value_cue(const char *w)
{
    static const char *words[] = {"named", "called", "id", "ids", "number", "code", "titled", "labelled",
                                  "labeled", "whose", "name", "is", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

/* The entity or categorical dimension phrase that ends right before token
 * at, or before "with", "whose", "having" there ("member with id 7"): its
 * tokens [*from, *to), its lexicon entry in *ent; 0 when there is none. */
static int context_before(const parser *p, size_t at, size_t *from, size_t *to, const dp_lex_entry **ent)
{
    if (at > 1 && p->used[at - 1] != U_MATCH &&
        (!strcmp(p->t[at - 1].low, "with") || !strcmp(p->t[at - 1].low, "whose") ||
         !strcmp(p->t[at - 1].low, "having")))
        at--;
    *to = at;
    if (at == 0 || p->used[at - 1] != U_MATCH)
        return 0;
    for (size_t j = at; j-- > 0 && at - j <= 4;) {
        if (p->used[j] != U_MATCH)
            break;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32);
        for (size_t q = 0; q < nm; q++) {
            const dp_lex_entry *e = m[q].e;
            if (j + m[q].len != at)
                continue;
            if ((e->kind == DP_LEX_ENTITY && dp_kg_entity_home(p->kg, e->entity->name)) ||
                (e->kind == DP_LEX_DIM && e->dim->type == DP_DIM_CATEGORICAL)) {
                *from = j;
                *ent = e;
                return 1;
            }
        }
    }
    return 0;
}

/* "excluding carrier X", "not for member Y": the negating word before
 * token at (past articles and prepositions), or at. */
static size_t negated_from(const parser *p, size_t at)
{
    static const char *cues[] = {"excluding", "exclude", "excludes", "except", "not",
                                 "non",       "without", "isnt",     "arent",  "wasnt",
                                 "werent",    "doesnt",  "dont",     "didnt",  /* "isn't" as read */ NULL};
    size_t j = at;
    for (int steps = 0; j > 0 && steps < 3; steps++, j--) {
        const char *w = p->t[j - 1].low;
        if (p->t[j - 1].punct || p->used[j - 1] == U_MATCH)
            break;
        for (int k = 0; cues[k]; k++)
            if (!strcmp(w, cues[k]))
                return j - 1;
        if (strcmp(w, "the") && strcmp(w, "a") && strcmp(w, "an") && strcmp(w, "for") && strcmp(w, "in") &&
            strcmp(w, "of") && strcmp(w, "from"))
            break;
    }
    return at;
}

/* The dimension a filter on column c uses: the dimension itself, or one
 * made for the entity's key (as "for carrier 42" does). */
static const dp_dimension *filter_dim(parser *p, const vcol *c)
{
    if (c->dim)
        return c->dim;
    dp_dimension *d = dp_arena_calloc(p->a, 1, sizeof(*d));
    if (!d)
        return NULL;
    d->name = c->key->name;
    d->expr = c->key->expr;
    d->type = DP_DIM_CATEGORICAL;
    d->description = dp_arena_printf(p->a, "key of %s", c->key->name);
    d->column = dp_kg_model_column(c->model, c->key->expr);
    return d;
}

/* The entity words [from, to) name what is filtered, not a metric ("carrier" as a count of carriers) nor
 * a grouping ("orders by member Jane Doe"). */
static void unread_entity_words(parser *p, size_t from, size_t to, const char *filter)
{
    dp_intent *in = p->in;
    const char *words = dp_int__span_text(p, from, to - from);
    for (size_t k = 0; k < in->nnotes; k++) {
        dp_match_note *nt = &in->notes[k];
        if (strcmp(nt->text, words))
            continue;
        if (!strcmp(nt->kind, "metric")) {
            /* a metric another phrase names too stays ("Sales for the
             * Spring Sale carrier") */
            int elsewhere = 0;
            for (size_t o = 0; o < in->nnotes && !elsewhere; o++)
                elsewhere = o != k && !strcmp(in->notes[o].kind, "metric") && in->notes[o].target &&
                            !strcmp(in->notes[o].target, nt->target) && strcmp(in->notes[o].text, words);
            if (!elsewhere)
                dp_int__drop_metric(p, nt->target, NULL);
        } else if (!strcmp(nt->kind, "entity") || !strcmp(nt->kind, "dimension")) {
            dp_int__drop_group(in, words);
        } else {
            continue;
        }
        nt->kind = "filter";
        nt->target = filter;
    }
}

/* The closest values of a text the data lacks: "A, B, C", and each as a
 * --choose name ("model.dim=value") with its similarity, best first. */
typedef struct vclose {
    const char *joined;
    const char *choice[DP_VALUE_HITS_MAX];
    double score[DP_VALUE_HITS_MAX];
    size_t n;
} vclose;

/* Is the column in a dataset where its entity is the primary key, so a row
 * is one of them (two rows with one name are two of them)? */
static int is_home(parser *p, const vcol *c)
{
    for (size_t k = 0; k < c->model->nentities; k++)
        if (c->model->entities[k].type == DP_ENT_PRIMARY)
            return 1;
    (void)p;
    return 0;
}

/* Looks text up in every column of v (until the first that holds it with
 * first_hit): the columns holding it exactly (as stored) in hit/val (up to
 * 8), the closest values of the others (similarity min_score at least)
 * merged in *cl. Returns the number of exact hits, or -1 when no look-up
 * answered (out of time, unreadable data). */
static int look_up(parser *p, const vcols *v, const char *text, int first_hit, double min_score, size_t *hit,
                   const char **val, vclose *cl)
{
    int nhit = 0, answered = 0;
    const char *best[DP_VALUE_HITS_MAX];
    memset(cl, 0, sizeof(*cl));
    for (size_t i = 0; i < v->n; i++) {
        dp_value_hits h;
        dp_error e = {0};
        if (p->lookup(p->lookup_payload, v->c[i].model, v->c[i].column, text, &h, &e))
            continue; /* out of time, or unreadable: the others may still answer */
        answered = 1;
        if (h.exact && h.n && !v->c[i].key && v->c[i].dim && h.exact_rows > 1 && is_home(p, &v->c[i])) {
            /* "bookings for Julia Moreau" where two members have that name:
             * the sum of both is no answer about either */
            dp_int__add_missing(p, dp_arena_printf(p->a, "%s (%ld of them)", text, h.exact_rows), "one of several");
            hit[nhit] = i;
            val[nhit++] = dp_arena_strdup(p->a, h.values[0]);
            break;
        }
        if (h.exact && h.n && nhit < 8) {
            hit[nhit] = i;
            val[nhit++] = dp_arena_strdup(p->a, h.values[0]);
            if (first_hit)
                break;
            continue;
        }
        /* merge by score, each value once */
        const vcol *c = &v->c[i];
        const char *dim = c->dim ? c->dim->name : c->key ? c->key->name : c->column;
        for (size_t k = 0; k < h.n && h.scores[k] >= min_score; k++) {
            int dup = 0;
            for (size_t b = 0; b < cl->n && !dup; b++)
                dup = !strcmp(best[b], h.values[k]);
            if (dup)
                continue;
            size_t at = cl->n;
            while (at > 0 && cl->score[at - 1] < h.scores[k])
                at--;
            if (at >= DP_VALUE_HITS_MAX)
                continue;
            if (cl->n < DP_VALUE_HITS_MAX)
                cl->n++;
            size_t move = cl->n - 1 - at;
            memmove(&best[at + 1], &best[at], move * sizeof(*best));
            memmove(&cl->score[at + 1], &cl->score[at], move * sizeof(*cl->score));
            memmove(&cl->choice[at + 1], &cl->choice[at], move * sizeof(*cl->choice));
            best[at] = dp_arena_strdup(p->a, h.values[k]);
            cl->score[at] = h.scores[k];
            cl->choice[at] = dp_arena_printf(p->a, "%s.%s=%s", c->model->name, dim, h.values[k]);
        }
    }
    if (!nhit && !answered)
        return -1;
    if (cl->n) {
        char buf[DP_VALUE_HITS_MAX * (DP_VALUE_MAX + 2)];
        size_t off = 0;
        for (size_t b = 0; b < cl->n && off < sizeof(buf); b++)
            off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", b ? ", " : "", best[b]);
        cl->joined = dp_arena_strdup(p->a, buf);
    }
    return nhit;
}

/* Records that the data has no value phrase, with its closest values (cl)
 * or, when there are none, what to say instead (none). */
static void add_missing_value(parser *p, const char *phrase, const vclose *cl, const char *none)
{
    dp_intent *in = p->in;
    size_t before = in->nmissing;
    dp_int__add_missing(p, phrase, "filter value");
    if (in->nmissing <= before)
        return;
    in->missing_closest[before] = cl && cl->joined ? cl->joined : none;
    for (size_t k = 0; cl && k < cl->n; k++) {
        in->missing_choices[before][k] = cl->choice[k];
        in->missing_choice_scores[before][k] = cl->score[k];
    }
}

/* "model.column = value", how a found value is noted. */
static const char *describe(parser *p, const vcol *c, const char *value, int negate)
{
    return dp_arena_printf(p->a, "%s.%s %s %s", c->model->name, c->column, negate ? "!=" : "=", value);
}

/* A filter on the columns of v that hold the value (hit, val: look_up's),
 * written phrase, negated or not, joined to the filter before it when the
 * words before token at join them ("CMP-0005 and CMP-0006": two values of
 * one column are an IN list, never two equalities no row meets; after
 * "excluding A and B" both are excluded). Its description ("model.column =
 * value"), or NULL when there is no room. */
static const char *place_filter(parser *p, const vcols *v, const size_t *hit, int nhit, const char *const *val,
                                const char *phrase, int negate, size_t at)
{
    dp_intent *in = p->in;
    if (in->nfilters >= DP_INTENT_MAX_ITEMS)
        return NULL;
    dp_filter f = {0};
    for (int k = 0; k < nhit; k++) {
        const dp_dimension *d = filter_dim(p, &v->c[hit[k]]);
        if (d) {
            f.target.dims[f.target.ndims] = d;
            f.target.dim_models[f.target.ndims++] = v->c[hit[k]].model;
        }
    }
    if (!f.target.ndims)
        return NULL;
    f.values[0] = val[0];
    f.nvalues = 1;
    f.negate = negate;
    f.phrase = phrase;
    dp_filter *prev = in->nfilters ? &in->filters[in->nfilters - 1] : NULL;
    if (prev && dp_int__prev_is_join(p, at) && (!f.negate || prev->negate) && prev->target.ndims &&
        prev->target.dim_models[0] == f.target.dim_models[0] && prev->target.dims[0]->expr &&
        !strcmp(prev->target.dims[0]->expr, f.target.dims[0]->expr) && prev->nvalues < 8) {
        prev->values[prev->nvalues++] = f.values[0];
        prev->phrase = dp_arena_printf(p->a, "%s, %s", prev->phrase, phrase);
        if (dp_int__prev_is_join(p, at) != DP_JOIN_OR && !prev->negate) {
            /* "A and B", "A vs B": a row each, as for values of the profile */
            dp_target g = prev->target;
            g.ndims = 1;
            g.phrase = prev->phrase;
            dp_int__add_group(p, &g);
        }
    } else {
        in->filters[in->nfilters++] = f;
    }
    return describe(p, &v->c[hit[0]], val[0], negate);
}

int dp_int__key_exists(parser *p, const dp_model *home, const char *column, size_t from, size_t num)
{
    if (!p->lookup || !home || !column || !dp_kg_model_column(home, column))
        return 1;
    const dp_entity *key = NULL;
    for (size_t k = 0; k < home->nentities && !key; k++)
        if (home->entities[k].expr && !strcmp(home->entities[k].expr, column))
            key = &home->entities[k];
    if (!key)
        return 1;
    vcols v = {0};
    v.c[0] = (vcol){home, key, NULL, column};
    v.n = 1;
    size_t hit[8];
    const char *val[8];
    vclose closest, named;
    const char *phrase = dp_int__span_text(p, from, num + 1 - from);
    int n = look_up(p, &v, p->t[num].raw, 1, 0, hit, val, &closest);
    if (n != 0)
        return 1; /* there, or it could not be checked: the filter says what was asked */
    /* "Store 280" may be a store's name as written, entity word and all */
    vcols names = {0};
    entity_columns(&names, home, NULL, 0);
    if (names.n && look_up(p, &names, phrase, 1, 0, hit, val, &named) > 0) {
        const char *target = place_filter(p, &names, hit, 1, val, phrase, 0, from);
        if (target) {
            unread_entity_words(p, from, num, target);
            dp_int__mark(p, from, num + 1 - from, U_MATCH);
            dp_int__note(p, phrase, "filter", target, "data lookup", 1.0);
            return 0;
        }
    }
    add_missing_value(p, phrase, &closest, "none like it in the data");
    return 0;
}

/* A word the profile placed as a filter value: it can be part of a longer
 * name ("Spring Sale NA Search #28" holds the values NA and Search). */
static int value_word(const parser *p, size_t k)
{
    return k < p->n && p->used[k] == U_MATCH && p->kind[k] == DP_LEX_VALUE && !p->t[k].punct;
}

/* Every word of [s, e) capitalised as names are ("Jane Doe", "Store 12";
 * not capitals throughout, which are codes and shouting), the first one at
 * least. */
static int proper_name(const parser *p, size_t s, size_t e)
{
    for (size_t k = s; k < e; k++) {
        char c = p->t[k].raw[0];
        if (p->t[k].is_num && k > s)
            continue;
        if (!(c >= 'A' && c <= 'Z') || p->t[k].is_upper)
            return 0;
    }
    return s < e;
}

/* Written like a proper name right after a filter word ("orders for Jane
 * Doe"). */
static int proper_name_after_marker(const parser *p, size_t s, size_t e)
{
    return s > 0 && dp_int__is_filter_marker(p->t[s - 1].low) && proper_name(p, s, e);
}

/* A filter word right before the phrase at token at ("for carrier",
 * "of the employee"). */
static int marker_before(const parser *p, size_t at)
{
    for (size_t b = at; b > 0 && at - b < 2; b--) {
        if (dp_int__is_filter_marker(p->t[b - 1].low))
            return 1;
        if (strcmp(p->t[b - 1].low, "the") && strcmp(p->t[b - 1].low, "a"))
            return 0;
    }
    return 0;
}

/* After an entity, do words [vs, ve) name one of it? A number only after a
 * filter word or "id", "number" ("Member 360 table" is no member 360);
 * plain lowercase words only after a filter word ("member lifetime value"
 * is no member's name). */
static int names_one(const parser *p, size_t ctx_from, size_t s, size_t vs, size_t ve, const char *text)
{
    int numbers = 1;
    for (size_t k = vs; k < ve; k++)
        numbers &= p->t[k].is_num;
    int cued = marker_before(p, ctx_from) || vs > s;
    if (numbers)
        return cued;
    return cued || id_like(text) || proper_name(p, vs, ve);
}

/* What other passes read inside [s, e) ("NA" and "Search" as filter
 * values, "Sale" as a metric): a longer name holds those words, so those
 * readings go. */
static void drop_other_readings(parser *p, size_t s, size_t e, const char *target)
{
    dp_intent *in = p->in;
    for (size_t a = s; a < e; a++)
        for (size_t b = a + 1; b <= e && p->used[b - 1] == U_MATCH; b++) {
            const char *words = dp_int__span_text(p, a, b - a);
            for (size_t j = 0; j < in->nfilters; j++)
                if (in->filters[j].phrase && !strcmp(in->filters[j].phrase, words)) {
                    memmove(&in->filters[j], &in->filters[j + 1], (in->nfilters - j - 1) * sizeof(*in->filters));
                    in->nfilters--;
                    break;
                }
            for (size_t k = 0; k < in->nnotes; k++)
                if (!strcmp(in->notes[k].text, words) && !strcmp(in->notes[k].kind, "filter"))
                    in->notes[k].target = target;
            unread_entity_words(p, a, b, target);
        }
}

/* A word of a name written in title case ("Spring Sale NA Search #400"):
 * capitalised or a number, and free or read by another pass as a value or
 * a metric ("Sale" as sales), never grammar. */
static int title_word(const parser *p, size_t k)
{
    if (k >= p->n || p->t[k].punct || dp_is_stopword(p->t[k].low))
        return 0;
    char c = p->t[k].raw[0];
    if (!(c >= 'A' && c <= 'Z') && !p->t[k].is_num)
        return 0;
    return free_word(p, k) || value_word(p, k) || (p->used[k] == U_MATCH && p->kind[k] == DP_LEX_METRIC);
}

/* The entity phrase starting at token at that names what the words [s, at)
 * after an article are ("the Spring Sale #400 carrier"; not "Jane Doe
 * orders", whose orders are Jane Doe's): its end in *to, its lexicon entry
 * in *ent; 0 when there is none. */
static int context_after(const parser *p, size_t s, size_t at, size_t *to, const dp_lex_entry **ent)
{
    while (s > 0 && value_word(p, s - 1)) /* "the North Plaza 12 store": past "North" */
        s--;
    if (at >= p->n || p->used[at] != U_MATCH || s == 0 ||
        (strcmp(p->t[s - 1].low, "the") && strcmp(p->t[s - 1].low, "a") && strcmp(p->t[s - 1].low, "an")))
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, at, m, 32);
    for (size_t q = 0; q < nm; q++)
        if (m[q].e->kind == DP_LEX_ENTITY && dp_kg_entity_home(p->kg, m[q].e->entity->name)) {
            *to = at + m[q].len;
            *ent = m[q].e;
            return 1;
        }
    return 0;
}

/* Looks the words [s, e) up: in the columns of the entity or dimension
 * named before them (ctx, from its first token ctx_from), else in every
 * dataset's key and name-like columns when they are written like an
 * identifier or a proper name after a filter word. Found: a filter. Not
 * found: a missing value with the closest ones, unless only_found (then
 * nothing happens). 1 when the words were placed. */
static int resolve(parser *p, size_t s, size_t e, size_t ctx_from, size_t ctx_to, const dp_lex_entry *ctx,
                   int only_found, int title)
{
    int after = ctx && ctx_from >= e; /* "the Spring Sale #400 carrier" */
    /* "member named Jane Doe": the cue word belongs to neither */
    size_t vs = s;
    while (vs < e && value_cue(p->t[vs].low))
        vs++;
    size_t ve = e;
    while (ve > vs && dp_int__is_noise(p->t[ve - 1].low) && !p->t[ve - 1].is_upper)
        ve--;
    if (vs == ve)
        return 0;
    const char *text = dp_int__span_text(p, vs, ve - vs);
    size_t from = s;
    vcols v = {0};
    if (ctx && !title && !names_one(p, after ? s : ctx_from, s, vs, ve, text)) {
        return 0;
    } else if (ctx && ctx->kind == DP_LEX_ENTITY && !title && vs == s && ve == vs + 1 && !p->t[vs].is_upper &&
               dp_int__past_participle(p->t[vs].low)) {
        /* "number of meters installed": a verb after the entity, no name,
         * unless a cue says one follows ("meter named ..."); after a
         * column ("status shipped") a value all the same */
        return 0;
    } else if (ctx && ctx->kind == DP_LEX_ENTITY) {
        from = after ? vs : ctx_from;
        const dp_model *home = dp_kg_entity_home(p->kg, ctx->entity->name);
        entity_columns(&v, home, dp_kg_model_entity(home, ctx->entity->name), 0);
    } else if (ctx) {
        from = ctx_from;
        if (ctx->dim->expr && dp_kg_model_column(ctx->model, ctx->dim->expr))
            add_col(&v, ctx->model, NULL, ctx->dim, ctx->dim->expr);
    } else if (title || id_like(text) || proper_name_after_marker(p, vs, ve) ||
               (ve - vs >= 2 && proper_name(p, vs, ve))) {
        from = vs;
        all_columns(p, &v);
    } else {
        return 0; /* words, not a named thing: the unplaced-word pass asks */
    }
    if (!v.n || strlen(text) >= DP_VALUE_MAX)
        return 0;
    size_t hit[8];
    const char *val[8];
    vclose closest;
    /* after an entity its key decides, and its values are worth listing;
     * an id alone may be in several datasets, all kept as candidates for
     * discovery to choose from, and only values like it are worth naming */
    int nhit = look_up(p, &v, text, ctx != NULL, ctx ? 0 : VALUE_CLOSE, hit, val, &closest);
    if (nhit <= 0 && only_found)
        return 0;
    size_t neg = negated_from(p, from), end = after ? ctx_to : ve;
    const char *phrase = dp_int__span_text(p, neg, end - neg);
    if (nhit <= 0) {
        /* absent, or it could not be checked: either way no answer
         * without it */
        add_missing_value(p, phrase, &closest,
                          nhit < 0 ? "none, the data could not be searched" : "none like it in the data");
        dp_int__mark(p, vs, ve - vs, U_PATTERN);
        return 1;
    }
    if (p->in->nfilters >= DP_INTENT_MAX_ITEMS)
        return 0;
    drop_other_readings(p, vs, ve, describe(p, &v.c[hit[0]], val[0], neg < from));
    const char *target = place_filter(p, &v, hit, nhit, val, phrase, neg < from, neg);
    if (!target)
        return 0;
    if (after)
        unread_entity_words(p, ctx_from, ctx_to, target);
    else if (from < s)
        unread_entity_words(p, from, ctx_to, target);
    dp_int__mark(p, neg, from - neg, U_PATTERN);
    dp_int__mark(p, s, vs - s, U_PATTERN);
    dp_int__mark(p, vs, ve - vs, U_MATCH);
    dp_int__note(p, text, "filter", target, "data lookup", 1.0);
    return 1;
}

void dp_int__lookup_values(parser *p)
{
    if (!p->lookup)
        return;
    for (size_t i = 0; i < p->n; i++) {
        size_t ctx_from = i, ctx_to = i;
        const dp_lex_entry *ctx = NULL;
        int has_ctx = context_before(p, i, &ctx_from, &ctx_to, &ctx);
        /* a name in title case that other passes read in part ("Acme" as a
         * brand, "Sale" as sales): the whole, when the data has it exactly;
         * it ends with a word no pass placed */
        if (title_word(p, i) && (i == 0 || !title_word(p, i - 1)) && !p->t[i].is_num) {
            size_t e = i, nfree = 0, nother = 0;
            while (e < p->n && e - i < VALUE_MAX_TOKENS + 2 && title_word(p, e))
                e++;
            while (e > i && !free_word(p, e - 1))
                e--;
            for (size_t k = i; k < e; k++) {
                nfree += free_word(p, k) && !dp_int__is_noise(p->t[k].low);
                nother += !free_word(p, k);
            }
            size_t a_to = e;
            const dp_lex_entry *a_ctx = NULL;
            if (e - i >= 2 && nfree && nother) {
                int placed = has_ctx ? resolve(p, i, e, ctx_from, ctx_to, ctx, 1, 1)
                             : context_after(p, i, e, &a_to, &a_ctx) ? resolve(p, i, e, e, a_to, a_ctx, 1, 1)
                                                                  : resolve(p, i, e, i, i, NULL, 1, 1);
                if (placed) {
                    i = e - 1;
                    continue;
                }
            }
        }
        /* after an entity, a name may hold words the profile knows as
         * values: the whole name first */
        if (has_ctx) {
            size_t e = i, nfree = 0, nval = 0;
            while (e < p->n && e - i < VALUE_MAX_TOKENS + 2 && (free_word(p, e) || value_word(p, e))) {
                nfree += free_word(p, e);
                nval += value_word(p, e);
                e++;
            }
            if (nfree && nval && resolve(p, i, e, ctx_from, ctx_to, ctx, 1, 0)) {
                i = e - 1;
                continue;
            }
        }
        if (!free_word(p, i))
            continue;
        size_t e = i;
        while (e < p->n && free_word(p, e) && e - i < VALUE_MAX_TOKENS)
            e++;
        /* "member whose name is Jane Doe": the value follows "is" */
        size_t c = i;
        while (c < e && value_cue(p->t[c].low))
            c++;
        if (has_ctx && c == e && e + 1 < p->n && !strcmp(p->t[e].low, "is") && free_word(p, e + 1)) {
            e++;
            while (e < p->n && free_word(p, e) && e - i < VALUE_MAX_TOKENS + 4)
                e++;
        }
        /* "Show Jane Doe's orders": framing before a name is no part of it,
         * unless the data says so ("New Haven") */
        size_t b = i;
        while (b < e && dp_int__is_noise(p->t[b].low) && !p->t[b].is_upper)
            b++;
        /* with no entity before, the one right after ("Jane Doe's
         * account", "the Plaza 12 store") */
        if (!has_ctx && context_after(p, b, e, &ctx_to, &ctx)) {
            has_ctx = 1;
            ctx_from = e;
        }
        if (b < e && (b == i || !resolve(p, i, e, ctx_from, ctx_to, has_ctx ? ctx : NULL, 1, 0)))
            resolve(p, b, e, ctx_from, ctx_to, has_ctx ? ctx : NULL, 0, 0);
        i = e - 1; /* framing alone ("for Board Review") names nothing */
    }
}

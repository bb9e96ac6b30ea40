/* Groupings: the words that introduce one ("by", "per", "for each", "broken
 * down by"), the dimension or entity a matched phrase names, the group-by list. */
#include "intent/intent_int.h"
#include "discovery/discovery.h"
#include <ctype.h>
#include <string.h>

int dp_int__is_group_marker(const parser *p, size_t i, size_t *len)
{
    const char *w = p->t[i].low;
    const char *nx = i + 1 < p->n ? p->t[i + 1].low : "";
    *len = 1;
    if (!strcmp(w, "for") && (!strcmp(nx, "each") || !strcmp(nx, "every"))) {
        *len = 2;
        return 1;
    }
    if ((!strcmp(w, "split") || !strcmp(w, "grouped") || !strcmp(w, "broken") || !strcmp(w, "break") ||
         !strcmp(w, "segmented") || !strcmp(w, "sliced")) && !strcmp(nx, "by")) {
        *len = 2;
        return 1;
    }
    if ((!strcmp(w, "broken") || !strcmp(w, "break")) && !strcmp(nx, "down") && i + 2 < p->n &&
        !strcmp(p->t[i + 2].low, "by")) {
        *len = 3;
        return 1;
    }
    return !strcmp(w, "by") || !strcmp(w, "per") || !strcmp(w, "each") || !strcmp(w, "every") ||
           !strcmp(w, "across") || !strcmp(w, "vs") || !strcmp(w, "versus");
}

static int same_target(const dp_target *a, const dp_target *b)
{
    if (a->is_entity != b->is_entity)
        return 0;
    if (a->is_entity)
        return !strcmp(a->entity, b->entity);
    return a->ndims && b->ndims && a->dims[0] == b->dims[0];
}

void dp_int__add_group(parser *p, const dp_target *t)
{
    dp_intent *in = p->in;
    for (size_t i = 0; i < in->ngroups; i++)
        if (same_target(&in->groups[i], t))
            return;
    if (in->ngroups < DP_INTENT_MAX_ITEMS)
        in->groups[in->ngroups++] = *t;
}

int dp_int__drop_group(dp_intent *in, const char *phrase)
{
    for (size_t j = 0; j < in->ngroups; j++)
        if (in->groups[j].phrase && !strcmp(in->groups[j].phrase, phrase) && !(in->ranked && in->ranked_group == j)) {
            memmove(&in->groups[j], &in->groups[j + 1], (in->ngroups - j - 1) * sizeof(*in->groups));
            in->ngroups--;
            if (in->ranked && in->ranked_group > j)
                in->ranked_group--;
            return 1;
        }
    return 0;
}

/* "gym location" where gym names the club entity: the entity right before a
 * dimension of its home dataset says whose dimension it is (one grouping,
 * as "club location" would be), not a grouping of its own. */
/* Is phrase a, somewhere in req, followed by phrase b after a space or a
 * MetricFlow "__" ("e1 dim", "e1__e2__dim")? */
static int said_before(const char *req, const char *a, const char *b)
{
    size_t al = strlen(a), bl = strlen(b);
    for (const char *at = strstr(req, a); at; at = strstr(at + 1, a)) {
        if (at > req && (isalnum((unsigned char)at[-1]) || at[-1] == '_'))
            continue;
        const char *q = at + al;
        if (*q == ' ')
            q++;
        else if (q[0] == '_' && q[1] == '_')
            q += 2;
        else
            continue;
        if (!strncmp(q, b, bl))
            return 1;
    }
    return 0;
}

static void entity_qualifies(parser *p)
{
    dp_intent *in = p->in;
    const char *bases[8]; /* the dimension phrases qualified, as written */
    size_t nbases = 0;
    for (size_t g = 0; g < in->ngroups; g++) {
        const dp_target *e = &in->groups[g];
        const dp_model *home = e->is_entity && e->phrase ? dp_kg_entity_home(p->kg, e->entity) : NULL;
        for (size_t d = 0; home && d < in->ngroups; d++) {
            dp_target *t = &in->groups[d];
            if (t->is_entity || !t->phrase)
                continue;
            if (!said_before(in->request, e->phrase, t->phrase))
                continue;
            size_t k = 0;
            for (size_t c = 0; c < t->ndims; c++)
                if (t->dim_models[c] == home) {
                    t->dims[k] = t->dims[c];
                    t->dim_models[k++] = t->dim_models[c];
                }
            /* a dimension beyond the entity's dataset, which leads to it:
             * the entity names the path, from the entity's dataset on */
            for (size_t c = 0; c < t->ndims && !k; c++) {
                dp_path path;
                int amb = 0;
                if (dp_join_path(&path, p->kg, home, t->dim_models[c], &amb) == 0 && !amb) {
                    t->dims[0] = t->dims[c];
                    t->dim_models[0] = t->dim_models[c];
                    k = 1;
                }
            }
            if (!k)
                continue;
            t->ndims = k;
            t->qualifier = e->entity;
            if (nbases < 8)
                bases[nbases++] = t->phrase;
            t->phrase = dp_arena_printf(p->a, "%s %s", e->phrase, t->phrase);
            dp_int__note(p, t->phrase, "qualifier", e->entity, "context", 1.0);
            memmove(&in->groups[g], &in->groups[g + 1], (in->ngroups - g - 1) * sizeof(*in->groups));
            in->ngroups--;
            if (in->ranked && in->ranked_group > g)
                in->ranked_group--;
            else if (in->ranked && in->ranked_group == g)
                in->ranked = 0;
            g--;
            break;
        }
    }
    /* one dimension named with two entities in one report (two paths):
     * asked about, never read as a key beside it */
    for (size_t g = 0; g < in->ngroups; g++) {
        const dp_target *e = &in->groups[g];
        for (size_t b = 0; e->is_entity && e->phrase && b < nbases; b++)
            if (said_before(in->request, e->phrase, bases[b]))
                dp_int__add_missing(p, dp_arena_printf(p->a, "%s %s", e->phrase, bases[b]), "second grouping by the same dimension");
    }
}

/* Does word name a part of the dimension's name ("format" of club_format)? */
static int names_part(const char *dim, const char *word)
{
    size_t wl = strlen(word);
    for (const char *h = strstr(dim, word); h; h = strstr(h + 1, word))
        if ((h == dim || h[-1] == '_') && (h[wl] == 0 || h[wl] == '_'))
            return 1;
    return 0;
}

/* Groups by dimension d of model m, named by the one word at token i;
 * source says how the word was placed. */
static void group_by_word(parser *p, size_t i, const dp_dimension *d, const dp_model *m, const char *source)
{
    dp_target tg = {0};
    tg.dims[0] = d;
    tg.dim_models[0] = m;
    tg.ndims = 1;
    tg.phrase = dp_int__span_text(p, i, 1);
    dp_int__add_group(p, &tg);
    dp_int__note(p, tg.phrase, "dimension", dp_arena_printf(p->a, "%s.%s", m->name, d->name), source, 0.8);
    dp_int__mark(p, i, 1, U_MATCH);
}

/* "top 3 clubs by bookings showing location and format": a word no phrase
 * took that names a part of exactly one dimension of a grouped entity's
 * dataset is that attribute. */
static void attribute_words(parser *p)
{
    dp_intent *in = p->in;
    for (size_t i = 0; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        if (p->used[i] || t->punct || t->is_num || strlen(t->low) < 3 || dp_is_stopword(t->low))
            continue;
        const dp_dimension *hit = NULL;
        const dp_model *hm = NULL;
        const char *ent = NULL;
        int nhit = 0;
        for (size_t g = 0; g < in->ngroups; g++) {
            const dp_model *home = in->groups[g].is_entity ? dp_kg_entity_home(p->kg, in->groups[g].entity) : NULL;
            for (size_t d = 0; home && d < home->ndims; d++)
                if (names_part(home->dims[d].name, t->low) || names_part(home->dims[d].name, t->stem)) {
                    hit = &home->dims[d];
                    hm = home;
                    ent = in->groups[g].entity;
                    nhit++;
                }
        }
        if (nhit == 1)
            group_by_word(p, i, hit, hm, dp_arena_printf(p->a, "a word of its name, beside %s", ent));
    }
}

void dp_int__mark_attributes(parser *p)
{
    dp_intent *in = p->in;
    entity_qualifies(p);
    attribute_words(p);
    for (size_t g = 0; g < in->ngroups; g++) {
        dp_target *t = &in->groups[g];
        for (size_t e = 0; e < in->ngroups && !t->is_entity && !t->attribute_of && !t->each; e++) {
            const dp_model *home = in->groups[e].is_entity ? dp_kg_entity_home(p->kg, in->groups[e].entity) : NULL;
            size_t k = 0;
            for (size_t d = 0; home && d < t->ndims; d++)
                if (t->dim_models[d] == home) {
                    t->dims[k] = t->dims[d];
                    t->dim_models[k++] = t->dim_models[d];
                }
            if (!k)
                continue;
            t->ndims = k;
            t->attribute_of = in->groups[e].entity;
            dp_int__note(p, t->phrase ? t->phrase : t->dims[0]->name, "attribute", in->groups[e].entity, "entity's dataset",
                         1.0);
        }
    }
}

size_t dp_int__grouping_keys(const dp_intent *in)
{
    size_t n = in->grain != DP_GRAIN_NONE;
    for (size_t g = 0; g < in->ngroups; g++)
        n += !in->groups[g].attribute_of;
    return n;
}

/* Target from all same-length matches of one kind at a position. */
void dp_int__target_from(dp_target *t, const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    memset(t, 0, sizeof(*t));
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if (m[k].len != len || e->kind != kind)
            continue;
        if (kind == DP_LEX_ENTITY) {
            t->is_entity = 1;
            t->entity = e->entity->name;
            return;
        }
        if (t->ndims < 8) {
            int dup = 0;
            for (size_t j = 0; j < t->ndims; j++)
                dup |= t->dims[j] == e->dim;
            if (!dup) {
                t->dims[t->ndims] = e->dim;
                t->dim_models[t->ndims++] = e->model;
            }
        }
        if (!strcmp(e->source, "qualified name") && e->model)
            for (size_t j = 0; j < e->model->nentities; j++)
                if (e->model->entities[j].type == DP_ENT_PRIMARY)
                    t->qualifier = e->model->entities[j].name;
    }
}

void dp_int__group_words(parser *p)
{
    for (size_t i = 1; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        size_t ml;
        /* framing ("vs total orders") is no part of a column's name */
        if (p->used[i] || t->punct || t->is_num || strlen(t->low) < 3 || dp_is_stopword(t->low) ||
            dp_int__is_noise(t->low) || !(p->used[i - 1] == U_PATTERN && dp_int__is_group_marker(p, i - 1, &ml)) ||
            (i + 1 < p->n && !p->used[i + 1] && !p->t[i + 1].punct && !dp_is_stopword(p->t[i + 1].low)))
            continue;
        const dp_dimension *hit = NULL;
        const dp_model *hm = NULL;
        int nhit = 0;
        for (size_t m = 0; m < p->kg->nmodels && nhit < 2; m++)
            for (size_t d = 0; d < p->kg->models[m].ndims && nhit < 2; d++)
                if (names_part(p->kg->models[m].dims[d].name, t->low) || names_part(p->kg->models[m].dims[d].name, t->stem)) {
                    if (hit && !strcmp(hit->name, p->kg->models[m].dims[d].name))
                        continue; /* the same column seen from two datasets: discovery picks */
                    hit = &p->kg->models[m].dims[d];
                    hm = &p->kg->models[m];
                    nhit++;
                }
        if (nhit == 1)
            group_by_word(p, i, hit, hm, "the one dimension a word of whose name it is");
    }
}

/* Filters on whether a column holds a value: "orders without a promo code"
 * (the promo code is empty), "claims with no adjuster" (the claim's adjuster
 * key is empty), "tickets with an agent" (it is not). The words after the
 * cue must name a column or a reference (an entity) and end where the phrase
 * ends. A value after the cue ("without Germany") is an exclusion, read with
 * the values; a yes/no column ("without direct debit") says its own value,
 * and a metric ("without discounts") is no column: neither is read here. */
#include "intent/intent_int.h"
#include <string.h>
#include <strings.h>

/* Words that may follow the column's words: where the phrase ends. */
static const char *const phrase_ends[] = {
    "by",    "per",     "each", "every", "in",  "for",   "from",  "during", "over",   "since",   "between", "before",
    "after", "until",   "last", "this",  "and", "or",    "on",    "at",     "across", "grouped", "broken",  "split",
    "with",  "without", "that", "which", "who", "where", "whose", "vs",     "versus", NULL};

/* A yes/no column or expression ("promo_id IS NOT NULL", "surge > 1"):
 * "without" it says its value, not its absence. */
static int yes_no(const dp_dimension *d)
{
    if (d->column)
        return dp_kg_flag_true(d->column) != NULL;
    const char *x = d->expr ? d->expr : "";
    if (strcasestr(x, "case"))
        return 0;
    return strcasestr(x, " is ") || strpbrk(x, "<>=") || strcasestr(x, " in (") || strcasestr(x, " like ");
}

static void add_dim(dp_target *t, const dp_dimension *d, const dp_model *m)
{
    for (size_t k = 0; k < t->ndims; k++)
        if (t->dims[k] == d)
            return;
    if (t->ndims < 8) {
        t->dims[t->ndims] = d;
        t->dim_models[t->ndims++] = m;
    }
}

/* Every dataset that refers to entity name (a foreign key), each as a column
 * of that dataset: the key's expression under the entity's name. */
static void reference_columns(parser *p, dp_target *t, const char *name)
{
    const dp_kg *kg = p->kg;
    for (size_t m = 0; m < kg->nmodels && t->ndims < 8; m++) {
        const dp_model *md = &kg->models[m];
        if (md->off.reason)
            continue;
        for (size_t e = 0; e < md->nentities; e++) {
            const dp_entity *en = &md->entities[e];
            if (en->type != DP_ENT_FOREIGN || !en->expr || en->off.reason || strcmp(en->name, name))
                continue;
            int seen = 0;
            for (size_t k = 0; k < t->ndims; k++)
                seen |= t->dim_models[k] == md && !strcmp(t->dims[k]->name, en->name);
            if (seen)
                continue;
            dp_dimension *d = dp_arena_calloc(p->a, 1, sizeof(*d));
            if (!d)
                return;
            d->name = en->name;
            d->expr = en->expr;
            d->description = en->description;
            d->label = en->label;
            d->type = DP_DIM_CATEGORICAL;
            d->column = dp_kg_model_column(md, en->expr);
            d->pos = en->pos;
            add_dim(t, d, md);
        }
    }
}

void dp_int__presence_filters(parser *p)
{
    dp_intent *in = p->in;
    static const char *const articles[] = {"a", "an", "any", NULL};
    for (size_t i = 0; i + 1 < p->n && in->nfilters < DP_INTENT_MAX_ITEMS; i++) {
        if (p->used[i])
            continue;
        const char *w = p->t[i].low;
        size_t j = i + 1;
        int kind;
        if (!strcmp(w, "without")) {
            kind = DP_PRESENCE_EMPTY;
            j += !p->used[j] && dp_int__in_list(p->t[j].low, articles);
        } else if (!strcmp(w, "with") && !p->used[j] && !strcmp(p->t[j].low, "no")) {
            kind = DP_PRESENCE_EMPTY;
            j++;
        } else if (!strcmp(w, "with") && !p->used[j] && (!strcmp(p->t[j].low, "a") || !strcmp(p->t[j].low, "an"))) {
            kind = DP_PRESENCE_SET;
            j++;
        } else {
            continue;
        }
        if (j >= p->n || p->used[j] || p->t[j].punct)
            continue;
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32), len = 0;
        for (size_t k = 0; k < nm; k++)
            if (!m[k].fuzzy && m[k].len > len)
                len = m[k].len;
        size_t end = j + len;
        if (!len || dp_int__has_kind(m, nm, DP_LEX_VALUE, len) || dp_int__has_kind(m, nm, DP_LEX_METRIC, len) ||
            (end < p->n && !p->t[end].punct && !dp_int__in_list(p->t[end].low, phrase_ends)))
            continue;
        int open = 1;
        for (size_t k = j; k < end; k++)
            open &= !p->used[k];
        if (!open)
            continue;
        dp_filter f = {0};
        /* a reference first ("without an adjuster": the claim's key), else
         * the columns the words name */
        for (size_t k = 0; k < nm; k++) {
            if (m[k].len != len || m[k].fuzzy)
                continue;
            if (m[k].e->kind == DP_LEX_ENTITY)
                reference_columns(p, &f.target, m[k].e->entity->name);
            for (size_t e = 0; m[k].e->kind == DP_LEX_MODEL && e < m[k].e->model->nentities; e++)
                if (m[k].e->model->entities[e].type == DP_ENT_PRIMARY)
                    reference_columns(p, &f.target, m[k].e->model->entities[e].name);
        }
        int yes_no_said = 0;
        for (size_t k = 0; k < nm && !f.target.ndims; k++) {
            const dp_dimension *d = m[k].e->dim;
            if (m[k].len != len || m[k].fuzzy || m[k].e->kind != DP_LEX_DIM || !d || d->off.reason)
                continue;
            if (yes_no(d))
                yes_no_said = 1;
            else
                add_dim(&f.target, d, m[k].e->model);
        }
        if (!f.target.ndims || yes_no_said)
            continue;
        f.presence = kind;
        f.phrase = dp_int__span_text(p, i, end - i);
        f.target.phrase = dp_int__span_text(p, j, len);
        in->filters[in->nfilters++] = f;
        dp_int__note(p, f.phrase, "filter",
                     dp_arena_printf(p->a, "%s.%s %s", f.target.dim_models[0]->name, f.target.dims[0]->name,
                                     kind == DP_PRESENCE_EMPTY ? "IS NULL" : "IS NOT NULL"),
                     "a column said after 'without' or 'with'", 1.0);
        dp_int__mark(p, i, j - i, U_PATTERN);
        dp_int__mark(p, j, len, U_MATCH);
        i = end - 1;
    }
}

/* Ranking, ordering and top-N: the limit, the direction (from "top",
 * "bottom" or a later superlative) and the ranked thing, which is grouped by. */
#include "intent/intent_int.h"
#include <stdlib.h>
#include <string.h>

/* "which carriers had the highest cost" (no number): the thing after
 * "which" is grouped by and ordered by the metric named after the
 * superlative, every row; 1 when it read so. */
static int which_superlative(parser *p, size_t i)
{
    static const char *high[] = {"highest", "most", "largest", "biggest", "best", "top", NULL};
    static const char *low[] = {"lowest", "least", "fewest", "smallest", "worst", NULL};
    int dir = -1;
    size_t j = i + 2;
    for (; j < p->n && dir < 0 && p->t[j].punct != ','; j++) {
        for (int k = 0; high[k] && dir < 0; k++)
            if (!strcmp(p->t[j].low, high[k]))
                dir = 1;
        for (int k = 0; low[k] && dir < 0; k++)
            if (!strcmp(p->t[j].low, low[k]))
                dir = 0;
    }
    if (dir < 0 || i + 1 >= p->n)
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, i + 1, m, 32);
    if (!nm)
        return 0;
    size_t len = m[0].len;
    dp_target tg;
    if (dp_int__has_kind(m, nm, DP_LEX_ENTITY, len))
        dp_int__target_from(&tg, m, nm, DP_LEX_ENTITY, len);
    else if (dp_int__has_kind(m, nm, DP_LEX_DIM, len))
        dp_int__target_from(&tg, m, nm, DP_LEX_DIM, len);
    else
        return 0;
    tg.phrase = dp_int__span_text(p, i + 1, len);
    dp_int__add_group(p, &tg);
    dp_int__mark(p, i + 1, len, U_MATCH);
    dp_int__mark(p, j - 1, 1, U_PATTERN);
    p->in->ordered = 1;
    p->in->order_desc = dir;
    p->rank_at = j - 1;
    dp_int__note(p, tg.phrase, tg.is_entity ? "entity" : "dimension", tg.is_entity ? tg.entity : tg.dims[0]->name,
                 m[0].e->source, m[0].fuzzy ? 0.8 : m[0].e->conf);
    return 1;
}

/* "top 5 sites with the highest dropped call rate": after the ranked
 * thing, a superlative after "with the" or "by the" says which way and,
 * through the metric after it, by what. */
static void later_superlative(parser *p)
{
    static const char *high[] = {"highest", "most", "largest", "biggest", "greatest", NULL};
    static const char *low[] = {"lowest", "least", "fewest", "smallest", NULL};
    for (size_t k = p->rank_to; k + 1 < p->n; k++) {
        if (p->used[k] || k < 2 || strcmp(p->t[k - 1].low, "the") ||
            (strcmp(p->t[k - 2].low, "with") && strcmp(p->t[k - 2].low, "by") && strcmp(p->t[k - 2].low, "having")))
            continue;
        int d = -1;
        for (int q = 0; high[q] && d < 0; q++)
            d = strcmp(p->t[k].low, high[q]) ? -1 : 1;
        for (int q = 0; low[q] && d < 0; q++)
            d = strcmp(p->t[k].low, low[q]) ? -1 : 0;
        if (d < 0)
            continue;
        dp_int__mark(p, k, 1, U_PATTERN);
        p->in->order_desc = d;
        p->rank_at = k;
        return;
    }
}

/* Ranking: "top 5 X", "bottom 10 X", "5 best X", "which 3 X had the lowest M". */
void dp_int__parse_ranking(parser *p, dp_date as_of)
{
    (void)as_of;
    for (size_t i = 0; i < p->n; i++) {
        const char *w = p->t[i].low;
        int desc = -1;
        size_t num_at = 0;
        if (!strcmp(w, "top") || !strcmp(w, "best") || !strcmp(w, "highest") || !strcmp(w, "largest") ||
            !strcmp(w, "biggest"))
            desc = 1;
        else if (!strcmp(w, "bottom") || !strcmp(w, "worst") || !strcmp(w, "lowest") || !strcmp(w, "smallest") ||
                 !strcmp(w, "fewest") || !strcmp(w, "least"))
            desc = 0;
        else if (!strcmp(w, "which") || !strcmp(w, "what"))
            desc = 2; /* direction from a later superlative */
        /* "at least 1,000" / "at most 5" bound an amount: no ranking */
        if (desc < 0 || (i > 0 && !strcmp(p->t[i - 1].low, "at") && (!strcmp(w, "least") || !strcmp(w, "most"))))
            continue;
        long num = 0;
        if (i + 1 < p->n && p->t[i + 1].is_num && strlen(p->t[i + 1].low) <= 6) {
            num = atol(p->t[i + 1].low);
            num_at = i + 1;
        } else if (i > 0 && p->t[i - 1].is_num && desc != 2 && strlen(p->t[i - 1].low) <= 6) {
            num = atol(p->t[i - 1].low);
            num_at = i - 1;
        }
        if (num <= 0 && desc == 2 && which_superlative(p, i))
            return; /* "which carriers had the highest cost": every one, ordered */
        if (num <= 0)
            continue;
        if (desc == 2) {
            for (size_t j = i + 2; j < p->n; j++) {
                const char *x = p->t[j].low;
                if (!strcmp(x, "highest") || !strcmp(x, "most") || !strcmp(x, "largest") || !strcmp(x, "best") ||
                    !strcmp(x, "biggest") || !strcmp(x, "top")) {
                    desc = 1;
                    dp_int__mark(p, j, 1, U_PATTERN);
                    p->rank_at = j;
                    break;
                }
                if (!strcmp(x, "lowest") || !strcmp(x, "least") || !strcmp(x, "fewest") || !strcmp(x, "smallest") ||
                    !strcmp(x, "worst")) {
                    desc = 0;
                    dp_int__mark(p, j, 1, U_PATTERN);
                    p->rank_at = j;
                    break;
                }
            }
            if (desc == 2)
                continue;
        }
        size_t sup_at = p->rank_at;
        p->in->limit = num;
        p->in->order_desc = desc;
        p->rank_at = num_at > i ? num_at : i;
        if (sup_at > p->rank_at)
            p->rank_at = sup_at;
        dp_int__mark(p, i, 1, U_PATTERN);
        dp_int__mark(p, num_at, 1, U_PATTERN);
        p->rank_from = i < num_at ? i : num_at;
        p->rank_to = (i > num_at ? i : num_at) + 1;
        /* the ranked thing right after the number is grouped by; "top 5
         * days" ranks periods of that grain */
        size_t j = (num_at > i ? num_at : i) + 1;
        int adj = 1;
        dp_grain g = j < p->n && !p->used[j] ? dp_grain_word(p->t[j].low, &adj) : DP_GRAIN_NONE;
        if (g != DP_GRAIN_NONE && !adj) {
            if (p->in->grain == DP_GRAIN_NONE || g < p->in->grain)
                p->in->grain = g;
            dp_int__note(p, dp_int__span_text(p, j, 1), "time_grain", dp_grain_name(g), "calendar", 1.0);
            dp_int__mark(p, j, 1, U_PATTERN);
            p->rank_to = j + 1;
            later_superlative(p);
            return;
        }
        dp_lex_match m[32];
        size_t nm = dp_int__match(p, j, m, 32);
        if (p->kgq)
            (*p->kgq)++;
        /* "top 5 Platinum guests": values first, then the ranked thing,
         * left unread here for the values' pass to take as their noun */
        int after_values = 0;
        for (size_t k = j; nm && dp_int__has_kind(m, nm, DP_LEX_VALUE, m[0].len) &&
                           !dp_int__has_kind(m, nm, DP_LEX_ENTITY, m[0].len) &&
                           !dp_int__has_kind(m, nm, DP_LEX_DIM, m[0].len) && k - j < 6;) {
            k += m[0].len;
            while (k < p->n && (!strcmp(p->t[k].low, "and") || !strcmp(p->t[k].low, "or") || p->t[k].punct == ','))
                k++;
            nm = k < p->n && !p->used[k] ? dp_int__match(p, k, m, 32) : 0;
            after_values = 1;
            j = k;
        }
        if (after_values && nm && !dp_int__has_kind(m, nm, DP_LEX_ENTITY, m[0].len) &&
            !dp_int__has_kind(m, nm, DP_LEX_DIM, m[0].len))
            nm = 0;
        if (nm) {
            size_t len = m[0].len;
            dp_target tg;
            const char *counted = NULL;
            if (dp_int__has_kind(m, nm, DP_LEX_ENTITY, len)) {
                dp_int__target_from(&tg, m, nm, DP_LEX_ENTITY, len);
            } else if (dp_int__has_kind(m, nm, DP_LEX_DIM, len)) {
                dp_int__target_from(&tg, m, nm, DP_LEX_DIM, len);
            } else if ((counted = dp_int__counted_entity(p, dp_int__first_of(m, nm, DP_LEX_METRIC, len)))) {
                /* "top 10 borrowers by loans": the metric counts borrowers
                 * (members): the members are what is ranked */
                memset(&tg, 0, sizeof(tg));
                tg.is_entity = 1;
                tg.entity = counted;
            } else {
                continue;
            }
            tg.phrase = dp_int__span_text(p, j, len);
            dp_int__add_group(p, &tg);
            for (size_t k = 0; k < p->in->ngroups; k++)
                if (p->in->groups[k].is_entity == tg.is_entity &&
                    (tg.is_entity ? !strcmp(p->in->groups[k].entity, tg.entity)
                                  : p->in->groups[k].ndims && p->in->groups[k].dims[0] == tg.dims[0])) {
                    p->in->ranked = 1;
                    p->in->ranked_group = k;
                }
            dp_int__note(p, tg.phrase, tg.is_entity ? "entity" : "dimension",
                         tg.is_entity ? tg.entity : tg.dims[0]->name, m[0].e->source, m[0].fuzzy ? 0.8 : m[0].e->conf);
            if (!after_values) {
                dp_int__mark(p, j, len, U_MATCH);
                p->rank_to = j + len;
            }
        }
        later_superlative(p);
        return;
    }
}

/* Is w one of words (NULL-terminated)? */
static int word_in(const char *w, const char *const *words)
{
    for (int k = 0; words[k]; k++)
        if (!strcmp(w, words[k]))
            return 1;
    return 0;
}

/* Ordering without a limit: "biggest first", "highest to lowest", "in
 * descending order", "sorted by cost", "ordered by cost ascending". */
void dp_int__parse_ordering(parser *p)
{
    static const char *const high[] = {"biggest", "largest", "highest", "most", "top", "best", "greatest", NULL};
    static const char *const low[] = {"smallest", "lowest", "least", "fewest", "worst", "cheapest", NULL};
    /* verbs only: "per order by month" is no ordering */
    static const char *const sort[] = {"sorted", "sort", "ordered", "ranked", NULL};
    dp_intent *in = p->in;
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i])
            continue;
        const char *w = p->t[i].low, *nx = i + 1 < p->n ? p->t[i + 1].low : "";
        int desc = -1;
        size_t len = 0;
        if ((word_in(w, high) || word_in(w, low)) && !strcmp(nx, "first")) {
            desc = word_in(w, high);
            len = 2;
        } else if ((word_in(w, high) || word_in(w, low)) && !strcmp(nx, "to") && i + 2 < p->n &&
                   (word_in(p->t[i + 2].low, high) || word_in(p->t[i + 2].low, low))) {
            desc = word_in(w, high);
            len = 3;
        } else if (!strcmp(w, "descending") || !strcmp(w, "desc") || !strcmp(w, "ascending") || !strcmp(w, "asc")) {
            desc = w[0] == 'd';
            len = 1;
            if (i > 0 && !strcmp(p->t[i - 1].low, "in") && !strcmp(nx, "order")) {
                i--;
                len = 3;
            }
        } else if (word_in(w, sort) && !strcmp(nx, "by") && !in->limit) {
            /* the metric after "by" is the ordering one (dp_int__add_metric) */
            dp_int__mark(p, i, 2, U_PATTERN);
            in->ordered = 1;
            p->rank_at = i + 1;
            continue;
        }
        if (desc < 0)
            continue;
        dp_int__mark(p, i, len, U_PATTERN);
        dp_int__note(p, dp_int__span_text(p, i, len), "ordering", desc ? "descending" : "ascending", "grammar", 1.0);
        in->order_desc = desc;
        if (!in->limit)
            in->ordered = 1;
        i += len - 1;
    }
}

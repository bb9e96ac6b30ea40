/* Words that ask for a calculation on top of a metric (cumulative, growth,
 * year over year, share of...): unless a catalog phrase claims them, the
 * catalog cannot answer, and the plain metric would be a wrong answer. */
#include "intent/intent_int.h"
#include "util/embedded.h"
#include <string.h>

#define CALC_WORDS 4

/* The next entry of the list at *pos: its words (lowercase, split on
 * spaces, at most CALC_WORDS) into w (room for each word) and what it asks
 * for; 0 at the end. */
static int next_calc(const char *txt, size_t len, size_t *pos, char w[CALC_WORDS][32], size_t *nw, char *what,
                     size_t whatcap)
{
    while (*pos < len) {
        const char *line = txt + *pos, *nl = memchr(line, '\n', len - *pos);
        size_t ll = nl ? (size_t)(nl - line) : len - *pos;
        *pos += ll + 1;
        const char *tab = memchr(line, '\t', ll);
        if (!ll || line[0] == '#' || !tab || (size_t)(line + ll - tab - 1) >= whatcap)
            continue;
        memcpy(what, tab + 1, (size_t)(line + ll - tab - 1));
        what[line + ll - tab - 1] = 0;
        *nw = 0;
        for (const char *q = line; q < tab && *nw < CALC_WORDS;) {
            const char *sp = memchr(q, ' ', (size_t)(tab - q));
            const char *e = sp ? sp : tab;
            if (e > q && (size_t)(e - q) < 32) {
                memcpy(w[*nw], q, (size_t)(e - q));
                w[(*nw)++][e - q] = 0;
            }
            q = e + 1;
        }
        if (*nw)
            return 1;
    }
    return 0;
}

void dp_int__find_calculations(parser *p)
{
    size_t len;
    const char *txt = dp_embedded_find("calculations.tsv", &len);
    char w[CALC_WORDS][32], what[64];
    size_t nw, pos = 0;
    p->ncalcs = 0;
    while (txt && next_calc(txt, len, &pos, w, &nw, what, sizeof(what))) {
        for (size_t i = 0; i + nw <= p->n && p->ncalcs < sizeof(p->calc_at) / sizeof(*p->calc_at); i++) {
            size_t k = 0;
            while (k < nw && !p->t[i + k].punct && !strcmp(p->t[i + k].low, w[k]))
                k++;
            if (k < nw)
                continue;
            /* overlapping entries: the longer wins ("growth rate" over
             * "growth"), whichever the list gives first */
            size_t c = 0;
            while (c < p->ncalcs && !(i + nw > p->calc_at[c] && i < p->calc_at[c] + p->calc_len[c]))
                c++;
            if (c < p->ncalcs && p->calc_len[c] >= nw)
                continue;
            if (c == p->ncalcs)
                p->ncalcs++;
            p->calc_at[c] = i;
            p->calc_len[c] = nw;
            p->calc_what[c] = dp_arena_strdup(p->a, what);
        }
    }
}

/* The metric phrase beside tokens [s, e): right after it (past "of", "in",
 * "the"), else right before it; widens [*from, *to) to cover it. */
static void beside_metric(const parser *p, size_t s, size_t e, size_t *from, size_t *to)
{
    size_t r = e;
    while (r < p->n && (!strcmp(p->t[r].low, "of") || !strcmp(p->t[r].low, "in") || !strcmp(p->t[r].low, "the")))
        r++;
    if (r < p->n && p->kind[r] == DP_LEX_METRIC) {
        while (r < p->n && p->kind[r] == DP_LEX_METRIC)
            r++;
        *to = r;
        return;
    }
    size_t l = s;
    while (l > 0 && p->kind[l - 1] == DP_LEX_METRIC)
        l--;
    *from = l;
}

void dp_int__check_calculations(parser *p)
{
    for (size_t c = 0; c < p->ncalcs; c++) {
        size_t s = p->calc_at[c], e = s + p->calc_len[c];
        /* a catalog phrase ("Revenue growth") has every word of it; one
         * that took a word of it ("rate" of "growth rate") does not count */
        int claimed = 1;
        for (size_t k = s; k < e && claimed; k++)
            claimed = p->used[k] == U_MATCH;
        if (claimed)
            continue;
        size_t from = s, to = e;
        beside_metric(p, s, e, &from, &to);
        dp_int__add_missing(p, dp_int__span_text(p, from, to - from), p->calc_what[c]);
        dp_int__mark(p, s, e - s, U_PATTERN);
    }
}

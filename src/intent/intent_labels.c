/* A metric's whole label or name written in the request ("Shipping Cost
 * (Last 28 Days)", "Lost Shipments %", "cost_last_28d") is that metric, read before
 * the grammar passes could take its words for a range, a share or a
 * grouping. Labels come from the catalog, not from here. */
#include "intent/intent_int.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Only labels the word passes could misread: with a digit, a symbol or
 * parentheses, or names written with underscores. */
static int worth(const char *s)
{
    for (const char *q = s; *q; q++)
        if (isdigit((unsigned char)*q) || strchr("()%/#&_-+", *q))
            return 1;
    return 0;
}

static int is_word_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* The tokens covering text[at, at + len), all free; 0 when the span cuts a
 * token or one is taken. */
static size_t span_tokens(const parser *p, size_t at, size_t len, size_t *first)
{
    size_t k = 0, i0 = 0;
    for (size_t i = 0; i < p->n; i++) {
        if ((size_t)p->t[i].end <= at || (size_t)p->t[i].start >= at + len)
            continue;
        if ((size_t)p->t[i].start < at || (size_t)p->t[i].end > at + len || p->used[i])
            return 0;
        if (!k)
            i0 = i;
        k++;
    }
    *first = i0;
    return k;
}

static void claim(parser *p, const dp_metric *m, const char *text, const char *source)
{
    size_t tl = strlen(text);
    if (tl < 3)
        return;
    const char *r = p->in->request;
    for (const char *q = r; (q = strcasestr(q, text)); q++) {
        size_t at = (size_t)(q - r);
        if ((at > 0 && is_word_char(r[at - 1]) && is_word_char(text[0])) ||
            (is_word_char(r[at + tl]) && is_word_char(text[tl - 1])))
            continue;
        size_t i0, k = span_tokens(p, at, tl, &i0);
        if (!k)
            continue;
        dp_int__add_metric(p, m, i0);
        dp_int__note(p, dp_int__span_text(p, i0, k), "metric", m->name, source, 1.0);
        dp_int__mark(p, i0, k, U_MATCH);
        if (p->nlabels < sizeof(p->label_from) / sizeof(*p->label_from)) {
            p->label_from[p->nlabels] = (int)at;
            p->label_to[p->nlabels++] = (int)(at + tl);
        }
    }
}

typedef struct cand {
    const dp_metric *m;
    const char *text, *source;
    size_t len;
} cand;

static int longer_first(const void *a, const void *b)
{
    size_t la = ((const cand *)a)->len, lb = ((const cand *)b)->len;
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Could text be in the request at all: every digit and symbol of it is? */
static int chars_in(const unsigned char *have, const char *text)
{
    for (const char *q = text; *q; q++)
        if ((isdigit((unsigned char)*q) || strchr("()%/#&_-+", *q)) && !have[(unsigned char)*q])
            return 0;
    return 1;
}

void dp_int__exact_labels(parser *p)
{
    unsigned char have[256] = {0};
    for (const char *q = p->in->request; *q; q++)
        have[(unsigned char)*q] = 1;
    /* the longest first, so a label holding another one wins its words */
    cand cs[64];
    size_t n = 0;
    for (size_t i = 0; i < p->kg->nmetrics && n + 2 <= sizeof(cs) / sizeof(*cs); i++) {
        const dp_metric *m = &p->kg->metrics[i];
        if (m->label && worth(m->label) && chars_in(have, m->label) && strcasestr(p->in->request, m->label))
            cs[n++] = (cand){m, m->label, "label", strlen(m->label)};
        if (m->name && worth(m->name) && chars_in(have, m->name) && strcasestr(p->in->request, m->name))
            cs[n++] = (cand){m, m->name, "name", strlen(m->name)};
    }
    qsort(cs, n, sizeof(*cs), longer_first);
    for (size_t i = 0; i < n; i++)
        claim(p, cs[i].m, cs[i].text, cs[i].source);
}

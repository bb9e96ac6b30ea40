/* Explicit arithmetic over catalog metrics: "X divided by Y", "X / Y" in a
 * definition, "X per Y" (Y a metric and no grouping), "ratio of X to Y", "X
 * as a share of Y", "NAME, which is X divided by Y" make a ratio metric the
 * request defines (arena-owned, not in the catalog): each side aggregated at
 * the grain on its own and divided after, NULL when the denominator is 0
 * (the compiler's ratio semantics). Only English operators are known here. */
#include "intent/intent_int.h"
#include "discovery/discovery.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct side {
    size_t at, len;         /* tokens of the metric phrase; len 0: none */
    const dp_lex_entry *e;  /* its catalog metric phrase */
    size_t from, to;        /* the words read for this side (for a refusal) */
} side;

typedef struct expr {
    size_t lo, hi;          /* tokens of the whole expression, name included */
    size_t name_lo, name_hi; /* "average basket": the name the request gives, if any */
    size_t op_at, op_hi;    /* operator tokens [op_at, op_hi) */
    side num, den;
    int share;              /* "as a share of": a fraction */
    int must;               /* an explicit operator: a side that does not resolve is refused */
    int unsure;             /* "<rate> per <count>": a metric the catalog lacks, refused whole */
} expr;

static int word(const parser *p, size_t i, const char *w)
{
    return i < p->n && !p->t[i].punct && !strcmp(p->t[i].low, w);
}

static int word_in(const parser *p, size_t i, const char *const *ws)
{
    for (size_t k = 0; ws[k]; k++)
        if (word(p, i, ws[k]))
            return 1;
    return 0;
}

/* The request's bytes between tokens i-1 and i hold c ("cost = x",
 * "as % of": characters the tokenizer drops). */
static int gap_has(const parser *p, size_t i, char c)
{
    if (i == 0 || i >= p->n)
        return 0;
    for (int b = p->t[i - 1].end; b < p->t[i].start; b++)
        if (p->in->request[b] == c)
            return 1;
    return 0;
}

/* The longest catalog metric phrase starting at token i (*len tokens), or
 * NULL. */
static const dp_lex_entry *metric_at(const parser *p, size_t i, size_t *len)
{
    if (i >= p->n || p->t[i].punct)
        return NULL;
    dp_lex_match m[32];
    size_t nm = dp_int__match(p, i, m, 32);
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == DP_LEX_METRIC) {
            *len = m[k].len;
            return m[k].e;
        }
    return NULL;
}

/* Can every dataset of metric m reach dataset to (joins towards primary or
 * unique keys, as the compiler joins)? */
static int reaches(const parser *p, const dp_metric *m, const dp_model *to)
{
    const dp_model *mm[DP_PLAN_MAX];
    size_t n = dp_metric_models(p->kg, m, mm, DP_PLAN_MAX, 0);
    for (size_t i = 0; i < n; i++) {
        dp_path path;
        int amb;
        if (mm[i] != to && dp_join_path(&path, p->kg, mm[i], to, &amb) != 0)
            return 0;
    }
    return n > 0;
}

/* A grouping the catalog has for the words at i, at least len tokens long
 * (an entity or a dimension), that metric m can be grouped by: "per
 * carrier" groups by carrier even where a count of carriers is a metric;
 * a grouping m cannot reach is no reading of "per" ("cost per visit"
 * where the cost's data has no path to visits). */
static int grouping_at(const parser *p, size_t i, size_t len, const dp_metric *m)
{
    dp_lex_match mm[32];
    size_t nm = dp_int__match(p, i, mm, 32);
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = mm[k].e;
        if (mm[k].len < len || (e->kind != DP_LEX_ENTITY && e->kind != DP_LEX_DIM))
            continue;
        const dp_model *to = e->kind == DP_LEX_DIM ? e->model : dp_kg_entity_home(p->kg, e->entity->name);
        if (!to || reaches(p, m, to))
            return 1;
    }
    return 0;
}

/* A filter value and no metric starts at token i ("web" in "web average
 * basket"): no word of a name. */
static int value_at(const parser *p, size_t i)
{
    dp_lex_match m[32];
    size_t nm = p->used[i] == U_MATCH ? dp_int__match(p, i, m, 32) : 0;
    int val = 0;
    for (size_t k = 0; k < nm; k++) {
        if (m[k].e->kind == DP_LEX_METRIC)
            return 0;
        val |= m[k].e->kind == DP_LEX_VALUE;
    }
    return val;
}

/* Past "the", "total", "number of"... before a metric phrase, when the
 * words themselves are no metric phrase. */
static size_t skip_lead(const parser *p, size_t i)
{
    static const char *const lead[] = {"the", "a", "an", "our", "all", "total", NULL};
    static const char *const counting[] = {"number", "count", "amount", "sum", NULL};
    size_t len;
    for (int steps = 0; steps < 4 && i < p->n && !metric_at(p, i, &len); steps++) {
        if (word_in(p, i, lead))
            i++;
        else if (word_in(p, i, counting) && word(p, i + 1, "of"))
            i += 2;
        else
            break;
    }
    return i;
}

/* The side starting at token i (after skip_lead); the words it covers when
 * it does not resolve: up to the next punctuation, grouping marker, grammar
 * pattern or stop word, at most 4. */
static void side_from(const parser *p, size_t i, side *s)
{
    memset(s, 0, sizeof(*s));
    i = skip_lead(p, i);
    s->from = s->to = i;
    s->e = metric_at(p, i, &s->len);
    s->at = i;
    if (s->e) {
        s->to = i + s->len;
        return;
    }
    size_t ml;
    while (s->to < p->n && s->to - i < 4 && !p->t[s->to].punct && p->used[s->to] != U_PATTERN &&
           !dp_is_stopword(p->t[s->to].low) && !dp_int__is_group_marker(p, s->to, &ml))
        s->to++;
}

/* The side ending just before token end (no earlier than token lo): the
 * longest metric phrase that ends there; when none does, the words before
 * end as side_from reads them. */
static void side_to(const parser *p, size_t lo, size_t end, side *s)
{
    memset(s, 0, sizeof(*s));
    s->from = s->to = end;
    for (size_t i = end > lo + 6 ? end - 6 : lo; i < end && !s->e; i++) {
        size_t len;
        const dp_lex_entry *e = metric_at(p, i, &len);
        if (e && i + len == end) {
            s->e = e;
            s->at = s->from = i;
            s->len = len;
        }
    }
    if (s->e)
        return;
    size_t ml;
    while (s->from > lo && end - s->from < 4 && !p->t[s->from - 1].punct && p->used[s->from - 1] != U_PATTERN &&
           !dp_is_stopword(p->t[s->from - 1].low) && !dp_int__is_group_marker(p, s->from - 1, &ml))
        s->from--;
}

/* Operators at token k; fills x (sides, operator, extent) and returns 1. */
static int operator_at(const parser *p, size_t k, size_t lo, expr *x)
{
    static const char *const shares[] = {"share", "percentage", "percent", "fraction", "proportion", NULL};
    static const char *const joins[] = {"to", "and", "over", "versus", "vs", NULL};
    memset(x, 0, sizeof(*x));
    x->op_at = k;
    /* a catalog phrase took the operator ("Cost per Buyer"): it wins */
    if (k >= p->n || p->used[k] == U_MATCH)
        return 0;
    size_t r = 0;
    if ((word(p, k, "divided") || word(p, k, "divide")) && word(p, k + 1, "by")) {
        r = k + 2;
        x->must = 1;
    } else if (p->t[k].punct == '/') {
        r = k + 1; /* a division only in a definition: a list elsewhere ("OTD/cost") */
        x->must = 1;
    } else if (word(p, k, "per")) {
        r = k + 1;
    } else if (word(p, k, "as") && (word(p, k + 1, "a") || word(p, k + 1, "an")) && word_in(p, k + 2, shares) &&
               word(p, k + 3, "of")) {
        r = k + 4;
        x->share = 1;
        x->must = 1;
    } else if (word(p, k, "as") && word_in(p, k + 1, shares) && word(p, k + 2, "of")) {
        r = k + 3;
        x->share = 1;
        x->must = 1;
    } else if (word(p, k, "as") && word(p, k + 1, "of") && gap_has(p, k + 1, '%')) {
        r = k + 2;
        x->share = 1;
        x->must = 1;
    } else if (word(p, k, "ratio") && (word(p, k + 1, "of") || word(p, k + 1, "between"))) {
        /* "ratio of X to Y", "ratio between X and Y" */
        side_from(p, k + 2, &x->num);
        x->op_hi = k + 2;
        size_t j = x->num.to;
        if (!word_in(p, j, joins))
            return 0;
        side_from(p, j + 1, &x->den);
        x->must = 1;
        x->lo = k;
        x->hi = x->den.to;
        return 1;
    } else if (word(p, k, "ratio") && k >= 3 && p->used[k - 1] == U_MATCH) {
        /* "the click to impression ratio" */
        side_to(p, lo, k, &x->den);
        x->op_hi = k + 1;
        size_t j = x->den.from;
        if (!x->den.e || j == 0 || !word(p, j - 1, "to"))
            return 0;
        side_to(p, lo, j - 1, &x->num);
        if (!x->num.e)
            return 0;
        x->must = 1;
        x->lo = x->num.from;
        x->hi = k + 1;
        return 1;
    } else {
        return 0;
    }
    x->op_hi = r;
    side_to(p, lo, k, &x->num);
    side_from(p, r, &x->den);
    if (!x->must) {
        /* "per X": arithmetic only when X is a metric and no grouping, and
         * what comes before is a metric ("clicks per carrier" groups) */
        if (!x->num.e || !x->den.e || grouping_at(p, x->den.at, x->den.len, x->num.e->metric) ||
            p->used[x->den.at] == U_PATTERN)
            return 0;
        /* of two amounts or counts: a rate "per" a count is no reading to
         * vouch for, nor are the two metrics side by side */
        x->unsure = x->num.e->metric->type != DP_METRIC_SIMPLE || x->den.e->metric->type != DP_METRIC_SIMPLE;
    }
    x->lo = x->num.from;
    x->hi = x->den.to;
    return x->must || x->num.from < k;
}

/* "NAME, which is", "NAME (", "NAME =", "NAME, defined as": the name the
 * request gives the expression starting at token at; sets x->name_lo/hi and
 * widens x->lo; 0 when there is no definition. */
static int definition_before(const parser *p, size_t at, size_t lo, expr *x)
{
    static const char *const intro[] = {"which", "that", "is", "are", "was", "defined", "calculated", "computed",
                                        "measured", "as", "meaning", "namely", "i", "e", "ie", "being", NULL};
    static const char *const strong[] = {"which", "that", "defined", "calculated", "computed", "measured",
                                         "meaning", "namely", "ie", NULL};
    size_t j = at;
    int marked = gap_has(p, at, '=');
    while (j > lo && j + 6 > at) {
        const dp_tok *t = &p->t[j - 1];
        if (t->punct == ',' || t->punct == '.' || (t->punct == ':' || t->punct == '(')) {
            marked |= t->punct == ':' || t->punct == '(';
            j--;
        } else if (!t->punct && word_in(p, j - 1, intro) && p->used[j - 1] != U_MATCH) {
            marked |= word_in(p, j - 1, strong) || (word(p, j - 1, "e") && j >= 2 && p->t[j - 2].punct == '.');
            j--;
        } else {
            break;
        }
        marked |= gap_has(p, j, '=');
    }
    if (!marked)
        return 0;
    /* the name: the words before, back to punctuation, a grammar pattern,
     * "and" or a filter value ("absence ratio" keeps the metric word
     * "absence": the name is the user's) */
    size_t e = j, s = j, ml;
    while (s > lo && e - s < 6 && !p->t[s - 1].punct && p->used[s - 1] != U_PATTERN && !word(p, s - 1, "and") &&
           !word(p, s - 1, "or") && !dp_int__is_group_marker(p, s - 1, &ml) && !value_at(p, s - 1))
        s--;
    while (s < e && (dp_is_stopword(p->t[s].low) || dp_int__is_noise(p->t[s].low)))
        s++;
    x->name_lo = s;
    x->name_hi = e;
    x->lo = s < e ? s : j;
    return 1;
}

/* Is metric m read from a token outside [lo, hi)? */
static int metric_elsewhere(const parser *p, const dp_metric *m, size_t lo, size_t hi)
{
    for (size_t i = 0; i < p->n; i++) {
        if ((i >= lo && i < hi) || p->used[i] != U_MATCH)
            continue;
        dp_lex_match mm[32];
        size_t nm = dp_int__match(p, i, mm, 32);
        for (size_t k = 0; k < nm; k++)
            if (mm[k].e->kind == DP_LEX_METRIC && mm[k].e->metric == m && mm[k].len == mm[0].len)
                return 1;
    }
    return 0;
}

/* Was text (a phrase a pass recorded, copied from the request) read from
 * bytes [b0, b1)? It occurs there as whole words, and nowhere else (where
 * it could have been read from: "clicks and spend divided by clicks"). */
static int text_within(const parser *p, const char *text, int b0, int b1)
{
    const char *req = p->in->request;
    size_t tl = text ? strlen(text) : 0;
    int inside = 0, outside = 0;
    for (const char *q = tl ? strstr(req, text) : NULL; q; q = strstr(q + 1, text)) {
        int s = (int)(q - req), e = s + (int)tl;
        if ((s > 0 && isalnum((unsigned char)req[s - 1])) || isalnum((unsigned char)req[e]))
            continue;
        if (s < b1 && e > b0)
            inside = 1;
        else
            outside = 1;
    }
    return inside && !outside;
}

/* Undoes what the phrase passes read in tokens [lo, hi): groupings, filters
 * and their notes; the metrics read there (not elsewhere) leave the list.
 * Returns the list position the first of them had (nmetrics if none). */
static size_t undo_readings(parser *p, size_t lo, size_t hi)
{
    dp_intent *in = p->in;
    int b0 = p->t[lo].start, b1 = p->t[hi - 1].end;
    size_t w = 0;
    for (size_t i = 0; i < in->ngroups; i++)
        if (!text_within(p, in->groups[i].phrase, b0, b1))
            in->groups[w++] = in->groups[i];
    in->ngroups = w;
    w = 0;
    for (size_t i = 0; i < in->nfilters; i++)
        if (!text_within(p, in->filters[i].phrase, b0, b1))
            in->filters[w++] = in->filters[i];
    in->nfilters = w;
    w = 0;
    for (size_t i = 0; i < in->nnotes; i++) {
        const char *k = in->notes[i].kind;
        int reading = !strcmp(k, "metric") || !strcmp(k, "dimension") || !strcmp(k, "entity") ||
                      !strcmp(k, "filter") || !strcmp(k, "context") || !strcmp(k, "qualifier");
        if (!reading || !text_within(p, in->notes[i].text, b0, b1))
            in->notes[w++] = in->notes[i];
    }
    in->nnotes = w;
    size_t first = in->nmetrics;
    w = 0;
    for (size_t j = 0; j < in->nmetrics; j++) {
        const dp_metric *m = in->metrics[j];
        int here = 0;
        for (size_t i = lo; i < hi && !here; i++) {
            dp_lex_match mm[32];
            size_t nm = p->used[i] == U_MATCH ? dp_int__match(p, i, mm, 32) : 0;
            for (size_t k = 0; k < nm && !here; k++)
                here = mm[k].e->kind == DP_LEX_METRIC && mm[k].e->metric == m && i + mm[k].len <= hi;
        }
        if (here && !metric_elsewhere(p, m, lo, hi)) {
            if (first == in->nmetrics)
                first = w;
            if (in->order_metric == m)
                in->order_metric = NULL;
            continue;
        }
        in->metrics[w++] = m;
    }
    in->nmetrics = w;
    return first < w ? first : w;
}

/* The calculation words inside [lo, hi) ("share of", "average" of a name)
 * belong to the expression: no longer a calculation to refuse. */
static void drop_calculations(parser *p, size_t lo, size_t hi)
{
    size_t w = 0;
    for (size_t c = 0; c < p->ncalcs; c++) {
        if (p->calc_at[c] >= lo && p->calc_at[c] < hi)
            continue;
        p->calc_at[w] = p->calc_at[c];
        p->calc_len[w] = p->calc_len[c];
        p->calc_what[w++] = p->calc_what[c];
    }
    p->ncalcs = w;
}

/* "average basket" -> "average_basket": a name no catalog metric and no
 * metric of the request has ("_defined", then a number, appended). */
static const char *metric_name(const parser *p, const char *label)
{
    char buf[64];
    size_t n = 0;
    for (const char *q = label; *q && n < 48; q++) {
        if (*q == '%' && n + 9 < sizeof(buf)) { /* "as % of" */
            if (n && buf[n - 1] != '_')
                buf[n++] = '_';
            memcpy(buf + n, "percent_", 8);
            n += 8;
        } else if (isalnum((unsigned char)*q))
            buf[n++] = (char)tolower((unsigned char)*q);
        else if (n && buf[n - 1] != '_')
            buf[n++] = '_';
    }
    while (n && buf[n - 1] == '_')
        n--;
    buf[n] = 0;
    const char *base = n ? buf : "defined_ratio";
    for (int k = 0; k < 100; k++) {
        const char *name = k == 0 ? dp_arena_strdup(p->a, base)
                           : k == 1 ? dp_arena_printf(p->a, "%s_defined", base)
                                    : dp_arena_printf(p->a, "%s_defined_%d", base, k);
        if (!name)
            return NULL;
        int taken = dp_kg_metric(p->kg, name) != NULL;
        for (size_t i = 0; i < p->in->nmetrics && !taken; i++)
            taken = !strcmp(p->in->metrics[i]->name, name);
        if (!taken)
            return name;
    }
    return NULL;
}

static const char *said(const dp_metric *m)
{
    return m->label ? m->label : m->name;
}

/* The metric x defines: a ratio of the two catalog metrics, or the catalog
 * metric its name already is with that very definition. */
static const dp_metric *define(parser *p, const expr *x, int *from_catalog)
{
    const dp_metric *a = x->num.e->metric, *b = x->den.e->metric;
    *from_catalog = 0;
    size_t len = 0;
    const dp_lex_entry *named = x->name_lo < x->name_hi ? metric_at(p, x->name_lo, &len) : NULL;
    if (named && x->name_lo + len == x->name_hi && named->metric->type == DP_METRIC_RATIO &&
        !strcmp(named->metric->numerator.name, a->name) && !strcmp(named->metric->denominator.name, b->name) &&
        !named->metric->numerator.filter && !named->metric->denominator.filter && !named->metric->filter) {
        *from_catalog = 1;
        return named->metric;
    }
    dp_metric *m = dp_arena_calloc(p->a, 1, sizeof(*m));
    if (!m)
        return NULL;
    m->type = DP_METRIC_RATIO;
    m->numerator.name = a->name;
    m->denominator.name = b->name;
    m->label = x->name_lo < x->name_hi ? dp_int__span_text(p, x->name_lo, x->name_hi - x->name_lo)
                                        : dp_int__span_text(p, x->lo, x->hi - x->lo);
    if (m->label && x->name_lo == x->name_hi)
        m->label = dp_arena_printf(p->a, "%c%s", tolower((unsigned char)m->label[0]), m->label + 1);
    m->name = m->label ? metric_name(p, m->label) : NULL;
    if (x->share)
        m->description = dp_arena_printf(p->a,
                                         "Defined in the request: %s as a fraction of %s (%s / %s; 0.25 means 25%%), "
                                         "each aggregated at the report grain on its own, then divided; NULL when %s is 0.",
                                         said(a), said(b), a->name, b->name, b->name);
    else
        m->description = dp_arena_printf(p->a,
                                         "Defined in the request: %s divided by %s (%s / %s), each aggregated at the "
                                         "report grain on its own, then divided; NULL when %s is 0.",
                                         said(a), said(b), a->name, b->name, b->name);
    /* pos.file NULL: defined in the request, not in a catalog file */
    return m->name && m->description ? m : NULL;
}

/* Records x: the metric in place of its sides, its words placed, notes. */
static void apply(parser *p, const expr *x)
{
    dp_intent *in = p->in;
    int from_catalog;
    const dp_metric *m = define(p, x, &from_catalog);
    if (!m)
        return;
    size_t at = undo_readings(p, x->lo, x->hi);
    drop_calculations(p, x->lo, x->hi);
    int dup = 0;
    for (size_t i = 0; i < in->nmetrics; i++)
        dup |= in->metrics[i] == m;
    if (!dup && in->nmetrics < DP_INTENT_MAX_ITEMS) {
        memmove(&in->metrics[at + 1], &in->metrics[at], (in->nmetrics - at) * sizeof(*in->metrics));
        in->metrics[at] = m;
        in->nmetrics++;
    }
    if (!in->order_metric && in->limit > 0 && x->lo > p->rank_at)
        in->order_metric = m;
    const char *phrase = dp_int__span_text(p, x->lo, x->hi - x->lo);
    dp_int__note(p, dp_int__span_text(p, x->num.at, x->num.len), "numerator", x->num.e->metric->name,
                 x->num.e->source, x->num.e->conf);
    dp_int__note(p, dp_int__span_text(p, x->den.at, x->den.len), "denominator", x->den.e->metric->name,
                 x->den.e->source, x->den.e->conf);
    if (from_catalog) {
        dp_int__note(p, phrase, "metric", m->name, "catalog metric of that definition", 1.0);
    } else {
        dp_int__note(p, phrase, "metric", m->name, "defined in the request", 1.0);
        if (in->ndefined < DP_INTENT_MAX_DEFINED) {
            in->defined[in->ndefined] = m;
            in->defined_phrase[in->ndefined++] = phrase;
        }
    }
    dp_int__mark(p, x->lo, x->hi - x->lo, U_MATCH);
}

/* A side an explicit operator needs that the catalog lacks: refused,
 * naming it (or, with no words there, naming the operator: "divided by
 * clicks" divides nothing). The operator's words are placed, and a
 * calculation word among them ("share of") is no second refusal. */
static void refuse(parser *p, const expr *x)
{
    const side *sides[2] = {&x->num, &x->den};
    for (int i = 0; i < 2; i++) {
        const side *s = sides[i];
        if (s->e)
            continue;
        if (s->to > s->from) {
            dp_int__add_missing(p, dp_int__span_text(p, s->from, s->to - s->from), "metric");
            dp_int__mark(p, s->from, s->to - s->from, U_PATTERN);
        } else {
            size_t a = x->op_at, b = x->op_hi > a ? x->op_hi : a + 1;
            dp_int__add_missing(p, dp_int__span_text(p, a, b - a), i ? "metric named after" : "metric named before");
        }
    }
    size_t a = x->op_at, b = x->op_hi > a ? x->op_hi : a + 1;
    drop_calculations(p, a, b);
    dp_int__mark(p, a, b - a, U_PATTERN);
}

void dp_int__parse_arithmetic(parser *p)
{
    static const char *const averages[] = {"average", "avg", "mean", NULL};
    size_t lo = 0; /* no expression reaches back into the one before */
    for (size_t k = 0; k < p->n; k++) {
        expr x;
        if (!operator_at(p, k, lo, &x))
            continue;
        int named = definition_before(p, x.lo, lo, &x);
        if (p->t[k].punct == '/' && !named)
            continue;
        if (!x.num.e || !x.den.e) {
            if (x.must)
                refuse(p, &x);
            continue;
        }
        if (x.unsure && !named) {
            dp_int__add_missing(p, dp_int__span_text(p, x.lo, x.hi - x.lo), "metric");
            drop_calculations(p, x.lo, x.hi);
            lo = x.hi;
            continue;
        }
        if (!named && !x.share && x.lo > lo && word_in(p, x.lo - 1, averages) && p->used[x.lo - 1] != U_MATCH)
            x.lo--; /* "average cost per buyer": a ratio is an average already */
        if (x.hi <= x.lo)
            continue;
        /* the closing ")" of "NAME (X / Y)" */
        int open = 0;
        for (size_t j = x.lo; j < x.hi; j++)
            open |= p->t[j].punct == '(';
        if (open && x.hi < p->n && p->t[x.hi].punct == ')')
            x.hi++;
        size_t hi = x.hi;
        apply(p, &x);
        lo = hi;
        k = hi > 0 ? hi - 1 : k;
    }
}

json_t *dp_int__defined_json(const dp_intent *in)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < in->ndefined; i++) {
        const dp_metric *m = in->defined[i];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", m->name, "label", m->label,
                                             "phrase", in->defined_phrase[i], "type", dp_metric_type_name(m->type),
                                             "numerator", m->numerator.name, "denominator", m->denominator.name,
                                             "description", m->description));
    }
    return arr;
}

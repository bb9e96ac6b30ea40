/* Filters no row can pass, refused before any SQL: two equality or IN
 * filters on one column with no value in common, a value and its exclusion,
 * a request's filter against a metric's own filter on the same column. Such
 * a query runs, returns nothing (or NULL), and looks like an answer. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_VALS 16
#define MAX_SETS (DP_PLAN_MAX + 32)

/* What one filter lets through on one column. */
typedef struct vset {
    const dp_model *model;
    const dp_dimension *dim;
    const char *vals[MAX_VALS];
    size_t n;
    int negate;     /* every value but these */
    int of_metric;  /* from a metric's filter, not the request */
} vset;

static int same_column(const vset *a, const vset *b)
{
    return a->model == b->model && a->dim && b->dim && a->dim->expr && b->dim->expr &&
           !strcmp(a->dim->expr, b->dim->expr);
}

static int has(const vset *s, const char *v)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->vals[i], v))
            return 1;
    return 0;
}

/* No value passes both a and b (b negated or not; a is not negated). */
static int disjoint(const vset *a, const vset *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (b->negate ? !has(b, a->vals[i]) : has(b, a->vals[i]))
            return 0;
    return 1;
}

/* "'x'", "one of 'x', 'y'", "other than 'x'", "none of 'x', 'y'" */
static const char *describe(comp *c, const vset *s)
{
    const char *list = "";
    for (size_t i = 0; i < s->n; i++)
        list = dp_arena_printf(c->a, "%s%s'%s'", list, i ? ", " : "", s->vals[i]);
    if (s->negate)
        return dp_arena_printf(c->a, "%s%s", s->n == 1 ? "other than " : "none of ", list);
    return s->n == 1 ? list : dp_arena_printf(c->a, "one of %s", list);
}

static int refuse(comp *c, const vset *a, const vset *b)
{
    /* the request's filter first, the metric's second; else a positive
     * before a negated */
    if (a->of_metric != b->of_metric ? a->of_metric : a->negate && !b->negate) {
        const vset *t = a;
        a = b;
        b = t;
    }
    const char *col = a->dim->name;
    const char *head = dp_arena_printf(c->a, "%s cannot be both %s and %s", col, describe(c, a), describe(c, b));
    if (b->of_metric && !a->of_metric)
        return dp_error_set(c->err, DP_ECLARIFY, "%s: metric %s keeps only rows where %s is %s; ask for another metric, or drop the filter on %s",
                            head, c->metric ? c->metric->name : "?", col, describe(c, b), col);
    if (b->of_metric)
        return dp_error_set(c->err, DP_ECLARIFY, "%s: the filters of metric %s leave no row", head,
                            c->metric ? c->metric->name : "?");
    if (b->negate)
        return dp_error_set(c->err, DP_ECLARIFY, "%s; ask for one of them", head);
    return dp_error_set(c->err, DP_ECLARIFY, "%s; ask for one, or '%s vs %s' to compare them", head, a->vals[0],
                        b->vals[0]);
}

/* Every pair of sets on one column must leave a value; a is checked against
 * b when a lets through a list (two exclusions always leave one). */
static int check_sets(comp *c, const vset *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (!same_column(&s[i], &s[j]) || (s[i].negate && s[j].negate))
                continue;
            const vset *a = s[i].negate ? &s[j] : &s[i], *b = a == &s[i] ? &s[j] : &s[i];
            if (disjoint(a, b))
                return refuse(c, &s[i], &s[j]);
        }
    return 0;
}

static size_t request_sets(comp *c, vset *s, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < c->d->nfilters && n < cap; k++) {
        const dp_plan_filter *f = &c->d->filters[k];
        if (!f->dim || !f->nvalues || f->nvalues > MAX_VALS)
            continue;
        vset *v = &s[n++];
        memset(v, 0, sizeof(*v));
        v->model = f->model;
        v->dim = f->dim;
        v->negate = f->negate;
        for (size_t i = 0; i < f->nvalues; i++)
            v->vals[v->n++] = f->values[i];
    }
    return n;
}

int dp_comp__check_filters(comp *c)
{
    vset s[MAX_SETS];
    return check_sets(c, s, request_sets(c, s, MAX_SETS));
}

/* ------------------------------------------------------------------------ */
/* Reading a metric's filter: AND-ed "{{ Dimension('e__d') }} = 'v'",
 * "... IN ('a', 'b')", "... != 'v'", "... NOT IN (...)"; anything else (OR,
 * functions, numbers) says nothing here and is left to SQL. */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

/* Past a '...' literal at p ('' is a quote inside); NULL if unclosed. */
static const char *skip_literal(const char *p, const char *end)
{
    for (p++; p < end; p++)
        if (*p == '\'') {
            if (p + 1 < end && p[1] == '\'') {
                p++;
                continue;
            }
            return p + 1;
        }
    return NULL;
}

static int word_at(const char *p, const char *start, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - p) < n || strncasecmp(p, w, n))
        return 0;
    int before = p == start || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
    int after = p + n == end || !(isalnum((unsigned char)p[n]) || p[n] == '_');
    return before && after;
}

static const char *literal_value(comp *c, const char *p, const char *end, const char **next)
{
    if (p >= end || *p != '\'')
        return NULL;
    const char *q = skip_literal(p, end);
    if (!q)
        return NULL;
    char buf[512];
    size_t k = 0;
    for (const char *r = p + 1; r < q - 1 && k + 1 < sizeof(buf); r++) {
        buf[k++] = *r;
        if (*r == '\'')
            r++; /* '' -> ' */
    }
    buf[k] = 0;
    *next = q;
    return dp_arena_strdup(c->a, buf);
}

/* One comparison "{{ Dimension('e__d') }} op values" into v; 0 if it is not one. */
static int read_atom(comp *c, const dp_model *from, const char *p, const char *end, vset *v)
{
    if (end - p < 4 || strncmp(p, "{{", 2))
        return 0;
    const char *close = strstr(p, "}}");
    if (!close || close >= end)
        return 0;
    const char *q = skip_ws(p + 2, close);
    if (!word_at(q, p, close, "Dimension"))
        return 0;
    const char *q1 = memchr(q, '\'', (size_t)(close - q));
    if (!q1)
        q1 = memchr(q, '"', (size_t)(close - q));
    const char *q2 = q1 ? memchr(q1 + 1, *q1, (size_t)(close - q1 - 1)) : NULL;
    if (!q2 || q2 - q1 - 1 >= 256)
        return 0;
    char arg[256];
    snprintf(arg, sizeof(arg), "%.*s", (int)(q2 - q1 - 1), q1 + 1);
    const dp_dimension *dim = NULL;
    const dp_model *home = dp_comp__dim_home(c, from, arg, &dim);
    if (!home || !dim)
        return 0;
    memset(v, 0, sizeof(*v));
    v->model = home;
    v->dim = dim;
    v->of_metric = 1;
    q = skip_ws(close + 2, end);
    int list = 0;
    if (q < end && *q == '=') {
        q++;
    } else if (end - q >= 2 && (!strncmp(q, "!=", 2) || !strncmp(q, "<>", 2))) {
        v->negate = 1;
        q += 2;
    } else if (word_at(q, p, end, "NOT")) {
        q = skip_ws(q + 3, end);
        if (!word_at(q, p, end, "IN"))
            return 0;
        v->negate = list = 1;
        q += 2;
    } else if (word_at(q, p, end, "IN")) {
        list = 1;
        q += 2;
    } else {
        return 0;
    }
    q = skip_ws(q, end);
    if (!list) {
        const char *val = literal_value(c, q, end, &q);
        if (!val || skip_ws(q, end) != end)
            return 0;
        v->vals[v->n++] = val;
        return 1;
    }
    if (q >= end || *q != '(')
        return 0;
    q = skip_ws(q + 1, end);
    for (;;) {
        const char *val = literal_value(c, q, end, &q);
        if (!val || v->n >= MAX_VALS)
            return 0;
        v->vals[v->n++] = val;
        q = skip_ws(q, end);
        if (q < end && *q == ',') {
            q = skip_ws(q + 1, end);
            continue;
        }
        if (q < end && *q == ')')
            return skip_ws(q + 1, end) == end;
        return 0;
    }
}

/* The parenthesis at p closes at end - 1. */
static int wraps_all(const char *p, const char *end)
{
    int d = 0;
    for (const char *q = p; q < end; q++) {
        if (*q == '\'') {
            if (!(q = skip_literal(q, end)))
                return 0;
            q--;
        } else if (*q == '(') {
            d++;
        } else if (*q == ')' && --d == 0) {
            return q == end - 1;
        }
    }
    return 0;
}

/* The conjuncts of [p, end) that read as comparisons, appended to s. */
static void read_conjuncts(comp *c, const dp_model *from, const char *p, const char *end, vset *s, size_t *n,
                           size_t cap, int depth)
{
    if (depth > 16)
        return;
    p = skip_ws(p, end);
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    /* (x) wrapping the whole text: the inside */
    while (end - p >= 2 && *p == '(' && end[-1] == ')' && wraps_all(p, end)) {
        p = skip_ws(p + 1, end - 1);
        end--;
        while (end > p && isspace((unsigned char)end[-1]))
            end--;
    }
    /* split on AND at depth 0; an OR there says nothing */
    int d = 0;
    const char *part = p;
    int split = 0;
    for (const char *q = p; q < end; q++) {
        if (*q == '\'') {
            if (!(q = skip_literal(q, end)))
                return;
            q--;
            continue;
        }
        if (!strncmp(q, "{{", 2)) {
            const char *cl = strstr(q, "}}");
            if (!cl || cl >= end)
                return;
            q = cl + 1;
            continue;
        }
        d += *q == '(' ? 1 : *q == ')' ? -1 : 0;
        if (d)
            continue;
        if (word_at(q, p, end, "OR"))
            return;
        if (word_at(q, p, end, "AND")) {
            split = 1;
            read_conjuncts(c, from, part, q, s, n, cap, depth + 1);
            part = q + 3;
            q += 2;
        }
    }
    if (split) {
        read_conjuncts(c, from, part, end, s, n, cap, depth + 1);
        return;
    }
    if (*n < cap && read_atom(c, from, p, end, &s[*n]))
        (*n)++;
}

int dp_comp__check_metric_filter(comp *c, const dp_model *from, const char *filter_raw)
{
    if (!filter_raw)
        return 0;
    vset s[MAX_SETS];
    size_t n = request_sets(c, s, MAX_SETS);
    size_t nreq = n;
    read_conjuncts(c, from, filter_raw, filter_raw + strlen(filter_raw), s, &n, MAX_SETS, 0);
    if (n == nreq)
        return 0;
    return check_sets(c, s, n);
}

/* The catalog's SQL text (expr of entities, dimensions, measures and
 * derived metrics; filters of metrics and their inputs; where of saved
 * queries) against the allow-list of src/sql/expr_check.c, when the catalog
 * loads (no database needed): an element whose text is refused is disabled
 * with why, so a request using it is answered with the reason. */
#include "catalog/problems.h"
#include "sql/check.h"
#include "util/error.h"
#include "util/ident.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a template's neighbours may be: its rendering (a qualified column,
 * CAST(...), a checked expr) must not glue onto them into another token
 * (-- or E'...' or a quoted name). */
static int fits_before(char c) { return !c || strchr(" \t\r\n(,=<>!+*|%", c); }
static int fits_after(char c) { return !c || strchr(" \t\r\n),=<>!+-*/|%:[", c); }

/* MetricFlow's filter templates, the ones compile_expr.c renders. */
static int metricflow_template(const char *s)
{
    static const char *const fns[] = {"Dimension", "TimeDimension", "Entity", "Metric", NULL};
    for (size_t i = 0; fns[i]; i++) {
        size_t n = strlen(fns[i]);
        if (strncmp(s, fns[i], n))
            continue; /* before looking past the name: s may be shorter */
        const char *q = s + n;
        while (*q == ' ')
            q++;
        if (*q == '(')
            return 1;
    }
    return 0;
}

int dp_catalog__check_filter_text(const char *text, dp_error *err)
{
    if (!text)
        return 0;
    size_t len = strlen(text);
    if (len > 16384)
        return dp_error_set(err, DP_ELIMIT, "is longer than 16384 bytes");
    /* each template becomes a column name: what it renders to is a
     * checked expr of the catalog (compile_expr.c) */
    char *out = malloc(len * 2 + 8), *o = out;
    if (!out)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    int rc = 0;
    char quote = 0;
    for (const char *p = text; *p;) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (p[0] == '{' && p[1] == '{') {
            const char *close = strstr(p + 2, "}}");
            if (!close) {
                rc = dp_error_set(err, DP_EINVALID, "has a {{ that no }} closes");
                goto done;
            }
            if (!fits_before(p > text ? p[-1] : 0) || !fits_after(close[2])) {
                rc = dp_error_set(err, DP_EINVALID,
                                  "has a template {{%.*s}} written against other text; put a space "
                                  "or an operator beside it",
                                  (int)(close - p - 2 < 80 ? close - p - 2 : 80), p + 2);
                goto done;
            }
            const char *fn = p + 2;
            while (*fn == ' ')
                fn++;
            if (!metricflow_template(fn)) {
                rc = dp_error_set(err, DP_EINVALID,
                                  "has a template {{%.*s}} that is none of Dimension(), TimeDimension(), Entity() "
                                  "and Metric()",
                                  (int)(close - p - 2 < 80 ? close - p - 2 : 80), p + 2);
                goto done;
            }
            memcpy(o, " dp_ref ", 8);
            o += 8;
            p = close + 2;
            continue;
        }
        if (*p == '{' && p[1] == '{' && quote) {
            rc = dp_error_set(err, DP_EINVALID, "has a template inside quotes");
            goto done;
        }
        *o++ = *p++;
    }
    *o = 0;
    rc = dp_sql_check_expr(out, err);
done:
    free(out);
    return rc;
}

/* Disables off with why: its text (what: "expr", "filter" or "where") was
 * refused with message; kind and owner.name, or name alone when owner is
 * NULL, as dp_catalog__disable takes them (the name is built only here).
 * 0 or DP_ENOMEM. */
static int refuse(dp_kg *kg, dp_disabled *off, const char *kind, const char *owner, const char *name, dp_src_pos pos,
                  const char *what, const char *text, const char *message)
{
    if (owner && !(name = dp_arena_join(kg->arena, owner, '.', name)))
        return DP_ENOMEM;
    char why[900], shown[200]; /* a multi-line expr is shown on one line */
    dp_escape_line(text, shown, sizeof(shown));
    snprintf(why, sizeof(why), "has %s '%.160s%s' that %s", what, shown, strlen(shown) > 160 ? "..." : "", message);
    return dp_catalog__disable(kg, off, kind, name, why,
                               "a catalog expression may use its table's columns, literals, operators, CASE, CAST and "
                               "the functions listed in docs/catalog-expressions.md",
                               pos);
}

/* 0 when text passes (or is NULL); else its code, err set */
static int run_check(const char *text, int templated, dp_error *err)
{
    if (!text)
        return 0;
    return templated ? dp_catalog__check_filter_text(text, err) : dp_sql_check_expr(text, err);
}

/* 0, or disables off with why (refuse()); DP_ENOMEM. */
static int check(dp_kg *kg, dp_disabled *off, const char *kind, const char *owner, const char *name, dp_src_pos pos,
                 const char *what, const char *text, int templated)
{
    if (!text || off->reason)
        return 0; /* one cause is enough to list */
    dp_error e;   /* not = {0}: that clears its 1 KB message, per element */
    e.code = 0;
    e.message[0] = 0;
    int rc = run_check(text, templated, &e);
    if (!rc)
        return 0;
    if (rc == DP_ENOMEM)
        return rc;
    return refuse(kg, off, kind, owner, name, pos, what, text, e.message);
}

/* An element expr of a model checked when its file loaded: its recorded
 * refusal applied, as check() would. */
static int check_pre(dp_kg *kg, const dp_model *m, dp_disabled *off, const char *kind, const char *name, dp_src_pos pos,
                     const char *text)
{
    if (!text || off->reason)
        return 0;
    for (size_t k = 0; k < m->nexpr_refusals; k++)
        if (m->expr_refusals[k].off == off)
            return refuse(kg, off, kind, m->name, name, pos, "expr", text, m->expr_refusals[k].why);
    return 0;
}

static int check_element(dp_kg *kg, const dp_model *m, dp_disabled *off, const char *kind, const char *name,
                         dp_src_pos pos, const char *text)
{
    return m->exprs_checked ? check_pre(kg, m, off, kind, name, pos, text)
                            : check(kg, off, kind, m->name, name, pos, "expr", text, 0);
}

static int check_model(dp_kg *kg, dp_model *m)
{
    int rc = 0;
    for (size_t j = 0; !rc && j < m->nentities; j++) {
        dp_entity *e = &m->entities[j];
        rc = check_element(kg, m, &e->off, "entity", e->name, e->pos, e->expr);
    }
    for (size_t j = 0; !rc && j < m->ndims; j++) {
        dp_dimension *d = &m->dims[j];
        rc = check_element(kg, m, &d->off, "dimension", d->name, d->pos, d->expr);
    }
    for (size_t j = 0; !rc && j < m->nmeasures; j++) {
        dp_measure *me = &m->measures[j];
        rc = check_element(kg, m, &me->off, "measure", me->name, me->pos, me->expr);
    }
    return rc;
}

/* one element's expr, into the model's refusals when refused */
static int precheck(dp_kg *kg, dp_model *m, const dp_disabled *off, const char *text)
{
    m->nexprs += text && !dp_is_identifier(text);
    dp_error e;
    e.code = 0;
    e.message[0] = 0;
    int rc = run_check(text, 0, &e);
    if (!rc)
        return 0;
    if (rc == DP_ENOMEM)
        return rc;
    dp_expr_refusal r = {off, dp_arena_strdup(kg->arena, e.message)};
    size_t cap = m->nexpr_refusals; /* grown one at a time: refusals are rare */
    dp_expr_refusal *v = r.why ? dp_arena_grow(kg->arena, m->expr_refusals, cap, cap + 1, sizeof(*v)) : NULL;
    if (!v)
        return DP_ENOMEM;
    v[m->nexpr_refusals++] = r;
    m->expr_refusals = v;
    return 0;
}

int dp_catalog__precheck_exprs(dp_kg *kg, dp_model *m)
{
    int rc = 0;
    m->nexprs = 0;
    for (size_t j = 0; !rc && j < m->nentities; j++)
        rc = precheck(kg, m, &m->entities[j].off, m->entities[j].expr);
    for (size_t j = 0; !rc && j < m->ndims; j++)
        rc = precheck(kg, m, &m->dims[j].off, m->dims[j].expr);
    for (size_t j = 0; !rc && j < m->nmeasures; j++)
        rc = precheck(kg, m, &m->measures[j].off, m->measures[j].expr);
    m->exprs_checked = !rc;
    return rc;
}

static int check_metric(dp_kg *kg, dp_metric *m)
{
    const dp_metric_input *in[] = {&m->measure, &m->numerator, &m->denominator, &m->base_measure,
                                   &m->conversion_measure};
    int rc = check(kg, &m->off, "metric", NULL, m->name, m->pos, "filter", m->filter, 1);
    for (size_t i = 0; !rc && i < sizeof(in) / sizeof(*in); i++)
        rc = check(kg, &m->off, "metric", NULL, m->name, m->pos, "filter", in[i]->filter, 1);
    for (size_t i = 0; !rc && i < m->ninputs; i++)
        rc = check(kg, &m->off, "metric", NULL, m->name, m->pos, "filter", m->inputs[i].filter, 1);
    if (!rc && m->type == DP_METRIC_DERIVED)
        rc = check(kg, &m->off, "metric", NULL, m->name, m->pos, "expr", m->expr, 0);
    return rc;
}

int dp_catalog__check_exprs(dp_kg *kg)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < kg->nmodels; i++)
        rc = check_model(kg, &kg->models[i]);
    for (size_t i = 0; !rc && i < kg->nmetrics; i++)
        rc = check_metric(kg, &kg->metrics[i]);
    for (size_t i = 0; !rc && i < kg->nsaved; i++) {
        dp_saved_query *s = &kg->saved[i];
        for (size_t j = 0; !rc && j < s->nwhere; j++)
            rc = check(kg, &s->off, "saved_query", NULL, s->name, s->pos, "where", s->where[j], 1);
    }
    return rc;
}

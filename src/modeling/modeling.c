/* Modeling stage: name, grain, keys, typed columns and constraints. */
#include "modeling/modeling.h"
#include "modeling/naming.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *dp_type_family(const char *t)
{
    if (!t)
        return "other";
    static const struct { const char *prefix, *fam; } map[] = {
        {"TINYINT", "integer"}, {"SMALLINT", "integer"}, {"INTEGER", "integer"}, {"BIGINT", "integer"},
        {"HUGEINT", "integer"}, {"UTINYINT", "integer"}, {"USMALLINT", "integer"}, {"UINTEGER", "integer"},
        {"UBIGINT", "integer"}, {"INT", "integer"}, {"DECIMAL", "decimal"}, {"NUMERIC", "decimal"},
        {"DOUBLE", "double"}, {"FLOAT", "double"}, {"REAL", "double"}, {"DATE", "date"},
        {"TIMESTAMP", "timestamp"}, {"VARCHAR", "text"}, {"TEXT", "text"}, {"CHAR", "text"}, {"ENUM", "text"},
        {"BOOLEAN", "boolean"}, {"UUID", "text"}, {NULL, NULL}};
    for (int i = 0; map[i].prefix; i++)
        if (!strncasecmp(t, map[i].prefix, strlen(map[i].prefix)))
            return map[i].fam;
    return "other";
}

/* "{{ Dimension('ticket__status') }} = 'open'" -> "ticket__status = 'open'" */
static const char *plain_filter(const char *f, dp_arena *a)
{
    if (!f || !strstr(f, "{{"))
        return f;
    const char *out = "";
    const char *p = f;
    for (;;) {
        const char *open = strstr(p, "{{"), *close = open ? strstr(open, "}}") : NULL;
        if (!open || !close) {
            out = dp_arena_printf(a, "%s%s", out, p);
            break;
        }
        const char *q1 = strpbrk(open, "'\""), *q2 = q1 && q1 < close ? strchr(q1 + 1, *q1) : NULL;
        if (q2 && q2 < close)
            out = dp_arena_printf(a, "%s%.*s%.*s", out, (int)(open - p), p, (int)(q2 - q1 - 1), q1 + 1);
        else
            out = dp_arena_printf(a, "%s%.*s", out, (int)(close + 2 - p), p);
        p = close + 2;
    }
    return out;
}

static const char *measure_formula(const dp_measure *me, const char *filter, dp_arena *a)
{
    filter = plain_filter(filter, a);
    static const char *fn[] = {"sum", "count", "count", "sum", "avg", "min", "max", "median", "percentile"};
    const char *inner = me->agg == DP_AGG_COUNT_DISTINCT ? dp_arena_printf(a, "DISTINCT %s", me->expr) : me->expr;
    const char *f = dp_arena_printf(a, "%s(%s)", fn[me->agg], inner);
    if (me->agg == DP_AGG_PERCENTILE)
        f = dp_arena_printf(a, "percentile(%s, %g)", me->expr, me->percentile);
    if (filter)
        f = dp_arena_printf(a, "%s where %s", f, filter);
    if (me->non_additive_dim) /* semi-additive: only the rows of the edge day count */
        f = dp_arena_printf(a, "%s at the %s %s (of each reported period%s)", f, me->non_additive_max ? "last" : "first",
                            me->non_additive_dim, me->nwindow_groupings ? ", per window grouping" : "");
    return f;
}

const char *dp_metric_formula(const dp_kg *kg, const dp_metric *m, dp_arena *a, int depth)
{
    if (depth > 8)
        return m->name;
    switch (m->type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE: {
        const dp_measure *me = dp_kg_measure(kg, m->measure.name);
        const char *f = me ? measure_formula(me, m->filter, a) : m->measure.name;
        if (m->type == DP_METRIC_CUMULATIVE)
            f = dp_arena_printf(a, "cumulative %s over %s", f, m->window ? m->window : m->grain_to_date ? m->grain_to_date : "all time");
        return f;
    }
    case DP_METRIC_RATIO: {
        const dp_metric *n = dp_kg_metric(kg, m->numerator.name), *d = dp_kg_metric(kg, m->denominator.name);
        const dp_measure *nm = n ? NULL : dp_kg_measure(kg, m->numerator.name);
        const dp_measure *dm = d ? NULL : dp_kg_measure(kg, m->denominator.name);
        const char *ns = n ? dp_metric_formula(kg, n, a, depth + 1) : nm ? measure_formula(nm, m->numerator.filter, a) : m->numerator.name;
        const char *ds = d ? dp_metric_formula(kg, d, a, depth + 1) : dm ? measure_formula(dm, m->denominator.filter, a) : m->denominator.name;
        return dp_arena_printf(a, "%s / %s (NULL when the denominator is 0)", ns, ds);
    }
    case DP_METRIC_DERIVED: return dp_arena_printf(a, "%s", m->expr);
    case DP_METRIC_CONVERSION:
        return dp_arena_printf(a, "%s of %s to %s by %s%s%s%s", m->calculation ? m->calculation : "conversion_rate",
                               m->base_measure.name, m->conversion_measure.name, m->entity, m->conv_window ? " within " : "",
                               m->conv_window ? m->conv_window : "", m->nconst_props ? " with constant properties" : "");
    }
    return m->name;
}

static int is_rate(const dp_metric *m)
{
    if (m->type != DP_METRIC_RATIO)
        return 0;
    static const char *words[] = {"rate", "share", "percentage", "proportion", "fraction", NULL};
    const char *texts[] = {m->label, m->description, m->name};
    for (int t = 0; t < 3; t++) {
        if (!texts[t])
            continue;
        for (int i = 0; words[i]; i++) {
            const char *p = strcasestr(texts[t], words[i]);
            size_t wl = strlen(words[i]);
            if (p && (p == texts[t] || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[wl]))
                return 1;
        }
    }
    return 0;
}

/* Sums keep a DECIMAL source's scale: DuckDB sums DECIMAL(p, s) as
 * DECIMAL(38, s); "DECIMAL" alone is DuckDB's DECIMAL(18, 3). */
static const char *decimal_sum_type(const char *type)
{
    int p = 0, sc = 3;
    const char *paren = strchr(type, '(');
    if (paren && sscanf(paren, "(%d , %d", &p, &sc) < 2)
        return "DOUBLE";
    if (sc < 0 || sc > 38)
        return "DOUBLE";
    static const char *by_scale[] = {
        "DECIMAL(38,0)",  "DECIMAL(38,1)",  "DECIMAL(38,2)",  "DECIMAL(38,3)",  "DECIMAL(38,4)",  "DECIMAL(38,5)",
        "DECIMAL(38,6)",  "DECIMAL(38,7)",  "DECIMAL(38,8)",  "DECIMAL(38,9)",  "DECIMAL(38,10)", "DECIMAL(38,11)",
        "DECIMAL(38,12)", "DECIMAL(38,13)", "DECIMAL(38,14)", "DECIMAL(38,15)", "DECIMAL(38,16)", "DECIMAL(38,17)",
        "DECIMAL(38,18)", "DECIMAL(38,19)", "DECIMAL(38,20)", "DECIMAL(38,21)", "DECIMAL(38,22)", "DECIMAL(38,23)",
        "DECIMAL(38,24)", "DECIMAL(38,25)", "DECIMAL(38,26)", "DECIMAL(38,27)", "DECIMAL(38,28)", "DECIMAL(38,29)",
        "DECIMAL(38,30)", "DECIMAL(38,31)", "DECIMAL(38,32)", "DECIMAL(38,33)", "DECIMAL(38,34)", "DECIMAL(38,35)",
        "DECIMAL(38,36)", "DECIMAL(38,37)", "DECIMAL(38,38)"};
    return by_scale[sc];
}

/* Is expression x of model m an integer for sure? Its values (outside the
 * conditions of CASE WHEN ... THEN) are integer literals or integer
 * columns joined by + - * and parentheses ("1", "case when amount >= 50
 * then 1 else 0 end"). Anything else (a division, a function, a decimal
 * literal) is not known here: its sum is designed DOUBLE, never a type
 * that would round it. */
static int int_expr(const dp_model *m, const char *x)
{
    int in_cond = 0, values = 0;
    for (const char *p = x; p && *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char w[128];
            snprintf(w, sizeof(w), "%.*s", (int)(p - s), s);
            if (!strcasecmp(w, "when")) {
                in_cond = 1;
                continue;
            }
            if (!strcasecmp(w, "then")) {
                in_cond = 0;
                continue;
            }
            if (in_cond || !strcasecmp(w, "case") || !strcasecmp(w, "else") || !strcasecmp(w, "end") ||
                !strcasecmp(w, "null"))
                continue;
            const dp_column *c = dp_kg_model_column(m, w);
            if (!c || strcmp(dp_type_family(c->type), "integer"))
                return 0;
            values++;
            continue;
        }
        if (in_cond) { /* a condition's operands: any type */
            p++;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*p))
                p++;
            if (*p == '.' || isalpha((unsigned char)*p))
                return 0;
            values++;
            continue;
        }
        if (!strchr("+-*()", *p))
            return 0;
        p++;
    }
    return values > 0;
}

const char *dp_model_measure_type(const dp_measure *me)
{
    switch (me->agg) {
    case DP_AGG_COUNT:
    case DP_AGG_COUNT_DISTINCT:
    case DP_AGG_SUM_BOOLEAN: return "BIGINT";
    case DP_AGG_AVERAGE:
        return "DOUBLE";
    default: break;
    }
    const dp_column *c = dp_kg_model_column(me->model, me->expr);
    /* an expression: the type DuckDB gave it when the catalog bound it */
    const char *type = c ? c->type : me->expr_type;
    if (!type)
        return me->agg == DP_AGG_SUM && int_expr(me->model, me->expr) ? "BIGINT" : "DOUBLE";
    const char *fam = dp_type_family(type);
    int numeric = !strcmp(fam, "integer") || !strcmp(fam, "decimal") || !strcmp(fam, "double");
    if (me->agg == DP_AGG_MIN || me->agg == DP_AGG_MAX)
        return type;
    if (me->agg == DP_AGG_MEDIAN || me->agg == DP_AGG_PERCENTILE)
        return numeric ? "DOUBLE" : type;
    if (!strcmp(fam, "integer")) /* sums of 128-bit or unsigned 64-bit need more than BIGINT */
        return strcasestr(type, "HUGEINT") || !strcasecmp(type, "UBIGINT") ? "HUGEINT" : "BIGINT";
    if (!strcmp(fam, "decimal"))
        return decimal_sum_type(type);
    return "DOUBLE";
}

/* Ratios, derived and conversion metrics are DOUBLE (docs/spec.md, "Column
 * types"): a quotient has no scale a DECIMAL could keep. */
void dp_model_compiled_part(const dp_design *in, dp_design *out)
{
    *out = *in;
    size_t n = 0;
    for (size_t i = 0; i < in->ncols; i++)
        if (in->cols[i].role != DP_ROLE_CALCULATED)
            out->cols[n++] = in->cols[i];
    out->ncols = n;
}

const char *dp_model_metric_type(const dp_kg *kg, const dp_metric *m)
{
    if (m->type == DP_METRIC_RATIO || m->type == DP_METRIC_DERIVED || m->type == DP_METRIC_CONVERSION)
        return "DOUBLE";
    const dp_measure *me = dp_kg_measure(kg, m->measure.name);
    if (!me)
        return "DOUBLE";
    /* a cumulative's average over the days of a period is no sum */
    if (m->type == DP_METRIC_CUMULATIVE && m->period_agg && !strcasecmp(m->period_agg, "average"))
        return "DOUBLE";
    return dp_model_measure_type(me);
}

const char *dp_model_measure_formula(const dp_measure *me, const char *filter, dp_arena *a)
{
    return measure_formula(me, filter, a);
}

/* The type of an entity's key as the product gives it: the key's values
 * come from the datasets read (their foreign keys), so their column type,
 * the widest integer when they differ in width, VARCHAR when they differ
 * otherwise (the compiler casts the key to it); home_type without any. */
static const char *key_type(const dp_discovery *d, const char *entity, const char *home_type)
{
    static const char *ints[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", NULL};
    const char *t = NULL;
    for (size_t i = 0; i < d->nselected; i++) {
        const dp_entity *e = dp_kg_model_entity(d->selected[i], entity);
        const dp_column *col = e ? dp_kg_model_column(d->selected[i], e->expr) : NULL;
        if (!col || !col->type)
            continue;
        if (!t || !strcasecmp(t, col->type)) {
            t = col->type;
            continue;
        }
        int a = -1, b = -1;
        for (int k = 0; ints[k]; k++) {
            a = strcasecmp(t, ints[k]) ? a : k;
            b = strcasecmp(col->type, ints[k]) ? b : k;
        }
        t = a >= 0 && b >= 0 ? ints[a > b ? a : b] : "VARCHAR";
    }
    return t ? t : home_type;
}

int dp_model_design(dp_design *dz, const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a,
                    dp_error *err)
{
    memset(dz, 0, sizeof(*dz));
    dz->name = dp_model__name(kg, in, d, a, &dz->name_reason);
    dz->table = dp_arena_printf(a, "gold.%s", dz->name);
    /* grain text: "weekly, by carrier" */
    char grain[512] = "";
    size_t off = 0, nk = 0;
    if (in->grain != DP_GRAIN_NONE)
        off += (size_t)snprintf(grain + off, sizeof(grain) - off, "one row per %s",
                                in->custom_grain ? in->custom_grain : dp_grain_name(in->grain));
    nk = 0;
    for (size_t i = 0; i < d->ncols; i++) {
        if (d->cols[i].kind == DP_COL_TIME || d->cols[i].attribute || off > 400)
            continue;
        const char *cn = d->cols[i].kind == DP_COL_ENTITY ? d->cols[i].entity : d->cols[i].name;
        off += (size_t)snprintf(grain + off, sizeof(grain) - off, "%s%s", off == 0 ? "one row per " : nk ? " and " : ", by ", cn);
        nk++;
    }
    if (!off)
        snprintf(grain, sizeof(grain), "one row in total");
    dz->grain_text = dp_arena_strdup(a, grain);
    for (size_t i = 0; i < d->ncols; i++) {
        const dp_grain_col *g = &d->cols[i];
        dp_target_col *c = &dz->cols[dz->ncols++];
        c->name = g->name;
        c->grain = g;
        c->is_key = !g->attribute; /* an attribute follows from its entity's key */
        c->not_null = g->kind == DP_COL_TIME || g->kind == DP_COL_ENTITY;
        c->description = g->description;
        if (g->kind == DP_COL_TIME) {
            c->role = DP_ROLE_TIME;
            c->type = "DATE";
            c->formula = dp_arena_printf(a, "date_trunc('%s', agg time dimension)", dp_grain_name(in->grain));
            for (size_t s = 0; in->custom_grain && s < kg->nspines; s++)
                for (size_t j = 0; j < kg->spines[s].ncustom; j++)
                    if (!strcmp(kg->spines[s].custom[j].name, in->custom_grain)) {
                        c->type = kg->spines[s].custom[j].type ? kg->spines[s].custom[j].type : "DATE";
                        c->formula = dp_arena_printf(a, "%s.%s of the agg time dimension's day", kg->spines[s].model,
                                                     kg->spines[s].custom[j].column);
                    }
        } else if (g->kind == DP_COL_DIM) {
            c->role = DP_ROLE_DIMENSION;
            c->type = g->dim->column ? g->dim->column->type : "VARCHAR";
            c->formula = dp_arena_printf(a, "%s.%s", g->dim_model->name, g->dim->expr);
            if (!c->description)
                c->description = dp_arena_printf(a, "%s of %s", g->dim->name, g->dim_model->name);
        } else {
            c->role = DP_ROLE_ENTITY;
            const dp_entity *e = g->dim_model ? dp_kg_model_entity(g->dim_model, g->entity) : NULL;
            const dp_column *col = e && g->dim_model ? dp_kg_model_column(g->dim_model, e->expr) : NULL;
            c->type = key_type(d, g->entity, col ? col->type : "VARCHAR");
            c->formula = e ? dp_arena_printf(a, "%s.%s", g->dim_model->name, e->expr) : g->entity;
        }
    }
    for (size_t i = 0; i < in->nmetrics; i++) {
        const dp_metric *m = in->metrics[i];
        dp_target_col *c = &dz->cols[dz->ncols++];
        c->role = DP_ROLE_METRIC;
        c->metric = m;
        c->name = m->name;
        for (size_t k = 0; k + 1 < dz->ncols; k++)
            if (!strcmp(dz->cols[k].name, m->name))
                c->name = dp_arena_printf(a, "%s_value", m->name);
        c->type = dp_model_metric_type(kg, m);
        c->formula = dp_metric_formula(kg, m, a, 0);
        /* a share the request defines ("X as a percentage of Y") is a
         * fraction, but nothing says X is a part of Y: no [0, 1] rule */
        int defined = 0;
        for (size_t k = 0; k < in->ndefined; k++)
            defined |= in->defined[k] == m;
        c->is_rate = !defined && is_rate(m);
        c->description = m->description ? m->description : m->label ? m->label : m->name;
    }
    char desc[700], req[DP_INTENT_MAX_REQUEST + 1];
    snprintf(req, sizeof(req), "%s", in->request);
    for (size_t l = strlen(req); l && strchr(".!?;: \t\n", req[l - 1]); l--)
        req[l - 1] = 0;
    snprintf(desc, sizeof(desc), "%s: %s.", req, dz->grain_text);
    dz->description = dp_arena_strdup(a, desc);
    (void)err;
    return 0;
}

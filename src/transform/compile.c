/* Metric compiler. Each measure is aggregated in a CTE over its own dataset
 * at the requested grain (joins only towards primary keys, so rows never
 * multiply); CTEs of different datasets or time dimensions are then joined on
 * the grain with a FULL OUTER JOIN and COALESCEd keys; ratios are ratios of
 * the aggregated sums with NULLIF on the denominator. */
#include "transform/compile.h"
#include "catalog/bind.h"
#include "catalog/db.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_CTES 16
#define MAX_MCOLS 48
#define MAX_JOINS 16

typedef struct mcol {
    const dp_measure *me;
    const char *filter; /* rendered SQL, or NULL */
    const char *filter_raw;
    const char *name;
} mcol;

typedef struct cte {
    const dp_model *model;
    const char *time_dim; /* agg time dimension name (NULL when no grain/range) */
    const char *name;
    mcol cols[MAX_MCOLS];
    size_t n;
    const dp_model *joined[MAX_JOINS];
    dp_join_step steps[MAX_JOINS];
    size_t njoins;
    const char *shift; /* offset window: each period moved forward by this interval */
    int daily;         /* rows per day (metric_day), no lower range bound: feeds a cumulative */
    int helper;        /* feeds another CTE; not joined into the result */
    const char *body;  /* hand-built body (cumulative windows) */
} cte;

typedef struct comp {
    const dp_kg *kg;
    const dp_intent *in;
    const dp_discovery *d;
    const dp_design *design;
    dp_dialect dialect;
    dp_arena *a;
    dp_error *err;
    cte ctes[MAX_CTES];
    size_t nctes;
    json_t *lineage_sources; /* per current metric: array of "model.column" */
    const char *shift;       /* offset window in force while compiling an input */
} comp;

static const char *qi(comp *c, const char *name)
{
    if (dp_is_identifier(name)) {
        /* lowercase plain identifiers need no quotes */
        int plain = 1;
        for (const char *p = name; *p; p++)
            plain &= !isupper((unsigned char)*p);
        static const char *reserved[] = {"order", "group", "select", "from", "where", "user", "table", "limit",
                                         "offset", "end", "case", "desc", "asc", "all", "and", "or", "not", "to",
                                         "default", "window", "year", "month", "day", "check", "primary", NULL};
        for (int i = 0; reserved[i] && plain; i++)
            plain = strcmp(name, reserved[i]) != 0;
        if (plain)
            return name;
    }
    char buf[512];
    return dp_arena_strdup(c->a, dp_sql_quote_ident(name, buf, sizeof(buf)) ? buf : "\"?\"");
}

static const char *table_ref(comp *c, const dp_model *m)
{
    return dp_arena_printf(c->a, "%s.%s", qi(c, m->schema), qi(c, m->table));
}

/* PostgreSQL has no date_diff: DuckDB's date_diff(part, a, b) (or
 * datediff) counts the boundaries of part between a and b, which is date
 * subtraction for days (and its truncated sevenths for weeks), EXTRACT
 * arithmetic for months, quarters and years, and floored epochs for hours,
 * minutes and seconds. Calls with another part are left as they are (and
 * fail in PostgreSQL with its message). sql is catalog SQL, possibly with
 * nested calls; the DuckDB dialect gets it unchanged. */
static const char *pg_functions(comp *c, const char *sql)
{
    if (c->dialect != DP_DIALECT_POSTGRES || !sql)
        return sql;
    int any = 0;
    for (const char *q = sql; *q && !any; q++)
        any = !strncasecmp(q, "datediff", 8) || !strncasecmp(q, "date_diff", 9);
    if (!any)
        return sql;
    static const struct {
        const char *names, *fmt; /* fmt: %1$s is the end, %2$s the start */
    } parts[] = {
        {" day days d ", "(CAST(%1$s AS DATE) - CAST(%2$s AS DATE))"},
        {" week weeks w ", "((CAST(%1$s AS DATE) - CAST(%2$s AS DATE)) / 7)"},
        {" month months mon ", "CAST((EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s)) * 12 + EXTRACT(MONTH FROM %1$s) - "
                               "EXTRACT(MONTH FROM %2$s) AS BIGINT)"},
        {" quarter quarters ", "CAST((EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s)) * 4 + EXTRACT(QUARTER FROM %1$s) - "
                               "EXTRACT(QUARTER FROM %2$s) AS BIGINT)"},
        {" year years y yr ", "CAST(EXTRACT(YEAR FROM %1$s) - EXTRACT(YEAR FROM %2$s) AS BIGINT)"},
        {" hour hours h hr ", "CAST(floor(EXTRACT(EPOCH FROM %1$s) / 3600) - floor(EXTRACT(EPOCH FROM %2$s) / 3600) AS BIGINT)"},
        {" minute minutes min ", "CAST(floor(EXTRACT(EPOCH FROM %1$s) / 60) - floor(EXTRACT(EPOCH FROM %2$s) / 60) AS BIGINT)"},
        {" second seconds s sec ", "CAST(floor(EXTRACT(EPOCH FROM %1$s)) - floor(EXTRACT(EPOCH FROM %2$s)) AS BIGINT)"},
    };
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            char qc = *p;
            const char *s = p++;
            while (*p && !(*p == qc && p[1] != qc))
                p += *p == qc ? 2 : 1;
            if (*p)
                p++;
            dp_buf_add(&b, s, (size_t)(p - s));
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            dp_buf_add(&b, p, 1);
            p++;
            continue;
        }
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t len = (size_t)(p - s);
        const char *q = p;
        while (isspace((unsigned char)*q))
            q++;
        int fn = *q == '(' && (s == sql || s[-1] != '.') &&
                 ((len == 9 && !strncasecmp(s, "date_diff", 9)) || (len == 8 && !strncasecmp(s, "datediff", 8)));
        /* the three arguments at depth 0 */
        const char *arg[3] = {0}, *end = NULL;
        size_t alen[3] = {0};
        int n = 0, depth = 0;
        for (const char *r = q + 1, *a0 = q + 1; fn && *r && !end; r++) {
            if (*r == '\'' || *r == '"') {
                char qc = *r++;
                while (*r && !(*r == qc && r[1] != qc))
                    r += *r == qc ? 2 : 1;
                if (!*r)
                    break;
            } else if (*r == '(') {
                depth++;
            } else if ((*r == ')' && depth == 0) || (*r == ',' && depth == 0)) {
                if (n == 3) {
                    n = 4;
                    break;
                }
                arg[n] = a0;
                alen[n++] = (size_t)(r - a0);
                a0 = r + 1;
                if (*r == ')')
                    end = r + 1;
            } else if (*r == ')') {
                depth--;
            }
        }
        const char *fmt = NULL;
        if (end && n == 3) {
            while (alen[0] && isspace((unsigned char)*arg[0]))
                arg[0]++, alen[0]--;
            while (alen[0] && isspace((unsigned char)arg[0][alen[0] - 1]))
                alen[0]--;
            char part[24];
            if (alen[0] >= 3 && alen[0] < sizeof(part) && arg[0][0] == '\'' && arg[0][alen[0] - 1] == '\'') {
                snprintf(part, sizeof(part), " %.*s ", (int)alen[0] - 2, arg[0] + 1);
                for (char *z = part; *z; z++)
                    *z = (char)tolower((unsigned char)*z);
                for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !fmt; i++)
                    if (strstr(parts[i].names, part))
                        fmt = parts[i].fmt;
            }
        }
        if (!fmt) {
            dp_buf_add(&b, s, len);
            continue;
        }
        const char *from = pg_functions(c, dp_arena_printf(c->a, "%.*s", (int)alen[1], arg[1]));
        const char *to = pg_functions(c, dp_arena_printf(c->a, "%.*s", (int)alen[2], arg[2]));
        while (isspace((unsigned char)*from))
            from++;
        while (isspace((unsigned char)*to))
            to++;
        char *f2 = dp_arena_strdup(c->a, from), *t2 = dp_arena_strdup(c->a, to);
        for (size_t k = strlen(f2); k && isspace((unsigned char)f2[k - 1]); k--)
            f2[k - 1] = 0;
        for (size_t k = strlen(t2); k && isspace((unsigned char)t2[k - 1]); k--)
            t2[k - 1] = 0;
        dp_buf_printf(&b, fmt, t2, f2);
        p = end;
    }
    const char *out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
    dp_buf_dispose(&b);
    return out;
}

/* Prefixes bare column names of model m in expr with alias. */
static const char *qualify(comp *c, const char *expr, const char *alias, const dp_model *m, json_t *sources)
{
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = expr;
    static const char *kw[] = {"case", "when", "then", "else", "end", "and", "or", "not", "null", "is", "in",
                               "as", "cast", "true", "false", "between", "like", "ilike", "distinct", "interval",
                               "date", "timestamp", "integer", "bigint", "double", "varchar", "numeric", "decimal",
                               "boolean", "text", "float", "real", "smallint", "exists", "coalesce", NULL};
    while (*p) {
        if (*p == '\'') {
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            dp_buf_add(&b, s, (size_t)(p - s));
            continue;
        }
        if (*p == '"') {
            const char *s = p++;
            while (*p && *p != '"')
                p++;
            if (*p)
                p++;
            char name[256];
            size_t len = (size_t)(p - s);
            if (len >= 2 && len - 2 < sizeof(name)) {
                memcpy(name, s + 1, len - 2);
                name[len - 2] = 0;
                if (dp_kg_model_column(m, name) && (s == expr || s[-1] != '.')) {
                    dp_buf_printf(&b, "%s.", alias);
                    if (sources)
                        json_array_append_new(sources, json_sprintf("%s.%s", m->name, name));
                }
            }
            dp_buf_add(&b, s, len);
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char word[256];
            size_t len = (size_t)(p - s);
            if (len >= sizeof(word)) {
                dp_buf_add(&b, s, len);
                continue;
            }
            memcpy(word, s, len);
            word[len] = 0;
            const char *q = p;
            while (*q == ' ')
                q++;
            int is_kw = 0;
            for (int i = 0; kw[i] && !is_kw; i++)
                is_kw = !strcasecmp(word, kw[i]);
            int qualified = s > expr && s[-1] == '.';
            const dp_column *col = dp_kg_model_column(m, word);
            if (!is_kw && !qualified && *q != '(' && *q != '.' && col) {
                dp_buf_printf(&b, "%s.%s", alias, qi(c, col->name));
                if (sources)
                    json_array_append_new(sources, json_sprintf("%s.%s", m->name, col->name));
            } else {
                dp_buf_add(&b, s, len);
            }
            continue;
        }
        dp_buf_add(&b, p, 1);
        p++;
    }
    const char *out = pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
    dp_buf_dispose(&b);
    return out;
}

static int cte_join(comp *c, cte *t, const dp_model *to)
{
    if (to == t->model)
        return 0;
    for (size_t i = 0; i < t->njoins; i++)
        if (t->joined[i] == to)
            return 0;
    dp_path p;
    int amb;
    if (dp_join_path(&p, c->kg, t->model, to, &amb))
        return dp_error_set(c->err, DP_ECLARIFY, "dataset %s has no join path to %s", t->model->name, to->name);
    for (size_t s = 0; s < p.n; s++) {
        int have = 0;
        for (size_t i = 0; i < t->njoins; i++)
            have |= t->joined[i] == p.steps[s].to;
        if (have)
            continue;
        if (t->njoins >= MAX_JOINS)
            return dp_error_set(c->err, DP_ELIMIT, "more than %d joins in one dataset", MAX_JOINS);
        t->joined[t->njoins] = p.steps[s].to;
        t->steps[t->njoins++] = p.steps[s];
    }
    return 0;
}

/* {{ Dimension('entity__dim') }}, {{ TimeDimension('entity__dim', 'grain') }},
 * {{ Entity('entity') }} -> column references in the scope of cte t. */
static const char *render_filter(comp *c, cte *t, const char *text)
{
    if (!text)
        return NULL;
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = text;
    const char *result = NULL;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            dp_buf_puts(&b, p);
            break;
        }
        dp_buf_add(&b, p, (size_t)(open - p));
        const char *close = strstr(open, "}}");
        if (!close) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': unclosed {{", text);
            goto done;
        }
        char inner[512];
        size_t len = (size_t)(close - open - 2);
        if (len >= sizeof(inner)) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': template too long", text);
            goto done;
        }
        memcpy(inner, open + 2, len);
        inner[len] = 0;
        char fn[32] = "", arg[256] = "", arg2[64] = "";
        const char *q1 = strpbrk(inner, "'\"");
        const char *q2 = q1 ? strchr(q1 + 1, *q1) : NULL;
        const char *paren = strchr(inner, '(');
        if (!paren || !q1 || !q2 || (size_t)(q2 - q1 - 1) >= sizeof(arg)) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': cannot read template '%s'", text, inner);
            goto done;
        }
        const char *fs = inner;
        while (*fs == ' ')
            fs++;
        snprintf(fn, sizeof(fn), "%.*s", (int)(paren - fs), fs);
        for (char *z = fn + strlen(fn); z > fn && z[-1] == ' '; z--)
            z[-1] = 0;
        snprintf(arg, sizeof(arg), "%.*s", (int)(q2 - q1 - 1), q1 + 1);
        const char *q3 = strpbrk(q2 + 1, "'\"");
        const char *q4 = q3 ? strchr(q3 + 1, *q3) : NULL;
        if (q3 && q4 && (size_t)(q4 - q3 - 1) < sizeof(arg2))
            snprintf(arg2, sizeof(arg2), "%.*s", (int)(q4 - q3 - 1), q3 + 1);
        const char *ref = NULL;
        if (!strcmp(fn, "Entity")) {
            const dp_entity *e = dp_kg_model_entity(t->model, arg);
            if (e)
                ref = qualify(c, e->expr, qi(c, t->model->name), t->model, NULL);
        } else if (!strcmp(fn, "Dimension") || !strcmp(fn, "TimeDimension")) {
            const char *sep = strstr(arg, "__");
            const char *dim = sep ? sep + 2 : arg;
            char ent[128] = "";
            if (sep && (size_t)(sep - arg) < sizeof(ent))
                snprintf(ent, sizeof(ent), "%.*s", (int)(sep - arg), arg);
            const dp_model *home = NULL;
            if (!ent[0] || dp_kg_model_entity(t->model, ent)) {
                const dp_entity *e = ent[0] ? dp_kg_model_entity(t->model, ent) : NULL;
                if (dp_kg_model_dim(t->model, dim) && (!e || e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE || !ent[0]))
                    home = t->model;
            }
            if (!home && ent[0]) {
                const dp_model *h = dp_kg_entity_home(c->kg, ent);
                if (h && dp_kg_model_dim(h, dim))
                    home = h;
            }
            if (home) {
                if (cte_join(c, t, home))
                    goto done;
                const dp_dimension *dd = dp_kg_model_dim(home, dim);
                ref = qualify(c, dd->expr, qi(c, home->name), home, c->lineage_sources);
                if (!strcmp(fn, "TimeDimension") && arg2[0])
                    ref = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", arg2, ref);
            }
        }
        if (!ref) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': %s('%s') names nothing the dataset %s can reach", text, fn,
                         arg, t->model->name);
            goto done;
        }
        dp_buf_puts(&b, ref);
        p = close + 2;
    }
    result = pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
done:
    dp_buf_dispose(&b);
    return result;
}

static const char *and_filters(comp *c, const char *a1, const char *a2)
{
    if (!a1)
        return a2;
    if (!a2)
        return a1;
    return dp_arena_printf(c->a, "(%s) AND (%s)", a1, a2);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The CTE column holding measure me under filter (raw text), at the report
 * grain, or per day for a cumulative window, or shifted by an offset window. */
static const char *measure_ref_at(comp *c, const dp_measure *me, const char *filter_raw, int daily, cte **out_cte)
{
    const char *tdim = c->design && (c->in->grain != DP_GRAIN_NONE || c->in->range_start) ? me->agg_time_dimension : NULL;
    if ((c->in->grain != DP_GRAIN_NONE || c->in->range_start) && !tdim) {
        dp_error_set(c->err, DP_ECLARIFY, "measure '%s' of %s has no time dimension, so it cannot be reported by %s",
                     me->name, me->model->name, c->in->grain ? dp_grain_name(c->in->grain) : "time range");
        return NULL;
    }
    if (me->non_additive_dim) {
        dp_error_set(c->err, DP_ECLARIFY, "measure '%s' is semi-additive (non_additive_dimension %s), which the compiler does not support yet",
                     me->name, me->non_additive_dim);
        return NULL;
    }
    cte *t = NULL;
    for (size_t i = 0; i < c->nctes && !t; i++)
        if (c->ctes[i].model == me->model && !c->ctes[i].body && same_str(tdim, c->ctes[i].time_dim) &&
            same_str(c->shift, c->ctes[i].shift) && c->ctes[i].daily == daily)
            t = &c->ctes[i];
    if (!t) {
        if (c->nctes >= MAX_CTES) {
            dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
            return NULL;
        }
        t = &c->ctes[c->nctes++];
        memset(t, 0, sizeof(*t));
        t->model = me->model;
        t->time_dim = tdim;
        t->shift = c->shift;
        t->daily = daily;
        t->helper = daily;
        int same_model = 0;
        for (size_t i = 0; i + 1 < c->nctes; i++)
            same_model |= c->ctes[i].model == me->model && !c->ctes[i].body;
        t->name = same_model ? dp_arena_printf(c->a, "%s_by_%s", me->model->name, tdim)
                             : dp_arena_printf(c->a, "%s_agg", me->model->name);
        if (daily)
            t->name = dp_arena_printf(c->a, "%s_daily", t->name);
        if (c->shift) {
            char sfx[64];
            size_t k = 0;
            for (const char *q = c->shift; *q && k < sizeof(sfx) - 1; q++)
                sfx[k++] = isalnum((unsigned char)*q) ? *q : '_';
            sfx[k] = 0;
            t->name = dp_arena_printf(c->a, "%s_%s_earlier", t->name, sfx);
        }
    }
    if (out_cte)
        *out_cte = t;
    for (size_t i = 0; i < t->n; i++)
        if (t->cols[i].me == me && ((!filter_raw && !t->cols[i].filter_raw) ||
                                    (filter_raw && t->cols[i].filter_raw && !strcmp(filter_raw, t->cols[i].filter_raw)))) {
            if (c->lineage_sources)
                qualify(c, me->expr, "x", me->model, c->lineage_sources);
            return dp_arena_printf(c->a, "%s.%s", qi(c, t->name), qi(c, t->cols[i].name));
        }
    if (t->n >= MAX_MCOLS) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d measures on one dataset", MAX_MCOLS);
        return NULL;
    }
    mcol *mc = &t->cols[t->n];
    mc->me = me;
    mc->filter_raw = filter_raw;
    if (filter_raw && !(mc->filter = render_filter(c, t, filter_raw)))
        return NULL;
    int dup = 0;
    for (size_t i = 0; i < t->n; i++)
        dup += !strcmp(t->cols[i].me->name, me->name);
    mc->name = dup ? dp_arena_printf(c->a, "%s_%d", me->name, dup + 1) : me->name;
    t->n++;
    if (c->lineage_sources)
        qualify(c, me->expr, "x", me->model, c->lineage_sources);
    return dp_arena_printf(c->a, "%s.%s", qi(c, t->name), qi(c, mc->name));
}

static const char *measure_ref(comp *c, const dp_measure *me, const char *filter_raw)
{
    return measure_ref_at(c, me, filter_raw, 0, NULL);
}

static const char *metric_sql(comp *c, const dp_metric *m, const char *extra_filter, int depth);

/* "7 days", "1 month", "2 weeks", "1 quarter" -> an interval both dialects
 * read; NULL when the window is not of that form. */
static const char *interval_of(comp *c, long n, const char *unit_in)
{
    char unit[32];
    snprintf(unit, sizeof(unit), "%s", unit_in);
    size_t ul = strlen(unit);
    if (ul > 1 && unit[ul - 1] == 's')
        unit[--ul] = 0;
    if (!strcmp(unit, "quarter")) {
        n *= 3;
        snprintf(unit, sizeof(unit), "month");
    }
    if (n < 0 || n > 100000 || (strcmp(unit, "day") && strcmp(unit, "week") && strcmp(unit, "month") && strcmp(unit, "year")))
        return NULL;
    return dp_arena_printf(c->a, "INTERVAL '%ld %s%s'", n, unit, n == 1 ? "" : "s");
}

static const char *interval_sql(comp *c, const char *window)
{
    long n;
    char unit[32];
    if (!window || sscanf(window, "%ld %31s", &n, unit) != 2)
        return NULL;
    return interval_of(c, n, unit);
}

/* Cumulative metric: the measure per day and grain key, then summed over
 * the window that ends with each period (rolling window, grain to date, or
 * all history), for the periods the data has. */
static const char *cumulative_sql(comp *c, const dp_metric *m, const char *filter)
{
    const dp_measure *me = dp_kg_measure(c->kg, m->measure.name);
    if (!me)
        return NULL;
    if (c->in->grain == DP_GRAIN_NONE) {
        dp_error_set(c->err, DP_ECLARIFY, "metric '%s' is cumulative: ask for it by day, week, month, quarter or year", m->name);
        return NULL;
    }
    if (me->agg != DP_AGG_SUM && me->agg != DP_AGG_COUNT && me->agg != DP_AGG_SUM_BOOLEAN) {
        dp_error_set(c->err, DP_ECLARIFY, "cumulative metric '%s' aggregates with %s, which cannot be summed over a window yet",
                     m->name, dp_agg_name(me->agg));
        return NULL;
    }
    const char *win = NULL;
    dp_grain gtd = DP_GRAIN_NONE;
    if (m->window && !(win = interval_sql(c, m->window))) {
        dp_error_set(c->err, DP_EINVALID, "cumulative metric '%s': window '%s' is not like '7 days' or '1 month'", m->name, m->window);
        return NULL;
    }
    if (m->grain_to_date && dp_grain_parse(m->grain_to_date, &gtd)) {
        dp_error_set(c->err, DP_EINVALID, "cumulative metric '%s': grain_to_date '%s' is not a grain", m->name, m->grain_to_date);
        return NULL;
    }
    cte *daily = NULL;
    const char *ref = measure_ref_at(c, me, and_filters(c, filter, m->measure.filter), 1, &daily);
    if (!ref)
        return NULL;
    const char *col = strrchr(ref, '.') + 1;
    for (size_t i = 0; i < c->nctes; i++)
        if (c->ctes[i].body && !strcmp(c->ctes[i].name, dp_arena_printf(c->a, "%s_cumulative", m->name)))
            return dp_arena_printf(c->a, "%s.%s", qi(c, c->ctes[i].name), qi(c, m->name));
    if (c->nctes >= MAX_CTES) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d datasets in one query", MAX_CTES);
        return NULL;
    }
    cte *w = &c->ctes[c->nctes++];
    memset(w, 0, sizeof(*w));
    w->model = me->model;
    w->time_dim = daily->time_dim;
    w->name = dp_arena_printf(c->a, "%s_cumulative", m->name);
    const dp_design *dz = c->design;
    const char *tname = "period", *keys = "", *grp = "1";
    size_t nk = 1;
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        if (tc->role == DP_ROLE_METRIC)
            continue;
        if (tc->role == DP_ROLE_TIME) {
            tname = qi(c, tc->name);
            continue;
        }
        keys = dp_arena_printf(c->a, "%s        daily.%s,\n", keys, qi(c, tc->name));
        grp = dp_arena_printf(c->a, "%s, %zu", grp, ++nk);
    }
    const char *gi = interval_of(c, 1, dp_grain_name(c->in->grain));
    const char *range = c->in->range_start
                            ? dp_arena_printf(c->a, "\n        WHERE metric_day >= DATE '%s' AND metric_day < DATE '%s'",
                                              c->in->range_start, c->in->range_end)
                            : "";
    const char *lower = win ? dp_arena_printf(c->a, "\n       AND daily.metric_day >= spine.%s + %s - %s", tname, gi, win)
                        : gtd ? dp_arena_printf(c->a, "\n       AND daily.metric_day >= date_trunc('%s', spine.%s)", dp_grain_name(gtd), tname)
                              : "";
    const char *what = m->window ? m->window
                       : m->grain_to_date ? dp_arena_printf(c->a, "%s to date", m->grain_to_date) : "all history";
    w->body = dp_arena_printf(c->a,
                              "    -- %s: %s over %s, as of the end of each %s\n"
                              "    SELECT\n        spine.%s,\n%s        sum(daily.%s) AS %s\n"
                              "    FROM (\n        SELECT DISTINCT CAST(date_trunc('%s', metric_day) AS DATE) AS %s\n"
                              "        FROM %s%s\n    ) AS spine\n"
                              "    JOIN %s AS daily\n        ON daily.metric_day < spine.%s + %s%s\n"
                              "    GROUP BY %s",
                              m->name, dp_agg_name(me->agg), what, dp_grain_name(c->in->grain), tname, keys, qi(c, col),
                              qi(c, m->name), dp_grain_name(c->in->grain), tname, qi(c, daily->name), range,
                              qi(c, daily->name), tname, gi, lower, grp);
    return dp_arena_printf(c->a, "%s.%s", qi(c, w->name), qi(c, m->name));
}

static const char *dbl(comp *c)
{
    return c->dialect == DP_DIALECT_POSTGRES ? "DOUBLE PRECISION" : "DOUBLE";
}

/* A ratio's numerator/denominator: a metric or a measure. */
static const char *input_sql(comp *c, const dp_metric_input *in, const char *filter, int depth)
{
    const char *f = and_filters(c, filter, in->filter);
    const dp_metric *sub = dp_kg_metric(c->kg, in->name);
    if (sub)
        return metric_sql(c, sub, f, depth + 1);
    const dp_measure *me = dp_kg_measure(c->kg, in->name);
    if (!me) {
        dp_error_set(c->err, DP_EINVALID, "'%s' is neither a metric nor a measure", in->name);
        return NULL;
    }
    return measure_ref(c, me, f);
}

static const char *derived_sql(comp *c, const dp_metric *m, const char *filter, int depth)
{
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = m->expr, *out = NULL;
    while (*p) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t len = (size_t)(p - s);
            const dp_metric_input *hit = NULL;
            for (size_t i = 0; i < m->ninputs && !hit; i++) {
                const char *nm = m->inputs[i].alias ? m->inputs[i].alias : m->inputs[i].name;
                if (strlen(nm) == len && !strncmp(nm, s, len))
                    hit = &m->inputs[i];
            }
            if (!hit) {
                dp_buf_add(&b, s, len);
                continue;
            }
            if (hit->offset_to_grain) {
                dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s' uses offset_to_grain, which the compiler does not support yet",
                             m->name);
                goto done;
            }
            const char *saved = c->shift;
            if (hit->offset_window) {
                if (c->in->grain == DP_GRAIN_NONE) {
                    dp_error_set(c->err, DP_ECLARIFY, "derived metric '%s' compares periods (offset %s): ask for it by day, week, month, quarter or year",
                                 m->name, hit->offset_window);
                    goto done;
                }
                if (c->shift || !interval_sql(c, hit->offset_window)) {
                    dp_error_set(c->err, DP_EINVALID, "derived metric '%s': offset_window '%s' is not like '1 month' (or is nested)",
                                 m->name, hit->offset_window);
                    goto done;
                }
                c->shift = hit->offset_window;
            }
            const dp_metric *sub = dp_kg_metric(c->kg, hit->name);
            const char *v = sub ? metric_sql(c, sub, and_filters(c, filter, hit->filter), depth + 1) : NULL;
            c->shift = saved;
            if (!v)
                goto done;
            if (hit->fill_nulls_with_set)
                v = dp_arena_printf(c->a, "COALESCE(%s, %ld)", v, hit->fill_nulls_with);
            dp_buf_printf(&b, "(%s)", v);
            continue;
        }
        dp_buf_add(&b, p, 1);
        p++;
    }
    /* integer division would truncate in PostgreSQL: divide as double */
    out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
    if (strchr(m->expr, '/')) {
        dp_buf_clear(&b);
        for (const char *q = out; *q; q++) {
            if (*q == '/') {
                dp_buf_printf(&b, "* CAST(1 AS %s) /", dbl(c));
            } else {
                dp_buf_add(&b, q, 1);
            }
        }
        out = dp_arena_strdup(c->a, dp_buf_cstr(&b));
    }
done:
    dp_buf_dispose(&b);
    return out;
}

static const char *metric_sql(comp *c, const dp_metric *m, const char *extra_filter, int depth)
{
    if (depth > 12) {
        dp_error_set(c->err, DP_EINVALID, "metric '%s' refers to itself through other metrics", m->name);
        return NULL;
    }
    const char *f = and_filters(c, m->filter, extra_filter);
    switch (m->type) {
    case DP_METRIC_SIMPLE: {
        const dp_measure *me = dp_kg_measure(c->kg, m->measure.name);
        const char *r = me ? measure_ref(c, me, and_filters(c, f, m->measure.filter)) : NULL;
        if (r && m->measure.fill_nulls_with_set)
            r = dp_arena_printf(c->a, "COALESCE(%s, %ld)", r, m->measure.fill_nulls_with);
        return r;
    }
    case DP_METRIC_RATIO: {
        const char *num = input_sql(c, &m->numerator, f, depth);
        const char *den = num ? input_sql(c, &m->denominator, f, depth) : NULL;
        if (!num || !den)
            return NULL;
        return dp_arena_printf(c->a, "CAST(%s AS %s) / NULLIF(%s, 0)", num, dbl(c), den);
    }
    case DP_METRIC_DERIVED: return derived_sql(c, m, f, depth);
    case DP_METRIC_CUMULATIVE:
        if (c->shift) {
            dp_error_set(c->err, DP_ECLARIFY, "metric '%s': an offset of a cumulative metric is not supported yet", m->name);
            return NULL;
        }
        return cumulative_sql(c, m, f);
    case DP_METRIC_CONVERSION:
        dp_error_set(c->err, DP_ECLARIFY, "metric '%s' is a conversion metric, which the compiler does not support yet", m->name);
        return NULL;
    }
    return NULL;
}

static const char *agg_sql(comp *c, const mcol *mc, const char *alias)
{
    const dp_measure *me = mc->me;
    const char *x = qualify(c, me->expr, alias, me->model, NULL);
    const char *f = mc->filter ? dp_arena_printf(c->a, " FILTER (WHERE %s)", mc->filter) : "";
    switch (me->agg) {
    case DP_AGG_SUM: return dp_arena_printf(c->a, "sum(%s)%s", x, f);
    case DP_AGG_COUNT: return dp_arena_printf(c->a, "count(%s)%s", x, f);
    case DP_AGG_COUNT_DISTINCT: return dp_arena_printf(c->a, "count(DISTINCT %s)%s", x, f);
    case DP_AGG_SUM_BOOLEAN: return dp_arena_printf(c->a, "sum(CASE WHEN %s THEN 1 ELSE 0 END)%s", x, f);
    case DP_AGG_AVERAGE: return dp_arena_printf(c->a, "avg(%s)%s", x, f);
    case DP_AGG_MIN: return dp_arena_printf(c->a, "min(%s)%s", x, f);
    case DP_AGG_MAX: return dp_arena_printf(c->a, "max(%s)%s", x, f);
    case DP_AGG_MEDIAN:
    case DP_AGG_PERCENTILE:
        return dp_arena_printf(c->a, "percentile_%s(%g) WITHIN GROUP (ORDER BY %s)%s",
                               me->use_discrete_percentile ? "disc" : "cont", me->percentile, x, f);
    }
    return NULL;
}

static const char *literal(comp *c, const char *v)
{
    char buf[1024];
    return dp_arena_strdup(c->a, dp_sql_quote_literal(v, buf, sizeof(buf)) ? buf : "''");
}

static int emit_cte(comp *c, dp_buf *b, cte *t)
{
    const dp_design *dz = c->design;
    const char *alias = qi(c, t->model->name);
    /* joins needed for grain columns and filters */
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        if (tc->role == DP_ROLE_DIMENSION && cte_join(c, t, tc->grain->dim_model))
            return -1;
        if (tc->role == DP_ROLE_ENTITY && !dp_kg_model_entity(t->model, tc->grain->entity) &&
            cte_join(c, t, tc->grain->dim_model))
            return -1;
    }
    for (size_t k = 0; k < c->d->nfilters; k++)
        if (cte_join(c, t, c->d->filters[k].model))
            return -1;
    if (t->body) {
        dp_buf_printf(b, "%s AS (\n%s\n)", qi(c, t->name), t->body);
        return 0;
    }
    const char *sh = t->shift ? interval_sql(c, t->shift) : NULL;
    dp_buf_printf(b, "%s AS (\n    -- %s %s", qi(c, t->name), t->model->name,
                  t->daily ? "per day (input of a cumulative window)" : "at the report grain");
    if (t->time_dim)
        dp_buf_printf(b, " (time: %s)", t->time_dim);
    if (sh)
        dp_buf_printf(b, ", each %s moved %s later to meet the period it is compared with", dp_grain_name(c->in->grain), t->shift);
    dp_buf_puts(b, "\n    SELECT\n");
    size_t ng = 0;
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        const char *expr = NULL;
        if (tc->role == DP_ROLE_TIME) {
            const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
            const char *x = qualify(c, td->expr, alias, t->model, NULL);
            if (t->daily) {
                dp_buf_printf(b, "        CAST(date_trunc('day', %s) AS DATE) AS metric_day,\n", x);
                ng++;
                continue;
            }
            expr = sh ? dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) + %s AS DATE)", dp_grain_name(c->in->grain), x, sh)
                      : dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(c->in->grain), x);
        } else if (tc->role == DP_ROLE_DIMENSION) {
            const dp_model *dm = tc->grain->dim_model;
            expr = qualify(c, tc->grain->dim->expr, qi(c, dm->name), dm, NULL);
        } else if (tc->role == DP_ROLE_ENTITY) {
            const dp_entity *e = dp_kg_model_entity(t->model, tc->grain->entity);
            const dp_model *em = e ? t->model : tc->grain->dim_model;
            if (!e) {
                /* the key on the nearest joined dataset that carries it */
                for (size_t j = 0; j < t->njoins && !e; j++)
                    if ((e = dp_kg_model_entity(t->joined[j], tc->grain->entity)))
                        em = t->joined[j];
            }
            if (!e)
                return dp_error_set(c->err, DP_ECLARIFY, "dataset %s cannot reach entity %s", t->model->name, tc->grain->entity);
            expr = qualify(c, e->expr, qi(c, em->name), em, NULL);
        } else {
            continue;
        }
        dp_buf_printf(b, "        %s AS %s,\n", expr, qi(c, tc->name));
        ng++;
    }
    for (size_t i = 0; i < t->n; i++) {
        const char *agg = agg_sql(c, &t->cols[i], alias);
        dp_buf_printf(b, "        %s AS %s%s\n", agg, qi(c, t->cols[i].name), i + 1 < t->n ? "," : "");
    }
    dp_buf_printf(b, "    FROM %s AS %s\n", table_ref(c, t->model), alias);
    for (size_t j = 0; j < t->njoins; j++) {
        const dp_join_step *s = &t->steps[j];
        dp_buf_printf(b, "    LEFT JOIN %s AS %s\n        ON %s = %s\n", table_ref(c, s->to), qi(c, s->to->name),
                      qualify(c, s->to_expr, qi(c, s->to->name), s->to, NULL),
                      qualify(c, s->from_expr, qi(c, s->from->name), s->from, NULL));
    }
    const char *sep = "    WHERE ";
    if (c->in->range_start && t->time_dim) {
        const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
        const char *x = qualify(c, td->expr, alias, t->model, NULL);
        if (t->daily) /* a window needs the history before the range */
            dp_buf_printf(b, "%s%s < DATE '%s'\n", sep, x, c->in->range_end);
        else if (sh)
            dp_buf_printf(b, "%s%s >= DATE '%s' - %s AND %s < DATE '%s' - %s\n", sep, x, c->in->range_start, sh, x,
                          c->in->range_end, sh);
        else
            dp_buf_printf(b, "%s%s >= DATE '%s' AND %s < DATE '%s'\n", sep, x, c->in->range_start, x, c->in->range_end);
        sep = "      AND ";
    }
    for (size_t k = 0; k < c->d->nfilters; k++) {
        const dp_plan_filter *f = &c->d->filters[k];
        const char *x = qualify(c, f->dim->expr, qi(c, f->model->name), f->model, NULL);
        if (f->nvalues == 1) {
            dp_buf_printf(b, "%s%s = %s\n", sep, x, literal(c, f->values[0]));
        } else {
            dp_buf_printf(b, "%s%s IN (", sep, x);
            for (size_t v = 0; v < f->nvalues; v++)
                dp_buf_printf(b, "%s%s", v ? ", " : "", literal(c, f->values[v]));
            dp_buf_puts(b, ")\n");
        }
        sep = "      AND ";
    }
    if (ng) {
        dp_buf_puts(b, "    GROUP BY ");
        for (size_t k = 0; k < ng; k++)
            dp_buf_printf(b, "%s%zu", k ? ", " : "", k + 1);
        dp_buf_puts(b, "\n");
    }
    dp_buf_puts(b, ")");
    return 0;
}

int dp_compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
               const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err)
{
    comp *c = dp_arena_alloc(a, sizeof(*c));
    if (!c)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    c->kg = kg;
    c->in = in;
    c->d = d;
    c->design = design;
    c->dialect = dialect;
    c->a = a;
    c->err = err;
    memset(out, 0, sizeof(*out));
    int rc = 0;
    dp_buf b;
    dp_buf_init(&b, 8u << 20);
    const char *exprs[DP_INTENT_MAX_ITEMS * 2 + 2 * DP_PLAN_MAX] = {0};
    out->lineage = json_array();
    /* metric expressions first: they decide the CTEs */
    for (size_t k = 0; k < design->ncols; k++) {
        const dp_target_col *tc = &design->cols[k];
        if (tc->role != DP_ROLE_METRIC)
            continue;
        json_t *src = json_array();
        c->lineage_sources = src;
        exprs[k] = metric_sql(c, tc->metric, NULL, 0);
        c->lineage_sources = NULL;
        if (!exprs[k]) {
            json_decref(src);
            rc = err && err->code ? err->code : DP_ERROR;
            goto done;
        }
        json_array_append_new(out->lineage, json_pack("{s:s,s:o,s:s}", "column", tc->name, "sources", src,
                                                      "expression", tc->formula ? tc->formula : ""));
    }
    if (c->nctes == 0) {
        rc = dp_error_set(err, DP_ECLARIFY, "no measure to compute");
        goto done;
    }
    /* header comment: grain and definitions */
    dp_buf_printf(&b, "-- %s\n-- grain: %s\n", design->table, design->grain_text);
    for (size_t k = 0; k < design->ncols; k++)
        if (design->cols[k].role == DP_ROLE_METRIC)
            dp_buf_printf(&b, "-- %s = %s\n", design->cols[k].name, design->cols[k].formula);
    if (in->range_start)
        dp_buf_printf(&b, "-- time range: [%s, %s)\n", in->range_start, in->range_end);
    if (dialect == DP_DIALECT_POSTGRES && c->nctes > 1) {
        int keyed = 0;
        for (size_t k = 0; k < design->ncols; k++)
            keyed |= design->cols[k].role != DP_ROLE_METRIC;
        if (keyed)
            dp_buf_puts(&b, "-- datasets are joined on ARRAY[key] = ARRAY[key]: NULL keys match as with IS NOT DISTINCT FROM,\n"
                            "-- in a join condition PostgreSQL can hash\n");
    }
    dp_buf_puts(&b, "WITH ");
    for (size_t i = 0; i < c->nctes; i++) {
        if (i)
            dp_buf_puts(&b, ",\n");
        if ((rc = emit_cte(c, &b, &c->ctes[i])))
            goto done;
    }
    /* the result joins the CTEs at the report grain; helpers feed them */
    const cte *outs[MAX_CTES] = {0};
    size_t nout = 0;
    for (size_t i = 0; i < c->nctes; i++)
        if (!c->ctes[i].helper)
            outs[nout++] = &c->ctes[i];
    dp_buf_puts(&b, "\nSELECT\n");
    size_t nkeys = 0;
    for (size_t k = 0; k < design->ncols; k++) {
        const dp_target_col *tc = &design->cols[k];
        int last = k + 1 == design->ncols;
        if (tc->role == DP_ROLE_METRIC) {
            dp_buf_printf(&b, "    %s AS %s%s\n", exprs[k], qi(c, tc->name), last ? "" : ",");
            continue;
        }
        nkeys++;
        if (nout == 1) {
            dp_buf_printf(&b, "    %s.%s%s\n", qi(c, outs[0]->name), qi(c, tc->name), last ? "" : ",");
        } else {
            dp_buf_puts(&b, "    COALESCE(");
            for (size_t i = 0; i < nout; i++)
                dp_buf_printf(&b, "%s%s.%s", i ? ", " : "", qi(c, outs[i]->name), qi(c, tc->name));
            dp_buf_printf(&b, ") AS %s%s\n", qi(c, tc->name), last ? "" : ",");
        }
        json_t *src = json_array();
        const dp_grain_col *g = tc->grain;
        const char *expr = tc->formula ? tc->formula : tc->name;
        if (g->kind == DP_COL_DIM) {
            json_array_append_new(src, json_sprintf("%s.%s", g->dim_model->name, g->dim->expr));
        } else {
            /* time and keys come from every dataset joined into the result */
            const char *merged = "";
            for (size_t i = 0; i < c->nctes; i++) {
                const cte *t = &c->ctes[i];
                const char *one = NULL;
                if (t->body)
                    continue;
                if (g->kind == DP_COL_TIME && t->time_dim) {
                    const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
                    one = dp_arena_printf(c->a, "%s.%s", t->model->name, td ? td->expr : t->time_dim);
                } else if (g->kind == DP_COL_ENTITY) {
                    const dp_entity *e = dp_kg_model_entity(t->model, g->entity);
                    const dp_model *em = t->model;
                    for (size_t j = 0; j < t->njoins && !e; j++)
                        if ((e = dp_kg_model_entity(t->joined[j], g->entity)))
                            em = t->joined[j];
                    if (e)
                        one = dp_arena_printf(c->a, "%s.%s", em->name, e->expr);
                }
                if (!one)
                    continue;
                int dup = 0;
                size_t q;
                json_t *u;
                json_array_foreach(src, q, u) dup |= !strcmp(json_string_value(u), one);
                if (dup)
                    continue;
                json_array_append_new(src, json_string(one));
                merged = *merged ? dp_arena_printf(c->a, "%s, %s", merged, one) : one;
            }
            if (*merged)
                expr = g->kind == DP_COL_TIME
                           ? dp_arena_printf(c->a, "date_trunc('%s', %s)%s", dp_grain_name(c->in->grain), merged,
                                             strchr(merged, ',') ? " (coalesced across datasets)" : "")
                           : strchr(merged, ',') ? dp_arena_printf(c->a, "COALESCE(%s)", merged) : merged;
        }
        json_array_append_new(out->lineage, json_pack("{s:s,s:o,s:s}", "column", tc->name, "sources", src,
                                                      "expression", expr));
    }
    dp_buf_printf(&b, "FROM %s\n", qi(c, outs[0]->name));
    for (size_t i = 1; i < nout; i++) {
        if (!nkeys) {
            dp_buf_printf(&b, "CROSS JOIN %s\n", qi(c, outs[i]->name));
            continue;
        }
        dp_buf_printf(&b, "FULL OUTER JOIN %s\n    ON ", qi(c, outs[i]->name));
        size_t kk = 0;
        for (size_t k = 0; k < design->ncols; k++) {
            const dp_target_col *tc = &design->cols[k];
            if (tc->role == DP_ROLE_METRIC)
                continue;
            if (kk++)
                dp_buf_puts(&b, "\n    AND ");
            /* PostgreSQL can FULL JOIN only on hashable or mergeable
             * equalities, which IS NOT DISTINCT FROM is not: compare
             * one-element arrays instead, whose equality holds for two
             * NULLs. An entity key may have another type in each dataset
             * (integer and bigint, varchar and text), which array equality
             * refuses: those are compared as text. */
            int pg = c->dialect == DP_DIALECT_POSTGRES;
            const char *cast = pg && tc->role == DP_ROLE_ENTITY ? "CAST(" : "";
            const char *as = *cast ? " AS TEXT)" : "";
            if (pg)
                dp_buf_printf(&b, "ARRAY[%s", cast);
            if (i == 1) {
                dp_buf_printf(&b, "%s.%s", qi(c, outs[0]->name), qi(c, tc->name));
            } else {
                dp_buf_puts(&b, "COALESCE(");
                for (size_t j = 0; j < i; j++)
                    dp_buf_printf(&b, "%s%s.%s", j ? ", " : "", qi(c, outs[j]->name), qi(c, tc->name));
                dp_buf_puts(&b, ")");
            }
            if (pg)
                dp_buf_printf(&b, "%s] = ARRAY[%s%s.%s%s]", as, cast, qi(c, outs[i]->name), qi(c, tc->name), as);
            else
                dp_buf_printf(&b, " IS NOT DISTINCT FROM %s.%s", qi(c, outs[i]->name), qi(c, tc->name));
        }
        dp_buf_puts(&b, "\n");
    }
    if (in->limit > 0 && in->order_metric) {
        const char *oname = in->order_metric->name;
        for (size_t k = 0; k < design->ncols; k++)
            if (design->cols[k].metric == in->order_metric)
                oname = design->cols[k].name;
        dp_buf_printf(&b, "ORDER BY %s %s NULLS LAST", qi(c, oname), in->order_desc ? "DESC" : "ASC");
        for (size_t k = 0; k < nkeys; k++)
            dp_buf_printf(&b, ", %zu", k + 1);
        dp_buf_printf(&b, "\nLIMIT %ld", in->limit);
    } else if (nkeys) {
        dp_buf_puts(&b, "ORDER BY ");
        for (size_t k = 0; k < nkeys; k++)
            dp_buf_printf(&b, "%s%zu", k ? ", " : "", k + 1);
    }
    if (b.toobig) {
        rc = dp_error_set(err, DP_ELIMIT, "generated SQL exceeds %zu bytes", b.max);
        goto done;
    }
    out->sql = dp_arena_strdup(a, dp_buf_cstr(&b));
    out->ctes = json_array();
    for (size_t i = 0; i < c->nctes; i++) {
        json_t *ms = json_array();
        for (size_t j = 0; j < c->ctes[i].n; j++)
            json_array_append_new(ms, json_string(c->ctes[i].cols[j].name));
        json_array_append_new(out->ctes, json_pack("{s:s,s:s,s:s?,s:o}", "name", c->ctes[i].name, "dataset",
                                                   c->ctes[i].model->name, "time_dimension", c->ctes[i].time_dim,
                                                   "measures", ms));
    }
done:
    dp_buf_dispose(&b);
    if (rc) {
        json_decref(out->lineage);
        out->lineage = NULL;
    }
    return rc;
}

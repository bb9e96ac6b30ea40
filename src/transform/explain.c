/* Empty and partial answers said with their cause: a time range outside or
 * past the data (with the data's first and last dates, and --as-of when the
 * range is relative), a filter value absent from the data or from the
 * range, a condition no row meets, a ratio whose denominator is 0. An empty
 * result looks like an answer; these warnings say it is not one. */
#include "transform/explain.h"
#include "orchestrator/run.h"
#include "catalog/rowset.h"
#include "catalog/db.h"
#include "intent/timeparse.h"
#include "kg/text.h"
#include "util/error.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_TIMEOUT_MS 5000
#define MAX_SPANS 16

int dp_transform__range_relative(const dp_intent *in, dp_arena *a)
{
    if (!in->range_start || !in->range_text || !in->as_of)
        return -1;
    dp_date as_of, s, e;
    if (dp_date_parse(in->as_of, &as_of))
        return -1;
    dp_stemmer *st = dp_stemmer_new();
    dp_tok *t = NULL;
    size_t n = 0;
    int rc = -1;
    if (!st || dp_tokenize(&t, &n, a, st, in->range_text) || !n)
        goto done;
    /* read again against the same date: it must give the same range, or
     * the text is not the whole of it */
    char b1[11], b2[11];
    if (!dp_time_range_at(t, n, 0, as_of, &s, &e))
        goto done;
    dp_date_format(s, b1);
    dp_date_format(e, b2);
    if (strcmp(b1, in->range_start) || strcmp(b2, in->range_end))
        goto done;
    /* a year and a half away, every relative range moves (this month,
     * last quarter, since April, "in March" without a year) */
    rc = 0;
    for (int k = -1; k <= 1 && !rc; k += 2) {
        dp_date s2, e2;
        if (!dp_time_range_at(t, n, 0, dp_date_add_days(as_of, k * 550), &s2, &e2) ||
            dp_date_days(s2) != dp_date_days(s) || dp_date_days(e2) != dp_date_days(e))
            rc = 1;
    }
done:
    dp_stemmer_free(st);
    return rc;
}

/* The dates one time dimension of one dataset covers. */
typedef struct span {
    const dp_model *model;
    const dp_dimension *dim;
    char first[11], last[11];
} span;

typedef struct ctx {
    dp_run *r;
    span spans[MAX_SPANS];
    size_t nspans;
    const char *range;  /* "the time range [a, b) ('text', relative to as-of d)" */
    const char *as_of_hint; /* "; use --as-of ..." or "" */
} ctx;

static int first_row(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    char **out = p;
    for (size_t i = 0; i < ncols && i < 8; i++)
        out[i] = vals[i] ? strdup(vals[i]) : NULL;
    return 1;
}

/* Runs sql (read-only, time-capped) and copies up to 8 values of its first
 * row into out (malloc'd, NULL for SQL NULL); 0 or an error code. */
static int query_row(dp_run *r, const char *sql, char *out[8])
{
    dp_error e = {0};
    memset(out, 0, 8 * sizeof(*out));
    return dp_db_query(r->con, sql, EXPLAIN_TIMEOUT_MS, first_row, out, &e);
}

static void free_row(char *row[8])
{
    for (int i = 0; i < 8; i++)
        free(row[i]);
}

static int is_date(const char *s)
{
    dp_date d;
    char b[11];
    if (!s || strlen(s) < 10)
        return 0;
    memcpy(b, s, 10);
    b[10] = 0;
    return dp_date_parse(b, &d) == 0;
}

static const char *table_of(dp_run *r, const dp_model *m)
{
    char s[256], t[256];
    return dp_arena_printf(r->a, "%s.%s", dp_sql_quote_ident(m->schema, s, sizeof(s)),
                           dp_sql_quote_ident(m->table, t, sizeof(t)));
}

/* The first and last dates of dim in m: from the profile when the dimension
 * is a column it profiled, else a min/max query. */
static int span_dates(dp_run *r, span *sp)
{
    const dp_col_profile *p = sp->dim->column ? &sp->dim->column->prof : NULL;
    if (p && p->done && is_date(p->min) && is_date(p->max)) {
        snprintf(sp->first, sizeof(sp->first), "%.10s", p->min);
        snprintf(sp->last, sizeof(sp->last), "%.10s", p->max);
        return 0;
    }
    char *row[8];
    const char *sql = dp_arena_printf(r->a, "SELECT CAST(CAST(min(%s) AS DATE) AS VARCHAR), CAST(CAST(max(%s) AS DATE) AS VARCHAR) FROM %s",
                                      sp->dim->expr, sp->dim->expr, table_of(r, sp->model));
    int rc = query_row(r, sql, row);
    if (!rc && is_date(row[0]) && is_date(row[1])) {
        snprintf(sp->first, sizeof(sp->first), "%.10s", row[0]);
        snprintf(sp->last, sizeof(sp->last), "%.10s", row[1]);
    } else {
        rc = -1;
    }
    free_row(row);
    return rc;
}

/* The time dimensions the compiled query aggregates on, with their dates. */
static void collect_spans(ctx *x)
{
    dp_run *r = x->r;
    r->exec.coverage = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(r->compiled.ctes, i, c) {
        const char *ds = json_string_value(json_object_get(c, "dataset"));
        const char *td = json_string_value(json_object_get(c, "time_dimension"));
        const dp_model *m = ds ? dp_kg_model(r->kg, ds) : NULL;
        const dp_dimension *d = m && td ? dp_kg_model_dim(m, td) : NULL;
        if (!d || x->nspans >= MAX_SPANS)
            continue;
        int dup = 0;
        for (size_t k = 0; k < x->nspans; k++)
            dup |= x->spans[k].model == m && x->spans[k].dim == d;
        if (dup)
            continue;
        span *sp = &x->spans[x->nspans];
        memset(sp, 0, sizeof(*sp));
        sp->model = m;
        sp->dim = d;
        if (span_dates(r, sp))
            continue;
        x->nspans++;
        json_array_append_new(r->exec.coverage, json_pack("{s:s,s:s,s:s,s:s}", "dataset", m->name, "time_dimension",
                                                          d->name, "first", sp->first, "last", sp->last));
    }
}

static long days_of(const char *s)
{
    dp_date d;
    return dp_date_parse(s, &d) ? 0 : dp_date_days(d);
}

static const char *day_after(dp_run *r, const char *s)
{
    dp_date d;
    char b[11];
    if (dp_date_parse(s, &d))
        return s;
    dp_date_format(dp_date_add_days(d, 1), b);
    return dp_arena_strdup(r->a, b);
}

/* "items.ordered_on runs from 2025-01-03 to 2025-03-10, ..." for the spans
 * in mask (bit i: spans[i]). */
static const char *spans_text(ctx *x, unsigned mask)
{
    const char *out = "";
    for (size_t i = 0; i < x->nspans; i++)
        if (mask & (1u << i))
            out = dp_arena_printf(x->r->a, "%s%s%s.%s runs from %s to %s", out, *out ? ", " : "",
                                  x->spans[i].model->name, x->spans[i].dim->name, x->spans[i].first, x->spans[i].last);
    return out;
}

/* The range outside the data of every span in mask: why, or NULL. */
static const char *range_outside(ctx *x, unsigned mask)
{
    dp_run *r = x->r;
    const dp_intent *in = &r->intent;
    if (!in->range_start || !x->nspans || !mask)
        return NULL;
    int after = 0, before = 0, n = 0;
    const char *first = NULL, *last = NULL;
    for (size_t i = 0; i < x->nspans; i++) {
        if (!(mask & (1u << i)))
            continue;
        const span *sp = &x->spans[i];
        n++;
        after += strcmp(in->range_start, sp->last) > 0;
        before += strcmp(in->range_end, sp->first) <= 0;
        if (!first || strcmp(sp->first, first) < 0)
            first = sp->first;
        if (!last || strcmp(sp->last, last) > 0)
            last = sp->last;
    }
    if (!n || after + before < n)
        return NULL;
    const char *where = after == n ? dp_arena_printf(r->a, "after the data's last date %s", last)
                        : before == n ? dp_arena_printf(r->a, "before the data's first date %s", first)
                                      : "outside the data's dates";
    return dp_arena_printf(r->a, "%s is %s (%s)%s", x->range, where, spans_text(x, mask), x->as_of_hint);
}

/* "status 'void'", "region one of 'a', 'b'", "region other than 'x'" */
static const char *filter_text(dp_run *r, const dp_plan_filter *f)
{
    if (f->presence)
        return dp_arena_printf(r->a, "%s %s", f->dim->name, f->presence == DP_PRESENCE_EMPTY ? "empty" : "not empty");
    const char *list = "";
    for (size_t i = 0; i < f->nvalues; i++)
        list = dp_arena_printf(r->a, "%s%s'%s'", list, i ? ", " : "", f->values[i]);
    return dp_arena_printf(r->a, "%s %s%s", f->dim->name, f->negate ? f->nvalues == 1 ? "other than " : "none of "
                                                                  : f->nvalues == 1 ? "" : "one of ",
                           list);
}

static const char *filters_text(dp_run *r)
{
    const char *out = "";
    for (size_t k = 0; k < r->disc.nfilters; k++)
        out = dp_arena_printf(r->a, "%s%s%s", out, k ? " and " : "", filter_text(r, &r->disc.filters[k]));
    return out;
}

/* A value of a filter no row of its dataset has: why, or NULL. */
static const char *value_absent(ctx *x)
{
    dp_run *r = x->r;
    for (size_t k = 0; k < r->disc.nfilters; k++) {
        const dp_plan_filter *f = &r->disc.filters[k];
        if (f->negate)
            continue;
        const dp_col_profile *p = f->dim->column ? &f->dim->column->prof : NULL;
        for (size_t v = 0; v < f->nvalues; v++) {
            int found = -1;
            if (p && p->done && p->all_values && p->ntop) {
                found = 0;
                for (size_t i = 0; i < p->ntop && !found; i++)
                    found = p->top_values[i] && !strcmp(p->top_values[i], f->values[v]);
            } else {
                char lit[1024], *row[8];
                if (!dp_sql_quote_literal(f->values[v], lit, sizeof(lit)))
                    continue;
                const char *sql = dp_arena_printf(r->a, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE (%s) = %s LIMIT 1)",
                                                  table_of(r, f->model), f->dim->expr, lit);
                if (!query_row(r, sql, row) && row[0])
                    found = strcmp(row[0], "0") != 0;
                free_row(row);
            }
            if (found)
                continue;
            const char *some = "";
            for (size_t i = 0; p && i < p->ntop && i < 5; i++)
                some = dp_arena_printf(r->a, "%s%s'%s'", some, i ? ", " : "", p->top_values[i]);
            return dp_arena_printf(r->a, "no row of %s has %s '%s'%s%s%s", f->model->name, f->dim->name, f->values[v],
                                   *some ? " (its values include " : "", some, *some ? ")" : "");
        }
    }
    return NULL;
}

/* Rows of the query compiled without the range (no_range), without filter
 * skip (>= 0) or without the conditions, or the non-NULL values of column
 * col there; -1 when it cannot be said. */
static long long variant_count(dp_run *r, int no_range, int skip, int no_conditions, const char *col)
{
    dp_intent *in = dp_arena_alloc(r->a, sizeof(*in));
    dp_discovery *d = dp_arena_alloc(r->a, sizeof(*d));
    if (!in || !d)
        return -1;
    *in = r->intent;
    *d = r->disc;
    if (no_range)
        in->range_start = in->range_end = NULL;
    if (no_conditions)
        in->nconditions = 0;
    if (skip >= 0 && (size_t)skip < d->nfilters) {
        memmove(&d->filters[skip], &d->filters[skip + 1], (d->nfilters - (size_t)skip - 1) * sizeof(d->filters[0]));
        d->nfilters--;
    }
    dp_compiled out = {0};
    dp_error e = {0};
    dp_design *dz = dp_arena_alloc(r->a, sizeof(*dz)); /* a model's calculation is no compiler column */
    if (!dz)
        return -1;
    dp_model_compiled_part(&r->design, dz);
    if (dp_compile(&out, r->kg, in, d, dz, DP_DIALECT_DUCKDB, r->a, &e))
        return -1;
    json_decref(out.lineage);
    json_decref(out.ctes);
    char qc[256];
    const char *sql = dp_arena_printf(r->a, "SELECT count(%s) FROM (\n%s\n) AS dp_variant",
                                      col ? dp_sql_quote_ident(col, qc, sizeof(qc)) : "*", out.sql);
    char *row[8];
    long long n = -1;
    if (!query_row(r, sql, row) && row[0])
        n = atoll(row[0]);
    free_row(row);
    return n;
}

static const char *conditions_text(dp_run *r)
{
    const char *out = "";
    for (size_t k = 0; k < r->intent.nconditions; k++)
        out = dp_arena_printf(r->a, "%s%s%s %s %.15g", out, k ? " and " : "", r->intent.conditions[k].metric->name,
                              r->intent.conditions[k].op, r->intent.conditions[k].value);
    return out;
}

/* Why the result (col NULL) or column col has nothing: by dropping one
 * constraint at a time, the one without which there would be something. */
static const char *by_variants(ctx *x, const char *col)
{
    dp_run *r = x->r;
    const dp_intent *in = &r->intent;
    if (!col && in->nconditions && variant_count(r, 0, -1, 1, NULL) > 0)
        return dp_arena_printf(r->a, "no row meets the condition%s %s", in->nconditions > 1 ? "s" : "", conditions_text(r));
    if (in->range_start && variant_count(r, 1, -1, 0, col) > 0)
        return r->disc.nfilters
                   ? dp_arena_printf(r->a, "rows with %s exist, but not within %s%s", filters_text(r), x->range, x->as_of_hint)
                   : dp_arena_printf(r->a, "the data has no rows within %s%s", x->range, x->as_of_hint);
    for (size_t k = 0; r->disc.nfilters > 1 && k < r->disc.nfilters; k++)
        if (variant_count(r, 0, (int)k, 0, col) > 0)
            return dp_arena_printf(r->a, "no row has %s together with the other filter%s (%s)%s%s",
                                   filter_text(r, &r->disc.filters[k]), r->disc.nfilters > 2 ? "s" : "", filters_text(r),
                                   in->range_start ? " within " : "", in->range_start ? x->range : "");
    return NULL;
}

/* Every metric of the report reads earlier periods only (offset_window,
 * offset_to_grain): no rows means those periods have none. */
static const char *offsets_only(dp_run *r)
{
    const char *first = NULL;
    for (size_t k = 0; k < r->intent.nmetrics; k++) {
        const dp_metric *m = r->intent.metrics[k];
        if (m->type != DP_METRIC_DERIVED || !m->ninputs)
            return NULL;
        for (size_t i = 0; i < m->ninputs; i++) {
            if (!m->inputs[i].offset_window && !m->inputs[i].offset_to_grain)
                return NULL;
            if (!first)
                first = m->inputs[i].offset_window
                            ? dp_arena_printf(r->a, "%s %s earlier", m->inputs[i].name, m->inputs[i].offset_window)
                            : dp_arena_printf(r->a, "%s at the start of the %s", m->inputs[i].name, m->inputs[i].offset_to_grain);
        }
    }
    return first ? dp_arena_printf(r->a, "the report reads earlier periods only (%s), and they have no data", first) : NULL;
}

/* What applied: "under the time range ..., the filters ..." or "". */
static const char *applied(ctx *x)
{
    dp_run *r = x->r;
    const char *out = "";
    if (r->intent.range_start)
        out = dp_arena_printf(r->a, " within %s", x->range);
    if (r->disc.nfilters)
        out = dp_arena_printf(r->a, "%s with %s", out, filters_text(r));
    if (r->intent.nconditions)
        out = dp_arena_printf(r->a, "%s where %s", out, conditions_text(r));
    return out;
}

static void warn(ctx *x, const char *msg)
{
    dp_run *r = x->r;
    /* the stage log keeps up to 1023 bytes: the spec says the same words */
    if (strlen(msg) > 1000) {
        int cut = 997;
        while (cut > 0 && ((unsigned char)msg[cut] & 0xC0) == 0x80)
            cut--; /* not inside a UTF-8 sequence */
        msg = dp_arena_printf(r->a, "%.*s...", cut, msg);
    }
    size_t i;
    json_t *w;
    json_array_foreach(r->exec.warnings, i, w) if (!strcmp(json_string_value(w), msg)) return;
    json_array_append_new(r->exec.warnings, json_string(msg));
    dp_run_warning(r, "%s", msg);
}

/* Adds the datasets metric m reads (through ratios and derived inputs). */
static void metric_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t *n, int depth)
{
    (void)depth; /* the closure bounds the walk, each metric once */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = m ? dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX) : 0;
    for (size_t c = 0; c < ncl; c++) {
        const dp_metric *x = cl[c];
        const dp_metric_input *ins[2] = {NULL, NULL};
        size_t nin = 0;
        if (x->type == DP_METRIC_SIMPLE || x->type == DP_METRIC_CUMULATIVE || x->type == DP_METRIC_CONVERSION)
            ins[nin++] = &x->measure;
        if (x->type == DP_METRIC_RATIO) {
            ins[nin++] = &x->numerator;
            ins[nin++] = &x->denominator;
        }
        for (size_t i = 0; i < nin; i++) {
            if (!ins[i]->name)
                continue;
            const dp_measure *me = dp_kg_measure(kg, ins[i]->name);
            const dp_metric *sub = dp_kg_metric(kg, ins[i]->name);
            if (sub && sub != x)
                continue; /* in the closure */
            if (me && *n < MAX_SPANS) {
                int dup = 0;
                for (size_t k = 0; k < *n; k++)
                    dup |= out[k] == me->model;
                if (!dup)
                    out[(*n)++] = me->model;
            }
        }
    }
}

static unsigned spans_of_metric(ctx *x, const dp_metric *m)
{
    const dp_model *ms[MAX_SPANS];
    size_t n = 0;
    unsigned mask = 0;
    metric_models(x->r->kg, m, ms, &n, 0);
    for (size_t i = 0; i < x->nspans; i++)
        for (size_t k = 0; k < n; k++)
            if (x->spans[i].model == ms[k])
                mask |= 1u << i;
    return mask;
}

/* The range runs past the end (or before the start) of the data of some
 * span: a partial answer. A day of slack at the end: data loaded up to
 * yesterday is complete for "to date". */
static void partial(ctx *x)
{
    dp_run *r = x->r;
    const dp_intent *in = &r->intent;
    for (size_t i = 0; i < x->nspans; i++) {
        const span *sp = &x->spans[i];
        if (strcmp(in->range_start, sp->last) > 0 || strcmp(in->range_end, sp->first) <= 0)
            continue; /* outside: said as an empty answer */
        /* the start: a range reaching back before the data ("last 12
         * months" over 2 months of data) with a week of slack, as a series
         * seldom begins on the first day of a period; "before X" starts in
         * 1900 and is open */
        long early = days_of(sp->first) - days_of(in->range_start);
        if (early > 7 && strcmp(in->range_start, "1901") > 0)
            warn(x, dp_arena_printf(r->a, "partial answer: the data starts on %s, after the start of %s, so its first %ld day(s) have no data (%s)",
                                    sp->first, x->range, early, spans_text(x, 1u << i)));
        long missing = days_of(in->range_end) - 1 - days_of(sp->last);
        if (missing <= 1)
            continue;
        warn(x, dp_arena_printf(r->a, "partial answer: the data ends on %s, before the end of %s, so its last %ld day(s) have no data (%s)%s",
                                sp->last, x->range, missing, spans_text(x, 1u << i),
                                r->range_relative == 1 ? x->as_of_hint : ""));
    }
}

/* The first row of a count query, up to the cap of its terms. */
typedef struct counts_row {
    char *vals[8 + DP_PLAN_MAX];
    size_t n;
} counts_row;

static int read_counts_row(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    counts_row *c = p;
    for (size_t i = 0; i < ncols && i < sizeof(c->vals) / sizeof(*c->vals); i++)
        c->vals[i] = vals[i] ? strdup(vals[i]) : NULL;
    c->n = ncols;
    return 1;
}

static void counts_row_free(counts_row *c)
{
    for (size_t i = 0; i < sizeof(c->vals) / sizeof(*c->vals); i++)
        free(c->vals[i]);
}

/* The same counts from the result read into C: each metric column's
 * values, each key column's NULLs; 0 when every column was found. */
static int rowset_counts(dp_run *r, const dp_target_col *const *mcols, size_t nm, counts_row *cr)
{
    const dp_rowset *rs = r->exec.rowset;
    const char *names[8 + DP_PLAN_MAX];
    int nulls[8 + DP_PLAN_MAX];
    size_t n = 0;
    for (size_t k = 0; k < nm; k++, n++) {
        names[n] = mcols[k]->name;
        nulls[n] = 0;
    }
    for (size_t i = 0; i < r->design.ncols && n < nm + DP_PLAN_MAX; i++)
        if (r->design.cols[i].is_key) {
            names[n] = r->design.cols[i].name;
            nulls[n++] = 1;
        }
    for (size_t k = 0; k < n; k++) {
        int c = dp_rowset_find(rs, names[k]);
        if (c < 0)
            return -1;
        long long count = 0;
        for (size_t ch = 0; ch < dp_rowset_nchunks(rs); ch++) {
            /* the NULLs of a chunk are the zero bits of its validity mask */
            size_t size = dp_rowset_chunk_rows(rs, ch), nn = 0;
            const uint64_t *valid = dp_rowset_validity(rs, (size_t)c, ch);
            for (size_t w = 0; valid && w * 64 < size; w++) {
                uint64_t live = size - w * 64 >= 64 ? ~0ull : (1ull << (size - w * 64)) - 1;
                nn += (size_t)__builtin_popcountll(~valid[w] & live);
            }
            count += (long long)(nulls[k] ? nn : size - nn);
        }
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", count);
        if (!(cr->vals[k] = strdup(buf)))
            return -1;
    }
    cr->n = n;
    return 0;
}

/* Appends to *sql (when not NULL) a count of the NULLs of each key column
 * of the design, as dp_quality__key_nulls reads them; their number. */
static size_t key_terms(dp_run *r, const char **sql, size_t nbefore)
{
    size_t n = 0;
    for (size_t i = 0; i < r->design.ncols && n < DP_PLAN_MAX; i++) {
        if (!r->design.cols[i].is_key)
            continue;
        char qc[256];
        if (sql)
            *sql = dp_arena_printf(r->a, "%s%s count(*) FILTER (WHERE %s IS NULL)", *sql, nbefore + n ? "," : "",
                                   dp_sql_quote_ident(r->design.cols[i].name, qc, sizeof(qc)));
        r->exec.key_nulls[n++] = 0;
    }
    return n;
}

void dp_transform__explain(dp_run *r)
{
    ctx *x = dp_arena_alloc(r->a, sizeof(*x));
    if (!x)
        return;
    memset(x, 0, sizeof(*x));
    x->r = r;
    r->exec.warnings = json_array();
    collect_spans(x);
    const dp_intent *in = &r->intent;
    unsigned all = x->nspans ? (1u << x->nspans) - 1 : 0;
    x->as_of_hint = "";
    if (in->range_start) {
        x->range = dp_arena_printf(r->a, "the time range [%s, %s) ('%s'%s%s)", in->range_start, in->range_end,
                                   in->range_text ? in->range_text : "", r->range_relative == 1 ? ", relative to as-of " : "",
                                   r->range_relative == 1 ? in->as_of : "");
        /* anchored the day after the data's last date, a relative range
         * ends with the data */
        const char *last = NULL;
        for (size_t i = 0; i < x->nspans; i++)
            if (!last || strcmp(x->spans[i].last, last) > 0)
                last = x->spans[i].last;
        if (r->range_relative == 1 && last)
            x->as_of_hint = dp_arena_printf(r->a, "; use --as-of %s (the day after the data's last date) to anchor it on the data",
                                            day_after(r, last));
        partial(x);
    }
    if (r->exec.rows == 0) {
        /* no row: no NULL in any key column */
        r->exec.nkey_nulls = key_terms(r, NULL, 0);
        r->exec.key_nulls_counted = 1;
        const char *why = range_outside(x, all);
        if (!why)
            why = value_absent(x);
        if (!why)
            why = offsets_only(r);
        if (!why)
            why = by_variants(x, NULL);
        if (!why)
            why = dp_arena_printf(r->a, "nothing in the data matches%s", *applied(x) ? applied(x) : " the request");
        warn(x, dp_arena_printf(r->a, "the test run returned no rows: %s", why));
        return;
    }
    /* metric columns NULL on every row; with the NULLs of the key columns,
     * which the quality stage needs (one pass over the result for both) */
    const char *sql = "SELECT";
    const dp_target_col *mcols[8];
    size_t nm = 0;
    for (size_t k = 0; k < r->design.ncols && nm < 8; k++) {
        const dp_target_col *tc = &r->design.cols[k];
        if (tc->role != DP_ROLE_METRIC)
            continue;
        char qc[256];
        sql = dp_arena_printf(r->a, "%s%s count(%s)", sql, nm ? "," : "", dp_sql_quote_ident(tc->name, qc, sizeof(qc)));
        mcols[nm++] = tc;
    }
    size_t nk = key_terms(r, &sql, nm);
    if (!nm && !nk)
        return;
    counts_row cr = {{0}, 0};
    dp_error e = {0};
    int native = r->exec.rowset && !rowset_counts(r, mcols, nm, &cr);
    if (!native) {
        counts_row_free(&cr);
        memset(&cr, 0, sizeof(cr));
    }
    if ((!native && dp_db_query(r->con, dp_arena_printf(r->a, "%s FROM %s", sql, r->exec.table), EXPLAIN_TIMEOUT_MS,
                                read_counts_row, &cr, &e)) ||
        cr.n != nm + nk) {
        counts_row_free(&cr);
        return;
    }
    for (size_t k = 0; k < nk; k++)
        r->exec.key_nulls[k] = cr.vals[nm + k] ? atoll(cr.vals[nm + k]) : 0;
    r->exec.nkey_nulls = nk;
    r->exec.key_nulls_counted = 1;
    char **row = cr.vals;
    for (size_t k = 0; k < nm; k++) {
        const dp_metric *m = mcols[k]->metric;
        const char *why = range_outside(x, spans_of_metric(x, m));
        if (!row[k] || strcmp(row[k], "0")) {
            /* a count of nothing is 0, not NULL: still no answer */
            if (why)
                warn(x, dp_arena_printf(r->a, "%s has no data for this request: %s", mcols[k]->name, why));
            continue;
        }
        if (!why)
            why = value_absent(x);
        for (size_t i = 0; !why && m->type == DP_METRIC_DERIVED && i < m->ninputs; i++)
            if (m->inputs[i].offset_window || m->inputs[i].offset_to_grain) /* the earlier period is the empty one */
                why = dp_arena_printf(r->a, "it reads %s %s, and that period has no data for any period asked",
                                      m->inputs[i].name,
                                      m->inputs[i].offset_window
                                          ? dp_arena_printf(r->a, "%s earlier", m->inputs[i].offset_window)
                                          : dp_arena_printf(r->a, "at the start of the %s", m->inputs[i].offset_to_grain));
        if (!why)
            why = by_variants(x, mcols[k]->name);
        if (!why && m->type == DP_METRIC_RATIO && m->denominator.name)
            why = dp_arena_printf(r->a, "it is a ratio, NULL where its denominator %s is 0 or has no rows, as it is on every row",
                                  m->denominator.name);
        if (!why)
            why = dp_arena_printf(r->a, "no data for it%s", *applied(x) ? applied(x) : "");
        warn(x, dp_arena_printf(r->a, "%s is NULL on every row: %s", mcols[k]->name, why));
    }
    counts_row_free(&cr);
}

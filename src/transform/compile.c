/* Metric compiler. Each measure is aggregated in a CTE over its own dataset
 * at the requested grain (joins only towards primary keys, so rows never
 * multiply); CTEs of different datasets or time dimensions are then joined on
 * the grain with a FULL OUTER JOIN and COALESCEd keys; ratios are ratios of
 * the aggregated sums with NULLIF on the denominator. */
#include "transform/compile.h"
#include "transform/compile_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <string.h>
#include <strings.h>

static const char *table_ref(comp *c, const dp_model *m)
{
    return dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, m->schema), dp_comp__qi(c, m->table));
}

static int is_ranked_key(const dp_intent *in, const dp_target_col *col);

static const char *agg_sql(comp *c, const mcol *mc, const char *alias)
{
    const dp_measure *me = mc->me;
    const char *x = dp_comp__qualify(c, me->expr, alias, me->model, NULL);
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

static int emit_cte(comp *c, dp_buf *b, cte *t)
{
    const dp_design *dz = c->design;
    const char *alias = dp_comp__qi(c, t->model->name);
    if (t->spine_of) /* the time spine joined to another CTE (compile_spine.c) */
        return dp_comp__emit_spine(c, b, t);
    /* joins needed for grain columns and filters (their error code: a
     * refusal stays a refusal) */
    int rc = dp_comp__join_for_request(c, t, 1, 1);
    if (rc)
        return rc;
    /* a saved query's where filters, on these rows (joining what they need) */
    const char *where[DP_INTENT_MAX_WHERE];
    for (size_t k = 0; k < c->in->nwhere && !t->body; k++)
        if (!(where[k] = dp_comp__render_filter(c, t, c->in->where[k])))
            return c->err->code ? c->err->code : DP_ERROR;
    if (t->body) {
        dp_buf_printf(b, "%s AS (\n%s\n)", dp_comp__qi(c, t->name), t->body);
        return 0;
    }
    const char *sh = t->shift ? dp_comp__interval_sql(c, t->shift) : NULL;
    dp_buf_printf(b, "%s AS (\n    -- %s %s", dp_comp__qi(c, t->name), t->model->name,
                  t->daily ? "per day (input of a cumulative window)" : "at the report grain");
    if (t->time_dim)
        dp_buf_printf(b, " (time: %s)", t->time_dim);
    if (sh)
        dp_buf_printf(b, ", each %s moved %s later to meet the period it is compared with", dp_grain_name(c->in->grain), t->shift);
    dp_buf_puts(b, "\n    SELECT\n");
    size_t ng = 0;
    const char *ranked_keys = NULL; /* "x IS NOT NULL AND ...": no row without what is ranked is ranked */
    for (size_t k = 0; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        const char *expr = NULL;
        if (tc->role == DP_ROLE_TIME) {
            const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
            const char *x = dp_comp__qualify(c, td->expr, alias, t->model, NULL);
            if (t->daily) {
                dp_buf_printf(b, "        CAST(date_trunc('day', %s) AS DATE) AS metric_day,\n", x);
                ng++;
                continue;
            }
            expr = sh ? dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) + %s AS DATE)", dp_grain_name(c->in->grain), x, sh)
                      : dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(c->in->grain), x);
            if (c->in->custom_grain && !(expr = dp_comp__custom_period(c, t->model->name)))
                return -1;
        } else if (tc->role == DP_ROLE_DIMENSION || tc->role == DP_ROLE_ENTITY) {
            if (!(expr = dp_comp__key_expr(c, t, tc)))
                return c->err->code;
            if (is_ranked_key(c->in, tc))
                ranked_keys = dp_arena_printf(c->a, "%s%s%s IS NOT NULL", ranked_keys ? ranked_keys : "",
                                              ranked_keys ? " AND " : "", expr);
        } else {
            continue;
        }
        dp_buf_printf(b, "        %s AS %s,\n", expr, dp_comp__qi(c, tc->name));
        ng++;
    }
    /* per day, a distinct count keeps its values as a grouping column: the
     * window counts them again over its days (a sum of daily counts would
     * count a value once per day it occurs) */
    size_t emitted = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < t->n; i++) {
            const mcol *mc = &t->cols[i];
            int values = t->daily && mc->me->agg == DP_AGG_COUNT_DISTINCT;
            if (values != !pass)
                continue;
            const char *x = values ? dp_comp__qualify(c, mc->me->expr, alias, mc->me->model, NULL) : agg_sql(c, mc, alias);
            if (values && mc->filter)
                x = dp_arena_printf(c->a, "CASE WHEN %s THEN %s END", mc->filter, x);
            dp_buf_printf(b, "        %s AS %s%s\n", x, dp_comp__qi(c, mc->name), ++emitted < t->n ? "," : "");
            ng += values;
        }
    dp_buf_printf(b, "    FROM %s AS %s\n", table_ref(c, t->model), alias);
    for (size_t j = 0; j < t->njoins; j++) {
        const dp_join_step *s = &t->steps[j];
        const char *window = dp_comp__validity_on(c, t, s); /* SCD type 2: the period too */
        if (!window)
            return c->err->code ? c->err->code : DP_ERROR;
        dp_buf_printf(b, "    LEFT JOIN %s AS %s\n        ON %s = %s%s\n", dp_comp__join_source(c, s),
                      dp_comp__qi(c, s->to->name),
                      dp_comp__qualify(c, s->to_expr, dp_comp__qi(c, s->to->name), s->to, NULL),
                      dp_comp__qualify(c, s->from_expr, dp_comp__qi(c, s->from->name), s->from, NULL), window);
    }
    for (size_t j = 0; j < t->nsubjoins; j++) /* Metric() filters: a metric per entity */
        dp_buf_puts(b, t->subjoins[j]);
    if (c->in->custom_grain && t->time_dim && !t->daily) { /* the period of each day, from the spine */
        const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
        if (dp_comp__custom_join(c, b, dp_comp__qualify(c, td->expr, alias, t->model, NULL)))
            return -1;
    }
    const char *sep = "    WHERE ";
    if (c->in->range_start && t->time_dim) {
        const dp_dimension *td = dp_kg_model_dim(t->model, t->time_dim);
        const char *x = dp_comp__qualify(c, td->expr, alias, t->model, NULL);
        if (t->daily || t->spine_src == 2) /* a window or an offset needs the history before the range */
            dp_buf_printf(b, "%s%s < DATE '%s'\n", sep, x, c->in->range_end);
        else if (sh)
            dp_buf_printf(b, "%s%s >= DATE '%s' - %s AND %s < DATE '%s' - %s\n", sep, x, c->in->range_start, sh, x,
                          c->in->range_end, sh);
        else
            dp_buf_printf(b, "%s%s >= DATE '%s' AND %s < DATE '%s'\n", sep, x, c->in->range_start, x, c->in->range_end);
        sep = "      AND ";
    }
    for (size_t k = 0; k < c->d->nfilters; k++) {
        dp_buf_printf(b, "%s%s\n", sep, dp_comp__filter_cond(c, &c->d->filters[k]));
        sep = "      AND ";
    }
    for (size_t k = 0; k < c->in->nwhere; k++) {
        dp_buf_printf(b, "%s(%s)\n", sep, where[k]);
        sep = "      AND ";
    }
    if (ranked_keys) { /* "top 3 appeals": the gifts of no appeal are no appeal */
        dp_buf_printf(b, "%s%s -- a row with no key of what is ranked is not ranked\n", sep, ranked_keys);
        sep = "      AND ";
    }
    /* every measure filtered: only rows some filter keeps make groups
     * (MetricFlow filters each metric's rows before grouping) */
    int all_filtered = t->n > 0;
    for (size_t i = 0; i < t->n; i++)
        all_filtered &= t->cols[i].filter != NULL;
    if (all_filtered && ng) {
        dp_buf_printf(b, "%s(", sep);
        for (size_t i = 0; i < t->n; i++)
            dp_buf_printf(b, "%s(%s)", i ? " OR " : "", t->cols[i].filter);
        dp_buf_puts(b, ")\n");
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

/* The output column of the ranking metric. */
static const char *order_column(const dp_design *design, const dp_intent *in)
{
    for (size_t k = 0; k < design->ncols; k++)
        if (design->cols[k].metric == in->order_metric)
            return design->cols[k].name;
    return in->order_metric->name;
}

/* An attribute of an entity in the grain ("carrier name" beside
 * "carriers") is no key of its own: rankings do not partition by it. */
static int is_attribute(const dp_target_col *col)
{
    return col->grain && col->grain->attribute;
}

/* Is col the key of what a "top N" ranks: the grouping named after the
 * number, or with none named any key but the time? */
static int is_ranked_key(const dp_intent *in, const dp_target_col *col)
{
    const dp_grain_col *g = col->grain;
    if (in->limit <= 0 || !in->order_metric || col->role == DP_ROLE_METRIC || col->role == DP_ROLE_TIME || !g ||
        is_attribute(col) || in->saved) /* a saved query's order_by and limit are MetricFlow's: NULL groups rank */
        return 0;
    if (!in->ranked)
        return 1;
    const dp_target *t = &in->groups[in->ranked_group];
    if (t->is_entity)
        return g->kind == DP_COL_ENTITY && !strcmp(g->entity, t->entity);
    for (size_t d = 0; d < t->ndims; d++)
        if (g->kind == DP_COL_DIM && g->dim == t->dims[d])
            return 1;
    return 0;
}

/* With a limit, a ranked thing and other keys beside it, the key column of
 * the ranked thing (*out); else -1. */
static int ranked_column(comp *c, const dp_design *design, int *out)
{
    const dp_intent *in = c->in;
    size_t nkeys = 0;
    *out = -1;
    for (size_t k = 0; k < design->ncols; k++)
        nkeys += design->cols[k].role != DP_ROLE_METRIC && !is_attribute(&design->cols[k]);
    if (in->limit <= 0 || !in->order_metric || !in->ranked || nkeys < 2)
        return 0;
    const dp_target *t = &in->groups[in->ranked_group];
    for (size_t k = 0; k < design->ncols; k++)
        if (is_ranked_key(in, &design->cols[k])) {
            *out = (int)k;
            return 0;
        }
    return dp_error_set(c->err, DP_ECLARIFY, "the ranked '%s' is not a column of the result", t->phrase ? t->phrase : "?");
}

/* The conditions on metric values ("shipments > 1000"), as a WHERE on
 * dp_report's columns; nothing without conditions. */
static void emit_where(comp *c, dp_buf *b, const dp_design *design, const char *indent)
{
    const dp_intent *in = c->in;
    for (size_t k = 0; k < in->nconditions; k++) {
        const dp_condition *cd = &in->conditions[k];
        const char *col = cd->metric->name;
        for (size_t j = 0; j < design->ncols; j++)
            if (design->cols[j].metric == cd->metric)
                col = design->cols[j].name;
        dp_buf_printf(b, "%s%s dp_report.%s %s %.15g\n", indent, k ? "  AND" : "WHERE", dp_comp__qi(c, col), cd->op,
                      cd->value);
    }
}

/* Closes dp_report and keeps the rows that meet the conditions; ORDER BY
 * and LIMIT follow as for the plain report (by position: the columns are
 * the same, in the same order). */
static void emit_kept(comp *c, dp_buf *b, const dp_design *design)
{
    dp_buf_puts(b, ")\nSELECT\n");
    for (size_t k = 0; k < design->ncols; k++)
        dp_buf_printf(b, "    dp_report.%s%s\n", dp_comp__qi(c, design->cols[k].name), k + 1 < design->ncols ? "," : "");
    dp_buf_puts(b, "FROM dp_report\n");
    emit_where(c, b, design, "");
}

/* Closes dp_report and ranks its rows within each combination of the
 * other keys: row_number, so exactly N per group, ties broken by the ranked
 * key. */
static void emit_ranked(comp *c, dp_buf *b, const dp_design *design, int ranked)
{
    const dp_intent *in = c->in;
    const char *rk = dp_comp__qi(c, design->cols[ranked].name);
    dp_buf_puts(b, ")\nSELECT\n");
    for (size_t k = 0; k < design->ncols; k++)
        dp_buf_printf(b, "    dp_ranked.%s%s\n", dp_comp__qi(c, design->cols[k].name), k + 1 < design->ncols ? "," : "");
    dp_buf_puts(b, "FROM (\n    SELECT dp_report.*, row_number() OVER (PARTITION BY ");
    size_t n = 0;
    for (size_t k = 0; k < design->ncols; k++)
        if (design->cols[k].role != DP_ROLE_METRIC && (int)k != ranked && !is_attribute(&design->cols[k]))
            dp_buf_printf(b, "%s%s", n++ ? ", " : "", dp_comp__qi(c, design->cols[k].name));
    dp_buf_printf(b, " ORDER BY %s %s NULLS LAST, %s) AS dp_rank\n    FROM dp_report\n",
                  dp_comp__qi(c, order_column(design, in)), in->order_desc ? "DESC" : "ASC", rk);
    emit_where(c, b, design, "    ");
    dp_buf_puts(b, ") AS dp_ranked\n");
    dp_buf_printf(b, "WHERE dp_rank <= %ld\nORDER BY ", in->limit);
    for (size_t k = 0; k < design->ncols; k++)
        if (design->cols[k].role != DP_ROLE_METRIC && (int)k != ranked && !is_attribute(&design->cols[k]))
            dp_buf_printf(b, "dp_ranked.%s, ", dp_comp__qi(c, design->cols[k].name));
    dp_buf_puts(b, "dp_rank");
}

/* dp_compiled.max_rows: the stored rows of the datasets the joined CTEs
 * aggregate, summed (DuckDB's count of a table's rows, else a complete
 * profile's); -1 when one is unknown or a CTE makes rows of its own. It
 * only chooses how the test run keeps its result. */
static double max_rows(const comp *c)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < c->nctes; i++) {
        const cte *t = &c->ctes[i];
        if (t->helper)
            continue;
        if (t->spine_of || t->body || t->shift || t->daily || t->nsubjoins)
            return -1;
        const dp_model *m = t->model;
        if (m->est_known)
            sum += (double)m->est_rows;
        else if (m->profiled && !m->profile_partial && m->profile_sample == 0)
            sum += (double)m->rows;
        else
            return -1;
        n++;
    }
    return n ? sum : -1;
}

int dp_compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
               const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err)
{
    return dp_comp__compile(out, kg, in, d, design, dialect, a, err, 0);
}

int dp_comp__compile(dp_compiled *out, const dp_kg *kg, const dp_intent *in, const dp_discovery *d,
                     const dp_design *design, dp_dialect dialect, dp_arena *a, dp_error *err, int depth)
{
    comp *c = dp_arena_alloc(a, sizeof(*c));
    if (!c)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    memset(c, 0, sizeof(*c));
    out->max_rows = -1;
    c->depth = depth;
    c->kg = kg;
    c->in = in;
    c->d = d;
    c->design = design;
    c->dialect = dialect;
    c->a = a;
    c->err = err;
    memset(out, 0, sizeof(*out));
    /* the wide product's measures are computed as metrics, its attributes
     * joined at the end (compile_wide.c) */
    const dp_design *wide = design;
    if (depth == 0 && !(design = dp_comp__inner_design(c, design)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    c->design = design;
    int rc = 0;
    dp_buf b;
    dp_buf_init(&b, 8u << 20);
    const char *exprs[DP_INTENT_MAX_ITEMS * 2 + 2 * DP_PLAN_MAX] = {0};
    /* filters no row can pass: refused before any SQL */
    if ((rc = dp_comp__check_filters(c)))
        goto done;
    out->lineage = json_array();
    /* metric expressions first: they decide the CTEs; then the component
     * measures, which read what the metrics computed */
    for (size_t i = 0; i < 2 * design->ncols; i++) {
        size_t k = i % design->ncols, pass = i / design->ncols;
        const dp_target_col *tc = &design->cols[k];
        if (tc->role != DP_ROLE_METRIC || (tc->measure != NULL) != (pass == 1))
            continue;
        json_t *src = json_array();
        c->lineage_sources = src;
        c->metric = tc->metric;
        exprs[k] = pass ? dp_comp__component_sql(c, tc) : dp_comp__metric_sql(c, tc->metric, NULL, 0);
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
    dp_buf_printf(&b, "-- %s\n-- grain: %s\n", design->table, dp_comp__one_line(c, design->grain_text));
    for (size_t k = 0; k < design->ncols; k++)
        if (design->cols[k].role == DP_ROLE_METRIC)
            dp_buf_printf(&b, "-- %s = %s\n", design->cols[k].name, dp_comp__one_line(c, design->cols[k].formula));
    if (in->range_start)
        dp_buf_printf(&b, "-- time range: [%s, %s)\n", in->range_start, in->range_end);
    /* "top 3 carriers ... for each region": the ranked column, ranked
     * within each combination of the other keys */
    int ranked = -1;
    if ((rc = ranked_column(c, design, &ranked)))
        goto done;
    for (size_t k = 0; k < in->nconditions; k++)
        dp_buf_printf(&b, "-- condition: %s %s %g\n", in->conditions[k].metric->name, in->conditions[k].op,
                      in->conditions[k].value);
    if (ranked >= 0) {
        dp_buf_printf(&b, "-- ranking: %s %ld %s by %s within each", in->order_desc ? "top" : "bottom", in->limit,
                      design->cols[ranked].name, order_column(design, in));
        for (size_t k = 0, n = 0; k < design->ncols; k++)
            if (design->cols[k].role != DP_ROLE_METRIC && (int)k != ranked)
                dp_buf_printf(&b, "%s %s", n++ ? "," : "", design->cols[k].name);
        dp_buf_puts(&b, "\n");
    }
    if (dialect == DP_DIALECT_POSTGRES && c->nctes > 1) {
        int keyed = 0;
        for (size_t k = 0; k < design->ncols; k++)
            keyed |= design->cols[k].role != DP_ROLE_METRIC;
        if (keyed)
            dp_buf_puts(&b, "-- datasets are joined on ARRAY[key] = ARRAY[key]: NULL keys match as with IS NOT DISTINCT FROM,\n"
                            "-- in a join condition PostgreSQL can hash\n");
    }
    size_t with_pos = b.len, final_pos = 0;
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
    /* ranking within groups and conditions on metrics read the report as
     * a CTE of its own */
    int wrapped = ranked >= 0 || in->nconditions;
    dp_buf_puts(&b, wrapped ? ",\ndp_report AS (\nSELECT\n" : "\nSELECT\n");
    if (!wrapped)
        final_pos = b.len - strlen("SELECT\n");
    size_t nkeys = 0;
    for (size_t k = 0; k < design->ncols; k++) {
        const dp_target_col *tc = &design->cols[k];
        int last = k + 1 == design->ncols;
        if (tc->role == DP_ROLE_METRIC) {
            dp_buf_printf(&b, "    %s AS %s%s\n", depth ? exprs[k] : dp_comp__typed(c, tc, exprs[k]),
                          dp_comp__qi(c, tc->name), last ? "" : ",");
            continue;
        }
        nkeys++;
        /* PostgreSQL: a text key is text whether its column is varchar or
         * text, so the contract's declared type is the model's */
        int pg_text = c->dialect == DP_DIALECT_POSTGRES && tc->type && !strcasecmp(tc->type, "VARCHAR");
        if ((tc->role == DP_ROLE_ENTITY || pg_text) && !depth && dp_comp__cast_type(c, tc->type)) {
            /* a key read from datasets whose columns differ in type: the
             * designed one */
            const char *x = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, outs[0]->name), dp_comp__qi(c, tc->name));
            for (size_t i = 1; i < nout; i++)
                x = dp_arena_printf(c->a, "%s, %s.%s", x, dp_comp__qi(c, outs[i]->name), dp_comp__qi(c, tc->name));
            dp_buf_printf(&b, "    %s AS %s%s\n",
                          dp_comp__typed(c, tc, nout > 1 ? dp_arena_printf(c->a, "COALESCE(%s)", x) : x),
                          dp_comp__qi(c, tc->name), last ? "" : ",");
        } else if (nout == 1) {
            dp_buf_printf(&b, "    %s.%s%s\n", dp_comp__qi(c, outs[0]->name), dp_comp__qi(c, tc->name),
                          last ? "" : ",");
        } else {
            dp_buf_puts(&b, "    COALESCE(");
            for (size_t i = 0; i < nout; i++)
                dp_buf_printf(&b, "%s%s.%s", i ? ", " : "", dp_comp__qi(c, outs[i]->name), dp_comp__qi(c, tc->name));
            dp_buf_printf(&b, ") AS %s%s\n", dp_comp__qi(c, tc->name), last ? "" : ",");
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
            /* the periods the time spine gave */
            const char *sx = g->kind == DP_COL_TIME ? dp_comp__spine_lineage(c, src, merged) : NULL;
            if (sx)
                expr = sx;
            else if (*merged)
                expr = g->kind == DP_COL_TIME
                           ? dp_arena_printf(c->a, "date_trunc('%s', %s)%s", dp_grain_name(c->in->grain), merged,
                                             strchr(merged, ',') ? " (coalesced across datasets)" : "")
                           : strchr(merged, ',') ? dp_arena_printf(c->a, "COALESCE(%s)", merged) : merged;
        }
        json_array_append_new(out->lineage, json_pack("{s:s,s:o,s:s}", "column", tc->name, "sources", src,
                                                      "expression", expr));
    }
    dp_buf_printf(&b, "FROM %s\n", dp_comp__qi(c, outs[0]->name));
    for (size_t i = 1; i < nout; i++) {
        if (!nkeys) {
            dp_buf_printf(&b, "CROSS JOIN %s\n", dp_comp__qi(c, outs[i]->name));
            continue;
        }
        dp_buf_printf(&b, "FULL OUTER JOIN %s\n    ON ", dp_comp__qi(c, outs[i]->name));
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
                dp_buf_printf(&b, "%s.%s", dp_comp__qi(c, outs[0]->name), dp_comp__qi(c, tc->name));
            } else {
                dp_buf_puts(&b, "COALESCE(");
                for (size_t j = 0; j < i; j++)
                    dp_buf_printf(&b, "%s%s.%s", j ? ", " : "", dp_comp__qi(c, outs[j]->name),
                                  dp_comp__qi(c, tc->name));
                dp_buf_puts(&b, ")");
            }
            if (pg)
                dp_buf_printf(&b, "%s] = ARRAY[%s%s.%s%s]", as, cast, dp_comp__qi(c, outs[i]->name),
                              dp_comp__qi(c, tc->name), as);
            else
                dp_buf_printf(&b, " IS NOT DISTINCT FROM %s.%s", dp_comp__qi(c, outs[i]->name),
                              dp_comp__qi(c, tc->name));
        }
        dp_buf_puts(&b, "\n");
    }
    if (wrapped)
        final_pos = b.len + strlen(")\n");
    if (wrapped && ranked < 0)
        emit_kept(c, &b, design);
    const char *outer_order = "";
    size_t plain_order = 0; /* where the product's own ORDER BY of its keys starts (no LIMIT), or 0 */
    if (ranked >= 0) {
        emit_ranked(c, &b, design, ranked);
        outer_order = "ORDER BY ";
        for (size_t k = 0; k < design->ncols; k++)
            if (design->cols[k].role != DP_ROLE_METRIC && (int)k != ranked && !is_attribute(&design->cols[k]))
                outer_order =
                    dp_arena_printf(c->a, "%sdp_product.%s, ", outer_order, dp_comp__qi(c, design->cols[k].name));
        outer_order = dp_arena_printf(c->a, "%sdp_product.%s %s NULLS LAST, dp_product.%s", outer_order,
                                      dp_comp__qi(c, order_column(design, in)), in->order_desc ? "DESC" : "ASC",
                                      dp_comp__qi(c, design->cols[ranked].name));
    } else if ((in->limit > 0 || in->ordered) && in->order_metric) {
        const char *oname = order_column(design, in);
        dp_buf_printf(&b, "ORDER BY %s %s NULLS LAST", dp_comp__qi(c, oname), in->order_desc ? "DESC" : "ASC");
        for (size_t k = 0; k < nkeys; k++)
            dp_buf_printf(&b, ", %zu", k + 1);
        outer_order =
            dp_arena_printf(c->a, "ORDER BY %s %s NULLS LAST", dp_comp__qi(c, oname), in->order_desc ? "DESC" : "ASC");
        for (size_t k = 0; k < nkeys; k++)
            outer_order = dp_arena_printf(c->a, "%s, %zu", outer_order, k + 1);
        if (in->limit > 0)
            dp_buf_printf(&b, "\nLIMIT %ld", in->limit);
    } else if (nkeys) {
        outer_order = "ORDER BY ";
        for (size_t k = 0; k < nkeys; k++)
            outer_order = dp_arena_printf(c->a, "%s%s%zu", outer_order, k ? ", " : "", k + 1);
        plain_order = b.len;
        dp_buf_puts(&b, outer_order);
    }
    /* the attributes joined to the finished product, ordered as it is */
    if (!depth && dp_comp__has_attributes(wide) && !b.toobig) {
        const char *all = dp_arena_strdup(a, dp_buf_cstr(&b));
        size_t cend = final_pos;
        while (cend > with_pos && (all[cend - 1] == '\n' || all[cend - 1] == ','))
            cend--;
        /* the outer SELECT sorts by the same keys: the product's own sort
         * would be undone by the join and done again (a sort of every row) */
        size_t fend = strlen(all);
        if (plain_order > final_pos)
            for (fend = plain_order; fend > final_pos && all[fend - 1] == '\n'; fend--)
                ;
        dp_buf_clear(&b);
        if ((rc = dp_comp__wrap_attributes(c, &b, wide, dp_arena_printf(a, "%.*s", (int)with_pos, all),
                                           dp_arena_printf(a, "%.*s", (int)(cend - with_pos), all + with_pos),
                                           dp_arena_printf(a, "%.*s", (int)(fend - final_pos), all + final_pos),
                                           outer_order, out->lineage)))
            goto done;
    }
    if (b.toobig) {
        rc = dp_error_set(err, DP_ELIMIT, "generated SQL exceeds %zu bytes", b.max);
        goto done;
    }
    if (c->cut) { /* never run SQL cut at a cap (compile_expr.c) */
        rc = dp_error_set(err, DP_ELIMIT, "the SQL of expression '%s' exceeds 1 MiB", c->cut);
        goto done;
    }
    out->sql = dp_arena_strdup(a, dp_buf_cstr(&b));
    out->max_rows = max_rows(c);
    out->ctes = json_array();
    for (size_t i = 0; i < c->nctes; i++) {
        json_t *ms = json_array();
        for (size_t j = 0; j < c->ctes[i].n; j++)
            json_array_append_new(ms, json_string(c->ctes[i].cols[j].name));
        /* each dataset this one joined to, by the path it took: datasets
         * of one query may reach the same one by different paths */
        json_t *paths = json_array();
        for (size_t j = 0; j < c->ctes[i].nreached; j++)
            json_array_append_new(paths, json_pack("{s:s,s:s}", "to", c->ctes[i].reached[j]->name, "path",
                                                   c->ctes[i].reached_path[j]));
        json_array_append_new(out->ctes, json_pack("{s:s,s:s,s:s?,s:o,s:o}", "name", c->ctes[i].name, "dataset",
                                                   c->ctes[i].model->name, "time_dimension", c->ctes[i].time_dim,
                                                   "measures", ms, "join_paths", paths));
    }
done:
    dp_buf_dispose(&b);
    if (rc) {
        json_decref(out->lineage);
        out->lineage = NULL;
    }
    return rc;
}

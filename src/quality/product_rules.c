/* Quality rules on the product's own columns: the NULLs its grain columns
 * hold, the funnel and the signs of its component measure columns, and its
 * rows whose entity is missing from the entity's dataset. */
#include "quality/quality_int.h"
#include "transform/result_table.h"
#include "catalog/db.h"
#include "discovery/discovery.h"
#include "util/error.h"
#include "util/ident.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS DP_PLAN_MAX

typedef struct nulls_ctx {
    long long n[MAX_KEYS];
    size_t got;
} nulls_ctx;

static int read_counts(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    nulls_ctx *c = p;
    (void)names;
    for (size_t i = 0; i < ncols && i < MAX_KEYS; i++)
        c->n[i] = vals[i] ? atoll(vals[i]) : 0;
    c->got = ncols;
    return 0;
}

/* Whether a grain column's values come from a dataset the metrics do not
 * aggregate (reached through a join, so a missing row there gives NULL). */
static const dp_model *joined_from(dp_run *r, const dp_target_col *c)
{
    const dp_model *dm = c->grain ? c->grain->dim_model : NULL;
    /* an entity column holds the aggregated rows' own key */
    if (!dm || c->role != DP_ROLE_DIMENSION || !r->intent.nmetrics)
        return NULL;
    for (size_t i = 0; i < r->intent.nmetrics; i++) {
        const dp_model *mm[8];
        size_t n = dp_metric_models(r->kg, r->intent.metrics[i], mm, 8, 0);
        for (size_t k = 0; k < n; k++)
            if (mm[k] == dm)
                return NULL;
    }
    return dm;
}

void dp_quality__key_nulls(dp_run *r)
{
    dp_design *dz = &r->design;
    size_t idx[MAX_KEYS], n = 0;
    const char *sel = "", *grain = "";
    if (!r->exec.ran || !r->exec.table)
        return;
    for (size_t i = 0; i < dz->ncols && n < MAX_KEYS; i++) {
        if (!dz->cols[i].is_key)
            continue;
        const char *id = dp_quality__ident(r, dz->cols[i].name);
        sel = dp_arena_printf(r->a, "%s%scount(*) FILTER (WHERE %s IS NULL)", sel, n ? ", " : "", id);
        grain = dp_arena_printf(r->a, "%s%s%s", grain, n ? ", " : "", dz->cols[i].name);
        idx[n++] = i;
    }
    if (!n)
        return;
    nulls_ctx nc = {{0}, 0};
    dp_error err = {0};
    /* counted with the test run's other counts (transform/explain.c) */
    if (r->exec.key_nulls_counted && r->exec.nkey_nulls == n) {
        memcpy(nc.n, r->exec.key_nulls, n * sizeof(*nc.n));
        nc.got = n;
    }
    const char *sql = nc.got ? NULL : dp_arena_printf(r->a, "SELECT %s FROM %s", sel, r->exec.table);
    if ((sql && (dp_transform_result_table(r, &err) ||
                 dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_counts, &nc, &err))) ||
        nc.got != n) {
        dp_run_warning(r, "the NULLs of the grain columns could not be counted (%s): constraints as designed",
                       err.message[0] ? err.message : "no row");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        dp_target_col *c = &dz->cols[idx[k]];
        if (!nc.n[k]) {
            /* the test run has none: the contract can state it */
            c->not_null = 1;
            continue;
        }
        const dp_model *via = joined_from(r, c);
        c->not_null = 0;
        dz->no_primary_key = 1;
        c->key_note = dp_arena_printf(
            r->a,
            "%lld row(s) of the test run have no %s: source rows whose %s is NULL, or that have no row in %s "
            "(reached through a LEFT JOIN) or rows there that disagree, form a group of their own, so "
            "%s is not declared not-null and the product declares no primary key; the grain (%s) is checked unique "
            "with NULL as one value",
            nc.n[k], c->name, c->name, via ? via->name : "the dataset it is read from", c->name, grain);
        dp_run_decision(r, "grain column %s: %lld NULL row(s) in the test result, no primary key declared", c->name,
                        nc.n[k]);
    }
}

/* The product's column holding a ratio's numerator or denominator: the
 * simple metric's own column when it was asked, else the component measure
 * column of the same rows (a metric filtered by its own definition matches
 * only its own column, never its measure's unfiltered sum). */
static const dp_target_col *part_col(const dp_run *r, const char *name)
{
    const dp_metric *sub = dp_kg_metric(r->kg, name);
    if (sub && sub->type != DP_METRIC_SIMPLE)
        return NULL;
    const dp_measure *me = sub ? dp_kg_measure(r->kg, sub->measure.name) : dp_kg_measure(r->kg, name);
    if (!me)
        return NULL;
    int filtered = sub && (sub->filter || sub->measure.filter);
    const dp_design *dz = &r->design;
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        if (c->role == DP_ROLE_METRIC && sub && c->metric == sub)
            return c;
        if (c->role == DP_ROLE_MEASURE && c->measure == me &&
            (filtered ? c->input == sub : !c->input || (!c->input->filter && !c->input->measure.filter)))
            return c;
    }
    return NULL;
}

/* The dataset of a column part_col found. */
static const char *col_dataset(const dp_run *r, const dp_target_col *c)
{
    const dp_measure *me = c->measure ? c->measure : c->metric ? dp_kg_measure(r->kg, c->metric->measure.name) : NULL;
    return me && me->model ? me->model->name : "";
}

void dp_quality__product_funnel(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        const dp_metric *m = c->metric;
        if (c->role != DP_ROLE_METRIC || !c->is_rate || !m || m->type != DP_METRIC_RATIO || m->numerator.filter ||
            m->denominator.filter)
            continue;
        const dp_target_col *num = part_col(r, m->numerator.name), *den = part_col(r, m->denominator.name);
        if (!num || !den || num == den)
            continue;
        dp_quality__add_rule(
            q, "funnel_order", NULL, "warn", "business_logic", col_dataset(r, num),
            dp_arena_printf(r->a,
                            "%s is a part of %s (metric %s), so no row of the product may have more %s than %s (its "
                            "columns %s and %s)",
                            m->numerator.name, m->denominator.name, m->name, num->name, den->name, num->name,
                            den->name),
            dp_arena_printf(r->a, "%s <= %s", num->name, den->name),
            dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s > %s", r->exec.table, dp_quality__ident(r, num->name),
                            dp_quality__ident(r, den->name)),
            dp_quality__gx_exp("expect_column_pair_values_a_to_be_greater_than_b",
                               json_pack("{s:s,s:s,s:b,s:s}", "column_A", den->name, "column_B", num->name, "or_equal",
                                         1, "ignore_row_if", "either_value_is_missing"),
                               "funnel: the whole is at least its part"),
            NULL);
    }
}

void dp_quality__measure_rules(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        const dp_measure *me = c->measure;
        if (c->role != DP_ROLE_MEASURE || !me)
            continue;
        const dp_column *col = dp_is_identifier(me->expr) ? dp_kg_model_column(me->model, me->expr) : NULL;
        int filtered = c->input && (c->input->filter || c->input->measure.filter);
        int counts = me->agg == DP_AGG_COUNT || me->agg == DP_AGG_COUNT_DISTINCT;
        int expr_sum = !col && me->agg == DP_AGG_SUM && !strcasestr(me->expr, "case") && !strpbrk(me->expr, "<>=");
        if (!counts && !expr_sum && !(col && col->prof.done && me->agg == DP_AGG_SUM))
            continue;
        dp_quality__add_rule(
            q, "non_negative", c->name, counts || (col && col->prof.nonneg) ? "error" : "warn", "business_logic",
            me->model->name,
            dp_arena_printf(r->a, "%s sums %s (%s%s%s), so it cannot be negative", c->name, counts ? "counts" : "amounts",
                            filtered ? c->input->name : "", filtered ? ": its filter over measure " : "measure ",
                            me->name),
            dp_arena_printf(r->a, "%s >= 0", c->name),
            dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0", r->exec.table, dp_quality__ident(r, c->name)),
            dp_quality__gx_exp("expect_column_values_to_be_between",
                               json_pack("{s:s,s:i}", "column", c->name, "min_value", 0), "non-negative"),
            json_pack("{s:{s:{s:s}}}", "dbt_utils.expression_is_true", "arguments", "expression",
                      dp_arena_printf(r->a, "%s IS NULL OR %s >= 0", c->name, c->name)));
    }
}

/* Whether a dataset the run reads other than home refers to the entity (so
 * its rows can name an entity home lacks). */
static int referenced_elsewhere(const dp_run *r, const dp_model *home, const char *entity)
{
    for (size_t i = 0; i < r->disc.nselected; i++) {
        const dp_model *m = r->disc.selected[i];
        if (m == home)
            continue;
        for (size_t e = 0; e < m->nentities; e++)
            if (m->entities[e].type == DP_ENT_FOREIGN && !strcmp(m->entities[e].name, entity))
                return 1;
    }
    return 0;
}

void dp_quality__orphan_rules(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        if (c->role != DP_ROLE_ENTITY || !c->grain || !c->grain->entity)
            continue;
        const char *ent = c->grain->entity;
        const dp_model *home = dp_kg_entity_home(r->kg, ent);
        const dp_entity *he = home ? dp_kg_model_entity(home, ent) : NULL;
        if (!home || !home->table || !he || !dp_is_identifier(he->expr) || !referenced_elsewhere(r, home, ent))
            continue;
        /* the product's columns that come from home: NULL on those rows */
        const char *from_home = "";
        for (size_t k = 0; k < dz->ncols; k++) {
            const dp_target_col *a = &dz->cols[k];
            if ((a->role == DP_ROLE_ATTRIBUTE && a->attr_model == home) ||
                (a->role == DP_ROLE_DIMENSION && a->grain && a->grain->dim_model == home))
                from_home = dp_arena_printf(r->a, "%s%s%s", from_home, *from_home ? ", " : "", a->name);
        }
        const char *id = dp_quality__ident(r, c->name), *hk = dp_quality__ident(r, he->expr);
        /* as it runs: NOT IN over the non-NULL keys is NOT EXISTS here (the
         * row's key is not NULL either), and DuckDB plans it as a plain anti
         * join, twice as fast as the correlated subquery */
        q->run_sql = dp_arena_printf(r->a,
                                     "SELECT p.* FROM %s AS p WHERE p.%s IS NOT NULL AND p.%s NOT IN (SELECT e.%s FROM "
                                     "%s AS e WHERE e.%s IS NOT NULL)",
                                     r->exec.table, id, id, hk, dp_quality__table(r, home), hk);
        dp_quality__add_rule(
            q, "orphan_rows", c->name, "warn", "schema", home->name,
            dp_arena_printf(r->a,
                            "rows of the product whose %s (%s) is missing from %s: the source rows with that %s "
                            "value keep a group of their own%s%s%s",
                            ent, c->name, home->name, c->name,
                            *from_home ? ", with NULL in the columns taken from it (" : "", from_home,
                            *from_home ? ")" : ""),
            dp_arena_printf(r->a, "%s references %s.%s", c->name, home->name, he->expr),
            dp_arena_printf(r->a,
                            "SELECT p.* FROM %s AS p WHERE p.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s AS e "
                            "WHERE e.%s = p.%s)",
                            r->exec.table, id, dp_quality__table(r, home), dp_quality__ident(r, he->expr), id),
            NULL, NULL);
    }
}

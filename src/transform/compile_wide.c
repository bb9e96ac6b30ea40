/* The wide product in SQL: component measures read from the metrics' own CTEs, attributes joined after, typed casts. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

int dp_comp__has_attributes(const dp_design *dz)
{
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role == DP_ROLE_ATTRIBUTE)
            return 1;
    return 0;
}

const dp_design *dp_comp__inner_design(comp *c, const dp_design *dz)
{
    int wide = 0;
    for (size_t i = 0; i < dz->ncols; i++)
        wide |= dz->cols[i].role == DP_ROLE_ATTRIBUTE || dz->cols[i].role == DP_ROLE_MEASURE;
    if (!wide)
        return dz;
    dp_design *in = dp_arena_alloc(c->a, sizeof(*in));
    if (!in)
        return NULL;
    *in = *dz;
    in->ncols = 0;
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *tc = &dz->cols[i];
        if (tc->role == DP_ROLE_ATTRIBUTE)
            continue;
        dp_target_col *o = &in->cols[in->ncols++];
        *o = *tc;
        if (tc->role != DP_ROLE_MEASURE)
            continue;
        /* a measure is the value of the simple metric its parent reads, or
         * of the measure itself as one: the same SQL, so the same column */
        o->role = DP_ROLE_METRIC;
        o->is_rate = 0;
        if (tc->input) {
            o->metric = tc->input;
        } else {
            dp_metric *m = dp_arena_calloc(c->a, 1, sizeof(*m));
            if (!m)
                return NULL;
            m->type = DP_METRIC_SIMPLE;
            m->name = tc->measure->name;
            m->measure.name = tc->measure->name;
            o->metric = m;
        }
    }
    return in;
}

/* Where the statement's measures live: a component measure may only read
 * what the metrics' SQL already computes (no new CTE, no new column: a
 * column of its own would change which rows make groups). */
typedef struct shape {
    size_t nctes, n[MAX_CTES], nsub[MAX_CTES];
} shape;

static void shape_of(const comp *c, shape *s)
{
    s->nctes = c->nctes;
    for (size_t i = 0; i < c->nctes; i++) {
        s->n[i] = c->ctes[i].n;
        s->nsub[i] = c->ctes[i].nsubjoins;
    }
}

const char *dp_comp__component_sql(comp *c, const dp_target_col *tc)
{
    shape before, after;
    shape_of(c, &before);
    /* the input as its metric reads it, under that metric's filter */
    const char *x =
        tc->part ? dp_comp__input_sql(c, tc->part, tc->parent->filter) : dp_comp__metric_sql(c, tc->metric, NULL, 0);
    if (!x)
        return NULL;
    shape_of(c, &after);
    int same = before.nctes == after.nctes;
    for (size_t i = 0; same && i < before.nctes; i++)
        same = before.n[i] == after.n[i] && before.nsub[i] == after.nsub[i];
    if (!same) {
        dp_error_set(c->err, DP_ERROR, "component measure %s is not computed by the metrics' own SQL (please report)",
                     tc->name);
        return NULL;
    }
    return x;
}

/* DuckDB type names PostgreSQL spells otherwise; NULL: no cast (a type
 * PostgreSQL lacks: the value is left as the engine gives it). */
const char *dp_comp__cast_type(comp *c, const char *type)
{
    if (!type || !*type)
        return NULL;
    for (const char *p = type; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("(), _", *p))
            return NULL;
    if (c->dialect != DP_DIALECT_POSTGRES)
        return type;
    static const struct {
        const char *duck, *pg;
    } map[] = {{"DOUBLE", "DOUBLE PRECISION"}, {"FLOAT", "REAL"},
               {"HUGEINT", "NUMERIC(38,0)"},   {"TINYINT", "SMALLINT"},
               {"UTINYINT", "SMALLINT"},       {"USMALLINT", "INTEGER"},
               {"UINTEGER", "BIGINT"},         {"UBIGINT", "NUMERIC(20,0)"},
               {"BIGINT", "BIGINT"},           {"INTEGER", "INTEGER"},
               {"SMALLINT", "SMALLINT"},       {"DATE", "DATE"},
               {"VARCHAR", "TEXT"},         {"BOOLEAN", "BOOLEAN"},
               {"TIMESTAMP", "TIMESTAMP"},     {NULL, NULL}};
    for (int i = 0; map[i].duck; i++)
        if (!strcasecmp(type, map[i].duck))
            return map[i].pg;
    if (!strncasecmp(type, "DECIMAL(", 8) || !strncasecmp(type, "NUMERIC(", 8))
        return type;
    return NULL;
}

/* The output value x of column tc, cast to its designed type. */
const char *dp_comp__typed(comp *c, const dp_target_col *tc, const char *x)
{
    const char *t = dp_comp__cast_type(c, tc->type);
    /* a ratio is already a quotient of doubles in either dialect */
    if (tc->metric && tc->metric->type == DP_METRIC_RATIO && !strcmp(tc->type, "DOUBLE"))
        return x;
    return t ? dp_arena_printf(c->a, "CAST(%s AS %s)", x, t) : x;
}

/* One CTE per entity with attributes: the entity's rows reduced to one row
 * per key. An attribute whose rows disagree for a key (duplicate keys,
 * history kept in place) is NULL for that key: never an arbitrary pick.
 * One row per key, so the join keeps the product's rows and numbers as
 * they are. min = max says the non-NULL values agree (booleans, which
 * PostgreSQL cannot min, through bool_and = bool_or). */
static int emit_attr_cte(comp *c, dp_buf *b, const dp_design *dz, size_t first, const char *cname)
{
    const dp_target_col *f = &dz->cols[first];
    const dp_model *m = f->attr_model;
    const dp_entity *e = dp_kg_model_entity(m, f->attr_entity);
    if (!e)
        return dp_error_set(c->err, DP_ERROR, "entity %s is not in %s", f->attr_entity, m->name);
    const char *alias = dp_comp__qi(c, m->name);
    dp_buf_printf(b,
                  ",\n%s AS (\n    -- %s: one row per %s; an attribute whose rows disagree for a key is NULL for it\n"
                  "    SELECT\n        %s AS dp_key",
                  cname, m->name, f->attr_entity, dp_comp__qualify(c, e->expr, alias, m, NULL));
    for (size_t k = first; k < dz->ncols; k++) {
        const dp_target_col *tc = &dz->cols[k];
        if (tc->role != DP_ROLE_ATTRIBUTE || tc->attr_model != m || strcmp(tc->attr_entity, f->attr_entity))
            continue;
        const char *x = dp_comp__qualify(c, tc->attr_dim->expr, alias, m, NULL);
        int boolean = !strcmp(dp_type_family(tc->type), "boolean");
        const char *lo = boolean ? "bool_and" : "min", *hi = boolean ? "bool_or" : "max";
        /* a value on one row and NULL on another disagree too */
        const char *one = dp_arena_printf(c->a, "CASE WHEN count(%s) = count(*) AND %s(%s) = %s(%s) THEN %s(%s) END", x, lo,
                                          x, hi, x, lo, x);
        /* PostgreSQL's min of a varchar is text: the source's type */
        if (c->dialect == DP_DIALECT_POSTGRES)
            one = dp_comp__typed(c, tc, one);
        dp_buf_printf(b, ",\n        %s AS %s", one, dp_comp__qi(c, tc->name));
    }
    dp_buf_printf(b, "\n    FROM %s.%s AS %s\n    GROUP BY 1\n)", dp_comp__qi(c, m->schema), dp_comp__qi(c, m->table),
                  alias);
    return 0;
}

/* The join of the product's key column with the entity's own key: as they
 * are when their type families agree, else both as text. */
static const char *key_cond(comp *c, const dp_target_col *f, const char *cname)
{
    const dp_entity *e = dp_kg_model_entity(f->attr_model, f->attr_entity);
    const dp_column *kc = e ? dp_kg_model_column(f->attr_model, e->expr) : NULL;
    const char *pt = NULL;
    for (size_t k = 0; k < c->design->ncols; k++)
        if (!strcmp(c->design->cols[k].name, f->attr_key_col))
            pt = c->design->cols[k].type;
    const char *l = dp_arena_printf(c->a, "dp_product.%s", dp_comp__qi(c, f->attr_key_col));
    const char *r = dp_arena_printf(c->a, "%s.dp_key", cname);
    if (kc && pt && !strcmp(dp_type_family(kc->type), dp_type_family(pt)))
        return dp_arena_printf(c->a, "%s = %s", r, l);
    const char *tt = c->dialect == DP_DIALECT_POSTGRES ? "TEXT" : "VARCHAR";
    return dp_arena_printf(c->a, "CAST(%s AS %s) = CAST(%s AS %s)", r, tt, l, tt);
}

int dp_comp__wrap_attributes(comp *c, dp_buf *b, const dp_design *wide, const char *head, const char *ctes,
                             const char *final, const char *order, json_t *lineage)
{
    dp_buf_puts(b, head);
    for (size_t k = 0; k < wide->ncols; k++) /* beside the metrics' definitions */
        if (wide->cols[k].role == DP_ROLE_ATTRIBUTE)
            dp_buf_printf(b, "-- %s = %s\n", wide->cols[k].name, dp_comp__one_line(c, wide->cols[k].formula));
    dp_buf_puts(b, ctes);
    dp_buf_printf(b, ",\ndp_product AS (\n%s\n)", final);
    const char *cname[DP_PLAN_MAX * 2 + DP_INTENT_MAX_ITEMS] = {0};
    for (size_t k = 0; k < wide->ncols; k++) {
        const dp_target_col *tc = &wide->cols[k];
        if (tc->role != DP_ROLE_ATTRIBUTE)
            continue;
        for (size_t j = 0; j < k && !cname[k]; j++)
            if (cname[j] && wide->cols[j].attr_model == tc->attr_model &&
                !strcmp(wide->cols[j].attr_entity, tc->attr_entity))
                cname[k] = cname[j];
        if (!cname[k]) {
            cname[k] = dp_comp__qi(c, dp_arena_printf(c->a, "dp_%s_attributes", tc->attr_entity));
            int rc = emit_attr_cte(c, b, wide, k, cname[k]);
            if (rc)
                return rc;
        }
        const dp_entity *e = dp_kg_model_entity(tc->attr_model, tc->attr_entity);
        json_array_append_new(
            lineage,
            json_pack("{s:s,s:[s],s:s}", "column", tc->name, "sources",
                      dp_arena_printf(c->a, "%s.%s", tc->attr_model->name, tc->attr_dim->expr), "expression",
                      dp_arena_printf(c->a, "%s.%s joined on %s.%s = %s (NULL where the rows of a key disagree)",
                                      tc->attr_model->name, tc->attr_dim->expr, tc->attr_model->name,
                                      e ? e->expr : tc->attr_entity, tc->attr_key_col)));
    }
    dp_buf_puts(b, "\nSELECT\n");
    for (size_t k = 0; k < wide->ncols; k++) {
        const dp_target_col *tc = &wide->cols[k];
        dp_buf_printf(b, "    %s.%s%s\n", tc->role == DP_ROLE_ATTRIBUTE ? cname[k] : "dp_product",
                      dp_comp__qi(c, tc->name), k + 1 < wide->ncols ? "," : "");
    }
    dp_buf_puts(b, "FROM dp_product\n");
    for (size_t k = 0; k < wide->ncols; k++) {
        const dp_target_col *tc = &wide->cols[k];
        int first = tc->role == DP_ROLE_ATTRIBUTE;
        for (size_t j = 0; first && j < k; j++)
            first = cname[j] != cname[k];
        if (first)
            dp_buf_printf(b, "LEFT JOIN %s\n    ON %s\n", cname[k], key_cond(c, tc, cname[k]));
    }
    dp_buf_puts(b, order);
    return 0;
}

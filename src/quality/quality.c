/* Quality stage: rules from the target schema, from the knowledge graph's
 * history and from the business logic of the metrics; every rule is run
 * (on the test result, or on the source data where it concerns inputs) and
 * its result recorded; the same rules become a Great Expectations suite, dbt
 * tests and SQL assertions; and an SLA. */
#include "orchestrator/run.h"
#include "quality/quality_int.h"
#include "catalog/bind.h"
#include "catalog/db.h"
#include "intent/timeparse.h"
#include "modeling/modeling.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static void add_rule(qctx *q, const char *type, const char *column, const char *severity, const char *source,
                     const char *dataset, const char *description, const char *definition, const char *failing_sql,
                     json_t *gx, json_t *dbt)
{
    dp_run *r = q->r;
    /* one rule per check: the same check reached twice (a dataset used by
     * two metrics) is kept once */
    size_t ri;
    json_t *prev;
    json_array_foreach(r->rules, ri, prev) {
        const char *ps = json_string_value(json_object_get(prev, "dp_sql"));
        if (ps && !strcmp(ps, failing_sql) && !strcmp(json_string_value(json_object_get(prev, "type")), type)) {
            json_decref(gx);
            json_decref(dbt);
            q->run_sql = NULL;
            return;
        }
    }
    /* the spec states checks against the product's table; they run against
     * this run's temporary copy of it */
    const char *shown = failing_sql;
    const char *hit = strstr(failing_sql, r->exec.table);
    if (hit) {
        const char *out = "";
        const char *p = failing_sql;
        size_t tl = strlen(r->exec.table);
        while ((hit = strstr(p, r->exec.table))) {
            out = dp_arena_printf(r->a, "%s%.*s%s", out, (int)(hit - p), p, r->design.table);
            p = hit + tl;
        }
        shown = dp_arena_printf(r->a, "%s%s", out, p);
    }
    json_t *rule = json_object();
    json_object_set_new(rule, "id", json_sprintf("Q%03d", ++q->n));
    json_object_set_new(rule, "type", json_string(type));
    json_object_set_new(rule, "column", column ? json_string(column) : json_null());
    json_object_set_new(rule, "severity", json_string(severity));
    json_object_set_new(rule, "source", json_string(source));
    json_object_set_new(rule, "dataset", json_string(dataset));
    json_object_set_new(rule, "description", json_string(description));
    json_object_set_new(rule, "definition", json_string(definition));
    json_object_set_new(rule, "sql", json_string(shown));
    json_object_set_new(rule, "dp_sql", json_string(failing_sql));
    if (q->run_sql) /* taken by dp_quality__run_rules */
        json_object_set_new(rule, "dp_run_sql", json_string(q->run_sql));
    q->run_sql = NULL;
    /* its result: dp_quality__run_rules runs the rules together */
    json_array_append_new(r->rules, rule);
    json_array_append_new(r->sql_assertions, json_pack("{s:s,s:s,s:s}", "name",
                                                       json_string_value(json_object_get(rule, "id")), "severity",
                                                       severity, "sql", shown));
    if (gx) {
        json_object_set_new(json_object_get(gx, "meta"), "severity", json_string(severity));
        json_object_set_new(json_object_get(gx, "meta"), "rule_id", json_copy(json_object_get(rule, "id")));
        json_array_append_new(json_object_get(r->gx, "expectations"), gx);
    }
    if (dbt) {
        /* {test: {arguments: ..., config: {severity: ...}}} */
        void *it = json_object_iter(dbt);
        json_t *inner = it ? json_object_iter_value(it) : NULL;
        if (inner && json_is_object(inner))
            json_object_set_new(inner, "config", json_pack("{s:s}", "severity", severity));
        json_t *target = NULL;
        /* expression tests state whole conditions: they belong to the model */
        int model_level = it && !strncmp(json_object_iter_key(it), "dbt_utils.expression_is_true", 28);
        if (column && !model_level) {
            size_t i;
            json_t *c;
            json_array_foreach(json_object_get(r->dbt, "columns"), i, c)
                if (!strcmp(json_string_value(json_object_get(c, "name")), column))
                    target = json_object_get(c, "data_tests");
        }
        json_array_append_new(target ? target : json_object_get(r->dbt, "data_tests"), dbt);
    }
}

static json_t *gx_exp(const char *type, json_t *kwargs, const char *notes)
{
    return json_pack("{s:s,s:o,s:{s:s}}", "type", type, "kwargs", kwargs, "meta", "notes", notes);
}

static const char *table_of(dp_run *r, const dp_model *m)
{
    char a[300], b[300];
    dp_sql_quote_ident(m->schema, a, sizeof(a));
    dp_sql_quote_ident(m->table, b, sizeof(b));
    return dp_arena_printf(r->a, "%s.%s", a, b);
}

static const char *q_ident(dp_run *r, const char *name)
{
    char b[300];
    return dp_arena_strdup(r->a, dp_sql_quote_ident(name, b, sizeof(b)) ? b : "\"?\"");
}

void dp_quality__add_rule(qctx *q, const char *type, const char *column, const char *severity, const char *source,
                          const char *dataset, const char *description, const char *definition,
                          const char *failing_sql, json_t *gx, json_t *dbt)
{
    add_rule(q, type, column, severity, source, dataset, description, definition, failing_sql, gx, dbt);
}

json_t *dp_quality__gx_exp(const char *type, json_t *kwargs, const char *notes)
{
    return gx_exp(type, kwargs, notes);
}

const char *dp_quality__table(dp_run *r, const dp_model *m)
{
    return table_of(r, m);
}

const char *dp_quality__ident(dp_run *r, const char *name)
{
    return q_ident(r, name);
}

/* Business logic: a rate metric whose numerator and denominator are measures
 * of one dataset checks, row by row on the source, that the part never
 * exceeds the whole (each step of a funnel no larger than the one before). */
static void funnel_rules(qctx *q, const dp_metric *m)
{
    dp_run *r = q->r;
    const dp_kg *kg = r->kg;
    const char *nn = m->numerator.name, *dn = m->denominator.name;
    const dp_metric *nmet = dp_kg_metric(kg, nn), *dmet = dp_kg_metric(kg, dn);
    const dp_measure *num = nmet && nmet->type == DP_METRIC_SIMPLE ? dp_kg_measure(kg, nmet->measure.name) : dp_kg_measure(kg, nn);
    const dp_measure *den = dmet && dmet->type == DP_METRIC_SIMPLE ? dp_kg_measure(kg, dmet->measure.name) : dp_kg_measure(kg, dn);
    if (!num || !den || num->model != den->model || num->agg != DP_AGG_SUM || den->agg != DP_AGG_SUM ||
        !dp_is_identifier(num->expr) || !dp_is_identifier(den->expr) || m->numerator.filter || m->denominator.filter)
        return;
    const char *sql = dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s > %s", table_of(r, num->model), q_ident(r, num->expr),
                                      q_ident(r, den->expr));
    add_rule(q, "funnel_order", NULL, "warn", "business_logic", num->model->name,
             dp_arena_printf(r->a, "%s is a part of %s (metric %s), so no source row may have more %s than %s",
                             num->name, den->name, m->name, num->name, den->name),
             dp_arena_printf(r->a, "%s <= %s", num->expr, den->expr), sql, NULL, NULL);
}

/* Measures the requested metrics aggregate, through ratios and derived
 * metrics. */
static size_t metric_measures(const dp_kg *kg, const dp_metric *m, const dp_measure **out, size_t n, size_t max, int depth)
{
    (void)depth; /* the closure bounds the walk, each metric once */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX);
    for (size_t c = 0; c < ncl; c++) {
        const dp_metric *x = cl[c];
        const char *names[2] = {0};
        switch (x->type) {
        case DP_METRIC_SIMPLE:
        case DP_METRIC_CUMULATIVE:
            names[0] = x->measure.name;
            break;
        case DP_METRIC_RATIO:
            names[0] = x->numerator.name;
            names[1] = x->denominator.name;
            break;
        case DP_METRIC_CONVERSION:
            names[0] = x->base_measure.name;
            names[1] = x->conversion_measure.name;
            break;
        case DP_METRIC_DERIVED:
            break; /* its inputs are in the closure */
        }
        for (int i = 0; i < 2 && names[i]; i++) {
            const dp_metric *sub = x->type == DP_METRIC_RATIO ? dp_kg_metric(kg, names[i]) : NULL;
            if (sub && sub != x)
                continue; /* in the closure */
            const dp_measure *me = dp_kg_measure(kg, names[i]);
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= out[k] == me;
            if (me && !dup && n < max)
                out[n++] = me;
        }
    }
    return n;
}

/* Source amounts summed by any requested metric should not be negative. */
static void source_measure_rules(qctx *q)
{
    dp_run *r = q->r;
    const dp_measure *ms[64];
    size_t n = 0;
    for (size_t i = 0; i < r->intent.nmetrics; i++)
        n = metric_measures(r->kg, r->intent.metrics[i], ms, n, 64, 0);
    for (size_t i = 0; i < n; i++) {
        const dp_measure *me = ms[i];
        const dp_column *col = dp_is_identifier(me->expr) ? dp_kg_model_column(me->model, me->expr) : NULL;
        if (me->agg != DP_AGG_SUM)
            continue;
        if (!col) {
            /* an arithmetic expression of columns (quantity * price): check
             * its value; CASE and comparisons are counts, not amounts */
            if (strcasestr(me->expr, "case") || strpbrk(me->expr, "<>=") || dp_is_identifier(me->expr))
                continue;
            add_rule(q, "source_non_negative", NULL, "warn", "source_data", me->model->name,
                     dp_arena_printf(r->a, "source amounts %s of %s should not be negative: measure %s sums them",
                                     me->expr, me->model->name, me->name),
                     dp_arena_printf(r->a, "%s >= 0", me->expr),
                     dp_arena_printf(r->a, "SELECT * FROM %s WHERE (%s) < 0", table_of(r, me->model), me->expr), NULL, NULL);
            continue;
        }
        if (!col->prof.done || !strcmp(dp_type_family(col->type), "text"))
            continue;
        add_rule(q, "source_non_negative", col->name, "warn", "source_data", me->model->name,
                 dp_arena_printf(r->a, "source amounts %s.%s should not be negative: measure %s sums them (profile min %s)",
                                 me->model->name, col->name, me->name, col->prof.min ? col->prof.min : "?"),
                 dp_arena_printf(r->a, "%s >= 0", col->name),
                 dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0", table_of(r, me->model), q_ident(r, col->name)), NULL,
                 NULL);
    }
}

/* Result column types belong to the families the target design states. */
static void type_rule(qctx *q)
{
    dp_run *r = q->r;
    const dp_design *dz = &r->design;
    const char *names = "";
    const char **cn = dp_arena_alloc(r->a, (dz->ncols + 1) * sizeof(*cn));
    const char **cf = dp_arena_alloc(r->a, (dz->ncols + 1) * sizeof(*cf));
    size_t nc = 0;
    for (size_t i = 0; i < dz->ncols; i++) {
        const char *fam = dp_type_family(dz->cols[i].type);
        if (!strcmp(fam, "integer") || !strcmp(fam, "decimal") || !strcmp(fam, "double"))
            fam = "number";
        else if (strcmp(fam, "date") && strcmp(fam, "timestamp") && strcmp(fam, "text") && strcmp(fam, "boolean"))
            continue;
        char lit[300];
        /* every design column is listed: one missing from the table (or the
         * table itself missing) is a failing row, not a silent pass */
        names = dp_arena_printf(r->a, "%s%s(%s, '%s')", names, *names ? ", " : "",
                                dp_sql_quote_literal(dz->cols[i].name, lit, sizeof(lit)) ? lit : "''", fam);
        if (cn && cf && dp_sql_quote_literal(dz->cols[i].name, lit, sizeof(lit))) {
            cn[nc] = dz->cols[i].name;
            cf[nc++] = fam;
        } else {
            cn = NULL; /* a name the SQL cannot state: the SQL decides */
        }
    }
    if (!*names)
        return;
    /* one family expression for every column (an OR per column costs the
     * planner more than the check) */
    add_rule(q, "types", NULL, "error", "schema", r->disc.nselected ? r->disc.selected[0]->name : "",
             "every column has the type family of the target design (dbt enforces the contract)",
             "result types match data_model.columns[].type",
             dp_arena_printf(r->a,
                             "SELECT column_name, data_type FROM (VALUES %s) AS design(column_name, family) LEFT JOIN "
                             "(SELECT column_name, column_type AS data_type FROM (DESCRIBE %s)) AS actual "
                             "USING (column_name) WHERE data_type IS NULL OR family <> %s",
                             names, r->exec.table, DP_QUALITY_TYPE_FAMILY_CASE),
             NULL, NULL);
    if (cn && cf)
        dp_quality__types_from_schema(r, cn, cf, nc);
}

/* The fields of the run's rules the history is matched on, read once (and
 * for the rules added since, when asked again) instead of per history row:
 * column (NULL when not a text), type, dataset, definition. */
typedef struct rule_field {
    json_t *rule;
    const char *col, *type, *dataset, *def;
} rule_field;

typedef struct rule_fields {
    rule_field *f;
    size_t n;
} rule_fields;

static int fields_of(dp_run *r, rule_fields *rf)
{
    size_t n = json_array_size(r->rules);
    if (n <= rf->n)
        return 0;
    rule_field *f = dp_arena_alloc(r->a, n * sizeof(*f));
    if (!f)
        return -1;
    if (rf->n)
        memcpy(f, rf->f, rf->n * sizeof(*f));
    for (size_t j = rf->n; j < n; j++) {
        json_t *x = json_array_get(r->rules, j), *xc = json_object_get(x, "column");
        const char *type = json_string_value(json_object_get(x, "type"));
        const char *ds = json_string_value(json_object_get(x, "dataset"));
        f[j] = (rule_field){x, json_is_string(xc) ? json_string_value(xc) : NULL, type ? type : "", ds ? ds : "",
                            json_string_value(json_object_get(x, "definition"))};
    }
    rf->f = f;
    rf->n = n;
    return 0;
}

int dp_stage_quality(dp_run *r, dp_error *err)
{
    (void)err;
    qctx q = {r, 0, NULL};
    const dp_design *dz = &r->design;
    const char *t = r->exec.table;
    r->rules = json_array();
    r->sql_assertions = json_array();
    r->gx = json_pack("{s:s,s:[],s:{s:s,s:s}}", "name", dp_arena_printf(r->a, "%s_suite", dz->name), "expectations",
                      "meta", "generated_by", "dpgen", "great_expectations_version", "1.x");
    json_t *cols = json_array();
    for (size_t i = 0; i < dz->ncols; i++)
        json_array_append_new(cols, json_pack("{s:s,s:s,s:s,s:[]}", "name", dz->cols[i].name, "data_type", dz->cols[i].type,
                                              "description", dz->cols[i].description ? dz->cols[i].description : "",
                                              "data_tests"));
    r->dbt = json_pack("{s:s,s:s,s:{s:{s:b}},s:o,s:[]}", "name", dz->name, "description", dz->description, "config",
                       "contract", "enforced", 1, "columns", cols, "data_tests");
    const char *ds = r->disc.nselected ? r->disc.selected[0]->name : "";
    /* the test result says which grain columns can be declared not-null */
    dp_quality__key_nulls(r);
    /* schema: keys not null, compound key unique */
    size_t nkeys = 0;
    json_t *keys = json_array();
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        if (!c->is_key)
            continue;
        nkeys++;
        json_array_append_new(keys, json_string(c->name));
        const char *sev = c->not_null ? "error" : "warn";
        /* a NULL group by design (key_note says why) has no not_null rule */
        if (!c->key_note)
            add_rule(&q, "not_null", c->name, sev, "schema", c->role == DP_ROLE_DIMENSION ? c->grain->dim_model->name : ds,
                 dp_arena_printf(r->a, "grain column %s must be present in every row%s", c->name,
                                 c->not_null ? "" : " (a NULL groups rows whose source value is missing)"),
                 dp_arena_printf(r->a, "%s IS NOT NULL", c->name),
                 dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s IS NULL", t, q_ident(r, c->name)),
                 gx_exp("expect_column_values_to_not_be_null", json_pack("{s:s}", "column", c->name), "grain column"),
                 json_pack("{s:{}}", "not_null"));
        /* accepted values from the profile */
        if (c->role == DP_ROLE_DIMENSION && c->grain->dim->column && c->grain->dim->column->prof.all_values &&
            c->grain->dim->column->prof.ntop) {
            const dp_col_profile *p = &c->grain->dim->column->prof;
            json_t *vals = json_array();
            char lit[512];
            const char *in = "";
            for (size_t k = 0; k < p->ntop; k++) {
                json_array_append_new(vals, json_string(p->top_values[k]));
                in = dp_arena_printf(r->a, "%s%s%s", in, k ? ", " : "", dp_sql_quote_literal(p->top_values[k], lit, sizeof(lit)) ? lit : "''");
            }
            add_rule(&q, "accepted_values", c->name, "warn", "schema", c->grain->dim_model->name,
                     dp_arena_printf(r->a, "%s takes only the %zu values the source profile shows", c->name, p->ntop),
                     dp_arena_printf(r->a, "%s IN (%s)", c->name, in),
                     dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s NOT IN (%s)", t, q_ident(r, c->name), in),
                     gx_exp("expect_column_values_to_be_in_set", json_pack("{s:s,s:O}", "column", c->name, "value_set", vals), "values from the profile"),
                     json_pack("{s:{s:o}}", "accepted_values", "arguments", json_pack("{s:o}", "values", vals)));
        }
    }
    if (nkeys) {
        const char *list = "";
        for (size_t i = 0; i < json_array_size(keys); i++)
            list = dp_arena_printf(r->a, "%s%s%s", list, i ? ", " : "", q_ident(r, json_string_value(json_array_get(keys, i))));
        add_rule(&q, "unique_key", NULL, "error", "schema", ds,
                 dp_arena_printf(r->a, "one row per grain: (%s) is unique%s", list,
                                 dz->no_primary_key ? ", NULL counted as one value (a grain column can be NULL: no primary key)" : ""),
                 dp_arena_printf(r->a, "unique (%s)", list),
                 dp_arena_printf(r->a, "SELECT %s, count(*) AS copies FROM %s GROUP BY %s HAVING count(*) > 1", list, t, list),
                 gx_exp(nkeys > 1 ? "expect_compound_columns_to_be_unique" : "expect_column_values_to_be_unique",
                        nkeys > 1 ? json_pack("{s:O}", "column_list", keys) : json_pack("{s:O}", "column", json_array_get(keys, 0)),
                        "primary key of the grain"),
                 nkeys > 1 ? json_pack("{s:{s:{s:O}}}", "dbt_utils.unique_combination_of_columns", "arguments", "combination_of_columns", keys)
                           : NULL);
        if (nkeys == 1) {
            size_t i;
            json_t *c;
            json_array_foreach(json_object_get(r->dbt, "columns"), i, c)
                if (!strcmp(json_string_value(json_object_get(c, "name")), json_string_value(json_array_get(keys, 0))))
                    json_array_append_new(json_object_get(c, "data_tests"), json_pack("{s:{s:{s:s}}}", "unique", "config", "severity", "error"));
        }
    }
    json_decref(keys);
    /* business logic: rates in [0, 1]; non-negative sums and counts */
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        if (c->role != DP_ROLE_METRIC)
            continue;
        const dp_metric *m = c->metric;
        const dp_model *mm[4];
        size_t nmm = dp_metric_models(r->kg, m, mm, 4, 0);
        const char *mds = nmm ? mm[0]->name : ds;
        if (c->is_rate) {
            add_rule(&q, "range", c->name, "error", "business_logic", mds,
                     dp_arena_printf(r->a, "%s is a share of a whole, so it lies in [0, 1]", c->name),
                     dp_arena_printf(r->a, "%s BETWEEN 0 AND 1", c->name),
                     dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0 OR %s > 1", t, q_ident(r, c->name), q_ident(r, c->name)),
                     gx_exp("expect_column_values_to_be_between", json_pack("{s:s,s:i,s:i}", "column", c->name, "min_value", 0, "max_value", 1), "rate"),
                     json_pack("{s:{s:{s:s}}}", "dbt_utils.expression_is_true", "arguments", "expression",
                               dp_arena_printf(r->a, "%s IS NULL OR %s BETWEEN 0 AND 1", c->name, c->name)));
            funnel_rules(&q, m);
        }
        if (m->type == DP_METRIC_SIMPLE) {
            const dp_measure *me = dp_kg_measure(r->kg, m->measure.name);
            const dp_column *col = me ? dp_kg_model_column(me->model, me->expr) : NULL;
            int counts = me && (me->agg == DP_AGG_COUNT || me->agg == DP_AGG_COUNT_DISTINCT);
            int expr_sum = me && !col && me->agg == DP_AGG_SUM && !strcasestr(me->expr, "case") && !strpbrk(me->expr, "<>=");
            if (me && (counts || expr_sum || (col && col->prof.done && me->agg == DP_AGG_SUM))) {
                add_rule(&q, "non_negative", c->name, counts || (col && col->prof.nonneg) ? "error" : "warn", "business_logic",
                         me->model->name,
                         dp_arena_printf(r->a, "%s sums %s, so it cannot be negative", c->name, counts ? "counts" : "amounts"),
                         dp_arena_printf(r->a, "%s >= 0", c->name),
                         dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0", t, q_ident(r, c->name)),
                         gx_exp("expect_column_values_to_be_between", json_pack("{s:s,s:i}", "column", c->name, "min_value", 0), "non-negative"),
                         json_pack("{s:{s:{s:s}}}", "dbt_utils.expression_is_true", "arguments", "expression",
                                   dp_arena_printf(r->a, "%s IS NULL OR %s >= 0", c->name, c->name)));
            }
        }
    }
    /* source data: duplicate keys and orphans of the datasets used */
    for (size_t i = 0; i < r->disc.nselected; i++) {
        const dp_model *m = r->disc.selected[i];
        for (size_t e = 0; e < m->nentities; e++) {
            const dp_entity *en = &m->entities[e];
            if (!dp_is_identifier(en->expr))
                continue;
            if (en->type == DP_ENT_PRIMARY || en->type == DP_ENT_UNIQUE) {
                add_rule(&q, "source_unique_key", en->expr, "warn", "source_data", m->name,
                         m->dup_keys_unknown && m->dup_keys <= 0 /* sampled or partial: none found is not none */
                             ? dp_arena_printf(r->a,
                                               "%s.%s identifies one row (the profile did not rule out duplicates)",
                                               m->name, en->expr)
                             : dp_arena_printf(r->a, "%s.%s identifies one row (the profile found %lld duplicates)",
                                               m->name, en->expr, (long long)m->dup_keys),
                         dp_arena_printf(r->a, "unique (%s)", en->expr),
                         dp_arena_printf(r->a, "SELECT %s, count(*) AS copies FROM %s GROUP BY 1 HAVING count(*) > 1",
                                         q_ident(r, en->expr), table_of(r, m)),
                         NULL, NULL);
            } else if (en->type == DP_ENT_FOREIGN) {
                const dp_model *home = dp_kg_entity_home(r->kg, en->name);
                const dp_entity *he = home ? dp_kg_model_entity(home, en->name) : NULL;
                int used = 0;
                for (size_t j = 0; j < r->disc.nselected; j++)
                    used |= r->disc.selected[j] == home;
                for (size_t k = 0; k < dz->ncols; k++)
                    used |= dz->cols[k].role == DP_ROLE_ENTITY && !strcmp(dz->cols[k].grain->entity, en->name);
                if (!home || !he || !used || !dp_is_identifier(he->expr))
                    continue;
                add_rule(&q, "source_relationship", en->expr, "warn", "source_data", m->name,
                         dp_arena_printf(r->a, "every %s.%s exists in %s.%s (orphans fall into a NULL group)", m->name, en->expr,
                                         home->name, he->expr),
                         dp_arena_printf(r->a, "%s references %s.%s", en->expr, home->name, he->expr),
                         dp_arena_printf(r->a, "SELECT c.* FROM %s AS c WHERE c.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE p.%s = c.%s)",
                                         table_of(r, m), q_ident(r, en->expr), table_of(r, home), q_ident(r, he->expr),
                                         q_ident(r, en->expr)),
                         NULL, NULL);
            }
        }
    }
    source_measure_rules(&q);
    type_rule(&q);
    dp_quality__row_count_rule(&q);
    dp_quality__freshness_rule(&q);
    /* the product's own rows: funnel, component measures, orphans, periods */
    dp_quality__product_funnel(&q);
    dp_quality__measure_rules(&q);
    dp_quality__orphan_rules(&q);
    dp_quality__reconcile_rule(&q);
    dp_quality__partial_period_rule(&q);
    /* history: rules earlier products adopted on the same datasets (after
     * this product's own rules, so their ids do not move with the history) */
    if (r->cat->state) {
        rule_fields rf = {0};
        for (size_t i = 0; i < r->disc.nselected; i++) {
            json_t *hist = dp_state_rules_for(r->cat->state, r->disc.selected[i]->name);
            size_t k;
            json_t *h;
            json_array_foreach(hist, k, h) {
                const char *type = json_string_value(json_object_get(h, "type"));
                const char *col = json_string_value(json_object_get(h, "column"));
                const char *hd = json_string_value(json_object_get(h, "definition"));
                if (!type || !col || fields_of(r, &rf))
                    continue;
                /* a rule this product has too: say earlier products adopted it */
                int already = 0;
                for (size_t j = 0; j < rf.n; j++) {
                    const rule_field *x = &rf.f[j];
                    if (!strcmp(x->col ? x->col : "", col) && !strcmp(x->type, type) &&
                        !strcmp(x->dataset, r->disc.selected[i]->name) &&
                        (*col || (hd && x->def && !strcmp(hd, x->def)))) {
                        already = 1;
                        json_object_set_new(x->rule, "history",
                                            json_pack("{s:f,s:s}", "adopted_by_earlier_products",
                                                      json_real_value(json_object_get(h, "adopted_by")), "definition",
                                                      hd));
                    }
                }
                if (already || !*col || (strcmp(type, "non_negative") && strcmp(type, "not_null") && strcmp(type, "range")))
                    continue;
                int present = 0;
                for (size_t c = 0; c < dz->ncols; c++)
                    present |= !strcmp(dz->cols[c].name, col) && !(dz->cols[c].key_note && !strcmp(type, "not_null"));
                for (size_t j = 0; j < rf.n; j++)
                    already |= rf.f[j].col && !strcmp(rf.f[j].col, col) && !strcmp(rf.f[j].type, type);
                if (!present || already)
                    continue;
                const char *fail = !strcmp(type, "not_null") ? dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s IS NULL", t, q_ident(r, col))
                                   : !strcmp(type, "range") ? dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0 OR %s > 1", t, q_ident(r, col), q_ident(r, col))
                                                            : dp_arena_printf(r->a, "SELECT * FROM %s WHERE %s < 0", t, q_ident(r, col));
                add_rule(&q, type, col, json_string_value(json_object_get(h, "severity")), "history",
                         r->disc.selected[i]->name,
                         dp_arena_printf(r->a, "adopted by %g earlier product(s) on %s, adapted to this grain",
                                         json_real_value(json_object_get(h, "adopted_by")), r->disc.selected[i]->name),
                         hd, fail, NULL, NULL);
            }
            json_decref(hist);
        }
    }
    /* a language model's conditions, when asked (after dpgen's own rules, so
     * their ids never move with the model's), run with the others */
    dp_orch__assist_rules(&q);
    dp_quality__run_rules(r);
    /* SLA */
    static const char *fresh[] = {"refreshed on demand", "daily by 06:00 UTC for the previous day",
                                  "weekly, Mondays by 09:00 UTC for the previous Monday-Sunday week",
                                  "monthly, on the 1st by 09:00 UTC for the previous month",
                                  "quarterly, on the 1st day of the quarter by 09:00 UTC", "yearly, on January 1st by 09:00 UTC"};
    size_t nerr = 0, nwarn = 0, ferr = 0, fwarn = 0;
    size_t i;
    json_t *x;
    json_array_foreach(r->rules, i, x) {
        int is_err = !strcmp(json_string_value(json_object_get(x, "severity")), "error");
        int failed = strcmp(json_string_value(json_object_get(json_object_get(x, "result"), "status")), "passed") != 0;
        nerr += is_err;
        nwarn += !is_err;
        ferr += is_err && failed;
        fwarn += !is_err && failed;
    }
    r->sla = json_pack("{s:{s:s,s:s},s:{s:s,s:s,s:f},s:{s:s,s:s},s:{s:s,s:s},s:{s:I,s:I,s:I,s:I}}",
                       "freshness", "target", fresh[r->intent.grain], "measured_by", "newest period in the table against the schedule",
                       "latency", "target", "under 1 hour after the sources land", "measured_by",
                       "run time of the transformation plus the sources' load time", "test_run_ms", r->exec.ms,
                       "completeness", "target", ">= 99% of grain rows present with non-null keys", "measured_by",
                       "not_null and row_count rules",
                       "accuracy", "target", "100% of error rules and >= 95% of warn rules pass", "measured_by",
                       "the quality rules of this spec on every run",
                       "current", "error_rules", (json_int_t)nerr, "error_rules_failed", (json_int_t)ferr, "warn_rules",
                       (json_int_t)nwarn, "warn_rules_failed", (json_int_t)fwarn);
    json_array_foreach(r->rules, i, x) json_object_del(x, "dp_sql");
    if (ferr)
        dp_run_warning(r, "%zu error-severity rule(s) failed on the test result", ferr);
    dp_run_decision(r, "%zu rules: %zu error, %zu warn; %zu failed", json_array_size(r->rules), nerr, nwarn, ferr + fwarn);
    /* rules cut short by the run's time budget are not a result */
    return dp_run_over(r, err);
}

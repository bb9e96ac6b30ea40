/* Metric filters, {{ Metric('m', group_by=['entity']) }} > 100, as
 * MetricFlow computes them: m is a query of its own, aggregated per entity
 * over all of its rows (its own filters apply, the request's range and
 * filters do not), LEFT JOINed to the rows being filtered on the entity's
 * key; the comparison then keeps rows, before they are aggregated. */
#include "transform/compile_int.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 4 /* Metric() filters inside the metrics of Metric() filters */

/* The entity names of the group_by list of the template (after the
 * metric's name): 'e' or ["e"] or group_by=['e']; the count found. */
static size_t group_by_names(const char *inner, char names[][128], size_t cap)
{
    const char *q = strpbrk(inner, "'\"");
    if (!q || !(q = strchr(q + 1, *q)))
        return 0;
    size_t n = 0;
    for (q = q + 1; *q && n < cap;) {
        const char *open = strpbrk(q, "'\"");
        if (!open)
            break;
        const char *close = strchr(open + 1, *open);
        if (!close)
            break;
        if ((size_t)(close - open - 1) < 128)
            snprintf(names[n++], 128, "%.*s", (int)(close - open - 1), open + 1);
        q = close + 1;
    }
    return n;
}

static int plain_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* The query "metric per entity" as dp_compile sees a request. */
static int sub_query(comp *c, const dp_metric *m, const char *ent, const char **sql)
{
    dp_intent *in = dp_arena_calloc(c->a, 1, sizeof(*in));
    dp_discovery *d = dp_arena_calloc(c->a, 1, sizeof(*d));
    dp_design *dz = dp_arena_calloc(c->a, 1, sizeof(*dz));
    if (!in || !d || !dz)
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    in->request = c->in->request;
    in->metrics[in->nmetrics++] = m;
    const dp_model *home = dp_kg_entity_home(c->kg, ent);
    d->cols[d->ncols++] = (dp_grain_col){DP_COL_ENTITY, ent, NULL, home, ent, NULL, 0};
    dz->name = dz->table = dp_arena_printf(c->a, "%s per %s", m->name, ent);
    dz->grain_text = dp_arena_printf(c->a, "one row per %s", ent);
    dz->description = dz->table;
    dz->cols[0] = (dp_target_col){.name = ent, .type = "", .description = "", .formula = ent,
                                  .role = DP_ROLE_ENTITY, .grain = &d->cols[0], .is_key = 1};
    const char *formula = dp_metric_formula(c->kg, m, c->a, 0);
    dz->cols[1] = (dp_target_col){.name = m->name, .type = "", .description = "", .formula = formula ? formula : m->name,
                                  .role = DP_ROLE_METRIC, .metric = m};
    dz->ncols = 2;
    dp_compiled out;
    int rc = dp_comp__compile(&out, c->kg, in, d, dz, c->dialect, c->a, c->err, c->depth + 1);
    if (rc)
        return rc;
    *sql = out.sql;
    json_decref(out.lineage);
    json_decref(out.ctes);
    return 0;
}

const char *dp_comp__metric_filter_ref(comp *c, cte *t, const char *metric, const char *inner)
{
    char names[4][128];
    size_t n = group_by_names(inner, names, 4);
    const dp_metric *m = dp_kg_metric(c->kg, metric);
    if (!m) {
        dp_error_set(c->err, DP_EINVALID, "filter {{%s}}: the catalog has no metric '%s'", inner, metric);
        return NULL;
    }
    if (n != 1 || !plain_name(names[0])) {
        dp_error_set(c->err, DP_ECLARIFY,
                     "filter {{%s}}: a metric in a filter is compiled grouped by exactly one entity "
                     "(group_by=['entity']); %s",
                     inner, n ? "several entities or a path of entities are not supported yet" : "none is given");
        return NULL;
    }
    const char *ent = names[0];
    if (c->depth >= MAX_DEPTH) {
        dp_error_set(c->err, DP_EINVALID, "filter {{%s}}: metric filters nest more than %d deep (a metric filtered by itself?)",
                     inner, MAX_DEPTH);
        return NULL;
    }
    const char *alias = dp_arena_printf(c->a, "dp_%s_per_%s", m->name, ent);
    const char *col = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, alias), dp_comp__qi(c, m->name));
    for (size_t i = 0; i < t->nsubjoins; i++)
        if (!strcmp(t->subjoin_alias[i], alias))
            return col;
    /* the entity's key on the rows: their own, else on its home dataset */
    const dp_model *km = t->model;
    const dp_entity *e = dp_kg_model_entity(t->model, ent);
    if (!e && (km = dp_kg_entity_home(c->kg, ent)) && !dp_comp__cte_join(c, t, km))
        e = dp_kg_model_entity(km, ent);
    if (!e) {
        if (!c->err->code)
            dp_error_set(c->err, DP_ECLARIFY, "filter {{%s}}: dataset %s has no path to entity %s", inner,
                         t->model->name, ent);
        return NULL;
    }
    if (t->nsubjoins >= MAX_JOINS) {
        dp_error_set(c->err, DP_ELIMIT, "more than %d metric filters on one dataset", MAX_JOINS);
        return NULL;
    }
    const char *sql = NULL;
    if (sub_query(c, m, ent, &sql))
        return NULL;
    /* indent the query inside the join */
    const char *ind = "";
    for (const char *line = sql; *line;) {
        size_t len = strcspn(line, "\n");
        ind = dp_arena_printf(c->a, "%s%s        %.*s", ind, *ind ? "\n" : "", (int)len, line);
        line += len + (line[len] == '\n');
    }
    sql = ind;
    const char *key = dp_comp__qualify(c, e->expr, dp_comp__qi(c, km->name), km, NULL);
    t->subjoin_alias[t->nsubjoins] = alias;
    t->subjoins[t->nsubjoins++] = dp_arena_printf(c->a,
                                                  "    LEFT JOIN (\n    -- %s per %s, over all its rows (a metric filter)\n"
                                                  "%s\n    ) AS %s\n        ON %s.%s = %s\n",
                                                  m->name, ent, sql, dp_comp__qi(c, alias), dp_comp__qi(c, alias),
                                                  dp_comp__qi(c, ent), key);
    return col;
}

/* Time spines bound to the database: the relation of each configured spine
 * model, its period and custom granularity columns, and the legacy
 * metricflow_time_spine relation when the YAML configures none. */
#include "catalog/bind.h"
#include "catalog/relmap.h"
#include "util/error.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct hits {
    const char *schema, *table;
    size_t n;
    char cands[400];
} hits;

static void add_hit(hits *h, const dp_relmap *t, size_t k)
{
    if (!h->n) {
        h->schema = t->schema[k];
        h->table = t->name[k];
    }
    size_t off = strlen(h->cands);
    if (off < sizeof(h->cands) - 80)
        snprintf(h->cands + off, sizeof(h->cands) - off, "%s%s.%s", off ? ", " : "", t->schema[k], t->name[k]);
    h->n++;
}

/* The one relation called name (case aside): in schema when one is given
 * (a relation a manifest names), else the target schema's, else the
 * default schema's when several are. From the database's catalog as read
 * for binding (relmap.h): no statement. */
static void find_relation(const dp_kg *kg, const dp_relmap *t, const char *name, const char *in_schema, hits *h)
{
    memset(h, 0, sizeof(*h));
    for (size_t k = dp_relmap_next_named(t, name, DP_RELMAP_NONE); k != DP_RELMAP_NONE;
         k = dp_relmap_next_named(t, name, k))
        add_hit(h, t, k);
    if (h->n <= 1 && !in_schema)
        return;
    /* several: the dbt target schema settles it, else the database's
     * default schema (what an unqualified name resolves to) */
    const char *schema = in_schema ? in_schema : kg->target_schema ? kg->target_schema : t->def_schema;
    hits one = {0};
    for (size_t k = dp_relmap_next_named(t, name, DP_RELMAP_NONE); schema && k != DP_RELMAP_NONE;
         k = dp_relmap_next_named(t, name, k))
        if (!strcmp(t->schema[k], schema))
            add_hit(&one, t, k);
    if (one.n == 1 || in_schema)
        *h = one;
}

/* The type of column col (its exact name) of schema.table, NULL when it
 * has none. */
static const char *column_type(const dp_relmap *t, const char *schema, const char *table, const char *col)
{
    size_t k = dp_relmap_find(t, schema, table);
    if (k == DP_RELMAP_NONE)
        return NULL;
    for (size_t i = 0; i < t->col_n[k]; i++)
        if (!strcmp(t->cols[t->col_off[k] + i].name, col))
            return *t->cols[t->col_off[k] + i].type ? t->cols[t->col_off[k] + i].type : "VARCHAR";
    return NULL;
}

static int problem(dp_kg *kg, const dp_time_spine *sp, const char *reason, const char *hint, dp_error *err)
{
    dp_problem p = {"time_spine", sp->model, dp_arena_strdup(kg->arena, reason), hint, sp->pos};
    if (DP_VEC_PUSH(kg->arena, kg->problems, kg->nproblems, kg->problems_cap, p))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_bind_spines(dp_kg *kg, const dp_relmap *map, dp_error *err)
{
    int rc;
    if (!kg->nspines) {
        /* the legacy spine is a dbt model without YAML: its relation */
        hits h;
        const char *col = NULL;
        find_relation(kg, map, "metricflow_time_spine", NULL, &h);
        if (h.n == 1)
            col = column_type(map, h.schema, h.table, "date_day");
        if (h.n == 1 && col) {
            dp_time_spine sp = {0};
            sp.model = "metricflow_time_spine";
            sp.column = "date_day";
            sp.grain = DP_GRAIN_DAY;
            sp.schema = h.schema;
            sp.table = h.table;
            if (DP_VEC_PUSH(kg->arena, kg->spines, kg->nspines, kg->spines_cap, sp))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
        return 0;
    }
    for (size_t i = 0; i < kg->nspines; i++) {
        dp_time_spine *sp = &kg->spines[i];
        hits h;
        char why[600] = "";
        /* a relation given by a manifest (schema and table set) is checked, not searched */
        find_relation(kg, map, sp->table ? sp->table : sp->model, sp->table ? sp->schema : NULL, &h);
        if (h.n != 1) {
            if (h.n)
                snprintf(why, sizeof(why), "time spine model '%s' is ambiguous (%s)", sp->model, h.cands);
            else
                snprintf(why, sizeof(why), "time spine model '%s' is not in the database", sp->model);
            if ((rc = problem(kg, sp, why, h.n ? "--schema NAME" : "run dbt build", err)))
                return rc;
            continue;
        }
        int ok = column_type(map, h.schema, h.table, sp->column) != NULL;
        for (size_t j = 0; ok && j < sp->ncustom; j++) {
            sp->custom[j].type = column_type(map, h.schema, h.table, sp->custom[j].column);
            ok = sp->custom[j].type != NULL;
            if (!ok)
                snprintf(why, sizeof(why), "time spine '%s': custom granularity '%s' uses column '%s', which %s.%s does not have",
                         sp->model, sp->custom[j].name, sp->custom[j].column, h.schema, h.table);
        }
        if (!ok) {
            if (!*why)
                snprintf(why, sizeof(why), "time spine '%s': standard_granularity_column '%s' is not a column of %s.%s",
                         sp->model, sp->column, h.schema, h.table);
            if ((rc = problem(kg, sp, why, NULL, err)))
                return rc;
            continue;
        }
        sp->schema = h.schema;
        sp->table = h.table;
    }
    return 0;
}

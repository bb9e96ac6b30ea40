/* Time spines bound to the database: the relation of each configured spine
 * model, its period and custom granularity columns, and the legacy
 * metricflow_time_spine relation when the YAML configures none. */
#include "catalog/bind.h"
#include "util/error.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct hits {
    dp_arena *a;
    const char *schema, *table;
    size_t n;
    char cands[400];
} hits;

static int rel_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    hits *h = p;
    if (!h->n) {
        h->schema = dp_arena_strdup(h->a, v[0]);
        h->table = dp_arena_strdup(h->a, v[1]);
    }
    size_t off = strlen(h->cands);
    if (off < sizeof(h->cands) - 80)
        snprintf(h->cands + off, sizeof(h->cands) - off, "%s%s.%s", off ? ", " : "", v[0], v[1]);
    h->n++;
    return 0;
}

typedef struct col_hit {
    dp_arena *a;
    const char *type;
} col_hit;

static int type_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    col_hit *h = p;
    h->type = dp_arena_strdup(h->a, v[0] ? v[0] : "VARCHAR");
    return 0;
}

/* The one relation called name: in schema when one is given (a relation a
 * manifest names), else the target schema's, else the default schema's when
 * several are. */
static int find_relation(dp_kg *kg, duckdb_connection con, const char *name, const char *in_schema, hits *h,
                         dp_error *err)
{
    char qn[300], qs[300], sql[1200];
    if (!dp_sql_quote_literal(name, qn, sizeof(qn)))
        return dp_error_set(err, DP_EINVALID, "time spine name too long: %s", name);
    /* several: the dbt target schema settles it, else the database's
     * default schema (what an unqualified name resolves to) */
    const char *schema = in_schema ? in_schema : kg->target_schema;
    snprintf(sql, sizeof(sql),
             "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
             "AND lower(table_name) = lower(%s) UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
             "WHERE database_name = current_database() AND NOT internal AND lower(view_name) = lower(%s) ORDER BY 1",
             qn, qn);
    memset(h, 0, sizeof(*h));
    h->a = kg->arena;
    int rc = dp_db_query(con, sql, 0, rel_row, h, err);
    if (rc || (h->n <= 1 && !in_schema))
        return rc;
    if (!schema)
        snprintf(qs, sizeof(qs), "current_schema()");
    else if (!dp_sql_quote_literal(schema, qs, sizeof(qs)))
        return 0;
    hits one = {0};
    one.a = kg->arena;
    snprintf(sql, sizeof(sql),
             "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
             "AND lower(table_name) = lower(%s) AND schema_name = %s UNION ALL SELECT schema_name, view_name "
             "FROM duckdb_views() WHERE database_name = current_database() AND NOT internal "
             "AND lower(view_name) = lower(%s) AND schema_name = %s",
             qn, qs, qn, qs);
    if ((rc = dp_db_query(con, sql, 0, rel_row, &one, err)))
        return rc;
    if (one.n == 1 || in_schema)
        *h = one;
    return 0;
}

/* *out: the type of column col of schema.table, NULL when it has none. */
static int column_type(dp_arena *a, duckdb_connection con, const char *schema, const char *table, const char *col,
                       const char **out, dp_error *err)
{
    char qs[300], qt[300], qc[300], sql[1200];
    col_hit h = {a, NULL};
    *out = NULL;
    if (!dp_sql_quote_literal(schema, qs, sizeof(qs)) || !dp_sql_quote_literal(table, qt, sizeof(qt)) ||
        !dp_sql_quote_literal(col, qc, sizeof(qc)))
        return 0;
    snprintf(sql, sizeof(sql),
             "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = %s "
             "AND table_name = %s AND column_name = %s",
             qs, qt, qc);
    int rc = dp_db_query(con, sql, 0, type_row, &h, err);
    *out = h.type;
    return rc;
}

static int problem(dp_kg *kg, const dp_time_spine *sp, const char *reason, const char *hint, dp_error *err)
{
    dp_problem p = {"time_spine", sp->model, dp_arena_strdup(kg->arena, reason), hint, sp->pos};
    if (DP_VEC_PUSH(kg->arena, kg->problems, kg->nproblems, kg->problems_cap, p))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_bind_spines(dp_kg *kg, duckdb_connection con, dp_error *err)
{
    int rc;
    if (!kg->nspines) {
        /* the legacy spine is a dbt model without YAML: its relation */
        hits h;
        const char *col = NULL;
        if ((rc = find_relation(kg, con, "metricflow_time_spine", NULL, &h, err)))
            return rc;
        if (h.n == 1 && (rc = column_type(kg->arena, con, h.schema, h.table, "date_day", &col, err)))
            return rc;
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
        if ((rc = find_relation(kg, con, sp->table ? sp->table : sp->model, sp->table ? sp->schema : NULL, &h, err)))
            return rc;
        if (h.n != 1) {
            if (h.n)
                snprintf(why, sizeof(why), "time spine model '%s' is ambiguous (%s)", sp->model, h.cands);
            else
                snprintf(why, sizeof(why), "time spine model '%s' is not in the database", sp->model);
            if ((rc = problem(kg, sp, why, h.n ? "--schema NAME" : "run dbt build", err)))
                return rc;
            continue;
        }
        const char *ty = NULL;
        int ok;
        if ((rc = column_type(kg->arena, con, h.schema, h.table, sp->column, &ty, err)))
            return rc;
        ok = ty != NULL;
        for (size_t j = 0; ok && j < sp->ncustom; j++) {
            if ((rc = column_type(kg->arena, con, h.schema, h.table, sp->custom[j].column, &sp->custom[j].type, err)))
                return rc;
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

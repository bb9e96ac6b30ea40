/* ref('x') -> schema.table, columns and declared keys from DuckDB's catalog. */
#include "catalog/bind.h"
#include "catalog/problems.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct tables {
    dp_arena *a;
    const char **schema, **name;
    size_t n, cap_s, cap_n;
} tables;

static int table_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    tables *t = p;
    size_t n1 = t->n, n2 = t->n;
    const char *s = dp_arena_strdup(t->a, v[0]), *nm = dp_arena_strdup(t->a, v[1]);
    if (DP_VEC_PUSH(t->a, t->schema, n1, t->cap_s, s) || DP_VEC_PUSH(t->a, t->name, n2, t->cap_n, nm))
        return 1;
    t->n = n1;
    return 0;
}

typedef struct cols {
    dp_arena *a;
    dp_column *items;
    size_t n, cap;
} cols;

static int column_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    cols *c = p;
    dp_column col = {0};
    col.name = dp_arena_strdup(c->a, v[0]);
    col.type = dp_arena_strdup(c->a, v[1]);
    col.comment = v[2] && *v[2] ? dp_arena_strdup(c->a, v[2]) : NULL;
    return DP_VEC_PUSH(c->a, c->items, c->n, c->cap, col) ? 1 : 0;
}

static int key_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    dp_model *m = p;
    /* constraint_column_names is a list like [a, b]; single-column keys only */
    const char *s = v[0];
    if (!s || s[0] != '[' || strchr(s, ','))
        return 0;
    char name[256];
    size_t len = strlen(s);
    if (len < 3 || len - 2 >= sizeof(name))
        return 0;
    memcpy(name, s + 1, len - 2);
    name[len - 2] = 0;
    for (size_t i = 0; i < m->ncolumns; i++)
        if (!strcasecmp(m->columns[i].name, name))
            m->columns[i].is_key = 1;
    return 0;
}

int dp_bind_models(dp_kg *kg, duckdb_connection con, dp_error *err)
{
    tables t = {kg->arena, 0, 0, 0, 0, 0};
    int rc = dp_db_query(con,
                         "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
                         "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
                         "WHERE database_name = current_database() AND NOT internal ORDER BY 1, 2",
                         0, table_row, &t, err);
    if (rc)
        return rc;
    size_t prepares = 0;
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        if (m->off.reason)
            continue; /* defined twice: never bound */
        const char *want = m->ref, *want_schema = NULL;
        const char *dot = strrchr(m->ref, '.');
        if (dot) {
            want_schema = dp_arena_strndup(kg->arena, m->ref, (size_t)(dot - m->ref));
            want = dot + 1;
        }
        size_t hits = 0, hit = 0;
        char cands[512] = "";
        size_t off = 0;
        for (size_t j = 0; j < t.n; j++) {
            if (strcasecmp(t.name[j], want) || (want_schema && strcasecmp(t.schema[j], want_schema)))
                continue;
            hits++;
            hit = j;
            if (off < sizeof(cands) - 80)
                off += (size_t)snprintf(cands + off, sizeof(cands) - off, "%s%s.%s", off ? ", " : "",
                                        t.schema[j], t.name[j]);
        }
        if (hits == 0) { /* the model and all of it are switched off, not the catalog */
            if (dp_bind__missing_relation(kg, m, m->ref))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
            continue;
        }
        if (hits > 1)
            return dp_error_set(err, DP_EINVALID,
                                "%s:%d:%d: semantic model '%s': ref '%s' is ambiguous (%s); write schema.table",
                                m->pos.file, m->pos.line, m->pos.col, m->name, m->ref, cands);
        m->schema = t.schema[hit];
        m->table = t.name[hit];
        char qs[300], qt[300], sql[1024];
        if (!dp_sql_quote_literal(m->schema, qs, sizeof(qs)) || !dp_sql_quote_literal(m->table, qt, sizeof(qt)))
            return dp_error_set(err, DP_EINVALID, "table name too long: %s", m->table);
        snprintf(sql, sizeof(sql),
                 "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name = current_database() "
                 "AND schema_name = %s AND table_name = %s ORDER BY column_index", qs, qt);
        cols c = {kg->arena, NULL, 0, 0};
        if ((rc = dp_db_query(con, sql, 0, column_row, &c, err)))
            return rc;
        m->columns = c.items;
        m->ncolumns = c.n;
        snprintf(sql, sizeof(sql),
                 "SELECT CAST(constraint_column_names AS VARCHAR) FROM duckdb_constraints() WHERE database_name = current_database() "
                 "AND schema_name = %s AND table_name = %s AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')", qs, qt);
        if ((rc = dp_db_query(con, sql, 0, key_row, m, err)))
            return rc;
        for (size_t j = 0; j < m->nentities; j++) {
            dp_entity *e = &m->entities[j];
            if (dp_bind__check_expr(kg, con, m, "entity", e->name, e->expr, e->pos, &e->off, &prepares))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
        for (size_t j = 0; j < m->ndims; j++) {
            dp_dimension *d = &m->dims[j];
            if (dp_bind__check_expr(kg, con, m, "dimension", d->name, d->expr, d->pos, &d->off, &prepares))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
            if (dp_is_identifier(d->expr))
                d->column = dp_kg_model_column(m, d->expr);
        }
        for (size_t j = 0; j < m->nmeasures; j++) {
            dp_measure *me = &m->measures[j];
            if (dp_bind__check_expr(kg, con, m, "measure", me->name, me->expr, me->pos, &me->off, &prepares))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    }
    /* what uses a disabled element is switched off too */
    return dp_catalog__cascade(kg) ? dp_error_set(err, DP_ENOMEM, "out of memory") : 0;
}

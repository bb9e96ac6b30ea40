/* Profiling: what the data says about itself. A few aggregate queries per
 * table (DuckDB scans millions of rows in milliseconds); distinct counts are
 * approximate (HyperLogLog) except for keys, where duplicates must be exact. */
#include "catalog/bind.h"
#include "util/buf.h"
#include "util/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOP_MAX 60          /* frequent values kept per column */
#define LOW_CARD_MAX 200    /* text columns with at most this many values get them */

static int orderable(const char *type)
{
    static const char *bad[] = {"STRUCT", "MAP", "[]", "UNION", "BLOB", "LIST", "JSON"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        if (strstr(type, bad[i]))
            return 0;
    return 1;
}

static int is_text(const char *type)
{
    return !strcasecmp(type, "VARCHAR") || !strncasecmp(type, "ENUM", 4);
}

static int is_numeric(const char *type)
{
    static const char *num[] = {"INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE",
                                "FLOAT", "DECIMAL", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "REAL"};
    for (size_t i = 0; i < sizeof(num) / sizeof(*num); i++)
        if (!strncasecmp(type, num[i], strlen(num[i])))
            return 1;
    return 0;
}

typedef struct agg_ctx {
    dp_kg *kg;
    dp_model *m;
    int *colidx; /* profiled column indexes */
    size_t n;
    const char *key_col;
} agg_ctx;

static int agg_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    agg_ctx *c = p;
    dp_model *m = c->m;
    m->rows = v[0] ? strtoll(v[0], NULL, 10) : 0;
    size_t k = 1;
    for (size_t i = 0; i < c->n && k + 3 < ncols + 0 + 1; i++) {
        dp_column *col = &m->columns[c->colidx[i]];
        col->prof.done = 1;
        int64_t nonnull = v[k] ? strtoll(v[k], NULL, 10) : 0;
        col->prof.nulls = m->rows - nonnull;
        col->prof.null_frac = m->rows ? (double)col->prof.nulls / (double)m->rows : 0;
        col->prof.distinct = v[k + 1] ? strtoll(v[k + 1], NULL, 10) : 0;
        col->prof.min = dp_arena_strdup(c->kg->arena, v[k + 2]);
        col->prof.max = dp_arena_strdup(c->kg->arena, v[k + 3]);
        col->prof.nonneg = is_numeric(col->type) && col->prof.min && strtod(col->prof.min, NULL) >= 0;
        k += 4;
    }
    if (c->key_col && k < ncols && v[k])
        m->dup_keys = m->rows - strtoll(v[k], NULL, 10);
    return 1;
}

typedef struct top_ctx {
    dp_kg *kg;
    dp_model *m;
    size_t caps[1];
} top_ctx;

static int top_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    top_ctx *c = p;
    if (!v[0] || !v[1])
        return 0;
    dp_column *col = (dp_column *)dp_kg_model_column(c->m, v[0]);
    if (!col || col->prof.ntop >= TOP_MAX)
        return 0;
    if (!col->prof.top_values) {
        col->prof.top_values = dp_arena_calloc(c->kg->arena, TOP_MAX, sizeof(char *));
        col->prof.top_counts = dp_arena_calloc(c->kg->arena, TOP_MAX, sizeof(int64_t));
        if (!col->prof.top_values || !col->prof.top_counts)
            return 1;
    }
    col->prof.top_values[col->prof.ntop] = dp_arena_strdup(c->kg->arena, v[1]);
    col->prof.top_counts[col->prof.ntop++] = v[2] ? strtoll(v[2], NULL, 10) : 0;
    return 0;
}

static void quality_of(dp_kg *kg, dp_model *m)
{
    double nullsum = 0;
    size_t n = 0;
    for (size_t i = 0; i < m->ncolumns; i++)
        if (m->columns[i].prof.done) {
            nullsum += m->columns[i].prof.null_frac;
            n++;
        }
    double nullfrac = n ? nullsum / (double)n : 0;
    double dup = m->rows ? (double)m->dup_keys / (double)m->rows : 0;
    double orph = m->rows ? (double)m->orphans / (double)m->rows : 0;
    double q = 1.0 - nullfrac - 10 * dup - 10 * orph;
    m->quality = q < 0 ? 0 : q > 1 ? 1 : q;
    m->quality_note = dp_arena_printf(kg->arena,
                                      "1 - mean null fraction %.4f - 10 x duplicate-key rate %.4f - 10 x orphan-key rate %.4f",
                                      nullfrac, dup, orph);
}

static int profile_model(dp_kg *kg, dp_model *m, duckdb_connection con, dp_error *err)
{
    int rc = 0;
    dp_buf sql, tops;
    char qt[600], qs[300], qn[300], qc[300], lit[300];
    dp_buf_init(&sql, 4u << 20);
    dp_buf_init(&tops, 4u << 20);
    int *idx = calloc(m->ncolumns ? m->ncolumns : 1, sizeof(int));
    if (!idx)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    dp_sql_quote_ident(m->schema, qs, sizeof(qs));
    dp_sql_quote_ident(m->table, qn, sizeof(qn));
    snprintf(qt, sizeof(qt), "%s.%s", qs, qn);
    agg_ctx ac = {kg, m, idx, 0, NULL};
    dp_buf_puts(&sql, "SELECT count(*)");
    for (size_t i = 0; i < m->ncolumns; i++) {
        const dp_column *c = &m->columns[i];
        if (!orderable(c->type) || !dp_sql_quote_ident(c->name, qc, sizeof(qc)))
            continue;
        idx[ac.n++] = (int)i;
        dp_buf_printf(&sql, ", count(%s), approx_count_distinct(%s), CAST(min(%s) AS VARCHAR), CAST(max(%s) AS VARCHAR)",
                      qc, qc, qc, qc);
    }
    for (size_t e = 0; e < m->nentities; e++)
        if ((m->entities[e].type == DP_ENT_PRIMARY || m->entities[e].type == DP_ENT_UNIQUE) &&
            !m->entities[e].off.reason && dp_is_identifier(m->entities[e].expr)) {
            ac.key_col = m->entities[e].expr;
            dp_sql_quote_ident(ac.key_col, qc, sizeof(qc));
            dp_buf_printf(&sql, ", count(DISTINCT %s) + count(*) - count(%s)", qc, qc);
            break;
        }
    dp_buf_printf(&sql, " FROM %s", qt);
    if (sql.toobig) {
        rc = dp_error_set(err, DP_ELIMIT, "table %s has too many columns to profile", qt);
        goto done;
    }
    if ((rc = dp_db_query(con, dp_buf_cstr(&sql), 0, agg_row, &ac, err)))
        goto done;
    /* frequent values of low-cardinality text columns, one query */
    int ntop = 0;
    for (size_t i = 0; i < m->ncolumns; i++) {
        dp_column *c = &m->columns[i];
        if (!c->prof.done || !is_text(c->type) || c->prof.distinct > LOW_CARD_MAX || c->prof.distinct == 0)
            continue;
        dp_sql_quote_ident(c->name, qc, sizeof(qc));
        dp_sql_quote_literal(c->name, lit, sizeof(lit));
        dp_buf_printf(&tops, "%s(SELECT %s AS col, CAST(%s AS VARCHAR) AS val, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %d)",
                      ntop ? " UNION ALL " : "", lit, qc, qt, qc, TOP_MAX);
        c->prof.all_values = 1;
        ntop++;
    }
    if (ntop) {
        top_ctx tc = {kg, m, {0}};
        if ((rc = dp_db_query(con, dp_buf_cstr(&tops), 0, top_row, &tc, err)))
            goto done;
        for (size_t i = 0; i < m->ncolumns; i++)
            if (m->columns[i].prof.all_values && m->columns[i].prof.distinct > (int64_t)m->columns[i].prof.ntop)
                m->columns[i].prof.all_values = 0;
    }
    /* orphans: foreign keys without a parent row */
    for (size_t e = 0; e < m->nentities; e++) {
        const dp_entity *en = &m->entities[e];
        if (en->type != DP_ENT_FOREIGN || en->off.reason || !dp_is_identifier(en->expr))
            continue;
        const dp_model *home = dp_kg_entity_home(kg, en->name);
        const dp_entity *he = home ? dp_kg_model_entity(home, en->name) : NULL;
        if (!home || !home->table || !he || !dp_is_identifier(he->expr))
            continue;
        char hq[600], hs[300], hn[300], hc[300], out[64];
        dp_sql_quote_ident(home->schema, hs, sizeof(hs));
        dp_sql_quote_ident(home->table, hn, sizeof(hn));
        snprintf(hq, sizeof(hq), "%s.%s", hs, hn);
        dp_sql_quote_ident(en->expr, qc, sizeof(qc));
        dp_sql_quote_ident(he->expr, hc, sizeof(hc));
        dp_buf_clear(&sql);
        dp_buf_printf(&sql, "SELECT count(*) FROM %s c WHERE c.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = c.%s)",
                      qt, qc, hq, hc, qc);
        if ((rc = dp_db_scalar(con, dp_buf_cstr(&sql), out, sizeof(out), err)))
            goto done;
        int64_t o = strtoll(out, NULL, 10);
        if (o > 0 && (o > m->orphans || !m->orphan_entity)) {
            m->orphans = o;
            m->orphan_entity = en->name;
        }
    }
    if (m->default_time_dim) {
        const dp_dimension *d = dp_kg_model_dim(m, m->default_time_dim);
        if (d && d->column)
            m->freshest = d->column->prof.max;
    }
    m->profiled = 1;
    quality_of(kg, m);
done:
    if (rc)
        dp_error_prefix(err, "profiling %s", qt);
    free(idx);
    dp_buf_dispose(&sql);
    dp_buf_dispose(&tops);
    return rc;
}

int dp_profile_models(dp_kg *kg, duckdb_connection con, dp_error *err)
{
    for (size_t i = 0; i < kg->nmodels; i++) {
        if (kg->models[i].off.reason)
            continue; /* disabled: its table may not exist */
        int rc = profile_model(kg, &kg->models[i], con, err);
        if (rc)
            return rc;
    }
    return 0;
}

char *dp_profile_to_json(const dp_kg *kg)
{
    json_t *root = json_object();
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        if (!m->profiled)
            continue;
        json_t *cols = json_object();
        for (size_t j = 0; j < m->ncolumns; j++) {
            const dp_col_profile *p = &m->columns[j].prof;
            if (!p->done)
                continue;
            json_t *top = json_array();
            for (size_t k = 0; k < p->ntop; k++)
                json_array_append_new(top, json_pack("[s,I]", p->top_values[k], (json_int_t)p->top_counts[k]));
            json_object_set_new(cols, m->columns[j].name,
                                json_pack("{s:I,s:I,s:s?,s:s?,s:o,s:b}", "nulls", (json_int_t)p->nulls, "distinct",
                                          (json_int_t)p->distinct, "min", p->min, "max", p->max, "top", top,
                                          "all", p->all_values));
        }
        json_object_set_new(root, m->name,
                            json_pack("{s:s,s:s,s:I,s:I,s:I,s:s?,s:o}", "schema", m->schema, "table", m->table,
                                      "rows", (json_int_t)m->rows, "dup_keys", (json_int_t)m->dup_keys, "orphans",
                                      (json_int_t)m->orphans, "orphan_entity", m->orphan_entity, "columns", cols));
    }
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return s;
}

int dp_profile_from_json(dp_kg *kg, const char *text, dp_error *err)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    if (!root)
        return dp_error_set(err, DP_EINVALID, "cached profile: %s", je.text);
    int rc = 0;
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        if (m->off.reason)
            continue; /* never profiled */
        json_t *jm = json_object_get(root, m->name);
        if (!jm || !m->table || strcmp(json_string_value(json_object_get(jm, "table")) ? json_string_value(json_object_get(jm, "table")) : "", m->table)) {
            rc = dp_error_set(err, DP_ENOTFOUND, "cached profile lacks %s", m->name);
            break;
        }
        m->rows = json_integer_value(json_object_get(jm, "rows"));
        m->dup_keys = json_integer_value(json_object_get(jm, "dup_keys"));
        m->orphans = json_integer_value(json_object_get(jm, "orphans"));
        const char *oe = json_string_value(json_object_get(jm, "orphan_entity"));
        m->orphan_entity = oe ? dp_arena_strdup(kg->arena, oe) : NULL;
        json_t *cols = json_object_get(jm, "columns");
        for (size_t j = 0; j < m->ncolumns; j++) {
            dp_column *c = &m->columns[j];
            json_t *jc = json_object_get(cols, c->name);
            if (!jc)
                continue;
            dp_col_profile *p = &c->prof;
            p->done = 1;
            p->nulls = json_integer_value(json_object_get(jc, "nulls"));
            p->null_frac = m->rows ? (double)p->nulls / (double)m->rows : 0;
            p->distinct = json_integer_value(json_object_get(jc, "distinct"));
            const char *mn = json_string_value(json_object_get(jc, "min"));
            const char *mx = json_string_value(json_object_get(jc, "max"));
            p->min = mn ? dp_arena_strdup(kg->arena, mn) : NULL;
            p->max = mx ? dp_arena_strdup(kg->arena, mx) : NULL;
            p->nonneg = is_numeric(c->type) && p->min && strtod(p->min, NULL) >= 0;
            p->all_values = json_is_true(json_object_get(jc, "all"));
            json_t *top = json_object_get(jc, "top");
            size_t nt = json_array_size(top);
            if (nt > TOP_MAX)
                nt = TOP_MAX;
            if (nt) {
                p->top_values = dp_arena_calloc(kg->arena, nt, sizeof(char *));
                p->top_counts = dp_arena_calloc(kg->arena, nt, sizeof(int64_t));
                for (size_t k = 0; k < nt; k++) {
                    json_t *pair = json_array_get(top, k);
                    const char *v = json_string_value(json_array_get(pair, 0));
                    p->top_values[k] = dp_arena_strdup(kg->arena, v ? v : "");
                    p->top_counts[k] = json_integer_value(json_array_get(pair, 1));
                }
                p->ntop = nt;
            }
        }
        if (m->default_time_dim) {
            const dp_dimension *d = dp_kg_model_dim(m, m->default_time_dim);
            if (d && d->column)
                m->freshest = d->column->prof.max;
        }
        m->profiled = 1;
        quality_of(kg, m);
    }
    json_decref(root);
    return rc;
}

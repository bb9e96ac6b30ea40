/* Profiling: what the data says about itself. A few aggregate queries per
 * table (DuckDB scans millions of rows in milliseconds); distinct counts are
 * approximate (HyperLogLog) except for keys, where duplicates must be exact.
 * Bounded: a time budget shared by the tables, DuckDB's memory limit, and a
 * sample for the counts of a large table that need memory per row; a table
 * that hits a limit is partial, and says which limit and where. */
#include "catalog/bind.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int dp_profile__numeric(const char *type)
{
    static const struct {
        const char *name;
        size_t len;
    } num[] = {{"INTEGER", 7},   {"BIGINT", 6},   {"SMALLINT", 8}, {"TINYINT", 7}, {"HUGEINT", 7},
               {"DOUBLE", 6},    {"FLOAT", 5},    {"DECIMAL", 7},  {"UBIGINT", 7}, {"UINTEGER", 8},
               {"USMALLINT", 9}, {"UTINYINT", 8}, {"REAL", 4}};
    int first = toupper((unsigned char)type[0]);
    for (size_t i = 0; i < sizeof(num) / sizeof(*num); i++)
        if (num[i].name[0] == first && !strncasecmp(type, num[i].name, num[i].len))
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
        col->prof.nonneg = dp_profile__numeric(col->type) && col->prof.min && strtod(col->prof.min, NULL) >= 0;
        k += 4;
    }
    if (c->key_col && k < ncols && v[k])
        m->dup_keys = m->rows - strtoll(v[k], NULL, 10);
    return 1;
}

/* agg_row's input for a table with no rows: count(*) 0, then per column
 * count 0, distinct 0, min and max NULL, then the key count 0. */
static int empty_row(agg_ctx *ac, dp_error *err)
{
    size_t n = 1 + 4 * ac->n + (ac->key_col != NULL);
    const char **v = calloc(n, sizeof(*v));
    if (!v)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    v[0] = "0";
    for (size_t i = 0; i < ac->n; i++)
        v[1 + 4 * i] = v[2 + 4 * i] = "0";
    if (ac->key_col)
        v[n - 1] = "0";
    agg_row(ac, n, NULL, (const char *const *)v);
    free(v);
    return 0;
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
    if (!col || col->prof.ntop >= DP_PROFILE_TOP_MAX)
        return 0;
    if (!col->prof.top_values) {
        col->prof.top_values = dp_arena_calloc(c->kg->arena, DP_PROFILE_TOP_MAX, sizeof(char *));
        col->prof.top_counts = dp_arena_calloc(c->kg->arena, DP_PROFILE_TOP_MAX, sizeof(int64_t));
        if (!col->prof.top_values || !col->prof.top_counts)
            return 1;
    }
    col->prof.top_values[col->prof.ntop] = dp_arena_strdup(c->kg->arena, v[1]);
    col->prof.top_counts[col->prof.ntop++] = v[2] ? strtoll(v[2], NULL, 10) : 0;
    return 0;
}

typedef struct scalar_ctx {
    char *out;
    size_t n;
} scalar_ctx;

static int first_value(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    scalar_ctx *c = p;
    snprintf(c->out, c->n, "%s", ncols && v[0] ? v[0] : "");
    return 1;
}

static void quality_of(dp_model *m)
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
}

/* The time of one table: its share of what is left of the profile's. */
typedef struct budget {
    double end_all, end_table; /* dp_now_ms() deadlines */
    long timeout_ms;
    int64_t sample_above, sample_rows;
} budget;

/* A model whose profile is complete (run or read from the cache): its
 * freshness from the default time dimension, and its quality score. */
void dp_profile__mark(dp_model *m)
{
    if (m->default_time_dim) {
        const dp_dimension *d = dp_kg_model_dim(m, m->default_time_dim);
        if (d && d->column)
            m->freshest = d->column->prof.max;
    }
    m->profiled = 1;
    quality_of(m);
}

static long left_ms(const budget *b)
{
    double l = b->end_table - dp_now_ms();
    return l < 1 ? 1 : (long)l; /* never 0: that would be no limit */
}

/* A statement stopped by the time or the memory limit makes the table's
 * profile partial (returns 0: the profile goes on with the next table);
 * another error is returned as it is. */
static int limited(dp_kg *kg, dp_model *m, const budget *b, const char *step, int rc, dp_error *err)
{
    if (rc == DP_ELIMIT && err && strstr(err->message, "time limit"))
        m->profile_partial = dp_arena_printf(
            kg->arena, "time limit: its share of the profile's %.3g s ran out while %s", b->timeout_ms / 1000.0, step);
    else if (rc == DP_EENGINE && err && strstr(err->message, "Out of Memory"))
        m->profile_partial =
            dp_arena_printf(kg->arena, "memory limit: DuckDB's memory limit was reached while %s", step);
    else
        return rc;
    return 0;
}

/* The sample a large table's key, frequent-value and orphan counts are
 * taken on: one temporary table, so that every count sees the same rows.
 * Bernoulli: each row kept with the same chance, set for about sample_rows
 * rows of the exact count (a reservoir of a million rows took 10 s on 12M
 * rows, this 1.8 s); seeded: the same profile twice. */
#define SAMPLE_TABLE "dp_profile_sample"

static int take_sample(dp_kg *kg, dp_model *m, duckdb_connection con, const budget *b, const char *qt, int *done,
                       dp_error *err)
{
    char sql[900], out[64] = "";
    double pct = m->rows > 0 ? 100.0 * (double)b->sample_rows / (double)m->rows : 100.0;
    snprintf(sql, sizeof(sql),
             "CREATE OR REPLACE TEMPORARY TABLE " SAMPLE_TABLE
             " AS SELECT * FROM %s USING SAMPLE %.6f PERCENT (bernoulli, 7)",
             qt, pct > 100 ? 100.0 : pct);
    int rc = dp_db_query(con, sql, left_ms(b), NULL, NULL, err);
    if (!rc)
        rc = dp_db_scalar(con, "SELECT count(*) FROM " SAMPLE_TABLE, out, sizeof(out), err);
    if (rc)
        return limited(kg, m, b, "taking a sample", rc, err);
    m->profile_sample = strtoll(out, NULL, 10);
    *done = 1;
    return 0;
}

/* Repeated keys in the sample prove the table has them (a lower bound);
 * none found proves nothing: then unknown. */
static int sample_keys(dp_kg *kg, dp_model *m, duckdb_connection con, const budget *b, const char *key, dp_error *err)
{
    char qc[300], sql[900], out[64] = "";
    dp_sql_quote_ident(key, qc, sizeof(qc));
    snprintf(sql, sizeof(sql), "SELECT count(%s) - count(DISTINCT %s) FROM " SAMPLE_TABLE, qc, qc);
    int rc = dp_db_query(con, sql, left_ms(b), first_value, &(scalar_ctx){out, sizeof(out)}, err);
    if (rc)
        return limited(kg, m, b, "counting repeated keys in the sample", rc, err);
    m->dup_keys = strtoll(out, NULL, 10);
    m->dup_keys_unknown = m->dup_keys <= 0;
    return 0;
}

/* The one aggregate query of a table: its rows, and each orderable
 * column's non-NULL count, distinct estimate, min and max; with
 * ac->key_col, the exact count of its distinct keys. */
/* The profiled columns into ac (orderable ones whose name quotes), and with
 * write the one aggregate query over them into sql (a table known empty
 * needs none). */
static int agg_sql(dp_buf *sql, dp_model *m, agg_ctx *ac, const char *qt, int write, dp_error *err)
{
    char qc[300];
    dp_buf_clear(sql);
    ac->n = 0;
    if (write)
        dp_buf_puts(sql, "SELECT count(*)");
    for (size_t i = 0; i < m->ncolumns; i++) {
        const dp_column *c = &m->columns[i];
        if (!orderable(c->type) || !dp_sql_quote_ident(c->name, qc, sizeof(qc)))
            continue;
        ac->colidx[ac->n++] = (int)i;
        if (!write)
            continue;
        size_t n = strlen(qc);
        dp_buf_puts(sql, ", count(");
        dp_buf_add(sql, qc, n);
        dp_buf_puts(sql, "), approx_count_distinct(");
        dp_buf_add(sql, qc, n);
        dp_buf_puts(sql, "), CAST(min(");
        dp_buf_add(sql, qc, n);
        dp_buf_puts(sql, ") AS VARCHAR), CAST(max(");
        dp_buf_add(sql, qc, n);
        dp_buf_puts(sql, ") AS VARCHAR)");
    }
    if (!write)
        return 0;
    if (ac->key_col) {
        dp_sql_quote_ident(ac->key_col, qc, sizeof(qc));
        dp_buf_printf(sql, ", count(DISTINCT %s) + count(*) - count(%s)", qc, qc);
    }
    dp_buf_printf(sql, " FROM %s", qt);
    if (sql->toobig)
        return dp_error_set(err, DP_ELIMIT, "table %s has too many columns to profile", qt);
    return 0;
}

/* The key column the profile counts repeats of: the first primary or
 * unique entity that is a plain column; NULL when none. */
static const char *key_column(const dp_model *m)
{
    for (size_t e = 0; e < m->nentities; e++)
        if ((m->entities[e].type == DP_ENT_PRIMARY || m->entities[e].type == DP_ENT_UNIQUE) &&
            !m->entities[e].off.reason && dp_is_identifier(m->entities[e].expr))
            return m->entities[e].expr;
    return NULL;
}

/* Models on one relation with the same key column profile alike but for
 * their foreign keys: twin is an earlier such model profiled whole (not on
 * a sample, not partial), whose rows, key count and column profiles m
 * takes; NULL when none. Hashed by relation. */
typedef struct twins {
    size_t *slot; /* model index + 1, 0 empty */
    size_t cap;
} twins;

static uint64_t rel_hash(const dp_model *m)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = m->schema; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *p = m->table; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static int same_rel(const dp_model *a, const dp_model *b)
{
    return !strcmp(a->schema, b->schema) && !strcmp(a->table, b->table);
}

static int shareable(const dp_model *p)
{
    return p->profiled && !p->profile_partial && p->profile_sample == 0 && p->table && p->schema;
}

static const dp_model *twin_of(const twins *t, const dp_kg *kg, const dp_model *m)
{
    if (!t->cap || !m->table || !m->schema)
        return NULL;
    const char *key = key_column(m);
    for (size_t i = rel_hash(m) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1)) {
        const dp_model *p = &kg->models[t->slot[i] - 1];
        if (!same_rel(p, m))
            continue;
        const char *pk = key_column(p);
        if ((!key != !pk) || (key && strcmp(key, pk)) || p->ncolumns != m->ncolumns)
            return NULL;
        for (size_t j = 0; j < m->ncolumns; j++)
            if (strcmp(p->columns[j].name, m->columns[j].name))
                return NULL;
        return shareable(p) ? p : NULL;
    }
    return NULL;
}

/* Files m as its relation's profile unless one is filed. */
static void twin_add(twins *t, const dp_kg *kg, const dp_model *m)
{
    if (!t->cap || !shareable(m))
        return;
    size_t i = rel_hash(m) & (t->cap - 1);
    for (; t->slot[i]; i = (i + 1) & (t->cap - 1))
        if (same_rel(&kg->models[t->slot[i] - 1], m))
            return;
    t->slot[i] = (size_t)(m - kg->models) + 1;
}

static int profile_model(dp_kg *kg, dp_model *m, duckdb_connection con, const budget *b, const dp_model *twin,
                         dp_error *err)
{
    int rc = 0, agg_done = 0, sampled = 0;
    dp_buf sql, tops;
    char qt[600], qs[300], qn[300], qc[300], lit[300];
    const char *from = qt; /* what key, frequent-value and orphan counts read */
    dp_buf_init(&sql, 4u << 20);
    dp_buf_init(&tops, 4u << 20);
    int *idx = calloc(m->ncolumns ? m->ncolumns : 1, sizeof(int));
    if (!idx)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    dp_sql_quote_ident(m->schema, qs, sizeof(qs));
    dp_sql_quote_ident(m->table, qn, sizeof(qn));
    snprintf(qt, sizeof(qt), "%s.%s", qs, qn);
    const char *key = key_column(m);
    agg_ctx ac = {kg, m, idx, 0, NULL};
    int ntop;
    if (b->end_all <= dp_now_ms()) {
        m->profile_partial = dp_arena_printf(
            kg->arena, "time limit: the profile's %.3g s were used up before this table", b->timeout_ms / 1000.0);
        goto partial;
    }
    if (twin) { /* the relation's profile, taken: only the foreign keys are m's own */
        m->rows = twin->rows;
        m->dup_keys = twin->dup_keys;
        m->dup_keys_unknown = twin->dup_keys_unknown;
        for (size_t j = 0; j < m->ncolumns; j++)
            m->columns[j].prof = twin->columns[j].prof;
        agg_done = 1;
        goto orphans;
    }
    /* DuckDB's count of the stored rows, read with the database's catalog */
    int large = m->est_known && m->est_rows > b->sample_above;
    /* streaming aggregates of bounded memory: exact on every table; the
     * exact key count (a hash of every key) only below the sampling size */
    ac.key_col = large ? NULL : key;
    int empty = m->est_known && m->est_rows == 0;
    if ((rc = agg_sql(&sql, m, &ac, qt, !empty, err)))
        goto done;
    if (empty) {
        /* a table that never stored a row: what the query would answer
         * (no rows, no values, no repeated key), without a statement */
        rc = empty_row(&ac, err);
    } else if ((rc = dp_db_query(con, dp_buf_cstr(&sql), left_ms(b), agg_row, &ac, err)) && ac.key_col &&
               rc == DP_EENGINE && strstr(err->message, "Out of Memory")) {
        /* the exact key count is what needs memory per row: without it,
         * and with the key counted on a sample, the table is profiled */
        large = 1;
        ac.key_col = NULL;
        if ((rc = agg_sql(&sql, m, &ac, qt, 1, err)))
            goto done;
        rc = dp_db_query(con, dp_buf_cstr(&sql), left_ms(b), agg_row, &ac, err);
    }
    if (rc) {
        for (size_t i = 0; i < ac.n; i++)
            m->columns[idx[i]].prof.done = 0;
        if (!(rc = limited(kg, m, b, "counting rows and values", rc, err)))
            goto partial;
        goto done;
    }
    agg_done = 1;
    if (large) {
        if ((rc = take_sample(kg, m, con, b, qt, &sampled, err)) || !sampled)
            goto partial;
        from = SAMPLE_TABLE;
        if (key && ((rc = sample_keys(kg, m, con, b, key, err)) || m->profile_partial))
            goto partial;
    }
    /* frequent values of low-cardinality text columns, one query */
    ntop = 0;
    for (size_t i = 0; i < m->ncolumns; i++) {
        dp_column *c = &m->columns[i];
        if (!c->prof.done || !is_text(c->type) || c->prof.distinct > LOW_CARD_MAX || c->prof.distinct == 0)
            continue;
        dp_sql_quote_ident(c->name, qc, sizeof(qc));
        dp_sql_quote_literal(c->name, lit, sizeof(lit));
        dp_buf_printf(&tops,
                      "%s(SELECT %s AS col, CAST(%s AS VARCHAR) AS val, count(*) AS n FROM %s WHERE %s IS NOT NULL "
                      "GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT %d)",
                      ntop ? " UNION ALL " : "", lit, qc, from, qc, DP_PROFILE_TOP_MAX);
        c->prof.all_values = !sampled; /* a sample may miss a rare value */
        ntop++;
    }
    if (ntop) {
        top_ctx tc = {kg, m, {0}};
        if ((rc = dp_db_query(con, dp_buf_cstr(&tops), left_ms(b), top_row, &tc, err))) {
            for (size_t i = 0; i < m->ncolumns; i++)
                m->columns[i].prof.all_values = 0;
            if (!(rc = limited(kg, m, b, "finding frequent values", rc, err)))
                goto partial;
            goto done;
        }
        for (size_t i = 0; i < m->ncolumns; i++)
            if (m->columns[i].prof.all_values && m->columns[i].prof.distinct > (int64_t)m->columns[i].prof.ntop)
                m->columns[i].prof.all_values = 0;
    }
orphans:
    /* orphans: foreign keys without a parent row (on a sample: scaled to
     * the table's rows) */
    for (size_t e = 0; e < m->nentities && m->rows > 0; e++) {
        const dp_entity *en = &m->entities[e];
        if (en->type != DP_ENT_FOREIGN || en->off.reason || !dp_is_identifier(en->expr))
            continue;
        const dp_model *home = dp_kg_entity_home(kg, en->name);
        const dp_entity *he = home ? dp_kg_model_entity(home, en->name) : NULL;
        if (!home || !home->table || !he || !dp_is_identifier(he->expr))
            continue;
        char hq[600], hs[300], hn[300], hc[300], out[64] = "";
        dp_sql_quote_ident(home->schema, hs, sizeof(hs));
        dp_sql_quote_ident(home->table, hn, sizeof(hn));
        snprintf(hq, sizeof(hq), "%s.%s", hs, hn);
        dp_sql_quote_ident(en->expr, qc, sizeof(qc));
        dp_sql_quote_ident(he->expr, hc, sizeof(hc));
        dp_buf_clear(&sql);
        dp_buf_printf(
            &sql,
            "SELECT count(*) FROM %s c WHERE c.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = c.%s)",
            from, qc, hq, hc, qc);
        if ((rc = dp_db_query(con, dp_buf_cstr(&sql), left_ms(b), first_value, &(scalar_ctx){out, sizeof(out)}, err))) {
            if (!(rc = limited(kg, m, b, "finding orphan keys", rc, err)))
                goto partial;
            goto done;
        }
        int64_t o = strtoll(out, NULL, 10);
        if (sampled && m->profile_sample > 0 && o > 0)
            o = (int64_t)((double)o * (double)m->rows / (double)m->profile_sample + 0.5);
        if (o > 0 && (o > m->orphans || !m->orphan_entity)) {
            m->orphans = o;
            m->orphan_entity = en->name;
        }
    }
partial:
    if (m->profile_partial && key && !(agg_done && ac.key_col) && m->dup_keys <= 0)
        m->dup_keys_unknown = 1; /* repeated keys not ruled out */
    if (agg_done) {
        dp_profile__mark(m);
    }
done:
    if (sampled) {
        dp_error ignore = {0};
        dp_db_query(con, "DROP TABLE IF EXISTS " SAMPLE_TABLE, 0, NULL, NULL, &ignore);
    }
    if (rc)
        dp_error_prefix(err, "profiling %s", qt);
    free(idx);
    dp_buf_dispose(&sql);
    dp_buf_dispose(&tops);
    return rc;
}

int dp_profile_models(dp_kg *kg, duckdb_connection con, const dp_profile_limits *lim, dp_error *err)
{
    budget b = {0};
    b.timeout_ms = lim && lim->timeout_ms > 0 ? lim->timeout_ms : DP_PROFILE_TIMEOUT_MS;
    b.sample_above = lim && lim->sample_above > 0 ? lim->sample_above : DP_PROFILE_SAMPLE_ABOVE;
    b.sample_rows = lim && lim->sample_rows > 0 ? lim->sample_rows : DP_PROFILE_SAMPLE_ROWS;
    b.end_all = dp_now_ms() + (double)b.timeout_ms;
    size_t left = 0;
    for (size_t i = 0; i < kg->nmodels; i++)
        left += !kg->models[i].off.reason && !kg->models[i].profiled;
    twins tw = {0};
    tw.cap = 16;
    while (tw.cap < kg->nmodels * 2)
        tw.cap *= 2;
    if (!(tw.slot = calloc(tw.cap, sizeof(*tw.slot))))
        tw.cap = 0; /* no sharing: each profiled on its own */
    for (size_t i = 0; i < kg->nmodels; i++)
        if (!kg->models[i].off.reason)
            twin_add(&tw, kg, &kg->models[i]); /* those read from the cache */
    int rc = 0;
    for (size_t i = 0; i < kg->nmodels && !rc; i++) {
        dp_model *m = &kg->models[i];
        if (m->off.reason || m->profiled)
            continue; /* disabled (its table may not exist), or read from the cache */
        m->profile_partial = NULL;
        m->profile_sample = 0;
        m->dup_keys_unknown = 0;
        m->orphans = 0;
        m->orphan_entity = NULL;
        /* an even share of what is left, so that one slow table cannot take
         * the others' time; at least 1 s of it, so that many small tables
         * are not cut by scheduling noise */
        double now = dp_now_ms(), rest = b.end_all - now, share = rest / (double)left--;
        if (share < 1000)
            share = rest < 1000 ? rest : 1000;
        b.end_table = now + share;
        if (!(rc = profile_model(kg, m, con, &b, twin_of(&tw, kg, m), err)))
            twin_add(&tw, kg, m);
    }
    free(tw.slot);
    return rc;
}

size_t dp_profile_partial_count(const dp_kg *kg)
{
    size_t n = 0;
    for (size_t i = 0; i < kg->nmodels; i++)
        n += kg->models[i].profile_partial != NULL;
    return n;
}

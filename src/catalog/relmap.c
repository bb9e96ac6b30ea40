/* The database's relations, columns and keys in one read (relmap.h). */
#include "catalog/relmap.h"
#include "catalog/db.h"
#include "util/error.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TYPES_INTERNED 64 /* distinct type names shared rather than copied */

static uint64_t hash_ci(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211ull;
    return h;
}

typedef struct loader {
    dp_relmap *r;
    dp_arena *a;
    size_t cap;
    int oom;
} loader;

static int rel_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    loader *l = p;
    dp_relmap *r = l->r;
    if (r->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        const char **s = realloc(r->schema, cap * sizeof(*s));
        if (s)
            r->schema = s;
        const char **nm = realloc(r->name, cap * sizeof(*nm));
        if (nm)
            r->name = nm;
        int64_t *est = realloc(r->est_rows, cap * sizeof(*est));
        if (est)
            r->est_rows = est;
        if (!s || !nm || !est)
            return l->oom = 1;
        l->cap = cap;
    }
    r->schema[r->n] = dp_arena_strdup(l->a, v[0] ? v[0] : "");
    r->name[r->n] = dp_arena_strdup(l->a, v[1] ? v[1] : "");
    r->est_rows[r->n] = v[2] ? strtoll(v[2], NULL, 10) : -1;
    if (!r->schema[r->n] || !r->name[r->n])
        return l->oom = 1;
    r->n++;
    return 0;
}

static int schema_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    loader *l = p;
    if (v[0] && !(l->r->def_schema = dp_arena_strdup(l->a, v[0])))
        l->oom = 1;
    return 0;
}

/* The case-aside name index: chains run in relation order (built from the
 * end, each pushed at its bucket's head). */
int dp_relmap__index(dp_relmap *r)
{
    size_t nb = 16;
    while (nb < r->n * 2)
        nb *= 2;
    r->nbuckets = nb;
    r->ci_head = malloc(nb * sizeof(size_t));
    r->ci_next = malloc((r->n ? r->n : 1) * sizeof(size_t));
    r->col_off = calloc(r->n ? r->n : 1, sizeof(size_t));
    r->col_n = calloc(r->n ? r->n : 1, sizeof(size_t));
    if (!r->ci_head || !r->ci_next || !r->col_off || !r->col_n)
        return -1;
    for (size_t b = 0; b < nb; b++)
        r->ci_head[b] = DP_RELMAP_NONE;
    for (size_t j = r->n; j-- > 0;) {
        size_t b = (size_t)(hash_ci(r->name[j], strlen(r->name[j])) & (nb - 1));
        r->ci_next[j] = r->ci_head[b];
        r->ci_head[b] = j;
    }
    return 0;
}

size_t dp_relmap_next_named(const dp_relmap *r, const char *name, size_t after)
{
    size_t j =
        after == DP_RELMAP_NONE ? r->ci_head[hash_ci(name, strlen(name)) & (r->nbuckets - 1)] : r->ci_next[after];
    for (; j != DP_RELMAP_NONE; j = r->ci_next[j])
        if (!strcasecmp(r->name[j], name))
            return j;
    return DP_RELMAP_NONE;
}

size_t dp_relmap_find(const dp_relmap *r, const char *schema, const char *name)
{
    for (size_t j = dp_relmap_next_named(r, name, DP_RELMAP_NONE); j != DP_RELMAP_NONE;
         j = dp_relmap_next_named(r, name, j))
        if (!strcasecmp(r->schema[j], schema))
            return j;
    return DP_RELMAP_NONE;
}

/* The relation named exactly schema.name (as duckdb_columns() spells it),
 * from counted strings; DP_RELMAP_NONE when none. */
static size_t find_exact(const dp_relmap *r, const char *s, size_t sl, const char *t, size_t tl)
{
    for (size_t j = r->ci_head[hash_ci(t, tl) & (r->nbuckets - 1)]; j != DP_RELMAP_NONE; j = r->ci_next[j])
        if (strlen(r->name[j]) == tl && !memcmp(r->name[j], t, tl) && strlen(r->schema[j]) == sl &&
            !memcmp(r->schema[j], s, sl))
            return j;
    return DP_RELMAP_NONE;
}

typedef struct strv {
    const char *p;
    size_t n;
    int null;
} strv;

static strv cell(duckdb_vector vec, idx_t row)
{
    strv s = {"", 0, 1};
    uint64_t *valid = duckdb_vector_get_validity(vec);
    if (valid && !duckdb_validity_row_is_valid(valid, row))
        return s;
    duckdb_string_t *d = (duckdb_string_t *)duckdb_vector_get_data(vec) + row;
    s.n = duckdb_string_t_length(*d);
    s.p = duckdb_string_t_data(d);
    s.null = 0;
    return s;
}

typedef struct interned {
    const char *s[TYPES_INTERNED];
    size_t n;
} interned;

static const char *intern_type(interned *in, dp_arena *a, strv v)
{
    for (size_t i = 0; i < in->n; i++)
        if (strlen(in->s[i]) == v.n && !memcmp(in->s[i], v.p, v.n))
            return in->s[i];
    const char *s = dp_arena_strndup(a, v.p, v.n);
    if (s && in->n < TYPES_INTERNED)
        in->s[in->n++] = s;
    return s;
}

/* Every column of every relation, in column order; a relation's columns
 * arrive together (ORDER BY), which is checked, not assumed. */
static int load_columns(dp_relmap *r, dp_arena *a, duckdb_connection con, dp_error *err)
{
    duckdb_result res;
    int rc = 0;
    size_t cap = 0, cur = DP_RELMAP_NONE;
    interned types = {{0}, 0};
    if (duckdb_query(con,
                     "SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() "
                     "WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index",
                     &res) == DuckDBError) {
        const char *msg = duckdb_result_error(&res);
        rc = dp_error_set(err, DP_EENGINE, "reading the database's columns: %s", msg ? msg : "query failed");
        duckdb_destroy_result(&res);
        return rc;
    }
    int shape = duckdb_column_count(&res) == 5;
    for (idx_t i = 0; shape && i < 5; i++)
        shape = duckdb_column_type(&res, i) == DUCKDB_TYPE_VARCHAR;
    if (!shape) {
        duckdb_destroy_result(&res);
        return dp_error_set(err, DP_EENGINE, "reading the database's columns: unexpected result");
    }
    strv last_s = {"", 0, 1}, last_t = {"", 0, 1};
    char *last_buf = NULL; /* the previous row's schema and table, copied: chunks do not outlive their loop */
    size_t last_cap = 0;
    duckdb_data_chunk chunk;
    while (!rc && (chunk = duckdb_fetch_chunk(res)) != NULL) {
        idx_t rows = duckdb_data_chunk_get_size(chunk);
        duckdb_vector vs = duckdb_data_chunk_get_vector(chunk, 0), vt = duckdb_data_chunk_get_vector(chunk, 1),
                      vc = duckdb_data_chunk_get_vector(chunk, 2), vy = duckdb_data_chunk_get_vector(chunk, 3),
                      vm = duckdb_data_chunk_get_vector(chunk, 4);
        for (idx_t i = 0; i < rows && !rc; i++) {
            strv s = cell(vs, i), t = cell(vt, i), c = cell(vc, i), y = cell(vy, i), m = cell(vm, i);
            if (s.n != last_s.n || t.n != last_t.n || memcmp(s.p, last_s.p, s.n) || memcmp(t.p, last_t.p, t.n)) {
                size_t need = s.n + t.n + 2;
                if (need > last_cap) {
                    char *nb = realloc(last_buf, need);
                    if (!nb) {
                        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
                        break;
                    }
                    last_buf = nb;
                    last_cap = need;
                }
                memcpy(last_buf, s.p, s.n);
                memcpy(last_buf + s.n + 1, t.p, t.n);
                last_s = (strv){last_buf, s.n, 0};
                last_t = (strv){last_buf + s.n + 1, t.n, 0};
                cur = find_exact(r, s.p, s.n, t.p, t.n);
                if (cur != DP_RELMAP_NONE && r->col_n[cur]) {
                    rc = dp_error_set(err, DP_EENGINE, "reading the database's columns: %s.%s came in two runs",
                                      r->schema[cur], r->name[cur]);
                    break;
                }
                if (cur != DP_RELMAP_NONE)
                    r->col_off[cur] = r->ncols;
            }
            if (cur == DP_RELMAP_NONE || c.null)
                continue; /* a relation the list does not have */
            if (r->ncols == cap) {
                size_t ncap = cap ? cap * 2 : 1024;
                dp_relcol *nc = realloc(r->cols, ncap * sizeof(*nc));
                if (!nc) {
                    rc = dp_error_set(err, DP_ENOMEM, "out of memory");
                    break;
                }
                r->cols = nc;
                cap = ncap;
            }
            dp_relcol *col = &r->cols[r->ncols];
            col->name = dp_arena_strndup(a, c.p, c.n);
            col->type = y.null ? "" : intern_type(&types, a, y);
            col->comment = !m.null && m.n ? dp_arena_strndup(a, m.p, m.n) : NULL;
            col->is_key = 0;
            if (!col->name || !col->type || (!m.null && m.n && !col->comment)) {
                rc = dp_error_set(err, DP_ENOMEM, "out of memory");
                break;
            }
            r->ncols++;
            r->col_n[cur]++;
        }
        duckdb_destroy_data_chunk(&chunk);
    }
    free(last_buf);
    duckdb_destroy_result(&res);
    return rc;
}

static int key_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    (void)ncols;
    dp_relmap *r = p;
    /* constraint_column_names is a list like [a, b]; single-column keys only */
    const char *s = v[2];
    if (!v[0] || !v[1] || !s || s[0] != '[' || strchr(s, ','))
        return 0;
    size_t t = find_exact(r, v[0], strlen(v[0]), v[1], strlen(v[1]));
    size_t len = strlen(s);
    char name[256];
    if (t == DP_RELMAP_NONE || len < 3 || len - 2 >= sizeof(name))
        return 0;
    memcpy(name, s + 1, len - 2);
    name[len - 2] = 0;
    for (size_t i = 0; i < r->col_n[t]; i++)
        if (!strcasecmp(r->cols[r->col_off[t] + i].name, name))
            r->cols[r->col_off[t] + i].is_key = 1;
    return 0;
}

int dp_relmap_load(dp_relmap *out, dp_arena *a, duckdb_connection con, dp_error *err)
{
    memset(out, 0, sizeof(*out));
    loader l = {out, a, 0, 0};
    int rc = dp_db_query(con,
                         "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
                         "WHERE database_name = current_database() "
                         "UNION ALL SELECT schema_name, view_name, NULL FROM duckdb_views() "
                         "WHERE database_name = current_database() AND NOT internal ORDER BY 1, 2",
                         0, rel_row, &l, err);
    if (!rc)
        rc = dp_db_query(con, "SELECT current_schema()", 0, schema_row, &l, err);
    if (!rc && (l.oom || dp_relmap__index(out)))
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
    if (!rc)
        rc = load_columns(out, a, con, err);
    if (!rc)
        rc = dp_db_query(
            con,
            "SELECT schema_name, table_name, CAST(constraint_column_names AS VARCHAR) FROM duckdb_constraints() "
            "WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
            0, key_row, out, err);
    if (rc)
        dp_relmap_dispose(out);
    return rc;
}

void dp_relmap_dispose(dp_relmap *r)
{
    if (!r)
        return;
    free(r->schema);
    free(r->name);
    free(r->est_rows);
    free(r->col_off);
    free(r->col_n);
    free(r->cols);
    free(r->ci_head);
    free(r->ci_next);
    memset(r, 0, sizeof(*r));
}

int dp_relmap_columns(const dp_relmap *r, size_t t, dp_arena *a, dp_column **out, size_t *n)
{
    *out = NULL;
    *n = r->col_n[t];
    if (!*n)
        return 0;
    dp_column *c = dp_arena_calloc(a, *n, sizeof(*c));
    if (!c)
        return DP_ENOMEM;
    for (size_t i = 0; i < *n; i++) {
        const dp_relcol *rc = &r->cols[r->col_off[t] + i];
        c[i].name = rc->name;
        c[i].type = rc->type;
        c[i].comment = rc->comment;
        c[i].is_key = rc->is_key;
    }
    *out = c;
    return 0;
}

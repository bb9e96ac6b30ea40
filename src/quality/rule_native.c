/* The rules on a test result read into C (dp_exec_result.rowset) decided
 * without a statement: row conditions by rule_eval.c, with their first five
 * failing rows as examples; the grain's uniqueness by sorting the rows on
 * their key. What it cannot decide is left to the SQL runner. */
#include "quality/quality_int.h"
#include "quality/rule_eval_int.h"
#include "catalog/catalog.h"
#include "catalog/rowset.h"
#include "util/fs.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES 5

static long source_values(void *payload, const char *schema, const char *table, const char *column, long max,
                          const char ***vals, const char **type)
{
    return dp_quality__source_values(payload, schema, table, column, max, vals, type);
}

void dp_quality__native_compile(dp_run *r, const char *const *sqls, size_t n, dp_rule_eval **out)
{
    if (r->exec.rowset)
        dp_rule_eval_compile_all(sqls, n, r->exec.table, r->exec.rowset, source_values, r, r->cat->parses, r->a, out);
    else
        memset(out, 0, n * sizeof(*out));
}

int dp_quality__native_rule(dp_run *r, json_t *rule, const dp_rule_eval *e)
{
    const dp_rowset *rs = r->exec.rowset;
    if (!rs || !e)
        return 0;
    double t0 = dp_now_ms();
    size_t first[EXAMPLES], nf = 0;
    long long n = dp_rule_eval_count(e, rs, first, EXAMPLES, &nf);
    if (n < 0 || (n && !dp_rule_eval_row_form(e)))
        return 0; /* no memory; or its one row is the aggregate's: its SQL reads it */
    json_t *ex = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_t *row = dp_rowset_row_json(rs, first[i]);
        if (!row) {
            json_decref(ex);
            return 0;
        }
        json_array_append_new(ex, row);
    }
    json_object_set_new(rule, "result", dp_quality__result(dp_now_ms() - t0, n, ex));
    return 1;
}

/* ---- uniqueness of the key ---- */

typedef struct keyset {
    const dp_rowset *rs;
    const int *cols;
    size_t ncols;
} keyset;

/* Rows a and b ordered by their key (NULL first; GROUP BY's equality: NULL
 * equals NULL, NaN equals NaN). */
static int key_cmp(const keyset *k, size_t a, size_t b)
{
    for (size_t i = 0; i < k->ncols; i++) {
        dp_val x, y;
        dp_rowset_get(k->rs, (size_t)k->cols[i], a, &x);
        dp_rowset_get(k->rs, (size_t)k->cols[i], b, &y);
        int nx = x.kind == DP_VAL_NULL, ny = y.kind == DP_VAL_NULL;
        int c = nx || ny ? ny - nx : dp_rule_eval_compare(&x, &y);
        if (c)
            return c;
    }
    return 0;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

/* h with one value of a key mixed in (equal values mix alike). */
static uint64_t mix_val(uint64_t h, const dp_val *v)
{
    switch (v->kind) {
    case DP_VAL_NULL:
        return mix(h, 0x6e756c6cull);
    case DP_VAL_EXACT:
        return mix(mix(h, (uint64_t)v->u.i), (uint64_t)(v->u.i >> 64));
    case DP_VAL_DATE:
        return mix(h, (uint64_t)(int64_t)v->u.days);
    case DP_VAL_TIMESTAMP:
        return mix(h, (uint64_t)v->u.micros);
    case DP_VAL_BOOL:
        return mix(h, (uint64_t)(v->u.b != 0));
    case DP_VAL_TEXT:
        return mix(h, dp_rule__val_hash(v));
    default:
        return mix(h, 0); /* not a key kind here */
    }
}

#define MIX_COLUMN(T, X)                                                                                               \
    do {                                                                                                               \
        const T *d = data;                                                                                             \
        for (size_t i = 0; i < size; i++)                                                                              \
            hs[i] = dp_rowset_valid_at(valid, i) ? mix(mix(hs[i], (uint64_t)(X)), (uint64_t)((dp_i128)(X) >> 64))      \
                                                 : mix(hs[i], 0x6e756c6cull);                                          \
    } while (0)

/* The hashes of the size rows of chunk k's key into hs, a column at a time
 * from its vector: row by row, the same as mix_val over the row's values. */
static void chunk_hashes(const keyset *ks, size_t k, size_t size, uint64_t *hs)
{
    for (size_t i = 0; i < size; i++)
        hs[i] = 0x84222325cbf29ce4ull;
    for (size_t c = 0; c < ks->ncols; c++) {
        size_t col = (size_t)ks->cols[c];
        duckdb_type stored;
        const void *data = dp_rowset_data(ks->rs, col, k, &stored);
        const uint64_t *valid = dp_rowset_validity(ks->rs, col, k);
        dp_val_kind kind = dp_rowset_kind(ks->rs, col);
        if (kind == DP_VAL_EXACT && stored == DUCKDB_TYPE_INTEGER)
            MIX_COLUMN(int32_t, d[i]);
        else if (kind == DP_VAL_EXACT && stored == DUCKDB_TYPE_BIGINT)
            MIX_COLUMN(int64_t, d[i]);
        else if (kind == DP_VAL_TEXT && stored == DUCKDB_TYPE_VARCHAR) /* read in place, as dp_rowset_get_at does */
            for (size_t i = 0; i < size; i++) {
                dp_val v;
                dp_rowset_text_at(data, i, &v);
                hs[i] = dp_rowset_valid_at(valid, i) ? mix(hs[i], dp_rule__val_hash(&v)) : mix(hs[i], 0x6e756c6cull);
            }
        else if (kind == DP_VAL_DATE) /* a date mixes its days once, as mix_val */
            for (size_t i = 0; i < size; i++)
                hs[i] = dp_rowset_valid_at(valid, i)
                            ? mix(hs[i], (uint64_t)(int64_t)((const duckdb_date *)data)[i].days)
                            : mix(hs[i], 0x6e756c6cull);
        else
            for (size_t i = 0; i < size; i++) {
                dp_val v;
                dp_rowset_get_at(ks->rs, col, k, i, &v);
                hs[i] = mix_val(hs[i], &v);
            }
    }
}

/* The columns of a key list as the unique_key rule writes it ("a", "b c");
 * their number, or 0 when one is not a column of the rowset. */
static size_t key_columns(const dp_rowset *rs, const char *keys, int *cols, size_t max, dp_arena *a)
{
    size_t n = 0;
    const char *p = keys;
    while (*p && n < max) {
        const char *name;
        if (*p == '"') {
            char *buf = dp_arena_alloc(a, strlen(p) + 1), *o = buf;
            if (!buf)
                return 0;
            for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
                *o++ = *p;
            if (*p != '"')
                return 0;
            *o = 0;
            p++;
            name = buf;
        } else {
            size_t len = strcspn(p, ", ");
            name = dp_arena_strndup(a, p, len);
            p += len;
        }
        int c = name && *name ? dp_rowset_find(rs, name) : -1;
        if (c < 0 ||
            dp_rowset_kind(rs, (size_t)c) == DP_VAL_DOUBLE) /* -0.0 and 0.0: one group or two, let DuckDB say */
            return 0;
        cols[n++] = c;
        if (!strncmp(p, ", ", 2))
            p += 2;
        else if (*p)
            return 0;
    }
    return *p ? 0 : n;
}

int dp_quality__native_unique(dp_run *r, json_t *rule, const char *keys)
{
    const dp_rowset *rs = r->exec.rowset;
    int cols[DP_PLAN_MAX];
    size_t nc = rs ? key_columns(rs, keys, cols, DP_PLAN_MAX, r->a) : 0;
    if (!nc)
        return 0;
    double t0 = dp_now_ms();
    size_t n = dp_rowset_rows(rs), slots = 16;
    while (slots < n + n / 2)
        slots *= 2;
    /* open addressing on the key's hash; a slot holds row + 1 (0: empty) */
    uint32_t *slot = n < UINT32_MAX ? calloc(slots, sizeof(*slot)) : NULL;
    uint64_t *hs = malloc((n ? n : 1) * sizeof(*hs));
    int unique = slot && hs;
    keyset ks = {rs, cols, nc};
    for (size_t k = 0, row = 0; unique && k < dp_rowset_nchunks(rs); k++) {
        size_t size = dp_rowset_chunk_rows(rs, k);
        chunk_hashes(&ks, k, size, hs + row);
        for (size_t i = 0; unique && i < size; i++, row++) {
            uint64_t h = hs[row];
            size_t at = (size_t)(h ^ (h >> 31)) & (slots - 1);
            for (; slot[at]; at = (at + 1) & (slots - 1))
                if (hs[slot[at] - 1] == h && !key_cmp(&ks, slot[at] - 1, row)) {
                    unique = 0; /* two rows, one key */
                    break;
                }
            slot[at] = (uint32_t)row + 1;
        }
    }
    free(slot);
    free(hs);
    if (!unique)
        return 0; /* a copy: the rule's SQL lists the keys with their copies */
    json_object_set_new(rule, "result", dp_quality__result(dp_now_ms() - t0, 0, json_array()));
    return 1;
}

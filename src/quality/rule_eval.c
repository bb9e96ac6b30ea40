/* The rule evaluator's evaluation: a compiled condition on each row, with
 * three-valued logic, a chunk of the rowset at a time where the nodes
 * allow (comparisons on loaded vectors, NULL tests on validity masks,
 * hashed IN lists), row by row elsewhere. */
#include "quality/rule_eval_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- evaluating ---- */

/* A value node's value in row i of chunk k (a constant's own, a column's
 * read into *buf). */
static const dp_val *value(const node *n, const dp_rowset *rs, size_t k, size_t i, dp_val *buf)
{
    if (n->k == N_CONST)
        return &n->c;
    dp_rowset_get_at(rs, (size_t)n->col, k, i, buf);
    return buf;
}

int dp_rule__eval(const node *n, const dp_rowset *rs, size_t k, size_t i)
{
    dp_val ba, bb;
    const dp_val *a, *b;
    switch (n->k) {
    case N_CMP: {
        a = value(n->kids[0], rs, k, i, &ba);
        if (a->kind == DP_VAL_NULL)
            return T_NULL;
        b = value(n->kids[1], rs, k, i, &bb);
        if (b->kind == DP_VAL_NULL)
            return T_NULL;
        int c = dp_rule_eval_compare(a, b);
        static const int want[6][3] = {{0, 1, 0}, {1, 0, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};
        return want[n->op][c + 1];
    }
    case N_AND: {
        int any_null = 0;
        for (size_t j = 0; j < n->nkids; j++) {
            int t = dp_rule__eval(n->kids[j], rs, k, i);
            if (t == T_FALSE)
                return T_FALSE;
            any_null |= t == T_NULL;
        }
        return any_null ? T_NULL : T_TRUE;
    }
    case N_OR: {
        int any_null = 0;
        for (size_t j = 0; j < n->nkids; j++) {
            int t = dp_rule__eval(n->kids[j], rs, k, i);
            if (t == T_TRUE)
                return T_TRUE;
            any_null |= t == T_NULL;
        }
        return any_null ? T_NULL : T_FALSE;
    }
    case N_NOT: {
        int t = dp_rule__eval(n->kids[0], rs, k, i);
        return t == T_NULL ? T_NULL : !t;
    }
    case N_ISNULL:
    case N_NOTNULL:
        a = value(n->kids[0], rs, k, i, &ba);
        return (a->kind == DP_VAL_NULL) == (n->k == N_ISNULL);
    case N_IN:
    case N_NOTIN: {
        a = value(n->kids[0], rs, k, i, &ba);
        if (a->kind == DP_VAL_NULL)
            return T_NULL;
        int any_null = 0, found = 0, searched = 0; /* hashed or sorted lists hold no NULL */
        const dp_val *k1 = n->nkids > 1 ? &n->kids[1]->c : NULL;
        if (n->slots && a->kind == k1->kind && a->scale == k1->scale) { /* equal values hash alike */
            searched = 1;
            for (size_t at = (size_t)dp_rule__val_hash(a) & (n->nslots - 1); n->slots[at] && !found;
                 at = (at + 1) & (n->nslots - 1))
                found = dp_rule_eval_compare(a, n->slots[at]) == 0;
        } else if (n->op == 1) { /* sorted, no NULL */
            searched = 1;
            size_t lo = 1, hi = n->nkids;
            while (lo < hi && !found) {
                size_t mid = lo + (hi - lo) / 2;
                int c = dp_rule_eval_compare(a, &n->kids[mid]->c);
                found = c == 0;
                if (c < 0)
                    hi = mid;
                else
                    lo = mid + 1;
            }
        }
        for (size_t j = 1; !searched && j < n->nkids && !found; j++) {
            if (n->kids[j]->c.kind == DP_VAL_NULL)
                any_null = 1;
            else
                found = dp_rule_eval_compare(a, &n->kids[j]->c) == 0;
        }
        int t = found ? T_TRUE : any_null ? T_NULL : T_FALSE;
        return n->k == N_IN || t == T_NULL ? t : !t;
    }
    case N_BOOLVAL:
        a = value(n->kids[0], rs, k, i, &ba);
        return a->kind == DP_VAL_NULL ? T_NULL : a->u.b != 0;
    default:
        return T_NULL;
    }
}

/* ---- evaluating a chunk at a time ---- */

/* The domain a comparison's two sides meet in, as DuckDB casts them. */
enum { D_ROW, D_EXACT, D_DOUBLE, D_DAYS };

typedef struct vbuf {
    size_t cap;     /* rows of the largest chunk */
    uint8_t **tri;  /* [depth] three-valued results */
    dp_i128 *xi[2]; /* a comparison's sides */
    double *xd[2];
    int32_t *xdays[2];
} vbuf;

static int domain(const node *n)
{
    const node *a = n->kids[0], *b = n->kids[1];
    if (a->vk == DP_VAL_NULL || b->vk == DP_VAL_NULL)
        return D_ROW;
    if (a->vk == DP_VAL_EXACT && b->vk == DP_VAL_EXACT)
        return D_EXACT;
    if (dp_rule__family(a->vk) == 1 && dp_rule__family(b->vk) == 1)
        return D_DOUBLE;
    if (a->vk == DP_VAL_DATE && b->vk == DP_VAL_DATE)
        return D_DAYS;
    return D_ROW;
}

#define LOAD(T, EXPR)                                                                                                  \
    do {                                                                                                               \
        const T *d = data;                                                                                             \
        for (size_t i = 0; i < size; i++)                                                                              \
            EXPR;                                                                                                      \
    } while (0)

/* One side of a comparison in a chunk: a constant (in the domain's
 * numbers) or a column loaded into the vbuf's arrays (exact ones at the
 * comparison's scale), with its validity. */
typedef struct side {
    int is_const, is_null;
    dp_i128 ci;
    double cd;
    int32_t cdays;
    const uint64_t *valid;
} side;

static void load_side(vbuf *b, int s, const node *v, const dp_rowset *rs, size_t k, size_t size, int dom, int scale,
                      side *out)
{
    memset(out, 0, sizeof(*out));
    if (v->k == N_CONST) {
        const dp_val *c = &v->c;
        out->is_const = 1;
        if (dom == D_EXACT)
            out->ci = c->u.i * dp_rule__pow10(scale - c->scale);
        else if (dom == D_DOUBLE)
            out->cd = dp_rule__as_double(c);
        else
            out->cdays = c->u.days;
        return;
    }
    duckdb_type stored;
    const void *data = dp_rowset_data(rs, (size_t)v->col, k, &stored);
    out->valid = dp_rowset_validity(rs, (size_t)v->col, k);
    if (dom == D_DAYS) {
        LOAD(duckdb_date, b->xdays[s][i] = d[i].days);
        return;
    }
    if (stored == DUCKDB_TYPE_DOUBLE) { /* D_DOUBLE */
        LOAD(double, b->xd[s][i] = d[i]);
        return;
    }
    dp_i128 *xi = b->xi[s];
    switch (stored) {
    case DUCKDB_TYPE_TINYINT:
        LOAD(int8_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_SMALLINT:
        LOAD(int16_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_INTEGER:
        LOAD(int32_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_BIGINT:
        LOAD(int64_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_UTINYINT:
        LOAD(uint8_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_USMALLINT:
        LOAD(uint16_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_UINTEGER:
        LOAD(uint32_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_UBIGINT:
        LOAD(uint64_t, xi[i] = d[i]);
        break;
    case DUCKDB_TYPE_HUGEINT: /* a wide DECIMAL's storage too */
        LOAD(duckdb_hugeint, xi[i] = (dp_i128)(((dp_u128)(uint64_t)d[i].upper << 64) | d[i].lower));
        break;
    default:
        for (size_t i = 0; i < size; i++) {
            dp_val x;
            dp_rowset_get_at(rs, (size_t)v->col, k, i, &x);
            xi[i] = x.kind == DP_VAL_NULL ? 0 : x.u.i;
        }
        break;
    }
    if (dom == D_EXACT && scale > v->scale) {
        dp_i128 m = dp_rule__pow10(scale - v->scale);
        for (size_t i = 0; i < size; i++)
            xi[i] *= m;
    } else if (dom == D_DOUBLE) { /* an exact column against a double: cast as DuckDB casts it */
        double p = (double)dp_rule__pow10(v->scale);
        for (size_t i = 0; i < size; i++)
            b->xd[s][i] = v->scale ? (double)xi[i] / p : (double)xi[i];
    }
}

static const uint8_t want[6][3] = {{0, 1, 0}, {1, 0, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};

/* out[i] for x (the left value) against y, every row (a NULL row's value
 * is whatever its vector holds); null_out then makes those rows NULL. */
#define CMP_LOOP(X, Y, ORDER)                                                                                          \
    for (size_t i = 0; i < size; i++)                                                                                  \
        out[i] = w[ORDER(X, Y) + 1];

/* The rows where either validity mask says NULL set to T_NULL, 64 at a time. */
static void null_out(const uint64_t *va, const uint64_t *vb, size_t size, uint8_t *out)
{
    if (!va && !vb)
        return;
    for (size_t wd = 0; wd * 64 < size; wd++) {
        uint64_t m = (va ? va[wd] : ~0ull) & (vb ? vb[wd] : ~0ull);
        for (size_t i = wd * 64; m != ~0ull && i < size && i < wd * 64 + 64; i++)
            if (!((m >> (i & 63)) & 1))
                out[i] = T_NULL;
    }
}

#define ORDER_PLAIN(x, y) (((x) > (y)) - ((x) < (y)))
/* NaN equal to itself, above every number */
#define ORDER_DOUBLE(x, y) (isnan(x) || isnan(y) ? isnan(x) - isnan(y) : ORDER_PLAIN(x, y))
#define CMP_SIDES(ARR, CONST, ORDER)                                                                                   \
    do {                                                                                                               \
        if (sa.is_const)                                                                                               \
            CMP_LOOP(sa.CONST, b->ARR[1][i], ORDER)                                                                    \
        else if (sb.is_const)                                                                                          \
            CMP_LOOP(b->ARR[0][i], sb.CONST, ORDER)                                                                    \
        else                                                                                                           \
            CMP_LOOP(b->ARR[0][i], b->ARR[1][i], ORDER)                                                                \
    } while (0)

/* 1 when v's values at the comparison's scale are int64s as they stand: a
 * constant small enough, or a column of a signed type up to BIGINT (or an
 * unsigned one up to UINTEGER, a DECIMAL stored in one) at that scale. */
static int i64_side(const node *v, const dp_rowset *rs, size_t k, int scale)
{
    if (v->k == N_CONST)
        return v->c.u.i >= -(dp_i128)INT64_MAX && v->c.u.i <= (dp_i128)INT64_MAX &&
               dp_rule__digits(v->c.u.i) + (scale - v->c.scale) <= 18;
    duckdb_type st;
    dp_rowset_data(rs, (size_t)v->col, k, &st);
    return v->scale == scale && (st == DUCKDB_TYPE_TINYINT || st == DUCKDB_TYPE_SMALLINT || st == DUCKDB_TYPE_INTEGER ||
                                 st == DUCKDB_TYPE_BIGINT || st == DUCKDB_TYPE_UTINYINT ||
                                 st == DUCKDB_TYPE_USMALLINT || st == DUCKDB_TYPE_UINTEGER);
}

/* v's int64s in chunk k (a BIGINT vector as it is; another type widened
 * into buf), or NULL with *c the constant's. */
static const int64_t *i64_values(const node *v, const dp_rowset *rs, size_t k, size_t size, int scale, int64_t *buf,
                                 int64_t *c, const uint64_t **valid)
{
    *valid = NULL;
    if (v->k == N_CONST) {
        *c = (int64_t)(v->c.u.i * dp_rule__pow10(scale - v->c.scale));
        return NULL;
    }
    duckdb_type stored;
    const void *data = dp_rowset_data(rs, (size_t)v->col, k, &stored);
    *valid = dp_rowset_validity(rs, (size_t)v->col, k);
    switch (stored) {
    case DUCKDB_TYPE_BIGINT:
        return data;
    case DUCKDB_TYPE_TINYINT:
        LOAD(int8_t, buf[i] = d[i]);
        break;
    case DUCKDB_TYPE_SMALLINT:
        LOAD(int16_t, buf[i] = d[i]);
        break;
    case DUCKDB_TYPE_INTEGER:
        LOAD(int32_t, buf[i] = d[i]);
        break;
    case DUCKDB_TYPE_UTINYINT:
        LOAD(uint8_t, buf[i] = d[i]);
        break;
    case DUCKDB_TYPE_USMALLINT:
        LOAD(uint16_t, buf[i] = d[i]);
        break;
    default: /* UINTEGER, as i64_side allows */
        LOAD(uint32_t, buf[i] = d[i]);
        break;
    }
    return buf;
}

/* An exact comparison whose sides are all int64s: read in place. */
static void cmp_i64(const node *n, vbuf *b, const dp_rowset *rs, size_t k, size_t size, int scale, uint8_t *out)
{
    int64_t ca = 0, cb = 0;
    const uint64_t *va, *vb;
    const int64_t *pa = i64_values(n->kids[0], rs, k, size, scale, (int64_t *)(void *)b->xi[0], &ca, &va);
    const int64_t *pb = i64_values(n->kids[1], rs, k, size, scale, (int64_t *)(void *)b->xi[1], &cb, &vb);
    const uint8_t *w = want[n->op];
    if (pa && pb)
        CMP_LOOP(pa[i], pb[i], ORDER_PLAIN)
    else if (pa)
        CMP_LOOP(pa[i], cb, ORDER_PLAIN)
    else if (pb)
        CMP_LOOP(ca, pb[i], ORDER_PLAIN)
    else
        memset(out, w[ORDER_PLAIN(ca, cb) + 1], size);
    null_out(va, vb, size, out);
}

static void cmp_chunk(const node *n, vbuf *b, const dp_rowset *rs, size_t k, size_t size, uint8_t *out)
{
    int dom = domain(n);
    if (dom == D_ROW) {
        for (size_t i = 0; i < size; i++)
            out[i] = (uint8_t)dp_rule__eval(n, rs, k, i);
        return;
    }
    int scale = n->kids[0]->scale > n->kids[1]->scale ? n->kids[0]->scale : n->kids[1]->scale;
    if (dom == D_EXACT && i64_side(n->kids[0], rs, k, scale) && i64_side(n->kids[1], rs, k, scale)) {
        cmp_i64(n, b, rs, k, size, scale, out);
        return;
    }
    side sa, sb;
    load_side(b, 0, n->kids[0], rs, k, size, dom, scale, &sa);
    load_side(b, 1, n->kids[1], rs, k, size, dom, scale, &sb);
    const uint8_t *w = want[n->op];
    if (dom == D_EXACT)
        CMP_SIDES(xi, ci, ORDER_PLAIN);
    else if (dom == D_DAYS)
        CMP_SIDES(xdays, cdays, ORDER_PLAIN);
    else
        CMP_SIDES(xd, cd, ORDER_DOUBLE);
    null_out(sa.valid, sb.valid, size, out);
}

static const uint8_t and3[3][3] = {{0, 0, 0}, {0, 1, 2}, {0, 2, 2}};
static const uint8_t or3[3][3] = {{0, 1, 2}, {1, 1, 1}, {2, 1, 2}};

/* n over the size rows of chunk k into out (T_FALSE, T_TRUE, T_NULL). */
static void eval_chunk(const node *n, vbuf *b, int depth, const dp_rowset *rs, size_t k, size_t size, uint8_t *out)
{
    switch (n->k) {
    case N_CMP:
        cmp_chunk(n, b, rs, k, size, out);
        return;
    case N_AND:
    case N_OR: {
        uint8_t *t = b->tri[depth];
        const uint8_t(*op)[3] = n->k == N_AND ? and3 : or3;
        eval_chunk(n->kids[0], b, depth + 1, rs, k, size, out);
        for (size_t j = 1; j < n->nkids; j++) {
            eval_chunk(n->kids[j], b, depth + 1, rs, k, size, t);
            for (size_t i = 0; i < size; i++)
                out[i] = op[out[i]][t[i]];
        }
        return;
    }
    case N_NOT:
        eval_chunk(n->kids[0], b, depth + 1, rs, k, size, out);
        for (size_t i = 0; i < size; i++)
            out[i] = out[i] == T_NULL ? T_NULL : !out[i];
        return;
    case N_IN:
    case N_NOTIN:
        if (n->slots && n->kids[0]->k == N_COL && n->kids[0]->vk == DP_VAL_TEXT && n->kids[1]->c.kind == DP_VAL_TEXT) {
            /* a text column against a hashed list: the strings read in place */
            duckdb_type stored;
            const void *str = dp_rowset_data(rs, (size_t)n->kids[0]->col, k, &stored);
            const uint64_t *valid = dp_rowset_validity(rs, (size_t)n->kids[0]->col, k);
            for (size_t i = 0; i < size; i++) {
                if (!dp_rowset_valid_at(valid, i)) {
                    out[i] = T_NULL;
                    continue;
                }
                dp_val a;
                dp_rowset_text_at(str, i, &a);
                int found = 0;
                for (size_t at = (size_t)dp_rule__val_hash(&a) & (n->nslots - 1); n->slots[at] && !found;
                     at = (at + 1) & (n->nslots - 1))
                    found = n->slots[at]->u.s.n == a.u.s.n && !memcmp(n->slots[at]->u.s.p, a.u.s.p, a.u.s.n);
                out[i] = (uint8_t)(n->k == N_IN ? found : !found);
            }
            return;
        }
        break;
    case N_BOOLVAL:
        if (n->kids[0]->k == N_CONST) {
            const dp_val *c = &n->kids[0]->c;
            memset(out, c->kind == DP_VAL_NULL ? T_NULL : c->u.b != 0, size);
            return;
        }
        break;
    case N_ISNULL:
    case N_NOTNULL:
        if (n->kids[0]->k == N_COL) {
            const uint64_t *valid = dp_rowset_validity(rs, (size_t)n->kids[0]->col, k);
            int want_null = n->k == N_ISNULL;
            for (size_t i = 0; i < size; i++)
                out[i] = (uint8_t)((!dp_rowset_valid_at(valid, i)) == want_null);
            return;
        }
        break;
    default:
        break;
    }
    for (size_t i = 0; i < size; i++)
        out[i] = (uint8_t)dp_rule__eval(n, rs, k, i);
}

static int tree_depth(const node *n)
{
    int d = 0;
    for (size_t j = 0; j < n->nkids; j++) {
        int c = tree_depth(n->kids[j]);
        d = c > d ? c : d;
    }
    return d + 1;
}

long long dp_rule_eval_count(const dp_rule_eval *e, const dp_rowset *rs, size_t *first, size_t nmax, size_t *nfirst)
{
    *nfirst = 0;
    if (!e->rows)
        return dp_rule__eval(e->cond, rs, 0, 0) == T_TRUE; /* its constants hold the aggregates */
    vbuf b = {0};
    for (size_t k = 0; k < dp_rowset_nchunks(rs); k++)
        if (dp_rowset_chunk_rows(rs, k) > b.cap)
            b.cap = dp_rowset_chunk_rows(rs, k);
    int depth = tree_depth(e->cond) + 1;
    size_t cap = b.cap ? b.cap : 1;
    /* one block: the results of each level, then each side's numbers */
    size_t need = (size_t)depth * sizeof(uint8_t *) + (size_t)depth * cap +
                  2 * cap * (sizeof(dp_i128) + sizeof(double) + sizeof(int32_t)) + 64;
    char *block = malloc(need);
    long long n = 0;
    if (!block)
        return -1;
    b.tri = (uint8_t **)block;
    char *p = block + (size_t)depth * sizeof(uint8_t *);
    for (int d = 0; d < depth; d++, p += cap)
        b.tri[d] = (uint8_t *)p;
    p = block + ((size_t)(p - block) + 15) / 16 * 16;
    for (int s = 0; s < 2; s++) {
        b.xi[s] = (dp_i128 *)p;
        p += cap * sizeof(dp_i128);
        b.xd[s] = (double *)p;
        p += cap * sizeof(double);
        b.xdays[s] = (int32_t *)p;
        p += cap * sizeof(int32_t);
        p = block + ((size_t)(p - block) + 15) / 16 * 16;
    }
    uint8_t *out = b.tri[0];
    for (size_t k = 0, row = 0; k < dp_rowset_nchunks(rs); k++) {
        size_t size = dp_rowset_chunk_rows(rs, k);
        eval_chunk(e->cond, &b, 1, rs, k, size, out);
        for (size_t i = 0; i < size; i++, row++)
            if (out[i] == T_TRUE) {
                if (*nfirst < nmax)
                    first[(*nfirst)++] = row;
                n++;
            }
    }
    free(block);
    return n;
}

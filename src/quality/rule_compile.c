/* The rule evaluator's compiler: libpg_query parses the rule's SQL, and a
 * tree of nodes is built from the parts it knows (anything else: NULL, and
 * the SQL runs in DuckDB), constants folded (literals, CAST, date_trunc,
 * date arithmetic, comparisons of constants, HAVING's aggregates). */
#include "quality/rule_eval_int.h"
#include "sql/parse_kept.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static node *compile_bool(cctx *x, json_t *j, int depth);
static node *compile_value(cctx *x, json_t *j, int depth);
static int plain_select(json_t *sel);

static node *new_node(cctx *x, nkind k)
{
    if (++x->nodes > MAX_NODES)
        return NULL;
    node *n = dp_arena_alloc(x->a, sizeof(*n));
    if (n)
        n->k = k;
    return n;
}

/* The one key of a node object ("A_Expr") and its body. */
static const char *node_type(json_t *j, json_t **body)
{
    void *it = json_is_object(j) && json_object_size(j) == 1 ? json_object_iter(j) : NULL;
    if (!it)
        return NULL;
    *body = json_object_iter_value(it);
    return json_object_iter_key(it);
}

static const char *sval(json_t *j)
{
    json_t *b;
    const char *t = node_type(j, &b);
    return t && !strcmp(t, "String") ? json_string_value(json_object_get(b, "sval")) : NULL;
}

/* ---- compiling ---- */

static node *constant(cctx *x, dp_val v)
{
    node *n = new_node(x, N_CONST);
    if (!n)
        return NULL;
    n->c = v;
    n->vk = v.kind;
    n->scale = v.scale;
    n->digits = v.kind == DP_VAL_EXACT ? dp_rule__digits(v.u.i) : 0;
    return n;
}

/* A plain decimal literal ("-12.50") as an exact value; -1 for another
 * spelling (an exponent: DuckDB reads it as a DOUBLE). */
static int exact_literal(const char *s, dp_val *v)
{
    int neg = *s == '-', scale = 0, digits = 0, point = 0;
    dp_i128 i = 0;
    for (s += neg || *s == '+'; *s; s++) {
        if (*s == '.' && !point) {
            point = 1;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 18)
            return -1;
        i = i * 10 + (*s - '0');
        scale += point;
    }
    if (!digits)
        return -1;
    memset(v, 0, sizeof(*v));
    v->kind = DP_VAL_EXACT;
    v->u.i = neg ? -i : i;
    v->scale = scale;
    return 0;
}

static node *compile_const(cctx *x, json_t *b)
{
    dp_val v;
    memset(&v, 0, sizeof(v));
    json_t *f;
    if (json_is_true(json_object_get(b, "isnull")))
        return constant(x, v);
    if ((f = json_object_get(b, "ival"))) {
        v.kind = DP_VAL_EXACT;
        json_t *iv = json_object_get(f, "ival");
        if (iv) {
            v.u.i = json_integer_value(iv);
            return constant(x, v);
        }
        /* libpg_query's JSON leaves out 0 and every negative integer
         * ("-5" comes as {}): the literal is read back from the text */
        json_int_t at = json_integer_value(json_object_get(b, "location"));
        if (!json_is_integer(json_object_get(b, "location")) || at < 0 || (size_t)at >= strlen(x->sql))
            return NULL;
        const char *p = x->sql + at;
        int neg = *p == '-';
        for (p += neg; *p == ' ' || *p == '\t' || *p == '\n'; p++)
            ;
        if (*p < '0' || *p > '9')
            return NULL;
        for (int d = 0; *p >= '0' && *p <= '9'; p++, d++) {
            if (d >= 18)
                return NULL;
            v.u.i = v.u.i * 10 + (*p - '0');
        }
        if (*p == '.' || *p == 'e' || *p == 'E' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')
            return NULL;
        v.u.i = neg ? -v.u.i : v.u.i;
        return constant(x, v);
    }
    if ((f = json_object_get(b, "fval"))) {
        const char *s = json_string_value(json_object_get(f, "fval"));
        if (!s)
            return NULL;
        if (exact_literal(s, &v)) {
            char *end;
            v.kind = DP_VAL_DOUBLE;
            v.u.d = strtod(s, &end);
            if (*end)
                return NULL;
        }
        return constant(x, v);
    }
    if ((f = json_object_get(b, "boolval"))) {
        v.kind = DP_VAL_BOOL;
        v.u.b = json_is_true(json_object_get(f, "boolval"));
        return constant(x, v);
    }
    if ((f = json_object_get(b, "sval"))) {
        const char *s = json_string_value(json_object_get(f, "sval"));
        if (!s)
            s = "";
        v.kind = DP_VAL_TEXT;
        v.u.s.p = dp_arena_strdup(x->a, s);
        v.u.s.n = (uint32_t)strlen(s);
        return v.u.s.p ? constant(x, v) : NULL;
    }
    return NULL;
}

/* The type a TypeCast names ("date", "int8"), when it is one plain name. */
static const char *cast_type(json_t *tn)
{
    json_t *names = json_object_get(tn, "names");
    if (json_object_get(tn, "typmods") || json_object_get(tn, "arrayBounds") || !json_array_size(names))
        return NULL;
    size_t n = json_array_size(names);
    if (n == 2 && (!sval(json_array_get(names, 0)) || strcmp(sval(json_array_get(names, 0)), "pg_catalog")))
        return NULL;
    return n <= 2 ? sval(json_array_get(names, n - 1)) : NULL;
}

/* CAST of a constant to DATE or to an integer type: folded. */
static node *compile_cast(cctx *x, json_t *b, int depth)
{
    const char *to = cast_type(json_object_get(b, "typeName"));
    node *arg = to ? compile_value(x, json_object_get(b, "arg"), depth + 1) : NULL;
    if (!arg || arg->k != N_CONST)
        return NULL;
    dp_val v = arg->c;
    if (v.kind == DP_VAL_NULL)
        return arg;
    if (!strcmp(to, "date")) {
        if (v.kind == DP_VAL_DATE)
            return arg;
        if (v.kind != DP_VAL_TEXT || dp_rule__parse_date(v.u.s.p, &v.u.days))
            return NULL;
        memset(&v.u, 0, sizeof(v.u));
        dp_rule__parse_date(arg->c.u.s.p, &v.u.days);
        v.kind = DP_VAL_DATE;
        return constant(x, v);
    }
    static const struct {
        const char *name;
        int bits;
    } ints[] = {{"int2", 16}, {"int4", 32}, {"int8", 64}, {"smallint", 16}, {"integer", 32}, {"bigint", 64}};
    for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
        if (!strcmp(to, ints[i].name)) {
            dp_i128 lim = (dp_i128)1 << (ints[i].bits - 1);
            if (v.kind != DP_VAL_EXACT || v.scale || v.u.i < -lim || v.u.i >= lim)
                return NULL;
            return arg;
        }
    return NULL;
}

static node *compile_column(cctx *x, json_t *b)
{
    json_t *fields = json_object_get(b, "fields");
    size_t n = json_array_size(fields);
    if (x->aggregate || n < 1 || n > 2)
        return NULL;
    if (n == 2) {
        const char *q = sval(json_array_get(fields, 0));
        if (!q || strcasecmp(q, x->qual))
            return NULL;
    }
    const char *name = sval(json_array_get(fields, n - 1));
    int c = name ? dp_rowset_find(x->rs, name) : -1;
    /* a FLOAT is compared as DuckDB casts the other side to FLOAT: not here */
    if (c < 0 || !strcmp(dp_rowset_type(x->rs, (size_t)c), "FLOAT"))
        return NULL;
    node *nd = new_node(x, N_COL);
    if (!nd)
        return NULL;
    nd->col = c;
    nd->vk = dp_rowset_kind(x->rs, (size_t)c);
    nd->digits = dp_rowset_digits(x->rs, (size_t)c);
    nd->scale = dp_rowset_scale(x->rs, (size_t)c);
    return nd;
}

/* count(*), min(col), max(col) over every row: a constant of the HAVING. */
static node *compile_aggregate(cctx *x, json_t *b)
{
    json_t *fn = json_object_get(b, "funcname");
    const char *name = json_array_size(fn) == 1 ? sval(json_array_get(fn, 0)) : NULL;
    static const char *refused[] = {"agg_filter", "over",          "agg_distinct",
                                    "agg_order",  "func_variadic", "agg_within_group"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
        if (json_object_get(b, refused[i]))
            return NULL;
    if (!x->aggregate || !name)
        return NULL;
    json_t *args = json_object_get(b, "args");
    dp_val v;
    memset(&v, 0, sizeof(v));
    size_t rows = dp_rowset_rows(x->rs);
    if (!strcasecmp(name, "count") && json_is_true(json_object_get(b, "agg_star")) && !json_array_size(args)) {
        v.kind = DP_VAL_EXACT;
        v.u.i = (dp_i128)rows;
        return constant(x, v);
    }
    int is_max = !strcasecmp(name, "max");
    if ((!is_max && strcasecmp(name, "min")) || json_array_size(args) != 1)
        return NULL;
    json_t *cb;
    const char *t = node_type(json_array_get(args, 0), &cb);
    if (!t || strcmp(t, "ColumnRef"))
        return NULL;
    x->aggregate = 0;
    node *col = compile_column(x, cb);
    x->aggregate = 1;
    if (!col || col->vk == DP_VAL_BOOL)
        return NULL;
    if (col->vk == DP_VAL_DATE) { /* the days themselves, a chunk at a time */
        int32_t best = 0;
        int any = 0;
        for (size_t k = 0; k < dp_rowset_nchunks(x->rs); k++) {
            duckdb_type stored;
            const duckdb_date *d = dp_rowset_data(x->rs, (size_t)col->col, k, &stored);
            const uint64_t *valid = dp_rowset_validity(x->rs, (size_t)col->col, k);
            for (size_t i = 0, size = dp_rowset_chunk_rows(x->rs, k); i < size; i++)
                if (!valid || duckdb_validity_row_is_valid((uint64_t *)valid, i))
                    if (!any++ || (is_max ? d[i].days > best : d[i].days < best))
                        best = d[i].days;
        }
        if (any) {
            v.kind = DP_VAL_DATE;
            v.u.days = best;
        }
    }
    for (size_t k = 0; col->vk != DP_VAL_DATE && k < dp_rowset_nchunks(x->rs); k++)
        for (size_t i = 0, size = dp_rowset_chunk_rows(x->rs, k); i < size; i++) {
            dp_val cur;
            dp_rowset_get_at(x->rs, (size_t)col->col, k, i, &cur);
            if (cur.kind == DP_VAL_NULL)
                continue;
            int c = v.kind == DP_VAL_NULL ? 0 : dp_rule_eval_compare(&cur, &v);
            if (v.kind == DP_VAL_NULL || (is_max ? c > 0 : c < 0))
                v = cur;
        }
    if (v.kind == DP_VAL_TEXT) { /* the rowset outlives the compile, but keep the constant self-contained */
        char *p = dp_arena_strndup(x->a, v.u.s.p, v.u.s.n);
        if (!p)
            return NULL;
        v.u.s.p = p;
    }
    node *n = constant(x, v);
    if (n && v.kind == DP_VAL_NULL) { /* a NULL of the column's kind */
        n->vk = col->vk;
        n->digits = col->digits;
        n->scale = col->scale;
    }
    if (n && v.kind == DP_VAL_EXACT)
        n->digits = col->digits;
    return n;
}

static node *compile_func(cctx *x, json_t *b, int depth)
{
    json_t *fn = json_object_get(b, "funcname");
    const char *name = json_array_size(fn) == 1 ? sval(json_array_get(fn, 0)) : NULL;
    if (!name || strcasecmp(name, "date_trunc"))
        return compile_aggregate(x, b);
    json_t *args = json_object_get(b, "args");
    if (json_array_size(args) != 2 || json_object_size(b) > 4)
        return NULL;
    node *part = compile_value(x, json_array_get(args, 0), depth + 1);
    node *day = part ? compile_value(x, json_array_get(args, 1), depth + 1) : NULL;
    if (!day || part->k != N_CONST || part->c.kind != DP_VAL_TEXT || day->k != N_CONST || day->c.kind != DP_VAL_DATE)
        return NULL;
    dp_val v = day->c;
    if (dp_rule__trunc_date(part->c.u.s.p, day->c.u.days, &v.u.days))
        return NULL;
    return constant(x, v);
}

/* date +/- integer, both constants. */
static node *compile_arith(cctx *x, const char *op, json_t *b, int depth)
{
    node *l = compile_value(x, json_object_get(b, "lexpr"), depth + 1);
    node *r = l ? compile_value(x, json_object_get(b, "rexpr"), depth + 1) : NULL;
    if (!r || l->k != N_CONST || r->k != N_CONST || l->c.kind != DP_VAL_DATE || r->c.kind != DP_VAL_EXACT ||
        r->c.scale || r->c.u.i > 100000000 || r->c.u.i < -100000000)
        return NULL;
    dp_val v = l->c;
    v.u.days += (int32_t)(*op == '+' ? r->c.u.i : -r->c.u.i);
    return constant(x, v);
}

static node *compile_value(cctx *x, json_t *j, int depth)
{
    json_t *b;
    const char *t = depth < MAX_DEPTH ? node_type(j, &b) : NULL;
    if (!t)
        return NULL;
    if (!strcmp(t, "ColumnRef"))
        return compile_column(x, b);
    if (!strcmp(t, "A_Const"))
        return compile_const(x, b);
    if (!strcmp(t, "TypeCast"))
        return compile_cast(x, b, depth);
    if (!strcmp(t, "FuncCall"))
        return compile_func(x, b, depth);
    const char *kind = json_string_value(json_object_get(b, "kind"));
    if (!strcmp(t, "A_Expr") && kind && !strcmp(kind, "AEXPR_OP")) {
        json_t *name = json_object_get(b, "name");
        const char *op = json_array_size(name) == 1 ? sval(json_array_get(name, 0)) : NULL;
        if (op && (!strcmp(op, "+") || !strcmp(op, "-")))
            return compile_arith(x, op, b, depth);
    }
    return NULL;
}

static int const_order(const void *a, const void *b)
{
    return dp_rule_eval_compare(&(*(node *const *)a)->c, &(*(node *const *)b)->c);
}

/* A long IN list of one kind (one scale) sorted, for a binary search
 * (n->op 1); a short or mixed one stays as written. */

static void sort_list(cctx *x, node *n)
{
    if (n->nkids < 10)
        return;
    const dp_val *first = &n->kids[1]->c;
    for (size_t j = 1; j < n->nkids; j++) {
        const dp_val *c = &n->kids[j]->c;
        if (c->kind == DP_VAL_NULL || c->kind != first->kind || c->scale != first->scale ||
            (c->kind == DP_VAL_DOUBLE && isnan(c->u.d)))
            return;
    }
    /* hashed when the value tested is of the list's kind and scale; else
     * sorted for a binary search */
    const node *l = n->kids[0];
    int hashed = (first->kind == DP_VAL_TEXT || first->kind == DP_VAL_EXACT || first->kind == DP_VAL_DATE) &&
                 l->vk == first->kind && l->scale == first->scale;
    if (!hashed) {
        qsort(n->kids + 1, n->nkids - 1, sizeof(*n->kids), const_order);
        n->op = 1;
        return;
    }
    size_t ns = 16;
    while (ns < 2 * n->nkids)
        ns *= 2;
    n->slots = dp_arena_calloc(x->a, ns, sizeof(*n->slots));
    if (!n->slots)
        return;
    n->nslots = ns;
    for (size_t j = 1; j < n->nkids; j++) {
        size_t at = (size_t)dp_rule__val_hash(&n->kids[j]->c) & (ns - 1);
        while (n->slots[at])
            at = (at + 1) & (ns - 1);
        n->slots[at] = &n->kids[j]->c;
    }
}

static int cmp_op(const char *op)
{
    static const char *ops[] = {"=", "<>", "<", "<=", ">", ">="};
    for (int i = 0; i < 6; i++)
        if (!strcmp(op, ops[i]))
            return i;
    return !strcmp(op, "!=") ? OP_NE : -1;
}

static node *compile_aexpr(cctx *x, json_t *b, int depth)
{
    const char *kind = json_string_value(json_object_get(b, "kind"));
    json_t *name = json_object_get(b, "name");
    const char *op = json_array_size(name) == 1 ? sval(json_array_get(name, 0)) : NULL;
    if (!kind || !op)
        return NULL;
    node *l = compile_value(x, json_object_get(b, "lexpr"), depth + 1);
    if (!l)
        return NULL;
    if (!strcmp(kind, "AEXPR_OP")) {
        int o = cmp_op(op);
        node *r = o >= 0 ? compile_value(x, json_object_get(b, "rexpr"), depth + 1) : NULL;
        node *n = r && dp_rule__comparable(l, r) ? new_node(x, N_CMP) : NULL;
        if (!n)
            return NULL;
        n->op = o;
        n->kids = dp_arena_calloc(x->a, 2, sizeof(*n->kids));
        if (!n->kids)
            return NULL;
        n->kids[0] = l;
        n->kids[1] = r;
        n->nkids = 2;
        if (l->k == N_CONST && r->k == N_CONST) { /* decided now: a boolean constant */
            int t = dp_rule__eval(n, x->rs, 0, 0);
            dp_val v;
            memset(&v, 0, sizeof(v));
            if (t != T_NULL) {
                v.kind = DP_VAL_BOOL;
                v.u.b = t;
            }
            node *c = constant(x, v), *bv = c ? new_node(x, N_BOOLVAL) : NULL;
            if (!bv || !(bv->kids = dp_arena_calloc(x->a, 1, sizeof(*bv->kids))))
                return NULL;
            bv->kids[0] = c;
            bv->nkids = 1;
            return bv;
        }
        return n;
    }
    if (!strcmp(kind, "AEXPR_IN") && (!strcmp(op, "=") || !strcmp(op, "<>"))) {
        json_t *items = json_object_get(json_object_get(json_object_get(b, "rexpr"), "List"), "items");
        size_t ni = json_array_size(items);
        node *n = ni ? new_node(x, *op == '=' ? N_IN : N_NOTIN) : NULL;
        if (!n || !(n->kids = dp_arena_calloc(x->a, ni + 1, sizeof(*n->kids))))
            return NULL;
        n->kids[0] = l;
        for (size_t i = 0; i < ni; i++) {
            node *c = compile_value(x, json_array_get(items, i), depth + 1);
            if (!c || c->k != N_CONST || !dp_rule__comparable(l, c))
                return NULL;
            n->kids[i + 1] = c;
        }
        n->nkids = ni + 1;
        sort_list(x, n);
        return n;
    }
    return NULL;
}

/* A value DuckDB writes as text (typeof type) as the constant it is: an
 * integer, a VARCHAR, a DATE; -1 for another type. */
static int typed_value(cctx *x, const char *type, const char *text, dp_val *v)
{
    static const char *ints[] = {"TINYINT",  "SMALLINT",  "INTEGER",  "BIGINT", "HUGEINT",
                                 "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"};
    memset(v, 0, sizeof(*v));
    for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
        if (!strcmp(type, ints[i])) {
            const char *p = text + (*text == '-');
            dp_i128 n = 0;
            if (!*p || strlen(p) > 38)
                return -1;
            for (; *p; p++) {
                if (*p < '0' || *p > '9')
                    return -1;
                n = n * 10 + (*p - '0');
            }
            v->kind = DP_VAL_EXACT;
            v->u.i = *text == '-' ? -n : n;
            return 0;
        }
    if (!strcmp(type, "VARCHAR")) {
        v->kind = DP_VAL_TEXT;
        v->u.s.p = text;
        v->u.s.n = (uint32_t)strlen(text);
        return 0;
    }
    if (!strcmp(type, "DATE") && !dp_rule__parse_date(text, &v->u.days)) {
        v->kind = DP_VAL_DATE;
        return 0;
    }
    (void)x;
    return -1;
}

/* The source column "SELECT e.c FROM s.t AS e WHERE e.c IS NOT NULL" reads
 * (schema, table, column into the out names); 0 when it is that. */
static int source_column(json_t *sel, const char **schema, const char **table, const char **column)
{
    json_t *from = json_object_get(sel, "fromClause"), *rb, *tb, *cb, *nb;
    const char *t = json_array_size(from) == 1 ? node_type(json_array_get(from, 0), &rb) : NULL;
    if (!plain_select(sel) || json_object_get(sel, "havingClause"))
        return -1;
    if (!t || strcmp(t, "RangeVar") || json_object_get(rb, "catalogname") ||
        json_object_get(json_object_get(rb, "alias"), "colnames"))
        return -1;
    *schema = json_string_value(json_object_get(rb, "schemaname"));
    *table = json_string_value(json_object_get(rb, "relname"));
    const char *alias = json_string_value(json_object_get(json_object_get(rb, "alias"), "aliasname"));
    json_t *tl = json_object_get(sel, "targetList");
    const char *tt = json_array_size(tl) == 1 ? node_type(json_array_get(tl, 0), &tb) : NULL;
    if (!*schema || !*table || !tt || strcmp(tt, "ResTarget") || json_object_get(tb, "indirection"))
        return -1;
    /* e.c, or c: the column the target and the NULL test name alike */
    const char *c1 = NULL, *c2 = NULL;
    json_t *cols[2] = {json_object_get(tb, "val"), NULL};
    const char *nt = node_type(json_object_get(sel, "whereClause"), &nb);
    if (!nt || strcmp(nt, "NullTest") ||
        strcmp(json_string_value(json_object_get(nb, "nulltesttype"))
                   ? json_string_value(json_object_get(nb, "nulltesttype"))
                   : "",
               "IS_NOT_NULL") ||
        json_is_true(json_object_get(nb, "argisrow")))
        return -1;
    cols[1] = json_object_get(nb, "arg");
    for (int i = 0; i < 2; i++) {
        const char *ct = node_type(cols[i], &cb);
        json_t *f = ct && !strcmp(ct, "ColumnRef") ? json_object_get(cb, "fields") : NULL;
        size_t n = json_array_size(f);
        if (n < 1 || n > 2 ||
            (n == 2 && (!sval(json_array_get(f, 0)) || !alias || strcmp(sval(json_array_get(f, 0)), alias))))
            return -1;
        *(i ? &c2 : &c1) = sval(json_array_get(f, n - 1));
    }
    if (!c1 || !c2 || strcmp(c1, c2))
        return -1;
    *column = c1;
    return 0;
}

/* x IN (subquery on a source column): the list of its values. */
static node *compile_sublink(cctx *x, json_t *b, int depth)
{
    const char *type = json_string_value(json_object_get(b, "subLinkType")), *schema, *table, *column, *vt;
    json_t *op = json_object_get(b, "operName");
    if (!x->values || !type || strcmp(type, "ANY_SUBLINK") ||
        (op && !(json_array_size(op) == 1 && sval(json_array_get(op, 0)) && !strcmp(sval(json_array_get(op, 0)), "="))))
        return NULL;
    json_t *sel = json_object_get(json_object_get(b, "subselect"), "SelectStmt");
    if (!sel || source_column(sel, &schema, &table, &column))
        return NULL;
    node *l = compile_value(x, json_object_get(b, "testexpr"), depth + 1);
    const char **vals;
    /* a long list for a short result: the anti join in SQL costs less
     * than compiling the list; with keys and rows alike (200,000 keys,
     * 195,000 rows) the list took 39 ms, the table and SQL 116 ms. So at
     * most twice the rows (and 10,000 whatever the rows), refused before
     * any is copied */
    size_t rows2 = 2 * dp_rowset_rows(x->rs);
    long max = rows2 < 10000 ? 10000 : rows2 > 1000000 ? 1000000 : (long)rows2;
    long nv = l ? x->values(x->payload, schema, table, column, max, &vals, &vt) : -1;
    if (nv < 0 || nv > max)
        return NULL;
    node *n = new_node(x, N_IN);
    if (!n || !(n->kids = dp_arena_calloc(x->a, (size_t)nv + 1, sizeof(*n->kids))))
        return NULL;
    n->kids[0] = l;
    for (long i = 0; i < nv; i++) {
        dp_val v;
        node *c = typed_value(x, vt, vals[i], &v) ? NULL : dp_arena_alloc(x->a, sizeof(*c));
        if (!c)
            return NULL;
        c->k = N_CONST;
        c->c = v;
        c->vk = v.kind;
        c->digits = v.kind == DP_VAL_EXACT ? dp_rule__digits(v.u.i) : 0;
        if (!dp_rule__comparable(l, c))
            return NULL;
        n->kids[i + 1] = c;
    }
    n->nkids = (size_t)nv + 1;
    sort_list(x, n);
    return n;
}

static node *compile_bool(cctx *x, json_t *j, int depth)
{
    json_t *b;
    const char *t = depth < MAX_DEPTH ? node_type(j, &b) : NULL;
    if (!t)
        return NULL;
    if (!strcmp(t, "SubLink"))
        return compile_sublink(x, b, depth);
    if (!strcmp(t, "BoolExpr")) {
        const char *op = json_string_value(json_object_get(b, "boolop"));
        json_t *args = json_object_get(b, "args");
        size_t na = json_array_size(args);
        nkind k = !op                       ? N_CONST
                  : !strcmp(op, "AND_EXPR") ? N_AND
                  : !strcmp(op, "OR_EXPR")  ? N_OR
                  : !strcmp(op, "NOT_EXPR") ? N_NOT
                                            : N_CONST;
        if (k == N_CONST || !na || (k == N_NOT && na != 1))
            return NULL;
        node *n = new_node(x, k);
        if (!n || !(n->kids = dp_arena_calloc(x->a, na, sizeof(*n->kids))))
            return NULL;
        for (size_t i = 0; i < na; i++)
            if (!(n->kids[i] = compile_bool(x, json_array_get(args, i), depth + 1)))
                return NULL;
        n->nkids = na;
        return n;
    }
    if (!strcmp(t, "NullTest")) {
        const char *nt = json_string_value(json_object_get(b, "nulltesttype"));
        node *arg = nt && !json_is_true(json_object_get(b, "argisrow"))
                        ? compile_value(x, json_object_get(b, "arg"), depth + 1)
                        : NULL;
        node *n = arg ? new_node(x, !strcmp(nt, "IS_NULL") ? N_ISNULL : N_NOTNULL) : NULL;
        if (!n || !(n->kids = dp_arena_calloc(x->a, 1, sizeof(*n->kids))))
            return NULL;
        n->kids[0] = arg;
        n->nkids = 1;
        return n;
    }
    if (!strcmp(t, "A_Expr"))
        return compile_aexpr(x, b, depth);
    /* a boolean column or literal as the condition itself */
    node *v = compile_value(x, j, depth);
    if (!v || (v->vk != DP_VAL_BOOL && !(v->k == N_CONST && v->c.kind == DP_VAL_NULL)))
        return NULL;
    node *n = new_node(x, N_BOOLVAL);
    if (!n || !(n->kids = dp_arena_calloc(x->a, 1, sizeof(*n->kids))))
        return NULL;
    n->kids[0] = v;
    n->nkids = 1;
    return n;
}

/* ---- the statement's shape ---- */

/* The SELECT's one FROM item: table itself (unqualified), its alias or
 * the table's name into *qual; 0 when it is. */
static int from_table(json_t *sel, const char *table, const char **qual)
{
    json_t *from = json_object_get(sel, "fromClause"), *b;
    const char *t = json_array_size(from) == 1 ? node_type(json_array_get(from, 0), &b) : NULL;
    if (!t || strcmp(t, "RangeVar") || json_object_get(b, "schemaname") || json_object_get(b, "catalogname"))
        return -1;
    const char *rel = json_string_value(json_object_get(b, "relname"));
    if (!rel || strcasecmp(rel, table))
        return -1;
    json_t *alias = json_object_get(b, "alias");
    if (json_object_get(alias, "colnames"))
        return -1;
    const char *an = json_string_value(json_object_get(alias, "aliasname"));
    *qual = an ? an : rel;
    return 0;
}

/* Keys a SELECT of either shape may have (beside the clauses it needs). */
static int plain_select(json_t *sel)
{
    static const char *ok[] = {"targetList", "fromClause", "whereClause", "havingClause", "limitOption", "op"};
    const char *key;
    json_t *v;
    json_object_foreach(sel, key, v) {
        int known = 0;
        for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
            known |= !strcmp(key, ok[i]);
        if (!known)
            return 0;
    }
    const char *op = json_string_value(json_object_get(sel, "op"));
    const char *lim = json_string_value(json_object_get(sel, "limitOption"));
    return (!op || !strcmp(op, "SETOP_NONE")) && (!lim || !strcmp(lim, "LIMIT_OPTION_DEFAULT"));
}

/* The target list is one star ("*" or "qual.*"). */
static int star_target(json_t *sel, const char *qual)
{
    json_t *tl = json_object_get(sel, "targetList"), *b, *cb;
    const char *t = json_array_size(tl) == 1 ? node_type(json_array_get(tl, 0), &b) : NULL;
    if (!t || strcmp(t, "ResTarget") || json_object_get(b, "name") || json_object_get(b, "indirection"))
        return 0;
    const char *ct = node_type(json_object_get(b, "val"), &cb);
    json_t *fields = ct && !strcmp(ct, "ColumnRef") ? json_object_get(cb, "fields") : NULL;
    size_t n = json_array_size(fields);
    json_t *last = n ? json_array_get(fields, n - 1) : NULL, *lb;
    const char *lt = last ? node_type(last, &lb) : NULL;
    if (!lt || strcmp(lt, "A_Star"))
        return 0;
    return n == 1 || (n == 2 && sval(json_array_get(fields, 0)) && !strcasecmp(sval(json_array_get(fields, 0)), qual));
}

/* The target list is one aggregate this computes, named. */
static int aggregate_target(cctx *x, json_t *sel)
{
    json_t *tl = json_object_get(sel, "targetList"), *b, *fb;
    const char *t = json_array_size(tl) == 1 ? node_type(json_array_get(tl, 0), &b) : NULL;
    if (!t || strcmp(t, "ResTarget") || !json_object_get(b, "name") || json_object_get(b, "indirection"))
        return 0;
    const char *ft = node_type(json_object_get(b, "val"), &fb);
    return ft && !strcmp(ft, "FuncCall") && compile_aggregate(x, fb) != NULL;
}

/* One parsed statement (sel) compiled; x->sql is the text it was parsed
 * from. */
/* "SELECT <literal> AS name WHERE NOT EXISTS (SELECT <literal> FROM
 * table)": one failing row when the table has none; the condition (no
 * rows) is a constant of the rowset. */
static node *empty_table(cctx *x, json_t *sel, const char *table)
{
    json_t *tl = json_object_get(sel, "targetList"), *b, *nb, *sb, *vb;
    const char *t = json_array_size(tl) == 1 ? node_type(json_array_get(tl, 0), &b) : NULL;
    if (!t || strcmp(t, "ResTarget") || !json_object_get(b, "name") || json_object_get(b, "indirection") ||
        json_object_get(sel, "fromClause") || json_object_get(sel, "havingClause"))
        return NULL;
    const char *vt = node_type(json_object_get(b, "val"), &vb);
    const char *nt = node_type(json_object_get(sel, "whereClause"), &nb);
    json_t *args = nt && !strcmp(nt, "BoolExpr") ? json_object_get(nb, "args") : NULL;
    const char *op = nt ? json_string_value(json_object_get(nb, "boolop")) : NULL;
    const char *st = json_array_size(args) == 1 ? node_type(json_array_get(args, 0), &sb) : NULL;
    const char *kind = st ? json_string_value(json_object_get(sb, "subLinkType")) : NULL;
    json_t *sub = st && !strcmp(st, "SubLink") ? json_object_get(json_object_get(sb, "subselect"), "SelectStmt") : NULL;
    const char *qual;
    if (!vt || strcmp(vt, "A_Const") || !op || strcmp(op, "NOT_EXPR") || !kind || strcmp(kind, "EXISTS_SUBLINK") ||
        !sub || !plain_select(sub) || json_object_get(sub, "whereClause") || json_object_get(sub, "havingClause") ||
        from_table(sub, table, &qual))
        return NULL;
    json_t *stl = json_object_get(sub, "targetList"), *rb;
    const char *rt = json_array_size(stl) == 1 ? node_type(json_array_get(stl, 0), &rb) : NULL;
    const char *rvt = rt && !strcmp(rt, "ResTarget") ? node_type(json_object_get(rb, "val"), &vb) : NULL;
    if (!rvt || strcmp(rvt, "A_Const"))
        return NULL;
    dp_val v;
    memset(&v, 0, sizeof(v));
    v.kind = DP_VAL_BOOL;
    v.u.b = dp_rowset_rows(x->rs) == 0;
    node *c = constant(x, v), *n = c ? new_node(x, N_BOOLVAL) : NULL;
    if (!n || !(n->kids = dp_arena_calloc(x->a, 1, sizeof(*n->kids))))
        return NULL;
    n->kids[0] = c;
    n->nkids = 1;
    return n;
}

static dp_rule_eval *compile_select(cctx *x, json_t *sel, const char *table)
{
    node *empty = sel && plain_select(sel) ? empty_table(x, sel, table) : NULL;
    if (empty) { /* the whole-table form: its one row is its literal's */
        dp_rule_eval *e = dp_arena_alloc(x->a, sizeof(*e));
        if (e)
            e->cond = empty;
        return e;
    }
    if (!sel || !plain_select(sel) || from_table(sel, table, &x->qual))
        return NULL;
    json_t *where = json_object_get(sel, "whereClause"), *having = json_object_get(sel, "havingClause");
    node *cond = NULL;
    int rows = 0;
    if (where && !having && star_target(sel, x->qual)) {
        cond = compile_bool(x, where, 0);
        rows = 1;
    } else if (having && !where) {
        x->aggregate = 1;
        if (aggregate_target(x, sel))
            cond = compile_bool(x, having, 0);
    }
    dp_rule_eval *e = cond ? dp_arena_alloc(x->a, sizeof(*e)) : NULL;
    if (e) {
        e->cond = cond;
        e->rows = rows;
    }
    return e;
}

/* The statements of text parsed by PostgreSQL's grammar (NULL when it does
 * not parse); the tree to free in *tree. */
static json_t *parse(const char *text, json_t **tree)
{
    PgQueryParseResult pr = pg_query_parse(text);
    *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
    pg_query_free_parse_result(pr);
    return json_object_get(*tree, "stmts");
}

static json_t *select_of(json_t *stmts, size_t i)
{
    return json_object_get(json_object_get(json_array_get(stmts, i), "stmt"), "SelectStmt");
}

dp_rule_eval *dp_rule_eval_compile(const char *sql, const char *table, const dp_rowset *rs, dp_rule_values_fn values,
                                   void *payload, dp_arena *a)
{
    if (!sql || !table || !rs || strlen(sql) > 65536)
        return NULL;
    json_t *tree, *stmts = parse(sql, &tree);
    cctx x = {rs, values, payload, a, sql, NULL, 0, 0};
    dp_rule_eval *e = json_array_size(stmts) == 1 ? compile_select(&x, select_of(stmts, 0), table) : NULL;
    json_decref(tree);
    return e;
}

/* The run's own name for the table (dp_result_<run id>) as one of the
 * same length every run spells alike, so the rules' text, and its parse
 * tree in the memo, are the same from run to run (the trees' locations
 * still point at the same characters). Occurrences are whole identifiers;
 * n bytes of out. */
static void same_name(const char *table, char *out, size_t n)
{
    static const char pat[] = "zz_dp_rule_table_";
    size_t l = strlen(table);
    if (l < 8) { /* a short name is kept: a short stand-in could be another name of the rules */
        snprintf(out, n, "%s", table);
        return;
    }
    for (size_t i = 0; i < l && i + 1 < n; i++)
        out[i] = i + 1 == l ? 'z' : pat[i % (sizeof(pat) - 1)];
    out[l < n ? l : n - 1] = 0;
}

static int ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }

/* sql appended at p with table's occurrences spelled as name; p after. */
static char *put_renamed(char *p, const char *sql, const char *table, const char *name)
{
    size_t tl = strlen(table);
    for (const char *s = sql; *s;) {
        if (tl && !strncmp(s, table, tl) && (s == sql || !ident_char(s[-1])) && !ident_char(s[tl])) {
            memcpy(p, name, tl);
            p += tl;
            s += tl;
        } else {
            *p++ = *s++;
        }
    }
    return p;
}

size_t dp_rule_eval_compile_all(const char *const *sqls, size_t n, const char *table, const dp_rowset *rs,
                                dp_rule_values_fn values, void *payload, dp_json_memo *memo, dp_arena *a,
                                dp_rule_eval **out)
{
    size_t len = 1, got = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        if (!sqls[i] || strlen(sqls[i]) > 65536)
            return 0;
        len += strlen(sqls[i]) + 2;
    }
    if (!n || !table || !rs || strlen(table) >= 256)
        return 0;
    char name[256];
    same_name(table, name, sizeof(name));
    char *text = dp_arena_alloc(a, len), *p = text;
    if (!text)
        return 0;
    for (size_t i = 0; i < n; i++) {
        p = put_renamed(p, sqls[i], table, name);
        *p++ = ';';
        *p++ = '\n';
    }
    *p = 0;
    /* one parse for them all (kept for the next run); a text that splits
     * otherwise (a ';' of its own) is parsed alone */
    json_t *tree = dp_sql_parse_kept(memo, text), *stmts = json_object_get(tree, "stmts");
    int together = json_array_size(stmts) == n;
    for (size_t i = 0; i < n; i++) {
        cctx x = {rs, values, payload, a, text, NULL, 0, 0};
        out[i] = together ? compile_select(&x, select_of(stmts, i), name)
                          : dp_rule_eval_compile(sqls[i], table, rs, values, payload, a);
        got += out[i] != NULL;
    }
    json_decref(tree);
    return got;
}

int dp_rule_eval_row_form(const dp_rule_eval *e) { return e->rows; }

/* dbt saved_queries (a named request of the project: metrics, group_by,
 * where, order_by, limit, exports) -> kg->saved; compiled by the
 * orchestrator (saved_query.c), which checks the names they use. */
#include "catalog/load.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 256 /* entries of one list of a saved query */

static int fail_at(dp_error *err, const dp_node *n, const char *what, const char *name)
{
    return dp_error_set(err, DP_EINVALID, "%s:%d:%d: saved query '%s': %s", n->file, n->line, n->col,
                        name ? name : "?", what);
}

/* A list of text (or one text) -> arena strings; 0 or an error. */
static int texts(dp_kg *kg, const dp_node *n, const char ***out, size_t *nout, const char *name, const char *key,
                 dp_error *err)
{
    *out = NULL;
    *nout = 0;
    if (!n || dp_node_is_null(n))
        return 0;
    if (n->kind == DP_NODE_SCALAR) {
        const char **one = dp_arena_calloc(kg->arena, 1, sizeof(*one));
        if (!one || !(one[0] = dp_arena_strdup(kg->arena, n->value)))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        *out = one;
        *nout = 1;
        return 0;
    }
    if (n->kind != DP_NODE_SEQ || n->n > MAX_ITEMS)
        return fail_at(err, n, dp_arena_printf(kg->arena, "'%s' must be a list of at most %d texts", key, MAX_ITEMS),
                       name);
    const char **arr = dp_arena_calloc(kg->arena, n->n ? n->n : 1, sizeof(*arr));
    if (!arr)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        if (n->items[i]->kind != DP_NODE_SCALAR)
            return fail_at(err, n->items[i], dp_arena_printf(kg->arena, "each entry of '%s' must be text", key), name);
        if (!(arr[i] = dp_arena_strdup(kg->arena, n->items[i]->value)))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    *out = arr;
    *nout = n->n;
    return 0;
}

static const char *opt_str(dp_kg *kg, const dp_node *map, const char *key)
{
    const char *s = map ? dp_node_str(map, key) : NULL;
    return s ? dp_arena_strdup(kg->arena, s) : NULL;
}

static int parse_exports(dp_kg *kg, dp_saved_query *q, const dp_node *ex, dp_error *err)
{
    if (!ex || dp_node_is_null(ex))
        return 0;
    if (ex->kind != DP_NODE_SEQ || ex->n > MAX_ITEMS)
        return fail_at(err, ex, "'exports' must be a list of {name, config}", q->name);
    size_t n = ex->n ? ex->n : 1;
    q->exports = dp_arena_calloc(kg->arena, n, sizeof(*q->exports));
    q->export_as = dp_arena_calloc(kg->arena, n, sizeof(*q->export_as));
    q->export_schema = dp_arena_calloc(kg->arena, n, sizeof(*q->export_schema));
    q->export_alias = dp_arena_calloc(kg->arena, n, sizeof(*q->export_alias));
    if (!q->exports || !q->export_as || !q->export_schema || !q->export_alias)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < ex->n; i++) {
        const dp_node *e = ex->items[i];
        const char *name = e->kind == DP_NODE_MAP ? opt_str(kg, e, "name") : NULL;
        if (!name)
            return fail_at(err, e, "each export needs a name", q->name);
        const dp_node *cfg = dp_node_get(e, "config");
        q->exports[i] = name;
        q->export_as[i] = opt_str(kg, cfg, "export_as");
        q->export_schema[i] = opt_str(kg, cfg, "schema");
        q->export_alias[i] = opt_str(kg, cfg, "alias");
        if (q->export_as[i] && strcmp(q->export_as[i], "table") && strcmp(q->export_as[i], "view"))
            return fail_at(err, dp_node_get(cfg, "export_as"),
                           dp_arena_printf(kg->arena, "export '%s': export_as is table or view, not '%s'", name,
                                           q->export_as[i]),
                           q->name);
    }
    q->nexports = ex->n;
    return 0;
}

static int parse_one(dp_kg *kg, const dp_node *n, const char *file, dp_error *err)
{
    dp_saved_query q = {0};
    int rc;
    if (n->kind != DP_NODE_MAP || !(q.name = opt_str(kg, n, "name")))
        return dp_error_set(err, DP_EINVALID, "%s:%d:%d: a saved query needs a name", n->file, n->line, n->col);
    for (size_t i = 0; i < kg->nsaved; i++)
        if (!strcmp(kg->saved[i].name, q.name))
            return dp_error_set(err, DP_EINVALID, "%s:%d:%d: saved query '%s' is also defined at %s:%d", n->file, n->line,
                                n->col, q.name, kg->saved[i].pos.file, kg->saved[i].pos.line);
    q.label = opt_str(kg, n, "label");
    q.description = opt_str(kg, n, "description");
    const dp_node *qp = dp_node_get(n, "query_params");
    if (!qp || qp->kind != DP_NODE_MAP)
        return fail_at(err, n, "needs query_params with metrics", q.name);
    if ((rc = texts(kg, dp_node_get(qp, "metrics"), &q.metrics, &q.nmetrics, q.name, "metrics", err)) ||
        (rc = texts(kg, dp_node_get(qp, "group_by"), &q.group_by, &q.ngroup_by, q.name, "group_by", err)) ||
        (rc = texts(kg, dp_node_get(qp, "where"), &q.where, &q.nwhere, q.name, "where", err)) ||
        (rc = texts(kg, dp_node_get(qp, "order_by"), &q.order_by, &q.norder_by, q.name, "order_by", err)))
        return rc;
    if (!q.nmetrics)
        return fail_at(err, qp, "query_params needs at least one metric", q.name);
    const char *lim = dp_node_str(qp, "limit");
    if (lim) {
        char *end;
        q.limit = strtol(lim, &end, 10);
        if (*end || end == lim || q.limit <= 0 || q.limit > 1000000000L)
            return fail_at(err, dp_node_get(qp, "limit"), "limit must be a positive whole number", q.name);
    }
    if ((rc = parse_exports(kg, &q, dp_node_get(n, "exports"), err)))
        return rc;
    q.pos = (dp_src_pos){file ? file : n->file, n->line, n->col};
    if (DP_VEC_PUSH(kg->arena, kg->saved, kg->nsaved, kg->saved_cap, q))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_dbt__load_saved_queries(dp_kg *kg, const dp_node *seq, const char *file, dp_error *err)
{
    if (seq->kind != DP_NODE_SEQ)
        return dp_error_set(err, DP_EINVALID, "%s:%d:%d: saved_queries must be a list", seq->file, seq->line, seq->col);
    for (size_t i = 0; i < seq->n; i++) {
        int rc = parse_one(kg, seq->items[i], file, err);
        if (rc)
            return rc;
    }
    return 0;
}

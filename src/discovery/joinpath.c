/* Join paths over the entity graph: an edge A -> B when A carries an entity
 * that is B's primary or unique key. Following only such edges means a join
 * never multiplies the rows of A. Breadth-first, so the path is shortest. */
#include "discovery/discovery.h"
#include "util/arena.h"
#include <stdlib.h>
#include <string.h>

typedef struct node {
    int prev;
    dp_join_step step;
    int depth;
    int ways; /* number of shortest paths reaching it (capped) */
    int alt_prev; /* a second predecessor at the same depth (-2: none) */
    dp_join_step alt_step;
} node;

/* The shortest path that differs from the one through prev: it leaves it at
 * the node nearest to the target that was reached two ways. */
static void rival_path(dp_path *out, const node *nodes, int src, int dst)
{
    dp_join_step rev[DP_PATH_MAX];
    size_t n = 0;
    int cur = dst;
    memset(out, 0, sizeof(*out));
    while (cur != src && nodes[cur].alt_prev == -2 && n < DP_PATH_MAX) {
        rev[n++] = nodes[cur].step;
        cur = nodes[cur].prev;
    }
    if (cur == src || n >= DP_PATH_MAX)
        return;
    rev[n++] = nodes[cur].alt_step;
    for (cur = nodes[cur].alt_prev; cur != src && n < DP_PATH_MAX; cur = nodes[cur].prev)
        rev[n++] = nodes[cur].step;
    if (cur != src)
        return;
    for (size_t i = 0; i < n; i++)
        out->steps[i] = rev[n - 1 - i];
    out->n = n;
}

int dp_join_path(dp_path *out, const dp_kg *kg, const dp_model *from, const dp_model *to, int *ambiguous)
{
    return dp_join_paths(out, NULL, kg, from, to, ambiguous);
}

const char *dp_path_text(const dp_path *p, const dp_model *from, dp_arena *a)
{
    const char *s = from->name;
    for (size_t i = 0; i < p->n && s; i++)
        s = dp_arena_printf(a, "%s -[%s]-> %s", s, p->steps[i].entity, p->steps[i].to->name);
    return s;
}

int dp_join_paths(dp_path *out, dp_path *rival, const dp_kg *kg, const dp_model *from, const dp_model *to,
                  int *ambiguous)
{
    memset(out, 0, sizeof(*out));
    if (rival)
        memset(rival, 0, sizeof(*rival));
    if (ambiguous)
        *ambiguous = 0;
    if (from == to)
        return 0;
    size_t n = kg->nmodels;
    if (n > 100000)
        return DP_ELIMIT;
    node stackbuf[256];
    node *nodes = n <= 256 ? stackbuf : calloc(n, sizeof(node));
    int *queue = calloc(n ? n : 1, sizeof(int));
    if (!nodes || !queue) {
        if (nodes != stackbuf)
            free(nodes);
        free(queue);
        return DP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        nodes[i] = (node){-2, {0}, -1, 0, -2, {0}};
    int src = (int)(from - kg->models), dst = (int)(to - kg->models);
    size_t qh = 0, qt = 0;
    nodes[src].prev = -1;
    nodes[src].depth = 0;
    nodes[src].ways = 1;
    queue[qt++] = src;
    while (qh < qt) {
        int a = queue[qh++];
        const dp_model *ma = &kg->models[a];
        /* breadth first: once the target's level is done, its count of
         * shortest paths is final and nothing further can be shorter */
        if (nodes[dst].depth >= 0 && nodes[a].depth >= nodes[dst].depth)
            break;
        if (nodes[a].depth >= DP_PATH_MAX)
            continue;
        for (size_t e = 0; e < ma->nentities; e++) {
            const dp_entity *en = &ma->entities[e];
            if (en->off.reason)
                continue; /* disabled: no join goes through it */
            /* the models with the entity (all of them without an index):
             * those where it is a key, and SCD type 2 datasets where it is
             * natural (one row per key and validity period: the compiler
             * joins them on the period too, so rows still do not multiply) */
            size_t nh = 0;
            const dp_model *const *homes = dp_kg_models_with_entity(kg, en->name, &nh);
            size_t nb = homes ? nh : n;
            for (size_t k = 0; k < nb; k++) {
                size_t b = homes ? (size_t)(homes[k] - kg->models) : k;
                if ((int)b == a)
                    continue;
                const dp_entity *be = dp_kg_model_entity(&kg->models[b], en->name);
                if (!be || (be->type != DP_ENT_PRIMARY && be->type != DP_ENT_UNIQUE &&
                            !(be->type == DP_ENT_NATURAL && dp_kg_model_validity(&kg->models[b], NULL, NULL))))
                    continue;
                if (nodes[b].depth == -1) {
                    nodes[b].depth = nodes[a].depth + 1;
                    nodes[b].prev = a;
                    nodes[b].ways = nodes[a].ways;
                    nodes[b].step = (dp_join_step){ma, &kg->models[b], en->name, en->expr, be->expr};
                    queue[qt++] = (int)b;
                } else if (nodes[b].depth == nodes[a].depth + 1) {
                    if (nodes[b].alt_prev == -2) {
                        nodes[b].alt_prev = a;
                        nodes[b].alt_step = (dp_join_step){ma, &kg->models[b], en->name, en->expr, be->expr};
                    }
                    nodes[b].ways += nodes[a].ways;
                    if (nodes[b].ways > 1000)
                        nodes[b].ways = 1000;
                }
            }
        }
    }
    int rc = 0;
    if (nodes[dst].depth < 0) {
        rc = DP_ENOTFOUND;
    } else {
        size_t len = (size_t)nodes[dst].depth;
        out->n = len;
        for (int cur = dst; cur != src; cur = nodes[cur].prev)
            out->steps[--len] = nodes[cur].step;
        if (ambiguous)
            *ambiguous = nodes[dst].ways > 1;
        if (rival && nodes[dst].ways > 1)
            rival_path(rival, nodes, src, dst);
    }
    if (nodes != stackbuf)
        free(nodes);
    free(queue);
    return rc;
}

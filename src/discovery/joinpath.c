/* Join paths over the entity graph: an edge A -> B when A carries an entity
 * that is B's primary or unique key. Following only such edges means a join
 * never multiplies the rows of A. Breadth-first, so the path is shortest. */
#include "discovery/discovery.h"
#include "util/arena.h"
#include <stdlib.h>
#include <string.h>

typedef struct node {
    int model; /* index in kg->models; -1: free slot */
    int prev;  /* slot of the predecessor, -1 at the source */
    dp_join_step step;
    int depth;
    int ways; /* number of shortest paths reaching it (capped) */
    int alt_prev; /* a second predecessor at the same depth (-2: none) */
    dp_join_step alt_step;
} node;

/* Appends x to a malloc'd vector; 1 when out of memory. */
#define DP_VEC_PUSH_HEAP(v, n, cap, x) push_int(&(v), &(n), &(cap), (x))
static int push_int(int **v, size_t *n, size_t *cap, int x)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        int *g = realloc(*v, nc * sizeof(int));
        if (!g)
            return 1;
        *v = g;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return 0;
}

/* The nodes a search reached, by model index (open addressing): a search
 * costs what it explores, not the size of the catalog. */
typedef struct nodes_t {
    node *slot;
    size_t cap, n;
} nodes_t;

static node *find(nodes_t *t, int model)
{
    size_t i = ((size_t)model * 2654435761u) & (t->cap - 1);
    while (t->slot[i].model != -1 && t->slot[i].model != model)
        i = (i + 1) & (t->cap - 1);
    return &t->slot[i];
}

/* The node of model, added (depth -1) when new; NULL when out of memory. */
static node *get(nodes_t *t, int model)
{
    if ((t->n + 1) * 2 > t->cap) {
        nodes_t g = {calloc(t->cap * 2, sizeof(node)), t->cap * 2, 0};
        if (!g.slot)
            return NULL;
        for (size_t i = 0; i < g.cap; i++)
            g.slot[i].model = -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].model != -1) {
                *find(&g, t->slot[i].model) = t->slot[i];
                g.n++;
            }
        free(t->slot);
        *t = g;
    }
    node *x = find(t, model);
    if (x->model == -1) {
        *x = (node){model, -2, {0}, -1, 0, -2, {0}};
        t->n++;
    }
    return x;
}

/* The shortest path that differs from the one through prev: it leaves it at
 * the node nearest to the target that was reached two ways. */
static void rival_path(dp_path *out, nodes_t *t, int src, int dst)
{
    dp_join_step rev[DP_PATH_MAX];
    size_t n = 0;
    int cur = dst;
    memset(out, 0, sizeof(*out));
    while (cur != src && find(t, cur)->alt_prev == -2 && n < DP_PATH_MAX) {
        rev[n++] = find(t, cur)->step;
        cur = find(t, cur)->prev;
    }
    if (cur == src || n >= DP_PATH_MAX)
        return;
    rev[n++] = find(t, cur)->alt_step;
    for (cur = find(t, cur)->alt_prev; cur != src && n < DP_PATH_MAX; cur = find(t, cur)->prev)
        rev[n++] = find(t, cur)->step;
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
    nodes_t t = {calloc(64, sizeof(node)), 64, 0};
    int *queue = NULL;
    size_t qcap = 0;
    if (!t.slot)
        return DP_ENOMEM;
    for (size_t i = 0; i < t.cap; i++)
        t.slot[i].model = -1;
    /* the SCD type 2 datasets, reached through their natural entity */
    int any_scd = kg->index ? kg->nscd > 0 : 1;
    int src = (int)(from - kg->models), dst = (int)(to - kg->models);
    size_t qh = 0, qt = 0;
    node *ns = get(&t, src);
    int oom = !ns || DP_VEC_PUSH_HEAP(queue, qt, qcap, src);
    if (!oom) {
        ns->prev = -1;
        ns->depth = 0;
        ns->ways = 1;
    }
    while (!oom && qh < qt) {
        int a = queue[qh++];
        const dp_model *ma = &kg->models[a];
        int da = find(&t, a)->depth, wa = find(&t, a)->ways;
        /* breadth first: once the target's level is done, its count of
         * shortest paths is final and nothing further can be shorter */
        node *nd = find(&t, dst);
        if (nd->model == dst && nd->depth >= 0 && da >= nd->depth)
            break;
        if (da >= DP_PATH_MAX)
            continue;
        for (size_t e = 0; e < ma->nentities && !oom; e++) {
            const dp_entity *en = &ma->entities[e];
            if (en->off.reason)
                continue; /* disabled: no join goes through it */
            /* the models where the entity is a key, and SCD type 2
             * datasets where it is natural (one row per key and validity
             * period: the compiler joins them on the period too, so rows
             * still do not multiply) */
            size_t nh = 0;
            const dp_model *const *homes = any_scd ? dp_kg_models_with_entity(kg, en->name, &nh)
                                                   : dp_kg_entity_homes(kg, en->name, &nh);
            size_t nb = homes ? nh : n;
            for (size_t k = 0; k < nb && !oom; k++) {
                size_t b = homes ? (size_t)(homes[k] - kg->models) : k;
                if ((int)b == a)
                    continue;
                const dp_entity *be = dp_kg_model_entity(&kg->models[b], en->name);
                if (!be || (be->type != DP_ENT_PRIMARY && be->type != DP_ENT_UNIQUE &&
                            !(be->type == DP_ENT_NATURAL && dp_kg_model_validity(&kg->models[b], NULL, NULL))))
                    continue;
                node *nb_ = get(&t, (int)b);
                if (!nb_) {
                    oom = 1;
                    break;
                }
                if (nb_->depth == -1) {
                    nb_->depth = da + 1;
                    nb_->prev = a;
                    nb_->ways = wa;
                    nb_->step = (dp_join_step){ma, &kg->models[b], en->name, en->expr, be->expr};
                    oom = DP_VEC_PUSH_HEAP(queue, qt, qcap, (int)b);
                } else if (nb_->depth == da + 1) {
                    if (nb_->alt_prev == -2) {
                        nb_->alt_prev = a;
                        nb_->alt_step = (dp_join_step){ma, &kg->models[b], en->name, en->expr, be->expr};
                    }
                    nb_->ways += wa;
                    if (nb_->ways > 1000)
                        nb_->ways = 1000;
                }
            }
        }
    }
    if (oom) {
        free(t.slot);
        free(queue);
        return DP_ENOMEM;
    }
    int rc = 0;
    node *nd = find(&t, dst);
    if (nd->model != dst || nd->depth < 0) {
        rc = DP_ENOTFOUND;
    } else {
        size_t len = (size_t)nd->depth;
        out->n = len;
        for (int cur = dst; cur != src; cur = find(&t, cur)->prev)
            out->steps[--len] = find(&t, cur)->step;
        if (ambiguous)
            *ambiguous = nd->ways > 1;
        if (rival && nd->ways > 1)
            rival_path(rival, &t, src, dst);
    }
    free(t.slot);
    free(queue);
    return rc;
}

/* The YAML kind of every field of a dbt semantic layer file, checked from
 * tables before the elements are read: a mapping or a list where text is
 * expected (or the reverse) would otherwise be read as absent, a silently
 * unfiltered metric or a window over all time. */
#include "catalog/dbt_int.h"
#include "util/error.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { T_TEXT = 1, T_MAP = 2, T_LIST = 4, T_TEXTS = 8 };
#define T_FILTER (T_TEXT | T_TEXTS)
#define T_INPUT (T_TEXT | T_MAP)

typedef struct field {
    const char *path; /* keys joined by '.'; "key[]" walks each item of a list */
    unsigned want;
} field;

/* the tables read as tables */
/* clang-format off */
/* A metric input written as a mapping ({name, filter, alias, ...}); the
 * prefix is the input's own path. */
#define INPUT(p)                                                                                                      \
    {p, T_INPUT}, {p ".name", T_TEXT}, {p ".filter", T_FILTER}, {p ".alias", T_TEXT},                                 \
        {p ".join_to_timespine", T_TEXT}, {p ".fill_nulls_with", T_TEXT}, {p ".offset_window", T_TEXT},               \
        {p ".offset_to_grain", T_TEXT}

static const field model_fields[] = {
    {"name", T_TEXT}, {"model", T_TEXT}, {"description", T_TEXT}, {"label", T_TEXT}, {"primary_entity", T_TEXT},
    {"defaults", T_MAP}, {"defaults.agg_time_dimension", T_TEXT},
    {"entities", T_LIST}, {"entities[]", T_MAP}, {"entities[].name", T_TEXT}, {"entities[].type", T_TEXT},
    {"entities[].expr", T_TEXT}, {"entities[].description", T_TEXT}, {"entities[].label", T_TEXT},
    {"dimensions", T_LIST}, {"dimensions[]", T_MAP}, {"dimensions[].name", T_TEXT}, {"dimensions[].type", T_TEXT},
    {"dimensions[].expr", T_TEXT}, {"dimensions[].description", T_TEXT}, {"dimensions[].label", T_TEXT},
    {"dimensions[].is_partition", T_TEXT}, {"dimensions[].type_params", T_MAP},
    {"dimensions[].type_params.time_granularity", T_TEXT}, {"dimensions[].type_params.validity_params", T_MAP},
    {"dimensions[].type_params.validity_params.is_start", T_TEXT},
    {"dimensions[].type_params.validity_params.is_end", T_TEXT},
    {"measures", T_LIST}, {"measures[]", T_MAP}, {"measures[].name", T_TEXT}, {"measures[].agg", T_TEXT},
    {"measures[].expr", T_TEXT}, {"measures[].description", T_TEXT}, {"measures[].label", T_TEXT},
    {"measures[].agg_time_dimension", T_TEXT}, {"measures[].create_metric", T_TEXT}, {"measures[].agg_params", T_MAP},
    {"measures[].agg_params.percentile", T_TEXT}, {"measures[].agg_params.use_discrete_percentile", T_TEXT},
    {"measures[].agg_params.use_approximate_percentile", T_TEXT},
    {"measures[].non_additive_dimension", T_TEXT | T_MAP}, {"measures[].non_additive_dimension.name", T_TEXT},
    {"measures[].non_additive_dimension.window_choice", T_TEXT},
    {"measures[].non_additive_dimension.window_groupings", T_TEXTS},
};

/* Both metric forms: type_params (MetricFlow) and the parameters as keys of
 * the metric (dbt's latest spec). */
static const field metric_fields[] = {
    {"name", T_TEXT}, {"type", T_TEXT}, {"label", T_TEXT}, {"description", T_TEXT}, {"filter", T_FILTER},
    {"type_params", T_MAP}, INPUT("type_params.measure"), INPUT("type_params.numerator"),
    INPUT("type_params.denominator"), {"type_params.expr", T_TEXT}, {"type_params.metrics", T_LIST},
    INPUT("type_params.metrics[]"), {"type_params.window", T_TEXT}, {"type_params.grain_to_date", T_TEXT},
    {"type_params.join_to_timespine", T_TEXT}, {"type_params.fill_nulls_with", T_TEXT},
    {"type_params.cumulative_type_params", T_MAP}, {"type_params.cumulative_type_params.window", T_TEXT},
    {"type_params.cumulative_type_params.grain_to_date", T_TEXT},
    {"type_params.cumulative_type_params.period_agg", T_TEXT}, INPUT("type_params.cumulative_type_params.metric"),
    {"type_params.conversion_type_params", T_MAP}, INPUT("type_params.conversion_type_params.base_measure"),
    INPUT("type_params.conversion_type_params.conversion_measure"),
    INPUT("type_params.conversion_type_params.base_metric"),
    INPUT("type_params.conversion_type_params.conversion_metric"),
    {"type_params.conversion_type_params.entity", T_TEXT}, {"type_params.conversion_type_params.calculation", T_TEXT},
    {"type_params.conversion_type_params.window", T_TEXT},
    {"type_params.conversion_type_params.constant_properties", T_LIST},
    {"type_params.conversion_type_params.constant_properties[]", T_MAP},
    {"type_params.conversion_type_params.constant_properties[].base_property", T_TEXT},
    {"type_params.conversion_type_params.constant_properties[].conversion_property", T_TEXT},
    /* the latest spec */
    {"agg", T_TEXT}, {"expr", T_TEXT}, {"percentile", T_TEXT}, {"percentile_type", T_TEXT},
    {"agg_time_dimension", T_TEXT}, {"join_to_timespine", T_TEXT}, {"fill_nulls_with", T_TEXT},
    {"non_additive_dimension", T_TEXT | T_MAP}, {"non_additive_dimension.window_agg", T_TEXT},
    {"non_additive_dimension.window_choice", T_TEXT}, {"non_additive_dimension.group_by", T_TEXTS},
    {"non_additive_dimension.window_groupings", T_TEXTS}, INPUT("input_metric"), INPUT("numerator"),
    INPUT("denominator"), {"input_metrics", T_LIST}, INPUT("input_metrics[]"), {"metrics", T_LIST},
    INPUT("metrics[]"), INPUT("base_metric"), INPUT("conversion_metric"), {"entity", T_TEXT},
    {"calculation", T_TEXT}, {"window", T_TEXT}, {"grain_to_date", T_TEXT}, {"period_agg", T_TEXT},
    {"constant_properties", T_LIST}, {"constant_properties[]", T_MAP}, {"constant_properties[].base_property", T_TEXT},
    {"constant_properties[].conversion_property", T_TEXT},
};

static const field saved_fields[] = {
    {"name", T_TEXT}, {"label", T_TEXT}, {"description", T_TEXT}, {"query_params", T_MAP},
    {"query_params.metrics", T_TEXTS}, {"query_params.group_by", T_TEXTS}, {"query_params.where", T_FILTER},
    {"query_params.order_by", T_TEXTS}, {"query_params.limit", T_TEXT}, {"exports", T_LIST}, {"exports[]", T_MAP},
    {"exports[].name", T_TEXT}, {"exports[].config", T_MAP}, {"exports[].config.export_as", T_TEXT},
    {"exports[].config.schema", T_TEXT}, {"exports[].config.alias", T_TEXT},
};

/* A model of the latest spec (its metrics are checked as metrics). */
static const field latest_fields[] = {
    {"semantic_model", T_TEXT | T_MAP}, {"semantic_model.name", T_TEXT}, {"semantic_model.label", T_TEXT},
    {"semantic_model.agg_time_dimension", T_TEXT}, {"agg_time_dimension", T_TEXT}, {"primary_entity", T_TEXT},
    {"columns", T_LIST}, {"columns[]", T_MAP}, {"columns[].name", T_TEXT}, {"columns[].description", T_TEXT},
    {"columns[].granularity", T_TEXT}, {"columns[].entity", T_TEXT | T_MAP}, {"columns[].entity.name", T_TEXT},
    {"columns[].entity.type", T_TEXT}, {"columns[].entity.expr", T_TEXT}, {"columns[].dimension", T_TEXT | T_MAP},
    {"columns[].dimension.name", T_TEXT}, {"columns[].dimension.type", T_TEXT}, {"columns[].dimension.expr", T_TEXT},
    {"columns[].dimension.granularity", T_TEXT}, {"columns[].metrics", T_LIST}, {"derived_semantics", T_MAP},
    {"derived_semantics.dimensions", T_LIST}, {"derived_semantics.dimensions[]", T_MAP},
    {"derived_semantics.dimensions[].name", T_TEXT}, {"derived_semantics.dimensions[].type", T_TEXT},
    {"derived_semantics.dimensions[].expr", T_TEXT}, {"derived_semantics.dimensions[].granularity", T_TEXT},
    {"derived_semantics.entities", T_LIST}, {"derived_semantics.entities[]", T_MAP},
    {"derived_semantics.entities[].name", T_TEXT}, {"derived_semantics.entities[].type", T_TEXT},
    {"derived_semantics.entities[].expr", T_TEXT}, {"metrics", T_LIST},
};

/* clang-format on */

#define MAX_SAID 5 /* mismatches named in one error (1 KiB); the count says the rest */

#define PATH_PARTS 16 /* deeper than any field path of the tables */

typedef struct chk {
    char msg[sizeof(((dp_error *)0)->message)];
    size_t len;
    int n;
    const char *kind, *name; /* of the element checked: "metric", its name */
    /* the path walked so far, formatted only for a message: keys and list
     * positions (-1: none) */
    const char *keys[PATH_PARTS];
    size_t keylens[PATH_PARTS];
    long idx[PATH_PARTS];
    int depth;
} chk;

static const char *found_word(const dp_node *n)
{
    if (n->kind == DP_NODE_MAP)
        return "a mapping";
    if (n->kind == DP_NODE_SCALAR)
        return "text";
    for (size_t i = 0; i < n->n; i++)
        if (n->items[i]->kind == DP_NODE_MAP)
            return "a list holding a mapping";
        else if (n->items[i]->kind == DP_NODE_SEQ)
            return "a list holding a list";
    return "a list";
}

static const char *want_word(unsigned want)
{
    switch (want) {
    case T_TEXT:
        return "text";
    case T_MAP:
        return "a mapping";
    case T_LIST:
        return "a list";
    case T_TEXTS:
        return "a list of text";
    case T_FILTER:
        return "text or a list of text";
    case T_INPUT:
        return "text or a mapping";
    default:
        return "another kind";
    }
}

static int kind_ok(const dp_node *n, unsigned want)
{
    if (n->kind == DP_NODE_SCALAR)
        return (want & T_TEXT) != 0;
    if (n->kind == DP_NODE_MAP)
        return (want & T_MAP) != 0;
    if (want & T_LIST)
        return 1;
    if (!(want & T_TEXTS))
        return 0;
    for (size_t i = 0; i < n->n; i++)
        if (n->items[i]->kind != DP_NODE_SCALAR)
            return 0;
    return 1;
}

static void mismatch(chk *k, const dp_node *n, unsigned want)
{
    const char *found = found_word(n);
    if (k->n++ >= MAX_SAID)
        return;
    char shown[400] = "";
    size_t used = 0;
    for (int i = 0; i < k->depth && used < sizeof(shown) - 1; i++) {
        int w = snprintf(shown + used, sizeof(shown) - used, "%s%.*s", i ? "." : "", (int)k->keylens[i], k->keys[i]);
        used = w > 0 && used + (size_t)w < sizeof(shown) ? used + (size_t)w : sizeof(shown) - 1;
        if (k->idx[i] >= 0 && used < sizeof(shown) - 1) {
            w = snprintf(shown + used, sizeof(shown) - used, "[%ld]", k->idx[i]);
            used = w > 0 && used + (size_t)w < sizeof(shown) ? used + (size_t)w : sizeof(shown) - 1;
        }
    }
    for (size_t i = 0; n->kind == DP_NODE_SEQ && i < n->n; i++)
        if (n->items[i]->kind != DP_NODE_SCALAR) { /* where the list goes wrong */
            n = n->items[i];
            found = n->kind == DP_NODE_MAP ? "a list holding a mapping" : "a list holding a list";
            break;
        }
    int w = snprintf(k->msg + k->len, sizeof(k->msg) - k->len, "%s%s:%d:%d: %s '%.100s': '%s' is %s; expected %s",
                     k->len ? "; " : "", n->file ? n->file : "?", n->line, n->col, k->kind, k->name ? k->name : "?",
                     shown, found, want_word(want));
    if (w > 0)
        k->len = k->len + (size_t)w < sizeof(k->msg) ? k->len + (size_t)w : sizeof(k->msg) - 1;
}

/* Checks what path names under n; k's path parts say where the walk is
 * (list positions too: "entities[2].name"). Absent and null fields are
 * fine. */
static void walk(chk *k, const dp_node *n, const char *path, unsigned want)
{
    if (!n || n->kind != DP_NODE_MAP || k->depth >= PATH_PARTS)
        return; /* the parent's own kind is checked by its entry */
    const char *dot = strchr(path, '.');
    size_t seg = dot ? (size_t)(dot - path) : strlen(path);
    int each = seg > 2 && !strncmp(path + seg - 2, "[]", 2);
    char key[96];
    size_t kl = each ? seg - 2 : seg;
    if (kl >= sizeof(key))
        return;
    memcpy(key, path, kl);
    key[kl] = 0;
    const dp_node *v = dp_node_get(n, key);
    if (!v || dp_node_is_null(v))
        return;
    int d = k->depth++;
    k->keys[d] = path;
    k->keylens[d] = kl;
    k->idx[d] = -1;
    if (!each) {
        if (!dot) {
            if (!kind_ok(v, want))
                mismatch(k, v, want);
        } else {
            walk(k, v, dot + 1, want);
        }
    } else if (v->kind == DP_NODE_SEQ) {
        for (size_t i = 0; i < v->n; i++) {
            k->idx[d] = (long)i;
            if (dot)
                walk(k, v->items[i], dot + 1, want);
            else if (!dp_node_is_null(v->items[i]) && !kind_ok(v->items[i], want))
                mismatch(k, v->items[i], want);
        }
    }
    k->depth = d;
}

static void check_one(chk *k, const dp_node *n, const char *kind, const field *t, size_t nt)
{
    if (!n || n->kind != DP_NODE_MAP)
        return; /* the reader says what an element must be */
    k->kind = kind;
    k->name = dp_node_str(n, "name");
    for (size_t i = 0; i < nt; i++) {
        k->depth = 0;
        walk(k, n, t[i].path, t[i].want);
    }
}

static void check_list(chk *k, const dp_node *doc, const char *key, const char *kind, const field *t, size_t nt)
{
    const dp_node *l = dp_node_get(doc, key);
    for (size_t i = 0; l && l->kind == DP_NODE_SEQ && i < l->n; i++)
        check_one(k, l->items[i], kind, t, nt);
}

#define N(t) (sizeof(t) / sizeof(*(t)))

/* ---- the quick pass ----
 * The tables above walked path by path visit a model's dimension list once
 * per dimension field (a tenth of a 10,000-model catalog's load). A valid
 * file is the common case: the tables are merged once into a tree of keys,
 * walked once over each element, and only when it finds a field of the
 * wrong kind are the tables walked for the message (in their order). */

#define TREE_NODES 512

typedef struct tnode {
    const char *key;
    size_t keylen;
    unsigned want, want_each; /* "key" and "key[]" leaf kinds; 0: none */
    int kids, each_kids;      /* first child under "key." and "key[]." (-1: none) */
    int next;                 /* next sibling (-1: none) */
} tnode;

enum { TREE_MODEL, TREE_METRIC, TREE_SAVED, TREE_LATEST, NTREES };

static struct {
    tnode n[TREE_NODES];
    int used, root[NTREES], ok;
} tree;
/* built once, under a lock (also what a race checker sees: pthread_once's
 * fast path is invisible to helgrind), then only read */
static pthread_mutex_t tree_mu = PTHREAD_MUTEX_INITIALIZER;
static int tree_built;

/* The child of the list at *first named key (added when absent); -1 when
 * the pool is full. */
static int child(int *first, const char *key, size_t len)
{
    int *at = first;
    for (; *at >= 0; at = &tree.n[*at].next)
        if (tree.n[*at].keylen == len && !strncmp(tree.n[*at].key, key, len))
            return *at;
    if (tree.used >= TREE_NODES)
        return -1;
    int i = tree.used++;
    tree.n[i] = (tnode){key, len, 0, 0, -1, -1, -1};
    *at = i;
    return i;
}

static int add_path(int *root, const char *path, unsigned want)
{
    int *list = root;
    for (const char *p = path;;) {
        const char *dot = strchr(p, '.');
        size_t seg = dot ? (size_t)(dot - p) : strlen(p);
        int each = seg > 2 && !strncmp(p + seg - 2, "[]", 2);
        int i = child(list, p, each ? seg - 2 : seg);
        if (i < 0)
            return -1;
        if (!dot) {
            if (each)
                tree.n[i].want_each = want;
            else
                tree.n[i].want = want;
            return 0;
        }
        list = each ? &tree.n[i].each_kids : &tree.n[i].kids;
        p = dot + 1;
    }
}

static void build_tree(void)
{
    const field *t[NTREES] = {model_fields, metric_fields, saved_fields, latest_fields};
    size_t nt[NTREES] = {N(model_fields), N(metric_fields), N(saved_fields), N(latest_fields)};
    for (int k = 0; k < NTREES; k++) {
        tree.root[k] = -1;
        for (size_t i = 0; i < nt[k]; i++)
            if (add_path(&tree.root[k], t[k][i].path, t[k][i].want))
                return; /* ok stays 0: the tables alone decide */
    }
    tree.ok = 1;
}

static int wrong(const dp_node *n, int first, int depth);

/* 1 when the value v of a field (the tree node t) is of the wrong kind, or
 * a field under it is. */
static int wrong_value(const tnode *t, const dp_node *v, int depth)
{
    if (!v || dp_node_is_null(v))
        return 0;
    if (t->want && !kind_ok(v, t->want))
        return 1;
    if (t->kids >= 0 && wrong(v, t->kids, depth + 1))
        return 1;
    if ((t->want_each || t->each_kids >= 0) && v->kind == DP_NODE_SEQ)
        for (size_t j = 0; j < v->n; j++) {
            const dp_node *it = v->items[j];
            if (t->want_each && !dp_node_is_null(it) && !kind_ok(it, t->want_each))
                return 1;
            if (t->each_kids >= 0 && wrong(it, t->each_kids, depth + 1))
                return 1;
        }
    return 0;
}

/* With a merge key (`<<`) a field may come from a merged map: each field of
 * the tree looked up as the loader looks it up. */
static int wrong_merged(const dp_node *n, int first, int depth)
{
    for (int i = first; i >= 0; i = tree.n[i].next) {
        const tnode *t = &tree.n[i];
        char key[96];
        if (t->keylen >= sizeof(key))
            continue;
        memcpy(key, t->key, t->keylen);
        key[t->keylen] = 0;
        if (wrong_value(t, dp_node_get(n, key), depth))
            return 1;
    }
    return 0;
}

/* 1 when a field under the map n (the children at first) is of the wrong
 * kind, as walk() would find it. The map's own keys are walked (a handful)
 * and each found among the tree's; keys are unique (the reader refuses a
 * duplicate), so each field is met once. */
static int wrong(const dp_node *n, int first, int depth)
{
    if (!n || n->kind != DP_NODE_MAP || depth >= PATH_PARTS)
        return 0;
    for (size_t k = 0; k < n->n; k++) {
        const char *key = n->keys[k];
        if (key[0] == '<' && key[1] == '<' && !key[2])
            return wrong_merged(n, first, depth);
    }
    for (size_t k = 0; k < n->n; k++) {
        const char *key = n->keys[k];
        for (int i = first; i >= 0; i = tree.n[i].next) {
            const tnode *t = &tree.n[i];
            if (t->key[0] == key[0] && !strncmp(t->key, key, t->keylen) && !key[t->keylen]) {
                if (wrong_value(t, n->items[k], depth))
                    return 1;
                break;
            }
        }
    }
    return 0;
}

static int wrong_list(const dp_node *doc, const char *key, int root)
{
    const dp_node *l = dp_node_get(doc, key);
    for (size_t i = 0; l && l->kind == DP_NODE_SEQ && i < l->n; i++)
        if (wrong(l->items[i], root, 0))
            return 1;
    return 0;
}

/* 1 when the tables would find something (or the tree could not be made). */
static int quick_wrong(const dp_node *doc)
{
    pthread_mutex_lock(&tree_mu);
    if (!tree_built) {
        build_tree();
        tree_built = 1;
    }
    pthread_mutex_unlock(&tree_mu);
    if (!tree.ok)
        return 1;
    if (wrong_list(doc, "semantic_models", tree.root[TREE_MODEL]) ||
        wrong_list(doc, "metrics", tree.root[TREE_METRIC]) || wrong_list(doc, "saved_queries", tree.root[TREE_SAVED]))
        return 1;
    const dp_node *ms = dp_node_get(doc, "models");
    for (size_t i = 0; ms && ms->kind == DP_NODE_SEQ && i < ms->n; i++) {
        const dp_node *m = ms->items[i];
        const dp_node *sm = m && m->kind == DP_NODE_MAP ? dp_node_get(m, "semantic_model") : NULL;
        if (!sm || dp_node_is_null(sm))
            continue;
        if (wrong(m, tree.root[TREE_LATEST], 0) || wrong_list(m, "metrics", tree.root[TREE_METRIC]))
            return 1;
        const dp_node *cols = dp_node_get(m, "columns");
        for (size_t j = 0; cols && cols->kind == DP_NODE_SEQ && j < cols->n; j++)
            if (cols->items[j]->kind == DP_NODE_MAP && wrong_list(cols->items[j], "metrics", tree.root[TREE_METRIC]))
                return 1;
    }
    return 0;
}

int dp_dbt__check_types(const dp_node *doc, dp_error *err)
{
    if (!doc || doc->kind != DP_NODE_MAP || !quick_wrong(doc))
        return 0;
    return dp_dbt__check_types_full(doc, err);
}

int dp_dbt__check_types_full(const dp_node *doc, dp_error *err)
{
    chk k = {.len = 0};
    if (!doc || doc->kind != DP_NODE_MAP)
        return 0;
    check_list(&k, doc, "semantic_models", "semantic model", model_fields, N(model_fields));
    check_list(&k, doc, "metrics", "metric", metric_fields, N(metric_fields));
    check_list(&k, doc, "saved_queries", "saved query", saved_fields, N(saved_fields));
    const dp_node *ms = dp_node_get(doc, "models");
    for (size_t i = 0; ms && ms->kind == DP_NODE_SEQ && i < ms->n; i++) {
        const dp_node *m = ms->items[i];
        const dp_node *sm = m && m->kind == DP_NODE_MAP ? dp_node_get(m, "semantic_model") : NULL;
        if (!sm || dp_node_is_null(sm))
            continue; /* a model that says nothing to the semantic layer */
        check_one(&k, m, "model", latest_fields, N(latest_fields));
        check_list(&k, m, "metrics", "metric", metric_fields, N(metric_fields));
        const dp_node *cols = dp_node_get(m, "columns");
        for (size_t j = 0; cols && cols->kind == DP_NODE_SEQ && j < cols->n; j++)
            if (cols->items[j]->kind == DP_NODE_MAP)
                check_list(&k, cols->items[j], "metrics", "metric", metric_fields, N(metric_fields));
    }
    if (!k.n)
        return 0;
    if (k.n > MAX_SAID)
        return dp_error_set(err, DP_EINVALID, "%s; and %d more fields of the wrong kind", k.msg, k.n - MAX_SAID);
    return dp_error_set(err, DP_EINVALID, "%s", k.msg);
}

/* YAML (libyaml event parser) -> dp_node tree with positions. */
#include "doc/node.h"
#include "doc/yaml_cache.h"
#include "util/error.h"
#include "util/fs.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct anchor {
    const char *name;
    dp_node *node;
    size_t weight; /* nodes of node with its aliases expanded; 0 while node is being read */
    struct anchor *next;
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    dp_arena *a;
    const char *file;
    anchor *anchors;
    size_t nodes;
    dp_error *err;
} loader;

static int parse_fail(loader *L)
{
    const yaml_parser_t *p = &L->parser;
    const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;
    return dp_error_set(L->err, DP_EINVALID, "%s:%zu:%zu: malformed YAML: %s%s%s", L->file,
                        m->line + 1, m->column + 1, p->problem ? p->problem : "parse error",
                        p->context ? " " : "", p->context ? p->context : "");
}

static dp_node *new_node(loader *L, dp_node_kind kind, const yaml_mark_t *m)
{
    if (++L->nodes > DP_YAML_MAX_NODES) {
        dp_error_set(L->err, DP_ELIMIT, "%s:%zu:%zu: more than %d YAML nodes", L->file,
                     m->line + 1, m->column + 1, DP_YAML_MAX_NODES);
        return NULL;
    }
    dp_node *n = dp_arena_alloc(L->a, sizeof(*n));
    if (!n) {
        dp_error_set(L->err, DP_ENOMEM, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->file = L->file;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

static int remember(loader *L, const yaml_char_t *name, dp_node *node, size_t weight)
{
    if (!name)
        return 0;
    anchor *an = dp_arena_alloc(L->a, sizeof(*an));
    if (!an)
        return dp_error_set(L->err, DP_ENOMEM, "out of memory");
    an->name = dp_arena_strdup(L->a, (const char *)name);
    an->node = node;
    an->weight = weight;
    an->next = L->anchors;
    L->anchors = an;
    return 0;
}

static int next_event(loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->parser, ev))
        return parse_fail(L);
    return 0;
}

/* Duplicate-key detection: a linear scan for small maps, a hash set (in the
 * arena) once a map grows, so a huge mapping stays linear. */
typedef struct keyset {
    const char **slots;
    size_t cap, used;
} keyset;

static size_t key_hash(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int keyset_add(loader *L, keyset *ks, const char *key)
{
    if ((ks->used + 1) * 2 > ks->cap) {
        size_t ncap = ks->cap ? ks->cap * 2 : 64;
        const char **ns = dp_arena_calloc(L->a, ncap, sizeof(*ns));
        if (!ns)
            return -1;
        for (size_t i = 0; i < ks->cap; i++)
            if (ks->slots[i]) {
                size_t j = key_hash(ks->slots[i]) & (ncap - 1);
                while (ns[j])
                    j = (j + 1) & (ncap - 1);
                ns[j] = ks->slots[i];
            }
        ks->slots = ns;
        ks->cap = ncap;
    }
    size_t j = key_hash(key) & (ks->cap - 1);
    while (ks->slots[j]) {
        if (!strcmp(ks->slots[j], key))
            return 1;
        j = (j + 1) & (ks->cap - 1);
    }
    ks->slots[j] = key;
    ks->used++;
    return 0;
}

/* 1 when key is already in map n (whose keys so far are n->keys). */
static int key_seen(loader *L, keyset *ks, const dp_node *n, const char *key)
{
    if (n->n < 16 && !ks->cap) {
        for (size_t i = 0; i < n->n; i++)
            if (!strcmp(n->keys[i], key))
                return 1;
        return 0;
    }
    if (!ks->cap)
        for (size_t i = 0; i < n->n; i++)
            keyset_add(L, ks, n->keys[i]);
    return keyset_add(L, ks, key) == 1;
}

/* Sums the nodes a tree has with its aliases expanded (what every walk of
 * it visits): more than DP_YAML_MAX_NODES is refused, so a few lines of
 * aliases to aliases cannot stand for 10^11 nodes. */
static int add_weight(loader *L, size_t *weight, size_t w, const yaml_mark_t *m)
{
    *weight += w;
    if (w > DP_YAML_MAX_NODES || *weight > DP_YAML_MAX_NODES)
        return dp_error_set(L->err, DP_ELIMIT, "%s:%zu:%zu: aliases expand to more than %d YAML nodes", L->file,
                            m->line + 1, m->column + 1, DP_YAML_MAX_NODES);
    return 0;
}

/* Parses the node whose first event is ev (consumed); *weight is its
 * number of nodes with aliases expanded. */
static int parse_node(loader *L, yaml_event_t *ev, int depth, dp_node **out, size_t *weight)
{
    int rc = 0;
    *out = NULL;
    *weight = 1;
    if (depth > DP_YAML_MAX_DEPTH) {
        rc = dp_error_set(L->err, DP_ELIMIT, "%s:%zu:%zu: YAML nested deeper than %d", L->file,
                          ev->start_mark.line + 1, ev->start_mark.column + 1, DP_YAML_MAX_DEPTH);
        yaml_event_delete(ev);
        return rc;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (anchor *an = L->anchors; an; an = an->next)
            if (strcmp(an->name, name) == 0) {
                *out = an->node;
                *weight = an->weight;
                break;
            }
        if (*out && !*weight)
            /* a cycle: every walk of the tree would go round it */
            rc = dp_error_set(L->err, DP_EINVALID, "%s:%zu:%zu: alias *%s is inside its own anchor", L->file,
                              ev->start_mark.line + 1, ev->start_mark.column + 1, name);
        else if (!*out)
            rc = dp_error_set(L->err, DP_EINVALID, "%s:%zu:%zu: unknown alias *%s", L->file,
                              ev->start_mark.line + 1, ev->start_mark.column + 1, name);
        yaml_event_delete(ev);
        return rc;
    }
    case YAML_SCALAR_EVENT: {
        dp_node *n = new_node(L, DP_NODE_SCALAR, &ev->start_mark);
        if (!n) {
            yaml_event_delete(ev);
            return L->err ? L->err->code : DP_ENOMEM;
        }
        n->value = dp_arena_strndup(L->a, (const char *)ev->data.scalar.value,
                                    ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n->braces = memchr(ev->data.scalar.value, '{', ev->data.scalar.length) != NULL;
        rc = remember(L, ev->data.scalar.anchor, n, 1);
        yaml_event_delete(ev);
        *out = n;
        return rc;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        dp_node *n = new_node(L, is_map ? DP_NODE_MAP : DP_NODE_SEQ, &ev->start_mark);
        yaml_char_t *anc = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        if (!n || (rc = remember(L, anc, n, 0))) {
            yaml_event_delete(ev);
            return n ? rc : (L->err ? L->err->code : DP_ENOMEM);
        }
        anchor *self = anc ? L->anchors : NULL;
        yaml_event_delete(ev);
        size_t cap = 0;
        keyset ks = {0};
        for (;;) {
            yaml_event_t e;
            if ((rc = next_event(L, &e)))
                return rc;
            if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&e);
                break;
            }
            const char *key = NULL;
            if (is_map) {
                dp_node *k;
                size_t kw;
                yaml_mark_t km = e.start_mark;
                if ((rc = parse_node(L, &e, depth + 1, &k, &kw)))
                    return rc;
                if (k->kind != DP_NODE_SCALAR)
                    return dp_error_set(L->err, DP_EINVALID,
                                        "%s:%zu:%zu: mapping keys must be plain text", L->file,
                                        km.line + 1, km.column + 1);
                key = k->value;
                if (key_seen(L, &ks, n, key))
                    return dp_error_set(L->err, DP_EINVALID, "%s:%d:%d: duplicate key '%s'",
                                        L->file, k->line, k->col, key);
                if ((rc = next_event(L, &e)))
                    return rc;
            }
            dp_node *child;
            size_t cw;
            yaml_mark_t cm = e.start_mark;
            if ((rc = parse_node(L, &e, depth + 1, &child, &cw)) || (rc = add_weight(L, weight, cw, &cm)))
                return rc;
            if (n->n == cap) {
                size_t nc = cap ? cap * 2 : 4;
                n->items = dp_arena_grow(L->a, n->items, cap, nc, sizeof(*n->items));
                if (is_map)
                    n->keys = dp_arena_grow(L->a, n->keys, cap, nc, sizeof(*n->keys));
                if (!n->items || (is_map && !n->keys))
                    return dp_error_set(L->err, DP_ENOMEM, "out of memory");
                cap = nc;
            }
            if (is_map)
                n->keys[n->n] = key;
            n->items[n->n++] = child;
            n->braces |= child->braces;
        }
        if (self)
            self->weight = *weight;
        *out = n;
        return 0;
    }
    default:
        rc = dp_error_set(L->err, DP_EINVALID, "%s:%zu:%zu: unexpected YAML event", L->file,
                          ev->start_mark.line + 1, ev->start_mark.column + 1);
        yaml_event_delete(ev);
        return rc;
    }
}

int dp_yaml_parse(dp_node **out, dp_arena *a, const char *file, const char *text, size_t len,
                  dp_error *err)
{
    loader L = {0};
    int rc = 0;
    *out = NULL;
    L.a = a;
    L.err = err;
    L.file = dp_arena_strdup(a, file ? file : "<input>");
    if (len > DP_YAML_MAX_BYTES)
        return dp_error_set(err, DP_ELIMIT, "%s: larger than %u bytes", L.file, DP_YAML_MAX_BYTES);
    if (!yaml_parser_initialize(&L.parser))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&L.parser, (const unsigned char *)text, len);
    yaml_event_t ev;
    for (;;) {
        if ((rc = next_event(&L, &ev)))
            goto done;
        if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        break;
    }
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        yaml_mark_t m = {0, 0, 0};
        *out = new_node(&L, DP_NODE_MAP, &m);
        rc = *out ? 0 : DP_ENOMEM;
        goto done;
    }
    size_t weight;
    if ((rc = parse_node(&L, &ev, 0, out, &weight)))
        goto done;
    /* Let the parser check the rest of the document for syntax errors. */
    for (;;) {
        if ((rc = next_event(&L, &ev)))
            goto done;
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        if (t == YAML_DOCUMENT_END_EVENT || t == YAML_STREAM_END_EVENT)
            break;
    }
done:
    if (rc)
        *out = NULL;
    yaml_parser_delete(&L.parser);
    return rc;
}

int dp_yaml_load_file_cached(dp_node **out, dp_arena *a, const char *path, const char *cache_dir, int *stored,
                             dp_error *err)
{
    int rc = 0;
    char *text = NULL;
    if (stored)
        *stored = 0;
    FILE *f = dp_fs_open_read(path);
    if (!f)
        return dp_error_set(err, errno == ENOENT ? DP_ENOTFOUND : DP_EINVALID, "%s: %s", path,
                            errno == ENODEV ? "not a regular file" : strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) {
        rc = dp_error_set(err, DP_EINVALID, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    long sz = ftell(f);
    if (sz < 0) {
        rc = dp_error_set(err, DP_EINVALID, "%s: cannot read (is it a folder?)", path);
        goto done;
    }
    if ((unsigned long)sz > DP_YAML_MAX_BYTES) {
        rc = dp_error_set(err, DP_ELIMIT, "%s: larger than %u bytes", path, DP_YAML_MAX_BYTES);
        goto done;
    }
    rewind(f);
    text = malloc((size_t)sz + 1);
    if (!text) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    if (fread(text, 1, (size_t)sz, f) != (size_t)sz) {
        rc = dp_error_set(err, DP_EINVALID, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    text[sz] = 0;
    /* parsed before: the tree kept for this very content */
    dp_yaml_cache_key key;
    if (cache_dir) {
        dp_yaml_cache_key_of(text, (size_t)sz, &key);
        if (dp_yaml_cache_get(cache_dir, &key, path, a, out) == 0)
            goto done;
    }
    rc = dp_yaml_parse(out, a, path, text, (size_t)sz, err);
    if (!rc && cache_dir && dp_yaml_cache_put(cache_dir, &key, *out) == 0 && stored)
        *stored = 1;
done:
    free(text);
    fclose(f);
    return rc;
}

int dp_yaml_load_file(dp_node **out, dp_arena *a, const char *path, dp_error *err)
{
    return dp_yaml_load_file_cached(out, a, path, NULL, NULL, err);
}

/* YAML's merge key (`<<: *anchor`, `<<: [*a, *b]`), which dbt's YAML
 * reader honours: a key the map lacks is looked up in the merged maps, the
 * first one first. depth bounds anchors that merge each other. */
static const dp_node *node_get(const dp_node *map, const char *key, int depth)
{
    if (!map || map->kind != DP_NODE_MAP || depth > 8)
        return NULL;
    const dp_node *merge = NULL;
    /* the first byte first: most keys differ there (a catalog's loader asks
     * each mapping for a dozen keys, a million times at 10,000 models) */
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return map->items[i];
        if (!merge && k[0] == '<' && k[1] == '<' && !k[2])
            merge = map->items[i];
    }
    if (!merge || !strcmp(key, "<<"))
        return NULL;
    if (merge->kind == DP_NODE_MAP)
        return node_get(merge, key, depth + 1);
    for (size_t i = 0; merge->kind == DP_NODE_SEQ && i < merge->n; i++) {
        const dp_node *v = node_get(merge->items[i], key, depth + 1);
        if (v)
            return v;
    }
    return NULL;
}

const dp_node *dp_node_get(const dp_node *map, const char *key)
{
    return node_get(map, key, 0);
}

int dp_node_is_null(const dp_node *n)
{
    if (!n)
        return 1;
    if (n->kind != DP_NODE_SCALAR || !n->plain)
        return 0;
    const char *v = n->value; /* YAML's nulls: "", ~, null, Null, NULL */
    switch (v[0]) {
    case 0:
        return 1;
    case '~':
        return !v[1];
    case 'n':
        return !strcmp(v, "null");
    case 'N':
        return !strcmp(v, "Null") || !strcmp(v, "NULL");
    default:
        return 0;
    }
}

const char *dp_node_str(const dp_node *map, const char *key)
{
    const dp_node *n = dp_node_get(map, key);
    if (!n || n->kind != DP_NODE_SCALAR || dp_node_is_null(n))
        return NULL;
    return n->value;
}

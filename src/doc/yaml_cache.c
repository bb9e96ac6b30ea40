/* Parsed YAML kept in dpgen's state: a catalog loaded again skips the
 * parser, which is most of a large catalog's load (libyaml reads a
 * character at a time). An entry is a file's tree in a compact form, named
 * by a 128-bit hash of the file's content (so an edit makes a new entry,
 * never a stale one) and written atomically; reading one checks every
 * offset and that every child comes before its parent, so a damaged entry
 * is a miss (parsed again), never a crash or a cycle. Entries unused for
 * 30 days go when a load writes new ones.
 *
 * Layout, in the machine's byte order (the state is the machine's):
 * header, the strings (each NUL-terminated, each once), the nodes
 * (children first, the root last), the edges (a map's node: key, child
 * pairs; a sequence's: children). */
#include "doc/yaml_cache.h"
#include "util/fs.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "DPYTREE2" /* 2: the hash of 4 lanes */
#define BOM 0x01020304u
#define KEEP_DAYS 30

typedef struct header {
    char magic[8];
    uint32_t bom, nnodes;
    uint64_t len, h1, h2; /* the content's length and hash */
    uint64_t strbytes, nedges;
    uint64_t body; /* hash of all that follows: a damaged entry is a miss */
} header;

typedef struct rec {
    uint8_t kind, plain, braces, pad;
    uint32_t line, col;
    uint32_t value; /* a scalar's text: offset + 1 in the strings */
    uint32_t n;     /* entries (map) or items (sequence) */
    uint32_t edge;  /* where they start in the edges */
} rec;

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t fmix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    return k ^ (k >> 33);
}

/* Four independent 64-bit lanes over 32-byte blocks (the multiplies of one
 * block overlap), then two over the last 8-byte words: a few GB/s, so
 * hashing a catalog or an entry costs a small part of reading it. */
static void hash128(const char *text, size_t len, uint64_t *h1, uint64_t *h2)
{
    const uint64_t P1 = 0x9e3779b185ebca87ull, P2 = 0xc2b2ae3d27d4eb4full;
    uint64_t v[4] = {0x9e3779b97f4a7c15ull ^ len, 0x6a09e667f3bcc909ull + len, 0xbb67ae8584caa73bull,
                     0x3c6ef372fe94f82bull ^ (len << 1)};
    const unsigned char *p = (const unsigned char *)text;
    size_t n = len;
    for (; n >= 32; p += 32, n -= 32)
        for (int i = 0; i < 4; i++) {
            uint64_t w;
            memcpy(&w, p + 8 * i, 8);
            v[i] = rotl(v[i] + w * P2, 31) * P1;
        }
    uint64_t a = v[0] ^ rotl(v[1], 7) ^ rotl(v[2], 12) ^ rotl(v[3], 18);
    uint64_t b = v[1] + rotl(v[2], 23) + rotl(v[3], 29) + rotl(v[0], 41);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        a = rotl(a ^ (w * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full;
        b = rotl(b + w, 27) * 0x9e3779b97f4a7c15ull + 0x52dce729;
    }
    uint64_t t = 0;
    memcpy(&t, p, n);
    a = fmix(a ^ t ^ rotl(b, 17));
    b = fmix(b + t + a);
    *h1 = a;
    *h2 = b;
}

void dp_yaml_cache_key_of(const char *text, size_t len, dp_yaml_cache_key *k)
{
    hash128(text, len, &k->h1, &k->h2);
    k->len = len;
}

static void entry_path(char *out, size_t n, const char *dir, const dp_yaml_cache_key *k)
{
    snprintf(out, n, "%s/%016llx%016llx.yt", dir, (unsigned long long)k->h1, (unsigned long long)k->h2);
}

int dp_yaml_cache_get(const char *dir, const dp_yaml_cache_key *k, const char *file, dp_arena *a, dp_node **out)
{
    char path[4300];
    char *buf = NULL;
    size_t n = 0;
    int rc = -1;
    *out = NULL;
    entry_path(path, sizeof(path), dir, k);
    if (dp_fs_read_file(path, (size_t)DP_YAML_MAX_BYTES * 8, &buf, &n))
        return -1;
    header h;
    if (n < sizeof(h))
        goto done;
    memcpy(&h, buf, sizeof(h));
    if (memcmp(h.magic, MAGIC, 8) || h.bom != BOM || h.len != k->len || h.h1 != k->h1 || h.h2 != k->h2 || h.nnodes == 0 ||
        h.nnodes > DP_YAML_MAX_NODES || h.strbytes == 0 || h.strbytes > n || h.nedges > n ||
        sizeof(h) + h.strbytes + (uint64_t)h.nnodes * sizeof(rec) + h.nedges * 4 != n)
        goto done;
    const char *strs0 = buf + sizeof(h);
    uint64_t body, ignore;
    hash128(strs0, n - sizeof(h), &body, &ignore);
    if (body != h.body)
        goto done;
    if (strs0[h.strbytes - 1] != 0)
        goto done;
    const char *recs = strs0 + h.strbytes;
    const char *edges0 = recs + (size_t)h.nnodes * sizeof(rec);
    /* not zeroed: every node is set below, the strings copied, and every
     * edge's pointer set (the edges are checked to be used exactly once) */
    dp_node *nodes = dp_arena_alloc_uninit(a, (size_t)h.nnodes * sizeof(dp_node));
    char *strs = dp_arena_alloc_text(a, h.strbytes);
    /* every child and key pointer at once: at most one per edge */
    void **ptrs = h.nedges ? dp_arena_alloc_uninit(a, h.nedges * sizeof(void *)) : NULL;
    const char *fname = dp_arena_strdup(a, file);
    if (!nodes || !strs || (h.nedges && !ptrs) || !fname)
        goto done;
    memcpy(strs, strs0, h.strbytes);
    uint64_t next_edge = 0;
    for (uint32_t i = 0; i < h.nnodes; i++) {
        rec r;
        memcpy(&r, recs + (size_t)i * sizeof(rec), sizeof(r));
        dp_node *nd = &nodes[i];
        memset(nd, 0, sizeof(*nd));
        nd->file = fname;
        nd->line = (int)r.line;
        nd->col = (int)r.col;
        nd->plain = r.plain;
        nd->braces = r.braces;
        if (r.kind == DP_NODE_SCALAR) {
            if (r.value == 0 || r.value > h.strbytes || r.n)
                goto done;
            nd->kind = DP_NODE_SCALAR;
            nd->value = strs + r.value - 1;
            continue;
        }
        if (r.kind != DP_NODE_MAP && r.kind != DP_NODE_SEQ)
            goto done;
        nd->kind = (dp_node_kind)r.kind;
        uint64_t width = r.kind == DP_NODE_MAP ? 2 : 1, used = (uint64_t)r.n * width;
        if (r.edge != next_edge || next_edge + used > h.nedges) /* each node its own edges, in order */
            goto done;
        nd->n = r.n;
        if (!r.n)
            continue;
        /* the edges a node uses are its own slots in ptrs: keys in the
         * first half of them, children in the second (maps) */
        void **slot = ptrs + r.edge;
        if (r.kind == DP_NODE_MAP) {
            nd->keys = (const char **)slot;
            nd->items = (dp_node **)(slot + r.n);
        } else {
            nd->items = (dp_node **)slot;
        }
        for (uint32_t j = 0; j < r.n; j++) {
            uint32_t child, key = 0;
            memcpy(&child, edges0 + ((size_t)r.edge + (width == 2 ? r.n : 0) + j) * 4, 4);
            if (width == 2)
                memcpy(&key, edges0 + ((size_t)r.edge + j) * 4, 4);
            if (child >= i || key >= h.strbytes) /* children come first: no cycle, no forward reference */
                goto done;
            if (width == 2)
                nd->keys[j] = strs + key;
            nd->items[j] = &nodes[child];
        }
        next_edge += used;
    }
    if (next_edge != h.nedges)
        goto done;
    *out = &nodes[h.nnodes - 1];
    rc = 0;
    /* in use: kept by the pruning of old entries (a day's resolution) */
    struct stat st;
    if (stat(path, &st) == 0 && time(NULL) - st.st_mtime > 86400)
        utimensat(AT_FDCWD, path, NULL, 0);
done:
    free(buf);
    return rc;
}

/* ---- writing ---- */

typedef struct enc {
    /* nodes already written (a shared anchor is written once): pointer -> id */
    const dp_node **seen;
    uint32_t *seen_id;
    size_t seen_cap;
    /* strings already written: offset + 1 by hash slot */
    uint32_t *str_slot;
    size_t str_cap;
    char *strs;
    size_t nstrs, strs_cap;
    rec *recs;
    size_t nrecs, recs_cap;
    uint32_t *edges;
    size_t nedges, edges_cap;
    int bad;
} enc;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The offset of s in the strings, added once. */
static uint32_t str_add(enc *E, const char *s)
{
    size_t mask = E->str_cap - 1, i = hash_str(s) & mask;
    for (; E->str_slot[i]; i = (i + 1) & mask)
        if (!strcmp(E->strs + E->str_slot[i] - 1, s))
            return E->str_slot[i] - 1;
    size_t len = strlen(s) + 1;
    if (E->nstrs + len > UINT32_MAX - 1 || grow((void **)&E->strs, &E->strs_cap, E->nstrs + len, 1)) {
        E->bad = 1;
        return 0;
    }
    memcpy(E->strs + E->nstrs, s, len);
    uint32_t off = (uint32_t)E->nstrs;
    E->nstrs += len;
    E->str_slot[i] = off + 1;
    return off;
}

static size_t ptr_slot(const enc *E, const dp_node *n)
{
    size_t mask = E->seen_cap - 1, i = ((uintptr_t)n >> 4) * 11400714819323198485ull & mask;
    while (E->seen[i] && E->seen[i] != n)
        i = (i + 1) & mask;
    return i;
}

/* Writes n's children, then n; its id. Anchors used inside anchors can
 * nest deeper than the parser's depth: past MAX_DEPTH the file is not
 * kept (it parses as before). */
#define MAX_DEPTH 1024
static uint32_t put_node(enc *E, const dp_node *n, int depth)
{
    size_t s = ptr_slot(E, n);
    if (E->seen[s])
        return E->seen_id[s];
    if (depth > MAX_DEPTH) {
        E->bad = 1;
        return 0;
    }
    uint32_t kids[64], *child = n->n <= 64 ? kids : malloc(n->n * sizeof(uint32_t));
    if (!child) {
        E->bad = 1;
        return 0;
    }
    for (size_t k = 0; k < n->n && !E->bad; k++)
        child[k] = put_node(E, n->items[k], depth + 1);
    rec r = {(uint8_t)n->kind,
             (uint8_t)(n->plain != 0),
             (uint8_t)(n->braces != 0),
             0,
             (uint32_t)n->line,
             (uint32_t)n->col,
             0,
             (uint32_t)n->n,
             (uint32_t)E->nedges};
    size_t width = n->kind == DP_NODE_MAP ? 2 : 1;
    if (n->kind == DP_NODE_SCALAR) {
        r.value = str_add(E, n->value ? n->value : "") + 1;
        r.n = 0;
    } else if (!E->bad && !grow((void **)&E->edges, &E->edges_cap, E->nedges + n->n * width, 4)) {
        /* a map's keys then its children: the reader's slots take them in that order */
        for (size_t k = 0; k < n->n; k++) {
            if (width == 2)
                E->edges[E->nedges + k] = str_add(E, n->keys[k]);
            E->edges[E->nedges + (width == 2 ? n->n : 0) + k] = child[k];
        }
        E->nedges += n->n * width;
    } else {
        E->bad = 1;
    }
    if (child != kids)
        free(child);
    if (E->bad || grow((void **)&E->recs, &E->recs_cap, E->nrecs + 1, sizeof(rec))) {
        E->bad = 1;
        return 0;
    }
    uint32_t id = (uint32_t)E->nrecs;
    E->recs[E->nrecs++] = r;
    s = ptr_slot(E, n); /* the table did not move (sized for every node) */
    E->seen[s] = n;
    E->seen_id[s] = id;
    return id;
}

static size_t count_nodes(const dp_node *n, size_t depth)
{
    size_t c = 1;
    for (size_t k = 0; k < n->n && depth < DP_YAML_MAX_DEPTH * 2; k++)
        c += count_nodes(n->items[k], depth + 1);
    return c;
}

static int write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t w = write(fd, c, n);
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int dp_yaml_cache_put(const char *dir, const dp_yaml_cache_key *k, const dp_node *tree)
{
    enc E = {0};
    int rc = -1, fd = -1;
    char *out = NULL;
    char path[4300], tmp[4400];
    /* with shared anchors expanded: an upper bound of the nodes */
    size_t total = count_nodes(tree, 0);
    if (total > DP_YAML_MAX_NODES)
        return -1;
    for (E.seen_cap = 16; E.seen_cap < total * 2; E.seen_cap *= 2)
        ;
    E.str_cap = E.seen_cap * 2; /* scalars and map keys: at most two strings a node */
    E.seen = calloc(E.seen_cap, sizeof(*E.seen));
    E.seen_id = calloc(E.seen_cap, sizeof(*E.seen_id));
    E.str_slot = calloc(E.str_cap, sizeof(*E.str_slot));
    if (!E.seen || !E.seen_id || !E.str_slot)
        goto done;
    str_add(&E, ""); /* the strings are never empty, and end with a NUL */
    put_node(&E, tree, 0);
    if (E.bad)
        goto done;
    header h = {{0}, BOM, (uint32_t)E.nrecs, k->len, k->h1, k->h2, E.nstrs, E.nedges, 0};
    memcpy(h.magic, MAGIC, 8);
    size_t size = sizeof(h) + E.nstrs + E.nrecs * sizeof(rec) + E.nedges * 4;
    if (!(out = malloc(size)))
        goto done;
    char *body = out + sizeof(h);
    memcpy(body, E.strs, E.nstrs);
    memcpy(body + E.nstrs, E.recs, E.nrecs * sizeof(rec));
    if (E.nedges)
        memcpy(body + E.nstrs + E.nrecs * sizeof(rec), E.edges, E.nedges * 4);
    uint64_t ignore;
    hash128(body, size - sizeof(h), &h.body, &ignore);
    memcpy(out, &h, sizeof(h));
    if (dp_mkdirs(dir, 0))
        goto done;
    entry_path(path, sizeof(path), dir, k);
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%ld-XXXXXX", dir, (long)getpid());
    if ((fd = mkstemp(tmp)) < 0)
        goto done;
    if (write_all(fd, out, size) || close(fd)) {
        fd = -1;
        unlink(tmp);
        goto done;
    }
    fd = -1;
    if (rename(tmp, path)) {
        unlink(tmp);
        goto done;
    }
    rc = 0;
done:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(E.seen);
    free(E.seen_id);
    free(E.str_slot);
    free(E.strs);
    free(E.recs);
    free(E.edges);
    free(out);
    return rc;
}

void dp_yaml_cache_prune(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4400];
    time_t now = time(NULL);
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        int entry = n > 3 && !strcmp(e->d_name + n - 3, ".yt"), tmp = !strncmp(e->d_name, ".tmp-", 5);
        struct stat st;
        if ((!entry && !tmp) || snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
            lstat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        /* a write of another process in flight is hours younger than this */
        if (now - st.st_mtime > (tmp ? 3600 : KEEP_DAYS * 86400))
            unlink(path);
    }
    if (d)
        closedir(d);
}

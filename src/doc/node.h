/* Document trees read from YAML (catalog files): every node keeps its file,
 * line and column so errors can point at it. Nodes live in an arena. */
#ifndef DP_DOC_NODE_H
#define DP_DOC_NODE_H
#include <stddef.h>
#include "dpgen/dpgen.h"
#include "util/arena.h"

typedef enum { DP_NODE_SCALAR, DP_NODE_MAP, DP_NODE_SEQ } dp_node_kind;

typedef struct dp_node {
    dp_node_kind kind;
    const char *file; /* borrowed from the arena */
    int line, col;    /* 1-based */
    const char *value; /* scalar text (never NULL for scalars) */
    int plain;         /* scalar was unquoted (so "null"/"~" mean null) */
    int braces;        /* a '{' is in its text or below it (what Jinja could need) */
    size_t n;
    const char **keys;      /* map keys, n of them */
    struct dp_node **items; /* map values or sequence items */
} dp_node;

/* Limits on what input can grow. */
#define DP_YAML_MAX_DEPTH 64
#define DP_YAML_MAX_NODES 2000000
#define DP_YAML_MAX_BYTES (256u * 1024 * 1024)

/* Parses the first document of text into a tree allocated in a. Empty input
 * gives an empty map. Errors name file:line:column and the problem. */
int dp_yaml_parse(dp_node **out, dp_arena *a, const char *file, const char *text, size_t len,
                  dp_error *err);
/* Reads and parses a file. */
int dp_yaml_load_file(dp_node **out, dp_arena *a, const char *path, dp_error *err);
/* The same, with the trees kept in cache_dir (NULL: none; yaml_cache.h):
 * a file whose content was parsed before is not parsed again; *stored
 * (may be NULL) says a new tree was kept. */
int dp_yaml_load_file_cached(dp_node **out, dp_arena *a, const char *path, const char *cache_dir, int *stored,
                             dp_error *err);

/* Reads and parses files[0..n) on up to threads threads (0: one per
 * processor), with their trees kept in cache_dir (NULL: none), and hands each tree to visit(ctx, i, tree) on the
 * calling thread, in file order; a tree lives until visit returns. Stops at the first file (in order) that fails to
 * parse or that visit refuses (its non-zero code is returned, err set by visit). */
typedef int (*dp_yaml_visit)(void *ctx, size_t i, const dp_node *tree);
int dp_yaml_load_files(const char *const *files, size_t n, unsigned threads, const char *cache_dir, dp_yaml_visit visit,
                       void *ctx, dp_error *err);

/* The same with work on the worker threads: work(ctx, i, tree, &result,
 * err) runs on each file's tree as soon as it is read (on any thread, so it
 * must touch nothing shared but what it only reads; the tree is freed after
 * it), then visit(ctx, i, NULL, result) on the calling thread in file order
 * (the result is then the visit's); drop(ctx, result) frees the result of a
 * file read past a stop. Without work, visit gets the tree (result NULL). */
typedef struct dp_yaml_steps {
    int (*work)(void *ctx, size_t i, const dp_node *tree, void **result, dp_error *err);
    int (*visit)(void *ctx, size_t i, const dp_node *tree, void *result);
    void (*drop)(void *ctx, void *result);
} dp_yaml_steps;
int dp_yaml_load_files_steps(const char *const *files, size_t n, unsigned threads, const char *cache_dir,
                             const dp_yaml_steps *steps, void *ctx, dp_error *err);

/* Map lookup (NULL when absent or not a map). */
const dp_node *dp_node_get(const dp_node *map, const char *key);
/* Scalar value of map[key], NULL when absent, null, or not a scalar. */
const char *dp_node_str(const dp_node *map, const char *key);
int dp_node_is_null(const dp_node *n);

#endif

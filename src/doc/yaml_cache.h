/* Parsed YAML kept in a folder of dpgen's state (yaml_cache.c): trees
 * named by their file's content, so a catalog loaded again skips the
 * parser. */
#ifndef DP_DOC_YAML_CACHE_H
#define DP_DOC_YAML_CACHE_H
#include <stddef.h>
#include <stdint.h>
#include "doc/node.h"

/* What names an entry: the content's length and 128-bit hash (computed
 * once per file, for the read and, on a miss, the write). */
typedef struct dp_yaml_cache_key {
    uint64_t h1, h2;
    size_t len;
} dp_yaml_cache_key;
void dp_yaml_cache_key_of(const char *text, size_t len, dp_yaml_cache_key *k);
/* The tree of the content k names as kept in dir, allocated in a, its
 * nodes naming file: 0, or -1 when dir has none for this content (or a
 * damaged one). */
int dp_yaml_cache_get(const char *dir, const dp_yaml_cache_key *k, const char *file, dp_arena *a, dp_node **out);
/* Keeps tree, parsed from the content k names, in dir (made if missing),
 * written atomically: 0, or -1 when it could not (nothing is left behind). */
int dp_yaml_cache_put(const char *dir, const dp_yaml_cache_key *k, const dp_node *tree);
/* Removes entries of dir unused for 30 days, and temporary files of
 * writes that died. */
void dp_yaml_cache_prune(const char *dir);

#endif

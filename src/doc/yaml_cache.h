/* Parsed YAML kept in a folder of dpgen's state (yaml_cache.c): trees
 * named by their file's content, so a catalog loaded again skips the
 * parser. */
#ifndef DP_DOC_YAML_CACHE_H
#define DP_DOC_YAML_CACHE_H
#include <stddef.h>
#include <stdint.h>
#include "doc/node.h"

/* The tree of text (len bytes, read from file, which its nodes name) as
 * kept in dir, allocated in a: 0, or -1 when dir has none for this content
 * (or a damaged one). */
int dp_yaml_cache_get(const char *dir, const char *file, const char *text, size_t len, dp_arena *a, dp_node **out);
/* Keeps tree, parsed from text, in dir (made if missing), written
 * atomically: 0, or -1 when it could not (nothing is left behind). */
int dp_yaml_cache_put(const char *dir, const char *text, size_t len, const dp_node *tree);
/* Removes entries of dir unused for 30 days, and temporary files of
 * writes that died. */
void dp_yaml_cache_prune(const char *dir);
/* The content hash entries are named by. */
void dp_yaml_cache_hash(const char *text, size_t len, uint64_t *h1, uint64_t *h2);

#endif

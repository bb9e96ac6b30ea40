/* JSON documents kept between runs by a long-lived catalog, by key: the
 * parse trees of SQL texts runs ask for again (libpg_query's JSON read by
 * jansson, ~0.7 ms for a run's quality rules) and the source checks the
 * state holds under the data's fingerprint (a SQLite read and a JSON parse
 * each, a dozen per run). The least recently used go first past a cap on
 * entries and key bytes; shared by the server's threads. A kept document
 * is never changed: callers only read it (or copy it). */
#ifndef DP_UTIL_JSON_MEMO_H
#define DP_UTIL_JSON_MEMO_H
#include <jansson.h>
#include <stddef.h>

typedef struct dp_json_memo dp_json_memo;

/* The document of key, made when the memo does not hold it: a new
 * reference, or NULL for none (nothing is kept then). */
typedef json_t *(*dp_json_memo_load_fn)(void *payload, const char *key);

/* NULL when out of memory. */
dp_json_memo *dp_json_memo_new(size_t max_entries, size_t max_key_bytes);
void dp_json_memo_free(dp_json_memo *m);
/* The document of key (a reference of the caller's: json_decref it), kept
 * or loaded now and kept; NULL when load has none or memory runs out. m
 * may be NULL (loaded, not kept). Thread-safe; load runs outside the lock,
 * so two threads may load one key at once (both answers are right). */
json_t *dp_json_memo_get(dp_json_memo *m, const char *key, dp_json_memo_load_fn load, void *payload);
/* Documents answered from the memo and loaded, since it was made. */
void dp_json_memo_counts(dp_json_memo *m, size_t *hits, size_t *misses);

#endif

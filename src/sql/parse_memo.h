/* Parse trees kept between runs: PostgreSQL's grammar (libpg_query) gives
 * a statement's tree as JSON text that jansson then reads, ~0.7 ms for a
 * run's quality rules; a long-lived catalog keeps the trees of the texts it
 * parsed last (least recently used first out, a cap on entries and bytes),
 * shared by the server's threads. A kept tree is never changed: callers
 * only read it. */
#ifndef DP_SQL_PARSE_MEMO_H
#define DP_SQL_PARSE_MEMO_H
#include <jansson.h>
#include <stddef.h>

typedef struct dp_parse_memo dp_parse_memo;

/* NULL when out of memory. */
dp_parse_memo *dp_parse_memo_new(size_t max_entries, size_t max_text_bytes);
void dp_parse_memo_free(dp_parse_memo *m);
/* The tree of text (a reference of the caller's: json_decref it), kept or
 * parsed now and kept; NULL when text does not parse or memory runs out.
 * m may be NULL (parsed, not kept). Thread-safe. */
json_t *dp_parse_memo_get(dp_parse_memo *m, const char *text);
/* Trees answered from the memo and parsed, since it was made. */
void dp_parse_memo_counts(dp_parse_memo *m, size_t *hits, size_t *misses);

#endif

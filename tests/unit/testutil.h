/* Helpers every unit test may use: where the source tree is, whole files,
 * and removing a scratch folder. Linked into each test (testutil.c). */
#ifndef DP_TESTS_TESTUTIL_H
#define DP_TESTS_TESTUTIL_H
#include <stddef.h>

/* $DP_SOURCE_DIR, else the tree the test was built from. */
const char *tu_source_dir(void);
/* A whole file, NUL-terminated (malloc'd; NULL when unreadable); its
 * length in *len when len is not NULL. */
char *tu_read_text(const char *path, size_t *len);
/* Builds the demo database at db_path (scale: of the demo's rows) and
 * opens the demo catalog on it without state. Returns 0, or -1 after
 * printing why. */
struct dp_catalog;
int tu_open_demo(struct dp_catalog **cat, const char *db_path, double scale);
/* Calls fn for every regular file of dir whose name does not start with a
 * dot, in name order, with the file's bytes (NUL-terminated past len).
 * Returns how many it called fn for; a file it cannot read is printed and
 * counted in *unreadable, a folder it cannot read is printed and gives 0. */
typedef void (*tu_corpus_fn)(const char *name, unsigned char *data, size_t len, void *payload);
size_t tu_corpus_each(const char *dir, tu_corpus_fn fn, void *payload, size_t *unreadable);
/* Writes a DuckDB file at path holding what sql creates; 0, or -1 after
 * printing why. */
int tu_write_db(const char *path, const char *sql);
/* Removes a folder and everything under it (symbolic links not followed). */
void tu_rm_tree(const char *path);

#endif

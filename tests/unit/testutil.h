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
/* Removes a folder and everything under it (symbolic links not followed). */
void tu_rm_tree(const char *path);

#endif

/* Small file-system and clock helpers shared by the library. */
#ifndef DP_UTIL_FS_H
#define DP_UTIL_FS_H

/* mkdir -p of path (or only of its parent folders when parent_only).
 * Returns 0, or -1 with errno set (ENAMETOOLONG for an over-long path). */
int dp_mkdirs(const char *path, int parent_only);
/* Reads a whole regular file of at most max bytes into *out (malloc'd,
 * NUL-terminated; the caller frees it) and its length into *len. Returns 0,
 * or -1 with errno set (EFBIG when larger than max, EINVAL when not a
 * regular file). */
#include <stddef.h>
int dp_fs_read_file(const char *path, size_t max, char **out, size_t *len);
/* fopen(path, "rb") that never blocks on a FIFO or device: a file that is
 * neither regular nor a folder gives NULL with errno ENODEV. */
#include <stdio.h>
FILE *dp_fs_open_read(const char *path);
/* Monotonic clock in milliseconds. */
double dp_now_ms(void);

#define DP_FS_TREE_MAX 200000 /* entries a tree fingerprint looks at */

/* A fingerprint of a file, or of a folder and everything under it (names,
 * sizes, modification times, in name order), as 16 hex digits: it changes
 * when any file is written, added, removed or renamed. -1 when the path is
 * missing, a folder cannot be read, or the tree holds more than
 * DP_FS_TREE_MAX entries. */
int dp_fs_tree_fingerprint(const char *path, char out[17]);

#endif

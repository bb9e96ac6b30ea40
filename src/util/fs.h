/* Small file-system and clock helpers shared by the library. */
#ifndef DP_UTIL_FS_H
#define DP_UTIL_FS_H

/* mkdir -p of path (or only of its parent folders when parent_only).
 * Returns 0, or -1 with errno set (ENAMETOOLONG for an over-long path). */
int dp_mkdirs(const char *path, int parent_only);
/* Monotonic clock in milliseconds. */
double dp_now_ms(void);

#endif

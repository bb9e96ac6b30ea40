/* A folder as a zip archive (zip.c). */
#ifndef DP_SERVER_ZIP_H
#define DP_SERVER_ZIP_H
#include <stddef.h>

#define DP_ZIP_MAX (1024u * 1024 * 1024) /* bytes of an archive: no Zip64 */

/* Every regular file under dir (names relative to it, '/'-separated, in
 * name order), deflated, into *out (malloc'd, *len bytes). 0, or -1 with
 * why set. */
int dp_srv_zip_dir(const char *dir, char **out, size_t *len, char *why, size_t n);

#endif

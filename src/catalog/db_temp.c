/* DuckDB's spill folder: one per open database under dpgen's state, removed
 * when the database closes; the folders of processes that were killed are
 * removed at the next open. DuckDB's default is ./.tmp of the current
 * folder, which a killed run leaves behind. */
#include "catalog/db.h"
#include "util/error.h"
#include "util/fs.h"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void dp_db__temp_remove(const char *dir)
{
    if (dir && *dir)
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A folder "<pid>-XXXXXX" whose process is gone. A pid reused by another
 * process keeps its folder until that one ends too: never a live one's. */
static int stale(const char *name)
{
    char *end;
    long pid = strtol(name, &end, 10);
    if (end == name || *end != '-' || pid <= 0 || pid == (long)getpid())
        return 0;
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

int dp_db__temp_make(const char *root, char *out, size_t n, dp_error *err)
{
    if (dp_mkdirs(root, 0))
        return dp_error_set(err, DP_EINVALID, "spill folder %s: %s", root, strerror(errno));
    DIR *d = opendir(root);
    struct dirent *e;
    char path[4200];
    while (d && (e = readdir(d)))
        if (stale(e->d_name) && snprintf(path, sizeof(path), "%s/%s", root, e->d_name) < (int)sizeof(path))
            dp_db__temp_remove(path);
    if (d)
        closedir(d);
    if (snprintf(out, n, "%s/%ld-XXXXXX", root, (long)getpid()) >= (int)n) {
        out[0] = 0;
        return dp_error_set(err, DP_ELIMIT, "spill folder %s: path too long", root);
    }
    if (!mkdtemp(out)) {
        out[0] = 0; /* nothing of ours to remove */
        return dp_error_set(err, DP_EINVALID, "spill folder %s: %s", root, strerror(errno));
    }
    return 0;
}

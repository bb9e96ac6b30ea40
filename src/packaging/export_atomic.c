/* An export folder replaced whole: the files are written into a temporary
 * folder beside DIR, synced, then renamed into place, so a kill or an error
 * leaves the previous tree or the new one, never a part of one. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "packaging/export_int.h"
#include "util/error.h"
#include "util/fs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void dp_export__remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

static int sync_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (flag != FTW_F && flag != FTW_DP)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    int bad = fsync(fd) != 0 && errno != EINVAL; /* EINVAL: the file system has no sync */
    close(fd);
    return bad;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* dir split into its parent folder and its last name (no trailing slash). */
static int split(const char *dir, char *parent, size_t pcap, char *base, size_t bcap)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n >= sizeof(buf))
        return -1;
    memcpy(buf, dir, n);
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    const char *b = slash ? slash + 1 : buf;
    if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
        return -1;
    if (snprintf(base, bcap, "%s", b) >= (int)bcap)
        return -1;
    if (!slash)
        return snprintf(parent, pcap, ".") >= (int)pcap ? -1 : 0;
    if (slash == buf)
        return snprintf(parent, pcap, "/") >= (int)pcap ? -1 : 0;
    *slash = 0;
    return snprintf(parent, pcap, "%s", buf) >= (int)pcap ? -1 : 0;
}

/* Leftovers of a killed run beside dir ("<base>.tmp-<pid>-XXXXXX", and the
 * previous tree set aside as "...-old" where the exchange is not available)
 * whose process is gone are removed; a set-aside tree is put back first
 * when dir itself is missing, so a kill between the two renames loses nothing. */
static void clean_leftovers(const char *parent, const char *base, const char *dir)
{
    DIR *d = opendir(parent);
    if (!d)
        return;
    char prefix[NAME_MAX + 8];
    snprintf(prefix, sizeof(prefix), "%s.tmp-", base);
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen))
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (*end != '-' || pid <= 0 || pid == (long)getpid() || !(kill((pid_t)pid, 0) && errno == ESRCH))
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", parent, e->d_name) >= (int)sizeof(path))
            continue;
        size_t n = strlen(e->d_name);
        struct stat st;
        if (n > 4 && !strcmp(e->d_name + n - 4, "-old") && lstat(dir, &st) && errno == ENOENT && !rename(path, dir))
            continue;
        dp_export__remove_tree(path);
    }
    closedir(d);
}

/* An existing dir is replaced only when it is empty or a previous export
 * (it has spec.json): --out pointed at a folder of other files by mistake
 * must not delete them. */
static int replaceable(const char *dir, dp_error *err)
{
    struct stat st;
    if (lstat(dir, &st)) {
        if (errno == ENOENT)
            return 0;
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return dp_error_set(err, DP_EINVALID, "%s exists and is not a folder", dir);
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/spec.json", dir);
    if (!access(path, F_OK))
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty ? 0
                 : dp_error_set(err, DP_EINVALID,
                                "%s is a folder of other files, not a previous export (no spec.json): the export "
                                "replaces its folder whole, so give a new or empty folder",
                                dir);
}

int dp_export__atomic_begin(const char *dir, char *tmp, size_t cap, dp_error *err)
{
    char parent[PATH_MAX], base[NAME_MAX + 1];
    if (split(dir, parent, sizeof(parent), base, sizeof(base)))
        return dp_error_set(err, DP_EINVALID, "%s: give the export folder by its name", dir);
    int rc = replaceable(dir, err);
    if (rc)
        return rc;
    if (dp_mkdirs(parent, 0))
        return dp_error_set(err, DP_EINVALID, "%s: %s", parent, strerror(errno));
    clean_leftovers(parent, base, dir);
    if (snprintf(tmp, cap, "%s/%s.tmp-%ld-XXXXXX", parent, base, (long)getpid()) >= (int)cap)
        return dp_error_set(err, DP_EINVALID, "%s: path too long", dir);
    if (!mkdtemp(tmp))
        return dp_error_set(err, DP_EINVALID, "%s: cannot create a folder beside it: %s", dir, strerror(errno));
    chmod(tmp, 0755); /* as a folder mkdir would make, not mkdtemp's 0700 */
    return 0;
}

int dp_export__atomic_commit(const char *dir, const char *tmp, dp_error *err)
{
    char parent[PATH_MAX], base[NAME_MAX + 1];
    if (split(dir, parent, sizeof(parent), base, sizeof(base)))
        return dp_error_set(err, DP_EINVALID, "%s: give the export folder by its name", dir);
    if (nftw(tmp, sync_one, 16, FTW_DEPTH | FTW_PHYS))
        return dp_error_set(err, DP_EINVALID, "%s: cannot sync the written files: %s", dir, strerror(errno));
    struct stat st;
    if (lstat(dir, &st) && errno == ENOENT) {
        if (rename(tmp, dir))
            return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
        sync_dir(parent);
        return 0;
    }
#ifdef RENAME_EXCHANGE
    /* one step: the new tree takes dir's name, the old one tmp's */
    if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE)) {
        sync_dir(parent);
        dp_export__remove_tree(tmp);
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
#endif
    /* two steps where the file system cannot exchange: a kill between them
     * leaves the old tree as "<tmp>-old", which the next export puts back */
    char old[PATH_MAX];
    if (snprintf(old, sizeof(old), "%s-old", tmp) >= (int)sizeof(old))
        return dp_error_set(err, DP_EINVALID, "%s: path too long", dir);
    if (rename(dir, old))
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(errno));
    if (rename(tmp, dir)) {
        int e = errno;
        rename(old, dir);
        return dp_error_set(err, DP_EINVALID, "%s: %s", dir, strerror(e));
    }
    sync_dir(parent);
    dp_export__remove_tree(old);
    return 0;
}

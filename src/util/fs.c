/* mkdir -p, reading a whole file, and a monotonic clock. */
#include "util/fs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

int dp_mkdirs(const char *path, int parent_only)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (!parent_only && mkdir(buf, 0755) && errno != EEXIST)
        return -1;
    return 0;
}

FILE *dp_fs_open_read(const char *path)
{
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
        close(fd);
        errno = ENODEV;
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

double dp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int dp_fs_read_file(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 || (size_t)st.st_size > max) {
        int e = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? EFBIG : EINVAL;
        close(fd);
        errno = e;
        return -1;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    size_t got = 0;
    while (buf && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            break;
        }
        got += (size_t)r;
    }
    int e = errno;
    close(fd);
    if (!buf || got != n) {
        free(buf);
        errno = buf ? (e ? e : EIO) : ENOMEM;
        return -1;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

/* FNV-1a over bytes. */
static unsigned long long fnv(unsigned long long h, const void *p, size_t n)
{
    for (const unsigned char *c = p; n--; c++)
        h = (h ^ *c) * 1099511628211ull;
    return h;
}

/* Adds every entry under dir (name, kind, size, mtime), in name order, up
 * to *budget entries; -1 when the budget runs out or a folder cannot be
 * read. */
static int tree_walk(const char *dir, unsigned long long *h, long *budget, int depth)
{
    struct dirent **list = NULL;
    int n = depth > 32 ? -1 : scandir(dir, &list, NULL, alphasort), rc = n < 0 ? -1 : 0;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        char path[4096];
        struct stat st;
        if (!rc && strcmp(nm, ".") && strcmp(nm, "..") &&
            snprintf(path, sizeof(path), "%s/%s", dir, nm) < (int)sizeof(path) && stat(path, &st) == 0) {
            if (--*budget < 0) {
                rc = -1;
            } else {
                long long meta[4] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec,
                                     S_ISDIR(st.st_mode)};
                *h = fnv(fnv(*h, nm, strlen(nm) + 1), meta, sizeof(meta));
                if (S_ISDIR(st.st_mode))
                    rc = tree_walk(path, h, budget, depth + 1);
            }
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int dp_fs_tree_fingerprint(const char *path, char out[17])
{
    struct stat st;
    unsigned long long h = 1469598103934665603ull;
    long budget = DP_FS_TREE_MAX;
    if (!path || stat(path, &st) != 0)
        return -1;
    long long meta[3] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec};
    h = fnv(h, meta, sizeof(meta));
    if (S_ISDIR(st.st_mode) && tree_walk(path, &h, &budget, 0))
        return -1;
    snprintf(out, 17, "%016llx", h);
    return 0;
}

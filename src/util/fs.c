/* mkdir -p and a monotonic clock. */
#include "util/fs.h"
#include <errno.h>
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

double dp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Finding catalog files: a file, or every .yml/.yaml below a folder. */
#include "catalog/load.h"
#include "util/error.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 100000
#define MAX_DEPTH 32

typedef struct walk {
    dp_arena *a;
    const char **files;
    size_t n, cap;
    dp_error *err;
    const char *ext; /* NULL: .yml and .yaml */
} walk;

static int has_ext(const walk *w, const char *name)
{
    size_t n = strlen(name);
    if (w->ext) {
        size_t k = strlen(w->ext);
        return n > k && !strcmp(name + n - k, w->ext);
    }
    return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static int visit(walk *w, const char *dir, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return dp_error_set(w->err, DP_EINVALID, "%s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = dp_arena_printf(w->a, "%s/%s", dir, e->d_name);
        struct stat st;
        if (!p || stat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (!strcmp(e->d_name, "node_modules") || !strcmp(e->d_name, "target") ||
                !strcmp(e->d_name, "dbt_packages"))
                continue;
            if ((rc = visit(w, p, depth + 1)))
                break;
        } else if (has_ext(w, e->d_name)) {
            if (w->n >= MAX_FILES) {
                rc = dp_error_set(w->err, DP_ELIMIT, "%s: more than %d %s files", dir, MAX_FILES, w->ext ? w->ext : "YAML");
                break;
            }
            if (DP_VEC_PUSH(w->a, w->files, w->n, w->cap, p)) {
                rc = dp_error_set(w->err, DP_ENOMEM, "out of memory");
                break;
            }
        }
    }
    closedir(d);
    return rc;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dp_list_yaml_files(const char ***out, size_t *n, dp_arena *a, const char *path, dp_error *err)
{
    return dp_list_files_ext(out, n, a, path, NULL, err);
}

int dp_list_files_ext(const char ***out, size_t *n, dp_arena *a, const char *path, const char *ext, dp_error *err)
{
    struct stat st;
    walk w = {a, NULL, 0, 0, err, ext};
    if (stat(path, &st) != 0)
        return dp_error_set(err, errno == ENOENT ? DP_ENOTFOUND : DP_EINVALID, "%s: %s", path,
                            strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        int rc = visit(&w, path, 0);
        if (rc)
            return rc;
        if (w.n)
            qsort(w.files, w.n, sizeof(*w.files), cmpstr);
    } else {
        const char *p = dp_arena_strdup(a, path);
        if (DP_VEC_PUSH(a, w.files, w.n, w.cap, p))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    *out = w.files;
    *n = w.n;
    return 0;
}

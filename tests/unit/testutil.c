/* Helpers shared by the unit tests (testutil.h). */
#define _XOPEN_SOURCE 700
#include "testutil.h"
#include "dpgen/dpgen.h"
#include "util/fs.h"
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

const char *tu_source_dir(void)
{
    const char *src = getenv("DP_SOURCE_DIR");
    return src && *src ? src : DP_SOURCE_DIR;
}

char *tu_read_text(const char *path, size_t *len)
{
    char *text = NULL;
    size_t n = 0;
    if (dp_fs_read_file(path, (size_t)1 << 30, &text, &n))
        return NULL;
    if (len)
        *len = n;
    return text;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tu_rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

int tu_open_demo(dp_catalog **cat, const char *db_path, double scale)
{
    dp_error err = {0};
    if (dp_demo_build(db_path, scale, &err)) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    char models[1024], gloss[1024];
    snprintf(models, sizeof(models), "%s/catalog/demo/semantic_models.yml", tu_source_dir());
    snprintf(gloss, sizeof(gloss), "%s/catalog/demo/glossary.yml", tu_source_dir());
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db_path;
    co.models_path = models;
    co.glossary_path = gloss;
    co.no_state = 1;
    if (dp_catalog_open(cat, &co, &err)) {
        fprintf(stderr, "catalog: %s\n", err.message);
        return -1;
    }
    return 0;
}

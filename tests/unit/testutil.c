/* Helpers shared by the unit tests (testutil.h). */
#define _XOPEN_SOURCE 700
#include "testutil.h"
#include "dpgen/dpgen.h"
#include "util/fs.h"
#include <dirent.h>
#include <duckdb.h>
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

size_t tu_corpus_each(const char *dir, tu_corpus_fn fn, void *payload, size_t *unreadable)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    size_t ran = 0;
    if (n < 0)
        fprintf(stderr, "cannot read %s\n", dir);
    for (int i = 0; i < n; i++) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && !stat(path, &st) && S_ISREG(st.st_mode)) {
            size_t len = 0;
            char *data = tu_read_text(path, &len);
            if (!data) {
                fprintf(stderr, "cannot read %s\n", path);
                ++*unreadable;
            } else {
                fn(names[i]->d_name, (unsigned char *)data, len, payload);
                ran++;
            }
            free(data);
        }
        free(names[i]);
    }
    free(names);
    return ran;
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

int tu_write_db(const char *path, const char *sql)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    if (duckdb_open(path, &db) == DuckDBError) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    int rc = duckdb_connect(db, &con) == DuckDBError ? -1 : 0;
    if (!rc) {
        if (duckdb_query(con, sql, &res) == DuckDBError) {
            fprintf(stderr, "%s: %s\n", sql, duckdb_result_error(&res));
            rc = -1;
        }
        duckdb_destroy_result(&res);
        duckdb_disconnect(&con);
    }
    duckdb_close(&db);
    return rc;
}

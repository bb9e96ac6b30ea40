/* The demo world: catalog/demo/generate.sql run in a writable DuckDB file
 * with the scale as a variable; written to path.tmp, then renamed. */
#include "util/fs.h"
#include "dpgen/dpgen.h"
#include "catalog/db.h"
#include "util/error.h"
#include <duckdb.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int dp_demo_build(const char *path, double scale, dp_error *err)
{
    char sqlpath[4096];
    snprintf(sqlpath, sizeof(sqlpath), "%s/generate.sql", dp_demo_catalog_dir());
    return dp_db_build(path, sqlpath, scale, err);
}

int dp_db_build(const char *path, const char *sqlpath, double scale, dp_error *err)
{
    int rc = 0;
    char tmp[4200], set[128];
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    char *sql = NULL;
    if (scale <= 0 || scale > 100)
        return dp_error_set(err, DP_EINVALID, "scale %g is outside (0, 100]", scale);
    size_t len;
    if (dp_fs_read_file(sqlpath, 64u << 20, &sql, &len))
        return dp_error_set(err, errno == ENOENT ? DP_ENOTFOUND : DP_EINVALID, "%s: %s", sqlpath,
                            errno == EFBIG ? "larger than 64 MiB" : strerror(errno));
    if (dp_mkdirs(path, 1))
        return dp_error_set(err, DP_EINVALID, "%s: cannot create its folder: %s", path, strerror(errno));
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    remove(tmp);
    char *open_err = NULL;
    if (duckdb_open_ext(tmp, &db, NULL, &open_err) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "%s: %s", tmp, open_err ? open_err : "cannot create");
        duckdb_free(open_err);
        goto done;
    }
    if (duckdb_connect(db, &con) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "duckdb: cannot connect");
        goto done;
    }
    snprintf(set, sizeof(set), "SET VARIABLE scale = %.6f", scale);
    if ((rc = dp_db_query(con, set, 0, NULL, NULL, err)) || (rc = dp_db_query(con, sql, 0, NULL, NULL, err))) {
        dp_error_prefix(err, "%s", sqlpath);
        goto done;
    }
    rc = dp_db_query(con, "CHECKPOINT", 0, NULL, NULL, err);
done:
    if (con)
        duckdb_disconnect(&con);
    if (db)
        duckdb_close(&db);
    free(sql);
    if (!rc && rename(tmp, path) != 0)
        rc = dp_error_set(err, DP_EINVALID, "%s: %s", path, strerror(errno));
    if (rc)
        remove(tmp);
    return rc;
}

/* The data beside the ODCS contract: one Parquet file per schema object
 * (data/<object>.parquet), which the contract's local server reads, so
 * that `datacontract test` runs on what the test run produced. */
#include "catalog/catalog.h"
#include "catalog/db.h"
#include "orchestrator/run.h"
#include "packaging/export_int.h"
#include "sql/check.h"
#include "packaging/odcs.h"
#include "util/error.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sources larger than this are not copied beside the contract: the export
 * stays small and its time bounded (the contract's source object then has
 * no local file, and `datacontract test` says so). */
#define DP_ODCS_SOURCE_COPY_MAX_ROWS 2000000

static long long source_rows(const json_t *spec, const char *table)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        if (!strcmp(dp_export__str(d, "table"), table))
            return (long long)json_integer_value(json_object_get(d, "row_count"));
    }
    return 0;
}

int dp_export__odcs_data(const char *dir, dp_catalog *cat, const char *product_sql, const char *memory_limit,
                         const json_t *spec, dp_error *err)
{
    if (!cat || !cat->db || !product_sql)
        return dp_error_set(err, DP_EINVALID, "no test run to write the contract's data from");
    /* the SQL the run ran (or a stored run kept): one read-only SELECT, checked again */
    int checked = dp_sql_check_select(product_sql, err);
    if (checked)
        return checked;
    char rel[PATH_MAX], real[PATH_MAX];
    snprintf(rel, sizeof(rel), "%s/data", dir);
    int rc = dp_export__mkdirp(rel, err);
    if (rc)
        return rc;
    if (!realpath(rel, real))
        return dp_error_set(err, DP_EINVALID, "%s: cannot resolve the folder", rel);
    /* the run's own connection may not write files (external access is off
     * for generated SQL): a second one on the same data may write into
     * data/ only, and recomputes the product with the SQL the run ran */
    dp_db_options dbo = {.threads = 1,
                         .write_dir = real,
                         .memory_limit = memory_limit,
                         .temp_root = dp_db_temp_root(cat->db)}; /* it spills where the run's does */
    dp_db *db = NULL;
    duckdb_connection con = NULL;
    json_t *tables = NULL;
    if ((rc = dp_db_open(&db, dp_db_path(cat->db), &dbo, err)) || (rc = dp_db_connect(&con, db, err)))
        goto done;
    size_t clen = strlen(product_sql) + 64;
    char *create = malloc(clen);
    if (!create) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(create, clen, "CREATE TEMPORARY TABLE dp_export_product AS\n%s", product_sql);
    rc = dp_db_query(con, create, 0, NULL, NULL, err);
    free(create);
    if (rc)
        goto done;
    if (!(tables = dp_packaging__odcs_tables(spec))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    const char *target = dp_export__str(json_object_get(spec, "data_model"), "target_table");
    const char *name;
    json_t *v;
    json_object_foreach(tables, name, v) {
        const char *qual = json_string_value(v), *dot = strchr(qual, '.');
        char path[PATH_MAX + 64], lit[PATH_MAX * 2 + 8], a[300], b[300], from[700];
        if (snprintf(path, sizeof(path), "%s/%s.parquet", real, name) >= (int)sizeof(path) ||
            !dp_sql_quote_literal(path, lit, sizeof(lit))) {
            rc = dp_error_set(err, DP_EINVALID, "path too long: %s/data/%s.parquet", dir, name);
            break;
        }
        if (!strcmp(qual, target)) {
            snprintf(from, sizeof(from), "dp_export_product");
        } else if (source_rows(spec, qual) > DP_ODCS_SOURCE_COPY_MAX_ROWS) {
            continue; /* bounded work: a large source is tested where it lives, not copied */
        } else {
            char schema[300];
            snprintf(schema, sizeof(schema), "%.*s", dot ? (int)(dot - qual) : 0, qual);
            if (!dot || !dp_sql_quote_ident(schema, a, sizeof(a)) || !dp_sql_quote_ident(dot + 1, b, sizeof(b))) {
                rc = dp_error_set(err, DP_EINVALID, "source table '%s' has no schema", qual);
                break;
            }
            snprintf(from, sizeof(from), "%s.%s", a, b);
        }
        size_t len = strlen(from) + strlen(lit) + 64;
        char *sql = malloc(len);
        if (!sql) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            break;
        }
        snprintf(sql, len, "COPY (SELECT * FROM %s) TO %s (FORMAT parquet)", from, lit);
        rc = dp_db_query(con, sql, 0, NULL, NULL, err);
        free(sql);
        if (rc)
            break;
    }
done:
    json_decref(tables);
    if (con)
        duckdb_disconnect(&con);
    dp_db_close(db);
    return rc;
}

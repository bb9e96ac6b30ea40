/* What the catalog's DuckDB engine holds in memory (its buffer manager's
 * account, duckdb_memory()), for a long-lived process to report: data
 * blocks it caches, hash tables and results of the runs in flight; and how
 * often it was opened again to give back what DuckDB keeps. */
#include "catalog/catalog.h"
#include "dpgen/dpgen.h"
#include <stdlib.h>

static int sum_row(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    if (ncols == 1 && vals[0])
        *(int64_t *)payload = strtoll(vals[0], NULL, 10);
    return 0;
}

int dp_catalog_engine_memory(dp_catalog *cat, int64_t *bytes, dp_error *err)
{
    duckdb_connection con = NULL;
    int rc;
    *bytes = -1;
    if (!cat || !cat->db || !dp_db_started(cat->db))
        return DP_ENOTFOUND; /* no engine (no database, or not started): nothing to ask */
    /* a connection of its own, not a run's: a scrape is not a run that
     * brings the engine's recycling nearer */
    if ((rc = dp_db_connect(&con, cat->db, err)))
        return rc;
    rc = dp_db_query(con, "SELECT CAST(sum(memory_usage_bytes) AS BIGINT) FROM duckdb_memory()", 2000, sum_row, bytes,
                     err);
    duckdb_disconnect(&con);
    return rc;
}

int dp_catalog_engine_recycles(dp_catalog *cat, unsigned long *recycled, size_t *old_in_use)
{
    *recycled = 0;
    *old_in_use = 0;
    if (!cat || !cat->db || !dp_db_started(cat->db))
        return DP_ENOTFOUND;
    dp_db_engines(cat->db, recycled, old_in_use);
    return 0;
}

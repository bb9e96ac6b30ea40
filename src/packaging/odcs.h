/* Export helpers shared by the packaging files: the ODCS v3.1.0 data
 * contract, and SQL rewritten for where it will run (the deployed table,
 * or a dbt project with ref() and source()). */
#ifndef DP_PACKAGING_ODCS_H
#define DP_PACKAGING_ODCS_H
#include <jansson.h>
#include "dpgen/dpgen.h"

/* The ODCS v3.1.0 data contract (kind DataContract) of a validated spec:
 * the target table as one schema object with its properties, the quality
 * rules in ODCS form (library metrics where ODCS has one, SQL otherwise,
 * each with its last result), the SLA as slaProperties and the DuckDB
 * database the spec was tested on as a server. *out is a new reference.
 * Returns 0 or DP_ENOMEM. */
int dp_packaging__odcs(json_t **out, const json_t *spec, dp_error *err);

/* How dp_packaging__sql_retarget rewrites a query. */
typedef struct dp_sql_target {
    const char *temp;           /* the test run's result table (bare identifier) */
    const char *result;         /* replaces it outside string literals */
    const char *result_literal; /* replaces it inside string literals; NULL: untouched */
    int dbt;                    /* schema.table after FROM/JOIN -> {{ source('schema', 'table') }},
                                   and "{{", "{%", "{#" in the text escaped for Jinja */
    json_t *tables;             /* if not NULL, each "schema.table" read after FROM/JOIN is
                                   appended once (array of strings) */
} dp_sql_target;

/* Returns the rewritten SQL (malloc'd, caller frees) or NULL when out of
 * memory. Comments, string literals and quoted identifiers are respected. */
char *dp_packaging__sql_retarget(const char *sql, const dp_sql_target *t);

/* Source columns of a target column as "dataset.column" (new array): the
 * lineage's, and for a time column without any, the time dimension of each
 * dataset the SQL aggregates. */
json_t *dp_packaging__column_sources(const json_t *spec, const char *column);

/* The test run's result table of a spec: "dp_result_" and the run id with
 * '-' as '_' (what quality rule SQL names). Writes into out (size n);
 * returns 0, or -1 when the spec has no run id or out is too small. */
int dp_packaging__temp_table(char *out, size_t n, const json_t *spec);

#endif

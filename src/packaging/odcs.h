/* Export helpers shared by the packaging files: the ODCS v3.1.0 data
 * contract, and SQL rewritten for where it will run (the deployed table,
 * or a dbt project with ref() and source()). */
#ifndef DP_PACKAGING_ODCS_H
#define DP_PACKAGING_ODCS_H
#include <jansson.h>
#include "dpgen/dpgen.h"

/* The ODCS v3.1.0 data contract (kind DataContract) of a validated spec:
 * the target table as a schema object with its properties and the rules
 * on it, each source table a rule reads as a schema object of its own with
 * the rules on the source data, the SLA as slaProperties, and a `local`
 * server over Parquet files beside the contract (data/<object>.parquet,
 * which dp_packaging__odcs_data writes) that datacontract-cli tests as is.
 * No run results: those are the spec's. *out is a new reference.
 * Returns 0 or DP_ENOMEM. */
int dp_packaging__odcs(json_t **out, const json_t *spec, dp_error *err);

/* The schema objects of the contract and the table each one reads, as
 * {"object name": "schema.table"} (new reference; the product's value is
 * its target table). NULL when out of memory. */
json_t *dp_packaging__odcs_tables(const json_t *spec);

/* The GX suite completed in place: an unexpected_rows_expectation for
 * every rule without an expectation (the rule's SQL with the target table
 * as {batch}), the row-count bound, and in meta why column types are left
 * to the dbt contract. Returns 0, DP_EINVALID or DP_ENOMEM. */
/* The dbt properties the export writes (schema.yml's model with each rule
 * placed once, its contract and constraints; sources.yml's sources with
 * their freshness and tests) as one {version, models, sources} object, for
 * the spec's quality.dbt_tests; temp: the product's table as the rules
 * name it (dp_packaging__temp_table; NULL if none). New reference, or NULL with err set. */
json_t *dp_packaging__dbt_properties(const json_t *spec, const char *temp, dp_error *err);

int dp_packaging__gx_complete(json_t *suite, const json_t *rules, const char *target, dp_error *err);

/* A rule's SQL as GX 1.x runs it in unexpected_rows_query: target as
 * {batch}, braces doubled, ":name" escaped. malloc'd; NULL on no memory. */
char *dp_packaging__gx_query(const char *sql, const char *target);

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

/* dp_packaging__sql_retarget, and each "schema.table" read after FROM/JOIN
 * that rename (an object of strings) has becomes its value there (a data
 * contract's view name). */
char *dp_packaging__sql_retarget_renamed(const char *sql, const dp_sql_target *t, const json_t *rename);

/* Source columns of a target column as "dataset.column" (new array): the
 * lineage's, and for a time column without any, the time dimension of each
 * dataset the SQL aggregates. */
json_t *dp_packaging__column_sources(const json_t *spec, const char *column);

/* The test run's result table of a spec: "dp_result_" and the run id with
 * '-' as '_' (what quality rule SQL names). Writes into out (size n);
 * returns 0, or -1 when the spec has no run id or out is too small. */
int dp_packaging__temp_table(char *out, size_t n, const json_t *spec);

#endif

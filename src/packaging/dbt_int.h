/* Internal interface between the dbt project's files: dbt.c writes the
 * project, dbt_tests.c places each quality rule as one dbt test. */
#ifndef DP_PACKAGING_DBT_INT_H
#define DP_PACKAGING_DBT_INT_H
#include "dpgen/dpgen.h"
#include <jansson.h>

/* The catalog name the source database is attached under (DuckDB). */
#define DP_DBT_SOURCE_DB "dpgen_source"

/* Where the rules' dbt tests go, filled by dp_dbt__place_rules:
 *   model_tests    model-level data_tests of schema.yml
 *   column_tests   {column: [tests]} of the model
 *   source_tests   {"schema.table": {"data_tests": [...], "columns": {col: [...]}}}
 *   tables         every "schema.table" the tests read (for sources.yml)
 * Each test carries the rule's severity, its id in config.meta.dpgen_rule
 * and a name <product>_<id>_<type>, so a dbt result maps back to the spec. */
typedef struct dp_dbt_placed {
    json_t *model_tests, *column_tests, *source_tests, *tables;
} dp_dbt_placed;

/* Places every rule of spec.quality.rules: the contract (types), a generic
 * test whose failing rows are the rule's own (on the model or on a source),
 * or a singular test under dir/dbt/tests/ with the rule's SQL (dir NULL:
 * placed, not written). temp: the
 * test run's result table ("" if unknown). Returns 0, DP_ENOMEM or the
 * writer's error. */
int dp_dbt__place_rules(dp_dbt_placed *out, const char *dir, const json_t *spec, const char *temp, dp_error *err);
void dp_dbt__placed_dispose(dp_dbt_placed *p);

#endif

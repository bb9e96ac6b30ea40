/* Internal interface between the ODCS files: odcs.c (the contract and its
 * rules) and odcs_objects.c (its schema objects). */
#ifndef DP_PACKAGING_ODCS_INT_H
#define DP_PACKAGING_ODCS_INT_H
#include <jansson.h>

/* A string member, "" when absent (borrowed). */
const char *dp_odcs__str(const json_t *o, const char *k);
/* The ODCS logicalType of a DuckDB type name. */
const char *dp_odcs__logical_type(const char *type);
/* Whether s can be an ODCS StableId. */
int dp_odcs__stable_id(const char *s);
/* A column of data_model.columns[] as an ODCS property (new reference). */
json_t *dp_odcs__product_property(const json_t *spec, const json_t *col, const json_t *pks);
/* The source_datasets[] entry whose table is "schema.table" (borrowed), or NULL. */
const json_t *dp_odcs__dataset_of_table(const json_t *spec, const char *table);
/* A source table as a schema object named name (new reference). */
json_t *dp_odcs__source_object(const json_t *spec, const char *name, const char *table);

#endif

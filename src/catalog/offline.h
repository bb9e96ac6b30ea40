/* A knowledge graph built from the catalog files alone, with no database:
 * for benchmarks, fuzzing and tools that only need the semantic layer. */
#ifndef DP_CATALOG_OFFLINE_H
#define DP_CATALOG_OFFLINE_H
#include "dpgen/dpgen.h"
#include "kg/kg.h"

/* Loads the dbt YAML at models_path (file or folder) and the glossary at
 * glossary_path (file or folder; may be NULL), gives every model a table
 * named after its ref and one column per bare-identifier expression of its
 * entities, dimensions and measures (VARCHAR; DOUBLE for measures), then
 * builds the lexicon and the vector index. Nothing is profiled. Returns 0 or
 * a negative DP_ code with err set; *out is owned by the caller and freed
 * with dp_kg_free_offline (everything lives in (*out)->arena). */
int dp_kg_open_offline(dp_kg **out, const char *models_path, const char *glossary_path, dp_error *err);
/* Frees a graph from dp_kg_open_offline; accepts NULL. */
void dp_kg_free_offline(dp_kg *kg);

/* The column fabrication step alone (exposed for benchmarks that time each
 * step): one column per distinct bare-identifier expression of each model. */
int dp_kg__offline_columns(dp_kg *kg, dp_error *err);

#endif

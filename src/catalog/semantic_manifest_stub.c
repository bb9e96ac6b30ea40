/* Placeholder for the semantic_manifest.json loader (helper smanifest writes
 * src/catalog/semantic_manifest.c): delete this file when that one lands. */
#include "catalog/load.h"
#include "util/error.h"

int dp_semantic_manifest_load(dp_kg *kg, const char *path, dp_error *err)
{
    (void)kg;
    return dp_error_set(err, DP_EINVALID, "%s: reading a semantic manifest is not supported yet; point --models at the YAML",
                        path);
}

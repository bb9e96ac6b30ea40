/* How the spec and the exports name the catalog's files: relative to the
 * catalog root (the dbt project root, else the --models folder; for the
 * built-in demo, dpgen's source tree), a file elsewhere by its file name,
 * never by a path of the machine that ran dpgen. */
#ifndef DP_CATALOG_PATHS_H
#define DP_CATALOG_PATHS_H
#include <jansson.h>
#include "kg/kg.h"
#include "util/error.h"

/* Sets kg's root and the path rewrites from kg->models_path (or
 * manifest_path), glossary_path and db_path, which must be set. demo: the
 * built-in demo catalog (its root is dpgen's source tree, or
 * $DPGEN_DEMO_CATALOG when that overrides it). Returns 0, DP_ENOMEM. */
int dp_kg__set_root(dp_kg *kg, int demo, dp_error *err);
/* path as written files show it: under the root, relative to it ("." for
 * the root itself); elsewhere, its file name. NULL for NULL. Arena-owned
 * or path itself. */
const char *dp_kg_shown_path(const dp_kg *kg, const char *path, dp_arena *a);
/* text with every catalog path in it rewritten as dp_kg_shown_path does
 * (file:line references in messages). text itself when none is in it,
 * else an arena copy. */
const char *dp_kg_shown_text(const dp_kg *kg, const char *text, dp_arena *a);
/* Every string of tree rewritten by dp_kg_shown_text, in place: the spec's
 * decisions, warnings and messages quote catalog files. */
void dp_kg_shown_json(const dp_kg *kg, json_t *tree, dp_arena *a);

#endif

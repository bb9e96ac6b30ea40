/* Catalog options shared by the front ends above the library that take
 * them as `--name value` pairs (dpgen serve, dpgen mcp). */
#ifndef DP_SERVER_OPTIONS_H
#define DP_SERVER_OPTIONS_H
#include "dpgen/dpgen.h"

/* When opt is a catalog option (--db, --models, --glossary, --state,
 * --manifest, --schema), stores val (borrowed) in co and returns 1; else 0. */
int dp_srv_catalog_option(dp_catalog_options *co, const char *opt, const char *val);
/* NULL when the catalog options are complete, else the message. */
const char *dp_srv_catalog_options_check(const dp_catalog_options *co);

#endif

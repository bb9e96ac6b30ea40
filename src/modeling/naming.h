/* Naming of the product table (modeling stage, internal). */
#ifndef DP_MODELING_NAMING_H
#define DP_MODELING_NAMING_H
#include "discovery/discovery.h"
#include "intent/intent.h"

/* A lowercase SQL-safe name of at most 63 characters (arena string):
 * the grain's period adjective, the metrics (or their dataset when there
 * are many), "_by_" the grouping columns, "_top_N" for a ranking. */
const char *dp_model__name(const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a);

#endif

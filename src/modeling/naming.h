/* Naming of the product table (modeling stage, internal). */
#ifndef DP_MODELING_NAMING_H
#define DP_MODELING_NAMING_H
#include "discovery/discovery.h"
#include "intent/intent.h"

/* A lowercase SQL-safe name of at most 63 characters, not starting with a
 * digit (arena string). The request's own noun phrase wins: the words
 * before a deliverable noun ("a weekly x y report" -> weekly_x_y), else a
 * title before a colon, with the grain, groupings and ranking it does not
 * say appended; else the grain's period adjective, the metrics (or their
 * dataset when there are many), "_by_" the grouping columns and "_top_N".
 * *why: the reason, for the modeling decision (arena or static string). */
const char *dp_model__name(const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a, const char **why);

#endif

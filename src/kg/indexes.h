/* The text indexes of the knowledge graph (lexicon, vector index). */
#ifndef DP_KG_INDEXES_H
#define DP_KG_INDEXES_H
#include "kg/kg.h"

/* Builds kg->lex and kg->vec (in parallel). Call once the graph is loaded
 * and profiled. */
int dp_kg_build_indexes(dp_kg *kg, dp_error *err);

#endif

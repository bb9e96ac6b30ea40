/* Semantic search built in (no network): every metric, dimension and
 * dataset is a sparse vector of hashed word stems and character trigrams
 * over its name, label, description, synonyms and frequent values; queries are
 * ranked by cosine similarity through an inverted index. */
#ifndef DP_KG_VINDEX_H
#define DP_KG_VINDEX_H
#include "kg/kg.h"

typedef enum { DP_DOC_METRIC, DP_DOC_DIMENSION, DP_DOC_DATASET } dp_doc_kind;

typedef struct dp_vhit {
    dp_doc_kind kind;
    const char *name;  /* metric name, model.dimension, model name */
    const char *label; /* may be NULL */
    const dp_model *model;
    const dp_metric *metric;
    double score;
} dp_vhit;

int dp_vindex_build(dp_kg *kg, dp_error *err);
/* The same, allocating in dst and touching nothing of kg: it may run on
 * another thread while the lexicon is built (dst is then adopted by
 * kg->arena). */
int dp_vindex_build_into(const dp_kg *kg, dp_arena *dst, dp_vindex **out, dp_error *err);
/* Top-k hits for text (k <= 64); returns count. Thread-safe. */
size_t dp_vindex_search(const dp_kg *kg, const char *text, dp_vhit *out, size_t k, int kinds_mask);

#endif

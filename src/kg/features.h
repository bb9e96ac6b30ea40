/* The features of text for semantic search: hashed word stems (weight 1) and
 * character trigrams of " word " (0.25 each), summed per bucket and
 * L2-normalised. A featurizer remembers each word's features, so a catalog's
 * small vocabulary is stemmed and hashed once, not at every occurrence; it
 * is one thread's (it owns a stemmer). */
#ifndef DP_KG_FEATURES_H
#define DP_KG_FEATURES_H
#include <stddef.h>
#include <stdint.h>

#define DP_FEAT_BUCKETS (1u << 18)
/* Features taken from one document, before summing: later words are cut. */
#define DP_FEAT_MAX 512

typedef struct dp_feat {
    uint32_t h; /* bucket, < DP_FEAT_BUCKETS */
    float w;
} dp_feat;

typedef struct dp_featurizer dp_featurizer;

dp_featurizer *dp_featurizer_new(void);
void dp_featurizer_free(dp_featurizer *fz);

/* A document is begun, fed any number of texts (as if joined by spaces),
 * and ended: dp_featurizer_end writes its distinct features, normalised,
 * to out (room for DP_FEAT_MAX) and returns their count (0: no words). */
void dp_featurizer_begin(dp_featurizer *fz);
int dp_featurizer_add(dp_featurizer *fz, const char *text);
size_t dp_featurizer_end(dp_featurizer *fz, dp_feat *out);

#endif

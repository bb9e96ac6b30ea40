/* The lexicon: every phrase the catalog offers (metric names, labels,
 * abbreviations, synonyms; dimension, entity and model names; frequent values;
 * glossary terms) as stemmed token sequences, indexed by first stem. */
#ifndef DP_KG_LEXICON_H
#define DP_KG_LEXICON_H
#include "kg/kg.h"
#include "kg/text.h"

typedef enum { DP_LEX_METRIC, DP_LEX_DIM, DP_LEX_ENTITY, DP_LEX_VALUE, DP_LEX_MODEL } dp_lex_kind;

typedef struct dp_lex_entry {
    dp_lex_kind kind;
    const char *source;   /* "name", "label", "abbreviation", "synonym", "glossary", "value" */
    const char *text;     /* the phrase as the catalog wrote it */
    const char **stems, **words;
    size_t ntok;
    int case_sensitive;   /* short capital codes: US must not match "us" */
    double conf;          /* how sure a match of this phrase is */
    const char *dropped;  /* aggregation word dropped from the phrase ("average") */
    const dp_metric *metric;
    const dp_model *model;
    const dp_dimension *dim;
    const dp_entity *entity;
    const char *value;
    const dp_term *term;
} dp_lex_entry;

typedef struct dp_lex_match {
    const dp_lex_entry *e;
    size_t len;  /* tokens covered */
    int fuzzy;   /* matched through a small typo */
} dp_lex_match;

/* Builds the lexicon of kg (kg->lex). Call after loading and profiling. */
int dp_lexicon_build(dp_kg *kg, dp_error *err);
/* Fills out (up to max) with the entries matching toks starting at i,
 * longest first. Returns the count. */
size_t dp_lexicon_match(const dp_lexicon *lex, const dp_tok *toks, size_t n, size_t i,
                        dp_lex_match *out, size_t max);
size_t dp_lexicon_size(const dp_lexicon *lex);
/* Indexes of the metric phrases of 2 to 4 words (for reordered matching). */
size_t dp_lexicon_multiword_metrics(const dp_lexicon *lex, const size_t **out);
/* The family of an aggregation word (average, total, count, median...) or
 * NULL: "avg" and "mean" are "average", "sum" is "total". */
const char *dp_agg_word_family(const char *low);
const dp_lex_entry *dp_lexicon_entry(const dp_lexicon *lex, size_t i);

#endif

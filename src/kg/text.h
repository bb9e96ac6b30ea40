/* Text for matching requests against the catalog: tokens with their
 * lowercase and stemmed forms (Snowball English), edit distance. */
#ifndef DP_KG_TEXT_H
#define DP_KG_TEXT_H
#include <stddef.h>
#include "util/arena.h"

typedef struct dp_tok {
    const char *raw;  /* as written */
    const char *low;  /* lowercase */
    const char *stem; /* stemmed lowercase (punctuation: the character) */
    int start, end;   /* byte offsets in the source text */
    int is_num;       /* all digits */
    int is_upper;     /* written in capitals (2+ letters), e.g. US, MTTR */
    int punct;        /* ',', ';', ':', '?', '!', '.', '&', '(', ')', '/' */
    /* the word and the next written with a hyphen between ("top-up"): the
     * two as one word ("topup") and its stem, for a catalog that writes
     * them so; NULL otherwise */
    const char *join_low, *join_stem;
} dp_tok;

typedef struct dp_stemmer dp_stemmer;
/* One stemmer per thread (Snowball stemmers keep state). */
dp_stemmer *dp_stemmer_new(void);
void dp_stemmer_free(dp_stemmer *s);
/* Stem of a lowercase word, arena-owned. */
const char *dp_stem(dp_stemmer *s, dp_arena *a, const char *low);

/* What a word is, the one definition the tokenizer, the lexicon and the
 * search features share: letters, digits and bytes of UTF-8 sequences, with
 * an apostrophe inside ("member's"). dp_word_start: the first word byte at
 * or after p (NUL at the end); dp_word_end: just past the word at p. */
const char *dp_word_start(const char *p);
const char *dp_word_end(const char *p);
/* The word's matching form: lowercase, apostrophes dropped ("Member's" ->
 * "members"), into out (room for len + 1); returns its length. */
size_t dp_word_lower(const char *word, size_t len, char *out);
#define DP_TEXT_MAX_TOKENS 4096
/* Splits text into tokens (words split on anything but letters and digits;
 * underscores and hyphens separate words). */
int dp_tokenize(dp_tok **out, size_t *n, dp_arena *a, dp_stemmer *st, const char *text);
/* Damerau-Levenshtein distance, capped at max+1. */
int dp_edit_distance(const char *a, const char *b, int max);
/* Words that carry no meaning for matching (articles, prepositions...). */
int dp_is_stopword(const char *low);

#endif

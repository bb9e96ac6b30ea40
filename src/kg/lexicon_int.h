/* Between the lexicon's core (lexicon.c: entries, deduplication, index,
 * matching) and the code that finds phrases in a catalog
 * (lexicon_phrases.c). Build time only. */
#ifndef DP_KG_LEXICON_INT_H
#define DP_KG_LEXICON_INT_H
#include "kg/lexicon.h"

#define MAX_PHRASE_TOKENS 12

/* Adds text as a phrase for the target proto describes (kind, target,
 * source, confidence); skips empty phrases, phrases of more than
 * MAX_PHRASE_TOKENS words, a lone stopword or number, and duplicates (same
 * target, same stems). Returns 0, or -1 out of memory. */
int dp_lex__add(dp_lexicon *lx, dp_lex_entry proto, const char *text);
/* The arena entries live in (the graph's), and the scratch arena for
 * text made while adding one target's phrases. */
dp_arena *dp_lex__arena(dp_lexicon *lx);
dp_arena *dp_lex__scratch(dp_lexicon *lx);
/* Lets scratch text of earlier targets go, once it has grown: call between
 * targets only. */
int dp_lex__renew_scratch(dp_lexicon *lx);
/* Adds every phrase of kg. */
int dp_lex__build_phrases(dp_lexicon *lx, const dp_kg *kg);

#endif

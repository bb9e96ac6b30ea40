/* Learned synonyms: a user's answer to a clarification ("zorblax" means a
 * certain metric) resolved against the catalog and made a lexicon entry the
 * intent stage matches like the catalog's own phrases. */
#ifndef DP_ORCHESTRATOR_LEARN_H
#define DP_ORCHESTRATOR_LEARN_H
#include "kg/kg.h"
#include "kg/lexicon.h"
#include "kg/text.h"
#include "util/arena.h"

#define DP_LEARN_MAX 4096 /* learned phrases one run reads */
#define DP_LEARN_MAX_PHRASE 200 /* bytes */

/* The phrase's key in the state: its words lowercased (dp_word_lower), one
 * space apart, into out (cap bytes). Returns the length, 0 for no words or
 * a phrase longer than cap. */
size_t dp_learn__norm(const char *phrase, char *out, size_t cap);

/* Resolves name, a catalog object: a metric name, a dimension "model.dim"
 * or "entity__dim", an entity name, a value "model.dim=value" (or
 * "entity__dim=value"); into *out a lexicon entry for phrase (tokenized and
 * stemmed as the lexicon does; source "learned", confidence 1), arena-owned,
 * and its kind ("metric", "dimension", "entity", "value") and canonical
 * target in *kind and *target. Returns 0; DP_EINVALID for a phrase that is
 * no words or punctuation; DP_ENOTFOUND when name is nothing of the catalog
 * (err lists the closest names). */
int dp_learn__resolve(dp_lex_entry **out, const char **kind, const char **target, const dp_kg *kg, dp_arena *a,
                      dp_stemmer *st, const char *phrase, const char *name, dp_error *err);

/* Splits a --choose answer "phrase=name" at its first '=' (a value's own '='
 * comes later) into arena copies. DP_EINVALID when either side is empty. */
int dp_learn__split(const char **phrase, const char **name, dp_arena *a, const char *choice, dp_error *err);

/* The phrases users taught the run's catalog, then the run's --choose
 * answers (an answer replaces a learned phrase of the same words), as
 * lexicon entries in io (run-arena-owned); answers are learned when the run
 * records. A learned target the catalog no longer has is skipped with a
 * warning; a --choose name it does not have fails with DP_ENOTFOUND. */
struct dp_run;
struct dp_intent_opts;
int dp_learn__entries(struct dp_run *r, struct dp_intent_opts *io, dp_error *err);

#endif

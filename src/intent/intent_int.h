/* Between the parts of the intent stage (intent.c: recording, pass order, JSON; intent_match.c,
 * intent_filter.c, intent_group.c, intent_rank.c, intent_time.c, intent_unplaced.c): the parser
 * state the passes share and the helpers one part uses from another. */
#ifndef DP_INTENT_INTENT_INT_H
#define DP_INTENT_INTENT_INT_H
#include "intent/intent.h"
#include "intent/timeparse.h"
#include "kg/kg.h"
#include "kg/lexicon.h"
#include "util/arena.h"
#include "util/error.h"
#include <stddef.h>

enum { MODE_NONE, MODE_GROUP, MODE_FILTER, MODE_VALUE };
enum { U_FREE = 0, U_PATTERN, U_MATCH, U_NOISE };

/* A time range of the request: the report's, or an entity's own date
 * ("carriers that started in 2025") when owned. */
typedef struct dp_range {
    const char *start, *end, *text;
    size_t at, len; /* tokens */
    int owned;
} dp_range;

/* A metric phrase read after a filter word ("for sick leave"). */
typedef struct dp_fm {
    const dp_metric *metric;
    size_t at, len;
    int agent; /* after "<participle> by" ("customers affected by unplanned outages"):
                  its filter when it has one, else the metric it is */
} dp_fm;

typedef struct parser {
    const dp_kg *kg;
    dp_arena *a;
    dp_intent *in;
    dp_tok *t;
    size_t n;
    int *used;   /* U_* per token */
    int *kind;   /* lexicon kind matched at token, -1 none */
    const dp_lex_entry **ent; /* entry matched at token */
    double conf_sum;
    int conf_n;
    unsigned *kgq;
    dp_error *err;
    size_t rank_at; /* token after which the ranking metric is named */
    size_t rank_from, rank_to; /* "top 3 countries": tokens [from, to) */
    size_t qual_at[8], qual_len[8], nquals; /* "shipments" in "late shipments" */
    size_t calc_at[8], calc_len[8], ncalcs; /* "cumulative", "year over year" */
    const char *calc_what[8];               /* "cumulative metric" */
    dp_range ranges[4];                     /* every time range named, in order */
    const char *per_entity;                 /* "per order": an entity grouping said with "per" */
    size_t other_groups;                    /* groupings said otherwise ("by segment") */
    const char *period_end; /* "at the end of each month": the words, checked once the metrics are known */
    dp_grain named_grain;   /* "DAU": the grain a metric's term or label says (Daily Active Users) */
    const char *named_grain_phrase;
    const dp_dimension *named_dims[8];      /* "with status open": the columns named before a value */
    size_t nnamed, named_at;                /* how many, and the token after the column's words */
    dp_fm fm[4];                            /* metric phrases after a filter word */
    size_t nfm;
    size_t nranges;
    const dp_lex_entry *const *learned;     /* phrases users taught this catalog (opts->learned) */
    size_t nlearned;
    dp_value_lookup_fn lookup;              /* values in the data (opts->lookup), NULL: none */
    void *lookup_payload;
    /* byte spans of the request a whole metric label took (intent_labels.c):
     * a '%' inside one is part of the label, no share asked */
    int label_from[8], label_to[8];
    size_t nlabels;
} parser;

/* ------------------------------------------------------------------------ */
/* Helpers used across files                                                */

/* intent.c: what the passes record */
/* Adds a matched-term note (up to the notes' capacity) and counts its
 * confidence into the mean. */
void dp_int__note(parser *p, const char *text, const char *kind, const char *target, const char *source, double conf);
/* The request text of tokens i..i+len-1 (arena copy), "" for len 0. */
const char *dp_int__span_text(parser *p, size_t i, size_t len);
/* Sets tokens i..i+len-1 (within the request) to how (U_*). */
void dp_int__mark(parser *p, size_t i, size_t len, int how);
/* Adds metric m once; named at token at, after the ranking words, it becomes
 * the ranking metric. */
void dp_int__add_metric(parser *p, const dp_metric *m, size_t at);
/* Takes the metric called name (unless it is keep) out of the request's
 * metrics, and out of the ordering: its words mean something else here
 * ("carriers that started in 2025" names whose date). 1 when it was there. */
int dp_int__drop_metric(parser *p, const char *name, const dp_metric *keep);
/* Adds phrase (once) to what the catalog lacks, as kind. */
void dp_int__add_missing(parser *p, const char *phrase, const char *kind);
/* A past participle: a word in -ed, or one of the irregular ones a report
 * says of its rows ("deals won", "items sold"). */
int dp_int__past_participle(const char *w);

/* intent_calc.c: words that ask for a calculation on top of a metric */
/* Finds them (share/calculations.tsv) before any other pass claims tokens. */
/* intent_labels.c: a metric's whole label or name as written in the
 * request is that metric, before any word pass reads its words. */
void dp_int__exact_labels(parser *p);
void dp_int__find_calculations(parser *p);
/* Those no catalog phrase claimed (after the phrase passes and
 * dp_int__compute_kinds): each, with the metric beside it, is a metric the
 * catalog lacks; their words are placed so they are not reported again. */
void dp_int__check_calculations(parser *p);
/* A number no other pass took: after "more than", "at least", "above",
 * "over", ">"... a condition on a metric's value (intent.conditions); after
 * an entity a filter word introduced ("for carrier 42") a filter on its key.
 * What cannot be placed so is refused ("amount comparison", "key filter")
 * rather than answered without it. */
void dp_int__check_comparisons(parser *p);
/* "refunds %", "refund share", "return percentage": the catalog's share
 * metric of those words replaces the amount; with none (or several) the
 * request is asked about, never answered with the amount. */
void dp_int__check_percent(parser *p);
/* Is token i a number after a comparison ("above 2000", ">= 2000"), so no
 * year? */
int dp_int__is_compared(const parser *p, size_t i);

/* intent_values.c: identifiers and names looked up in the data */
/* Free runs of words after an entity ("carrier CAR-0400", "member Jane
 * Doe") or written like an identifier ("WH-07"), looked up in the key and
 * name-like columns (p->lookup): a filter when found, else a missing
 * "filter value" with the closest values. Nothing without p->lookup. */
void dp_int__lookup_values(parser *p);
/* "for store 42" (entity words [from, num), the number at num): is the
 * number a key of home.column? 1 when found or when it cannot be checked
 * (no look-up, no such bare column, a failed look-up): the caller filters
 * on it. 0 when placed otherwise ("Store 42" is a name in the data: a
 * filter on that column) or when the data lacks it (a missing "filter
 * value" with the closest keys). */
int dp_int__key_exists(parser *p, const dp_model *home, const char *column, size_t from, size_t num);

/* intent_match.c: catalog phrases and choosing among their candidates */
/* The phrases matching at token i, longest first: the catalog's lexicon and
 * what users taught this catalog (p->learned). */
size_t dp_int__match(const parser *p, size_t i, dp_lex_match *out, size_t max);
/* Is there a match of kind and length len among m[0..nm)? */
int dp_int__has_kind(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len);
/* The first match of kind and length len, or NULL. */
const dp_lex_match *dp_int__first_of(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len);
/* Places every free token the lexicon matches: metrics, groupings, filter
 * values, qualifiers, datasets named as context. */
void dp_int__parse_phrases(parser *p);
/* A metric phrase after a filter word beside other metrics ("absences by
 * department for sick leave") is the user's filter: the metric's own
 * condition (a simple equality filter, or a count of a true/false column)
 * becomes a filter of the report; a condition it cannot be turned into is
 * asked about. */
void dp_int__settle_filter_metrics(parser *p);
/* A free word right after a metric phrase that the metric's description
 * uses ("tickets opened" for "Support tickets opened", "orders placed") is
 * the metric's own verb: placed, nothing to filter. */
void dp_int__metric_verbs(parser *p);
/* Is m a plain count of entity's key ("number of employees" for employees)? */
int dp_int__counted_entity_metric(const parser *p, const dp_metric *m, const char *entity);
/* The entity a count metric counts ("borrowers": a count of distinct
 * member_id, the key of member), or NULL. */
const char *dp_int__counted_entity(const parser *p, const dp_lex_match *mm);
/* Metric phrases whose words appear unplaced in another order. */
void dp_int__parse_reordered(parser *p);

/* intent_filter.c: filters from values */
/* Filtering marker ("for", "in", "only", "excluding"...)? */
int dp_int__is_filter_marker(const char *w);
/* Is w one of the words of list (NULL-terminated)? */
int dp_int__in_list(const char *w, const char *const *list);
/* A filtering marker that ends a list of groupings ("by category for
 * urgent tickets")? */
int dp_int__ends_grouping(const char *w);
/* Tokens at j naming value val's dimension, model or entity, else 0. */
size_t dp_int__qualifier_len(parser *p, size_t j, const dp_lex_entry *val);
/* A filter on the value matched at token at, len tokens (every dimension
 * holding it), negated after "excluding", "other than", "non", "not"...;
 * joined to the previous filter's dimension it extends that list. */
void dp_int__add_filter_value(parser *p, const dp_lex_match *m, size_t nm, size_t at, size_t len, int joined);
/* "where no reminder was sent": a yes/no column named by a participle
 * ("reminder_sent") said as a clause, with "was", "were", "is", "not"...
 * between its words, is a filter (negated, of the rows that have the
 * column's dataset row, when "no" or "not" says so). Before the phrases. */
void dp_int__flag_clauses(parser *p);
/* "orders without a promo code", "claims with no adjuster", "tickets with an
 * agent": a column or a reference said after "without", "with no" or "with
 * a/an" is a filter on whether it holds a value (intent_presence.c). Before
 * the phrases. */
void dp_int__presence_filters(parser *p);
/* "claims with status open": an unplaced word of a column's name right
 * before a value of that column (past "is", "=") says whose value it is;
 * placed. After the kinds are known. */
void dp_int__dimension_words(parser *p);
/* "orders placed through the app", "policyholders living in Florida": a
 * verb between a thing and a value read after a preposition is placed as
 * grammar (intent_linking.c). After the values are read. */
void dp_int__linking_verbs(parser *p);
/* "work orders completed per week": a metric phrase and the value word
 * beside it that are together another metric's words in another order are
 * that metric. After the shares are read. */
void dp_int__read_reordered(parser *p);
/* The one plain count of entity (a simple metric with no filter counting
 * the key of the entity's home dataset), else NULL. */
const dp_metric *dp_int__entity_count(parser *p, const char *entity);
/* Is the negation word at cue one that says no ("not", "non", "wasn't")
 * rather than every other row ("excluding", "without", "except")? */
int dp_int__negation_is_not(const parser *p, size_t cue);
/* The first token of the words that negate what starts at token at
 * ("excluding", "not in", "other than", "non"), or at when none does. */
size_t dp_int__negation_before(const parser *p, size_t at);
/* How token i (skipping back over "the", "in", "for", "on") is joined to
 * what comes before: "and" or a comma, "or" or a slash, a contrast ("vs",
 * "versus", "against", "compared to"), or not at all (DP_JOIN_*). */
enum { DP_JOIN_NONE, DP_JOIN_AND, DP_JOIN_OR, DP_JOIN_CONTRAST };
int dp_int__prev_is_join(parser *p, size_t i);

/* intent_group.c: groupings */
/* Grouping marker at token i ("by", "per", "for each", "broken down by"...);
 * *len is its length in tokens. */
int dp_int__is_group_marker(const parser *p, size_t i, size_t *len);
/* Dimensions of the home dataset of an entity grouped beside them ("top 5
 * carriers, with carrier name and region") are attributes of that entity:
 * narrowed to that dataset, same grain, no grouping of their own. */
void dp_int__mark_attributes(parser *p);
/* "salary by level": a lone word after a grouping marker that no phrase
 * took and that is a word of exactly one dimension's name (job_level) is
 * that grouping. */
void dp_int__group_words(parser *p);
/* The keys of the report's grain: the time grain and every grouping that is
 * no attribute. */
size_t dp_int__grouping_keys(const dp_intent *in);
/* Target from all same-length matches of one kind at a position. */
void dp_int__target_from(dp_target *t, const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len);
/* Adds grouping t unless the same target is grouped already. */
void dp_int__add_group(parser *p, const dp_target *t);
/* Forgets the grouping read from the words phrase, unless it is the one
 * ranked: 1 when one went. */
int dp_int__drop_group(dp_intent *in, const char *phrase);

/* intent_arith.c: arithmetic over catalog metrics the request spells out */
/* "X divided by Y", "X per Y" (Y a metric and no grouping), "ratio of X to
 * Y", "X as a share of Y", "NAME, which is X / Y": a ratio metric the
 * request defines (in->defined) in place of the sides' readings; a side an
 * explicit operator needs that the catalog lacks is missing. After the
 * phrase passes, before dp_int__compute_kinds. */
void dp_int__parse_arithmetic(parser *p);
/* in->defined as JSON (new reference): name, label, phrase, type,
 * numerator, denominator, description. */
json_t *dp_int__defined_json(const dp_intent *in);

/* intent_rank.c: ranking, ordering, top-N */
/* "top 5 X", "bottom 10 X", "which 3 X had the lowest M": limit, direction,
 * the ranked grouping. */
void dp_int__parse_ranking(parser *p, dp_date as_of);
/* Ordering without a limit ("biggest first", "sorted by cost", "in
 * descending order"): in->ordered and the direction. */
void dp_int__parse_ordering(parser *p);

/* intent_time.c: time range and grain */
/* The time ranges (against as_of, kept in p->ranges; the first is the
 * report's until dp_int__settle_ranges) and the finest grain named. */
void dp_int__parse_time(parser *p, dp_date as_of);
/* Grains: "weekly", "per month", "each quarter", "week by week". */
void dp_int__grains(parser *p);
/* "leavers by termination month": a time dimension grouped and a grain word
 * right after its phrase, the dimension each metric's periods are counted
 * on: the report's time grain instead of the grouping. */
void dp_int__time_dim_grains(parser *p);
/* After dp_int__attach_dates: the one range no entity owns is the
 * report's; a second is a comparison of periods (refused). */
void dp_int__settle_ranges(parser *p);

/* intent_dates.c: whose date a range is */
/* "carriers that started in 2025", "employees hired last year": a range
 * after an entity and a verb filters that entity's own time dimension the
 * verb names, not the metrics' event dates. */
void dp_int__attach_dates(parser *p);
/* The one time dimension of home that the verb in tokens [vs, ve) names by
 * its name or label ("returned": return_date), else NULL. */
const dp_dimension *dp_int__verb_date(parser *p, const dp_model *home, size_t vs, size_t ve);

/* intent_title.c: the request's name for the product (in->title); a free
 * number inside it is part of the name, no longer unplaced. */
void dp_int__find_title(parser *p);

/* intent_unplaced.c: framing, filler and the words left unplaced */
/* Report framing and filler word? */
int dp_int__is_noise(const char *w);
/* Marks report framing ("a view of") as noise before catalog phrases. */
void dp_int__parse_framing(parser *p);
/* p->kind per token: the lexicon kind of each placed match, metric first. */
void dp_int__compute_kinds(parser *p);
/* Reports unplaced words, and the phrases in the place of a metric,
 * grouping or filter as missing. */
void dp_int__classify_unplaced(parser *p);

#endif

/* Intent stage: the request as structured intent, every word mapped to the
 * knowledge graph or reported as unplaced. No domain words here: phrases come
 * from the lexicon; only English grammar (grains, ranges, ranking, grouping
 * markers, report framing) is known to the code. */
#ifndef DP_INTENT_INTENT_H
#define DP_INTENT_INTENT_H
#include <jansson.h>
#include "kg/kg.h"
#include "kg/lexicon.h"

#define DP_INTENT_MAX_ITEMS 32
#define DP_VALUE_HITS_MAX 5  /* closest values of a value the data lacks */
#define DP_VALUE_MAX 128     /* bytes of a value looked up */
#define DP_INTENT_MAX_REQUEST DP_REQUEST_MAX_BYTES /* bytes */
#define DP_INTENT_MAX_DEFINED 4 /* metrics one request defines */
#define DP_INTENT_MAX_WHERE 16  /* where filters of a saved query */

/* A group-by or filter target: a dimension (with the candidates the phrase
 * could mean, resolved by discovery) or an entity. */
typedef struct dp_target {
    int is_entity;
    const char *entity;            /* entity name when is_entity */
    const dp_dimension *dims[8];   /* candidate dimensions (same phrase) */
    const dp_model *dim_models[8];
    size_t ndims;
    const char *qualifier;         /* entity the request named with it ("member country") */
    const char *phrase;
    int each;                      /* said "in each", "per", "for every": a group of its own */
    const char *attribute_of;      /* entity grouped beside it whose home dataset holds it: an
                                      attribute of that entity, same grain ("carriers with their region") */
} dp_target;

/* A filter on whether a column holds a value at all (dp_filter.presence). */
enum { DP_PRESENCE_NONE = 0, DP_PRESENCE_EMPTY, DP_PRESENCE_SET };

typedef struct dp_filter {
    dp_target target;
    const char *values[8];
    size_t nvalues;
    const char *range_start, *range_end; /* a range on a time dimension ("carriers that
                                            started in 2025"), half-open; values unused */
    int negate; /* "excluding", "other than", "non-", "not": every row whose value is not
                   one of values, NULL included (so "x" and "excluding x" add up to all) */
    int matched; /* with negate, said of the thing ("providers not accepting new patients"):
                    only rows that have the column's dataset row (an appointment with no
                    provider is no provider's) */
    int presence; /* DP_PRESENCE_*: "without a promo code" (the column is empty), "with an
                     adjuster" (it is not); values unused */
    const char *phrase;
} dp_filter;

/* A condition on a metric's value at the report grain ("carriers with more
 * than 1000 shipments": shipments > 1000), applied to the report's rows. */
typedef struct dp_condition {
    const dp_metric *metric;
    const char *op; /* ">", ">=", "<", "<=" */
    double value;
    const char *phrase;
} dp_condition;

typedef struct dp_match_note {
    const char *text, *kind, *target, *source;
    double confidence;
} dp_match_note;

typedef struct dp_intent {
    const char *request;
    const dp_metric *metrics[DP_INTENT_MAX_ITEMS];
    size_t nmetrics;
    dp_target groups[DP_INTENT_MAX_ITEMS];
    size_t ngroups;
    dp_filter filters[DP_INTENT_MAX_ITEMS];
    size_t nfilters;
    dp_grain grain;
    const char *range_start, *range_end; /* YYYY-MM-DD, half-open; NULL if none */
    const char *range_text;
    const dp_metric *order_metric;
    int order_desc;
    long limit;
    int ordered;       /* rows ordered by order_metric with no limit ("biggest first") */
    dp_condition conditions[4];
    size_t nconditions;
    int ranked;        /* the ranked thing is groups[ranked_group] ("top 3 carriers") */
    size_t ranked_group;
    dp_match_note notes[64];
    size_t nnotes;
    const char *unplaced[64];
    size_t nunplaced;
    const char *missing[16];   /* phrases that look like metrics/filters/dimensions we lack */
    const char *missing_kind[16];
    const char *missing_closest[16]; /* for a value the data lacks: its closest values, "A, B, C" */
    const char *missing_choices[16][DP_VALUE_HITS_MAX]; /* the same as --choose names, "model.dim=value" */
    double missing_choice_scores[16][DP_VALUE_HITS_MAX];
    size_t nmissing;
    const char *context_models[8];   /* datasets the request named */
    const char *context_phrases[8];  /* the words that named each */
    const char *context_entities[8]; /* the entity those words named; NULL: the dataset's own name */
    size_t ncontext;
    double confidence;
    const char *as_of;
    /* Metrics the request defines over catalog metrics ("average basket,
     * which is cost divided by orders"): ratios owned by the run's arena,
     * in no catalog (pos.file NULL); also in metrics. phrase: the words. */
    const dp_metric *defined[DP_INTENT_MAX_DEFINED];
    const char *defined_phrase[DP_INTENT_MAX_DEFINED];
    size_t ndefined;
    /* A saved query of the catalog answered instead of words
     * (dp_intent_from_saved); its where filters, as written
     * ("{{ Dimension('e__d') }} = 'x'"), are rendered by the compiler on
     * the rows of every dataset. */
    const dp_saved_query *saved;
    const char *where[DP_INTENT_MAX_WHERE];
    size_t nwhere;
    /* A custom granularity of the time spine ("by lunar month"): its
     * name; grain is then the spine's own (the day the periods are made of). */
    const char *custom_grain;
    /* The request's own name for the product (intent_title.c): the words
     * before a deliverable noun or a title before a colon, lowercase, in
     * name order, space-separated ("x 360" for "a 360 view of x"); NULL when
     * it names none. title_text: those words as written, with the noun. */
    const char *title, *title_text;
} dp_intent;

/* What the data holds for a text looked up in one column (values are
 * copied, as stored; longer ones cut to fit). */
typedef struct dp_value_hits {
    int exact;                                 /* values[0] equals the text, case aside */
    char values[DP_VALUE_HITS_MAX][DP_VALUE_MAX]; /* the exact value, else the closest, best first */
    double scores[DP_VALUE_HITS_MAX];          /* similarity in [0, 1]; 1 for the exact value */
    size_t n;
    long exact_rows;                           /* rows holding the exact text value; 0: not counted */
} dp_value_hits;

/* Looks text up in column (a column of model's table): 0 with out filled (n
 * may be 0: nothing comparable); DP_ELIMIT when the time for look-ups is
 * spent; another error when the data cannot be read. The intent stage has no
 * database: the caller provides this. */
typedef int (*dp_value_lookup_fn)(void *payload, const dp_model *model, const char *column, const char *text,
                                  dp_value_hits *out, dp_error *err);

typedef struct dp_intent_opts {
    const char *as_of; /* YYYY-MM-DD */
    /* Phrases users taught this catalog (learned synonyms, --choose): lexicon
     * entries owned by the caller, matched like the catalog's own. */
    const dp_lex_entry *const *learned;
    size_t nlearned;
    /* Identifiers and names in the request are looked up in the data through
     * this (NULL: only the profile's frequent values are known). */
    dp_value_lookup_fn lookup;
    void *lookup_payload;
} dp_intent_opts;

/* Parses request against kg. Returns 0, DP_EINVALID for an empty or oversized
 * request, DP_ECLARIFY when a metric, dimension or filter could not be placed
 * (intent->missing says which; err says it in one line). Arena-owned. */
int dp_intent_parse(dp_intent *out, const dp_kg *kg, dp_arena *a, const char *request,
                    const dp_intent_opts *opts, unsigned *kg_queries, dp_error *err);
/* The structured intent as JSON (new reference). */
/* For a kind of missing item that is something dpgen does not do yet rather
 * than something the catalog lacks ("amount comparison", "period
 * comparison"): how to say it ("filtering on an amount"); else NULL. */
const char *dp_intent_unsupported(const char *kind);
/* For a missing item of kind that is a choice between readings (asked as a
 * question) rather than something the catalog lacks: what to say to choose
 * (static string); else NULL. */
const char *dp_intent_question(const char *kind);
json_t *dp_intent_to_json(const dp_intent *in);

/* intent_saved.c: the saved query name of kg as the intent (metrics, grain
 * of metric_time, group-bys, where filters, order and limit), with no words
 * to read. Returns 0; DP_ENOTFOUND when kg has no saved query of that name
 * (err names the close ones); DP_ECLARIFY when it uses what the catalog
 * lacks or what dpgen cannot compile yet (err says which, with file:line).
 * as_of: YYYY-MM-DD, NULL for today. Arena-owned. */
int dp_intent_from_saved(dp_intent *out, const dp_kg *kg, dp_arena *a, const char *name, const char *as_of,
                         dp_error *err);
/* A request that names a saved query of kg by its name as written
 * ("monthly_revenue_by_plan"), or by its label when labels, alone or with
 * one period after it ("US Fulfillment Scorecard for Q2 2025"): that saved
 * query as the intent, the period its range; returns 1. 0 when the words
 * say more (read as a request), else the error of dp_intent_from_saved.
 * as_of: YYYY-MM-DD, NULL for today. */
int dp_intent_saved_in_words(dp_intent *out, const dp_kg *kg, dp_arena *a, const char *text, int labels,
                             const char *as_of, dp_error *err);
/* The product a saved query's exports name: the first export's alias, else
 * its name, else the saved query's, as an identifier (*name), and the
 * table it is written to, schema.name (*table; "gold" without a schema). */
void dp_intent_saved_product(const dp_saved_query *q, dp_arena *a, const char **name, const char **table);
/* intent.saved_query of the spec (new reference). */
json_t *dp_intent__saved_json(const dp_intent *in);

#endif

/* What a refused run asks back: the question, the reading dpgen would use,
 * the phrases it could not place and the catalog names each could be, as
 * one stable JSON document (docs/clarification.md) that the CLI prints and
 * an API or web page can show. */
#include "orchestrator/run.h"
#include "catalog/paths.h"
#include "doc/emit.h"
#include "kg/vindex.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FALLBACK 8        /* "what the catalog has" candidates per phrase */
#define MIN_SCORE 0.15        /* as suggest's: below, a hit shares a trigram or two */

static json_t *candidate(const char *kind, const char *name, const char *label, double score)
{
    /* three decimals: the score is a ranking, not a measurement */
    return json_pack("{s:s,s:s,s:s?,s:f}", "kind", kind, "name", name, "label", label,
                     "score", (double)(long)(score * 1000 + 0.5) / 1000.0);
}

/* Catalog names close to phrase among kinds (a dp_doc_kind mask), closest
 * first, as candidates. */
static json_t *search(const dp_run *r, const char *phrase, int kinds)
{
    dp_vhit hits[3];
    json_t *c = json_array();
    size_t n = dp_vindex_search(r->kg, phrase, hits, 3, kinds);
    for (size_t k = 0; k < n; k++)
        if (hits[k].score >= MIN_SCORE && !(hits[k].metric && hits[k].metric->off.reason))
            json_array_append_new(c, candidate(hits[k].kind == DP_DOC_METRIC ? "metric" : "dimension", hits[k].name,
                                               hits[k].label, hits[k].score));
    return c;
}

/* The reading so far: the intent's parts that say what would be computed,
 * each present (empty or null when the intent has none). */
static json_t *reading(const dp_run *r)
{
    json_t *ij = dp_intent_to_json(&r->intent);
    json_t *o = json_object();
    static const char *arrays[] = {"metrics", "dimensions", "filters", "conditions"};
    static const char *nullable[] = {"time_grain", "time_range", "order"};
    for (size_t i = 0; i < sizeof(arrays) / sizeof(*arrays); i++) {
        json_t *v = json_object_get(ij, arrays[i]);
        json_object_set_new(o, arrays[i], json_is_array(v) ? json_incref(v) : json_array());
    }
    for (size_t i = 0; i < sizeof(nullable) / sizeof(*nullable); i++) {
        json_t *v = json_object_get(ij, nullable[i]);
        json_object_set_new(o, nullable[i], v ? json_incref(v) : json_null());
    }
    json_decref(ij);
    return o;
}

/* Is word one of the words of phrase (case-insensitive)? */
static int in_phrase(const char *word, const char *phrase)
{
    size_t wl = strlen(word);
    for (const char *p = phrase; (p = strcasestr(p, word)); p += wl) {
        int starts = p == phrase || p[-1] == ' ' || p[-1] == '-';
        int ends = !p[wl] || p[wl] == ' ' || p[wl] == '-';
        if (starts && ends)
            return 1;
    }
    return 0;
}

/* With nothing close to a phrase: what the catalog has for its role, score 0
 * (listed, not similar). Metrics for a metric; else the dimensions of the
 * request's metrics' datasets. */
static json_t *fallback(const dp_run *r, const char *role)
{
    json_t *arr = json_array();
    if (strstr(role, "metric")) {
        for (size_t i = 0; i < r->kg->nmetrics && json_array_size(arr) < MAX_FALLBACK; i++)
            if (!r->kg->metrics[i].off.reason) /* the ones that answer */
                json_array_append_new(arr, candidate("metric", r->kg->metrics[i].name, r->kg->metrics[i].label, 0));
        return arr;
    }
    for (size_t i = 0; i < r->intent.nmetrics && json_array_size(arr) < MAX_FALLBACK; i++) {
        const dp_metric *m = r->intent.metrics[i];
        const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(r->kg, m->measure.name) : NULL;
        const dp_model *mo = me ? me->model : NULL;
        for (size_t d = 0; mo && d < mo->ndims && json_array_size(arr) < MAX_FALLBACK; d++) {
            char name[512];
            snprintf(name, sizeof(name), "%s.%s", mo->name, mo->dims[d].name);
            int dup = 0;
            for (size_t k = 0; k < json_array_size(arr) && !dup; k++)
                dup = !strcmp(json_string_value(json_object_get(json_array_get(arr, k), "name")), name);
            if (!dup)
                json_array_append_new(arr, candidate("dimension", name, mo->dims[d].label, 0));
        }
    }
    return arr;
}

/* One line: which phrases to answer and how, then the refusal itself. */
static void question(dp_buf *b, json_t *unplaced, const char *message)
{
    const char *ask[16];
    size_t i, n = 0;
    json_t *u;
    json_array_foreach(unplaced, i, u)
        if (!json_object_get(u, "unsupported") && n < 16)
            ask[n++] = json_string_value(json_object_get(u, "phrase"));
    for (i = 0; i < n; i++)
        dp_buf_printf(b, "%s'%s'", !i ? "What do you mean by " : i + 1 == n ? " and " : ", ", ask[i]);
    if (n)
        dp_buf_puts(b, "? ");
    dp_buf_puts(b, message);
    if (n)
        dp_buf_puts(b, " (answer each as \"phrase=name\": --choose on the command line, choose in the API)");
}

char *dp_orch__clarification(const dp_run *r, const char *message)
{
    const dp_intent *in = &r->intent;
    json_t *unplaced = json_array(), *cands = json_object();
    for (size_t i = 0; i < in->nmissing; i++) {
        const char *how = dp_intent_unsupported(in->missing_kind[i]);
        json_t *u = json_pack("{s:s,s:s}", "phrase", in->missing[i], "role", in->missing_kind[i]);
        const char *asks = dp_intent_question(in->missing_kind[i]);
        if (how) {
            json_object_set_new(u, "unsupported", json_string(how));
        } else if (asks) {
            /* two readings dpgen will not choose between: how to say which */
            json_object_set_new(u, "asks", json_string(asks));
        } else if (in->missing_choices[i][0]) {
            /* a value the data lacks: the closest values it has */
            json_t *c = json_array();
            for (size_t k = 0; k < DP_VALUE_HITS_MAX && in->missing_choices[i][k]; k++)
                json_array_append_new(c, candidate("value", in->missing_choices[i][k], NULL,
                                                   in->missing_choice_scores[i][k]));
            json_object_set_new(cands, in->missing[i], c);
        } else {
            /* the search suggest() says "did you mean" from, for the role */
            int metric = strstr(in->missing_kind[i], "metric") != NULL;
            json_t *c = search(r, in->missing[i], metric ? 1 << DP_DOC_METRIC : 1 << DP_DOC_DIMENSION);
            if (!json_array_size(c)) {
                json_decref(c);
                c = fallback(r, in->missing_kind[i]);
            }
            json_object_set_new(cands, in->missing[i], c);
        }
        json_array_append_new(unplaced, u);
    }
    /* words no role took and no missing phrase holds: their role is unknown */
    for (size_t i = 0; i < in->nunplaced; i++) {
        int held = 0;
        for (size_t k = 0; k < in->nmissing && !held; k++)
            held = in_phrase(in->unplaced[i], in->missing[k]);
        if (held || json_object_get(cands, in->unplaced[i]))
            continue;
        json_array_append_new(unplaced, json_pack("{s:s,s:s}", "phrase", in->unplaced[i], "role", "unknown"));
        json_object_set_new(cands, in->unplaced[i], search(r, in->unplaced[i], 1 << DP_DOC_METRIC | 1 << DP_DOC_DIMENSION));
    }
    dp_orch__measure_candidates(r, cands);
    dp_buf q;
    dp_buf_init(&q, 0);
    question(&q, unplaced, message && *message ? message : "the catalog cannot answer this request");
    char *qs = dp_buf_detach(&q);
    json_t *doc = json_pack("{s:{s:s,s:o,s:o,s:o}}", "clarification", "question", qs ? qs : "", "reading", reading(r),
                            "unplaced", unplaced, "candidates", cands);
    free(qs);
    if (doc && r->proposed_sql) /* offered, checked, never the product's */
        json_object_set(json_object_get(doc, "clarification"), "proposed_sql", r->proposed_sql);
    /* no path of this machine: catalog files as the spec shows them */
    if (doc)
        dp_kg_shown_json(r->kg, doc, r->a);
    char *out = doc ? dp_json_dump(doc) : NULL;
    json_decref(doc);
    return out;
}

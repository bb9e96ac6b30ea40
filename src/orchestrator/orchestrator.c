/* The orchestrator: six stages over one run state, each timed, with its
 * decisions, warnings and knowledge-graph query count; stops with a clear
 * message (never a guess) when a stage cannot go on. */
#include "util/fs.h"
#include "orchestrator/run.h"
#include "orchestrator/repeat.h"
#include "catalog/paths.h"
#include "doc/emit.h"
#include "catalog/lookup.h"
#include "catalog/rowset.h"
#include "kg/vindex.h"
#include "orchestrator/learn.h"
#include "packaging/render.h"
#include "packaging/validate.h"
#include "transform/explain.h"
#include "util/buf.h"
#include "util/error.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct dp_result {
    dp_run *run; /* NULL for a repeat answered from the run store */
    char *json, *yaml, *md, *intent, *trace;
    char *clarification; /* after DP_ECLARIFY */
    char cached_from[64]; /* the stored run a repeat's answer is ("" none) */
    json_t *trace_doc;    /* a repeat's trace, for its warnings */
};

static void vlog(dp_run *r, int warning, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    dp_stage_log *s = &r->stages[r->cur];
    json_array_append_new(warning ? s->warnings : s->decisions, json_string(msg));
}

void dp_run_decision(dp_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(r, 0, fmt, ap);
    va_end(ap);
}

void dp_run_warning(dp_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(r, 1, fmt, ap);
    va_end(ap);
}

static int popularity(void *payload, const char *dataset, double *out)
{
    dp_catalog *cat = payload;
    if (!cat->state)
        return -1;
    return dp_state_popularity(cat->state, dataset, out);
}

static void run_free(dp_run *r)
{
    if (!r)
        return;
    for (int i = 0; i < DP_NSTAGES; i++) {
        json_decref(r->stages[i].decisions);
        json_decref(r->stages[i].warnings);
    }
    json_decref(r->disc.joins);
    json_decref(r->disc.semantic);
    json_decref(r->compiled.lineage);
    json_decref(r->compiled.ctes);
    json_decref(r->compiled_target.lineage);
    json_decref(r->compiled_target.ctes);
    json_decref(r->validation);
    dp_rowset_free(r->exec.rowset);
    json_decref(r->exec.schema);
    json_decref(r->exec.sample);
    json_decref(r->exec.schema_check);
    json_decref(r->exec.warnings);
    json_decref(r->exec.coverage);
    json_decref(r->rules);
    json_decref(r->gx);
    json_decref(r->dbt);
    json_decref(r->sql_assertions);
    json_decref(r->sla);
    json_decref(r->spec);
    json_decref(r->llm.log);
    json_decref(r->proposed_sql);
    if (r->llm_sql)
        json_decref(r->llm_sql->log);
    if (r->exec.stream_con)
        dp_db_run_release(r->cat->db, &r->exec.stream_con, NULL);
    if (r->con) /* kept for the next run, its result dropped */
        dp_db_run_release(r->cat->db, &r->con, r->exec.table_made ? r->exec.table : NULL);
    dp_arena_free(r->a);
    free(r);
}

void dp_result_free(dp_result *res)
{
    if (!res)
        return;
    run_free(res->run);
    free(res->json);
    free(res->yaml);
    free(res->md);
    free(res->intent);
    free(res->trace);
    free(res->clarification);
    json_decref(res->trace_doc);
    free(res);
}

static void new_run_id(char out[40])
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        for (size_t i = 0; i < sizeof(b); i++)
            b[i] = (unsigned char)((ts.tv_nsec >> (i % 8)) ^ (ts.tv_sec >> i) ^ (i * 37));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
             b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Below this cosine, a search hit shares a trigram or two with the phrase
 * and nothing else ("planet" -> "end_date"): no suggestion. */
#define SUGGEST_MIN_SCORE 0.15

static size_t list_model_dims(const dp_model *mo, char *add, size_t cap, size_t off, size_t *k, size_t max)
{
    for (size_t d = 0; mo && d < mo->ndims && *k < max && off < cap; d++, (*k)++)
        off += (size_t)snprintf(add + off, cap - off, "%s%s.%s", off ? ", " : "", mo->name, mo->dims[d].name);
    return off;
}

/* Up to max dimensions ("model.dim") the request's metrics can be grouped
 * by: their datasets' own, then those of the datasets their foreign keys
 * point at. Appended to add at off; returns the new length. */
static size_t list_dims(const dp_run *r, char *add, size_t cap, size_t off, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < r->intent.nmetrics && k < max; i++) {
        const dp_metric *m = r->intent.metrics[i];
        const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(r->kg, m->measure.name) : NULL;
        const dp_model *mo = me ? me->model : NULL;
        off = list_model_dims(mo, add, cap, off, &k, max);
        for (size_t e = 0; mo && e < mo->nentities && k < max; e++)
            if (mo->entities[e].type == DP_ENT_FOREIGN)
                off = list_model_dims(dp_kg_entity_home(r->kg, mo->entities[e].name), add, cap, off, &k, max);
    }
    return off;
}

/* Is name one of the ", "-separated names of list? */
static int said_already(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = list; (s = strstr(s, name)); s += n)
        if ((s == list || (s >= list + 2 && s[-2] == ',' && s[-1] == ' ')) && (s[n] == ',' || !s[n]))
            return 1;
    return 0;
}

/* "did you mean": semantic search over what the request could not place;
 * with nothing close, what the catalog has instead. */
static void suggest(dp_run *r, dp_error *err)
{
    if (!r->intent.nmissing || !err)
        return;
    dp_vhit hits[5];
    char add[600] = "";
    size_t off = 0;
    int dims_missing = 0;
    for (size_t i = 0; i < r->intent.nmissing && off < 400; i++) {
        if (dp_intent_unsupported(r->intent.missing_kind[i]) || dp_intent_question(r->intent.missing_kind[i]) ||
            r->intent.missing_closest[i])
            continue; /* not a catalog entry to look up (something dpgen does not do, a choice between
                         readings); or a value, its closest values said already */
        /* "metric", "cumulative metric"...: metrics; else dimensions */
        int metric = strstr(r->intent.missing_kind[i], "metric") != NULL;
        dims_missing |= !metric;
        size_t n = dp_vindex_search(r->kg, r->intent.missing[i], hits, 3,
                                    metric ? 1 << DP_DOC_METRIC : 1 << DP_DOC_DIMENSION);
        json_t *sug = json_array();
        for (size_t k = 0; k < n; k++) {
            if (hits[k].score < SUGGEST_MIN_SCORE || (hits[k].metric && hits[k].metric->off.reason))
                continue; /* a disabled metric is no answer */
            json_array_append_new(sug, json_pack("{s:s,s:f}", "name", hits[k].name, "score", hits[k].score));
            if (!said_already(add, hits[k].name)) /* one name once, whichever phrase found it */
                off += (size_t)snprintf(add + off, sizeof(add) - off, "%s%s", off ? ", " : "", hits[k].name);
        }
        char *list = json_array_size(sug) ? json_dumps(sug, JSON_COMPACT) : NULL;
        dp_run_decision(r, "closest catalog entries to '%s': %s", r->intent.missing[i], list ? list : "none");
        free(list);
        json_decref(sug);
    }
    size_t l = strlen(err->message), lookups = 0;
    for (size_t i = 0; i < r->intent.nmissing; i++)
        lookups += !dp_intent_unsupported(r->intent.missing_kind[i]) && !dp_intent_question(r->intent.missing_kind[i]) &&
                   !r->intent.missing_closest[i];
    if (!lookups)
        return; /* nothing the catalog could have had */
    if (off) {
        snprintf(err->message + l, sizeof(err->message) - l, "; did you mean: %s?", add);
        return;
    }
    /* nothing close: what the catalog can answer */
    if (dims_missing && (off = list_dims(r, add, sizeof(add), 0, 8))) {
        snprintf(err->message + l, sizeof(err->message) - l, "; dimensions it has for these metrics include: %s", add);
        return;
    }
    for (size_t i = 0, k = 0; i < r->kg->nmetrics && k < 8; i++)
        if (!r->kg->metrics[i].off.reason) /* the ones that answer */
            off += (size_t)snprintf(add + off, sizeof(add) - off, "%s%s", k++ ? ", " : "", r->kg->metrics[i].name);
    snprintf(err->message + l, sizeof(err->message) - l, "; metrics it has include: %s", add);
}

typedef int (*stage_fn)(dp_run *r, dp_error *err);

/* The request read against the catalog, with what users taught it and this
 * run's answers; a disabled element refused with its reason. */
static int read_request(dp_run *r, dp_error *err)
{
    dp_intent_opts io = {0};
    io.as_of = r->opts.as_of;
    int rc = dp_learn__entries(r, &io, err);
    if (rc)
        return rc;
    /* identifiers and names in the request are looked up in the data, on
     * this run's (read-only) connection, within a time budget */
    dp_lookup lk;
    dp_lookup_init(&lk, r->con, 0);
    if (r->con) {
        io.lookup = dp_lookup_values;
        io.lookup_payload = &lk;
    }
    rc = dp_intent_parse(&r->intent, r->kg, r->a, r->request, &io, &r->stages[r->cur].kg_queries, err);
    if (!rc) /* a disabled element is named with its reason, never used */
        rc = dp_orch__refuse_disabled(r, err);
    if (lk.queries)
        dp_run_decision(r, "%u value look-up(s) in the data, %.0f ms", lk.queries, lk.spent_ms);
    return rc;
}

static int st_intent(dp_run *r, dp_error *err)
{
    /* "US Fulfillment Scorecard for Q2 2025": a saved query named by the
     * words, alone or with a period */
    int named = r->opts.saved_query || !r->request
                    ? 0
                    : dp_intent_saved_in_words(&r->intent, r->kg, r->a, r->request, 0, r->opts.as_of, err);
    if (named < 0)
        return named;
    if (r->opts.saved_query || named) {
        int src = named ? 0 : dp_intent_from_saved(&r->intent, r->kg, r->a, r->opts.saved_query, r->opts.as_of, err);
        if (!src) /* a disabled query, metric or dimension is named with its reason */
            src = dp_orch__refuse_disabled(r, err);
        if (!src)
            dp_run_decision(r,
                            "saved query %s (%s:%d) read as the intent%s: %zu metric(s), %zu grouping(s), grain %s, "
                            "%zu where filter(s)",
                            r->intent.saved->name, r->intent.saved->pos.file, r->intent.saved->pos.line,
                            named ? " (the request names it)" : "", r->intent.nmetrics, r->intent.ngroups,
                            dp_grain_name(r->intent.grain), r->intent.nwhere);
        return src;
    }
    int rc = read_request(r, err);
    if (rc == DP_ECLARIFY && r->request) {
        /* words that read as no request may be a saved query's label ("US
         * Fulfillment Scorecard for Q2 2025"); a label that reads as a
         * request ("Revenue by region") stays the request it says */
        dp_intent *sv = dp_arena_calloc(r->a, 1, sizeof(*sv));
        dp_error e2 = {0};
        if (sv && dp_intent_saved_in_words(sv, r->kg, r->a, r->request, 1, r->opts.as_of, &e2) == 1) {
            r->intent = *sv;
            err->code = 0;
            err->message[0] = 0;
            rc = dp_orch__refuse_disabled(r, err);
            if (!rc)
                dp_run_decision(r, "saved query %s (%s:%d) read as the intent: the request is its label",
                                r->intent.saved->name, r->intent.saved->pos.file, r->intent.saved->pos.line);
            return rc;
        }
    }
    if (rc == DP_ECLARIFY && r->opts.llm) {
        /* the model may read what the catalog's words do not cover; its
         * readings are checked, then the request is read again with them */
        const char **prop;
        size_t np;
        if (!dp_orch__assist_intent(r, err->message, &prop, &np)) {
            const char *const *had = r->opts.choose;
            size_t nhad = r->opts.nchoose;
            const char **all = dp_arena_calloc(r->a, nhad + np, sizeof(char *));
            if (all) {
                for (size_t i = 0; i < nhad; i++)
                    all[i] = had[i];
                for (size_t i = 0; i < np; i++)
                    all[nhad + i] = prop[i];
                r->opts.choose = all;
                r->opts.nchoose = nhad + np;
                r->nproposed = np;
                dp_error e2 = {0};
                if (!read_request(r, &e2)) {
                    rc = 0;
                    err->code = 0;
                    err->message[0] = 0;
                    dp_llm__outcome(&r->llm, "accepted", NULL);
                } else { /* still not understood: the deterministic question, as without the model */
                    dp_run_warning(r, "with the language model's readings the request was still not understood (%s)",
                                   e2.message);
                    dp_llm__outcome(&r->llm, "rejected", "the request was still not understood with its readings");
                    r->opts.choose = had;
                    r->opts.nchoose = nhad;
                    r->nproposed = 0;
                    rc = read_request(r, err);
                }
            }
        }
    }
    if (rc == DP_ECLARIFY && r->opts.llm && dp_orch__assist_sql(r)) {
        /* a calculation the compiler lacks, answered by the model's SQL that
         * passed the checks: the rest of the request was read */
        err->code = 0;
        err->message[0] = 0;
        r->intent.nmissing = 0;
        r->intent.confidence *= DP_LLM_SQL_CONFIDENCE;
        dp_run_decision(r,
                        "confidence lowered by a factor %.1f: a column is the language model's SQL, not the compiler's",
                        DP_LLM_SQL_CONFIDENCE);
        rc = dp_orch__refuse_disabled(r, err);
    }
    if (rc == DP_ECLARIFY) {
        suggest(r, err);
        dp_orch__measure_hint(r, err);
    }
    if (!rc) {
        dp_run_decision(r, "confidence %.2f: %zu metric(s), %zu grouping(s), %zu filter(s), grain %s", r->intent.confidence,
                        r->intent.nmetrics, r->intent.ngroups, r->intent.nfilters, dp_grain_name(r->intent.grain));
        for (size_t i = 0; i < r->intent.nunplaced; i++)
            dp_run_warning(r, "word not placed in the catalog: '%s'", r->intent.unplaced[i]);
        /* a relative range says its anchor */
        r->range_relative = dp_transform__range_relative(&r->intent, r->a);
        if (r->range_relative == 1)
            dp_run_decision(r, "time range '%s' is relative: [%s, %s) anchored on as-of %s", r->intent.range_text,
                            r->intent.range_start, r->intent.range_end, r->intent.as_of);
        for (size_t i = 0; i < r->intent.ndefined; i++) {
            const dp_metric *m = r->intent.defined[i];
            dp_run_decision(r, "metric %s ('%s') defined in the request as %s / %s, each aggregated at the grain, then divided",
                            m->name, r->intent.defined_phrase[i], m->numerator.name, m->denominator.name);
        }
    }
    return rc;
}

static int st_discovery(dp_run *r, dp_error *err)
{
    dp_stage_log *s = &r->stages[r->cur];
    int rc = dp_discover(&r->disc, r->kg, &r->intent, r->a, popularity, r->cat, s->decisions, &s->kg_queries, err);
    if (rc == DP_ECLARIFY) /* a join a disabled entity would have given is named */
        dp_orch__disabled_joins(r, err);
    if (rc)
        return rc;
    /* semantic search over the request, for the record and for candidates */
    dp_vhit hits[5];
    size_t n = dp_vindex_search(r->kg, r->request, hits, 5, 1 << DP_DOC_DATASET | 1 << DP_DOC_METRIC);
    s->kg_queries++;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(r->disc.semantic, json_pack("{s:s,s:s,s:f}", "kind", hits[i].kind == DP_DOC_METRIC ? "metric" : "dataset",
                                                           "name", hits[i].name, "score", hits[i].score));
    for (size_t i = 0; i < r->disc.nselected; i++) {
        const dp_model *m = r->disc.selected[i];
        dp_run_decision(r, "selected %s.%s (%s)", m->schema, m->table, m->name);
        /* what the profile could not see is said, not taken as complete */
        if (m->profile_partial)
            dp_run_warning(r,
                           "the profile of %s.%s (%s) is partial: %s; its counts and values are incomplete (raise "
                           "--timeout or --memory-limit)",
                           m->schema, m->table, m->name, m->profile_partial);
        if (m->profile_sample > 0)
            dp_run_decision(r,
                            "%s.%s (%s) has %lld rows: its key, frequent-value and orphan counts come from a sample "
                            "of %lld rows",
                            m->schema, m->table, m->name, (long long)m->rows, (long long)m->profile_sample);
    }
    return 0;
}

/* The wide product unless --columns asked: what was added, and what was
 * not and why, are the stage's decisions. */
static int widen(dp_run *r, dp_error *err)
{
    if (r->opts.columns && !strcmp(r->opts.columns, "asked")) {
        dp_run_decision(r, "--columns asked: only the columns asked, no attribute or component measure added");
        return 0;
    }
    const char *notes[64];
    size_t nnotes = 0, nattr = 0, nmeas = 0;
    int rc = dp_model_widen(&r->design, r->kg, &r->intent, &r->disc, r->a, notes, 64, &nnotes, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->design.ncols; i++) {
        nattr += r->design.cols[i].role == DP_ROLE_ATTRIBUTE;
        nmeas += r->design.cols[i].role == DP_ROLE_MEASURE;
    }
    dp_run_decision(r, "added %zu attribute(s) and %zu component measure(s) (--columns asked for only what was asked)",
                    nattr, nmeas);
    for (size_t i = 0; i < nnotes; i++)
        dp_run_decision(r, "%s", notes[i]);
    /* the SQL reads the attributes' datasets: sources like the others
     * (source_datasets, lineage, the dbt sources) */
    for (size_t i = 0; i < r->design.ncols; i++) {
        const dp_model *m = r->design.cols[i].role == DP_ROLE_ATTRIBUTE ? r->design.cols[i].attr_model : NULL;
        int known = !m;
        for (size_t k = 0; k < r->disc.nselected && !known; k++)
            known = r->disc.selected[k] == m;
        if (known || r->disc.nselected >= DP_PLAN_MAX)
            continue;
        r->disc.selected[r->disc.nselected++] = m;
        for (size_t k = 0; k < r->disc.nranked; k++)
            r->disc.ranked[k].selected |= r->disc.ranked[k].model == m;
        dp_run_decision(r, "selected %s.%s (%s) for the attributes of %s", m->schema, m->table, m->name,
                        r->design.cols[i].attr_entity);
    }
    return 0;
}

/* The columns of the model's calculation, after the compiler's (run.h,
 * dp_llm_sql): the product is the model's SQL's columns, nothing wider. */
static int add_calculated(dp_run *r, dp_error *err)
{
    const dp_llm_sql *l = r->llm_sql;
    dp_design *dz = &r->design;
    const dp_metric *base = r->intent.nmetrics ? r->intent.metrics[0] : NULL;
    dp_run_decision(r,
                    "only the columns asked: the language model's SQL gives the grain, %s and its calculation, no "
                    "attribute or component measure",
                    l->base_col);
    for (size_t i = 0; i < l->ncalc; i++) {
        if (dz->ncols == sizeof(dz->cols) / sizeof(*dz->cols))
            return dp_error_set(err, DP_ELIMIT, "the product has more than %zu columns", dz->ncols);
        dp_target_col *c = &dz->cols[dz->ncols++];
        memset(c, 0, sizeof(*c));
        c->name = l->calc[i];
        c->type = l->calc_type[i];
        c->role = DP_ROLE_CALCULATED;
        c->metric = base;
        c->formula = dp_arena_printf(r->a, "%s of %s, by the language model's SQL", l->kind, l->base_col);
        c->description =
            dp_arena_printf(r->a,
                            "'%s': %s of %s at the grain, computed by SQL a language model (%s) wrote and dpgen "
                            "checked, test-ran and reconciled",
                            l->phrase, l->kind, l->base_col, l->model);
        dp_run_decision(r, "column %s (%s): '%s', the language model's", c->name, c->type, l->phrase);
        /* said where a user reads it: the base was reconciled, the calculation only run */
        dp_run_warning(r,
                       "column %s is the language model's calculation ('%s'): its SQL ran and its %s equals the "
                       "compiler's, but the calculation itself is not checked against a catalog definition",
                       c->name, l->phrase, l->base_col);
    }
    if (dz->description)
        dz->description = dp_arena_printf(r->a, "%s Its %s ('%s') is computed by SQL a language model wrote.",
                                          dz->description, l->kind, l->phrase);
    /* named for what it computes: the base metric's name in the product's
     * name becomes the calculation's ("x_by_y" -> "share_of_x_by_y") */
    const char *at = dz->name ? strstr(dz->name, l->base_col) : NULL;
    const char *tat = dz->table ? strstr(dz->table, l->base_col) : NULL;
    if (at && tat && l->ncalc) {
        size_t bl = strlen(l->base_col);
        dz->name = dp_arena_printf(r->a, "%.*s%s%s", (int)(at - dz->name), dz->name, l->calc[0], at + bl);
        dz->table = dp_arena_printf(r->a, "%.*s%s%s", (int)(tat - dz->table), dz->table, l->calc[0], tat + bl);
        dz->name_reason = "named after the language model's calculation column in place of its base metric";
    }
    return 0;
}

static int st_modeling(dp_run *r, dp_error *err)
{
    int rc = dp_model_design(&r->design, r->kg, &r->intent, &r->disc, r->a, err);
    if (!rc && r->llm_sql) {
        rc = add_calculated(r, err);
        if (!rc)
            dp_run_decision(r, "target %s, %s, %zu columns", r->design.table, r->design.grain_text, r->design.ncols);
        if (!rc && r->design.name_reason)
            dp_run_decision(r, "%s: %s", r->design.name, r->design.name_reason);
        return rc;
    }
    if (!rc && r->intent.saved) { /* the product the saved query's exports name */
        dp_intent_saved_product(r->intent.saved, r->a, &r->design.name, &r->design.table);
        r->design.name_reason = "named after the saved query's first export (its alias, else its name)";
    }
    if (!rc)
        rc = widen(r, err);
    if (!rc)
        dp_run_decision(r, "target %s, %s, %zu columns", r->design.table, r->design.grain_text, r->design.ncols);
    if (!rc && r->design.name_reason)
        dp_run_decision(r, "%s: %s", r->design.name, r->design.name_reason);
    return rc;
}

/* The stage's log to the caller's on_stage, with catalog paths as the spec
 * shows them. */
static void report_stage(dp_run *r, int i)
{
    const dp_stage_log *st = &r->stages[i];
    json_t *o =
        json_pack("{s:s,s:s,s:f,s:I,s:O,s:O,s:s?}", "stage", st->name, "status", st->status, "ms", st->ms, "kg_queries",
                  (json_int_t)st->kg_queries, "decisions", st->decisions, "warnings", st->warnings, "error", st->error);
    if (!o)
        return;
    dp_kg_shown_json(r->kg, o, r->a);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text)
        r->opts.on_stage(r->opts.on_stage_user, text);
    free(text);
    json_decref(o);
}

/* A repeat (repeat.c): the stored run's answer, or 0 when there is none.
 * Returns 1 with *rc the stored outcome (0, or DP_ECLARIFY with its
 * message). */
static int answer_repeat(dp_result *res, dp_catalog *cat, const char *request, const dp_generate_options *o, int *rc,
                         dp_error *err)
{
    char *key = dp_repeat__key(cat, request, o), *message = NULL, status[16];
    int found = key && dp_repeat__find(cat, key, res->cached_from, status, &message);
    free(key);
    if (found && !strcmp(status, "ok")) {
        res->json = dp_state_run_doc(cat->state, res->cached_from, "spec.json");
        res->yaml = dp_state_run_doc(cat->state, res->cached_from, "spec.yaml");
        res->md = dp_state_run_doc(cat->state, res->cached_from, "README.md");
        *rc = res->json && res->yaml && res->md ? 0 : -1;
    } else if (found && !strcmp(status, "clarify")) {
        res->clarification = dp_state_run_doc(cat->state, res->cached_from, "clarification.json");
        *rc = res->clarification ? dp_error_set(err, DP_ECLARIFY, "%s", message ? message : "") : -1;
    } else {
        *rc = -1;
    }
    free(message);
    if (*rc == -1) /* not stored, or stored in part: run it (the caller frees what was read) */
        return 0;
    res->trace = dp_state_run_doc(cat->state, res->cached_from, "trace.json");
    res->trace_doc = res->trace ? json_loads(res->trace, 0, NULL) : NULL;
    return 1;
}

/* The spec's YAML and Markdown, written beside its validation. */
typedef struct render_job {
    const json_t *spec;
    char *yaml, *md;
} render_job;

static void *render_main(void *p)
{
    render_job *j = p;
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_yaml_emit(&b, j->spec);
    j->yaml = dp_buf_detach(&b);
    j->md = dp_render_markdown(j->spec);
    return NULL;
}

int dp_generate_stored(dp_result **out, dp_catalog *cat, const char *request, const dp_generate_options *opts,
                       dp_error *err)
{
    *out = NULL;
    if (!cat || !cat->state || !opts || opts->intent_only)
        return 0; /* nothing stored to answer from */
    dp_result *res = calloc(1, sizeof(*res));
    int rc;
    if (!res)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if (!answer_repeat(res, cat, request, opts, &rc, err)) {
        dp_result_free(res);
        return 0;
    }
    *out = res;
    return rc;
}

int dp_generate(dp_result **out, dp_catalog *cat, const char *request, const dp_generate_options *opts, dp_error *err)
{
    *out = NULL;
    if (opts && opts->reuse) { /* a repeat: the stored run's answer */
        int rc = dp_generate_stored(out, cat, request, opts, err);
        if (*out || rc)
            return rc;
    }
    int irc = cat ? dp_catalog__indexes(cat, err) : 0; /* a load that deferred them: built by the first run */
    if (irc)
        return irc;
    dp_generate_options def = DP_GENERATE_OPTIONS_INIT;
    dp_result *res = calloc(1, sizeof(*res));
    dp_run *r = calloc(1, sizeof(*r));
    if (!res || !r || !(r->a = dp_arena_new(256 * 1024))) {
        free(res);
        free(r);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    res->run = r;
    r->cat = cat;
    r->kg = &cat->kg;
    r->opts = opts ? *opts : def;
    r->request = request ? request : "";
    new_run_id(r->run_id);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(r->created_at, sizeof(r->created_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    static const char *names[] = {"intent", "discovery", "modeling", "transformation", "quality", "packaging"};
    for (int i = 0; i < DP_NSTAGES; i++) {
        r->stages[i].name = names[i];
        r->stages[i].decisions = json_array();
        r->stages[i].warnings = json_array();
    }
    int rc = 0;
    if (r->opts.dialect && strcmp(r->opts.dialect, "duckdb")) {
        if (!strcmp(r->opts.dialect, "postgres") || !strcmp(r->opts.dialect, "postgresql"))
            r->dialect = DP_DIALECT_POSTGRES;
        else
            rc = dp_error_set(err, DP_EINVALID, "unknown dialect '%s' (duckdb, postgres)", r->opts.dialect);
    }
    if (!rc && r->opts.saved_query) { /* a named request of the catalog: no words to read */
        if (request && request[strspn(request, " \t\r\n")])
            rc = dp_error_set(err, DP_EINVALID, "give a request or a saved query, not both");
        else
            r->request = dp_arena_printf(r->a, "saved query %s", r->opts.saved_query);
    }
    if (!rc)
        rc = dp_db_run_connect(&r->con, cat->db, err);
    if (!rc) {
        for (const char *p = r->opts.memory_limit; p && *p; p++)
            if (!strchr("0123456789.KMGTBkmgtib ", *p))
                rc = dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", r->opts.memory_limit);
        if (!rc) /* set only when it changes: it is the database's, not the run's */
            rc = dp_db_set_memory_limit(cat->db, r->con, r->opts.memory_limit ? r->opts.memory_limit : "2GB", err);
    }
    int store = cat->state && r->opts.record && !r->opts.intent_only;
    if (store) { /* marked as going on: a crash before its end is found later */
        dp_error ignore = {0};
        dp_state_run_begin(cat->state, r->run_id, r->request, &ignore);
    }
    stage_fn fns[] = {st_intent, st_discovery, st_modeling, dp_stage_transform, dp_stage_quality, dp_stage_packaging};
    double t0 = dp_now_ms();
    int last = r->opts.intent_only ? DP_STAGE_INTENT : DP_STAGE_PACKAGING;
    for (int i = 0; i <= last && !rc; i++) {
        r->cur = i;
        double s0 = dp_now_ms();
        rc = fns[i](r, err);
        r->stages[i].ms = dp_now_ms() - s0;
        r->stages[i].status = rc ? "failed" : "ok";
        if (rc && err) /* text appended after dp_error_set too: one line, control bytes escaped */
            dp_error_set(err, err->code, "%s", err->message);
        if (rc)
            r->stages[i].error = dp_arena_strdup(r->a, err ? err->message : "failed");
        if (r->opts.on_stage)
            report_stage(r, i);
    }
    r->total_ms = dp_now_ms() - t0;
    if (!rc && !r->opts.intent_only) {
        json_t *exec = json_pack("{s:s,s:f,s:o}", "run_id", r->run_id, "total_ms", r->total_ms, "stages", json_array());
        for (int i = 0; i < DP_NSTAGES; i++)
            json_array_append_new(json_object_get(exec, "stages"),
                                  json_pack("{s:s,s:f,s:I,s:O,s:O}", "stage", r->stages[i].name, "ms", r->stages[i].ms,
                                            "kg_queries", (json_int_t)r->stages[i].kg_queries, "decisions",
                                            r->stages[i].decisions, "warnings", r->stages[i].warnings));
        json_object_set_new(exec, "catalog",
                            json_pack("{s:s,s:s,s:s?,s:f,s:b,s:s}", "models",
                                      dp_kg_shown_path(r->kg, r->kg->models_path, r->a), "database",
                                      dp_kg_shown_path(r->kg, r->kg->db_path, r->a), "glossary",
                                      dp_kg_shown_path(r->kg, r->kg->glossary_path, r->a), "load_ms", cat->load_ms,
                                      "profile_cached", cat->profile_cached, "paths_relative_to",
                                      r->kg->path_root_kind ? r->kg->path_root_kind : "the folder of the catalog"));
        json_t *llm = dp_orch__llm_record(r);
        if (llm) /* which parts a language model proposed, and its calls */
            json_object_set_new(exec, "llm", llm);
        json_object_set_new(r->spec, "execution", exec);
        /* no path of this machine in the spec: decisions and warnings
         * quote catalog files (file:line) as the catalog root has them */
        dp_kg_shown_json(r->kg, r->spec, r->a);
        /* the spec is complete only now: validated, and rendered only when
         * valid; its YAML and Markdown are written on a thread of their own
         * while it is validated and dumped as JSON (each only reads the
         * tree). The decision the validation adds is in the spec they
         * render, and taken back when it fails (strings, it cannot change
         * what is valid). */
        r->cur = DP_STAGE_PACKAGING;
        dp_run_decision(r, "spec validated against %s", DP_SPEC_SCHEMA_NAME);
        render_job job = {r->spec, NULL, NULL};
        pthread_t th;
        int threaded = pthread_create(&th, NULL, render_main, &job) == 0;
        rc = dp_packaging__spec_validate(r->spec, err);
        char *json = rc ? NULL : dp_json_dump(r->spec);
        if (!threaded && !rc)
            render_main(&job);
        if (threaded)
            pthread_join(th, NULL);
        if (rc) {
            json_t *d = r->stages[DP_STAGE_PACKAGING].decisions;
            json_array_remove(d, json_array_size(d) - 1);
            r->stages[DP_STAGE_PACKAGING].status = "failed";
            r->stages[DP_STAGE_PACKAGING].error = dp_arena_strdup(r->a, err ? err->message : "invalid spec");
            free(job.yaml);
            free(job.md);
        } else {
            res->json = json;
            res->yaml = job.yaml;
            res->md = job.md;
        }
    }
    if (rc == DP_ECLARIFY)
        res->clarification = dp_orch__clarification(r, err ? err->message : "");
    json_t *ij = dp_intent_to_json(&r->intent);
    res->intent = dp_json_dump(ij);
    json_decref(ij);
    json_t *tr = dp_run_trace(r);
    res->trace = dp_json_dump(tr);
    json_decref(tr);
    if (store) { /* the record, what the run learned and its documents: one transaction */
        dp_error ignore = {0};
        int began = !dp_state_begin(cat->state, &ignore);
        dp_state_record_run(cat->state, r->run_id, r->request, rc ? (rc == DP_ECLARIFY ? "clarify" : "failed") : "ok",
                            rc ? NULL : r->design.name, r->total_ms, rc && err ? err->message : NULL, &ignore);
        if (!rc) {
            const char *names2[DP_PLAN_MAX];
            for (size_t i = 0; i < r->disc.nselected; i++)
                names2[i] = r->disc.selected[i]->name;
            dp_state_record_product(cat->state, r->run_id, r->design.name, names2, r->disc.nselected, r->rules, &ignore);
        }
        dp_state_run_docs(cat->state, r->run_id, res->json, res->yaml, res->md, res->trace, res->clarification,
                          cat->data_key, &ignore);
        if (!rc || rc == DP_ECLARIFY) {          /* answers, not failures that may pass: a repeat may reuse them */
            dp_generate_options asked = r->opts; /* as asked: without the model's readings */
            asked.nchoose -= r->nproposed;
            dp_repeat__store(cat, r->request, &asked, r->run_id);
        }
        if (began)
            dp_state_commit(cat->state, 1);
        dp_state_run_prune(cat->state, cat->keep_runs, cat->keep_days, &ignore);
    }
    *out = res;
    return rc;
}

const char *dp_result_spec(dp_result *res, dp_format fmt)
{
    if (!res)
        return NULL;
    return fmt == DP_FORMAT_JSON ? res->json : fmt == DP_FORMAT_YAML ? res->yaml : res->md;
}

/* A repeat's stage warnings, from its stored trace. */
static json_t *repeat_warnings(dp_result *res, int i)
{
    return json_object_get(json_array_get(json_object_get(res->trace_doc, "stages"), (size_t)i), "warnings");
}

int dp_result_cached(dp_result *res, const char **run_id)
{
    if (run_id)
        *run_id = res && res->cached_from[0] ? res->cached_from : NULL;
    return res && res->cached_from[0];
}

size_t dp_result_warning_count(dp_result *res)
{
    size_t n = 0;
    for (int i = 0; res && !res->run && i < DP_NSTAGES; i++)
        n += json_array_size(repeat_warnings(res, i));
    for (int i = 0; res && res->run && i < DP_NSTAGES; i++)
        n += json_array_size(res->run->stages[i].warnings);
    return n;
}

const char *dp_result_warning(dp_result *res, size_t k)
{
    for (int i = 0; res && !res->run && i < DP_NSTAGES; i++) {
        size_t n = json_array_size(repeat_warnings(res, i));
        if (k < n)
            return json_string_value(json_array_get(repeat_warnings(res, i), k));
        k -= n;
    }
    for (int i = 0; res && res->run && i < DP_NSTAGES; i++) {
        size_t n = json_array_size(res->run->stages[i].warnings);
        if (k < n)
            return json_string_value(json_array_get(res->run->stages[i].warnings, k));
        k -= n;
    }
    return NULL;
}

const char *dp_result_intent_json(dp_result *res) { return res ? res->intent : NULL; }
const char *dp_result_trace_json(dp_result *res) { return res ? res->trace : NULL; }
const char *dp_result_clarification_json(dp_result *res) { return res ? res->clarification : NULL; }

json_t *dp__result_spec_tree(dp_result *res);
json_t *dp__result_spec_tree(dp_result *res) { return res && res->run ? res->run->spec : NULL; }
/* The run behind a result (borrowed): exports read its test-run table. */
dp_run *dp__result_run(dp_result *res);
dp_run *dp__result_run(dp_result *res) { return res ? res->run : NULL; }

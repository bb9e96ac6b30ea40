/* Intent stage: request text -> structured intent. Patterns known here are
 * English (time, ranking, grouping and filtering markers, report framing);
 * every business phrase comes from the catalog's lexicon. */
#include "intent/intent.h"
#include "intent/timeparse.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <time.h>

enum { MODE_NONE, MODE_GROUP, MODE_FILTER };
enum { U_FREE = 0, U_PATTERN, U_MATCH, U_NOISE };

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
    size_t qual_at[8], qual_len[8], nquals; /* "shipments" in "late shipments" */
} parser;

/* Report framing and filler: ignored without lowering confidence. Only
 * consulted for words the catalog did not claim. */
static int is_noise(const char *w)
{
    static const char *words[] = {
        "create", "build", "make", "generate", "produce", "give", "show", "list", "get", "need", "want",
        "like", "would", "could", "please", "can", "report", "reports", "dashboard", "dashboards", "table",
        "tables", "view", "overview", "summary", "summarize", "breakdown", "analysis", "metrics", "metric",
        "kpi", "kpis", "performance", "data", "dataset", "what", "which", "who", "how", "much", "many",
        "has", "have", "had", "total", "overall", "number", "count", "amount", "sum", "figures",
        "numbers", "stats", "statistics", "trend", "trends", "including", "include", "includes",
        "containing", "plus", "along", "us", "let", "see", "know", "tell", "one", "row", "rows", "given",
        "made", "there", "just", "so", "far", "up", "out", "both", "versus", "vs", "compared", "grain",
        "level", "broken", "down", "grouped", "split", "feature", "features", "daily", "new",
        "weekly", "monthly", "quarterly", "yearly", "ranked", "rank", "sorted", "ordered", "order",
        "showing", "look", "looking", "calculate", "compute", "track", "tracking", "measure", "measuring",
        "where", "when", "while", "whose", "had", "got", "happened", "doing", "did", "does", "do", "done",
        "current", "whole", "entire", "complete", "full", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

static int is_group_marker(const parser *p, size_t i, size_t *len)
{
    const char *w = p->t[i].low;
    const char *nx = i + 1 < p->n ? p->t[i + 1].low : "";
    *len = 1;
    if (!strcmp(w, "for") && (!strcmp(nx, "each") || !strcmp(nx, "every"))) {
        *len = 2;
        return 1;
    }
    if ((!strcmp(w, "split") || !strcmp(w, "grouped") || !strcmp(w, "broken") || !strcmp(w, "break") ||
         !strcmp(w, "segmented") || !strcmp(w, "sliced")) && !strcmp(nx, "by")) {
        *len = 2;
        return 1;
    }
    if ((!strcmp(w, "broken") || !strcmp(w, "break")) && !strcmp(nx, "down") && i + 2 < p->n &&
        !strcmp(p->t[i + 2].low, "by")) {
        *len = 3;
        return 1;
    }
    return !strcmp(w, "by") || !strcmp(w, "per") || !strcmp(w, "each") || !strcmp(w, "every") ||
           !strcmp(w, "across") || !strcmp(w, "vs") || !strcmp(w, "versus");
}

static int is_filter_marker(const char *w)
{
    static const char *words[] = {"for", "in", "on", "from", "with", "where", "only", "among", "within",
                                  "at", "of", "excluding", "to", "via", "through", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

static void note(parser *p, const char *text, const char *kind, const char *target, const char *source,
                 double conf)
{
    dp_intent *in = p->in;
    if (in->nnotes < sizeof(in->notes) / sizeof(*in->notes))
        in->notes[in->nnotes++] = (dp_match_note){text, kind, target, source, conf};
    p->conf_sum += conf;
    p->conf_n++;
}

static const char *span_text(parser *p, size_t i, size_t len)
{
    if (!len)
        return "";
    return dp_arena_strndup(p->a, p->in->request + p->t[i].start,
                            (size_t)(p->t[i + len - 1].end - p->t[i].start));
}

static void mark(parser *p, size_t i, size_t len, int how)
{
    for (size_t k = i; k < i + len && k < p->n; k++)
        p->used[k] = how;
}

static void add_metric(parser *p, const dp_metric *m, size_t at)
{
    dp_intent *in = p->in;
    if (in->limit > 0 && !in->order_metric && at > p->rank_at)
        in->order_metric = m;
    for (size_t i = 0; i < in->nmetrics; i++)
        if (in->metrics[i] == m)
            return;
    if (in->nmetrics < DP_INTENT_MAX_ITEMS)
        in->metrics[in->nmetrics++] = m;
}

static void add_missing(parser *p, const char *phrase, const char *kind)
{
    dp_intent *in = p->in;
    for (size_t i = 0; i < in->nmissing; i++)
        if (!strcmp(in->missing[i], phrase))
            return;
    if (in->nmissing < sizeof(in->missing) / sizeof(*in->missing)) {
        in->missing[in->nmissing] = phrase;
        in->missing_kind[in->nmissing++] = kind;
    }
}

static int same_target(const dp_target *a, const dp_target *b)
{
    if (a->is_entity != b->is_entity)
        return 0;
    if (a->is_entity)
        return !strcmp(a->entity, b->entity);
    return a->ndims && b->ndims && a->dims[0] == b->dims[0];
}

static void add_group(parser *p, const dp_target *t)
{
    dp_intent *in = p->in;
    for (size_t i = 0; i < in->ngroups; i++)
        if (same_target(&in->groups[i], t))
            return;
    if (in->ngroups < DP_INTENT_MAX_ITEMS)
        in->groups[in->ngroups++] = *t;
}

/* Target from all same-length matches of one kind at a position. */
static void target_from(dp_target *t, const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    memset(t, 0, sizeof(*t));
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if (m[k].len != len || e->kind != kind)
            continue;
        if (kind == DP_LEX_ENTITY) {
            t->is_entity = 1;
            t->entity = e->entity->name;
            return;
        }
        if (t->ndims < 8) {
            int dup = 0;
            for (size_t j = 0; j < t->ndims; j++)
                dup |= t->dims[j] == e->dim;
            if (!dup) {
                t->dims[t->ndims] = e->dim;
                t->dim_models[t->ndims++] = e->model;
            }
        }
        if (!strcmp(e->source, "qualified name") && e->model)
            for (size_t j = 0; j < e->model->nentities; j++)
                if (e->model->entities[j].type == DP_ENT_PRIMARY)
                    t->qualifier = e->model->entities[j].name;
    }
}

static int has_kind(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == kind && m[k].len == len)
            return 1;
    return 0;
}

static const dp_lex_match *first_of(const dp_lex_match *m, size_t nm, dp_lex_kind kind, size_t len)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].e->kind == kind && m[k].len == len)
            return &m[k];
    return NULL;
}

/* Does the token at j name the value's dimension, its model or one of the
 * model's entities ("express shipments", "app channel", "urgent requests")? */
static size_t qualifier_len(parser *p, size_t j, const dp_lex_entry *val)
{
    if (j >= p->n || p->t[j].punct)
        return 0;
    dp_lex_match m[32];
    size_t nm = dp_lexicon_match(p->kg->lex, p->t, p->n, j, m, 32);
    for (size_t k = 0; k < nm; k++) {
        const dp_lex_entry *e = m[k].e;
        if ((e->kind == DP_LEX_ENTITY || e->kind == DP_LEX_MODEL) && e->model == val->model)
            return m[k].len;
        if (e->kind == DP_LEX_ENTITY && dp_kg_model_entity(val->model, e->entity->name))
            return m[k].len;
        if (e->kind == DP_LEX_DIM && e->dim == val->dim)
            return m[k].len;
    }
    /* one word of the dimension's name: "channel" for sales_channel */
    const char *dn = val->dim->name;
    const char *w = p->t[j].low;
    size_t wl = strlen(w);
    const char *hit = strstr(dn, w);
    if (wl >= 3 && hit && (hit == dn || hit[-1] == '_') && (hit[wl] == 0 || hit[wl] == '_'))
        return 1;
    if (wl >= 4 && !strncmp(w, p->t[j].stem, strlen(p->t[j].stem))) {
        hit = strstr(dn, p->t[j].stem);
        if (hit && (hit == dn || hit[-1] == '_'))
            return 1;
    }
    return 0;
}

static void add_filter_value(parser *p, const dp_lex_match *m, size_t nm, size_t len, const char *phrase, int joined)
{
    dp_intent *in = p->in;
    /* all dimensions holding this value */
    dp_filter f = {0};
    f.phrase = phrase;
    for (size_t k = 0; k < nm; k++) {
        if (m[k].len != len || m[k].e->kind != DP_LEX_VALUE || f.target.ndims >= 8)
            continue;
        int dup = 0;
        for (size_t j = 0; j < f.target.ndims; j++)
            dup |= f.target.dims[j] == m[k].e->dim;
        if (!dup) {
            f.target.dims[f.target.ndims] = m[k].e->dim;
            f.target.dim_models[f.target.ndims++] = m[k].e->model;
        }
    }
    const char *value = first_of(m, nm, DP_LEX_VALUE, len)->e->value;
    /* "express and freight shipments": same dimension -> IN list */
    if (joined && in->nfilters) {
        dp_filter *prev = &in->filters[in->nfilters - 1];
        for (size_t j = 0; j < prev->target.ndims; j++)
            if (prev->target.dims[j] == f.target.dims[0] && prev->nvalues < 8) {
                prev->values[prev->nvalues++] = value;
                return;
            }
    }
    f.values[0] = value;
    f.nvalues = 1;
    if (in->nfilters < DP_INTENT_MAX_ITEMS)
        in->filters[in->nfilters++] = f;
}

static const char *target_name(parser *p, const dp_lex_entry *e)
{
    switch (e->kind) {
    case DP_LEX_METRIC: return e->metric->name;
    case DP_LEX_DIM: return dp_arena_printf(p->a, "%s.%s", e->model->name, e->dim->name);
    case DP_LEX_ENTITY: return e->entity->name;
    case DP_LEX_VALUE: return dp_arena_printf(p->a, "%s.%s = %s", e->model->name, e->dim->name, e->value);
    default: return e->model->name;
    }
}

static int prev_is_join(parser *p, size_t i)
{
    /* the word before is "and", "or" or a comma, after a value match */
    while (i > 0 && (!strcmp(p->t[i - 1].low, "the") || !strcmp(p->t[i - 1].low, "in") ||
                     !strcmp(p->t[i - 1].low, "for") || !strcmp(p->t[i - 1].low, "on")))
        i--;
    if (i == 0)
        return 0;
    const dp_tok *t = &p->t[i - 1];
    return t->punct == ',' || !strcmp(t->low, "and") || !strcmp(t->low, "or") || t->punct == '/';
}

/* Ranking: "top 5 X", "bottom 10 X", "5 best X", "which 3 X had the lowest M". */
static void parse_ranking(parser *p, dp_date as_of)
{
    (void)as_of;
    for (size_t i = 0; i < p->n; i++) {
        const char *w = p->t[i].low;
        int desc = -1;
        size_t num_at = 0;
        if (!strcmp(w, "top") || !strcmp(w, "best") || !strcmp(w, "highest") || !strcmp(w, "largest") ||
            !strcmp(w, "biggest"))
            desc = 1;
        else if (!strcmp(w, "bottom") || !strcmp(w, "worst") || !strcmp(w, "lowest") || !strcmp(w, "smallest") ||
                 !strcmp(w, "fewest") || !strcmp(w, "least"))
            desc = 0;
        else if (!strcmp(w, "which") || !strcmp(w, "what"))
            desc = 2; /* direction from a later superlative */
        if (desc < 0)
            continue;
        long num = 0;
        if (i + 1 < p->n && p->t[i + 1].is_num && strlen(p->t[i + 1].low) <= 6) {
            num = atol(p->t[i + 1].low);
            num_at = i + 1;
        } else if (i > 0 && p->t[i - 1].is_num && desc != 2 && strlen(p->t[i - 1].low) <= 6) {
            num = atol(p->t[i - 1].low);
            num_at = i - 1;
        }
        if (num <= 0)
            continue;
        if (desc == 2) {
            for (size_t j = i + 2; j < p->n; j++) {
                const char *x = p->t[j].low;
                if (!strcmp(x, "highest") || !strcmp(x, "most") || !strcmp(x, "largest") || !strcmp(x, "best") ||
                    !strcmp(x, "biggest") || !strcmp(x, "top")) {
                    desc = 1;
                    mark(p, j, 1, U_PATTERN);
                    p->rank_at = j;
                    break;
                }
                if (!strcmp(x, "lowest") || !strcmp(x, "least") || !strcmp(x, "fewest") || !strcmp(x, "smallest") ||
                    !strcmp(x, "worst")) {
                    desc = 0;
                    mark(p, j, 1, U_PATTERN);
                    p->rank_at = j;
                    break;
                }
            }
            if (desc == 2)
                continue;
        }
        size_t sup_at = p->rank_at;
        p->in->limit = num;
        p->in->order_desc = desc;
        p->rank_at = num_at > i ? num_at : i;
        if (sup_at > p->rank_at)
            p->rank_at = sup_at;
        mark(p, i, 1, U_PATTERN);
        mark(p, num_at, 1, U_PATTERN);
        /* the ranked thing right after the number is grouped by */
        size_t j = (num_at > i ? num_at : i) + 1;
        dp_lex_match m[32];
        size_t nm = dp_lexicon_match(p->kg->lex, p->t, p->n, j, m, 32);
        if (p->kgq)
            (*p->kgq)++;
        if (nm) {
            size_t len = m[0].len;
            dp_target tg;
            if (has_kind(m, nm, DP_LEX_ENTITY, len)) {
                target_from(&tg, m, nm, DP_LEX_ENTITY, len);
            } else if (has_kind(m, nm, DP_LEX_DIM, len)) {
                target_from(&tg, m, nm, DP_LEX_DIM, len);
            } else {
                continue;
            }
            tg.phrase = span_text(p, j, len);
            add_group(p, &tg);
            note(p, tg.phrase, tg.is_entity ? "entity" : "dimension", tg.is_entity ? tg.entity : tg.dims[0]->name,
                 m[0].e->source, m[0].fuzzy ? 0.8 : m[0].e->conf);
            mark(p, j, len, U_MATCH);
        }
        return;
    }
}

/* Report framing: "a view of", "a report on", "a dashboard table of" are
 * consumed before catalog phrases, so their nouns never become metrics. */
static void parse_framing(parser *p)
{
    static const char *nouns[] = {"view", "report", "dashboard", "table", "breakdown", "summary", "overview",
                                  "chart", "list", "analysis", "extract", "dataset", "snapshot", NULL};
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->t[i].low, "a") && strcmp(p->t[i].low, "an") && strcmp(p->t[i].low, "the"))
            continue;
        size_t j = i + 1, nn = 0;
        while (j < p->n && nn < 4) {
            int hit = 0;
            for (int k = 0; nouns[k] && !hit; k++)
                hit = !strcmp(p->t[j].low, nouns[k]);
            if (!hit)
                break;
            j++;
            nn++;
        }
        if (!nn || j >= p->n)
            continue;
        const char *w = p->t[j].low;
        if (!strcmp(w, "of") || !strcmp(w, "on") || !strcmp(w, "with") || !strcmp(w, "showing") || !strcmp(w, "for") ||
            !strcmp(w, "about") || !strcmp(w, "that") || p->t[j].punct == ':') {
            mark(p, i, j - i + (p->t[j].punct != ':' && strcmp(w, "for") ? 1 : 0), U_NOISE);
            i = j;
        }
    }
}

static void parse_time(parser *p, dp_date as_of)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i])
            continue;
        dp_date s, e;
        size_t k = dp_time_range_at(p->t, p->n, i, as_of, &s, &e);
        if (k && !p->in->range_start) {
            char a[11], b[11];
            dp_date_format(s, a);
            dp_date_format(e, b);
            p->in->range_start = dp_arena_strdup(p->a, a);
            p->in->range_end = dp_arena_strdup(p->a, b);
            p->in->range_text = span_text(p, i, k);
            note(p, p->in->range_text, "time_range", dp_arena_printf(p->a, "[%s, %s)", a, b), "calendar", 1.0);
            mark(p, i, k, U_PATTERN);
            i += k - 1;
        }
    }
    /* grains: "weekly", "per month", "each quarter", "week by week", "by day" */
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i])
            continue;
        int adj = 0;
        dp_grain g = dp_grain_word(p->t[i].low, &adj);
        if (g == DP_GRAIN_NONE)
            continue;
        size_t start = i, len = 1;
        if (!adj) {
            size_t ml;
            if (i > 0 && !p->used[i - 1] && is_group_marker(p, i - 1, &ml) && ml == 1) {
                start = i - 1;
                len = 2;
            } else if (i > 1 && !strcmp(p->t[i - 1].low, "each") && !strcmp(p->t[i - 2].low, "for")) {
                start = i - 2;
                len = 3;
            } else if (i + 2 < p->n && (!strcmp(p->t[i + 1].low, "by") || !strcmp(p->t[i + 1].low, "over") ||
                                        !strcmp(p->t[i + 1].low, "on")) &&
                       dp_grain_word(p->t[i + 2].low, NULL) == g) {
                len = 3; /* week by week, month over month */
            } else if (i > 0 && (!strcmp(p->t[i - 1].low, "and") || p->t[i - 1].punct == ',')) {
                /* "by region and month": grouping list continues */
                start = i;
            } else {
                continue;
            }
        }
        if (p->in->grain == DP_GRAIN_NONE || g < p->in->grain)
            p->in->grain = g;
        note(p, span_text(p, start, len), "time_grain", dp_grain_name(g), "calendar", 1.0);
        mark(p, start, len, U_PATTERN);
    }
}

static void parse_phrases(parser *p)
{
    int mode = MODE_NONE, fresh = 0;
    const dp_lex_entry *last_value = NULL;
    for (size_t i = 0; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        int was_fresh = fresh;
        fresh = 0;
        if (p->used[i] == U_PATTERN) {
            if (t->punct != ',')
                mode = MODE_NONE;
            continue;
        }
        if (p->used[i] == U_MATCH || p->used[i] == U_NOISE) /* placed already, or framing */
            continue;
        if (t->punct) {
            if (t->punct != ',' && t->punct != '&' && t->punct != '/')
                mode = MODE_NONE;
            continue;
        }
        size_t ml;
        dp_lex_match m[32];
        size_t nm = dp_lexicon_match(p->kg->lex, p->t, p->n, i, m, 32);
        if (p->kgq)
            (*p->kgq)++;
        /* grammar words win over catalog phrases only when nothing longer matched */
        if (is_group_marker(p, i, &ml) && (!nm || m[0].len <= ml)) {
            mode = MODE_GROUP;
            fresh = 1;
            mark(p, i, ml, U_PATTERN);
            i += ml - 1;
            continue;
        }
        if (!nm) {
            if (is_filter_marker(t->low) && mode != MODE_GROUP)
                mode = MODE_FILTER;
            else if (!strcmp(t->low, "and") || !strcmp(t->low, "or") || dp_is_stopword(t->low))
                ;
            else if (!is_noise(t->low))
                mode = mode == MODE_GROUP ? MODE_GROUP : MODE_NONE;
            continue;
        }
        size_t len = m[0].len;
        /* qualifier right after a value: "express shipments" */
        if (last_value && i > 0 && p->used[i - 1] == U_MATCH) {
            size_t q = qualifier_len(p, i, last_value);
            if (q) {
                mark(p, i, q, U_MATCH);
                if (p->nquals < 8) {
                    p->qual_at[p->nquals] = i;
                    p->qual_len[p->nquals++] = q;
                }
                note(p, span_text(p, i, q), "qualifier", last_value->dim->name, "context", 1.0);
                i += q - 1;
                last_value = NULL;
                continue;
            }
        }
        last_value = NULL;
        int metric = has_kind(m, nm, DP_LEX_METRIC, len);
        int dim = has_kind(m, nm, DP_LEX_DIM, len);
        int ent = has_kind(m, nm, DP_LEX_ENTITY, len);
        int val = has_kind(m, nm, DP_LEX_VALUE, len);
        int model = has_kind(m, nm, DP_LEX_MODEL, len);
        /* a value is a filter after a filter word or before its qualifier;
         * otherwise a metric of the same words wins ("hires and leavers") */
        if (val && metric) {
            const dp_lex_match *vm = first_of(m, nm, DP_LEX_VALUE, len);
            if (!(mode == MODE_FILTER || qualifier_len(p, i + len, vm->e)))
                val = 0;
        }
        /* "for each employee, absences, salary": after the first item of a
         * grouping, a metric phrase is a metric again */
        if (mode == MODE_GROUP && metric && !was_fresh && (dim || ent) &&
            (i == 0 || p->t[i - 1].punct == ','))
            dim = ent = 0;
        if (mode == MODE_GROUP && (dim || ent) && !(metric && !was_fresh && p->t[i - 1].punct == ',')) {
            dp_target tg;
            target_from(&tg, m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            tg.phrase = span_text(p, i, len);
            add_group(p, &tg);
            const dp_lex_match *mm = first_of(m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            note(p, tg.phrase, dim ? "dimension" : "entity", target_name(p, mm->e), mm->e->source,
                 mm->fuzzy ? 0.8 : mm->e->conf);
        } else if (val) {
            const dp_lex_match *vm = first_of(m, nm, DP_LEX_VALUE, len);
            add_filter_value(p, m, nm, len, span_text(p, i, len), prev_is_join(p, i));
            note(p, span_text(p, i, len), "filter", target_name(p, vm->e), "profile value", vm->e->conf);
            last_value = vm->e;
            mode = MODE_FILTER;
        } else if (metric) {
            const dp_lex_match *mm = first_of(m, nm, DP_LEX_METRIC, len);
            add_metric(p, mm->e->metric, i);
            note(p, span_text(p, i, len), "metric", mm->e->metric->name, mm->e->source, mm->fuzzy ? 0.8 : mm->e->conf);
            mode = MODE_NONE;
        } else if (dim || ent) {
            /* a dimension named outside a grouping phrase ("OTD by carrier" has
             * "by"; "carrier OTD" has not): still a grouping */
            dp_target tg;
            target_from(&tg, m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            tg.phrase = span_text(p, i, len);
            const dp_lex_match *mm = first_of(m, nm, dim ? DP_LEX_DIM : DP_LEX_ENTITY, len);
            if (dim) {
                add_group(p, &tg);
                note(p, tg.phrase, "dimension", target_name(p, mm->e), mm->e->source, mm->fuzzy ? 0.8 : mm->e->conf);
            } else {
                /* an entity word alone names the subject, not a grouping */
                note(p, tg.phrase, "context", tg.entity, mm->e->source, mm->e->conf);
                if (p->in->ncontext < 8)
                    p->in->context_models[p->in->ncontext++] = mm->e->model->name;
            }
        } else if (model) {
            const dp_lex_match *mm = first_of(m, nm, DP_LEX_MODEL, len);
            note(p, span_text(p, i, len), "context", mm->e->model->name, "dataset name", mm->e->conf);
            if (p->in->ncontext < 8)
                p->in->context_models[p->in->ncontext++] = mm->e->model->name;
        }
        mark(p, i, len, U_MATCH);
        i += len - 1;
    }
}

/* "which products sold the most units": a metric phrase whose words all
 * appear, unplaced and close together, in another order ("units sold"). */
static void parse_reordered(parser *p)
{
    size_t nfree = 0;
    for (size_t i = 0; i < p->n; i++)
        nfree += !p->used[i] && !p->t[i].punct && !dp_is_stopword(p->t[i].low);
    if (nfree < 2)
        return;
    const size_t *idx;
    size_t ne = dp_lexicon_multiword_metrics(p->kg->lex, &idx);
    for (size_t k = 0; k < ne; k++) {
        const dp_lex_entry *e = dp_lexicon_entry(p->kg->lex, idx[k]);
        if (e->kind != DP_LEX_METRIC || e->ntok < 2 || e->ntok > 4 || e->case_sensitive)
            continue;
        size_t at[4], lo = SIZE_MAX, hi = 0, found = 0;
        for (size_t w = 0; w < e->ntok; w++) {
            at[w] = SIZE_MAX;
            for (size_t i = 0; i < p->n && at[w] == SIZE_MAX; i++) {
                int taken = 0;
                for (size_t v = 0; v < w; v++)
                    taken |= at[v] == i;
                if (!taken && !p->used[i] && !p->t[i].punct && !strcmp(p->t[i].stem, e->stems[w]))
                    at[w] = i;
            }
            if (at[w] == SIZE_MAX)
                break;
            found++;
            lo = at[w] < lo ? at[w] : lo;
            hi = at[w] > hi ? at[w] : hi;
        }
        if (found != e->ntok || hi - lo > e->ntok + 2)
            continue;
        int contiguous_in_order = hi - lo + 1 == e->ntok;
        for (size_t w = 1; w < e->ntok && contiguous_in_order; w++)
            contiguous_in_order = at[w] == at[w - 1] + 1;
        if (contiguous_in_order)
            continue; /* the phrase itself: parse_phrases would have taken it */
        add_metric(p, e->metric, lo);
        for (size_t w = 0; w < e->ntok; w++)
            mark(p, at[w], 1, U_MATCH);
        note(p, span_text(p, lo, hi - lo + 1), "metric", e->metric->name, "words of its name in another order", 0.8);
    }
}

/* Unplaced words: noise is dropped; the rest is reported, and a phrase in
 * the place of a metric, grouping or filter is a question back. */
static void classify_unplaced(parser *p)
{
    int mode = MODE_NONE;
    for (size_t i = 0; i < p->n; i++) {
        const dp_tok *t = &p->t[i];
        size_t ml;
        if (p->used[i] || t->punct) {
            if (p->used[i] == U_PATTERN && is_group_marker(p, i, &ml))
                mode = MODE_GROUP;
            else if (p->used[i] == U_MATCH || t->punct == '.' || t->punct == '?' || t->punct == ';')
                mode = MODE_NONE;
            continue;
        }
        if (is_filter_marker(t->low) && mode != MODE_GROUP) {
            mode = MODE_FILTER;
            continue;
        }
        if (dp_is_stopword(t->low) || is_noise(t->low) || t->is_num) {
            continue;
        }
        /* a run of unplaced words */
        size_t j = i;
        while (j < p->n && !p->used[j] && !p->t[j].punct && !dp_is_stopword(p->t[j].low) &&
               !is_group_marker(p, j, &ml))
            j++;
        size_t s = i, e = j;
        while (s < e && is_noise(p->t[s].low))
            s++;
        while (e > s && is_noise(p->t[e - 1].low))
            e--;
        if (s == e) {
            i = j - 1;
            continue;
        }
        const char *phrase = span_text(p, s, e - s);
        for (size_t k = s; k < e; k++)
            if (!is_noise(p->t[k].low) && p->in->nunplaced < 64)
                p->in->unplaced[p->in->nunplaced++] = p->t[k].raw;
        /* what sits around the run */
        size_t b = s;
        while (b > 0 && (p->t[b - 1].punct == ',' || !strcmp(p->t[b - 1].low, "and") || !strcmp(p->t[b - 1].low, "or")))
            b--;
        int after_metric = b < s && b > 0 && p->kind[b - 1] == DP_LEX_METRIC;
        size_t f = e;
        while (f < p->n && (p->t[f].punct == ',' || !strcmp(p->t[f].low, "and") || !strcmp(p->t[f].low, "or")))
            f++;
        int before_metric = f > e && f < p->n && p->kind[f] == DP_LEX_METRIC;
        int before_noun = e < p->n && (p->kind[e] == DP_LEX_ENTITY || p->kind[e] == DP_LEX_MODEL);
        if (mode == MODE_GROUP)
            add_missing(p, phrase, "dimension");
        else if (after_metric || before_metric)
            add_missing(p, phrase, "metric");
        else if (mode == MODE_FILTER && before_noun)
            add_missing(p, phrase, "filter value");
        else if (p->in->nmetrics == 0)
            add_missing(p, phrase, "metric");
        i = j - 1;
    }
}

static void compute_kinds(parser *p)
{
    for (size_t i = 0; i < p->n; i++)
        p->kind[i] = -1;
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] != U_MATCH)
            continue;
        dp_lex_match m[8];
        size_t nm = dp_lexicon_match(p->kg->lex, p->t, p->n, i, m, 8);
        if (!nm)
            continue;
        int k = m[0].e->kind;
        for (size_t q = 0; q < nm; q++)
            if (m[q].len == m[0].len && m[q].e->kind == DP_LEX_METRIC)
                k = DP_LEX_METRIC;
        for (size_t q = i; q < i + m[0].len && q < p->n; q++)
            p->kind[q] = k;
        i += m[0].len - 1;
    }
}

static int today(dp_date *d)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return -1;
    *d = (dp_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return 0;
}

int dp_intent_parse(dp_intent *in, const dp_kg *kg, dp_arena *a, const char *request,
                    const dp_intent_opts *opts, unsigned *kgq, dp_error *err)
{
    memset(in, 0, sizeof(*in));
    in->order_desc = 1;
    if (!request)
        return dp_error_set(err, DP_EINVALID, "empty request");
    size_t rl = strlen(request);
    if (rl > DP_INTENT_MAX_REQUEST)
        return dp_error_set(err, DP_EINVALID, "request is %zu bytes; the limit is %d", rl, DP_INTENT_MAX_REQUEST);
    int blank = 1;
    for (const char *q = request; *q; q++)
        if (!strchr(" \t\r\n", *q))
            blank = 0;
    if (blank)
        return dp_error_set(err, DP_EINVALID, "empty request");
    in->request = dp_arena_strdup(a, request);
    dp_date as_of;
    if (opts && opts->as_of) {
        if (dp_date_parse(opts->as_of, &as_of))
            return dp_error_set(err, DP_EINVALID, "as-of date '%s' is not YYYY-MM-DD", opts->as_of);
    } else if (today(&as_of)) {
        return dp_error_set(err, DP_ERROR, "cannot read the clock");
    }
    char asb[11];
    dp_date_format(as_of, asb);
    in->as_of = dp_arena_strdup(a, asb);
    parser p;
    memset(&p, 0, sizeof(p));
    p.kg = kg;
    p.a = a;
    p.in = in;
    p.kgq = kgq;
    p.err = err;
    dp_stemmer *st = dp_stemmer_new();
    if (!st)
        return dp_error_set(err, DP_ENOMEM, "cannot create the stemmer");
    int trc = dp_tokenize(&p.t, &p.n, a, st, in->request);
    dp_stemmer_free(st);
    if (trc == -2)
        return dp_error_set(err, DP_EINVALID, "request has more than %d words", DP_TEXT_MAX_TOKENS);
    if (trc)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    p.used = dp_arena_calloc(a, p.n + 1, sizeof(int));
    p.kind = dp_arena_calloc(a, p.n + 1, sizeof(int));
    if (!p.used || !p.kind)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    parse_framing(&p);
    parse_time(&p, as_of);
    parse_ranking(&p, as_of);
    parse_phrases(&p);
    parse_reordered(&p);
    /* "lost shipments per week": with no other metric, the noun that
     * qualified a value is the metric when the catalog has one by that name */
    for (size_t k = 0; k < p.nquals && !in->nmetrics; k++) {
        dp_lex_match m[32];
        size_t nm = dp_lexicon_match(kg->lex, p.t, p.n, p.qual_at[k], m, 32);
        const dp_lex_match *mm = first_of(m, nm, DP_LEX_METRIC, p.qual_len[k]);
        if (mm) {
            add_metric(&p, mm->e->metric, p.qual_at[k]);
            note(&p, span_text(&p, p.qual_at[k], p.qual_len[k]), "metric", mm->e->metric->name, mm->e->source, mm->e->conf);
        }
    }
    compute_kinds(&p);
    classify_unplaced(&p);

    /* ranking metric: the first metric named after the ranking words ("top 5
     * carriers by cost", "which 3 carriers had the lowest cost"), else
     * the first metric */
    if (in->limit > 0 && in->nmetrics && !in->order_metric)
        in->order_metric = in->metrics[0];

    /* a request naming a dataset and no metric asks for the dataset's metrics */
    if (!in->nmetrics && !in->nmissing && in->ncontext && in->ngroups) {
        for (size_t c = 0; c < in->ncontext; c++) {
            const dp_model *mo = dp_kg_model(kg, in->context_models[c]);
            for (size_t k = 0; mo && k < kg->nmetrics; k++) {
                const dp_metric *m = &kg->metrics[k];
                const dp_measure *me = m->type == DP_METRIC_SIMPLE ? dp_kg_measure(kg, m->measure.name) : NULL;
                if (me && me->model == mo)
                    add_metric(&p, m, 0);
            }
        }
        if (in->nmetrics)
            note(&p, "(no metric named)", "metric", "every simple metric of the named dataset", "fallback", 0.6);
    }

    size_t content = 0, placed = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.t[i].punct || dp_is_stopword(p.t[i].low))
            continue;
        if (!p.used[i] && (is_noise(p.t[i].low) || p.t[i].is_num))
            continue;
        content++;
        placed += p.used[i] != 0;
    }
    double mean = p.conf_n ? p.conf_sum / p.conf_n : 0;
    in->confidence = content ? mean * (double)placed / (double)content : 0;

    if (!in->nmetrics && !in->nmissing)
        add_missing(&p, in->request, "metric");
    if (in->nmissing) {
        char msg[700];
        size_t off = 0;
        for (size_t i = 0; i < in->nmissing && off < sizeof(msg) - 100; i++)
            off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s '%s'", i ? "; " : "",
                                    in->missing_kind[i], in->missing[i]);
        return dp_error_set(err, DP_ECLARIFY, "the catalog has no %s", msg);
    }
    return 0;
}

json_t *dp_intent_to_json(const dp_intent *in)
{
    json_t *o = json_object();
    json_t *ms = json_array();
    for (size_t i = 0; i < in->nmetrics; i++)
        json_array_append_new(ms, json_string(in->metrics[i]->name));
    json_object_set_new(o, "request", json_string(in->request ? in->request : ""));
    json_object_set_new(o, "metrics", ms);
    json_t *gs = json_array();
    for (size_t i = 0; i < in->ngroups; i++) {
        const dp_target *t = &in->groups[i];
        json_t *g = json_object();
        json_object_set_new(g, "phrase", json_string(t->phrase ? t->phrase : ""));
        if (t->is_entity) {
            json_object_set_new(g, "entity", json_string(t->entity));
        } else {
            json_t *c = json_array();
            for (size_t k = 0; k < t->ndims; k++)
                json_array_append_new(c, json_sprintf("%s.%s", t->dim_models[k]->name, t->dims[k]->name));
            json_object_set_new(g, "dimension_candidates", c);
            if (t->qualifier)
                json_object_set_new(g, "entity", json_string(t->qualifier));
        }
        json_array_append_new(gs, g);
    }
    json_object_set_new(o, "dimensions", gs);
    json_object_set_new(o, "time_grain", in->grain ? json_string(dp_grain_name(in->grain)) : json_null());
    if (in->range_start)
        json_object_set_new(o, "time_range", json_pack("{s:s,s:s,s:s,s:s}", "start", in->range_start, "end",
                                                        in->range_end, "text", in->range_text, "bounds", "[start, end)"));
    else
        json_object_set_new(o, "time_range", json_null());
    json_t *fs = json_array();
    for (size_t i = 0; i < in->nfilters; i++) {
        const dp_filter *f = &in->filters[i];
        json_t *vals = json_array(), *c = json_array();
        for (size_t k = 0; k < f->nvalues; k++)
            json_array_append_new(vals, json_string(f->values[k]));
        for (size_t k = 0; k < f->target.ndims; k++)
            json_array_append_new(c, json_sprintf("%s.%s", f->target.dim_models[k]->name, f->target.dims[k]->name));
        json_array_append_new(fs, json_pack("{s:s,s:o,s:s,s:o}", "phrase", f->phrase ? f->phrase : "",
                                            "dimension_candidates", c, "operator", f->nvalues > 1 ? "in" : "=",
                                            "values", vals));
    }
    json_object_set_new(o, "filters", fs);
    if (in->limit > 0)
        json_object_set_new(o, "order", json_pack("{s:s?,s:s,s:I}", "metric",
                                                   in->order_metric ? in->order_metric->name : NULL, "direction",
                                                   in->order_desc ? "desc" : "asc", "limit", (json_int_t)in->limit));
    else
        json_object_set_new(o, "order", json_null());
    json_t *ns = json_array();
    for (size_t i = 0; i < in->nnotes; i++) {
        const dp_match_note *n = &in->notes[i];
        json_array_append_new(ns, json_pack("{s:s,s:s,s:s,s:s,s:f}", "text", n->text, "kind", n->kind, "term",
                                            n->target ? n->target : "", "source", n->source ? n->source : "",
                                            "confidence", n->confidence));
    }
    json_object_set_new(o, "matched_terms", ns);
    json_t *un = json_array();
    for (size_t i = 0; i < in->nunplaced; i++)
        json_array_append_new(un, json_string(in->unplaced[i]));
    json_object_set_new(o, "unplaced_words", un);
    json_t *mi = json_array();
    for (size_t i = 0; i < in->nmissing; i++)
        json_array_append_new(mi, json_pack("{s:s,s:s}", "phrase", in->missing[i], "kind", in->missing_kind[i]));
    json_object_set_new(o, "not_found", mi);
    json_object_set_new(o, "confidence", json_real((double)(long)(in->confidence * 1000 + 0.5) / 1000.0));
    json_object_set_new(o, "as_of", json_string(in->as_of ? in->as_of : ""));
    return o;
}

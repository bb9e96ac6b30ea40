/* dpgen catalog list / search / show. */
#include "catalog/catalog.h"
#include "catalog/problems.h"
#include "doc/emit.h"
#include "discovery/discovery.h"
#include "kg/vindex.h"
#include "kg/lexicon.h"
#include "kg/text.h"
#include "modeling/modeling.h"
#include "util/arena.h"
#include "util/error.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *sn(const char *s) { return s ? json_string(s) : json_null(); }

static int out_json(char **out, json_t *v, dp_error *err)
{
    *out = dp_json_dump(v);
    json_decref(v);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

/* A profile that hit a limit, or took its counts on a sample, says so
 * (only then: the output of a table profiled whole is as it was). */
static void profile_limits(json_t *d, const dp_model *m)
{
    if (m->profile_partial)
        json_object_set_new(d, "profile_partial", json_string(m->profile_partial));
    if (m->profile_sample > 0)
        json_object_set_new(d, "profile_sample_rows", json_integer((json_int_t)m->profile_sample));
    if (m->dup_keys_unknown) /* none found in a sample, or not counted: not ruled out */
        json_object_set_new(d, "duplicate_keys_unknown", json_true());
}

int dp_catalog_list(char **out, dp_catalog *cat, dp_error *err)
{
    const dp_kg *kg = &cat->kg;
    json_t *ds = json_array(), *ms = json_array(), *ts = json_array();
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        json_t *d = json_pack("{s:s,s:o,s:I,s:o,s:f}", "name", m->name, "table",
                              m->table ? json_sprintf("%s.%s", m->schema, m->table) : json_string(m->ref), "rows",
                              (json_int_t)m->rows, "description", sn(m->description), "quality", m->quality);
        if (d)
            profile_limits(d, m);
        json_array_append_new(ds, d);
    }
    for (size_t i = 0; i < kg->nmetrics; i++) {
        const dp_metric *m = &kg->metrics[i];
        json_array_append_new(ms, json_pack("{s:s,s:s,s:o,s:o}", "name", m->name, "type", dp_metric_type_name(m->type),
                                            "label", sn(m->label), "description", sn(m->description)));
    }
    for (size_t i = 0; i < kg->nterms; i++) {
        const dp_term *t = &kg->terms[i];
        json_array_append_new(ts, json_pack("{s:s,s:o,s:o,s:o}", "name", t->name, "definition", sn(t->definition), "maps_to",
                                            t->maps_kind ? json_sprintf("%s:%s", t->maps_kind, t->maps_to) : json_null(),
                                            "owner", sn(t->owner)));
    }
    /* phrases users taught this catalog (dpgen catalog learn, --choose) */
    json_t *learned = cat->state ? dp_state_learned(cat->state) : json_array();
    /* elements switched off while loading, with why (dpgen catalog check) */
    return out_json(out, json_pack("{s:o,s:o,s:o,s:o,s:o}", "datasets", ds, "metrics", ms, "terms", ts, "learned", learned,
                                   "disabled", dp_catalog__disabled_json(kg)),
                    err);
}

int dp_catalog_search(char **out, dp_catalog *cat, const char *text, int k, dp_error *err)
{
    if (!text || !*text)
        return dp_error_set(err, DP_EINVALID, "empty search text");
    int rc = dp_catalog__indexes(cat, err);
    if (rc)
        return rc;
    dp_vhit hits[64];
    size_t n = dp_vindex_search(&cat->kg, text, hits, k > 0 && k <= 64 ? (size_t)k : 10, 7);
    json_t *arr = json_array();
    static const char *kinds[] = {"metric", "dimension", "dataset"};
    /* a phrase the catalog states (name, label, synonym) ranks first */
    dp_arena *a = dp_arena_new(16384);
    dp_stemmer *st = dp_stemmer_new();
    dp_tok *toks;
    size_t nt;
    if (a && st && dp_tokenize(&toks, &nt, a, st, text) == 0 && nt) {
        dp_lex_match m[16];
        size_t nm = dp_lexicon_match(cat->kg.lex, toks, nt, 0, m, 16);
        for (size_t i = 0; i < nm; i++) {
            if (m[i].len != nt || m[i].e->kind != DP_LEX_METRIC)
                continue;
            json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:f,s:s}", "kind", "metric", "name", m[i].e->metric->name,
                                                 "label", sn(m[i].e->metric->label), "score", 1.0, "match",
                                                 m[i].e->source));
            for (size_t j = 0; j < n; j++)
                if (hits[j].metric == m[i].e->metric)
                    hits[j].score = -1; /* listed already */
        }
    }
    dp_stemmer_free(st);
    dp_arena_free(a);
    for (size_t i = 0; i < n; i++)
        if (hits[i].score >= 0)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:f}", "kind", kinds[hits[i].kind], "name", hits[i].name,
                                             "label", sn(hits[i].label), "score", (double)(long)(hits[i].score * 1000) / 1000.0));
    return out_json(out, json_pack("{s:s,s:o}", "query", text, "results", arr), err);
}

int dp_catalog_show(char **out, dp_catalog *cat, const char *name, dp_error *err)
{
    const dp_kg *kg = &cat->kg;
    const dp_model *m = dp_kg_model(kg, name);
    if (!m)
        for (size_t i = 0; i < kg->nmodels && !m; i++)
            if (kg->models[i].table && !strcmp(kg->models[i].table, name))
                m = &kg->models[i];
    if (!m) {
        const dp_metric *me = dp_kg_metric(kg, name);
        if (!me)
            return dp_error_set(err, DP_ENOTFOUND, "no dataset or metric named '%s'", name);
        const dp_model *mm[8];
        size_t n = dp_metric_models(kg, me, mm, 8, 0);
        json_t *ds = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(ds, json_string(mm[i]->name));
        /* the formula as a spec states it; none for a disabled metric, whose
         * parts may be missing */
        dp_arena *a = me->off.reason ? NULL : dp_arena_new(4096);
        json_t *formula = sn(a ? dp_metric_formula(kg, me, a, 0) : NULL);
        dp_arena_free(a);
        return out_json(
            out,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "metric", me->name, "type", dp_metric_type_name(me->type),
                      "label", sn(me->label), "description", sn(me->description), "formula", formula, "datasets", ds,
                      "defined_in",
                      me->pos.line ? json_sprintf("%s:%d", me->pos.file, me->pos.line) : json_string(me->pos.file),
                      "disabled", sn(me->off.reason)),
            err);
    }
    json_t *cols = json_array();
    for (size_t i = 0; i < m->ncolumns; i++) {
        const dp_column *c = &m->columns[i];
        json_t *top = json_array();
        for (size_t k = 0; k < c->prof.ntop && k < 20; k++)
            json_array_append_new(top, json_pack("[s,I]", c->prof.top_values[k], (json_int_t)c->prof.top_counts[k]));
        json_array_append_new(cols, json_pack("{s:s,s:s,s:o,s:f,s:I,s:o,s:o,s:o}", "name", c->name, "type", c->type, "comment",
                                              sn(c->comment), "null_fraction", c->prof.null_frac, "distinct", (json_int_t)c->prof.distinct,
                                              "min", sn(c->prof.min), "max", sn(c->prof.max), "frequent_values", top));
    }
    json_t *joins = json_array();
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_path p;
        int amb;
        if (&kg->models[i] != m && dp_join_path(&p, kg, m, &kg->models[i], &amb) == 0)
            json_array_append_new(joins, json_pack("{s:s,s:i,s:s,s:b}", "to", kg->models[i].name, "hops", (int)p.n, "via",
                                                   p.steps[0].entity, "ambiguous", amb));
    }
    json_t *used = cat->state ? dp_state_products_using(cat->state, m->name) : json_array();
    json_t *d = json_pack("{s:s,s:o,s:o,s:I,s:I,s:I,s:o,s:f,s:o,s:o,s:o,s:o}", "dataset", m->name, "table",
                          m->table ? json_sprintf("%s.%s", m->schema, m->table) : json_string(m->ref), "description",
                          sn(m->description), "rows", (json_int_t)m->rows, "duplicate_keys", (json_int_t)m->dup_keys,
                          "orphan_keys", (json_int_t)m->orphans, "freshest", sn(m->freshest), "quality", m->quality,
                          "columns", cols, "joins", joins, "used_by", used, "disabled", sn(m->off.reason));
    if (d)
        profile_limits(d, m);
    return out_json(out, d, err);
}

/* Learned synonyms: resolving a user's answer against the catalog, the
 * lexicon entries the intent stage matches, and the catalog learn / forget /
 * list calls of the public API. */
#include "orchestrator/learn.h"
#include "orchestrator/run.h"
#include "catalog/catalog.h"
#include "doc/emit.h"
#include "kg/vindex.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t dp_learn__norm(const char *phrase, char *out, size_t cap)
{
    size_t n = 0;
    if (!cap)
        return 0;
    out[0] = '\0';
    for (const char *p = dp_word_start(phrase ? phrase : ""); *p; p = dp_word_start(p)) {
        const char *s = p;
        p = dp_word_end(s);
        size_t len = (size_t)(p - s);
        if (n + (n ? 1 : 0) + len + 1 > cap)
            return 0;
        if (n)
            out[n++] = ' ';
        n += dp_word_lower(s, len, out + n);
        out[n] = '\0';
    }
    return n;
}

int dp_learn__split(const char **phrase, const char **name, dp_arena *a, const char *choice, dp_error *err)
{
    const char *eq = choice ? strchr(choice, '=') : NULL;
    if (!eq || eq == choice || !eq[1])
        return dp_error_set(err, DP_EINVALID, "--choose wants \"phrase=name\", got '%s'", choice ? choice : "");
    *phrase = dp_arena_strndup(a, choice, (size_t)(eq - choice));
    *name = dp_arena_strdup(a, eq + 1);
    return *phrase && *name ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

/* "model.entity" where entity is the model's primary or unique key on a bare
 * column: the key as a dimension (for a value of it, "model.entity=KEY",
 * as a clarification names a key the data has), arena-owned; else NULL. */
static const dp_dimension *key_dim(const dp_model *m, const char *entity, dp_arena *a)
{
    const dp_entity *e = m ? dp_kg_model_entity(m, entity) : NULL;
    const dp_column *c = e && e->expr ? dp_kg_model_column(m, e->expr) : NULL;
    dp_dimension *d = c && a && (e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE)
                          ? dp_arena_calloc(a, 1, sizeof(*d)) : NULL;
    if (!d)
        return NULL;
    d->name = e->name;
    d->expr = e->expr;
    d->type = DP_DIM_CATEGORICAL;
    d->description = dp_arena_printf(a, "key of %s", e->name);
    d->column = c;
    return d;
}

/* The dimension "model.dim" or "entity__dim" names, or NULL. */
static const dp_dimension *find_dim(const dp_kg *kg, const char *name, size_t len, const dp_model **mo)
{
    char buf[512];
    if (len >= sizeof(buf))
        return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    char *dot = strchr(buf, '.'), *us = strstr(buf, "__");
    if (dot) {
        *dot = '\0';
        const dp_model *m = dp_kg_model(kg, buf);
        const dp_dimension *d = m ? dp_kg_model_dim(m, dot + 1) : NULL;
        *mo = m;
        return d;
    }
    if (us) {
        *us = '\0';
        const dp_model *m = dp_kg_entity_home(kg, buf);
        const dp_dimension *d = m ? dp_kg_model_dim(m, us + 2) : NULL;
        *mo = m;
        return d;
    }
    return NULL;
}

/* The value as the data writes it, when the profile holds every value of
 * the column (then a value not among them is no value of the catalog). */
static int known_value(const dp_dimension *d, const char *v, const char **out)
{
    *out = v;
    if (!d->column || !d->column->prof.done || !d->column->prof.all_values)
        return 1;
    for (size_t k = 0; k < d->column->prof.ntop; k++)
        if (!strcasecmp(d->column->prof.top_values[k], v)) {
            *out = d->column->prof.top_values[k];
            return 1;
        }
    return 0;
}

static int not_found(const dp_kg *kg, const char *name, dp_error *err)
{
    dp_vhit hits[5];
    char close[400] = "";
    size_t off = 0;
    size_t n = dp_vindex_search(kg, name, hits, 5, 1 << DP_DOC_METRIC | 1 << DP_DOC_DIMENSION);
    for (size_t i = 0; i < n && off < sizeof(close) - 1; i++)
        if (hits[i].score >= 0.15)
            off += (size_t)snprintf(close + off, sizeof(close) - off, "%s%s", off ? ", " : "", hits[i].name);
    return dp_error_set(err, DP_ENOTFOUND,
                        "the catalog has no metric, dimension (model.dim), entity or value (model.dim=value) named '%s'%s%s",
                        name, off ? "; close names: " : "", close);
}

int dp_learn__resolve(dp_lex_entry **out, const char **kind, const char **target, const dp_kg *kg, dp_arena *a,
                      dp_stemmer *st, const char *phrase, const char *name, dp_error *err)
{
    dp_lex_entry e = {.source = "learned", .conf = 1.0};
    dp_tok *toks = NULL;
    size_t nt = 0;
    *out = NULL;
    if (!name || !*name)
        return dp_error_set(err, DP_EINVALID, "no catalog name given for '%s'", phrase ? phrase : "");
    if (!phrase || strlen(phrase) > DP_LEARN_MAX_PHRASE || dp_tokenize(&toks, &nt, a, st, phrase) || !nt ||
        nt > 12)
        return dp_error_set(err, DP_EINVALID, "a learned phrase is 1 to 12 words, got '%s'", phrase ? phrase : "");
    for (size_t i = 0; i < nt; i++)
        if (toks[i].punct)
            return dp_error_set(err, DP_EINVALID, "a learned phrase is words, without '%c': '%s'", toks[i].punct, phrase);
    if (nt == 1 && (dp_is_stopword(toks[0].low) || toks[0].is_num))
        return dp_error_set(err, DP_EINVALID, "'%s' alone cannot be a learned phrase", phrase);
    const char *eq = strchr(name, '=');
    const dp_model *mo = NULL;
    if (eq) {
        const dp_dimension *d = find_dim(kg, name, (size_t)(eq - name), &mo);
        if (!d && mo) { /* "model.entity=KEY": a key value */
            const char *dot = memchr(name, '.', (size_t)(eq - name));
            d = dot ? key_dim(mo, dp_arena_strndup(a, dot + 1, (size_t)(eq - dot - 1)), a) : NULL;
        }
        const char *v = NULL;
        if (!d || !eq[1] || !known_value(d, eq + 1, &v))
            return not_found(kg, name, err);
        e.kind = DP_LEX_VALUE;
        e.model = mo;
        e.dim = d;
        e.value = dp_arena_strdup(a, v);
        *kind = "value";
        *target = dp_arena_printf(a, "%s.%s=%s", mo->name, d->name, v);
    } else if ((e.metric = dp_kg_metric(kg, name))) {
        e.kind = DP_LEX_METRIC;
        *kind = "metric";
        *target = e.metric->name;
    } else if ((e.dim = find_dim(kg, name, strlen(name), &mo))) {
        e.kind = DP_LEX_DIM;
        e.model = mo;
        *kind = "dimension";
        *target = dp_arena_printf(a, "%s.%s", mo->name, e.dim->name);
    } else {
        /* an entity: its home model's (where it is the key), else the first */
        size_t nm = 0;
        const dp_model *const *ms = dp_kg_models_with_entity(kg, name, &nm);
        mo = dp_kg_entity_home(kg, name);
        if (!mo && ms && nm)
            mo = ms[0];
        for (size_t i = 0; !mo && i < kg->nmodels; i++)
            if (dp_kg_model_entity(&kg->models[i], name))
                mo = &kg->models[i];
        if (!mo || !(e.entity = dp_kg_model_entity(mo, name)))
            return not_found(kg, name, err);
        e.kind = DP_LEX_ENTITY;
        e.model = mo;
        *kind = "entity";
        *target = e.entity->name;
    }
    e.text = dp_arena_strdup(a, phrase);
    e.ntok = nt;
    e.stems = dp_arena_calloc(a, nt, sizeof(char *));
    e.words = dp_arena_calloc(a, nt, sizeof(char *));
    dp_lex_entry *copy = dp_arena_alloc(a, sizeof(*copy));
    if (!e.text || !e.stems || !e.words || !copy || !*target)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < nt; i++) {
        e.stems[i] = toks[i].stem;
        e.words[i] = toks[i].low;
    }
    *copy = e;
    *out = copy;
    return 0;
}

/* The phrases users taught this catalog, then this run's --choose answers
 * (which replace a learned phrase of the same words), as lexicon entries
 * for the intent stage; answers are recorded as learned when the run
 * records. A learned target the catalog no longer has is skipped with a
 * warning; a --choose name it does not have fails the run. */
int dp_learn__entries(dp_run *r, dp_intent_opts *io, dp_error *err)
{
    size_t nrows = 0, n = 0;
    json_t *rows = r->cat->state ? dp_state_learned(r->cat->state) : NULL;
    nrows = json_array_size(rows);
    size_t cap = nrows + r->opts.nchoose;
    if (cap > DP_LEARN_MAX)
        cap = DP_LEARN_MAX;
    const dp_lex_entry **out = cap ? dp_arena_calloc(r->a, cap, sizeof(*out)) : NULL;
    const char **keys = cap ? dp_arena_calloc(r->a, cap, sizeof(*keys)) : NULL;
    dp_stemmer *st = cap ? dp_stemmer_new() : NULL;
    int rc = 0;
    if (cap && (!out || !keys || !st)) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < cap; i++) {
        const char *phrase, *name, *key;
        int chosen = i >= nrows;
        if (!chosen) {
            json_t *row = json_array_get(rows, i);
            phrase = json_string_value(json_object_get(row, "text"));
            name = json_string_value(json_object_get(row, "target"));
            key = dp_arena_strdup(r->a, json_string_value(json_object_get(row, "phrase")));
        } else if ((rc = dp_learn__split(&phrase, &name, r->a, r->opts.choose[i - nrows], err))) {
            goto done;
        } else {
            char k[DP_LEARN_MAX_PHRASE + 1];
            key = dp_learn__norm(phrase, k, sizeof(k)) ? dp_arena_strdup(r->a, k) : "";
        }
        dp_lex_entry *e;
        const char *kind, *target;
        dp_error e2 = {0};
        if (dp_learn__resolve(&e, &kind, &target, r->kg, r->a, st, phrase, name, chosen ? err : &e2)) {
            if (chosen) {
                rc = err ? err->code : DP_EINVALID;
                if (err)
                    dp_error_prefix(err, "--choose \"%s\"", r->opts.choose[i - nrows]);
                goto done;
            }
            dp_run_warning(r, "learned phrase '%s' skipped: %s", phrase ? phrase : "", e2.message);
            continue;
        }
        size_t at = n;
        for (size_t k = 0; k < n; k++)
            if (key && keys[k] && !strcmp(keys[k], key))
                at = k; /* an answer replaces what was learned */
        out[at] = e;
        keys[at] = key;
        n += at == n;
        /* the model's readings come last: said as its, never learned */
        int proposed = chosen && i - nrows >= r->opts.nchoose - r->nproposed;
        if (proposed)
            dp_run_decision(r,
                            "phrase '%s' read as %s %s: proposed by the language model (%s), checked against the "
                            "catalog; --choose \"%s=%s\" keeps it",
                            phrase, kind, target, r->opts.llm->model, phrase, name);
        else
            dp_run_decision(r, "%s phrase '%s' read as %s %s", chosen ? "chosen" : "learned", phrase, kind, target);
        if (chosen && !proposed && r->opts.record && r->cat->state && key && *key) {
            dp_error ignore = {0};
            dp_state_learn(r->cat->state, key, phrase, kind, target, &ignore);
        }
    }
    io->learned = out;
    io->nlearned = n;
done:
    dp_stemmer_free(st);
    json_decref(rows);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

/* Resolves phrase = name on cat with a scratch arena and stemmer; with key
 * set, also the phrase's state key. */
static int resolve_scratch(dp_catalog *cat, const char *phrase, const char *name, char key[DP_LEARN_MAX_PHRASE + 1],
                           int (*then)(dp_catalog *, const char *, const char *, const char *, const char *, dp_error *),
                           dp_error *err)
{
    int rc = dp_catalog__indexes(cat, err);
    if (rc)
        return rc;
    dp_arena *a = dp_arena_new(16384);
    dp_stemmer *st = dp_stemmer_new();
    if (!a || !st) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    dp_lex_entry *e;
    const char *kind, *target;
    if ((rc = dp_learn__resolve(&e, &kind, &target, &cat->kg, a, st, phrase, name, err)))
        goto done;
    if (!dp_learn__norm(phrase, key, DP_LEARN_MAX_PHRASE + 1)) {
        rc = dp_error_set(err, DP_EINVALID, "a learned phrase is words: '%s'", phrase);
        goto done;
    }
    if (then)
        rc = then(cat, key, phrase, kind, target, err);
done:
    dp_stemmer_free(st);
    dp_arena_free(a);
    return rc;
}

static int record(dp_catalog *cat, const char *key, const char *phrase, const char *kind, const char *target,
                  dp_error *err)
{
    return dp_state_learn(cat->state, key, phrase, kind, target, err);
}

int dp_catalog_check_choice(dp_catalog *cat, const char *choice, dp_error *err)
{
    dp_arena *a = dp_arena_new(4096);
    const char *phrase = NULL, *name = NULL;
    char key[DP_LEARN_MAX_PHRASE + 1];
    int rc = a ? dp_learn__split(&phrase, &name, a, choice, err) : dp_error_set(err, DP_ENOMEM, "out of memory");
    if (!rc)
        rc = resolve_scratch(cat, phrase, name, key, NULL, err);
    dp_arena_free(a);
    return rc;
}

int dp_catalog_learn(dp_catalog *cat, const char *phrase, const char *name, dp_error *err)
{
    char key[DP_LEARN_MAX_PHRASE + 1];
    if (!cat->state)
        return dp_error_set(err, DP_EINVALID, "learning a phrase needs the state (it is off)");
    return resolve_scratch(cat, phrase, name, key, record, err);
}

int dp_catalog_forget(dp_catalog *cat, const char *phrase, dp_error *err)
{
    char key[DP_LEARN_MAX_PHRASE + 1];
    if (!cat->state)
        return dp_error_set(err, DP_EINVALID, "forgetting a phrase needs the state (it is off)");
    if (!dp_learn__norm(phrase, key, sizeof(key)))
        return dp_error_set(err, DP_EINVALID, "a learned phrase is words: '%s'", phrase ? phrase : "");
    int rc = dp_state_forget(cat->state, key, err);
    if (rc < 0)
        return rc;
    return rc ? 0 : dp_error_set(err, DP_ENOTFOUND, "no learned phrase '%s' for this catalog", phrase);
}

int dp_catalog_learned(char **out_json, dp_catalog *cat, dp_error *err)
{
    json_t *arr = cat->state ? dp_state_learned(cat->state) : json_array();
    *out_json = arr ? dp_json_dump(arr) : NULL;
    json_decref(arr);
    return *out_json ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

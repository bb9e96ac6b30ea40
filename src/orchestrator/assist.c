/* Language-model assistance for the words the catalog cannot place
 * (docs/llm.md): the model sees the request, the unplaced phrases and the
 * catalog's candidates for each (names, labels, descriptions, sample values
 * as the clarification lists them, never rows), and must answer with a
 * choice per phrase from those names (a JSON Schema whose enums are the
 * catalog's own names). Each choice is checked as a --choose answer is
 * (the name exists, a value exists in the data); the checked ones are
 * handed back as this run's answers, never learned unless the user
 * confirms them. */
#include "orchestrator/run.h"
#include "orchestrator/learn.h"
#include "llm/llm.h"
#include "util/error.h"
#include "util/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSIST_PHRASES 8     /* unplaced phrases put to the model */
#define ASSIST_CANDIDATES 24 /* names offered per phrase */
#define ASSIST_VALUES 30     /* a dimension's frequent values offered for a value phrase */
#define ASSIST_NAMES 400     /* names in all */

static const char *SYSTEM =
    "You map the words of a data request to the names of a data catalog. For each phrase listed, choose "
    "the one catalog name it means, from the names offered for that phrase, or \"none\" when no offered "
    "name means it. Never invent a name. Answer as JSON.";

/* Adds name to the answer's enum unless it is there. */
static void add_name(json_t *names, const char *name)
{
    size_t j;
    json_t *n;
    json_array_foreach(names, j, n)
        if (!strcmp(json_string_value(n), name))
            return;
    if (json_array_size(names) < ASSIST_NAMES)
        json_array_append_new(names, json_string(name));
}

/* A value phrase: the frequent values of each candidate dimension, as
 * the profile found them in the data, offered as "model.dim=value". */
static void offer_values(const dp_kg *kg, const char *dim, json_t *offered, json_t *names)
{
    const char *dot = strchr(dim, '.');
    char model[256];
    if (!dot || (size_t)(dot - dim) >= sizeof(model))
        return;
    memcpy(model, dim, (size_t)(dot - dim));
    model[dot - dim] = 0;
    const dp_model *m = dp_kg_model(kg, model);
    const dp_dimension *d = m ? dp_kg_model_dim(m, dot + 1) : NULL;
    if (!d || !d->column || !d->column->prof.done)
        return;
    for (size_t k = 0; k < d->column->prof.ntop && k < ASSIST_VALUES; k++) {
        char name[600];
        if ((size_t)snprintf(name, sizeof(name), "%s=%s", dim, d->column->prof.top_values[k]) >= sizeof(name))
            continue;
        json_array_append_new(offered, json_pack("{s:s,s:s,s:s}", "name", name, "kind", "value", "dimension", dim));
        add_name(names, name);
    }
}

/* A catalog object's description, for the prompt (NULL when none). */
static const char *description_of(const dp_kg *kg, const char *kind, const char *name)
{
    if (!strcmp(kind, "metric")) {
        const dp_metric *m = dp_kg_metric(kg, name);
        return m ? m->description : NULL;
    }
    const char *dot = strchr(name, '.');
    char model[256];
    if (strcmp(kind, "dimension") || !dot || (size_t)(dot - name) >= sizeof(model))
        return NULL;
    memcpy(model, name, (size_t)(dot - name));
    model[dot - name] = 0;
    const dp_model *m = dp_kg_model(kg, model);
    const dp_dimension *d = m ? dp_kg_model_dim(m, dot + 1) : NULL;
    return d ? d->description : NULL;
}

/* The clarification's phrases with their candidate names (and, for a value
 * phrase, the candidate dimensions' frequent values), as the prompt and the
 * answer's schema. 0, or -1 when there is nothing to ask. */
static int build(const dp_kg *kg, const json_t *clar, const char *request, char **user, json_t **asked, json_t **schema)
{
    json_t *unplaced = json_object_get(clar, "unplaced"), *cands = json_object_get(clar, "candidates");
    json_t *ask = json_array(), *phrases = json_array(), *names = json_array();
    json_array_append_new(names, json_string("none"));
    size_t i;
    json_t *u;
    json_array_foreach(unplaced, i, u) {
        const char *ph = json_string_value(json_object_get(u, "phrase"));
        json_t *list = ph ? json_object_get(cands, ph) : NULL;
        if (!ph || !json_array_size(list) || json_array_size(phrases) >= ASSIST_PHRASES)
            continue;
        const char *role = json_string_value(json_object_get(u, "role"));
        if (role && dp_orch__calculation_kind(role))
            continue; /* "share of x" is no name of the catalog, least of all x's */
        json_t *offered = json_array();
        int value = role && strstr(role, "value");
        size_t k;
        json_t *c;
        json_array_foreach(list, k, c) {
            const char *name = json_string_value(json_object_get(c, "name"));
            const char *kind = json_string_value(json_object_get(c, "kind"));
            if (!name || k >= ASSIST_CANDIDATES)
                continue;
            if (value && kind && !strcmp(kind, "dimension")) {
                offer_values(kg, name, offered, names); /* the value is what is chosen */
                continue;
            }
            json_t *o = json_pack("{s:s,s:s?}", "name", name, "kind", kind);
            const char *label = json_string_value(json_object_get(c, "label"));
            const char *desc = kind ? description_of(kg, kind, name) : NULL;
            if (label)
                json_object_set_new(o, "label", json_string(label));
            if (desc) /* the prompt stays small: a description's first 300 bytes, whole characters */
                json_object_set_new(o, "description", json_stringn(desc, dp_utf8_cut(desc, 300)));
            json_array_append_new(offered, o);
            add_name(names, name);
        }
        json_array_append_new(ask, json_pack("{s:s,s:s?,s:o}", "phrase", ph, "role",
                                             json_string_value(json_object_get(u, "role")), "names", offered));
        json_array_append_new(phrases, json_string(ph));
    }
    if (!json_array_size(phrases)) {
        json_decref(ask);
        json_decref(phrases);
        json_decref(names);
        return -1;
    }
    json_t *msg = json_pack("{s:s,s:o}", "request", request, "phrases", ask);
    *user = json_dumps(msg, JSON_INDENT(1));
    *asked = msg;
    json_t *item = json_pack("{s:s,s:{s:{s:s,s:o},s:{s:s,s:o}},s:[ss],s:b}", "type", "object", "properties", "phrase",
                             "type", "string", "enum", phrases, "name", "type", "string", "enum", names, "required",
                             "phrase", "name", "additionalProperties", 0);
    *schema = item ? json_pack("{s:s,s:{s:{s:s,s:I,s:o}},s:[s],s:b}", "type", "object", "properties", "choices", "type",
                               "array", "maxItems", (json_int_t)ASSIST_PHRASES, "items", item, "required", "choices",
                               "additionalProperties", 0)
                   : NULL;
    return *user && *schema ? 0 : -1;
}

/* Is name one of those offered for phrase (the prompt's own lists)? */
static int offered(const json_t *asked, const char *phrase, const char *name)
{
    size_t i, k;
    json_t *p, *c;
    json_array_foreach(json_object_get(asked, "phrases"), i, p) {
        const char *ph = json_string_value(json_object_get(p, "phrase"));
        if (!ph || strcmp(ph, phrase))
            continue;
        json_array_foreach(json_object_get(p, "names"), k, c) {
            const char *n = json_string_value(json_object_get(c, "name"));
            if (n && !strcmp(n, name))
                return 1;
        }
    }
    return 0;
}

int dp_orch__assist_intent(dp_run *r, const char *message, const char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    const dp_llm *llm = r->opts.llm;
    char *cj = dp_orch__clarification(r, message);
    json_t *clar = cj ? json_loads(cj, 0, NULL) : NULL;
    json_t *inner = json_object_get(clar, "clarification");
    free(cj);
    char *user = NULL;
    json_t *schema = NULL, *asked = NULL;
    int rc = 0;
    if (!inner || build(r->kg, inner, r->request, &user, &asked, &schema)) {
        rc = -1; /* nothing the catalog could name */
        goto done;
    }
    dp_llm_call call = {0};
    call.purpose = "intent";
    call.system = SYSTEM;
    call.user = user;
    call.schema_name = "choices";
    call.schema = schema;
    call.time_left_ms = dp_run_budget_ms(r);
    dp_error e = {0};
    if (dp_llm__chat(llm, &r->llm, &call, &e)) {
        dp_run_warning(r, "the language model gave no reading (%s): the request is asked back as without it",
                       e.message);
        rc = -1;
        goto done;
    }
    json_t *choices = json_object_get(call.answer, "choices");
    const char **list = dp_arena_calloc(r->a, json_array_size(choices) + 1, sizeof(char *));
    size_t n = 0, i, rejected = 0;
    json_t *ch;
    char why[600] = "";
    json_array_foreach(choices, i, ch) {
        const char *ph = json_string_value(json_object_get(ch, "phrase"));
        const char *name = json_string_value(json_object_get(ch, "name"));
        if (!ph || !name || !strcmp(name, "none"))
            continue;
        const char *choice = dp_arena_printf(r->a, "%s=%s", ph, name);
        dp_error ce = {0};
        if (!offered(asked, ph, name)) {
            snprintf(why, sizeof(why), "'%s' was not offered for '%s'", name, ph);
            rejected++;
        } else if (dp_catalog_check_choice(r->cat, choice, &ce)) {
            snprintf(why, sizeof(why), "%s", ce.message);
            rejected++;
        } else if (list && choice) {
            list[n++] = choice;
            continue;
        }
        dp_run_warning(r, "the language model's reading of '%s' as %s was dropped: %s", ph, name, why);
    }
    json_decref(call.answer);
    if (!n) {
        if (!rejected)
            dp_run_warning(r, "the language model found no catalog name for the words not placed");
        dp_llm__outcome(&r->llm, rejected ? "rejected" : "no reading", rejected ? why : NULL);
        rc = -1;
        goto done;
    }
    dp_llm__outcome(&r->llm, rejected ? "accepted in part" : "accepted", rejected ? why : NULL);
    *out = list;
    *nout = n;
done:
    free(user);
    json_decref(asked);
    json_decref(schema);
    json_decref(clar);
    return rc;
}

json_t *dp_orch__llm_record(const dp_run *r)
{
    if (!r->llm.log)
        return NULL;
    json_t *proposed = json_array();
    for (size_t i = r->opts.nchoose - r->nproposed; i < r->opts.nchoose; i++)
        json_array_append_new(proposed, json_string(r->opts.choose[i]));
    return json_pack("{s:s,s:O,s:I,s:I,s:o}", "model", r->opts.llm->model, "calls", r->llm.log, "total_calls",
                     (json_int_t)r->llm.calls, "total_tokens", (json_int_t)r->llm.tokens, "proposed", proposed);
}

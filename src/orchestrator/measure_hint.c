/* A measure asked by name that no metric exposes: MetricFlow queries only
 * metrics, so the answer is not "not found" but how to expose it (add
 * create_metric: true to the measure, or define a simple metric on it),
 * in the refusal's message and as candidates of kind "measure". */
#include "orchestrator/run.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_HIDDEN 3 /* measures named in one refusal */

/* Does a metric read the measure directly (simple or cumulative)? */
static int exposed(const dp_kg *kg, const dp_measure *me)
{
    if (dp_kg_metric(kg, me->name))
        return 1;
    for (size_t i = 0; i < kg->nmetrics; i++) {
        const dp_metric *m = &kg->metrics[i];
        if ((m->type == DP_METRIC_SIMPLE || m->type == DP_METRIC_CUMULATIVE) && m->measure.name &&
            !strcmp(m->measure.name, me->name))
            return 1;
    }
    return 0;
}

/* Is the word w (len n) a word of text, or its plural? */
static int has_word(const char *text, const char *w, size_t n)
{
    for (const char *p = text; *p;) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *s = p;
        while (isalnum((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - s);
        if (len >= n && len <= n + 1 && !strncasecmp(s, w, n) && (len == n || tolower((unsigned char)s[n]) == 's'))
            return 1;
    }
    return 0;
}

/* Every word of the measure's name ("largest_visit") is in text. */
static int named_in(const dp_measure *me, const char *text)
{
    const char *p = me->name;
    int any = 0;
    while (*p) {
        while (*p == '_')
            p++;
        const char *s = p;
        while (*p && *p != '_')
            p++;
        if (p > s) {
            if (!has_word(text, s, (size_t)(p - s)))
                return 0;
            any = 1;
        }
    }
    return any;
}

static size_t hidden_measures(const dp_kg *kg, const char *text, const dp_measure **out)
{
    size_t n = 0;
    for (size_t i = 0; i < kg->nmodels && n < MAX_HIDDEN; i++)
        for (size_t j = 0; j < kg->models[i].nmeasures && n < MAX_HIDDEN; j++) {
            const dp_measure *me = &kg->models[i].measures[j];
            if (!me->off.reason && named_in(me, text) && !exposed(kg, me))
                out[n++] = me;
        }
    return n;
}

static const char *hint(dp_arena *a, const dp_measure *me)
{
    return dp_arena_printf(a, "%s is a measure of %s (%s:%d) that no metric exposes: add create_metric: true to it, "
                              "or define a simple metric on it",
                           me->name, me->model ? me->model->name : "?", me->pos.file ? me->pos.file : "?", me->pos.line);
}

void dp_orch__measure_hint(dp_run *r, dp_error *err)
{
    const dp_measure *ms[MAX_HIDDEN];
    size_t n = hidden_measures(r->kg, r->request, ms);
    for (size_t i = 0; i < n && err; i++) {
        size_t l = strlen(err->message);
        snprintf(err->message + l, sizeof(err->message) - l, "; %s", hint(r->a, ms[i]));
    }
}

void dp_orch__measure_candidates(const dp_run *r, json_t *cands)
{
    const char *phrase;
    json_t *arr;
    json_object_foreach(cands, phrase, arr) {
        const dp_measure *ms[MAX_HIDDEN];
        size_t n = hidden_measures(r->kg, r->request, ms);
        for (size_t i = n; i-- > 0;) {
            /* the measure shares a word with the phrase: first, with how to expose it */
            int shares = 0;
            for (const char *p = phrase; *p && !shares;) {
                while (*p && !isalnum((unsigned char)*p))
                    p++;
                const char *s = p;
                while (isalnum((unsigned char)*p))
                    p++;
                shares = p > s && strstr(ms[i]->name, dp_arena_printf(r->a, "%.*s", (int)(p - s), s));
            }
            if (shares && json_is_array(arr))
                json_array_insert_new(arr, 0, json_pack("{s:s,s:s,s:s?,s:f,s:s}", "kind", "measure", "name", ms[i]->name,
                                                        "label", ms[i]->label, "score", 1.0, "hint", hint(r->a, ms[i])));
        }
    }
}

/* After the intent: a request that needs a disabled catalog element is
 * refused naming it and why; a disabled candidate of a phrase that has
 * enabled ones is dropped, with a warning. Nothing after this stage sees a
 * disabled element of the request. */
#include "orchestrator/run.h"
#include "catalog/problems.h"
#include "util/error.h"
#include <stdio.h>
#include <string.h>

static int refuse(dp_run *r, dp_error *err, const char *kind, const char *name, const dp_disabled *off,
                  dp_src_pos pos)
{
    char msg[900];
    dp_catalog__disabled_msg(r->kg, kind, name, off, pos, msg, sizeof(msg));
    return dp_error_set(err, DP_ECLARIFY, "%s", msg);
}

static int metric_off(dp_run *r, const dp_metric *m, dp_error *err)
{
    if (!m)
        return 0;
    if (m->off.reason)
        return refuse(r, err, "metric", m->name, &m->off, m->pos);
    if (m->pos.file)
        return 0;
    /* a metric the request defines: its sides are catalog metrics */
    const char *sides[2] = {m->numerator.name, m->denominator.name};
    for (size_t i = 0; i < 2; i++) {
        const dp_metric *s = sides[i] ? dp_kg_metric(r->kg, sides[i]) : NULL;
        if (s && s->off.reason)
            return refuse(r, err, "metric", s->name, &s->off, s->pos);
    }
    return 0;
}

/* An entity is usable when some enabled model has it enabled. */
static int entity_off(dp_run *r, const char *name, dp_error *err)
{
    size_t n = 0;
    const dp_model *const *ms = dp_kg_models_with_entity(r->kg, name, &n);
    if (!name || !ms || n)
        return 0;
    for (size_t i = 0; i < r->kg->nmodels; i++)
        for (size_t j = 0; j < r->kg->models[i].nentities; j++) {
            const dp_entity *e = &r->kg->models[i].entities[j];
            if (e->off.reason && !strcmp(e->name, name))
                return refuse(r, err, "entity", e->name, &e->off, e->pos);
        }
    return 0;
}

static const char *dim_name(dp_run *r, const dp_target *t, size_t k)
{
    return dp_arena_printf(r->a, "%s.%s", t->dim_models[k] ? t->dim_models[k]->name : "?", t->dims[k]->name);
}

static int target_off(dp_run *r, dp_target *t, dp_error *err)
{
    if (t->is_entity)
        return entity_off(r, t->entity, err);
    size_t on = 0, keep = 0;
    for (size_t k = 0; k < t->ndims; k++)
        on += !t->dims[k]->off.reason;
    for (size_t k = 0; k < t->ndims; k++) {
        const dp_dimension *d = t->dims[k];
        if (!d->off.reason) {
            t->dims[keep] = d;
            t->dim_models[keep++] = t->dim_models[k];
            continue;
        }
        if (!on) /* every reading of the phrase is disabled */
            return refuse(r, err, "dimension", dim_name(r, t, k), &d->off, d->pos);
        char msg[900];
        dp_catalog__disabled_msg(r->kg, "dimension", dim_name(r, t, k), &d->off, d->pos, msg, sizeof(msg));
        dp_run_warning(r, "%s; '%s' is read as one of its other candidates", msg, t->phrase ? t->phrase : d->name);
    }
    t->ndims = keep;
    return 0;
}

int dp_orch__refuse_disabled(dp_run *r, dp_error *err)
{
    dp_intent *in = &r->intent;
    int rc = 0;
    if (!r->kg->nproblems)
        return 0; /* nothing is disabled */
    if (in->saved && in->saved->off.reason)
        return refuse(r, err, "saved query", in->saved->name, &in->saved->off, in->saved->pos);
    for (size_t i = 0; i < in->nmetrics && !rc; i++)
        rc = metric_off(r, in->metrics[i], err);
    for (size_t i = 0; i < in->nconditions && !rc; i++)
        rc = metric_off(r, in->conditions[i].metric, err);
    if (!rc)
        rc = metric_off(r, in->order_metric, err);
    for (size_t i = 0; i < in->ncontext && !rc; i++) {
        const dp_model *m = in->context_models[i] ? dp_kg_model(r->kg, in->context_models[i]) : NULL;
        if (m && m->off.reason)
            rc = refuse(r, err, "semantic model", m->name, &m->off, m->pos);
    }
    for (size_t i = 0; i < in->ngroups && !rc; i++)
        rc = target_off(r, &in->groups[i], err);
    for (size_t i = 0; i < in->nfilters && !rc; i++)
        rc = target_off(r, &in->filters[i].target, err);
    return rc;
}

void dp_orch__disabled_joins(dp_run *r, dp_error *err)
{
    const dp_kg *kg = r->kg;
    if (!kg->nproblems || !err)
        return;
    const dp_model *mm[DP_PLAN_MAX];
    size_t nmm = 0, said = 0;
    for (size_t i = 0; i < r->intent.nmetrics && nmm < DP_PLAN_MAX; i++)
        nmm += dp_metric_models(kg, r->intent.metrics[i], mm + nmm, DP_PLAN_MAX - nmm, 0);
    for (size_t x = 0; x < kg->nmodels && said < 2; x++) {
        const dp_model *m = &kg->models[x];
        if (m->off.reason)
            continue;
        int reached = 0;
        for (size_t i = 0; i < nmm && !reached; i++) {
            dp_path p;
            int amb;
            reached = mm[i] == m || dp_join_path(&p, kg, mm[i], m, &amb) == 0;
        }
        for (size_t j = 0; reached && j < m->nentities && said < 2; j++) {
            const dp_entity *e = &m->entities[j];
            if (!e->off.reason || !dp_kg_entity_home(kg, e->name))
                continue; /* a join it would have given */
            char msg[700], name[300];
            snprintf(name, sizeof(name), "%s.%s", m->name, e->name);
            dp_catalog__disabled_msg(kg, "entity", name, &e->off, e->pos, msg, sizeof(msg));
            size_t l = strlen(err->message);
            snprintf(err->message + l, sizeof(err->message) - l, "; %s", msg);
            said++;
        }
    }
}

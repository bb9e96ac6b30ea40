/* Discovery stage. */
#include "discovery/discovery.h"
#include "intent/timeparse.h"
#include "catalog/bind.h"
#include "kg/vindex.h"
#include "util/error.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static size_t metric_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t max, int depth, int base_only);

size_t dp_metric_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t max, int depth)
{
    return metric_models(kg, m, out, max, depth, 0);
}

/* The datasets the request's groupings and filters must reach: those of
 * dp_metric_models, but only the base rows of a conversion metric (its
 * conversion rows are reached through the entity, as in MetricFlow). */
static size_t metric_group_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t max)
{
    return metric_models(kg, m, out, max, 0, 1);
}

/* The measures metric x reads itself (its sub-metrics' are in the closure
 * it is walked in); base_only: a conversion's base measure, not its
 * conversion measure. Writes at most 2 into out. */
static size_t own_measures(const dp_kg *kg, const dp_metric *x, int base_only, const dp_measure **out)
{
    const char *names[2] = {0};
    size_t nn = 0, n = 0;
    switch (x->type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE:
        names[nn++] = x->measure.name;
        break;
    case DP_METRIC_RATIO:
        names[nn++] = x->numerator.name;
        names[nn++] = x->denominator.name;
        break;
    case DP_METRIC_CONVERSION:
        names[nn++] = x->base_measure.name;
        if (!base_only)
            names[nn++] = x->conversion_measure.name;
        break;
    case DP_METRIC_DERIVED:
        break; /* its inputs are in the closure */
    }
    for (size_t i = 0; i < nn; i++) {
        const dp_metric *sub = x->type == DP_METRIC_RATIO && names[i] ? dp_kg_metric(kg, names[i]) : NULL;
        if (sub && sub != x)
            continue; /* in the closure */
        const dp_measure *me = names[i] ? dp_kg_measure(kg, names[i]) : NULL;
        if (me)
            out[n++] = me;
    }
    return n;
}

static size_t metric_models(const dp_kg *kg, const dp_metric *m, const dp_model **out, size_t max, int depth, int base_only)
{
    (void)depth; /* the closure bounds the walk, each metric once */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX), n = 0;
    for (size_t c = 0; c < ncl; c++) {
        const dp_measure *mes[2];
        size_t nme = own_measures(kg, cl[c], base_only, mes);
        for (size_t i = 0; i < nme && n < max; i++) {
            int dup = 0;
            for (size_t j = 0; j < n; j++)
                dup |= out[j] == mes[i]->model;
            if (!dup)
                out[n++] = mes[i]->model;
        }
    }
    return n;
}

static int add_model(const dp_model **arr, size_t *n, size_t max, const dp_model *m)
{
    for (size_t i = 0; i < *n; i++)
        if (arr[i] == m)
            return 0;
    if (*n >= max)
        return -1;
    arr[(*n)++] = m;
    return 0;
}

/* Picks the candidate dimension every metric dataset reaches with the fewest
 * hops; -1 when none is reachable from all. */
/* The joins from every metric dataset mm[0..nmm) to model, summed into
 * *total (*amb: some path had a rival of the same length); -1 when one of
 * them cannot reach it. */
static int joins_to(const dp_kg *kg, const dp_model *const *mm, size_t nmm, const dp_model *model, int *total, int *amb)
{
    *total = 0;
    *amb = 0;
    for (size_t i = 0; i < nmm; i++) {
        dp_path p;
        int a = 0;
        if (dp_join_path(&p, kg, mm[i], model, &a) != 0)
            return -1;
        *total += (int)p.n;
        *amb |= a;
    }
    return 0;
}

static int pick_dim(const dp_kg *kg, const dp_target *t, const dp_model *const *mm, size_t nmm, int *hops_out,
                    int *ambiguous)
{
    int best = -1, best_hops = 1 << 30;
    *ambiguous = 0;
    for (size_t c = 0; c < t->ndims; c++) {
        int total, amb;
        if (joins_to(kg, mm, nmm, t->dim_models[c], &total, &amb))
            continue;
        /* fewest joins first; between equals, the dataset the profile
         * trusts more (quality), then the fresher one */
        const dp_model *cm = t->dim_models[c], *bm = best >= 0 ? t->dim_models[best] : NULL;
        int better = total < best_hops ||
                     (total == best_hops && bm &&
                      (cm->quality > bm->quality + 1e-9 ||
                       (cm->quality > bm->quality - 1e-9 && cm->freshest && bm->freshest &&
                        strcmp(cm->freshest, bm->freshest) > 0)));
        if (better) {
            best = (int)c;
            best_hops = total;
            *ambiguous = amb;
        }
    }
    *hops_out = best_hops;
    return best;
}

/* Is column name a key of model m (an entity's column)? */
static int names_key(const dp_model *m, const char *name)
{
    for (size_t e = 0; e < m->nentities; e++)
        if ((m->entities[e].expr && !strcmp(m->entities[e].expr, name)) || !strcmp(m->entities[e].name, name))
            return 1;
    return 0;
}

/* Another candidate of t, a different column, as near to the metrics as
 * the chosen one c (hops joins; any reachable one when hops is -1): its
 * index, else -1, with its joins in *rival_hops. Candidates that are the
 * same column seen from two datasets (same name, a key and its reference)
 * are one; values says t holds a filter value. */
static int equal_rival(const dp_kg *kg, const dp_target *t, const dp_model *const *mm, size_t nmm, int c, int hops,
                       int values, int *rival_hops)
{
    if (t->ndims < 2 || t->qualifier)
        return -1;
    for (size_t k = 0; k < t->ndims; k++) {
        /* the same key seen from two datasets is one column; for a value,
         * two columns of one name are two ("orders from Germany": the
         * buyer's country and the supplier's keep other rows), while a
         * grouping by a name two datasets share is left to their ranking */
        if ((int)k == c ||
            (!strcmp(t->dims[k]->name, t->dims[c]->name) &&
             (!values || names_key(t->dim_models[k], t->dims[k]->name) ||
              names_key(t->dim_models[c], t->dims[c]->name) || t->dim_models[k] == t->dim_models[c])))
            continue;
        int total, amb;
        if (!joins_to(kg, mm, nmm, t->dim_models[k], &total, &amb) && (total == hops || hops < 0)) {
            *rival_hops = total;
            return (int)k;
        }
    }
    return -1;
}

static const char *unique_name(dp_discovery *d, dp_arena *a, const char *want, const char *prefix)
{
    for (size_t i = 0; i < d->ncols; i++)
        if (!strcmp(d->cols[i].name, want))
            return dp_arena_printf(a, "%s__%s", prefix ? prefix : "dim", want);
    return want;
}

static double date_days(const char *s)
{
    dp_date d;
    char buf[11];
    if (!s || strlen(s) < 10)
        return NAN;
    memcpy(buf, s, 10);
    buf[10] = 0;
    if (dp_date_parse(buf, &d))
        return NAN;
    /* days since 1970 via weekday-independent arithmetic */
    dp_date epoch = {1970, 1, 1};
    long lo = 0, hi = 200000;
    while (lo < hi) { /* binary search is plenty fast for a handful of models */
        long mid = (lo + hi) / 2;
        dp_date m = dp_date_add_days(epoch, (int)mid);
        if (m.y < d.y || (m.y == d.y && (m.m < d.m || (m.m == d.m && m.d < d.d))))
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo;
}

static void rank(dp_discovery *d, const dp_kg *kg, const dp_intent *in, const dp_model *const *cands, size_t nc,
                 dp_popularity_fn pop, void *pl, dp_arena *a)
{
    /* what the request needs: metric datasets, dimensions, filters */
    size_t need = 0;
    const dp_model *mm[DP_PLAN_MAX];
    double newest = NAN, maxpop = 0;
    double pops[64] = {0};
    for (size_t i = 0; i < nc && i < 64; i++) {
        double dd = date_days(cands[i]->freshest);
        if (!isnan(dd) && (isnan(newest) || dd > newest))
            newest = dd;
        if (pop && pop(pl, cands[i]->name, &pops[i]) == 0 && pops[i] > maxpop)
            maxpop = pops[i];
    }
    for (size_t i = 0; i < nc && i < 64; i++) {
        const dp_model *m = cands[i];
        size_t covered = 0;
        need = 0;
        for (size_t k = 0; k < in->nmetrics; k++) {
            size_t nmm = dp_metric_models(kg, in->metrics[k], mm, DP_PLAN_MAX, 0);
            for (size_t j = 0; j < nmm; j++) {
                need++;
                covered += mm[j] == m;
            }
        }
        for (size_t k = 0; k < d->ncols; k++) {
            if (d->cols[k].kind == DP_COL_TIME)
                continue;
            need++;
            if (d->cols[k].kind == DP_COL_DIM)
                covered += d->cols[k].dim_model == m;
            else
                covered += dp_kg_model_entity(m, d->cols[k].entity) != NULL;
        }
        for (size_t k = 0; k < d->nfilters; k++) {
            need++;
            covered += d->filters[k].model == m;
        }
        dp_ranked *r = &d->ranked[d->nranked++];
        r->model = m;
        r->coverage = need ? (double)covered / (double)need : 0;
        r->quality = m->profiled ? m->quality : 0.5;
        double dd = date_days(m->freshest);
        r->freshness = isnan(dd) || isnan(newest) ? 0.5 : fmax(0, 1 - (newest - dd) / 90.0);
        r->popularity = maxpop > 0 ? pops[i] / maxpop : 0;
        r->score = 0.4 * r->coverage + 0.3 * r->quality + 0.2 * r->freshness + 0.1 * r->popularity;
        r->why = dp_arena_printf(a,
                                 "coverage %zu/%zu items (x0.4), quality %.3f from the profile (x0.3), freshness %.3f: newest %s (x0.2), popularity %.3f from %g earlier products (x0.1)",
                                 covered, need, r->quality, r->freshness, m->freshest ? m->freshest : "unknown",
                                 r->popularity, pops[i]);
    }
    /* sort by score, stable */
    for (size_t i = 1; i < d->nranked; i++)
        for (size_t j = i; j > 0 && d->ranked[j].score > d->ranked[j - 1].score; j--) {
            dp_ranked t = d->ranked[j];
            d->ranked[j] = d->ranked[j - 1];
            d->ranked[j - 1] = t;
        }
}

static void add_joins(dp_discovery *d, const dp_kg *kg, const dp_model *from, const dp_model *to, dp_arena *a)
{
    dp_path p;
    int amb;
    if (dp_join_path(&p, kg, from, to, &amb))
        return;
    for (size_t s = 0; s < p.n; s++) {
        const dp_join_step *st = &p.steps[s];
        add_model(d->selected, &d->nselected, DP_PLAN_MAX, st->to);
        const char *on = dp_arena_printf(a, "%s.%s = %s.%s", st->from->name, st->from_expr, st->to->name, st->to_expr);
        int dup = 0;
        size_t i;
        json_t *j;
        json_array_foreach(d->joins, i, j) dup |= !strcmp(json_string_value(json_object_get(j, "on")), on);
        if (!dup)
            json_array_append_new(d->joins, json_pack("{s:s,s:s,s:s,s:s,s:s}", "from", st->from->name, "to",
                                                      st->to->name, "entity", st->entity, "on", on, "type",
                                                      "left join towards a primary key (many-to-one)"));
    }
}

static void widen_add(dp_target *out, const dp_model *m, const char *name)
{
    const dp_dimension *d = dp_kg_model_dim(m, name);
    if (!d || out->ndims >= 8)
        return;
    for (size_t k = 0; k < out->ndims; k++)
        if (out->dims[k] == d)
            return;
    out->dims[out->ndims] = d;
    out->dim_models[out->ndims++] = m;
}

/* The phrase kept a few candidates: look again for its dimension name on the
 * metrics' own datasets, then on the datasets their entities lead to, then
 * anywhere. */
static int widen_target(const dp_kg *kg, const dp_target *t, const dp_model *const *mm, size_t nmm, dp_target *out)
{
    if (t->is_entity || !t->ndims || t->qualifier)
        return 0;
    const char *name = t->dims[0]->name;
    *out = *t;
    out->ndims = 0;
    for (size_t i = 0; i < nmm; i++)
        widen_add(out, mm[i], name);
    for (size_t i = 0; i < nmm; i++)
        for (size_t e = 0; e < mm[i]->nentities; e++) {
            const dp_model *home = dp_kg_entity_home(kg, mm[i]->entities[e].name);
            if (home)
                widen_add(out, home, name);
        }
    for (size_t i = 0; i < kg->nmodels && out->ndims < 8; i++)
        widen_add(out, &kg->models[i], name);
    return out->ndims > 0;
}

/* Can every dataset of metric m reach every entity the request groups by? */
static int metric_reaches_groups(const dp_kg *kg, const dp_metric *m, const dp_intent *in)
{
    const dp_model *mm[DP_PLAN_MAX];
    size_t n = metric_group_models(kg, m, mm, DP_PLAN_MAX);
    for (size_t g = 0; g < in->ngroups; g++) {
        if (!in->groups[g].is_entity)
            continue;
        const dp_model *home = dp_kg_entity_home(kg, in->groups[g].entity);
        for (size_t i = 0; i < n; i++) {
            dp_path p;
            int amb;
            if (!dp_kg_model_entity(mm[i], in->groups[g].entity) &&
                (!home || dp_join_path(&p, kg, mm[i], home, &amb) != 0))
                return 0;
        }
    }
    return 1;
}

/* How close (cosine) a replacement metric must be to the words the request
 * used for the metric it replaces. */
#define FIT_MIN_SCORE 0.3

/* Does every word of phrase (3 letters or more) begin a word of m's name or
 * label ("revenue" of ad_revenue; not "loss ratio" of Non-Cat Incurred
 * Losses, which semantic search finds close)? */
static int says_every_word(const dp_metric *m, const char *phrase)
{
    for (const char *w = phrase; *w;) {
        size_t wl = strcspn(w, " -_/");
        int found = wl < 3;
        const char *texts[] = {m->name, m->label};
        for (size_t t = 0; t < 2 && !found; t++)
            for (const char *x = texts[t]; x && *x && !found;) {
                size_t xl = strcspn(x, " -_/()");
                found = xl >= wl && !strncasecmp(x, w, wl);
                x += xl;
                x += *x != 0;
            }
        if (!found)
            return 0;
        w += wl;
        w += *w != 0;
    }
    return 1;
}

/* A metric named in words that cannot be grouped as asked ("views" per user
 * and product when the metric named views counts page loads) is replaced by the closest metric,
 * by semantic search over the phrase and the groupings, that can. */
static void fit_metrics_to_groups(const dp_kg *kg, dp_intent *in, dp_arena *a, json_t *decisions)
{
    for (size_t i = 0; i < in->nmetrics; i++) {
        const dp_metric *m = in->metrics[i];
        int defined = 0; /* the request's own definition is no word to re-read */
        for (size_t k = 0; k < in->ndefined; k++)
            defined |= in->defined[k] == m;
        if (defined || metric_reaches_groups(kg, m, in))
            continue;
        const char *phrase = m->name;
        for (size_t k = 0; k < in->nnotes; k++)
            if (!strcmp(in->notes[k].kind, "metric") && in->notes[k].target && !strcmp(in->notes[k].target, m->name))
                phrase = in->notes[k].text;
        const char *query = phrase;
        for (size_t g = 0; g < in->ngroups; g++)
            if (in->groups[g].is_entity)
                query = dp_arena_printf(a, "%s %s", query, in->groups[g].entity);
        dp_vhit hits[16], own[16];
        size_t n = dp_vindex_search(kg, query, hits, 16, 1 << DP_DOC_METRIC);
        /* the replacement must answer to the metric's words on their own:
         * "cost" by carrier may become shipping cost, never the count of
         * carriers the grouping words pull up */
        size_t nown = dp_vindex_search(kg, phrase, own, 16, 1 << DP_DOC_METRIC);
        for (size_t h = 0; h < n; h++) {
            const dp_metric *alt = hits[h].metric;
            int dup = 0, close = 0;
            for (size_t j = 0; j < in->nmetrics; j++)
                dup |= in->metrics[j] == alt;
            for (size_t j = 0; j < nown; j++)
                close |= own[j].metric == alt && own[j].score >= FIT_MIN_SCORE;
            if (!alt || alt->off.reason || dup || !close || !says_every_word(alt, phrase) ||
                !metric_reaches_groups(kg, alt, in))
                continue;
            if (decisions)
                json_array_append_new(decisions, json_sprintf("'%s' read as metric %s, whose data cannot be grouped as asked; chose %s (semantic score %.2f) instead",
                                                              phrase, m->name, alt->name, hits[h].score));
            in->metrics[i] = alt;
            if (in->order_metric == m)
                in->order_metric = alt;
            for (size_t k = 0; k < in->nnotes; k++)
                if (!strcmp(in->notes[k].kind, "metric") && in->notes[k].target && !strcmp(in->notes[k].target, m->name)) {
                    in->notes[k].target = alt->name;
                    in->notes[k].source = "semantic search (grouping)";
                    in->notes[k].confidence = hits[h].score;
                }
            break;
        }
    }
}

/* The finest granularity the measures of metric m are recorded at (their
 * agg time dimensions), DP_GRAIN_NONE when none has one. */
static dp_grain measures_grain(const dp_kg *kg, const dp_metric *m, int depth)
{
    (void)depth; /* the closure bounds the walk, each metric once */
    const dp_metric *cl[DP_METRIC_CLOSURE_MAX];
    size_t ncl = dp_kg_metric_closure(kg, m, cl, DP_METRIC_CLOSURE_MAX);
    dp_grain g = DP_GRAIN_NONE;
    for (size_t c = 0; c < ncl; c++) {
        const dp_measure *mes[2];
        size_t nme = own_measures(kg, cl[c], 1, mes);
        for (size_t i = 0; i < nme; i++) {
            const dp_dimension *td =
                mes[i]->agg_time_dimension ? dp_kg_model_dim(mes[i]->model, mes[i]->agg_time_dimension) : NULL;
            dp_grain sg = td ? td->granularity : DP_GRAIN_NONE;
            if (sg && (!g || sg < g))
                g = sg;
        }
    }
    return g;
}

/* Data recorded by month (or coarser) cannot be cut inside a month: a range
 * like "the last 90 days" is widened to the whole periods it touches, as
 * MetricFlow widens a time constraint to the time dimension's grain, and
 * the decision says so. */
static void widen_range(const dp_kg *kg, dp_intent *in, dp_arena *a, json_t *decisions)
{
    if (!in->range_start || !in->range_end || in->custom_grain)
        return;
    dp_grain g = DP_GRAIN_NONE;
    for (size_t i = 0; i < in->nmetrics; i++) {
        dp_grain mg = measures_grain(kg, in->metrics[i], 0);
        if (mg && (!g || mg < g))
            g = mg;
    }
    dp_date s, e;
    if (g <= DP_GRAIN_DAY || dp_date_parse(in->range_start, &s) || dp_date_parse(in->range_end, &e))
        return;
    dp_date s2 = dp_date_trunc(s, g), e2 = dp_date_trunc(dp_date_add_days(e, -1), g);
    e2 = g == DP_GRAIN_WEEK ? dp_date_add_days(e2, 7)
                            : dp_date_add_months(e2, g == DP_GRAIN_MONTH ? 1 : g == DP_GRAIN_QUARTER ? 3 : 12);
    char sb[11], eb[11];
    dp_date_format(s2, sb);
    dp_date_format(e2, eb);
    if (!strcmp(sb, in->range_start) && !strcmp(eb, in->range_end))
        return;
    json_array_append_new(decisions, json_sprintf("the range [%s, %s) is widened to whole %ss [%s, %s): the data is recorded by %s",
                                                  in->range_start, in->range_end, dp_grain_name(g), sb, eb, dp_grain_name(g)));
    in->range_start = dp_arena_strdup(a, sb);
    in->range_end = dp_arena_strdup(a, eb);
}

/* "budget of order items by channel", "the premium amount of all policies":
 * a dataset the request names must be one the answer reads, or one the
 * metrics' rows belong to ("revenue of customers" from the orders that lead
 * to them); otherwise its words are not in the answer and it would be
 * another question's. */
static int check_context(const dp_kg *kg, const dp_intent *in, const dp_discovery *d, const dp_model *const *mm,
                         size_t nmm, dp_arena *a, dp_error *err)
{
    for (size_t c = 0; c < in->ncontext && nmm; c++) {
        const dp_model *m = dp_kg_model(kg, in->context_models[c]);
        const char *ent = in->context_entities[c];
        int ok = !m;
        for (size_t i = 0; i < d->nselected && !ok; i++)
            ok = d->selected[i] == m;
        for (size_t i = 0; i < nmm && !ok; i++) {
            dp_path p;
            int amb;
            ok = mm[i] == m || (ent && dp_kg_model_entity(mm[i], ent)) || !dp_join_path(&p, kg, mm[i], m, &amb);
        }
        if (ok)
            continue;
        /* what the named dataset can answer, for the user to choose */
        const char *names = NULL;
        size_t nn = 0;
        for (size_t k = 0; k < kg->nmetrics && nn < 5; k++) {
            const dp_model *tmp[DP_PLAN_MAX];
            size_t n = dp_metric_models(kg, &kg->metrics[k], tmp, DP_PLAN_MAX, 0);
            if (n == 1 && tmp[0] == m && !kg->metrics[k].off.reason) {
                names = names ? dp_arena_printf(a, "%s, %s", names, kg->metrics[k].name) : kg->metrics[k].name;
                nn++;
            }
        }
        const char *metrics = NULL;
        for (size_t i = 0; i < in->nmetrics; i++)
            metrics = metrics ? dp_arena_printf(a, "%s, %s", metrics, in->metrics[i]->name) : in->metrics[i]->name;
        return dp_error_set(
            err, DP_ECLARIFY,
            "'%s' names dataset %s, which the answer for %s (dataset %s) neither reads nor "
            "belongs to; %s%s%s",
            in->context_phrases[c] ? in->context_phrases[c] : m->name, m->name, metrics ? metrics : "the metrics",
            mm[0]->name, names ? "metrics of " : "no metric is defined on it: name the metric you mean",
            names ? dp_arena_printf(a, "%s: %s", m->name, names) : "", names ? " (name one, or drop the words)" : "");
    }
    return 0;
}

int dp_discover(dp_discovery *d, const dp_kg *kg, dp_intent *in, dp_arena *a, dp_popularity_fn pop,
                void *pl, json_t *decisions, unsigned *kgq, dp_error *err)
{
    fit_metrics_to_groups(kg, in, a, decisions);
    widen_range(kg, in, a, decisions);
    memset(d, 0, sizeof(*d));
    d->joins = json_array();
    d->semantic = json_array();
    const dp_model *mm[DP_PLAN_MAX];
    size_t nmm = 0;
    for (size_t i = 0; i < in->nmetrics; i++) {
        const dp_model *tmp[DP_PLAN_MAX];
        size_t k = dp_metric_models(kg, in->metrics[i], tmp, DP_PLAN_MAX, 0);
        for (size_t j = 0; j < k; j++)
            add_model(d->selected, &d->nselected, DP_PLAN_MAX, tmp[j]);
        k = metric_group_models(kg, in->metrics[i], tmp, DP_PLAN_MAX);
        for (size_t j = 0; j < k; j++)
            add_model(mm, &nmm, DP_PLAN_MAX, tmp[j]);
        if (kgq)
            (*kgq)++;
    }
    if (in->custom_grain) /* a custom granularity: the time spine's column for each day */
        d->cols[d->ncols++] = (dp_grain_col){DP_COL_TIME, in->custom_grain, NULL, NULL, NULL,
                                             dp_arena_printf(a, "The %s of the day, from the time spine", in->custom_grain), 0, NULL};
    else if (in->grain != DP_GRAIN_NONE) {
        d->cols[d->ncols++] = (dp_grain_col){DP_COL_TIME, dp_grain_name(in->grain), NULL, NULL, NULL,
                                             dp_arena_printf(a, "Start of the %s (weeks start on Monday)", dp_grain_name(in->grain)), 0, NULL};
    }
    for (size_t g = 0; g < in->ngroups && d->ncols < DP_PLAN_MAX; g++) {
        const dp_target *t = &in->groups[g];
        if (kgq)
            (*kgq)++;
        if (t->is_entity) {
            const dp_model *home = dp_kg_entity_home(kg, t->entity);
            const dp_entity *he = home ? dp_kg_model_entity(home, t->entity) : NULL;
            for (size_t i = 0; i < nmm; i++) {
                /* the entity must be on each metric dataset or reachable */
                int ok = dp_kg_model_entity(mm[i], t->entity) != NULL;
                if (!ok && home) {
                    dp_path p;
                    int amb;
                    ok = dp_join_path(&p, kg, mm[i], home, &amb) == 0;
                }
                if (!ok)
                    return dp_error_set(err, DP_ECLARIFY, "'%s' cannot be grouped by %s: dataset %s has no path to it",
                                        t->phrase, t->entity, mm[i]->name);
            }
            const char *name = unique_name(d, a, he && dp_is_identifier(he->expr) ? he->expr : t->entity, NULL);
            d->cols[d->ncols++] = (dp_grain_col){DP_COL_ENTITY, name, NULL, home, t->entity,
                                                 he && he->description ? he->description
                                                                       : dp_arena_printf(a, "Key of the %s", t->entity), 0, NULL};
            continue;
        }
        /* "<entity> <dimension>": the dimension as seen through the
         * entity's dataset, whatever other paths reach it */
        const dp_model *via = t->qualifier && t->ndims ? dp_kg_entity_home(kg, t->qualifier) : NULL;
        if (via && via != t->dim_models[0]) {
            for (size_t i = 0; i < nmm; i++) {
                dp_path p;
                int amb;
                if (mm[i] != via && dp_join_path(&p, kg, mm[i], via, &amb) != 0)
                    return dp_error_set(err, DP_ECLARIFY, "cannot group by '%s': dataset %s of the metrics has no path to %s",
                                        t->phrase, mm[i]->name, via->name);
            }
            d->cols[d->ncols] = (dp_grain_col){DP_COL_DIM, unique_name(d, a, t->dims[0]->name, t->qualifier), t->dims[0],
                                               t->dim_models[0], NULL, t->dims[0]->description, t->attribute_of != NULL, via};
            d->ncols++;
            for (size_t i = 0; i < nmm; i++) {
                add_joins(d, kg, mm[i], via, a);
                add_joins(d, kg, via, t->dim_models[0], a);
            }
            if (decisions)
                json_array_append_new(decisions, json_sprintf("'%s': %s.%s reached through %s, the dataset of %s",
                                                              t->phrase, t->dim_models[0]->name, t->dims[0]->name,
                                                              via->name, t->qualifier));
            continue;
        }
        int hops, amb;
        int c = pick_dim(kg, t, mm, nmm, &hops, &amb);
        dp_target wide;
        if (c < 0 && widen_target(kg, t, mm, nmm, &wide)) {
            /* the phrase kept a few candidates; look at every dataset with a
             * dimension of that name */
            c = pick_dim(kg, &wide, mm, nmm, &hops, &amb);
            if (c >= 0) {
                in->groups[g] = wide;
                t = &in->groups[g];
            }
        }
        if (c < 0) {
            return dp_error_set(err, DP_ECLARIFY, "dimension '%s' (%s.%s) cannot be reached from dataset %s of the metrics",
                                t->phrase, t->dim_models[0]->name, t->dims[0]->name, nmm ? mm[0]->name : "?");
        }
        for (size_t i = 0; amb && i < nmm; i++) {
            /* two paths of one length reach the dimension's dataset; each
             * gives another answer, so the request must say which */
            dp_path p1, p2;
            int a2 = 0;
            if (dp_join_paths(&p1, &p2, kg, mm[i], t->dim_models[c], &a2) == 0 && a2 && p1.n && p2.n) {
                /* the step where the two paths part names them */
                size_t k = 0;
                while (k + 1 < p1.n && k + 1 < p2.n && p1.steps[k].to == p2.steps[k].to &&
                       !strcmp(p1.steps[k].entity, p2.steps[k].entity))
                    k++;
                return dp_error_set(err, DP_ECLARIFY,
                                    "'%s' is reached from %s by two paths of %zu join(s): %s and %s; say which "
                                    "(for instance '%s %s' or '%s %s')",
                                    t->phrase, mm[i]->name, p1.n, dp_path_text(&p1, mm[i], a), dp_path_text(&p2, mm[i], a),
                                    p1.steps[k].entity, t->phrase, p2.steps[k].entity, t->phrase);
            }
        }
        int rival_hops = 0;
        int other = equal_rival(kg, t, mm, nmm, c, hops, 0, &rival_hops);
        if (other >= 0)
            /* "shipments by country": the warehouse's country and the
             * destination country are both a join away; either answer is
             * another question */
            return dp_error_set(err, DP_ECLARIFY,
                                "'%s' could be %s.%s or %s.%s, both %d join(s) from the metrics: name the one meant "
                                "(for instance '%s %s')",
                                t->phrase, t->dim_models[c]->name, t->dims[c]->name, t->dim_models[other]->name,
                                t->dims[other]->name, hops, t->dim_models[other]->name, t->dims[other]->name);
        if (t->ndims > 1 && decisions)
            json_array_append_new(decisions, json_sprintf("'%s' could mean %zu dimensions; chose %s.%s, reachable from every metric dataset in %d join(s)%s",
                                                          t->phrase, t->ndims, t->dim_models[c]->name, t->dims[c]->name, hops,
                                                          amb ? " (another path of the same length exists)" : ""));
        const char *prefix = NULL;
        for (size_t e = 0; e < t->dim_models[c]->nentities; e++)
            if (t->dim_models[c]->entities[e].type == DP_ENT_PRIMARY)
                prefix = t->dim_models[c]->entities[e].name;
        const char *dname = unique_name(d, a, t->dims[c]->name, prefix);
        d->cols[d->ncols++] = (dp_grain_col){DP_COL_DIM, dname, t->dims[c],
                                             t->dim_models[c], NULL, t->dims[c]->description, t->attribute_of != NULL, NULL};
        for (size_t i = 0; i < nmm; i++)
            add_joins(d, kg, mm[i], t->dim_models[c], a);
    }
    for (size_t f = 0; f < in->nfilters && d->nfilters < DP_PLAN_MAX; f++) {
        const dp_filter *fl = &in->filters[f];
        int hops, amb;
        int c = pick_dim(kg, &fl->target, mm, nmm, &hops, &amb);
        if (c < 0)
            return dp_error_set(err, DP_ECLARIFY, "filter '%s' (%s.%s) cannot be applied to dataset %s of the metrics",
                                fl->phrase, fl->target.dim_models[0]->name, fl->target.dims[0]->name, nmm ? mm[0]->name : "?");
        /* "loans in the North district": the branch's district and the
         * member's home district both hold North; "enterprise billings":
         * the account's segment a join away and the plan's tier two joins
         * away both hold enterprise, and the nearer is no likelier meant */
        int rival_hops = 0;
        int other = fl->range_start ? -1 : equal_rival(kg, &fl->target, mm, nmm, c, -1, 1, &rival_hops);
        if (other >= 0)
            return dp_error_set(
                err, DP_ECLARIFY,
                "'%s' is a value of %s.%s (%d join(s) from the metrics) and of %s.%s (%d join(s)): name "
                "the one meant (for instance '%s %s')",
                fl->phrase, fl->target.dim_models[c]->name, fl->target.dims[c]->name, hops,
                fl->target.dim_models[other]->name, fl->target.dims[other]->name, rival_hops,
                fl->target.dim_models[other]->name, fl->target.dims[other]->name);
        if (fl->target.ndims > 1 && decisions)
            json_array_append_new(decisions, json_sprintf("value '%s' occurs in %zu dimensions; chose %s.%s (%d join(s) from the metric datasets)",
                                                          fl->values[0], fl->target.ndims, fl->target.dim_models[c]->name,
                                                          fl->target.dims[c]->name, hops));
        d->filters[d->nfilters++] =
            (dp_plan_filter){fl->target.dims[c], fl->target.dim_models[c], fl->values,    fl->nvalues, fl->negate,
                             fl->matched,        fl->range_start,          fl->range_end, fl->presence};
        for (size_t i = 0; i < nmm; i++)
            add_joins(d, kg, mm[i], fl->target.dim_models[c], a);
    }
    /* entity groups reached through joins */
    for (size_t k = 0; k < d->ncols; k++) {
        if (d->cols[k].kind != DP_COL_ENTITY)
            continue;
        for (size_t i = 0; i < nmm; i++)
            if (!dp_kg_model_entity(mm[i], d->cols[k].entity) && d->cols[k].dim_model)
                add_joins(d, kg, mm[i], d->cols[k].dim_model, a);
    }
    int rc = check_context(kg, in, d, mm, nmm, a, err);
    if (rc)
        return rc;
    /* candidates: every dataset the request touched, ranked */
    const dp_model *cands[64];
    size_t nc = 0;
    for (size_t i = 0; i < d->nselected; i++)
        add_model(cands, &nc, 64, d->selected[i]);
    for (size_t g = 0; g < in->ngroups; g++)
        for (size_t k = 0; k < in->groups[g].ndims; k++)
            add_model(cands, &nc, 64, in->groups[g].dim_models[k]);
    for (size_t f = 0; f < in->nfilters; f++)
        for (size_t k = 0; k < in->filters[f].target.ndims; k++)
            add_model(cands, &nc, 64, in->filters[f].target.dim_models[k]);
    for (size_t c = 0; c < in->ncontext; c++) {
        const dp_model *m = dp_kg_model(kg, in->context_models[c]);
        if (m)
            add_model(cands, &nc, 64, m);
    }
    rank(d, kg, in, cands, nc, pop, pl, a);
    for (size_t i = 0; i < d->nranked; i++)
        for (size_t j = 0; j < d->nselected; j++)
            if (d->ranked[i].model == d->selected[j])
                d->ranked[i].selected = 1;
    /* which relation each dataset used is read from: a choice binding made */
    for (size_t i = 0; decisions && i < d->nselected; i++)
        if (d->selected[i]->bind_note)
            json_array_append_new(decisions, json_sprintf("dataset %s reads %s.%s: %s", d->selected[i]->name,
                                                          d->selected[i]->schema, d->selected[i]->table,
                                                          d->selected[i]->bind_note));
    return 0;
}

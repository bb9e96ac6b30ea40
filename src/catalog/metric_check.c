/* The metrics' references, checked once the YAML is loaded: each problem
 * disables its metric (dp_catalog__check_metrics, problems.h). */
#include "catalog/problems.h"
#include "util/error.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CYCLE_MAX_DEPTH 256 /* deeper chains are left to the compiler's own limit */

static int problem(dp_kg *kg, dp_metric *m, const char *reason, const char *hint)
{
    return dp_catalog__disable(kg, &m->off, "metric", m->name, reason, hint, m->pos);
}

static const dp_metric *metric_of(const dp_kg *kg, const char *name)
{
    return name ? dp_kg_metric(kg, name) : NULL;
}

static const dp_measure *measure_of(const dp_kg *kg, const char *name)
{
    return name ? dp_kg_measure(kg, name) : NULL;
}

/* An input the catalog does not define: what is missing, else NULL. */
static const char *missing_input(const dp_kg *kg, const dp_metric *m, const char **kind)
{
    *kind = "measure";
    switch (m->type) {
    case DP_METRIC_SIMPLE:
    case DP_METRIC_CUMULATIVE:
        if (measure_of(kg, m->measure.name))
            return NULL;
        return m->measure.name ? m->measure.name : "(none)";
    case DP_METRIC_RATIO:
        *kind = "metric or measure";
        if (!metric_of(kg, m->numerator.name) && !measure_of(kg, m->numerator.name))
            return m->numerator.name ? m->numerator.name : "(none)";
        if (!metric_of(kg, m->denominator.name) && !measure_of(kg, m->denominator.name))
            return m->denominator.name ? m->denominator.name : "(none)";
        return NULL;
    case DP_METRIC_DERIVED:
        *kind = "metric";
        for (size_t j = 0; j < m->ninputs; j++)
            if (!metric_of(kg, m->inputs[j].name))
                return m->inputs[j].name ? m->inputs[j].name : "(none)";
        return NULL;
    case DP_METRIC_CONVERSION:
        if (!measure_of(kg, m->base_measure.name))
            return m->base_measure.name ? m->base_measure.name : "(none)";
        if (measure_of(kg, m->conversion_measure.name))
            return NULL;
        return m->conversion_measure.name ? m->conversion_measure.name : "(none)";
    }
    return NULL;
}

/* The k-th metric a metric is computed from, as the compiler reads them (a
 * ratio's input is a metric first, then a measure); NULL for a measure or
 * past the last (k < ndeps). */
static size_t ndeps(const dp_metric *m)
{
    return m->type == DP_METRIC_RATIO ? 2 : m->type == DP_METRIC_DERIVED ? m->ninputs : 0;
}

static const dp_metric *dep_at(const dp_kg *kg, const dp_metric *m, size_t k)
{
    if (m->type == DP_METRIC_RATIO)
        return metric_of(kg, k ? m->denominator.name : m->numerator.name);
    return m->type == DP_METRIC_DERIVED && k < m->ninputs ? metric_of(kg, m->inputs[k].name) : NULL;
}

typedef struct dfs {
    dp_kg *kg;
    unsigned char *state; /* 0 new, 1 on the path, 2 done */
    size_t *path;
    size_t depth;
    size_t *height; /* done metrics: the most levels below them */
    size_t *below;  /* done metrics: the input on their deepest chain, or SIZE_MAX */
} dfs;

/* Disables each metric on the path from position from to the top (a
 * cycle back to path[from]), the cycle named in its reason. Kept out of
 * visit() so the recursion's frames stay small. */
static __attribute__((noinline)) int report_cycle(dfs *d, size_t from, size_t j)
{
    char cyc[512] = "";
    size_t off = 0;
    for (size_t q = from; q < d->depth && off < sizeof(cyc) - 80; q++)
        off += (size_t)snprintf(cyc + off, sizeof(cyc) - off, "%s -> ", d->kg->metrics[d->path[q]].name);
    snprintf(cyc + off, sizeof(cyc) - off, "%s", d->kg->metrics[j].name);
    char why[600];
    snprintf(why, sizeof(why), "refers to itself through %s", cyc);
    for (size_t q = from; q < d->depth; q++) {
        dp_metric *mq = &d->kg->metrics[d->path[q]];
        if (!mq->off.reason && problem(d->kg, mq, why, "remove one of the references"))
            return DP_ENOMEM;
    }
    return 0;
}

/* Disables metric i, more than DP_METRIC_MAX_DEPTH levels above a measure,
 * naming its deepest chain (the compiler would refuse it: compile_metric.c). */
static __attribute__((noinline)) int report_depth(dfs *d, size_t i)
{
    char chain[512] = "";
    size_t off = 0, q = i;
    for (int k = 0; q != SIZE_MAX && off < sizeof(chain) - 80; k++, q = d->below[q]) {
        if (k > DP_METRIC_MAX_DEPTH + 1) {
            snprintf(chain + off, sizeof(chain) - off, " -> ...");
            break;
        }
        off += (size_t)snprintf(chain + off, sizeof(chain) - off, "%s%s", k ? " -> " : "", d->kg->metrics[q].name);
    }
    char why[600];
    snprintf(why, sizeof(why), "is derived through more than %d levels: %s", DP_METRIC_MAX_DEPTH, chain);
    dp_metric *m = &d->kg->metrics[i];
    return !m->off.reason && problem(d->kg, m, why, "compute it from fewer levels of metrics") ? DP_ENOMEM : 0;
}

/* Depth first over the metrics' inputs; a metric met again on the path
 * closes a cycle. Each metric is visited once, so shared inputs cost once. */
static int visit(dfs *d, size_t i)
{
    if (d->state[i] == 2 || d->depth >= CYCLE_MAX_DEPTH)
        return 0;
    d->state[i] = 1;
    d->path[d->depth++] = i;
    const dp_metric *m = &d->kg->metrics[i];
    size_t n = ndeps(m), h = 0, below = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        const dp_metric *dep = dep_at(d->kg, m, k);
        if (!dep)
            continue;
        size_t j = (size_t)(dep - d->kg->metrics);
        if (d->state[j] == 1) {
            size_t from = d->depth;
            while (from > 0 && d->path[from - 1] != j)
                from--;
            if (report_cycle(d, from ? from - 1 : 0, j))
                return DP_ENOMEM;
            continue;
        }
        int rc = visit(d, j);
        if (rc)
            return rc;
        if (d->state[j] == 2 && d->height[j] + 1 > h) {
            h = d->height[j] + 1;
            below = j;
        }
    }
    d->depth--;
    d->state[i] = 2;
    d->height[i] = h;
    d->below[i] = below;
    if (h > DP_METRIC_MAX_DEPTH && report_depth(d, i))
        return DP_ENOMEM;
    return 0;
}

static int check_cycles(dp_kg *kg)
{
    if (!kg->nmetrics)
        return 0;
    dfs d = {kg,
             calloc(kg->nmetrics, 1),
             calloc(CYCLE_MAX_DEPTH, sizeof(size_t)),
             0,
             calloc(kg->nmetrics, sizeof(size_t)),
             calloc(kg->nmetrics, sizeof(size_t))};
    int rc = d.state && d.path && d.height && d.below ? 0 : DP_ENOMEM;
    for (size_t i = 0; i < kg->nmetrics && !rc; i++)
        rc = visit(&d, i);
    free(d.state);
    free(d.path);
    free(d.height);
    free(d.below);
    return rc;
}

typedef struct fref {
    const dp_kg *kg;
    char unknown[300]; /* the first reference nothing has */
} fref;

/* Does some model have the entity (and the dimension) a filter names? */
static int known_ref(void *payload, const char *fn, const char *arg)
{
    fref *f = payload;
    char ent[256], dbuf[256];
    if (!dp_catalog__split_ref(fn, arg, ent, sizeof(ent), dbuf, sizeof(dbuf)))
        return 0;
    const char *dim = dbuf[0] ? dbuf : NULL;
    int entity = !dim;
    size_t n = 0;
    const dp_model *const *ms = ent[0] ? dp_kg_models_with_entity(f->kg, ent, &n) : dp_kg_models_with_dim(f->kg, dim, &n);
    if (!ms) { /* no index: scan */
        for (size_t i = 0; i < f->kg->nmodels; i++) {
            const dp_model *m = &f->kg->models[i];
            if ((!ent[0] || dp_kg_model_entity(m, ent)) && (!dim || dp_kg_model_dim(m, dim)))
                return 0;
        }
    }
    for (size_t i = 0; ms && i < n; i++)
        if (!dim || dp_kg_model_dim(ms[i], dim))
            return 0;
    /* primary_entity names a dataset with no key column (not indexed) */
    for (size_t i = 0; ms && ent[0] && i < f->kg->nmodels; i++) {
        const dp_model *m = &f->kg->models[i];
        if (m->primary_entity && !strcmp(m->primary_entity, ent) && (!dim || dp_kg_model_dim(m, dim)))
            return 0;
    }
    snprintf(f->unknown, sizeof(f->unknown), "%s '%s'", entity ? "entity" : "dimension", arg);
    return 1;
}

static const char *unknown_filter_ref(const dp_kg *kg, const dp_metric *m, fref *f)
{
    f->kg = kg;
    f->unknown[0] = 0;
    const char *texts[4] = {m->filter, m->measure.filter, m->numerator.filter, m->denominator.filter};
    for (size_t i = 0; i < 4; i++)
        if (dp_catalog__filter_refs(texts[i], known_ref, f))
            return f->unknown;
    for (size_t i = 0; i < m->ninputs; i++)
        if (dp_catalog__filter_refs(m->inputs[i].filter, known_ref, f))
            return f->unknown;
    return NULL;
}

/* Words of SQL a derived expression may hold beside its inputs. */
static int sql_word(const char *s, size_t n)
{
    static const char *words[] = {"and", "or", "not", "null", "is", "case", "when", "then", "else", "end", "true",
                                  "false", "in", "between", "like", "ilike", "as", "distinct", "interval", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncasecmp(words[i], s, n))
            return 1;
    return 0;
}

/* The first name in a derived metric's expr that is none of its inputs (a
 * function call, a type after AS or ::, quoted text and SQL words aside). */
static int stray_name(const dp_metric *m, char *out, size_t cap)
{
    const char *p = m->expr;
    int after_as = 0;
    while (p && *p) {
        if (*p == '\'' || *p == '"') {
            const char *close = strchr(p + 1, *p);
            if (!close)
                return 0;
            p = close + 1;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            while (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
                p++;
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            if (*p == ':' && p[1] == ':') { /* a cast: a type name follows */
                after_as = 1;
                p++;
            } else if (!isspace((unsigned char)*p)) {
                after_as = 0;
            }
            p++;
            continue;
        }
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t n = (size_t)(p - s);
        const char *q = p;
        while (isspace((unsigned char)*q))
            q++;
        int skip = *q == '(' || after_as || sql_word(s, n);
        after_as = n == 2 && !strncasecmp(s, "as", 2);
        for (size_t i = 0; i < m->ninputs && !skip; i++) {
            const char *nm = m->inputs[i].alias ? m->inputs[i].alias : m->inputs[i].name;
            skip = strlen(nm) == n && !strncmp(nm, s, n);
        }
        if (!skip) {
            snprintf(out, cap, "%.*s", (int)n, s);
            return 1;
        }
    }
    return 0;
}

int dp_catalog__check_metrics(dp_kg *kg)
{
    char why[700];
    for (size_t i = 0; i < kg->nmetrics; i++) {
        dp_metric *m = &kg->metrics[i];
        if (m->off.reason)
            continue; /* one cause is enough to list */
        const char *kind, *missing = missing_input(kg, m, &kind);
        fref f;
        const char *unknown = missing ? NULL : unknown_filter_ref(kg, m, &f);
        char stray[128];
        int rc = 0;
        if (missing) {
            snprintf(why, sizeof(why), "refers to %s '%s', which the catalog does not define", kind, missing);
            rc = problem(kg, m, why, NULL);
        } else if (unknown) {
            snprintf(why, sizeof(why), "has a filter naming %s, which no semantic model has", unknown);
            rc = problem(kg, m, why, NULL);
        } else if (m->type == DP_METRIC_DERIVED && stray_name(m, stray, sizeof(stray))) {
            char names[300] = "";
            size_t off = 0;
            for (size_t j = 0; j < m->ninputs && off < sizeof(names) - 70; j++)
                off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s", j ? ", " : "",
                                        m->inputs[j].alias ? m->inputs[j].alias : m->inputs[j].name);
            snprintf(why, sizeof(why), "uses '%s' in its expr, which is not one of its inputs (%s)", stray, names);
            rc = problem(kg, m, why, "add it to type_params.metrics or fix the expr");
        }
        if (rc)
            return rc;
    }
    return check_cycles(kg);
}

/* Catalog SQL in the scope of a CTE: column names qualified with their
 * dataset's alias, filter templates ({{ Dimension(...) }}) rendered. */
#include "transform/compile_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Prefixes bare column names of model m in expr with alias. */
const char *dp_comp__qualify(comp *c, const char *expr, const char *alias, const dp_model *m, json_t *sources)
{
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = expr;
    static const char *kw[] = {"case", "when", "then", "else", "end", "and", "or", "not", "null", "is", "in",
                               "as", "cast", "true", "false", "between", "like", "ilike", "distinct", "interval",
                               "date", "timestamp", "integer", "bigint", "double", "varchar", "numeric", "decimal",
                               "boolean", "text", "float", "real", "smallint", "exists", "coalesce", NULL};
    while (*p) {
        if (*p == '\'') {
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            dp_buf_add(&b, s, (size_t)(p - s));
            continue;
        }
        if (*p == '"') {
            const char *s = p++;
            while (*p && *p != '"')
                p++;
            if (*p)
                p++;
            char name[256];
            size_t len = (size_t)(p - s);
            if (len >= 2 && len - 2 < sizeof(name)) {
                memcpy(name, s + 1, len - 2);
                name[len - 2] = 0;
                if (dp_kg_model_column(m, name) && (s == expr || s[-1] != '.')) {
                    dp_buf_printf(&b, "%s.", alias);
                    if (sources)
                        json_array_append_new(sources, json_sprintf("%s.%s", m->name, name));
                }
            }
            dp_buf_add(&b, s, len);
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char word[256];
            size_t len = (size_t)(p - s);
            if (len >= sizeof(word)) {
                dp_buf_add(&b, s, len);
                continue;
            }
            memcpy(word, s, len);
            word[len] = 0;
            const char *q = p;
            while (*q == ' ')
                q++;
            int is_kw = 0;
            for (int i = 0; kw[i] && !is_kw; i++)
                is_kw = !strcasecmp(word, kw[i]);
            int qualified = s > expr && s[-1] == '.';
            const dp_column *col = dp_kg_model_column(m, word);
            if (!is_kw && !qualified && *q != '(' && *q != '.' && col) {
                dp_buf_printf(&b, "%s.%s", alias, dp_comp__qi(c, col->name));
                if (sources)
                    json_array_append_new(sources, json_sprintf("%s.%s", m->name, col->name));
            } else {
                dp_buf_add(&b, s, len);
            }
            continue;
        }
        dp_buf_add(&b, p, 1);
        p++;
    }
    if (b.toobig && !c->cut) /* callers take the text as it is: dp_compile refuses it */
        c->cut = dp_arena_printf(c->a, "%.60s...", expr);
    const char *out = dp_comp__pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
    dp_buf_dispose(&b);
    return out;
}

const char *dp_comp__joined_value(comp *c, const cte *t, const dp_model *home, const char *ref)
{
    if (!ref || home == t->model)
        return ref;
    char pref[300];
    snprintf(pref, sizeof(pref), "%s.", dp_comp__qi(c, home->name));
    if (strstr(ref, pref))
        return ref; /* it reads the joined row: NULL when none joined */
    const dp_entity *key = NULL;
    for (size_t i = 0; i < home->nentities && !key; i++)
        if (home->entities[i].type != DP_ENT_FOREIGN && !home->entities[i].off.reason)
            key = &home->entities[i];
    if (!key)
        return ref;
    return dp_arena_printf(c->a, "CASE WHEN %s IS NOT NULL THEN %s END",
                           dp_comp__qualify(c, key->expr, dp_comp__qi(c, home->name), home, NULL), ref);
}

const dp_model *dp_comp__dim_home(comp *c, const dp_model *from, const char *arg, const dp_dimension **dim)
{
    /* 'e1__e2__dim' (MetricFlow's path of entities): the dimension of the
     * last entity; the path starts at the first (dp_comp__path_start) */
    const char *sep = NULL, *prev = arg;
    for (const char *q = strstr(arg, "__"); q; q = strstr(q + 2, "__")) {
        if (sep)
            prev = sep + 2;
        sep = q;
    }
    const char *name = sep ? sep + 2 : arg;
    char ent[128] = "";
    if (sep && (size_t)(sep - prev) < sizeof(ent))
        snprintf(ent, sizeof(ent), "%.*s", (int)(sep - prev), prev);
    const dp_model *home = NULL;
    /* primary_entity names the rows of a dataset with no key column */
    int own = ent[0] && from->primary_entity && !strcmp(from->primary_entity, ent);
    if (!ent[0] || own || dp_kg_model_entity(from, ent)) {
        const dp_entity *e = ent[0] ? dp_kg_model_entity(from, ent) : NULL;
        if (dp_kg_model_dim(from, name) && (own || !e || e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE || !ent[0]))
            home = from;
    }
    if (!home && ent[0]) {
        /* every dataset where the entity is the key: several may share it,
         * each with its own dimensions */
        size_t n = 0;
        const dp_model *only = NULL;
        const dp_model *const *hs = dp_kg_entity_homes(c->kg, ent, &n);
        if (!hs && (only = dp_kg_entity_home(c->kg, ent))) {
            hs = &only;
            n = 1;
        }
        for (size_t i = 0; hs && i < n && !home; i++)
            if (dp_kg_model_dim(hs[i], name))
                home = hs[i];
        /* a dataset named by its primary_entity (no key column) */
        for (size_t i = 0; !home && i < c->kg->nmodels; i++) {
            const dp_model *m = &c->kg->models[i];
            if (m->primary_entity && !strcmp(m->primary_entity, ent) && dp_kg_model_dim(m, name))
                home = m;
        }
    }
    if (!home && ent[0]) {
        /* an SCD type 2 dataset where the entity is natural (joined on the
         * validity period too) */
        size_t n = 0;
        const dp_model *const *ms = dp_kg_models_with_entity(c->kg, ent, &n);
        for (size_t i = 0; ms && i < n && !home; i++) {
            const dp_entity *e = dp_kg_model_entity(ms[i], ent);
            if (e && e->type == DP_ENT_NATURAL && dp_kg_model_validity(ms[i], NULL, NULL) && dp_kg_model_dim(ms[i], name))
                home = ms[i];
        }
    }
    if (home && dim)
        *dim = dp_kg_model_dim(home, name);
    return home;
}

const dp_model *dp_comp__path_start(comp *c, const dp_model *from, const char *arg)
{
    const char *sep = strstr(arg, "__");
    char ent[128];
    if (!sep || (size_t)(sep - arg) >= sizeof(ent))
        return NULL;
    snprintf(ent, sizeof(ent), "%.*s", (int)(sep - arg), arg);
    const dp_entity *e = dp_kg_model_entity(from, ent);
    if (e && (e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE))
        return NULL; /* from's own key: the path starts here */
    return dp_kg_entity_home(c->kg, ent);
}

/* {{ Dimension('entity__dim') }}, {{ TimeDimension('entity__dim', 'grain') }},
 * {{ Entity('entity') }} -> column references in the scope of cte t. */
const char *dp_comp__render_filter(comp *c, cte *t, const char *text)
{
    if (!text)
        return NULL;
    dp_buf b;
    dp_buf_init(&b, 1 << 20);
    const char *p = text;
    const char *result = NULL;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            dp_buf_puts(&b, p);
            break;
        }
        dp_buf_add(&b, p, (size_t)(open - p));
        const char *close = strstr(open, "}}");
        if (!close) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': unclosed {{", text);
            goto done;
        }
        char inner[512];
        size_t len = (size_t)(close - open - 2);
        if (len >= sizeof(inner)) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': template too long", text);
            goto done;
        }
        memcpy(inner, open + 2, len);
        inner[len] = 0;
        char fn[32] = "", arg[256] = "", arg2[64] = "";
        const char *q1 = strpbrk(inner, "'\"");
        const char *q2 = q1 ? strchr(q1 + 1, *q1) : NULL;
        const char *paren = strchr(inner, '(');
        if (!paren || !q1 || !q2 || (size_t)(q2 - q1 - 1) >= sizeof(arg)) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': cannot read template '%s'", text, inner);
            goto done;
        }
        const char *fs = inner;
        while (*fs == ' ')
            fs++;
        snprintf(fn, sizeof(fn), "%.*s", (int)(paren - fs), fs);
        for (char *z = fn + strlen(fn); z > fn && z[-1] == ' '; z--)
            z[-1] = 0;
        snprintf(arg, sizeof(arg), "%.*s", (int)(q2 - q1 - 1), q1 + 1);
        const char *q3 = strpbrk(q2 + 1, "'\"");
        const char *q4 = q3 ? strchr(q3 + 1, *q3) : NULL;
        if (q3 && q4 && (size_t)(q4 - q3 - 1) < sizeof(arg2))
            snprintf(arg2, sizeof(arg2), "%.*s", (int)(q4 - q3 - 1), q3 + 1);
        const char *ref = NULL;
        if (!strcmp(fn, "Entity")) {
            const dp_entity *e = dp_kg_model_entity(t->model, arg);
            if (e)
                ref = dp_comp__qualify(c, e->expr, dp_comp__qi(c, t->model->name), t->model, NULL);
        } else if (!strcmp(fn, "Metric")) {
            /* a metric per entity, joined to the rows (compile_metric_filter.c) */
            if (!(ref = dp_comp__metric_filter_ref(c, t, arg, inner)))
                goto done;
        } else if ((!strcmp(fn, "Dimension") || !strcmp(fn, "TimeDimension")) && !strncmp(arg, "metric_time", 11) &&
                   (!arg[11] || !strncmp(arg + 11, "__", 2))) {
            /* MetricFlow's metric_time (metric_time__month: at that grain):
             * the time dimension of the rows */
            dp_grain g;
            if (strstr(inner, "date_part")) {
                dp_error_set(c->err, DP_ECLARIFY, "filter '%s': date_part of metric_time is not supported yet", text);
                goto done;
            }
            if (!arg2[0] && arg[11])
                snprintf(arg2, sizeof(arg2), "%s", arg + 13);
            if (arg2[0] && dp_grain_parse(arg2, &g)) {
                dp_error_set(c->err, DP_ECLARIFY, "filter '%s': '%s' is not day, week, month, quarter or year", text, arg2);
                goto done;
            }
            const dp_measure *adding = t->n < MAX_MCOLS ? t->cols[t->n].me : NULL;
            const char *td = t->time_dim ? t->time_dim : adding ? adding->agg_time_dimension : NULL;
            for (size_t i = 0; !td && i < t->n; i++)
                td = t->cols[i].me->agg_time_dimension;
            const dp_dimension *dd = td ? dp_kg_model_dim(t->model, td) : NULL;
            if (!dd) {
                dp_error_set(c->err, DP_ECLARIFY, "filter '%s': dataset %s has no time dimension for metric_time", text,
                             t->model->name);
                goto done;
            }
            ref = dp_comp__qualify(c, dd->expr, dp_comp__qi(c, t->model->name), t->model, c->lineage_sources);
            if (arg2[0])
                ref = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", arg2, ref);
        } else if (!strcmp(fn, "Dimension") || !strcmp(fn, "TimeDimension")) {
            const dp_dimension *dd = NULL;
            const dp_model *home = NULL;
            dp_grain gr;
            char *g2 = strrchr(arg, '_');
            /* 'entity__dim__month': the grain written as a suffix */
            if (!dp_comp__dim_home(c, t->model, arg, NULL) && g2 && g2 > arg + 1 && g2[-1] == '_' &&
                !dp_grain_parse(g2 + 1, &gr) && !arg2[0]) {
                snprintf(arg2, sizeof(arg2), "%s", g2 + 1);
                g2[-1] = 0;
            }
            home = dp_comp__dim_home(c, t->model, arg, &dd);
            if (home) {
                /* the entity names the route, unless the dimension's dataset
                 * carries the entity itself (its key, or an SCD's natural key) */
                const char *sep2 = strstr(arg, "__");
                char e0[128] = "";
                if (sep2 && (size_t)(sep2 - arg) < sizeof(e0))
                    snprintf(e0, sizeof(e0), "%.*s", (int)(sep2 - arg), arg);
                const dp_model *via = home != t->model && !(e0[0] && dp_kg_model_entity(home, e0))
                                          ? dp_comp__path_start(c, t->model, arg) : NULL;
                if (dp_comp__cte_join_via(c, t, via, home))
                    goto done;
                ref = dp_comp__joined_value(c, t, home,
                                            dp_comp__qualify(c, dd->expr, dp_comp__qi(c, home->name), home, c->lineage_sources));
                if (arg2[0] && dd->type == DP_DIM_TIME) {
                    if (dp_grain_parse(arg2, &gr)) {
                        dp_error_set(c->err, DP_EINVALID, "filter '%s': '%s' is not a time grain", text, arg2);
                        goto done;
                    }
                    ref = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", dp_grain_name(gr), ref);
                }
            }
        }
        if (!ref) {
            dp_error_set(c->err, DP_EINVALID, "filter '%s': %s('%s') names nothing the dataset %s can reach", text, fn,
                         arg, t->model->name);
            goto done;
        }
        dp_buf_puts(&b, ref);
        p = close + 2;
    }
    if (b.toobig) {
        dp_error_set(c->err, DP_ELIMIT, "filter '%.60s...' expands to more than %zu bytes of SQL", text, b.max);
        goto done;
    }
    result = dp_comp__pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
    for (size_t n = strlen(result); n && strchr(" \t\r\n", result[n - 1]); n--) /* a YAML block's last newline */
        ((char *)result)[n - 1] = 0;
done:
    dp_buf_dispose(&b);
    return result;
}

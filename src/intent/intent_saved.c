/* A dbt saved query as the run's intent: its metrics, the grain of
 * TimeDimension('metric_time', grain), its Dimension('entity__dim') and
 * Entity('entity') group-bys, its where filters (rendered by the compiler),
 * order_by and limit. Nothing is read from words, so nothing is guessed:
 * a name the catalog lacks, or a form dpgen cannot compile yet, is refused
 * with the saved query's file:line. */
#include "intent/intent.h"
#include "intent/timeparse.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One group_by or order_by entry: Fn('arg', 'arg2'), with or without
 * {{ }}, or a bare name ("metric_time__month", "entity__dim"). */
typedef struct item {
    char fn[32], arg[256], arg2[64];
    int descending;
} item;

static int read_item(const char *s, item *it)
{
    memset(it, 0, sizeof(*it));
    while (*s == ' ' || *s == '{')
        s++;
    const char *paren = strchr(s, '(');
    if (!paren) { /* a bare name */
        size_t n = strcspn(s, " }");
        if (!n || n >= sizeof(it->arg))
            return -1;
        snprintf(it->fn, sizeof(it->fn), "Name");
        snprintf(it->arg, sizeof(it->arg), "%.*s", (int)n, s);
        return 0;
    }
    if ((size_t)(paren - s) >= sizeof(it->fn))
        return -1;
    snprintf(it->fn, sizeof(it->fn), "%.*s", (int)(paren - s), s);
    const char *q1 = strpbrk(paren, "'\"");
    const char *q2 = q1 ? strchr(q1 + 1, *q1) : NULL;
    if (!q2 || (size_t)(q2 - q1 - 1) >= sizeof(it->arg))
        return -1;
    snprintf(it->arg, sizeof(it->arg), "%.*s", (int)(q2 - q1 - 1), q1 + 1);
    const char *close = strchr(q2, ')');
    const char *q3 = strpbrk(q2 + 1, "'\"");
    if (q3 && (!close || q3 < close)) {
        const char *q4 = strchr(q3 + 1, *q3);
        if (!q4 || (size_t)(q4 - q3 - 1) >= sizeof(it->arg2))
            return -1;
        snprintf(it->arg2, sizeof(it->arg2), "%.*s", (int)(q4 - q3 - 1), q3 + 1);
    }
    /* after the call: .grain('month') or .descending(True); anything else
     * (.date_part('year'), ...) would be read as something it is not */
    for (const char *p = close ? close + 1 : q2 + 1; *p && *p != '}';) {
        if (*p == ' ') {
            p++;
        } else if (!strncmp(p, ".grain(", 7) && (q3 = strpbrk(p, "'\"")) && strchr(q3 + 1, *q3)) {
            const char *q4 = strchr(q3 + 1, *q3);
            if ((size_t)(q4 - q3 - 1) >= sizeof(it->arg2))
                return -1;
            snprintf(it->arg2, sizeof(it->arg2), "%.*s", (int)(q4 - q3 - 1), q3 + 1);
            p = strchr(q4, ')') ? strchr(q4, ')') + 1 : q4 + 1;
        } else if (!strncmp(p, ".descending(", 12)) {
            it->descending = !strncmp(p + 12, "True", 4) || !strncmp(p + 12, "true", 4);
            p = strchr(p, ')') ? strchr(p, ')') + 1 : p + 12;
        } else {
            return -1;
        }
    }
    return 0;
}

static int refuse(dp_error *err, const dp_saved_query *q, const char *fmt, const char *a1, const char *a2)
{
    char what[600];
    snprintf(what, sizeof(what), fmt, a1, a2 ? a2 : "");
    return dp_error_set(err, DP_ECLARIFY, "saved query '%s' (%s:%d): %s", q->name, q->pos.file ? q->pos.file : "?",
                        q->pos.line, what);
}

/* "metric_time__month" -> the grain; -1 when s is no metric_time. */
static int metric_time_grain(const char *s, const char *grain_arg, dp_grain *g)
{
    if (strncmp(s, "metric_time", 11) || (s[11] && strncmp(s + 11, "__", 2)))
        return -1;
    const char *gs = grain_arg && *grain_arg ? grain_arg : s[11] ? s + 13 : "day";
    return dp_grain_parse(gs, g) ? 1 : 0;
}

/* The dataset of dimension dim reached by entity ent: where ent is primary
 * or unique, else an SCD type 2 dataset where it is natural (MetricFlow's
 * entity__dim). */
static const dp_model *dim_of_entity(const dp_kg *kg, const char *ent, const char *dim, const dp_dimension **out)
{
    size_t n = 0;
    const dp_model *const *ms = dp_kg_models_with_entity(kg, ent, &n);
    const dp_model *scd = NULL;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; ms && i < n; i++) {
            const dp_entity *e = dp_kg_model_entity(ms[i], ent);
            const dp_dimension *d = dp_kg_model_dim(ms[i], dim);
            if (!e || !d)
                continue;
            if (!pass && (e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE)) {
                *out = d;
                return ms[i];
            }
            if (pass && !scd && e->type == DP_ENT_NATURAL && dp_kg_model_validity(ms[i], NULL, NULL)) {
                *out = d;
                scd = ms[i];
            }
        }
    return scd;
}

static int add_group(dp_intent *in, const dp_kg *kg, dp_arena *a, const dp_saved_query *q, const char *text,
                     dp_error *err)
{
    item it;
    if (read_item(text, &it))
        return refuse(err, q, "cannot read group_by '%s'", text, NULL);
    int time_fn = !strcmp(it.fn, "TimeDimension");
    if (time_fn || !strcmp(it.fn, "Dimension") || !strcmp(it.fn, "Name")) {
        dp_grain g = DP_GRAIN_NONE;
        int mt = metric_time_grain(it.arg, it.arg2, &g);
        if (mt == 1)
            return refuse(err, q, "group_by '%s': the grain '%s' is not day, week, month, quarter or year", text,
                          it.arg2[0] ? it.arg2 : it.arg);
        if (mt == 0) {
            if (in->grain != DP_GRAIN_NONE && in->grain != g)
                return refuse(err, q, "group_by '%s': metric_time is already grouped by %s", text,
                              dp_grain_name(in->grain));
            in->grain = g;
            return 0;
        }
        const char *sep = NULL;
        for (const char *p = strstr(it.arg, "__"); p; p = strstr(p + 2, "__"))
            sep = p;
        if (!strcmp(it.fn, "Name") && !sep && dp_kg_models_with_entity(kg, it.arg, &(size_t){0}) &&
            dp_kg_entity_home(kg, it.arg))
            goto entity; /* a bare entity name */
        if (!sep)
            return refuse(err, q, "group_by '%s': a dimension is named entity__dimension", text, NULL);
        char ent[128];
        const char *start = sep - 1;
        while (start > it.arg && !(start[0] == '_' && start[-1] == '_'))
            start--;
        if (start > it.arg)
            start++;
        if ((size_t)(sep - start) >= sizeof(ent))
            return refuse(err, q, "group_by '%s': entity name too long", text, NULL);
        snprintf(ent, sizeof(ent), "%.*s", (int)(sep - start), start);
        const dp_dimension *d = NULL;
        const dp_model *m = dim_of_entity(kg, ent, sep + 2, &d);
        if (!m)
            return refuse(err, q, "group_by '%s': no dataset of entity '%s' has that dimension", text, ent);
        if (time_fn || it.arg2[0]) {
            /* a time dimension at its own granularity is its value, as
             * MetricFlow renders it; another grain would need date_trunc */
            dp_grain want = d->granularity ? d->granularity : DP_GRAIN_DAY;
            if (d->type != DP_DIM_TIME)
                return refuse(err, q, "group_by '%s': %s is not a time dimension", text, d->name);
            if (it.arg2[0] && (dp_grain_parse(it.arg2, &g) || g != want))
                return refuse(err, q,
                              "group_by '%s': a time dimension other than metric_time is compiled at its own "
                              "granularity (%s) only yet",
                              text, dp_grain_name(want));
        }
        if (in->ngroups >= DP_INTENT_MAX_ITEMS)
            return refuse(err, q, "more than %s group_by entries", "32", NULL);
        dp_target *t = &in->groups[in->ngroups++];
        t->dims[0] = d;
        t->dim_models[0] = m;
        t->ndims = 1;
        t->phrase = dp_arena_strdup(a, it.arg);
        return 0;
    }
    if (strcmp(it.fn, "Entity"))
        return refuse(err, q, "group_by '%s': expected TimeDimension(...), Dimension(...) or Entity(...)", text, NULL);
entity:;
    size_t n = 0;
    dp_kg_models_with_entity(kg, it.arg, &n);
    if (!n)
        return refuse(err, q, "group_by '%s': the catalog has no entity '%s'", text, it.arg);
    if (in->ngroups >= DP_INTENT_MAX_ITEMS)
        return refuse(err, q, "more than %s group_by entries", "32", NULL);
    dp_target *t = &in->groups[in->ngroups++];
    t->is_entity = 1;
    t->entity = dp_arena_strdup(a, it.arg);
    t->phrase = t->entity;
    return 0;
}

static int add_order(dp_intent *in, const dp_saved_query *q, const char *text, dp_error *err)
{
    item it;
    if (read_item(text, &it))
        return refuse(err, q, "cannot read order_by '%s'", text, NULL);
    if (!strcmp(it.fn, "Metric")) {
        for (size_t i = 0; i < in->nmetrics; i++)
            if (!strcmp(in->metrics[i]->name, it.arg)) {
                if (in->order_metric && in->order_metric != in->metrics[i])
                    return refuse(err, q, "order_by '%s': ordering by a second metric is not supported yet", text, NULL);
                in->order_metric = in->metrics[i];
                in->order_desc = it.descending;
                in->ordered = 1;
                return 0;
            }
        return refuse(err, q, "order_by '%s': metric '%s' is not one of the saved query's metrics", text, it.arg);
    }
    /* keys ascending are the order every report has; anything else would
     * be silently another order */
    if (it.descending || q->limit)
        return refuse(err, q, "order_by '%s': ordering by a grouping %s is not supported yet", text,
                      it.descending ? "in descending order" : "with a limit");
    return 0;
}

/* Up to 8 names of kg's saved queries close to name ("a, b"), else all. */
static const char *close_names(const dp_kg *kg, dp_arena *a, const char *name)
{
    const char *acc = "";
    size_t k = 0;
    for (int pass = 0; pass < 2 && !k; pass++)
        for (size_t i = 0; i < kg->nsaved && k < 8; i++) {
            const char *s = kg->saved[i].name;
            size_t common = 0;
            while (s[common] && name[common] && tolower((unsigned char)s[common]) == tolower((unsigned char)name[common]))
                common++;
            if (pass || common >= 3 || strstr(s, name) || strstr(name, s)) {
                acc = dp_arena_printf(a, "%s%s%s", acc, k ? ", " : "", s);
                k++;
            }
        }
    return k ? acc : NULL;
}

int dp_intent_from_saved(dp_intent *in, const dp_kg *kg, dp_arena *a, const char *name, const char *as_of,
                         dp_error *err)
{
    memset(in, 0, sizeof(*in));
    in->order_desc = 1;
    const dp_saved_query *q = NULL;
    for (size_t i = 0; i < kg->nsaved && !q; i++)
        if (!strcmp(kg->saved[i].name, name))
            q = &kg->saved[i];
    if (!q) {
        const char *near = close_names(kg, a, name);
        return dp_error_set(err, DP_ENOTFOUND, "the catalog has no saved query '%s'%s%s%s", name,
                            near ? " (it has: " : kg->nsaved ? "" : " (it has none)", near ? near : "", near ? ")" : "");
    }
    if (q->off.reason)
        return refuse(err, q, "it is disabled: %s", q->off.reason, NULL);
    dp_date d;
    if (as_of) {
        if (dp_date_parse(as_of, &d))
            return dp_error_set(err, DP_EINVALID, "as-of date '%s' is not YYYY-MM-DD", as_of);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        if (!gmtime_r(&now, &tm))
            return dp_error_set(err, DP_ERROR, "cannot read the clock");
        d = (dp_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    }
    char asb[11];
    dp_date_format(d, asb);
    in->as_of = dp_arena_strdup(a, asb);
    in->saved = q;
    in->request = dp_arena_printf(a, "saved query %s", q->name);
    in->confidence = 1.0;
    int rc;
    for (size_t i = 0; i < q->nmetrics; i++) {
        const dp_metric *m = dp_kg_metric(kg, q->metrics[i]);
        if (!m && dp_kg_measure(kg, q->metrics[i]))
            return refuse(err, q, "'%s' is a measure, not a metric: add create_metric: true to it, or define a "
                          "simple metric on it%s", q->metrics[i], "");
        if (!m)
            return refuse(err, q, "the catalog has no metric '%s'%s", q->metrics[i], "");
        if (m->off.reason)
            return refuse(err, q, "metric '%s' is disabled: %s", m->name, m->off.reason);
        if (in->nmetrics >= DP_INTENT_MAX_ITEMS)
            return refuse(err, q, "more than %s metrics", "32", NULL);
        in->metrics[in->nmetrics++] = m;
    }
    for (size_t i = 0; i < q->ngroup_by; i++)
        if ((rc = add_group(in, kg, a, q, q->group_by[i], err)))
            return rc;
    for (size_t i = 0; i < q->nwhere; i++) {
        if (in->nwhere >= DP_INTENT_MAX_WHERE)
            return refuse(err, q, "more than %s where filters", "16", NULL);
        in->where[in->nwhere++] = q->where[i];
    }
    for (size_t i = 0; i < q->norder_by; i++)
        if ((rc = add_order(in, q, q->order_by[i], err)))
            return rc;
    if (q->limit) {
        if (!in->order_metric)
            return refuse(err, q, "a limit of %s rows needs an order_by on one of its metrics (else which rows is "
                          "arbitrary)", dp_arena_printf(a, "%ld", q->limit), NULL);
        in->limit = q->limit;
        in->ordered = 0;
    }
    return 0;
}

void dp_intent_saved_product(const dp_saved_query *q, dp_arena *a, const char **name, const char **table)
{
    const char *want = q->name, *schema = NULL;
    if (q->nexports) { /* the config arrays may be absent (a loader that fills only names) */
        want = q->export_alias && q->export_alias[0] ? q->export_alias[0] : q->exports[0];
        schema = q->export_schema ? q->export_schema[0] : NULL;
    }
    char buf[64];
    size_t k = 0;
    for (const char *p = want; *p && k < sizeof(buf) - 1; p++)
        buf[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    buf[k] = 0;
    if (!k || isdigit((unsigned char)buf[0]))
        snprintf(buf, sizeof(buf), "saved_query");
    *name = dp_arena_strdup(a, buf);
    *table = dp_arena_printf(a, "%s.%s", schema ? schema : "gold", *name);
}

json_t *dp_intent__saved_json(const dp_intent *in)
{
    const dp_saved_query *q = in->saved;
    json_t *ex = json_array(), *wh = json_array();
    for (size_t i = 0; i < q->nexports; i++)
        json_array_append_new(ex, json_pack("{s:s,s:s,s:s?,s:s?}", "name", q->exports[i], "export_as",
                                            q->export_as && q->export_as[i] ? q->export_as[i] : "table", "schema",
                                            q->export_schema ? q->export_schema[i] : NULL, "alias",
                                            q->export_alias ? q->export_alias[i] : NULL));
    for (size_t i = 0; i < q->nwhere; i++)
        json_array_append_new(wh, json_string(q->where[i]));
    return json_pack("{s:s,s:s?,s:s?,s:s,s:i,s:o,s:o}", "name", q->name, "label", q->label, "description",
                     q->description, "file", q->pos.file ? q->pos.file : "", "line", q->pos.line, "where", wh,
                     "exports", ex);
}

/* Does text start with phrase (case folded; '_' and '-' in phrase read as
 * a blank, blanks collapsed, unless exact: then as written)? The length of
 * text it covers, else 0. */
static size_t says_name(const char *text, const char *phrase, int exact)
{
    if (exact) {
        size_t n = strlen(phrase);
        return !strncasecmp(text, phrase, n) && !isalnum((unsigned char)text[n]) && text[n] != '_' ? n : 0;
    }
    const char *t = text, *q = phrase;
    while (*q) {
        int qs = *q == ' ' || *q == '_' || *q == '-';
        int ts = *t == ' ' || *t == '_' || *t == '-';
        if (qs && ts) {
            while (*q == ' ' || *q == '_' || *q == '-')
                q++;
            while (*t == ' ' || *t == '_' || *t == '-')
                t++;
            continue;
        }
        if (!*t || tolower((unsigned char)*t) != tolower((unsigned char)*q))
            return 0;
        t++;
        q++;
    }
    return isalnum((unsigned char)*t) || *t == '_' ? 0 : (size_t)(t - text);
}

int dp_intent_saved_in_words(dp_intent *in, const dp_kg *kg, dp_arena *a, const char *text, int labels,
                             const char *as_of, dp_error *err)
{
    static const char *const lead[] = {"run the ",     "run ",     "show me the ", "show me ",     "show the ", "show ",
                                       "give me the ", "give me ", "the ",         "saved query ", NULL};
    if (!kg->nsaved || !text)
        return 0;
    const char *s = text + strspn(text, " \t");
    for (int again = 1; again;) {
        again = 0;
        for (size_t k = 0; lead[k]; k++)
            if (!strncasecmp(s, lead[k], strlen(lead[k]))) {
                s += strlen(lead[k]);
                again = 1;
            }
    }
    const dp_saved_query *q = NULL;
    size_t used = 0;
    for (size_t i = 0; i < kg->nsaved; i++) {
        /* the name as the identifier it is ("visits by tier" is words, not
         * visits_by_tier), the label as its words */
        size_t n = says_name(s, kg->saved[i].name, 1);
        size_t l = labels && kg->saved[i].label ? says_name(s, kg->saved[i].label, 0) : 0;
        if ((n > used || l > used) && !kg->saved[i].off.reason) {
            q = &kg->saved[i];
            used = n > l ? n : l;
        }
    }
    if (!q)
        return 0;
    /* what follows: nothing, "saved query", or one period ("for Q2 2025") */
    const char *rest = s + used;
    rest += strspn(rest, " \t");
    if (!strncasecmp(rest, "saved query", 11))
        rest += 11;
    rest += strspn(rest, " \t.,");
    dp_date d0, d1;
    int ranged = 0;
    if (*rest) {
        dp_stemmer *st = dp_stemmer_new();
        dp_tok *t = NULL;
        size_t nt = 0;
        dp_date asof = {0, 0, 0};
        time_t now = time(NULL);
        struct tm tm;
        if (!as_of && gmtime_r(&now, &tm))
            asof = (dp_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
        int ok = st && !dp_tokenize(&t, &nt, a, st, rest) && (as_of ? !dp_date_parse(as_of, &asof) : asof.y > 0);
        if (st)
            dp_stemmer_free(st);
        while (ok && nt && t[nt - 1].punct)
            nt--;
        if (!ok || !nt || dp_time_range_at(t, nt, 0, asof, &d0, &d1) != nt)
            return 0; /* other words: read as a request */
        ranged = 1;
    }
    int rc = dp_intent_from_saved(in, kg, a, q->name, as_of, err);
    if (rc)
        return rc;
    if (ranged) {
        char b0[11], b1[11];
        dp_date_format(d0, b0);
        dp_date_format(d1, b1);
        in->range_start = dp_arena_strdup(a, b0);
        in->range_end = dp_arena_strdup(a, b1);
        in->range_text = dp_arena_strdup(a, rest);
    }
    in->request = dp_arena_strdup(a, text);
    return 1;
}

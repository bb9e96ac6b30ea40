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
    const char *out = dp_comp__pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
    dp_buf_dispose(&b);
    return out;
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
    if (!ent[0] || dp_kg_model_entity(from, ent)) {
        const dp_entity *e = ent[0] ? dp_kg_model_entity(from, ent) : NULL;
        if (dp_kg_model_dim(from, name) && (!e || e->type == DP_ENT_PRIMARY || e->type == DP_ENT_UNIQUE || !ent[0]))
            home = from;
    }
    if (!home && ent[0]) {
        const dp_model *h = dp_kg_entity_home(c->kg, ent);
        if (h && dp_kg_model_dim(h, name))
            home = h;
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
        } else if (!strcmp(fn, "Dimension") || !strcmp(fn, "TimeDimension")) {
            const dp_dimension *dd = NULL;
            const dp_model *home = dp_comp__dim_home(c, t->model, arg, &dd);
            if (home) {
                if (dp_comp__cte_join_via(c, t, home != t->model ? dp_comp__path_start(c, t->model, arg) : NULL, home))
                    goto done;
                ref = dp_comp__qualify(c, dd->expr, dp_comp__qi(c, home->name), home, c->lineage_sources);
                if (!strcmp(fn, "TimeDimension") && arg2[0])
                    ref = dp_arena_printf(c->a, "CAST(date_trunc('%s', %s) AS DATE)", arg2, ref);
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
    result = dp_comp__pg_functions(c, dp_arena_strdup(c->a, dp_buf_cstr(&b)));
done:
    dp_buf_dispose(&b);
    return result;
}

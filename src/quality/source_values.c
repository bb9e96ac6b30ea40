/* The keys of a source table, read once per data fingerprint: a rule on the
 * test result that asks "is this key in that table" is then evaluated in C
 * against them (rule_eval.c) instead of reading the table on every run. */
#include "quality/quality_int.h"
#include "catalog/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct list_ctx {
    json_t *vals;
    char type[64];
    int bad; /* two types, a NULL, or too many */
} list_ctx;

static int add_value(void *p, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    list_ctx *c = p;
    if (ncols != 2 || !vals[0] || !vals[1] || json_array_size(c->vals) >= DP_SOURCE_LIST_MAX ||
        (*c->type && strcmp(c->type, vals[0])) || strlen(vals[0]) >= sizeof(c->type)) {
        c->bad = 1;
        return 1;
    }
    snprintf(c->type, sizeof(c->type), "%s", vals[0]);
    json_array_append_new(c->vals, json_string(vals[1]));
    return 0;
}

/* The values of doc {type, values} into the arena; their number, or -1
 * (none copied) when there are more than max. */
static long unpack(dp_run *r, json_t *doc, long max, const char ***vals, const char **type)
{
    json_t *arr = json_object_get(doc, "values");
    const char *t = json_string_value(json_object_get(doc, "type"));
    size_t n = json_array_size(arr);
    if (!json_is_array(arr) || !t || n > (size_t)max)
        return -1;
    const char **v = dp_arena_calloc(r->a, n ? n : 1, sizeof(*v));
    if (!v || !(*type = dp_arena_strdup(r->a, t)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        if (!s || !(v[i] = dp_arena_strdup(r->a, s)))
            return -1;
    }
    *vals = v;
    return (long)n;
}

long dp_quality__source_values(dp_run *r, const char *schema, const char *table, const char *column, long max,
                               const char ***vals, const char **type)
{
    char qs[300], qt[300], qc[300];
    if (!r->cat->state || !dp_sql_quote_ident(schema, qs, sizeof(qs)) || !dp_sql_quote_ident(table, qt, sizeof(qt)) ||
        !dp_sql_quote_ident(column, qc, sizeof(qc)))
        return -1;
    const char *sub =
        dp_arena_printf(r->a, "SELECT DISTINCT e.%s AS x FROM %s.%s AS e WHERE e.%s IS NOT NULL", qc, qs, qt, qc);
    const char *key = dp_quality__cache_key(r, dp_arena_printf(r->a, "source values|%s", sub));
    json_t *doc = dp_quality__kept_check(r, key);
    if (doc) {
        long n = unpack(r, doc, max, vals, type); /* -1 too when recorded as too many */
        json_decref(doc);
        return n;
    }
    list_ctx c = {json_array(), "", 0};
    dp_error err = {0};
    /* sorted as text: the order is the same on every read, so is the record */
    const char *sql =
        dp_arena_printf(r->a, "SELECT typeof(x), CAST(x AS VARCHAR) AS v FROM (%s) AS s ORDER BY v LIMIT %d", sub,
                        DP_SOURCE_LIST_MAX + 1);
    int rc = dp_db_query(r->con, sql, dp_run_remaining_ms(r), add_value, &c, &err);
    if (rc) { /* the rule runs as SQL, and says what is wrong if anything is */
        json_decref(c.vals);
        return -1;
    }
    json_t *o = c.bad ? json_pack("{s:n}", "values")
                      : json_pack("{s:s,s:o}", "type", *c.type ? c.type : "VARCHAR", "values", c.vals);
    if (c.bad)
        json_decref(c.vals);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    dp_error ignore = {0};
    if (js)
        dp_state_check_put(r->cat->state, key, js, &ignore);
    free(js);
    long n = o ? unpack(r, o, max, vals, type) : -1;
    json_decref(o);
    return n;
}

/* Each quality rule of a spec as exactly one dbt test: a generic test where
 * one finds the rule's own failing rows (on the model, or on a source so it
 * runs before the model), else a singular test with the rule's SQL. */
#include "packaging/dbt_int.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_LEN 128

/* A relation as the retargeted SQL names it: {{ ref('x') }} or
 * {{ source('s', 't') }}. */
typedef struct rel {
    int is_ref;
    char schema[NAME_MAX_LEN], table[NAME_MAX_LEN];
} rel;

static const char *parse_rel(const char *p, rel *r)
{
    memset(r, 0, sizeof(*r));
    if (!strncmp(p, "{{ ref('", 8)) {
        const char *a = p + 8, *e = strstr(a, "') }}");
        if (!e || e - a >= NAME_MAX_LEN)
            return NULL;
        r->is_ref = 1;
        memcpy(r->table, a, (size_t)(e - a));
        return e + 5;
    }
    if (!strncmp(p, "{{ source('", 11)) {
        const char *a = p + 11, *m = strstr(a, "', '"), *e = m ? strstr(m + 4, "') }}") : NULL;
        if (!e || m - a >= NAME_MAX_LEN || e - m - 4 >= NAME_MAX_LEN)
            return NULL;
        memcpy(r->schema, a, (size_t)(m - a));
        memcpy(r->table, m + 4, (size_t)(e - m - 4));
        return e + 5;
    }
    return NULL;
}

/* An identifier dbt can name without quoting. */
static int plain_ident(const char *s)
{
    if (!*s || !(islower((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/* A double-quoted identifier at p whose name needs no quoting in dbt; its
 * end, or NULL. */
static const char *parse_ident(const char *p, char *out, size_t n)
{
    if (*p != '"')
        return NULL;
    const char *e = strchr(p + 1, '"');
    if (!e || e[1] == '"' || (size_t)(e - p - 1) >= n)
        return NULL;
    memcpy(out, p + 1, (size_t)(e - p - 1));
    out[e - p - 1] = 0;
    return plain_ident(out) ? e + 1 : NULL;
}

static const char *skip(const char *p, const char *lit)
{
    size_t n = strlen(lit);
    return p && !strncmp(p, lit, n) ? p + n : NULL;
}

/* {test: {name, arguments, config: {severity, meta: {dpgen_rule}}}} */
static json_t *test_obj(const char *test, json_t *args, const json_t *rule, const char *tname)
{
    const char *sev = strcmp(dp_export__str(rule, "severity"), "error") ? "warn" : "error";
    json_t *inner = json_pack("{s:s}", "name", tname);
    if (args)
        json_object_set_new(inner, "arguments", args);
    json_object_set_new(inner, "config",
                        json_pack("{s:s,s:{s:s}}", "severity", sev, "meta", "dpgen_rule", dp_export__str(rule, "id")));
    return json_pack("{s:o}", test, inner);
}

static void add_table(json_t *tables, const char *schema, const char *table)
{
    char qn[2 * NAME_MAX_LEN + 2];
    snprintf(qn, sizeof(qn), "%s.%s", schema, table);
    size_t i;
    json_t *t;
    json_array_foreach(tables, i, t)
        if (!strcmp(json_string_value(t), qn))
            return;
    json_array_append_new(tables, json_string(qn));
}

/* The data_tests list of a source table, or of one of its columns. */
static json_t *source_list(dp_dbt_placed *p, const rel *r, const char *column)
{
    char qn[2 * NAME_MAX_LEN + 2];
    snprintf(qn, sizeof(qn), "%s.%s", r->schema, r->table);
    add_table(p->tables, r->schema, r->table);
    json_t *s = json_object_get(p->source_tests, qn);
    if (!s) {
        s = json_pack("{s:[],s:{}}", "data_tests", "columns");
        json_object_set_new(p->source_tests, qn, s);
    }
    if (!column)
        return json_object_get(s, "data_tests");
    json_t *cols = json_object_get(s, "columns"), *l = json_object_get(cols, column);
    if (!l) {
        l = json_array();
        json_object_set_new(cols, column, l);
    }
    return l;
}

static json_t *column_list(dp_dbt_placed *p, const char *column)
{
    json_t *l = json_object_get(p->column_tests, column);
    if (!l) {
        l = json_array();
        json_object_set_new(p->column_tests, column, l);
    }
    return l;
}

static int model_has_column(const json_t *spec, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c) {
        if (!strcmp(dp_export__str(c, "name"), name))
            return 1;
    }
    return 0;
}

/* Appends a test (stolen) to a list: 1, or -1 when either is missing (out
 * of memory). */
static int append(json_t *list, json_t *t)
{
    if (!t || !list) {
        json_decref(t);
        return -1;
    }
    return json_array_append_new(list, t) ? -1 : 1;
}

/* Places the rule as a generic test when its retargeted SQL has one of the
 * shapes whose failing rows a generic test reproduces exactly:
 *   SELECT * FROM R WHERE cond          -> dbt_utils.expression_is_true
 *                                          with NOT (cond) (not_null when
 *                                          cond is "col" IS NULL on the model)
 *   SELECT cols, count(*) AS copies FROM R GROUP BY .. HAVING count(*) > 1
 *                                       -> dbt_utils.unique_combination_of_columns
 *                                          (NULL keys count, as in the rule)
 *   SELECT c.* FROM S AS c WHERE c.k IS NOT NULL AND NOT EXISTS
 *     (SELECT 1 FROM P AS p WHERE p.f = c.k) -> relationships to source(P)
 * Returns 1 when placed, 0 when a singular test is needed, -1 out of memory. */
static int place_generic(const json_t *spec, const json_t *rule, const char *sql, const char *tname, dp_dbt_placed *p)
{
    rel r, r2;
    const char *q;
    char c1[NAME_MAX_LEN], c2[NAME_MAX_LEN], c3[NAME_MAX_LEN];
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || isspace((unsigned char)sql[n - 1])))
        n--;
    if ((q = skip(sql, "SELECT * FROM ")) && (q = parse_rel(q, &r)) && (q = skip(q, " WHERE "))) {
        size_t cl = (size_t)(sql + n - q);
        char *cond = strndup(q, cl);
        if (!cond)
            return -1;
        if (strcasestr(cond, "select") || strstr(cond, "{{")) {
            free(cond); /* another relation read: the rule's own SQL */
            return 0;
        }
        const char *e = parse_ident(cond, c1, sizeof(c1));
        json_t *t;
        json_t *list;
        if (r.is_ref && e && !strcmp(e, " IS NULL") && model_has_column(spec, c1)) {
            t = test_obj("not_null", NULL, rule, tname);
            list = column_list(p, c1);
        } else {
            size_t el = cl + 8;
            char *expr = malloc(el);
            if (!expr) {
                free(cond);
                return -1;
            }
            snprintf(expr, el, "NOT (%s)", cond);
            t = test_obj("dbt_utils.expression_is_true", json_pack("{s:s}", "expression", expr), rule, tname);
            free(expr);
            list = r.is_ref ? p->model_tests : source_list(p, &r, NULL);
        }
        free(cond);
        return append(list, t);
    }
    if ((q = skip(sql, "SELECT ")) && !strncmp(sql + 7, "\"", 1)) {
        json_t *cols = json_array();
        while (q && (q = parse_ident(q, c1, sizeof(c1)))) {
            json_array_append_new(cols, json_string(c1));
            if (!strncmp(q, ", \"", 3))
                q += 2;
            else
                break;
        }
        if ((q = skip(q, ", count(*) AS copies FROM ")) && (q = parse_rel(q, &r)) && (q = skip(q, " GROUP BY "))) {
            /* GROUP BY ALL, or by the selected columns' positions */
            const char *h = strstr(q, " HAVING count(*) > 1");
            int by_ok =
                h && ((h - q == 3 && !strncmp(q, "ALL", 3)) || (h > q && strspn(q, "0123456789, ") >= (size_t)(h - q)));
            if (by_ok && h + 20 == sql + n && json_array_size(cols)) {
                json_t *t = test_obj("dbt_utils.unique_combination_of_columns",
                                     json_pack("{s:o}", "combination_of_columns", cols), rule, tname);
                json_t *list = r.is_ref ? p->model_tests : source_list(p, &r, NULL);
                return append(list, t);
            }
        }
        json_decref(cols);
        return 0;
    }
    if ((q = skip(sql, "SELECT c.* FROM ")) && (q = parse_rel(q, &r)) && !r.is_ref && (q = skip(q, " AS c WHERE c.")) &&
        (q = parse_ident(q, c1, sizeof(c1))) && (q = skip(q, " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ")) &&
        (q = parse_rel(q, &r2)) && !r2.is_ref && (q = skip(q, " AS p WHERE p.")) &&
        (q = parse_ident(q, c2, sizeof(c2))) && (q = skip(q, " = c.")) && (q = parse_ident(q, c3, sizeof(c3))) &&
        (q = skip(q, ")")) && q == sql + n && !strcmp(c1, c3)) {
        char to[2 * NAME_MAX_LEN + 32];
        snprintf(to, sizeof(to), "source('%s', '%s')", r2.schema, r2.table);
        add_table(p->tables, r2.schema, r2.table);
        json_t *t = test_obj("relationships", json_pack("{s:s,s:s}", "to", to, "field", c2), rule, tname);
        json_t *list = source_list(p, &r, c1);
        return append(list, t);
    }
    return 0;
}

static int singular_test(const char *dir, const json_t *rule, const char *sql, const char *rel_path, dp_error *err)
{
    if (!dir) /* placing only (the spec's dbt properties) */
        return 0;
    const json_t *res = json_object_get(rule, "result");
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_buf_printf(&b, "-- %s %s (%s, from %s): ", dp_export__str(rule, "id"), dp_export__str(rule, "type"),
                  dp_export__str(rule, "severity"), dp_export__str(rule, "source"));
    dp_export__comment(&b, dp_export__str(rule, "description"));
    dp_buf_puts(&b, "\n-- Returns the failing rows. dpgen's test run: ");
    dp_export__comment(&b, dp_export__str(res, "status"));
    if (json_is_integer(json_object_get(res, "failing_rows")))
        dp_buf_printf(&b, ", %lld failing row(s)", (long long)json_integer_value(json_object_get(res, "failing_rows")));
    dp_buf_printf(&b, ".\n{{ config(severity='%s', meta={'dpgen_rule': '",
                  !strcmp(dp_export__str(rule, "severity"), "error") ? "error" : "warn");
    dp_export__comment(&b, dp_export__str(rule, "id"));
    dp_buf_printf(&b, "'}) }}\n%s\n", sql);
    int rc = b.toobig ? dp_error_set(err, DP_ENOMEM, "out of memory")
                      : dp_export__write_file(dir, rel_path, dp_buf_cstr(&b), err);
    dp_buf_dispose(&b);
    return rc;
}

int dp_dbt__place_rules(dp_dbt_placed *out, const char *dir, const json_t *spec, const char *temp, dp_error *err)
{
    const char *name = dp_export__str(json_object_get(spec, "metadata"), "name");
    char ref[300];
    snprintf(ref, sizeof(ref), "{{ ref('%s') }}", name);
    out->model_tests = json_array();
    out->column_tests = json_object();
    out->source_tests = json_object();
    if (!out->tables)
        out->tables = json_array();
    if (!out->model_tests || !out->column_tests || !out->source_tests || !out->tables)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        const char *type = dp_export__str(rule, "type");
        if (!strcmp(type, "types"))
            continue; /* the enforced contract */
        char tname[PATH_MAX], id[32];
        snprintf(id, sizeof(id), "%s", dp_export__str(rule, "id"));
        for (char *c = id; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        snprintf(tname, sizeof(tname), "%s_%s_%s", name, id, type);
        dp_sql_target t = {temp, ref, name, 1, out->tables};
        char *sql = dp_packaging__sql_retarget(dp_export__str(rule, "sql"), &t);
        if (!sql)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        int placed = place_generic(spec, rule, sql, tname, out);
        int rc = 0;
        if (placed < 0) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        } else if (!placed) {
            char rel_path[PATH_MAX];
            snprintf(rel_path, sizeof(rel_path), "dbt/tests/%s.sql", tname);
            rc = singular_test(dir, rule, sql, rel_path, err);
        }
        free(sql);
        if (rc)
            return rc;
    }
    return 0;
}

void dp_dbt__placed_dispose(dp_dbt_placed *p)
{
    json_decref(p->model_tests);
    json_decref(p->column_tests);
    json_decref(p->source_tests);
    json_decref(p->tables);
    memset(p, 0, sizeof(*p));
}

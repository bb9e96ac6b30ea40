/* The columnLineage facet of the OpenLineage event: each target column from
 * the source columns the spec's lineage names, with how it is derived, and
 * the source columns that shape the whole product (grouping, joins,
 * filters, ordering). */
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "packaging/openlineage.h"
#include "util/error.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct lctx {
    const dp_ol_names *n;
    dp_error *err;
    int rc;
} lctx;

static int ident(int c) { return isalnum(c) || c == '_'; }

/* Adds transformation tr (consumed) to the input field ds.col of list,
 * creating the field or merging with an equal one. */
static void add_input(lctx *c, json_t *list, const char *src, const char *type, const char *subtype, const char *desc)
{
    const char *dot = strchr(src, '.');
    if (c->rc || !dot)
        return;
    char ds[256];
    snprintf(ds, sizeof(ds), "%.*s", (int)(dot - src), src);
    json_t *name = dp_packaging__ol_source_name(c->n, ds);
    if (!name) {
        c->rc = dp_error_set(c->err, DP_EINVALID,
                             "the lineage of '%s' names dataset '%s', not among the spec's sources", src, ds);
        return;
    }
    json_t *tr = json_pack("{s:s,s:s,s:s,s:b}", "type", type, "subtype", subtype, "description", desc, "masking", 0);
    size_t i;
    json_t *f, *field = NULL;
    json_array_foreach(list, i, f) {
        if (json_equal(json_object_get(f, "name"), name) && !strcmp(dp_export__str(f, "field"), dot + 1))
            field = f;
    }
    if (!field) {
        field =
            json_pack("{s:s,s:O,s:s,s:[]}", "namespace", c->n->ns, "name", name, "field", dot + 1, "transformations");
        if (!field || json_array_append_new(list, field)) {
            json_decref(tr);
            json_decref(name);
            c->rc = dp_error_set(c->err, DP_ENOMEM, "out of memory");
            return;
        }
    }
    json_decref(name);
    json_t *trs = json_object_get(field, "transformations");
    json_array_foreach(trs, i, f) {
        if (json_equal(f, tr)) {
            json_decref(tr);
            return;
        }
    }
    if (!tr || json_array_append_new(trs, tr))
        c->rc = dp_error_set(c->err, DP_ENOMEM, "out of memory");
}

/* Where col occurs in s[0..n) as a column (a word, or "__col" of an
 * entity__dimension reference). */
static int mentions(const char *s, size_t n, const char *col)
{
    size_t k = strlen(col);
    for (size_t i = 0; k && i + k <= n; i++) {
        if (strncasecmp(s + i, col, k) || (i + k < n && ident((unsigned char)s[i + k])))
            continue;
        if (i == 0 || !ident((unsigned char)s[i - 1]) || (i >= 2 && s[i - 1] == '_' && s[i - 2] == '_'))
            return 1;
    }
    return 0;
}

/* A metric's column that appears only in its filter ("count(x) where
 * y = 'v'"): it selects rows, it does not flow into the value. */
static int filter_only(const char *expr, const char *col)
{
    const char *w = NULL;
    for (const char *p = expr; *p && !w; p++)
        if (!strncasecmp(p, " where ", 7))
            w = p;
    return w && !mentions(expr, (size_t)(w - expr), col) && mentions(w, strlen(w), col);
}

/* The lineage entry's expression of a target column, else the column's. */
static const char *expression_of(const json_t *spec, const json_t *col)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(json_object_get(spec, "lineage"), "columns"), i, l) {
        if (!strcmp(dp_export__str(l, "column"), dp_export__str(col, "name")))
            return dp_export__str(l, "expression");
    }
    return dp_export__str(col, "expression");
}

static void field_lineage(lctx *c, json_t *fields, const json_t *col)
{
    const json_t *spec = c->n->spec;
    const char *name = dp_export__str(col, "name"), *role = dp_export__str(col, "role");
    const char *expr = expression_of(spec, col);
    int aggregated = !strcmp(role, "metric") || !strcmp(role, "measure");
    json_t *srcs = dp_packaging__column_sources(spec, name), *list = json_array(), *s;
    size_t i;
    json_array_foreach(srcs, i, s) {
        const char *src = json_string_value(s), *dot = strchr(src ? src : "", '.');
        if (!dot)
            continue;
        if (aggregated && filter_only(expr, dot + 1))
            add_input(c, list, src, "INDIRECT", "FILTER", expr);
        else if (aggregated)
            add_input(c, list, src, "DIRECT", "AGGREGATION", expr);
        else if (!strcmp(expr, src) || !strcmp(expr, dot + 1))
            add_input(c, list, src, "DIRECT", "IDENTITY", expr);
        else
            add_input(c, list, src, "DIRECT", "TRANSFORMATION", expr);
    }
    json_decref(srcs);
    if (json_object_set_new(fields, name, json_pack("{s:o}", "inputFields", list)) && !c->rc)
        c->rc = dp_error_set(c->err, DP_ENOMEM, "out of memory");
}

/* Every "dataset.column" of a text whose dataset is a source. */
static void add_mentions(lctx *c, json_t *list, const char *text, const char *subtype, const char *desc)
{
    const char *p = text;
    while (*p) {
        if (!ident((unsigned char)*p) || (p > text && (ident((unsigned char)p[-1]) || p[-1] == '.'))) {
            p++;
            continue;
        }
        const char *s = p;
        while (ident((unsigned char)*p))
            p++;
        if (*p != '.' || !ident((unsigned char)p[1]))
            continue;
        const char *dot = p++;
        while (ident((unsigned char)*p))
            p++;
        char ref[512], ds[256];
        snprintf(ds, sizeof(ds), "%.*s", (int)(dot - s), s);
        snprintf(ref, sizeof(ref), "%.*s", (int)(p - s), s);
        json_t *known = dp_packaging__ol_source_name(c->n, ds);
        if (known && *p != '.')
            add_input(c, list, ref, "INDIRECT", subtype, desc);
        json_decref(known);
    }
}

/* Source columns that affect every row of the product. */
static void dataset_lineage(lctx *c, json_t *list)
{
    const json_t *spec = c->n->spec, *intent = json_object_get(spec, "intent");
    size_t i, k;
    json_t *x, *s;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, x) {
        if (!json_is_true(json_object_get(x, "primary_key")))
            continue;
        json_t *srcs = dp_packaging__column_sources(spec, dp_export__str(x, "name"));
        json_array_foreach(srcs, k, s)
            add_input(c, list, json_string_value(s), "INDIRECT", "GROUP_BY", dp_export__str(x, "name"));
        json_decref(srcs);
    }
    json_array_foreach(json_object_get(json_object_get(spec, "lineage"), "joins"), i, x)
        add_mentions(c, list, dp_export__str(x, "on"), "JOIN", dp_export__str(x, "on"));
    json_array_foreach(json_object_get(intent, "matched_terms"), i, x) {
        if (!strcmp(dp_export__str(x, "kind"), "filter"))
            add_mentions(c, list, dp_export__str(x, "term"), "FILTER", dp_export__str(x, "term"));
    }
    if (json_is_object(json_object_get(intent, "time_range")))
        json_array_foreach(json_object_get(json_object_get(spec, "transformation"), "ctes"), i, x) {
            char ref[512];
            snprintf(ref, sizeof(ref), "%s.%s", dp_export__str(x, "dataset"), dp_export__str(x, "time_dimension"));
            if (*dp_export__str(x, "dataset") && *dp_export__str(x, "time_dimension"))
                add_input(c, list, ref, "INDIRECT", "FILTER", "the time range");
        }
    const json_t *order = json_object_get(intent, "order");
    const char *by = dp_export__str(order, "metric");
    if (*by) {
        json_t *srcs = dp_packaging__column_sources(spec, by);
        json_array_foreach(srcs, k, s)
            add_input(c, list, json_string_value(s), "INDIRECT", "SORT", by);
        json_decref(srcs);
    }
}

int dp_packaging__ol_column_lineage(json_t **out, const dp_ol_names *n, dp_error *err)
{
    *out = NULL;
    lctx c = {n, err, 0};
    json_t *fields = json_object(), *dataset = json_array();
    size_t i;
    json_t *col;
    json_array_foreach(json_object_get(json_object_get(n->spec, "data_model"), "columns"), i, col)
        field_lineage(&c, fields, col);
    dataset_lineage(&c, dataset);
    json_t *body = c.rc ? NULL : json_pack("{s:O,s:O}", "fields", fields, "dataset", dataset);
    json_decref(fields);
    json_decref(dataset);
    if (c.rc)
        return c.rc;
    if (!body)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    *out = body;
    return 0;
}

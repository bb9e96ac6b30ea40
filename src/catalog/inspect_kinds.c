/* dpgen catalog check / list KIND / dimension-values: what a dbt user asks
 * of a semantic layer (mf validate-configs, mf list ...), as JSON or as
 * text tables. */
#include "catalog/catalog.h"
#include "catalog/problems.h"
#include "doc/emit.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/ident.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define VALUES_MAX 1000       /* distinct values listed */
#define VALUES_TIMEOUT_MS 10000
#define TEXT_MAX (16u << 20)  /* bytes of a text listing */

static json_t *sn(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *where(dp_src_pos pos)
{
    char at[600];
    return pos.file ? json_string(dp_catalog__where(pos, at, sizeof(at))) : json_null();
}

static int finish(char **out, json_t *v, dp_error *err)
{
    *out = v ? dp_json_dump(v) : NULL;
    json_decref(v);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

/* Rows (objects) as a text table: one column per key, the last unpadded. */
static int table(char **out, json_t *rows, const char *const *keys, const char *const *heads, size_t ncols,
                 dp_error *err)
{
    size_t w[16] = {0};
    size_t i;
    json_t *row;
    for (size_t c = 0; c < ncols && c < 16; c++)
        w[c] = strlen(heads[c]);
    json_array_foreach(rows, i, row) for (size_t c = 0; c < ncols && c < 16; c++)
    {
        const char *s = json_string_value(json_object_get(row, keys[c]));
        if (s && strlen(s) > w[c])
            w[c] = strlen(s) > 60 ? 60 : strlen(s);
    }
    dp_buf b;
    dp_buf_init(&b, TEXT_MAX);
    for (size_t c = 0; c < ncols; c++)
        dp_buf_printf(&b, c + 1 < ncols ? "%-*s  " : "%-*s\n", c + 1 < ncols ? (int)w[c] : 0, heads[c]);
    json_array_foreach(rows, i, row) for (size_t c = 0; c < ncols; c++)
    {
        const char *s = json_string_value(json_object_get(row, keys[c]));
        dp_buf_printf(&b, c + 1 < ncols ? "%-*s  " : "%-*s\n", c + 1 < ncols ? (int)w[c] : 0, s ? s : "");
    }
    json_decref(rows);
    int big = b.toobig;
    *out = big ? NULL : dp_buf_detach(&b);
    dp_buf_dispose(&b);
    if (big)
        return dp_error_set(err, DP_ELIMIT, "listing larger than %u bytes", TEXT_MAX);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

/* owner: NULL, or the model an element belongs to ("model.element"); the
 * name is formatted only for an element that is disabled (most are not) */
static void add_disabled(json_t *arr, const dp_kg *kg, const char *kind, const char *owner, const char *name,
                         const dp_disabled *off, dp_src_pos pos)
{
    if (!off->reason)
        return;
    char full[600];
    if (owner) {
        snprintf(full, sizeof(full), "%s.%s", owner, name);
        name = full;
    }
    const dp_problem *p = dp_catalog__root(kg, off);
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:o}", "kind", kind, "name", name, "reason", off->reason,
                                         "hint", sn(p ? p->hint : NULL), "defined_in", where(pos)));
}

json_t *dp_catalog__disabled_json(const dp_kg *kg)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        add_disabled(arr, kg, "semantic_model", NULL, m->name, &m->off, m->pos);
        for (size_t j = 0; j < m->nentities; j++)
            add_disabled(arr, kg, "entity", m->name, m->entities[j].name, &m->entities[j].off, m->entities[j].pos);
        for (size_t j = 0; j < m->ndims; j++)
            add_disabled(arr, kg, "dimension", m->name, m->dims[j].name, &m->dims[j].off, m->dims[j].pos);
        for (size_t j = 0; j < m->nmeasures; j++)
            add_disabled(arr, kg, "measure", m->name, m->measures[j].name, &m->measures[j].off, m->measures[j].pos);
    }
    for (size_t i = 0; i < kg->nmetrics; i++)
        add_disabled(arr, kg, "metric", NULL, kg->metrics[i].name, &kg->metrics[i].off, kg->metrics[i].pos);
    for (size_t i = 0; i < kg->nsaved; i++)
        add_disabled(arr, kg, "saved_query", NULL, kg->saved[i].name, &kg->saved[i].off, kg->saved[i].pos);
    return arr;
}

static int check_text(char **out, const dp_kg *kg, const dp_problem **sorted, dp_format fmt, dp_error *err);

/* Problems in file and line order (they are found stage by stage). */
static int by_place(const void *a, const void *b)
{
    const dp_problem *x = *(const dp_problem *const *)a, *y = *(const dp_problem *const *)b;
    int c = strcmp(x->pos.file ? x->pos.file : "", y->pos.file ? y->pos.file : "");
    return c ? c : (x->pos.line > y->pos.line) - (x->pos.line < y->pos.line);
}

int dp_catalog_check(char **out, dp_catalog *cat, dp_format fmt, size_t *nproblems, dp_error *err)
{
    const dp_kg *kg = &cat->kg;
    *out = NULL;
    if (nproblems)
        *nproblems = kg->nproblems;
    const dp_problem **sorted = calloc(kg->nproblems ? kg->nproblems : 1, sizeof(*sorted));
    if (!sorted)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t i = 0; i < kg->nproblems; i++)
        sorted[i] = &kg->problems[i];
    qsort(sorted, kg->nproblems, sizeof(*sorted), by_place);
    int rc = check_text(out, kg, sorted, fmt, err);
    free(sorted);
    return rc;
}

static int check_text(char **out, const dp_kg *kg, const dp_problem **sorted, dp_format fmt, dp_error *err)
{
    if (fmt == DP_FORMAT_JSON) {
        json_t *ps = json_array();
        for (size_t i = 0; i < kg->nproblems; i++) {
            const dp_problem *p = sorted[i];
            json_array_append_new(ps, json_pack("{s:s,s:s,s:s,s:o,s:o,s:i}", "kind", p->kind, "name", p->name, "reason",
                                                p->reason, "hint", sn(p->hint), "file", sn(p->pos.file), "line",
                                                p->pos.line));
        }
        return finish(out, json_pack("{s:o,s:o,s:b}", "problems", ps, "disabled", dp_catalog__disabled_json(kg), "ok",
                                     kg->nproblems == 0),
                      err);
    }
    dp_buf b;
    dp_buf_init(&b, TEXT_MAX);
    for (size_t i = 0; i < kg->nproblems; i++) {
        const dp_problem *p = sorted[i];
        char at[600];
        dp_buf_printf(&b, "%s: %s %s: %s%s%s%s\n", dp_catalog__where(p->pos, at, sizeof(at)), p->kind, p->name,
                      p->reason, p->hint ? " [" : "", p->hint ? p->hint : "", p->hint ? "]" : "");
    }
    size_t nd = 0;
    if (kg->nproblems) { /* an element is only disabled with a problem */
        json_t *d = dp_catalog__disabled_json(kg);
        nd = json_array_size(d);
        json_decref(d);
    }
    size_t nexpr = 0; /* expressions bind.c prepares, in the same order */
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        if (!m->table)
            continue;
        if (m->exprs_checked) { /* counted when its file loaded */
            nexpr += m->nexprs;
            continue;
        }
        for (size_t j = 0; j < m->nentities; j++)
            nexpr += !dp_is_identifier(m->entities[j].expr);
        for (size_t j = 0; j < m->ndims; j++)
            nexpr += !dp_is_identifier(m->dims[j].expr);
        for (size_t j = 0; j < m->nmeasures; j++)
            nexpr += !dp_is_identifier(m->measures[j].expr);
    }
    if (nexpr > DP_EXPR_PREPARE_MAX)
        dp_buf_printf(&b, "note: %zu expressions; the first %d were checked against the database\n", nexpr,
                      DP_EXPR_PREPARE_MAX);
    if (kg->nproblems)
        dp_buf_printf(&b, "%zu problem(s); %zu element(s) disabled\n", kg->nproblems, nd);
    else
        dp_buf_printf(&b, "catalog ok: %zu semantic model(s), %zu metric(s), no problems\n", kg->nmodels, kg->nmetrics);
    int big = b.toobig;
    *out = big ? NULL : dp_buf_detach(&b);
    dp_buf_dispose(&b);
    if (big)
        return dp_error_set(err, DP_ELIMIT, "report larger than %u bytes", TEXT_MAX);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

static const char *status(const dp_disabled *off) { return off->reason ? "disabled" : "ok"; }

/* MetricFlow names a dimension by its model's primary entity: entity__dim. */
static const char *primary_entity(const dp_model *m)
{
    for (size_t i = 0; i < m->nentities; i++)
        if (m->entities[i].type == DP_ENT_PRIMARY || m->entities[i].type == DP_ENT_UNIQUE)
            return m->entities[i].name;
    return m->primary_entity; /* the latest spec names it on the model */
}

static const char *type_name(dp_entity_type t)
{
    static const char *n[] = {"primary", "unique", "foreign", "natural"};
    return n[t];
}

int dp_catalog_list_kind(char **out, dp_catalog *cat, const char *kind, dp_format fmt, dp_error *err)
{
    const dp_kg *kg = &cat->kg;
    json_t *rows = json_array();
    char name[600];
    *out = NULL;
    if (!kind || !strcmp(kind, "metrics")) {
        for (size_t i = 0; i < kg->nmetrics; i++) {
            const dp_metric *m = &kg->metrics[i];
            json_array_append_new(rows, json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:o}", "name", m->name, "type",
                                                  dp_metric_type_name(m->type), "label", sn(m->label), "description",
                                                  sn(m->description), "status", status(&m->off), "reason",
                                                  sn(m->off.reason), "defined_in", where(m->pos)));
        }
        static const char *const k[] = {"name", "type", "label", "status", "reason"};
        static const char *const h[] = {"METRIC", "TYPE", "LABEL", "STATUS", "REASON"};
        return fmt == DP_FORMAT_JSON ? finish(out, json_pack("{s:o}", "metrics", rows), err) : table(out, rows, k, h, 5, err);
    }
    if (!strcmp(kind, "dimensions")) {
        for (size_t i = 0; i < kg->nmodels; i++) {
            const dp_model *m = &kg->models[i];
            const char *pe = primary_entity(m);
            for (size_t j = 0; j < m->ndims; j++) {
                const dp_dimension *d = &m->dims[j];
                if (pe)
                    snprintf(name, sizeof(name), "%s__%s", pe, d->name);
                else
                    snprintf(name, sizeof(name), "%s.%s", m->name, d->name);
                json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o}", "name", name, "semantic_model",
                                                      m->name, "type", d->type == DP_DIM_TIME ? "time" : "categorical",
                                                      "expr", d->expr, "granularity",
                                                      d->type == DP_DIM_TIME ? json_string(dp_grain_name(d->granularity))
                                                                             : json_null(),
                                                      "status", status(&d->off), "reason", sn(d->off.reason),
                                                      "defined_in", where(d->pos)));
            }
        }
        static const char *const k[] = {"name", "semantic_model", "type", "status", "reason"};
        static const char *const h[] = {"DIMENSION", "SEMANTIC MODEL", "TYPE", "STATUS", "REASON"};
        return fmt == DP_FORMAT_JSON ? finish(out, json_pack("{s:o}", "dimensions", rows), err)
                                     : table(out, rows, k, h, 5, err);
    }
    if (!strcmp(kind, "entities")) {
        for (size_t i = 0; i < kg->nmodels; i++) {
            const dp_model *m = &kg->models[i];
            for (size_t j = 0; j < m->nentities; j++) {
                const dp_entity *e = &m->entities[j];
                json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "name", e->name, "semantic_model",
                                                      m->name, "type", type_name(e->type), "expr", e->expr, "status",
                                                      status(&e->off), "reason", sn(e->off.reason), "defined_in",
                                                      where(e->pos)));
            }
        }
        static const char *const k[] = {"name", "semantic_model", "type", "expr", "status", "reason"};
        static const char *const h[] = {"ENTITY", "SEMANTIC MODEL", "TYPE", "EXPR", "STATUS", "REASON"};
        return fmt == DP_FORMAT_JSON ? finish(out, json_pack("{s:o}", "entities", rows), err)
                                     : table(out, rows, k, h, 6, err);
    }
    if (!strcmp(kind, "saved-queries") || !strcmp(kind, "saved_queries")) {
        for (size_t i = 0; i < kg->nsaved; i++) {
            const dp_saved_query *q = &kg->saved[i];
            json_t *ms = json_array(), *gs = json_array(), *ws = json_array(), *es = json_array();
            dp_buf b;
            dp_buf_init(&b, 4096);
            for (size_t j = 0; j < q->nmetrics; j++) {
                json_array_append_new(ms, json_string(q->metrics[j]));
                dp_buf_printf(&b, "%s%s", j ? ", " : "", q->metrics[j]);
            }
            for (size_t j = 0; j < q->ngroup_by; j++)
                json_array_append_new(gs, json_string(q->group_by[j]));
            for (size_t j = 0; j < q->nwhere; j++)
                json_array_append_new(ws, json_string(q->where[j]));
            for (size_t j = 0; j < q->nexports; j++)
                json_array_append_new(es, json_string(q->exports[j]));
            json_array_append_new(rows, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "name", q->name, "label",
                                                  sn(q->label), "description", sn(q->description), "metrics", ms,
                                                  "group_by", gs, "where", ws, "exports", es, "metric_list",
                                                  dp_buf_cstr(&b), "status", status(&q->off), "reason",
                                                  sn(q->off.reason), "defined_in", where(q->pos)));
            dp_buf_dispose(&b);
        }
        static const char *const k[] = {"name", "metric_list", "status", "reason"};
        static const char *const h[] = {"SAVED QUERY", "METRICS", "STATUS", "REASON"};
        if (fmt != DP_FORMAT_JSON)
            return table(out, rows, k, h, 4, err);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) json_object_del(row, "metric_list"); /* the table's column only */
        return finish(out, json_pack("{s:o}", "saved_queries", rows), err);
    }
    json_decref(rows);
    return dp_error_set(err, DP_EINVALID, "catalog list: unknown kind '%s' (metrics, dimensions, entities, saved-queries)",
                        kind);
}

/* NAME: "model.dim", "entity__dim" (the entity's own dataset first) or a
 * dimension name only one dataset has. Disabled ones are found too, so
 * the refusal can say why. */
static int find_dimension(const dp_kg *kg, const char *name, const dp_model **mo, const dp_dimension **dim,
                          dp_error *err)
{
    char ent[256] = "", dn[256];
    const char *dot = strchr(name, '.'), *sep = strstr(name, "__");
    const char *model = NULL;
    if (dot && (size_t)(dot - name) < sizeof(ent)) {
        snprintf(ent, sizeof(ent), "%.*s", (int)(dot - name), name);
        model = ent;
        snprintf(dn, sizeof(dn), "%s", dot + 1);
    } else if (sep && (size_t)(sep - name) < sizeof(ent)) {
        for (const char *p = sep; p; p = strstr(p + 2, "__"))
            sep = p; /* entity path a__b__dim: the last entity */
        const char *start = sep;
        while (start > name && !(start - name >= 2 && start[-1] == '_' && start[-2] == '_'))
            start--;
        snprintf(ent, sizeof(ent), "%.*s", (int)(sep - start), start);
        snprintf(dn, sizeof(dn), "%s", sep + 2);
    } else {
        snprintf(dn, sizeof(dn), "%s", name);
    }
    const dp_model *off_m = NULL, *hit_m = NULL;
    const dp_dimension *off_d = NULL, *hit_d = NULL;
    size_t hits = 0;
    char cands[400] = "";
    size_t co = 0;
    /* pass 0: the entity's home datasets; pass 1: any dataset with the entity */
    for (int pass = 0; pass < 2 && !hits; pass++)
        for (size_t i = 0; i < kg->nmodels; i++) {
            const dp_model *m = &kg->models[i];
            if (model && strcmp(m->name, model))
                continue;
            if (!model && ent[0]) {
                const dp_entity *e = NULL;
                for (size_t k = 0; k < m->nentities && !e; k++)
                    if (!strcmp(m->entities[k].name, ent) &&
                        (pass || m->entities[k].type == DP_ENT_PRIMARY || m->entities[k].type == DP_ENT_UNIQUE))
                        e = &m->entities[k];
                if (!e)
                    continue;
            }
            for (size_t j = 0; j < m->ndims; j++) {
                const dp_dimension *d = &m->dims[j];
                if (strcmp(d->name, dn))
                    continue;
                if (d->off.reason) {
                    if (!off_d) {
                        off_d = d;
                        off_m = m;
                    }
                    continue;
                }
                if (!hits) {
                    hit_d = d;
                    hit_m = m;
                }
                hits++;
                if (co < sizeof(cands) - 80)
                    co += (size_t)snprintf(cands + co, sizeof(cands) - co, "%s%s.%s", co ? ", " : "", m->name, d->name);
            }
        }
    if (hits > 1 && !ent[0])
        return dp_error_set(err, DP_EINVALID, "dimension '%s' is in several datasets (%s); write model.dim", name, cands);
    if (hits) {
        *mo = hit_m;
        *dim = hit_d;
        return 0;
    }
    if (off_d) {
        char msg[900], full[600];
        snprintf(full, sizeof(full), "%s.%s", off_m->name, off_d->name);
        dp_catalog__disabled_msg(kg, "dimension", full, &off_d->off, off_d->pos, msg, sizeof(msg));
        return dp_error_set(err, DP_ECLARIFY, "%s", msg);
    }
    return dp_error_set(err, DP_ENOTFOUND, "no dimension '%s' (write entity__dim or model.dim; see catalog list dimensions)",
                        name);
}

typedef struct vals {
    json_t *arr;
} vals;

static int value_row(void *p, size_t ncols, const char *const *names, const char *const *v)
{
    (void)names;
    vals *x = p;
    if (ncols && v[0])
        json_array_append_new(x->arr, json_string(v[0]));
    return 0;
}

int dp_catalog_dimension_values(char **out, dp_catalog *cat, const char *name, dp_format fmt, dp_error *err)
{
    const dp_model *m = NULL;
    const dp_dimension *d = NULL;
    duckdb_connection con = NULL;
    json_t *arr = NULL;
    *out = NULL;
    if (!name || !*name)
        return dp_error_set(err, DP_EINVALID, "dimension-values needs a dimension name");
    int rc = find_dimension(&cat->kg, name, &m, &d, err);
    if (rc)
        return rc;
    char qs[300], qt[300], qc[300];
    const char *e = d->expr;
    if (dp_is_identifier(e)) {
        if (!dp_sql_quote_ident(e, qc, sizeof(qc)))
            return dp_error_set(err, DP_ELIMIT, "column name too long: %s", e);
        e = qc;
    }
    if (!dp_sql_quote_ident(m->schema, qs, sizeof(qs)) || !dp_sql_quote_ident(m->table, qt, sizeof(qt)))
        return dp_error_set(err, DP_ELIMIT, "table name too long: %s", m->table);
    dp_buf sql;
    dp_buf_init(&sql, 64 * 1024);
    /* sorted on the values themselves (numbers and dates as such), one more
     * than listed to know there are more */
    dp_buf_printf(&sql,
                  "SELECT CAST(v AS VARCHAR) FROM (SELECT DISTINCT (%s) AS v FROM %s.%s WHERE (%s) IS NOT NULL) AS d "
                  "ORDER BY v LIMIT %d",
                  e, qs, qt, e, VALUES_MAX + 1);
    arr = json_array();
    vals x = {arr};
    if (sql.toobig)
        rc = dp_error_set(err, DP_ELIMIT, "dimension expression too long");
    else if (!(rc = dp_db_connect(&con, cat->db, err)))
        rc = dp_db_query(con, dp_buf_cstr(&sql), VALUES_TIMEOUT_MS, value_row, &x, err);
    dp_buf_dispose(&sql);
    if (con)
        duckdb_disconnect(&con);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    int more = json_array_size(arr) > VALUES_MAX;
    if (more)
        json_array_remove(arr, VALUES_MAX);
    char full[600];
    snprintf(full, sizeof(full), "%s.%s", m->name, d->name);
    if (fmt == DP_FORMAT_JSON)
        return finish(out, json_pack("{s:s,s:o,s:o,s:b,s:i}", "dimension", full, "table",
                                     json_sprintf("%s.%s", m->schema, m->table), "values", arr,
                                     "truncated", more, "limit", VALUES_MAX),
                      err);
    dp_buf b;
    dp_buf_init(&b, TEXT_MAX);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) dp_buf_printf(&b, "%s\n", json_string_value(v));
    if (more)
        dp_buf_printf(&b, "(first %d values)\n", VALUES_MAX);
    json_decref(arr);
    *out = b.toobig ? NULL : dp_buf_detach(&b);
    dp_buf_dispose(&b);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

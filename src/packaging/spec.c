/* Packaging stage: the data product specification as one JSON tree
 * (metadata, business context, intent, sources, data model, transformation,
 * quality, SLA, lineage, execution), rendered as JSON, YAML and Markdown. */
#include "orchestrator/run.h"
#include "modeling/modeling.h"
#include "packaging/odcs.h"
#include "catalog/db.h"
#include "catalog/paths.h"
#include "util/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *metrics_json(dp_run *r)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->intent.nmetrics; i++) {
        const dp_metric *m = r->intent.metrics[i];
        json_t *o = json_pack("{s:s,s:o,s:s,s:o,s:s}", "name", m->name, "label", str_or_null(m->label), "type",
                              dp_metric_type_name(m->type), "definition", str_or_null(m->description), "formula",
                              dp_metric_formula(r->kg, m, r->a, 0));
        if (m->filter)
            json_object_set_new(o, "filter", json_string(m->filter));
        /* no file: a metric the request itself defined */
        /* line 0: a JSON source, whose position is the file and the JSON path */
        /* relative to the catalog root: the spec travels, the machine's paths do not */
        const char *file = dp_kg_shown_path(r->kg, m->pos.file, r->a);
        json_object_set_new(o, "defined_in",
                            !file         ? json_string("request")
                            : m->pos.line ? json_sprintf("%s:%d", file, m->pos.line)
                                          : json_string(file));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The columns of a dataset the lineage names, each once (new array). */
static json_t *lineage_columns(const dp_run *r, const char *dataset)
{
    json_t *used = json_array();
    size_t n = strlen(dataset), k;
    json_t *l;
    json_array_foreach(r->compiled.lineage, k, l) {
        size_t j;
        json_t *s;
        json_array_foreach(json_object_get(l, "sources"), j, s) {
            const char *v = json_string_value(s);
            if (!v || strncmp(v, dataset, n) || v[n] != '.')
                continue;
            int dup = 0;
            size_t q;
            json_t *u;
            json_array_foreach(used, q, u) dup |= !strcmp(json_string_value(u), v + n + 1);
            if (!dup)
                json_array_append_new(used, json_string(v + n + 1));
        }
    }
    return used;
}

/* Time spines the SQL reads (a padded or custom-grain period): sources
 * too, with their period column and row count (a spine is small). */
static void spine_sources(dp_run *r, json_t *arr)
{
    for (size_t s = 0; s < r->kg->nspines; s++) {
        const dp_time_spine *sp = &r->kg->spines[s];
        json_t *cols = lineage_columns(r, sp->model);
        int read = json_array_size(cols) > 0;
        json_decref(cols);
        size_t k;
        json_t *d;
        json_array_foreach(arr, k, d) read &= strcmp(json_string_value(json_object_get(d, "name")), sp->model) != 0;
        if (!read || !sp->schema || !sp->table)
            continue;
        char a[300], b[300], c[300], sql[1000], count[64] = "0", type[64] = "DATE";
        dp_error err = {0};
        if (dp_sql_quote_ident(sp->schema, a, sizeof(a)) && dp_sql_quote_ident(sp->table, b, sizeof(b)) &&
            dp_sql_quote_ident(sp->column, c, sizeof(c))) {
            snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.%s", a, b);
            (void)dp_db_scalar(r->con, sql, count, sizeof(count), &err);
            snprintf(sql, sizeof(sql), "SELECT typeof(%s) FROM %s.%s LIMIT 1", c, a, b);
            (void)dp_db_scalar(r->con, sql, type, sizeof(type), &err);
        }
        json_t *schema = json_pack("[{s:s,s:s}]", "name", sp->column, "type", type);
        json_t *used = json_pack("[s]", sp->column);
        for (size_t g = 0; g < sp->ncustom; g++) {
            json_array_append_new(schema, json_pack("{s:s,s:s}", "name", sp->custom[g].column, "type",
                                                    sp->custom[g].type ? sp->custom[g].type : "DATE"));
            json_array_append_new(used, json_string(sp->custom[g].column));
        }
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:o,s:n,s:f,s:o}", "name", sp->model, "table",
                                             dp_arena_printf(r->a, "%s.%s", sp->schema, sp->table), "description",
                                             "time spine: one row per period, so periods without rows are reported",
                                             "row_count", (json_int_t)strtoll(count, NULL, 10), "columns_used", used, "freshest",
                                             "quality_score", 1.0, "schema", schema));
    }
}

static json_t *sources_json(dp_run *r)
{
    json_t *arr = json_array();
    /* the datasets discovery selected (with those the wide product reads
     * its entities' attributes from), then any other dataset the lineage
     * names */
    const dp_model *models[DP_PLAN_MAX + 2 * DP_PLAN_MAX + DP_INTENT_MAX_ITEMS];
    size_t nmodels = 0;
    for (size_t i = 0; i < r->disc.nselected && nmodels < sizeof(models) / sizeof(*models); i++)
        models[nmodels++] = r->disc.selected[i];
    size_t li;
    json_t *lc;
    json_array_foreach(r->compiled.lineage, li, lc) {
        size_t j;
        json_t *src;
        json_array_foreach(json_object_get(lc, "sources"), j, src) {
            const char *v = json_string_value(src), *dot = v ? strchr(v, '.') : NULL;
            char name[256];
            if (!dot || (size_t)(dot - v) >= sizeof(name) || nmodels == sizeof(models) / sizeof(*models))
                continue;
            snprintf(name, sizeof(name), "%.*s", (int)(dot - v), v);
            const dp_model *lm = dp_kg_model(r->kg, name);
            size_t k = 0;
            while (lm && k < nmodels && models[k] != lm)
                k++;
            if (lm && k == nmodels)
                models[nmodels++] = lm;
        }
    }
    for (size_t i = 0; i < nmodels; i++) {
        const dp_model *m = models[i];
        json_t *used = lineage_columns(r, m->name);
        for (size_t e = 0; e < m->nentities; e++) {
            int dup = 0;
            size_t q;
            json_t *u;
            json_array_foreach(used, q, u) dup |= !strcmp(json_string_value(u), m->entities[e].expr);
            if (!dup && (m->entities[e].type != DP_ENT_FOREIGN || i == 0))
                json_array_append_new(used, json_string(m->entities[e].expr));
        }
        json_t *schema = json_array();
        for (size_t c = 0; c < m->ncolumns; c++)
            json_array_append_new(schema, json_pack("{s:s,s:s}", "name", m->columns[c].name, "type", m->columns[c].type));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:I,s:o,s:o,s:f,s:o}", "name", m->name, "table",
                                             dp_arena_printf(r->a, "%s.%s", m->schema, m->table), "description",
                                             str_or_null(m->description), "row_count", (json_int_t)m->rows,
                                             "columns_used", used, "freshest", str_or_null(m->freshest), "quality_score",
                                             m->quality, "schema", schema));
        /* the column freshest is read from: sources' freshness checks it */
        const dp_dimension *td = m->default_time_dim ? dp_kg_model_dim(m, m->default_time_dim) : NULL;
        if (td && td->column)
            json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "time_column",
                                json_string(td->column->name));
    }
    spine_sources(r, arr);
    return arr;
}

static json_t *ranking_json(dp_run *r)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->disc.nranked; i++) {
        const dp_ranked *k = &r->disc.ranked[i];
        json_array_append_new(arr, json_pack("{s:s,s:f,s:{s:f,s:f,s:f,s:f},s:s,s:b}", "dataset", k->model->name, "score",
                                             k->score, "factors", "coverage", k->coverage, "quality", k->quality,
                                             "freshness", k->freshness, "popularity", k->popularity, "explanation",
                                             k->why, "selected", k->selected));
    }
    return arr;
}

static json_t *model_json(dp_run *r)
{
    const dp_design *dz = &r->design;
    json_t *cols = json_array(), *pk = json_array(), *cons = json_array(), *grain = json_array();
    static const char *roles[] = {"time", "dimension", "entity", "metric", "measure", "attribute", "calculated"};
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        json_t *cc = json_array();
        if (c->not_null)
            json_array_append_new(cc, json_string("not_null"));
        if (c->is_rate)
            json_array_append_new(cc, json_string("between 0 and 1"));
        /* a grain column the test run found NULL in: no primary key at all
         * (a key of the other grain columns would not be unique) */
        int is_pk = c->is_key && !dz->no_primary_key;
        json_t *col = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:b}", "name", c->name, "type", c->type, "role",
                                roles[c->role], "description", c->description ? c->description : "", "expression",
                                c->formula ? c->formula : "", "primary_key", is_pk, "constraints", cc, "not_null",
                                c->not_null);
        if (c->key_note)
            json_object_set_new(col, "key_note", json_string(c->key_note));
        if (c->added_because) { /* the wide product's own columns, and why */
            json_object_set_new(col, "added", json_true());
            json_object_set_new(col, "added_because", json_string(c->added_because));
        }
        if (c->role == DP_ROLE_MEASURE && c->metric)
            json_object_set_new(col, "component_of", json_string(c->metric->name));
        if (c->role == DP_ROLE_CALCULATED && r->llm_sql) {
            json_object_set_new(col, "proposed_by", json_string("llm"));
            json_object_set_new(col, "calculation_of", json_string(r->llm_sql->base_col));
        }
        json_array_append_new(cols, col);
        if (c->is_key)
            json_array_append_new(grain, json_string(c->name));
        if (is_pk)
            json_array_append_new(pk, json_string(c->name));
        if (c->is_rate)
            json_array_append_new(cons, json_sprintf("%s BETWEEN 0 AND 1", c->name));
    }
    if (json_array_size(pk)) {
        const char *list = "";
        for (size_t i = 0; i < json_array_size(pk); i++)
            list = dp_arena_printf(r->a, "%s%s%s", list, i ? ", " : "", json_string_value(json_array_get(pk, i)));
        json_array_insert_new(cons, 0, json_sprintf("PRIMARY KEY (%s)", list));
    }
    /* a saved query's first export says table or view */
    const dp_saved_query *sq = r->intent.saved;
    const char *mat = sq && sq->nexports && sq->export_as && sq->export_as[0] ? sq->export_as[0] : "table";
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "target_table", dz->table, "grain", dz->grain_text, "materialization",
                     mat, "primary_keys", pk, "columns", cols, "constraints", cons, "unique_key", grain);
}

/* The join path of each measure to each dataset its query joined, from
 * the CTEs: [{measure, dataset, to, path}]. Two measures of one query may
 * reach one dataset by different paths (each CTE joins from its own). */
static json_t *join_paths_json(dp_run *r)
{
    json_t *out = json_array(), *cte, *ms, *jp;
    size_t i, j, k;
    json_array_foreach(r->compiled.ctes, i, cte)
    {
        json_t *paths = json_object_get(cte, "join_paths");
        json_array_foreach(json_object_get(cte, "measures"), j, ms)
        json_array_foreach(paths, k, jp)
        json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O}", "measure", ms, "dataset",
                                             json_object_get(cte, "dataset"), "to", json_object_get(jp, "to"), "path",
                                             json_object_get(jp, "path")));
    }
    return out;
}

static json_t *lineage_json(dp_run *r)
{
    json_t *up = json_array();
    for (size_t i = 0; i < r->disc.nselected; i++)
        json_array_append_new(up, json_sprintf("%s.%s", r->disc.selected[i]->schema, r->disc.selected[i]->table));
    int joins = json_array_size(r->disc.joins) > 0 || json_array_size(r->compiled.ctes) > 1;
    /* Mermaid: sources -> target */
    char buf[8192];
    size_t off = (size_t)snprintf(buf, sizeof(buf), "graph LR\n");
    for (size_t i = 0; i < r->disc.nselected && off < sizeof(buf) - 200; i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "  %s[%s.%s] --> target[%s]\n", r->disc.selected[i]->name,
                                r->disc.selected[i]->schema, r->disc.selected[i]->table, r->design.table);
    json_t *down = json_array();
    if (r->cat->state)
        for (size_t i = 0; i < r->disc.nselected; i++) {
            json_t *p = dp_state_products_using(r->cat->state, r->disc.selected[i]->name);
            size_t k;
            json_t *x;
            json_array_foreach(p, k, x) {
                const char *name = json_string_value(json_object_get(x, "product"));
                int dup = !name || !strcmp(name, r->design.name);
                size_t q;
                json_t *u;
                json_array_foreach(down, q, u) dup |= !strcmp(json_string_value(u), name);
                if (!dup)
                    json_array_append_new(down, json_string(name));
            }
            json_decref(p);
        }
    return json_pack("{s:o,s:s,s:s,s:O,s:O,s:o,s:s}", "upstream", up, "target", r->design.table, "transformation_type",
                     joins ? "aggregation + join" : "aggregation", "joins", r->disc.joins, "columns", r->compiled.lineage,
                     "sibling_products", down, "mermaid", buf);
}

json_t *dp_run_trace(const dp_run *r)
{
    json_t *st = json_array();
    for (int i = 0; i < DP_NSTAGES; i++) {
        const dp_stage_log *s = &r->stages[i];
        json_array_append_new(st, json_pack("{s:s,s:s,s:f,s:I,s:O,s:O,s:o}", "stage", s->name, "status",
                                            s->status ? s->status : "skipped", "ms", s->ms, "kg_queries",
                                            (json_int_t)s->kg_queries, "decisions", s->decisions, "warnings", s->warnings,
                                            "error", str_or_null(s->error)));
    }
    json_t *t = json_pack("{s:s,s:s,s:s,s:f,s:o,s:f,s:b}", "run_id", r->run_id, "started_at", r->created_at, "request",
                          r->request ? r->request : "", "total_ms", r->total_ms, "stages", st, "catalog_load_ms",
                          r->cat->load_ms, "profile_cached", r->cat->profile_cached);
    json_t *llm = dp_orch__llm_record(r);
    if (t && llm)
        json_object_set_new(t, "llm", llm);
    else
        json_decref(llm);
    return t;
}

/* transformation.generator of a product whose SQL a language model wrote:
 * who wrote it, in how many attempts, the checks it passed, and the
 * compiler's SQL its base metric was reconciled with. */
static json_t *llm_generator_json(dp_run *r)
{
    const dp_llm_sql *l = r->llm_sql;
    json_t *cols = json_array();
    for (size_t i = 0; i < l->ncalc; i++)
        json_array_append_new(cols, json_string(l->calc[i]));
    return json_pack("{s:s,s:s,s:i,s:f,s:s,s:s,s:s,s:o,s:s,s:[sssss],s:s}", "name", "llm", "model", l->model,
                     "attempts", l->attempts, "confidence", (double)(long)(r->intent.confidence * 1000 + 0.5) / 1000.0,
                     "calculation", l->phrase, "kind", l->kind, "base_metric", l->base_col, "columns", cols,
                     "model_sql", l->sql, "checks",
                     "one SELECT over catalog relations only (libpg_query; no table function, setting or comment)",
                     "DuckDB prepared it against the source schema",
                     "its columns: the grain and the base metric by name, the calculation's beside them",
                     "test-run read-only under the run's time budget",
                     "its base metric equals the compiler's at the same grain on every row (the reconciliation rule)",
                     "compiler_sql", l->base_sql);
}

int dp_stage_packaging(dp_run *r, dp_error *err)
{
    const dp_design *dz = &r->design;
    /* the GX suite gets an expectation for every rule the quality stage
     * stated none for */
    int gxrc = r->gx && r->rules ? dp_packaging__gx_complete(r->gx, r->rules, dz->table, err) : 0;
    if (gxrc)
        return gxrc;
    json_t *tags = json_array();
    for (size_t i = 0; i < r->disc.nselected; i++)
        json_array_append_new(tags, json_string(r->disc.selected[i]->name));
    if (r->intent.grain)
        json_array_append_new(tags, json_string(dp_grain_name(r->intent.grain)));
    json_t *dims = json_array();
    for (size_t i = 0; i < dz->ncols; i++)
        if (dz->cols[i].role != DP_ROLE_METRIC && dz->cols[i].role != DP_ROLE_CALCULATED)
            json_array_append_new(dims, json_string(dz->cols[i].name));
    json_t *owners = json_array();
    for (size_t i = 0; i < r->kg->nterms; i++)
        for (size_t k = 0; k < r->intent.nmetrics; k++)
            if (r->kg->terms[i].owner && r->kg->terms[i].maps_kind && !strcmp(r->kg->terms[i].maps_kind, "metric") &&
                !strcmp(r->kg->terms[i].maps_to, r->intent.metrics[k]->name)) {
                int dup = 0;
                size_t q;
                json_t *u;
                json_array_foreach(owners, q, u) dup |= !strcmp(json_string_value(u), r->kg->terms[i].owner);
                if (!dup)
                    json_array_append_new(owners, json_string(r->kg->terms[i].owner));
            }
    const char *owner = r->opts.owner ? r->opts.owner : json_array_size(owners) ? json_string_value(json_array_get(owners, 0)) : "data-platform";
    json_t *spec = json_object();
    json_object_set_new(spec, "spec_version", json_string("1.0"));
    json_object_set_new(spec, "metadata",
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "name", dz->name, "version", "1.0.0", "description",
                                  dz->description, "owner", owner, "created_at", r->created_at, "tags", tags,
                                  "generator",
                                  r->llm_sql ? dp_arena_printf(r->a,
                                                               "dpgen %s (deterministic engine; SQL "
                                                               "written by a language model, checked)",
                                                               DP_VERSION)
                                             : dp_arena_printf(r->a, "dpgen %s (deterministic engine)", DP_VERSION)));
    json_object_set_new(spec, "business_context", json_pack("{s:s,s:o,s:o,s:s,s:s?,s:o}", "request", r->request, "metrics",
                                                            metrics_json(r), "dimensions", dims, "grain", dz->grain_text,
                                                            "time_grain", r->intent.custom_grain ? r->intent.custom_grain
                                                            : r->intent.grain ? dp_grain_name(r->intent.grain) : NULL,
                                                            "stakeholders", owners));
    if (r->description_draft) /* the model's draft, beside the deterministic description, never instead */
        json_object_set_new(json_object_get(spec, "business_context"), "description_draft",
                            json_pack("{s:s,s:s,s:s}", "text", r->description_draft, "proposed_by", "llm", "model",
                                      r->opts.llm ? r->opts.llm->model : ""));
    json_t *intent = dp_intent_to_json(&r->intent);
    json_t *range = json_object_get(intent, "time_range");
    if (json_is_object(range) && r->range_relative >= 0) {
        /* a relative range moves with --as-of: the spec says on which date */
        json_object_set_new(range, "relative", json_boolean(r->range_relative == 1));
        if (r->range_relative == 1)
            json_object_set_new(range, "anchor", json_string(r->intent.as_of));
    }
    json_object_set_new(spec, "intent", intent);
    json_object_set_new(spec, "source_datasets", sources_json(r));
    json_object_set_new(spec, "discovery", json_pack("{s:s,s:o,s:O}", "ranking_weights",
                                                     "coverage 0.4, quality 0.3, freshness 0.2, popularity 0.1", "candidates",
                                                     ranking_json(r), "semantic_search", r->disc.semantic));
    json_object_set_new(spec, "data_model", model_json(r));
    const char *dialect = r->dialect == DP_DIALECT_POSTGRES ? "postgres" : "duckdb";
    json_t *tx = json_pack("{s:s,s:s,s:s,s:O,s:O}", "language", "sql", "dialect", dialect, "sql",
                           r->dialect == DP_DIALECT_POSTGRES ? r->compiled_target.sql : r->compiled.sql, "validation",
                           r->validation, "ctes", r->compiled.ctes);
    if (r->dialect == DP_DIALECT_POSTGRES)
        json_object_set_new(tx, "duckdb_sql", json_string(r->compiled.sql));
    json_object_set_new(tx, "join_paths", join_paths_json(r));
    if (r->llm_sql)
        json_object_set_new(tx, "generator", llm_generator_json(r));
    json_object_set_new(tx, "test_run", json_pack("{s:s,s:b,s:I,s:f,s:O,s:O,s:O}", "engine", "duckdb (read-only)", "ran",
                                                  r->exec.ran, "rows", (json_int_t)r->exec.rows, "ms", r->exec.ms,
                                                  "result_schema", r->exec.schema ? r->exec.schema : json_null(),
                                                  "schema_check", r->exec.schema_check ? r->exec.schema_check : json_null(),
                                                  "sample_rows", r->exec.sample ? r->exec.sample : json_null()));
    json_t *run = json_object_get(tx, "test_run");
    json_object_set_new(run, "warnings", r->exec.warnings ? json_incref(r->exec.warnings) : json_array());
    json_object_set_new(run, "time_coverage", r->exec.coverage ? json_incref(r->exec.coverage) : json_array());
    json_object_set_new(spec, "transformation", tx);
    json_object_set_new(spec, "quality", json_pack("{s:O,s:O,s:{s:i,s:[o]},s:O}", "rules", r->rules,
                                                   "great_expectations_suite", r->gx, "dbt_tests", "version", 2, "models",
                                                   json_copy(r->dbt), "sql_assertions", r->sql_assertions));
    /* quality.dbt_tests: what the dbt project of the export holds */
    char temp[300] = "";
    if (dp_packaging__temp_table(temp, sizeof(temp), spec))
        temp[0] = 0;
    json_t *props = dp_packaging__dbt_properties(spec, temp, err);
    if (!props) {
        json_decref(spec);
        return err->code ? err->code : DP_ENOMEM;
    }
    json_object_set_new(json_object_get(spec, "quality"), "dbt_tests", props);
    json_object_set_new(spec, "sla", json_incref(r->sla));
    json_object_set_new(spec, "lineage", lineage_json(r));
    r->spec = spec;
    return 0;
}

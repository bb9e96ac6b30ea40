/* Markdown documentation of a data product, from its spec: purpose, grain,
 * columns, metric definitions, sources, lineage (datasets and columns, as
 * Mermaid and as a table), the transformation, quality rules and the SLA. */
#include "packaging/render.h"
#include "packaging/airflow.h"
#include "packaging/odcs.h"
#include "util/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* Text inside a table cell: no pipes, no line breaks. */
static void cell(dp_buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '|')
            dp_buf_puts(b, "\\|");
        else if (*v == '\n' || *v == '\r')
            dp_buf_putc(b, ' ');
        else
            dp_buf_putc(b, *v);
    }
}

/* A Mermaid node id: letters, digits and underscores only. */
static void node_id(dp_buf *b, const char *prefix, const char *v)
{
    dp_buf_puts(b, prefix);
    for (; *v; v++)
        dp_buf_putc(b, isalnum((unsigned char)*v) ? *v : '_');
}

/* A Mermaid label in double quotes. */
static void label(dp_buf *b, const char *v)
{
    dp_buf_putc(b, '"');
    for (; *v; v++) {
        if (*v == '"')
            dp_buf_puts(b, "#quot;");
        else if (*v == '\n' || *v == '\r')
            dp_buf_putc(b, ' ');
        else
            dp_buf_putc(b, *v);
    }
    dp_buf_putc(b, '"');
}

static const json_t *dataset(const json_t *spec, const char *name, size_t len)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        if (strlen(s(d, "name")) == len && !strncmp(s(d, "name"), name, len))
            return d;
    }
    return NULL;
}

/* Column-level lineage as a Mermaid graph: a subgraph per source dataset
 * with the columns read, the target's columns, an edge per dependency. */
static void column_mermaid(dp_buf *b, const json_t *spec, json_t *const *sources, size_t ncols)
{
    const json_t *dm = json_object_get(spec, "data_model");
    json_t *seen = json_object(); /* dataset -> [columns] in first-seen order */
    for (size_t i = 0; i < ncols; i++) {
        size_t k;
        json_t *v;
        json_array_foreach(sources[i], k, v) {
            const char *x = json_string_value(v), *dot = strchr(x, '.');
            if (!dot)
                continue;
            json_t *key = json_stringn(x, (size_t)(dot - x));
            const char *ds = json_string_value(key);
            if (!json_object_get(seen, ds))
                json_object_set_new(seen, ds, json_array());
            json_t *cols = json_object_get(seen, ds), *u;
            size_t q;
            int dup = 0;
            json_array_foreach(cols, q, u) dup |= !strcmp(json_string_value(u), dot + 1);
            if (!dup)
                json_array_append_new(cols, json_string(dot + 1));
            json_decref(key);
        }
    }
    dp_buf_puts(b, "```mermaid\ngraph LR\n");
    const char *ds;
    json_t *cols;
    json_object_foreach(seen, ds, cols) {
        const json_t *d = dataset(spec, ds, strlen(ds));
        dp_buf_puts(b, "  subgraph ");
        node_id(b, "ds_", ds);
        dp_buf_putc(b, '[');
        label(b, d ? s(d, "table") : ds);
        dp_buf_puts(b, "]\n");
        size_t k;
        json_t *c;
        json_array_foreach(cols, k, c) {
            dp_buf_puts(b, "    ");
            node_id(b, "s_", ds);
            node_id(b, "__", json_string_value(c));
            dp_buf_putc(b, '[');
            label(b, json_string_value(c));
            dp_buf_puts(b, "]\n");
        }
        dp_buf_puts(b, "  end\n");
    }
    dp_buf_puts(b, "  subgraph target[");
    label(b, s(dm, "target_table"));
    dp_buf_puts(b, "]\n");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        dp_buf_puts(b, "    ");
        node_id(b, "t__", s(c, "name"));
        dp_buf_putc(b, '[');
        label(b, s(c, "name"));
        dp_buf_puts(b, "]\n");
    }
    dp_buf_puts(b, "  end\n");
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        if (i >= ncols)
            break;
        size_t k;
        json_t *v;
        json_array_foreach(sources[i], k, v) {
            const char *x = json_string_value(v), *dot = strchr(x, '.');
            if (!dot)
                continue;
            char ds_name[256];
            snprintf(ds_name, sizeof(ds_name), "%.*s", (int)(dot - x), x);
            dp_buf_puts(b, "  ");
            node_id(b, "s_", ds_name);
            node_id(b, "__", dot + 1);
            dp_buf_puts(b, " --> ");
            node_id(b, "t__", s(c, "name"));
            dp_buf_putc(b, '\n');
        }
    }
    dp_buf_puts(b, "```\n");
    json_decref(seen);
}

static const char *lineage_expression(const json_t *spec, const char *column)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(json_object_get(spec, "lineage"), "columns"), i, l) {
        if (!strcmp(s(l, "column"), column))
            return s(l, "expression");
    }
    return "";
}

#define DP_MD_MAX_COLUMNS 512

char *dp_render_markdown(const json_t *spec)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const json_t *md = json_object_get(spec, "metadata"), *bc = json_object_get(spec, "business_context");
    const json_t *dm = json_object_get(spec, "data_model"), *tx = json_object_get(spec, "transformation");
    const json_t *q = json_object_get(spec, "quality"), *sla = json_object_get(spec, "sla");
    const json_t *in = json_object_get(spec, "intent"), *lin = json_object_get(spec, "lineage");
    const json_t *run = json_object_get(tx, "test_run");
    size_t i;
    json_t *c;

    dp_buf_printf(&b, "# %s\n\n%s\n\n", s(md, "name"), s(md, "description"));
    dp_buf_printf(&b, "- **Table:** `%s` (%s)\n- **Grain:** %s\n- **Owner:** %s\n- **Version:** %s\n", s(dm, "target_table"),
                  s(dm, "materialization"), s(dm, "grain"), s(md, "owner"), s(md, "version"));
    if (json_array_size(json_object_get(bc, "stakeholders"))) {
        dp_buf_puts(&b, "- **Stakeholders:** ");
        json_array_foreach(json_object_get(bc, "stakeholders"), i, c) dp_buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(c));
        dp_buf_putc(&b, '\n');
    }
    dp_buf_printf(&b, "- **Generated:** %s by %s (spec %s)\n", s(md, "created_at"), s(md, "generator"), s(spec, "spec_version"));

    /* purpose: the request and how it was read */
    dp_buf_printf(&b, "\n## Purpose\n\n> %s\n\n", s(bc, "request"));
    dp_buf_puts(&b, "Read as: ");
    json_array_foreach(json_object_get(bc, "metrics"), i, c) dp_buf_printf(&b, "%s`%s`", i ? ", " : "", s(c, "name"));
    if (json_is_string(json_object_get(bc, "time_grain")))
        dp_buf_printf(&b, " per %s", s(bc, "time_grain"));
    const json_t *tr = json_object_get(in, "time_range");
    if (json_is_object(tr))
        dp_buf_printf(&b, ", %s (%s to %s, end excluded)", s(tr, "text"), s(tr, "start"), s(tr, "end"));
    json_array_foreach(json_object_get(in, "filters"), i, c) {
        dp_buf_printf(&b, "%s%s", i ? ", " : "; filtered on ", s(c, "phrase"));
    }
    const json_t *ord = json_object_get(in, "order");
    if (json_is_object(ord))
        dp_buf_printf(&b, "; top %lld by %s (%s)", (long long)json_integer_value(json_object_get(ord, "limit")),
                      s(ord, "metric"), s(ord, "direction"));
    dp_buf_printf(&b, ". Intent confidence %.2f.\n", json_number_value(json_object_get(in, "confidence")));

    /* grain and columns */
    dp_buf_printf(&b, "\n## Grain\n\n%s. Primary key: ", s(dm, "grain"));
    if (!json_array_size(json_object_get(dm, "primary_keys")) && !json_array_size(json_object_get(dm, "unique_key")))
        dp_buf_puts(&b, "none (a single row)");
    else if (!json_array_size(json_object_get(dm, "primary_keys"))) {
        /* a grain column with a NULL group: the reason, from the column */
        dp_buf_puts(&b, "none");
        json_array_foreach(json_object_get(dm, "columns"), i, c) {
            if (*s(c, "key_note"))
                dp_buf_printf(&b, " (`%s`: %s)", s(c, "name"), s(c, "key_note"));
        }
    }
    json_array_foreach(json_object_get(dm, "primary_keys"), i, c) dp_buf_printf(&b, "%s`%s`", i ? ", " : "", json_string_value(c));
    dp_buf_puts(&b, ".\n\n## Columns\n\n| column | type | role | key | constraints | description |\n|---|---|---|---|---|---|\n");
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        dp_buf_printf(&b, "| `%s` | %s | %s | %s | ", s(c, "name"), s(c, "type"), s(c, "role"),
                      json_is_true(json_object_get(c, "primary_key")) ? "yes" : "");
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(c, "constraints"), k, x) {
            dp_buf_puts(&b, k ? ", " : "");
            cell(&b, json_string_value(x));
        }
        dp_buf_puts(&b, " | ");
        cell(&b, s(c, "description"));
        dp_buf_puts(&b, " |\n");
    }

    dp_buf_puts(&b, "\n## Metric definitions\n\n");
    json_array_foreach(json_object_get(bc, "metrics"), i, c) {
        dp_buf_printf(&b, "- **%s** (`%s`, %s): %s  \n  `%s`", *s(c, "label") ? s(c, "label") : s(c, "name"), s(c, "name"),
                      s(c, "type"), s(c, "definition"), s(c, "formula"));
        if (*s(c, "filter"))
            dp_buf_printf(&b, ", filtered on `%s`", s(c, "filter"));
        dp_buf_printf(&b, " (defined in %s)\n", s(c, "defined_in"));
    }

    dp_buf_puts(&b, "\n## Sources\n\n| dataset | table | rows | freshest | quality | columns used |\n|---|---|---|---|---|---|\n");
    json_array_foreach(json_object_get(spec, "source_datasets"), i, c) {
        dp_buf_printf(&b, "| %s | `%s` | %lld | %s | %.2f | ", s(c, "name"), s(c, "table"),
                      (long long)json_integer_value(json_object_get(c, "row_count")),
                      *s(c, "freshest") ? s(c, "freshest") : "-", json_number_value(json_object_get(c, "quality_score")));
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(c, "columns_used"), k, x) dp_buf_printf(&b, "%s`%s`", k ? ", " : "", json_string_value(x));
        dp_buf_puts(&b, " |\n");
    }
    if (json_array_size(json_object_get(lin, "joins"))) {
        dp_buf_puts(&b, "\nJoins:\n\n");
        json_array_foreach(json_object_get(lin, "joins"), i, c)
            dp_buf_printf(&b, "- %s -> %s on `%s` (%s)\n", s(c, "from"), s(c, "to"), s(c, "on"), s(c, "type"));
    }

    /* lineage: datasets, then columns */
    dp_buf_printf(&b, "\n## Lineage\n\n%s from ", s(lin, "transformation_type"));
    json_array_foreach(json_object_get(lin, "upstream"), i, c) dp_buf_printf(&b, "%s`%s`", i ? ", " : "", json_string_value(c));
    dp_buf_printf(&b, " into `%s`.", s(lin, "target"));
    if (json_array_size(json_object_get(lin, "sibling_products"))) {
        dp_buf_puts(&b, " Other products on the same sources: ");
        json_array_foreach(json_object_get(lin, "sibling_products"), i, c)
            dp_buf_printf(&b, "%s`%s`", i ? ", " : "", json_string_value(c));
        dp_buf_putc(&b, '.');
    }
    dp_buf_printf(&b, "\n\n```mermaid\n%s```\n\n### Column-level lineage\n\n", s(lin, "mermaid"));
    json_t *sources[DP_MD_MAX_COLUMNS];
    size_t ncols = 0;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        if (ncols < DP_MD_MAX_COLUMNS)
            sources[ncols++] = dp_packaging__column_sources(spec, s(c, "name"));
    }
    column_mermaid(&b, spec, sources, ncols);
    dp_buf_puts(&b, "\n| column | from | expression |\n|---|---|---|\n");
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        if (i >= ncols)
            break;
        dp_buf_printf(&b, "| `%s` | ", s(c, "name"));
        size_t k;
        json_t *x;
        json_array_foreach(sources[i], k, x) dp_buf_printf(&b, "%s`%s`", k ? ", " : "", json_string_value(x));
        if (!json_array_size(sources[i]))
            dp_buf_puts(&b, "-");
        dp_buf_puts(&b, " | ");
        const char *e = lineage_expression(spec, s(c, "name"));
        cell(&b, *e ? e : s(c, "expression"));
        dp_buf_puts(&b, " |\n");
    }
    for (i = 0; i < ncols; i++)
        json_decref(sources[i]);

    dp_buf_printf(&b, "\n## Transformation (%s)\n\n```sql\n%s\n```\n\n", s(tx, "dialect"), s(tx, "sql"));
    dp_buf_printf(&b, "Test run on %s: %lld rows in %.1f ms; result schema %s the design.\n", s(run, "engine"),
                  (long long)json_integer_value(json_object_get(run, "rows")), json_number_value(json_object_get(run, "ms")),
                  json_is_true(json_object_get(json_object_get(run, "schema_check"), "matches")) ? "matches" : "differs from");

    dp_buf_puts(&b, "\n## Quality rules\n\n| id | rule | severity | source | result |\n|---|---|---|---|---|\n");
    size_t nfailed = 0;
    json_array_foreach(json_object_get(q, "rules"), i, c) {
        const json_t *res = json_object_get(c, "result");
        dp_buf_printf(&b, "| %s | ", s(c, "id"));
        cell(&b, s(c, "description"));
        dp_buf_puts(&b, " (`"); /* a model's condition may hold || */
        cell(&b, s(c, "definition"));
        dp_buf_printf(&b, "`) | %s | %s | %s", s(c, "severity"), s(c, "source"), s(res, "status"));
        if (json_integer_value(json_object_get(res, "failing_rows")))
            dp_buf_printf(&b, " (%lld rows)", (long long)json_integer_value(json_object_get(res, "failing_rows")));
        dp_buf_puts(&b, " |\n");
        nfailed += strcmp(s(res, "status"), "passed") != 0;
    }
    if (nfailed) {
        dp_buf_printf(&b, "\n%zu rule(s) did not pass on the test run:\n\n", nfailed);
        json_array_foreach(json_object_get(q, "rules"), i, c) {
            const json_t *res = json_object_get(c, "result");
            if (!strcmp(s(res, "status"), "passed"))
                continue;
            dp_buf_printf(&b, "- **%s** (%s): ", s(c, "id"), s(c, "severity"));
            cell(&b, s(c, "description"));
            if (json_is_integer(json_object_get(res, "failing_rows")))
                dp_buf_printf(&b, "; %lld failing row(s), e.g. `", (long long)json_integer_value(json_object_get(res, "failing_rows")));
            else
                dp_buf_printf(&b, "; %s", s(res, "message"));
            const json_t *ex = json_array_get(json_object_get(res, "examples"), 0);
            if (json_is_object(ex)) {
                char *one = json_dumps(ex, JSON_COMPACT | JSON_PRESERVE_ORDER);
                for (char *p = one; p && *p; p++)
                    if (*p == '`')
                        *p = '\'';
                dp_buf_puts(&b, one ? one : "");
                free(one);
                dp_buf_putc(&b, '`');
            } else if (json_is_integer(json_object_get(res, "failing_rows"))) {
                dp_buf_puts(&b, "`");
            }
            dp_buf_putc(&b, '\n');
        }
    }
    dp_buf_printf(&b, "\nThe rules ship as a Great Expectations suite (%zu expectations), dbt tests and SQL assertions.\n",
                  json_array_size(json_object_get(json_object_get(q, "great_expectations_suite"), "expectations")));

    dp_buf_puts(&b, "\n## SLA\n\n");
    const char *k;
    json_object_foreach((json_t *)sla, k, c) {
        if (json_object_get(c, "target"))
            dp_buf_printf(&b, "- **%s:** %s (measured by %s)\n", k, s(c, "target"), s(c, "measured_by"));
    }
    const json_t *cur = json_object_get(sla, "current");
    if (json_is_object(cur))
        dp_buf_printf(&b, "- **now:** %lld of %lld error rules and %lld of %lld warn rules failed on the test run\n",
                      (long long)json_integer_value(json_object_get(cur, "error_rules_failed")),
                      (long long)json_integer_value(json_object_get(cur, "error_rules")),
                      (long long)json_integer_value(json_object_get(cur, "warn_rules_failed")),
                      (long long)json_integer_value(json_object_get(cur, "warn_rules")));
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    if (sch.grain)
        dp_buf_printf(&b, "- **schedule:** cron `%s` (UTC), an hour before the data is due\n", sch.cron);

    const char *name = s(md, "name");
    dp_buf_printf(&b,
                  "\n## Deployment\n\n`dpgen generate --out DIR` writes, next to this file: `spec.yaml` and `spec.json`; "
                  "the dbt project `dbt/` (model `models/%s.sql` with an enforced contract, tests in `models/schema.yml` "
                  "and `tests/`, sources with freshness and the source rules' tests in `models/sources.yml`; run it "
                  "in `dbt/` with the environment variables `profiles.yml` lists); "
                  "`gx/%s_suite.json`; the ODCS data contract `%s.odcs.yaml`; the Airflow DAG `airflow/%s_dag.py` "
                  "(`dbt deps`, `dbt source freshness`, `dbt build`); and `sql/assertions.sql`.\n",
                  name, name, name, name);
    return dp_buf_detach(&b);
}

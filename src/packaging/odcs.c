/* The ODCS v3.1.0 data contract of a spec: the product's table and the
 * source tables as schema objects, each rule on the table it checks, the
 * SLA, and a local server over Parquet that datacontract-cli can test. */
#include "packaging/odcs.h"
#include "packaging/airflow.h"
#include "packaging/odcs_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define str dp_odcs__str

static const char *dimension_of(const char *type)
{
    static const struct {
        const char *type, *dim;
    } map[] = {{"not_null", "completeness"},       {"row_count", "completeness"},
               {"unique_key", "uniqueness"},       {"source_unique_key", "uniqueness"},
               {"accepted_values", "conformity"},  {"types", "conformity"},
               {"range", "accuracy"},              {"non_negative", "accuracy"},
               {"source_non_negative", "accuracy"}, {"funnel_order", "consistency"},
               {"source_relationship", "consistency"}, {"freshness", "timeliness"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
        if (!strcmp(map[i].type, type))
            return map[i].dim;
    return NULL;
}

/* The GX expectation that carries a rule's structured arguments. */
static const json_t *gx_kwargs(const json_t *spec, const char *rule_id)
{
    const json_t *suite = json_object_get(json_object_get(spec, "quality"), "great_expectations_suite");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(suite, "expectations"), i, e) {
        if (!strcmp(str(json_object_get(e, "meta"), "rule_id"), rule_id))
            return json_object_get(e, "kwargs");
    }
    return NULL;
}

/* One rule in ODCS form: a library metric where ODCS has one for a rule
 * on the product, else the rule's failing-rows SQL counted (mustBe 0) over
 * the contract's views (rename: "schema.table" -> view). No result: the
 * run record (the spec) holds those. */
static json_t *odcs_rule(const json_t *spec, const json_t *rule, const char *target, const char *view,
                         const json_t *rename, int on_product, int on_column)
{
    const char *type = str(rule, "type"), *id = str(rule, "id");
    json_t *q = json_object();
    if (dp_odcs__stable_id(id))
        json_object_set_new(q, "id", json_string(id));
    json_object_set_new(q, "name", json_string(type));
    json_object_set_new(q, "description", json_string(str(rule, "description")));
    if (dimension_of(type))
        json_object_set_new(q, "dimension", json_string(dimension_of(type)));
    json_object_set_new(q, "severity", json_string(!strcmp(str(rule, "severity"), "error") ? "error" : "warning"));
    const json_t *kw = gx_kwargs(spec, id);
    if (on_product && on_column && !strcmp(type, "not_null")) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("nullValues"));
    } else if (on_product && on_column && !strcmp(type, "accepted_values") &&
               json_is_array(json_object_get(kw, "value_set"))) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("invalidValues"));
        json_object_set_new(q, "arguments", json_pack("{s:O}", "validValues", json_object_get(kw, "value_set")));
    } else if (on_product && !strcmp(type, "unique_key") && json_is_array(json_object_get(kw, "column_list"))) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("duplicateValues"));
        json_object_set_new(q, "arguments", json_pack("{s:O}", "properties", json_object_get(kw, "column_list")));
    } else {
        char quoted[300];
        snprintf(quoted, sizeof(quoted), "\"%s\"", view);
        dp_sql_target t = {.temp = target, .result = quoted};
        char *failing = dp_packaging__sql_retarget_renamed(str(rule, "sql"), &t, rename);
        if (!failing) {
            json_decref(q);
            return NULL;
        }
        json_object_set_new(q, "type", json_string("sql"));
        json_object_set_new(q, "query", json_sprintf("SELECT COUNT(*) FROM (%s) AS failing", failing));
        free(failing);
    }
    json_object_set_new(q, "mustBe", json_integer(0));
    json_object_set_new(q, "unit", json_string("rows"));
    json_t *cp = json_array();
    json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenRuleSource", "value", str(rule, "source")));
    json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenDefinition", "value", str(rule, "definition")));
    if (*str(rule, "dataset"))
        json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenDataset", "value", str(rule, "dataset")));
    if (*str(rule, "proposed_by")) /* a language model's rule says so in the contract too */
        json_array_append_new(cp,
                              json_pack("{s:s,s:s}", "property", "dpgenProposedBy", "value", str(rule, "proposed_by")));
    json_object_set_new(q, "customProperties", cp);
    return q;
}

/* Appends r to the quality list of obj, or of its property named column
 * when it has one (and allow_property). */
static void attach(json_t *obj, const char *column, json_t *r, int allow_property)
{
    json_t *dest = NULL;
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(obj, "properties"), k, p) {
        if (allow_property && *column && !strcmp(str(p, "name"), column))
            dest = p;
    }
    if (!dest)
        dest = obj;
    if (!json_object_get(dest, "quality"))
        json_object_set_new(dest, "quality", json_array());
    json_array_append_new(json_object_get(dest, "quality"), r);
}

/* The object a source rule belongs to: its dataset's table, else the first
 * table its SQL reads. */
static const char *rule_object(const json_t *spec, const json_t *rule, const json_t *tables)
{
    const char *ds = str(rule, "dataset"), *qual = NULL;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        if (!strcmp(str(d, "name"), ds))
            qual = str(d, "table");
    }
    json_t *reads = json_array();
    dp_sql_target t = {.tables = reads};
    char *sql = dp_packaging__sql_retarget(str(rule, "sql"), &t);
    free(sql);
    int read = 0;
    json_array_foreach(reads, i, d)
        read |= qual && !strcmp(json_string_value(d), qual);
    if (!read)
        qual = json_string_value(json_array_get(reads, 0));
    const char *k, *found = NULL;
    json_t *v;
    json_object_foreach((json_t *)tables, k, v) {
        if (qual && !strcmp(json_string_value(v), qual))
            found = k;
    }
    json_decref(reads);
    return found;
}

/* "... >= 99% ..." -> 99; the first number in a target text, else -1. */
static double first_number(const char *s)
{
    for (; *s; s++)
        if (isdigit((unsigned char)*s)) {
            char *end = NULL;
            double d = strtod(s, &end);
            return end && end != s ? d : -1;
        }
    return -1;
}

static json_t *sla_props(const json_t *spec, const char *table, const char *time_col)
{
    const json_t *sla = json_object_get(spec, "sla");
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    json_t *out = json_array();
    const json_t *fr = json_object_get(sla, "freshness"), *la = json_object_get(sla, "latency");
    const json_t *co = json_object_get(sla, "completeness"), *ac = json_object_get(sla, "accuracy");
    char element[600];
    snprintf(element, sizeof(element), "%s%s%s", table, time_col ? "." : "", time_col ? time_col : "");
    if (sch.grain) {
        json_array_append_new(out, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "id", "frequency", "property",
                                             "frequency", "value", 1, "unit", sch.grain, "element", element, "driver",
                                             "analytics", "description", str(fr, "target"), "scheduler", "cron",
                                             "schedule", sch.cron));
        json_array_append_new(out, json_pack("{s:s,s:s,s:o,s:s,s:s,s:s}", "id", "time_of_availability", "property",
                                             "timeOfAvailability", "value",
                                             json_sprintf("%02d:%02d+00:00", sch.due_hour, sch.due_min), "element",
                                             element, "driver", "analytics", "description",
                                             str(fr, "measured_by")));
    }
    if (*str(la, "target")) {
        json_t *p = json_pack("{s:s,s:s}", "id", "latency", "property", "latency");
        if (sch.latency_hours > 0) {
            json_object_set_new(p, "value", json_real(sch.latency_hours));
            json_object_set_new(p, "unit", json_string("h"));
        } else {
            json_object_set_new(p, "value", json_string(str(la, "target")));
        }
        json_object_set_new(p, "element", json_string(element));
        json_object_set_new(p, "description", json_sprintf("%s; measured by %s", str(la, "target"), str(la, "measured_by")));
        json_array_append_new(out, p);
    }
    const json_t *pct[] = {co, ac};
    const char *names[] = {"completeness", "accuracy"};
    for (int i = 0; i < 2; i++) {
        if (!*str(pct[i], "target"))
            continue;
        double v = first_number(str(pct[i], "target"));
        json_t *p = json_pack("{s:s,s:s}", "id", names[i], "property", names[i]);
        json_object_set_new(p, "value", v >= 0 ? json_real(v) : json_string(str(pct[i], "target")));
        if (v >= 0)
            json_object_set_new(p, "unit", json_string("percent"));
        json_object_set_new(p, "element", json_string(table));
        json_object_set_new(p, "description", json_sprintf("%s; measured by %s", str(pct[i], "target"), str(pct[i], "measured_by")));
        json_array_append_new(out, p);
    }
    return out;
}

int dp_packaging__odcs(json_t **out, const json_t *spec, dp_error *err)
{
    *out = NULL;
    const json_t *md = json_object_get(spec, "metadata"), *bc = json_object_get(spec, "business_context");
    const json_t *dm = json_object_get(spec, "data_model"), *q = json_object_get(spec, "quality");
    const char *name = str(md, "name"), *target = str(dm, "target_table");
    const char *dot = strchr(target, '.');
    const char *table = dot ? dot + 1 : target;
    json_t *doc = NULL, *props = json_array(), *objs = json_object(), *rename = json_object();
    json_t *tables = dp_packaging__odcs_tables(spec);
    const char *time_col = NULL;
    size_t i;
    json_t *c, *rule;
    const char *k;
    json_t *v;
    if (!props || !objs || !rename || !tables)
        goto nomem;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        json_array_append_new(props, dp_odcs__product_property(spec, c, json_object_get(dm, "primary_keys")));
        if (!time_col && !strcmp(str(c, "role"), "time"))
            time_col = str(c, "name");
    }
    json_t *product = json_object();
    json_object_set_new(product, "id", json_string(dp_odcs__stable_id(table) ? table : name));
    json_object_set_new(product, "name", json_string(table));
    json_object_set_new(product, "physicalName", json_string(table));
    json_object_set_new(product, "physicalType", json_string("table"));
    json_object_set_new(product, "logicalType", json_string("object"));
    json_object_set_new(product, "description", json_string(str(md, "description")));
    json_object_set_new(product, "dataGranularityDescription", json_string(str(dm, "grain")));
    json_object_set_new(product, "tags", json_copy(json_object_get(md, "tags")));
    json_object_set_new(product, "properties", props);
    props = NULL;
    json_object_set_new(objs, table, product);
    json_object_foreach(tables, k, v) {
        char quoted[300];
        snprintf(quoted, sizeof(quoted), "\"%s\"", k);
        json_object_set_new(rename, json_string_value(v), json_string(quoted));
        if (strcmp(json_string_value(v), target))
            json_object_set_new(objs, k, dp_odcs__source_object(spec, k, json_string_value(v)));
    }
    json_array_foreach(json_object_get(q, "rules"), i, rule) {
        const char *type = str(rule, "type"), *col = str(rule, "column");
        if (!strcmp(type, "types"))
            continue; /* the properties' physicalType: datacontract-cli checks it */
        int on_product = strstr(str(rule, "sql"), target) != NULL;
        const char *oname = on_product ? table : rule_object(spec, rule, tables);
        json_t *obj = oname ? json_object_get(objs, oname) : NULL;
        if (!obj)
            obj = product;
        int on_column = 0;
        size_t n;
        json_array_foreach(json_object_get(obj, "properties"), n, c)
            on_column |= *col && !strcmp(str(c, "name"), col);
        /* row counts and multi-column checks belong to the object */
        if (!strcmp(type, "row_count") || !strcmp(type, "unique_key"))
            on_column = 0;
        json_t *r = odcs_rule(spec, rule, target, table, rename, on_product, on_column);
        if (!r)
            goto nomem;
        attach(obj, col, r, on_column);
    }
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    json_t *team = json_pack("{s:s,s:[{s:s,s:s}]}", "name", str(md, "owner"), "members", "username", str(md, "owner"),
                             "role", "owner");
    json_array_foreach(json_object_get(bc, "stakeholders"), i, c) {
        if (strcmp(json_string_value(c), str(md, "owner")))
            json_array_append_new(json_object_get(team, "members"),
                                  json_pack("{s:s,s:s}", "username", json_string_value(c), "role", "stakeholder"));
    }
    json_t *server = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", "local", "server", "local", "type", "local", "environment", "dev",
        "format", "parquet", "path", "./data/{model}.parquet", "description",
        "Parquet files beside this contract, one per schema object (data/<name>.parquet): dpgen wrote the test run's "
        "rows of the product and the rows of each source table; run `datacontract test` from this folder, since the "
        "path resolves against the working directory. For the deployed tables, export them to the same files.");
    json_t *schema = json_array();
    json_array_append(schema, product);
    json_object_foreach(objs, k, v) {
        if (v != product)
            json_array_append(schema, v);
    }
    doc = json_object();
    json_object_set_new(doc, "apiVersion", json_string("v3.1.0"));
    json_object_set_new(doc, "kind", json_string("DataContract"));
    json_object_set_new(doc, "id", json_sprintf("dpgen-%s", name));
    json_object_set_new(doc, "name", json_string(name));
    json_object_set_new(doc, "version", json_string(str(md, "version")));
    json_object_set_new(doc, "status", json_string("proposed"));
    json_object_set_new(doc, "tags", json_copy(json_object_get(md, "tags")));
    json_object_set_new(
        doc, "description",
        json_pack("{s:s,s:o,s:s}", "purpose", str(bc, "request"), "usage",
                  json_sprintf("%s. %s. Built by dbt (dbt run --select %s).", str(dm, "grain"),
                               sch.grain ? str(json_object_get(json_object_get(spec, "sla"), "freshness"), "target")
                                         : "Refreshed on demand",
                               name),
                  "limitations",
                  "Schema objects other than the product are the source tables it reads; the rules on them check the "
                  "source data. Column types are the properties' physicalType (the dbt contract enforces the same). "
                  "Each run's results are in its run record (the spec's quality.rules[].result), not here."));
    json_object_set_new(doc, "schema", schema);
    json_object_set_new(doc, "servers", json_pack("[o]", server));
    json_object_set_new(doc, "slaProperties", sla_props(spec, table, time_col));
    json_object_set_new(doc, "team", team);
    json_object_set_new(doc, "customProperties",
                        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "property", "dpgenSpecVersion", "value",
                                  str(spec, "spec_version"), "property", "generator", "value", str(md, "generator"),
                                  "property", "targetTable", "value", target));
    json_object_set_new(doc, "contractCreatedTs", json_string(str(md, "created_at")));
    json_decref(objs);
    json_decref(rename);
    json_decref(tables);
    *out = doc;
    return 0;
nomem:
    json_decref(props);
    json_decref(objs);
    json_decref(rename);
    json_decref(tables);
    return dp_error_set(err, DP_ENOMEM, "out of memory");
}

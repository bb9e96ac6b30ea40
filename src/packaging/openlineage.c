/* The OpenLineage RunEvent (spec 2-0-2) of a spec's test run, for lineage
 * catalogs (Marquez, DataHub, OpenMetadata): the job with its SQL, type and
 * documentation, each source as an input with its schema, the product as
 * the output with its schema, column lineage and the quality rules'
 * results. Rendered from the spec JSON only, like the other exports. */
#include "packaging/openlineage.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "util/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static int unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

void dp_packaging__ol_names(dp_ol_names *out, const json_t *spec)
{
    memset(out, 0, sizeof(*out));
    out->spec = spec;
    snprintf(out->producer, sizeof(out->producer), "https://github.com/dpgen/dpgen/tree/%s", DP_VERSION);
    /* the database's file name: a folder or a path of this machine means
     * nothing to a catalog */
    const char *db = dp_export__str(json_object_get(json_object_get(spec, "execution"), "catalog"), "database");
    size_t len = strlen(db);
    while (len && db[len - 1] == '/')
        len--;
    size_t start = len;
    while (start && db[start - 1] != '/')
        start--;
    char file[128] = "";
    snprintf(file, sizeof(file), "%.*s", (int)(len - start), db + start);
    if (!file[0])
        snprintf(file, sizeof(file), "memory");
    snprintf(out->db, sizeof(out->db), "%s", file);
    char *dot = strrchr(out->db, '.');
    if (dot && dot != out->db)
        *dot = 0;
    const char *env = getenv("DPGEN_OPENLINEAGE_DATASET_NAMESPACE");
    if (env && *env) {
        snprintf(out->ns, sizeof(out->ns), "%s", env);
        return;
    }
    size_t o = (size_t)snprintf(out->ns, sizeof(out->ns), "duckdb://");
    for (const char *p = file; *p && o + 4 < sizeof(out->ns); p++)
        o += (size_t)snprintf(out->ns + o, sizeof(out->ns) - o, unreserved((unsigned char)*p) ? "%c" : "%%%02X",
                              (unsigned char)*p);
}

json_t *dp_packaging__ol_facet(const dp_ol_names *n, const char *version, const char *def)
{
    return json_pack("{s:s,s:s+++++}", "_producer", n->producer, "_schemaURL", DP_OL_FACETS_URL, version, "/", def,
                     ".json#/$defs/", def);
}

json_t *dp_packaging__ol_table_name(const dp_ol_names *n, const char *table)
{
    return json_sprintf("%s.%s", n->db, table);
}

json_t *dp_packaging__ol_source_name(const dp_ol_names *n, const char *dataset)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(n->spec, "source_datasets"), i, d) {
        if (!strcmp(dp_export__str(d, "name"), dataset))
            return dp_packaging__ol_table_name(n, dp_export__str(d, "table"));
    }
    return NULL;
}

/* ---- facets ---- */

/* Adds a facet: base fields first, then body's (body is consumed). */
static int add_facet(json_t *facets, const char *key, const dp_ol_names *n, const char *version, const char *def,
                     json_t *body)
{
    json_t *f = dp_packaging__ol_facet(n, version, def);
    if (!f || !body || json_object_update(f, body)) {
        json_decref(f);
        json_decref(body);
        return -1;
    }
    json_decref(body);
    return json_object_set_new(facets, key, f) ? -1 : 0;
}

/* Schema facet fields: name and type, with description and position when
 * the columns carry them (the product's do). */
static json_t *schema_fields(const json_t *cols, int product)
{
    json_t *fields = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) {
        json_t *f = json_pack("{s:s}", "name", dp_export__str(c, "name"));
        if (!f)
            break;
        if (*dp_export__str(c, "type"))
            json_object_set_new(f, "type", json_string(dp_export__str(c, "type")));
        if (product && *dp_export__str(c, "description"))
            json_object_set_new(f, "description", json_string(dp_export__str(c, "description")));
        if (product)
            json_object_set_new(f, "ordinal_position", json_integer((json_int_t)i + 1));
        json_array_append_new(fields, f);
    }
    return json_pack("{s:o}", "fields", fields);
}

static int has_field(const json_t *cols, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) {
        if (!strcmp(dp_export__str(c, "name"), name))
            return 1;
    }
    return 0;
}

/* One rule as an assertion: success is "passed" (a rule that could not run
 * is not a success), the column when the dataset has it. */
static json_t *assertion(const json_t *rule, const json_t *cols)
{
    const json_t *res = json_object_get(rule, "result");
    const char *status = dp_export__str(res, "status"), *col = dp_export__str(rule, "column");
    json_t *a = json_pack("{s:s,s:b}", "assertion", dp_export__str(rule, "type"), "success", !strcmp(status, "passed"));
    if (!a)
        return NULL;
    if (*col && has_field(cols, col))
        json_object_set_new(a, "column", json_string(col));
    static const char *const copied[][2] = {
        {"severity", "severity"}, {"id", "name"}, {"description", "description"}, {"sql", "content"}};
    for (size_t i = 0; i < sizeof(copied) / sizeof(*copied); i++)
        if (*dp_export__str(rule, copied[i][0]))
            json_object_set_new(a, copied[i][1], json_string(dp_export__str(rule, copied[i][0])));
    if (*dp_export__str(rule, "sql"))
        json_object_set_new(a, "contentType", json_string("sql"));
    json_t *params = json_pack("{s:s}", "status", status);
    if (json_object_get(res, "failing_rows"))
        json_object_set(params, "failing_rows", json_object_get(res, "failing_rows"));
    if (*dp_export__str(res, "message"))
        json_object_set_new(params, "message", json_string(dp_export__str(res, "message")));
    if (*dp_export__str(rule, "definition"))
        json_object_set_new(params, "definition", json_string(dp_export__str(rule, "definition")));
    json_object_set_new(a, "params", params);
    return a;
}

/* The tables a rule's SQL reads ("schema.table", new array). */
static json_t *tables_read(const json_t *rule)
{
    json_t *tables = json_array();
    dp_sql_target t = {0};
    t.tables = tables;
    free(dp_packaging__sql_retarget(dp_export__str(rule, "sql"), &t));
    return tables;
}

static int reads(const json_t *tables, const char *table)
{
    size_t i;
    json_t *v;
    json_array_foreach(tables, i, v) {
        if (!strcmp(json_string_value(v), table))
            return 1;
    }
    return 0;
}

/* The source dataset a rule is about (NULL: the product's). A rule that
 * reads the product, or no table at all (the type check reads the catalog
 * of columns), is the product's; else the dataset the rule names when it
 * reads that one's table (a relationship rule also reads the parent's),
 * else the first source whose table it reads, else (it reads other
 * tables only) the dataset it names. */
static const json_t *rule_dataset(const json_t *spec, const json_t *rule)
{
    const char *target = dp_export__str(json_object_get(spec, "data_model"), "target_table");
    json_t *tables = tables_read(rule);
    const json_t *owner = NULL;
    size_t i;
    json_t *d;
    if (!reads(tables, target))
        json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
            if (!reads(tables, dp_export__str(d, "table")))
                continue;
            if (!owner || !strcmp(dp_export__str(d, "name"), dp_export__str(rule, "dataset")))
                owner = d;
        }
    /* reading only tables that are not inputs (a parent's): the dataset
     * the rule names, when it is one */
    if (!owner && json_array_size(tables) && !reads(tables, target))
        json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
            if (!owner && !strcmp(dp_export__str(d, "name"), dp_export__str(rule, "dataset")))
                owner = d;
        }
    json_decref(tables);
    return owner;
}

/* The dataQualityAssertions body of source dataset d, or of the product
 * when d is NULL; NULL when no rule belongs there. */
static json_t *assertions(const json_t *spec, const json_t *d, const json_t *cols)
{
    json_t *list = json_array();
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        if (rule_dataset(spec, rule) == d)
            json_array_append_new(list, assertion(rule, cols));
    }
    if (!json_array_size(list)) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "assertions", list);
}

/* Facets every dataset of the event has: schema, dataSource, and the
 * documentation when there is a description. */
static int dataset_facets(json_t *facets, const dp_ol_names *n, const json_t *cols, int product, const char *doc)
{
    int bad = add_facet(facets, "schema", n, "1-2-0", "SchemaDatasetFacet", schema_fields(cols, product));
    /* a namespace given by the environment may not be a URI: then the
     * data source has its name only */
    json_t *src = json_pack("{s:s}", "name", n->ns);
    if (src && strstr(n->ns, "://") && !strpbrk(n->ns, " \"<>\\^`{|}"))
        json_object_set_new(src, "uri", json_string(n->ns));
    bad |= add_facet(facets, "dataSource", n, "1-0-1", "DatasourceDatasetFacet", src);
    if (*doc)
        bad |= add_facet(facets, "documentation", n, "1-1-0", "DocumentationDatasetFacet",
                         json_pack("{s:s}", "description", doc));
    return bad;
}

static json_t *input(const dp_ol_names *n, const json_t *d)
{
    json_t *name = dp_packaging__ol_table_name(n, dp_export__str(d, "table"));
    json_t *in = json_pack("{s:s,s:o,s:{},s:{}}", "namespace", n->ns, "name", name, "facets", "inputFacets");
    if (!in)
        return NULL;
    const json_t *cols = json_object_get(d, "schema");
    json_t *facets = json_object_get(in, "facets"), *infacets = json_object_get(in, "inputFacets");
    int bad = dataset_facets(facets, n, cols, 0, dp_export__str(d, "description"));
    json_t *dq = assertions(n->spec, d, cols);
    /* an input facet by the spec; in the dataset facets too, where the
     * spec's examples and the dbt integration put it */
    if (dq && !bad) {
        bad |= add_facet(infacets, "dataQualityAssertions", n, "1-1-0", "DataQualityAssertionsDatasetFacet",
                         json_deep_copy(dq));
        bad |= add_facet(facets, "dataQualityAssertions", n, "1-1-0", "DataQualityAssertionsDatasetFacet", dq);
    } else {
        json_decref(dq);
    }
    if (!json_object_size(infacets))
        json_object_del(in, "inputFacets");
    if (bad) {
        json_decref(in);
        return NULL;
    }
    return in;
}

static int output(json_t **out, const dp_ol_names *n, dp_error *err)
{
    const json_t *spec = n->spec, *dm = json_object_get(spec, "data_model");
    const json_t *meta = json_object_get(spec, "metadata"), *cols = json_object_get(dm, "columns");
    const json_t *run = json_object_get(json_object_get(spec, "transformation"), "test_run");
    json_t *lineage = NULL, *o = NULL;
    int rc = dp_packaging__ol_column_lineage(&lineage, n, err);
    if (rc)
        return rc;
    o = json_pack("{s:s,s:o,s:{},s:{}}", "namespace", n->ns, "name",
                  dp_packaging__ol_table_name(n, dp_export__str(dm, "target_table")), "facets", "outputFacets");
    if (!o) {
        json_decref(lineage);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    json_t *facets = json_object_get(o, "facets"), *outfacets = json_object_get(o, "outputFacets");
    int bad = dataset_facets(facets, n, cols, 1, dp_export__str(meta, "description"));
    bad |= add_facet(facets, "columnLineage", n, "1-2-0", "ColumnLineageDatasetFacet", lineage);
    json_t *dq = assertions(spec, NULL, cols);
    if (dq)
        bad |= add_facet(facets, "dataQualityAssertions", n, "1-1-0", "DataQualityAssertionsDatasetFacet", dq);
    if (*dp_export__str(meta, "owner"))
        bad |= add_facet(facets, "ownership", n, "1-0-1", "OwnershipDatasetFacet",
                         json_pack("{s:[{s:s}]}", "owners", "name", dp_export__str(meta, "owner")));
    /* the rows the test run produced: what a run of the SQL writes */
    if (json_is_integer(json_object_get(run, "rows")))
        bad |= add_facet(outfacets, "outputStatistics", n, "1-0-2", "OutputStatisticsOutputDatasetFacet",
                         json_pack("{s:O}", "rowCount", json_object_get(run, "rows")));
    if (!json_object_size(outfacets))
        json_object_del(o, "outputFacets");
    if (bad) {
        json_decref(o);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    *out = o;
    return 0;
}

static const char *job_namespace(void)
{
    const char *v = getenv("DPGEN_OPENLINEAGE_NAMESPACE");
    if (!v || !*v)
        v = getenv("OPENLINEAGE_NAMESPACE");
    return v && *v ? v : "dpgen";
}

int dp_packaging__openlineage(json_t **out, const json_t *spec, dp_error *err)
{
    *out = NULL;
    const json_t *meta = json_object_get(spec, "metadata"), *tx = json_object_get(spec, "transformation");
    const char *run_id = dp_export__str(json_object_get(spec, "execution"), "run_id");
    const char *when = dp_export__str(meta, "created_at"), *name = dp_export__str(meta, "name");
    if (!*run_id || !*when || !*name)
        return dp_error_set(err, DP_EINVALID, "the spec has no run id, creation time or name for a lineage event");
    dp_ol_names n;
    dp_packaging__ol_names(&n, spec);
    json_t *ev = NULL, *o = NULL;
    int rc = output(&o, &n, err);
    if (rc)
        return rc;
    ev = json_pack("{s:s,s:s,s:s,s:s,s:{s:s},s:{s:s,s:s,s:{}},s:[],s:[o]}", "eventType", "COMPLETE", "eventTime", when,
                   "producer", n.producer, "schemaURL", DP_OL_SPEC_URL "#/$defs/RunEvent", "run", "runId", run_id,
                   "job", "namespace", job_namespace(), "name", name, "facets", "inputs", "outputs", o);
    if (!ev)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    json_t *jf = json_object_get(json_object_get(ev, "job"), "facets");
    int bad =
        add_facet(jf, "jobType", &n, "2-0-4", "JobTypeJobFacet",
                  json_pack("{s:s,s:s,s:s}", "processingType", "BATCH", "integration", "DPGEN", "jobType", "QUERY"));
    bad |= add_facet(jf, "sql", &n, "1-1-0", "SQLJobFacet",
                     json_pack("{s:s,s:s}", "query", dp_export__str(tx, "sql"), "dialect",
                               *dp_export__str(tx, "dialect") ? dp_export__str(tx, "dialect") : "duckdb"));
    if (*dp_export__str(meta, "description"))
        bad |= add_facet(jf, "documentation", &n, "1-1-0", "DocumentationJobFacet",
                         json_pack("{s:s}", "description", dp_export__str(meta, "description")));
    size_t i;
    json_t *d, *inputs = json_object_get(ev, "inputs");
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        json_t *in = input(&n, d);
        bad |= !in || json_array_append_new(inputs, in);
    }
    if (bad) {
        json_decref(ev);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    *out = ev;
    return 0;
}

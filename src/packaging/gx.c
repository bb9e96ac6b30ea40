/* The Great Expectations 1.x suite of a spec: the column expectations the
 * quality stage states with structured arguments, completed here so that
 * every rule has an expectation that runs in GX as it is. */
#include "dpgen/dpgen.h"
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

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* GX formats the query with str.format(batch=...) and runs it through
 * SQLAlchemy's text(): braces are doubled and a ":name" (a bind parameter
 * to text()) gets its colon escaped, so the SQL reaches the database as
 * written. */
static char *gx_escape(const char *sql)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    for (const char *p = sql; *p; p++) {
        if (*p == '{' || *p == '}')
            dp_buf_putc(&b, *p);
        else if (*p == ':' &&
                 (p == sql || (p[-1] != ':' && p[-1] != '\\' && !isalnum((unsigned char)p[-1]) && p[-1] != '_')) &&
                 (isalnum((unsigned char)p[1]) || p[1] == '_'))
            dp_buf_putc(&b, '\\');
        dp_buf_putc(&b, *p);
    }
    if (b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

char *dp_packaging__gx_query(const char *sql, const char *target)
{
    char *esc = gx_escape(sql);
    if (!esc)
        return NULL;
    dp_sql_target t = {.temp = target, .result = "{batch}"};
    char *out = dp_packaging__sql_retarget(esc, &t);
    free(esc);
    return out;
}

static int has_expectation(const json_t *suite, const char *rule_id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(suite, "expectations"), i, e) {
        if (!strcmp(sget(json_object_get(e, "meta"), "rule_id"), rule_id))
            return 1;
    }
    return 0;
}

/* "count(*) BETWEEN 1 AND 42" -> 42; -1 when the bound is not a number (a
 * query over the sources, which grows with them). */
static long long fixed_upper_bound(const char *definition)
{
    const char *and = strstr(definition, " AND ");
    if (!strstr(definition, "BETWEEN") || !and)
        return -1;
    const char *p = and+5;
    if (!*p)
        return -1;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            return -1;
    return strtoll(p, NULL, 10);
}

int dp_packaging__gx_complete(json_t *suite, const json_t *rules, const char *target, dp_error *err)
{
    json_t *exps = json_object_get(suite, "expectations");
    if (!json_is_array(exps))
        return dp_error_set(err, DP_EINVALID, "the GX suite has no expectations list");
    json_t *meta = json_object_get(suite, "meta");
    if (!json_is_object(meta)) {
        meta = json_object();
        json_object_set_new(suite, "meta", meta);
    }
    json_object_set_new(
        meta, "column_types",
        json_string("left to the dbt contract (enforced data_type of each column) and to the ODCS "
                    "physicalType: GX names types by datasource (pandas dtypes, SQLAlchemy classes), so "
                    "no DuckDB type name is asserted here"));
    json_object_set_new(
        meta, "unexpected_rows_expectation",
        json_string("SQL datasources only (not pandas): {batch} is the product's table; a rule on "
                    "source data names the source tables, which the datasource's connection must reach"));
    size_t i;
    json_t *rule, *e;
    json_array_foreach(rules, i, rule) {
        const char *id = sget(rule, "id"), *type = sget(rule, "type");
        if (!strcmp(type, "types"))
            continue; /* see meta.column_types */
        if (!strcmp(type, "row_count")) {
            long long max = fixed_upper_bound(sget(rule, "definition"));
            size_t k;
            json_array_foreach(exps, k, e) {
                json_t *m = json_object_get(e, "meta");
                if (strcmp(sget(m, "rule_id"), id) || strcmp(sget(e, "type"), "expect_table_row_count_to_be_between"))
                    continue;
                if (max >= 0) {
                    json_object_set_new(json_object_get(e, "kwargs"), "max_value", json_integer(max));
                    continue;
                }
                json_object_set_new(
                    m, "max_value",
                    json_string("none here: the rule's upper bound is the live row count of the "
                                "sources aggregated, not a fixed number; the unexpected_rows_expectation "
                                "of the same rule_id checks it"));
            }
            if (max >= 0 && has_expectation(suite, id))
                continue;
        } else if (has_expectation(suite, id)) {
            continue;
        }
        char *q = dp_packaging__gx_query(sget(rule, "sql"), target);
        if (!q)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        json_t *x = json_pack("{s:s,s:{s:s},s:{s:s,s:s,s:s}}", "type", "unexpected_rows_expectation", "kwargs",
                              "unexpected_rows_query", q, "meta", "notes", sget(rule, "description"), "severity",
                              sget(rule, "severity"), "rule_id", id);
        free(q);
        if (!x)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        json_array_append_new(exps, x);
    }
    return 0;
}

/* The export's suite is the spec's. */
json_t *dp_export__gx_suite(const json_t *spec)
{
    return json_deep_copy(json_object_get(json_object_get(spec, "quality"), "great_expectations_suite"));
}

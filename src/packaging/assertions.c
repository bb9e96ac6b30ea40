/* sql/assertions.sql of an export. */
#include "catalog/db.h"
#include "dpgen/dpgen.h"
#include "modeling/modeling.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "util/buf.h"
#include "util/error.h"
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The types rule reads DuckDB's catalog (duckdb_columns()); on PostgreSQL
 * the same check reads information_schema.columns, whose data_type names
 * differ. Every design column is listed, so a missing column or table is
 * a failing row. Returns a malloc'd query, NULL when out of memory or a
 * name does not fit. */
static char *types_postgres(const json_t *spec)
{
    const json_t *dm = json_object_get(spec, "data_model");
    const char *target = dp_export__str(dm, "target_table"), *dot = strchr(target, '.');
    char schema[300], sl[700], tl[700], lit[700];
    snprintf(schema, sizeof(schema), "%.*s", dot ? (int)(dot - target) : 6, dot ? target : "public");
    if (!dp_sql_quote_literal(schema, sl, sizeof(sl)) || !dp_sql_quote_literal(dot ? dot + 1 : target, tl, sizeof(tl)))
        return NULL;
    dp_buf names, cond;
    dp_buf_init(&names, 0);
    dp_buf_init(&cond, 0);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        const char *fam = dp_type_family(dp_export__str(c, "type")), *ok;
        if (!dp_sql_quote_literal(dp_export__str(c, "name"), lit, sizeof(lit)))
            continue;
        dp_buf_printf(&names, "%s(%s)", names.len ? ", " : "", lit);
        if (!strcmp(fam, "integer") || !strcmp(fam, "decimal") || !strcmp(fam, "double"))
            ok = "data_type IN ('smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision')";
        else if (!strcmp(fam, "date"))
            ok = "data_type = 'date'";
        else if (!strcmp(fam, "timestamp"))
            ok = "data_type LIKE 'timestamp%'";
        else if (!strcmp(fam, "text"))
            ok = "data_type IN ('character varying', 'text', 'character', 'uuid')";
        else if (!strcmp(fam, "boolean"))
            ok = "data_type = 'boolean'";
        else
            continue;
        dp_buf_printf(&cond, " OR (column_name = %s AND NOT %s)", lit, ok);
    }
    dp_buf q;
    dp_buf_init(&q, 0);
    dp_buf_printf(&q,
                  "SELECT column_name, data_type FROM (VALUES %s) AS design(column_name) LEFT JOIN (SELECT "
                  "column_name, data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = "
                  "%s) AS actual USING (column_name) WHERE data_type IS NULL%s",
                  dp_buf_cstr(&names), sl, tl, dp_buf_cstr(&cond));
    int bad = names.toobig || cond.toobig || q.toobig;
    dp_buf_dispose(&names);
    dp_buf_dispose(&cond);
    if (bad) {
        dp_buf_dispose(&q);
        return NULL;
    }
    return dp_buf_detach(&q);
}

/* sql/assertions.sql: every rule's failing-rows query on the deployed table
 * (the types rule in the catalog of the spec's dialect). */
int dp_export__assertions(const char *dir, const json_t *spec, const char *temp, dp_error *err)
{
    const char *target = dp_export__str(json_object_get(spec, "data_model"), "target_table");
    const char *dot = strchr(target, '.');
    int pg = !strcmp(dp_export__str(json_object_get(spec, "transformation"), "dialect"), "postgres");
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_buf_printf(&b,
                  "-- SQL assertions of %s: each query returns the rows that break one\n"
                  "-- quality rule; an empty result is a pass. Run them once %s is built.\n",
                  dp_export__str(json_object_get(spec, "metadata"), "name"), target);
    size_t i;
    json_t *rule;
    int rc = 0;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, rule) {
        dp_sql_target t = {temp, target, dot ? dot + 1 : target, 0, NULL};
        char *sql = pg && !strcmp(dp_export__str(rule, "type"), "types")
                        ? types_postgres(spec)
                        : dp_packaging__sql_retarget(dp_export__str(rule, "sql"), &t);
        if (!sql) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            break;
        }
        const json_t *res = json_object_get(rule, "result");
        dp_buf_printf(&b, "\n-- %s %s (%s, from %s): ", dp_export__str(rule, "id"), dp_export__str(rule, "type"),
                      dp_export__str(rule, "severity"), dp_export__str(rule, "source"));
        dp_export__comment(&b, dp_export__str(rule, "description"));
        dp_buf_printf(&b, "\n-- test run: %s", dp_export__str(res, "status"));
        if (json_is_integer(json_object_get(res, "failing_rows")))
            dp_buf_printf(&b, ", %lld failing row(s)",
                          (long long)json_integer_value(json_object_get(res, "failing_rows")));
        dp_buf_printf(&b, "\n%s;\n", sql);
        free(sql);
    }
    if (!rc)
        rc = b.toobig ? dp_error_set(err, DP_ENOMEM, "out of memory")
                      : dp_export__write_file(dir, "sql/assertions.sql", dp_buf_cstr(&b), err);
    dp_buf_dispose(&b);
    return rc;
}

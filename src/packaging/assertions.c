/* sql/assertions.sql of an export. */
#include "dpgen/dpgen.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "util/buf.h"
#include "util/error.h"
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sql/assertions.sql: every rule's failing-rows query on the deployed table. */
int dp_export__assertions(const char *dir, const json_t *spec, const char *temp, dp_error *err)
{
    const char *target = dp_export__str(json_object_get(spec, "data_model"), "target_table");
    const char *dot = strchr(target, '.');
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
        char *sql = dp_packaging__sql_retarget(dp_export__str(rule, "sql"), &t);
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

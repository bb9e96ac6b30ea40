/* The Great Expectations 1.x suite of an export. */
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

/* The GX suite: the spec's, with each expect_column_values_to_be_of_type on
 * the type DuckDB gave the test run (without parameters: GX compares type
 * names), linked to the rule that checked the types in-process. */
json_t *dp_export__gx_suite(const json_t *spec)
{
    const json_t *q = json_object_get(spec, "quality");
    json_t *suite = json_deep_copy(json_object_get(q, "great_expectations_suite"));
    if (!suite)
        return NULL;
    const json_t *rs =
        json_object_get(json_object_get(json_object_get(spec, "transformation"), "test_run"), "result_schema");
    const char *types_rule = NULL;
    size_t i, k;
    json_t *e, *x;
    json_array_foreach(json_object_get(q, "rules"), i, x) {
        if (!strcmp(dp_export__str(x, "type"), "types"))
            types_rule = dp_export__str(x, "id");
    }
    json_array_foreach(json_object_get(suite, "expectations"), i, e) {
        if (strcmp(dp_export__str(e, "type"), "expect_column_values_to_be_of_type"))
            continue;
        json_t *kw = json_object_get(e, "kwargs");
        json_array_foreach(rs, k, x) {
            if (strcmp(dp_export__str(x, "name"), dp_export__str(kw, "column")) || !*dp_export__str(x, "type"))
                continue;
            const char *t = dp_export__str(x, "type"), *paren = strchr(t, '(');
            json_object_set_new(kw, "type_", paren ? json_stringn(t, (size_t)(paren - t)) : json_string(t));
        }
        json_t *meta = json_object_get(e, "meta");
        if (types_rule && json_is_object(meta) && !json_object_get(meta, "rule_id"))
            json_object_set_new(meta, "rule_id", json_string(types_rule));
    }
    return suite;
}

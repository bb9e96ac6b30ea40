/* The walk over libpg_query's parse tree (JSON) the SQL checkers share:
 * every value visited depth first, each node ({"Type": {...}}, its key
 * capitalised) handed to the checker's callback, depth bounded. */
#include "sql/check.h"
#include "util/error.h"
#include <string.h>

int dp_sql__walk_children(dp_sql_walker *w, json_t *body)
{
    const char *k;
    json_t *c;
    json_object_foreach(body, k, c) {
        int rc = dp_sql__walk_value(w, c);
        if (rc)
            return rc;
    }
    return 0;
}

int dp_sql__walk_value(dp_sql_walker *w, json_t *v)
{
    if (++w->depth > w->max_depth) {
        w->depth--;
        return dp_error_set(w->err, DP_ELIMIT, "nests deeper than %d levels", w->max_depth);
    }
    int rc = 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            if ((rc = dp_sql__walk_value(w, c)))
                break;
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            rc = *k >= 'A' && *k <= 'Z' ? w->node(w, k, c) : dp_sql__walk_value(w, c);
            if (rc)
                break;
        }
    }
    w->depth--;
    return rc;
}

const char *dp_sql__sval(json_t *node)
{
    return json_string_value(json_object_get(json_object_get(node, "String"), "sval"));
}

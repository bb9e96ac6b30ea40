/* One read-only SELECT, by PostgreSQL's grammar (libpg_query). The parse tree
 * (JSON) must hold one statement, a SelectStmt, with no INTO and no locking
 * clause; anything else is refused before execution. */
#include "sql/check.h"
#include "util/error.h"
#include <jansson.h>
#include <pg_query.h>
#include <string.h>

/* Parse-tree levels: a sum of a few hundred terms nests about 4 a term. */
#define MAX_TREE_DEPTH 1500

/* 1 when v holds key, 2 when it nests deeper than MAX_TREE_DEPTH. */
static int has_key(json_t *v, const char *key, int depth)
{
    if (depth > MAX_TREE_DEPTH)
        return 2; /* refused, as deeper than any query we generate */
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            int r = strcmp(k, key) ? has_key(c, key, depth + 1) : 1;
            if (r)
                return r;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            int r = has_key(c, key, depth + 1);
            if (r)
                return r;
        }
    }
    return 0;
}

int dp_sql_check_select(const char *sql, dp_error *err)
{
    int rc = 0;
    if (!sql || !*sql)
        return dp_error_set(err, DP_EINVALID, "empty SQL");
    PgQueryParseResult r = pg_query_parse(sql);
    json_t *tree = NULL;
    if (r.error) {
        rc = dp_error_set(err, DP_EINVALID, "SQL does not parse: %s at character %d", r.error->message,
                          r.error->cursorpos);
        goto done;
    }
    json_error_t je;
    tree = json_loads(r.parse_tree, 0, &je);
    if (!tree) { /* jansson stops at its own nesting limit (2048) */
        rc = dp_error_set(err, DP_ELIMIT, "SQL nests deeper than %d levels", MAX_TREE_DEPTH);
        goto done;
    }
    json_t *stmts = json_object_get(tree, "stmts");
    if (json_array_size(stmts) != 1) {
        rc = dp_error_set(err, DP_EINVALID, "SQL must be exactly one statement, found %zu", json_array_size(stmts));
        goto done;
    }
    json_t *stmt = json_object_get(json_array_get(stmts, 0), "stmt");
    json_t *sel = json_object_get(stmt, "SelectStmt");
    if (!sel) {
        const char *kind = "?";
        void *it = json_object_iter(stmt);
        if (it)
            kind = json_object_iter_key(it);
        rc = dp_error_set(err, DP_EINVALID, "SQL must be a SELECT, found %s", kind);
        goto done;
    }
    int into = has_key(sel, "intoClause", 0), lock = into ? 0 : has_key(sel, "lockingClause", 0);
    if (into == 2 || lock == 2) { /* never blamed on a clause it does not have */
        rc = dp_error_set(err, DP_ELIMIT, "SQL nests deeper than %d levels", MAX_TREE_DEPTH);
        goto done;
    }
    if (into || lock) {
        rc = dp_error_set(err, DP_EINVALID, "SQL must be a read-only SELECT (no INTO, no FOR UPDATE)");
        goto done;
    }
done:
    json_decref(tree);
    pg_query_free_parse_result(r);
    return rc;
}

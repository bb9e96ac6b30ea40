/* The saved_queries and the project_configuration (time_spines with custom
 * granularities, and the legacy time_spine_table_configurations) of a dbt
 * semantic manifest. */
#include "catalog/semantic_manifest_int.h"
#include "util/error.h"
#include <string.h>
#include <strings.h>

static int parse_saved(dp_sm *c, const json_t *o, const char *path)
{
    dp_saved_query q = {0};
    json_t *qp, *limit, *exports;
    int rc;
    if ((rc = dp_sm__need_text(c, o, "name", path, &q.name)) || (rc = dp_sm__text(c, o, "label", path, &q.label)) ||
        (rc = dp_sm__text(c, o, "description", path, &q.description)) ||
        (rc = dp_sm__field(c, o, "query_params", path, JSON_OBJECT, &qp)) ||
        (rc = dp_sm__list(c, o, "exports", path, &exports)))
        return rc;
    if (!qp)
        return dp_sm__fail(c, path, "query_params", "is missing (saved query '%s')", q.name);
    const char *qpp = dp_sm__sub(c, path, "query_params");
    if ((rc = dp_sm__names(c, qp, "metrics", qpp, &q.metrics, &q.nmetrics)) ||
        (rc = dp_sm__names(c, qp, "group_by", qpp, &q.group_by, &q.ngroup_by)) ||
        (rc = dp_sm__names(c, qp, "order_by", qpp, &q.order_by, &q.norder_by)) ||
        (rc = dp_sm__wheres(c, qp, "where", qpp, &q.where, &q.nwhere)) ||
        (rc = dp_sm__field(c, qp, "limit", qpp, JSON_INTEGER, &limit)))
        return rc;
    if (!q.nmetrics)
        return dp_sm__fail(c, qpp, "metrics", "is missing (saved query '%s')", q.name);
    if (limit) {
        if (json_integer_value(limit) < 1 || json_integer_value(limit) > 1000000000)
            return dp_sm__fail(c, qpp, "limit", "must be a count of rows");
        q.limit = (long)json_integer_value(limit);
    }
    if (exports && json_array_size(exports)) {
        if (!(q.exports = dp_arena_calloc(c->kg->arena, json_array_size(exports), sizeof(*q.exports))))
            return dp_error_set(c->err, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < json_array_size(exports); i++) {
            const char *ep = dp_sm__item(c, path, "exports", i);
            json_t *e = json_array_get(exports, i);
            if (!json_is_object(e))
                return dp_sm__fail(c, ep, NULL, "must be an object {name, config}");
            if ((rc = dp_sm__need_text(c, e, "name", ep, &q.exports[i])))
                return rc;
        }
        q.nexports = json_array_size(exports);
    }
    q.pos = dp_sm__pos(c, o, path);
    if (DP_VEC_PUSH(c->kg->arena, c->kg->saved, c->kg->nsaved, c->kg->saved_cap, q))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

/* A spine's grain; 1 for a grain finer than a day, which dpgen never
 * queries (the spine is then left out). */
static int spine_grain(dp_sm *c, const json_t *o, const char *key, const char *path, dp_grain *out)
{
    const char *g;
    int rc = dp_sm__need_text(c, o, key, path, &g);
    if (rc)
        return rc;
    if (!dp_grain_parse(g, out))
        return 0;
    static const char *const sub[] = {"hour", "minute", "second", "millisecond", "microsecond", "nanosecond"};
    for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++)
        if (!strcasecmp(g, sub[i]))
            return 1;
    return dp_sm__fail(c, path, key, "unknown granularity '%s'", g);
}

static int push_spine(dp_sm *c, const dp_time_spine *sp)
{
    if (DP_VEC_PUSH(c->kg->arena, c->kg->spines, c->kg->nspines, c->kg->spines_cap, *sp))
        return dp_error_set(c->err, DP_ENOMEM, "out of memory");
    return 0;
}

static int parse_spine(dp_sm *c, const json_t *o, const char *path)
{
    dp_time_spine sp = {0};
    json_t *nr, *pc, *cg;
    int rc;
    if ((rc = dp_sm__field(c, o, "node_relation", path, JSON_OBJECT, &nr)) ||
        (rc = dp_sm__field(c, o, "primary_column", path, JSON_OBJECT, &pc)) ||
        (rc = dp_sm__list(c, o, "custom_granularities", path, &cg)))
        return rc;
    if (!nr || !pc)
        return dp_sm__fail(c, path, nr ? "primary_column" : "node_relation", "is missing");
    const char *nrp = dp_sm__sub(c, path, "node_relation"), *pcp = dp_sm__sub(c, path, "primary_column");
    /* the relation dbt built; binding checks that the database has it */
    if ((rc = dp_sm__need_text(c, nr, "alias", nrp, &sp.table)) || (rc = dp_sm__need_text(c, nr, "schema_name", nrp, &sp.schema)) ||
        (rc = dp_sm__need_text(c, pc, "name", pcp, &sp.column)))
        return rc;
    sp.model = sp.table;
    if ((rc = spine_grain(c, pc, "time_granularity", pcp, &sp.grain)))
        return rc < 0 ? rc : 0;
    if (cg && json_array_size(cg)) {
        if (!(sp.custom = dp_arena_calloc(c->kg->arena, json_array_size(cg), sizeof(*sp.custom))))
            return dp_error_set(c->err, DP_ENOMEM, "out of memory");
        for (size_t i = 0; i < json_array_size(cg); i++) {
            const char *ip = dp_sm__item(c, path, "custom_granularities", i);
            json_t *g = json_array_get(cg, i);
            if (!json_is_object(g))
                return dp_sm__fail(c, ip, NULL, "must be an object {name, column_name}");
            if ((rc = dp_sm__need_text(c, g, "name", ip, &sp.custom[i].name)) ||
                (rc = dp_sm__text(c, g, "column_name", ip, &sp.custom[i].column)))
                return rc;
            if (!sp.custom[i].column)
                sp.custom[i].column = sp.custom[i].name;
        }
        sp.ncustom = json_array_size(cg);
    }
    sp.pos = dp_sm__pos(c, o, path);
    return push_spine(c, &sp);
}

/* Splits a relation name, database.schema.table or schema.table, each part
 * bare or quoted ("x" or `x`, as dbt renders them), into its last two. */
static int split_relation(dp_sm *c, const char *loc, const char **schema, const char **table)
{
    const char *part[3];
    size_t len[3], n = 0;
    for (const char *p = loc; *p;) {
        if (n == 3)
            return -1;
        if (*p == '"' || *p == '`') {
            const char *end = strchr(p + 1, *p);
            if (!end)
                return -1;
            part[n] = p + 1;
            len[n] = (size_t)(end - p - 1);
            p = end + 1;
        } else {
            part[n] = p;
            while (*p && *p != '.')
                p++;
            len[n] = (size_t)(p - part[n]);
        }
        if (!len[n++])
            return -1;
        if (!*p)
            break;
        if (*p != '.' || !p[1]) /* parts are separated by one dot */
            return -1;
        p++;
    }
    if (n < 2)
        return -1;
    *schema = dp_arena_strndup(c->kg->arena, part[n - 2], len[n - 2]);
    *table = dp_arena_strndup(c->kg->arena, part[n - 1], len[n - 1]);
    return *schema && *table ? 0 : -1;
}

/* The legacy form: location "db.schema.table" (or "schema.table"), used
 * only for a grain no time_spines entry gives, as MetricFlow does. */
static int parse_legacy_spine(dp_sm *c, const json_t *o, const char *path)
{
    dp_time_spine sp = {0};
    const char *loc;
    int rc;
    if ((rc = dp_sm__need_text(c, o, "location", path, &loc)) || (rc = dp_sm__need_text(c, o, "column_name", path, &sp.column)))
        return rc;
    if ((rc = spine_grain(c, o, "grain", path, &sp.grain)))
        return rc < 0 ? rc : 0;
    for (size_t i = 0; i < c->kg->nspines; i++)
        if (c->kg->spines[i].grain == sp.grain)
            return 0;
    if (split_relation(c, loc, &sp.schema, &sp.table))
        return dp_sm__fail(c, path, "location", "must be schema.table or database.schema.table, not '%s'", loc);
    sp.model = sp.table;
    sp.pos = dp_sm__pos(c, o, path);
    return push_spine(c, &sp);
}

int dp_sm__load_project(dp_sm *c, const json_t *root)
{
    json_t *a, *pc, *ts, *legacy;
    int rc = dp_sm__list(c, root, "saved_queries", "", &a);
    for (size_t i = 0; !rc && a && i < json_array_size(a); i++) {
        const char *p = dp_sm__item(c, "", "saved_queries", i);
        json_t *o = json_array_get(a, i);
        rc = json_is_object(o) ? parse_saved(c, o, p) : dp_sm__fail(c, p, NULL, "must be an object");
    }
    if (rc || (rc = dp_sm__field(c, root, "project_configuration", "", JSON_OBJECT, &pc)) || !pc)
        return rc;
    if ((rc = dp_sm__list(c, pc, "time_spines", "project_configuration", &ts)) ||
        (rc = dp_sm__list(c, pc, "time_spine_table_configurations", "project_configuration", &legacy)))
        return rc;
    for (size_t i = 0; !rc && ts && i < json_array_size(ts); i++) {
        const char *p = dp_sm__item(c, "project_configuration", "time_spines", i);
        json_t *o = json_array_get(ts, i);
        rc = json_is_object(o) ? parse_spine(c, o, p) : dp_sm__fail(c, p, NULL, "must be an object");
    }
    for (size_t i = 0; !rc && legacy && i < json_array_size(legacy); i++) {
        const char *p = dp_sm__item(c, "project_configuration", "time_spine_table_configurations", i);
        json_t *o = json_array_get(legacy, i);
        rc = json_is_object(o) ? parse_legacy_spine(c, o, p) : dp_sm__fail(c, p, NULL, "must be an object");
    }
    return rc;
}

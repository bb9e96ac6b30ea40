/* Joins of one CTE: from its own dataset to each dataset the grain, the
 * filters and the metric filters need, by the one shortest path (or the
 * path an entity names), each recorded for the spec. */
#include "transform/compile_int.h"
#include "modeling/modeling.h"
#include "util/ident.h"
#include "util/error.h"
#include <string.h>

/* The one shortest path from -> to; a refusal naming both when another of
 * the same length exists, since each gives another answer. */
static int one_path(comp *c, dp_path *p, const dp_model *from, const dp_model *to)
{
    dp_path other;
    int amb;
    if (dp_join_paths(p, &other, c->kg, from, to, &amb))
        return dp_error_set(c->err, DP_ECLARIFY, "dataset %s has no join path to %s", from->name, to->name);
    if (amb)
        /* two routes of the same length give two different answers
         * (other rows of the same dataset): asked, never picked */
        return dp_error_set(c->err, DP_ECLARIFY,
                            "dataset %s reaches %s by two paths of %zu join(s): %s and %s; the answer depends on the "
                            "path, and neither the request nor a filter says which",
                            from->name, to->name, p->n, dp_path_text(p, from, c->a),
                            other.n ? dp_path_text(&other, from, c->a) : "another");
    return 0;
}

/* Adds the steps of p to t's joins. A dataset already joined by another
 * step would need a second alias: refused rather than joined once for both. */
static int add_steps(comp *c, cte *t, const dp_path *p)
{
    for (size_t s = 0; s < p->n; s++) {
        const dp_join_step *st = &p->steps[s];
        int have = 0;
        for (size_t i = 0; i < t->njoins; i++) {
            if (t->joined[i] != st->to)
                continue;
            if (t->steps[i].from != st->from || strcmp(t->steps[i].entity, st->entity))
                return dp_error_set(c->err, DP_ECLARIFY,
                                    "dataset %s would join %s twice, through %s and through %s, which one query does not do yet",
                                    t->model->name, st->to->name, t->steps[i].from->name, st->from->name);
            have = 1;
        }
        if (have)
            continue;
        if (t->njoins >= MAX_JOINS)
            return dp_error_set(c->err, DP_ELIMIT, "more than %d joins in one dataset", MAX_JOINS);
        t->joined[t->njoins] = st->to;
        t->steps[t->njoins++] = *st;
    }
    return 0;
}

static void reached(cte *t, const dp_model *to, const char *path)
{
    if (!t->body && t->nreached < MAX_JOINS) {
        t->reached[t->nreached] = to;
        t->reached_path[t->nreached++] = path;
    }
}

int dp_comp__cte_join(comp *c, cte *t, const dp_model *to)
{
    if (to == t->model)
        return 0;
    for (size_t i = 0; i < t->njoins; i++)
        if (t->joined[i] == to)
            return 0;
    dp_path p;
    int rc;
    if ((rc = one_path(c, &p, t->model, to)) || (rc = add_steps(c, t, &p)))
        return rc;
    reached(t, to, dp_path_text(&p, t->model, c->a));
    return 0;
}

int dp_comp__cte_join_via(comp *c, cte *t, const dp_model *via, const dp_model *to)
{
    if (!via || via == to)
        return dp_comp__cte_join(c, t, to);
    dp_path p1 = {0}, p2;
    int rc;
    if (via != t->model && (rc = one_path(c, &p1, t->model, via)))
        return rc;
    if ((rc = one_path(c, &p2, via, to)))
        return rc;
    if ((rc = add_steps(c, t, &p1)) || (rc = add_steps(c, t, &p2)))
        return rc;
    for (size_t i = 0; i < t->nreached; i++)
        if (t->reached[i] == to)
            return 0; /* the same route asked again (add_steps refuses another) */
    const char *txt = dp_path_text(&p1, t->model, c->a);
    for (size_t s = 0; s < p2.n && txt; s++)
        txt = dp_arena_printf(c->a, "%s -[%s]-> %s", txt, p2.steps[s].entity, p2.steps[s].to->name);
    reached(t, to, txt);
    return 0;
}

/* What a join step reads: the dataset's table, or, when its profile found
 * rows whose key repeats another's (and it is not valid over periods, where
 * a key has one row per period), one row per key. A column whose rows
 * disagree for a key, a value on one and NULL on another included, is NULL
 * for that key: joined as they are, repeated rows would multiply the
 * measured rows, and any one pick would be arbitrary. Columns of a type
 * with no order (lists, structs) are left out. */
const char *dp_comp__join_source(comp *c, const dp_join_step *s)
{
    const dp_model *m = s->to;
    const char *table = dp_arena_printf(c->a, "%s.%s", dp_comp__qi(c, m->schema), dp_comp__qi(c, m->table));
    const dp_dimension *start = NULL, *end = NULL;
    /* repeated keys not ruled out (a sampled or partial profile): as if found */
    if ((m->dup_keys <= 0 && !m->dup_keys_unknown) || dp_kg_model_validity(m, &start, &end) || start || end ||
        !dp_is_identifier(s->to_expr))
        return table;
    const char *key = dp_comp__qi(c, s->to_expr);
    const char *cols = key;
    for (size_t i = 0; i < m->ncolumns; i++) {
        const dp_column *col = &m->columns[i];
        if (!strcmp(col->name, s->to_expr))
            continue;
        const char *fam = dp_type_family(col->type), *x = dp_comp__qi(c, col->name);
        int boolean = !strcmp(fam, "boolean");
        if (!boolean && !strcmp(fam, "other"))
            continue;
        const char *lo = boolean ? "bool_and" : "min", *hi = boolean ? "bool_or" : "max";
        cols = dp_arena_printf(c->a, "%s, CASE WHEN count(%s) = count(*) AND %s(%s) = %s(%s) THEN %s(%s) END AS %s", cols,
                               x, lo, x, hi, x, lo, x, x);
    }
    return dp_arena_printf(c->a, "(SELECT %s FROM %s GROUP BY %s)", cols, table, key);
}

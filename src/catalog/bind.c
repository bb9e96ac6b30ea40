/* ref('x') -> schema.table, columns and declared keys from DuckDB's catalog,
 * read once for all models (relmap.h). */
#include "catalog/bind.h"
#include "catalog/problems.h"
#include "catalog/relmap.h"
#include "util/error.h"
#include "util/ident.h"
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void dp_bind_missing_relation(dp_arena *a, const dp_model *m, const char *looked_for, const char **reason,
                              const char **hint)
{
    *reason = dp_arena_printf(a, "the database has no table or view %s for ref('%s')", looked_for ? looked_for : m->ref,
                              m->ref);
    *hint = "run dbt build (dbt seed for a seed) so it exists, or give --schema NAME if dbt built it in another schema";
}

/* The model and all of it are switched off, not the catalog (problems.h):
 * DP_ENOTFOUND with m->off.reason set, and dp_bind_models goes on. */
static int missing(dp_kg *kg, dp_model *m, const char *looked_for, dp_error *err)
{
    const char *reason, *hint;
    dp_bind_missing_relation(kg->arena, m, looked_for, &reason, &hint);
    if (!reason || dp_bind__missing_relation(kg, m, reason, hint))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return DP_ENOTFOUND;
}

/* Which manifest gave a model's relation: its loader left "relation from
 * FILE" in bind_note; a semantic manifest's node_relation otherwise. */
static const char *rel_source(const dp_model *m)
{
    static const char lead[] = "relation from ";
    return m->bind_note && !strncmp(m->bind_note, lead, sizeof(lead) - 1) ? m->bind_note + sizeof(lead) - 1
                                                                          : "the semantic manifest";
}

static long find_table(const dp_relmap *t, const char *schema, const char *name)
{
    size_t j = dp_relmap_find(t, schema, name);
    return j == DP_RELMAP_NONE ? -1 : (long)j;
}

/* Which relation a model's ref names, the way dbt built it: the schema
 * written in the ref; else the relation target/manifest.json gives; else
 * --schema (or a custom schema <schema>_x dbt derives from it); else the
 * schema an unqualified name resolves to; else the one schema holding the
 * name. The choice is kept in m->bind_note. Only a name still ambiguous
 * after that is an error, naming the candidates and --schema. */
static int resolve_relation(dp_kg *kg, dp_model *m, const dp_relmap *t, size_t *hit, dp_error *err)
{
    const char *want = m->ref, *note = NULL, *prefix = "";
    const char *dot = strrchr(m->ref, '.');
    long j;
    /* dbt names version N of a model name_vN unless an alias says otherwise
     * (which only the manifest knows) */
    if (m->ref_version && !(want = dp_arena_printf(kg->arena, "%s_v%s", m->ref, m->ref_version)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if (dot) {
        const char *schema = dp_arena_strndup(kg->arena, m->ref, (size_t)(dot - m->ref));
        want = dot + 1;
        if (!schema || (j = find_table(t, schema, want)) < 0)
            return missing(kg, m, m->ref, err);
        *hit = (size_t)j;
        m->bind_note = "schema written in the model's ref";
        return 0;
    }
    if (m->rel_schema) {
        const char *alias = m->rel_alias ? m->rel_alias : want;
        const char *src = rel_source(m);
        if ((j = find_table(t, m->rel_schema, alias)) >= 0) {
            *hit = (size_t)j;
            m->bind_note = dp_arena_printf(kg->arena, "relation from %s", src);
            return m->bind_note ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
        }
        const char *rel = dp_arena_printf(kg->arena, "%s.%s (named by %s)", m->rel_schema, alias, src);
        if (!kg->target_schema)
            return missing(kg, m, rel, err);
        prefix = dp_arena_printf(kg->arena, "%s names %s.%s, which the database lacks; ", src, m->rel_schema, alias);
        if (!prefix)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    size_t hits = 0, custom = 0, last = 0, last_custom = 0;
    char cands[512] = "";
    size_t off = 0, slen = kg->target_schema ? strlen(kg->target_schema) : 0;
    for (size_t k = dp_relmap_next_named(t, want, DP_RELMAP_NONE); k != DP_RELMAP_NONE;
         k = dp_relmap_next_named(t, want, k)) {
        hits++;
        last = k;
        if (slen && !strncasecmp(t->schema[k], kg->target_schema, slen) && t->schema[k][slen] == '_') {
            custom++;
            last_custom = k;
        }
        if (off < sizeof(cands) - 80)
            off += (size_t)snprintf(cands + off, sizeof(cands) - off, "%s%s.%s", off ? ", " : "", t->schema[k],
                                    t->name[k]);
    }
    if (kg->target_schema) {
        if ((j = find_table(t, kg->target_schema, want)) >= 0) {
            *hit = (size_t)j;
            note = dp_arena_printf(kg->arena, "%s--schema %s", prefix, kg->target_schema);
        } else if (custom == 1) {
            /* dbt's generate_schema_name: a model with +schema: x is built
             * in <target schema>_x */
            *hit = last_custom;
            note = dp_arena_printf(kg->arena, "%s--schema %s (dbt's custom schema %s)", prefix, kg->target_schema,
                                   t->schema[last_custom]);
        } else if (custom > 1) {
            return dp_error_set(err, DP_EINVALID,
                                "%s:%d:%d: semantic model '%s': ref '%s' is in no schema %s but in several of its custom schemas (%s); "
                                "--schema NAME settles it",
                                m->pos.file, m->pos.line, m->pos.col, m->name, m->ref, kg->target_schema, cands);
        } else {
            return missing(kg, m, dp_arena_printf(kg->arena, "%s.%s (--schema %s)", kg->target_schema, want,
                                                  kg->target_schema), err);
        }
    } else if (t->def_schema && (j = find_table(t, t->def_schema, want)) >= 0) {
        /* what the engine itself reads for the unqualified name */
        *hit = (size_t)j;
        /* the others are named: a stale copy in main is a likely decoy */
        note = hits > 1 ? dp_arena_printf(kg->arena, "default schema %s (of %s; --schema NAME picks another)",
                                          t->def_schema, cands)
                        : dp_arena_printf(kg->arena, "default schema %s", t->def_schema);
    } else if (hits == 1) {
        *hit = last;
        note = "the only schema with the table";
    } else if (hits == 0) {
        return missing(kg, m, dp_arena_printf(kg->arena, "'%s'", want), err);
    } else {
        return dp_error_set(err, DP_EINVALID,
                            "%s:%d:%d: semantic model '%s': ref '%s' is ambiguous (%s); --schema NAME (the dbt target "
                            "schema) or the project's target/manifest.json settles it",
                            m->pos.file, m->pos.line, m->pos.col, m->name, m->ref, cands);
    }
    if (!note)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    m->bind_note = note;
    return 0;
}

/* What binding a model will find, worked out ahead on two threads for a
 * large catalog (its columns, their index, which element exprs that are
 * bare names name one of them): resolved on a scratch copy of the model
 * and of the graph, so nothing the serial pass does is done ahead or out
 * of order; the serial pass takes it when its own resolution agrees. */
typedef struct bind_pre {
    size_t hit; /* the relation; DP_RELMAP_NONE: nothing ahead */
    dp_column *cols;
    size_t ncols;
    uint32_t *colx;
    size_t ncolx;
    const dp_column **dimcol; /* per dimension: the column its bare-name expr names, else NULL */
    int names_found;          /* every bare-name expr of its entities and measures names a column */
} bind_pre;

typedef struct pre_job {
    const dp_kg *kg;
    const dp_relmap *t;
    bind_pre *pre;
    size_t from, to;
    dp_arena *a; /* what the models keep (adopted by the graph's arena) */
} pre_job;

static void prebind_one(dp_kg *scratch, const dp_relmap *t, const dp_model *m, dp_arena *a, bind_pre *p)
{
    p->hit = DP_RELMAP_NONE;
    if (m->off.reason)
        return;
    dp_model c = *m; /* resolution may write a note or disable: on the copy */
    dp_error e;
    size_t hit;
    e.code = 0;
    if (resolve_relation(scratch, &c, t, &hit, &e))
        return;
    if (dp_relmap_columns(t, hit, a, &c.columns, &c.ncolumns) || dp_kg_index_columns(a, &c))
        return;
    if (c.ndims && !(p->dimcol = dp_arena_calloc(a, c.ndims, sizeof(*p->dimcol))))
        return;
    int found = 1;
    for (size_t j = 0; j < c.nentities; j++)
        found &= !dp_is_identifier(c.entities[j].expr) || dp_kg_model_column(&c, c.entities[j].expr) != NULL;
    for (size_t j = 0; j < c.nmeasures; j++)
        found &= !dp_is_identifier(c.measures[j].expr) || dp_kg_model_column(&c, c.measures[j].expr) != NULL;
    for (size_t j = 0; j < c.ndims; j++)
        p->dimcol[j] = dp_is_identifier(c.dims[j].expr) ? dp_kg_model_column(&c, c.dims[j].expr) : NULL;
    p->cols = c.columns;
    p->ncols = c.ncolumns;
    p->colx = c.colx;
    p->ncolx = c.ncolx;
    p->names_found = found;
    p->hit = hit;
}

static void prebind(pre_job *j)
{
    dp_kg scratch = *j->kg; /* its problems and text go to a scratch arena */
    scratch.arena = dp_arena_new(64 * 1024);
    scratch.problems = NULL;
    scratch.nproblems = scratch.problems_cap = 0;
    for (size_t i = j->from; i < j->to; i++) {
        j->pre[i].hit = DP_RELMAP_NONE;
        if (scratch.arena && j->a)
            prebind_one(&scratch, j->t, &j->kg->models[i], j->a, &j->pre[i]);
    }
    dp_arena_free(scratch.arena);
}

static void *prebind_main(void *p)
{
    prebind(p);
    return NULL;
}

/* Models past which binding is worked out ahead on two threads. */
#define PREBIND_MODELS 256

/* pre for every model (NULL: none, a small catalog or no memory); the
 * arenas it used are adopted by kg's. */
static bind_pre *prebind_all(dp_kg *kg, const dp_relmap *t)
{
    if (kg->nmodels < PREBIND_MODELS)
        return NULL;
    bind_pre *pre = calloc(kg->nmodels, sizeof(*pre));
    if (!pre)
        return NULL;
    size_t half = kg->nmodels / 2;
    pre_job jobs[2] = {{kg, t, pre, 0, half, dp_arena_new(256 * 1024)},
                       {kg, t, pre, half, kg->nmodels, dp_arena_new(256 * 1024)}};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, prebind_main, &jobs[1]) == 0;
    prebind(&jobs[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        prebind(&jobs[1]);
    dp_arena_adopt(kg->arena, jobs[0].a);
    dp_arena_adopt(kg->arena, jobs[1].a);
    return pre;
}

int dp_bind_models_map(dp_kg *kg, dp_exprprobe *probe, const dp_relmap *map, dp_error *err)
{
    const dp_relmap *t = map;
    int rc = 0;
    size_t prepares = 0;
    bind_pre *pre = prebind_all(kg, t);
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        if (m->off.reason)
            continue; /* defined twice: never bound */
        size_t hit = 0;
        if ((rc = resolve_relation(kg, m, t, &hit, err))) {
            if (rc == DP_ENOTFOUND && m->off.reason) {
                rc = 0;
                continue; /* disabled, with why */
            }
            goto done;
        }
        m->schema = t->schema[hit];
        m->table = t->name[hit];
        m->est_known = t->est_rows[hit] >= 0;
        m->est_rows = t->est_rows[hit];
        const bind_pre *p = pre && pre[i].hit == hit ? &pre[i] : NULL; /* ahead, and the same relation */
        if (p) {
            m->columns = p->cols;
            m->ncolumns = p->ncols;
            m->colx = p->colx;
            m->ncolx = p->ncolx;
        } else if (dp_relmap_columns(t, hit, kg->arena, &m->columns, &m->ncolumns) ||
                   dp_kg_index_columns(kg->arena, m)) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        /* a bare name found ahead passes: check_expr would return 0 for it */
        for (size_t j = 0; j < m->nentities; j++) {
            dp_entity *e = &m->entities[j];
            if (p && p->names_found && dp_is_identifier(e->expr))
                continue;
            if ((rc = dp_bind__check_expr(kg, probe, m, "entity", e->name, e->expr, e->pos, &e->off, &prepares, NULL,
                                          err)))
                goto done;
        }
        for (size_t j = 0; j < m->ndims; j++) {
            dp_dimension *d = &m->dims[j];
            if (p && p->dimcol[j]) {
                d->column = p->dimcol[j];
                continue;
            }
            if ((rc = dp_bind__check_expr(kg, probe, m, "dimension", d->name, d->expr, d->pos, &d->off, &prepares, NULL,
                                          err)))
                goto done;
            if (dp_is_identifier(d->expr))
                d->column = dp_kg_model_column(m, d->expr);
        }
        for (size_t j = 0; j < m->nmeasures; j++) {
            dp_measure *me = &m->measures[j];
            if (p && p->names_found && dp_is_identifier(me->expr))
                continue;
            if ((rc = dp_bind__check_expr(kg, probe, m, "measure", me->name, me->expr, me->pos, &me->off, &prepares,
                                          &me->expr_type, err)))
                goto done;
        }
    }
    /* what uses a disabled element is switched off too */
    if (dp_catalog__cascade(kg)) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    rc = dp_bind_spines(kg, map, err);
done:
    free(pre);
    return rc;
}

/* dp_kg_open_offline: dbt YAML + glossary -> knowledge graph, with tables and
 * columns made up from the models themselves instead of read from a
 * database (benchmarks, fuzzing, tools). The lexicon and vector index are
 * the same as dp_catalog_open builds. */
#include "catalog/offline.h"
#include "catalog/load.h"
#include "kg/indexes.h"
#include "kg/lexicon.h"
#include "kg/vindex.h"
#include "util/error.h"
#include "util/ident.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A small open-addressing set of column names (case-insensitive, as DuckDB
 * and dp_kg_model_column compare them), reused from model to model. */
typedef struct colset {
    uint32_t *slot; /* column index + 1; 0 is empty */
    size_t cap;
} colset;

static uint64_t hash_ci(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ull;
    return h;
}

/* Makes room for n names and empties the set. */
static int colset_reset(colset *cs, size_t n)
{
    size_t want = 16;
    while (want < n * 2) {
        if (want > SIZE_MAX / 4)
            return -1;
        want *= 2;
    }
    if (want > cs->cap) {
        uint32_t *s = realloc(cs->slot, want * sizeof(*s));
        if (!s)
            return -1;
        cs->slot = s;
        cs->cap = want;
    }
    memset(cs->slot, 0, cs->cap * sizeof(*cs->slot));
    return 0;
}

/* The column named name: the existing one, or a new one of type type. */
static const dp_column *column_for(dp_model *m, colset *cs, const char *name, const char *type)
{
    size_t i = hash_ci(name) & (cs->cap - 1);
    while (cs->slot[i]) {
        const dp_column *c = &m->columns[cs->slot[i] - 1];
        if (!strcasecmp(c->name, name))
            return c;
        i = (i + 1) & (cs->cap - 1);
    }
    dp_column *c = &m->columns[m->ncolumns++];
    c->name = name;
    c->type = type;
    cs->slot[i] = (uint32_t)m->ncolumns;
    return c;
}

int dp_kg__offline_columns(dp_kg *kg, dp_error *err)
{
    int rc = 0;
    colset cs = {NULL, 0};
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        /* ref may be schema.table */
        const char *dot = strrchr(m->ref, '.');
        m->schema = dot ? dp_arena_strndup(kg->arena, m->ref, (size_t)(dot - m->ref)) : "main";
        m->table = dot ? dot + 1 : m->ref;
        if (!m->schema) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        size_t n = m->nentities + m->ndims + m->nmeasures;
        if (n < m->nentities || n > UINT32_MAX / 2) {
            rc = dp_error_set(err, DP_ELIMIT, "%s:%d:%d: semantic model '%s' has too many fields", m->pos.file,
                              m->pos.line, m->pos.col, m->name);
            goto done;
        }
        m->columns = dp_arena_calloc(kg->arena, n ? n : 1, sizeof(dp_column));
        m->ncolumns = 0;
        if (!m->columns || colset_reset(&cs, n)) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t j = 0; j < m->nentities; j++)
            if (dp_is_identifier(m->entities[j].expr))
                column_for(m, &cs, m->entities[j].expr, "VARCHAR");
        for (size_t j = 0; j < m->ndims; j++) {
            dp_dimension *d = &m->dims[j];
            d->column = dp_is_identifier(d->expr) ? column_for(m, &cs, d->expr, "VARCHAR") : NULL;
        }
        for (size_t j = 0; j < m->nmeasures; j++)
            if (dp_is_identifier(m->measures[j].expr))
                column_for(m, &cs, m->measures[j].expr, "DOUBLE");
    }
done:
    free(cs.slot);
    return rc;
}

int dp_kg_open_offline(dp_kg **out, const char *models_path, const char *glossary_path, dp_error *err)
{
    int rc = 0;
    dp_arena *arena = NULL;
    dp_kg *kg = NULL;
    *out = NULL;
    if (!models_path)
        return dp_error_set(err, DP_EINVALID, "no models path");
    /* big catalogs allocate millions of small objects: large chunks */
    if (!(arena = dp_arena_new(4u * 1024 * 1024)) || !(kg = dp_arena_alloc(arena, sizeof(*kg)))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    kg->arena = arena;
    kg->models_path = dp_arena_strdup(arena, models_path);
    kg->glossary_path = glossary_path ? dp_arena_strdup(arena, glossary_path) : NULL;
    if (!kg->models_path || (glossary_path && !kg->glossary_path)) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = dp_dbt_load_path(kg, models_path, err)) || (rc = dp_kg__offline_columns(kg, err)))
        goto done;
    /* after the columns, so "model.column" mappings are checked against them */
    if (glossary_path && (rc = dp_glossary_load_path(kg, glossary_path, err)))
        goto done;
    if ((rc = dp_kg_build_indexes(kg, err)))
        goto done;
    *out = kg;
    arena = NULL; /* owned by *out now */
done:
    dp_arena_free(arena);
    return rc;
}

void dp_kg_free_offline(dp_kg *kg)
{
    if (kg)
        dp_arena_free(kg->arena); /* kg itself lives in its arena */
}

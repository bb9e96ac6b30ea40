/* dpgen glossary YAML (docs/glossary-format.md) -> knowledge graph terms,
 * plus implicit terms read from the dbt files' labels and descriptions:
 * "Mean Time To Repair (MTTR)" gives an abbreviation, "also called a, b or c"
 * and a parenthesised list in a metric description give synonyms. */
#include "catalog/load.h"
#include "catalog/problems.h"
#include "util/error.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

static int fail_at(dp_error *err, const dp_node *n, const char *msg, const char *arg)
{
    return dp_error_set(err, DP_EINVALID, "%s:%d:%d: %s%s%s", n->file, n->line, n->col, msg,
                        arg ? " " : "", arg ? arg : "");
}

static int str_list(dp_kg *kg, const dp_node *n, const char ***out, size_t *count, dp_error *err)
{
    *out = NULL;
    *count = 0;
    if (!n || dp_node_is_null(n))
        return 0;
    if (n->kind == DP_NODE_SCALAR) {
        *out = dp_arena_calloc(kg->arena, 1, sizeof(char *));
        (*out)[0] = dp_arena_strdup(kg->arena, n->value);
        *count = 1;
        return 0;
    }
    if (n->kind != DP_NODE_SEQ)
        return fail_at(err, n, "expected a list of words", NULL);
    *out = dp_arena_calloc(kg->arena, n->n ? n->n : 1, sizeof(char *));
    for (size_t i = 0; i < n->n; i++) {
        if (n->items[i]->kind != DP_NODE_SCALAR)
            return fail_at(err, n->items[i], "expected text", NULL);
        (*out)[(*count)++] = dp_arena_strdup(kg->arena, n->items[i]->value);
    }
    return 0;
}

static int add_term(dp_kg *kg, dp_term *t, dp_error *err)
{
    if (DP_VEC_PUSH(kg->arena, kg->terms, kg->nterms, kg->terms_cap, *t))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

int dp_glossary_load_doc(dp_kg *kg, const dp_node *doc, dp_error *err)
{
    int rc;
    if (doc->kind != DP_NODE_MAP)
        return fail_at(err, doc, "a glossary must be a mapping with 'terms:'", NULL);
    const dp_node *terms = dp_node_get(doc, "terms");
    if (!terms || terms->kind != DP_NODE_SEQ)
        return fail_at(err, doc, "a glossary needs a 'terms:' list", NULL);
    for (size_t i = 0; i < terms->n; i++) {
        const dp_node *n = terms->items[i];
        dp_term t = {0};
        if (n->kind != DP_NODE_MAP)
            return fail_at(err, n, "a term must be a mapping", NULL);
        const char *name = dp_node_str(n, "name");
        if (!name || !*name)
            return fail_at(err, n, "a term needs a name", NULL);
        t.name = dp_arena_strdup(kg->arena, name);
        t.definition = dp_arena_strdup(kg->arena, dp_node_str(n, "definition"));
        if (!t.definition)
            return fail_at(err, n, "term needs a definition:", name);
        t.owner = dp_arena_strdup(kg->arena, dp_node_str(n, "owner"));
        t.domain = dp_arena_strdup(kg->arena, dp_node_str(n, "domain"));
        t.source = "glossary";
        t.pos = (dp_src_pos){n->file, n->line, n->col};
        if ((rc = str_list(kg, dp_node_get(n, "synonyms"), &t.synonyms, &t.nsynonyms, err)) ||
            (rc = str_list(kg, dp_node_get(n, "abbreviations"), &t.abbreviations, &t.nabbreviations, err)))
            return rc;
        const dp_node *mt = dp_node_get(n, "maps_to");
        if (mt && !dp_node_is_null(mt)) {
            static const char *kinds[] = {"metric", "dimension", "entity", "column"};
            const dp_node *val = mt->kind == DP_NODE_MAP ? dp_node_get(mt, "value") : NULL;
            if (mt->kind != DP_NODE_MAP || mt->n != 1 + (val != NULL))
                return fail_at(err, mt,
                               "maps_to needs exactly one of metric, dimension, entity, column (and a value with a "
                               "dimension or column)",
                               NULL);
            size_t at = val && !strcmp(mt->keys[0], "value") ? 1 : 0;
            for (size_t k = 0; k < 4; k++)
                if (!strcmp(mt->keys[at], kinds[k]))
                    t.maps_kind = kinds[k];
            if (!t.maps_kind || mt->items[at]->kind != DP_NODE_SCALAR)
                return fail_at(err, mt, "maps_to needs exactly one of metric, dimension, entity, column; got",
                               mt->keys[at]);
            t.maps_to = dp_arena_strdup(kg->arena, mt->items[at]->value);
            if (val) {
                if (strcmp(t.maps_kind, "dimension") && strcmp(t.maps_kind, "column"))
                    return fail_at(err, val, "maps_to: a value goes with a dimension or a column, not with",
                                   t.maps_kind);
                if (val->kind != DP_NODE_SCALAR || !val->value || !*val->value)
                    return fail_at(
                        err, val, "maps_to: value must be one value of the column (text, number, true or false)", NULL);
                t.maps_value = dp_arena_strdup(kg->arena, val->value);
            }
        }
        if ((rc = add_term(kg, &t, err)))
            return rc;
    }
    return 0;
}

int dp_glossary_load_path(dp_kg *kg, const char *path, dp_error *err)
{
    const char **files;
    size_t n;
    int rc = dp_list_yaml_files(&files, &n, kg->arena, path, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        dp_node *doc;
        if ((rc = dp_yaml_load_file(&doc, kg->arena, files[i], err)) ||
            (rc = dp_glossary_load_doc(kg, doc, err)))
            return rc;
    }
    return dp_glossary_check(kg, err);
}

/* Each glossary mapping must name something that exists. */
int dp_glossary_check(const dp_kg *kg, dp_error *err)
{
    for (size_t i = 0; i < kg->nterms; i++) {
        const dp_term *t = &kg->terms[i];
        if (!t->maps_kind)
            continue;
        int ok = 0;
        if (!strcmp(t->maps_kind, "metric")) {
            ok = dp_kg_metric(kg, t->maps_to) != NULL;
        } else if (!strcmp(t->maps_kind, "entity")) {
            size_t n;
            const dp_model *const *ms = dp_kg_models_with_entity(kg, t->maps_to, &n);
            for (size_t m = 0; m < (ms ? n : kg->nmodels) && !ok; m++)
                ok = dp_kg_model_entity(ms ? ms[m] : &kg->models[m], t->maps_to) != NULL;
        } else if (!strcmp(t->maps_kind, "dimension")) {
            const char *sep = strstr(t->maps_to, "__");
            const char *dim = sep ? sep + 2 : t->maps_to;
            /* the models that have it, or all of them before the index */
            size_t n;
            const dp_model *const *ms = dp_kg_models_with_dim(kg, dim, &n);
            for (size_t m = 0; m < (ms ? n : kg->nmodels) && !ok; m++) {
                const dp_model *mo = ms ? ms[m] : &kg->models[m];
                if (!dp_kg_model_dim(mo, dim))
                    continue;
                if (!sep)
                    ok = 1;
                else
                    for (size_t e = 0; e < mo->nentities && !ok; e++)
                        ok = strlen(mo->entities[e].name) == (size_t)(sep - t->maps_to) &&
                             !strncmp(mo->entities[e].name, t->maps_to, (size_t)(sep - t->maps_to));
            }
        } else { /* column: model.column */
            const char *dot = strchr(t->maps_to, '.');
            for (size_t m = 0; m < kg->nmodels && dot && !ok; m++)
                ok = strlen(kg->models[m].name) == (size_t)(dot - t->maps_to) &&
                     !strncmp(kg->models[m].name, t->maps_to, (size_t)(dot - t->maps_to)) &&
                     (kg->models[m].ncolumns == 0 || dp_kg_model_column(&kg->models[m], dot + 1));
        }
        if (!ok && dp_catalog__names_disabled(kg, t->maps_kind, t->maps_to))
            continue; /* defined, but disabled: a request using the term is refused, not the catalog */
        if (!ok)
            return dp_error_set(err, DP_EINVALID, "%s:%d:%d: term '%s' maps to %s '%s', which the catalog does not define",
                                t->pos.file, t->pos.line, t->pos.col, t->name, t->maps_kind, t->maps_to);
    }
    return 0;
}

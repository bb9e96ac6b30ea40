/* The few Jinja calls dbt renders in semantic-model YAML (ref, var,
 * env_var with quoted literal arguments); MetricFlow's own filter templates
 * pass through untouched; any other Jinja is refused with file:line:col. */
#ifndef DP_CATALOG_JINJA_H
#define DP_CATALOG_JINJA_H
#include "doc/node.h"
#include "kg/kg.h"

/* A project variable (dbt_project.yml vars:); value NULL when it is not a
 * scalar (a list or mapping, which var() cannot put into text). */
typedef struct dp_jinja_var {
    const char *name, *value;
} dp_jinja_var;

typedef struct dp_jinja_ctx {
    const dp_jinja_var *vars;
    size_t nvars;
    /* Reads the environment for env_var(); NULL: getenv. */
    const char *(*env)(const char *name, void *payload);
    void *env_payload;
    /* docs blocks for doc('name'): name and text */
    const dp_jinja_var *docs;
    size_t ndocs;
} dp_jinja_ctx;

/* Where a scalar sits decides what its Jinja may be: the model: key takes
 * ref(); metric filters and saved-query where clauses are left unrendered
 * by dbt (MetricFlow renders them), so only MetricFlow's templates belong
 * there; every other scalar takes var() and env_var(). */
typedef enum { DP_JINJA_VALUE, DP_JINJA_MODEL, DP_JINJA_FILTER, DP_JINJA_TEXT } dp_jinja_where;
/* DP_JINJA_TEXT: a description or label, or any scalar of dbt's own
 * models: properties: what renders is rendered (doc(), var(), env_var()),
 * anything else is left out of the text rather than refused, since it only
 * documents. */

/* Renders text (ctx NULL: no project was read, so no vars). *out is text
 * itself when it holds no Jinja, else a string in a. Errors (DP_EINVALID) name pos's file:line:col (found in the file
 * when it can be) and the construct. */
int dp_jinja_render(const char **out, dp_arena *a, const char *text, dp_jinja_where where,
                    const dp_jinja_ctx *ctx, dp_src_pos pos, dp_error *err);

/* Renders the scalars under semantic_models, metrics and saved_queries of a
 * dbt YAML document. *out is doc when nothing changed, else a copy made in
 * a (unchanged subtrees shared with doc). file names the document. */
int dp_jinja_render_doc(const dp_node **out, dp_arena *a, const dp_node *doc, const dp_jinja_ctx *ctx,
                        const char *file, dp_error *err);

#endif

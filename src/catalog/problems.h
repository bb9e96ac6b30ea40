/* Catalog problems: an element that does not bind is switched off (its
 * off.reason set) and listed in kg->problems, and what depends on it is
 * switched off too, so one broken element does not break the catalog. */
#ifndef DP_CATALOG_PROBLEMS_H
#define DP_CATALOG_PROBLEMS_H
#include <jansson.h>
#include "catalog/db.h"
#include "catalog/exprprobe.h"
#include "kg/kg.h"

/* Expressions that are not bare columns are checked by preparing
 * SELECT expr FROM table LIMIT 0, at most this many per catalog (bind.c);
 * catalog check says when some were not. */
#define DP_EXPR_PREPARE_MAX 2000

/* bind_check.c: an entity, dimension or measure whose expr does not bind
 * (a bare name the table lacks, or an expression DuckDB cannot prepare
 * over it; *prepares counts them against DP_EXPR_PREPARE_MAX) is disabled;
 * kind "entity", "dimension" or "measure". An expression that prepares
 * gives its result type in *type_out when type_out is not NULL (DuckDB's
 * name, kg arena; NULL for types a product column does not take). probe
 * (exprprobe.h) prepares, or answers from the state; NULL: expressions are
 * not checked. 0, or an error in err (out of memory, no engine). */
int dp_bind__check_expr(dp_kg *kg, dp_exprprobe *probe, const dp_model *m, const char *kind, const char *name,
                        const char *expr, dp_src_pos pos, dp_disabled *off, size_t *prepares, const char **type_out,
                        dp_error *err);
/* A model whose relation the database does not have is disabled with all
 * of it (reason, hint: dp_bind_missing_relation's); 0 or DP_ENOMEM. */
int dp_bind__missing_relation(dp_kg *kg, dp_model *m, const char *reason, const char *hint);

/* Switches off one element for a problem of its own (a root cause): sets
 * off->reason (kept when already set) and appends a dp_problem. reason is a
 * predicate of the element ("uses column 'x', which table s.t does not
 * have"); hint may be NULL. Strings are copied. 0 or DP_ENOMEM. */
int dp_catalog__disable(dp_kg *kg, dp_disabled *off, const char *kind, const char *name, const char *reason,
                        const char *hint, dp_src_pos pos);
/* Switches off what depends on a disabled element (a model's parts, the
 * measures of a disabled time dimension, metrics of a disabled measure or
 * metric, metrics whose filter needs a disabled dimension, saved queries
 * of a disabled metric), to a fixpoint,
 * then rebuilds the graph's index without the disabled elements when
 * anything is off. 0 or DP_ENOMEM. */
int dp_catalog__cascade(dp_kg *kg);
/* The metrics' references, checked without a database: inputs the catalog
 * does not define, cycles, filters naming dimensions or entities no model
 * has, derived expressions naming something that is not an input. Each
 * problem disables its metric. 0 or DP_ENOMEM. */
int dp_catalog__check_metrics(dp_kg *kg);
/* expr_check.c: every expr of the models and derived metrics, every filter
 * of the metrics and where of the saved queries against the allow-list of
 * catalog SQL (dp_sql_check_expr); a refused one disables its element with
 * why. Needs no database. 0 or DP_ENOMEM. */
int dp_catalog__check_exprs(dp_kg *kg);
/* The check of m's element exprs alone (kg: where m's memory is), which
 * dp_catalog__check_exprs then applies as if it had run it: files check
 * their models side by side. 0 or DP_ENOMEM. */
typedef struct dp_expr_refusal {
    const dp_disabled *off; /* the element's */
    const char *why;        /* the check's message */
} dp_expr_refusal;
int dp_catalog__precheck_exprs(dp_kg *kg, dp_model *m);
/* A filter (or where) text, each {{ ... }} template taken as the column it
 * renders to, against dp_sql_check_expr; a template inside quotes or glued
 * to other text is refused too. 0, or dp_sql_check_expr's codes. */
int dp_catalog__check_filter_text(const char *text, dp_error *err);
/* Calls fn(payload, "Dimension", "entity__dim") for each {{ Fn('arg' ...) }}
 * of a filter text; stops at fn's first non-zero return, which it returns. */
int dp_catalog__filter_refs(const char *text, int (*fn)(void *payload, const char *fn_name, const char *arg),
                            void *payload);
/* A filter reference Dimension/TimeDimension('a__e__dim[__grain]') or
 * Entity('e') as the entity that holds it (ent, "" for none) and the
 * dimension (dim, "" for an entity). 0: nothing to check (metric_time, or
 * another function). */
int dp_catalog__split_ref(const char *fn, const char *arg, char *ent, size_t ne, char *dim, size_t nd);
/* Does a disabled element answer to a glossary mapping (kind "entity",
 * "dimension" entity__dim or dim, "column" model.column)? */
int dp_catalog__names_disabled(const dp_kg *kg, const char *kind, const char *name);
/* Where an element is written: "file:line", or the file alone when it has
 * no line (a manifest's element, "semantic_manifest.json:metrics[0]"). */
const char *dp_catalog__where(dp_src_pos pos, char *out, size_t n);
/* The one message for a disabled element: "metric 'x' is disabled: <reason>
 * (file:line)" into out (size n); returns out. */
const char *dp_catalog__disabled_msg(const dp_kg *kg, const char *kind, const char *name, const dp_disabled *off,
                                     dp_src_pos pos, char *out, size_t n);
/* The problem whose root cause is off (NULL when off was switched off by a
 * dependency, or is on). */
const dp_problem *dp_catalog__root(const dp_kg *kg, const dp_disabled *off);
/* Every disabled element as a JSON array of {kind, name, reason, hint,
 * defined_in} (new reference). */
json_t *dp_catalog__disabled_json(const dp_kg *kg);

#endif

/* Internal interface of the quality stage: the rule builder quality.c owns,
 * shared with the files that add rules on the product (product_rules.c) and
 * on its periods and rows (period_rules.c). */
#ifndef DP_QUALITY_QUALITY_INT_H
#define DP_QUALITY_QUALITY_INT_H
#include <jansson.h>
#include "orchestrator/run.h"

typedef struct qctx {
    dp_run *r;
    int n;
} qctx;

/* Adds one rule (failing_sql returns the failing rows; it runs later, with
 * the others, in dp_quality__run_rules); gx
 * and dbt (owned, may be NULL) are its Great Expectations expectation and
 * dbt generic test. */
void dp_quality__add_rule(qctx *q, const char *type, const char *column, const char *severity, const char *source,
                          const char *dataset, const char *description, const char *definition,
                          const char *failing_sql, json_t *gx, json_t *dbt);
/* A Great Expectations expectation {type, kwargs, meta: {notes}}; takes kwargs. */
json_t *dp_quality__gx_exp(const char *type, json_t *kwargs, const char *notes);
/* "schema"."table" of a dataset, and a quoted identifier, in the run's arena. */
const char *dp_quality__table(dp_run *r, const dp_model *m);
const char *dp_quality__ident(dp_run *r, const char *name);

/* rule_run.c */
/* Runs every rule of r->rules that has no result yet and records it: the
 * rules on the test result in one statement, each source table's uncached
 * rules in one pass; examples only for the rules that fail. */
void dp_quality__run_rules(dp_run *r);

/* product_rules.c */
/* Counts the NULLs of each grain column in the test result: a column that has
 * some is not declared not-null, and the product then declares no primary
 * key (the grain stays unique, NULL as one value); the design says why. */
void dp_quality__key_nulls(dp_run *r);
/* Each part never exceeds its whole on the product's own component measure
 * columns (the funnel of a rate whose numerator and denominator it carries). */
void dp_quality__product_funnel(qctx *q);
/* Component measure columns of the product cannot be negative when what they
 * sum cannot. */
void dp_quality__measure_rules(qctx *q);
/* Product rows whose entity key is missing from the entity's dataset. */
void dp_quality__orphan_rules(qctx *q);

/* period_rules.c */
void dp_quality__row_count_rule(qctx *q);
void dp_quality__freshness_rule(qctx *q);
/* Rows of the first and last period when the sources' range (or the request's
 * range) does not cover them whole. */
void dp_quality__partial_period_rule(qctx *q);

#endif

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
    /* the next rule's SQL as it runs, when it differs from the SQL shown
     * (values of the sources read once per data fingerprint); add_rule
     * takes it and clears it */
    const char *run_sql;
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
/* A rule's recorded result {ms, status, failing_rows, examples} (takes
 * examples). */
json_t *dp_quality__result(double ms, long long count, json_t *examples);
/* Runs every rule of r->rules that has no result yet and records it: the
 * rules on the test result in one statement, each source table's uncached
 * rules in one pass; examples only for the rules that fail. */
void dp_quality__run_rules(dp_run *r);
/* The types rule just added, from the schema the test run already read:
 * when every design column (names[i], family fams[i]) is there with its
 * family, the rule has passed and needs no statement; else its SQL runs. */
void dp_quality__types_from_schema(dp_run *r, const char *const *names, const char *const *fams, size_t n);
/* The types rule's family of a DuckDB type name (data_type), in SQL. */
#define DP_QUALITY_TYPE_FAMILY_CASE                                                                            \
    "CASE WHEN data_type IN ('TINYINT','SMALLINT','INTEGER','BIGINT','HUGEINT','UTINYINT','USMALLINT',"       \
    "'UINTEGER','UBIGINT','UHUGEINT','DOUBLE','FLOAT') OR data_type LIKE 'DECIMAL%' THEN 'number' "            \
    "WHEN data_type = 'DATE' THEN 'date' WHEN data_type LIKE 'TIMESTAMP%' THEN 'timestamp' "                  \
    "WHEN data_type = 'VARCHAR' OR data_type LIKE 'ENUM%' THEN 'text' "                                       \
    "WHEN data_type = 'BOOLEAN' THEN 'boolean' ELSE 'other' END"
/* A scalar subquery on the sources only ("(SELECT ... FROM t)") giving a
 * DATE: its value as a SQL literal (DATE '2025-06-30', or a NULL DATE),
 * read once per data fingerprint and kept in the state; NULL when there is
 * no state or the value is not a plain date (the subquery then runs live). */
const char *dp_quality__source_date(dp_run *r, const char *subquery);
/* The same for a BIGINT expression of scalar subqueries on the sources
 * (the row counts "(SELECT count(*) FROM a) + (SELECT count(*) FROM b)"):
 * "CAST(n AS BIGINT)", or NULL. */
const char *dp_quality__source_count(dp_run *r, const char *expr);
/* The state's record of a source check under key (a cache key), kept by
 * the catalog for the runs after it (the key holds the data's fingerprint,
 * which a catalog generation does not change): a new reference to a shared
 * document, to read or copy, never to change; NULL when the state has
 * none. */
json_t *dp_quality__kept_check(dp_run *r, const char *key);
/* The state's key of a result that depends only on the sources (sql) and
 * the data: the database fingerprint and a hash of sql. */
const char *dp_quality__cache_key(dp_run *r, const char *sql);
/* source_values.c: the distinct non-NULL values of column of schema.table (a
 * source; names unquoted) as DuckDB writes them, sorted, with their type
 * (*type: "BIGINT", "VARCHAR"...), read once per data fingerprint and kept
 * in the state: their number, or -1 when there is no state, more than
 * DP_SOURCE_LIST_MAX values (none kept), more than max (none copied into
 * the run), or the read failed. */
#define DP_SOURCE_LIST_MAX 250000
long dp_quality__source_values(dp_run *r, const char *schema, const char *table, const char *column, long max,
                               const char ***vals, const char **type);
/* The family ("number", "date", "timestamp", "text", "boolean", "other")
 * the types rule's SQL gives a DuckDB type name. */
const char *dp_quality__sql_family(const char *type);

/* rule_native.c: on the result read into C (r->exec.rowset). */
/* The failing-rows SQL of n rules compiled for rule_eval.c (one parse):
 * out[i] NULL for a rule it does not evaluate (or no rowset). */
struct dp_rule_eval;
void dp_quality__native_compile(dp_run *r, const char *const *sqls, size_t n, struct dp_rule_eval **out);
/* Decides a rule by its compiled e (NULL: not one), recording its result:
 * 1; 0 when it was not decided (its one failing row is an aggregate's,
 * which its SQL reads). */
int dp_quality__native_rule(dp_run *r, json_t *rule, const struct dp_rule_eval *e);
/* The unique_key rule on keys (its SQL's key list): 1 and passed when no
 * two rows have one key; 0 when two do or it cannot tell. */
int dp_quality__native_unique(dp_run *r, json_t *rule, const char *keys);

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

/* reconcile_rule.c: with r->llm_sql, its base metric column against the
 * compiler's on every grain value. */
void dp_quality__reconcile_rule(qctx *q);

/* period_rules.c */
void dp_quality__row_count_rule(qctx *q);
void dp_quality__freshness_rule(qctx *q);
/* Rows of the first and last period when the sources' range (or the request's
 * range) does not cover them whole. */
void dp_quality__partial_period_rule(qctx *q);

#endif

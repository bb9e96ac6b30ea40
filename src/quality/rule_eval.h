/* A quality rule's SQL evaluated in C over the test result read into a
 * dp_rowset, with DuckDB's semantics (three-valued logic, exact integers
 * and decimals, NaN above every number), for the shapes the rule builders
 * write on the result:
 *   SELECT * FROM T WHERE cond          SELECT p.* FROM T AS p WHERE cond
 *   SELECT agg AS name FROM T HAVING cond    (one row when cond holds)
 *   SELECT 1 AS name WHERE NOT EXISTS (SELECT 1 FROM T)   (one row when T is empty)
 * where cond has columns, literals (DATE '...', CAST, date_trunc and date
 * arithmetic on literals), comparisons, IS [NOT] NULL, [NOT] IN (list),
 * AND, OR, NOT, and in HAVING count(*), min(col), max(col); and
 * x [NOT] IN (SELECT e.c FROM s.t AS e WHERE e.c IS NOT NULL) on a source
 * table whose values the caller provides. Anything else (another
 * subquery, a function on a column) is not compiled: the rule's SQL runs
 * in DuckDB as before. */
#ifndef DP_QUALITY_RULE_EVAL_H
#define DP_QUALITY_RULE_EVAL_H
#include <stddef.h>
#include "catalog/rowset.h"
#include "util/arena.h"

typedef struct dp_rule_eval dp_rule_eval;

/* The distinct non-NULL values of column of schema.table (names as the
 * SQL spells them, unquoted) as DuckDB writes them, all of one type (*type
 * as typeof() names it): their number, or -1 when the caller has none or
 * more than max (then none is copied). */
typedef long (*dp_rule_values_fn)(void *payload, const char *schema, const char *table, const char *column, long max,
                                  const char ***vals, const char **type);

/* sql compiled against table (the rowset's rows) in a; values (may be
 * NULL) gives a subquery's values; NULL when sql is not a shape this
 * evaluates. */
dp_rule_eval *dp_rule_eval_compile(const char *sql, const char *table, const dp_rowset *rs, dp_rule_values_fn values,
                                   void *payload, dp_arena *a);
/* The same for n statements at once (one parse, its tree kept in memo,
 * which may be NULL, for the next run asking the same): out[i] for
 * sqls[i], NULL for those it does not evaluate; how many it compiled. */
struct dp_json_memo;
size_t dp_rule_eval_compile_all(const char *const *sqls, size_t n, const char *table, const dp_rowset *rs,
                                dp_rule_values_fn values, void *payload, struct dp_json_memo *memo, dp_arena *a,
                                dp_rule_eval **out);
/* 1 when the failing rows are rows of the table (the examples are read
 * from the rowset); 0 for the whole-table form (its one row is the
 * aggregate's, read by its SQL). */
int dp_rule_eval_row_form(const dp_rule_eval *e);
/* The rule's failing rows: rows meeting the condition (their first up to
 * nmax indexes in first[], *nfirst of them), or for the whole-table form 1
 * when the condition holds, else 0. */
long long dp_rule_eval_count(const dp_rule_eval *e, const dp_rowset *rs, size_t *first, size_t nmax, size_t *nfirst);

/* Exposed for tests: -1, 0, 1 as DuckDB orders two non-NULL values of
 * comparable kinds. */
int dp_rule_eval_compare(const dp_val *a, const dp_val *b);

#endif

/* Request-time look-ups of values in the data: is "CAR-0400" a carrier key,
 * "Jane Doe" a member name, and if not, which stored values are closest.
 * Read-only, parameterised, bounded in rows and in time. */
#ifndef DP_CATALOG_LOOKUP_H
#define DP_CATALOG_LOOKUP_H
#include <duckdb.h>
#include "intent/intent.h"

#define DP_LOOKUP_BUDGET_MS 3000 /* all look-ups of one request */
#define DP_LOOKUP_QUERY_MS 1000  /* one look-up */

typedef struct dp_lookup {
    duckdb_connection con; /* borrowed: the run's connection */
    long budget_ms;
    double spent_ms;
    unsigned queries;
} dp_lookup;

/* Look-ups on con with budget_ms for all of them (<= 0: DP_LOOKUP_BUDGET_MS). */
void dp_lookup_init(dp_lookup *l, duckdb_connection con, long budget_ms);
/* A dp_value_lookup_fn, payload a dp_lookup: the value of column equal to
 * text (case aside), else up to DP_VALUE_HITS_MAX closest values (text:
 * Jaro-Winkler similarity, values containing the text first; numbers:
 * nearest). A numeric column and a text that is no number: no hits. */
int dp_lookup_values(void *payload, const dp_model *model, const char *column, const char *text, dp_value_hits *out,
                     dp_error *err);

#endif

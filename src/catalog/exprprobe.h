/* Whether a catalog expression runs on its table: DuckDB prepares
 * SELECT expr FROM table LIMIT 0 and says yes (with the result's type) or
 * no (with why). Outcomes are kept in dpgen's state, keyed by the database
 * path and checked against its fingerprint like the relation map
 * (relmap.h), so a warm load whose binding comes from the state prepares
 * nothing and needs no engine: the connection is taken at the first
 * statement the state does not answer. */
#ifndef DP_CATALOG_EXPRPROBE_H
#define DP_CATALOG_EXPRPROBE_H
#include <duckdb.h>
#include "catalog/db.h"

typedef struct dp_exprprobe dp_exprprobe;
struct dp_state;

/* A probe over con (borrowed; may be NULL) or, when con is NULL, over a
 * connection it takes from db at its first prepare and closes in free.
 * state may be NULL (nothing kept); fresh: what it keeps is not read
 * (every expression is prepared again), only replaced. NULL when out of
 * memory. */
dp_exprprobe *dp_exprprobe_new(dp_db *db, duckdb_connection con, struct dp_state *state, int fresh);
/* Prepares sql (one SELECT ... LIMIT 0) or answers from the state: 0 with
 * *bad 0 and the result type in type (DuckDB's name, "" for one a product
 * column does not take) or *bad 1 and DuckDB's first line in why; -1 when
 * no connection could be had (err says why) or out of memory. */
int dp_exprprobe_run(dp_exprprobe *p, const char *sql, int *bad, char *why, size_t whyn, char *type, size_t typen,
                     dp_error *err);
/* Writes the outcomes used into the state when any was new; closes a
 * connection it took. */
void dp_exprprobe_free(dp_exprprobe *p);

#endif

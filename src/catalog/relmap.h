/* The database's relations with their columns and keys, read once in bulk
 * (one query each to duckdb_tables()/duckdb_views(), duckdb_columns() and
 * duckdb_constraints()) and looked up by name through hash indexes, so
 * binding N models costs a constant number of queries, not 2 per model. */
#ifndef DP_CATALOG_RELMAP_H
#define DP_CATALOG_RELMAP_H
#include <duckdb.h>
#include <stdint.h>
#include "kg/kg.h"

typedef struct dp_relcol {
    const char *name, *type, *comment; /* strings in the arena given to load */
    int is_key;                        /* a single-column PRIMARY KEY or UNIQUE constraint */
} dp_relcol;

typedef struct dp_relmap {
    size_t n; /* relations, ordered by schema, name */
    const char **schema, **name;
    int64_t *est_rows;       /* DuckDB's count of a table's stored rows (estimated_size); -1 for a view */
    size_t *col_off, *col_n; /* the relation's columns in cols, in column order */
    dp_relcol *cols;
    size_t ncols;
    size_t nbuckets;
    size_t *ci_head, *ci_next; /* by name, case aside: chains in relation order */
    const char *def_schema;    /* what an unqualified name resolves to */
} dp_relmap;

#define DP_RELMAP_NONE ((size_t)-1)

/* Reads the current database's relations, columns and keys. Strings live in
 * a (the catalog's arena: bound models point at them); the index arrays are
 * malloc'd and freed by dp_relmap_dispose. 0, DP_ENOMEM or DP_EENGINE. */
int dp_relmap_load(dp_relmap *out, dp_arena *a, duckdb_connection con, dp_error *err);
void dp_relmap_dispose(dp_relmap *r);
/* The first relation in order named name (case aside) after relation
 * `after` (DP_RELMAP_NONE: from the start); DP_RELMAP_NONE when none. */
size_t dp_relmap_next_named(const dp_relmap *r, const char *name, size_t after);
/* The first relation schema.name, case aside; DP_RELMAP_NONE when none. */
size_t dp_relmap_find(const dp_relmap *r, const char *schema, const char *name);
/* Relation t's columns as a new array in a (*out NULL when it has none). */
int dp_relmap_columns(const dp_relmap *r, size_t t, dp_arena *a, dp_column **out, size_t *n);

/* relmap_cache.c: the map kept in dpgen's state, keyed by the database
 * path and checked against its fingerprint (dp_db_fingerprint: changes with
 * every committed write, the WAL's too), so a warm load reads no catalog
 * of the database. kept: 0 with *out read from the state, -1 when the
 * state has none for this fingerprint (*out empty). keep: writes r there
 * (a cache that cannot be written is not an error). */
struct dp_state;
int dp_relmap_kept(dp_relmap *out, dp_arena *a, struct dp_state *state, const char *db_path, const char *fingerprint);
void dp_relmap_keep(const dp_relmap *r, struct dp_state *state, const char *db_path, const char *fingerprint);
/* Text form of a map (malloc'd; NULL when out of memory or too large) and
 * back (0; -1 when the text is not one this version wrote). */
char *dp_relmap_to_text(const dp_relmap *r, const char *fingerprint);
int dp_relmap_from_text(dp_relmap *out, dp_arena *a, const char *text, const char *fingerprint);
/* Builds the name index over out->schema/name (relmap.c); 0 or -1. */
int dp_relmap__index(dp_relmap *r);

#endif

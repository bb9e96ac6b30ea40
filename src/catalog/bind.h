/* Binding the semantic models to the database (tables, columns, comments,
 * keys) and profiling the data. */
#ifndef DP_CATALOG_BIND_H
#define DP_CATALOG_BIND_H
#include "catalog/db.h"
#include "catalog/exprprobe.h"
#include "kg/kg.h"
#include "util/ident.h"

/* Resolves every model's ref to one table or view of map (the database's
 * catalog read in bulk or cached in the state, relmap.h) the way dbt built
 * it (target/manifest.json, --schema, the default schema, the only schema
 * with the name; the choice in bind_note; ambiguity and absence are errors
 * naming the candidates), loads its columns, checks that bare-column
 * expressions exist and binds the time spines; probe (exprprobe.h) checks
 * expressions that are not bare columns. */
struct dp_relmap;
int dp_bind_models_map(dp_kg *kg, dp_exprprobe *probe, const struct dp_relmap *map, dp_error *err);
/* Why model m has no relation in the database (looked_for: the relation
 * looked for, NULL: its ref) and what settles it (reason may be NULL when
 * out of memory); a's strings, or static. */
void dp_bind_missing_relation(dp_arena *a, const dp_model *m, const char *looked_for, const char **reason,
                              const char **hint);
/* Binds each time spine to its relation and checks its columns; a spine
 * that does not bind is a problem of the catalog (kg->problems), not an
 * error. With no spine configured, the legacy metricflow_time_spine
 * relation (date_day) is the spine when the database has it. A spine whose
 * table (and schema) a manifest already gave is looked up there, not by
 * its model's name. */
struct dp_relmap;
int dp_bind_spines(dp_kg *kg, const struct dp_relmap *map, dp_error *err);
/* Bounds of a profile: every table together gets timeout_ms (each an even
 * share of what is left, at least 1 s of it), statements are interrupted
 * past their table's share; a table DuckDB estimates above sample_above
 * rows has its key, frequent-value and orphan counts taken on a seeded
 * Bernoulli sample of about sample_rows rows (its row count, nulls, distinct estimates and
 * min/max stay exact: streaming aggregates of bounded memory). */
typedef struct dp_profile_limits {
    long timeout_ms;      /* 0: 30000 */
    int64_t sample_above; /* 0: 10,000,000 */
    int64_t sample_rows;  /* 0: 1,000,000 */
} dp_profile_limits;
#define DP_PROFILE_TIMEOUT_MS 30000
#define DP_PROFILE_SAMPLE_ABOVE 10000000
#define DP_PROFILE_SAMPLE_ROWS 1000000
/* Computes the profile of every bound model (row counts, nulls, distinct
 * counts, min/max, frequent values, key duplicates, orphans, freshness).
 * A table that hits the time or the memory limit is profiled in part
 * (m->profile_partial says which limit, where) and the others go on; an
 * engine error is an error. lim may be NULL (the defaults). */
int dp_profile_models(dp_kg *kg, duckdb_connection con, const dp_profile_limits *lim, dp_error *err);
/* How many models' profiles are partial (those are not to be cached). */
size_t dp_profile_partial_count(const dp_kg *kg);
#define DP_PROFILE_TOP_MAX 60 /* frequent values kept per column */

/* profile_cache.c: the profiles in dpgen's state, as line records
 * (util/textrec.h). Only complete profiles are written (malloc'd text, NULL
 * when out of memory or too large); reading marks each model found (same
 * table, same column names) profiled and leaves the others to
 * dp_profile_models, which profiles only models not yet profiled. 0, or -1
 * when the text is not one this version wrote (nothing is then taken). */
char *dp_profile_to_text(const dp_kg *kg);
int dp_profile_from_text(dp_kg *kg, const char *text);
/* A model's profile is complete: freshness, profiled, quality score. */
void dp_profile__mark(dp_model *m);
/* 1 when a column type is numeric. */
int dp_profile__numeric(const char *type);

#endif

/* The opened catalog: knowledge graph + database + state. */
#ifndef DP_CATALOG_CATALOG_H
#define DP_CATALOG_CATALOG_H
#include "catalog/db.h"
#include "kg/kg.h"
#include "state/state.h"
#include <pthread.h>

struct dp_catalog {
    dp_kg kg;
    dp_db *db;
    dp_state *state; /* NULL with no_state */
    int profile_cached;
    long keep_runs; /* runs the state keeps (dp_catalog_options.keep_runs); 0: all */
    long keep_days; /* and the age past which they go (keep_days); 0: any age */
    char data_key[1024]; /* the catalog files' and data's fingerprint (the profile's key) */
    char files_key[64];  /* the catalog files' fingerprint alone ("" when too many to take) */
    int relmap_cached; /* the database's catalog came from the state (relmap.h) */
    double load_ms, profile_ms;
    /* documents runs ask for again (util/json_memo.h), thread-safe, owned:
     * parse trees (the quality rules' text is the same for the same
     * product) and the source checks the state holds under the data's
     * fingerprint, which a catalog generation does not change */
    struct dp_json_memo *parses, *checks;
    /* the lexicon and the vector index built (dp_catalog__indexes) */
    int indexes_built;
    pthread_mutex_t indexes_mu;
};

/* Builds the catalog's lexicon and vector index if the load deferred them
 * (dp_catalog_options.defer_indexes); 0 when they are there. Thread-safe:
 * the first caller builds, the others wait for it. */
int dp_catalog__indexes(dp_catalog *cat, dp_error *err);

#endif

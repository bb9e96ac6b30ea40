/* dpgen's durable state in SQLite: profile cache, run records (audit),
 * products and the datasets they use (popularity, downstream lineage), and
 * quality rules adopted (history), learned synonyms; all that runs learn is
 * kept per catalog. One connection, serialized mode. */
#ifndef DP_STATE_STATE_H
#define DP_STATE_STATE_H
#include <jansson.h>
#include "dpgen/dpgen.h"

typedef struct dp_state dp_state;

/* Opens (creating) dir/state.db. dir NULL: $DPGEN_STATE_DIR, else
 * $XDG_STATE_HOME/dpgen, else ~/.local/state/dpgen. */
int dp_state_open(dp_state **out, const char *dir, dp_error *err);
void dp_state_close(dp_state *s);
const char *dp_state_path(const dp_state *s);

/* A catalog's identity in the state: the resolved paths of its models and
 * of its database, hashed ("c1-" + 16 hex digits). Not the profile key: that
 * one changes with every write to the database, and what runs learned must
 * outlive a data load. */
void dp_state_catalog_key(char out[40], const char *models_path, const char *db_path);
/* The catalog whose runs are recorded and read from now on: popularity,
 * adopted rules, products and learned synonyms are per catalog. Until it is
 * set the state reads and writes catalog "" (an old state's rows). */
void dp_state_set_catalog(dp_state *s, const char *key);
const char *dp_state_catalog(const dp_state *s);

/* Profile cache keyed by the database fingerprint and catalog hash. Returns
 * malloc'd JSON or NULL. */
char *dp_state_profile_get(dp_state *s, const char *key);
int dp_state_profile_put(dp_state *s, const char *key, const char *json, dp_error *err);

/* Results of rules on source data, keyed by database fingerprint and SQL:
 * the inputs only change when the database file does. */
char *dp_state_check_get(dp_state *s, const char *key);
int dp_state_check_put(dp_state *s, const char *key, const char *json, dp_error *err);

/* Records a finished run; products also record datasets and rules. */
int dp_state_record_run(dp_state *s, const char *run_id, const char *request, const char *status,
                        const char *product, double ms, const char *message, dp_error *err);
int dp_state_record_product(dp_state *s, const char *run_id, const char *product,
                            const char *const *datasets, size_t ndatasets, json_t *rules, dp_error *err);
/* How many recorded products used dataset. */
int dp_state_popularity(dp_state *s, const char *dataset, double *out);
/* Rules earlier products adopted on dataset (JSON array, new reference). */
json_t *dp_state_rules_for(dp_state *s, const char *dataset);
/* Products that used a dataset (JSON array of names). */
json_t *dp_state_products_using(dp_state *s, const char *dataset);
/* Learned synonyms of the current catalog: phrase (normalized: lowercase
 * words, one space) -> kind ("metric", "dimension", "entity", "value") and
 * target (metric name, model.dim, entity name, model.dim=value); text is the
 * phrase as the user wrote it. Learning a phrase again replaces it. */
int dp_state_learn(dp_state *s, const char *phrase, const char *text, const char *kind, const char *target, dp_error *err);
/* 1 removed, 0 no such phrase, negative error. */
int dp_state_forget(dp_state *s, const char *phrase, dp_error *err);
/* [{phrase, text, kind, target, created_at}] sorted by phrase (new reference). */
json_t *dp_state_learned(dp_state *s);
/* Latest runs (JSON array). */
json_t *dp_state_runs(dp_state *s, int limit);

/* The run store (runstore.c): what a run answered, kept with its record.
 * dp_state_run_begin marks a run as going on (with this process's pid);
 * dp_state_run_docs stores its documents and ends that mark. A run whose
 * process died (its pid gone on this host) is recorded failed, as
 * interrupted, by dp_state_run_reap. Each 0 or negative with err set. */
int dp_state_run_begin(dp_state *s, const char *run_id, const char *request, dp_error *err);
int dp_state_run_docs(dp_state *s, const char *run_id, const char *spec_json, const char *spec_yaml,
                      const char *markdown, const char *trace_json, const char *clarification, const char *data_key,
                      dp_error *err);
int dp_state_run_reap(dp_state *s, dp_error *err);
/* One document of a stored run (malloc'd) or NULL: what is "spec.json",
 * "spec.yaml", "README.md", "trace.json", "clarification.json", or
 * "data_key" (the catalog files' and data's fingerprint it ran on). */
char *dp_state_run_doc(dp_state *s, const char *run_id, const char *what);
/* The run's record as JSON (new reference) or NULL. */
json_t *dp_state_run_record(dp_state *s, const char *run_id);
/* Keeps the newest keep runs (and their documents; 0: any number) and
 * those of the last days days (0: any age). */
int dp_state_run_prune(dp_state *s, long keep, long days, dp_error *err);
/* Transactions around a run's records: one commit for all of them. */
int dp_state_begin(dp_state *s, dp_error *err);
int dp_state_commit(dp_state *s, int ok);

/* Internal: the connection, and the time as the state writes it. */
struct sqlite3;
struct sqlite3 *dp_state__db(dp_state *s);
void dp_state__now(char out[32]);

#endif

/* dp_catalog_open: models + glossary -> bind to the database -> profile
 * (cached in the state) -> lexicon. */
#include "util/fs.h"
#include "catalog/catalog.h"
#include "catalog/bind.h"
#include "catalog/exprprobe.h"
#include "catalog/load.h"
#include "catalog/paths.h"
#include "catalog/relmap.h"
#include "kg/indexes.h"
#include "kg/lexicon.h"
#include "kg/vindex.h"
#include "util/json_memo.h"
#include "util/error.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Documents kept (util/json_memo.h): a run's rules are one text; a run
 * reads a dozen source checks. */
#define PARSE_MEMO_ENTRIES 256
#define PARSE_MEMO_BYTES (16u << 20)
#define CHECK_MEMO_ENTRIES 4096
#define CHECK_MEMO_BYTES (4u << 20)

const char *dp_demo_catalog_dir(void)
{
    const char *env = getenv("DPGEN_DEMO_CATALOG");
    return env && *env ? env : DP_SOURCE_DIR "/catalog/demo";
}

const char *dp_demo_db_path(void)
{
    const char *env = getenv("DPGEN_DEMO_DB");
    return env && *env ? env : DP_BUILD_DIR "/demo/demo.duckdb";
}

const char *dp_version(void) { return DP_VERSION; }

/* A hash of the catalog files' sizes and times, so edits refresh profiles. */
static void catalog_key(char *out, size_t n, const dp_db *db, const dp_kg *kg)
{
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < kg->nmodels; i++) {
        for (const char *p = kg->models[i].name; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        /* the relation bound: --schema or a manifest can change it alone */
        for (const char *p = kg->models[i].schema ? kg->models[i].schema : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        for (const char *p = kg->models[i].table ? kg->models[i].table : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        for (size_t j = 0; j < kg->models[i].ncolumns; j++)
            for (const char *p = kg->models[i].columns[j].name; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
        for (size_t j = 0; j < kg->models[i].nentities; j++)
            for (const char *p = kg->models[i].entities[j].expr; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
    }
    snprintf(out, n, "v3|%s|%016llx", dp_db_fingerprint(db), h);
}

/* The database's catalog kept in the state, read on a thread of its own
 * while the catalog files load (500,000 columns: about 90 ms); into an
 * arena of its own, adopted by the catalog's when joined. On a miss with
 * start set, the engine starts opening (the bulk read will need it). */
typedef struct kept_read {
    dp_relmap map;
    dp_arena *arena;
    dp_state *state;
    dp_db *db;
    int start, rc;
    pthread_t th;
} kept_read;

static void *read_kept(void *p)
{
    kept_read *k = p;
    k->rc = k->arena ? dp_relmap_kept(&k->map, k->arena, k->state, dp_db_path(k->db), dp_db_fingerprint(k->db)) : -1;
    if (k->rc && k->start)
        dp_db_start(k->db);
    return NULL;
}

/* Binds the models from the database's catalog, read in bulk or, when the
 * database has not changed since (its fingerprint), from the state (*map,
 * read before the catalog files so that a warm load need not start the
 * engine); *con is connected only when something is not in the state. */
static int bind_models(dp_catalog *cat, dp_relmap *map, int have_map, duckdb_connection *con, int refresh,
                       dp_error *err)
{
    int rc = 0;
    dp_exprprobe *probe = NULL;
    if (!have_map) {
        if ((rc = dp_db_connect(con, cat->db, err)) || (rc = dp_relmap_load(map, cat->kg.arena, *con, err)))
            return rc;
        dp_relmap_keep(map, cat->state, dp_db_path(cat->db), dp_db_fingerprint(cat->db));
    }
    cat->relmap_cached = have_map;
    if (!(probe = dp_exprprobe_new(cat->db, *con, cat->state, refresh)))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    rc = dp_bind_models_map(&cat->kg, probe, map, err);
    dp_exprprobe_free(probe);
    return rc;
}

/* A memory limit like 150MB, 2GB or 1.5GiB in bytes (DuckDB counts KB and
 * KiB alike as 1024); 0 when not one. */
static double limit_bytes(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    const char *units = "BKMGT";
    const char *u = *end ? strchr(units, *end & ~0x20) : units;
    if (!u || v <= 0)
        return 0;
    for (const char *p = units; p < u; p++)
        v *= 1024;
    return v;
}

/* The database with the memory limit and, with a state, a spill folder in
 * it (DuckDB's default would be ./.tmp of the current folder). */
static int open_db(dp_catalog *cat, const char *db_path, const dp_catalog_options *opts, dp_error *err)
{
    char root[4200] = "";
    const char *sp = cat->state ? dp_state_path(cat->state) : NULL, *slash = sp ? strrchr(sp, '/') : NULL;
    if (slash && snprintf(root, sizeof(root), "%.*s/tmp", (int)(slash - sp), sp) >= (int)sizeof(root))
        return dp_error_set(err, DP_ELIMIT, "state folder path too long");
    for (const char *p = opts->memory_limit; p && *p; p++)
        if (!strchr("0123456789.KMGTBkmgtib ", *p))
            return dp_error_set(err, DP_EINVALID, "memory limit '%s' is not like 2GB", opts->memory_limit);
    dp_db_options dbo = {.memory_limit = opts->memory_limit,
                         .temp_root = root[0] ? root : NULL,
                         .background = DP_DB_OPEN_DEFERRED,
                         .recycle_after = opts->engine_recycle_runs > 0 ? (unsigned long)opts->engine_recycle_runs : 0};
    /* DuckDB sorts and hashes with memory per thread: under a tight limit
     * two threads run out where one spills (a 2M-row result in 150 MB
     * failed one time in five) */
    if (opts->memory_limit && limit_bytes(opts->memory_limit) < 512.0 * 1024 * 1024)
        dbo.threads = 1;
    return dp_db_open(&cat->db, db_path, &dbo, err);
}

/* The fingerprint of every catalog file (models, glossary, manifest), in
 * out[64]; -1 when a tree is missing or too large to take. */
static int files_key(const dp_catalog *cat, char out[64])
{
    char fm[17], fg[17] = "-", fx[17] = "-";
    const dp_kg *kg = &cat->kg;
    if (dp_fs_tree_fingerprint(kg->models_path, fm) ||
        (kg->glossary_path && dp_fs_tree_fingerprint(kg->glossary_path, fg)) ||
        (kg->manifest_path && dp_fs_tree_fingerprint(kg->manifest_path, fx)))
        return -1;
    snprintf(out, 64, "%s.%s.%s", fm, fg, fx);
    return 0;
}

int dp_catalog_changed(dp_catalog *cat)
{
    char now[64];
    if (!cat)
        return 0;
    if (dp_db_changed(cat->db))
        return 1;
    return cat->files_key[0] && (files_key(cat, now) || strcmp(now, cat->files_key));
}

int dp_catalog_open(dp_catalog **out, const dp_catalog_options *opts, dp_error *err)
{
    int rc = 0;
    duckdb_connection con = NULL;
    dp_catalog *cat = NULL;
    char *cached = NULL;
    dp_relmap map = {0};
    int have_map = 0;
    *out = NULL;
    dp_catalog_options def = DP_CATALOG_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    double t0 = dp_now_ms();
    const char *db_path = opts->db_path, *models = opts->models_path, *glossary = opts->glossary_path;
    int demo = !db_path && !models && !opts->manifest_path;
    char demo_models[4096], demo_gloss[4096];
    if (demo) {
        snprintf(demo_models, sizeof(demo_models), "%s/semantic_models.yml", dp_demo_catalog_dir());
        snprintf(demo_gloss, sizeof(demo_gloss), "%s/glossary.yml", dp_demo_catalog_dir());
        db_path = dp_demo_db_path();
        models = demo_models;
        if (!glossary)
            glossary = demo_gloss;
        struct stat st;
        if (stat(db_path, &st) != 0) {
            fprintf(stderr, "dpgen: building the demo database at %s (once)\n", db_path);
            if ((rc = dp_demo_build(db_path, 1.0, err)))
                return rc;
        }
    } else if (!models && opts->manifest_path) {
        models = opts->manifest_path; /* the catalog's name in the state and the spec */
    }
    if (!db_path || !models) {
        return dp_error_set(err, DP_EINVALID, opts->manifest_path ? "give --db with --manifest"
                                                                  : "give both --db and --models (or neither, for the demo)");
    }
    cat = calloc(1, sizeof(*cat));
    if (!cat || !(cat->kg.arena = dp_arena_new(256 * 1024)) ||
        !(cat->parses = dp_json_memo_new(PARSE_MEMO_ENTRIES, PARSE_MEMO_BYTES)) ||
        !(cat->checks = dp_json_memo_new(CHECK_MEMO_ENTRIES, CHECK_MEMO_BYTES))) {
        if (cat) {
            dp_arena_free(cat->kg.arena);
            dp_json_memo_free(cat->parses);
        }
        free(cat);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&cat->indexes_mu, NULL);
    cat->kg.models_path = dp_arena_strdup(cat->kg.arena, models);
    cat->kg.db_path = dp_arena_strdup(cat->kg.arena, db_path);
    cat->kg.glossary_path = glossary ? dp_arena_strdup(cat->kg.arena, glossary) : NULL;
    cat->kg.manifest_path = opts->manifest_path ? dp_arena_strdup(cat->kg.arena, opts->manifest_path) : NULL;
    cat->kg.target_schema = opts->schema ? dp_arena_strdup(cat->kg.arena, opts->schema) : NULL;
    /* the state first: DuckDB spills into its tmp/ folder; DuckDB opens
     * the database on a thread of its own while the catalog files are read
     * (attaching a file of 10,000 tables takes about a second) */
    if (!opts->no_state && (rc = dp_state_open(&cat->state, opts->state_dir, err)))
        goto done;
    if ((rc = open_db(cat, db_path, opts, err)))
        goto done;
    if (cat->state) { /* a catalog file parsed before is read from here, not parsed again */
        const char *sp = dp_state_path(cat->state), *slash = strrchr(sp, '/');
        if (slash)
            cat->kg.yaml_cache = dp_arena_printf(cat->kg.arena, "%.*s/cache/yaml", (int)(slash - sp), sp);
    }
    /* the database's catalog kept in the state: with it a deferred load
     * may never open the engine; without it the engine opens beside the
     * reading of the catalog files */
    kept_read kept = {.arena = NULL, .state = cat->state, .db = cat->db, .start = opts->defer_db, .rc = -1};
    int reading = 0;
    if (!opts->refresh_profile && cat->state && (kept.arena = dp_arena_new(256 * 1024)))
        reading = pthread_create(&kept.th, NULL, read_kept, &kept) == 0;
    if (!reading && kept.arena) /* no thread: read here (starting the engine on a miss) */
        read_kept(&kept);
    /* the engine opens beside the load unless the map may spare it (the
     * reader starts it on a miss) */
    if (!opts->defer_db || !kept.arena)
        dp_db_start(cat->db);
    if (!(rc = dp_kg__set_root(&cat->kg, demo, err)) && !(rc = dp_dbt_load_catalog(&cat->kg, models, err)) && glossary)
        rc = dp_glossary_load_path(&cat->kg, glossary, err);
    if (reading)
        pthread_join(kept.th, NULL);
    map = kept.map;
    have_map = kept.rc == 0;
    dp_arena_adopt(cat->kg.arena, kept.arena); /* the map's text lives there */
    if (rc)
        goto done;
    cat->keep_runs = opts->keep_runs;
    cat->keep_days = opts->keep_days;
    if ((rc = bind_models(cat, &map, have_map, &con, opts->refresh_profile, err)))
        goto done;
    if (cat->state) {
        dp_error ignore = {0}; /* runs a crash interrupted are recorded failed */
        dp_state_run_reap(cat->state, &ignore);
        char ck[40]; /* what runs learn is per catalog */
        dp_state_catalog_key(ck, models, db_path);
        dp_state_set_catalog(cat->state, ck);
    }
    double t1 = dp_now_ms();
    char key[1024];
    catalog_key(key, sizeof(key), cat->db, &cat->kg);
    /* what repeats and stored exports depend on: the data and every catalog
     * file (a label, a filter, a glossary term edited changes answers too);
     * a tree too large to fingerprint leaves it empty: no reuse */
    if (!files_key(cat, cat->files_key))
        snprintf(cat->data_key, sizeof(cat->data_key), "%s|files=%s", key, cat->files_key);
    /* the cache holds every table whose profile was complete; what it
     * lacks (new, changed or partial last time) is profiled now and added */
    for (size_t i = 0; i < cat->kg.nmodels; i++)
        cat->kg.models[i].profiled = 0;
    if (cat->state && !opts->refresh_profile && (cached = dp_state_profile_get(cat->state, key)) &&
        dp_profile_from_text(&cat->kg, cached)) {
        for (size_t i = 0; i < cat->kg.nmodels; i++) /* not a text this version wrote: nothing taken */
            cat->kg.models[i].profiled = 0;
    }
    size_t missing = 0;
    for (size_t i = 0; i < cat->kg.nmodels; i++)
        missing += !cat->kg.models[i].off.reason && !cat->kg.models[i].profiled;
    cat->profile_cached = cached && !missing;
    if (missing) {
        dp_profile_limits pl = {opts->timeout_ms, 0, 0};
        if ((!con && (rc = dp_db_connect(&con, cat->db, err))) || (rc = dp_profile_models(&cat->kg, con, &pl, err)))
            goto done;
        if (cat->state) {
            char *js = dp_profile_to_text(&cat->kg);
            dp_error ignore = {0};
            if (js)
                dp_state_profile_put(cat->state, key, js, &ignore);
            free(js);
        }
    }
    cat->profile_ms = dp_now_ms() - t1;
    if ((rc = dp_glossary_check(&cat->kg, err)) || (!opts->defer_indexes && (rc = dp_catalog__indexes(cat, err))))
        goto done;
    cat->load_ms = dp_now_ms() - t0;
done:
    free(cached);
    dp_relmap_dispose(&map);
    if (con)
        duckdb_disconnect(&con);
    if (rc) {
        dp_catalog_free(cat);
        return rc;
    }
    *out = cat;
    return 0;
}

void dp_catalog_free(dp_catalog *cat)
{
    if (!cat)
        return;
    dp_db_close(cat->db);
    dp_state_close(cat->state);
    dp_json_memo_free(cat->parses);
    dp_json_memo_free(cat->checks);
    dp_arena_free(cat->kg.arena);
    pthread_mutex_destroy(&cat->indexes_mu);
    free(cat);
}

int dp_catalog__indexes(dp_catalog *cat, dp_error *err)
{
    int rc = 0;
    if (__atomic_load_n(&cat->indexes_built, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&cat->indexes_mu);
    if (!cat->indexes_built && !(rc = dp_kg_build_indexes(&cat->kg, err)))
        __atomic_store_n(&cat->indexes_built, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&cat->indexes_mu);
    return rc;
}

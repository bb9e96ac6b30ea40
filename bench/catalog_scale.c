/* Catalog scale benchmark: writes a synthetic dbt Semantic Layer catalog
 * (default 10,000 semantic models with 500,000 columns in 100 files, 5,000
 * metrics, a glossary) into a temporary folder, loads it with no database
 * (dp_kg_open_offline: YAML, knowledge graph, lexicon, vector index) and
 * reports the load time, memory, and the time of intent + discovery per
 * request and of vector search over requests made from the catalog itself.
 * With --db it also writes a DuckDB file with one table per model and
 * reports dp_catalog_open against it, cold (a fresh state) and warm (the
 * state of the cold load), each in its own process so peak RSS is its own.
 *   catalog_scale [--models N] [--columns N] [--metrics N] [--files N]
 *                 [--requests N] [--seed N] [--keep DIR] [--quiet] [--db]
 *                 [--legacy-storage] [--load-only] */
#include "dpgen/dpgen.h"
#include "catalog/catalog.h"
#include "catalog/load.h"
#include "catalog/offline.h"
#include "discovery/discovery.h"
#include "intent/intent.h"
#include "kg/lexicon.h"
#include "kg/vindex.h"
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- word lists: neutral, made-up world of instruments and landscapes ---- */

static const char *const QUAL[] = {
    "harbor", "river", "summit", "valley", "coastal", "northern", "southern", "lunar", "solar", "polar",
    "alpine", "forest", "desert", "meadow", "canyon", "glacier", "island", "prairie", "tundra", "delta",
    "ridge", "basin", "upland", "lowland", "marsh", "orchard", "quarry", "reef", "crater", "plateau",
    "cove", "fjord", "steppe", "grove", "highland", "lagoon", "mesa", "moor", "oasis", "savanna"};
static const char *const SUBJ[] = {
    "sensor", "signal", "beacon", "turbine", "pump", "valve", "relay", "probe", "drone", "vessel",
    "station", "reactor", "antenna", "lantern", "engine", "rotor", "panel", "cable", "filter", "gauge",
    "boiler", "compressor", "conveyor", "crane", "dynamo", "furnace", "generator", "hatch", "kiln", "lathe",
    "magnet", "nozzle", "piston", "radar", "sluice", "spindle", "telescope", "tower", "winch", "battery"};
static const char *const EV_ONE[] = {"reading", "event", "sample", "log", "measurement", "check", "cycle", "pass",
                                     "visit", "alert", "snapshot", "trip", "inspection", "calibration", "fault"};
static const char *const EV_MANY[] = {"readings", "events", "samples", "logs", "measurements", "checks", "cycles", "passes",
                                      "visits", "alerts", "snapshots", "trips", "inspections", "calibrations", "faults"};
static const char *const TIMEVERB[] = {"recorded", "observed", "measured", "captured", "logged",
                                       "sampled", "reported", "scheduled", "started", "finished"};
static const char *const ATTR[] = {
    "color", "material", "grade", "tier", "zone", "sector", "mode", "shape", "phase", "band",
    "series", "variant", "pattern", "category", "origin", "family", "rating", "status", "stage", "orientation",
    "texture", "climate", "terrain", "batch", "crew", "firmware", "revision", "protocol", "alloy", "coating",
    "voltage_class", "frequency_band", "cooling_type", "mount_type", "housing", "finish", "district", "watershed",
    "elevation_band", "soil_type", "weather_condition", "season", "lane", "track", "deck", "bay",
    "dock", "rack", "aisle", "floor_level", "wing", "grid_cell", "quadrant", "hemisphere",
    "orbit_class", "signal_quality", "power_source", "fuel_type", "duty_class", "maintenance_state",
    "install_era", "team", "shift_pattern", "hazard_level"};
static const char *const MOD[] = {"peak", "base", "net", "gross", "raw", "adjusted",
                                  "observed", "expected", "idle", "active", "reserve", "residual"};
static const char *const QTY[] = {
    "pressure", "temperature", "voltage", "duration", "distance", "weight", "volume", "flow", "energy", "noise",
    "humidity", "speed", "depth", "altitude", "intensity", "frequency", "load", "torque", "friction", "latency",
    "drift", "wear", "charge", "output", "throughput", "heat", "vibration", "current", "resistance", "tension"};
static const char *const UNIT[] = {"in kilopascals", "in degrees", "in volts", "in seconds", "in metres", "in kilograms",
                                   "in litres", "in litres per minute", "in joules", "in decibels"};
static const char *const SYN[] = {"level", "figure", "tally", "index", "score", "amount", "footprint", "signature"};
static const char *const NETWORK[] = {"monitoring network", "field survey", "telemetry feed", "maintenance crew",
                                      "inspection rota", "relay chain"};

#define N(a) (sizeof(a) / sizeof(*(a)))
#define MAX_CAT 64
#define MAX_MEAS 48

/* ---- seeded generator ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

typedef enum { AGG_SUM, AGG_AVG, AGG_MAX, AGG_MIN, AGG_CD, AGG_COUNT, AGG_MEDIAN, AGG_PCT } gagg;
static const char *const AGGNAME[] = {"sum", "average", "max", "min", "count_distinct", "count", "median", "percentile"};
static const char *const AGGWORD[] = {"Sum", "Average", "Largest", "Smallest", "Distinct count", "Count", "Median", "90th percentile"};

typedef struct gmodel {
    int q, s, e, suffix, verb;
    int nfk, fk[3];
    int ncat;
    uint8_t cat[MAX_CAT], catq[MAX_CAT]; /* attribute, qualified by the subject */
    int nmeas;
    uint16_t meas[MAX_MEAS];              /* MOD index * N(QTY) + QTY index */
    uint8_t agg[MAX_MEAS];
    uint64_t used;                        /* measures a simple metric uses */
} gmodel;

typedef struct gmetric {
    int type; /* 0 simple, 1 ratio, 2 derived */
    int model, meas;  /* simple */
    int a, b;         /* ratio / derived: metric indexes */
    char name[160], label[200];
} gmetric;

typedef struct gen {
    size_t nmodels, ncolumns, nmetrics, nfiles;
    gmodel *models;
    gmetric *metrics;
    size_t nterms;
} gen;

/* names */
static void model_name(char *o, size_t n, const gmodel *m)
{
    if (m->suffix)
        snprintf(o, n, "%s_%s_%s_%d", QUAL[m->q], SUBJ[m->s], EV_MANY[m->e], m->suffix + 1);
    else
        snprintf(o, n, "%s_%s_%s", QUAL[m->q], SUBJ[m->s], EV_MANY[m->e]);
}
static void entity_name(char *o, size_t n, const gmodel *m)
{
    if (m->suffix)
        snprintf(o, n, "%s_%s_%s_%d", QUAL[m->q], SUBJ[m->s], EV_ONE[m->e], m->suffix + 1);
    else
        snprintf(o, n, "%s_%s_%s", QUAL[m->q], SUBJ[m->s], EV_ONE[m->e]);
}
static void dim_name(char *o, size_t n, const gmodel *m, int k)
{
    if (m->catq[k])
        snprintf(o, n, "%s_%s", SUBJ[m->s], ATTR[m->cat[k]]);
    else
        snprintf(o, n, "%s", ATTR[m->cat[k]]);
}
static void measure_name(char *o, size_t n, const gmodel *m, int k)
{
    char en[128];
    entity_name(en, sizeof(en), m);
    snprintf(o, n, "%s_%s_%s", en, MOD[m->meas[k] / N(QTY)], QTY[m->meas[k] % N(QTY)]);
}
static void words(char *o, size_t n, const char *name, int title)
{
    size_t i = 0;
    for (const char *p = name; *p && i + 1 < n; p++, i++) {
        char c = *p == '_' ? ' ' : *p;
        if (title && (p == name || p[-1] == '_'))
            c = (char)toupper((unsigned char)c);
        o[i] = c;
    }
    o[i] = 0;
}
static void initials(char *o, size_t n, const char *label)
{
    size_t i = 0;
    for (const char *p = label; *p && i + 1 < n; p++)
        if (isupper((unsigned char)*p) && (p == label || p[-1] == ' '))
            o[i++] = *p;
    o[i] = 0;
}

/* ---- the synthetic catalog ---- */

static int plan(gen *g)
{
    size_t combos = N(QUAL) * N(SUBJ) * N(EV_ONE);
    size_t *perm = malloc(combos * sizeof(*perm));
    g->models = calloc(g->nmodels, sizeof(*g->models));
    g->metrics = calloc(g->nmetrics, sizeof(*g->metrics));
    if (!perm || !g->models || !g->metrics) {
        free(perm);
        return -1;
    }
    for (size_t i = 0; i < combos; i++)
        perm[i] = i;
    for (size_t i = combos - 1; i > 0; i--) {
        size_t j = below(i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    /* columns per model: 50 +- 15 on average, in pairs that sum exactly */
    size_t base = g->ncolumns / g->nmodels, extra = g->ncolumns % g->nmodels;
    size_t hubs = g->nmodels / 10 ? g->nmodels / 10 : 1;
    long delta = 0;
    for (size_t i = 0; i < g->nmodels; i++) {
        gmodel *m = &g->models[i];
        size_t c = perm[i % combos];
        m->q = (int)(c / (N(SUBJ) * N(EV_ONE)));
        m->s = (int)(c / N(EV_ONE) % N(SUBJ));
        m->e = (int)(c % N(EV_ONE));
        m->suffix = (int)(i / combos);
        m->verb = (int)below(N(TIMEVERB));
        /* +delta on an even model, -delta on the next: the total stays exact */
        if (i % 2 == 0)
            delta = i + 1 < g->nmodels && base > 30 ? (long)below(31) - 15 : 0;
        long cols = (long)base + (i < extra) + (i % 2 == 0 ? delta : -delta);
        m->nfk = g->nmodels > 4 ? 1 + (int)below(3) : 0;
        for (int k = 0; k < m->nfk; k++) {
            size_t t;
            int dup;
            do { /* shared "hub" models are referenced more often */
                t = below(4) < 3 ? below(hubs) : below(g->nmodels);
                dup = t == i;
                for (int q = 0; q < k; q++)
                    dup |= m->fk[q] == (int)t;
            } while (dup);
            m->fk[k] = (int)t;
        }
        long rest = cols - (1 + m->nfk) - 1;
        if (rest < 2)
            rest = 2;
        m->nmeas = (int)(rest * 2 / 5);
        if (m->nmeas > MAX_MEAS)
            m->nmeas = MAX_MEAS;
        m->ncat = (int)(rest - m->nmeas);
        if (m->ncat > (int)N(ATTR)) {
            fprintf(stderr, "catalog_scale: too many columns per model\n");
            free(perm);
            return -1;
        }
        /* distinct attributes and measure kinds (partial shuffles) */
        uint8_t at[N(ATTR)];
        for (size_t k = 0; k < N(ATTR); k++)
            at[k] = (uint8_t)k;
        for (int k = 0; k < m->ncat; k++) {
            size_t j = (size_t)k + below(N(ATTR) - (size_t)k);
            uint8_t t = at[k];
            at[k] = at[j];
            at[j] = t;
            m->cat[k] = at[k];
            m->catq[k] = below(10) < 7;
        }
        uint16_t mk[N(MOD) * N(QTY)];
        for (size_t k = 0; k < N(MOD) * N(QTY); k++)
            mk[k] = (uint16_t)k;
        for (int k = 0; k < m->nmeas; k++) {
            size_t j = (size_t)k + below(N(MOD) * N(QTY) - (size_t)k);
            uint16_t t = mk[k];
            mk[k] = mk[j];
            mk[j] = t;
            m->meas[k] = mk[k];
            size_t r = below(100);
            m->agg[k] = r < 60 ? AGG_SUM : r < 70 ? AGG_AVG : r < 80 ? AGG_MAX : r < 85 ? AGG_MIN : r < 90 ? AGG_CD
                      : r < 95 ? AGG_COUNT : r < 98 ? AGG_MEDIAN : AGG_PCT;
        }
    }
    free(perm);
    /* metrics: 80% simple (each its own measure), 12% ratio, 8% derived */
    size_t nsimple = g->nmetrics * 80 / 100, nratio = g->nmetrics * 12 / 100;
    if (nsimple == 0)
        nsimple = 1;
    for (size_t i = 0; i < g->nmetrics; i++) {
        gmetric *x = &g->metrics[i];
        if (i < nsimple) {
            int mi, k, tries = 0;
            do {
                mi = (int)below(g->nmodels);
                k = (int)below((size_t)g->models[mi].nmeas);
            } while (g->models[mi].used >> k & 1 && ++tries < 1000);
            g->models[mi].used |= 1ull << k;
            x->type = 0;
            x->model = mi;
            x->meas = k;
            const gmodel *m = &g->models[mi];
            measure_name(x->name, sizeof(x->name), m, k);
            char w[200];
            words(w, sizeof(w), x->name, 1);
            if (below(20) == 0) { /* an abbreviation in the label */
                char ab[16];
                initials(ab, sizeof(ab), w);
                snprintf(x->label, sizeof(x->label), "%s (%s)", w, ab);
            } else {
                snprintf(x->label, sizeof(x->label), "%s", w);
            }
            continue;
        }
        const gmetric *a = &g->metrics[(i - nsimple) % nsimple];
        /* the other input: a simple metric of the same model when there is one */
        size_t bi = below(nsimple);
        for (size_t k = 0; k < nsimple; k++) {
            size_t c = (bi + k) % nsimple;
            if (g->metrics[c].model == a->model && c != (size_t)(a - g->metrics)) {
                bi = c;
                break;
            }
        }
        const gmetric *b = &g->metrics[bi];
        const gmodel *bm = &g->models[b->model];
        const char *bmod = MOD[bm->meas[b->meas] / N(QTY)], *bqty = QTY[bm->meas[b->meas] % N(QTY)];
        x->a = (int)(a - g->metrics);
        x->b = (int)bi;
        x->model = a->model;
        char al[200], an[sizeof(a->name)]; /* copies: x is another element of the same array */
        snprintf(al, sizeof(al), "%s", a->label);
        snprintf(an, sizeof(an), "%s", a->name);
        char *paren = strchr(al, '(');
        if (paren && paren > al)
            paren[-1] = 0;
        if (i < nsimple + nratio) {
            x->type = 1;
            snprintf(x->name, sizeof(x->name), "%s_per_%s_%s", an, bmod, bqty);
            snprintf(x->label, sizeof(x->label), "%s to %c%s %s Ratio", al, toupper((unsigned char)bmod[0]), bmod + 1, bqty);
        } else {
            x->type = 2;
            snprintf(x->name, sizeof(x->name), "%s_net_of_%s_%s", an, bmod, bqty);
            snprintf(x->label, sizeof(x->label), "%s Net of %c%s %s", al, toupper((unsigned char)bmod[0]), bmod + 1, bqty);
        }
    }
    return 0;
}

static int write_model(FILE *f, const gen *g, size_t i)
{
    const gmodel *m = &g->models[i];
    char mn[128], en[128], w[200], tn[64], dn[128], me[160];
    model_name(mn, sizeof(mn), m);
    entity_name(en, sizeof(en), m);
    words(w, sizeof(w), mn, 1);
    snprintf(tn, sizeof(tn), "%s_at", TIMEVERB[m->verb]);
    fprintf(f, "  - name: %s\n    label: %s\n", mn, w);
    fprintf(f, "    description: \"One row per %s %s %s, as the %s %s reports it.\"\n", QUAL[m->q], SUBJ[m->s], EV_ONE[m->e],
            QUAL[(m->q + 7) % N(QUAL)], NETWORK[i % N(NETWORK)]);
    fprintf(f, "    model: ref('%s')\n    defaults:\n      agg_time_dimension: %s\n    entities:\n", mn, tn);
    fprintf(f, "      - name: %s\n        type: primary\n        expr: %s_id\n", en, en);
    for (int k = 0; k < m->nfk; k++) {
        char fe[128];
        entity_name(fe, sizeof(fe), &g->models[m->fk[k]]);
        fprintf(f, "      - name: %s\n        type: foreign\n        expr: %s_id\n", fe, fe);
    }
    fprintf(f, "    dimensions:\n      - name: %s\n        type: time\n        type_params:\n          time_granularity: day\n", tn);
    for (int k = 0; k < m->ncat; k++) {
        dim_name(dn, sizeof(dn), m, k);
        fprintf(f, "      - name: %s\n        type: categorical\n", dn);
        if ((k + (int)i) % 10 < 7) {
            words(w, sizeof(w), ATTR[m->cat[k]], 0);
            fprintf(f, "        description: \"The %s of the %s at the time of the %s.\"\n", w, SUBJ[m->s], EV_ONE[m->e]);
        }
    }
    fprintf(f, "    measures:\n");
    for (int k = 0; k < m->nmeas; k++) {
        const char *mod = MOD[m->meas[k] / N(QTY)], *qty = QTY[m->meas[k] % N(QTY)];
        measure_name(me, sizeof(me), m, k);
        fprintf(f, "      - name: %s\n        agg: %s\n        expr: %s_%s\n", me, AGGNAME[m->agg[k]], mod, qty);
        if (m->agg[k] == AGG_PCT)
            fprintf(f, "        agg_params:\n          percentile: 0.9\n");
        fprintf(f, "        description: \"%s of the %s %s of each %s, %s.\"\n", AGGWORD[m->agg[k]], mod, qty, EV_ONE[m->e],
                UNIT[m->meas[k] % N(UNIT)]);
    }
    return ferror(f) ? -1 : 0;
}

static int write_metric(FILE *f, const gen *g, size_t i)
{
    const gmetric *x = &g->metrics[i];
    const gmodel *m = &g->models[x->model];
    char mn[128];
    model_name(mn, sizeof(mn), m);
    fprintf(f, "  - name: %s\n    label: \"%s\"\n", x->name, x->label);
    if (x->type == 0) {
        const char *mod = MOD[m->meas[x->meas] / N(QTY)], *qty = QTY[m->meas[x->meas] % N(QTY)];
        char w[200];
        words(w, sizeof(w), mn, 0);
        fprintf(f, "    description: \"%s of the %s %s over %s", AGGWORD[m->agg[x->meas]], mod, qty, w);
        if (i % 10 == 3)
            fprintf(f, ", also called %s %s or %s %s %s", qty, SYN[i % N(SYN)], SUBJ[m->s], qty, SYN[(i + 3) % N(SYN)]);
        fprintf(f, ".\"\n    type: simple\n    type_params:\n      measure: %s\n", x->name);
    } else if (x->type == 1) {
        fprintf(f, "    description: \"%s divided by %s, both summed over the period first.\"\n", g->metrics[x->a].label,
                g->metrics[x->b].label);
        fprintf(f, "    type: ratio\n    type_params:\n      numerator: %s\n      denominator: %s\n", g->metrics[x->a].name,
                g->metrics[x->b].name);
    } else {
        fprintf(f, "    description: \"%s less %s.\"\n", g->metrics[x->a].label, g->metrics[x->b].label);
        fprintf(f, "    type: derived\n    type_params:\n      expr: %s - %s\n      metrics:\n        - %s\n        - %s\n",
                g->metrics[x->a].name, g->metrics[x->b].name, g->metrics[x->a].name, g->metrics[x->b].name);
    }
    return ferror(f) ? -1 : 0;
}

/* A glossary of 5% of the metrics plus some dimensions, as a team would
 * write one. */
static int write_glossary(FILE *f, gen *g)
{
    fprintf(f, "version: 1\nterms:\n");
    g->nterms = 0;
    for (size_t i = 7; i < g->nmetrics; i += 20) {
        const gmetric *x = &g->metrics[i];
        if (x->type != 0)
            continue;
        const gmodel *m = &g->models[x->model];
        const char *qty = QTY[m->meas[x->meas] % N(QTY)];
        fprintf(f, "  - name: \"%s %s %s\"\n    definition: \"The %s %s figure the %s team reports.\"\n", QUAL[m->q],
                SUBJ[m->s], qty, SUBJ[m->s], qty, QUAL[m->q]);
        fprintf(f, "    synonyms: [\"%s %s %s\"]\n    owner: %s-team\n    domain: %s\n    maps_to:\n      metric: %s\n",
                SUBJ[m->s], qty, SYN[i % N(SYN)], QUAL[m->q], SUBJ[m->s], x->name);
        g->nterms++;
    }
    for (size_t i = 0; i < g->nmodels; i += 97) {
        const gmodel *m = &g->models[i];
        char en[128], dn[128];
        entity_name(en, sizeof(en), m);
        dim_name(dn, sizeof(dn), m, 0);
        fprintf(f, "  - name: \"%s %s %s\"\n    definition: \"How the %s team classifies %s %s.\"\n", QUAL[m->q], SUBJ[m->s],
                ATTR[m->cat[0]], QUAL[m->q], SUBJ[m->s], EV_MANY[m->e]);
        fprintf(f, "    maps_to:\n      dimension: %s__%s\n", en, dn);
        g->nterms++;
    }
    return ferror(f) ? -1 : 0;
}

static int write_catalog(gen *g, const char *dir, size_t *bytes)
{
    char path[4096];
    size_t per = (g->nmodels + g->nfiles - 1) / g->nfiles;
    size_t mfiles = g->nfiles / 10 ? g->nfiles / 10 : 1, mper = (g->nmetrics + mfiles - 1) / mfiles;
    struct stat st;
    *bytes = 0;
    if (mkdir(dir, 0700) && errno != EEXIST)
        return -1;
    for (size_t fi = 0; fi * per < g->nmodels; fi++) {
        snprintf(path, sizeof(path), "%s/models/semantic_models_%03zu.yml", dir, fi);
        if (fi == 0) {
            char sub[4096];
            snprintf(sub, sizeof(sub), "%s/models", dir);
            if (mkdir(sub, 0700) && errno != EEXIST)
                return -1;
        }
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        int rc = fprintf(f, "# synthetic catalog for bench/catalog_scale\nsemantic_models:\n") < 0;
        for (size_t i = fi * per; i < (fi + 1) * per && i < g->nmodels && !rc; i++)
            rc = write_model(f, g, i);
        rc |= fclose(f) != 0;
        if (rc || stat(path, &st))
            return -1;
        *bytes += (size_t)st.st_size;
    }
    for (size_t fi = 0; fi * mper < g->nmetrics; fi++) {
        snprintf(path, sizeof(path), "%s/models/metrics_%03zu.yml", dir, fi);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        int rc = fprintf(f, "metrics:\n") < 0;
        for (size_t i = fi * mper; i < (fi + 1) * mper && i < g->nmetrics && !rc; i++)
            rc = write_metric(f, g, i);
        rc |= fclose(f) != 0;
        if (rc || stat(path, &st))
            return -1;
        *bytes += (size_t)st.st_size;
    }
    snprintf(path, sizeof(path), "%s/glossary.yml", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = write_glossary(f, g);
    rc |= fclose(f) != 0;
    if (rc || stat(path, &st))
        return -1;
    *bytes += (size_t)st.st_size;
    return 0;
}

static void remove_catalog(const char *dir)
{
    char path[4096];
    for (size_t fi = 0; fi < 100000; fi++) {
        snprintf(path, sizeof(path), "%s/models/semantic_models_%03zu.yml", dir, fi);
        int a = unlink(path);
        snprintf(path, sizeof(path), "%s/models/metrics_%03zu.yml", dir, fi);
        int b = unlink(path);
        if (a && b)
            break;
    }
    snprintf(path, sizeof(path), "%s/glossary.yml", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/models", dir);
    rmdir(path);
    rmdir(dir);
}

/* ---- measuring ---- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void stats(const char *name, double *v, size_t n, double target)
{
    if (!n)
        return;
    qsort(v, n, sizeof(*v), cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    size_t p95 = (size_t)((double)n * 0.95);
    if (p95 >= n)
        p95 = n - 1;
    printf("  %-28s median %9.3f ms  p95 %9.3f ms  max %9.3f ms  mean %9.3f ms", name, v[n / 2], v[p95], v[n - 1],
           sum / (double)n);
    if (target > 0)
        printf("  (target < %g ms: %s)", target, v[p95] < target ? "met" : v[n / 2] < target ? "median met, p95 missed" : "MISSED");
    printf("\n");
}

/* One table per model with the columns its YAML names (the key a primary
 * key), all created in one transaction; empty, so the figures are the
 * catalog's cost, not the data's. */
static int write_db(const gen *g, const char *path, int legacy)
{
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    int rc = -1;
    size_t cap = 64 * 1024;
    char *sql = malloc(cap);
    if (!sql || duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError)
        goto done;
    /* DuckDB's default file format is the one v1.0 reads, whose statistics
     * make an empty table of 50 columns cost ~160 KB on disk and ~4 ms and
     * ~150 KB to ATTACH; --legacy-storage measures that */
    snprintf(sql, cap, "ATTACH '%s' AS b%s", path, legacy ? "" : " (STORAGE_VERSION 'v1.4.0')");
    if (duckdb_query(con, sql, NULL) == DuckDBError || duckdb_query(con, "USE b", NULL) == DuckDBError ||
        duckdb_query(con, "BEGIN", NULL) == DuckDBError)
        goto done;
    for (size_t i = 0; i < g->nmodels; i++) {
        const gmodel *m = &g->models[i];
        char mn[128], en[128], dn[128];
        model_name(mn, sizeof(mn), m);
        entity_name(en, sizeof(en), m);
        size_t o = (size_t)snprintf(sql, cap, "CREATE TABLE \"%s\" (\"%s_id\" BIGINT PRIMARY KEY", mn, en);
        for (int k = 0; k < m->nfk; k++) {
            entity_name(en, sizeof(en), &g->models[m->fk[k]]);
            o += (size_t)snprintf(sql + o, cap - o, ", \"%s_id\" BIGINT", en);
        }
        o += (size_t)snprintf(sql + o, cap - o, ", \"%s_at\" TIMESTAMP", TIMEVERB[m->verb]);
        for (int k = 0; k < m->ncat; k++) {
            dim_name(dn, sizeof(dn), m, k);
            o += (size_t)snprintf(sql + o, cap - o, ", \"%s\" VARCHAR", dn);
        }
        for (int k = 0; k < m->nmeas; k++)
            o += (size_t)snprintf(sql + o, cap - o, ", \"%s_%s\" DOUBLE", MOD[m->meas[k] / N(QTY)],
                                  QTY[m->meas[k] % N(QTY)]);
        snprintf(sql + o, cap - o, ")");
        if (duckdb_query(con, sql, NULL) == DuckDBError)
            goto done;
    }
    rc = duckdb_query(con, "COMMIT", NULL) == DuckDBError ? -1 : 0;
    if (!rc)
        rc = duckdb_query(con, "CHECKPOINT b", NULL) == DuckDBError ? -1 : 0;
done:
    if (rc)
        fprintf(stderr, "catalog_scale: cannot build %s\n", path);
    free(sql);
    if (con)
        duckdb_disconnect(&con);
    if (db)
        duckdb_close(&db);
    return rc;
}

/* In a child process (argv: --load-one DB|- MODELS GLOSSARY STATE): one
 * load, printed as "<ms> <peak RSS kB> <cached 0/1>". */
static int load_one(const char *db, const char *models, const char *glossary, const char *state, int ready)
{
    dp_error err = {0};
    double t0 = now_ms();
    int cached = 0;
    if (!strcmp(db, "-")) {
        dp_kg *kg = NULL;
        if (dp_kg_open_offline(&kg, models, glossary, &err)) {
            fprintf(stderr, "catalog_scale: %s\n", err.message);
            return 1;
        }
        printf("%.0f %ld 0\n", now_ms() - t0, maxrss_kb());
        dp_kg_free_offline(kg);
        return 0;
    }
    dp_catalog *cat = NULL;
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.glossary_path = glossary;
    co.state_dir = state;
    co.defer_db = !ready;
    co.defer_indexes = !ready;
    if (dp_catalog_open(&cat, &co, &err) || (ready && dp_db_ready(cat->db, &err))) {
        fprintf(stderr, "catalog_scale: %s\n", err.message);
        return 1;
    }
    cached = cat->profile_cached;
    printf("%.0f %ld %d %.0f\n", now_ms() - t0, maxrss_kb(), cached, cat->profile_ms);
    dp_catalog_free(cat);
    return 0;
}

/* Runs load_one in a fresh process (its RSS is its own); 0 and the figures,
 * or -1. */
static int measure(const char *db, const char *models, const char *glossary, const char *state, int ready, double *ms,
                   long *kb, int *cached, double *prof_ms)
{
    int fd[2];
    if (pipe(fd))
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl("/proc/self/exe", "catalog_scale", ready ? "--load-ready" : "--load-one", db, models, glossary, state,
              (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[128] = "";
    ssize_t n = read(fd[0], buf, sizeof(buf) - 1);
    close(fd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (n <= 0 || !WIFEXITED(st) || WEXITSTATUS(st))
        return -1;
    buf[n] = 0;
    *prof_ms = 0;
    return sscanf(buf, "%lf %ld %d %lf", ms, kb, cached, prof_ms) >= 3 ? 0 : -1;
}

static void remove_tree(const char *dir)
{
    char cmd[4200];
    if (strlen(dir) > 8 && !strncmp(dir, "/tmp/", 5) && !strchr(dir, '\'')) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd))
            fprintf(stderr, "catalog_scale: could not remove %s\n", dir);
    }
}

/* Step by step, for the breakdown (the headline figure is dp_kg_open_offline). */
static int load_steps(const char *models, const char *glossary, double ms[6], dp_error *err)
{
    int rc = 0;
    dp_arena *a = dp_arena_new(4u * 1024 * 1024);
    dp_kg *kg = a ? dp_arena_alloc(a, sizeof(*kg)) : NULL;
    const char **files;
    size_t nf;
    if (!kg) {
        rc = DP_ENOMEM;
        goto done;
    }
    kg->arena = a;
    double t = now_ms();
    if ((rc = dp_list_yaml_files(&files, &nf, a, models, err)))
        goto done;
    double parse = 0, load = 0;
    for (size_t i = 0; i < nf; i++) {
        dp_node *doc;
        double t1 = now_ms();
        if ((rc = dp_yaml_load_file(&doc, a, files[i], err)))
            goto done;
        double t2 = now_ms();
        if ((rc = dp_dbt_load_doc(kg, doc, err)))
            goto done;
        parse += t2 - t1;
        load += now_ms() - t2;
    }
    ms[0] = parse;
    ms[1] = load;
    t = now_ms();
    if ((rc = dp_dbt_check(kg, err)))
        goto done;
    ms[2] = now_ms() - t;
    t = now_ms();
    if ((rc = dp_kg__offline_columns(kg, err)) || (rc = dp_glossary_load_path(kg, glossary, err)))
        goto done;
    ms[3] = now_ms() - t;
    t = now_ms();
    if ((rc = dp_lexicon_build(kg, err)))
        goto done;
    ms[4] = now_ms() - t;
    t = now_ms();
    if ((rc = dp_vindex_build(kg, err)))
        goto done;
    ms[5] = now_ms() - t;
done:
    dp_arena_free(a);
    return rc;
}

typedef struct request {
    char text[512];
    int metric;
} request;

/* "weekly <metric label> by <a dimension of its dataset or of one it joins to>" */
static size_t make_requests(const gen *g, request *out, size_t n)
{
    static const char *const grains[] = {"weekly", "daily", "monthly"};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t mi = below(g->nmetrics);
        const gmetric *x = &g->metrics[mi];
        const gmodel *m = &g->models[x->model];
        if (m->nfk && below(10) < 3)
            m = &g->models[m->fk[below((size_t)m->nfk)]];
        if (!m->ncat)
            continue;
        char dn[128], dw[128], lab[200];
        dim_name(dn, sizeof(dn), m, (int)below((size_t)m->ncat));
        words(dw, sizeof(dw), dn, 0);
        snprintf(lab, sizeof(lab), "%s", x->label);
        char *paren = strchr(lab, '(');
        if (paren && paren > lab)
            paren[-1] = 0;
        for (char *p = lab; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        snprintf(out[k].text, sizeof(out[k].text), "%s %s by %s", grains[i % 3], lab, dw);
        out[k++].metric = (int)mi;
    }
    return k;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || v == 0 || v > 100000000ull)
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    gen g = {10000, 500000, 5000, 100, NULL, NULL, 0};
    size_t nreq = 50, seed = 42;
    const char *keep = NULL;
    int quiet = 0, rc = 1, with_db = 0, load_only = 0, legacy = 0;
    if (argc == 6 && (!strcmp(argv[1], "--load-one") || !strcmp(argv[1], "--load-ready")))
        return load_one(argv[2], argv[3], argv[4], argv[5], !strcmp(argv[1], "--load-ready"));
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        size_t *dst = !strcmp(o, "--models") ? &g.nmodels : !strcmp(o, "--columns") ? &g.ncolumns
                    : !strcmp(o, "--metrics") ? &g.nmetrics : !strcmp(o, "--files") ? &g.nfiles
                    : !strcmp(o, "--requests") ? &nreq : !strcmp(o, "--seed") ? &seed : NULL;
        if (dst && i + 1 < argc && !parse_size(argv[i + 1], dst)) {
            i++;
        } else if (!strcmp(o, "--keep") && i + 1 < argc) {
            keep = argv[++i];
        } else if (!strcmp(o, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(o, "--db")) {
            with_db = 1;
        } else if (!strcmp(o, "--load-only")) {
            load_only = 1;
        } else if (!strcmp(o, "--legacy-storage")) {
            legacy = with_db = 1;
        } else {
            fprintf(stderr, "usage: catalog_scale [--models N] [--columns N] [--metrics N] [--files N] [--requests N] "
                            "[--seed N] [--keep DIR] [--quiet] [--db] [--legacy-storage] [--load-only]\n");
            return 2;
        }
    }
    if (g.nfiles > g.nmodels)
        g.nfiles = g.nmodels;
    if (g.ncolumns < g.nmodels * 8) {
        fprintf(stderr, "catalog_scale: give at least 8 columns per model\n");
        return 2;
    }
    rng_state = seed;
    char tmpl[] = "/tmp/dpgen-scale-XXXXXX";
    const char *dir = keep;
    if (!dir && !(dir = mkdtemp(tmpl))) {
        perror("mkdtemp");
        return 1;
    }
    char models[4096], glossary[4096];
    snprintf(models, sizeof(models), "%s/models", dir);
    snprintf(glossary, sizeof(glossary), "%s/glossary.yml", dir);
    dp_kg *kg = NULL;
    request *reqs = NULL;
    double *t_all = NULL, *t_int = NULL, *t_disc = NULL, *t_vec = NULL, *t_vec_all = NULL;
    dp_error err = {0};

    double t0 = now_ms();
    size_t bytes = 0;
    if (plan(&g) || write_catalog(&g, dir, &bytes)) {
        fprintf(stderr, "catalog_scale: cannot write the catalog under %s: %s\n", dir, strerror(errno));
        goto done;
    }
    size_t nent = 0, ndim = 0, nmea = 0, counts[3] = {0};
    for (size_t i = 0; i < g.nmodels; i++) {
        nent += 1 + (size_t)g.models[i].nfk;
        ndim += 1 + (size_t)g.models[i].ncat;
        nmea += (size_t)g.models[i].nmeas;
    }
    for (size_t i = 0; i < g.nmetrics; i++)
        counts[g.metrics[i].type]++;
    printf("synthetic catalog (seed %zu) in %s: %zu semantic models in %zu files, %zu columns (%zu entities, %zu dimensions, "
           "%zu measures), %zu metrics (%zu simple, %zu ratio, %zu derived), %zu glossary terms, %.1f MB of YAML; written in %.0f ms\n",
           seed, dir, g.nmodels, g.nfiles, nent + ndim + nmea, nent, ndim, nmea, g.nmetrics, counts[0], counts[1], counts[2],
           g.nterms, (double)bytes / 1e6, now_ms() - t0);
    fflush(stdout);

    if (with_db || load_only) {
        /* each load in its own process: time and peak RSS are its own */
        char dbp[4200], state[4200];
        double ms, prof;
        long kb;
        int cached;
        snprintf(dbp, sizeof(dbp), "%s/db.duckdb", dir);
        snprintf(state, sizeof(state), "%s/state", dir);
        if (measure("-", models, glossary, state, 0, &ms, &kb, &cached, &prof)) {
            fprintf(stderr, "catalog_scale: the load with no database failed\n");
            goto done;
        }
        printf("\nno database (dp_kg_open_offline, nothing cached): %.0f ms, peak RSS %.1f MB\n", ms,
               (double)kb / 1024);
        if (with_db) {
            t0 = now_ms();
            if (write_db(&g, dbp, legacy))
                goto done;
            printf("DuckDB file with %zu tables written in %.0f ms\n", g.nmodels, now_ms() - t0);
            /* cold: a fresh state; warm: the state of the cold load. A
             * catalog command (catalog check) defers the engine, which a
             * warm load then never opens; a run needs it open ("ready":
             * dp_catalog_open, then the engine's open and attach waited) */
            const char *what[] = {"cold (fresh state)", "warm (state of the cold load)"};
            const char *how[] = {"catalog check", "ready to run"};
            for (int k = 0; k < 4; k++) {
                int warm = k % 2, ready = k / 2;
                if (k == 2) { /* the state again as fresh */
                    char cmd[4300];
                    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state);
                    if (system(cmd) != 0)
                        goto done;
                }
                if (measure(dbp, models, glossary, state, ready, &ms, &kb, &cached, &prof)) {
                    fprintf(stderr, "catalog_scale: the load against %s failed\n", dbp);
                    goto done;
                }
                printf("database, %-30s %-13s %.0f ms (target < %d ms: %s), peak RSS %.1f MB (target < 300 MB: "
                       "%s); profile %.0f ms%s\n",
                       what[warm], how[ready], ms, warm ? 500 : 2000, ms < (warm ? 500 : 2000) ? "met" : "MISSED",
                       (double)kb / 1024, kb < 300 * 1024 ? "met" : "MISSED", prof,
                       warm && !cached ? " (NOT cached)" : "");
                fflush(stdout);
            }
        }
        if (load_only) {
            rc = 0;
            goto done;
        }
    }

    /* headline: one call, as a tool would load it */
    long rss0 = maxrss_kb();
    t0 = now_ms();
    if (dp_kg_open_offline(&kg, models, glossary, &err)) {
        fprintf(stderr, "catalog_scale: %s\n", err.message);
        goto done;
    }
    double load_ms = now_ms() - t0;
    long rss1 = maxrss_kb();
    size_t ncols = 0;
    for (size_t i = 0; i < kg->nmodels; i++)
        ncols += kg->models[i].ncolumns;
    printf("\ncatalog load (YAML parse + knowledge graph + lexicon + vector index): %.0f ms  (target < 2000 ms: %s)\n", load_ms,
           load_ms < 2000 ? "met" : "MISSED");
    printf("  loaded %zu models, %zu columns, %zu metrics, %zu terms; lexicon %zu phrases\n", kg->nmodels, ncols, kg->nmetrics,
           kg->nterms, dp_lexicon_size(kg->lex));
    printf("  peak RSS %.1f MB (%.1f MB before loading), arena %.1f MB\n", (double)rss1 / 1024, (double)rss0 / 1024,
           (double)dp_arena_used(kg->arena) / (1024.0 * 1024.0));
    fflush(stdout);

    double steps[6] = {0};
    dp_error err2 = {0};
    if (load_steps(models, glossary, steps, &err2)) {
        fprintf(stderr, "catalog_scale: step-by-step load: %s\n", err2.message);
        goto done;
    }
    printf("  step by step (second load, every step on one thread; the load above parses files and builds the "
           "lexicon and the index side by side):\n    YAML parse %.0f ms, dbt documents -> graph %.0f ms, dbt_check %.0f ms, "
           "columns + glossary %.0f ms, lexicon %.0f ms, vector index %.0f ms\n",
           steps[0], steps[1], steps[2], steps[3], steps[4], steps[5]);
    fflush(stdout);

    reqs = calloc(nreq, sizeof(*reqs));
    t_all = calloc(nreq, sizeof(double));
    t_int = calloc(nreq, sizeof(double));
    t_disc = calloc(nreq, sizeof(double));
    t_vec = calloc(nreq, sizeof(double));
    t_vec_all = calloc(nreq, sizeof(double));
    if (!reqs || !t_all || !t_int || !t_disc || !t_vec || !t_vec_all) {
        fprintf(stderr, "catalog_scale: out of memory\n");
        goto done;
    }
    size_t nr = make_requests(&g, reqs, nreq), ok = 0, clarify = 0, right = 0, ndisc = 0;
    printf("\n%zu requests (\"<grain> <metric label> by <dimension>\"):\n", nr);
    dp_intent_opts io = {.as_of = "2025-06-30"};
    for (size_t i = 0; i < nr; i++) {
        dp_arena *a = dp_arena_new(64 * 1024);
        dp_intent in;
        dp_discovery d;
        memset(&d, 0, sizeof(d));
        dp_error e = {0};
        if (!a) {
            fprintf(stderr, "catalog_scale: out of memory\n");
            goto done;
        }
        double s0 = now_ms();
        int r = dp_intent_parse(&in, kg, a, reqs[i].text, &io, NULL, &e);
        double s1 = now_ms();
        if (!r)
            r = dp_discover(&d, kg, &in, a, NULL, NULL, NULL, NULL, &e);
        double s2 = now_ms();
        t_all[i] = s2 - s0;
        t_int[i] = s1 - s0;
        if (d.joins || d.semantic)
            t_disc[ndisc++] = s2 - s1;
        ok += r == 0;
        clarify += r == DP_ECLARIFY;
        int hit = r == 0 && in.nmetrics && !strcmp(in.metrics[0]->name, g.metrics[reqs[i].metric].name);
        right += hit;
        if (!quiet)
            printf("  %7.2f ms  %-9s %s%s%s\n", t_all[i], r == 0 ? (hit ? "ok" : "ok/other") : r == DP_ECLARIFY ? "clarify" : "error",
                   reqs[i].text, r ? "  -- " : "", r ? e.message : "");
        json_decref(d.joins);
        json_decref(d.semantic);
        dp_arena_free(a);
        /* vector search as the discovery stage runs it over the request */
        dp_vhit hits[64];
        s0 = now_ms();
        dp_vindex_search(kg, reqs[i].text, hits, 5, 1 << DP_DOC_DATASET | 1 << DP_DOC_METRIC);
        s1 = now_ms();
        dp_vindex_search(kg, reqs[i].text, hits, 10, 1 << DP_DOC_DATASET | 1 << DP_DOC_METRIC | 1 << DP_DOC_DIMENSION);
        s2 = now_ms();
        t_vec[i] = s1 - s0;
        t_vec_all[i] = s2 - s1;
        fflush(stdout);
    }
    printf("\n  answered %zu/%zu (%zu with the metric the request was made from), %zu asked to clarify\n", ok, nr, right,
           clarify);
    stats("intent + discovery", t_all, nr, 10);
    stats("intent", t_int, nr, 0);
    stats("discovery (when reached)", t_disc, ndisc, 0);
    stats("vector search (k=5)", t_vec, nr, 0);
    stats("vector search (all, k=10)", t_vec_all, nr, 0);
    printf("  peak RSS at the end %.1f MB\n", (double)maxrss_kb() / 1024);
    rc = 0;
done:
    dp_kg_free_offline(kg);
    free(reqs);
    free(t_all);
    free(t_int);
    free(t_disc);
    free(t_vec);
    free(t_vec_all);
    free(g.models);
    free(g.metrics);
    if (!keep && with_db)
        remove_tree(dir); /* the database and the state as well */
    else if (!keep)
        remove_catalog(dir);
    return rc;
}

/* Unit tests: binding reads the database's catalog in bulk (issue 13 item
 * 6) and must bind exactly as the per-table queries it replaced did: the
 * relation, its columns (name, type, comment, key), the disabled elements
 * and their reasons, the types of expressions, for every test catalog, the
 * demo and a catalog of binding traps (tests/data/bindtraps). The expected
 * dumps in tests/data/bind_golden/ were written by the per-table binding
 * (DP_BIND_GOLDEN_WRITE=1 rewrites them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "catalog/catalog.h"
#include "catalog/db.h"
#include "catalog/relmap.h"
#include "dpgen/dpgen.h"
#include "state/state.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/error.h"

/* Text with the source tree's path replaced, so dumps do not depend on
 * where the tree is. */
static void put(dp_buf *b, const char *s)
{
    const char *src = tu_source_dir();
    size_t n = strlen(src);
    if (!s) {
        dp_buf_puts(b, "-");
        return;
    }
    for (const char *p = s; *p;) {
        const char *hit = strstr(p, src);
        if (!hit) {
            dp_buf_puts(b, p);
            break;
        }
        dp_buf_printf(b, "%.*s<src>", (int)(hit - p), p);
        p = hit + n;
    }
}

/* What binding decided, one line per fact. */
static char *dump(const dp_kg *kg)
{
    dp_buf b;
    dp_buf_init(&b, 64u << 20);
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        dp_buf_printf(&b, "model %s rel ", m->name);
        put(&b, m->schema);
        dp_buf_puts(&b, ".");
        put(&b, m->table);
        dp_buf_puts(&b, " note ");
        put(&b, m->bind_note);
        dp_buf_puts(&b, " off ");
        put(&b, m->off.reason);
        dp_buf_puts(&b, "\n");
        for (size_t j = 0; j < m->ncolumns; j++) {
            const dp_column *c = &m->columns[j];
            dp_buf_printf(&b, "  column %s %s key %d comment ", c->name, c->type, c->is_key);
            put(&b, c->comment);
            dp_buf_puts(&b, "\n");
        }
        for (size_t j = 0; j < m->nentities; j++) {
            dp_buf_printf(&b, "  entity %s off ", m->entities[j].name);
            put(&b, m->entities[j].off.reason);
            dp_buf_puts(&b, "\n");
        }
        for (size_t j = 0; j < m->ndims; j++) {
            const dp_dimension *d = &m->dims[j];
            dp_buf_printf(&b, "  dimension %s column %s off ", d->name, d->column ? d->column->name : "-");
            put(&b, d->off.reason);
            dp_buf_puts(&b, "\n");
        }
        for (size_t j = 0; j < m->nmeasures; j++) {
            const dp_measure *me = &m->measures[j];
            dp_buf_printf(&b, "  measure %s type %s off ", me->name, me->expr_type ? me->expr_type : "-");
            put(&b, me->off.reason);
            dp_buf_puts(&b, "\n");
        }
    }
    for (size_t i = 0; i < kg->nmetrics; i++)
        if (kg->metrics[i].off.reason) {
            dp_buf_printf(&b, "metric %s off ", kg->metrics[i].name);
            put(&b, kg->metrics[i].off.reason);
            dp_buf_puts(&b, "\n");
        }
    for (size_t i = 0; i < kg->nproblems; i++) {
        const dp_problem *p = &kg->problems[i];
        dp_buf_printf(&b, "problem %s %s: ", p->kind, p->name);
        put(&b, p->reason);
        dp_buf_puts(&b, " hint ");
        put(&b, p->hint);
        dp_buf_puts(&b, " at ");
        put(&b, p->pos.file);
        dp_buf_printf(&b, ":%d\n", p->pos.line);
    }
    char *s = strdup(dp_buf_cstr(&b));
    dp_buf_dispose(&b);
    return s;
}

typedef struct bcase {
    const char *name;   /* golden file name */
    const char *data;   /* tests/data/<data>/data.sql */
    const char *models; /* under tests/data/<data>/ */
    const char *gloss;  /* under tests/data/<data>/, or NULL */
    const char *schema; /* --schema, or NULL */
} bcase;

static const bcase CASES[] = {
    {"bindtraps", "bindtraps", "semantic_models.yml", NULL, NULL},
    {"bindtraps_schema_other", "bindtraps", "semantic_models.yml", NULL, "other"},
    {"broken", "broken", "", "glossary.yml", NULL},
    {"compiler", "compiler", "semantic_models.yml", NULL, NULL},
    {"dbtproj", "dbtproj", "", NULL, NULL},
    {"fitness", "fitness", "semantic_models.yml", "glossary.yml", NULL},
    {"hr", "hr", "semantic_models.yml", "glossary.yml", NULL},
    {"joins", "joins", "semantic_models.yml", NULL, NULL},
    {"keywords", "keywords", "semantic_models.yml", NULL, NULL},
    {"library", "library", "semantic_models.yml", NULL, NULL},
    {"logistics", "logistics", "semantic_models.yml", "glossary.yml", NULL},
    {"mfspec_conv", "mfspec_conv", "semantic_models.yml", NULL, NULL},
    {"mfspec_scd", "mfspec_scd", "semantic_models.yml", NULL, NULL},
    {"mfspec_time", "mfspec_time", "semantic_models.yml", NULL, NULL},
    {"orphans", "orphans", "semantic_models.yml", NULL, NULL},
    {"smanifest", "smanifest", "models", NULL, NULL},
    {"typed_fields", "typed_fields", "models", NULL, NULL},
    {"wide", "wide", "semantic_models.yml", NULL, NULL},
};

/* Opens a case's catalog (no state) into *cat; 0, or the error code with
 * the message in err (a catalog may fail to open: that is compared too). */
static int open_case(dp_catalog **cat, const bcase *c, const char *dir, const char *state, dp_error *err)
{
    char sql[1024], db[1024], models[1024], gloss[1024];
    snprintf(sql, sizeof(sql), "%s/tests/data/%s/data.sql", tu_source_dir(), c->data);
    snprintf(db, sizeof(db), "%s/%s.duckdb", dir, c->data);
    snprintf(models, sizeof(models), "%s/tests/data/%s/%s", tu_source_dir(), c->data, c->models);
    snprintf(gloss, sizeof(gloss), "%s/tests/data/%s/%s", tu_source_dir(), c->data, c->gloss ? c->gloss : "");
    struct stat st;
    if (stat(db, &st) && dp_db_build(db, sql, 1.0, err))
        fail_msg("%s: %s", sql, err->message);
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.glossary_path = c->gloss ? gloss : NULL;
    co.schema = c->schema;
    co.state_dir = state;
    co.no_state = state == NULL;
    co.defer_db = state != NULL; /* a warm load must then open no engine */
    return dp_catalog_open(cat, &co, err);
}

static void compare(const char *name, const char *got)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/bind_golden/%s.txt", tu_source_dir(), name);
    if (getenv("DP_BIND_GOLDEN_WRITE")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
        return;
    }
    char *want = tu_read_text(path, NULL);
    if (!want)
        fail_msg("%s: missing", path);
    if (strcmp(want, got)) {
        /* the first line that differs, for the log */
        const char *a = want, *b = got;
        while (*a && *a == *b)
            a++, b++;
        while (a > want && a[-1] != '\n')
            a--, b--;
        fprintf(stderr, "%s differs:\n  want: %.*s\n  got:  %.*s\n", name, (int)strcspn(a, "\n"), a,
                (int)strcspn(b, "\n"), b);
    }
    assert_string_equal(want, got);
    free(want);
}

/* runs: 1 with no state; 2 with a state, the second load from the map the
 * first cached (which it must have used) */
static void binds_as_before(int runs)
{
    char dir[] = "/tmp/dp-bindbulk-XXXXXX", st[300];
    assert_non_null(mkdtemp(dir));
    for (size_t k = 0; k < sizeof(CASES) / sizeof(*CASES) * (size_t)runs; k++) {
        size_t i = k / (size_t)runs;
        dp_catalog *cat = NULL;
        dp_error err = {0};
        snprintf(st, sizeof(st), "%s/state-%s", dir, CASES[i].name);
        int rc = open_case(&cat, &CASES[i], dir, runs > 1 ? st : NULL, &err);
        if (!rc && runs > 1 && k % 2 == 1 && !cat->relmap_cached)
            fail_msg("%s: the second load read the database's catalog again", CASES[i].name);
        /* binding, expression checks and profile all from the state */
        if (!rc && runs > 1 && k % 2 == 1 && dp_db_started(cat->db))
            fail_msg("%s: the second load opened the database", CASES[i].name);
        char *got = NULL;
        if (rc) {
            dp_buf b;
            dp_buf_init(&b, 1u << 20);
            dp_buf_printf(&b, "error %d ", rc);
            put(&b, err.message);
            dp_buf_puts(&b, "\n");
            got = strdup(dp_buf_cstr(&b));
            dp_buf_dispose(&b);
        } else {
            got = dump(&cat->kg);
        }
        compare(CASES[i].name, got);
        free(got);
        dp_catalog_free(cat);
    }
    tu_rm_tree(dir);
}

static void every_catalog_binds_as_before(void **state)
{
    (void)state;
    binds_as_before(1);
}

static void every_catalog_binds_as_before_from_the_cache(void **state)
{
    (void)state;
    binds_as_before(2);
}

static void demo_binds_as_before(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-bindbulk-XXXXXX", db[256];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/demo.duckdb", dir);
    dp_catalog *cat = NULL;
    assert_int_equal(tu_open_demo(&cat, db, 0.01), 0);
    char *got = dump(&cat->kg);
    compare("demo", got);
    free(got);
    dp_catalog_free(cat);
    tu_rm_tree(dir);
}

/* Runs SQL in a writable DuckDB file; nowal: the writes stay in its WAL. */
static void write_db(const char *path, const char *sql, int nowal)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    assert_int_equal(duckdb_open(path, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    if (nowal) {
        assert_int_equal(duckdb_query(con, "SET wal_autocheckpoint = '1TB'", NULL), DuckDBSuccess);
        assert_int_equal(duckdb_query(con, "PRAGMA disable_checkpoint_on_shutdown", NULL), DuckDBSuccess);
    }
    if (duckdb_query(con, sql, &res) != DuckDBSuccess)
        fail_msg("%s: %s", sql, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char MODELS[] = "semantic_models:\n"
                             "  - name: rows_a\n"
                             "    model: ref('t')\n"
                             "    entities:\n"
                             "      - name: row_a\n"
                             "        type: primary\n"
                             "        expr: a\n"
                             "    dimensions:\n"
                             "      - name: b\n"
                             "        type: categorical\n"
                             "      - name: %s\n"
                             "        type: categorical\n";

/* Opens dir/t.duckdb with dir/models.yml and state dir/state; the dump, and
 * whether the database's catalog came from the state (and, when started is
 * not NULL, with the engine deferred: whether it was opened). */
static char *open_dump_as(const char *dir, int *cached, int *started)
{
    char db[300], models[300], st[300];
    snprintf(db, sizeof(db), "%s/t.duckdb", dir);
    snprintf(models, sizeof(models), "%s/models.yml", dir);
    snprintf(st, sizeof(st), "%s/state", dir);
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = db;
    co.models_path = models;
    co.state_dir = st;
    co.defer_db = started != NULL;
    dp_catalog *cat = NULL;
    dp_error err = {0};
    if (dp_catalog_open(&cat, &co, &err))
        fail_msg("open: %s", err.message);
    char *d = dump(&cat->kg);
    *cached = cat->relmap_cached;
    if (started)
        *started = dp_db_started(cat->db);
    dp_catalog_free(cat);
    return d;
}

static char *open_dump(const char *dir, int *cached) { return open_dump_as(dir, cached, NULL); }

static const char MODELS_EXPR[] = "semantic_models:\n"
                                  "  - name: rows_a\n"
                                  "    model: ref('t')\n"
                                  "    entities:\n"
                                  "      - name: row_a\n"
                                  "        type: primary\n"
                                  "        expr: a\n"
                                  "    dimensions:\n"
                                  "      - name: b_upper\n"
                                  "        type: categorical\n"
                                  "        expr: upper(b)\n"
                                  "      - name: b_broken\n"
                                  "        type: categorical\n"
                                  "        expr: b || c\n"
                                  "    measures:\n"
                                  "      - name: a_scaled\n"
                                  "        agg: sum\n"
                                  "        expr: a * 1.5\n";

/* A warm load with the engine deferred opens none: the map, the outcome of
 * every expression (the type of one that runs, DuckDB's reason for one
 * that does not) and the profile come from the state, and bind exactly as
 * the cold load did; a write only the WAL holds makes the next load open
 * the engine and prepare again (b || c then runs). */
static void a_warm_deferred_load_opens_no_engine(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-binddefer-XXXXXX", path[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path, "CREATE TABLE t (a INTEGER, b VARCHAR); INSERT INTO t VALUES (1, 'x'), (2, 'y')", 0);
    snprintf(path, sizeof(path), "%s/models.yml", dir);
    write_text(path, MODELS_EXPR);
    int cached = -1, started = -1;
    char *cold = open_dump_as(dir, &cached, &started);
    assert_int_equal(cached, 0);
    assert_int_equal(started, 1);
    assert_non_null(strstr(cold, "dimension b_broken column - off has expr 'b || c', which does not run"));
    assert_non_null(strstr(cold, "measure a_scaled type DECIMAL(12,1) off -"));
    char *warm = open_dump_as(dir, &cached, &started);
    assert_int_equal(cached, 1);
    assert_int_equal(started, 0);
    assert_string_equal(cold, warm);
    free(warm);
    /* the same load not deferred opens the engine beside the files, and
     * binds the same */
    warm = open_dump(dir, &cached);
    assert_int_equal(cached, 1);
    assert_string_equal(cold, warm);
    free(warm);

    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path, "ALTER TABLE t ADD COLUMN c VARCHAR", 1);
    char *after = open_dump_as(dir, &cached, &started);
    assert_int_equal(cached, 0);
    assert_int_equal(started, 1);
    assert_non_null(strstr(after, "dimension b_broken column - off -\n"));
    free(after);
    free(cold);
    tu_rm_tree(dir);
}

/* The cached catalog of the database is never used once the database has
 * changed (a column added in the WAL only, then checkpointed, a table
 * dropped and made a view), and the catalog's own files are bound afresh on
 * every load (an edit binds at once); a cache the state holds in a form this
 * version did not write is ignored. */
static void a_changed_database_or_catalog_is_bound_afresh(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-bindstale-XXXXXX", path[300], text[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path, "CREATE TABLE t (a INTEGER, b VARCHAR)", 0);
    snprintf(text, sizeof(text), MODELS, "c");
    snprintf(path, sizeof(path), "%s/models.yml", dir);
    write_text(path, text);
    int cached = -1;
    char *d = open_dump(dir, &cached);
    assert_int_equal(cached, 0);
    assert_non_null(strstr(d, "dimension c column - off uses column 'c'"));
    free(d);
    d = open_dump(dir, &cached);
    assert_int_equal(cached, 1);
    assert_non_null(strstr(d, "dimension c column - off uses column 'c'"));
    free(d);

    /* a column added that only the WAL holds */
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path, "ALTER TABLE t ADD COLUMN c DOUBLE", 1);
    snprintf(text, sizeof(text), "%s.wal", path);
    struct stat stw;
    assert_int_equal(stat(text, &stw), 0);
    d = open_dump(dir, &cached);
    assert_int_equal(cached, 0);
    assert_non_null(strstr(d, "column c DOUBLE key 0"));
    assert_non_null(strstr(d, "dimension c column c off -"));
    free(d);

    /* the catalog's file edited: bound afresh from the cached map */
    snprintf(text, sizeof(text), MODELS, "d");
    snprintf(path, sizeof(path), "%s/models.yml", dir);
    write_text(path, text);
    d = open_dump(dir, &cached);
    assert_int_equal(cached, 1);
    assert_non_null(strstr(d, "dimension d column - off uses column 'd'"));
    free(d);

    /* the table becomes a view with other types, checkpointed */
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path,
             "ALTER TABLE t RENAME TO t_old; CREATE VIEW t AS SELECT CAST(a AS BIGINT) AS a, b, 1 AS d FROM t_old; "
             "CHECKPOINT",
             0);
    d = open_dump(dir, &cached);
    assert_int_equal(cached, 0);
    assert_non_null(strstr(d, "column a BIGINT key 0"));
    assert_non_null(strstr(d, "dimension d column d off -"));
    free(d);

    /* a cache this version did not write: read the database instead */
    dp_state *s = NULL;
    dp_error err = {0};
    snprintf(path, sizeof(path), "%s/state", dir);
    assert_int_equal(dp_state_open(&s, path, &err), 0);
    snprintf(path, sizeof(path), "relmap|%s/t.duckdb", dir);
    assert_int_equal(dp_state_profile_put(s, path, "dpgen-relmap 0\nF x\n", &err), 0);
    dp_state_close(s);
    d = open_dump(dir, &cached);
    assert_int_equal(cached, 0);
    assert_non_null(strstr(d, "dimension d column d off -"));
    free(d);
    tu_rm_tree(dir);
}

/* Names and comments with tabs, newlines and backslashes survive the
 * cache's text form; a text with another fingerprint is refused. */
static void the_cached_form_keeps_every_name(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-bindtext-XXXXXX", path[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.duckdb", dir);
    write_db(path,
             "CREATE SCHEMA \"s\tx\"; CREATE TABLE \"s\tx\".\"t\\n\" (\"a\nb\" INTEGER PRIMARY KEY, c VARCHAR); "
             "COMMENT ON COLUMN \"s\tx\".\"t\\n\".c IS 'one\ttwo\nthree\\four'; CREATE TABLE plain (x INTEGER); "
             "INSERT INTO plain SELECT range FROM range(3); CREATE VIEW v AS SELECT x FROM plain",
             0);
    dp_db *db = NULL;
    dp_error err = {0};
    duckdb_connection con = NULL;
    assert_int_equal(dp_db_open(&db, path, NULL, &err), 0);
    assert_int_equal(dp_db_connect(&con, db, &err), 0);
    dp_arena *a = dp_arena_new(4096);
    dp_relmap live, back;
    assert_int_equal(dp_relmap_load(&live, a, con, &err), 0);
    char *text = dp_relmap_to_text(&live, "fp1");
    assert_non_null(text);
    assert_int_equal(dp_relmap_from_text(&back, a, text, "fp2"), -1);
    assert_int_equal(dp_relmap_from_text(&back, a, text, "fp1"), 0);
    assert_int_equal(back.n, live.n);
    assert_int_equal(back.ncols, live.ncols);
    assert_string_equal(back.def_schema, live.def_schema);
    for (size_t t = 0; t < live.n; t++) {
        assert_string_equal(back.schema[t], live.schema[t]);
        assert_string_equal(back.name[t], live.name[t]);
        assert_int_equal(back.col_n[t], live.col_n[t]);
        assert_int_equal(back.est_rows[t], live.est_rows[t]);
        for (size_t i = 0; i < live.col_n[t]; i++) {
            const dp_relcol *x = &live.cols[live.col_off[t] + i], *y = &back.cols[back.col_off[t] + i];
            assert_string_equal(x->name, y->name);
            assert_string_equal(x->type, y->type);
            assert_int_equal(x->is_key, y->is_key);
            assert_true((!x->comment && !y->comment) || (x->comment && y->comment && !strcmp(x->comment, y->comment)));
        }
    }
    size_t t = dp_relmap_find(&back, "S\tX", "T\\N");
    assert_true(t != DP_RELMAP_NONE);
    assert_string_equal(back.cols[back.col_off[t]].name, "a\nb");
    assert_int_equal(back.cols[back.col_off[t]].is_key, 1);
    assert_string_equal(back.cols[back.col_off[t] + 1].comment, "one\ttwo\nthree\\four");
    /* DuckDB's stored-row counts: an empty table 0, a view unknown (-1) */
    assert_int_equal(back.est_rows[t], 0);
    assert_int_equal(back.est_rows[dp_relmap_find(&back, "main", "plain")], 3);
    assert_int_equal(back.est_rows[dp_relmap_find(&back, "main", "v")], -1);
    free(text);
    dp_relmap_dispose(&live);
    dp_relmap_dispose(&back);
    dp_arena_free(a);
    duckdb_disconnect(&con);
    dp_db_close(db);
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_catalog_binds_as_before),
        cmocka_unit_test(demo_binds_as_before),
        cmocka_unit_test(every_catalog_binds_as_before_from_the_cache),
        cmocka_unit_test(a_changed_database_or_catalog_is_bound_afresh),
        cmocka_unit_test(a_warm_deferred_load_opens_no_engine),
        cmocka_unit_test(the_cached_form_keeps_every_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

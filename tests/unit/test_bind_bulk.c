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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "catalog/catalog.h"
#include "catalog/db.h"
#include "dpgen/dpgen.h"
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
    const char *name;    /* golden file name */
    const char *data;    /* tests/data/<data>/data.sql */
    const char *models;  /* under tests/data/<data>/ */
    const char *gloss;   /* under tests/data/<data>/, or NULL */
    const char *schema;  /* --schema, or NULL */
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
static int open_case(dp_catalog **cat, const bcase *c, const char *dir, dp_error *err)
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
    co.no_state = 1;
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

static void every_catalog_binds_as_before(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-bindbulk-XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(CASES) / sizeof(*CASES); i++) {
        dp_catalog *cat = NULL;
        dp_error err = {0};
        int rc = open_case(&cat, &CASES[i], dir, &err);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_catalog_binds_as_before),
        cmocka_unit_test(demo_binds_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The catalog root and the rewrites that keep machine paths out of the
 * spec (catalog/paths.c): dbt project roots, --models folders, paths given
 * relative to the working folder, and where a rewrite must not apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "catalog/catalog.h"
#include "catalog/paths.h"
#include "dpgen/dpgen.h"

static char tmp[PATH_MAX];

static void touch(const char *rel)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/%s", tmp, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    char t[] = "/tmp/dpgen_paths_XXXXXX";
    if (!mkdtemp(t) || !realpath(t, tmp))
        return -1;
    char p[PATH_MAX + 64];
    const char *dirs[] = {"proj", "proj/models", "proj/models/marts", "plain", "plain/models"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
        snprintf(p, sizeof(p), "%s/%s", tmp, dirs[i]);
        if (mkdir(p, 0700))
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static dp_kg *kg_new(const char *models, const char *db)
{
    dp_kg *kg = calloc(1, sizeof(*kg));
    assert_non_null(kg);
    kg->arena = dp_arena_new(4096);
    kg->models_path = models ? dp_arena_strdup(kg->arena, models) : NULL;
    kg->db_path = db ? dp_arena_strdup(kg->arena, db) : NULL;
    dp_error err = {0};
    assert_int_equal(dp_kg__set_root(kg, 0, &err), 0);
    return kg;
}

static void kg_free(dp_kg *kg)
{
    dp_arena_free(kg->arena);
    free(kg);
}

/* tmp + "/" + rel, in the kg's arena */
static const char *in_tmp(dp_kg *kg, const char *rel) { return dp_arena_printf(kg->arena, "%s/%s", tmp, rel); }

/* Inside a dbt project, the project's root: dbt's own relative paths; the
 * database outside it by its file name. */
static void test_dbt_project_root(void **state)
{
    (void)state;
    touch("proj/dbt_project.yml");
    touch("proj/models/marts/a.yml");
    touch("x.duckdb");
    char models[PATH_MAX + 32], db[PATH_MAX + 32];
    snprintf(models, sizeof(models), "%s/proj/models", tmp);
    snprintf(db, sizeof(db), "%s/x.duckdb", tmp);
    dp_kg *kg = kg_new(models, db);
    assert_string_equal(kg->path_root_kind, "the dbt project root (dbt_project.yml)");
    assert_string_equal(dp_kg_shown_path(kg, in_tmp(kg, "proj/models/marts/a.yml"), kg->arena), "models/marts/a.yml");
    assert_string_equal(dp_kg_shown_path(kg, models, kg->arena), "models");
    assert_string_equal(dp_kg_shown_path(kg, in_tmp(kg, "proj"), kg->arena), ".");
    assert_string_equal(dp_kg_shown_path(kg, db, kg->arena), "x.duckdb");
    assert_null(dp_kg_shown_path(kg, NULL, kg->arena));
    /* in messages: file:line, a sentence's full stop, quotes */
    const char *msg = dp_arena_printf(kg->arena, "see %s/proj/models/marts/a.yml:3, then '%s/x.duckdb'. (%s/x.duckdb.)",
                                      tmp, tmp, tmp);
    assert_string_equal(dp_kg_shown_text(kg, msg, kg->arena), "see models/marts/a.yml:3, then 'x.duckdb'. (x.duckdb.)");
    /* no match inside a longer name or path */
    const char *other = dp_arena_printf(kg->arena, "%s/x.duckdbx and /y%s/proj/a and %s/x.duckdb.wal", tmp, tmp, tmp);
    assert_string_equal(dp_kg_shown_text(kg, other, kg->arena), other);
    const char *plain = "nothing here";
    assert_ptr_equal(dp_kg_shown_text(kg, plain, kg->arena), plain); /* unchanged: no copy */
    kg_free(kg);
}

/* Without a dbt project the --models folder is the root; paths given
 * relative to the working folder are rewritten as well. */
static void test_models_folder_relative(void **state)
{
    (void)state;
    touch("plain/models/b.yml");
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(tmp), 0);
    dp_kg *kg = kg_new("plain/models/", NULL);
    assert_string_equal(kg->path_root_kind, "the --models folder");
    assert_string_equal(dp_kg_shown_path(kg, "plain/models/b.yml", kg->arena), "b.yml");
    assert_string_equal(dp_kg_shown_path(kg, "plain/models/", kg->arena), ".");
    assert_string_equal(dp_kg_shown_text(kg, "(plain/models/b.yml:7)", kg->arena), "(b.yml:7)");
    assert_string_equal(dp_kg_shown_path(kg, in_tmp(kg, "plain/models/b.yml"), kg->arena), "b.yml");
    /* a file elsewhere: its name, never its path */
    assert_string_equal(dp_kg_shown_path(kg, "/usr/share/elsewhere/c.yml", kg->arena), "c.yml");
    kg_free(kg);
    assert_int_equal(chdir(cwd), 0);
}

/* What a front end passes on to remote users: the catalog's paths as the
 * spec shows them, and any other path of the machine (an engine's spill
 * file, the state's folder) as its last part; text that only has slashes
 * stays as it is. */
static void test_shown_paths_hide_the_machine(void **state)
{
    (void)state;
    touch("proj/dbt_project.yml");
    char models[PATH_MAX + 32];
    snprintf(models, sizeof(models), "%s/proj/models", tmp);
    dp_kg *kg = kg_new(models, NULL);
    dp_catalog *cat = calloc(1, sizeof(*cat));
    assert_non_null(cat);
    cat->kg = *kg;
    dp_error err = {0};
    char *t = NULL;
    assert_true(asprintf(&t,
                         "IO Error: could not write /root/.cache/dpgen/tmp/77-Ab9/duckdb_temp_storage-4.tmp "
                         "(in /var/lib/x/); see %s/proj/models/a.yml:3",
                         tmp) > 0);
    assert_int_equal(dp_catalog_shown_paths(&t, cat, &err), 0);
    assert_string_equal(t, "IO Error: could not write duckdb_temp_storage-4.tmp (in x); see models/a.yml:3");
    free(t);
    t = strdup("km/h, 1/2, /single, a/b/c and 2025/01/02 stay");
    assert_int_equal(dp_catalog_shown_paths(&t, cat, &err), 0);
    assert_string_equal(t, "km/h, 1/2, /single, a/b/c and 2025/01/02 stay");
    free(t);
    free(cat);
    kg_free(kg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dbt_project_root),
        cmocka_unit_test(test_models_folder_relative),
        cmocka_unit_test(test_shown_paths_hide_the_machine),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

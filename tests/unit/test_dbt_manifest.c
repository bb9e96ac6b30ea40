/* Unit tests: relations from dbt's manifest.json, scanned without a tree:
 * only a node's own top-level fields count (not config.schema or a
 * column's name), escapes decode, ephemeral and disabled nodes are no
 * relation, versions, packages and the root project decide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog/dbt_project.h"

static const char manifest[] =
    "{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\",\n"
    "  \"env\": {\"name\": \"not a node\"}, \"project_name\": \"root\"},\n"
    " \"nodes\": {\n"
    "  \"model.root.a\": {\"config\": {\"schema\": \"wrong\", \"alias\": \"wrong\", \"tags\": [\"}\", \"{\"]},\n"
    "     \"columns\": {\"id\": {\"name\": \"id\", \"description\": \"a \\\"quoted\\\" } brace\"}},\n"
    "     \"raw_code\": \"select '{{ ref(\\\"x\\\") }}' [\", \"resource_type\": \"model\", \"name\": \"a\",\n"
    "     \"package_name\": \"root\", \"database\": \"db\", \"schema\": \"s\\u00e9ma\", \"alias\": \"a_tbl\",\n"
    "     \"relation_name\": \"\\\"db\\\".\\\"s\\u00e9ma\\\".\\\"a_tbl\\\"\", \"version\": null, \"latest_version\": null},\n"
    "  \"model.other.a\": {\"resource_type\": \"model\", \"name\": \"a\", \"package_name\": \"other\",\n"
    "     \"database\": \"db\", \"schema\": \"o\", \"alias\": \"a\", \"relation_name\": \"x\"},\n"
    "  \"model.root.eph\": {\"resource_type\": \"model\", \"name\": \"eph\", \"package_name\": \"root\",\n"
    "     \"database\": \"db\", \"schema\": \"s\", \"alias\": \"eph\", \"relation_name\": null},\n"
    "  \"model.root.v.v1\": {\"resource_type\": \"model\", \"name\": \"v\", \"package_name\": \"root\", \"schema\": \"s\",\n"
    "     \"alias\": \"v_v1\", \"relation_name\": \"r\", \"version\": 1, \"latest_version\": 2},\n"
    "  \"model.root.v.v2\": {\"resource_type\": \"model\", \"name\": \"v\", \"package_name\": \"root\", \"schema\": \"s\",\n"
    "     \"alias\": \"v_v2\", \"relation_name\": \"r\", \"version\": 2, \"latest_version\": 2},\n"
    "  \"test.root.t\": {\"resource_type\": \"test\", \"name\": \"t\", \"package_name\": \"root\", \"schema\": \"s\",\n"
    "     \"relation_name\": null},\n"
    "  \"seed.p1.dup\": {\"resource_type\": \"seed\", \"name\": \"dup\", \"package_name\": \"p1\", \"schema\": \"x\", \"relation_name\": \"r\"},\n"
    "  \"seed.p2.dup\": {\"resource_type\": \"seed\", \"name\": \"dup\", \"package_name\": \"p2\", \"schema\": \"y\", \"relation_name\": \"r\"}\n"
    " },\n"
    " \"disabled\": {\"model.root.gone\": [{\"resource_type\": \"model\", \"name\": \"gone\", \"schema\": \"s\"}]},\n"
    " \"parent_map\": {}, \"child_map\": {}}\n";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static dp_model model(const char *ref, const char *pkg, const char *version)
{
    dp_model m = {0};
    m.name = ref;
    m.ref = ref;
    m.ref_package = pkg;
    m.ref_version = version;
    return m;
}

static void relations(void **state)
{
    (void)state;
    char path[] = "/tmp/dpmanifestXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, manifest);
    dp_kg kg = {0};
    kg.arena = dp_arena_new(0);
    dp_model ms[] = {model("a", NULL, NULL),     model("a", "other", NULL), model("eph", NULL, NULL),
                     model("v", NULL, NULL),     model("v", NULL, "1"),     model("t", NULL, NULL),
                     model("dup", NULL, NULL),   model("gone", NULL, NULL), model("dup", "p2", NULL)};
    kg.models = ms;
    kg.nmodels = sizeof(ms) / sizeof(*ms);
    dp_error err = {0};
    assert_int_equal(dp_dbt_manifest_relations(&kg, path, NULL, &err), 0);
    /* the root project's a (metadata.project_name), its own fields only */
    assert_string_equal(ms[0].rel_database, "db");
    assert_string_equal(ms[0].rel_schema, "s\xc3\xa9ma");
    assert_string_equal(ms[0].rel_alias, "a_tbl");
    assert_non_null(strstr(ms[0].bind_note, "relation from /tmp/dpmanifest"));
    assert_string_equal(ms[1].rel_schema, "o");            /* ref('other', 'a') */
    assert_null(ms[2].rel_schema);                         /* ephemeral */
    assert_string_equal(ms[3].rel_alias, "v_v2");          /* the latest version */
    assert_string_equal(ms[4].rel_alias, "v_v1");          /* v=1 */
    assert_null(ms[5].rel_schema);                         /* a test is no relation */
    assert_null(ms[6].rel_schema);                         /* two packages, neither the root: left to binding */
    assert_null(ms[7].rel_schema);                         /* disabled nodes are not read */
    assert_string_equal(ms[8].rel_schema, "y");
    /* malformed JSON is an error naming the file */
    write_file(path, "{\"nodes\": {\"model.a\": {\"name\": \"a\"");
    for (size_t i = 0; i < kg.nmodels; i++)
        ms[i].rel_schema = NULL;
    assert_int_equal(dp_dbt_manifest_relations(&kg, path, NULL, &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "not a dbt manifest"));
    /* every truncation of the manifest is refused, never read past its end */
    size_t full = strlen(manifest);
    char *cut = malloc(full + 1);
    assert_non_null(cut);
    for (size_t n = 0; n < full; n += 3) {
        memcpy(cut, manifest, n);
        cut[n] = 0;
        write_file(path, cut);
        if (dp_dbt_manifest_relations(&kg, path, NULL, &err) == 0)
            fail_msg("a manifest cut at byte %zu was read", n);
    }
    free(cut);
    /* another artifact (a semantic manifest named manifest.json) is said to be one */
    write_file(path, "{\"semantic_models\": [], \"metrics\": [], \"project_configuration\": {}}");
    assert_int_equal(dp_dbt_manifest_relations(&kg, path, NULL, &err), DP_EINVALID);
    assert_non_null(strstr(err.message, "has no nodes"));
    unlink(path);
    dp_arena_free(kg.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(relations)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

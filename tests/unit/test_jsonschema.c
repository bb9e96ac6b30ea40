/* JSON Schema validator: the official JSON-Schema-Test-Suite (draft 7), the
 * 2019-09 keywords dpgen's schemas use, messages, limits, and the official
 * ODCS and dbt schemas in shared/schemas.
 *
 * Suite files not run, and why (everything else under tests/draft7 runs,
 * including optional/bignum.json and optional/zeroTerminatedFloats.json):
 *   optional/format/ *.json     "format" is an annotation here (always
 *                               passes); these files test it as an assertion.
 *   optional/content.json       contentMediaType/contentEncoding are
 *                               annotations too; the file asserts them.
 *   optional/ecmascript-regex.json  tests format "regex" as an assertion.
 * refRemote.json runs with the suite's remotes/ directory given as
 * resources under http://localhost:1234/, and definitions.json and ref.json
 * ("remote ref, containing refs itself") with the draft-07 metaschema below.
 * No single case is skipped.
 *
 * DP_JSONSCHEMA_SUITE overrides the suite directory (e.g. a newer checkout's
 * tests/draft7); its remotes are looked up at <dir>/../../remotes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/jsonschema.h"

#define SUITE_DIR "/usr/share/json-schema-test-suite/tests/draft7"

static const struct {
    const char *path; /* relative to the suite directory; a trailing '/' skips a folder */
    const char *why;
} skipped_files[] = {
    {"optional/format/", "format is an annotation, not an assertion"},
    {"optional/content.json", "content keywords are annotations, not assertions"},
    {"optional/ecmascript-regex.json", "tests format \"regex\" as an assertion"},
};

/* The draft-07 metaschema (json-schema.org/draft-07/schema). */
static const char draft7_metaschema[] =
    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"$id\":\"http://json-schema.or"
    "g/draft-07/schema#\",\"title\":\"Core schema meta-schema\",\"definitions\":{\"schemaArra"
    "y\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"$ref\":\"#\"}},\"nonNegativeInteger"
    "\":{\"type\":\"integer\",\"minimum\":0},\"nonNegativeIntegerDefault0\":{\"allOf\":[{\"$r"
    "ef\":\"#/definitions/nonNegativeInteger\"},{\"default\":0}]},\"simpleTypes\":{\"enum\":["
    "\"array\",\"boolean\",\"integer\",\"null\",\"number\",\"object\",\"string\"]},\"stringAr"
    "ray\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true,\"default"
    "\":[]}},\"type\":[\"object\",\"boolean\"],\"properties\":{\"$id\":{\"type\":\"string\","
    "\"format\":\"uri-reference\"},\"$schema\":{\"type\":\"string\",\"format\":\"uri\"},\"$re"
    "f\":{\"type\":\"string\",\"format\":\"uri-reference\"},\"$comment\":{\"type\":\"string\""
    "},\"title\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},\"default\":true"
    ",\"readOnly\":{\"type\":\"boolean\",\"default\":false},\"examples\":{\"type\":\"array\","
    "\"items\":true},\"multipleOf\":{\"type\":\"number\",\"exclusiveMinimum\":0},\"maximum\":"
    "{\"type\":\"number\"},\"exclusiveMaximum\":{\"type\":\"number\"},\"minimum\":{\"type\":"
    "\"number\"},\"exclusiveMinimum\":{\"type\":\"number\"},\"maxLength\":{\"$ref\":\"#/defin"
    "itions/nonNegativeInteger\"},\"minLength\":{\"$ref\":\"#/definitions/nonNegativeIntegerD"
    "efault0\"},\"pattern\":{\"type\":\"string\",\"format\":\"regex\"},\"additionalItems\":{"
    "\"$ref\":\"#\"},\"items\":{\"anyOf\":[{\"$ref\":\"#\"},{\"$ref\":\"#/definitions/schemaA"
    "rray\"}],\"default\":true},\"maxItems\":{\"$ref\":\"#/definitions/nonNegativeInteger\"},"
    "\"minItems\":{\"$ref\":\"#/definitions/nonNegativeIntegerDefault0\"},\"uniqueItems\":{\""
    "type\":\"boolean\",\"default\":false},\"contains\":{\"$ref\":\"#\"},\"maxProperties\":{"
    "\"$ref\":\"#/definitions/nonNegativeInteger\"},\"minProperties\":{\"$ref\":\"#/definitio"
    "ns/nonNegativeIntegerDefault0\"},\"required\":{\"$ref\":\"#/definitions/stringArray\"},"
    "\"additionalProperties\":{\"$ref\":\"#\"},\"definitions\":{\"type\":\"object\",\"additio"
    "nalProperties\":{\"$ref\":\"#\"},\"default\":{}},\"properties\":{\"type\":\"object\",\"a"
    "dditionalProperties\":{\"$ref\":\"#\"},\"default\":{}},\"patternProperties\":{\"type\":"
    "\"object\",\"additionalProperties\":{\"$ref\":\"#\"},\"propertyNames\":{\"format\":\"reg"
    "ex\"},\"default\":{}},\"dependencies\":{\"type\":\"object\",\"additionalProperties\":{\""
    "anyOf\":[{\"$ref\":\"#\"},{\"$ref\":\"#/definitions/stringArray\"}]}},\"propertyNames\":"
    "{\"$ref\":\"#\"},\"const\":true,\"enum\":{\"type\":\"array\",\"items\":true},\"type\":{"
    "\"anyOf\":[{\"$ref\":\"#/definitions/simpleTypes\"},{\"type\":\"array\",\"items\":{\"$re"
    "f\":\"#/definitions/simpleTypes\"},\"minItems\":1,\"uniqueItems\":true}]},\"format\":{\""
    "type\":\"string\"},\"contentMediaType\":{\"type\":\"string\"},\"contentEncoding\":{\"typ"
    "e\":\"string\"},\"if\":{\"$ref\":\"#\"},\"then\":{\"$ref\":\"#\"},\"else\":{\"$ref\":\"#"
    "\"},\"allOf\":{\"$ref\":\"#/definitions/schemaArray\"},\"anyOf\":{\"$ref\":\"#/definitio"
    "ns/schemaArray\"},\"oneOf\":{\"$ref\":\"#/definitions/schemaArray\"},\"not\":{\"$ref\":"
    "\"#\"}},\"default\":true}";

static const char odcs_valid[] =
    "{\"apiVersion\":\"v3.1.0\",\"kind\":\"DataContract\",\"id\":\"weekly-marketing-performan"
    "ce\",\"version\":\"1.0.0\",\"status\":\"draft\",\"name\":\"weekly_marketing_performance"
    "\",\"schema\":[{\"name\":\"marketing_weekly\",\"logicalType\":\"object\",\"physicalName"
    "\":\"gold.marketing_weekly\",\"properties\":[{\"name\":\"campaign_id\",\"logicalType\":"
    "\"string\",\"physicalType\":\"VARCHAR\",\"required\":true,\"primaryKey\":true,\"primaryK"
    "eyPosition\":1},{\"name\":\"ctr\",\"logicalType\":\"number\",\"physicalType\":\"DOUBLE\""
    ",\"description\":\"clicks / impressions\",\"quality\":[{\"type\":\"sql\",\"query\":\"SEL"
    "ECT COUNT(*) FROM gold.marketing_weekly WHERE ctr < 0\",\"mustBe\":0}]}]}],\"servers\":["
    "{\"server\":\"lake\",\"type\":\"duckdb\",\"database\":\"lake.duckdb\"}]}";
static const char odcs_invalid[] =
    "{\"apiVersion\":\"v3.1.0\",\"kind\":\"DataContract\",\"id\":\"weekly-marketing-performan"
    "ce\",\"version\":\"1.0.0\",\"name\":\"weekly_marketing_performance\",\"schema\":[{\"name"
    "\":\"marketing_weekly\",\"logicalType\":\"object\",\"physicalName\":\"gold.marketing_wee"
    "kly\",\"properties\":[{\"name\":\"campaign_id\",\"logicalType\":\"string\",\"physicalTyp"
    "e\":\"VARCHAR\",\"required\":true,\"primaryKey\":true,\"primaryKeyPosition\":1,\"colour"
    "\":\"red\"},{\"name\":\"ctr\",\"logicalType\":\"float\",\"physicalType\":\"DOUBLE\",\"de"
    "scription\":\"clicks / impressions\",\"quality\":[{\"type\":\"sql\",\"query\":\"SELECT C"
    "OUNT(*) FROM gold.marketing_weekly WHERE ctr < 0\",\"mustBe\":0}]}]}],\"servers\":[{\"se"
    "rver\":\"lake\",\"type\":\"duckdb\",\"database\":\"lake.duckdb\"}]}";

static const char dbt_yml_valid[] =
    "{\"version\":2,\"models\":[{\"name\":\"marketing_weekly\",\"description\":\"Weekly marke"
    "ting KPIs\",\"config\":{\"materialized\":\"table\"},\"columns\":[{\"name\":\"campaign_id"
    "\",\"data_tests\":[\"not_null\",\"unique\"]},{\"name\":\"ctr\",\"data_type\":\"double\"}"
    "]}],\"semantic_models\":[{\"name\":\"ad_events\",\"model\":\"ref('ad_events')\",\"entiti"
    "es\":[{\"name\":\"campaign\",\"type\":\"foreign\",\"expr\":\"campaign_id\"}],\"dimension"
    "s\":[{\"name\":\"event_date\",\"type\":\"time\",\"type_params\":{\"time_granularity\":\""
    "day\"}}],\"measures\":[{\"name\":\"clicks\",\"agg\":\"sum\",\"expr\":\"clicks\"}]}],\"me"
    "trics\":[{\"name\":\"ctr\",\"label\":\"CTR\",\"type\":\"ratio\",\"type_params\":{\"numer"
    "ator\":\"clicks\",\"denominator\":\"impressions\"}}]}";
static const char dbt_yml_invalid[] =
    "{\"version\":2,\"models\":[{\"name\":\"marketing_weekly\",\"description\":\"Weekly marke"
    "ting KPIs\",\"config\":{\"materialized\":\"table\"},\"columns\":[{\"name\":\"campaign_id"
    "\",\"data_tests\":[\"not_null\",\"unique\"]},{\"name\":\"ctr\",\"data_type\":\"double\"}"
    "],\"materialised\":\"table\"}],\"semantic_models\":[{\"name\":\"Ad__Events\",\"model\":"
    "\"ref('ad_events')\",\"entities\":[{\"name\":\"campaign\",\"type\":\"foreign\",\"expr\":"
    "\"campaign_id\"}],\"dimensions\":[{\"name\":\"event_date\",\"type\":\"time\",\"type_para"
    "ms\":{\"time_granularity\":\"day\"}}],\"measures\":[{\"name\":\"clicks\",\"agg\":\"sum\""
    ",\"expr\":\"clicks\"}]}],\"metrics\":[{\"name\":\"ctr\",\"label\":\"CTR\",\"type\":\"fra"
    "ction\",\"type_params\":{\"numerator\":\"clicks\",\"denominator\":\"impressions\"}}]}";

static const char dbt_project_valid[] =
    "{\"name\":\"marketing\",\"version\":\"1.0.0\",\"config-version\":2,\"profile\":\"lake\","
    "\"model-paths\":[\"models\"],\"models\":{\"marketing\":{\"+materialized\":\"table\",\"go"
    "ld\":{\"+schema\":\"gold\"}}}}";
static const char dbt_project_invalid[] =
    "{\"name\":\"marketing\",\"config-version\":2,\"model-paths\":\"models\",\"profle\":\"lak"
    "e\"}";

/* ---- helpers ---- */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
    if (!v)
        fail_msg("bad JSON in test: %s: %s", je.text, text);
    return v;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the paths (relative to root) of every .json file under dir. */
static void list_json(const char *root, const char *rel, char ***out, size_t *n, size_t *cap)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096], full[8200];
        snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            list_json(root, sub, out, n, cap);
        } else if (strlen(sub) > 5 && !strcmp(sub + strlen(sub) - 5, ".json")) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *out = realloc(*out, *cap * sizeof(**out));
                assert_non_null(*out);
            }
            (*out)[(*n)++] = strdup(sub);
        }
    }
    closedir(d);
    qsort(*out, *n, sizeof(**out), cmp_str);
}

/* Files with integers beyond 64 bits (optional/bignum.json) load as reals. */
static json_t *load_file(const char *path)
{
    json_error_t je;
    json_t *v = json_load_file(path, JSON_ALLOW_NUL, &je);
    if (!v)
        v = json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &je);
    return v;
}

/* The remote documents refRemote.json names, plus the draft-07 metaschema. */
static json_t *suite_resources(const char *suite)
{
    json_t *res = json_object();
    char remotes[4096];
    const char *env = getenv("DP_JSONSCHEMA_REMOTES");
    snprintf(remotes, sizeof(remotes), "%s", env ? env : suite);
    if (!env)
        snprintf(remotes + strlen(remotes), sizeof(remotes) - strlen(remotes), "/../../remotes");
    char **files = NULL;
    size_t n = 0, cap = 0;
    list_json(remotes, "", &files, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        char path[8192], uri[4200];
        snprintf(path, sizeof(path), "%s/%s", remotes, files[i]);
        snprintf(uri, sizeof(uri), "http://localhost:1234/%s", files[i]);
        json_t *doc = load_file(path);
        if (doc)
            json_object_set_new(res, uri, doc);
        free(files[i]);
    }
    free(files);
    json_object_set_new(res, "http://json-schema.org/draft-07/schema", parse(draft7_metaschema));
    return res;
}

static const char *skip_reason(const char *file)
{
    for (size_t i = 0; i < sizeof(skipped_files) / sizeof(skipped_files[0]); i++) {
        const char *p = skipped_files[i].path;
        size_t n = strlen(p);
        if (p[n - 1] == '/' ? !strncmp(file, p, n) : !strcmp(file, p))
            return skipped_files[i].why;
    }
    return NULL;
}

/* ---- the official suite ---- */

static void test_official_suite(void **state)
{
    (void)state;
    const char *suite = getenv("DP_JSONSCHEMA_SUITE");
    if (!suite)
        suite = SUITE_DIR;
    char **files = NULL;
    size_t nfiles = 0, cap = 0;
    list_json(suite, "", &files, &nfiles, &cap);
    if (nfiles == 0) {
        printf("jsonschema suite: %s not found (install json-schema-test-suite); skipped\n", suite);
        skip();
    }
    json_t *res = suite_resources(suite);
    size_t passed = 0, failed = 0, skipped = 0, skipped_files_n = 0;
    for (size_t f = 0; f < nfiles; f++) {
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", suite, files[f]);
        json_t *doc = load_file(path);
        const char *why = skip_reason(files[f]);
        if (why) {
            size_t cases = 0;
            for (size_t g = 0; g < json_array_size(doc); g++)
                cases += json_array_size(json_object_get(json_array_get(doc, g), "tests"));
            printf("  skipped %s (%zu cases): %s\n", files[f], cases, why);
            skipped += cases;
            skipped_files_n++;
            json_decref(doc);
            free(files[f]);
            continue;
        }
        if (!json_is_array(doc)) {
            printf("  FAIL %s: cannot load\n", files[f]);
            failed++;
        }
        for (size_t g = 0; g < json_array_size(doc); g++) {
            json_t *group = json_array_get(doc, g);
            const char *gdesc = json_string_value(json_object_get(group, "description"));
            json_t *tests = json_object_get(group, "tests");
            dp_jsonschema *s = NULL;
            dp_error err = {0};
            if (dp_jsonschema__new_with(&s, json_object_get(group, "schema"), res, &err)) {
                printf("  FAIL %s | %s: schema does not compile: %s\n", files[f], gdesc,
                       err.message);
                failed += json_array_size(tests);
                continue;
            }
            for (size_t t = 0; t < json_array_size(tests); t++) {
                json_t *tc = json_array_get(tests, t);
                const char *tdesc = json_string_value(json_object_get(tc, "description"));
                int want = json_is_true(json_object_get(tc, "valid"));
                json_t *data = json_object_get(tc, "data");
                /* once stopping at the first failure, once collecting them all */
                dp_error e1 = {0}, e2 = {0};
                json_t *errs = json_array();
                int r1 = dp_jsonschema_validate(s, data, NULL, 0, &e1);
                int r2 = dp_jsonschema_validate(s, data, errs, 50, &e2);
                int ok = (r1 == 0) == want && r1 == r2 && (r1 == 0 || r1 == DP_EINVALID) &&
                         (r1 == 0 ? json_array_size(errs) == 0
                                  : json_array_size(errs) > 0 && e1.message[0] &&
                                        !strcmp(e1.message, e2.message) &&
                                        !strcmp(e1.message,
                                                json_string_value(json_array_get(errs, 0))));
                if (ok) {
                    passed++;
                } else {
                    failed++;
                    printf("  FAIL %s | %s | %s: expected %s, got %d/%d (%s)\n", files[f], gdesc,
                           tdesc, want ? "valid" : "invalid", r1, r2, e1.message);
                }
                json_decref(errs);
            }
            dp_jsonschema_free(s);
        }
        json_decref(doc);
        free(files[f]);
    }
    free(files);
    json_decref(res);
    printf("jsonschema suite: %zu passed, %zu failed, %zu skipped (%zu files skipped)\n", passed,
           failed, skipped, skipped_files_n);
    assert_int_equal(failed, 0);
    assert_true(passed > 0);
}

/* ---- focused cases ---- */

/* Compiles schema text; returns the result of validating instance text. */
static int check(const char *schema, const char *instance, char *msg, size_t msgsz)
{
    json_t *sj = parse(schema), *ij = parse(instance);
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    int rc = dp_jsonschema_new(&s, sj, &err);
    json_decref(sj); /* the compiled schema keeps its own reference */
    if (rc == 0)
        rc = dp_jsonschema_validate(s, ij, NULL, 0, &err);
    if (msg)
        snprintf(msg, msgsz, "%s", rc ? err.message : "");
    dp_jsonschema_free(s);
    json_decref(ij);
    return rc;
}

#define VALID(schema, inst) assert_int_equal(check(schema, inst, NULL, 0), 0)
#define INVALID(schema, inst) assert_int_equal(check(schema, inst, NULL, 0), DP_EINVALID)

static void test_messages(void **state)
{
    (void)state;
    char msg[1024];
    const char *schema =
        "{\"type\":\"object\",\"required\":[\"data_model\"],\"properties\":{\"data_model\":{"
        "\"type\":\"object\",\"properties\":{\"columns\":{\"type\":\"array\",\"items\":{"
        "\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,"
        "\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":1},"
        "\"type\":{\"type\":\"string\"},\"a/b~c\":{\"enum\":[1,2]}}}}}}}}";
    assert_int_equal(check(schema,
                           "{\"data_model\":{\"columns\":[{\"name\":\"a\"},{\"name\":\"b\"},"
                           "{\"name\":\"c\",\"type\":7}]}}",
                           msg, sizeof(msg)),
                     DP_EINVALID);
    assert_string_equal(msg, "/data_model/columns/2/type: expected string, got integer");
    check(schema, "{\"data_model\":{\"columns\":[{\"name\":\"a\",\"a/b~c\":3}]}}", msg, sizeof(msg));
    assert_string_equal(msg, "/data_model/columns/0/a~1b~0c: must be one of [1,2] (enum)");
    check(schema, "{\"data_model\":{\"columns\":[{\"nme\":\"a\"}]}}", msg, sizeof(msg));
    assert_string_equal(msg, "/data_model/columns/0/nme: property not allowed (additionalProperties)");
    check(schema, "[]", msg, sizeof(msg));
    assert_string_equal(msg, "(root): expected object, got array");
    check(schema, "{}", msg, sizeof(msg));
    assert_string_equal(msg, "(root): missing required property 'data_model'");
    check("{\"minimum\":5}", "4.5", msg, sizeof(msg));
    assert_string_equal(msg, "(root): 4.5 is less than minimum 5");
    check("{\"pattern\":\"^[a-z]+$\"}", "\"AB\"", msg, sizeof(msg));
    assert_string_equal(msg, "(root): does not match pattern '^[a-z]+$'");
    /* anyOf names the branch that got furthest */
    check("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"object\",\"properties\":{\"x\":"
          "{\"type\":\"integer\"}}}]}",
          "{\"x\":\"no\"}", msg, sizeof(msg));
    assert_string_equal(msg, "(root): does not match any alternative of anyOf (closest: /x: "
                             "expected integer, got string)");

    /* errors_out collects up to max_errors messages, first one == err */
    json_t *sj = parse(schema);
    json_t *ij = parse("{\"data_model\":{\"columns\":[{\"type\":1},{\"name\":\"\",\"x\":1},3]}}");
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_jsonschema_new(&s, sj, &err), 0);
    json_t *errs = json_array();
    assert_int_equal(dp_jsonschema_validate(s, ij, errs, 10, &err), DP_EINVALID);
    assert_int_equal(json_array_size(errs), 5);
    assert_string_equal(json_string_value(json_array_get(errs, 0)), err.message);
    assert_string_equal(json_string_value(json_array_get(errs, 4)),
                        "/data_model/columns/2: expected object, got integer");
    json_array_clear(errs);
    assert_int_equal(dp_jsonschema_validate(s, ij, errs, 2, &err), DP_EINVALID);
    assert_int_equal(json_array_size(errs), 2);
    json_decref(errs);
    dp_jsonschema_free(s);
    json_decref(sj);
    json_decref(ij);
}

static void test_modern_keywords(void **state)
{
    (void)state;
    const char *m = "\"$schema\":\"https://json-schema.org/draft/2019-09/schema\"";
    char schema[2048];
    /* unevaluatedProperties sees through $ref (beside siblings), allOf, if/then */
    snprintf(schema, sizeof(schema),
             "{%s,\"$defs\":{\"base\":{\"properties\":{\"name\":{\"type\":\"string\"}}}},"
             "\"$ref\":\"#/$defs/base\",\"properties\":{\"kind\":{\"type\":\"string\"}},"
             "\"allOf\":[{\"properties\":{\"a\":true}}],"
             "\"if\":{\"properties\":{\"kind\":{\"const\":\"x\"}}},"
             "\"then\":{\"properties\":{\"xtra\":{\"type\":\"integer\"}}},"
             "\"unevaluatedProperties\":false}",
             m);
    VALID(schema, "{\"name\":\"n\",\"kind\":\"x\",\"a\":1,\"xtra\":2}");
    INVALID(schema, "{\"name\":\"n\",\"kind\":\"y\",\"xtra\":2}"); /* then not applied */
    INVALID(schema, "{\"name\":3}");                                /* $ref sibling applies */
    INVALID(schema, "{\"other\":1}");
    /* anyOf: annotations of every passing branch; oneOf/not: none of failing ones */
    snprintf(schema, sizeof(schema),
             "{%s,\"anyOf\":[{\"properties\":{\"a\":true}},{\"properties\":{\"b\":true}}],"
             "\"not\":{\"properties\":{\"c\":true},\"required\":[\"zz\"]},"
             "\"unevaluatedProperties\":false}",
             m);
    VALID(schema, "{\"a\":1,\"b\":2}");
    INVALID(schema, "{\"a\":1,\"c\":2}");
    /* unevaluatedItems, prefixItems, contains counts */
    snprintf(schema, sizeof(schema),
             "{%s,\"prefixItems\":[{\"type\":\"string\"}],\"allOf\":[{\"items\":[true,true]}],"
             "\"unevaluatedItems\":{\"type\":\"integer\"}}",
             m);
    VALID(schema, "[\"a\",{},3,4]");
    INVALID(schema, "[\"a\",{},\"c\"]");
    INVALID(schema, "[1]");
    VALID("{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", "[1,\"a\",2]");
    INVALID("{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", "[1,\"a\"]");
    INVALID("{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", "[1,2,3,4]");
    VALID("{\"contains\":{\"type\":\"integer\"},\"minContains\":0}", "[]");
    /* 2020-12 items after prefixItems */
    VALID("{\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"}}", "[\"a\",1,2]");
    INVALID("{\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"}}", "[\"a\",\"b\"]");
    INVALID("{\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}", "[\"a\",\"b\"]");
    /* dependentRequired / dependentSchemas, $anchor, $defs */
    VALID("{\"dependentRequired\":{\"a\":[\"b\"]}}", "{\"b\":1}");
    INVALID("{\"dependentRequired\":{\"a\":[\"b\"]}}", "{\"a\":1}");
    INVALID("{\"dependentSchemas\":{\"a\":{\"required\":[\"c\"]}}}", "{\"a\":1}");
    snprintf(schema, sizeof(schema),
             "{%s,\"$id\":\"https://example.com/root.json\",\"$ref\":\"#pos\","
             "\"$defs\":{\"p\":{\"$anchor\":\"pos\",\"minimum\":0}}}",
             m);
    VALID(schema, "3");
    INVALID(schema, "-3");
    VALID("{\"$ref\":\"#/$defs/a%25b\",\"$defs\":{\"a%b\":{\"type\":\"null\"}}}", "null");
    INVALID("{\"$ref\":\"#/$defs/a%25b\",\"$defs\":{\"a%b\":{\"type\":\"null\"}}}", "0");
    /* $id-relative refs within one document */
    VALID("{\"$id\":\"http://x.test/a/root.json\",\"items\":{\"$ref\":\"b.json\"},"
          "\"definitions\":{\"b\":{\"$id\":\"b.json\",\"type\":\"integer\"}}}",
          "[1,2]");
    INVALID("{\"$id\":\"http://x.test/a/root.json\",\"items\":{\"$ref\":\"b.json\"},"
            "\"definitions\":{\"b\":{\"$id\":\"b.json\",\"type\":\"integer\"}}}",
            "[1,\"2\"]");
    /* draft-04 boolean exclusiveMaximum; const/enum numeric equality */
    INVALID("{\"maximum\":3,\"exclusiveMaximum\":true}", "3");
    VALID("{\"const\":{\"a\":[1,2.0]}}", "{\"a\":[1.0,2]}");
    /* uniqueItems on a long array takes the hashing path */
    VALID("{\"uniqueItems\":true}",
          "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,{\"a\":1},{\"a\":2},[1],[1.5]]");
    INVALID("{\"uniqueItems\":true}",
            "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,{\"a\":1,\"b\":[2]},{\"b\":[2.0],"
            "\"a\":1.0}]");
    INVALID("{\"uniqueItems\":true}", "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,1.0]");
}

static void test_patterns(void **state)
{
    (void)state;
    VALID("{\"pattern\":\"^\\\\d{3}-\\\\w+\\\\s?$\"}", "\"123-ab_c \"");
    INVALID("{\"pattern\":\"^\\\\d{3}-\\\\w+$\"}", "\"12-ab\"");
    INVALID("{\"pattern\":\"^\\\\w+$\"}", "\"caf\xc3\xa9\""); /* \w is ASCII */
    VALID("{\"pattern\":\"^[^\\\\d\\\\s]+$\"}", "\"ab\xc3\xa9\"");
    INVALID("{\"pattern\":\"^[^\\\\d\\\\s]+$\"}", "\"a b\"");
    VALID("{\"pattern\":\"^.$\"}", "\"\xc3\xa9\""); /* one code point */
    /* an ASCII pattern reads ASCII text byte by byte and other text by
     * code point: the same counts and classes either way */
    VALID("{\"pattern\":\"^.{2}$\"}", "\"ab\"");
    VALID("{\"pattern\":\"^.{2}$\"}", "\"\xc3\xa9\xc3\xa8\"");
    INVALID("{\"pattern\":\"^.{2}$\"}", "\"abc\"");
    INVALID("{\"pattern\":\"^.{3}$\"}", "\"\xc3\xa9\xc3\xa8\"");
    VALID("{\"pattern\":\"^[^a-z]{1,2}$\"}", "\"\xc3\xa9\"");
    INVALID("{\"pattern\":\"^[^\\\\n]*$\"}", "\"a\\nb\"");
    VALID("{\"pattern\":\"^[^\\\\n]*$\"}", "\"a b\"");
    VALID("{\"pattern\":\"^[a-z_]{1,3}$\"}", "\"a_b\"");
    INVALID("{\"pattern\":\"^[a-z_]{1,3}$\"}", "\"a_b_\"");
    INVALID("{\"pattern\":\"^.$\"}", "\"\\n\"");
    VALID("{\"pattern\":\"^[\\\\]\\\\-^\\\\[]+$\"}", "\"]-^[\"");
    VALID("{\"pattern\":\"^[\xc3\xa0-\xc3\xbf]+$\"}", "\"\xc3\xa9\xc3\xa8\"");
    VALID("{\"pattern\":\"^a{2,3}?b+?$\"}", "\"aab\"");
    VALID("{\"pattern\":\"^(?:ab|cd)(?<x>e)\\\\u0066\\\\x67$\"}", "\"cdefg\"");
    VALID("{\"pattern\":\"a{,2}\"}", "\"a{,2}\""); /* not a quantifier: literal */
    VALID("{\"pattern\":\"\\\\{\\\\{.*\\\\}\\\\}\"}", "\"x {{ var('a') }}\"");
    INVALID("{\"pattern\":\"[]\"}", "\"x\"");     /* matches nothing */
    VALID("{\"pattern\":\"^[^]$\"}", "\"\\n\"");  /* matches anything */
    /* leading lookaheads (dbt's semantic model names, password rules) */
    const char *dbt = "{\"pattern\":\"(?!.*__).*^[a-z][a-z0-9_]*[a-z0-9]$\"}";
    VALID(dbt, "\"ad_events\"");
    INVALID(dbt, "\"ad__events\"");
    INVALID(dbt, "\"Ad_events\"");
    const char *pw = "{\"pattern\":\"^(?=.*\\\\d)(?=.*[a-z]).{6,}$\"}";
    VALID(pw, "\"abc123\"");
    INVALID(pw, "\"abcdef\"");
    INVALID(pw, "\"ab1\"");
    VALID("{\"pattern\":\"(?=b)\\\\w\"}", "\"ab\"");
    INVALID("{\"pattern\":\"(?=^b)\\\\w\"}", "\"ab\""); /* ^ inside: start of string only */
    VALID("{\"pattern\":\"(?=^a)\\\\w\"}", "\"ab\"");
    INVALID("{\"pattern\":\"(?!a)[ab]\"}", "\"aa\"");
    /* long strings: the usual lookahead is cheap, a quadratic one hits the limit */
    size_t n = 200000;
    char *big = malloc(n + 3);
    assert_non_null(big);
    big[0] = '"';
    memset(big + 1, 'a', n);
    big[n + 1] = '"';
    big[n + 2] = 0;
    VALID(dbt, big);
    big[n - 1] = big[n - 2] = '_'; /* ends "__a" */
    INVALID(dbt, big);
    assert_int_equal(check("{\"pattern\":\"(?=a*b)a\"}", big, NULL, 0), DP_ELIMIT);
    free(big);

    /* patternProperties and propertyNames use the same engine */
    VALID("{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
          "{\"x-a\":\"s\"}");
    INVALID("{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
            "{\"y\":\"s\"}");
    INVALID("{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}}", "{\"aB\":1}");

    /* what cannot be translated is reported when compiling */
    static const char *const bad[] = {"(?<=a)b", "(a)\\\\1", "a\\\\bc", "\\\\p{L}", "a(?=b)",
                                      "(?!a)b|c", "[\\\\W\\\\d]", "a{1001}", "(a", "\\\\0"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char schema[200], msg[1024];
        snprintf(schema, sizeof(schema), "{\"properties\":{\"p\":{\"pattern\":\"%s\"}}}", bad[i]);
        assert_int_equal(check(schema, "{}", msg, sizeof(msg)), DP_EINVALID);
        assert_non_null(strstr(msg, "invalid schema at #/properties/p/pattern: unsupported "
                                    "regular expression"));
    }
}

static void test_schema_errors(void **state)
{
    (void)state;
    char msg[1024];
    assert_int_equal(check("{\"$ref\":\"#/definitions/missing\"}", "1", msg, sizeof(msg)),
                     DP_EINVALID);
    assert_non_null(strstr(msg, "cannot resolve $ref"));
    assert_int_equal(check("{\"$ref\":\"http://example.com/s.json\"}", "1", msg, sizeof(msg)),
                     DP_EINVALID);
    assert_non_null(strstr(msg, "not fetched"));
    assert_int_equal(check("{\"type\":\"strin\"}", "1", msg, sizeof(msg)), DP_EINVALID);
    assert_string_equal(msg, "invalid schema at #/type: unknown type 'strin'");
    assert_int_equal(check("{\"properties\":{\"a\":{\"minLength\":-1}}}", "1", msg, sizeof(msg)),
                     DP_EINVALID);
    assert_string_equal(msg, "invalid schema at #/properties/a/minLength: expected a "
                             "non-negative integer");
    assert_int_equal(check("{\"items\":3}", "1", msg, sizeof(msg)), DP_EINVALID);
    assert_int_equal(check("{\"$dynamicRef\":\"#x\"}", "1", msg, sizeof(msg)), DP_EINVALID);
    /* keywords inside non-schema values are data, not schemas */
    VALID("{\"const\":{\"pattern\":\"(?<=x)\",\"$ref\":\"#/nowhere\"}}",
          "{\"pattern\":\"(?<=x)\",\"$ref\":\"#/nowhere\"}");
}

static void test_limits(void **state)
{
    (void)state;
    char msg[1024];
    /* a schema that recurses without consuming the instance */
    assert_int_equal(check("{\"$ref\":\"#\"}", "1", msg, sizeof(msg)), DP_ELIMIT);
    assert_int_equal(check("{\"definitions\":{\"a\":{\"anyOf\":[{\"$ref\":\"#/definitions/b\"}]},"
                           "\"b\":{\"not\":{\"$ref\":\"#/definitions/a\"}}},"
                           "\"$ref\":\"#/definitions/a\"}",
                           "1", msg, sizeof(msg)),
                     DP_ELIMIT);
    /* a deep instance against a recursive schema */
    size_t depth = 1000;
    char *deep = malloc(2 * depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = 0;
    assert_int_equal(check("{\"items\":{\"$ref\":\"#\"}}", deep, msg, sizeof(msg)), DP_ELIMIT);
    VALID("{\"items\":{\"$ref\":\"#\"}}", "[[[[[[[[[[]]]]]]]]]]");
    free(deep);
    /* a deeply nested schema */
    dp_error err = {0};
    json_t *sch = json_object(), *cur = sch;
    for (int i = 0; i < 300; i++) {
        json_t *next = json_object();
        json_object_set_new(cur, "not", next);
        cur = next;
    }
    dp_jsonschema *s = NULL;
    assert_int_equal(dp_jsonschema_new(&s, sch, &err), DP_ELIMIT);
    assert_null(s);
    json_decref(sch);
}

/* ---- concurrency: one compiled schema, many threads ---- */

typedef struct {
    const dp_jsonschema *s;
    const json_t *good, *bad;
    int failures;
} thread_arg;

static void *validate_loop(void *p)
{
    thread_arg *a = p;
    for (int i = 0; i < 200; i++) {
        dp_error err = {0};
        json_t *errs = json_array();
        if (dp_jsonschema_validate(a->s, a->good, NULL, 0, &err) != 0 ||
            dp_jsonschema_validate(a->s, a->bad, errs, 20, &err) != DP_EINVALID ||
            json_array_size(errs) != 3)
            a->failures++;
        json_decref(errs);
    }
    return NULL;
}

/* ---- the official ODCS and dbt schemas ---- */

static int shared_path(char *out, size_t n, const char *file)
{
    const char *src = getenv("DP_SOURCE_DIR");
#ifdef DP_SOURCE_DIR
    if (!src)
        src = DP_SOURCE_DIR;
#endif
    if (!src)
        return -1;
    snprintf(out, n, "%s/../shared/schemas/%s", src, file);
    struct stat st;
    return stat(out, &st);
}

static dp_jsonschema *load_official(const char *file)
{
    char path[4096];
    if (shared_path(path, sizeof(path), file)) {
        printf("jsonschema: %s not found (DP_SOURCE_DIR/../shared/schemas); skipped\n", file);
        return NULL;
    }
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    assert_non_null(doc);
    dp_jsonschema *s = NULL;
    dp_error err = {0};
    if (dp_jsonschema_new(&s, doc, &err))
        fail_msg("%s: %s", file, err.message);
    json_decref(doc);
    return s;
}

/* Validates the invalid example and checks every expected message is among
 * the collected errors. */
static void expect_errors(const dp_jsonschema *s, const char *valid, const char *invalid,
                          const char *const *want, size_t nwant)
{
    dp_error err = {0};
    json_t *good = parse(valid), *bad = parse(invalid), *errs = json_array();
    if (dp_jsonschema_validate(s, good, NULL, 0, &err))
        fail_msg("valid example rejected: %s", err.message);
    assert_int_equal(dp_jsonschema_validate(s, bad, errs, 50, &err), DP_EINVALID);
    for (size_t i = 0; i < nwant; i++) {
        size_t k;
        for (k = 0; k < json_array_size(errs); k++)
            if (!strcmp(json_string_value(json_array_get(errs, k)), want[i]))
                break;
        if (k == json_array_size(errs)) {
            for (k = 0; k < json_array_size(errs); k++)
                printf("  got: %s\n", json_string_value(json_array_get(errs, k)));
            fail_msg("missing error: %s", want[i]);
        }
    }
    assert_int_equal(json_array_size(errs), nwant);
    json_decref(good);
    json_decref(bad);
    json_decref(errs);
}

static void test_official_schemas(void **state)
{
    (void)state;
    dp_jsonschema *s;
    if ((s = load_official("odcs-json-schema-v3.1.0.json"))) {
        static const char *const want[] = {
            "(root): missing required property 'status'",
            "/schema/0/properties/0/colour: property not allowed (unevaluatedProperties)",
            "/schema/0/properties/1/logicalType: must be one of [\"string\",\"date\","
            "\"timestamp\",\"time\",\"number\",\"integer\",\"object\",\"array\",\"boolean\"] "
            "(enum)",
        };
        expect_errors(s, odcs_valid, odcs_invalid, want, 3);
        dp_jsonschema_free(s);
    }
    if ((s = load_official("dbt_yml_files-latest.json"))) {
        static const char *const want[] = {
            "/models/0/materialised: property not allowed (additionalProperties)",
            "/semantic_models/0/name: does not match pattern "
            "'(?!.*__).*^[a-z][a-z0-9_]*[a-z0-9]$'",
            "/metrics/0/type: must be one of [\"CONVERSION\",\"conversion\",\"CUMULATIVE\","
            "\"cumulative\",\"DERIVED\",\"derived\",\"RATIO\",\"ratio\",\"SIMPLE\",\"simple\"] "
            "(enum)",
        };
        expect_errors(s, dbt_yml_valid, dbt_yml_invalid, want, 3);

        /* the same compiled schema from several threads at once */
        json_t *good = parse(dbt_yml_valid), *bad = parse(dbt_yml_invalid);
        pthread_t th[4];
        thread_arg args[4];
        for (int i = 0; i < 4; i++) {
            args[i] = (thread_arg){s, good, bad, 0};
            assert_int_equal(pthread_create(&th[i], NULL, validate_loop, &args[i]), 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(args[i].failures, 0);
        }
        json_decref(good);
        json_decref(bad);
        dp_jsonschema_free(s);
    }
    if ((s = load_official("dbt_project-latest.json"))) {
        static const char *const want[] = {
            "/model-paths: expected array, got string",
            "/profle: property not allowed (additionalProperties)",
        };
        expect_errors(s, dbt_project_valid, dbt_project_invalid, want, 2);
        dp_jsonschema_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_official_suite),  cmocka_unit_test(test_messages),
        cmocka_unit_test(test_modern_keywords), cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_schema_errors),   cmocka_unit_test(test_limits),
        cmocka_unit_test(test_official_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The GX suite, the ODCS contract and sql/assertions.sql run as the tools
 * would run them, on the demo and two test catalogs (issue 12, exports 6-8):
 *   - the GX suite's expectations, translated to SQL (a small translator of
 *     the types dpgen emits), run on the built product: each pass/fail and
 *     failing-row count equals the rule's recorded result; no type names,
 *     every rule but the types one has an expectation with its rule_id;
 *   - every ODCS quality check runs in DuckDB over the contract's local
 *     server (views named after the schema objects over data/<name>.parquet,
 *     as datacontract-cli builds them) with its mustBe semantics, and agrees
 *     with the recorded results; the contract validates against ODCS v3.1.0,
 *     carries no run results and no machine path, its physicalNames have no
 *     schema, key columns are required, its types are data_model's, and
 *     source rules sit on the source objects;
 *   - each statement of sql/assertions.sql finds the recorded failing rows
 *     on the product built from the spec's SQL, and fails (a row or an
 *     error) on a database without the product's table.
 * The ODCS schema check needs ../shared/schemas; without it that check
 * alone is skipped and says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "catalog/db.h"
#include "doc/jsonschema.h"
#include "packaging/odcs.h"
#include "packaging/validate.h"
#include "util/buf.h"
#include "testutil.h"

static char tmp[256];
static dp_jsonschema *odcs_schema;

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/dpgen_gxodcs_XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    char path[1024];
    snprintf(path, sizeof(path), "%s/../shared/schemas/odcs-json-schema-v3.1.0.json", tu_source_dir());
    json_t *doc = json_load_file(path, 0, NULL);
    if (doc) {
        dp_error err = {0};
        if (dp_jsonschema_new(&odcs_schema, doc, &err))
            fprintf(stderr, "%s: %s\n", path, err.message);
        json_decref(doc);
    } else {
        printf("gx_odcs: %s not found; the ODCS schema check is skipped\n", path);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dp_jsonschema_free(odcs_schema);
    if (tmp[0] && !getenv("DP_KEEP_EXPORTS"))
        tu_rm_tree(tmp);
    return 0;
}

/* ---- DuckDB ---- */

typedef struct scratch {
    duckdb_database db;
    duckdb_connection con;
} scratch;

static void exec_ok(duckdb_connection con, const char *sql)
{
    duckdb_result res;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        fail_msg("%s\n%s", duckdb_result_error(&res), sql);
    duckdb_destroy_result(&res);
}

/* An in-memory DuckDB with the catalog's database attached read-only as
 * the default catalog. */
static void scratch_open(scratch *s, const char *db_path)
{
    assert_int_equal(duckdb_open(NULL, &s->db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(s->db, &s->con), DuckDBSuccess);
    if (db_path) {
        char sql[1200];
        snprintf(sql, sizeof(sql), "ATTACH '%s' AS src (READ_ONLY)", db_path);
        exec_ok(s->con, sql);
        exec_ok(s->con, "USE src");
    }
}

static void scratch_close(scratch *s)
{
    duckdb_disconnect(&s->con);
    duckdb_close(&s->db);
}

/* The number of rows sql returns; -1 when it fails. */
static long long rows_of(duckdb_connection con, const char *sql)
{
    size_t len = strlen(sql) + 64;
    char *q = malloc(len);
    assert_non_null(q);
    snprintf(q, len, "SELECT count(*) FROM (%s) AS t", sql);
    duckdb_result res;
    long long n = -1;
    if (duckdb_query(con, q, &res) == DuckDBSuccess)
        n = (long long)duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    free(q);
    return n;
}

static long long scalar(duckdb_connection con, const char *sql)
{
    duckdb_result res;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        fail_msg("%s\n%s", duckdb_result_error(&res), sql);
    long long n = (long long)duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    return n;
}

/* ---- the spec ---- */

static const json_t *rule_by_id(const json_t *spec, const char *id)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, r) {
        if (!strcmp(str(r, "id"), id))
            return r;
    }
    return NULL;
}

static long long recorded(const json_t *rule)
{
    const json_t *fr = json_object_get(json_object_get(rule, "result"), "failing_rows");
    assert_true(json_is_integer(fr));
    return json_integer_value(fr);
}

static int passed(const json_t *rule) { return !strcmp(str(json_object_get(rule, "result"), "status"), "passed"); }

static const char *quote(char *out, size_t n, const char *ident)
{
    snprintf(out, n, "\"%s\"", ident);
    return out;
}

/* ---- GX: the expectations dpgen emits, as failing-rows SQL ---- */

/* {{ and }} back to braces, \: to :, {batch} to the table. */
static char *gx_unescape(const char *q, const char *table)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    for (const char *p = q; *p;) {
        if (!strncmp(p, "{batch}", 7)) {
            dp_buf_puts(&b, table);
            p += 7;
        } else if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            dp_buf_putc(&b, *p);
            p += 2;
        } else if (p[0] == '\\' && p[1] == ':') {
            dp_buf_putc(&b, ':');
            p += 2;
        } else {
            assert_false(*p == '{' || *p == '}'); /* str.format would fail on it */
            dp_buf_putc(&b, *p++);
        }
    }
    return dp_buf_detach(&b);
}

/* Returns the failing-rows SQL of one expectation (malloc'd), or NULL for
 * the row count (checked apart). */
static char *gx_sql(const json_t *e, const char *table)
{
    const char *type = str(e, "type");
    const json_t *kw = json_object_get(e, "kwargs");
    char col[300], *out = malloc(4096);
    assert_non_null(out);
    if (*str(kw, "column"))
        quote(col, sizeof(col), str(kw, "column"));
    if (!strcmp(type, "expect_column_values_to_not_be_null")) {
        snprintf(out, 4096, "SELECT * FROM %s WHERE %s IS NULL", table, col);
    } else if (!strcmp(type, "expect_column_values_to_be_unique")) {
        snprintf(out, 4096, "SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s HAVING count(*) > 1", col, table, col,
                 col);
    } else if (!strcmp(type, "expect_compound_columns_to_be_unique")) {
        dp_buf l;
        dp_buf_init(&l, 0);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(kw, "column_list"), i, c)
            dp_buf_printf(&l, "%s\"%s\"", i ? ", " : "", json_string_value(c));
        snprintf(out, 4096, "SELECT %s FROM %s GROUP BY %s HAVING count(*) > 1", dp_buf_cstr(&l), table,
                 dp_buf_cstr(&l));
        dp_buf_dispose(&l);
    } else if (!strcmp(type, "expect_column_values_to_be_between")) {
        char lo[64] = "FALSE", hi[64] = "FALSE";
        if (json_is_number(json_object_get(kw, "min_value")))
            snprintf(lo, sizeof(lo), "%s < %g", col, json_number_value(json_object_get(kw, "min_value")));
        if (json_is_number(json_object_get(kw, "max_value")))
            snprintf(hi, sizeof(hi), "%s > %g", col, json_number_value(json_object_get(kw, "max_value")));
        snprintf(out, 4096, "SELECT * FROM %s WHERE %s OR %s", table, lo, hi);
    } else if (!strcmp(type, "expect_column_values_to_be_in_set")) {
        dp_buf l;
        dp_buf_init(&l, 0);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(kw, "value_set"), i, v) {
            dp_buf_puts(&l, i ? ", '" : "'");
            for (const char *p = json_string_value(v); *p; p++) {
                if (*p == '\'')
                    dp_buf_putc(&l, '\'');
                dp_buf_putc(&l, *p);
            }
            dp_buf_putc(&l, '\'');
        }
        snprintf(out, 4096, "SELECT * FROM %s WHERE %s NOT IN (%s)", table, col, dp_buf_cstr(&l));
        dp_buf_dispose(&l);
    } else if (!strcmp(type, "expect_column_pair_values_a_to_be_greater_than_b")) {
        /* GX: with ignore_row_if either_value_is_missing, a row with a NULL
         * is not counted; or_equal makes A = B a pass */
        assert_string_equal(str(kw, "ignore_row_if"), "either_value_is_missing");
        snprintf(out, 4096, "SELECT * FROM %s WHERE \"%s\" IS NOT NULL AND \"%s\" IS NOT NULL AND NOT (\"%s\" %s \"%s\")",
                 table, str(kw, "column_A"), str(kw, "column_B"), str(kw, "column_A"),
                 json_is_true(json_object_get(kw, "or_equal")) ? ">=" : ">", str(kw, "column_B"));
    } else if (!strcmp(type, "unexpected_rows_expectation")) {
        free(out);
        return gx_unescape(str(kw, "unexpected_rows_query"), table);
    } else if (!strcmp(type, "expect_table_row_count_to_be_between")) {
        free(out);
        return NULL;
    } else {
        fail_msg("expectation type %s has no translation: add it to the test", type);
    }
    return out;
}

static void check_gx(const json_t *spec, const json_t *gx, duckdb_connection con, const char *target)
{
    const json_t *rules = json_object_get(json_object_get(spec, "quality"), "rules");
    assert_true(json_equal(gx, json_object_get(json_object_get(spec, "quality"), "great_expectations_suite")));
    assert_non_null(strstr(str(json_object_get(gx, "meta"), "column_types"), "dbt contract"));
    size_t i, k;
    json_t *e, *r;
    /* every rule but the types one has an expectation */
    json_array_foreach(rules, i, r) {
        int found = 0;
        json_array_foreach(json_object_get(gx, "expectations"), k, e)
            found |= !strcmp(str(json_object_get(e, "meta"), "rule_id"), str(r, "id"));
        if (strcmp(str(r, "type"), "types") && !found)
            fail_msg("rule %s (%s) has no GX expectation", str(r, "id"), str(r, "type"));
    }
    json_array_foreach(json_object_get(gx, "expectations"), i, e) {
        const char *type = str(e, "type");
        assert_true(strcmp(type, "expect_column_values_to_be_of_type") &&
                    strcmp(type, "expect_column_values_to_be_in_type_list"));
        const json_t *rule = rule_by_id(spec, str(json_object_get(e, "meta"), "rule_id"));
        if (!rule)
            fail_msg("expectation %zu (%s) names no rule", i, type);
        assert_string_equal(str(json_object_get(e, "meta"), "severity"), str(rule, "severity"));
        if (!strcmp(type, "unexpected_rows_expectation")) {
            /* the product as {batch}; a source rule names its tables */
            const char *q = str(json_object_get(e, "kwargs"), "unexpected_rows_query");
            assert_int_equal(strstr(q, "{batch}") != NULL, strstr(str(rule, "sql"), target) != NULL);
            assert_null(strstr(q, target));
        }
        char *sql = gx_sql(e, target);
        if (!sql) { /* row count: min 1, and a fixed max or a note on why none */
            const json_t *kw = json_object_get(e, "kwargs");
            long long n = scalar(con, "SELECT count(*) FROM exported_product");
            long long lo = json_integer_value(json_object_get(kw, "min_value"));
            assert_int_equal(lo, 1);
            const json_t *hi = json_object_get(kw, "max_value");
            assert_true(json_is_integer(hi) || *str(json_object_get(e, "meta"), "max_value"));
            int ok = n >= lo && (!json_is_integer(hi) || n <= json_integer_value(hi));
            if (!ok)
                assert_false(passed(rule));
            continue;
        }
        long long n = rows_of(con, sql);
        if (n < 0)
            fail_msg("GX %s of %s does not run: %s", type, str(rule, "id"), sql);
        if (n != recorded(rule))
            fail_msg("GX %s of %s: %lld failing rows, the spec recorded %lld\n%s", type, str(rule, "id"), n,
                     recorded(rule), sql);
        assert_int_equal(n == 0, passed(rule));
        free(sql);
    }
}

/* ---- ODCS ---- */

/* Fails on a string that looks like a machine path or a run result. */
static void no_paths_no_results(const json_t *v, const char *db_path)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (s[0] == '/' || strstr(s, tmp) || strstr(s, db_path) || strstr(s, tu_source_dir()))
            fail_msg("machine path in the contract: %s", s);
        return;
    }
    size_t i;
    json_t *x;
    const char *k;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
            no_paths_no_results(x, db_path);
        return;
    }
    json_object_foreach((json_t *)v, k, x) {
        if (!strcmp(k, "property") && json_is_string(x)) {
            const char *p = json_string_value(x);
            if (!strcmp(p, "lastResult") || !strcmp(p, "lastFailingRows") || !strcmp(p, "testRunRows"))
                fail_msg("run result %s in the contract", p);
        }
        if (!strcmp(k, "lastResult") || !strcmp(k, "lastFailingRows") || !strcmp(k, "database"))
            fail_msg("%s in the contract", k);
        no_paths_no_results(x, db_path);
    }
}

/* The value of one ODCS check over the local server's views. */
static long long odcs_value(duckdb_connection con, const json_t *obj, const json_t *prop, const json_t *q)
{
    char sql[8192], o[300], c[300];
    quote(o, sizeof(o), str(obj, "physicalName"));
    if (prop)
        quote(c, sizeof(c), str(prop, "physicalName"));
    const char *type = str(q, "type"), *metric = str(q, "metric");
    if (!strcmp(type, "sql"))
        return scalar(con, str(q, "query"));
    assert_string_equal(type, "library");
    if (!strcmp(metric, "nullValues")) {
        assert_non_null(prop);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s IS NULL", o, c);
    } else if (!strcmp(metric, "invalidValues")) {
        assert_non_null(prop);
        dp_buf l;
        dp_buf_init(&l, 0);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(json_object_get(q, "arguments"), "validValues"), i, v)
            dp_buf_printf(&l, "%s'%s'", i ? ", " : "", json_string_value(v));
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s NOT IN (%s)", o, c, dp_buf_cstr(&l));
        dp_buf_dispose(&l);
    } else if (!strcmp(metric, "duplicateValues")) {
        dp_buf l;
        dp_buf_init(&l, 0);
        const json_t *ps = json_object_get(json_object_get(q, "arguments"), "properties");
        size_t i;
        json_t *v;
        if (ps)
            json_array_foreach(ps, i, v)
                dp_buf_printf(&l, "%s\"%s\"", i ? ", " : "", json_string_value(v));
        else
            dp_buf_puts(&l, c);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT %s FROM %s GROUP BY %s HAVING count(*) > 1)",
                 dp_buf_cstr(&l), o, dp_buf_cstr(&l));
        dp_buf_dispose(&l);
    } else if (!strcmp(metric, "rowCount")) {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", o);
    } else {
        fail_msg("ODCS metric %s has no translation: add it to the test", metric);
    }
    return scalar(con, sql);
}

static int odcs_pass(const json_t *q, long long v)
{
    const json_t *x;
    if ((x = json_object_get(q, "mustBe")))
        return v == json_integer_value(x);
    if ((x = json_object_get(q, "mustBeLessThan")))
        return v < json_integer_value(x);
    if ((x = json_object_get(q, "mustBeLessOrEqualTo")))
        return v <= json_integer_value(x);
    if ((x = json_object_get(q, "mustBeGreaterOrEqualTo")))
        return v >= json_integer_value(x);
    if ((x = json_object_get(q, "mustBeGreaterThan")))
        return v > json_integer_value(x);
    if ((x = json_object_get(q, "mustBeBetween")))
        return v >= json_integer_value(json_array_get(x, 0)) && v <= json_integer_value(json_array_get(x, 1));
    fail_msg("ODCS check %s has no operator", str(q, "id"));
    return 0;
}

static void check_odcs_checks(const json_t *spec, const json_t *obj, const json_t *prop, const json_t *list,
                              duckdb_connection con, int on_product, size_t *seen)
{
    const char *target = str(json_object_get(spec, "data_model"), "target_table");
    size_t i;
    json_t *q;
    json_array_foreach(list, i, q) {
        const json_t *rule = rule_by_id(spec, str(q, "id"));
        if (!rule)
            fail_msg("ODCS check %s names no rule", str(q, "id"));
        (*seen)++;
        /* source rules on the sources, the product's on the product */
        assert_int_equal(on_product, strstr(str(rule, "sql"), target) != NULL);
        assert_null(strstr(str(q, "query"), target));
        long long v = odcs_value(con, obj, prop, q);
        if (odcs_pass(q, v) != passed(rule))
            fail_msg("ODCS %s: value %lld, the spec recorded %s", str(q, "id"), v,
                     str(json_object_get(rule, "result"), "status"));
        if (json_object_get(q, "mustBe") && json_integer_value(json_object_get(q, "mustBe")) == 0 &&
            strcmp(str(q, "metric"), "duplicateValues"))
            assert_int_equal(v, recorded(rule));
    }
}

static void check_odcs(const json_t *spec, const json_t *odcs, const char *dir, const char *db_path)
{
    if (odcs_schema) {
        dp_error err = {0};
        json_t *errs = json_array();
        if (dp_jsonschema_validate(odcs_schema, odcs, errs, 20, &err)) {
            size_t i;
            json_t *e;
            json_array_foreach(errs, i, e)
                printf("  odcs: %s\n", json_string_value(e));
            fail_msg("the contract does not validate: %s", err.message);
        }
        json_decref(errs);
    }
    no_paths_no_results(odcs, db_path);
    const json_t *dm = json_object_get(spec, "data_model");
    const char *target = str(dm, "target_table"), *dot = strchr(target, '.');
    const json_t *server = json_array_get(json_object_get(odcs, "servers"), 0);
    assert_string_equal(str(server, "type"), "local");
    assert_string_equal(str(server, "format"), "parquet");
    assert_string_equal(str(server, "path"), "./data/{model}.parquet");
    const json_t *objs = json_object_get(odcs, "schema");
    const json_t *product = json_array_get(objs, 0);
    assert_string_equal(str(product, "physicalName"), dot ? dot + 1 : target);
    /* the product's properties are data_model's columns, with its types */
    size_t i, k;
    json_t *c, *p, *o;
    assert_int_equal(json_array_size(json_object_get(product, "properties")),
                     json_array_size(json_object_get(dm, "columns")));
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        p = json_array_get(json_object_get(product, "properties"), i);
        assert_string_equal(str(p, "name"), str(c, "name"));
        assert_string_equal(str(p, "physicalType"), str(c, "type"));
        int pk = json_is_true(json_object_get(c, "primary_key"));
        assert_int_equal(json_is_true(json_object_get(p, "primaryKey")), pk);
        if (pk) {
            assert_true(json_is_true(json_object_get(p, "required")));
            json_t *kname;
            json_array_foreach(json_object_get(dm, "primary_keys"), k, kname) {
                if (!strcmp(json_string_value(kname), str(c, "name")))
                    assert_int_equal(json_integer_value(json_object_get(p, "primaryKeyPosition")), (json_int_t)k + 1);
            }
        }
    }
    /* the local server as datacontract-cli 1.1.1 builds it: per schema
     * object, "<name>__raw__" over its Parquet file, and a table <name>
     * with the contract's types filled BY NAME from the file (a view of
     * the file when the object lists no properties) */
    scratch s;
    scratch_open(&s, NULL);
    json_array_foreach(objs, i, o) {
        assert_null(strchr(str(o, "physicalName"), '.'));
        assert_string_equal(str(o, "physicalName"), str(o, "name"));
        char path[1200], sql[2600];
        snprintf(path, sizeof(path), "%s/data/%s.parquet", dir, str(o, "name"));
        struct stat st;
        if (stat(path, &st))
            fail_msg("no %s for schema object %s", path, str(o, "name"));
        snprintf(sql, sizeof(sql), "CREATE VIEW \"%s__raw__\" AS SELECT * FROM read_parquet('%s')", str(o, "name"),
                 path);
        exec_ok(s.con, sql);
        if (!json_array_size(json_object_get(o, "properties"))) {
            snprintf(sql, sizeof(sql), "CREATE VIEW \"%s\" AS SELECT * FROM read_parquet('%s')", str(o, "name"), path);
            exec_ok(s.con, sql);
        } else {
            dp_buf ddl, cols;
            dp_buf_init(&ddl, 0);
            dp_buf_init(&cols, 0);
            json_array_foreach(json_object_get(o, "properties"), k, p) {
                dp_buf_printf(&ddl, "%s\"%s\" %s", k ? ", " : "", str(p, "physicalName"), str(p, "physicalType"));
                dp_buf_printf(&cols, "%s\"%s\"", k ? ", " : "", str(p, "physicalName"));
            }
            size_t qn = ddl.len + cols.len + 1600;
            char *q = malloc(qn);
            assert_non_null(q);
            snprintf(q, qn, "CREATE TABLE \"%s\" (%s)", str(o, "name"), dp_buf_cstr(&ddl));
            exec_ok(s.con, q);
            snprintf(q, qn, "INSERT INTO \"%s\" BY NAME (SELECT %s FROM read_parquet('%s'))", str(o, "name"),
                     dp_buf_cstr(&cols), path);
            exec_ok(s.con, q);
            free(q);
            dp_buf_dispose(&ddl);
            dp_buf_dispose(&cols);
        }
        json_array_foreach(json_object_get(o, "properties"), k, p) {
            /* declared types are the file's types; for the product, the
             * file holds the test run's types, which the design's equal
             * once the modeling stage states exact types (issue 12,
             * modeling 2): until then a difference is shown, not hidden */
            const char *want = str(p, "physicalType");
            if (i == 0) {
                size_t j;
                json_t *rc;
                json_array_foreach(json_object_get(json_object_get(json_object_get(spec, "transformation"), "test_run"),
                                                   "result_schema"),
                                   j, rc) {
                    if (!strcmp(str(rc, "name"), str(p, "name")) && strcmp(str(rc, "type"), want)) {
                        printf("  note: %s is %s in the design, %s in the test run\n", str(p, "name"), want,
                               str(rc, "type"));
                        want = str(rc, "type");
                    }
                }
            }
            snprintf(sql, sizeof(sql),
                     "SELECT count(*) FROM (DESCRIBE \"%s__raw__\") WHERE column_name = '%s' AND column_type = '%s'",
                     str(o, "name"), str(p, "physicalName"), want);
            if (scalar(s.con, sql) != 1)
                fail_msg("%s.%s is not %s in its Parquet file", str(o, "name"), str(p, "name"), want);
        }
    }
    char sql[600];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", str(product, "name"));
    assert_int_equal(scalar(s.con, sql),
                     json_integer_value(json_object_get(
                         json_object_get(json_object_get(spec, "transformation"), "test_run"), "rows")));
    /* datacontract-cli's schema checks: a required property has no NULL
     * unless the spec recorded its not_null rule failing */
    json_array_foreach(json_object_get(product, "properties"), k, p) {
        if (!json_is_true(json_object_get(p, "required")))
            continue;
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE \"%s\" IS NULL", str(product, "name"),
                 str(p, "physicalName"));
        long long nulls = scalar(s.con, sql);
        int recorded_failure = 0;
        json_t *r;
        size_t j;
        json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), j, r) {
            if (!strcmp(str(r, "type"), "not_null") && !strcmp(str(r, "column"), str(p, "name")))
                recorded_failure |= !passed(r) && recorded(r) == nulls;
        }
        if (nulls && !recorded_failure)
            fail_msg("required %s has %lld NULLs the spec's rules did not record", str(p, "name"), nulls);
    }
    size_t seen = 0;
    json_array_foreach(objs, i, o) {
        check_odcs_checks(spec, o, NULL, json_object_get(o, "quality"), s.con, i == 0, &seen);
        json_array_foreach(json_object_get(o, "properties"), k, p)
            check_odcs_checks(spec, o, p, json_object_get(p, "quality"), s.con, i == 0, &seen);
    }
    /* every rule but the types one (the properties' physicalType) */
    size_t nrules = json_array_size(json_object_get(json_object_get(spec, "quality"), "rules"));
    assert_int_equal(seen, nrules - 1);
    scratch_close(&s);
}

/* ---- sql/assertions.sql ---- */

static void check_assertions(const json_t *spec, const char *dir, duckdb_connection built, duckdb_connection bare,
                             int pg)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/sql/assertions.sql", dir);
    char *text = tu_read_text(path, NULL);
    assert_non_null(text);
    assert_null(strstr(text, tmp)); /* no machine path */
    assert_null(strstr(text, tu_source_dir()));
    size_t n = 0;
    for (char *p = text; (p = strstr(p, "\n-- Q"));) {
        char id[16];
        snprintf(id, sizeof(id), "%.*s", (int)strcspn(p + 4, " "), p + 4);
        char *stmt = strstr(p, "\nSELECT"), *end = stmt ? strstr(stmt, ";\n") : NULL;
        assert_non_null(end);
        *end = 0;
        const json_t *rule = rule_by_id(spec, id);
        assert_non_null(rule);
        if (pg && !strcmp(str(rule, "type"), "types")) {
            /* PostgreSQL's catalog: run there by tests/e2e/pg_exports.sh */
            assert_non_null(strstr(stmt, "information_schema.columns"));
            assert_null(strstr(stmt, "duckdb_columns"));
            n++;
            p = end + 1;
            continue;
        }
        long long got = rows_of(built, stmt + 1);
        if (got != recorded(rule))
            fail_msg("assertion %s: %lld rows, the spec recorded %lld\n%s", id, got, recorded(rule), stmt + 1);
        /* on a database without the product: a row or an error, never a pass */
        int on_product = strstr(str(rule, "sql"), str(json_object_get(spec, "data_model"), "target_table")) ||
                         !strcmp(str(rule, "type"), "types"); /* reads the catalog's columns of the product */
        if (on_product && rows_of(bare, stmt + 1) == 0)
            fail_msg("assertion %s passes when the product's table does not exist\n%s", id, stmt + 1);
        n++;
        p = end + 1;
    }
    assert_int_equal(n, json_array_size(json_object_get(json_object_get(spec, "quality"), "rules")));
    free(text);
}

/* ---- one request ---- */

/* The lake's files as views of the default schema, as --db FOLDER reads them. */
static void lake_views(duckdb_connection con, const char *folder)
{
    char sql[1400];
    snprintf(sql, sizeof(sql), "SELECT parse_filename(file, true) FROM glob('%s/*.parquet')", folder);
    duckdb_result res;
    assert_int_equal(duckdb_query(con, sql, &res), DuckDBSuccess);
    for (idx_t r = 0; r < duckdb_row_count(&res); r++) {
        char *t = duckdb_value_varchar(&res, 0, r);
        snprintf(sql, sizeof(sql), "CREATE VIEW \"%s\" AS SELECT * FROM read_parquet('%s/%s.parquet')", t, folder, t);
        exec_ok(con, sql);
        duckdb_free(t);
    }
    duckdb_destroy_result(&res);
}

static void check_request(dp_catalog *cat, const char *db_path, const char *lake, const char *request,
                          const char *dialect, int index)
{
    dp_result *res = NULL;
    dp_error err = {0};
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.record = 0;
    go.dialect = dialect;
    go.as_of = "2025-07-16";
    if (dp_generate(&res, cat, request, &go, &err))
        fail_msg("%s: %s", request, err.message);
    char dir[600], path[1200];
    snprintf(dir, sizeof(dir), "%s/out%d", tmp, index);
    if (dp_result_export(res, dir, &err))
        fail_msg("export of '%s': %s", request, err.message);
    snprintf(path, sizeof(path), "%s/spec.json", dir);
    json_t *spec = json_load_file(path, 0, NULL);
    assert_non_null(spec);
    const char *name = str(json_object_get(spec, "metadata"), "name");
    const char *target = str(json_object_get(spec, "data_model"), "target_table"), *dot = strchr(target, '.');
    assert_non_null(dot);
    snprintf(path, sizeof(path), "%s/gx/%s_suite.json", dir, name);
    json_t *gx = json_load_file(path, 0, NULL);
    assert_non_null(gx);
    snprintf(path, sizeof(path), "%s/%s.odcs.yaml", dir, name);
    json_t *odcs = NULL;
    if (dp_packaging__yaml_file_to_json(&odcs, path, &err))
        fail_msg("%s", err.message);
    printf("  %s%s%s: %zu rules\n", request, dialect ? " --dialect " : "", dialect ? dialect : "",
           json_array_size(json_object_get(json_object_get(spec, "quality"), "rules")));

    check_odcs(spec, odcs, dir, db_path);
    no_paths_no_results(gx, db_path); /* the suite names no machine path either */

    /* the product, built from the spec's DuckDB SQL (from the contract's
     * Parquet file for the PostgreSQL dialect, whose SQL is not DuckDB's) */
    scratch built, bare;
    scratch_open(&built, lake ? NULL : db_path);
    scratch_open(&bare, lake ? NULL : db_path);
    if (lake) {
        lake_views(built.con, lake);
        lake_views(bare.con, lake);
    }
    const char *tsql = str(json_object_get(spec, "transformation"), "sql");
    size_t len = strlen(tsql) + 1200;
    char *sql = malloc(len);
    assert_non_null(sql);
    if (!dialect)
        snprintf(sql, len, "CREATE TEMP TABLE exported_product AS %s", tsql);
    else
        snprintf(sql, len, "CREATE TEMP TABLE exported_product AS SELECT * FROM read_parquet('%s/data/%s.parquet')",
                 dir, dot + 1);
    exec_ok(built.con, sql);
    assert_int_equal(scalar(built.con, "SELECT count(*) FROM exported_product"),
                     json_integer_value(json_object_get(
                         json_object_get(json_object_get(spec, "transformation"), "test_run"), "rows")));
    /* deployed as dbt would: a schema of that name in a writable database */
    exec_ok(built.con, "ATTACH ':memory:' AS deployed");
    snprintf(sql, len, "CREATE SCHEMA deployed.%.*s", (int)(dot - target), target);
    exec_ok(built.con, sql);
    snprintf(sql, len, "SET search_path = '%s.main,deployed.%.*s'", lake ? "memory" : "src", (int)(dot - target),
             target);
    exec_ok(built.con, sql);
    snprintf(sql, len, "CREATE TABLE deployed.%s AS SELECT * FROM exported_product", target);
    exec_ok(built.con, sql);
    free(sql);

    check_gx(spec, gx, built.con, target);
    check_assertions(spec, dir, built.con, bare.con, dialect != NULL);
    scratch_close(&built);
    scratch_close(&bare);
    json_decref(spec);
    json_decref(gx);
    json_decref(odcs);
    dp_result_free(res);
}

typedef struct catalog_case {
    const char *dir; /* tests/data/<dir>, or NULL for the demo */
    int lake;        /* the catalog as a folder of Parquet files (one per source table) */
    const char *requests[3];
} catalog_case;

/* Writes each table of the DuckDB file's bronze schema as folder/<table>.parquet. */
static void build_lake(const char *db, const char *folder)
{
    assert_int_equal(mkdir(folder, 0755), 0);
    scratch s;
    scratch_open(&s, db);
    duckdb_result res;
    assert_int_equal(duckdb_query(s.con, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'bronze'", &res),
                     DuckDBSuccess);
    for (idx_t r = 0; r < duckdb_row_count(&res); r++) {
        char *t = duckdb_value_varchar(&res, 0, r), sql[1400];
        snprintf(sql, sizeof(sql), "COPY bronze.\"%s\" TO '%s/%s.parquet' (FORMAT parquet)", t, folder, t);
        exec_ok(s.con, sql);
        duckdb_free(t);
    }
    duckdb_destroy_result(&res);
    scratch_close(&s);
}

static void run_catalog(const catalog_case *cc, int *index)
{
    char db[600], models[1024], gloss[1024];
    dp_error err = {0};
    snprintf(db, sizeof(db), "%s/%s%s.duckdb", tmp, cc->dir ? cc->dir : "demo", cc->lake ? "_lake" : "");
    if (cc->dir) {
        char sqlpath[1024];
        snprintf(sqlpath, sizeof(sqlpath), "%s/tests/data/%s/data.sql", tu_source_dir(), cc->dir);
        snprintf(models, sizeof(models), "%s/tests/data/%s/semantic_models.yml", tu_source_dir(), cc->dir);
        snprintf(gloss, sizeof(gloss), "%s/tests/data/%s/glossary.yml", tu_source_dir(), cc->dir);
        if (dp_db_build(db, sqlpath, 1.0, &err))
            fail_msg("%s: %s", sqlpath, err.message);
    } else {
        snprintf(models, sizeof(models), "%s/catalog/demo/semantic_models.yml", tu_source_dir());
        snprintf(gloss, sizeof(gloss), "%s/catalog/demo/glossary.yml", tu_source_dir());
        if (dp_demo_build(db, 0.05, &err))
            fail_msg("demo: %s", err.message);
    }
    char lake[700];
    snprintf(lake, sizeof(lake), "%s/%s_lake", tmp, cc->dir ? cc->dir : "demo");
    if (cc->lake)
        build_lake(db, lake);
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = cc->lake ? lake : db;
    co.models_path = models;
    struct stat gst;
    co.glossary_path = stat(gloss, &gst) ? NULL : gloss;
    co.no_state = 1;
    dp_catalog *cat = NULL;
    if (dp_catalog_open(&cat, &co, &err))
        fail_msg("catalog %s: %s", cc->dir ? cc->dir : "demo", err.message);
    for (int i = 0; i < 3 && cc->requests[i]; i++) {
        check_request(cat, db, cc->lake ? lake : NULL, cc->requests[i], NULL, (*index)++);
        if (i == 0)
            check_request(cat, db, cc->lake ? lake : NULL, cc->requests[i], "postgres", (*index)++);
    }
    dp_catalog_free(cat);
}

static void test_catalogs(void **state)
{
    (void)state;
    static const catalog_case cases[] = {
        {NULL,
         0,
         {"Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
          "Daily sales by region and product category",
          "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support "
          "tickets and average satisfaction"}},
        {"hr", 0, {"Absence rate by department per quarter in 2025", "Monthly headcount by department", NULL}},
        {"logistics", 0, {"Weekly on-time delivery rate by carrier", "Top 3 carriers by shipping cost", NULL}},
        /* a time spine read by the SQL (the row-count bound counts it too) */
        {"mfspec_time", 0, {"monthly padded sales", "weekly spined sales in January 2025", NULL}},
        /* --db a folder: the export's second connection reads it and writes data/ */
        {"logistics", 1, {"Weekly on-time delivery rate by carrier", NULL, NULL}},
    };
    int index = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        run_catalog(&cases[i], &index);
}

/* The GX query text: the product as {batch}, braces doubled for
 * str.format, a bind-like ":name" escaped for SQLAlchemy's text(), casts
 * and times left alone. */
static void test_gx_query(void **state)
{
    (void)state;
    char *q =
        dp_packaging__gx_query("SELECT '{x}', a::DATE, '09:30', ':k' FROM gold.p JOIN \"s\".\"t\" ON TRUE", "gold.p");
    assert_non_null(q);
    assert_string_equal(q, "SELECT '{{x}}', a::DATE, '09:30', '\\:k' FROM {batch} JOIN \"s\".\"t\" ON TRUE");
    free(q);
    json_t *rename = json_pack("{s:s}", "s.t", "\"t\"");
    dp_sql_target t = {.temp = "gold.p", .result = "\"p\""};
    q = dp_packaging__sql_retarget_renamed("SELECT 's.t' FROM \"s\".\"t\" WHERE x IN (SELECT k FROM gold.p)", &t,
                                           rename);
    assert_string_equal(q, "SELECT 's.t' FROM \"t\" WHERE x IN (SELECT k FROM \"p\")");
    free(q);
    json_decref(rename);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gx_query),
        cmocka_unit_test(test_catalogs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

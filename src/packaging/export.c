/* dp_result_export: the spec (YAML, JSON), Markdown docs, a dbt project,
 * the Great Expectations suite, SQL assertions, written into a folder. */
#include "dpgen/dpgen.h"
#include "doc/emit.h"
#include "util/buf.h"
#include "util/error.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

json_t *dp__result_spec_tree(dp_result *res);

static int mkdirp(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *dir, const char *name, const char *text, dp_error *err)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = 0;
    if (mkdirp(path))
        return dp_error_set(err, DP_EINVALID, "%s: %s", path, strerror(errno));
    *slash = '/';
    FILE *f = fopen(path, "wb");
    if (!f)
        return dp_error_set(err, DP_EINVALID, "%s: %s", path, strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? dp_error_set(err, DP_EINVALID, "%s: write failed", path) : 0;
}

static int write_yaml(const char *dir, const char *name, const json_t *v, dp_error *err)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    dp_yaml_emit(&b, v);
    int rc = write_file(dir, name, dp_buf_cstr(&b), err);
    dp_buf_dispose(&b);
    return rc;
}

static int write_json(const char *dir, const char *name, const json_t *v, dp_error *err)
{
    char *s = dp_json_dump(v);
    int rc = s ? write_file(dir, name, s, err) : dp_error_set(err, DP_ENOMEM, "out of memory");
    free(s);
    return rc;
}

int dp_result_export(dp_result *res, const char *dir, dp_error *err)
{
    json_t *spec = dp__result_spec_tree(res);
    if (!spec)
        return dp_error_set(err, DP_EINVALID, "no spec to export");
    const char *name = json_string_value(json_object_get(json_object_get(spec, "metadata"), "name"));
    const json_t *q = json_object_get(spec, "quality");
    const json_t *tx = json_object_get(spec, "transformation");
    int rc = 0;
    char fn[512];
    if ((rc = write_file(dir, "spec.yaml", dp_result_spec(res, DP_FORMAT_YAML), err)) ||
        (rc = write_file(dir, "spec.json", dp_result_spec(res, DP_FORMAT_JSON), err)) ||
        (rc = write_file(dir, "README.md", dp_result_spec(res, DP_FORMAT_MARKDOWN), err)))
        return rc;
    /* dbt project */
    json_t *proj = json_pack("{s:s,s:s,s:i,s:s,s:[s],s:[s],s:{s:{s:{s:s}}}}", "name", name, "version", "1.0.0",
                             "config-version", 2, "profile", "dpgen", "model-paths", "models", "test-paths", "tests",
                             "models", name, "+materialized", "+materialized", "table");
    json_object_del(json_object_get(json_object_get(proj, "models"), name), "+materialized");
    json_object_set_new(json_object_get(json_object_get(proj, "models"), name), "+materialized", json_string("table"));
    rc = write_yaml(dir, "dbt/dbt_project.yml", proj, err);
    json_decref(proj);
    if (rc)
        return rc;
    snprintf(fn, sizeof(fn), "dbt/models/%s.sql", name);
    const char *sql = json_string_value(json_object_get(tx, "sql"));
    if ((rc = write_file(dir, fn, sql ? sql : "", err)))
        return rc;
    if ((rc = write_yaml(dir, "dbt/models/schema.yml", json_object_get(q, "dbt_tests"), err)))
        return rc;
    snprintf(fn, sizeof(fn), "gx/%s_suite.json", name);
    if ((rc = write_json(dir, fn, json_object_get(q, "great_expectations_suite"), err)))
        return rc;
    dp_buf b;
    dp_buf_init(&b, 0);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(q, "sql_assertions"), i, a)
        dp_buf_printf(&b, "-- %s (%s): rows returned are failures\n%s;\n\n",
                      json_string_value(json_object_get(a, "name")), json_string_value(json_object_get(a, "severity")),
                      json_string_value(json_object_get(a, "sql")));
    rc = write_file(dir, "sql/assertions.sql", dp_buf_cstr(&b), err);
    dp_buf_dispose(&b);
    return rc;
}

/* dp_result_export: a validated spec written out as files teams deploy:
 *
 *   spec.yaml, spec.json, README.md      the spec and its documentation
 *   <name>.odcs.yaml                     ODCS v3.1.0 data contract
 *   data/<object>.parquet                its local server's data (test run, sources)
 *   dbt/dbt_project.yml, packages.yml, profiles.yml, macros/
 *   dbt/models/<name>.sql                the model, sources as {{ source() }}
 *   dbt/models/schema.yml                enforced contract and generic tests
 *   dbt/models/sources.yml               sources with freshness and the source rules
 *   dbt/tests/<name>_<rule>.sql          rules no generic test reproduces exactly
 *   gx/<name>_suite.json                 Great Expectations 1.x suite
 *   airflow/<name>_dag.py                dbt deps, source freshness, build, on the SLA
 *   sql/assertions.sql                   every rule as a failing-rows query
 *   openlineage/<name>_run_event.json    OpenLineage RunEvent (COMPLETE) of the test run:
 *                                        job SQL, inputs, output, column lineage, rule results
 *
 * Every quality rule of the spec is checked by the dbt project (a generic
 * test, the contract, or a singular test with the rule's own SQL). */
#include "util/fs.h"
#include "dpgen/dpgen.h"
#include "catalog/catalog.h"
#include "orchestrator/run.h"
#include "state/state.h"
#include "doc/emit.h"
#include "packaging/airflow.h"
#include "packaging/export_int.h"
#include "packaging/odcs.h"
#include "packaging/openlineage.h"
#include "util/buf.h"
#include "util/error.h"
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

json_t *dp__result_spec_tree(dp_result *res);
struct dp_run *dp__result_run(dp_result *res);

static int safe_name(const char *s)
{
    if (!*s || strlen(s) > 63)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* The files of the export, written into dir (a fresh temporary folder). */
/* The documents and what the data export needs, from a run or a stored run. */
typedef struct export_src {
    const char *yaml, *json, *md;
    json_t *spec;
    dp_catalog *cat;
    const char *product_sql; /* DuckDB SQL of the test run; NULL: none ran */
    const char *memory_limit; /* of the data export; NULL: 2GB */
} export_src;

static int export_into(const export_src *x, const char *dir, const char *name, dp_error *err)
{
    json_t *spec = x->spec;
    char temp[128] = "", rel[PATH_MAX];
    if (dp_packaging__temp_table(temp, sizeof(temp), spec))
        temp[0] = 0;
    json_t *doc = NULL;
    char *text = NULL;
    int rc;
    if ((rc = dp_export__mkdirp(dir, err)) || (rc = dp_export__write_file(dir, "spec.yaml", x->yaml, err)) ||
        (rc = dp_export__write_file(dir, "spec.json", x->json, err)) ||
        (rc = dp_export__write_file(dir, "README.md", x->md, err)) ||
        (rc = dp_export__dbt_project(dir, spec, temp, err)))
        goto done;
    if ((rc = dp_export__openlineage(dir, spec, name, err)))
        goto done;
    snprintf(rel, sizeof(rel), "gx/%s_suite.json", name);
    rc = dp_export__write_json(dir, rel, (doc = dp_export__gx_suite(spec)), err);
    json_decref(doc);
    doc = NULL;
    if (rc)
        goto done;
    if ((rc = dp_packaging__odcs(&doc, spec, err)))
        goto done;
    snprintf(rel, sizeof(rel), "%s.odcs.yaml", name);
    if ((rc = dp_export__write_yaml(dir, rel, doc, err)) ||
        (rc = dp_export__odcs_data(dir, x->cat, x->product_sql, x->memory_limit, spec, err)))
        goto done;
    if ((rc = dp_packaging__airflow_dag(&text, spec, err)))
        goto done;
    snprintf(rel, sizeof(rel), "airflow/%s_dag.py", name);
    if ((rc = dp_export__write_file(dir, rel, text, err)))
        goto done;
    rc = dp_export__assertions(dir, spec, temp, err);
done:
    json_decref(doc);
    free(text);
    return rc;
}

/* Writes x's tree into dir, replacing it whole. */
static int export_tree(const export_src *x, const char *dir, dp_error *err)
{
    json_t *spec = x->spec;
    if (!dir || !*dir)
        return dp_error_set(err, DP_EINVALID, "no folder to export to");
    const char *name = dp_export__str(json_object_get(spec, "metadata"), "name");
    if (!safe_name(name))
        return dp_error_set(err, DP_EINVALID, "product name '%s' is not a safe file name", name);
    /* written beside dir, then renamed into place: never a partial tree */
    char tmp[PATH_MAX];
    int rc = dp_export__atomic_begin(dir, tmp, sizeof(tmp), err);
    if (rc)
        return rc;
    if ((rc = export_into(x, tmp, name, err)) || (rc = dp_export__atomic_commit(dir, tmp, err)))
        dp_export__remove_tree(tmp);
    return rc;
}

int dp_result_export(dp_result *res, const char *dir, dp_error *err)
{
    json_t *spec = dp__result_spec_tree(res);
    struct dp_run *r = dp__result_run(res);
    /* only a spec that validated has its JSON rendering */
    if (!spec || !dp_result_spec(res, DP_FORMAT_JSON))
        return dp_error_set(err, DP_EINVALID,
                            dp_result_cached(res, NULL) ? "a repeat answered from the run store has no exports here:"
                                                          " dp_run_export writes the stored run's"
                                                        : "no valid spec to export");
    export_src x = {dp_result_spec(res, DP_FORMAT_YAML),
                    dp_result_spec(res, DP_FORMAT_JSON),
                    dp_result_spec(res, DP_FORMAT_MARKDOWN),
                    spec,
                    r->cat,
                    r->exec.ran ? r->compiled.sql : NULL, r->opts.memory_limit};
    return export_tree(&x, dir, err);
}

int dp_run_export(dp_catalog *cat, const char *run_id, const char *dir, dp_error *err)
{
    if (!cat->state)
        return dp_error_set(err, DP_EINVALID, "no state: runs are not stored");
    char *json = dp_state_run_doc(cat->state, run_id, "spec.json"), *yaml = NULL, *md = NULL, *key = NULL;
    json_t *spec = NULL;
    int rc = 0;
    if (!json) {
        rc = dp_error_set(err, DP_ENOTFOUND, "no stored run '%.64s' with a spec", run_id);
        goto done;
    }
    /* the data export recomputes the product: only on the data the run saw */
    key = dp_state_run_doc(cat->state, run_id, "data_key");
    if (!key || strcmp(key, cat->data_key)) {
        rc = dp_error_set(err, DP_ESTALE,
                          "the catalog files or the data changed since run '%s': its exports would not match it;"
                          " run the request again",
                          run_id);
        goto done;
    }
    yaml = dp_state_run_doc(cat->state, run_id, "spec.yaml");
    md = dp_state_run_doc(cat->state, run_id, "README.md");
    if (!(spec = json_loads(json, 0, NULL)) || !yaml || !md) {
        rc = dp_error_set(err, DP_ERROR, "run '%s' is stored in part", run_id);
        goto done;
    }
    json_t *t = json_object_get(spec, "transformation");
    const char *sql = json_string_value(json_object_get(t, "duckdb_sql"));
    if (!sql)
        sql = json_string_value(json_object_get(t, "sql"));
    export_src x = {yaml, json, md, spec, cat, json_object_get(json_object_get(t, "test_run"), "rows") ? sql : NULL,
                    NULL};
    rc = export_tree(&x, dir, err);
done:
    json_decref(spec);
    free(json);
    free(yaml);
    free(md);
    free(key);
    return rc;
}

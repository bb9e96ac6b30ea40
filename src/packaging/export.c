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
static int export_into(dp_result *res, const char *dir, const char *name, json_t *spec, dp_error *err)
{
    char temp[128] = "", rel[PATH_MAX];
    if (dp_packaging__temp_table(temp, sizeof(temp), spec))
        temp[0] = 0;
    json_t *doc = NULL;
    char *text = NULL;
    int rc;
    if ((rc = dp_export__mkdirp(dir, err)) ||
        (rc = dp_export__write_file(dir, "spec.yaml", dp_result_spec(res, DP_FORMAT_YAML), err)) ||
        (rc = dp_export__write_file(dir, "spec.json", dp_result_spec(res, DP_FORMAT_JSON), err)) ||
        (rc = dp_export__write_file(dir, "README.md", dp_result_spec(res, DP_FORMAT_MARKDOWN), err)) ||
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
        (rc = dp_export__odcs_data(dir, dp__result_run(res), spec, err)))
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

int dp_result_export(dp_result *res, const char *dir, dp_error *err)
{
    json_t *spec = dp__result_spec_tree(res);
    /* only a spec that validated has its JSON rendering */
    if (!spec || !dp_result_spec(res, DP_FORMAT_JSON))
        return dp_error_set(err, DP_EINVALID, "no valid spec to export");
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
    if ((rc = export_into(res, tmp, name, spec, err)) || (rc = dp_export__atomic_commit(dir, tmp, err)))
        dp_export__remove_tree(tmp);
    return rc;
}

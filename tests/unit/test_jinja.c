/* Unit tests: the Jinja dbt renders in semantic-model YAML (ref, var,
 * env_var), MetricFlow's templates left alone, everything else refused with
 * where it is; dbt_project.yml reading; ref('package', 'name'). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "catalog/dbt_project.h"
#include "catalog/jinja.h"
#include "doc/node.h"

static const char *fake_env(const char *name, void *payload)
{
    (void)payload;
    return !strcmp(name, "DP_TEST_SET") ? "from-env" : NULL;
}

static const dp_jinja_var vars[] = {{"threshold", "30"}, {"label", "EUR"}, {"listy", NULL}, {"macro", "{{ now() }}"}};
static const dp_jinja_var docs[] = {{"orders", "One row per order."}};
static const dp_jinja_ctx ctx = {vars, 4, fake_env, NULL, docs, 1};
static const dp_src_pos here = {"f.yml", 7, 9};

static const char *render(dp_arena *a, const char *text, dp_jinja_where w, dp_error *err, int *rc)
{
    const char *out = NULL;
    *rc = dp_jinja_render(&out, a, text, w, &ctx, here, err);
    return out;
}

static void renders_dbt_calls(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    int rc;
    const char *plain = "amount * 2";
    assert_ptr_equal(render(a, plain, DP_JINJA_VALUE, &err, &rc), plain); /* nothing to do: no copy */
    assert_string_equal(render(a, "x >= {{ var('threshold') }}", DP_JINJA_VALUE, &err, &rc), "x >= 30");
    assert_string_equal(render(a, "x >= {{ var('threshold', 50) }}", DP_JINJA_VALUE, &err, &rc), "x >= 30");
    assert_string_equal(render(a, "x >= {{var(\"absent\", '50')}}", DP_JINJA_VALUE, &err, &rc), "x >= 50");
    assert_string_equal(render(a, "in {{ var('label') }}.", DP_JINJA_VALUE, &err, &rc), "in EUR.");
    assert_string_equal(render(a, "{{ env_var('DP_TEST_SET') }}", DP_JINJA_VALUE, &err, &rc), "from-env");
    assert_string_equal(render(a, "{{ env_var('DP_TEST_UNSET', 'dflt') }}", DP_JINJA_VALUE, &err, &rc), "dflt");
    /* white space control */
    assert_string_equal(render(a, "a   {{- var('label') -}}   b", DP_JINJA_VALUE, &err, &rc), "aEURb");
    /* ref() where the model is named becomes the loader's ref() */
    assert_string_equal(render(a, "{{ ref('orders') }}", DP_JINJA_MODEL, &err, &rc), "ref('orders')");
    assert_string_equal(render(a, "{{ ref(\"pkg\", \"x\") }}", DP_JINJA_MODEL, &err, &rc), "ref('pkg', 'x')");
    dp_arena_free(a);
}

static void keeps_metricflow_templates(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    int rc;
    const char *f = "{{ Dimension('e__d') }} = 'x' AND {{ TimeDimension('metric_time', 'day') }} > '2024-01-01'";
    assert_ptr_equal(render(a, f, DP_JINJA_FILTER, &err, &rc), f);
    assert_int_equal(rc, 0);
    const char *g = "{{ Entity('e') }} IS NOT NULL AND {{ Metric('m', group_by=['e']) }} > 2";
    assert_ptr_equal(render(a, g, DP_JINJA_FILTER, &err, &rc), g);
    /* a template beside a var outside a filter: the var renders, the template stays */
    assert_string_equal(render(a, "{{ Dimension('e__d') }} > {{ var('threshold') }}", DP_JINJA_VALUE, &err, &rc),
                        "{{ Dimension('e__d') }} > 30");
    dp_arena_free(a);
}

static void refuses_the_rest(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    int rc;
    struct {
        const char *text, *want;
        dp_jinja_where w;
    } cases[] = {
        {"{{ adapter.quote('x') }}", "f.yml:7:9: Jinja '{{ adapter.quote('x') }}' is not supported; dbt parse renders it", DP_JINJA_VALUE},
        {"{{ doc('orders') }}", "is not supported in a filter", DP_JINJA_FILTER},
        {"{% if x %}a{% endif %}", "Jinja '{% if x %}' is not supported", DP_JINJA_VALUE},
        {"{# note #}", "Jinja '{# note #}' is not supported", DP_JINJA_VALUE},
        {"{{ var('threshold') | int }}", "is not supported", DP_JINJA_VALUE},
        {"{{ var(name) }}", "is not supported", DP_JINJA_VALUE},
        {"{{ ref('x') }}", "is not supported", DP_JINJA_VALUE},
        {"{{ ref('x', v=2) }}", "is not supported", DP_JINJA_MODEL},
        {"x = {{ var('threshold') }}", "is not supported in a filter: dbt leaves filters to MetricFlow", DP_JINJA_FILTER},
        {"{{ var('absent') }}", "var 'absent' is not defined in dbt_project.yml vars and has no default", DP_JINJA_VALUE},
        {"{{ env_var('DP_TEST_UNSET') }}", "environment variable 'DP_TEST_UNSET' is not set", DP_JINJA_VALUE},
        {"{{ var('listy') }}", "is a list or mapping", DP_JINJA_VALUE},
        {"{{ var('macro') }}", "var 'macro' holds Jinja", DP_JINJA_VALUE},
        {"{{ var('threshold')", "is not supported", DP_JINJA_VALUE},
        {"{{ env_var('DBT_ENV_SECRET_TOKEN', 'x') }}", "secret variables (DBT_ENV_SECRET*) are not read", DP_JINJA_VALUE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        memset(&err, 0, sizeof(err));
        render(a, cases[i].text, cases[i].w, &err, &rc);
        if (rc != DP_EINVALID || !strstr(err.message, cases[i].want))
            fail_msg("%s: rc %d, message '%s', want '%s'", cases[i].text, rc, err.message, cases[i].want);
    }
    dp_arena_free(a);
}

/* Every prefix of a text full of constructs renders or is refused; none
 * reads past its end (valgrind, ASan). */
static void prefixes(void **state)
{
    (void)state;
    const char *t = "a {{- var('label', \"x}}\") -}} b {{ Dimension('e__d') }} {% if %} {{ env_var('DP_TEST_SET') }}"
                    " {{ ref('p', 'm') }} {# c #} {{ var('threshold', -1.5) }} {{";
    size_t n = strlen(t);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    dp_arena *a = dp_arena_new(0);
    for (size_t k = 0; k <= n; k++) {
        memcpy(buf, t, k);
        buf[k] = 0;
        for (int w = 0; w < 3; w++) {
            dp_error err = {0};
            const char *out = NULL;
            int rc = dp_jinja_render(&out, a, buf, (dp_jinja_where)w, &ctx, here, &err);
            assert_true(rc == 0 || (rc == DP_EINVALID && err.message[0]));
            if (rc == 0)
                assert_non_null(out);
        }
    }
    free(buf);
    dp_arena_free(a);
}

/* The construct's own line and column, found in the file, not the scalar's. */
static void locates_in_the_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/dpjinjaXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/m.yml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("metrics:\n  - name: m\n    expr: |\n      first line\n      then {{ adapter.quote('m') }} here\n", f);
    fclose(f);
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    dp_node *doc;
    assert_int_equal(dp_yaml_load_file(&doc, a, path, &err), 0);
    const dp_node *out;
    assert_int_equal(dp_jinja_render_doc(&out, a, doc, &ctx, path, &err), DP_EINVALID);
    char want[300];
    snprintf(want, sizeof(want), "%s:5:12: Jinja '{{ adapter.quote('m') }}'", path);
    assert_non_null(strstr(err.message, want));
    unlink(path);
    rmdir(dir);
    dp_arena_free(a);
}

static void renders_only_semantic_sections(void **state)
{
    (void)state;
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    dp_node *doc;
    const char *t = "models:\n  - name: x\n    description: '{{ doc(\"orders\") }} {{ doc(\"absent\") }}{% if x %}'\n"
                    "    data_tests: [{expression_is_true: {expression: \"{{ adapter.quote('a') }} > 0\", config: {where: \"{{ now() }}\"}}}]\n"
                    "semantic_models:\n  - name: s\n    model: \"{{ ref('x') }}\"\n"
                    "    measures:\n      - {name: n, agg: sum, expr: \"a > {{ var('threshold') }}\"}\n"
                    "metrics:\n  - name: m\n    filter: \"{{ Dimension('s__d') }} = 1\"\n";
    assert_int_equal(dp_yaml_parse(&doc, a, "t.yml", t, strlen(t), &err), 0);
    const dp_node *out;
    assert_int_equal(dp_jinja_render_doc(&out, a, doc, &ctx, "t.yml", &err), 0);
    assert_ptr_not_equal(out, doc);
    const dp_node *sm = dp_node_get(out, "semantic_models")->items[0];
    assert_string_equal(dp_node_str(sm, "model"), "ref('x')");
    assert_string_equal(dp_node_str(dp_node_get(sm, "measures")->items[0], "expr"), "a > 30");
    /* dbt's models: properties render as documentation: doc() is the docs
     * block (nothing for one the project lacks), the rest is left out */
    assert_string_equal(dp_node_str(dp_node_get(out, "models")->items[0], "description"), "One row per order. ");
    assert_ptr_equal(dp_node_get(out, "metrics"), dp_node_get(doc, "metrics"));
    /* the source tree is not changed */
    assert_string_equal(dp_node_str(dp_node_get(doc, "semantic_models")->items[0], "model"), "{{ ref('x') }}");
    dp_arena_free(a);
}

static void project_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/dpprojXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/dbt_project.yml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("name: proj\nmodel-paths: [\"sm\", \"more/models\"]\nvars:\n  a: '1'\n  b: [1, 2]\n  c: yes\n  d: 'yes'\n"
          "  proj:\n    a: '2'\n", f);
    fclose(f);
    dp_arena *a = dp_arena_new(0);
    dp_error err = {0};
    dp_dbt_project *p;
    assert_true(dp_dbt_project_is(dir));
    assert_int_equal(dp_dbt_project_open(&p, dir, a, &err), 0);
    assert_string_equal(p->name, "proj");
    assert_int_equal(p->nmodel_paths, 2);
    char want[300];
    snprintf(want, sizeof(want), "%s/more/models", dir);
    assert_string_equal(p->model_paths[1], want);
    /* the project's own scope first: var('a') is 2 */
    assert_int_equal(p->nvars, 5); /* proj.a, a, b, c, d */
    assert_string_equal(p->vars[0].name, "a");
    assert_string_equal(p->vars[0].value, "2");
    /* YAML 1.1 booleans as dbt's Jinja writes them; a quoted word stays */
    for (size_t i = 0; i < p->nvars; i++) {
        if (!strcmp(p->vars[i].name, "b"))
            assert_null(p->vars[i].value);
        if (!strcmp(p->vars[i].name, "c"))
            assert_string_equal(p->vars[i].value, "True");
        if (!strcmp(p->vars[i].name, "d"))
            assert_string_equal(p->vars[i].value, "yes");
    }
    assert_null(p->semantic_manifest);
    assert_null(p->manifest);
    unlink(path);
    assert_false(dp_dbt_project_is(dir));
    assert_int_equal(dp_dbt_project_open(&p, dir, a, &err), DP_ENOTFOUND);
    rmdir(dir);
    const char *nm, *pkg, *ver;
    assert_int_equal(dp_dbt__ref_parts(a, "ref('pkg', 'x')", &nm, &pkg, &ver), 0);
    assert_string_equal(nm, "x");
    assert_string_equal(pkg, "pkg");
    assert_null(ver);
    assert_int_equal(dp_dbt__ref_parts(a, "ref(\"x\")", &nm, &pkg, &ver), 0);
    assert_string_equal(nm, "x");
    assert_null(pkg);
    /* a version is not the name (ref('x', v='2') is model x, version 2) */
    assert_int_equal(dp_dbt__ref_parts(a, "ref('x', v='2')", &nm, &pkg, &ver), 0);
    assert_string_equal(nm, "x");
    assert_string_equal(ver, "2");
    assert_int_equal(dp_dbt__ref_parts(a, "ref('p', 'x', version=3)", &nm, &pkg, &ver), 0);
    assert_string_equal(nm, "x");
    assert_string_equal(pkg, "p");
    assert_string_equal(ver, "3");
    assert_int_equal(dp_dbt__ref_parts(a, "x", &nm, &pkg, &ver), -1);
    assert_int_equal(dp_dbt__ref_parts(a, "ref(x)", &nm, &pkg, &ver), -1);
    dp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_dbt_calls),     cmocka_unit_test(keeps_metricflow_templates),
        cmocka_unit_test(refuses_the_rest),      cmocka_unit_test(locates_in_the_file),
        cmocka_unit_test(renders_only_semantic_sections), cmocka_unit_test(project_file),
        cmocka_unit_test(prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

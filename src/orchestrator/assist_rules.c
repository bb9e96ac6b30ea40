/* Language-model drafts, asked only with opts.llm and opts.llm_draft
 * (docs/llm.md): one call gets the product's columns (name, type, role,
 * description) and the rules the quality stage built, and answers with
 * conditions every row should meet and a draft of the product's
 * description. A condition is kept only when it passes the catalog
 * expression allow-list, names only the product's columns, is true/false
 * and runs on the test result; it then becomes a business_logic rule run,
 * recorded and exported like the others, marked proposed_by llm. A
 * dropped one is a warning with its reason. The draft never replaces the
 * deterministic description. */
#include "orchestrator/run.h"
#include "transform/result_table.h"
#include "quality/quality_int.h"
#include "catalog/db.h"
#include "llm/llm.h"
#include "sql/check.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/fs.h"
#include "util/ident.h"
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DRAFT_RULES 5         /* conditions a model may propose */
#define DRAFT_DESC_MAX 600    /* bytes of a drafted description kept */
#define DRAFT_COND_MAX 2000   /* bytes of a condition taken */
#define DRAFT_TEXT_MAX 300    /* bytes of a proposed rule's name or description kept */
#define DRAFT_PROMPT_RULES 60 /* existing rules shown */

static const char *SYSTEM =
    "You review a data product: a table whose columns are listed with their types, roles and descriptions, and "
    "the quality rules it already has. Propose at most 5 business-logic rules the existing rules miss, each a "
    "SQL boolean condition that must hold for every row of the table, naming only the listed columns by their "
    "bare names, with operators, CASE, COALESCE and common scalar functions only (no subquery, no other table, "
    "no aggregate). Also draft a short description of the product (at most 3 sentences) for its "
    "documentation. Answer as JSON.";

/* s on one line, at most n bytes, in the run's arena (messages stay one line). */
static const char *one_line(dp_run *r, const char *s, size_t n)
{
    char *o = dp_arena_printf(r->a, "%.*s", (int)dp_utf8_cut(s, n), s);
    for (char *p = o; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return o ? o : "";
}

static json_t *answer_schema(void)
{
    json_t *item = json_pack("{s:s,s:{s:{s:s},s:{s:s},s:{s:s,s:[ss]},s:{s:s}},s:[ssss],s:b}", "type", "object",
                             "properties", "name", "type", "string", "description", "type", "string", "severity",
                             "type", "string", "enum", "warn", "error", "condition", "type", "string", "required",
                             "name", "description", "severity", "condition", "additionalProperties", 0);
    return item ? json_pack("{s:s,s:{s:{s:s},s:{s:s,s:I,s:o}},s:[ss],s:b}", "type", "object", "properties",
                            "description", "type", "string", "rules", "type", "array", "maxItems",
                            (json_int_t)DRAFT_RULES, "items", item, "required", "description", "rules",
                            "additionalProperties", 0)
                : NULL;
}

/* The prompt: the request, the product, its columns and its rules. */
static char *prompt(const dp_run *r)
{
    static const char *roles[] = {"time", "dimension", "entity", "metric", "measure", "attribute"};
    const dp_design *dz = &r->design;
    json_t *cols = json_array(), *rules = json_array();
    for (size_t i = 0; i < dz->ncols; i++) {
        const dp_target_col *c = &dz->cols[i];
        const char *d = c->description ? c->description : "";
        json_array_append_new(cols, json_pack("{s:s,s:s,s:s,s:s%}", "name", c->name, "type", c->type, "role",
                                              roles[c->role], "description", d, dp_utf8_cut(d, DRAFT_TEXT_MAX)));
    }
    size_t i;
    json_t *x;
    json_array_foreach(r->rules, i, x) {
        if (i >= DRAFT_PROMPT_RULES)
            break;
        /* the prompt stays small: a description's or definition's first bytes */
        const char *rd = json_string_value(json_object_get(x, "description"));
        const char *rf = json_string_value(json_object_get(x, "definition"));
        rd = rd ? rd : "";
        rf = rf ? rf : "";
        json_array_append_new(rules, json_pack("{s:O,s:O,s:s%,s:s%}", "type", json_object_get(x, "type"), "column",
                                               json_object_get(x, "column"), "description", rd,
                                               dp_utf8_cut(rd, DRAFT_TEXT_MAX), "definition", rf,
                                               dp_utf8_cut(rf, DRAFT_TEXT_MAX)));
    }
    json_t *msg =
        json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "request", r->request, "product", dz->name, "grain", dz->grain_text,
                  "description", dz->description ? dz->description : "", "columns", cols, "rules", rules);
    char *out = msg ? json_dumps(msg, JSON_INDENT(1)) : NULL;
    json_decref(msg);
    return out;
}

/* Every column the condition names is a column of the product (on its
 * PostgreSQL parse, after dp_sql_check_expr took it: bare names only).
 * NULL, or the first name that is not. */
static const char *foreign_column(dp_run *r, json_t *v)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            const char *bad = foreign_column(r, c);
            if (bad)
                return bad;
        }
    } else if (json_is_object(v)) {
        json_t *ref = json_object_get(v, "ColumnRef");
        if (ref) {
            json_t *f = json_array_get(json_object_get(ref, "fields"), 0);
            const char *name = json_string_value(json_object_get(json_object_get(f, "String"), "sval"));
            for (size_t k = 0; name && k < r->design.ncols; k++)
                if (!strcasecmp(r->design.cols[k].name, name))
                    return NULL;
            return name ? dp_arena_strdup(r->a, name) : "?";
        }
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            const char *bad = foreign_column(r, c);
            if (bad)
                return bad;
        }
    }
    return NULL;
}

static int names_only_product(dp_run *r, const char *cond, const char **why)
{
    if (dp_is_identifier(cond)) { /* the allow-list takes one bare name without parsing it */
        json_t *one = json_pack("{s:{s:[{s:{s:s}}]}}", "ColumnRef", "fields", "String", "sval", cond);
        const char *bad = foreign_column(r, one);
        json_decref(one);
        if (bad)
            *why = dp_arena_printf(r->a, "names '%s', which is not a column of the product", one_line(r, bad, 80));
        return bad ? -1 : 0;
    }
    char *sql = malloc(strlen(cond) + 8);
    if (!sql)
        return -1;
    memcpy(sql, "SELECT ", 7);
    memcpy(sql + 7, cond, strlen(cond) + 1);
    PgQueryParseResult pr = pg_query_parse(sql);
    free(sql);
    json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
    pg_query_free_parse_result(pr);
    if (!tree) {
        *why = "does not parse";
        return -1;
    }
    const char *bad = foreign_column(r, tree);
    json_decref(tree);
    if (bad)
        *why = dp_arena_printf(r->a, "names '%s', which is not a column of the product", one_line(r, bad, 80));
    return bad ? -1 : 0;
}

static int read_text(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    char *out = payload;
    snprintf(out, 64, "%s", ncols && vals[0] ? vals[0] : "");
    return 1;
}

/* msg with the run's temporary table named as the product's table. */
static const char *as_product(dp_run *r, const char *msg)
{
    const char *t = r->exec.table, *out = "", *p = msg, *hit;
    while (t && *t && (hit = strstr(p, t)) && out) {
        out = dp_arena_printf(r->a, "%s%.*s%s", out, (int)(hit - p), p, r->design.table);
        p = hit + strlen(t);
    }
    out = out ? dp_arena_printf(r->a, "%s%s", out, p) : NULL;
    return out ? out : msg;
}

/* The condition on the test result: true/false, and it runs. 0, or -1 with why. */
static int runs_on_result(dp_run *r, const char *cond, const char **why)
{
    const char *t = r->exec.table;
    /* its type, even on an empty result: the union with NULL keeps it */
    const char *typed = dp_arena_printf(
        r->a, "SELECT typeof(dp_c) FROM ((SELECT (%s) AS dp_c FROM %s LIMIT 0) UNION ALL (SELECT NULL)) AS dp_u", cond,
        t);
    const char *count = dp_arena_printf(r->a, "SELECT count(*) FROM %s WHERE NOT (%s)", t, cond);
    char type[64] = "", n[64] = "";
    dp_error e = {0};
    if (!typed || !count)
        return *why = "out of memory", -1;
    if (dp_db_query(r->con, typed, dp_run_remaining_ms(r), read_text, type, &e) ||
        dp_db_query(r->con, count, dp_run_remaining_ms(r), read_text, n, &e)) {
        *why = dp_arena_printf(r->a, "does not run on the product (%s)", one_line(r, as_product(r, e.message), 240));
        return -1;
    }
    if (strcmp(type, "BOOLEAN")) {
        *why = dp_arena_printf(r->a, "is not a true/false condition (it gives %s)", *type ? type : "nothing");
        return -1;
    }
    return 0;
}

/* The condition on one line: line breaks and tabs outside quotes are
 * spaces (the same SQL; exports and tables show it on one line). */
static const char *flat(dp_run *r, const char *cond)
{
    char *o = dp_arena_strdup(r->a, cond), quote = 0;
    for (char *p = o; p && *p; p++) {
        if (quote && *p == quote)
            quote = 0;
        else if (!quote && (*p == '\'' || *p == '"'))
            quote = *p;
        else if (!quote && (*p == '\n' || *p == '\r' || *p == '\t'))
            *p = ' ';
    }
    return o ? o : cond;
}

/* One proposed rule: checked, then added to the stage's rules. 1 kept, 0
 * dropped (why set). */
static int take_rule(qctx *q, json_t *p, const char **why)
{
    dp_run *r = q->r;
    const char *name = json_string_value(json_object_get(p, "name"));
    const char *desc = json_string_value(json_object_get(p, "description"));
    const char *sev = json_string_value(json_object_get(p, "severity"));
    const char *cond = json_string_value(json_object_get(p, "condition"));
    dp_error e = {0};
    while (cond && (*cond == ' ' || *cond == '\n' || *cond == '\t'))
        cond++;
    if (!cond || !*cond)
        return *why = "has no condition", 0;
    if (strlen(cond) > DRAFT_COND_MAX)
        return *why = dp_arena_printf(r->a, "is longer than %d bytes", DRAFT_COND_MAX), 0;
    cond = flat(r, cond);
    if (dp_sql_check_expr(cond, &e))
        return *why = dp_arena_printf(r->a, "%s", one_line(r, e.message, 240)), 0;
    if (names_only_product(r, cond, why) || runs_on_result(r, cond, why))
        return 0;
    size_t before = json_array_size(r->rules);
    const char *ds = r->disc.nselected ? r->disc.selected[0]->name : "";
    const char *text =
        dp_arena_printf(r->a, "%s: %s (proposed by the language model, checked on the test result)",
                        one_line(r, name && *name ? name : "rule", 80), one_line(r, desc ? desc : "", DRAFT_TEXT_MAX));
    /* each row meets the condition; the failing rows are those that do not
     * (a NULL condition is not a failure, as in dbt's expression_is_true) */
    dp_quality__add_rule(q, "llm_condition", NULL, sev && !strcmp(sev, "error") ? "error" : "warn", "business_logic",
                         ds, text, cond, dp_arena_printf(r->a, "SELECT * FROM %s WHERE NOT (%s)", r->exec.table, cond),
                         NULL,
                         json_pack("{s:{s:{s:s}}}", "dbt_utils.expression_is_true", "arguments", "expression", cond));
    if (json_array_size(r->rules) == before)
        return *why = "repeats a rule already there", 0;
    json_t *rule = json_array_get(r->rules, before);
    json_object_set_new(rule, "proposed_by", json_string("llm"));
    return 1;
}

void dp_orch__assist_rules(qctx *q)
{
    dp_run *r = q->r;
    dp_error terr = {0};
    if (!r->opts.llm || !r->opts.llm_draft || !r->exec.table || dp_transform_result_table(r, &terr))
        return; /* only when a model is configured and asked for drafts (and the result is a table its
                 * conditions are tried on) */
    char *user = prompt(r);
    json_t *schema = answer_schema();
    dp_llm_call call = {0};
    call.purpose = "rules";
    call.system = SYSTEM;
    call.user = user;
    call.schema_name = "rules";
    call.schema = schema;
    /* retries included, no longer than the model's own timeout or the run's
     * budget, whichever is longer: a short --timeout is for the checks */
    long budget = dp_run_budget_ms(r);
    call.time_left_ms = r->opts.llm->timeout_ms > budget ? r->opts.llm->timeout_ms : budget;
    dp_error e = {0};
    double t0 = dp_now_ms();
    int rc =
        user && schema ? dp_llm__chat(r->opts.llm, &r->llm, &call, &e) : dp_error_set(&e, DP_ENOMEM, "out of memory");
    /* the model's time is its own (DPGEN_LLM_TIMEOUT), not the checks' budget */
    if (r->deadline_ms)
        r->deadline_ms += dp_now_ms() - t0;
    if (rc) {
        dp_run_warning(r, "the language model drafted no rules or description (%s)", e.message);
        goto done;
    }
    size_t kept = 0, dropped = 0, i;
    const char *ids = "", *last_why = NULL;
    json_t *p;
    json_array_foreach(json_object_get(call.answer, "rules"), i, p) {
        const char *why = NULL;
        const char *cond = json_string_value(json_object_get(p, "condition"));
        if (take_rule(q, p, &why)) {
            kept++;
            const char *id =
                json_string_value(json_object_get(json_array_get(r->rules, json_array_size(r->rules) - 1), "id"));
            ids = dp_arena_printf(r->a, "%s%s%s", ids, *ids ? ", " : "", id ? id : "?");
            dp_run_decision(r, "rule %s: the language model's condition %s kept (checked on the test result)",
                            id ? id : "?", one_line(r, cond, 200));
            continue;
        }
        dropped++;
        last_why = dp_arena_printf(r->a, "'%s' %s", one_line(r, cond ? cond : "", 120), why ? why : "failed a check");
        const char *name = json_string_value(json_object_get(p, "name"));
        dp_run_warning(r, "the language model's rule '%s' was dropped: the condition %s",
                       one_line(r, name ? name : "", 80), last_why);
    }
    const char *d = json_string_value(json_object_get(call.answer, "description"));
    while (d && (*d == ' ' || *d == '\n' || *d == '\t'))
        d++;
    if (d && *d) {
        size_t n = dp_utf8_cut(d, DRAFT_DESC_MAX), whole = strlen(d);
        int was_cut = n < whole;
        while (n && (d[n - 1] == ' ' || d[n - 1] == '\n' || d[n - 1] == '\t'))
            n--;
        r->description_draft = dp_arena_printf(r->a, "%.*s", (int)n, d);
        if (was_cut)
            dp_run_warning(r, "the language model's description was cut at %d bytes", DRAFT_DESC_MAX);
        dp_run_decision(r, "the language model drafted a description: business_context.description_draft "
                           "(the deterministic description is kept)");
    }
    const char *detail =
        dp_arena_printf(r->a, "%zu rule(s) kept%s%s, %zu dropped%s%s%s", kept, kept ? ": " : "", ids, dropped,
                        last_why ? " (last: " : "", last_why ? last_why : "", last_why ? ")" : "");
    dp_llm__outcome(&r->llm,
                    kept || r->description_draft ? (dropped ? "accepted in part" : "accepted")
                    : dropped                    ? "rejected"
                                                 : "no reading",
                    detail);
    json_decref(call.answer);
done:
    free(user);
    json_decref(schema);
}

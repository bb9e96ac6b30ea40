/* The ODCS v3.1.0 data contract of a spec, and SQL rewritten for where it
 * runs: the deployed target table, or a dbt project (ref and source). */
#include "packaging/odcs.h"
#include "packaging/airflow.h"
#include "util/buf.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* ---- SQL rewriting ---- */

static int ident_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int ident_char(unsigned char c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/* Copies text; in dbt mode "{{", "{%" and "{#" become Jinja string
 * expressions so dbt prints them instead of evaluating them. */
static int put_text(dp_buf *b, const char *s, size_t n, int dbt)
{
    for (size_t i = 0; i < n; i++) {
        if (dbt && s[i] == '{' && i + 1 < n && strchr("{%#", s[i + 1])) {
            if (dp_buf_printf(b, "{{ '{%c' }}", s[i + 1]))
                return -1;
            i++;
            continue;
        }
        if (dp_buf_putc(b, s[i]))
            return -1;
    }
    return 0;
}

/* One identifier at *pp (bare or "quoted"); its value (unquoted) goes to
 * val. Returns 0, or -1 when it is longer than the buffer (then it is only
 * skipped). */
static int read_ident(const char **pp, char *val, size_t n, int *quoted)
{
    const char *p = *pp;
    size_t len = 0;
    int fits = 1;
    *quoted = *p == '"';
    if (*quoted) {
        p++;
        while (*p) {
            if (*p == '"') {
                if (p[1] != '"')
                    break;
                p++;
            }
            if (len + 1 < n)
                val[len++] = *p;
            else
                fits = 0;
            p++;
        }
        if (*p == '"')
            p++;
    } else {
        while (ident_char((unsigned char)*p)) {
            if (len + 1 < n)
                val[len++] = *p;
            else
                fits = 0;
            p++;
        }
    }
    val[len] = 0;
    *pp = p;
    return fits ? 0 : -1;
}

static void note_table(json_t *tables, const char *schema, const char *table)
{
    if (!tables)
        return;
    char *qn = NULL;
    size_t n = strlen(schema) + strlen(table) + 2;
    if (!(qn = malloc(n)))
        return;
    snprintf(qn, n, "%s.%s", schema, table);
    size_t i;
    json_t *v;
    int dup = 0;
    json_array_foreach(tables, i, v) dup |= !strcmp(json_string_value(v), qn);
    if (!dup)
        json_array_append_new(tables, json_string(qn));
    free(qn);
}

static int safe_jinja_arg(const char *s) { return *s && !strpbrk(s, "'\\{}%#\n\r"); }

char *dp_packaging__sql_retarget(const char *sql, const dp_sql_target *t)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const char *p = sql ? sql : "";
    size_t tlen = t->temp ? strlen(t->temp) : 0;
    int after_from = 0, bad = 0;
    /* FROM names a table only in a query: at the top, or in parentheses
     * that open with SELECT or WITH (not in EXTRACT(x FROM y), nor in
     * IS [NOT] DISTINCT FROM) */
    enum { PAREN_UNKNOWN, PAREN_QUERY, PAREN_OTHER };
    unsigned char parens[64];
    size_t depth = 0;
    char prev[16] = "";
    while (*p && !bad) {
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
            const char *e = p[0] == '-' ? strchr(p, '\n') : strstr(p + 2, "*/");
            size_t n = e ? (size_t)(e - p) + (p[0] == '/' ? 2 : 0) : strlen(p);
            bad = put_text(&b, p, n, t->dbt);
            p += n;
            continue;
        }
        if (depth && depth <= sizeof(parens) && parens[depth - 1] == PAREN_UNKNOWN && !isspace((unsigned char)*p) &&
            *p != '"' && !ident_start((unsigned char)*p))
            parens[depth - 1] = PAREN_OTHER;
        if (*p == '\'') {
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            /* the literal, with the result table's name replaced inside it */
            for (const char *q = s; q < p && !bad;) {
                if (tlen && t->result_literal && !strncmp(q, t->temp, tlen) && q + tlen <= p &&
                    !ident_char((unsigned char)q[tlen]) && (q == s || !ident_char((unsigned char)q[-1]))) {
                    bad = put_text(&b, t->result_literal, strlen(t->result_literal), t->dbt);
                    q += tlen;
                } else {
                    size_t n = q + 1 < p && q[0] == '{' && strchr("{%#", q[1]) ? 2 : 1;
                    bad = put_text(&b, q, n, t->dbt);
                    q += n;
                }
            }
            after_from = 0;
            continue;
        }
        if (*p == '"' || ident_start((unsigned char)*p)) {
            const char *s = p;
            char a[256], c[256];
            int qa, qc;
            int fa = read_ident(&p, a, sizeof(a), &qa);
            if (*p == '.' && (p[1] == '"' || ident_start((unsigned char)p[1]))) {
                const char *q = p + 1;
                int fc = read_ident(&q, c, sizeof(c), &qc);
                int three = *q == '.';
                if (depth && depth <= sizeof(parens) && parens[depth - 1] == PAREN_UNKNOWN)
                    parens[depth - 1] = PAREN_OTHER;
                char qual[520];
                snprintf(qual, sizeof(qual), "%s.%s", a, c);
                if (!three && !qa && !qc && tlen && !strcmp(qual, t->temp)) { /* the product itself */
                    bad = put_text(&b, t->result, strlen(t->result), 0);
                    p = q;
                    after_from = 0;
                    continue;
                }
                if (after_from && !three && !fa && !fc) {
                    note_table(t->tables, a, c);
                    if (t->dbt && safe_jinja_arg(a) && safe_jinja_arg(c)) {
                        bad = dp_buf_printf(&b, "{{ source('%s', '%s') }}", a, c);
                        p = q;
                        after_from = 0;
                        continue;
                    }
                }
                bad = put_text(&b, s, (size_t)(q - s), t->dbt);
                p = q;
                after_from = 0;
                continue;
            }
            if (!qa && !fa && tlen && !strcmp(a, t->temp))
                bad = put_text(&b, t->result, strlen(t->result), 0);
            else
                bad = put_text(&b, s, (size_t)(p - s), t->dbt);
            unsigned char *top = depth && depth <= sizeof(parens) ? &parens[depth - 1] : NULL;
            int in_query = !depth || (top && *top == PAREN_QUERY);
            if (top && *top == PAREN_UNKNOWN)
                *top = !qa && (!strcasecmp(a, "select") || !strcasecmp(a, "with")) ? PAREN_QUERY : PAREN_OTHER;
            after_from = !qa && in_query &&
                         ((!strcasecmp(a, "from") && strcasecmp(prev, "distinct")) || !strcasecmp(a, "join"));
            snprintf(prev, sizeof(prev), "%s", qa ? "" : a);
            continue;
        }
        if (*p == '(') {
            if (depth < sizeof(parens))
                parens[depth] = PAREN_UNKNOWN;
            depth++;
        } else if (*p == ')' && depth) {
            depth--;
        }
        if (!isspace((unsigned char)*p)) {
            after_from = 0;
            prev[0] = 0;
        }
        bad = put_text(&b, p, 1, t->dbt);
        p++;
    }
    if (bad || b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

/* The name the spec's rules use for the product's table: the target table
 * (the run checked them on its temporary copy). */
int dp_packaging__temp_table(char *out, size_t n, const json_t *spec)
{
    const char *target = str(json_object_get(spec, "data_model"), "target_table");
    if (!*target || snprintf(out, n, "%s", target) >= (int)n)
        return -1;
    return 0;
}

/* ---- the contract ---- */

static const char *logical_type(const char *type)
{
    char up[64];
    size_t i = 0;
    for (; type[i] && i + 1 < sizeof(up); i++)
        up[i] = (char)toupper((unsigned char)type[i]);
    up[i] = 0;
    size_t len = strlen(up);
    if (len >= 2 && !strcmp(up + len - 2, "[]"))
        return "array";
    if (!strncmp(up, "STRUCT", 6) || !strncmp(up, "MAP", 3))
        return "object";
    if (!strcmp(up, "DATE"))
        return "date";
    if (!strncmp(up, "TIMESTAMP", 9) || !strcmp(up, "DATETIME"))
        return "timestamp";
    if (!strncmp(up, "TIME", 4))
        return "time";
    if (!strcmp(up, "BOOLEAN") || !strcmp(up, "BOOL"))
        return "boolean";
    static const char *ints[] = {"TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT",
                                 "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT2", "INT4", "INT8"};
    for (size_t k = 0; k < sizeof(ints) / sizeof(*ints); k++)
        if (!strcmp(up, ints[k]))
            return "integer";
    if (!strncmp(up, "DECIMAL", 7) || !strncmp(up, "NUMERIC", 7) || !strcmp(up, "DOUBLE") || !strcmp(up, "FLOAT") ||
        !strcmp(up, "REAL") || !strncmp(up, "DOUBLE PRECISION", 16))
        return "number";
    return "string";
}

static int stable_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* The type DuckDB gave the column on the test run, else the design's. */
static const char *physical_type(const json_t *spec, const json_t *col)
{
    const json_t *rs = json_object_get(json_object_get(json_object_get(spec, "transformation"), "test_run"), "result_schema");
    size_t i;
    json_t *c;
    json_array_foreach(rs, i, c) {
        if (!strcmp(str(c, "name"), str(col, "name")))
            return str(c, "type");
    }
    return str(col, "type");
}

json_t *dp_packaging__column_sources(const json_t *spec, const char *column)
{
    json_t *out = json_array();
    const json_t *lin = json_object_get(spec, "lineage");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(lin, "columns"), i, l) {
        if (!strcmp(str(l, "column"), column))
            json_array_extend(out, json_object_get(l, "sources"));
    }
    if (json_array_size(out))
        return out;
    const char *role = "";
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c) {
        if (!strcmp(str(c, "name"), column))
            role = str(c, "role");
    }
    if (strcmp(role, "time"))
        return out;
    json_array_foreach(json_object_get(json_object_get(spec, "transformation"), "ctes"), i, c) {
        const char *ds = str(c, "dataset"), *td = str(c, "time_dimension");
        if (*ds && *td)
            json_array_append_new(out, json_sprintf("%s.%s", ds, td));
    }
    return out;
}

/* "dataset.column" -> "schema.table.column" through source_datasets. */
static json_t *qualify(const json_t *spec, json_t *sources)
{
    json_t *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s) {
        const char *v = json_string_value(s), *dot = strchr(v, '.');
        const char *table = NULL;
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(spec, "source_datasets"), k, d) {
            const char *n = str(d, "name");
            if (dot && strlen(n) == (size_t)(dot - v) && !strncmp(n, v, (size_t)(dot - v)))
                table = str(d, "table");
        }
        json_t *q = table ? json_sprintf("%s%s", table, dot) : json_string(v);
        int dup = 0;
        json_t *u;
        json_array_foreach(out, k, u) dup |= json_equal(u, q);
        if (dup)
            json_decref(q);
        else
            json_array_append_new(out, q);
    }
    return out;
}

static const char *dimension_of(const char *type)
{
    static const struct {
        const char *type, *dim;
    } map[] = {{"not_null", "completeness"},       {"row_count", "completeness"},
               {"unique_key", "uniqueness"},       {"source_unique_key", "uniqueness"},
               {"accepted_values", "conformity"},  {"types", "conformity"},
               {"range", "accuracy"},              {"non_negative", "accuracy"},
               {"source_non_negative", "accuracy"}, {"funnel_order", "consistency"},
               {"source_relationship", "consistency"}, {"freshness", "timeliness"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
        if (!strcmp(map[i].type, type))
            return map[i].dim;
    return NULL;
}

/* The GX expectation that carries a rule's structured arguments. */
static const json_t *gx_kwargs(const json_t *spec, const char *rule_id)
{
    const json_t *suite = json_object_get(json_object_get(spec, "quality"), "great_expectations_suite");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(suite, "expectations"), i, e) {
        if (!strcmp(str(json_object_get(e, "meta"), "rule_id"), rule_id))
            return json_object_get(e, "kwargs");
    }
    return NULL;
}

/* One rule in ODCS form; *on_column says whether it belongs to a property. */
static json_t *odcs_rule(const json_t *spec, const json_t *rule, const char *temp, const char *target, const char *table,
                         int *on_column)
{
    const char *type = str(rule, "type"), *id = str(rule, "id"), *col = str(rule, "column");
    const json_t *res = json_object_get(rule, "result");
    int on_result = *temp && strstr(str(rule, "sql"), temp) != NULL;
    *on_column = 0;
    if (on_result && *col) {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c)
            *on_column |= !strcmp(str(c, "name"), col);
    }
    json_t *q = json_object();
    if (stable_id(id))
        json_object_set_new(q, "id", json_string(id));
    json_object_set_new(q, "name", json_string(type));
    json_object_set_new(q, "description", json_string(str(rule, "description")));
    if (dimension_of(type))
        json_object_set_new(q, "dimension", json_string(dimension_of(type)));
    json_object_set_new(q, "severity", json_string(!strcmp(str(rule, "severity"), "error") ? "error" : "warning"));
    const json_t *kw = gx_kwargs(spec, id);
    int library = 0;
    if (on_result && !strcmp(type, "not_null") && *on_column) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("nullValues"));
        library = 1;
    } else if (on_result && !strcmp(type, "accepted_values") && *on_column && json_is_array(json_object_get(kw, "value_set"))) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("invalidValues"));
        json_object_set_new(q, "arguments", json_pack("{s:O}", "validValues", json_object_get(kw, "value_set")));
        library = 1;
    } else if (on_result && !strcmp(type, "unique_key") && (json_is_array(json_object_get(kw, "column_list")) ||
                                                            json_is_string(json_object_get(kw, "column")))) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("duplicateValues"));
        if (json_is_array(json_object_get(kw, "column_list")))
            json_object_set_new(q, "arguments", json_pack("{s:O}", "properties", json_object_get(kw, "column_list")));
        else
            *on_column = 1;
        library = 1;
    } else if (on_result && !strcmp(type, "row_count") && json_is_integer(json_object_get(kw, "min_value"))) {
        json_object_set_new(q, "type", json_string("library"));
        json_object_set_new(q, "metric", json_string("rowCount"));
        json_int_t lo = json_integer_value(json_object_get(kw, "min_value"));
        const json_t *hi = json_object_get(kw, "max_value");
        if (json_is_integer(hi) && json_integer_value(hi) > lo)
            json_object_set_new(q, "mustBeBetween", json_pack("[I,I]", lo, json_integer_value(hi)));
        else if (json_is_integer(hi))
            json_object_set_new(q, "mustBe", json_integer(lo));
        else
            json_object_set_new(q, "mustBeGreaterOrEqualTo", json_integer(lo));
        json_object_set_new(q, "unit", json_string("rows"));
        *on_column = 0;
        library = 2;
    }
    if (!library) {
        dp_sql_target t = {temp, target, table, 0, NULL};
        char *failing = dp_packaging__sql_retarget(str(rule, "sql"), &t);
        if (!failing) {
            json_decref(q);
            return NULL;
        }
        json_object_set_new(q, "type", json_string("sql"));
        json_object_set_new(q, "query", json_sprintf("SELECT COUNT(*) FROM (%s) AS failing", failing));
        free(failing);
    }
    if (library != 2) {
        json_object_set_new(q, "mustBe", json_integer(0));
        json_object_set_new(q, "unit", json_string("rows"));
    }
    json_t *cp = json_array();
    json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenRuleSource", "value", str(rule, "source")));
    json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenDefinition", "value", str(rule, "definition")));
    if (*str(rule, "dataset"))
        json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "dpgenDataset", "value", str(rule, "dataset")));
    json_array_append_new(cp, json_pack("{s:s,s:s}", "property", "lastResult", "value", str(res, "status")));
    if (json_is_integer(json_object_get(res, "failing_rows")))
        json_array_append_new(cp, json_pack("{s:s,s:O}", "property", "lastFailingRows", "value",
                                            json_object_get(res, "failing_rows")));
    json_object_set_new(q, "customProperties", cp);
    return q;
}

static json_t *odcs_property(const json_t *spec, const json_t *col, const json_t *pks)
{
    const char *name = str(col, "name");
    const char *ptype = physical_type(spec, col);
    json_t *p = json_object();
    if (stable_id(name))
        json_object_set_new(p, "id", json_string(name));
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(p, "physicalName", json_string(name));
    json_object_set_new(p, "logicalType", json_string(logical_type(ptype)));
    json_object_set_new(p, "physicalType", json_string(ptype));
    if (*str(col, "description"))
        json_object_set_new(p, "description", json_string(str(col, "description")));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(json_object_get(spec, "business_context"), "metrics"), i, m) {
        if (!strcmp(str(m, "name"), name) && *str(m, "label"))
            json_object_set_new(p, "businessName", json_string(str(m, "label")));
    }
    int pk = json_is_true(json_object_get(col, "primary_key"));
    json_object_set_new(p, "primaryKey", json_boolean(pk));
    if (pk) {
        json_t *k;
        json_array_foreach(pks, i, k) {
            if (!strcmp(json_string_value(k), name))
                json_object_set_new(p, "primaryKeyPosition", json_integer((json_int_t)i + 1));
        }
    }
    int required = 0;
    json_t *c;
    json_array_foreach(json_object_get(col, "constraints"), i, c) required |= !strcmp(json_string_value(c), "not_null");
    json_object_set_new(p, "required", json_boolean(required));
    json_object_set_new(p, "unique", json_boolean(pk && json_array_size(pks) == 1));
    json_t *src = dp_packaging__column_sources(spec, name);
    json_t *objs = qualify(spec, src);
    json_decref(src);
    if (json_array_size(objs))
        json_object_set_new(p, "transformSourceObjects", objs);
    else
        json_decref(objs);
    if (*str(col, "expression"))
        json_object_set_new(p, "transformLogic", json_string(str(col, "expression")));
    json_object_set_new(p, "tags", json_pack("[s]", str(col, "role")));
    return p;
}

/* "... >= 99% ..." -> 99; the first number in a target text, else -1. */
static double first_number(const char *s)
{
    for (; *s; s++)
        if (isdigit((unsigned char)*s)) {
            char *end = NULL;
            double d = strtod(s, &end);
            return end && end != s ? d : -1;
        }
    return -1;
}

static json_t *sla_props(const json_t *spec, const char *table, const char *time_col)
{
    const json_t *sla = json_object_get(spec, "sla");
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    json_t *out = json_array();
    const json_t *fr = json_object_get(sla, "freshness"), *la = json_object_get(sla, "latency");
    const json_t *co = json_object_get(sla, "completeness"), *ac = json_object_get(sla, "accuracy");
    char element[600];
    snprintf(element, sizeof(element), "%s%s%s", table, time_col ? "." : "", time_col ? time_col : "");
    if (sch.grain) {
        json_array_append_new(out, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "id", "frequency", "property",
                                             "frequency", "value", 1, "unit", sch.grain, "element", element, "driver",
                                             "analytics", "description", str(fr, "target"), "scheduler", "cron",
                                             "schedule", sch.cron));
        json_array_append_new(out, json_pack("{s:s,s:s,s:o,s:s,s:s,s:s}", "id", "time_of_availability", "property",
                                             "timeOfAvailability", "value",
                                             json_sprintf("%02d:%02d+00:00", sch.due_hour, sch.due_min), "element",
                                             element, "driver", "analytics", "description",
                                             str(fr, "measured_by")));
    }
    if (*str(la, "target")) {
        json_t *p = json_pack("{s:s,s:s}", "id", "latency", "property", "latency");
        if (sch.latency_hours > 0) {
            json_object_set_new(p, "value", json_real(sch.latency_hours));
            json_object_set_new(p, "unit", json_string("h"));
        } else {
            json_object_set_new(p, "value", json_string(str(la, "target")));
        }
        json_object_set_new(p, "element", json_string(element));
        json_object_set_new(p, "description", json_sprintf("%s; measured by %s", str(la, "target"), str(la, "measured_by")));
        json_array_append_new(out, p);
    }
    const json_t *pct[] = {co, ac};
    const char *names[] = {"completeness", "accuracy"};
    for (int i = 0; i < 2; i++) {
        if (!*str(pct[i], "target"))
            continue;
        double v = first_number(str(pct[i], "target"));
        json_t *p = json_pack("{s:s,s:s}", "id", names[i], "property", names[i]);
        json_object_set_new(p, "value", v >= 0 ? json_real(v) : json_string(str(pct[i], "target")));
        if (v >= 0)
            json_object_set_new(p, "unit", json_string("percent"));
        json_object_set_new(p, "element", json_string(table));
        json_object_set_new(p, "description", json_sprintf("%s; measured by %s", str(pct[i], "target"), str(pct[i], "measured_by")));
        json_array_append_new(out, p);
    }
    return out;
}

int dp_packaging__odcs(json_t **out, const json_t *spec, dp_error *err)
{
    *out = NULL;
    const json_t *md = json_object_get(spec, "metadata"), *bc = json_object_get(spec, "business_context");
    const json_t *dm = json_object_get(spec, "data_model"), *q = json_object_get(spec, "quality");
    const char *name = str(md, "name"), *target = str(dm, "target_table");
    const char *dot = strchr(target, '.');
    const char *table = dot ? dot + 1 : target;
    char schema_name[256];
    snprintf(schema_name, sizeof(schema_name), "%.*s", dot ? (int)(dot - target) : 0, target);
    char temp[128] = "";
    if (dp_packaging__temp_table(temp, sizeof(temp), spec))
        temp[0] = 0;
    json_t *doc = NULL, *props = json_array(), *obj_quality = json_array(), *limits = json_array();
    const char *time_col = NULL;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        json_array_append_new(props, odcs_property(spec, c, json_object_get(dm, "primary_keys")));
        if (!time_col && !strcmp(str(c, "role"), "time"))
            time_col = str(c, "name");
    }
    json_t *rule;
    json_array_foreach(json_object_get(q, "rules"), i, rule) {
        int on_column = 0;
        json_t *r = odcs_rule(spec, rule, temp, target, table, &on_column);
        if (!r)
            goto nomem;
        json_t *dest = obj_quality;
        if (on_column) {
            size_t k;
            json_t *p;
            json_array_foreach(props, k, p) if (!strcmp(str(p, "name"), str(rule, "column"))) {
                if (!json_object_get(p, "quality"))
                    json_object_set_new(p, "quality", json_array());
                dest = json_object_get(p, "quality");
            }
        }
        json_array_append_new(dest, r);
        const json_t *res = json_object_get(rule, "result");
        if (strcmp(str(res, "status"), "passed"))
            json_array_append_new(limits, json_sprintf("%s (%s, %s): %s", str(rule, "id"), str(rule, "severity"),
                                                       str(res, "status"), str(rule, "description")));
    }
    /* limitations: what the test run found */
    dp_buf lim;
    dp_buf_init(&lim, 0);
    if (!json_array_size(limits))
        dp_buf_puts(&lim, "Every quality rule passed on the test run.");
    else
        dp_buf_printf(&lim, "%zu quality rule(s) did not pass on the test run: ", json_array_size(limits));
    json_t *l;
    json_array_foreach(limits, i, l) dp_buf_printf(&lim, "%s%s", i ? "; " : "", json_string_value(l));
    json_decref(limits);
    limits = NULL;
    dp_schedule sch;
    dp_packaging__schedule(&sch, spec);
    json_t *schema_obj = json_object();
    json_object_set_new(schema_obj, "id", json_string(name));
    json_object_set_new(schema_obj, "name", json_string(name));
    json_object_set_new(schema_obj, "physicalName", json_string(target));
    json_object_set_new(schema_obj, "physicalType", json_string("table"));
    json_object_set_new(schema_obj, "logicalType", json_string("object"));
    json_object_set_new(schema_obj, "description", json_string(str(md, "description")));
    json_object_set_new(schema_obj, "dataGranularityDescription", json_string(str(dm, "grain")));
    json_object_set_new(schema_obj, "tags", json_copy(json_object_get(md, "tags")));
    json_object_set_new(schema_obj, "properties", props);
    props = NULL;
    if (json_array_size(obj_quality))
        json_object_set_new(schema_obj, "quality", obj_quality);
    else
        json_decref(obj_quality);
    obj_quality = NULL;
    json_t *team = json_pack("{s:s,s:[{s:s,s:s}]}", "name", str(md, "owner"), "members", "username", str(md, "owner"),
                             "role", "owner");
    json_array_foreach(json_object_get(bc, "stakeholders"), i, c) {
        if (strcmp(json_string_value(c), str(md, "owner")))
            json_array_append_new(json_object_get(team, "members"), json_pack("{s:s,s:s}", "username", json_string_value(c), "role", "stakeholder"));
    }
    const json_t *cat = json_object_get(json_object_get(spec, "execution"), "catalog");
    json_t *server = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", "demo_duckdb", "server", "demo_duckdb", "type",
                               "duckdb", "environment", "dev", "description",
                               "the DuckDB database dpgen profiled and ran the test run on", "database",
                               str(cat, "database"));
    if (*schema_name)
        json_object_set_new(server, "schema", json_string(schema_name));
    doc = json_object();
    json_object_set_new(doc, "apiVersion", json_string("v3.1.0"));
    json_object_set_new(doc, "kind", json_string("DataContract"));
    json_object_set_new(doc, "id", json_sprintf("dpgen-%s", name));
    json_object_set_new(doc, "name", json_string(name));
    json_object_set_new(doc, "version", json_string(str(md, "version")));
    json_object_set_new(doc, "status", json_string("proposed"));
    json_object_set_new(doc, "tags", json_copy(json_object_get(md, "tags")));
    json_object_set_new(doc, "description",
                        json_pack("{s:s,s:o,s:s}", "purpose", str(bc, "request"), "usage",
                                  json_sprintf("%s. %s. Built by dbt (dbt run --select %s).", str(dm, "grain"),
                                               sch.grain ? str(json_object_get(json_object_get(spec, "sla"), "freshness"), "target")
                                                         : "Refreshed on demand",
                                               name),
                                  "limitations", dp_buf_cstr(&lim)));
    dp_buf_dispose(&lim);
    json_object_set_new(doc, "schema", json_pack("[o]", schema_obj));
    json_object_set_new(doc, "servers", json_pack("[o]", server));
    json_object_set_new(doc, "slaProperties", sla_props(spec, target, time_col));
    json_object_set_new(doc, "team", team);
    json_object_set_new(doc, "customProperties",
                        json_pack("[{s:s,s:s},{s:s,s:O},{s:s,s:s}]", "property", "dpgenSpecVersion", "value",
                                  str(spec, "spec_version"), "property", "testRunRows", "value",
                                  json_object_get(json_object_get(json_object_get(spec, "transformation"), "test_run"), "rows"),
                                  "property", "generator", "value", str(md, "generator")));
    json_object_set_new(doc, "contractCreatedTs", json_string(str(md, "created_at")));
    *out = doc;
    return 0;
nomem:
    json_decref(props);
    json_decref(obj_quality);
    json_decref(limits);
    return dp_error_set(err, DP_ENOMEM, "out of memory");
}

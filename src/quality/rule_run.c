/* Runs the quality rules in few statements: the rules on the test result in
 * one SELECT (one count per rule), the uncached rules on each source table in
 * one pass over it; example rows are read only for the rules that fail. */
#include "quality/quality_int.h"
#include "util/json_memo.h"
#include "catalog/db.h"
#include "transform/result_table.h"
#include "util/error.h"
#include "util/fs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES 5

/* One rule waiting for its result: what its SQL counts and where. */
typedef struct pending {
    json_t *rule;      /* borrowed from r->rules */
    const char *sql;   /* the failing-rows SQL */
    const char *table; /* the table a row condition reads, or NULL */
    const char *alias; /* its alias in the SQL ("" for none) */
    const char *cond;  /* the row condition, or NULL: counted as a subquery */
    const char *key;   /* cache key of a source rule, or NULL */
    long long count;
    int counted; /* the fused pass gave count */
    int grouped; /* taken into a table's group */
} pending;

/* "SELECT * FROM T WHERE cond" and "SELECT x.* FROM T AS x WHERE cond":
 * the failing rows are the rows of T that meet cond, so count(*) FILTER
 * (WHERE cond) over T counts exactly them. T is a name or "a"."b". */
static void classify(dp_run *r, pending *p)
{
    const char *s = p->sql, *t, *e;
    char alias[8] = "";
    if (!strncmp(s, "SELECT * FROM ", 14)) {
        s += 14;
    } else if (!strncmp(s, "SELECT ", 7) && s[7] >= 'a' && s[7] <= 'z' && !strncmp(s + 8, ".* FROM ", 8)) {
        alias[0] = s[7];
        s += 16;
    } else {
        return;
    }
    t = s;
    /* the table: unquoted word characters, or quoted parts joined by dots */
    while (*s && *s != ' ') {
        if (*s == '"') {
            for (s++; *s && !(*s == '"' && s[1] != '"'); s += *s == '"' ? 2 : 1)
                ;
            if (!*s)
                return;
        }
        s++;
    }
    e = s;
    if (alias[0]) {
        char as[8];
        snprintf(as, sizeof(as), " AS %c ", alias[0]);
        if (strncmp(s, as, 6))
            return;
        s += 5;
    }
    if (strncmp(s, " WHERE ", 7))
        return;
    p->table = dp_arena_printf(r->a, "%.*s", (int)(e - t), t);
    p->alias = dp_arena_strdup(r->a, alias);
    p->cond = s + 7;
}

typedef struct counts_ctx {
    long long *v;
    size_t n, got;
} counts_ctx;

static int read_counts(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    counts_ctx *c = payload;
    (void)names;
    for (size_t i = 0; i < ncols && i < c->n; i++)
        c->v[i] = vals[i] ? atoll(vals[i]) : 0;
    c->got = ncols;
    return 1;
}

static int read_examples(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    json_t *arr = payload, *o = json_object();
    for (size_t i = 0; i < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    json_array_append_new(arr, o);
    return 0;
}

typedef struct failing_ctx {
    json_t *examples;
    long long count;
} failing_ctx;

static int read_failing(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    failing_ctx *c = payload;
    json_t *o = json_object();
    for (size_t i = 0; i + 1 < ncols; i++)
        json_object_set_new(o, names[i], vals[i] ? json_string(vals[i]) : json_null());
    c->count = ncols && vals[ncols - 1] ? atoll(vals[ncols - 1]) : 0;
    json_array_append_new(c->examples, o);
    return 0;
}

/* The recorded result, its members in the order the spec has always shown. */
json_t *dp_quality__result(double ms, long long count, json_t *examples)
{
    return json_pack("{s:f,s:s,s:I,s:o}", "ms", ms, "status", count ? "failed" : "passed", "failing_rows",
                     (json_int_t)count, "examples", examples);
}

static json_t *error_result(double ms, const char *message)
{
    return json_pack("{s:f,s:s,s:s}", "ms", ms, "status", "error", "message", message);
}

/* A rule alone, in one statement: its count rides along each of up to five
 * example rows (one scan instead of two). */
static void run_alone(dp_run *r, pending *p)
{
    dp_error err = {0};
    const char *sql = dp_arena_printf(
        r->a, "SELECT *, count(*) OVER () AS dp_failing_rows FROM (%s) AS failing LIMIT %d", p->sql, EXAMPLES);
    failing_ctx c = {json_array(), 0};
    double t0 = dp_now_ms();
    int rc = dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_failing, &c, &err);
    double ms = dp_now_ms() - t0;
    if (rc) {
        json_decref(c.examples);
        json_object_set_new(p->rule, "result", error_result(ms, err.message));
        return;
    }
    p->count = c.count;
    json_object_set_new(p->rule, "result", dp_quality__result(ms, c.count, c.examples));
}

/* A rule the fused pass counted: passed, or failed with its first rows. */
static void finish_counted(dp_run *r, pending *p, double share_ms)
{
    json_t *ex = json_array();
    double ms = share_ms;
    if (p->count) {
        dp_error err = {0};
        const char *sql = dp_arena_printf(r->a, "SELECT * FROM (%s) AS failing LIMIT %d", p->sql, EXAMPLES);
        double t0 = dp_now_ms();
        int rc = dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_examples, ex, &err);
        ms += dp_now_ms() - t0;
        if (rc) {
            json_decref(ex);
            json_object_set_new(p->rule, "result", error_result(ms, err.message));
            return;
        }
    }
    json_object_set_new(p->rule, "result", dp_quality__result(ms, p->count, ex));
}

typedef struct union_ctx {
    pending **ps;
    size_t n;
    json_t **ex; /* the examples of ps[i] */
    int bad;     /* a row that cannot be told apart: read them one rule at a time */
} union_ctx;

#define TAG "dp_example_rule"

static int read_union(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    union_ctx *c = payload;
    size_t i = vals[0] ? (size_t)atoll(vals[0]) : c->n;
    if (ncols < 1 || strcmp(names[0], TAG) || i >= c->n) {
        c->bad = 1;
        return 1;
    }
    json_t *o = json_object();
    for (size_t k = 1; k < ncols; k++) {
        c->bad |= !strncmp(names[k], TAG, strlen(TAG)); /* a column of the table with our name */
        json_object_set_new(o, names[k], vals[k] ? json_string(vals[k]) : json_null());
    }
    json_array_append_new(c->ex[i], o);
    return c->bad;
}

/* The examples of the failing row conditions on one table in one statement:
 * each rule's rows are the table's columns, so a UNION ALL of each rule's
 * first five rows, tagged with the rule, reads them all. 0 when it did. */
static int examples_together(dp_run *r, pending **ps, size_t n, double share_ms)
{
    pending **f = dp_arena_alloc(r->a, (n ? n : 1) * sizeof(*f));
    size_t nf = 0;
    const char *sql = "";
    for (size_t i = 0; f && i < n; i++)
        if (ps[i]->count && ps[i]->cond) {
            sql = dp_arena_printf(r->a, "%s%s(SELECT %zu AS " TAG ", * FROM (%s) AS failing LIMIT %d)", sql,
                                  nf ? " UNION ALL " : "", nf, ps[i]->sql, EXAMPLES);
            f[nf++] = ps[i];
        }
    if (nf < 2)
        return -1;
    json_t **ex = dp_arena_calloc(r->a, nf, sizeof(*ex));
    if (!ex)
        return -1;
    for (size_t i = 0; i < nf; i++)
        ex[i] = json_array();
    union_ctx c = {f, nf, ex, 0};
    dp_error err = {0};
    double t0 = dp_now_ms();
    int rc = dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_union, &c, &err);
    double ms = (dp_now_ms() - t0) / (double)nf;
    for (size_t i = 0; i < nf; i++) {
        if (rc || c.bad || json_array_size(ex[i]) != (size_t)(f[i]->count < EXAMPLES ? f[i]->count : EXAMPLES)) {
            rc = -1;
            continue;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (!rc)
            json_object_set_new(f[i]->rule, "result",
                                dp_quality__result(share_ms + ms, f[i]->count, json_incref(ex[i])));
        json_decref(ex[i]);
    }
    return rc ? -1 : 0;
}

/* One statement counting the failing rows of every rule in ps: row
 * conditions on table (as alias) by FILTER, the others (with subq) as
 * scalar subqueries. 0 when every count was read; on an error nothing is
 * counted and each rule runs alone. */
static int fused_pass(dp_run *r, pending **ps, size_t n, const char *table, const char *alias, double *ms)
{
    if (!n)
        return 0;
    const char *sel = "count(*)";
    for (size_t i = 0; i < n; i++)
        sel = ps[i]->cond ? dp_arena_printf(r->a, "%s, count(*) FILTER (WHERE %s)", sel, ps[i]->cond)
                          : dp_arena_printf(r->a, "%s, (SELECT count(*) FROM (%s) AS dp_f)", sel, ps[i]->sql);
    const char *sql = dp_arena_printf(r->a, "SELECT %s FROM %s%s%s", sel, table, *alias ? " AS " : "", alias);
    long long *v = dp_arena_alloc(r->a, (n + 1) * sizeof(*v));
    counts_ctx c = {v, n + 1, 0};
    dp_error err = {0};
    double t0 = dp_now_ms();
    int rc = v ? dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_counts, &c, &err) : -1;
    *ms = dp_now_ms() - t0;
    if (rc || c.got != n + 1)
        return -1;
    for (size_t i = 0; i < n; i++) {
        ps[i]->count = v[i + 1];
        ps[i]->counted = 1;
    }
    return 0;
}

/* Rules on the source tables (not on this run's result) depend only on the
 * database contents: their results are cached in the state under the
 * database fingerprint, with the time they were checked. */
const char *dp_quality__cache_key(dp_run *r, const char *sql)
{
    unsigned long long h = 1469598103934665603ull;
    for (const char *p = sql; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return dp_arena_printf(r->a, "%s|%016llx", dp_db_fingerprint(r->cat->db), h);
}

static json_t *load_check(void *payload, const char *key)
{
    char *text = dp_state_check_get(payload, key);
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return doc;
}

json_t *dp_quality__kept_check(dp_run *r, const char *key)
{
    return r->cat->state ? dp_json_memo_get(r->cat->checks, key, load_check, r->cat->state) : NULL;
}

static void cache_put(dp_run *r, pending *p)
{
    json_t *res = json_object_get(p->rule, "result");
    if (!p->key || !strcmp(json_string_value(json_object_get(res, "status")), "error"))
        return;
    json_t *copy = json_deep_copy(res);
    json_object_set_new(copy, "checked_at", json_string(r->created_at));
    char *js = json_dumps(copy, JSON_COMPACT);
    dp_error ignore = {0};
    if (js && strlen(p->key) < 1200)
        dp_state_check_put(r->cat->state, p->key, js, &ignore);
    free(js);
    /* the spec shows the time of the check, as a cached result does */
    json_object_set_new(res, "checked_at", json_string(r->created_at));
    json_decref(copy);
}

#define UNIQUE_HASH_MAX_ROWS 2000000

/* The key list of "SELECT <k>, count(*) AS copies FROM <table> GROUP BY <k>
 * HAVING count(*) > 1" (the unique_key rule), or NULL. */
static const char *grouped_keys(dp_run *r, const char *sql, const char *table)
{
    const char *mid = dp_arena_printf(r->a, ", count(*) AS copies FROM %s GROUP BY ", table);
    static const char tail[] = " HAVING count(*) > 1";
    const char *m = strncmp(sql, "SELECT ", 7) ? NULL : strstr(sql + 7, mid);
    if (!m)
        return NULL;
    size_t nk = (size_t)(m - (sql + 7)), rest = strlen(m + strlen(mid));
    const char *k2 = m + strlen(mid);
    if (!nk || rest != nk + sizeof(tail) - 1 || strncmp(k2, sql + 7, nk) || strcmp(k2 + nk, tail))
        return NULL;
    return dp_arena_printf(r->a, "%.*s", (int)nk, sql + 7);
}

/* The unique_key rule on the test result without its GROUP BY (a hash
 * aggregate, the dearest term of the fused pass): the hash of each row's
 * key, read as numbers, all different means no key has two rows, so no
 * failing row; 1 when that decided it (recorded as passed), 0 when a hash
 * repeats (a copy, or two keys with one hash) or it could not be read:
 * then the rule's own SQL counts. */
static int unique_by_hash(dp_run *r, pending *p)
{
    const char *keys = grouped_keys(r, p->sql, r->exec.table);
    if (!keys || strcmp(json_string_value(json_object_get(p->rule, "type")), "unique_key") || r->exec.rows < 0 ||
        r->exec.rows > UNIQUE_HASH_MAX_ROWS)
        return 0;
    if (r->exec.rowset) /* sorted in C; a copy found there is the SQL's to list */
        return dp_quality__native_unique(r, p->rule, keys);
    size_t cap = (size_t)r->exec.rows + 1, n = 0, slots = 16;
    while (slots < 2 * cap)
        slots *= 2;
    uint64_t *h = malloc(cap * sizeof(*h));
    uint64_t *set = calloc(slots, sizeof(*set)); /* open addressing; 0 is empty, a hash 0 kept apart */
    dp_error err = {0};
    double t0 = dp_now_ms();
    int decided = h && set &&
                  !dp_db_query_u64(r->con, dp_arena_printf(r->a, "SELECT hash(%s) FROM %s", keys, r->exec.table),
                                   dp_run_remaining_ms(r), h, cap, &n, &err);
    int zero = 0;
    for (size_t i = 0; decided && i < n; i++) {
        if (!h[i]) {
            decided = !zero++;
            continue;
        }
        size_t k = (size_t)(h[i] ^ (h[i] >> 29)) & (slots - 1);
        while (set[k] && set[k] != h[i])
            k = (k + 1) & (slots - 1);
        decided = !set[k];
        set[k] = h[i];
    }
    free(h);
    free(set);
    if (!decided)
        return 0;
    json_object_set_new(p->rule, "result", dp_quality__result(dp_now_ms() - t0, 0, json_array()));
    return 1;
}

/* Runs the group of rules that read one table, fused where they can be. */
static void run_group(dp_run *r, pending **ps, size_t n, const char *table, int fuse_subqueries)
{
    const char *alias = "";
    for (size_t i = 0; i < n; i++)
        if (ps[i]->cond && *ps[i]->alias && !*alias)
            alias = ps[i]->alias;
    pending **in = dp_arena_alloc(r->a, (n ? n : 1) * sizeof(*in));
    size_t k = 0;
    for (size_t i = 0; in && i < n; i++) {
        /* a condition written for another alias, or a grouping on a large
         * table (counted apart, it would be computed twice), runs alone */
        int fits = ps[i]->cond ? !*ps[i]->alias || !strcmp(ps[i]->alias, alias) : fuse_subqueries;
        if (fits)
            in[k++] = ps[i];
    }
    double ms = 0;
    /* fusing one rule saves nothing: its own statement reads the examples too */
    if (k > 1 && !fused_pass(r, in, k, table, alias, &ms)) {
        int together = !examples_together(r, in, k, ms / (double)k);
        for (size_t i = 0; i < k; i++)
            if (!(together && in[i]->count && in[i]->cond))
                finish_counted(r, in[i], ms / (double)k);
    }
    for (size_t i = 0; i < n; i++)
        if (!ps[i]->counted)
            run_alone(r, ps[i]);
    for (size_t i = 0; i < n; i++)
        cache_put(r, ps[i]);
}

typedef struct date_ctx {
    char type[32], value[64];
    int got;
} date_ctx;

static int read_date(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    date_ctx *c = payload;
    (void)names;
    if (ncols == 2 && vals[0]) {
        snprintf(c->type, sizeof(c->type), "%s", vals[0]);
        snprintf(c->value, sizeof(c->value), "%s", vals[1] ? vals[1] : "");
        c->got = 1 + !vals[1];
    }
    return 1;
}

static int plain_date(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof(shape) - 1; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return 0;
    return s[sizeof(shape) - 1] == 0;
}

/* An integer as DuckDB writes a BIGINT: digits, a minus first maybe. */
static int plain_integer(const char *s)
{
    s += *s == '-';
    if (!*s || strlen(s) > 19)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The value of a scalar subquery on the sources as a SQL literal of type
 * (DATE or BIGINT), read once per data fingerprint and kept in the state;
 * NULL when there is no state or the value is not a plain one of that type. */
static const char *source_value(dp_run *r, const char *subquery, const char *type)
{
    if (!r->cat->state)
        return NULL;
    int is_date = !strcmp(type, "DATE");
    /* the dates' key as it always was: their cached values stay valid */
    const char *key =
        dp_quality__cache_key(r, dp_arena_printf(r->a, "source value|%s%s", is_date ? "" : "BIGINT|", subquery));
    json_t *doc = dp_quality__kept_check(r, key);
    const char *lit = json_string_value(json_object_get(doc, "literal"));
    lit = lit ? dp_arena_strdup(r->a, lit) : NULL;
    json_decref(doc);
    if (lit)
        return lit;
    date_ctx c = {"", "", 0};
    dp_error err = {0};
    const char *sql = dp_arena_printf(r->a, "SELECT typeof(v), CAST(v AS VARCHAR) FROM (SELECT %s AS v) AS s", subquery);
    if (dp_db_query(r->con, sql, dp_run_remaining_ms(r), read_date, &c, &err) || !c.got || strcmp(c.type, type) ||
        (c.got == 1 && !(is_date ? plain_date(c.value) : plain_integer(c.value))))
        return NULL; /* the subquery runs live, and says what is wrong if anything is */
    lit = c.got == 2 ? dp_arena_printf(r->a, "CAST(NULL AS %s)", type)
          : is_date  ? dp_arena_printf(r->a, "DATE '%s'", c.value)
                     : dp_arena_printf(r->a, "CAST(%s AS BIGINT)", c.value);
    json_t *o = json_pack("{s:s}", "literal", lit);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    dp_error ignore = {0};
    if (js)
        dp_state_check_put(r->cat->state, key, js, &ignore);
    free(js);
    json_decref(o);
    return lit;
}

const char *dp_quality__source_date(dp_run *r, const char *subquery) { return source_value(r, subquery, "DATE"); }

const char *dp_quality__source_count(dp_run *r, const char *expr)
{
    return source_value(r, dp_arena_printf(r->a, "(%s)", expr), "BIGINT");
}

/* The family the types rule's SQL gives a DuckDB type name (its CASE, word
 * for word: IN and = compare exactly, LIKE 'X%' is a prefix). */
const char *dp_quality__sql_family(const char *t)
{
    static const char *numbers[] = {"TINYINT",  "SMALLINT",  "INTEGER", "BIGINT",  "HUGEINT", "UTINYINT",
                                    "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "DOUBLE",  "FLOAT"};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
        if (!strcmp(t, numbers[i]))
            return "number";
    if (!strncmp(t, "DECIMAL", 7))
        return "number";
    if (!strcmp(t, "DATE"))
        return "date";
    if (!strncmp(t, "TIMESTAMP", 9))
        return "timestamp";
    if (!strcmp(t, "VARCHAR") || !strncmp(t, "ENUM", 4))
        return "text";
    if (!strcmp(t, "BOOLEAN"))
        return "boolean";
    return "other";
}

void dp_quality__types_from_schema(dp_run *r, const char *const *names, const char *const *fams, size_t n)
{
    json_t *rule = json_array_get(r->rules, json_array_size(r->rules) - 1);
    if (!rule || strcmp(json_string_value(json_object_get(rule, "type")), "types") || !r->exec.schema)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *type = NULL;
        size_t k;
        json_t *c;
        json_array_foreach(r->exec.schema, k, c) if (!strcmp(json_string_value(json_object_get(c, "name")), names[i]))
            type = json_string_value(json_object_get(c, "type"));
        if (!type || strcmp(dp_quality__sql_family(type), fams[i]))
            return; /* a failing row: the SQL finds them all, with its examples */
    }
    json_object_set_new(rule, "result", dp_quality__result(0, 0, json_array()));
}

void dp_quality__run_rules(dp_run *r)
{
    size_t n = json_array_size(r->rules), np = 0;
    pending *all = dp_arena_alloc(r->a, (n ? n : 1) * sizeof(*all));
    pending **grp = dp_arena_alloc(r->a, (n ? n : 1) * sizeof(*grp));
    if (!all || !grp)
        return;
    size_t i;
    json_t *rule;
    json_array_foreach(r->rules, i, rule) {
        const char *sql = json_string_value(json_object_get(rule, "dp_run_sql"));
        sql = sql ? sql : json_string_value(json_object_get(rule, "dp_sql"));
        if (!sql || json_object_get(rule, "result"))
            continue;
        pending *p = &all[np++];
        memset(p, 0, sizeof(*p));
        p->rule = rule;
        p->sql = sql;
        classify(r, p);
        if (r->cat->state && !strstr(sql, r->exec.table)) {
            p->key = dp_quality__cache_key(r, sql);
            json_t *kept = dp_quality__kept_check(r, p->key);
            json_t *res = kept ? json_deep_copy(kept) : NULL; /* the run adds to its own */
            json_decref(kept);
            if (res) {
                json_object_set_new(res, "cached", json_true());
                json_object_set_new(rule, "result", res);
                np--;
            }
        }
    }
    /* the test result: each rule in C when the result was read into C and
     * the rule is one rule_eval.c evaluates; the others in one statement
     * over it (the grain's uniqueness first by its hashes, when they tell) */
    size_t ng = 0, nr = 0;
    const char **rsql = dp_arena_calloc(r->a, np ? np : 1, sizeof(*rsql));
    struct dp_rule_eval **ev = dp_arena_calloc(r->a, np ? np : 1, sizeof(*ev));
    for (size_t k = 0; rsql && k < np; k++)
        if (strstr(all[k].sql, r->exec.table))
            rsql[nr++] = all[k].sql;
    if (ev && rsql)
        dp_quality__native_compile(r, rsql, nr, ev);
    for (size_t k = 0, j = 0; k < np; k++)
        if (strstr(all[k].sql, r->exec.table) &&
            !dp_quality__native_rule(r, all[k].rule, ev && rsql ? ev[j++] : NULL) && !unique_by_hash(r, &all[k])) {
            if (all[k].table && strcmp(all[k].table, r->exec.table))
                all[k].cond = NULL; /* a condition on another table: counted as a subquery */
            grp[ng++] = &all[k];
        }
    dp_error terr = {0};
    if (ng && dp_transform_result_table(r, &terr)) /* a rule not evaluated in C reads the table */
        for (size_t k = 0; k < ng; k++)
            json_object_set_new(grp[k]->rule, "result", error_result(0, terr.message));
    else
        run_group(r, grp, ng, r->exec.table, 1);
    /* the sources: one pass per table for its row conditions */
    for (size_t k = 0; k < np; k++) {
        if (all[k].grouped || strstr(all[k].sql, r->exec.table))
            continue;
        const char *table = all[k].table;
        ng = 0;
        for (size_t j = k; j < np; j++) {
            int same = j == k || (table && all[j].table && !strcmp(all[j].table, table));
            if (!all[j].grouped && same && !strstr(all[j].sql, r->exec.table)) {
                all[j].grouped = 1;
                grp[ng++] = &all[j];
            }
        }
        run_group(r, grp, ng, table ? table : "", 0);
    }
    json_array_foreach(r->rules, i, rule) json_object_del(rule, "dp_run_sql");
}

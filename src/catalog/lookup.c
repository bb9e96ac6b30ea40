/* Request-time look-ups of values in the data (see lookup.h): one prepared
 * SELECT per column, the text bound as a parameter, LIMITed, interrupted past
 * its share of the request's time budget. */
#include "catalog/lookup.h"
#include "catalog/db.h"
#include "util/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void dp_lookup_init(dp_lookup *l, duckdb_connection con, long budget_ms)
{
    memset(l, 0, sizeof(*l));
    l->con = con;
    l->budget_ms = budget_ms > 0 ? budget_ms : DP_LOOKUP_BUDGET_MS;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Is a column of this DuckDB type compared as a number? */
static int numeric_type(const char *type)
{
    static const char *kinds[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                                  "UINTEGER", "UBIGINT", "UHUGEINT", "DECIMAL", "NUMERIC", "DOUBLE", "FLOAT",
                                  "REAL", "INT", NULL};
    for (int i = 0; type && kinds[i]; i++)
        if (!strncasecmp(type, kinds[i], strlen(kinds[i])))
            return 1;
    return 0;
}

static int is_number(const char *s)
{
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return 0;
    strtod(s, &end);
    return *end == 0;
}

static int hit_row(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    dp_value_hits *h = payload;
    if (ncols < 3 || !vals[0] || h->n >= DP_VALUE_HITS_MAX)
        return h->n >= DP_VALUE_HITS_MAX;
    if (h->n == 0 && vals[2] && (!strcmp(vals[2], "true") || !strcmp(vals[2], "1")))
        h->exact = 1;
    snprintf(h->values[h->n], DP_VALUE_MAX, "%s", vals[0]);
    h->scores[h->n] = vals[1] ? strtod(vals[1], NULL) : 0;
    if (h->exact && h->n == 0)
        h->scores[0] = 1.0;
    h->n++;
    return 0;
}

static int count_row(void *payload, size_t ncols, const char *const *names, const char *const *vals)
{
    (void)names;
    if (ncols >= 1 && vals[0])
        *(long *)payload = strtol(vals[0], NULL, 10);
    return 0;
}

int dp_lookup_values(void *payload, const dp_model *model, const char *column, const char *text, dp_value_hits *out,
                     dp_error *err)
{
    dp_lookup *l = payload;
    memset(out, 0, sizeof(*out));
    if (!l || !model || !model->table || !column || !text || !*text)
        return dp_error_set(err, DP_EINVALID, "nothing to look up");
    const dp_column *col = dp_kg_model_column(model, column);
    if (model->off.reason)
        return 0; /* a disabled dataset holds nothing (its table may not exist) */
    int num = col && numeric_type(col->type);
    if (num && !is_number(text))
        return 0; /* "Jane Doe" is no number key: nothing to compare */
    long left = l->budget_ms - (long)l->spent_ms;
    if (left <= 0)
        return dp_error_set(err, DP_ELIMIT, "value look-ups took their %ld ms", l->budget_ms);
    char qs[300], qt[300], qc[300], sql[1400];
    if (!dp_sql_quote_ident(model->schema ? model->schema : "main", qs, sizeof(qs)) ||
        !dp_sql_quote_ident(model->table, qt, sizeof(qt)) || !dp_sql_quote_ident(column, qc, sizeof(qc)))
        return dp_error_set(err, DP_ELIMIT, "name too long to look up: %s.%s", model->table, column);
    /* DISTINCT first so each value is scored once; every row of the
     * result is one candidate, exact first */
    if (num)
        snprintf(sql, sizeof(sql),
                 "SELECT CAST(v AS VARCHAR), 1.0 / (1.0 + abs(CAST(v AS DOUBLE) - CAST(? AS DOUBLE))) AS s, "
                 "CAST(v AS DOUBLE) = CAST(? AS DOUBLE) AS x "
                 "FROM (SELECT DISTINCT %s AS v FROM %s.%s WHERE %s IS NOT NULL) AS d "
                 "ORDER BY x DESC, s DESC, v LIMIT %d",
                 qc, qs, qt, qc, DP_VALUE_HITS_MAX);
    else
        snprintf(sql, sizeof(sql),
                 "SELECT v, jaro_winkler_similarity(lower(v), lower(?)) AS s, lower(v) = lower(?) AS x "
                 "FROM (SELECT DISTINCT CAST(%s AS VARCHAR) AS v FROM %s.%s WHERE %s IS NOT NULL) AS d "
                 "ORDER BY x DESC, contains(lower(v), lower(?)) DESC, s DESC, v LIMIT %d",
                 qc, qs, qt, qc, DP_VALUE_HITS_MAX);
    const char *params[3] = {text, text, text};
    long ms = left < DP_LOOKUP_QUERY_MS ? left : DP_LOOKUP_QUERY_MS;
    double t0 = now_ms();
    int rc = dp_db_query_params(l->con, sql, params, num ? 2 : 3, ms, hit_row, out, err);
    if (!rc && out->exact && !num && l->budget_ms - (long)(l->spent_ms + now_ms() - t0) > 0) {
        /* how many rows hold it: a name two people share names no one */
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.%s WHERE lower(CAST(%s AS VARCHAR)) = lower(?)", qs, qt, qc);
        rc = dp_db_query_params(l->con, sql, params, 1, ms, count_row, &out->exact_rows, err);
    }
    l->spent_ms += now_ms() - t0;
    l->queries++;
    return rc;
}

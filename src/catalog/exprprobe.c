/* Expression probes (exprprobe.h), kept in the state as line records
 * (textrec.h): "dpgen-exprs 1", "F <fingerprint>", then per statement
 * "<bad> <sql>\t<why or type>". */
#include "catalog/exprprobe.h"
#include "state/state.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/textrec.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_HEAD "dpgen-exprs 1\n"
#define PROBE_BUCKETS 1024
#define PROBE_TEXT_MAX (64u << 20) /* larger sets are not kept */

typedef struct outcome {
    const char *sql, *text; /* text: why (bad) or the type */
    int bad, used;
    struct outcome *next;
} outcome;

struct dp_exprprobe {
    dp_db *db;
    duckdb_connection con, own; /* own: taken from db, closed in free */
    dp_state *state;
    dp_arena *arena;
    outcome *bucket[PROBE_BUCKETS];
    size_t added; /* outcomes prepared now, not read from the state */
    char key[4200];
};

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)(h % PROBE_BUCKETS);
}

static outcome *find(dp_exprprobe *p, const char *sql)
{
    for (outcome *o = p->bucket[hash(sql)]; o; o = o->next)
        if (!strcmp(o->sql, sql))
            return o;
    return NULL;
}

/* An outcome of sql and text, strings in p's arena. */
static outcome *add(dp_exprprobe *p, const char *sql, int bad, const char *text)
{
    outcome *o = dp_arena_calloc(p->arena, 1, sizeof(*o));
    if (!o)
        return NULL;
    o->sql = sql;
    o->text = text;
    o->bad = bad;
    size_t h = hash(sql);
    o->next = p->bucket[h];
    p->bucket[h] = o;
    return o;
}

/* The kept outcomes, when their fingerprint is the database's now. */
static void read_kept(dp_exprprobe *p)
{
    char *text = dp_state_profile_get(p->state, p->key);
    const char *s = text, *fp;
    size_t hl = strlen(PROBE_HEAD);
    if (!s || strncmp(s, PROBE_HEAD "F ", hl + 2))
        goto done;
    s += hl + 2;
    if (!(fp = dp_textrec_field(&s, p->arena)) || strcmp(fp, dp_db_fingerprint(p->db)) || *s++ != '\n')
        goto done;
    while (*s) {
        int64_t bad;
        const char *sql, *t;
        if (dp_textrec_int(&s, &bad) || !(sql = dp_textrec_field(&s, p->arena)) || *s++ != '\t' ||
            !(t = dp_textrec_field(&s, p->arena)) || *s++ != '\n' || !add(p, sql, bad != 0, t))
            break; /* what was read stays; the rest is prepared again */
    }
done:
    free(text);
}

dp_exprprobe *dp_exprprobe_new(dp_db *db, duckdb_connection con, dp_state *state, int fresh)
{
    dp_exprprobe *p = calloc(1, sizeof(*p));
    if (!p || !(p->arena = dp_arena_new(16 * 1024))) {
        free(p);
        return NULL;
    }
    p->db = db;
    p->con = con;
    if (state && db && (size_t)snprintf(p->key, sizeof(p->key), "exprs|%s", dp_db_path(db)) < sizeof(p->key)) {
        p->state = state;
        if (!fresh)
            read_kept(p);
    }
    return p;
}

/* DuckDB's name of the type of a prepared statement's first column, for
 * the types a product column can have ("" otherwise). */
static void result_type(duckdb_prepared_statement ps, char *out, size_t n)
{
    duckdb_logical_type lt = duckdb_prepared_statement_column_logical_type(ps, 0);
    const char *name = "";
    out[0] = '\0';
    if (!lt)
        return;
    switch (duckdb_get_type_id(lt)) {
    case DUCKDB_TYPE_BOOLEAN:
        name = "BOOLEAN";
        break;
    case DUCKDB_TYPE_TINYINT:
        name = "TINYINT";
        break;
    case DUCKDB_TYPE_SMALLINT:
        name = "SMALLINT";
        break;
    case DUCKDB_TYPE_INTEGER:
        name = "INTEGER";
        break;
    case DUCKDB_TYPE_BIGINT:
        name = "BIGINT";
        break;
    case DUCKDB_TYPE_HUGEINT:
        name = "HUGEINT";
        break;
    case DUCKDB_TYPE_UTINYINT:
        name = "UTINYINT";
        break;
    case DUCKDB_TYPE_USMALLINT:
        name = "USMALLINT";
        break;
    case DUCKDB_TYPE_UINTEGER:
        name = "UINTEGER";
        break;
    case DUCKDB_TYPE_UBIGINT:
        name = "UBIGINT";
        break;
    case DUCKDB_TYPE_FLOAT:
        name = "FLOAT";
        break;
    case DUCKDB_TYPE_DOUBLE:
        name = "DOUBLE";
        break;
    case DUCKDB_TYPE_DATE:
        name = "DATE";
        break;
    case DUCKDB_TYPE_TIMESTAMP:
        name = "TIMESTAMP";
        break;
    case DUCKDB_TYPE_VARCHAR:
        name = "VARCHAR";
        break;
    case DUCKDB_TYPE_DECIMAL:
        snprintf(out, n, "DECIMAL(%d,%d)", (int)duckdb_decimal_width(lt), (int)duckdb_decimal_scale(lt));
        name = NULL;
        break;
    default:
        break;
    }
    if (name)
        snprintf(out, n, "%s", name);
    duckdb_destroy_logical_type(&lt);
}

int dp_exprprobe_run(dp_exprprobe *p, const char *sql, int *bad, char *why, size_t whyn, char *type, size_t typen,
                     dp_error *err)
{
    outcome *o = find(p, sql);
    if (!o) {
        if (!p->con && !p->own) {
            if (!p->db) {
                dp_error_set(err, DP_EENGINE, "no database to check expressions on");
                return -1;
            }
            if (dp_db_connect(&p->own, p->db, err))
                return -1;
        }
        duckdb_prepared_statement ps = NULL;
        int b = duckdb_prepare(p->con ? p->con : p->own, sql, &ps) == DuckDBError;
        char text[400];
        if (b) {
            const char *msg = duckdb_prepare_error(ps);
            size_t len = msg ? strcspn(msg, "\n") : 0; /* DuckDB's first line says it */
            snprintf(text, sizeof(text), "%.*s", (int)(len < 300 ? len : 300), msg ? msg : "");
        } else {
            result_type(ps, text, sizeof(text));
        }
        duckdb_destroy_prepare(&ps);
        const char *ks = dp_arena_strdup(p->arena, sql), *kt = dp_arena_strdup(p->arena, text);
        if (!ks || !kt || !(o = add(p, ks, b, kt))) {
            dp_error_set(err, DP_ENOMEM, "out of memory");
            return -1;
        }
        p->added++;
    }
    o->used = 1;
    *bad = o->bad;
    snprintf(o->bad ? why : type, o->bad ? whyn : typen, "%s", o->text);
    return 0;
}

static void keep(dp_exprprobe *p)
{
    dp_buf b;
    dp_buf_init(&b, PROBE_TEXT_MAX);
    dp_buf_puts(&b, PROBE_HEAD "F ");
    dp_textrec_put(&b, dp_db_fingerprint(p->db));
    dp_buf_putc(&b, '\n');
    for (size_t i = 0; i < PROBE_BUCKETS; i++)
        for (outcome *o = p->bucket[i]; o; o = o->next) {
            if (!o->used)
                continue; /* an expression no longer in the catalog */
            dp_buf_printf(&b, "%d ", o->bad);
            dp_textrec_put(&b, o->sql);
            dp_buf_putc(&b, '\t');
            dp_textrec_put(&b, o->text);
            dp_buf_putc(&b, '\n');
        }
    dp_error ignore = {0}; /* a cache that cannot be written is not an error */
    if (!b.toobig)
        dp_state_profile_put(p->state, p->key, dp_buf_cstr(&b), &ignore);
    dp_buf_dispose(&b);
}

void dp_exprprobe_free(dp_exprprobe *p)
{
    if (!p)
        return;
    if (p->state && p->added)
        keep(p);
    if (p->own)
        duckdb_disconnect(&p->own);
    dp_arena_free(p->arena);
    free(p);
}

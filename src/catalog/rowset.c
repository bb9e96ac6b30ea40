/* A query result kept in C: DuckDB's own data chunks, held until freed, with
 * each column's data and validity pointers found once per chunk. */
#include "catalog/rowset.h"
#include "catalog/db.h"
#include "util/error.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

typedef struct rs_col {
    char *name, *type;
    duckdb_type id;     /* the column's type */
    duckdb_type stored; /* DECIMAL: its internal integer type; else id */
    dp_val_kind kind;
    int scale, digits, width;
} rs_col;

typedef struct rs_chunk {
    duckdb_data_chunk chunk;
    size_t start, size;
} rs_chunk;

struct dp_rowset {
    duckdb_result res;
    int has_res; /* res is to be destroyed with the rowset */
    size_t nrows, ncols, nchunks;
    rs_col *cols;
    rs_chunk *chunks;
    void **data;      /* [chunk * ncols + col] */
    uint64_t **valid; /* the same; NULL: every row valid */
};

/* The kind and digits of a plain type read here; 0 when it is not one. */
static int plain_kind(duckdb_type id, dp_val_kind *kind, int *digits)
{
    static const struct {
        duckdb_type id;
        dp_val_kind kind;
        int digits;
    } k[] = {{DUCKDB_TYPE_BOOLEAN, DP_VAL_BOOL, 0},    {DUCKDB_TYPE_TINYINT, DP_VAL_EXACT, 3},
             {DUCKDB_TYPE_SMALLINT, DP_VAL_EXACT, 5},  {DUCKDB_TYPE_INTEGER, DP_VAL_EXACT, 10},
             {DUCKDB_TYPE_BIGINT, DP_VAL_EXACT, 19},   {DUCKDB_TYPE_UTINYINT, DP_VAL_EXACT, 3},
             {DUCKDB_TYPE_USMALLINT, DP_VAL_EXACT, 5}, {DUCKDB_TYPE_UINTEGER, DP_VAL_EXACT, 10},
             {DUCKDB_TYPE_UBIGINT, DP_VAL_EXACT, 20},  {DUCKDB_TYPE_HUGEINT, DP_VAL_EXACT, 39},
             {DUCKDB_TYPE_FLOAT, DP_VAL_DOUBLE, 0},    {DUCKDB_TYPE_DOUBLE, DP_VAL_DOUBLE, 0},
             {DUCKDB_TYPE_DATE, DP_VAL_DATE, 0},       {DUCKDB_TYPE_TIMESTAMP, DP_VAL_TIMESTAMP, 0},
             {DUCKDB_TYPE_VARCHAR, DP_VAL_TEXT, 0}};
    for (size_t i = 0; i < sizeof(k) / sizeof(*k); i++)
        if (k[i].id == id) {
            *kind = k[i].kind;
            *digits = k[i].digits;
            return 1;
        }
    return 0;
}

/* Column c's type; 0 when it is read here. */
static int read_type(dp_rowset *rs, size_t c, dp_error *err)
{
    rs_col *col = &rs->cols[c];
    duckdb_logical_type t = duckdb_column_logical_type(&rs->res, c);
    char name[96];
    const char *tn = t ? dp_db_type_name(t, name, sizeof(name)) : NULL;
    col->id = t ? duckdb_get_type_id(t) : DUCKDB_TYPE_INVALID;
    col->stored = col->id;
    int ok = tn != NULL;
    if (ok && col->id == DUCKDB_TYPE_DECIMAL) {
        col->kind = DP_VAL_EXACT;
        col->width = col->digits = duckdb_decimal_width(t);
        col->scale = duckdb_decimal_scale(t);
        col->stored = duckdb_decimal_internal_type(t);
    } else if (ok) {
        ok = plain_kind(col->id, &col->kind, &col->digits);
    }
    if (t)
        duckdb_destroy_logical_type(&t);
    col->name = strdup(duckdb_column_name(&rs->res, c));
    col->type = tn ? strdup(tn) : NULL;
    if (!col->name || (tn && !col->type))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    if (!ok)
        return dp_error_set(err, DP_EINVALID, "column %s has a type not read into C", col->name);
    return 0;
}

/* Keeps chunk ch (taken), its pointers found; 0 or an error. */
static int keep_chunk(dp_rowset *rs, duckdb_data_chunk ch, size_t *cap, size_t max_rows, size_t max_bytes,
                      size_t *bytes, dp_error *err)
{
    size_t size = (size_t)duckdb_data_chunk_get_size(ch);
    if (rs->nchunks == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        rs_chunk *chunks = realloc(rs->chunks, nc * sizeof(*chunks));
        if (chunks)
            rs->chunks = chunks;
        void **data = chunks ? realloc(rs->data, nc * rs->ncols * sizeof(*data)) : NULL;
        if (data)
            rs->data = data;
        uint64_t **valid = data ? realloc(rs->valid, nc * rs->ncols * sizeof(*valid)) : NULL;
        if (valid)
            rs->valid = valid;
        if (!valid) {
            duckdb_destroy_data_chunk(&ch);
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        }
        *cap = nc;
    }
    rs->chunks[rs->nchunks] = (rs_chunk){ch, rs->nrows, size};
    for (size_t c = 0; c < rs->ncols; c++) {
        duckdb_vector v = duckdb_data_chunk_get_vector(ch, c);
        void *data = duckdb_vector_get_data(v);
        uint64_t *valid = duckdb_vector_get_validity(v);
        rs->data[rs->nchunks * rs->ncols + c] = data;
        rs->valid[rs->nchunks * rs->ncols + c] = valid;
        *bytes += size * 16;
        if (rs->cols[c].kind == DP_VAL_TEXT) /* the length field of duckdb_string_t, read in place */
            for (size_t i = 0; i < size; i++)
                if (dp_rowset_valid_at(valid, i))
                    *bytes += ((const duckdb_string_t *)data)[i].value.inlined.length;
    }
    rs->nchunks++;
    rs->nrows += size;
    if (rs->nrows > max_rows)
        return dp_error_set(err, DP_ELIMIT, "more than %zu rows", max_rows);
    if (*bytes > max_bytes)
        return dp_error_set(err, DP_ELIMIT, "more than %zu bytes", max_bytes);
    return 0;
}

/* The columns of rs->res; 0 when every one is read here. */
static int read_types(dp_rowset *rs, dp_error *err)
{
    rs->ncols = (size_t)duckdb_column_count(&rs->res);
    if (rs->ncols > 4096)
        return dp_error_set(err, DP_ELIMIT, "more than 4096 columns");
    rs->cols = calloc(rs->ncols ? rs->ncols : 1, sizeof(*rs->cols));
    if (!rs->cols)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t c = 0; !rc && c < rs->ncols; c++)
        rc = read_type(rs, c, err);
    return rc;
}

int dp_rowset_read(dp_rowset **out, duckdb_connection con, const char *sql, long timeout_ms, size_t max_rows,
                   size_t max_bytes, dp_error *err)
{
    *out = NULL;
    dp_rowset *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    int rc = dp_db_query_result(con, sql, timeout_ms, &rs->res, err);
    if (rc) {
        free(rs);
        return rc;
    }
    rs->has_res = 1;
    rc = read_types(rs, err);
    size_t cap = 0, bytes = 0;
    duckdb_data_chunk ch;
    while (!rc && (ch = duckdb_fetch_chunk(rs->res)))
        rc = keep_chunk(rs, ch, &cap, max_rows, max_bytes, &bytes, err);
    if (rc) {
        dp_rowset_free(rs);
        return rc;
    }
    *out = rs;
    return 0;
}

int dp_rowset_plain_type(duckdb_logical_type t)
{
    char name[96];
    dp_val_kind kind;
    int digits;
    if (!t || !dp_db_type_name(t, name, sizeof(name)))
        return 0;
    duckdb_type id = duckdb_get_type_id(t);
    return id == DUCKDB_TYPE_DECIMAL || plain_kind(id, &kind, &digits);
}

/* CREATE TEMPORARY TABLE table with rs's columns, and an appender on it. */
static int make_table(const dp_rowset *rs, duckdb_connection con, const char *table, duckdb_appender *app,
                      dp_error *err)
{
    size_t len = strlen(table) * 2 + 64;
    for (size_t c = 0; c < rs->ncols; c++)
        len += strlen(rs->cols[c].name) * 2 + strlen(rs->cols[c].type) + 8;
    char *sql = malloc(len), *p = sql;
    if (!sql)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    p += sprintf(p, "CREATE TEMPORARY TABLE %s (", table);
    for (size_t c = 0; c < rs->ncols; c++) {
        *p++ = c ? ',' : ' ';
        *p++ = '"';
        for (const char *q = rs->cols[c].name; *q; q++) {
            if (*q == '"')
                *p++ = '"';
            *p++ = *q;
        }
        p += sprintf(p, "\" %s", rs->cols[c].type);
    }
    strcpy(p, ")");
    int rc = dp_db_query(con, sql, 0, NULL, NULL, err);
    free(sql);
    if (!rc && duckdb_appender_create_ext(con, "temp", "main", table, app) == DuckDBError) {
        rc = dp_error_set(err, DP_EENGINE, "%s", *app ? duckdb_appender_error(*app) : "cannot append");
        duckdb_appender_destroy(app);
    }
    return rc;
}

static int append(duckdb_appender app, duckdb_data_chunk ch, dp_error *err)
{
    if (duckdb_append_data_chunk(app, ch) == DuckDBError)
        return dp_error_set(err, DP_EENGINE, "%s", duckdb_appender_error(app));
    return 0;
}

static int finish_table(duckdb_appender *app, int rc, dp_error *err)
{
    if (!rc && duckdb_appender_close(*app) == DuckDBError)
        rc = dp_error_set(err, DP_EENGINE, "%s", duckdb_appender_error(*app));
    duckdb_appender_destroy(app);
    return rc;
}

typedef struct stream_ctx {
    dp_rowset *rs;
    size_t max_rows, max_bytes, cap, bytes;
    dp_rowset_spill_fn spill;
    void *spill_payload;
    const char *table;
    duckdb_appender app; /* once over the caps: every row goes here */
    long long rows;
} stream_ctx;

static int take_chunk(void *payload, duckdb_result *res, duckdb_data_chunk ch, dp_error *err)
{
    stream_ctx *c = payload;
    dp_rowset *rs = c->rs;
    if (!ch) { /* the columns */
        rs->res = *res;
        int rc = read_types(rs, err);
        memset(&rs->res, 0, sizeof(rs->res)); /* the stream's, not the rowset's */
        return rc;
    }
    c->rows += (long long)duckdb_data_chunk_get_size(ch);
    if (c->app) {
        int rc = append(c->app, ch, err);
        duckdb_destroy_data_chunk(&ch);
        return rc;
    }
    int rc = keep_chunk(rs, ch, &c->cap, (size_t)-1, (size_t)-1, &c->bytes, err);
    if (rc || (rs->nrows <= c->max_rows && c->bytes <= c->max_bytes))
        return rc;
    /* too large to keep in C: the table, on the connection the spill gives
     * (not the streaming one, which runs no other statement meanwhile) */
    duckdb_connection con;
    if ((rc = c->spill(c->spill_payload, &con, err)) || (rc = make_table(rs, con, c->table, &c->app, err)))
        return rc;
    for (size_t k = 0; !rc && k < rs->nchunks; k++)
        rc = append(c->app, rs->chunks[k].chunk, err);
    return rc;
}

int dp_rowset_stream(dp_rowset **out, duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms,
                     size_t max_rows, size_t max_bytes, dp_rowset_spill_fn spill, void *spill_payload,
                     const char *table, long long *rows, dp_error *err)
{
    *out = NULL;
    *rows = 0;
    stream_ctx c = {calloc(1, sizeof(dp_rowset)), max_rows, max_bytes, 0, 0, spill, spill_payload, table, NULL, 0};
    if (!c.rs)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    int rc = dp_db_stream_prepared(con, ps, timeout_ms, take_chunk, &c, err);
    if (c.app)
        rc = finish_table(&c.app, rc, err);
    *rows = c.rows;
    if (rc || c.rows > (long long)c.rs->nrows || c.rs->nrows > max_rows || c.bytes > max_bytes) {
        dp_rowset_free(c.rs); /* an error, or the rows are in the table */
        return rc;
    }
    *out = c.rs;
    return 0;
}

int dp_rowset_to_table(const dp_rowset *rs, duckdb_connection con, const char *table, dp_error *err)
{
    duckdb_appender app = NULL;
    int rc = make_table(rs, con, table, &app, err);
    for (size_t k = 0; !rc && k < rs->nchunks; k++)
        rc = append(app, rs->chunks[k].chunk, err);
    return app ? finish_table(&app, rc, err) : rc;
}

void dp_rowset_free(dp_rowset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nchunks; i++)
        duckdb_destroy_data_chunk(&rs->chunks[i].chunk);
    for (size_t c = 0; rs->cols && c < rs->ncols; c++) {
        free(rs->cols[c].name);
        free(rs->cols[c].type);
    }
    free(rs->cols);
    free(rs->chunks);
    free(rs->data);
    free(rs->valid);
    if (rs->has_res)
        duckdb_destroy_result(&rs->res);
    free(rs);
}

size_t dp_rowset_rows(const dp_rowset *rs) { return rs->nrows; }
size_t dp_rowset_cols(const dp_rowset *rs) { return rs->ncols; }
const char *dp_rowset_name(const dp_rowset *rs, size_t col) { return rs->cols[col].name; }
const char *dp_rowset_type(const dp_rowset *rs, size_t col) { return rs->cols[col].type; }
dp_val_kind dp_rowset_kind(const dp_rowset *rs, size_t col) { return rs->cols[col].kind; }
int dp_rowset_digits(const dp_rowset *rs, size_t col) { return rs->cols[col].digits; }
int dp_rowset_scale(const dp_rowset *rs, size_t col) { return rs->cols[col].scale; }

int dp_rowset_find(const dp_rowset *rs, const char *name)
{
    int found = -1;
    for (size_t c = 0; c < rs->ncols; c++)
        if (!strcasecmp(rs->cols[c].name, name)) {
            if (found >= 0)
                return -1;
            found = (int)c;
        }
    return found;
}

/* The chunk holding row (by its first row: chunks are in row order). */
static size_t chunk_of(const dp_rowset *rs, size_t row)
{
    size_t lo = 0, hi = rs->nchunks;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (rs->chunks[mid].start <= row)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static dp_i128 hugeint(duckdb_hugeint h) { return (dp_i128)(((dp_u128)(uint64_t)h.upper << 64) | h.lower); }

size_t dp_rowset_nchunks(const dp_rowset *rs) { return rs->nchunks; }
size_t dp_rowset_chunk_rows(const dp_rowset *rs, size_t k) { return rs->chunks[k].size; }

const void *dp_rowset_data(const dp_rowset *rs, size_t col, size_t k, duckdb_type *stored)
{
    *stored = rs->cols[col].stored;
    return rs->data[k * rs->ncols + col];
}

const uint64_t *dp_rowset_validity(const dp_rowset *rs, size_t col, size_t k) { return rs->valid[k * rs->ncols + col]; }

void dp_rowset_get_at(const dp_rowset *rs, size_t col, size_t k, size_t i, dp_val *v)
{
    const rs_col *c = &rs->cols[col];
    const void *data = rs->data[k * rs->ncols + col];
    uint64_t *valid = rs->valid[k * rs->ncols + col];
    if (valid && !duckdb_validity_row_is_valid(valid, i)) {
        v->kind = DP_VAL_NULL;
        return;
    }
    v->kind = c->kind;
    v->scale = c->scale;
    v->digits = c->digits;
    switch (c->stored) {
    case DUCKDB_TYPE_BOOLEAN:
        v->u.b = ((const bool *)data)[i];
        break;
    case DUCKDB_TYPE_TINYINT:
        v->u.i = ((const int8_t *)data)[i];
        break;
    case DUCKDB_TYPE_SMALLINT:
        v->u.i = ((const int16_t *)data)[i];
        break;
    case DUCKDB_TYPE_INTEGER:
        v->u.i = ((const int32_t *)data)[i];
        break;
    case DUCKDB_TYPE_BIGINT:
        v->u.i = ((const int64_t *)data)[i];
        break;
    case DUCKDB_TYPE_UTINYINT:
        v->u.i = ((const uint8_t *)data)[i];
        break;
    case DUCKDB_TYPE_USMALLINT:
        v->u.i = ((const uint16_t *)data)[i];
        break;
    case DUCKDB_TYPE_UINTEGER:
        v->u.i = ((const uint32_t *)data)[i];
        break;
    case DUCKDB_TYPE_UBIGINT:
        v->u.i = ((const uint64_t *)data)[i];
        break;
    case DUCKDB_TYPE_HUGEINT:
        v->u.i = hugeint(((const duckdb_hugeint *)data)[i]);
        break;
    case DUCKDB_TYPE_FLOAT:
        v->u.d = ((const float *)data)[i];
        break;
    case DUCKDB_TYPE_DOUBLE:
        v->u.d = ((const double *)data)[i];
        break;
    case DUCKDB_TYPE_DATE:
        v->u.days = ((const duckdb_date *)data)[i].days;
        break;
    case DUCKDB_TYPE_TIMESTAMP:
        v->u.micros = ((const duckdb_timestamp *)data)[i].micros;
        break;
    case DUCKDB_TYPE_VARCHAR:
        dp_rowset_text_at(data, i, v);
        break;
    default:
        v->kind = DP_VAL_NULL;
        break; /* not reached: read_type refuses it */
    }
}

void dp_rowset_get(const dp_rowset *rs, size_t col, size_t row, dp_val *v)
{
    size_t k = chunk_of(rs, row);
    dp_rowset_get_at(rs, col, k, row - rs->chunks[k].start, v);
}

/* The digits of u written backwards before end ("0" for 0); the first. */
static char *digits_back(char *end, dp_u128 u)
{
    char *p = end;
    do {
        *--p = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    return p;
}

/* An exact number (an integer when scale is 0) as DuckDB writes it: a minus
 * first when negative, then the integer part, then '.' and scale digits. */
static size_t exact_text(dp_i128 x, int scale, char *buf, size_t cap)
{
    char tmp[48], *end = tmp + sizeof(tmp), *p;
    dp_u128 u = x < 0 ? -(dp_u128)x : (dp_u128)x;
    if (scale <= 0) {
        p = digits_back(end, u);
    } else {
        dp_u128 pow = 1;
        for (int i = 0; i < scale; i++)
            pow *= 10;
        char *f = end;
        dp_u128 frac = u % pow;
        for (int i = 0; i < scale; i++, frac /= 10)
            *--f = (char)('0' + (int)(frac % 10));
        *--f = '.';
        p = digits_back(f, u / pow);
    }
    if (x < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    if (n >= cap)
        return 0;
    memcpy(buf, p, n);
    buf[n] = 0;
    return n;
}

/* A date of the years 1-9999 as DuckDB writes it (YYYY-MM-DD); 0 for the
 * others (BC, five-digit years, infinities), which DuckDB writes itself.
 * Days since 1970-01-01 to the civil calendar (proleptic Gregorian). */
static size_t date_text(int32_t days, char *buf, size_t cap)
{
    int64_t z = (int64_t)days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    if (y < 1 || y > 9999 || cap < 11)
        return 0;
    return (size_t)snprintf(buf, cap, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

/* A value of column c (not NULL) as DuckDB's cast to VARCHAR writes it. */
static json_t *text_of(const rs_col *c, const dp_val *v)
{
    if (v->kind == DP_VAL_TEXT)
        return json_stringn(v->u.s.p, v->u.s.n);
    /* the plain ones written here (a DuckDB value costs microseconds) */
    char text[64];
    size_t tn = 0;
    if (c->id == DUCKDB_TYPE_BOOLEAN)
        return json_string(v->u.b ? "true" : "false");
    if (v->kind == DP_VAL_EXACT)
        tn = exact_text(v->u.i, c->id == DUCKDB_TYPE_DECIMAL ? c->scale : 0, text, sizeof(text));
    else if (c->id == DUCKDB_TYPE_DATE)
        tn = date_text(v->u.days, text, sizeof(text));
    if (tn)
        return json_stringn(text, tn);
    duckdb_value dv = NULL;
    dp_u128 u = (dp_u128)v->u.i;
    duckdb_hugeint h = {(uint64_t)u, (int64_t)(u >> 64)};
    switch (c->id) {
    case DUCKDB_TYPE_BOOLEAN:
        dv = duckdb_create_bool(v->u.b);
        break;
    case DUCKDB_TYPE_TINYINT:
        dv = duckdb_create_int8((int8_t)v->u.i);
        break;
    case DUCKDB_TYPE_SMALLINT:
        dv = duckdb_create_int16((int16_t)v->u.i);
        break;
    case DUCKDB_TYPE_INTEGER:
        dv = duckdb_create_int32((int32_t)v->u.i);
        break;
    case DUCKDB_TYPE_BIGINT:
        dv = duckdb_create_int64((int64_t)v->u.i);
        break;
    case DUCKDB_TYPE_UTINYINT:
        dv = duckdb_create_uint8((uint8_t)v->u.i);
        break;
    case DUCKDB_TYPE_USMALLINT:
        dv = duckdb_create_uint16((uint16_t)v->u.i);
        break;
    case DUCKDB_TYPE_UINTEGER:
        dv = duckdb_create_uint32((uint32_t)v->u.i);
        break;
    case DUCKDB_TYPE_UBIGINT:
        dv = duckdb_create_uint64((uint64_t)v->u.i);
        break;
    case DUCKDB_TYPE_HUGEINT:
        dv = duckdb_create_hugeint(h);
        break;
    case DUCKDB_TYPE_FLOAT:
        dv = duckdb_create_float((float)v->u.d);
        break; /* exact: read from a float */
    case DUCKDB_TYPE_DOUBLE:
        dv = duckdb_create_double(v->u.d);
        break;
    case DUCKDB_TYPE_DATE:
        dv = duckdb_create_date((duckdb_date){v->u.days});
        break;
    case DUCKDB_TYPE_TIMESTAMP:
        dv = duckdb_create_timestamp((duckdb_timestamp){v->u.micros});
        break;
    case DUCKDB_TYPE_DECIMAL:
        dv = duckdb_create_decimal((duckdb_decimal){(uint8_t)c->width, (uint8_t)c->scale, h});
        break;
    default:
        break;
    }
    char *s = dv ? duckdb_get_varchar(dv) : NULL;
    json_t *j = s ? json_string(s) : NULL;
    duckdb_free(s);
    duckdb_destroy_value(&dv);
    return j;
}

json_t *dp_rowset_row_json(const dp_rowset *rs, size_t row)
{
    json_t *o = json_object();
    for (size_t c = 0; o && c < rs->ncols; c++) {
        dp_val v;
        dp_rowset_get(rs, c, row, &v);
        json_t *t = v.kind == DP_VAL_NULL ? json_null() : text_of(&rs->cols[c], &v);
        if (!t || json_object_set_new(o, rs->cols[c].name, t)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

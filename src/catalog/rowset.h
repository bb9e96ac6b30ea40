/* A small query result read once into C, typed: the test run's rows, which
 * the transformation's sample and counts and the quality rules then read
 * without a statement each. Only results of the plain types below are
 * read (a row count and a byte size capped by the caller); anything else
 * stays in DuckDB and its checks run as SQL. */
#ifndef DP_CATALOG_ROWSET_H
#define DP_CATALOG_ROWSET_H
#include <duckdb.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "dpgen/dpgen.h"

typedef struct dp_rowset dp_rowset;
/* 128-bit integers (GCC and Clang): HUGEINT and DECIMAL(38) values. */
__extension__ typedef __int128 dp_i128;
__extension__ typedef unsigned __int128 dp_u128;

/* A value as the rule evaluator compares it: integers and decimals exact
 * (i / 10^scale), FLOAT and DOUBLE as double, DATE as days since
 * 1970-01-01, TIMESTAMP as microseconds, VARCHAR as bytes. */
typedef enum dp_val_kind {
    DP_VAL_NULL,
    DP_VAL_BOOL,
    DP_VAL_EXACT,
    DP_VAL_DOUBLE,
    DP_VAL_DATE,
    DP_VAL_TIMESTAMP,
    DP_VAL_TEXT
} dp_val_kind;

typedef struct dp_val {
    dp_val_kind kind;
    int scale;  /* EXACT: digits after the point */
    int digits; /* EXACT: at most this many digits in i (the type's width) */
    union {
        dp_i128 i;
        double d;
        int32_t days;
        int64_t micros;
        int b;
        struct {
            const char *p;
            uint32_t n;
        } s;
    } u;
} dp_val;

/* Runs sql (a SELECT) with the time limit and keeps its rows: 0 and *out;
 * DP_ELIMIT past max_rows rows or max_bytes of text; DP_EINVALID when a
 * column's type is not one read here (the caller then reads the table with
 * SQL); the statement's error. */
int dp_rowset_read(dp_rowset **out, duckdb_connection con, const char *sql, long timeout_ms, size_t max_rows,
                   size_t max_bytes, dp_error *err);
void dp_rowset_free(dp_rowset *rs);
/* 1 when a column of type t is read here (so a result of such columns can
 * be read by dp_rowset_stream). */
int dp_rowset_plain_type(duckdb_logical_type t);
/* The connection a result too large for C goes to, as a table (*out: the
 * caller's from then on); 0 or an error. */
typedef int (*dp_rowset_spill_fn)(void *payload, duckdb_connection *out, dp_error *err);
/* Runs ps (its columns of plain types) streaming on con under the time
 * limit: its rows into *out when at most max_rows and max_bytes; else
 * every row into a new temporary table named table (an SQL name) on the
 * connection spill gives, and *out NULL. *rows: the result's rows. */
int dp_rowset_stream(dp_rowset **out, duckdb_connection con, duckdb_prepared_statement ps, long timeout_ms,
                     size_t max_rows, size_t max_bytes, dp_rowset_spill_fn spill, void *spill_payload,
                     const char *table, long long *rows, dp_error *err);
/* The rows into a new temporary table named table (the SQL of a check that
 * is not evaluated in C then reads it). */
int dp_rowset_to_table(const dp_rowset *rs, duckdb_connection con, const char *table, dp_error *err);

size_t dp_rowset_rows(const dp_rowset *rs);
size_t dp_rowset_cols(const dp_rowset *rs);
const char *dp_rowset_name(const dp_rowset *rs, size_t col);
/* The column's type as pragma_table_info names it ("DECIMAL(18,2)"). */
const char *dp_rowset_type(const dp_rowset *rs, size_t col);
/* The kind every non-NULL value of the column has. */
dp_val_kind dp_rowset_kind(const dp_rowset *rs, size_t col);
/* Digits of an exact column's type (BIGINT 19, DECIMAL(18,2) 18). */
int dp_rowset_digits(const dp_rowset *rs, size_t col);
/* Digits after the point of a DECIMAL column (0 for the others). */
int dp_rowset_scale(const dp_rowset *rs, size_t col);
/* The column named name, matched as DuckDB matches identifiers (case
 * aside); -1 when none or two. */
int dp_rowset_find(const dp_rowset *rs, const char *name);
/* Value of row, col (row < rows, col < cols). */
void dp_rowset_get(const dp_rowset *rs, size_t col, size_t row, dp_val *v);
/* The rows are DuckDB's chunks in order: a loop over every row reads
 * row i of chunk k without finding the chunk each time. */
size_t dp_rowset_nchunks(const dp_rowset *rs);
size_t dp_rowset_chunk_rows(const dp_rowset *rs, size_t k);
void dp_rowset_get_at(const dp_rowset *rs, size_t col, size_t k, size_t i, dp_val *v);
/* Column col of chunk k as DuckDB holds it: its values (of type *stored,
 * a DECIMAL's internal integer type) and validity (NULL: no NULL), for
 * loops over a whole chunk. */
const void *dp_rowset_data(const dp_rowset *rs, size_t col, size_t k, duckdb_type *stored);
const uint64_t *dp_rowset_validity(const dp_rowset *rs, size_t col, size_t k);
/* Row i of such a validity mask (NULL: every row valid) is not NULL. */
static inline int dp_rowset_valid_at(const uint64_t *valid, size_t i)
{
    return !valid || ((valid[i >> 6] >> (i & 63)) & 1);
}
/* Value i of such a VARCHAR vector as text, read in place (DuckDB inlines
 * up to 12 bytes). */
static inline void dp_rowset_text_at(const void *data, size_t i, dp_val *v)
{
    const duckdb_string_t *s = (const duckdb_string_t *)data + i;
    v->kind = DP_VAL_TEXT;
    v->u.s.n = s->value.inlined.length;
    v->u.s.p = v->u.s.n <= 12 ? s->value.inlined.inlined : s->value.pointer.ptr;
}
/* Row row as {column: text or null}, each value as DuckDB casts it to
 * VARCHAR (what a query's text result shows); NULL on no memory. */
json_t *dp_rowset_row_json(const dp_rowset *rs, size_t row);

#endif

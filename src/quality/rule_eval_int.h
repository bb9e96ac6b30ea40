/* Internal to the rule evaluator (rule_compile.c builds the tree,
 * rule_value.c orders and reads values, rule_eval.c evaluates): the
 * compiled condition's nodes. */
#ifndef DP_QUALITY_RULE_EVAL_INT_H
#define DP_QUALITY_RULE_EVAL_INT_H
#include "quality/rule_eval.h"
#include <jansson.h>
#include <stdint.h>

#define MAX_DEPTH 64
#define MAX_NODES 4096
#define MAX_EXACT_DIGITS 38

enum { T_FALSE = 0, T_TRUE = 1, T_NULL = 2 };
typedef enum { N_COL, N_CONST, N_CMP, N_AND, N_OR, N_NOT, N_ISNULL, N_NOTNULL, N_IN, N_NOTIN, N_BOOLVAL } nkind;
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct node {
    nkind k;
    int op;
    int col;        /* N_COL */
    dp_val c;       /* N_CONST */
    dp_val_kind vk; /* a value node's kind (NULL: the NULL literal) */
    int digits, scale;
    struct node **kids;
    size_t nkids;
    /* a sorted IN list of TEXT, EXACT or DATE: its constants by hash
     * (nslots a power of two; NULL: none) */
    const dp_val **slots;
    size_t nslots;
} node;

struct dp_rule_eval {
    node *cond;
    int rows; /* the row form */
};

typedef struct cctx {
    const dp_rowset *rs;
    dp_rule_values_fn values;
    void *payload;
    dp_arena *a;
    const char *sql;  /* the text parsed (a literal is read back from it) */
    const char *qual; /* the alias (or the table) a column may be qualified with */
    int aggregate;    /* HAVING: aggregates allowed, bare columns not */
    int nodes;
} cctx;

/* rule_value.c */
dp_i128 dp_rule__pow10(int n);
int dp_rule__digits(dp_i128 v);
/* An exact or double value as DuckDB casts it to DOUBLE. */
double dp_rule__as_double(const dp_val *v);
/* 1 numbers, 2 dates and timestamps, 3 text, 4 booleans, 0 other. */
int dp_rule__family(dp_val_kind k);
/* Two value nodes compared without a cast DuckDB would add, exact values
 * aligned without overflow. */
int dp_rule__comparable(const node *a, const node *b);
/* 'YYYY-MM-DD' as days since 1970-01-01; -1 when not a real day. */
int dp_rule__parse_date(const char *s, int32_t *out);
/* date_trunc(part, day) for day, week, month, quarter, year; -1 else. */
int dp_rule__trunc_date(const char *part, int32_t days, int32_t *out);
/* A hash of a TEXT, EXACT or DATE value: equal values hash alike. */
uint64_t dp_rule__val_hash(const dp_val *v);

/* rule_eval.c: n (a boolean node) on row i of chunk k: T_FALSE, T_TRUE,
 * T_NULL. */
int dp_rule__eval(const node *n, const dp_rowset *rs, size_t k, size_t i);

#endif

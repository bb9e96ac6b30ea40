/* The one list of functions a catalog expression (expr, filter) may call:
 * scalar math, text, date and time, conditional functions and aggregates,
 * none that reads a table, a file, a setting or the session. Widen it here
 * (and in README.md's catalog section) when a real expression needs more. */
#include "sql/check.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sorted for bsearch (tests/unit/test_expr_check.c checks the order). */
/* clang-format off */
static const char *const functions[] = {
    "abs", "acos", "age", "any_value", "approx_count_distinct", "approx_quantile", "arbitrary", "arg_max",
    "arg_min", "argmax", "argmin", "ascii", "asin", "atan", "atan2", "avg", "bit_and", "bit_count", "bit_length",
    "bit_or", "bit_xor", "bool_and", "bool_or", "btrim", "cbrt", "ceil", "ceiling", "century", "char_length",
    "character_length", "chr", "coalesce", "concat", "concat_ws", "contains", "corr", "cos", "cot", "count",
    "count_if", "countif", "covar_pop", "covar_samp", "current_date", "date_add", "date_diff", "date_part",
    "date_sub", "date_trunc", "datediff", "datepart", "datesub", "datetrunc", "day", "dayname", "dayofmonth",
    "dayofweek", "dayofyear", "decade", "degrees", "div", "ends_with", "entropy", "epoch", "epoch_ms", "epoch_us",
    "even", "every", "exp", "extract", "factorial", "favg", "first", "floor", "format", "fsum", "gamma", "gcd",
    "geomean", "greatest", "hash", "hour", "if", "ifnull", "initcap", "instr", "isfinite", "isinf", "isnan",
    "isodow", "isoyear", "kahan_sum", "kurtosis", "last", "last_day", "lcase", "lcm", "least", "left", "len",
    "length", "levenshtein", "lgamma", "listagg", "ln", "log", "log10", "log2", "lower", "lpad", "ltrim", "mad",
    "make_date", "make_time", "make_timestamp", "max", "max_by", "md5", "mean", "median", "microsecond",
    "millennium", "millisecond", "min", "min_by", "minute", "mod", "mode", "month", "monthname", "nextafter", "now",
    "nullif", "octet_length", "percentile_cont", "percentile_disc", "pi", "position", "pow", "power", "prefix",
    "printf", "product", "quantile", "quantile_cont", "quantile_disc", "quarter", "radians", "regexp_extract",
    "regexp_full_match", "regexp_matches", "regexp_replace", "regr_avgx", "regr_avgy", "regr_count",
    "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "replace", "reverse", "right",
    "round", "round_even", "roundbankers", "rpad", "rtrim", "second", "sem", "sign", "signbit", "sin", "skewness",
    "split_part", "sqrt", "starts_with", "stddev", "stddev_pop", "stddev_samp", "strftime", "string_agg",
    "strip_accents", "strlen", "strpos", "strptime", "substr", "substring", "suffix", "sum", "sumkahan", "tan",
    "time_bucket", "timezone", "to_date", "to_days", "to_hours", "to_microseconds", "to_milliseconds", "to_minutes",
    "to_months", "to_seconds", "to_timestamp", "to_weeks", "to_years", "today", "translate", "trim", "trunc",
    "try_strptime", "typeof", "ucase", "upper", "var_pop", "var_samp", "variance", "week", "weekday", "weekofyear",
    "xor", "year", "yearweek",
};
/* clang-format on */

static int cmp(const void *key, const void *item) { return strcasecmp((const char *)key, *(const char *const *)item); }

int dp_sql_expr_function(const char *name)
{
    if (!name || strlen(name) > 64)
        return 0;
    return bsearch(name, functions, sizeof(functions) / sizeof(*functions), sizeof(*functions), cmp) != NULL;
}

const char *dp_sql_expr_function_at(size_t i)
{
    return i < sizeof(functions) / sizeof(*functions) ? functions[i] : NULL;
}

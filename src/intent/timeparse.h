/* English time expressions: grains ("weekly", "per month", "week by week")
 * and ranges ("in March 2025", "Q2 2025", "last 12 weeks", "year to date"),
 * resolved to half-open [start, end) dates against an as-of date. */
#ifndef DP_INTENT_TIMEPARSE_H
#define DP_INTENT_TIMEPARSE_H
#include "kg/kg.h"
#include "kg/text.h"

typedef struct dp_date {
    int y, m, d;
} dp_date;

int dp_date_parse(const char *s, dp_date *out); /* YYYY-MM-DD */
void dp_date_format(dp_date d, char out[11]);
dp_date dp_date_add_days(dp_date d, int days);
dp_date dp_date_add_months(dp_date d, int months);
int dp_date_weekday(dp_date d); /* 0 = Monday */
long dp_date_days(dp_date d);   /* days since 1970-01-01 */
dp_date dp_date_trunc(dp_date d, dp_grain g);

/* Grain named by a single word (daily, weekly, week, weeks...), or NONE. */
dp_grain dp_grain_word(const char *low, int *is_adjective);

/* Tries to read a time range starting at token i; on success sets
 * [start, end), marks the tokens used and returns the count consumed. */
size_t dp_time_range_at(const dp_tok *t, size_t n, size_t i, dp_date as_of, dp_date *start,
                        dp_date *end);

#endif

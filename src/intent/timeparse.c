/* Calendar arithmetic and English time phrases. */
#include "intent/timeparse.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int mdays(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

int dp_date_parse(const char *s, dp_date *out)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays(y, m))
        return -1;
    *out = (dp_date){y, m, d};
    return 0;
}

void dp_date_format(dp_date d, char out[11])
{
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d.y % 10000, (d.m % 100 + 100) % 100, (d.d % 100 + 100) % 100);
    memcpy(out, tmp, 10);
    out[10] = 0;
}

/* days since 1970-01-01 (civil from days, Howard Hinnant's algorithm) */
static long to_days(dp_date dt)
{
    int y = dt.y - (dt.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)dt.d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static dp_date from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return (dp_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

dp_date dp_date_add_days(dp_date d, int days) { return from_days(to_days(d) + days); }
long dp_date_days(dp_date d) { return to_days(d); }

dp_date dp_date_add_months(dp_date d, int months)
{
    int idx = d.y * 12 + (d.m - 1) + months;
    dp_date r = {idx / 12, idx % 12 + 1, d.d};
    if (r.d > mdays(r.y, r.m))
        r.d = mdays(r.y, r.m);
    return r;
}

int dp_date_weekday(dp_date d)
{
    long z = to_days(d); /* 1970-01-01 was a Thursday (3) */
    return (int)(((z % 7) + 7 + 3) % 7);
}

dp_date dp_date_trunc(dp_date d, dp_grain g)
{
    switch (g) {
    case DP_GRAIN_WEEK: return dp_date_add_days(d, -dp_date_weekday(d));
    case DP_GRAIN_MONTH: return (dp_date){d.y, d.m, 1};
    case DP_GRAIN_QUARTER: return (dp_date){d.y, ((d.m - 1) / 3) * 3 + 1, 1};
    case DP_GRAIN_YEAR: return (dp_date){d.y, 1, 1};
    default: return d;
    }
}

static dp_date add_grain(dp_date d, dp_grain g, int n)
{
    switch (g) {
    case DP_GRAIN_DAY: return dp_date_add_days(d, n);
    case DP_GRAIN_WEEK: return dp_date_add_days(d, 7 * n);
    case DP_GRAIN_MONTH: return dp_date_add_months(d, n);
    case DP_GRAIN_QUARTER: return dp_date_add_months(d, 3 * n);
    case DP_GRAIN_YEAR: return dp_date_add_months(d, 12 * n);
    default: return d;
    }
}

dp_grain dp_grain_word(const char *w, int *adj)
{
    static const struct { const char *w; dp_grain g; int adj; } words[] = {
        {"daily", DP_GRAIN_DAY, 1}, {"day", DP_GRAIN_DAY, 0}, {"days", DP_GRAIN_DAY, 0},
        {"weekly", DP_GRAIN_WEEK, 1}, {"week", DP_GRAIN_WEEK, 0}, {"weeks", DP_GRAIN_WEEK, 0},
        {"monthly", DP_GRAIN_MONTH, 1}, {"month", DP_GRAIN_MONTH, 0}, {"months", DP_GRAIN_MONTH, 0},
        {"quarterly", DP_GRAIN_QUARTER, 1}, {"quarter", DP_GRAIN_QUARTER, 0}, {"quarters", DP_GRAIN_QUARTER, 0},
        {"yearly", DP_GRAIN_YEAR, 1}, {"annual", DP_GRAIN_YEAR, 1}, {"annually", DP_GRAIN_YEAR, 1},
        {"year", DP_GRAIN_YEAR, 0}, {"years", DP_GRAIN_YEAR, 0}, {NULL, DP_GRAIN_NONE, 0}};
    for (int i = 0; words[i].w; i++)
        if (!strcmp(w, words[i].w)) {
            if (adj)
                *adj = words[i].adj;
            return words[i].g;
        }
    return DP_GRAIN_NONE;
}

static int month_word(const char *w)
{
    static const char *m[] = {"january", "february", "march", "april", "may", "june", "july",
                              "august", "september", "october", "november", "december"};
    static const char *s[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (!strcmp(w, m[i]) || !strcmp(w, s[i]) || (i == 8 && !strcmp(w, "sept")))
            return i + 1;
    return 0;
}

static int year_tok(const dp_tok *t)
{
    if (!t->is_num || strlen(t->low) != 4)
        return 0;
    int y = atoi(t->low);
    return y >= 1900 && y <= 2199 ? y : 0;
}

static int number_word(const dp_tok *t)
{
    static const char *w[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                              "ten", "eleven", "twelve"};
    if (t->is_num && strlen(t->low) <= 4)
        return atoi(t->low);
    for (int i = 0; i < 12; i++)
        if (!strcmp(t->low, w[i]))
            return i + 1;
    return 0;
}

/* A single point in time: "March 2025", "March", "2025", "Q2 2025",
 * "2025-03-01". Sets [s, e) of the period; returns tokens consumed. */

/* Does a preposition that takes a month come before token i ("in", "since",
 * "during", "until", "through", "from", "to", "before", "after", "of",
 * "last", "this", "next")? */
static int month_prep(const dp_tok *t, size_t i)
{
    static const char *w[] = {"in", "since", "during", "until", "till", "through", "from", "to", "before", "after",
                              "of", "last", "this", "next", "early", "late", "mid", NULL};
    for (int k = 0; i > 0 && w[k]; k++)
        if (!strcmp(t[i - 1].low, w[k]))
            return 1;
    return 0;
}

/* A day of the month written as a number 1..31 ("17", or "17th" when the
 * tokenizer keeps the suffix), else 0. */
static int day_tok(const dp_tok *t)
{
    int d = atoi(t->low);
    if (d < 1 || d > 31 || !isdigit((unsigned char)t->low[0]))
        return 0;
    size_t digits = strspn(t->low, "0123456789");
    if (digits > 2)
        return 0;
    const char *sfx = t->low + digits;
    if (*sfx && strcmp(sfx, "st") && strcmp(sfx, "nd") && strcmp(sfx, "rd") && strcmp(sfx, "th"))
        return 0;
    return d;
}

/* "June 17", "June 17, 2025", "17 June 2025": one day; tokens consumed. A
 * day without a year is the last one not after as_of. */
static size_t day_at(const dp_tok *t, size_t n, size_t i, dp_date as_of, dp_date *s, dp_date *e)
{
    int m = 0, d = 0;
    size_t used = 0;
    if (i + 1 < n && (m = month_word(t[i].low)) && (d = day_tok(&t[i + 1])))
        used = 2;
    else if (i + 1 < n && (d = day_tok(&t[i])) && (m = month_word(t[i + 1].low)))
        used = 2;
    if (!used)
        return 0;
    size_t j = i + used;
    if (j < n && t[j].punct == ',' && j + 1 < n && year_tok(&t[j + 1]))
        j++;
    int y = j < n ? year_tok(&t[j]) : 0;
    if (y)
        used = j + 1 - i;
    else
        y = m > as_of.m || (m == as_of.m && d > as_of.d) ? as_of.y - 1 : as_of.y;
    char buf[16];
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
    if (dp_date_parse(buf, s))
        return 0; /* "February 30" */
    *e = dp_date_add_days(*s, 1);
    return used;
}

/* Does any of the k tokens from i name a year? */
static int says_year(const dp_tok *t, size_t i, size_t k)
{
    for (size_t j = i; j < i + k; j++)
        if (year_tok(&t[j]))
            return 1;
    return 0;
}

static size_t period_at(const dp_tok *t, size_t n, size_t i, dp_date as_of, dp_date *s, dp_date *e)
{
    if (i >= n)
        return 0;
    int y, m;
    size_t dk = day_at(t, n, i, as_of, s, e);
    if (dk)
        return dk;
    /* ISO date: 2025 - 03 - 01 (the tokenizer dropped the hyphens) */
    if ((y = year_tok(&t[i])) && i + 2 < n && t[i + 1].is_num && t[i + 2].is_num &&
        t[i + 1].start == t[i].end + 1 && t[i + 2].start == t[i + 1].end + 1) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%d-%s-%s", y, t[i + 1].low, t[i + 2].low);
        if (dp_date_parse(buf, s) == 0) {
            *e = dp_date_add_days(*s, 1);
            return 3;
        }
    }
    if ((y = year_tok(&t[i]))) {
        *s = (dp_date){y, 1, 1};
        *e = (dp_date){y + 1, 1, 1};
        return 1;
    }
    /* lowercase "may" is the verb unless a year or a time preposition
     * makes it the month ("in may", "since may", "may 2025") */
    if ((m = month_word(t[i].low)) &&
        !(m == 5 && !strcmp(t[i].raw, "may") && !(i + 1 < n && year_tok(&t[i + 1])) && !month_prep(t, i))) {
        size_t used = 1;
        y = as_of.y;
        if (i + 1 < n && (year_tok(&t[i + 1]))) {
            y = year_tok(&t[i + 1]);
            used = 2;
        } else if (m > as_of.m) {
            y = as_of.y - 1; /* "in November" said in March means last November */
        }
        *s = (dp_date){y, m, 1};
        *e = dp_date_add_months(*s, 1);
        return used;
    }
    const char *w = t[i].low;
    if ((w[0] == 'q' && w[1] >= '1' && w[1] <= '4' && !w[2]) || (w[0] == 'h' && (w[1] == '1' || w[1] == '2') && !w[2])) {
        int k = w[1] - '0';
        size_t used = 1;
        y = as_of.y;
        if (i + 1 < n && year_tok(&t[i + 1])) {
            y = year_tok(&t[i + 1]);
            used = 2;
        } else if (i + 2 < n && !strcmp(t[i + 1].low, "of") && year_tok(&t[i + 2])) {
            y = year_tok(&t[i + 2]);
            used = 3;
        }
        int months = w[0] == 'q' ? 3 : 6;
        *s = (dp_date){y, (k - 1) * months + 1, 1};
        *e = dp_date_add_months(*s, months);
        return used;
    }
    /* "first half of 2025", "second half", "first quarter of 2025" */
    int ord = !strcmp(w, "first") ? 1 : !strcmp(w, "second") ? 2 : !strcmp(w, "third") ? 3 : !strcmp(w, "fourth") ? 4 : 0;
    if (ord && i + 1 < n) {
        int months = !strcmp(t[i + 1].low, "half") ? 6 : !strcmp(t[i + 1].low, "quarter") ? 3 : 0;
        if (months && ord * months <= 12) {
            size_t used = 2;
            y = as_of.y;
            if (i + 3 < n && !strcmp(t[i + 2].low, "of") && year_tok(&t[i + 3])) {
                y = year_tok(&t[i + 3]);
                used = 4;
            } else if (i + 2 < n && year_tok(&t[i + 2])) {
                y = year_tok(&t[i + 2]);
                used = 3;
            }
            *s = (dp_date){y, (ord - 1) * months + 1, 1};
            *e = dp_date_add_months(*s, months);
            return used;
        }
    }
    return 0;
}

static int is_word(const dp_tok *t, size_t n, size_t i, const char *w)
{
    return i < n && !strcmp(t[i].low, w);
}

/* "two weeks", "10 days", "month" at *j: the grain, *num the count (1
 * when none is said), *j at the grain word; DP_GRAIN_NONE when no grain
 * word is there or the count is out of 1..5000. */
static dp_grain count_of_grain(const dp_tok *t, size_t n, size_t *j, int *num, int whole)
{
    *num = 1;
    if (*j < n && number_word(&t[*j]) > 0) {
        *num = number_word(&t[*j]);
        (*j)++;
    }
    /* "last 2 full months": the periods counted back are whole ones anyway */
    if (whole && *j + 1 < n &&
        (!strcmp(t[*j].low, "full") || !strcmp(t[*j].low, "complete") || !strcmp(t[*j].low, "whole")))
        (*j)++;
    dp_grain g = *j < n ? dp_grain_word(t[*j].low, NULL) : DP_GRAIN_NONE;
    return *num > 0 && *num <= 5000 ? g : DP_GRAIN_NONE;
}

size_t dp_time_range_at(const dp_tok *t, size_t n, size_t i, dp_date as_of, dp_date *start, dp_date *end)
{
    dp_date s, e, s2, e2;
    size_t k;
    const char *w = t[i].low;
    dp_date tomorrow = dp_date_add_days(as_of, 1);
    /* between X and Y / from X to Y / from X through Y */
    if ((!strcmp(w, "between") || !strcmp(w, "from")) && (k = period_at(t, n, i + 1, as_of, &s, &e))) {
        size_t j = i + 1 + k;
        if (j < n && (!strcmp(t[j].low, "and") || !strcmp(t[j].low, "to") || !strcmp(t[j].low, "through") ||
                      !strcmp(t[j].low, "until") || t[j].punct == '/')) {
            size_t k2 = period_at(t, n, j + 1, as_of, &s2, &e2);
            if (k2) {
                /* "March to May 2025", "June 17 to June 30 2025": the first
                 * takes the later one's year */
                if (!says_year(t, i + 1, k) && says_year(t, j + 1, k2)) {
                    s.y = s2.y;
                    if (dp_date_days(s) >= dp_date_days(e2))
                        s.y--; /* "December 5 to January 10 2025" */
                }
                *start = s;
                *end = e2;
                return 1 + k + 1 + k2;
            }
        }
        if (!strcmp(w, "from")) {
            *start = s;
            *end = e;
            return 1 + k;
        }
    }
    if ((!strcmp(w, "since") || !strcmp(w, "after")) && (k = period_at(t, n, i + 1, as_of, &s, &e))) {
        *start = !strcmp(w, "since") ? s : e;
        *end = tomorrow;
        return 1 + k;
    }
    if ((!strcmp(w, "before") || !strcmp(w, "until")) && (k = period_at(t, n, i + 1, as_of, &s, &e))) {
        *start = (dp_date){1900, 1, 1};
        *end = !strcmp(w, "before") ? s : e;
        return 1 + k;
    }
    /* "the last two weeks of June 2025", "the first 10 days of May": N
     * units at one end of a period, cut to it */
    if (!strcmp(w, "last") || !strcmp(w, "final") || !strcmp(w, "first")) {
        int num;
        size_t j = i + 1;
        dp_grain g = count_of_grain(t, n, &j, &num, 0);
        if (g != DP_GRAIN_NONE && is_word(t, n, j + 1, "of") && (k = period_at(t, n, j + 2, as_of, &s, &e))) {
            int first = !strcmp(w, "first");
            dp_date cut = add_grain(first ? s : e, g, first ? num : -num);
            if (first) {
                *start = s;
                *end = dp_date_days(cut) < dp_date_days(e) ? cut : e;
            } else {
                *start = dp_date_days(cut) > dp_date_days(s) ? cut : s;
                *end = e;
            }
            return j + 2 + k - i;
        }
    }
    /* last / past / previous N <grain>s, last <grain>, this <grain> */
    if (!strcmp(w, "last") || !strcmp(w, "past") || !strcmp(w, "previous") || !strcmp(w, "prior") ||
        !strcmp(w, "trailing") || !strcmp(w, "this") || !strcmp(w, "current")) {
        int num;
        size_t j = i + 1;
        int now = !strcmp(w, "this") || !strcmp(w, "current");
        dp_grain g = count_of_grain(t, n, &j, &num, !now);
        if (g != DP_GRAIN_NONE) {
            dp_date cur = dp_date_trunc(as_of, g);
            if (now) {
                *start = cur;
                *end = tomorrow;
            } else if (g == DP_GRAIN_DAY) {
                *start = dp_date_add_days(as_of, -num);
                *end = as_of;
            } else {
                *start = add_grain(cur, g, -num); /* complete periods before the current one */
                *end = cur;
            }
            return j + 1 - i;
        }
    }
    /* year/quarter/month to date, ytd */
    if ((w[0] == 'y' || w[0] == 'q' || w[0] == 'm') && !strcmp(w + 1, "td")) {
        dp_grain g = w[0] == 'y' ? DP_GRAIN_YEAR : w[0] == 'q' ? DP_GRAIN_QUARTER : DP_GRAIN_MONTH;
        *start = dp_date_trunc(as_of, g);
        *end = tomorrow;
        return 1;
    }
    dp_grain g = dp_grain_word(w, NULL);
    if (g != DP_GRAIN_NONE && is_word(t, n, i + 1, "to") && is_word(t, n, i + 2, "date")) {
        *start = dp_date_trunc(as_of, g);
        *end = tomorrow;
        return 3;
    }
    if (!strcmp(w, "yesterday")) {
        *start = dp_date_add_days(as_of, -1);
        *end = as_of;
        return 1;
    }
    if (!strcmp(w, "today")) {
        *start = as_of;
        *end = tomorrow;
        return 1;
    }
    /* in / during / for / of / over + period, or a bare period */
    size_t lead = 0;
    if (!strcmp(w, "in") || !strcmp(w, "during") || !strcmp(w, "for") || !strcmp(w, "of") || !strcmp(w, "over") ||
        !strcmp(w, "within"))
        lead = 1;
    if (lead && is_word(t, n, i + 1, "the"))
        lead = 2;
    if ((k = period_at(t, n, i + lead, as_of, &s, &e))) {
        /* a bare month name must not eat words like "may" used as a verb */
        if (!lead && k == 1 && month_word(t[i].low) && !t[i].is_num && strlen(t[i].low) <= 3 &&
            t[i].raw[0] >= 'a')
            return 0;
        *start = s;
        *end = e;
        return lead + k;
    }
    return 0;
}

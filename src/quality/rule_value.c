/* The values of the rule evaluator: their order as DuckDB compares them
 * (exact integers and decimals, DOUBLE with NaN above every number, dates
 * and timestamps, text by bytes), which pairs compare without a cast, and
 * the date arithmetic the rules' literals use. */
#include "quality/rule_eval_int.h"
#include "intent/timeparse.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

dp_i128 dp_rule__pow10(int n)
{
    dp_i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

int dp_rule__digits(dp_i128 v)
{
    int d = 1;
    for (v = v < 0 ? -v : v; v >= 10; v /= 10)
        d++;
    return d;
}

double dp_rule__as_double(const dp_val *v)
{
    if (v->kind == DP_VAL_DOUBLE)
        return v->u.d;
    return v->scale ? (double)v->u.i / (double)dp_rule__pow10(v->scale) : (double)v->u.i;
}

static int64_t as_micros(const dp_val *v)
{
    if (v->kind == DP_VAL_TIMESTAMP)
        return v->u.micros;
    if (v->u.days == INT32_MAX)
        return INT64_MAX; /* the infinities map to each other */
    if (v->u.days == -INT32_MAX)
        return -INT64_MAX;
    return (int64_t)v->u.days * 86400000000LL;
}

int dp_rule_eval_compare(const dp_val *a, const dp_val *b)
{
    if (a->kind == DP_VAL_EXACT && b->kind == DP_VAL_EXACT) {
        dp_i128 x = a->u.i, y = b->u.i;
        if (a->scale < b->scale)
            x *= dp_rule__pow10(b->scale - a->scale);
        else if (b->scale < a->scale)
            y *= dp_rule__pow10(a->scale - b->scale);
        return x < y ? -1 : x > y;
    }
    if ((a->kind == DP_VAL_EXACT || a->kind == DP_VAL_DOUBLE) &&
        (b->kind == DP_VAL_EXACT || b->kind == DP_VAL_DOUBLE)) {
        double x = dp_rule__as_double(a), y = dp_rule__as_double(b);
        int nx = isnan(x), ny = isnan(y); /* NaN: equal to itself, above every number */
        if (nx || ny)
            return nx - ny;
        return x < y ? -1 : x > y;
    }
    if ((a->kind == DP_VAL_DATE || a->kind == DP_VAL_TIMESTAMP) &&
        (b->kind == DP_VAL_DATE || b->kind == DP_VAL_TIMESTAMP)) {
        if (a->kind == DP_VAL_DATE && b->kind == DP_VAL_DATE)
            return a->u.days < b->u.days ? -1 : a->u.days > b->u.days;
        int64_t x = as_micros(a), y = as_micros(b);
        return x < y ? -1 : x > y;
    }
    if (a->kind == DP_VAL_TEXT && b->kind == DP_VAL_TEXT) {
        uint32_t n = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
        int c = n ? memcmp(a->u.s.p, b->u.s.p, n) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return a->u.s.n < b->u.s.n ? -1 : a->u.s.n > b->u.s.n;
    }
    /* BOOL */
    return a->u.b < b->u.b ? -1 : a->u.b > b->u.b;
}

int dp_rule__family(dp_val_kind k)
{
    switch (k) {
    case DP_VAL_EXACT:
    case DP_VAL_DOUBLE:
        return 1;
    case DP_VAL_DATE:
    case DP_VAL_TIMESTAMP:
        return 2;
    case DP_VAL_TEXT:
        return 3;
    case DP_VAL_BOOL:
        return 4;
    default:
        return 0;
    }
}

/* Two value nodes compared without a cast DuckDB would add (a string
 * literal against a date, say), and exact values aligned without overflow. */
int dp_rule__comparable(const node *a, const node *b)
{
    if (a->vk == DP_VAL_NULL || b->vk == DP_VAL_NULL)
        return 1;
    if (dp_rule__family(a->vk) != dp_rule__family(b->vk))
        return 0;
    if (a->vk == DP_VAL_EXACT && b->vk == DP_VAL_EXACT) {
        int d = a->scale > b->scale ? a->scale - b->scale : b->scale - a->scale;
        const node *low = a->scale < b->scale ? a : b;
        return !d || low->digits + d <= MAX_EXACT_DIGITS;
    }
    return 1;
}

/* ---- dates ---- */

/* 'YYYY-MM-DD' exactly (digits where digits go), a real day; -1 otherwise. */
int dp_rule__parse_date(const char *s, int32_t *out)
{
    dp_date d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || dp_date_parse(s, &d))
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *out = (int32_t)dp_date_days(d);
    return 0;
}

/* date_trunc(part, day) for the parts of a DATE this knows; -1 else. */
int dp_rule__trunc_date(const char *part, int32_t days, int32_t *out)
{
    static const struct {
        const char *name;
        dp_grain grain;
    } parts[] = {{"day", DP_GRAIN_DAY},
                 {"week", DP_GRAIN_WEEK}, /* ISO weeks, from Monday */
                 {"month", DP_GRAIN_MONTH},
                 {"quarter", DP_GRAIN_QUARTER},
                 {"year", DP_GRAIN_YEAR}};
    for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
        if (!strcasecmp(part, parts[i].name)) {
            dp_date day = dp_date_add_days((dp_date){1970, 1, 1}, days);
            *out = (int32_t)dp_date_days(dp_date_trunc(day, parts[i].grain));
            return 0;
        }
    return -1;
}

uint64_t dp_rule__val_hash(const dp_val *v)
{
    if (v->kind == DP_VAL_TEXT) { /* eight bytes a step: a key of up to 16 bytes is two multiplies */
        uint32_t n = v->u.s.n, i = 0;
        uint64_t h = 0x84222325cbf29ce4ull ^ n, w;
        for (; i + 8 <= n; i += 8) {
            memcpy(&w, v->u.s.p + i, 8);
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 29;
        }
        if (i < n) {
            w = 0;
            memcpy(&w, v->u.s.p + i, n - i);
            h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
            h ^= h >> 29;
        }
        h ^= h >> 33; /* every byte into the low bits the slots use */
        h *= 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 33;
        return h;
    }
    uint64_t x = v->kind == DP_VAL_DATE ? (uint64_t)(int64_t)v->u.days : (uint64_t)v->u.i ^ (uint64_t)(v->u.i >> 64);
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

/* Time in the request: the range ("in March 2025", "last 12 weeks"; a
 * second one is a comparison of periods, refused) and the finest grain
 * ("weekly", "per month", "week by week"), read with timeparse.c against the
 * as-of date. */
#include "intent/intent_int.h"
#include "intent/timeparse.h"
#include <string.h>

void dp_int__parse_time(parser *p, dp_date as_of)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] || dp_int__is_compared(p, i))
            continue;
        dp_date s, e;
        size_t k = dp_time_range_at(p->t, p->n, i, as_of, &s, &e);
        if (k && p->nranges == sizeof(p->ranges) / sizeof(*p->ranges)) {
            dp_int__add_missing(p, dp_int__span_text(p, i, k), "period comparison");
            dp_int__mark(p, i, k, U_PATTERN);
            i += k - 1;
        } else if (k) {
            /* every range is kept: whose it is (the report's, or an
             * entity's own date) is settled after the phrases */
            char a[11], b[11];
            dp_date_format(s, a);
            dp_date_format(e, b);
            dp_range *r = &p->ranges[p->nranges++];
            r->start = dp_arena_strdup(p->a, a);
            r->end = dp_arena_strdup(p->a, b);
            r->text = dp_int__span_text(p, i, k);
            r->at = i;
            r->len = k;
            r->owned = 0;
            if (!p->in->range_start) {
                p->in->range_start = r->start;
                p->in->range_end = r->end;
                p->in->range_text = r->text;
            }
            dp_int__mark(p, i, k, U_PATTERN);
            i += k - 1;
        }
    }
    /* grains: "weekly", "per month", "each quarter", "week by week", "by day" */
    dp_int__grains(p);
}

void dp_int__settle_ranges(parser *p)
{
    dp_intent *in = p->in;
    in->range_start = in->range_end = in->range_text = NULL;
    for (size_t k = 0; k < p->nranges; k++) {
        const dp_range *r = &p->ranges[k];
        if (r->owned)
            continue;
        if (in->range_start) {
            /* a second period of the report: "this year compared to last year" */
            dp_int__add_missing(p, r->text, "period comparison");
            continue;
        }
        in->range_start = r->start;
        in->range_end = r->end;
        in->range_text = r->text;
        dp_int__note(p, r->text, "time_range", dp_arena_printf(p->a, "[%s, %s)", r->start, r->end), "calendar", 1.0);
    }
}

void dp_int__grains(parser *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i])
            continue;
        int adj = 0;
        dp_grain g = dp_grain_word(p->t[i].low, &adj);
        if (g == DP_GRAIN_NONE)
            continue;
        size_t start = i, len = 1;
        if (!adj) {
            size_t ml;
            if (i > 0 && !p->used[i - 1] && dp_int__is_group_marker(p, i - 1, &ml) && ml == 1) {
                start = i - 1;
                len = 2;
            } else if (i > 1 && !strcmp(p->t[i - 1].low, "each") && !strcmp(p->t[i - 2].low, "for")) {
                start = i - 2;
                len = 3;
            } else if (i + 2 < p->n && (!strcmp(p->t[i + 1].low, "by") || !strcmp(p->t[i + 1].low, "over") ||
                                        !strcmp(p->t[i + 1].low, "on")) &&
                       dp_grain_word(p->t[i + 2].low, NULL) == g) {
                len = 3; /* week by week, month over month */
            } else if (i > 0 && (!strcmp(p->t[i - 1].low, "and") || p->t[i - 1].punct == ',')) {
                /* "by region and month": grouping list continues */
                start = i;
            } else {
                continue;
            }
        }
        if (p->in->grain == DP_GRAIN_NONE || g < p->in->grain)
            p->in->grain = g;
        dp_int__note(p, dp_int__span_text(p, start, len), "time_grain", dp_grain_name(g), "calendar", 1.0);
        dp_int__mark(p, start, len, U_PATTERN);
    }
}

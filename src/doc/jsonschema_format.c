/* "format" as an assertion, for the formats interchange documents rely on
 * (RFC 3339 date-time and date, RFC 3986 uri, RFC 4122 uuid): a consumer
 * such as a lineage server rejects an event whose runId or eventTime has
 * the wrong form, so a test must be able to reject it first. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"
#include "doc/jsonschema_int.h"

#include <string.h>

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* full-date: YYYY-MM-DD with a day that exists. */
static int full_date(const char *s, size_t n)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return 0;
    if (m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a leap second only where
 * it can occur, at 23:59:60 UTC. */
static int full_time(const char *s, size_t n)
{
    int h, mi, sec, oh = 0, om = 0;
    if (n < 9 || s[2] != ':' || s[5] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &mi) || !digits(s + 6, 2, &sec))
        return 0;
    size_t i = 8;
    if (i < n && s[i] == '.') {
        size_t k = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == k)
            return 0;
    }
    int sign = 0;
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' && digits(s + i + 1, 2, &oh) &&
               digits(s + i + 4, 2, &om)) {
        sign = s[i] == '+' ? 1 : -1;
    } else {
        return 0;
    }
    if (h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59)
        return 0;
    if (sec == 60) {
        int utc = ((h * 60 + mi - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return 1;
}

static int date_time(const char *s, size_t n)
{
    return n > 11 && (s[10] == 'T' || s[10] == 't') && full_date(s, 10) && full_time(s + 11, n - 11);
}

static int is_hex(int c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* 8-4-4-4-12 hexadecimal digits (any version: the format names the form). */
static int uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* An absolute URI (RFC 3986 "URI"): a scheme, then only characters a URI
 * may hold (unreserved, reserved, '%' with two hex digits); a bracketed
 * IP literal is the one place '[' and ']' may appear. */
static int uri(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return 0;
    while (i < n && (dp_js__is_alnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i == n || s[i] != ':')
        return 0;
    size_t auth_end = i + 1;
    if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
        auth_end = i + 3;
        while (auth_end < n && !strchr("/?#", s[auth_end]))
            auth_end++;
    }
    int in_brackets = 0;
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 2;
        } else if (c == '[' || c == ']') {
            if (i >= auth_end || (c == '[') == in_brackets)
                return 0;
            in_brackets = c == '[';
        } else if (!c || !(dp_js__is_alnum(c) || strchr("-._~:/?#@!$&'()*+,;=", c))) {
            return 0;
        }
    }
    return !in_brackets;
}

int dp_js__format_check(const char *format, const char *s, size_t n)
{
    if (!strcmp(format, "date-time"))
        return date_time(s, n);
    if (!strcmp(format, "date"))
        return full_date(s, n);
    if (!strcmp(format, "time"))
        return full_time(s, n);
    if (!strcmp(format, "uuid"))
        return uuid(s, n);
    if (!strcmp(format, "uri"))
        return uri(s, n);
    return -1;
}

void dp_jsonschema__assert_formats(dp_jsonschema *s, int on)
{
    if (s)
        s->formats = on != 0;
}

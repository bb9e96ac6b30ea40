/* Block-style YAML emitter over jansson values. Scalars that YAML would read
 * as something else (numbers, booleans, null, leading indicators) are quoted. */
#include "doc/emit.h"
#include "util/utf8.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int indent(dp_buf *b, int n)
{
    static const char spaces[] = "                                                                ";
    for (; n > 0; n -= (int)sizeof(spaces) - 1)
        if (dp_buf_add(b, spaces, n < (int)sizeof(spaces) - 1 ? (size_t)n : sizeof(spaces) - 1))
            return -1;
    return 0;
}

/* A word YAML 1.1 or 1.2 reads as a boolean, null or special number, in
 * any case ("True", "NO", "~"); len is s's. */
static int special_word(const char *s, size_t len)
{
    static const char *words[] = {"true", "false", "yes", "no",   "on",   "off",  "null",
                                  "~",    "y",     "n",   ".nan", ".inf", "-.inf"};
    if (len > 5 || !strchr("tfynoTFYNO~.-", s[0]))
        return 0;
    char low[8];
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[len] = 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (!strcmp(low, words[i]))
            return 1;
    return 0;
}

static int looks_special(const char *s, size_t len)
{
    if (special_word(s, len))
        return 1;
    /* anything a YAML 1.1/1.2 reader could take as a number or date */
    const char *p = s;
    if (*p == '-' || *p == '+' || *p == '.')
        p++;
    return isdigit((unsigned char)*p) != 0;
}

/* The characters a plain scalar may not start with. */
static const unsigned char LEAD[256] = {['!'] = 1, ['&'] = 1, ['*'] = 1,  ['-'] = 1, ['?'] = 1, ['{'] = 1, ['}'] = 1,
                                        ['['] = 1, [']'] = 1, [','] = 1,  ['#'] = 1, ['|'] = 1, ['>'] = 1, ['@'] = 1,
                                        ['`'] = 1, ['"'] = 1, ['\''] = 1, ['%'] = 1, [':'] = 1, ['='] = 1, [' '] = 1};

static int needs_quotes(const char *s)
{
    if (!*s || LEAD[(unsigned char)s[0]])
        return 1;
    const char *p = s;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            return 1;
        if (c == ':' && (p[1] == ' ' || p[1] == 0))
            return 1;
        if (c == '#' && p > s && p[-1] == ' ')
            return 1;
    }
    return isspace((unsigned char)p[-1]) || looks_special(s, (size_t)(p - s));
}

static int quoted(dp_buf *b, const char *s)
{
    if (dp_buf_putc(b, '"'))
        return -1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const unsigned char *run = p; /* what needs no escape, at once */
        while (*run >= 0x20 && *run != 0x7f && *run != '"' && *run != '\\')
            run++;
        if (run > p && dp_buf_add(b, (const char *)p, (size_t)(run - p)))
            return -1;
        if (!*run)
            break;
        p = run;
        int rc;
        switch (*p) {
        case '"': rc = dp_buf_puts(b, "\\\""); break;
        case '\\': rc = dp_buf_puts(b, "\\\\"); break;
        case '\n': rc = dp_buf_puts(b, "\\n"); break;
        case '\t': rc = dp_buf_puts(b, "\\t"); break;
        case '\r': rc = dp_buf_puts(b, "\\r"); break;
        default:
            rc = *p < 0x20 || *p == 0x7f ? dp_buf_printf(b, "\\x%02x", *p) : dp_buf_putc(b, (char)*p);
        }
        if (rc)
            return -1;
    }
    return dp_buf_putc(b, '"');
}

/* Multi-line text without control characters other than newline goes out as
 * a literal block, so SQL stays readable. */
static int block_ok(const char *s)
{
    if (!strchr(s, '\n'))
        return 0;
    if (s[0] == ' ' || s[0] == '\n')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            return 0;
        if (*p == ' ' && (p[1] == '\n' || p[1] == 0))
            return 0; /* trailing spaces would be lost by some readers */
    }
    return 1;
}

static int scalar_str(dp_buf *b, const char *s, int ind)
{
    if (block_ok(s)) {
        size_t len = strlen(s);
        const char *chomp = s[len - 1] == '\n' ? (len > 1 && s[len - 2] == '\n' ? "+" : "") : "-";
        if (dp_buf_printf(b, "|%s\n", chomp))
            return -1;
        const char *line = s;
        while (*line) {
            const char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            if (n && indent(b, ind))
                return -1;
            if (dp_buf_add(b, line, n) || dp_buf_putc(b, '\n'))
                return -1;
            if (!nl)
                break;
            line = nl + 1;
        }
        return 0;
    }
    int rc = needs_quotes(s) ? quoted(b, s) : dp_buf_puts(b, s);
    return rc || dp_buf_putc(b, '\n');
}

static int scalar(dp_buf *b, const json_t *v, int ind)
{
    switch (json_typeof(v)) {
    case JSON_STRING: return scalar_str(b, json_string_value(v), ind);
    case JSON_INTEGER: return dp_buf_printf(b, "%lld\n", (long long)json_integer_value(v));
    case JSON_REAL: {
        double d = json_real_value(v);
        char tmp[64];
        /* the shortest round-trip form: the fewest digits that read back
         * as d (more digits read back too: a binary search finds it) */
        int lo = 1, hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            snprintf(tmp, sizeof(tmp), "%.*g", mid, d);
            if (strtod(tmp, NULL) == d)
                hi = mid;
            else
                lo = mid + 1;
        }
        snprintf(tmp, sizeof(tmp), "%.*g", lo, d);
        size_t l = strlen(tmp);
        if (!strpbrk(tmp, ".eEn") && l + 3 <= sizeof(tmp))
            memcpy(tmp + l, ".0", 3);
        return dp_buf_printf(b, "%s\n", tmp);
    }
    case JSON_TRUE: return dp_buf_puts(b, "true\n");
    case JSON_FALSE: return dp_buf_puts(b, "false\n");
    default: return dp_buf_puts(b, "null\n");
    }
}

static int is_empty_container(const json_t *v)
{
    return (json_is_object(v) && json_object_size(v) == 0) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static int node(dp_buf *b, const json_t *v, int ind);

static int key(dp_buf *b, const char *k)
{
    int rc = needs_quotes(k) ? quoted(b, k) : dp_buf_puts(b, k);
    return rc || dp_buf_putc(b, ':');
}

/* Writes a value after "key:" or "- " on the current line. */
static int value_after(dp_buf *b, const json_t *v, int ind, int in_seq)
{
    if (is_empty_container(v))
        return dp_buf_puts(b, json_is_object(v) ? " {}\n" : " []\n");
    if (json_is_object(v) || json_is_array(v)) {
        if (in_seq && json_is_object(v)) {
            /* "- key: value" compact form */
            return dp_buf_putc(b, ' ') || node(b, v, -(ind + 2));
        }
        if (dp_buf_putc(b, '\n'))
            return -1;
        return node(b, v, json_is_array(v) && !in_seq ? ind : ind + 2);
    }
    return dp_buf_putc(b, ' ') || scalar(b, v, ind + 2);
}

/* ind < 0: the first line is already indented (after "- "). */
static int node(dp_buf *b, const json_t *v, int ind)
{
    int first_inline = ind < 0;
    if (ind < 0)
        ind = -ind;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        int first = 1;
        json_object_foreach((json_t *)v, k, c) {
            if (!(first && first_inline) && indent(b, ind))
                return -1;
            first = 0;
            if (key(b, k) || value_after(b, c, ind, 0))
                return -1;
        }
        return 0;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach((json_t *)v, i, c) {
            if (!(i == 0 && first_inline) && indent(b, ind))
                return -1;
            if (dp_buf_putc(b, '-'))
                return -1;
            if (json_is_array(c) && !is_empty_container(c)) {
                if (dp_buf_putc(b, ' ') || node(b, c, -(ind + 2)))
                    return -1;
            } else if (value_after(b, c, ind, 1)) {
                return -1;
            }
        }
        return 0;
    }
    return scalar(b, v, ind);
}

int dp_yaml_emit(dp_buf *out, const json_t *v)
{
    if (is_empty_container(v))
        return dp_buf_puts(out, json_is_object(v) ? "{}\n" : "[]\n");
    return node(out, v, 0);
}

/* Capped growable buffer. */
#include "util/buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_buf_init(dp_buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max ? max : DP_BUF_DEFAULT_MAX;
}

void dp_buf_dispose(dp_buf *b)
{
    if (!b)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

static int reserve(dp_buf *b, size_t extra)
{
    if (b->toobig)
        return -1;
    if (extra > b->max || b->len > b->max - extra) {
        b->toobig = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->ptr, cap);
    if (!p)
        return -1;
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int dp_buf_add(dp_buf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return -1;
    if (n)
        memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = 0;
    return 0;
}

int dp_buf_puts(dp_buf *b, const char *s)
{
    return dp_buf_add(b, s, strlen(s));
}

int dp_buf_putc(dp_buf *b, char c)
{
    if (!b->toobig && b->len < b->max && b->len + 2 <= b->cap) { /* room: no reserve */
        b->ptr[b->len++] = c;
        b->ptr[b->len] = 0;
        return 0;
    }
    return dp_buf_add(b, &c, 1);
}

int dp_buf_printf(dp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n))
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int dp_buf_put_i64(dp_buf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof(tmp), *p = e;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    return dp_buf_add(b, p, (size_t)(e - p));
}

char *dp_buf_detach(dp_buf *b)
{
    char *p = b->ptr ? b->ptr : calloc(1, 1);
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *dp_buf_cstr(const dp_buf *b)
{
    return b->ptr ? b->ptr : "";
}

void dp_buf_clear(dp_buf *b)
{
    b->len = 0;
    b->toobig = 0;
    if (b->ptr)
        b->ptr[0] = 0;
}

/* Growable text buffer with a hard cap (curl's dynbuf idea): appends past the
 * cap fail and leave the buffer marked too big. */
#ifndef DP_UTIL_BUF_H
#define DP_UTIL_BUF_H
#include <stddef.h>

typedef struct dp_buf {
    char *ptr;  /* NUL-terminated, owned; NULL until the first append */
    size_t len, cap, max;
    int toobig; /* set once an append exceeded max */
} dp_buf;

#define DP_BUF_DEFAULT_MAX (64u * 1024 * 1024)
void dp_buf_init(dp_buf *b, size_t max);
void dp_buf_dispose(dp_buf *b);
int dp_buf_add(dp_buf *b, const char *s, size_t n);
int dp_buf_puts(dp_buf *b, const char *s);
int dp_buf_putc(dp_buf *b, char c);
/* v in decimal, as printf's %lld writes it, without printf's cost. */
int dp_buf_put_i64(dp_buf *b, long long v);
int dp_buf_printf(dp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and gives ownership to the caller. */
char *dp_buf_detach(dp_buf *b);
const char *dp_buf_cstr(const dp_buf *b);
void dp_buf_clear(dp_buf *b);

#endif

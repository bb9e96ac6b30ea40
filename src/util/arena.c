/* Chunked bump allocator. Large requests get their own chunk. */
#include "util/arena.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

/* A malloc'd block the arena frees with itself (dp_arena_own). */
typedef struct owned {
    struct owned *next;
    void *p;
} owned;

struct dp_arena {
    chunk *head;
    size_t chunk_size, total;
    owned *owned;
};

dp_arena *dp_arena_new(size_t chunk_size)
{
    dp_arena *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    return a;
}

void dp_arena_free(dp_arena *a)
{
    if (!a)
        return;
    for (owned *o = a->owned; o; o = o->next)
        free(o->p); /* the list itself lives in the chunks */
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

int dp_arena_own(dp_arena *a, void *p)
{
    owned *o = dp_arena_alloc(a, sizeof(*o));
    if (!o)
        return -1;
    o->p = p;
    o->next = a->owned;
    a->owned = o;
    return 0;
}

/* n bytes at an offset that is a multiple of align (16, or 1 for text,
 * which packs: a short name no longer takes 16 bytes). Large requests get
 * their own chunk; with zeroed set, such a chunk comes from calloc (fresh
 * pages are zero already) and *zeroed says so (else it is cleared). */
static void *bump(dp_arena *a, size_t n, size_t align, int *zeroed)
{
    if (zeroed)
        *zeroed = 0;
    if (!a)
        return NULL;
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - 16)
        return NULL;
    chunk *c = a->head;
    size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || off > c->size || c->size - off < n) {
        size_t sz = n > a->chunk_size / 4 ? (n + 15) & ~(size_t)15 : a->chunk_size;
        if (sz > SIZE_MAX - sizeof(chunk))
            return NULL;
        int big = sz != a->chunk_size;
        chunk *nc = big && zeroed ? calloc(1, sizeof(chunk) + sz) : malloc(sizeof(chunk) + sz);
        if (!nc)
            return NULL;
        if (big && zeroed)
            *zeroed = 1;
        nc->size = sz;
        nc->used = 0;
        if (c && sz != a->chunk_size && c->size - c->used >= 16) {
            /* keep the current chunk as head: it still has room */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
        off = 0;
        a->total += sz;
    }
    void *p = c->data + off;
    c->used = off + n;
    return p;
}

void *dp_arena_alloc(dp_arena *a, size_t n)
{
    if (n > SIZE_MAX - 16)
        return NULL;
    n = n ? (n + 15) & ~(size_t)15 : 16;
    int zeroed;
    void *p = bump(a, n, 16, &zeroed);
    if (p && !zeroed)
        memset(p, 0, n);
    return p;
}

void *dp_arena_alloc_uninit(dp_arena *a, size_t n)
{
    if (n > SIZE_MAX - 16)
        return NULL;
    return bump(a, n ? (n + 15) & ~(size_t)15 : 16, 16, NULL);
}

char *dp_arena_alloc_text(dp_arena *a, size_t n) { return bump(a, n, 1, NULL); }

void *dp_arena_calloc(dp_arena *a, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        return NULL;
    return dp_arena_alloc(a, n * sz);
}

void *dp_arena_grow(dp_arena *a, void *old, size_t old_n, size_t new_n, size_t sz)
{
    void *p = dp_arena_calloc(a, new_n, sz);
    if (p && old && old_n)
        memcpy(p, old, old_n * sz);
    return p;
}

char *dp_arena_strndup(dp_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = dp_arena_alloc_text(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *dp_arena_strdup(dp_arena *a, const char *s)
{
    return s ? dp_arena_strndup(a, s, strlen(s)) : NULL;
}

char *dp_arena_vprintf(dp_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *p = dp_arena_alloc_text(a, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *dp_arena_join(dp_arena *a, const char *x, char sep, const char *y)
{
    size_t lx = x ? strlen(x) : 0, ly = y ? strlen(y) : 0;
    char *p = dp_arena_alloc_text(a, lx + ly + 2);
    if (!p)
        return NULL;
    memcpy(p, x ? x : "", lx);
    p[lx] = sep;
    memcpy(p + lx + 1, y ? y : "", ly);
    p[lx + 1 + ly] = 0;
    return p;
}

char *dp_arena_printf(dp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = dp_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t dp_arena_used(const dp_arena *a)
{
    return a ? a->total : 0;
}

void dp_arena_adopt(dp_arena *dst, dp_arena *src)
{
    if (!src)
        return;
    if (!dst) {
        dp_arena_free(src);
        return;
    }
    /* src's chunks go behind dst's current one: dst keeps allocating where it was */
    chunk *tail = src->head;
    if (tail) {
        while (tail->next)
            tail = tail->next;
        if (dst->head) {
            tail->next = dst->head->next;
            dst->head->next = src->head;
        } else {
            dst->head = src->head;
        }
    }
    owned *ot = src->owned;
    if (ot) {
        while (ot->next)
            ot = ot->next;
        ot->next = dst->owned;
        dst->owned = src->owned;
    }
    dst->total += src->total;
    free(src);
}

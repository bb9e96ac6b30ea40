/* Arena allocator: a run or a catalog allocates from one arena and frees it
 * whole. Allocation failure returns NULL; callers report DP_ENOMEM. */
#ifndef DP_UTIL_ARENA_H
#define DP_UTIL_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct dp_arena dp_arena;

dp_arena *dp_arena_new(size_t chunk_size);
void dp_arena_free(dp_arena *a);
/* Zeroed, 16-byte aligned memory owned by the arena. */
void *dp_arena_alloc(dp_arena *a, size_t n);
/* 16-byte aligned memory, not zeroed: for arrays the caller fills whole. */
void *dp_arena_alloc_uninit(dp_arena *a, size_t n);
/* n bytes for text, neither aligned nor zeroed: strings pack one after the
 * other (the string functions below allocate this way). */
char *dp_arena_alloc_text(dp_arena *a, size_t n);
/* Zeroed array of n elements of size sz, overflow-checked. */
void *dp_arena_calloc(dp_arena *a, size_t n, size_t sz);
/* Grows an arena array (old contents copied; old block stays in the arena). */
void *dp_arena_grow(dp_arena *a, void *old, size_t old_n, size_t new_n, size_t sz);
char *dp_arena_strdup(dp_arena *a, const char *s);
char *dp_arena_strndup(dp_arena *a, const char *s, size_t n);
char *dp_arena_printf(dp_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* x sep y (NULL strings as ""), without printf's cost: for names built by
 * the hundred thousand. */
char *dp_arena_join(dp_arena *a, const char *x, char sep, const char *y);
char *dp_arena_vprintf(dp_arena *a, const char *fmt, va_list ap);
size_t dp_arena_used(const dp_arena *a);
/* Makes a the owner of p (from malloc): freed with a. 0, or -1 when out
 * of memory (p is then still the caller's). */
int dp_arena_own(dp_arena *a, void *p);
/* Moves every block of src into dst (freed with dst); frees src. */
void dp_arena_adopt(dp_arena *dst, dp_arena *src);

/* Appends x to an arena vector (T *items; size_t n, cap). Evaluates to 0 or -1. */
#define DP_VEC_PUSH(arena, items, n, cap, x)                                               \
    ((((n) < (cap)) ||                                                                      \
      (((items) = dp_arena_grow((arena), (items), (cap), (cap) ? (cap) * 2 : 8,             \
                                sizeof(*(items)))) != NULL &&                               \
       ((cap) = (cap) ? (cap) * 2 : 8)))                                                    \
         ? ((items)[(n)++] = (x), 0)                                                        \
         : -1)

#endif

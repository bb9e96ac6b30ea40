/* Heap helpers. */
#ifndef DP_UTIL_MEM_H
#define DP_UTIL_MEM_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* calloc for a table about to be probed and filled (a hash table, an
 * array of counters): malloc and memset, so the first touch of every page
 * is a write. A large calloc's fresh pages are the kernel's shared zero
 * page until written: a probe (a read) maps it, the write after it faults
 * again, and that fault flushes the TLB of every thread of the process
 * (IPIs): 11% of a warm 1,000-model catalog load went there. */
static inline void *dp_calloc_written(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = malloc(bytes ? bytes : 1);
    if (p)
        memset(p, 0, bytes);
    return p;
}

#endif

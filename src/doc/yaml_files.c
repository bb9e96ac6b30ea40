/* Many YAML files parsed side by side: a catalog of 10,000 models spends
 * most of its load in the YAML parser, and files parse independently. Files
 * go in batches; the threads of a batch take files from a shared counter;
 * the trees are visited in order once the batch is parsed, then freed, so
 * only a batch of trees is alive at a time. */
#include "doc/node.h"
#include "doc/yaml_cache.h"
#include "util/error.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 8
#define FILES_PER_THREAD 4 /* a batch: enough files to even out their sizes */

typedef struct parsed {
    dp_arena *tree;
    dp_node *doc;
    dp_error err;
    int rc;
} parsed;

typedef struct batch {
    const char *const *files;
    const char *cache_dir;
    parsed *out;
    size_t n;
    atomic_size_t next;
    atomic_int stored; /* a tree was kept in cache_dir */
} batch;

static void *parse_some(void *p)
{
    batch *b = p;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            break;
        parsed *o = &b->out[i];
        o->err = (dp_error){0, ""};
        if (!(o->tree = dp_arena_new(1 << 20)))
            o->rc = dp_error_set(&o->err, DP_ENOMEM, "out of memory");
        else {
            int stored = 0;
            o->rc = dp_yaml_load_file_cached(&o->doc, o->tree, b->files[i], b->cache_dir, &stored, &o->err);
            if (stored)
                atomic_store(&b->stored, 1);
        }
    }
    return NULL;
}

static unsigned thread_count(unsigned want)
{
    if (!want) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        want = cpus > 0 ? (unsigned)cpus : 1;
    }
    return want > MAX_THREADS ? MAX_THREADS : want;
}

int dp_yaml_load_files(const char *const *files, size_t n, unsigned threads, const char *cache_dir, dp_yaml_visit visit,
                       void *ctx, dp_error *err)
{
    unsigned nt = thread_count(threads);
    size_t per = (size_t)nt * FILES_PER_THREAD;
    parsed *out = calloc(per, sizeof(*out));
    int rc = 0, stored = 0;
    if (!out)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    for (size_t first = 0; first < n && !rc; first += per) {
        batch b = {files + first, cache_dir, out, n - first < per ? n - first : per, 0, 0};
        pthread_t th[MAX_THREADS];
        unsigned started = 0;
        for (unsigned t = 1; t < nt && t < b.n; t++)
            if (pthread_create(&th[started], NULL, parse_some, &b) == 0)
                started++;
        parse_some(&b); /* this thread works too; alone if none started */
        for (unsigned t = 0; t < started; t++)
            pthread_join(th[t], NULL);
        for (size_t i = 0; i < b.n; i++) {
            if (!rc && out[i].rc) {
                if (err)
                    *err = out[i].err;
                rc = out[i].rc;
            }
            if (!rc)
                rc = visit(ctx, first + i, out[i].doc);
            dp_arena_free(out[i].tree);
            out[i].tree = NULL;
        }
        stored |= atomic_load(&b.stored);
    }
    free(out);
    if (stored) /* the files changed: what no load used for a month goes */
        dp_yaml_cache_prune(cache_dir);
    return rc;
}

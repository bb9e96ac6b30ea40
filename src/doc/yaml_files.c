/* Many YAML files parsed side by side: a catalog of 10,000 models spends
 * most of its load reading YAML (parsed, or its tree from the cache), and
 * files read independently. Worker threads take files from a shared counter
 * and read each into a slot of a ring; the calling thread visits the trees
 * in file order as they become ready and frees each slot for the next file,
 * so reading runs ahead of visiting and at most a ring of trees is alive. */
#include "doc/node.h"
#include "doc/yaml_cache.h"
#include "util/error.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 8
#define FILES_PER_THREAD 4 /* the ring: enough files to even out their sizes */

typedef struct parsed {
    dp_arena *tree;
    dp_node *doc; /* NULL once the work is done (the tree is then freed) */
    void *result; /* the work's */
    dp_error err;
    int rc;
    int ready; /* read (and worked on); the visitor's to take */
} parsed;

typedef struct pipe_state {
    const char *const *files;
    const char *cache_dir;
    const dp_yaml_steps *steps;
    void *ctx;
    parsed *ring;
    size_t n, ring_n;
    size_t next;    /* the next file a worker takes */
    size_t visited; /* files visited: file i may be read once i < visited + ring_n */
    int stop;       /* the visitor stopped: workers take no more */
    int stored;     /* a tree was kept in cache_dir */
    pthread_mutex_t mu;
    pthread_cond_t room, done;
} pipe_state;

static void read_one(pipe_state *p, size_t i, parsed *o)
{
    int stored = 0;
    o->err = (dp_error){0, ""};
    o->doc = NULL;
    o->result = NULL;
    if (!(o->tree = dp_arena_new(1 << 20)))
        o->rc = dp_error_set(&o->err, DP_ENOMEM, "out of memory");
    else
        o->rc = dp_yaml_load_file_cached(&o->doc, o->tree, p->files[i], p->cache_dir, &stored, &o->err);
    if (!o->rc && p->steps->work) { /* the tree is done with after the work */
        o->rc = p->steps->work(p->ctx, i, o->doc, &o->result, &o->err);
        dp_arena_free(o->tree);
        o->tree = NULL;
        o->doc = NULL;
    }
    if (stored) {
        pthread_mutex_lock(&p->mu);
        p->stored = 1;
        pthread_mutex_unlock(&p->mu);
    }
}

static void *worker(void *arg)
{
    pipe_state *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next < p->n && p->next >= p->visited + p->ring_n)
            pthread_cond_wait(&p->room, &p->mu);
        if (p->stop || p->next >= p->n)
            break;
        size_t i = p->next++;
        parsed *o = &p->ring[i % p->ring_n];
        pthread_mutex_unlock(&p->mu);
        read_one(p, i, o);
        pthread_mutex_lock(&p->mu);
        o->ready = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* A slot's tree and unvisited result go. */
static void drop(pipe_state *p, parsed *o)
{
    dp_arena_free(o->tree);
    o->tree = NULL;
    o->doc = NULL;
    if (o->result && p->steps->drop)
        p->steps->drop(p->ctx, o->result);
    o->result = NULL;
}

static unsigned thread_count(unsigned want)
{
    if (!want) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        want = cpus > 0 ? (unsigned)cpus : 1;
    }
    return want > MAX_THREADS ? MAX_THREADS : want;
}

/* The visit of file i's slot (or its error), on the calling thread; the
 * slot is emptied. */
static int take(pipe_state *p, size_t i, parsed *o, dp_error *err)
{
    int rc = o->rc;
    if (rc) {
        if (err)
            *err = o->err;
    } else {
        rc = p->steps->visit(p->ctx, i, o->doc, o->result);
        o->result = NULL; /* the visit's now */
    }
    drop(p, o);
    return rc;
}

/* One file after the other on the calling thread (one file, or no thread
 * could start). */
static int visit_in_turn(pipe_state *p, dp_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < p->n && !rc; i++) {
        parsed o = {0};
        read_one(p, i, &o);
        rc = take(p, i, &o, err);
    }
    return rc;
}

int dp_yaml_load_files_steps(const char *const *files, size_t n, unsigned threads, const char *cache_dir,
                             const dp_yaml_steps *steps, void *ctx, dp_error *err)
{
    unsigned nt = thread_count(threads);
    size_t ring_n = (size_t)nt * FILES_PER_THREAD;
    pipe_state p = {.files = files, .cache_dir = cache_dir, .steps = steps, .ctx = ctx, .n = n, .ring_n = ring_n};
    int rc = 0;
    if (!(p.ring = calloc(ring_n, sizeof(*p.ring))))
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.room, NULL);
    pthread_cond_init(&p.done, NULL);
    pthread_t th[MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 0; n > 1 && t < nt && t < n; t++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0)
            started++;
    if (!started) {
        rc = visit_in_turn(&p, err);
    } else {
        for (size_t i = 0; i < n && !rc; i++) {
            parsed *o = &p.ring[i % ring_n];
            pthread_mutex_lock(&p.mu);
            while (!o->ready)
                pthread_cond_wait(&p.done, &p.mu);
            pthread_mutex_unlock(&p.mu);
            rc = take(&p, i, o, err);
            pthread_mutex_lock(&p.mu);
            o->ready = 0;
            p.visited = i + 1;
            if (rc)
                p.stop = 1;
            pthread_cond_broadcast(&p.room);
            pthread_mutex_unlock(&p.mu);
        }
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
        for (unsigned t = 0; t < started; t++)
            pthread_join(th[t], NULL);
        for (size_t k = 0; k < ring_n; k++) /* files read past a stop go unvisited */
            drop(&p, &p.ring[k]);
    }
    int stored = p.stored;
    pthread_cond_destroy(&p.done);
    pthread_cond_destroy(&p.room);
    pthread_mutex_destroy(&p.mu);
    free(p.ring);
    if (stored) /* the files changed: what no load used for a month goes */
        dp_yaml_cache_prune(cache_dir);
    return rc;
}

/* dp_yaml_load_files: the steps' visit calls the caller's with the tree */
typedef struct tree_visit {
    dp_yaml_visit visit;
    void *ctx;
} tree_visit;

static int visit_tree(void *ctx, size_t i, const dp_node *tree, void *result)
{
    (void)result;
    const tree_visit *tv = ctx;
    return tv->visit(tv->ctx, i, tree);
}

int dp_yaml_load_files(const char *const *files, size_t n, unsigned threads, const char *cache_dir, dp_yaml_visit visit,
                       void *ctx, dp_error *err)
{
    tree_visit tv = {visit, ctx};
    dp_yaml_steps steps = {NULL, visit_tree, NULL};
    return dp_yaml_load_files_steps(files, n, threads, cache_dir, &steps, &tv, err);
}

/* Builds the lexicon and the vector index of a loaded knowledge graph, on two
 * threads: both only read the graph; the index allocates in its own arena,
 * which the graph's arena adopts once both are done. */
#include "kg/indexes.h"
#include "kg/lexicon.h"
#include "kg/vindex.h"
#include "util/error.h"
#include <pthread.h>

typedef struct vjob {
    const dp_kg *kg;
    dp_arena *arena;
    dp_vindex *out;
    dp_error err;
    int rc;
} vjob;

static void *build_vindex(void *p)
{
    vjob *j = p;
    j->rc = dp_vindex_build_into(j->kg, j->arena, &j->out, &j->err);
    return NULL;
}

int dp_kg_build_indexes(dp_kg *kg, dp_error *err)
{
    vjob job = {kg, dp_arena_new(1 << 20), NULL, {0, ""}, 0};
    pthread_t th;
    int threaded = 0, rc;
    if (!job.arena)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    threaded = pthread_create(&th, NULL, build_vindex, &job) == 0;
    rc = dp_lexicon_build(kg, err);
    if (threaded)
        pthread_join(th, NULL);
    else
        build_vindex(&job);
    if (!rc && job.rc) {
        if (err)
            *err = job.err;
        rc = job.rc;
    }
    if (rc) {
        dp_arena_free(job.arena);
        return rc;
    }
    dp_arena_adopt(kg->arena, job.arena);
    kg->vec = job.out;
    return 0;
}

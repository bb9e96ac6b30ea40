/* POST /v1/data-products with Accept: text/event-stream: one `stage` event
 * as each stage ends (the library's on_stage), then `result`,
 * `clarification` or `error` with the body the plain POST would answer.
 * The run goes on a thread of its own; the connection's thread reads what
 * it wrote (blocking is fine with a thread per connection) and sends a
 * comment every 15 s of silence so proxies keep the stream open. */
#include "server/http.h"
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SSE_BUF_MAX (64u * 1024 * 1024) /* bytes waiting to be sent; past it events are dropped */
#define SSE_QUIET_S 15

struct dp_srv_stream {
    dp_srv *s;
    dp_srv_run run;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf;
    size_t len, off, cap;
    int done;
    pthread_t th;
};

/* Appends one event (under mu), waking the reader. */
static void push(struct dp_srv_stream *st, const char *event, const char *data)
{
    size_t need = strlen(event) + strlen(data) + 16;
    pthread_mutex_lock(&st->mu);
    if (st->off == st->len) /* all sent: start over at the front */
        st->off = st->len = 0;
    if (st->len + need > st->cap && st->len + need <= SSE_BUF_MAX) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + need)
            cap *= 2;
        char *nb = realloc(st->buf, cap);
        if (nb)
            st->buf = nb, st->cap = cap;
    }
    if (st->len + need <= st->cap)
        st->len += (size_t)snprintf(st->buf + st->len, st->cap - st->len, "event: %s\ndata: %s\n\n", event, data);
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

static void on_stage(void *user, const char *stage_json) { push(user, "stage", stage_json); }

static void *worker(void *p)
{
    struct dp_srv_stream *st = p;
    dp_srv_reply r = {0};
    st->run.go.on_stage = on_stage;
    st->run.go.on_stage_user = st;
    dp_srv_run_execute(st->s, &st->run, &r);
    dp_srv_run_release(st->s, &st->run);
    if (json_is_true(json_object_get(r.body, "cached"))) { /* a repeat ran no stage: the stored run's, in order */
        size_t i;
        json_t *stage;
        json_array_foreach(json_object_get(r.body, "agent_logs"), i, stage) {
            char *text = json_dumps(stage, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (text)
                push(st, "stage", text);
            free(text);
        }
    }
    char *data = r.body ? dp_srv_reply_json(&r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    push(st,
         r.status == 200   ? "result"
         : r.status == 422 ? "clarification"
                           : "error",
         data ? data : "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
    free(data);
    json_decref(r.body);
    free(r.raw_spec);
    free(r.text);
    free(r.log_text);
    pthread_mutex_lock(&st->mu);
    st->done = 1;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct dp_srv_stream *st = cls;
    pthread_mutex_lock(&st->mu);
    while (st->off == st->len && !st->done) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SSE_QUIET_S;
        if (pthread_cond_timedwait(&st->cv, &st->mu, &until) == ETIMEDOUT && st->off == st->len && !st->done) {
            pthread_mutex_unlock(&st->mu);
            static const char beat[] = ": still running\n\n";
            size_t n = sizeof(beat) - 1 < max ? sizeof(beat) - 1 : max;
            memcpy(buf, beat, n);
            return (ssize_t)n;
        }
    }
    ssize_t n;
    if (st->off < st->len) {
        size_t k = st->len - st->off < max ? st->len - st->off : max;
        memcpy(buf, st->buf + st->off, k);
        st->off += k;
        n = (ssize_t)k;
    } else {
        n = MHD_CONTENT_READER_END_OF_STREAM;
    }
    pthread_mutex_unlock(&st->mu);
    return n;
}

/* The response is done with (sent, or the client left): the run is waited
 * for (it holds the generation) and everything freed. */
static void release(void *cls)
{
    struct dp_srv_stream *st = cls;
    pthread_join(st->th, NULL);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st->buf);
    free(st);
}

void dp_srv_stream_product(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r)
{
    struct dp_srv_stream *st = calloc(1, sizeof(*st));
    if (!st) {
        dp_srv_reply_error(r, 503, "out_of_memory", "out of memory");
        return;
    }
    /* 400, 413, 429, 503: a plain JSON answer; a repeat is read here */
    if (dp_srv_run_prepare(s, q, &st->run, r) || dp_srv_run_admit(s, &st->run, r)) {
        free(st);
        return;
    }
    st->s = s;
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    if (pthread_create(&st->th, NULL, worker, st)) {
        dp_srv_run_release(s, &st->run);
        pthread_mutex_destroy(&st->mu);
        pthread_cond_destroy(&st->cv);
        free(st);
        dp_srv_reply_error(r, 503, "busy", "cannot start the run");
        return;
    }
    r->status = 200;
    r->stream = st;
}

void *dp_srv_stream_response(struct dp_srv_stream *st)
{
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, reader, st, release);
    if (!resp)
        release(st);
    return resp;
}

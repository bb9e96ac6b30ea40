/* POST /v1/data-products: a request and its options in, the seed's payload
 * out (data_product_spec, yaml_output, execution_time_ms, agent_logs,
 * run_id), or the clarification (422), or an error body. */
#include "server/server.h"
#include "doc/emit.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void dp_srv_reply_lib(dp_srv_reply *r, int rc, const dp_error *err, dp_catalog *cat)
{
    /* the catalog's paths as the spec shows them: never the server's own */
    char *shown = strdup(err && err->message[0] ? err->message : "failed");
    dp_error ignore = {0};
    dp_catalog_shown_paths(&shown, cat, &ignore);
    const char *msg = shown ? shown : "failed";
    switch (rc) {
    case DP_EINVALID:
        dp_srv_reply_error(r, 400, "invalid", "%s", msg);
        break;
    case DP_ENOTFOUND:
        dp_srv_reply_error(r, 404, "not_found", "%s", msg);
        break;
    case DP_ELIMIT:
        dp_srv_reply_error(r, 503, "limit", "%s", msg);
        break;
    case DP_ENOMEM:
        dp_srv_reply_error(r, 503, "out_of_memory", "%s", msg);
        break;
    case DP_EENGINE:
        dp_srv_reply_error(r, 500, "engine", "%s", msg);
        break;
    default:
        dp_srv_reply_error(r, 500, "internal", "%s", msg);
        break;
    }
    free(shown);
}

/* The options object into go; 0, or 400 set on r. Strings stay owned by
 * the body's JSON. */
static int read_options(json_t *o, dp_generate_options *go, const char **choose, dp_srv_reply *r)
{
    static const char *const known = "dialect, as_of, owner, columns, choose, saved_query, record, fresh, llm_draft";
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o)) {
        dp_srv_reply_error(r, 400, "invalid", "options is an object (%s)", known);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        const char **slot = !strcmp(k, "dialect")       ? &go->dialect
                            : !strcmp(k, "as_of")       ? &go->as_of
                            : !strcmp(k, "owner")       ? &go->owner
                            : !strcmp(k, "columns")     ? &go->columns
                            : !strcmp(k, "saved_query") ? &go->saved_query
                                                        : NULL;
        if (slot) {
            if (!json_is_string(v)) {
                dp_srv_reply_error(r, 400, "invalid", "options.%s is a string", k);
                return -1;
            }
            *slot = json_string_value(v);
        } else if (!strcmp(k, "llm_draft")) { /* the model drafts rules and a description: only when asked */
            if (!json_is_boolean(v)) {
                dp_srv_reply_error(r, 400, "invalid", "options.%s is true or false", k);
                return -1;
            }
            if (json_is_true(v) && !go->llm) {
                dp_srv_reply_error(r, 400, "invalid",
                                   "options.llm_draft needs a language model: start the server with --llm URL");
                return -1;
            }
            go->llm_draft = json_is_true(v);
        } else if (!strcmp(k, "record") || !strcmp(k, "fresh")) {
            if (!json_is_boolean(v)) {
                dp_srv_reply_error(r, 400, "invalid", "options.%s is true or false", k);
                return -1;
            }
            if (!strcmp(k, "record"))
                go->record = json_is_true(v);
            else /* fresh: run even when a stored run answers the same request */
                go->reuse = !json_is_true(v);
        } else if (!strcmp(k, "choose")) {
            size_t i;
            json_t *c;
            if (!json_is_array(v) || json_array_size(v) > DP_SRV_CHOOSE_MAX) {
                dp_srv_reply_error(r, 400, "invalid", "options.choose is a list of at most %d \"phrase=name\"",
                                   DP_SRV_CHOOSE_MAX);
                return -1;
            }
            json_array_foreach(v, i, c) {
                if (!json_is_string(c)) {
                    dp_srv_reply_error(r, 400, "invalid", "options.choose[%zu] is a string \"phrase=name\"", i);
                    return -1;
                }
                choose[i] = json_string_value(c);
            }
            go->choose = choose;
            go->nchoose = json_array_size(v);
        } else {
            dp_srv_reply_error(r, 400, "invalid", "unknown option '%.100s' (options: %s)", k, known);
            return -1;
        }
    }
    return 0;
}

/* A document of the library as JSON, or null. */
static json_t *parsed(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_null();
}

/* data_product_spec until the body is written: then the spec's own text,
 * made compact, takes its place (dp_srv_reply_json) */
#define RAW_MARK "\001dp-raw-spec"
#define RAW_MARK_JSON "\"data_product_spec\":\"\\u0001dp-raw-spec\""

/* The spec of a run for the body: a placeholder with its compact text in
 * r->raw_spec, or (when that cannot be told without the tree) parsed. */
static json_t *spec_value(const char *text, dp_srv_reply *r)
{
    free(r->raw_spec);
    r->raw_spec = text ? dp_json_compact(text, NULL) : NULL;
    return r->raw_spec ? json_string(RAW_MARK) : parsed(text);
}

char *dp_srv_reply_json(dp_srv_reply *r, size_t flags)
{
    json_t *spec = r->raw_spec ? json_object_get(r->body, "data_product_spec") : NULL;
    char *s = json_dumps(r->body, flags);
    if (!s || !spec || !json_is_string(spec) || strcmp(json_string_value(spec), RAW_MARK))
        return s;
    /* the first one: the keys before it are the run's id and status */
    char *at = strstr(s, RAW_MARK_JSON);
    if (!at) { /* not written as expected (other flags): the tree, as before */
        free(s);
        json_object_set_new(r->body, "data_product_spec", parsed(r->raw_spec));
        free(r->raw_spec);
        r->raw_spec = NULL;
        return json_dumps(r->body, flags);
    }
    size_t key = strlen("\"data_product_spec\":"), head = (size_t)(at - s) + key;
    const char *tail = at + strlen(RAW_MARK_JSON);
    size_t nraw = strlen(r->raw_spec), ntail = strlen(tail);
    char *out = malloc(head + nraw + ntail + 1);
    if (out) {
        memcpy(out, s, head);
        memcpy(out + head, r->raw_spec, nraw);
        memcpy(out + head + nraw, tail, ntail + 1);
    }
    free(s);
    return out;
}

/* The trace's stages as the seed's agent_logs, and its total time. */
static json_t *agent_logs(json_t *trace, double *total_ms)
{
    *total_ms = json_number_value(json_object_get(trace, "total_ms"));
    json_t *stages = json_object_get(trace, "stages");
    return json_is_array(stages) ? json_incref(stages) : json_array();
}

static json_t *warnings(dp_result *res)
{
    json_t *w = json_array();
    for (size_t i = 0; res && i < dp_result_warning_count(res); i++)
        json_array_append_new(w, json_string(dp_result_warning(res, i)));
    return w;
}

/* The run's answer: 200 with the payload, 422 with the clarification, or
 * an error body; the trace goes to the metrics either way. */
static void answer(dp_srv *s, dp_catalog *cat, int rc, dp_result *res, const dp_error *err, double wall_ms,
                   dp_srv_reply *r)
{
    json_t *trace = parsed(res ? dp_result_trace_json(res) : NULL);
    double ms = 0;
    json_t *logs = agent_logs(trace, &ms);
    json_t *run_id = json_incref(json_object_get(trace, "run_id"));
    const char *from = NULL;
    int cached = dp_result_cached(res, &from);
    if (res && !cached)
        dp_srv_observe_trace(s, trace);
    if (!rc) {
        r->status = 200;
        r->body = json_pack("{s:o*,s:s,s:o,s:s?,s:f,s:o,s:o}", "run_id", run_id, "status", "ok", "data_product_spec",
                            spec_value(dp_result_spec(res, DP_FORMAT_JSON), r), "yaml_output",
                            dp_result_spec(res, DP_FORMAT_YAML), "execution_time_ms", ms, "agent_logs", logs,
                            "warnings", warnings(res));
        run_id = logs = NULL;
    } else if (rc == DP_ECLARIFY && res && dp_result_clarification_json(res)) {
        json_t *c = parsed(dp_result_clarification_json(res));
        r->status = 422;
        r->body = json_pack("{s:o*,s:s,s:O,s:f,s:o}", "run_id", run_id, "status", "clarify", "clarification",
                            json_object_get(c, "clarification"), "execution_time_ms", ms, "agent_logs", logs);
        json_decref(c);
        run_id = logs = NULL;
    }
    if (r->status == 200 || r->status == 422) {
        /* a repeat is the stored run's answer: said, and timed as this call */
        json_object_set_new(r->body, "cached", json_boolean(cached));
        /* the seed's token usage: a language model's, 0 when none was asked */
        json_t *llm = json_object_get(trace, "llm");
        json_object_set_new(r->body, "llm_tokens",
                            json_integer(json_integer_value(json_object_get(llm, "total_tokens"))));
        if (llm)
            json_object_set(r->body, "llm", llm);
        if (cached)
            json_object_set_new(r->body, "execution_time_ms", json_real(wall_ms));
    }
    if (rc == DP_ENOTFOUND) { /* a choice naming nothing of the catalog */
        dp_srv_reply_lib(r, rc, err, cat);
        json_object_set_new(json_object_get(r->body, "error"), "code", json_string("unknown_name"));
        r->status = 400;
    } else if (rc && r->status != 422) {
        dp_srv_reply_lib(r, rc, err, cat);
    }
    json_decref(run_id);
    json_decref(logs);
    json_decref(trace);
}

/* A request waiting for a run slot, on its own thread's stack: a freed slot
 * is handed to the oldest waiter (granted), so none is overtaken by later
 * arrivals and the wait is bounded by the queue ahead of it. */
struct dp_srv_waiter {
    pthread_cond_t cv;
    int granted;
    struct dp_srv_waiter *next;
};

/* Under slots_mu: w out of the list (it timed out). */
static void waiter_remove(dp_srv *s, struct dp_srv_waiter *w)
{
    struct dp_srv_waiter **p = &s->wait_head, *prev = NULL;
    while (*p && *p != w) {
        prev = *p;
        p = &(*p)->next;
    }
    if (!*p)
        return;
    *p = w->next;
    if (s->wait_tail == w)
        s->wait_tail = prev;
}

/* A run slot: at most max_runs runs at once; past that a request waits, at
 * most queue_wait_ms and with at most max_queue others, for one to come
 * free, else it is answered 429. 0 with the slot taken, or -1 with r set. */
static int slot_take(dp_srv *s, dp_srv_reply *r)
{
    int rc = 0;
    pthread_mutex_lock(&s->slots_mu);
    if (s->running < s->cfg.max_runs && !s->wait_head) {
        s->running++;
    } else if (s->waiting >= s->cfg.max_queue) {
        rc = -1;
    } else {
        struct dp_srv_waiter w = {.granted = 0, .next = NULL};
        pthread_condattr_t ca; /* the wait is timed on the monotonic clock */
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&w.cv, &ca);
        pthread_condattr_destroy(&ca);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += s->cfg.queue_wait_ms / 1000;
        until.tv_nsec += (s->cfg.queue_wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (s->wait_tail)
            s->wait_tail->next = &w;
        else
            s->wait_head = &w;
        s->wait_tail = &w;
        s->waiting++;
        while (!w.granted && pthread_cond_timedwait(&w.cv, &s->slots_mu, &until) != ETIMEDOUT)
            ;
        if (!w.granted) /* timed out: out of the line (a grant takes it out) */
            waiter_remove(s, &w);
        s->waiting--;
        pthread_cond_destroy(&w.cv);
        rc = w.granted ? 0 : -2; /* granted: the giver's slot, running unchanged */
    }
    if (!rc)
        atomic_fetch_add(&s->in_flight, 1);
    int running = s->running, waiting = s->waiting;
    pthread_mutex_unlock(&s->slots_mu);
    if (rc) {
        r->retry_after = "1";
        if (rc == -1)
            dp_srv_reply_error(r, 429, "busy",
                               "%d runs are in progress and %d waiting, the most at once; retry shortly", running,
                               waiting);
        else
            dp_srv_reply_error(r, 429, "busy", "no run slot came free in %.3g s (%d runs in progress); retry shortly",
                               (double)s->cfg.queue_wait_ms / 1000.0, running);
    }
    return rc ? -1 : 0;
}

/* The slot goes to the oldest waiter, else back to the pool. */
static void slot_give(dp_srv *s)
{
    pthread_mutex_lock(&s->slots_mu);
    atomic_fetch_sub(&s->in_flight, 1);
    struct dp_srv_waiter *w = s->wait_head;
    if (w) {
        s->wait_head = w->next;
        if (!s->wait_head)
            s->wait_tail = NULL;
        w->granted = 1;
        pthread_cond_signal(&w->cv);
    } else {
        s->running--;
    }
    pthread_mutex_unlock(&s->slots_mu);
}

int dp_srv_run_prepare(dp_srv *s, const dp_srv_req *q, dp_srv_run *run, dp_srv_reply *r)
{
    json_error_t je;
    dp_generate_options init = DP_GENERATE_OPTIONS_INIT;
    memset(run, 0, sizeof(*run));
    run->go = init;
    run->body = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(run->body)) {
        dp_srv_reply_error(r, 400, "invalid",
                           "the body is a JSON object {\"request\": \"...\", \"options\": {...}}%s%s",
                           run->body ? "" : ": ", run->body ? "" : je.text);
        goto fail;
    }
    json_t *req = json_object_get(run->body, "request");
    run->text = json_string_value(req);
    if (req && !json_is_string(req)) {
        dp_srv_reply_error(r, 400, "invalid", "request is a string");
        goto fail;
    }
    run->go.reuse = 1; /* a repeat is answered from the run store unless options.fresh */
    run->go.timeout_ms = s->cfg.timeout_ms;
    run->go.llm = s->llm;
    run->go.memory_limit = s->cfg.memory_limit;
    if (read_options(json_object_get(run->body, "options"), &run->go, run->choose, r))
        goto fail;
    const char *text = run->text;
    if (!run->go.saved_query && (!text || strspn(text, " \t\r\n") == strlen(text))) {
        dp_srv_reply_error(r, 400, "empty_request", "request is empty: say what data product to build");
        goto fail;
    }
    if (text && strlen(text) > DP_REQUEST_MAX_BYTES) {
        dp_srv_reply_error(r, 413, "too_large", "the request is %zu bytes; the limit is %d", strlen(text),
                           DP_REQUEST_MAX_BYTES);
        goto fail;
    }
    if (!(run->g = dp_srv_gen_take(s))) {
        r->retry_after = "1";
        dp_srv_reply_error(r, 503, "loading", "the catalog is not loaded yet");
        goto fail;
    }
    if (s->cfg.log_requests && text)
        r->log_text = strdup(text);
    return 0;
fail:
    dp_srv_run_release(s, run);
    return -1;
}

int dp_srv_run_admit(dp_srv *s, dp_srv_run *run, dp_srv_reply *r)
{
    clock_gettime(CLOCK_MONOTONIC, &run->t0);
    /* a repeat is read from the run store first: it needs no slot */
    if (run->go.reuse) {
        run->stored_rc = dp_generate_stored(&run->stored, run->g->cat, run->text, &run->go, &run->stored_err);
        if (run->stored || run->stored_rc)
            return 0;
    }
    if (slot_take(s, r)) {
        dp_srv_run_release(s, run);
        return -1;
    }
    run->slot = 1;
    return 0;
}

void dp_srv_run_release(dp_srv *s, dp_srv_run *run)
{
    dp_result_free(run->stored);
    run->stored = NULL;
    if (run->slot)
        slot_give(s);
    if (run->g)
        dp_srv_gen_drop(s, run->g);
    json_decref(run->body);
    run->slot = 0;
    run->g = NULL;
    run->body = NULL;
}

int dp_srv_run_execute(dp_srv *s, dp_srv_run *run, dp_srv_reply *r)
{
    dp_result *res = run->stored;
    dp_error err = run->stored_err;
    struct timespec t0 = run->t0, t1;
    int rc = run->stored_rc;
    run->stored = NULL;
    if (!res && !rc) /* admitted with a slot */
        rc = dp_generate(&res, run->g->cat, run->text, &run->go, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    atomic_fetch_add(&s->runs_total, 1);
    answer(s, run->g->cat, rc, res, &err,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, r);
    dp_result_free(res);
    const char *id = json_string_value(json_object_get(r->body, "run_id"));
    if (run->go.record && id && (r->status == 200 || r->status == 422)) { /* stored: where to find it again */
        char base[128];
        snprintf(base, sizeof(base), "/v1/runs/%s", id);
        json_t *links = json_pack("{s:s}", "run", base);
        for (const char *const *d = (const char *const[]){"spec.yaml", "spec.json", "README.md", NULL};
             r->status == 200 && *d; d++)
            json_object_set_new(links, *d, json_sprintf("%s/%s", base, *d));
        json_object_set_new(r->body, "links", links);
    }
    return rc;
}

void dp_srv_post_product(dp_srv *s, const dp_srv_req *q, dp_srv_reply *r)
{
    if (q->accept && strstr(q->accept, "text/event-stream")) {
        dp_srv_stream_product(s, q, r);
        return;
    }
    dp_srv_run run;
    if (dp_srv_run_prepare(s, q, &run, r) || dp_srv_run_admit(s, &run, r))
        return;
    dp_srv_run_execute(s, &run, r);
    dp_srv_run_release(s, &run);
}

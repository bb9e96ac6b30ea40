/* An OpenAI-compatible chat completions client (llm.h) with libcurl: a JSON
 * answer of a given schema (response_format json_schema, or the schema in
 * the prompt for servers without it), bounded in time, tries, size and a
 * run's budget; the key is sent, never logged or shown. */
#include "llm/llm.h"
#include "util/buf.h"
#include "util/error.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ANSWER_MAX (1u << 20) /* bytes of a server's answer */
#define KEY_MAX 4096
#define BACKOFF_MS 250    /* first retry's wait, doubled each time */
#define RETRY_AFTER_MAX 5 /* seconds of a Retry-After heeded */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void dp_llm_free(dp_llm *c)
{
    if (!c)
        return;
    free(c->url);
    free(c->shown);
    free(c->model);
    if (c->key) /* not left in freed memory */
        memset(c->key, 0, strlen(c->key));
    free(c->key);
    free(c);
}

/* The URL as a message shows it: no user:password@, no query. */
static char *shown_url(const char *url)
{
    char *s = strdup(url);
    if (!s)
        return NULL;
    char *auth = strstr(s, "://");
    if (auth) {
        auth += 3;
        char *end = auth + strcspn(auth, "/?#"), *at = NULL;
        for (char *p = auth; p < end; p++)
            if (*p == '@')
                at = p;
        if (at)
            memmove(auth, at + 1, strlen(at + 1) + 1);
    }
    s[strcspn(s, "?#")] = 0;
    return s;
}

int dp_llm_open(dp_llm **out, const dp_llm_options *o, dp_error *err)
{
    *out = NULL;
    if (!o || !o->url || (strncasecmp(o->url, "http://", 7) && strncasecmp(o->url, "https://", 8)))
        return dp_error_set(err, DP_EINVALID, "the language model's URL is http:// or https://");
    if (strlen(o->url) > 2000 || strpbrk(o->url, " \r\n\t"))
        return dp_error_set(err, DP_EINVALID, "the language model's URL is one line of at most 2000 bytes");
    if (o->api_key && (strlen(o->api_key) > KEY_MAX || strpbrk(o->api_key, "\r\n")))
        return dp_error_set(err, DP_EINVALID, "the language model's key is one line of at most %d bytes", KEY_MAX);
    if (o->timeout_ms < 0 || o->max_calls < 0 || o->max_tokens < 0 || o->retries < -1 || o->retries > 10)
        return dp_error_set(err, DP_EINVALID, "language model limits: timeout, calls and tokens >= 0, retries -1..10");
    dp_llm *c = calloc(1, sizeof(*c));
    if (!c)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    size_t n = strlen(o->url);
    while (n && o->url[n - 1] == '/')
        n--;
    const char *tail = n >= 17 && !strncmp(o->url + n - 17, "/chat/completions", 17) ? ""
                       : n >= 3 && !strncmp(o->url + n - 3, "/v1", 3)                ? "/chat/completions"
                                                                                     : "/v1/chat/completions";
    if ((c->url = malloc(n + strlen(tail) + 1)))
        snprintf(c->url, n + strlen(tail) + 1, "%.*s%s", (int)n, o->url, tail);
    c->shown = c->url ? shown_url(c->url) : NULL;
    c->model = strdup(o->model && *o->model ? o->model : "default");
    c->key = o->api_key && *o->api_key ? strdup(o->api_key) : NULL;
    if (!c->url || !c->shown || !c->model || (o->api_key && *o->api_key && !c->key)) {
        dp_llm_free(c);
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    }
    c->timeout_ms = o->timeout_ms ? o->timeout_ms : 20000;
    c->retries = o->retries == -1 ? 0 : o->retries ? o->retries : 2;
    c->max_calls = o->max_calls ? o->max_calls : 6;
    c->max_tokens = o->max_tokens ? o->max_tokens : 20000;
    *out = c;
    return 0;
}

/* The key from a file: its first line. */
static char *key_file(const char *path, dp_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        dp_error_set(err, DP_EINVALID, "DPGEN_LLM_API_KEY_FILE: cannot read %s", path);
        return NULL;
    }
    char buf[KEY_MAX + 2] = "";
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = 0;
    fclose(f);
    buf[strcspn(buf, "\r\n")] = 0;
    char *k = strdup(buf);
    memset(buf, 0, sizeof(buf));
    if (!k)
        dp_error_set(err, DP_ENOMEM, "out of memory");
    return k;
}

int dp_llm_open_env(dp_llm **out, const char *url, dp_error *err)
{
    *out = NULL;
    dp_llm_options o = DP_LLM_OPTIONS_INIT;
    o.url = url && *url ? url : getenv("DPGEN_LLM_URL");
    if (!o.url || !*o.url)
        return 0; /* off: no network at all */
    o.model = getenv("DPGEN_LLM_MODEL");
    o.api_key = getenv("DPGEN_LLM_API_KEY");
    char *fk = NULL;
    const char *kf = getenv("DPGEN_LLM_API_KEY_FILE");
    if ((!o.api_key || !*o.api_key) && kf && *kf) {
        if (!(fk = key_file(kf, err)))
            return err ? err->code : DP_EINVALID;
        o.api_key = fk;
    }
    const char *tv = getenv("DPGEN_LLM_TIMEOUT");
    if (tv && *tv) {
        char *end;
        double s = strtod(tv, &end);
        if (*end || !(s > 0 && s <= 600)) {
            free(fk);
            return dp_error_set(err, DP_EINVALID, "DPGEN_LLM_TIMEOUT is seconds above 0, at most 600, not '%.40s'", tv);
        }
        o.timeout_ms = (long)(s * 1000) ? (long)(s * 1000) : 1;
    }
    static const char *const lims[] = {"DPGEN_LLM_MAX_CALLS", "DPGEN_LLM_MAX_TOKENS", "DPGEN_LLM_RETRIES"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(lims[i]);
        if (!v || !*v)
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < (i == 2 ? 0 : 1) || n > (i == 2 ? 10 : 100000000)) {
            free(fk);
            return dp_error_set(err, DP_EINVALID, "%s is a number (%s), not '%.40s'", lims[i],
                                i == 2 ? "0..10" : "1..100000000", v);
        }
        if (i == 0)
            o.max_calls = (int)n;
        else if (i == 1)
            o.max_tokens = n;
        else
            o.retries = n ? (int)n : -1;
    }
    int rc = dp_llm_open(out, &o, err);
    if (fk)
        memset(fk, 0, strlen(fk));
    free(fk);
    return rc;
}

/* ---- schema check (the subset dpgen writes) ---------------------------- */

int dp_llm__valid(json_t *schema, json_t *v, char *why, size_t n)
{
    const char *type = json_string_value(json_object_get(schema, "type"));
    json_t *en = json_object_get(schema, "enum");
    if (en) {
        size_t i;
        json_t *x;
        json_array_foreach(en, i, x)
            if (json_equal(x, v))
                return 1;
        snprintf(why, n, "%.80s is not one of the names offered", json_is_string(v) ? json_string_value(v) : "a value");
        return 0;
    }
    if (!type)
        return 1;
    if (!strcmp(type, "string") && !json_is_string(v))
        return snprintf(why, n, "a string was expected"), 0;
    if (!strcmp(type, "array")) {
        if (!json_is_array(v))
            return snprintf(why, n, "an array was expected"), 0;
        json_int_t max = json_integer_value(json_object_get(schema, "maxItems"));
        if (max > 0 && (json_int_t)json_array_size(v) > max)
            return snprintf(why, n, "more than %lld items", (long long)max), 0;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
            if (!dp_llm__valid(json_object_get(schema, "items"), x, why, n))
                return 0;
        return 1;
    }
    if (!strcmp(type, "object")) {
        if (!json_is_object(v))
            return snprintf(why, n, "an object was expected"), 0;
        json_t *props = json_object_get(schema, "properties");
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(schema, "required"), i, r) {
            if (!json_object_get(v, json_string_value(r)))
                return snprintf(why, n, "'%.60s' is missing", json_string_value(r)), 0;
        }
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            json_t *ps = json_object_get(props, k);
            if (!ps)
                return snprintf(why, n, "'%.60s' is not a field of the answer", k), 0;
            if (!dp_llm__valid(ps, x, why, n))
                return 0;
        }
    }
    return 1;
}

/* ---- one HTTP exchange ------------------------------------------------- */

typedef struct body {
    dp_buf b;
} body;

static size_t keep(char *data, size_t size, size_t nmemb, void *p)
{
    body *bd = p;
    size_t n = size * nmemb;
    if (dp_buf_add(&bd->b, data, n) || bd->b.toobig)
        return 0; /* too large: the transfer stops */
    return n;
}

typedef struct exchange {
    long status;      /* HTTP status; 0: no answer */
    CURLcode cc;      /* transport outcome */
    long retry_after; /* seconds, 0: none */
    char *text;       /* the answer (malloc'd) */
} exchange;

static size_t header(char *data, size_t size, size_t nmemb, void *p)
{
    exchange *x = p;
    size_t n = size * nmemb;
    if (n > 12 && !strncasecmp(data, "Retry-After:", 12))
        x->retry_after = strtol(data + 12, NULL, 10);
    return n;
}

static void post(const dp_llm *c, const char *payload, long timeout_ms, exchange *x)
{
    memset(x, 0, sizeof(*x));
    CURL *h = curl_easy_init();
    struct curl_slist *hd = NULL, *more;
    char *auth = NULL;
    body bd;
    dp_buf_init(&bd.b, ANSWER_MAX);
    x->cc = CURLE_OUT_OF_MEMORY;
    if (!h || !(hd = curl_slist_append(NULL, "Content-Type: application/json")) ||
        !(more = curl_slist_append(hd, "Expect:")))
        goto done;
    hd = more;
    if (c->key) {
        size_t n = strlen(c->key) + 32;
        if (!(auth = malloc(n)))
            goto done;
        snprintf(auth, n, "Authorization: Bearer %s", c->key);
        if (!(more = curl_slist_append(hd, auth)))
            goto done;
        hd = more;
    }
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &bd);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    x->cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x->status);
    x->text = dp_buf_detach(&bd.b);
done:
    dp_buf_dispose(&bd.b);
    if (auth) {
        memset(auth, 0, strlen(auth));
        free(auth);
    }
    curl_slist_free_all(hd);
    if (h)
        curl_easy_cleanup(h);
}

/* The JSON in a model's text: the whole, or the object between the first
 * '{' and the last '}' (code fences and words around it dropped). */
static json_t *json_in(const char *s)
{
    json_t *v = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
    if (v)
        return v;
    const char *a = strchr(s, '{'), *b = strrchr(s, '}');
    if (!a || !b || b < a)
        return NULL;
    return json_loadb(a, (size_t)(b - a + 1), JSON_REJECT_DUPLICATES, NULL);
}

static char *request_body(const dp_llm *c, const dp_llm_call *call, int structured)
{
    char *sys = NULL;
    if (!structured) { /* the schema said in words: a server without response_format */
        char *sch = json_dumps(call->schema, JSON_COMPACT);
        size_t n = strlen(call->system) + (sch ? strlen(sch) : 0) + 200;
        if (sch && (sys = malloc(n)))
            snprintf(sys, n, "%s\nAnswer with one JSON object and nothing else, valid against this JSON Schema: %s",
                     call->system, sch);
        free(sch);
        if (!sys)
            return NULL;
    }
    json_t *msgs = json_pack("[{s:s,s:s},{s:s,s:s}]", "role", "system", "content", sys ? sys : call->system, "role",
                             "user", "content", call->user);
    json_t *req = json_pack("{s:s,s:o,s:i}", "model", c->model, "messages", msgs, "temperature", 0);
    if (req && structured)
        json_object_set_new(req, "response_format",
                            json_pack("{s:s,s:{s:s,s:b,s:O}}", "type", "json_schema", "json_schema", "name",
                                      call->schema_name, "strict", 1, "schema", call->schema));
    char *out = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    free(sys);
    return out;
}

static void log_call(dp_llm_usage *u, const dp_llm *c, const dp_llm_call *call, double ms, long pt, long ct,
                     const char *outcome)
{
    if (!u->log && !(u->log = json_array()))
        return;
    json_array_append_new(u->log, json_pack("{s:s,s:s,s:f,s:I,s:I,s:s,s:b}", "purpose", call->purpose, "model",
                                            c->model, "ms", ms, "prompt_tokens", (json_int_t)pt, "completion_tokens",
                                            (json_int_t)ct, "outcome", outcome, "structured", call->structured));
}

void dp_llm__outcome(dp_llm_usage *u, const char *outcome, const char *detail)
{
    json_t *last = json_array_get(u->log, json_array_size(u->log) - 1);
    if (!last)
        return;
    json_object_set_new(last, "outcome", json_string(outcome));
    if (detail)
        json_object_set_new(last, "detail", json_string(detail));
}

int dp_llm__chat(const dp_llm *c, dp_llm_usage *u, dp_llm_call *call, dp_error *err)
{
    call->answer = NULL;
    call->structured = 1;
    int tries = 0, rc = 0;
    double start = now_ms();
    for (;;) {
        if (u->calls >= c->max_calls || u->tokens >= c->max_tokens)
            return dp_error_set(err, DP_ELIMIT,
                                "the language model's budget for this run is spent (%d calls, %ld tokens)", u->calls,
                                u->tokens);
        long t = c->timeout_ms;
        if (call->time_left_ms > 0) {
            long left = call->time_left_ms - (long)(now_ms() - start);
            if (left <= 0)
                return dp_error_set(err, DP_ELIMIT, "no time left for the language model");
            if (left < t)
                t = left;
        }
        char *payload = request_body(c, call, call->structured);
        if (!payload)
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        exchange x;
        double t0 = now_ms();
        post(c, payload, t, &x);
        double ms = now_ms() - t0;
        free(payload);
        u->calls++;
        tries++;
        json_t *resp = x.text && x.status == 200 ? json_loads(x.text, 0, NULL) : NULL;
        json_t *usage = json_object_get(resp, "usage");
        long pt = (long)json_integer_value(json_object_get(usage, "prompt_tokens"));
        long ct = (long)json_integer_value(json_object_get(usage, "completion_tokens"));
        u->tokens += pt + ct;
        call->prompt_tokens += pt;
        call->completion_tokens += ct;
        int transient = x.cc == CURLE_OPERATION_TIMEDOUT || x.cc == CURLE_COULDNT_CONNECT || x.cc == CURLE_RECV_ERROR ||
                        x.cc == CURLE_GOT_NOTHING || x.status == 429 || x.status >= 500;
        char what[200];
        if (x.cc != CURLE_OK)
            snprintf(what, sizeof(what), "error: %s", curl_easy_strerror(x.cc));
        else
            snprintf(what, sizeof(what), "error: HTTP %ld", x.status);
        if (x.cc == CURLE_OK && x.status == 400 && call->structured) {
            /* a server without structured output: the schema in words */
            log_call(u, c, call, ms, pt, ct, "error: HTTP 400 (structured output refused; asked again without it)");
            call->structured = 0;
            free(x.text);
            json_decref(resp);
            continue;
        }
        if (x.cc != CURLE_OK || x.status != 200) {
            log_call(u, c, call, ms, pt, ct, what);
            free(x.text);
            json_decref(resp);
            if (transient && tries <= c->retries) {
                long wait = BACKOFF_MS << (tries - 1);
                if (x.retry_after > 0)
                    wait = (x.retry_after > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : x.retry_after) * 1000;
                if (call->time_left_ms > 0 && (long)(now_ms() - start) + wait >= call->time_left_ms)
                    return dp_error_set(err, DP_ELIMIT, "the language model at %s: %s, and no time left to retry",
                                        c->shown, what + 7);
                struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
                nanosleep(&ts, NULL);
                continue;
            }
            return dp_error_set(err, DP_EENGINE, "the language model at %s is unavailable: %s", c->shown, what + 7);
        }
        const char *content = json_string_value(json_object_get(
            json_object_get(json_array_get(json_object_get(resp, "choices"), 0), "message"), "content"));
        json_t *ans = content ? json_in(content) : NULL;
        char why[200] = "";
        if (!ans) {
            log_call(u, c, call, ms, pt, ct, "rejected: the answer is not JSON");
            rc = dp_error_set(err, DP_EINVALID, "the language model's answer is not JSON");
        } else if (!dp_llm__valid(call->schema, ans, why, sizeof(why))) {
            log_call(u, c, call, ms, pt, ct, "rejected: not of the schema");
            dp_llm__outcome(u, "rejected: not of the schema", why);
            rc = dp_error_set(err, DP_EINVALID, "the language model's answer is not of the schema: %s", why);
            json_decref(ans);
            ans = NULL;
        } else {
            log_call(u, c, call, ms, pt, ct, "answered");
        }
        free(x.text);
        json_decref(resp);
        call->answer = ans;
        return rc;
    }
}

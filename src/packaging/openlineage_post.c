/* Posting the OpenLineage event to a lineage server's HTTP API (Marquez,
 * DataHub and OpenMetadata take POST <base>/api/v1/lineage), with libcurl:
 * only when asked, never following redirects, bounded in time and in how
 * much of the answer is kept for the message. */
#include "dpgen/dpgen.h"
#include "doc/emit.h"
#include "packaging/export_int.h"
#include "packaging/openlineage.h"
#include "util/buf.h"
#include "util/error.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

json_t *dp__result_spec_tree(dp_result *res);

#define POST_TIMEOUT_S 10L /* default; DPGEN_OPENLINEAGE_TIMEOUT (1 to 300 s) overrides */
#define ANSWER_CAP 300     /* bytes of the server's answer quoted in a message */
#define KEY_CAP 4096       /* bytes of an API key */

typedef struct answer {
    char text[ANSWER_CAP + 1];
    size_t len;
} answer;

static size_t keep_answer(char *data, size_t size, size_t nmemb, void *payload)
{
    answer *a = payload;
    size_t n = size * nmemb;
    size_t room = ANSWER_CAP - a->len;
    size_t take = n < room ? n : room;
    memcpy(a->text + a->len, data, take);
    a->len += take;
    a->text[a->len] = 0;
    return n;
}

/* The URL as a message may show it: without "user:password@", and
 * without a query, where some servers take their key. */
static void shown_url(char *out, size_t n, const char *url)
{
    const char *auth = strstr(url, "://"), *at = NULL;
    if (auth) {
        auth += 3;
        const char *end = auth + strcspn(auth, "/?#");
        for (const char *p = auth; p < end; p++)
            if (*p == '@')
                at = p;
    }
    if (at)
        snprintf(out, n, "%.*s%s", (int)(auth - url), url, at + 1);
    else
        snprintf(out, n, "%s", url);
    out[strcspn(out, "?#")] = 0;
}

/* One line of the answer for a message. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            *s = ' ';
}

int dp_packaging__openlineage_post(const char *url, const char *body, dp_error *err)
{
    char where[512];
    shown_url(where, sizeof(where), url ? url : "");
    if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)))
        return dp_error_set(err, DP_EINVALID, "lineage server URL '%s' is not http:// or https://", where);
    /* libcurl initialises itself here, thread-safely since 7.84 */
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL, *more = NULL;
    char *auth = NULL;
    answer a = {{0}, 0};
    int rc = 0;
    if (!h || !(headers = curl_slist_append(NULL, "Content-Type: application/json"))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    /* no "Expect: 100-continue" wait: the event is sent at once */
    if (!(more = curl_slist_append(headers, "Expect:"))) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    headers = more;
    const char *key = getenv("DPGEN_OPENLINEAGE_API_KEY");
    if (key && *key) {
        size_t n = strlen(key);
        if (n > KEY_CAP || strpbrk(key, "\r\n")) {
            rc = dp_error_set(err, DP_EINVALID, "DPGEN_OPENLINEAGE_API_KEY is not a one-line key of at most %d bytes",
                              KEY_CAP);
            goto done;
        }
        if (!(auth = malloc(n + 32))) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        snprintf(auth, n + 32, "Authorization: Bearer %s", key);
        if (!(more = curl_slist_append(headers, auth))) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
        headers = more;
    }
    /* a lineage server that hangs must not hang the pipeline */
    long timeout = POST_TIMEOUT_S;
    const char *tv = getenv("DPGEN_OPENLINEAGE_TIMEOUT");
    if (tv && *tv) {
        char *end = NULL;
        timeout = strtol(tv, &end, 10);
        if (*end || timeout < 1 || timeout > 300) {
            rc = dp_error_set(err, DP_EINVALID, "DPGEN_OPENLINEAGE_TIMEOUT is seconds from 1 to 300, not '%.40s'", tv);
            goto done;
        }
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "dpgen/" DP_VERSION);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        rc = dp_error_set(err, DP_ERROR, "lineage server %s could not be reached: %s", where, curl_easy_strerror(cc));
        goto done;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        one_line(a.text);
        rc = dp_error_set(err, DP_ERROR, "lineage server %s refused the event: HTTP %ld%s%s", where, status,
                          a.len ? ": " : "", a.text);
    }
done:
    if (auth) {
        explicit_bzero(auth, strlen(auth)); /* the key lives no longer than the request */
        free(auth);
    }
    curl_slist_free_all(headers);
    if (h)
        curl_easy_cleanup(h);
    return rc;
}

/* The event text: the same bytes --out writes. */
int dp_packaging__openlineage_text(char **out, const json_t *spec, dp_error *err)
{
    json_t *ev = NULL;
    *out = NULL;
    int rc = dp_packaging__openlineage(&ev, spec, err);
    if (rc)
        return rc;
    *out = dp_json_dump(ev);
    json_decref(ev);
    return *out ? 0 : dp_error_set(err, DP_ENOMEM, "out of memory");
}

int dp_export__openlineage(const char *dir, const json_t *spec, const char *name, dp_error *err)
{
    char *text = NULL, rel[256];
    snprintf(rel, sizeof(rel), "openlineage/%s_run_event.json", name);
    int rc = dp_packaging__openlineage_text(&text, spec, err);
    if (!rc)
        rc = dp_export__write_file(dir, rel, text, err);
    free(text);
    return rc;
}

int dp_result_openlineage_post(dp_result *res, const char *url, dp_error *err)
{
    json_t *spec = dp__result_spec_tree(res);
    if (!spec || !dp_result_spec(res, DP_FORMAT_JSON))
        return dp_error_set(err, DP_EINVALID, "no valid spec to send");
    char *text = NULL;
    int rc = dp_packaging__openlineage_text(&text, spec, err);
    if (!rc)
        rc = dp_packaging__openlineage_post(url, text, err);
    free(text);
    return rc;
}

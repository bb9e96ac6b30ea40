/* The web page's file serving (server/page.c, included to reach its
 * statics): which paths are page files, which Accept-Encoding values take
 * gzip, the gzip itself, ETags and 304, with the embedded files stubbed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "server/page.c"

static const char page_html[] = "<!doctype html><title>t</title><p>a page file, a page file, a page file</p>";

/* The embedded files: one page, and a JSON file the page must not serve. */
const char *dp_srv_asset_find(const char *name, size_t *len)
{
    if (!strcmp(name, "index.html")) {
        *len = sizeof(page_html) - 1;
        return page_html;
    }
    if (!strcmp(name, "openapi.json")) {
        *len = 2;
        return "{}";
    }
    return NULL;
}

void dp_srv_reply_error(dp_srv_reply *r, unsigned status, const char *code, const char *fmt, ...)
{
    (void)code, (void)fmt;
    r->status = status;
}

/* Request headers for dp_srv_get_page: "Name: value" lines in conn. */
static const char *header(void *conn, const char *key)
{
    static char value[256];
    const char *const *h = conn;
    for (; *h; h++) {
        size_t n = strlen(key);
        if (!strncasecmp(*h, key, n) && (*h)[n] == ':') {
            snprintf(value, sizeof(value), "%s", *h + n + 2);
            return value;
        }
    }
    return NULL;
}

static void test_paths(void **state)
{
    (void)state;
    assert_true(dp_srv_page_path("/"));
    assert_true(dp_srv_page_path("/index.html"));
    assert_true(dp_srv_page_path("/app.js"));
    assert_true(dp_srv_page_path("/app.css"));
    assert_true(dp_srv_page_path("/icon.svg"));
    assert_false(dp_srv_page_path("/openapi.json")); /* its own route */
    assert_false(dp_srv_page_path("/v1/app.js"));
    assert_false(dp_srv_page_path("/.app.js"));
    assert_false(dp_srv_page_path("/App.js"));
    assert_false(dp_srv_page_path("/app"));
    assert_false(dp_srv_page_path("/app.js/"));
    assert_false(dp_srv_page_path("app.js"));
    assert_false(dp_srv_page_path("/../app.js"));
    assert_false(dp_srv_page_path(""));
    char longname[80];
    memset(longname, 'a', sizeof(longname));
    longname[0] = '/';
    memcpy(longname + sizeof(longname) - 4, ".js", 4);
    assert_false(dp_srv_page_path(longname));
}

static void test_accept_encoding(void **state)
{
    (void)state;
    assert_true(takes_gzip("gzip"));
    assert_true(takes_gzip("GZIP"));
    assert_true(takes_gzip("br, gzip"));
    assert_true(takes_gzip("deflate, gzip;q=0.5"));
    assert_true(takes_gzip("*"));
    assert_false(takes_gzip("gzip;q=0"));
    assert_false(takes_gzip("gzip; q=0.000"));
    assert_false(takes_gzip("*;q=0"));
    assert_false(takes_gzip("x-gzip"));
    assert_false(takes_gzip("gzipped"));
    assert_false(takes_gzip("identity"));
    assert_false(takes_gzip(""));
    assert_false(takes_gzip(NULL));
}

static void test_gzip_round_trip(void **state)
{
    (void)state;
    char *gz = NULL;
    size_t n = 0;
    assert_int_equal(gzip(page_html, sizeof(page_html) - 1, &gz, &n), 0);
    assert_true(n > 18 && (unsigned char)gz[0] == 0x1f && (unsigned char)gz[1] == 0x8b);
    char back[256];
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)gz;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)back;
    z.avail_out = sizeof(back);
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, sizeof(page_html) - 1);
    assert_memory_equal(back, page_html, sizeof(page_html) - 1);
    inflateEnd(&z);
    free(gz);
}

static void get(const char *path, const char *const *headers, dp_srv_reply *r)
{
    memset(r, 0, sizeof(*r));
    dp_srv_req q = {"GET", path, NULL, "", 0, NULL, (void *)headers, header};
    dp_srv_get_page(&q, r);
}

static void test_get(void **state)
{
    (void)state;
    dp_srv_reply r;
    const char *plain[] = {NULL};
    get("/", plain, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "text/html; charset=utf-8");
    assert_int_equal(r.gzip, 0);
    assert_int_equal(r.text_len, sizeof(page_html) - 1);
    assert_memory_equal(r.text, page_html, r.text_len);
    char etag[40];
    snprintf(etag, sizeof(etag), "%s", r.etag);
    assert_true(etag[0] == '"' && strlen(etag) == 18);
    free(r.text);

    const char *gz[] = {"Accept-Encoding: gzip, br", NULL};
    get("/index.html", gz, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.gzip, 1);
    assert_true(r.text_len < sizeof(page_html)); /* the text repeats: it compresses */
    assert_true(strstr(r.etag, "-gz\"") != NULL);
    assert_memory_equal(r.etag, etag, 17); /* same bytes, the encoding marked */
    free(r.text);

    /* the browser's copy is current: 304 with no body, per encoding */
    char inm[80];
    snprintf(inm, sizeof(inm), "If-None-Match: W/\"x\", %s", etag);
    const char *cached[] = {inm, NULL};
    get("/", cached, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.text_len, 0);
    free(r.text);
    const char *cached_gz[] = {"Accept-Encoding: gzip", inm, NULL};
    get("/", cached_gz, &r); /* the plain ETag does not match the gzip one */
    assert_int_equal(r.status, 200);
    free(r.text);

    get("/missing.js", plain, &r);
    assert_int_equal(r.status, 404);
    assert_null(r.text);
    get("/openapi.json", plain, &r); /* embedded, but not a page file */
    assert_int_equal(r.status, 404);
    assert_null(r.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_accept_encoding),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

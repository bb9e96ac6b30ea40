/* The web page: the files of src/server/assets/ (compiled in) served at "/"
 * and "/NAME.EXT" with their type, an ETag the browser revalidates, gzip
 * when the client takes it, and a Content-Security-Policy that lets the page
 * load nothing but its own files and talk to nothing but this server. The
 * page holds no logic of the stages: it calls the /v1 API like any client. */
#include "server/server.h"
#include <gnutls/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define PAGE_NAME_MAX 64 /* longest file name served */

/* The Content-Type of a served file name, NULL for a name the page does
 * not serve (only these types are; the OpenAPI document has its own route). */
static const char *page_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

int dp_srv_page_path(const char *path)
{
    if (!strcmp(path, "/"))
        return 1;
    if (path[0] != '/')
        return 0;
    const char *name = path + 1;
    size_t n = strlen(name);
    if (!n || n >= PAGE_NAME_MAX || name[0] == '.' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return 0;
    return page_type(name) != NULL;
}

/* 1 when an Accept-Encoding value takes gzip (by name or "*", with no q=0). */
static int takes_gzip(const char *accept)
{
    while (accept && *accept) {
        accept += strspn(accept, " \t,");
        size_t len = strcspn(accept, ",");
        size_t name = strcspn(accept, ";, \t");
        if ((name == 4 && !strncasecmp(accept, "gzip", 4)) || (name == 1 && accept[0] == '*')) {
            const char *q = memchr(accept, '=', len);
            if (!q || strtod(q + 1, NULL) > 0)
                return 1;
        }
        accept += len;
    }
    return 0;
}

/* data gzip-compressed into a malloc'd buffer: 0, or -1. */
static int gzip(const char *data, size_t len, char **out, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)len);
    char *buf = malloc(cap);
    int rc = -1;
    if (!buf)
        goto done;
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        goto done;
    *out = buf;
    *out_len = z.total_out;
    buf = NULL;
    rc = 0;
done:
    deflateEnd(&z);
    free(buf);
    return rc;
}

/* The quoted ETag of a file's bytes (a SHA-256 prefix), marked for its
 * encoding: the two encodings are two representations. */
static void page_etag(const char *data, size_t len, int gz, char *out, size_t n)
{
    unsigned char d[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d) != 0)
        memset(d, 0, sizeof(d));
    snprintf(out, n, "\"%02x%02x%02x%02x%02x%02x%02x%02x%s\"", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
             gz ? "-gz" : "");
}

/* 1 when If-None-Match names etag (or is "*"): the browser's copy is current. */
static int etag_matches(const char *inm, const char *etag) { return inm && (strstr(inm, etag) || !strcmp(inm, "*")); }

void dp_srv_get_page(const dp_srv_req *q, dp_srv_reply *r)
{
    const char *name = strcmp(q->path, "/") ? q->path + 1 : "index.html";
    size_t len = 0;
    const char *data = dp_srv_asset_find(name, &len);
    if (!data || !page_type(name)) {
        dp_srv_reply_error(r, 404, "not_found", "no page file %s", q->path);
        return;
    }
    int gz = q->header && takes_gzip(q->header(q->conn, "Accept-Encoding"));
    r->page = 1;
    r->content_type = page_type(name);
    page_etag(data, len, gz, r->etag, sizeof(r->etag));
    if (q->header && etag_matches(q->header(q->conn, "If-None-Match"), r->etag)) {
        r->status = 304;
        r->text = strdup("");
        r->text_len = 0;
        if (!r->text)
            dp_srv_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    if (gz && gzip(data, len, &r->text, &r->text_len) == 0) {
        r->gzip = 1;
    } else {
        page_etag(data, len, 0, r->etag, sizeof(r->etag));
        if (!(r->text = malloc(len ? len : 1))) {
            dp_srv_reply_error(r, 500, "internal", "out of memory");
            return;
        }
        memcpy(r->text, data, len);
        r->text_len = len;
    }
    r->status = 200;
}

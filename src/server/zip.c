/* A folder as a zip archive in memory (PKWARE APPNOTE 6.3: local headers,
 * deflated data, central directory; no Zip64, so at most DP_ZIP_MAX bytes
 * and 65535 files), for GET /v1/runs/{id}/exports.zip. zlib deflates and
 * computes the CRC-32. */
#include "server/zip.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
    int bad;
} buf;

static void put(buf *b, const void *data, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n > DP_ZIP_MAX) {
        b->bad = 1;
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np) {
            b->bad = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void u16(buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(b, x, 2);
}

static void u32(buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(b, x, 4);
}

typedef struct entry {
    char name[512];
    uint32_t crc, csize, usize, offset;
    unsigned dtime, ddate;
} entry;

typedef struct zip {
    buf out;
    entry *e;
    size_t n, cap;
    char why[256];
} zip;

/* data deflated (raw, as zip stores it) into a malloc'd buffer. */
static unsigned char *deflated(const unsigned char *data, size_t n, size_t *clen)
{
    uLong bound = compressBound((uLong)n) + 64;
    unsigned char *out = malloc(bound);
    z_stream z = {0};
    if (!out || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    *clen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static int add_file(zip *z, const char *path, const char *name, const struct stat *st)
{
    if (strlen(name) >= sizeof(z->e->name) || z->n == 65535 || st->st_size > (off_t)DP_ZIP_MAX) {
        snprintf(z->why, sizeof(z->why), "%.200s: too long a name, too many files or too large", name);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    unsigned char *data = malloc((size_t)st->st_size + 1), *c = NULL;
    size_t n = f && data ? fread(data, 1, (size_t)st->st_size, f) : 0, clen = 0;
    if (f)
        fclose(f);
    if (!data || n != (size_t)st->st_size || !(c = deflated(data, n, &clen))) {
        free(data);
        snprintf(z->why, sizeof(z->why), "%.200s: cannot read or compress it", name);
        return -1;
    }
    if (z->n == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 32;
        entry *ne = realloc(z->e, cap * sizeof(*ne));
        if (!ne) {
            free(data), free(c);
            return -1;
        }
        z->e = ne, z->cap = cap;
    }
    entry *e = &z->e[z->n++];
    struct tm tm;
    gmtime_r(&st->st_mtime, &tm);
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)n);
    e->csize = (uint32_t)clen;
    e->usize = (uint32_t)n;
    e->offset = (uint32_t)z->out.len;
    e->dtime = (unsigned)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    e->ddate = (unsigned)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
    buf *b = &z->out;
    u32(b, 0x04034b50);
    u16(b, 20), u16(b, 0x0800 /* UTF-8 names */), u16(b, 8 /* deflate */);
    u16(b, e->dtime), u16(b, e->ddate);
    u32(b, e->crc), u32(b, e->csize), u32(b, e->usize);
    u16(b, (unsigned)strlen(name)), u16(b, 0);
    put(b, name, strlen(name));
    put(b, c, clen);
    free(data);
    free(c);
    return b->bad ? -1 : 0;
}

/* Adds every regular file under dir/rel, in name order (a stable archive). */
static int walk(zip *z, const char *dir, const char *rel, int depth)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
    struct dirent **list = NULL;
    int n = depth > 16 ? -1 : scandir(path, &list, NULL, alphasort), rc = n < 0 ? -1 : 0;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        char sub[4096], full[8192];
        struct stat st;
        if (!rc && strcmp(nm, ".") && strcmp(nm, "..")) {
            snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", nm);
            snprintf(full, sizeof(full), "%s/%s", dir, sub);
            if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
                rc = walk(z, dir, sub, depth + 1);
            else if (lstat(full, &st) == 0 && S_ISREG(st.st_mode))
                rc = add_file(z, full, sub, &st);
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int dp_srv_zip_dir(const char *dir, char **out, size_t *len, char *why, size_t n)
{
    zip z = {0};
    *out = NULL;
    *len = 0;
    int rc = walk(&z, dir, "", 0);
    size_t cd = z.out.len;
    for (size_t i = 0; !rc && i < z.n; i++) {
        entry *e = &z.e[i];
        buf *b = &z.out;
        u32(b, 0x02014b50);
        u16(b, 0x0314 /* made by Unix, 2.0 */), u16(b, 20), u16(b, 0x0800), u16(b, 8);
        u16(b, e->dtime), u16(b, e->ddate);
        u32(b, e->crc), u32(b, e->csize), u32(b, e->usize);
        u16(b, (unsigned)strlen(e->name)), u16(b, 0), u16(b, 0), u16(b, 0), u16(b, 0);
        u32(b, 0100644u << 16 /* -rw-r--r-- */), u32(b, e->offset);
        put(b, e->name, strlen(e->name));
    }
    if (!rc) {
        buf *b = &z.out;
        uint32_t cd_size = (uint32_t)(z.out.len - cd);
        u32(b, 0x06054b50);
        u16(b, 0), u16(b, 0), u16(b, (unsigned)z.n), u16(b, (unsigned)z.n);
        u32(b, cd_size), u32(b, (uint32_t)cd), u16(b, 0);
    }
    if (rc || z.out.bad) {
        snprintf(why, n, "%s", z.why[0] ? z.why : "the archive is larger than the zip limit or out of memory");
        free(z.out.p);
        free(z.e);
        return -1;
    }
    free(z.e);
    *out = (char *)z.out.p;
    *len = z.out.len;
    return 0;
}

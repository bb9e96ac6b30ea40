/* URI reference resolution (RFC 3986 section 5) for $id and $ref, and
 * percent-decoding of URI fragments. */
#define _POSIX_C_SOURCE 200809L
#include "doc/jsonschema.h"
#include "doc/jsonschema_int.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* URIs (RFC 3986 reference resolution)                                     */

typedef struct uparts {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
    int has_scheme, has_auth, has_query, has_frag;
} uparts;

static void uri_split(const char *s, uparts *u)
{
    memset(u, 0, sizeof(*u));
    size_t n = strlen(s), i = 0;
    if (n && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')) {
        size_t j = 1;
        while (j < n && (dp_js__is_alnum(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.'))
            j++;
        if (j < n && s[j] == ':') {
            u->has_scheme = 1;
            u->scheme = s;
            u->scheme_n = j;
            i = j + 1;
        }
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        size_t j = i + 2;
        while (j < n && s[j] != '/' && s[j] != '?' && s[j] != '#')
            j++;
        u->has_auth = 1;
        u->auth = s + i + 2;
        u->auth_n = j - i - 2;
        i = j;
    }
    size_t j = i;
    while (j < n && s[j] != '?' && s[j] != '#')
        j++;
    u->path = s + i;
    u->path_n = j - i;
    i = j;
    if (i < n && s[i] == '?') {
        j = i + 1;
        while (j < n && s[j] != '#')
            j++;
        u->has_query = 1;
        u->query = s + i + 1;
        u->query_n = j - i - 1;
        i = j;
    }
    if (i < n && s[i] == '#') {
        u->has_frag = 1;
        u->frag = s + i + 1;
        u->frag_n = n - i - 1;
    }
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path of < MAX_URI bytes. */
static void remove_dots(char *path)
{
    char out[MAX_URI];
    size_t o = 0;
    const char *in = path;
    while (*in) {
        if (!strncmp(in, "../", 3)) {
            in += 3;
        } else if (!strncmp(in, "./", 2) || !strncmp(in, "/./", 3)) {
            in += 2;
        } else if (!strcmp(in, "/.")) {
            in = "/";
        } else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
            in = in[3] ? in + 3 : "/";
            while (o > 0 && out[--o] != '/') /* drop the last output segment */
                ;
        } else if (!strcmp(in, ".") || !strcmp(in, "..")) {
            break;
        } else {
            do
                out[o++] = *in++;
            while (*in && *in != '/' && o < sizeof(out) - 1);
        }
    }
    out[o] = 0;
    memcpy(path, out, o + 1);
}

/* Resolves ref against base into out (cap bytes); -1 when too long. */
int dp_js__uri_resolve(const char *base, const char *ref, char *out, size_t cap)
{
    uparts b, r;
    char path[MAX_URI];
    uri_split(base, &b);
    uri_split(ref, &r);
    const uparts *sa; /* scheme and authority come from here */
    const char *q = NULL;
    size_t qn = 0;
    int hq = 0;
    if (r.has_scheme || r.has_auth) {
        sa = r.has_scheme ? &r : &b;
        if (snprintf(path, sizeof(path), "%.*s", (int)r.path_n, r.path) >= (int)sizeof(path))
            return -1;
        q = r.query, qn = r.query_n, hq = r.has_query;
        if (!r.has_scheme) {
            /* authority from ref, scheme from base */
            int n = snprintf(out, cap, "%s%.*s%s//%.*s", "", (int)b.scheme_n, b.scheme,
                             b.has_scheme ? ":" : "", (int)r.auth_n, r.auth);
            if (n < 0 || (size_t)n >= cap)
                return -1;
            remove_dots(path);
            n += snprintf(out + n, cap - (size_t)n, "%s%s%.*s%s%.*s", path, hq ? "?" : "",
                          (int)qn, q ? q : "", r.has_frag ? "#" : "", (int)r.frag_n,
                          r.frag ? r.frag : "");
            return (size_t)n >= cap ? -1 : 0;
        }
    } else {
        sa = &b;
        if (r.path_n == 0) {
            if (snprintf(path, sizeof(path), "%.*s", (int)b.path_n, b.path) >= (int)sizeof(path))
                return -1;
            if (r.has_query)
                q = r.query, qn = r.query_n, hq = 1;
            else
                q = b.query, qn = b.query_n, hq = b.has_query;
        } else {
            int n;
            if (r.path[0] == '/') {
                n = snprintf(path, sizeof(path), "%.*s", (int)r.path_n, r.path);
            } else if (b.has_auth && b.path_n == 0) {
                n = snprintf(path, sizeof(path), "/%.*s", (int)r.path_n, r.path);
            } else {
                size_t k = b.path_n;
                while (k > 0 && b.path[k - 1] != '/')
                    k--;
                n = snprintf(path, sizeof(path), "%.*s%.*s", (int)k, b.path, (int)r.path_n,
                             r.path);
            }
            if (n < 0 || n >= (int)sizeof(path))
                return -1;
            q = r.query, qn = r.query_n, hq = r.has_query;
        }
    }
    if (sa->has_scheme || sa->has_auth || path[0] == '/')
        remove_dots(path);
    int n = snprintf(out, cap, "%.*s%s%s%.*s%s%s%.*s%s%.*s", (int)sa->scheme_n,
                     sa->scheme ? sa->scheme : "", sa->has_scheme ? ":" : "",
                     sa->has_auth ? "//" : "", (int)sa->auth_n, sa->auth ? sa->auth : "", path,
                     hq ? "?" : "", (int)qn, q ? q : "", r.has_frag ? "#" : "", (int)r.frag_n,
                     r.frag ? r.frag : "");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Decodes %XX in place. */
void dp_js__pct_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '%' && dp_js__is_hex(p[1]) && dp_js__is_hex(p[2]) &&
            (dp_js__hex_val(p[1]) || dp_js__hex_val(p[2]))) {
            *o++ = (char)(dp_js__hex_val(p[1]) * 16 + dp_js__hex_val(p[2]));
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
}

/* target/manifest.json (dbt's manifest) -> the relation each semantic
 * model's ref() was built as: database, schema and alias of the model, seed
 * or snapshot node of that name. Manifests of large projects run to
 * hundreds of megabytes and every run reads this one, so it is scanned in
 * place (mapped, never built into a tree): only the top-level fields of each
 * node are looked at, every other value is skipped. */
#include "catalog/dbt_project.h"
#include "util/error.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MANIFEST_BYTES (2048LL * 1024 * 1024)
#define MAX_FIELD 1024 /* a name, schema or version longer than this is not one */

typedef struct scan {
    const char *p, *end, *start;
    int bad;
} scan;

/* One node of the manifest, as far as relations go. */
typedef struct node {
    const char *type, *name, *pkg, *db, *schema, *alias, *version, *latest;
    int relation_null; /* relation_name: null (an ephemeral model) */
} node;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

static int expect(scan *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    s->bad = 1;
    return 0;
}

/* At an opening quote: past the closing one; *raw and *len the text
 * between, *esc set when it holds escapes. */
static int string_span(scan *s, const char **raw, size_t *len, int *esc)
{
    ws(s);
    if (s->p >= s->end || *s->p != '"') {
        s->bad = 1;
        return 0;
    }
    const char *q = ++s->p;
    *esc = 0;
    /* long strings (raw_code, compiled SQL) are most of a manifest: jump
     * from quote to quote; a quote after an odd run of backslashes is text */
    for (;;) {
        q = q < s->end ? memchr(q, '"', (size_t)(s->end - q)) : NULL;
        if (!q)
            break;
        size_t bs = 0;
        while (q - bs > s->p && q[-1 - (long)bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            break;
        q++;
    }
    if (!q || q >= s->end) {
        s->bad = 1;
        return 0;
    }
    *raw = s->p;
    *len = (size_t)(q - s->p);
    *esc = memchr(s->p, '\\', *len) != NULL;
    s->p = q + 1;
    return 1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static unsigned hex4(const char *p, const char *end)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = p + i < end ? hexval(p[i]) : -1;
        if (h < 0)
            return 0xFFFFFFFFu;
        v = v * 16 + (unsigned)h;
    }
    return v;
}

/* The decoded text of a JSON string, in buf (NULL when malformed or too long). */
static const char *decode(char *buf, size_t cap, const char *raw, size_t len, int esc)
{
    if (len >= cap)
        return NULL;
    if (!esc) {
        memcpy(buf, raw, len);
        buf[len] = 0;
        return buf;
    }
    size_t o = 0;
    const char *end = raw + len;
    for (const char *q = raw; q < end; q++) {
        if (o + 4 >= cap)
            return NULL;
        if (*q != '\\') {
            buf[o++] = *q;
            continue;
        }
        if (++q >= end)
            return NULL;
        switch (*q) {
        case 'n': buf[o++] = '\n'; break;
        case 't': buf[o++] = '\t'; break;
        case 'r': buf[o++] = '\r'; break;
        case 'b': buf[o++] = '\b'; break;
        case 'f': buf[o++] = '\f'; break;
        case 'u': {
            unsigned cp = hex4(q + 1, end);
            if (cp == 0xFFFFFFFFu)
                return NULL;
            q += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && q + 6 < end && q[1] == '\\' && q[2] == 'u') {
                unsigned lo = hex4(q + 3, end);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    q += 6;
                }
            }
            o += put_utf8(buf + o, cp);
            break;
        }
        default: buf[o++] = *q; break; /* \" \\ \/ */
        }
    }
    buf[o] = 0;
    return buf;
}

/* Past one value of any kind: containers by counting brackets outside
 * strings (no recursion, so depth costs nothing). */
static void skip_value(scan *s)
{
    ws(s);
    if (s->p >= s->end) {
        s->bad = 1;
        return;
    }
    if (*s->p == '"') {
        const char *raw;
        size_t len;
        int esc;
        string_span(s, &raw, &len, &esc);
        return;
    }
    if (*s->p != '{' && *s->p != '[') {
        while (s->p < s->end && *s->p != ',' && *s->p != '}' && *s->p != ']' && *s->p != ' ' && *s->p != '\n' &&
               *s->p != '\r' && *s->p != '\t')
            s->p++;
        return;
    }
    long depth = 0;
    for (; s->p < s->end; s->p++) {
        char c = *s->p;
        if (c == '"') {
            const char *raw;
            size_t len;
            int esc;
            if (!string_span(s, &raw, &len, &esc))
                return;
            s->p--; /* the loop steps past the closing quote */
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            s->p++;
            return;
        }
    }
    s->bad = 1;
}

/* A scalar value as text in the arena: a string decoded, a number as
 * written; NULL for null, containers and anything else (skipped). */
static const char *scalar(scan *s, dp_arena *a, int *is_null)
{
    char buf[MAX_FIELD];
    ws(s);
    *is_null = 0;
    if (s->p < s->end && *s->p == '"') {
        const char *raw;
        size_t len;
        int esc;
        if (!string_span(s, &raw, &len, &esc))
            return NULL;
        const char *t = decode(buf, sizeof(buf), raw, len, esc);
        return t ? dp_arena_strdup(a, t) : NULL;
    }
    const char *from = s->p;
    skip_value(s);
    size_t n = (size_t)(s->p - from);
    if (n == 4 && !memcmp(from, "null", 4)) {
        *is_null = 1;
        return NULL;
    }
    if (n && n < MAX_FIELD && (from[0] == '-' || (from[0] >= '0' && from[0] <= '9')))
        return dp_arena_strndup(a, from, n);
    return NULL;
}

/* Iterates the members of an object: 1 with the key in *key (a raw span,
 * escapes left as written: the keys looked for have none), 0 at its end. */
static int member(scan *s, int *first, const char **key, size_t *klen)
{
    ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 0;
    }
    if (!*first && !expect(s, ','))
        return 0;
    *first = 0;
    int esc;
    if (!string_span(s, key, klen, &esc) || !expect(s, ':'))
        return 0;
    return 1;
}

static int key_is(const char *key, size_t klen, const char *want)
{
    return strlen(want) == klen && !memcmp(key, want, klen);
}

static void read_node(scan *s, dp_arena *a, node *n)
{
    memset(n, 0, sizeof(*n));
    if (!expect(s, '{'))
        return;
    static const char *const fields[] = {"resource_type", "name", "package_name", "database", "schema",
                                         "alias", "version", "latest_version"};
    int first = 1;
    const char *key;
    size_t klen;
    while (!s->bad && member(s, &first, &key, &klen)) {
        const char **slot[] = {&n->type, &n->name, &n->pkg, &n->db, &n->schema, &n->alias, &n->version, &n->latest};
        int k = -1, is_null;
        for (int i = 0; i < 8 && k < 0; i++)
            if (key_is(key, klen, fields[i]))
                k = i;
        if (k >= 0) {
            *slot[k] = scalar(s, a, &is_null);
        } else if (key_is(key, klen, "relation_name")) {
            scalar(s, a, &is_null);
            n->relation_null = is_null;
        } else {
            skip_value(s);
        }
    }
}

static int buildable(const char *type)
{
    return type && (!strcmp(type, "model") || !strcmp(type, "seed") || !strcmp(type, "snapshot"));
}

/* ref('x', v=N) reads version N; ref('x') the latest version of a
 * versioned model; other versions are other relations. */
static int version_matches(const node *n, const char *want)
{
    if (want)
        return n->version && !strcmp(n->version, want);
    return !n->version || !n->latest || !strcmp(n->version, n->latest);
}

typedef struct nodes {
    node *items;
    size_t n, cap;
} nodes;

/* The nodes a ref can name, and the root project's name; -3 when the
 * document has no nodes (another artifact, such as a semantic manifest). */
static int scan_manifest(scan *s, dp_arena *a, nodes *out, const char **project)
{
    int seen_nodes = 0;
    if (!expect(s, '{'))
        return -1;
    int first = 1;
    const char *key;
    size_t klen;
    while (!s->bad && member(s, &first, &key, &klen)) {
        if (key_is(key, klen, "metadata")) {
            int f2 = 1;
            if (!expect(s, '{'))
                return -1;
            while (!s->bad && member(s, &f2, &key, &klen)) {
                int is_null;
                if (key_is(key, klen, "project_name") && !*project)
                    *project = scalar(s, a, &is_null);
                else
                    skip_value(s);
            }
        } else if (key_is(key, klen, "nodes")) {
            int f2 = 1;
            seen_nodes = 1;
            if (!expect(s, '{'))
                return -1;
            while (!s->bad && member(s, &f2, &key, &klen)) {
                node n;
                read_node(s, a, &n);
                if (!s->bad && buildable(n.type) && n.name && n.schema && DP_VEC_PUSH(a, out->items, out->n, out->cap, n))
                    return -2;
            }
        } else {
            skip_value(s); /* sources, macros, docs, parent_map ...: not relations of models */
        }
    }
    return s->bad ? -1 : seen_nodes ? 0 : -3;
}

int dp_dbt_manifest_relations(dp_kg *kg, const char *path, const char *project, dp_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dp_error_set(err, DP_ENOTFOUND, "%s: cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return dp_error_set(err, DP_EINVALID, "%s: empty or unreadable", path);
    }
    if ((long long)st.st_size > MAX_MANIFEST_BYTES) {
        close(fd);
        return dp_error_set(err, DP_ELIMIT, "%s: larger than %lld bytes", path, MAX_MANIFEST_BYTES);
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return dp_error_set(err, DP_EINVALID, "%s: cannot map", path);
    scan s = {map, (const char *)map + st.st_size, map, 0};
    nodes ns = {0};
    int rc = 0, src = -2;
    /* every node's fields go to a scratch arena; the chosen ones are copied */
    dp_arena *tmp = dp_arena_new(256 * 1024);
    if (tmp)
        src = scan_manifest(&s, tmp, &ns, &project);
    if (src == -2) {
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        goto done;
    }
    if (src == -3) {
        rc = dp_error_set(err, DP_EINVALID, "%s: not a dbt manifest.json (it has no nodes)", path);
        goto done;
    }
    if (src) {
        rc = dp_error_set(err, DP_EINVALID, "%s: not a dbt manifest (malformed JSON near byte %lld)", path,
                          (long long)(s.p - s.start));
        goto done;
    }
    /* how binding will say where the relation came from */
    size_t pl = strlen(path), tl = strlen("target/manifest.json");
    const char *note = pl >= tl && !strcmp(path + pl - tl, "target/manifest.json")
                           ? "relation from target/manifest.json"
                           : dp_arena_printf(kg->arena, "relation from %s", path);
    for (size_t i = 0; i < kg->nmodels; i++) {
        dp_model *m = &kg->models[i];
        if (m->rel_schema)
            continue; /* a semantic manifest's node_relation already gave it */
        const node *best = NULL;
        int best_score = 0, ties = 0;
        for (size_t j = 0; j < ns.n; j++) {
            const node *n = &ns.items[j];
            if (strcmp(n->name, m->ref) || (m->ref_package && (!n->pkg || strcmp(n->pkg, m->ref_package))) ||
                !version_matches(n, m->ref_version) || n->relation_null)
                continue; /* an ephemeral model is never a relation */
            /* dbt resolves a ref without a package in the root project first */
            int score = project && n->pkg && !strcmp(n->pkg, project) ? 2 : 1;
            if (score > best_score) {
                best = n;
                best_score = score;
                ties = 0;
            } else if (score == best_score) {
                ties++;
            }
        }
        if (!best || ties)
            continue; /* dbt would refuse an ambiguous ref; binding decides */
        m->rel_database = best->db ? dp_arena_strdup(kg->arena, best->db) : NULL;
        m->rel_schema = dp_arena_strdup(kg->arena, best->schema);
        m->rel_alias = best->alias ? dp_arena_strdup(kg->arena, best->alias) : m->ref;
        m->bind_note = note;
        if (!note || !m->rel_schema || !m->rel_alias || (best->db && !m->rel_database)) {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
            goto done;
        }
    }
done:
    dp_arena_free(tmp);
    munmap(map, (size_t)st.st_size);
    return rc;
}

/* Rendering dbt's ref/var/env_var calls in semantic-model YAML; any other
 * Jinja is refused with where it is written, never passed on as text. */
#include "catalog/jinja.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 2
#define MAX_RENDERED (1u << 20) /* one scalar's rendered text */
#define SHOWN 80                /* characters of a construct quoted in a message */
#define LOCATE_LINES 200        /* how far past the scalar's line a construct is looked for */

/* MetricFlow's filter templates: rendered by the compiler, not here. */
static const char *const mf_templates[] = {"Dimension", "TimeDimension", "Entity", "Metric"};

typedef struct call {
    char name[32];
    const char *arg[MAX_ARGS];
    size_t arglen[MAX_ARGS];
    int narg;
} call;

static const char *skip_ws(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static size_t ident_len(const char *s, const char *end)
{
    size_t n = 0;
    if (s < end && (isalpha((unsigned char)*s) || *s == '_'))
        while (s + n < end && (isalnum((unsigned char)s[n]) || s[n] == '_'))
            n++;
    return n;
}

static int is_mf_template(const char *s, const char *end)
{
    s = skip_ws(s, end);
    size_t n = ident_len(s, end);
    const char *p = skip_ws(s + n, end);
    if (!n || p >= end || *p != '(')
        return 0;
    for (size_t i = 0; i < sizeof(mf_templates) / sizeof(*mf_templates); i++)
        if (strlen(mf_templates[i]) == n && !memcmp(s, mf_templates[i], n))
            return 1;
    return 0;
}

/* name(arg, arg) with quoted or numeric literals and nothing after it;
 * -1 for anything else (filters, keyword arguments, nested calls). */
static int parse_call(const char *s, const char *end, call *c)
{
    memset(c, 0, sizeof(*c));
    s = skip_ws(s, end);
    size_t n = ident_len(s, end);
    if (!n || n >= sizeof(c->name))
        return -1;
    memcpy(c->name, s, n);
    s = skip_ws(s + n, end);
    if (s >= end || *s++ != '(')
        return -1;
    s = skip_ws(s, end);
    if (s < end && *s == ')') {
        s++;
    } else {
        for (;;) {
            s = skip_ws(s, end);
            if (s >= end || c->narg >= MAX_ARGS)
                return -1;
            if (*s == '\'' || *s == '"') {
                const char *q = memchr(s + 1, *s, (size_t)(end - s - 1));
                if (!q || memchr(s + 1, '\\', (size_t)(q - s - 1)))
                    return -1;
                c->arg[c->narg] = s + 1;
                c->arglen[c->narg++] = (size_t)(q - s - 1);
                s = q + 1;
            } else {
                const char *d = s;
                if (d < end && *d == '-')
                    d++;
                while (d < end && (isdigit((unsigned char)*d) || *d == '.'))
                    d++;
                if (d == s || (d == s + 1 && *s == '-'))
                    return -1;
                c->arg[c->narg] = s;
                c->arglen[c->narg++] = (size_t)(d - s);
                s = d;
            }
            s = skip_ws(s, end);
            if (s < end && *s == ',')
                s++;
            else if (s < end && *s == ')') {
                s++;
                break;
            } else
                return -1;
        }
    }
    return skip_ws(s, end) == end ? 0 : -1;
}

/* The end of a construct: its closing token outside quoted text. */
static const char *find_close(const char *s, const char *tok)
{
    char q = 0;
    for (; *s; s++) {
        if (q) {
            if (*s == q)
                q = 0;
        } else if (*s == '\'' || *s == '"') {
            q = *s;
        } else if (s[0] == tok[0] && s[1] == tok[1]) {
            return s;
        }
    }
    return NULL;
}

/* The scalar's position is where its text starts; the construct may be
 * further on (a block scalar, a long filter). Look for its first line in
 * the file, from the scalar's line on; the scalar's position otherwise. */
static dp_src_pos locate(dp_src_pos pos, const char *raw, size_t rawlen)
{
    char needle[SHOWN];
    size_t n = 0;
    while (n < rawlen && n < sizeof(needle) - 1 && raw[n] != '\n')
        n++;
    memcpy(needle, raw, n);
    needle[n] = 0;
    FILE *f = pos.file ? dp_fs_open_read(pos.file) : NULL;
    if (!f)
        return pos;
    char *line = NULL;
    size_t cap = 0;
    int no = 0;
    while (getline(&line, &cap, f) > 0 && no < pos.line + LOCATE_LINES) {
        if (++no < pos.line)
            continue;
        const char *hit = strstr(no == pos.line && pos.col > 0 && (size_t)pos.col <= strlen(line)
                                     ? line + pos.col - 1 : line, needle);
        if (hit) {
            pos.line = no;
            pos.col = (int)(hit - line) + 1;
            break;
        }
    }
    free(line);
    fclose(f);
    return pos;
}

static int refuse(dp_error *err, dp_src_pos pos, const char *raw, size_t rawlen, dp_jinja_where where)
{
    dp_src_pos at = locate(pos, raw, rawlen);
    int show = (int)(rawlen > SHOWN ? SHOWN : rawlen);
    const char *more = rawlen > SHOWN ? "..." : "";
    if (where == DP_JINJA_FILTER)
        return dp_error_set(err, DP_EINVALID,
                            "%s:%d:%d: Jinja '%.*s%s' is not supported in a filter: dbt leaves filters to MetricFlow, "
                            "which renders only Dimension, TimeDimension, Entity and Metric there",
                            at.file, at.line, at.col, show, raw, more);
    return dp_error_set(err, DP_EINVALID,
                        "%s:%d:%d: Jinja '%.*s%s' is not supported; dbt parse renders it into "
                        "target/semantic_manifest.json, which dpgen can read with --manifest",
                        at.file, at.line, at.col, show, raw, more);
}

static const char *lookup_var(const dp_jinja_ctx *ctx, const char *name, int *found)
{
    *found = 0;
    for (size_t i = 0; ctx && i < ctx->nvars; i++)
        if (!strcmp(ctx->vars[i].name, name)) {
            *found = 1;
            return ctx->vars[i].value;
        }
    return NULL;
}

static const char *env_get(const dp_jinja_ctx *ctx, const char *name)
{
    if (ctx && ctx->env)
        return ctx->env(name, ctx->env_payload);
    return getenv(name);
}

/* Appends what one call renders to; errors name the construct. */
static int render_call(dp_buf *b, const call *c, const char *raw, size_t rawlen, dp_jinja_where where,
                       const dp_jinja_ctx *ctx, dp_src_pos pos, dp_error *err)
{
    char name[256];
    if (c->narg < 1 || c->arglen[0] >= sizeof(name))
        return refuse(err, pos, raw, rawlen, where);
    memcpy(name, c->arg[0], c->arglen[0]);
    name[c->arglen[0]] = 0;
    if (!strcmp(c->name, "ref")) {
        /* the loader reads ref() where the model is named; elsewhere dbt
         * would write a relation only a built project knows */
        if (where != DP_JINJA_MODEL)
            return refuse(err, pos, raw, rawlen, where);
        dp_buf_puts(b, "ref(");
        for (int i = 0; i < c->narg; i++) {
            dp_buf_puts(b, i ? ", '" : "'");
            dp_buf_add(b, c->arg[i], c->arglen[i]);
            dp_buf_putc(b, '\'');
        }
        dp_buf_putc(b, ')');
        return 0;
    }
    if (!strcmp(c->name, "doc")) {
        /* doc('name') or doc('package', 'name'): the docs block's text; one
         * the project does not have leaves the text without it */
        if (where == DP_JINJA_FILTER || where == DP_JINJA_MODEL)
            return refuse(err, pos, raw, rawlen, where);
        const char *want = c->arg[c->narg - 1];
        size_t wl = c->arglen[c->narg - 1];
        for (size_t i = 0; ctx && i < ctx->ndocs; i++)
            if (strlen(ctx->docs[i].name) == wl && !memcmp(ctx->docs[i].name, want, wl)) {
                dp_buf_puts(b, ctx->docs[i].value);
                break;
            }
        return 0;
    }
    int is_var = !strcmp(c->name, "var"), is_env = !strcmp(c->name, "env_var");
    if (!is_var && !is_env)
        return refuse(err, pos, raw, rawlen, where);
    if (is_env && !strncmp(name, "DBT_ENV_SECRET", 14)) {
        /* dbt allows secrets only in profiles.yml and packages.yml: they
         * must not end up in a spec */
        dp_src_pos at = locate(pos, raw, rawlen);
        return dp_error_set(err, DP_EINVALID, "%s:%d:%d: env_var('%s'): secret variables (DBT_ENV_SECRET*) are not read here, as in dbt",
                            at.file, at.line, at.col, name);
    }
    int found = 0;
    const char *v = is_var ? lookup_var(ctx, name, &found) : env_get(ctx, name);
    if (is_env)
        found = v != NULL;
    if (found && !v) {
        dp_src_pos at = locate(pos, raw, rawlen);
        return dp_error_set(err, DP_EINVALID, "%s:%d:%d: var '%s' of dbt_project.yml is a list or mapping, which cannot be written into text",
                            at.file, at.line, at.col, name);
    }
    if (found && (strstr(v, "{{") || strstr(v, "{%"))) {
        /* dbt renders a var's own Jinja (macros, other vars) */
        dp_src_pos at = locate(pos, raw, rawlen);
        return dp_error_set(err, DP_EINVALID,
                            "%s:%d:%d: var '%s' holds Jinja ('%.*s'), which dpgen does not render; dbt parse renders it into "
                            "target/semantic_manifest.json, which dpgen can read with --manifest",
                            at.file, at.line, at.col, name, SHOWN, v);
    }
    /* a full buffer is reported once, by the caller (toobig) */
    if (found) {
        dp_buf_puts(b, v);
        return 0;
    }
    if (c->narg == 2) {
        dp_buf_add(b, c->arg[1], c->arglen[1]);
        return 0;
    }
    dp_src_pos at = locate(pos, raw, rawlen);
    if (is_var && !ctx)
        return dp_error_set(err, DP_EINVALID,
                            "%s:%d:%d: var '%s' has no default, and no dbt_project.yml was read for vars (point --models at the project root)",
                            at.file, at.line, at.col, name);
    if (is_var)
        return dp_error_set(err, DP_EINVALID,
                            "%s:%d:%d: var '%s' is not defined in dbt_project.yml vars and has no default (var('%s', 'default'))",
                            at.file, at.line, at.col, name, name);
    return dp_error_set(err, DP_EINVALID, "%s:%d:%d: environment variable '%s' is not set and env_var() has no default",
                        at.file, at.line, at.col, name);
}

static const char *next_open(const char *p)
{
    for (; *p; p++)
        if (p[0] == '{' && (p[1] == '{' || p[1] == '%' || p[1] == '#'))
            return p;
    return NULL;
}

int dp_jinja_render(const char **out, dp_arena *a, const char *text, dp_jinja_where where,
                    const dp_jinja_ctx *ctx, dp_src_pos pos, dp_error *err)
{
    *out = text;
    if (!text || !next_open(text))
        return 0;
    dp_buf b;
    dp_buf_init(&b, MAX_RENDERED);
    int rc = 0, changed = 0;
    const char *p = text;
    while (*p) {
        const char *o = next_open(p);
        if (!o) {
            dp_buf_puts(&b, p);
            break;
        }
        dp_buf_add(&b, p, (size_t)(o - p));
        char kind = o[1];
        const char *e = find_close(o + 2, kind == '{' ? "}}" : kind == '%' ? "%}" : "#}");
        size_t rawlen = e ? (size_t)(e + 2 - o) : strlen(o);
        if (!e || kind != '{') {
            if (where == DP_JINJA_TEXT) { /* a tag in documentation: left out */
                changed = 1;
                p = e ? e + 2 : o + rawlen;
                continue;
            }
            rc = refuse(err, pos, o, rawlen, where);
            goto done;
        }
        const char *in = o + 2, *in_end = e;
        int trim_before = in < in_end && *in == '-', trim_after = in_end > in + trim_before && in_end[-1] == '-';
        in += trim_before;
        in_end -= trim_after;
        if (is_mf_template(in, in_end)) {
            dp_buf_add(&b, o, rawlen);
            p = e + 2;
            continue;
        }
        call c;
        int bad = where == DP_JINJA_FILTER || parse_call(in, in_end, &c);
        if (bad && where != DP_JINJA_TEXT) {
            rc = refuse(err, pos, o, rawlen, where);
            goto done;
        }
        /* {{- and -}} strip the white space beside them, as Jinja does */
        while (trim_before && b.len && isspace((unsigned char)b.ptr[b.len - 1]))
            b.ptr[--b.len] = 0;
        if (!bad) {
            size_t mark = b.len;
            dp_error ignored = {0};
            if ((rc = render_call(&b, &c, o, rawlen, where, ctx, pos, where == DP_JINJA_TEXT ? &ignored : err))) {
                if (where != DP_JINJA_TEXT)
                    goto done;
                b.len = mark; /* documentation: what does not render is left out */
                if (b.ptr)
                    b.ptr[mark] = 0;
                rc = 0;
            }
        }
        changed = 1;
        p = e + 2;
        while (trim_after && *p && isspace((unsigned char)*p))
            p++;
    }
    if (b.toobig) {
        rc = dp_error_set(err, DP_ELIMIT, "%s:%d:%d: rendered text is longer than %u bytes", pos.file, pos.line, pos.col,
                          MAX_RENDERED);
        goto done;
    }
    if (changed && !(*out = dp_arena_strndup(a, b.ptr ? b.ptr : "", b.len)))
        rc = dp_error_set(err, DP_ENOMEM, "out of memory");
done:
    dp_buf_dispose(&b);
    return rc;
}

typedef struct walker {
    dp_arena *a;
    const dp_jinja_ctx *ctx;
    const char *file;
    int semantic_models; /* the section whose model: keys hold ref() */
    dp_error *err;
    int text; /* dbt's models: properties: everything is documentation-like */
    int in_metrics; /* under a metrics: key */
} walker;

/* Copy-on-write: *fresh is a new node when something below n rendered to
 * other text, NULL when n stays as it is. */
static int walk(walker *w, const dp_node *n, const char *key, int in_filter, int depth, dp_node **fresh)
{
    *fresh = NULL;
    if (depth > DP_YAML_MAX_DEPTH)
        return 0;
    if (n->kind == DP_NODE_SCALAR) {
        dp_jinja_where where = in_filter ? DP_JINJA_FILTER
                               : w->semantic_models && key && !strcmp(key, "model") ? DP_JINJA_MODEL
                               : w->text || (key && (!strcmp(key, "description") || !strcmp(key, "label")))
                                   ? DP_JINJA_TEXT
                                   : DP_JINJA_VALUE;
        const char *v;
        dp_src_pos pos = {w->file ? w->file : n->file, n->line, n->col};
        int rc = dp_jinja_render(&v, w->a, n->value, where, w->ctx, pos, w->err);
        if (rc || v == n->value)
            return rc;
        dp_node *c = dp_arena_alloc(w->a, sizeof(*c));
        if (!c)
            return dp_error_set(w->err, DP_ENOMEM, "out of memory");
        *c = *n;
        c->value = v;
        *fresh = c;
        return 0;
    }
    dp_node *copy = NULL;
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->kind == DP_NODE_MAP ? n->keys[i] : key;
        /* in models: properties only metric filters are MetricFlow's (a
         * test's where: is dbt's own SQL, documentation here) */
        int metrics = n->kind == DP_NODE_MAP && !strcmp(k, "metrics");
        int f = in_filter || (n->kind == DP_NODE_MAP && (!strcmp(k, "filter") || !strcmp(k, "where")) &&
                              (!w->text || w->in_metrics));
        w->in_metrics += metrics;
        dp_node *ci;
        int rc = walk(w, n->items[i], k, f, depth + 1, &ci);
        w->in_metrics -= metrics;
        if (rc)
            return rc;
        if (!ci)
            continue;
        if (!copy) {
            if (!(copy = dp_arena_alloc(w->a, sizeof(*copy))))
                return dp_error_set(w->err, DP_ENOMEM, "out of memory");
            *copy = *n;
            if (!(copy->items = dp_arena_calloc(w->a, n->n, sizeof(*copy->items))))
                return dp_error_set(w->err, DP_ENOMEM, "out of memory");
            memcpy(copy->items, n->items, n->n * sizeof(*copy->items));
        }
        copy->items[i] = ci;
    }
    *fresh = copy;
    return 0;
}

int dp_jinja_render_doc(const dp_node **out, dp_arena *a, const dp_node *doc, const dp_jinja_ctx *ctx,
                        const char *file, dp_error *err)
{
    *out = doc;
    if (!doc || doc->kind != DP_NODE_MAP || !doc->braces) /* no '{' anywhere: nothing to render */
        return 0;
    /* models: holds the latest spec's semantic models among dbt's own
     * properties, rendered as documentation but for metric filters */
    static const char *const sections[] = {"semantic_models", "metrics", "saved_queries", "models"};
    dp_node *copy = NULL;
    for (size_t i = 0; i < doc->n; i++) {
        int s = -1;
        for (int k = 0; k < 4; k++)
            if (!strcmp(doc->keys[i], sections[k]))
                s = k;
        if (s < 0 || (s == 3 && doc->items[i]->kind != DP_NODE_SEQ))
            continue; /* dbt's own keys (sources:, dbt_project.yml's models: config) are not read */
        walker w = {a, ctx, file, s == 0, err, s == 3, 0};
        dp_node *ci;
        int rc = walk(&w, doc->items[i], doc->keys[i], 0, 1, &ci);
        if (rc)
            return rc;
        if (!ci)
            continue;
        if (!copy) {
            if (!(copy = dp_arena_alloc(a, sizeof(*copy))) ||
                !(copy->items = dp_arena_calloc(a, doc->n, sizeof(*copy->items))))
                return dp_error_set(err, DP_ENOMEM, "out of memory");
            dp_node **items = copy->items;
            *copy = *doc;
            copy->items = items;
            memcpy(copy->items, doc->items, doc->n * sizeof(*copy->items));
        }
        copy->items[i] = ci;
    }
    if (copy)
        *out = copy;
    return 0;
}

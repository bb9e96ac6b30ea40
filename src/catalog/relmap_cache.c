/* The database's catalog map kept in dpgen's state between loads (relmap.h):
 * one line per relation and per column, tab-separated with backslash
 * escapes, headed by the fingerprint of the database it was read from. */
#include "catalog/relmap.h"
#include "state/state.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/textrec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELMAP_TEXT_MAX (1024u << 20) /* larger maps are not cached */
#define RELMAP_HEAD "dpgen-relmap 2\n"

char *dp_relmap_to_text(const dp_relmap *r, const char *fingerprint)
{
    dp_buf b;
    dp_buf_init(&b, RELMAP_TEXT_MAX);
    dp_buf_puts(&b, RELMAP_HEAD "F ");
    dp_textrec_put(&b, fingerprint);
    dp_buf_printf(&b, "\nD %d ", r->def_schema != NULL);
    dp_textrec_put(&b, r->def_schema);
    dp_buf_puts(&b, "\n");
    for (size_t t = 0; t < r->n && !b.toobig; t++) {
        /* the row estimate + 1: a view's -1 is 0 */
        dp_buf_printf(&b, "R %zu %lld ", r->col_n[t], (long long)(r->est_rows[t] + 1));
        dp_textrec_put(&b, r->schema[t]);
        dp_buf_putc(&b, '\t');
        dp_textrec_put(&b, r->name[t]);
        dp_buf_putc(&b, '\n');
        for (size_t i = 0; i < r->col_n[t]; i++) {
            const dp_relcol *c = &r->cols[r->col_off[t] + i];
            dp_buf_printf(&b, "C %d ", c->is_key);
            dp_textrec_put(&b, c->name);
            dp_buf_putc(&b, '\t');
            dp_textrec_put(&b, c->type);
            dp_buf_putc(&b, '\t');
            dp_textrec_put(&b, c->comment);
            dp_buf_putc(&b, '\n');
        }
    }
    if (b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

/* A non-negative number and the space after it. */
static int number(const char **p, size_t *out)
{
    int64_t v;
    if (dp_textrec_int(p, &v) || v < 0)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* Column types repeat (a few dozen kinds among 500,000 columns): a type
 * read before is shared, not copied again. */
#define TYPE_POOL 64
typedef struct type_pool {
    const char *s[TYPE_POOL];
    size_t len[TYPE_POOL], n;
} type_pool;

static const char *type_field(const char **p, dp_arena *a, type_pool *tp)
{
    const char *s = *p;
    size_t n = 0;
    while (s[n] && s[n] != '\t' && s[n] != '\n' && s[n] != '\\')
        n++;
    if (s[n] == '\\') /* escaped: read as any field */
        return dp_textrec_field(p, a);
    for (size_t i = 0; i < tp->n; i++)
        if (tp->len[i] == n && !memcmp(tp->s[i], s, n)) {
            *p = s + n;
            return tp->s[i];
        }
    const char *f = dp_textrec_field(p, a);
    if (f && tp->n < TYPE_POOL) {
        tp->s[tp->n] = f;
        tp->len[tp->n++] = n;
    }
    return f;
}

static int parse(dp_relmap *r, dp_arena *a, const char *p, const char *fingerprint)
{
    type_pool types = {.n = 0};
    size_t hl = strlen(RELMAP_HEAD), nrel = 0, ncol = 0, key;
    if (strncmp(p, RELMAP_HEAD, hl) || strncmp(p + hl, "F ", 2))
        return -1;
    p += hl + 2;
    const char *fp = dp_textrec_field(&p, a);
    if (!fp || strcmp(fp, fingerprint) || *p++ != '\n' || strncmp(p, "D ", 2))
        return -1;
    p += 2;
    size_t has_def;
    if (number(&p, &has_def))
        return -1;
    const char *def = dp_textrec_field(&p, a);
    if (!def || *p++ != '\n')
        return -1;
    r->def_schema = has_def ? def : NULL;
    /* count first: the arrays are sized once */
    const char *end = p + strlen(p);
    for (const char *q = p; q && q < end; q = memchr(q, '\n', (size_t)(end - q)), q = q ? q + 1 : NULL) {
        nrel += q[0] == 'R';
        ncol += q[0] == 'C';
    }
    r->schema = malloc((nrel ? nrel : 1) * sizeof(*r->schema));
    r->name = malloc((nrel ? nrel : 1) * sizeof(*r->name));
    r->est_rows = malloc((nrel ? nrel : 1) * sizeof(*r->est_rows));
    r->cols = malloc((ncol ? ncol : 1) * sizeof(*r->cols));
    size_t *counts = malloc((nrel ? nrel : 1) * sizeof(size_t));
    int rc = -1;
    if (!r->schema || !r->name || !r->est_rows || !r->cols || !counts)
        goto done;
    while (*p) {
        if (p[0] == 'R' && p[1] == ' ') {
            p += 2;
            size_t est;
            if (r->n >= nrel || number(&p, &counts[r->n]) || number(&p, &est) ||
                !(r->schema[r->n] = dp_textrec_field(&p, a)) || *p++ != '\t' ||
                !(r->name[r->n] = dp_textrec_field(&p, a)) || *p++ != '\n')
                goto done;
            r->est_rows[r->n] = (int64_t)est - 1;
            r->n++;
        } else if (p[0] == 'C' && p[1] == ' ' && r->n) {
            p += 2;
            dp_relcol *c = &r->cols[r->ncols];
            if (r->ncols >= ncol || number(&p, &key) || !(c->name = dp_textrec_field(&p, a)) || *p++ != '\t' ||
                !(c->type = type_field(&p, a, &types)) || *p++ != '\t' || !(c->comment = dp_textrec_field(&p, a)) ||
                *p++ != '\n')
                goto done;
            if (!*c->comment)
                c->comment = NULL;
            c->is_key = key != 0;
            r->ncols++;
        } else {
            goto done;
        }
    }
    if (dp_relmap__index(r))
        goto done;
    /* each relation's columns follow its line */
    size_t off = 0;
    for (size_t t = 0; t < r->n; t++) {
        r->col_off[t] = off;
        r->col_n[t] = counts[t];
        off += counts[t];
    }
    rc = off == r->ncols ? 0 : -1;
done:
    free(counts);
    return rc;
}

int dp_relmap_from_text(dp_relmap *out, dp_arena *a, const char *text, const char *fingerprint)
{
    memset(out, 0, sizeof(*out));
    if (parse(out, a, text, fingerprint) == 0)
        return 0;
    dp_relmap_dispose(out);
    return -1;
}

/* The state's key of a database's map (malloc'd; NULL when out of memory). */
static char *key_of(const char *db_path)
{
    size_t kn = strlen(db_path) + 16;
    char *key = malloc(kn);
    if (key) /* one entry per database: a newer fingerprint replaces it */
        snprintf(key, kn, "relmap|%s", db_path);
    return key;
}

int dp_relmap_kept(dp_relmap *out, dp_arena *a, dp_state *state, const char *db_path, const char *fingerprint)
{
    memset(out, 0, sizeof(*out));
    char *key = state ? key_of(db_path) : NULL, *text = key ? dp_state_profile_get(state, key) : NULL;
    int rc = text ? dp_relmap_from_text(out, a, text, fingerprint) : -1;
    free(text);
    free(key);
    return rc;
}

void dp_relmap_keep(const dp_relmap *r, dp_state *state, const char *db_path, const char *fingerprint)
{
    char *key = state ? key_of(db_path) : NULL, *put = key ? dp_relmap_to_text(r, fingerprint) : NULL;
    dp_error ignore = {0};
    if (put)
        dp_state_profile_put(state, key, put, &ignore);
    free(put);
    free(key);
}

/* The profiles kept in dpgen's state between loads (bind.h): line records
 * (util/textrec.h), one per model, per column and per frequent value, read
 * back without a parse tree (500,000 columns: JSON took 6.6 s and a tree
 * of several hundred MB). Numbers first, then the text fields:
 *   M rows dup_keys orphans sample flags ncols  name \t table \t orphan_entity
 *   C nulls distinct flags ntop  name \t min \t max
 *   T count  value
 * flags: M 1 repeated keys not ruled out, 2 an orphan entity; C 1 min,
 * 2 max, 4 the frequent values are all the values. */
#include "catalog/bind.h"
#include "util/buf.h"
#include "util/textrec.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROFILE_HEAD "dpgen-profile 1\n"
#define PROFILE_TEXT_MAX (1024u << 20) /* larger profiles are not cached */

/* n numbers, each followed by a space (what "%lld " wrote, per number) */
static void put_ints(dp_buf *b, const long long *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dp_buf_put_i64(b, v[i]);
        dp_buf_putc(b, ' ');
    }
}

char *dp_profile_to_text(const dp_kg *kg)
{
    dp_buf b;
    dp_buf_init(&b, PROFILE_TEXT_MAX);
    dp_buf_puts(&b, PROFILE_HEAD);
    for (size_t i = 0; i < kg->nmodels && !b.toobig; i++) {
        const dp_model *m = &kg->models[i];
        if (!m->profiled || m->profile_partial || !m->table)
            continue; /* only what is complete is kept: a partial table is redone */
        size_t ncols = 0;
        for (size_t j = 0; j < m->ncolumns; j++)
            ncols += m->columns[j].prof.done != 0;
        dp_buf_puts(&b, "M ");
        put_ints(&b,
                 (long long[]){m->rows, m->dup_keys, m->orphans, m->profile_sample,
                               (m->dup_keys_unknown ? 1 : 0) | (m->orphan_entity ? 2 : 0), (long long)ncols},
                 6);
        dp_textrec_put(&b, m->name);
        dp_buf_putc(&b, '\t');
        dp_textrec_put(&b, m->table);
        dp_buf_putc(&b, '\t');
        dp_textrec_put(&b, m->orphan_entity);
        dp_buf_putc(&b, '\n');
        for (size_t j = 0; j < m->ncolumns; j++) {
            const dp_col_profile *p = &m->columns[j].prof;
            if (!p->done)
                continue;
            dp_buf_puts(&b, "C ");
            put_ints(&b,
                     (long long[]){p->nulls, p->distinct, (p->min ? 1 : 0) | (p->max ? 2 : 0) | (p->all_values ? 4 : 0),
                                   (long long)p->ntop},
                     4);
            dp_textrec_put(&b, m->columns[j].name);
            dp_buf_putc(&b, '\t');
            dp_textrec_put(&b, p->min);
            dp_buf_putc(&b, '\t');
            dp_textrec_put(&b, p->max);
            dp_buf_putc(&b, '\n');
            for (size_t k = 0; k < p->ntop; k++) {
                dp_buf_puts(&b, "T ");
                put_ints(&b, (long long[]){p->top_counts[k]}, 1);
                dp_textrec_put(&b, p->top_values[k]);
                dp_buf_putc(&b, '\n');
            }
        }
    }
    if (b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

/* The model named name: the one after the last found (the text is written
 * in the catalog's order), else a search; NULL when none. */
static dp_model *model_named(dp_kg *kg, const char *name, size_t *cursor)
{
    for (size_t k = 0; k < kg->nmodels; k++) {
        size_t i = (*cursor + k) % kg->nmodels;
        if (!strcmp(kg->models[i].name, name)) {
            *cursor = i + 1;
            return &kg->models[i];
        }
    }
    return NULL;
}

/* One column line and its frequent values, into m's column of that name
 * (m NULL, or no such column: read and dropped). *next: the column after
 * the last one found (the text is written in the model's column order). */
static int read_column(const char **pp, dp_arena *into, const dp_model *m, size_t *next, dp_arena *scratch)
{
    const char *p = *pp;
    int64_t nulls, distinct, flags, ntop;
    const char *name, *mn, *mx;
    if (strncmp(p, "C ", 2))
        return -1;
    p += 2;
    if (dp_textrec_int(&p, &nulls) || dp_textrec_int(&p, &distinct) || dp_textrec_int(&p, &flags) ||
        dp_textrec_int(&p, &ntop) || ntop < 0 || ntop > DP_PROFILE_TOP_MAX || !(name = dp_textrec_field(&p, scratch)) ||
        *p++ != '\t' || !(mn = dp_textrec_field(&p, into)) || *p++ != '\t' || !(mx = dp_textrec_field(&p, into)) ||
        *p++ != '\n')
        return -1;
    dp_column *c = NULL;
    if (m && *next < m->ncolumns && !strcmp(m->columns[*next].name, name))
        c = &m->columns[*next];
    else if (m)
        c = (dp_column *)dp_kg_model_column(m, name);
    if (c)
        *next = (size_t)(c - m->columns) + 1;
    dp_col_profile *pr = c ? &c->prof : NULL;
    if (pr) {
        pr->done = 1;
        pr->nulls = nulls;
        pr->null_frac = m->rows ? (double)nulls / (double)m->rows : 0;
        pr->distinct = distinct;
        pr->min = flags & 1 ? mn : NULL;
        pr->max = flags & 2 ? mx : NULL;
        pr->nonneg = pr->min && dp_profile__numeric(c->type) && strtod(pr->min, NULL) >= 0;
        pr->all_values = (flags & 4) != 0;
        pr->ntop = 0;
        pr->top_values = NULL;
        pr->top_counts = NULL;
        if (ntop && (!(pr->top_values = dp_arena_calloc(into, (size_t)ntop, sizeof(char *))) ||
                     !(pr->top_counts = dp_arena_calloc(into, (size_t)ntop, sizeof(int64_t)))))
            return -1;
    }
    for (int64_t k = 0; k < ntop; k++) {
        int64_t n;
        const char *v;
        if (strncmp(p, "T ", 2))
            return -1;
        p += 2;
        if (dp_textrec_int(&p, &n) || !(v = dp_textrec_field(&p, pr ? into : scratch)) || *p++ != '\n')
            return -1;
        if (pr) {
            pr->top_values[pr->ntop] = v;
            pr->top_counts[pr->ntop++] = n;
        }
    }
    *pp = p;
    return 0;
}

/* A part of the text (whole model records, from p to end), read into
 * the models it names; what it allocates goes to into. Models are claimed
 * (claimed[i]): a model a damaged text names twice is read once. */
typedef struct text_part {
    dp_kg *kg;
    const char *p, *end;
    dp_arena *into;
    _Atomic unsigned char *claimed;
    size_t cursor; /* where model_named starts */
    int rc;
} text_part;

static int read_part(text_part *t)
{
    dp_kg *kg = t->kg;
    const char *p = t->p;
    size_t cursor = t->cursor;
    int rc = -1;
    dp_arena *scratch = dp_arena_new(4096); /* names only compared */
    if (!scratch)
        return -1;
    while (p < t->end) {
        int64_t rows, dup, orph, sample, flags, ncols;
        const char *name, *table, *oe;
        if (strncmp(p, "M ", 2))
            goto done;
        p += 2;
        if (dp_textrec_int(&p, &rows) || dp_textrec_int(&p, &dup) || dp_textrec_int(&p, &orph) ||
            dp_textrec_int(&p, &sample) || dp_textrec_int(&p, &flags) || dp_textrec_int(&p, &ncols) || ncols < 0 ||
            !(name = dp_textrec_field(&p, scratch)) || *p++ != '\t' || !(table = dp_textrec_field(&p, scratch)) ||
            *p++ != '\t' || !(oe = dp_textrec_field(&p, t->into)) || *p++ != '\n')
            goto done;
        dp_model *m = model_named(kg, name, &cursor);
        if (m && (m->off.reason || !m->table || strcmp(m->table, table)))
            m = NULL; /* disabled, or now of another table: profiled anew */
        if (m && atomic_exchange(&t->claimed[m - kg->models], 1))
            m = NULL; /* named twice: the first record read */
        if (m) {
            m->rows = rows;
            m->dup_keys = dup;
            m->orphans = orph;
            m->profile_sample = sample;
            m->dup_keys_unknown = (flags & 1) != 0;
            m->orphan_entity = flags & 2 ? oe : NULL;
            m->profile_partial = NULL;
        }
        size_t next = 0;
        for (int64_t j = 0; j < ncols; j++)
            if (read_column(&p, t->into, m, &next, scratch))
                goto done;
        if (m)
            dp_profile__mark(m);
    }
    rc = p == t->end ? 0 : -1;
done:
    dp_arena_free(scratch);
    return rc;
}

static void *part_main(void *arg)
{
    text_part *t = arg;
    t->rc = read_part(t);
    return NULL;
}

/* Texts past this size are read in two parts side by side. */
#define PROFILE_SPLIT_BYTES (4u << 20)

int dp_profile_from_text(dp_kg *kg, const char *text)
{
    size_t hl = strlen(PROFILE_HEAD);
    if (strncmp(text, PROFILE_HEAD, hl))
        return -1;
    const char *body = text + hl, *end = body + strlen(body);
    _Atomic unsigned char *claimed = calloc(kg->nmodels ? kg->nmodels : 1, sizeof(*claimed));
    if (!claimed)
        return -1;
    /* the second part starts at a model record past the middle */
    const char *split = end;
    if ((size_t)(end - body) > PROFILE_SPLIT_BYTES)
        for (const char *q = body + (end - body) / 2; q && q < end; q = memchr(q + 1, '\n', (size_t)(end - q - 1)))
            if (q[0] == '\n' && q[1] == 'M' && q[2] == ' ') {
                split = q + 1;
                break;
            }
    text_part parts[2] = {{kg, body, split, kg->arena, claimed, 0, 0},
                          {kg, split, end, dp_arena_new(256 * 1024), claimed, kg->nmodels / 2, 0}};
    pthread_t th;
    int threaded = split < end && parts[1].into && pthread_create(&th, NULL, part_main, &parts[1]) == 0;
    parts[0].rc = read_part(&parts[0]);
    if (threaded)
        pthread_join(th, NULL);
    else if (split < end)
        parts[1].rc = parts[1].into ? read_part(&parts[1]) : -1;
    dp_arena_adopt(kg->arena, parts[1].into); /* its values live there */
    free(claimed);
    return parts[0].rc || parts[1].rc ? -1 : 0;
}

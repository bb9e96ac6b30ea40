/* Kept documents (json_memo.h): a list in use order, the newest first,
 * searched by hash then key; a run asks for a dozen keys and the list is
 * capped, so a list is enough. */
#include "util/json_memo.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    uint64_t hash;
    char *text;
    size_t len;
    json_t *tree; /* the memo's reference */
    struct entry *next;
} entry;

struct dp_json_memo {
    pthread_mutex_t mu;
    entry *head; /* most recently used first */
    size_t n, bytes, max_n, max_bytes;
    size_t hits, misses;
};

static uint64_t hash(const char *s, size_t *len)
{
    uint64_t h = 1469598103934665603ull;
    const char *p = s;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    *len = (size_t)(p - s);
    return h;
}

dp_json_memo *dp_json_memo_new(size_t max_entries, size_t max_text_bytes)
{
    dp_json_memo *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    pthread_mutex_init(&m->mu, NULL);
    m->max_n = max_entries;
    m->max_bytes = max_text_bytes;
    return m;
}

static void drop(entry *e)
{
    json_decref(e->tree);
    free(e->text);
    free(e);
}

void dp_json_memo_free(dp_json_memo *m)
{
    if (!m)
        return;
    for (entry *e = m->head, *next; e; e = next) {
        next = e->next;
        drop(e);
    }
    pthread_mutex_destroy(&m->mu);
    free(m);
}

/* Drops the least recently used until n and bytes are within the caps
 * (under mu). */
static void trim(dp_json_memo *m)
{
    while (m->head && (m->n > m->max_n || m->bytes > m->max_bytes)) {
        entry **pp = &m->head;
        while ((*pp)->next)
            pp = &(*pp)->next;
        m->n--;
        m->bytes -= (*pp)->len;
        drop(*pp);
        *pp = NULL;
    }
}

json_t *dp_json_memo_get(dp_json_memo *m, const char *text, dp_json_memo_load_fn load, void *payload)
{
    size_t len;
    uint64_t h = hash(text, &len);
    if (!m || len > m->max_bytes)
        return load(payload, text);
    pthread_mutex_lock(&m->mu);
    for (entry **pp = &m->head; *pp; pp = &(*pp)->next) {
        entry *e = *pp;
        if (e->hash == h && e->len == len && !memcmp(e->text, text, len)) {
            *pp = e->next; /* to the front */
            e->next = m->head;
            m->head = e;
            m->hits++;
            json_t *t = json_incref(e->tree);
            pthread_mutex_unlock(&m->mu);
            return t;
        }
    }
    m->misses++;
    pthread_mutex_unlock(&m->mu);
    json_t *tree = load(payload, text); /* outside the lock: loads run side by side */
    entry *e = tree ? calloc(1, sizeof(*e)) : NULL;
    if (!e || !(e->text = malloc(len + 1))) {
        free(e);
        return tree;
    }
    memcpy(e->text, text, len + 1);
    e->len = len;
    e->hash = h;
    e->tree = json_incref(tree);
    pthread_mutex_lock(&m->mu);
    e->next = m->head; /* a key two runs loaded at once is kept twice: harmless, trimmed in time */
    m->head = e;
    m->n++;
    m->bytes += len;
    trim(m);
    pthread_mutex_unlock(&m->mu);
    return tree;
}

void dp_json_memo_counts(dp_json_memo *m, size_t *hits, size_t *misses)
{
    pthread_mutex_lock(&m->mu);
    *hits = m->hits;
    *misses = m->misses;
    pthread_mutex_unlock(&m->mu);
}

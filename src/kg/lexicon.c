/* Phrase index over the knowledge graph: entries, their deduplication and
 * interned words, the first-stem index, matching. Which phrases the catalog
 * offers is lexicon_phrases.c's. */
#include "kg/lexicon.h"
#include "kg/lexicon_int.h"
#include "util/error.h"
#include "util/mem.h"
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>


typedef struct bucket {
    const char *stem;
    size_t *idx;
    size_t n, cap;
} bucket;

typedef struct seen_slot_t {
    uint32_t idx;  /* entry index + 1; 0 is empty */
    uint32_t hash; /* its entry_hash, so probes and growth need not read it */
} seen_slot_t;

typedef struct lexword {
    const char *low;  /* interned; NULL: empty slot */
    const char *stem; /* interned */
    int is_num;
} lexword;

struct dp_lexicon {
    dp_arena *a;
    dp_stemmer *st; /* build time only */
    dp_lex_entry *entries;
    size_t n, cap;
    bucket *table;  /* open addressing on first stem */
    size_t tcap;    /* a power of two */
    size_t *multi_metric; /* entries of metric phrases of 2-4 words */
    size_t nmulti;
    /* build time only (malloc'd, freed by dp_lexicon_build): */
    dp_arena *tmp;          /* tokens and scratch text, renewed as it grows */
    const char **strs;      /* interned words and stems (in a) */
    size_t scap, sused;
    seen_slot_t *seen;      /* duplicate set: entries by hash of target and stems */
    size_t seencap;
    lexword *words;         /* each word met: its interned forms */
    size_t wcap, wused;
};

/* FNV-1a's low bits only see the low bits of its input (and pointers are
 * aligned): tables take the low bits, so every hash ends with a mix. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return mix(h);
}

static bucket *slot(const dp_lexicon *lx, const char *stem)
{
    if (!lx->tcap)
        return NULL;
    size_t i = hash(stem) & (lx->tcap - 1);
    while (lx->table[i].stem) {
        if (!strcmp(lx->table[i].stem, stem))
            return &lx->table[i];
        i = (i + 1) & (lx->tcap - 1);
    }
    return &lx->table[i];
}

/* The buckets of the first stems, built once every entry is in: one count
 * pass, then each bucket's indexes in one exact array. */
static int index_entries(dp_lexicon *lx)
{
    size_t cap = 1024;
    while (cap < lx->sused * 2 + 2)
        cap *= 2;
    lx->table = dp_arena_calloc(lx->a, cap, sizeof(bucket));
    if (!lx->table)
        return -1;
    lx->tcap = cap;
    for (size_t i = 0; i < lx->n; i++) {
        bucket *b = slot(lx, lx->entries[i].stems[0]);
        if (!b->stem)
            b->stem = lx->entries[i].stems[0];
        b->cap++;
    }
    size_t *all = dp_arena_calloc(lx->a, lx->n ? lx->n : 1, sizeof(size_t));
    if (!all)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < cap; i++)
        if (lx->table[i].stem) {
            lx->table[i].idx = all + at;
            at += lx->table[i].cap;
        }
    for (size_t i = 0; i < lx->n; i++) {
        bucket *b = slot(lx, lx->entries[i].stems[0]);
        b->idx[b->n++] = i;
    }
    return 0;
}

/* The one copy of s in the lexicon's arena: phrases share a small
 * vocabulary, so entries point at interned words and stems. */
static const char *intern(dp_lexicon *lx, const char *s)
{
    if ((lx->sused + 1) * 2 > lx->scap) {
        size_t ncap = lx->scap ? lx->scap * 2 : 4096;
        const char **t = dp_calloc_written(ncap, sizeof(*t));
        if (!t)
            return NULL;
        for (size_t i = 0; i < lx->scap; i++)
            if (lx->strs[i]) {
                size_t j = hash(lx->strs[i]) & (ncap - 1);
                while (t[j])
                    j = (j + 1) & (ncap - 1);
                t[j] = lx->strs[i];
            }
        free(lx->strs);
        lx->strs = t;
        lx->scap = ncap;
    }
    size_t i = hash(s) & (lx->scap - 1);
    while (lx->strs[i]) {
        if (!strcmp(lx->strs[i], s))
            return lx->strs[i];
        i = (i + 1) & (lx->scap - 1);
    }
    if (!(lx->strs[i] = dp_arena_strdup(lx->a, s)))
        return NULL;
    lx->sused++;
    return lx->strs[i];
}

/* What makes two entries the same: target and stems (interned, so compared
 * by address). */
static uint64_t entry_hash(const dp_lex_entry *e)
{
    uint64_t h = 1469598103934665603ull;
    const void *parts[] = {e->metric, e->dim, e->entity, e->model};
    for (size_t i = 0; i < 4; i++)
        h = (h ^ (uint64_t)(uintptr_t)parts[i]) * 1099511628211ull;
    h = (h ^ (uint64_t)e->kind ^ (uint64_t)e->case_sensitive << 8 ^ (uint64_t)e->ntok << 16) * 1099511628211ull;
    for (size_t i = 0; i < e->ntok; i++)
        h = (h ^ (uint64_t)(uintptr_t)e->stems[i]) * 1099511628211ull;
    if (e->value)
        h ^= hash(e->value);
    return mix(h);
}

static int same_entry(const dp_lex_entry *e, const dp_lex_entry *p)
{
    if (e->kind != p->kind || e->metric != p->metric || e->dim != p->dim || e->entity != p->entity ||
        e->model != p->model || e->ntok != p->ntok || e->case_sensitive != p->case_sensitive ||
        !e->value != !p->value || (e->value && strcmp(e->value, p->value)))
        return 0;
    for (size_t j = 0; j < e->ntok; j++)
        if (e->stems[j] != p->stems[j])
            return 0;
    return 1;
}

/* The slot of proto in the duplicate set: holding its twin, or empty. */
static seen_slot_t *seen_slot(dp_lexicon *lx, const dp_lex_entry *proto)
{
    if ((lx->n + 1) * 2 > lx->seencap) {
        size_t ncap = lx->seencap ? lx->seencap * 2 : 4096;
        if (ncap > UINT32_MAX)
            return NULL;
        seen_slot_t *t = dp_calloc_written(ncap, sizeof(*t));
        if (!t)
            return NULL;
        for (size_t i = 0; i < lx->seencap; i++)
            if (lx->seen[i].idx) {
                size_t j = lx->seen[i].hash & (ncap - 1);
                while (t[j].idx)
                    j = (j + 1) & (ncap - 1);
                t[j] = lx->seen[i];
            }
        free(lx->seen);
        lx->seen = t;
        lx->seencap = ncap;
    }
    uint32_t h = (uint32_t)entry_hash(proto);
    size_t i = h & (lx->seencap - 1);
    while (lx->seen[i].idx &&
           (lx->seen[i].hash != h || !same_entry(&lx->entries[lx->seen[i].idx - 1], proto)))
        i = (i + 1) & (lx->seencap - 1);
    lx->seen[i].hash = h;
    return &lx->seen[i];
}

dp_arena *dp_lex__arena(dp_lexicon *lx)
{
    return lx->a;
}

dp_arena *dp_lex__scratch(dp_lexicon *lx)
{
    return lx->tmp;
}

/* Scratch text (tokens, spaced names) of earlier targets goes once it has
 * grown; called between targets only, as callers hold scratch strings while
 * they add a target's phrases. */
int dp_lex__renew_scratch(dp_lexicon *lx)
{
    if (lx->tmp && dp_arena_used(lx->tmp) < (64u << 20))
        return 0;
    dp_arena *fresh = dp_arena_new(1 << 20);
    if (!fresh)
        return -1;
    dp_arena_free(lx->tmp);
    lx->tmp = fresh;
    return 0;
}

/* The interned lowercase and stemmed forms of the word low (len bytes),
 * remembered: phrases repeat a small vocabulary. NULL: out of memory. */
static const lexword *word_forms(dp_lexicon *lx, const char *low)
{
    if ((lx->wused + 1) * 2 > lx->wcap) {
        size_t ncap = lx->wcap ? lx->wcap * 2 : 4096;
        lexword *t = dp_calloc_written(ncap, sizeof(*t));
        if (!t)
            return NULL;
        for (size_t i = 0; i < lx->wcap; i++)
            if (lx->words[i].low) {
                size_t j = hash(lx->words[i].low) & (ncap - 1);
                while (t[j].low)
                    j = (j + 1) & (ncap - 1);
                t[j] = lx->words[i];
            }
        free(lx->words);
        lx->words = t;
        lx->wcap = ncap;
    }
    size_t i = hash(low) & (lx->wcap - 1);
    while (lx->words[i].low) {
        if (!strcmp(lx->words[i].low, low))
            return &lx->words[i];
        i = (i + 1) & (lx->wcap - 1);
    }
    int num = 1;
    for (const char *p = low; *p && num; p++)
        num = isdigit((unsigned char)*p) != 0;
    const char *stem = num ? low : dp_stem(lx->st, lx->tmp, low);
    lexword w = {intern(lx, low), stem ? intern(lx, stem) : NULL, num};
    if (!w.low || !w.stem)
        return NULL;
    lx->words[i] = w;
    lx->wused++;
    return &lx->words[i];
}

/* The words of text as dp_tokenize splits them (kg/text.h), at most
 * MAX_PHRASE_TOKENS + 1 of them (one more: too long for a phrase). Returns
 * their count, -1 for no memory. */
static long phrase_words(dp_lexicon *lx, const char *text, const char **stems, const char **low, int *first_num)
{
    long n = 0;
    char buf[128];
    for (const char *p = dp_word_start(text); *p && n <= MAX_PHRASE_TOKENS; p = dp_word_start(p)) {
        const char *s = p;
        p = dp_word_end(s);
        size_t raw = (size_t)(p - s);
        char *w = raw < sizeof(buf) ? buf : dp_arena_alloc(lx->tmp, raw + 1);
        if (!w)
            return -1;
        dp_word_lower(s, raw, w);
        const lexword *f = word_forms(lx, w);
        if (!f)
            return -1;
        if (n == 0)
            *first_num = f->is_num;
        stems[n] = f->stem;
        low[n] = f->low;
        n++;
    }
    return n;
}

int dp_lex__add(dp_lexicon *lx, dp_lex_entry proto, const char *text)
{
    if (!text || !*text)
        return 0;
    const char *stems[MAX_PHRASE_TOKENS + 1], *low[MAX_PHRASE_TOKENS + 1];
    int first_num = 0;
    long got = phrase_words(lx, text, stems, low, &first_num);
    if (got < 0)
        return -1;
    size_t words = (size_t)got;
    if (words == 0 || words > MAX_PHRASE_TOKENS)
        return 0;
    proto.ntok = words;
    /* a lone stopword is no phrase; nor is a lone number */
    if (words == 1 && (dp_is_stopword(low[0]) || first_num) && !proto.case_sensitive)
        return 0;
    /* duplicate (same target, same stems)? */
    proto.stems = stems;
    seen_slot_t *seen = seen_slot(lx, &proto);
    if (!seen)
        return -1;
    if (seen->idx)
        return 0;
    proto.text = dp_arena_strdup(lx->a, text);
    proto.stems = dp_arena_calloc(lx->a, words, sizeof(char *));
    proto.words = dp_arena_calloc(lx->a, words, sizeof(char *));
    if (!proto.text || !proto.stems || !proto.words)
        return -1;
    memcpy(proto.stems, stems, words * sizeof(char *));
    memcpy(proto.words, low, words * sizeof(char *));
    if (lx->n == lx->cap) {
        /* malloc'd while building (an arena would keep every outgrown copy) */
        size_t ncap = lx->cap ? lx->cap * 2 : 1024;
        dp_lex_entry *t = realloc(lx->entries, ncap * sizeof(*t));
        if (!t)
            return -1;
        lx->entries = t;
        lx->cap = ncap;
    }
    if (lx->n >= UINT32_MAX - 1)
        return -1;
    lx->entries[lx->n++] = proto;
    seen->idx = (uint32_t)lx->n;
    /* "sign-ups" is also written "signups", "e-mail" "email": the phrase
     * with its inner hyphens closed is a phrase too */
    const char *h = strchr(proto.text, '-');
    if (h && h > proto.text && isalpha((unsigned char)h[-1]) && isalpha((unsigned char)h[1])) {
        size_t tl = strlen(proto.text);
        char *closed = dp_arena_alloc(lx->tmp, tl + 1), *o = closed;
        if (!closed)
            return -1;
        for (const char *q = proto.text; *q; q++)
            if (!(*q == '-' && q > proto.text && isalpha((unsigned char)q[-1]) && isalpha((unsigned char)q[1])))
                *o++ = *q;
        *o = 0;
        return dp_lex__add(lx, proto, closed);
    }
    return 0;
}

int dp_lexicon_build(dp_kg *kg, dp_error *err)
{
    dp_lexicon *lx = dp_arena_alloc(kg->arena, sizeof(*lx));
    if (!lx)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    lx->a = kg->arena;
    lx->st = dp_stemmer_new();
    if (!lx->st)
        return dp_error_set(err, DP_ENOMEM, "cannot create the English stemmer");
    int rc = dp_lex__renew_scratch(lx) || dp_lex__build_phrases(lx, kg);
    if (!rc && !lx->n) {
        free(lx->entries);
        lx->entries = dp_arena_calloc(kg->arena, 1, sizeof(dp_lex_entry));
        rc = !lx->entries || index_entries(lx);
    } else if (!rc) {
        /* cut to the count and owned by the graph's arena: no second copy
         * (a catalog of 10,000 models has over a million entries) */
        dp_lex_entry *fit = realloc(lx->entries, lx->n * sizeof(dp_lex_entry));
        if (fit)
            lx->entries = fit;
        if (dp_arena_own(kg->arena, lx->entries)) {
            free(lx->entries);
            lx->entries = NULL;
            rc = 1;
        } else {
            rc = index_entries(lx);
        }
    } else {
        free(lx->entries);
        lx->entries = NULL;
    }
    lx->cap = lx->n;
    dp_stemmer_free(lx->st);
    lx->st = NULL;
    dp_arena_free(lx->tmp);
    free(lx->strs);
    free(lx->seen);
    free(lx->words);
    lx->words = NULL;
    lx->wcap = lx->wused = 0;
    lx->tmp = NULL;
    lx->strs = NULL;
    lx->seen = NULL;
    lx->scap = lx->sused = lx->seencap = 0;
    if (rc)
        return dp_error_set(err, DP_ENOMEM, "out of memory building the lexicon");
    size_t nm = 0;
    for (size_t i = 0; i < lx->n; i++)
        nm += lx->entries[i].kind == DP_LEX_METRIC && lx->entries[i].ntok >= 2 && lx->entries[i].ntok <= 4;
    lx->multi_metric = dp_arena_calloc(kg->arena, nm ? nm : 1, sizeof(size_t));
    if (!lx->multi_metric)
        return dp_error_set(err, DP_ENOMEM, "out of memory building the lexicon");
    for (size_t i = 0; i < lx->n; i++)
        if (lx->entries[i].kind == DP_LEX_METRIC && lx->entries[i].ntok >= 2 && lx->entries[i].ntok <= 4)
            lx->multi_metric[lx->nmulti++] = i;
    kg->lex = lx;
    return 0;
}

size_t dp_lexicon_multiword_metrics(const dp_lexicon *lx, const size_t **out)
{
    *out = lx ? lx->multi_metric : NULL;
    return lx ? lx->nmulti : 0;
}

/* Is pl the "-ies" plural of y ("agencies" of "agency")? */
static int ies_of(const char *pl, size_t lpl, const char *y, size_t ly)
{
    return ly > 1 && lpl == ly + 2 && y[ly - 1] == 'y' && !strcmp(pl + ly - 1, "ies") && !strncmp(pl, y, ly - 1);
}

static int tok_eq(const dp_tok *t, const dp_lex_entry *e, size_t k, int *fuzzy)
{
    if (t->punct)
        return 0;
    if (e->case_sensitive)
        return !strcmp(t->raw, e->text) || (e->ntok > 1 && !strcasecmp(t->low, e->words[k]) && t->is_upper);
    if (!strcmp(t->low, e->words[k]))
        return 1;
    if (!strcmp(t->stem, e->stems[k])) {
        /* a value is said by another form of its word ("voided" for
         * 'void', "cancelled" for 'canceled'), not by another word of the
         * same stem ("machines" is not 'machining') */
        const char *a = t->low, *b = e->words[k];
        size_t la = strlen(a), lb = strlen(b);
        return e->kind != DP_LEX_VALUE || !strncmp(a, b, la < lb ? la : lb) || dp_edit_distance(a, b, 1) <= 1 ||
               ies_of(a, la, b, lb) || ies_of(b, lb, a, la);
    }
    size_t lw = strlen(e->words[k]), lt = strlen(t->low);
    if (lw >= 5 && lt >= 5 && e->kind != DP_LEX_VALUE && t->low[0] == e->words[k][0] &&
        !t->is_num && dp_edit_distance(t->low, e->words[k], 1) <= 1) {
        *fuzzy = 1;
        return 1;
    }
    return 0;
}

static int is_article(const char *w) { return !strcmp(w, "a") || !strcmp(w, "an") || !strcmp(w, "the"); }

static size_t try_bucket(const dp_lexicon *lx, const bucket *b, const dp_tok *toks, size_t n, size_t i,
                         dp_lex_match *out, size_t cnt, size_t max)
{
    for (size_t j = 0; j < b->n && cnt < max; j++) {
        const dp_lex_entry *e = &lx->entries[b->idx[j]];
        if (i + e->ntok > n)
            continue;
        if (e->dropped && i > 0) {
            /* "total salary" must not take "average salary" */
            const char *fam = dp_agg_word_family(toks[i - 1].low);
            if (fam && strcmp(fam, e->dropped))
                continue;
        }
        int fuzzy = 0;
        size_t k = 0, at = i, skipped = 0;
        while (k < e->ntok && at < n) {
            if (tok_eq(&toks[at], e, k, &fuzzy)) {
                k++;
                at++;
            } else if (toks[at].join_low && at + 1 < n &&
                       (!strcmp(toks[at].join_low, e->words[k]) ||
                        (toks[at].join_stem && !strcmp(toks[at].join_stem, e->stems[k])))) {
                k++;
                at += 2; /* "top-up" where the catalog writes "topup" */
            } else if (k > 0 && skipped < 2 && is_article(toks[at].low) && at + 1 < n) {
                at++; /* "time to settle a claim" for "time to settle claim" */
                skipped++;
            } else if (k > 0 && (toks[at].punct == '&' || toks[at].punct == '/') && at + 1 < n &&
                       toks[at].start == toks[at - 1].end && toks[at + 1].start == toks[at].end) {
                at++; /* "R&M" written as one word: the phrase's "r m" */
            } else {
                break;
            }
        }
        if (k < e->ntok)
            continue;
        int dup = 0;
        for (size_t q = 0; q < cnt && !dup; q++)
            dup = out[q].e == e;
        if (!dup)
            out[cnt++] = (dp_lex_match){e, at - i, fuzzy};
    }
    return cnt;
}

static int by_len_desc(const void *a, const void *b)
{
    const dp_lex_match *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? 1 : -1;
    if (x->fuzzy != y->fuzzy)
        return x->fuzzy - y->fuzzy;
    return x->e->conf < y->e->conf ? 1 : x->e->conf > y->e->conf ? -1 : 0;
}

size_t dp_lexicon_match(const dp_lexicon *lx, const dp_tok *toks, size_t n, size_t i,
                        dp_lex_match *out, size_t max)
{
    if (!lx || i >= n || toks[i].punct)
        return 0;
    size_t cnt = 0;
    const bucket *b = slot(lx, toks[i].stem);
    if (b && b->stem)
        cnt = try_bucket(lx, b, toks, n, i, out, cnt, max);
    if (strcmp(toks[i].stem, toks[i].low)) {
        b = slot(lx, toks[i].low);
        if (b && b->stem)
            cnt = try_bucket(lx, b, toks, n, i, out, cnt, max);
    }
    if (toks[i].join_stem) { /* "top-up channel" for "topup channel" */
        b = slot(lx, toks[i].join_stem);
        if (b && b->stem)
            cnt = try_bucket(lx, b, toks, n, i, out, cnt, max);
        if (strcmp(toks[i].join_stem, toks[i].join_low) && (b = slot(lx, toks[i].join_low)) && b->stem)
            cnt = try_bucket(lx, b, toks, n, i, out, cnt, max);
    }
    if (cnt == 0 && strlen(toks[i].low) >= 5 && !toks[i].is_num) {
        /* small typo in the first word: scan buckets whose stem is close */
        for (size_t s = 0; s < lx->tcap && cnt < max; s++) {
            const bucket *c = &lx->table[s];
            if (!c->stem || c->stem[0] != toks[i].low[0] || strlen(c->stem) < 4)
                continue;
            if (dp_edit_distance(toks[i].stem, c->stem, 1) <= 1 || dp_edit_distance(toks[i].low, c->stem, 2) <= 2)
                cnt = try_bucket(lx, c, toks, n, i, out, cnt, max);
        }
    }
    if (cnt > 1)
        qsort(out, cnt, sizeof(*out), by_len_desc);
    return cnt;
}

size_t dp_lexicon_size(const dp_lexicon *lx) { return lx ? lx->n : 0; }
const dp_lex_entry *dp_lexicon_entry(const dp_lexicon *lx, size_t i) { return &lx->entries[i]; }

/* Word features for semantic search, remembered per word. */
#include "kg/features.h"
#include "kg/text.h"
#include "util/arena.h"
#include "util/mem.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 63            /* longer words are not remembered */
#define TRIGRAM_WORD_MAX 60    /* longer words have no trigram features */
#define MEMO_MAX (1u << 20)    /* words remembered; past it, computed each time */
#define ACC_BITS 10
#define ACC_SLOTS (1u << ACC_BITS) /* twice DP_FEAT_MAX */

typedef struct word {
    const char *low; /* NULL: empty slot */
    uint32_t first;  /* its features: pool[first .. first + n) */
    uint32_t n;      /* 0: a stopword */
} word;

struct dp_featurizer {
    dp_stemmer *st;
    dp_arena *a;   /* remembered words and stems */
    word *memo;    /* open addressing, power-of-two size */
    size_t cap, used;
    dp_feat *pool; /* features of remembered words */
    size_t npool, poolcap;
    /* the current document's sums: a small open-addressing table on the
     * bucket (at most DP_FEAT_MAX distinct ones, so never over half full) */
    uint32_t key[ACC_SLOTS]; /* bucket + 1; 0 is empty */
    float sum[ACC_SLOTS];
    uint32_t touched[DP_FEAT_MAX]; /* slots in use, in first-use order */
    size_t ntouched, k;
    int full;      /* DP_FEAT_MAX reached: later words are cut */
};

static uint64_t hash_word(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

static uint32_t bucket(const char *s, size_t n, uint32_t salt)
{
    uint32_t h = 2166136261u ^ salt;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (DP_FEAT_BUCKETS - 1);
}

dp_featurizer *dp_featurizer_new(void)
{
    dp_featurizer *fz = calloc(1, sizeof(*fz));
    if (!fz)
        return NULL;
    fz->st = dp_stemmer_new();
    fz->a = dp_arena_new(64 * 1024);
    if (!fz->st || !fz->a) {
        dp_featurizer_free(fz);
        return NULL;
    }
    return fz;
}

void dp_featurizer_free(dp_featurizer *fz)
{
    if (!fz)
        return;
    dp_stemmer_free(fz->st);
    dp_arena_free(fz->a);
    free(fz->memo);
    free(fz->pool);
    free(fz);
}

/* The features of the word low (len bytes) into out (room for len + 1):
 * its stem, then the trigrams of " low ". 0 for a stopword; -1 for no
 * memory. */
static int word_features(dp_featurizer *fz, const char *low, size_t len, dp_feat *out)
{
    if (dp_is_stopword(low))
        return 0;
    int num = 1;
    for (size_t i = 0; i < len && num; i++)
        num = isdigit((unsigned char)low[i]) != 0;
    const char *stem = num ? low : dp_stem(fz->st, fz->a, low);
    if (!stem)
        return -1;
    int n = 0;
    out[n++] = (dp_feat){bucket(stem, strlen(stem), 1), 1.0f};
    if (len > TRIGRAM_WORD_MAX)
        return n;
    char buf[TRIGRAM_WORD_MAX + 2];
    buf[0] = ' ';
    memcpy(buf + 1, low, len);
    buf[len + 1] = ' ';
    for (size_t j = 0; j + 3 <= len + 2; j++)
        out[n++] = (dp_feat){bucket(buf + j, 3, 2), 0.25f};
    return n;
}

static int memo_grow(dp_featurizer *fz)
{
    size_t ncap = fz->cap ? fz->cap * 2 : 4096;
    word *t = dp_calloc_written(ncap, sizeof(*t));
    if (!t)
        return -1;
    for (size_t i = 0; i < fz->cap; i++)
        if (fz->memo[i].low) {
            size_t j = hash_word(fz->memo[i].low) & (ncap - 1);
            while (t[j].low)
                j = (j + 1) & (ncap - 1);
            t[j] = fz->memo[i];
        }
    free(fz->memo);
    fz->memo = t;
    fz->cap = ncap;
    return 0;
}

/* The remembered word low (len <= WORD_MAX), remembering it now if it is
 * new; NULL when the memo is full or out of memory (the caller computes). */
static const word *remembered(dp_featurizer *fz, const char *low, size_t len)
{
    if ((fz->used + 1) * 2 > fz->cap && (fz->used >= MEMO_MAX || memo_grow(fz)))
        return NULL;
    size_t i = hash_word(low) & (fz->cap - 1);
    while (fz->memo[i].low) {
        if (!strcmp(fz->memo[i].low, low))
            return &fz->memo[i];
        i = (i + 1) & (fz->cap - 1);
    }
    if (fz->npool + len + 1 > fz->poolcap) {
        size_t ncap = fz->poolcap ? fz->poolcap * 2 : 1024;
        while (ncap < fz->npool + len + 1)
            ncap *= 2;
        dp_feat *p = realloc(fz->pool, ncap * sizeof(*p));
        if (!p)
            return NULL;
        fz->pool = p;
        fz->poolcap = ncap;
    }
    int n = word_features(fz, low, len, fz->pool + fz->npool);
    const char *copy = n >= 0 ? dp_arena_strndup(fz->a, low, len) : NULL;
    if (!copy)
        return NULL;
    fz->memo[i] = (word){copy, (uint32_t)fz->npool, (uint32_t)n};
    fz->npool += (size_t)n;
    fz->used++;
    return &fz->memo[i];
}

void dp_featurizer_begin(dp_featurizer *fz)
{
    fz->ntouched = fz->k = 0;
    fz->full = 0;
}

/* Takes a word's features in order until the document has DP_FEAT_MAX; a
 * word starting within 16 of it is cut whole. */
static void take(dp_featurizer *fz, const dp_feat *f, size_t n)
{
    if (!n)
        return;
    if (fz->k + 16 >= DP_FEAT_MAX) {
        fz->full = 1;
        return;
    }
    for (size_t i = 0; i < n && fz->k < DP_FEAT_MAX; i++, fz->k++) {
        uint32_t slot = (f[i].h * 2654435761u) >> (32 - ACC_BITS);
        while (fz->key[slot] && fz->key[slot] != f[i].h + 1)
            slot = (slot + 1) & (ACC_SLOTS - 1);
        if (!fz->key[slot]) {
            fz->key[slot] = f[i].h + 1;
            fz->sum[slot] = 0.0f;
            fz->touched[fz->ntouched++] = slot;
        }
        fz->sum[slot] += f[i].w;
    }
}

/* Words as dp_tokenize splits them (kg/text.h), lowercase. */
int dp_featurizer_add(dp_featurizer *fz, const char *text)
{
    for (const char *p = text ? dp_word_start(text) : ""; *p && !fz->full; p = dp_word_start(p)) {
        const char *s = p;
        p = dp_word_end(s);
        size_t raw = (size_t)(p - s);
        char small[WORD_MAX + 1], *low = raw <= WORD_MAX ? small : dp_arena_alloc(fz->a, raw + 1);
        if (!low)
            return -1;
        size_t len = dp_word_lower(s, raw, low);
        const word *w = len <= WORD_MAX ? remembered(fz, low, len) : NULL;
        if (w) {
            take(fz, fz->pool + w->first, w->n);
            continue;
        }
        dp_feat f[TRIGRAM_WORD_MAX + 1]; /* a stem and at most 60 trigrams */
        int n = word_features(fz, low, len, f);
        if (n < 0)
            return -1;
        take(fz, f, (size_t)n);
    }
    return 0;
}

size_t dp_featurizer_end(dp_featurizer *fz, dp_feat *out)
{
    double norm = 0;
    for (size_t i = 0; i < fz->ntouched; i++) {
        double w = fz->sum[fz->touched[i]];
        norm += w * w;
    }
    norm = sqrt(norm);
    for (size_t i = 0; i < fz->ntouched; i++) {
        uint32_t slot = fz->touched[i];
        out[i] = (dp_feat){fz->key[slot] - 1, (float)(fz->sum[slot] / norm)};
        fz->key[slot] = 0;
    }
    size_t n = fz->ntouched;
    dp_featurizer_begin(fz);
    return n;
}

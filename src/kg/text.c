/* Tokenizer and Snowball stemming. */
#include "kg/text.h"
#include "util/mem.h"
#include <ctype.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Catalogs and requests repeat a small vocabulary: stems are remembered
 * (per stemmer, so still one per thread) instead of recomputed. */
#define STEM_CACHE_MAX 65536

typedef struct stem_memo {
    const char *word, *stem;
} stem_memo;

struct dp_stemmer {
    struct sb_stemmer *sb;
    dp_arena *a;       /* the memo's strings */
    stem_memo *memo;   /* open addressing, power-of-two size */
    size_t cap, used;
};

static uint64_t hash_word(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The memo's entry for low (empty when unknown); NULL when there is no memo. */
static stem_memo *memo_slot(dp_stemmer *s, const char *low)
{
    if (!s->memo)
        return NULL;
    size_t i = hash_word(low) & (s->cap - 1);
    while (s->memo[i].word && strcmp(s->memo[i].word, low))
        i = (i + 1) & (s->cap - 1);
    return &s->memo[i];
}

static void memo_put(dp_stemmer *s, const char *low, const char *stem)
{
    if (!s->a || s->used >= STEM_CACHE_MAX) /* full: stem without remembering */
        return;
    if ((s->used + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        stem_memo *t = dp_calloc_written(ncap, sizeof(*t));
        if (!t)
            return;
        for (size_t i = 0; i < s->cap; i++)
            if (s->memo[i].word) {
                size_t j = hash_word(s->memo[i].word) & (ncap - 1);
                while (t[j].word)
                    j = (j + 1) & (ncap - 1);
                t[j] = s->memo[i];
            }
        free(s->memo);
        s->memo = t;
        s->cap = ncap;
    }
    stem_memo *slot = memo_slot(s, low);
    const char *w = dp_arena_strdup(s->a, low), *st = dp_arena_strdup(s->a, stem);
    if (w && st) {
        *slot = (stem_memo){w, st};
        s->used++;
    }
}

dp_stemmer *dp_stemmer_new(void)
{
    dp_stemmer *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->sb = sb_stemmer_new("english", NULL);
    if (!s->sb) {
        free(s);
        return NULL;
    }
    /* without a memo it still works, only slower */
    s->a = dp_arena_new(16 * 1024);
    return s;
}

void dp_stemmer_free(dp_stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    free(s->memo);
    dp_arena_free(s->a);
    free(s);
}

const char *dp_stem(dp_stemmer *s, dp_arena *a, const char *low)
{
    size_t n = strlen(low);
    if (n < 3 || !s)
        return dp_arena_strdup(a, low);
    stem_memo *m = n < 64 ? memo_slot(s, low) : NULL;
    if (m && m->word)
        return dp_arena_strdup(a, m->stem);
    const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)low, (int)n);
    if (!r)
        return dp_arena_strdup(a, low);
    const char *stem = dp_arena_strndup(a, (const char *)r, (size_t)sb_stemmer_length(s->sb));
    if (stem && n < 64)
        memo_put(s, low, stem);
    return stem;
}

static int is_word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

const char *dp_word_start(const char *p)
{
    while (*p && !is_word_byte((unsigned char)*p))
        p++;
    return p;
}

const char *dp_word_end(const char *p)
{
    const char *s = p;
    while (is_word_byte((unsigned char)*p) || (*p == '\'' && p > s && is_word_byte((unsigned char)p[1])))
        p++;
    return p;
}

size_t dp_word_lower(const char *word, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (word[i] != '\'')
            out[n++] = (char)tolower((unsigned char)word[i]);
    out[n] = 0;
    return n;
}

int dp_tokenize(dp_tok **out, size_t *n, dp_arena *a, dp_stemmer *st, const char *text)
{
    size_t cap = 0, cnt = 0;
    dp_tok *toks = NULL;
    const char *p = text;
    while (*p) {
        if (cnt >= DP_TEXT_MAX_TOKENS)
            return -2;
        dp_tok t = {0};
        if (is_word_byte((unsigned char)*p)) {
            const char *s = p;
            p = dp_word_end(s);
            size_t len = (size_t)(p - s);
            char *raw = dp_arena_strndup(a, s, len);
            char *low = dp_arena_alloc(a, len + 1);
            if (!raw || !low)
                return -1;
            size_t nl = dp_word_lower(s, len, low);
            int letters = 0, uppers = 0, digits = 0;
            for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                letters += isalpha(c) != 0;
                uppers += isupper(c) != 0;
                digits += isdigit(c) != 0;
            }
            t.raw = raw;
            t.low = low;
            t.is_num = digits == (int)nl;
            t.is_upper = letters >= 2 && uppers == letters;
            t.stem = t.is_num ? low : dp_stem(st, a, low);
            t.start = (int)(s - text);
            t.end = (int)(p - text);
        } else if (strchr(",;:?!.&()/", *p) && *p) {
            char *c = dp_arena_strndup(a, p, 1);
            t.raw = t.low = t.stem = c;
            t.punct = *p;
            t.start = (int)(p - text);
            t.end = t.start + 1;
            p++;
        } else {
            /* "top-up": the two words also as one */
            if (*p == '-' && cnt && toks[cnt - 1].end == (int)(p - text) && !toks[cnt - 1].punct &&
                is_word_byte((unsigned char)p[1])) {
                dp_tok *prev = &toks[cnt - 1];
                const char *e = dp_word_end(p + 1);
                size_t l1 = strlen(prev->low), l2 = (size_t)(e - p - 1);
                char *jl = l1 + l2 < 64 ? dp_arena_alloc(a, l1 + l2 + 1) : NULL;
                if (jl) {
                    memcpy(jl, prev->low, l1);
                    size_t nl = dp_word_lower(p + 1, l2, jl + l1);
                    jl[l1 + nl] = 0;
                    prev->join_low = jl;
                    prev->join_stem = dp_stem(st, a, jl);
                }
            }
            p++;
            continue;
        }
        if (!t.raw || !t.stem)
            return -1;
        if (DP_VEC_PUSH(a, toks, cnt, cap, t))
            return -1;
    }
    *out = toks;
    *n = cnt;
    return 0;
}

int dp_edit_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)max)
        return max + 1;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int rowmin = max + 1;
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > max)
            return max + 1;
    }
    return d[la][lb];
}

int dp_is_stopword(const char *low)
{
    static const char *words[] = {"a", "an", "the", "of", "for", "in", "on", "at", "by", "per", "and",
                                  "or", "to", "with", "from", "into", "over", "as", "is", "are", "be",
                                  "its", "their", "our", "my", "your", "this", "that", "these", "those",
                                  "all", "any", "each", "every", "than", "then", "also", "only", "it",
                                  "was", "were", "we", "i", "me", "you", "they", "do", "does", "did", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(low, words[i]))
            return 1;
    return 0;
}

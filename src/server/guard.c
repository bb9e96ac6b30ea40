/* Who may call and how often: API keys (kept as SHA-256 digests, compared
 * in constant time) and a per-client token bucket. */
#include "server/guard.h"
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digest(const char *hex, unsigned char out[DP_SRV_DIGEST])
{
    if (strlen(hex) != 2 * DP_SRV_DIGEST)
        return -1;
    for (size_t i = 0; i < DP_SRV_DIGEST; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

int dp_srv_keys_load(dp_srv_guard *g, const char *path, char *why, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, n, "cannot read the API keys file");
        return -1;
    }
    char line[512];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        char *k = line + strspn(line, " \t");
        if (!*k || *k == '#')
            continue;
        if (g->nkeys == DP_SRV_KEYS_MAX) {
            snprintf(why, n, "more than %d API keys", DP_SRV_KEYS_MAX);
            rc = -1;
            break;
        }
        unsigned char *d = g->keys[g->nkeys];
        /* "sha256:HEX" is a digest, so the file need not hold the key itself */
        if (!strncmp(k, "sha256:", 7) ? hex_digest(k + 7, d) != 0
                                      : strlen(k) < 16 || gnutls_hash_fast(GNUTLS_DIG_SHA256, k, strlen(k), d) != 0) {
            snprintf(why, n, "line %d: a key is at least 16 characters, or sha256: and 64 hex digits", lineno);
            rc = -1;
            break;
        }
        g->nkeys++;
    }
    explicit_bzero(line, sizeof(line));
    fclose(f);
    if (!rc && !g->nkeys) {
        snprintf(why, n, "the API keys file has no key");
        rc = -1;
    }
    return rc;
}

/* The key of an Authorization: Bearer or X-API-Key header, or NULL. */
static const char *presented(const char *authorization, const char *x_api_key)
{
    if (x_api_key && *x_api_key)
        return x_api_key;
    if (authorization && !strncasecmp(authorization, "Bearer ", 7))
        return authorization + 7 + strspn(authorization + 7, " ");
    return NULL;
}

int dp_srv_keys_check(const dp_srv_guard *g, const char *authorization, const char *x_api_key, int *which)
{
    *which = -1;
    if (!g->nkeys)
        return 1;
    const char *key = presented(authorization, x_api_key);
    unsigned char d[DP_SRV_DIGEST];
    if (!key || gnutls_hash_fast(GNUTLS_DIG_SHA256, key, strlen(key), d) != 0)
        return 0;
    int found = -1;
    for (int i = 0; i < g->nkeys; i++) { /* every key compared in full: no early exit to time */
        unsigned diff = 0;
        for (size_t b = 0; b < DP_SRV_DIGEST; b++)
            diff |= (unsigned)(d[b] ^ g->keys[i][b]);
        if (!diff)
            found = i;
    }
    *which = found;
    return found >= 0;
}

/* FNV-1a of the client's name, for its bucket slot. */
static size_t slot_of(const char *client)
{
    unsigned long h = 1469598103934665603ul;
    for (const unsigned char *p = (const unsigned char *)client; *p; p++)
        h = (h ^ *p) * 1099511628211ul;
    return (size_t)(h % DP_SRV_BUCKETS_MAX);
}

int dp_srv_rate_take(dp_srv_guard *g, const char *client, double now_s, double *retry_s)
{
    *retry_s = 0;
    if (g->rate <= 0)
        return 1;
    double burst = g->burst > 0 ? g->burst : 2 * g->rate;
    pthread_mutex_lock(&g->mu);
    dp_srv_bucket *b = &g->buckets[slot_of(client)];
    /* a slot another client held is taken over (full): a rare collision
     * can only make the limit looser, never refuse a fresh client */
    if (strncmp(b->client, client, sizeof(b->client) - 1)) {
        snprintf(b->client, sizeof(b->client), "%s", client);
        b->tokens = burst;
        b->last = now_s;
    }
    b->tokens += (now_s - b->last) * g->rate;
    if (b->tokens > burst)
        b->tokens = burst;
    b->last = now_s;
    int ok = b->tokens >= 1;
    if (ok)
        b->tokens -= 1;
    else
        *retry_s = (1 - b->tokens) / g->rate;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

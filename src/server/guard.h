/* API keys and per-client rate limits of dpgen serve (guard.c). */
#ifndef DP_SERVER_GUARD_H
#define DP_SERVER_GUARD_H
#include <pthread.h>
#include <stddef.h>

#define DP_SRV_DIGEST 32        /* SHA-256 */
#define DP_SRV_KEYS_MAX 256     /* keys in a --api-keys file */
#define DP_SRV_BUCKETS_MAX 4096 /* clients tracked by the rate limit */

typedef struct dp_srv_bucket {
    char client[72]; /* address, or "key:N" */
    double tokens, last;
} dp_srv_bucket;

typedef struct dp_srv_guard {
    unsigned char keys[DP_SRV_KEYS_MAX][DP_SRV_DIGEST];
    int nkeys;        /* 0: no keys required */
    double rate;      /* requests a second per client; 0: no limit */
    double burst;     /* bucket size; 0: twice the rate */
    pthread_mutex_t mu; /* guards buckets */
    dp_srv_bucket buckets[DP_SRV_BUCKETS_MAX];
} dp_srv_guard;

/* Reads the keys file: one key a line (at least 16 characters) or
 * "sha256:" and its 64 hex digits; '#' lines are comments. Only digests are
 * kept. 0, or -1 with why set (never quoting a key). */
int dp_srv_keys_load(dp_srv_guard *g, const char *path, char *why, size_t n);
/* 1 when no keys are configured or the request presents one
 * (Authorization: Bearer KEY, or X-API-Key: KEY; *which its index), else 0. */
int dp_srv_keys_check(const dp_srv_guard *g, const char *authorization, const char *x_api_key, int *which);
/* Takes one token of client's bucket: 1 allowed, 0 limited (*retry_s: when
 * the next token comes). */
int dp_srv_rate_take(dp_srv_guard *g, const char *client, double now_s, double *retry_s);

#endif

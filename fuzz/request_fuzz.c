/* libFuzzer target for the request parser (fuzz/README.md): each input is a
 * request run through intent, discovery, modeling and the compiler on the
 * catalogs loaded once (request_target.h). Besides crashes, leaks and
 * undefined behaviour, it aborts when a refusal is not a one-line message
 * with a negative DP_ code, when compiled SQL is not one read-only SELECT,
 * and when one input takes longer than DP_FUZZ_REQ_MAX_MS. */
#include "request_target.h"
#include <stdio.h>
#include <stdlib.h>

#ifndef DP_FUZZ_ROOT
#define DP_FUZZ_ROOT "."
#endif
#define DP_FUZZ_REQ_MAX_MS 3000.0

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dp_fuzz_req_catalogs cats; /* loaded once, read-only afterwards */

static void fail(void *payload, const char *step, int rc, const char *what)
{
    const char *text = payload;
    fprintf(stderr, "request_fuzz: %s step, code %d: %s (request '%.200s')\n", step, rc, what, text);
    abort();
}

static void close_catalogs(void) { dp_fuzz_req_close(&cats); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dp_error err = {0};
    const char *root = getenv("DP_SOURCE_DIR") ? getenv("DP_SOURCE_DIR") : DP_FUZZ_ROOT;
    if (dp_fuzz_req_open(&cats, root, &err)) {
        fprintf(stderr, "request_fuzz: cannot load the catalogs under %s: %s\n", root, err.message);
        exit(1);
    }
    atexit(close_catalogs);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char shown[256];
    size_t n = size < sizeof(shown) - 1 ? size : sizeof(shown) - 1;
    memcpy(shown, data, n);
    shown[n] = 0;
    double ms = 0;
    dp_fuzz_request_one(&cats, data, size, fail, shown, &ms);
    if (ms > DP_FUZZ_REQ_MAX_MS) {
        fprintf(stderr, "request_fuzz: one request took %.0f ms (limit %.0f)\n", ms, DP_FUZZ_REQ_MAX_MS);
        abort();
    }
    return 0;
}

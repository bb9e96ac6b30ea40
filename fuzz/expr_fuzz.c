/* libFuzzer target for the allow-list of catalog expressions and filters
 * (fuzz/README.md, expr_target.h). Besides crashes, leaks and undefined
 * behaviour, it aborts when a refusal is not a negative DP_ code with a
 * one-line message, or when an accepted text holds a query word. */
#include "expr_target.h"
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(void *payload, const char *step, int rc, const char *what)
{
    (void)payload;
    fprintf(stderr, "expr_fuzz: %s step broke its contract (code %d): '%s'\n", step, rc, what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_fuzz_expr_one(data, size, fail, NULL);
    return 0;
}

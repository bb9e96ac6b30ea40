/* libFuzzer target for the semantic manifest loader (fuzz/README.md).
 * Besides crashes, leaks and undefined behaviour, it aborts on an error that
 * is not a negative DP_ code with a one-line message naming the input. */
#include "manifest_target.h"
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(void *payload, const char *step, int rc, const dp_error *err)
{
    (void)payload;
    if (!dp_fuzz_failure_ok("fuzz.json", rc, err)) {
        fprintf(stderr, "manifest_fuzz: %s step failed with code %d and a malformed message: '%s'\n", step, rc,
                err->message);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_fuzz_manifest_one("fuzz.json", data, size, check, NULL);
    return 0;
}

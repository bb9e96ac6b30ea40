/* Unit tests: the run history is bounded whatever a request holds: a
 * 10 MB request (and message) is stored cut to the request length limit,
 * and what `dpgen runs` prints is capped per field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "intent/intent.h"
#include "state/state.h"
#include "testutil.h"
#include "util/error.h"

int dp_runs_list(char **out, const char *dir, int limit, dp_error *err);

static void huge_request_is_cut(void **unused)
{
    (void)unused;
    char dir[] = "/tmp/dp_state_caps_XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t n = 10u << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[n] = 0;
    dp_state *s = NULL;
    dp_error err = {0};
    assert_int_equal(dp_state_open(&s, dir, &err), 0);
    assert_int_equal(dp_state_record_run(s, "r1", big, "failed", NULL, 1, big, &err), 0);
    json_t *runs = dp_state_runs(s, 10);
    assert_int_equal(json_array_size(runs), 1);
    const char *req = json_string_value(json_object_get(json_array_get(runs, 0), "request"));
    const char *msg = json_string_value(json_object_get(json_array_get(runs, 0), "message"));
    assert_non_null(req);
    assert_non_null(msg);
    assert_true(strlen(req) <= 600); /* printed: cut further */
    assert_true(strlen(msg) <= 600);
    assert_non_null(strstr(req, "cut"));
    json_decref(runs);
    dp_state_close(s);
    char path[300];
    snprintf(path, sizeof(path), "%s/state.db", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < 200 * 1024); /* was > 20 MB: both texts in full */
    char *out = NULL;
    assert_int_equal(dp_runs_list(&out, dir, 1000000, &err), 0);
    assert_true(strlen(out) < 4096);
    free(out);
    free(big);
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(huge_request_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The run's time budget: one deadline for the test run and the quality
 * checks, so statements each under a per-statement limit cannot add up to
 * a run without bound. */
#include "orchestrator/run.h"
#include "util/error.h"
#include "util/fs.h"

long dp_run_budget_ms(const dp_run *r) { return r->opts.timeout_ms > 0 ? r->opts.timeout_ms : 30000; }

void dp_run_budget_start(dp_run *r)
{
    if (!r->deadline_ms)
        r->deadline_ms = dp_now_ms() + (double)dp_run_budget_ms(r);
}

long dp_run_remaining_ms(const dp_run *r)
{
    if (!r->deadline_ms)
        return dp_run_budget_ms(r);
    double left = r->deadline_ms - dp_now_ms();
    return left < 1 ? 1 : (long)left; /* never 0: that would be no limit */
}

int dp_run_over(const dp_run *r, dp_error *err)
{
    if (!r->deadline_ms || dp_now_ms() < r->deadline_ms)
        return 0;
    long ms = dp_run_budget_ms(r);
    return dp_error_set(err, DP_ELIMIT,
                        "the run went over its time limit of %.3g s for the test run and quality checks: raise it "
                        "with --timeout SECONDS (library: dp_generate_options.timeout_ms)",
                        ms / 1000.0);
}

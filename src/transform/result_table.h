/* The test result as a table in DuckDB (r->exec.table): a small result is
 * kept in C (r->exec.rowset) and becomes the table only when a check that
 * is not evaluated in C reads it. */
#ifndef DP_TRANSFORM_RESULT_TABLE_H
#define DP_TRANSFORM_RESULT_TABLE_H
#include "orchestrator/run.h"

/* 0 once r->exec.table exists on r->con (made now from the rowset when it
 * was not), or the error that stopped it. */
int dp_transform_result_table(dp_run *r, dp_error *err);

#endif

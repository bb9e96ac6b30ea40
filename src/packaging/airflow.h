/* The schedule a spec's SLA implies, and the Airflow DAG that keeps the
 * product on it. */
#ifndef DP_PACKAGING_AIRFLOW_H
#define DP_PACKAGING_AIRFLOW_H
#include <jansson.h>
#include "dpgen/dpgen.h"

typedef struct dp_schedule {
    const char *grain;     /* "day" ... "year", borrowed from the spec; NULL: refreshed on demand */
    int due_hour, due_min; /* UTC time of day the SLA promises the newest period by */
    char cron[40];         /* when the pipeline starts (an hour before the due time); "" on demand */
    double latency_hours;  /* the SLA's latency bound in hours; 0 when it states none */
} dp_schedule;

/* Reads the schedule from business_context.time_grain and the SLA texts
 * ("weekly, Mondays by 09:00 UTC ...", "under 1 hour ..."). Never fails:
 * what the texts do not say falls back to 09:00 UTC and no latency bound. */
void dp_packaging__schedule(dp_schedule *out, const json_t *spec);

/* The Airflow DAG (Python source, malloc'd into *out) that runs `dbt deps`,
 * `dbt source freshness` then `dbt build --select +<name>` in the dbt
 * project's folder on the SLA's schedule. Returns 0 or DP_ENOMEM. */
int dp_packaging__airflow_dag(char **out, const json_t *spec, dp_error *err);

#endif

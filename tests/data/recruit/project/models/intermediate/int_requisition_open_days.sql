-- one row per requisition and day it was open: from the opening day to the day before it was
-- filled or cancelled (to yesterday when still open)
with reqs as (
    select r.*, j.on_hold_since
    from {{ ref('dim_requisitions') }} r
    join {{ ref('stg_greenhouse__jobs') }} j on j.requisition_id = r.requisition_id
),

days as (
    select date_day from {{ ref('metricflow_time_spine') }}
    where date_day >= cast('{{ var("ats_go_live_date") }}' as date)
      and date_day < current_date
)

select
    reqs.requisition_id,
    reqs.department_id,
    reqs.recruiter_id,
    reqs.openings,
    reqs.opened_date,
    reqs.on_hold_since,
    days.date_day as snapshot_date
from reqs
join days
  on days.date_day >= reqs.opened_date
 and days.date_day < coalesce(reqs.closed_date, current_date)

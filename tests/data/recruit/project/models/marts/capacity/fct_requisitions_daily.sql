-- daily snapshot: one row per requisition and day it was open (or on hold), with how many
-- openings were still unfilled and how many applications were in process that day
with open_days as (
    select * from {{ ref('int_requisition_open_days') }}
),

apps as (
    select requisition_id, applied_date, closed_date from {{ ref('fct_applications') }}
),

hires as (
    select requisition_id, hire_date from {{ ref('fct_hires') }}
)

select
    open_days.requisition_id || '|' || strftime(open_days.snapshot_date, '%Y-%m-%d') as requisition_day_id,
    open_days.snapshot_date,
    open_days.requisition_id,
    open_days.department_id,
    open_days.recruiter_id,
    case when open_days.on_hold_since is not null and open_days.snapshot_date >= open_days.on_hold_since
         then 'on_hold' else 'open' end as requisition_state,
    date_diff('day', open_days.opened_date, open_days.snapshot_date) as days_open,
    open_days.openings - (
        select count(*) from hires
        where hires.requisition_id = open_days.requisition_id and hires.hire_date <= open_days.snapshot_date
    ) as openings_remaining,
    (
        select count(*) from apps
        where apps.requisition_id = open_days.requisition_id
          and apps.applied_date <= open_days.snapshot_date
          and (apps.closed_date is null or apps.closed_date > open_days.snapshot_date)
    ) as active_applications
from open_days

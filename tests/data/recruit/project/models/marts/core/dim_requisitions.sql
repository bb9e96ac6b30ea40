-- one row per requisition (Greenhouse job) opened since the go-live
with jobs as (
    select * from {{ ref('stg_greenhouse__jobs') }}
),

team as (
    select * from {{ ref('stg_greenhouse__hiring_team') }}
),

users as (
    select * from {{ ref('stg_greenhouse__users') }}
),

hires as (
    select greenhouse_job_id, count(*) as hires, max(closed_date) as last_hire_date
    from {{ ref('stg_greenhouse__applications') }}
    where application_status = 'hired'
    group by 1
)

select
    jobs.requisition_id,
    jobs.job_title,
    jobs.department_id,
    hm.employee_id as hiring_manager_id,
    rec.recruiter_id,
    jobs.office,
    jobs.employment_type,
    jobs.job_level,
    case
        when jobs.job_level = 'IC1' then 'entry'
        when jobs.job_level = 'IC2' then 'mid'
        when jobs.job_level = 'IC3' then 'senior'
        when jobs.job_level in ('IC4', 'IC5') then 'staff_plus'
        else 'management'
    end as seniority,
    jobs.priority,
    jobs.is_backfill,
    jobs.openings,
    jobs.opened_date,
    case when coalesce(hires.hires, 0) >= jobs.openings then hires.last_hire_date
         when jobs.is_cancelled then jobs.closed_date end as closed_date,
    case
        when coalesce(hires.hires, 0) >= jobs.openings then 'filled'
        when jobs.is_cancelled then 'cancelled'
        when jobs.on_hold_since is not null then 'on_hold'
        else 'open'
    end as requisition_status,
    {{ to_usd('jobs.salary_band_max_local', 'jobs.salary_currency') }} as salary_band_max_usd
from jobs
left join team on team.greenhouse_job_id = jobs.greenhouse_job_id
left join users rec on rec.greenhouse_user_id = team.recruiter_user_id
left join users hm on hm.greenhouse_user_id = team.hiring_manager_user_id
left join hires on hires.greenhouse_job_id = jobs.greenhouse_job_id

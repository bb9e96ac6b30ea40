with jobs as (
    select * from {{ source('greenhouse', 'job') }}
    where id not in ({{ var('test_job_ids') | join(', ') }})
),

departments as (
    select job_id, department_id from {{ source('greenhouse', 'job_department') }}
),

offices as (
    select jo.job_id, o.name as office_name
    from {{ source('greenhouse', 'job_office') }} jo
    join {{ source('greenhouse', 'office') }} o on o.id = jo.office_id
),

openings as (
    select job_id, count(*) as openings
    from {{ source('greenhouse', 'job_opening') }}
    group by 1
)

select
    jobs.id as greenhouse_job_id,
    jobs.requisition_id,
    jobs.name as job_title,
    departments.department_id,
    offices.office_name as office,
    lower(jobs.custom_employment_type) as employment_type,
    upper(jobs.custom_job_level) as job_level,
    lower(jobs.custom_priority) as priority,
    coalesce(jobs.custom_is_backfill, false) as is_backfill,
    coalesce(openings.openings, 1) as openings,
    cast(jobs.opened_at as date) as opened_date,
    cast(jobs.closed_at as date) as closed_date,
    lower(jobs.status) as greenhouse_status,          -- open, closed, draft
    jobs.custom_on_hold_since as on_hold_since,
    jobs.custom_cancelled as is_cancelled,
    jobs.custom_salary_band_max as salary_band_max_local,
    jobs.custom_salary_currency as salary_currency
from jobs
left join departments on departments.job_id = jobs.id
left join offices on offices.job_id = jobs.id
left join openings on openings.job_id = jobs.id
where cast(jobs.opened_at as date) >= cast('{{ var("ats_go_live_date") }}' as date)
  and lower(jobs.status) <> 'draft'

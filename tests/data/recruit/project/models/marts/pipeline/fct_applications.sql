-- one row per application of a candidate to a requisition
with applications as (
    select * from {{ ref('stg_greenhouse__applications') }}
),

jobs as (
    select greenhouse_job_id, requisition_id from {{ ref('stg_greenhouse__jobs') }}
),

reqs as (
    select requisition_id, department_id, recruiter_id from {{ ref('dim_requisitions') }}
),

candidates as (
    select * from {{ ref('stg_greenhouse__candidates') }}
),

furthest as (
    select application_id, max(stage_order) as current_stage_order
    from {{ ref('int_application_stage_spells') }}
    group by 1
)

select
    applications.application_id,
    candidates.candidate_id,
    jobs.requisition_id,
    reqs.department_id,
    reqs.recruiter_id,
    applications.applied_date,
    applications.source,
    applications.application_status,
    case furthest.current_stage_order
        when 1 then 'application_review' when 2 then 'recruiter_screen' when 3 then 'hiring_manager_screen'
        when 4 then 'assessment' when 5 then 'onsite' when 6 then 'offer'
    end as current_stage,
    furthest.current_stage_order,
    furthest.current_stage_order >= 5 as reached_onsite,
    applications.disposition_reason,
    applications.closed_date,
    case when applications.application_status = 'hired' then applications.closed_date end as hired_date
from applications
join jobs on jobs.greenhouse_job_id = applications.greenhouse_job_id
join reqs on reqs.requisition_id = jobs.requisition_id
join candidates on candidates.candidate_id = 'CAN-' || lpad(cast(applications.greenhouse_candidate_id % 100000 as varchar), 5, '0')
left join furthest on furthest.application_id = applications.application_id

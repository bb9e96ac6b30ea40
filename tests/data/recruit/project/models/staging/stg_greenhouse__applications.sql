with applications as (
    select * from {{ source('greenhouse', 'application') }}
    where not coalesce(prospect, false)
      and job_id not in ({{ var('test_job_ids') | join(', ') }})
),

sources as (
    select * from {{ ref('greenhouse_source_map') }}
),

reasons as (
    select id, lower(replace(name, ' ', '_')) as reason_code, type as reason_type
    from {{ source('greenhouse', 'rejection_reason') }}
)

select
    applications.id as greenhouse_application_id,
    'APP-' || lpad(cast(applications.id % 1000000 as varchar), 6, '0') as application_id,
    applications.candidate_id as greenhouse_candidate_id,
    applications.job_id as greenhouse_job_id,
    cast(applications.applied_at as date) as applied_date,
    sources.source,
    lower(applications.status) as greenhouse_status,    -- active, rejected, hired
    reasons.reason_code as disposition_reason,
    -- Greenhouse records candidate-side rejections ("They rejected us") as rejections; we call them withdrawals
    case when lower(applications.status) = 'rejected' and reasons.reason_type = 'They rejected us' then 'withdrawn'
         else lower(applications.status) end as application_status,
    cast(coalesce(applications.rejected_at, applications.hired_at) as date) as closed_date
from applications
left join sources on sources.greenhouse_source_id = applications.source_id
left join reasons on reasons.id = applications.rejection_reason_id

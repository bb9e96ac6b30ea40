with interviews as (
    select * from {{ source('greenhouse', 'scheduled_interview') }}
),

owners as (
    -- the interviewer who owns the scorecard (panels list several interviewers, one owns it)
    select scheduled_interview_id, user_id
    from {{ source('greenhouse', 'scheduled_interviewer') }}
    where is_scorecard_owner
)

select
    interviews.id as greenhouse_interview_id,
    'INT-' || lpad(cast(interviews.id % 1000000 as varchar), 6, '0') as interview_id,
    interviews.application_id as greenhouse_application_id,
    owners.user_id as interviewer_user_id,
    interviews.start_at as scheduled_start_at,
    cast(interviews.start_at as date) as interview_date,
    date_diff('minute', interviews.start_at, interviews.end_at) as duration_minutes,
    {{ normalize_pipeline_stage('interviews.stage_name') }} as interview_stage,
    lower(replace(interviews.interview_name, ' ', '_')) as interview_type,
    case when interviews.location ilike '%zoom%' or interviews.location ilike '%meet%' then 'video'
         when interviews.location ilike '%phone%' then 'phone'
         else 'onsite' end as interview_format,
    case when interviews.status = 'cancelled' then 'cancelled'
         when interviews.custom_candidate_no_show then 'no_show'
         else 'completed' end as interview_status
from interviews
left join owners on owners.scheduled_interview_id = interviews.id

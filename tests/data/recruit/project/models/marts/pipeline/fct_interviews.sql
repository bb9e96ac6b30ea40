-- one row per scheduled interview (panel rounds are separate rows), with its scorecard
with interviews as (
    select * from {{ ref('int_interviews_with_scorecards') }}
),

apps as (
    select * from {{ ref('fct_applications') }}
),

app_ids as (
    select greenhouse_application_id, application_id from {{ ref('stg_greenhouse__applications') }}
),

users as (
    select * from {{ ref('stg_greenhouse__users') }}
)

select
    interviews.interview_id,
    apps.application_id,
    apps.candidate_id,
    apps.requisition_id,
    apps.department_id,
    apps.recruiter_id,
    users.employee_id as interviewer_id,
    interviews.interview_date,
    interviews.scheduled_start_at,
    interviews.interview_stage,
    interviews.interview_type,
    interviews.interview_format,
    interviews.interview_status,
    interviews.duration_minutes,
    interviews.scorecard_submitted,
    interviews.hours_to_scorecard,
    interviews.overall_recommendation,
    case interviews.overall_recommendation
        when 'strong_yes' then 4 when 'yes' then 3 when 'no' then 2 when 'strong_no' then 1
    end as scorecard_score,
    interviews.scorecard_submitted_at
from interviews
join app_ids on app_ids.greenhouse_application_id = interviews.greenhouse_application_id
join apps on apps.application_id = app_ids.application_id
left join users on users.greenhouse_user_id = interviews.interviewer_user_id
where interviews.interview_stage in ('hiring_manager_screen', 'assessment', 'onsite')

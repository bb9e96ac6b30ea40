select
    id as greenhouse_scorecard_id,
    interview_id as greenhouse_interview_id,
    submitted_by_user_id,
    submitted_at as scorecard_submitted_at,
    case overall_recommendation
        when 'strong_yes' then 'strong_yes'
        when 'yes' then 'yes'
        when 'no' then 'no'
        when 'definitely_not' then 'strong_no'
    end as overall_recommendation
from {{ source('greenhouse', 'scorecard') }}
where submitted_at is not null

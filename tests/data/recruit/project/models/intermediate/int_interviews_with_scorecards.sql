-- interviews joined to the scorecard of their owner; a scorecard counts only when submitted
with interviews as (
    select * from {{ ref('stg_greenhouse__interviews') }}
),

scorecards as (
    select *,
        row_number() over (partition by greenhouse_interview_id order by scorecard_submitted_at) as rn
    from {{ ref('stg_greenhouse__scorecards') }}
)

select
    interviews.*,
    scorecards.scorecard_submitted_at,
    scorecards.overall_recommendation,
    scorecards.greenhouse_scorecard_id is not null as scorecard_submitted,
    case when scorecards.scorecard_submitted_at is not null
         then cast(ceil(date_diff('minute', interviews.scheduled_start_at, scorecards.scorecard_submitted_at) / 60.0) as integer)
    end as hours_to_scorecard
from interviews
left join scorecards
    on scorecards.greenhouse_interview_id = interviews.greenhouse_interview_id
   and scorecards.rn = 1

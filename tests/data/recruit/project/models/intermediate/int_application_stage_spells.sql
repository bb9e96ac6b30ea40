-- one row per application and pipeline stage: the first time the application entered the stage,
-- and when it left it (the next stage entered, or the application's disposition)
with history as (
    select
        greenhouse_application_id,
        stage_name,
        {{ greenhouse_stage_order('stage_name') }} as stage_order,
        min(entered_date) as entered_date
    from {{ ref('stg_greenhouse__application_history') }}
    group by 1, 2, 3
),

applications as (
    select * from {{ ref('stg_greenhouse__applications') }}
)

select
    applications.application_id,
    applications.greenhouse_job_id,
    history.stage_name,
    history.stage_order,
    history.entered_date,
    coalesce(
        lead(history.entered_date) over (partition by history.greenhouse_application_id order by history.stage_order),
        applications.closed_date
    ) as exited_date,
    case
        when lead(history.entered_date) over (partition by history.greenhouse_application_id order by history.stage_order) is not null
            then 'advanced'
        when applications.application_status = 'active' then 'in_progress'
        else applications.application_status
    end as stage_outcome
from history
join applications on applications.greenhouse_application_id = history.greenhouse_application_id

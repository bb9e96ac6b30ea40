-- one row per application and pipeline stage entered (the funnel)
with spells as (
    select * from {{ ref('int_application_stage_spells') }}
),

apps as (
    select application_id, requisition_id, department_id from {{ ref('fct_applications') }}
)

select
    spells.application_id || '-' || cast(spells.stage_order as varchar) as application_stage_id,
    spells.application_id,
    apps.requisition_id,
    apps.department_id,
    spells.stage_name,
    spells.stage_order,
    spells.entered_date,
    spells.exited_date,
    spells.stage_outcome,
    date_diff('day', spells.entered_date, spells.exited_date) as days_in_stage
from spells
join apps on apps.application_id = spells.application_id

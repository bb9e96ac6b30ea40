-- one row per hire: an accepted offer. The hire date is the day the offer was accepted (TA's
-- convention, also in the board deck); the start date is the first day of work.
with offers as (
    select * from {{ ref('fct_offers') }}
    where offer_status = 'accepted'
),

apps as (
    select * from {{ ref('fct_applications') }}
),

reqs as (
    select * from {{ ref('dim_requisitions') }}
),

starts as (
    select greenhouse_application_id, expected_start_date from {{ ref('stg_greenhouse__offers') }}
),

app_ids as (
    select greenhouse_application_id, application_id from {{ ref('stg_greenhouse__applications') }}
)

select
    'HIR-' || lpad(cast(row_number() over (order by offers.offer_responded_date, offers.offer_id) as varchar), 4, '0') as hire_id,
    offers.application_id,
    offers.offer_id,
    offers.candidate_id,
    offers.requisition_id,
    offers.department_id,
    offers.recruiter_id,
    reqs.hiring_manager_id,
    apps.source,
    offers.offer_responded_date as hire_date,
    starts.expected_start_date as start_date,
    date_diff('day', apps.applied_date, offers.offer_responded_date) as days_to_hire,
    date_diff('day', reqs.opened_date, offers.offer_responded_date) as days_to_fill,
    offers.base_salary_usd,
    case when apps.source = 'agency'
         then round(offers.base_salary_usd * {{ var('agency_fee_rate') }}, -2) end as agency_fee_usd
from offers
join apps on apps.application_id = offers.application_id
join reqs on reqs.requisition_id = offers.requisition_id
join app_ids on app_ids.application_id = offers.application_id
left join starts on starts.greenhouse_application_id = app_ids.greenhouse_application_id

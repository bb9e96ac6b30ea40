-- one row per offer extended (latest version); drafts never sent are not offers
with offers as (
    select * from {{ ref('stg_greenhouse__offers') }}
),

app_ids as (
    select greenhouse_application_id, application_id from {{ ref('stg_greenhouse__applications') }}
),

apps as (
    select * from {{ ref('fct_applications') }}
)

select
    offers.offer_id,
    apps.application_id,
    apps.candidate_id,
    apps.requisition_id,
    apps.department_id,
    apps.recruiter_id,
    offers.offer_extended_date,
    case when offers.offer_status <> 'pending' then offers.offer_responded_date end as offer_responded_date,
    offers.offer_status,
    case when offers.offer_status = 'declined' then offers.decline_reason end as decline_reason,
    offers.offer_currency,
    offers.base_salary_usd,
    offers.signing_bonus_usd,
    offers.was_negotiated
from offers
join app_ids on app_ids.greenhouse_application_id = offers.greenhouse_application_id
join apps on apps.application_id = app_ids.application_id

with source as (
    select * from {{ source('shop', 'subscriptions') }}
)

select
    'SUB-' || lpad(cast(id as varchar), 5, '0')            as subscription_id,
    'CUS-' || lpad(cast(customer_id as varchar), 5, '0')   as customer_id,
    plan_code                                              as plan_id,
    cast(started_at as date)                               as started_date,
    -- the app writes 'canceled' (US spelling); we report 'cancelled'
    case lower(state) when 'canceled' then 'cancelled' else lower(state) end as subscription_status,
    cast(canceled_at as date)                              as cancelled_date,
    nullif(lower(cancellation_reason), '')                 as cancel_reason,
    case billing_period_months when 1 then 'monthly' when 3 then 'quarterly' when 12 then 'annual' end as billing_interval,
    billing_period_months                                  as interval_months,
    coalesce(is_gift, false)                               as is_gift,
    nullif(upper(promo_code), '')                          as promo_code
from source
where started_at >= '{{ var("launch_date") }}'

with subscriptions as (
    select * from {{ ref('stg_shop__subscriptions') }}
),

plans as (
    select * from {{ ref('dim_plans') }}
)

select
    s.subscription_id,
    s.customer_id,
    s.plan_id,
    s.started_date,
    s.subscription_status,
    -- only customer-initiated cancellations carry a date; paused and expired gifts do not
    case when s.subscription_status = 'cancelled' then s.cancelled_date end as cancelled_date,
    case when s.subscription_status = 'cancelled' then s.cancel_reason end  as cancel_reason,
    s.billing_interval,
    s.is_gift,
    s.promo_code,
    -- list price per box after the prepay discount (5 % quarterly, 12 % annual)
    cast(round(p.monthly_list_price * case s.interval_months when 1 then 1.0 when 3 then 0.95 else 0.88 end, 2)
         as decimal(10, 2)) as monthly_price_usd
from subscriptions s
left join plans p on p.plan_id = s.plan_id

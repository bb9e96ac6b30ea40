with charges as (
    select * from {{ ref('stg_stripe__charges') }}
),

subscriptions as (
    select subscription_id, customer_id, plan_id from {{ ref('stg_shop__subscriptions') }}
)

select
    c.payment_id,
    c.subscription_id,
    coalesce(s.customer_id, c.customer_id) as customer_id,
    s.plan_id,
    c.payment_date,
    c.payment_type,
    c.attempt_number,
    c.payment_method,
    c.payment_status,
    c.amount_usd
from charges c
left join subscriptions s on s.subscription_id = c.subscription_id

with refunds as (
    select * from {{ ref('stg_stripe__refunds') }}
),

charges as (
    select stripe_charge_id, payment_id from {{ ref('stg_stripe__charges') }}
),

payments as (
    select * from {{ ref('fct_payments') }}
)

select
    'REF-' || lpad(cast(row_number() over (order by r.refund_date, ch.payment_id) as varchar), 5, '0') as refund_id,
    ch.payment_id,
    p.subscription_id,
    p.customer_id,
    p.plan_id,
    r.refund_date,
    r.refund_reason,
    r.refund_amount_usd
from refunds r
join charges ch on ch.stripe_charge_id = r.stripe_charge_id
join payments p on p.payment_id = ch.payment_id

-- a refund can never exceed the charge it refunds
select r.refund_id, r.refund_amount_usd, p.amount_usd
from {{ ref('fct_refunds') }} r
join {{ ref('fct_payments') }} p on p.payment_id = r.payment_id
where r.refund_amount_usd > p.amount_usd

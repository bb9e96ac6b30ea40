-- a credit note never exceeds what the buyer paid for the returned units
select r.return_id, r.refund_amount_usd, l.unit_price_usd * r.returned_quantity as max_refund
from {{ ref('fct_returns') }} r
join {{ ref('fct_order_lines') }} l on l.order_line_id = r.order_line_id
where r.refund_amount_usd > l.unit_price_usd * r.returned_quantity + 0.01

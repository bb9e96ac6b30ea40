select id as order_id, customer as customer_id, cast(order_date as date) as ordered_at,
       amount_cents / 100.0 as amount, status
from {{ ref('raw_orders') }}

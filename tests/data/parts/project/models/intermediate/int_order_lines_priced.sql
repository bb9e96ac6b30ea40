-- order lines with line amounts, discounts and the order's header fields
with items as (
    select * from {{ ref('stg_app__purchase_order_items') }}
),

orders as (
    select order_id, buyer_id, supplier_id, order_date from {{ ref('stg_app__purchase_orders') }}
)

select
    items.order_line_id,
    items.order_id,
    items.line_number,
    items.part_id,
    orders.buyer_id,
    orders.supplier_id,
    orders.order_date,
    items.quantity,
    items.list_price_usd,
    items.unit_price_usd,
    round(items.unit_price_usd * items.quantity, 2)                                          as line_amount_usd,
    round(items.list_price_usd * items.quantity, 2) - round(items.unit_price_usd * items.quantity, 2) as discount_amount_usd
from items
inner join orders on orders.order_id = items.order_id

with orders as (
    select * from {{ ref('stg_app__purchase_orders') }}
),

lines as (
    select order_id, sum(line_amount_usd) as subtotal_usd, sum(quantity) as units
    from {{ ref('int_order_lines_priced') }}
    group by 1
),

suppliers as (
    select supplier_id, is_preferred from {{ ref('dim_suppliers') }}
)

select
    orders.order_id,
    orders.buyer_id,
    orders.supplier_id,
    orders.quote_id,
    orders.order_date,
    orders.order_status,
    orders.order_channel,
    orders.payment_terms,
    orders.is_urgent,
    lines.subtotal_usd,
    orders.freight_charged_usd,
    lines.subtotal_usd + orders.freight_charged_usd                       as order_total_usd,
    case when orders.order_status = 'cancelled' then 0
         else round(lines.subtotal_usd * {{ commission_rate('suppliers.is_preferred') }}, 2)
    end                                                                   as commission_usd,
    lines.units
from orders
inner join lines on lines.order_id = orders.order_id
left join suppliers on suppliers.supplier_id = orders.supplier_id

with lines as (
    select * from {{ ref('stg_shop__box_shipment_lines') }}
),

shipments as (
    select shipment_id, plan_id, warehouse_id, shipped_date from {{ ref('fct_shipments') }}
),

products as (
    select product_id, unit_cogs from {{ ref('dim_products') }}
)

select
    l.box_item_id,
    l.shipment_id,
    l.product_id,
    s.plan_id,
    s.warehouse_id,
    s.shipped_date,
    l.quantity,
    l.is_substitution,
    p.unit_cogs,
    cast(l.quantity * p.unit_cogs as decimal(10, 2)) as cogs_usd
from lines l
join shipments s on s.shipment_id = l.shipment_id
left join products p on p.product_id = l.product_id

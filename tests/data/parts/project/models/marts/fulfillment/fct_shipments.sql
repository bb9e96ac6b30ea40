with shipments as (
    select * from {{ ref('stg_shiphawk__shipments') }}
),

orders as (
    select order_id, buyer_id, supplier_id from {{ ref('stg_app__purchase_orders') }}
)

select
    shipments.shipment_id,
    shipments.order_id,
    orders.buyer_id,
    orders.supplier_id,
    shipments.carrier,
    shipments.ship_mode,
    shipments.shipped_date,
    shipments.promised_date,
    shipments.delivered_date,
    shipments.shipment_status,
    shipments.shipping_cost_usd,
    shipments.weight_kg
from shipments
inner join orders on orders.order_id = shipments.order_id

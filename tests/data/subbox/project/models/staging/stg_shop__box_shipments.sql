select
    'SHP-' || lpad(cast(id as varchar), 6, '0')            as shipment_id,
    'SUB-' || lpad(cast(subscription_id as varchar), 5, '0') as subscription_id,
    nullif(warehouse_code, '')                             as warehouse_id,
    cycle_number                                           as box_number,
    cast(label_created_at as date)                         as shipped_date,
    cast(delivered_at as date)                             as delivered_date,
    carrier_name                                           as carrier,
    lower(tracking_status)                                 as tracking_status,
    {{ cents_to_dollars('label_cost_cents') }}             as shipping_cost_usd
from {{ source('shop', 'box_shipments') }}
where label_created_at is not null

select
    'ORD-' || lpad(cast(purchase_order_id as varchar), 6, '0') || '-' || cast(position as varchar) as order_line_id,
    'ORD-' || lpad(cast(purchase_order_id as varchar), 6, '0')   as order_id,
    position                                                     as line_number,
    'PRT-' || lpad(cast(listing_id as varchar), 5, '0')          as part_id,
    quantity,
    {{ cents_to_dollars('list_price_cents') }}                   as list_price_usd,
    {{ cents_to_dollars('unit_price_cents') }}                   as unit_price_usd
from {{ source('marketplace_app', 'purchase_order_items') }}

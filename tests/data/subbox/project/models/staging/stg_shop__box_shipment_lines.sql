select
    id                                                     as box_item_id,
    'SHP-' || lpad(cast(box_shipment_id as varchar), 6, '0') as shipment_id,
    sku                                                    as product_id,
    quantity,
    coalesce(is_substitute, false)                         as is_substitution
from {{ source('shop', 'box_shipment_lines') }}
where quantity > 0

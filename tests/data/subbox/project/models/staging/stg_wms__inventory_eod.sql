select
    cast(stock_date as date)               as snapshot_date,
    warehouse_code                         as warehouse_id,
    sku                                    as product_id,
    greatest(on_hand_qty, 0)               as units_on_hand,
    allocated_qty                          as units_reserved
from {{ source('wms', 'inventory_eod') }}
where stock_date >= '{{ var("launch_date") }}'

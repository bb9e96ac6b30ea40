select
    warehouse_id,
    warehouse_name,
    warehouse_city,
    warehouse_state,
    operator_type,
    opened_date
from {{ ref('stg_wms__warehouses') }}

select
    code                                   as warehouse_id,
    name                                   as warehouse_name,
    city                                   as warehouse_city,
    state                                  as warehouse_state,
    case when is_third_party then '3pl' else 'in_house' end as operator_type,
    cast(go_live_date as date)             as opened_date
from {{ source('wms', 'warehouses') }}

select
    part_id,
    part_name,
    manufacturer_part_number,
    category,
    brand,
    supplier_id,
    condition,
    list_price_usd,
    lead_time_days,
    listed_date
from {{ ref('stg_app__listings') }}

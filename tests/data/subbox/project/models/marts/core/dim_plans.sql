select
    plan_id,
    plan_name,
    box_size,
    product_lines_per_box,
    monthly_list_price,
    launched_date
from {{ ref('stg_shop__plans') }}

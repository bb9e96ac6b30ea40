select
    code                                   as plan_id,
    display_name                           as plan_name,
    lower(box_size)                        as box_size,
    lines_per_box                          as product_lines_per_box,
    {{ cents_to_dollars('monthly_price_cents') }} as monthly_list_price,
    cast(available_from as date)           as launched_date
from {{ source('shop', 'plans') }}

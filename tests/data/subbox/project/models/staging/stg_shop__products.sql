select
    sku                                    as product_id,
    title                                  as product_name,
    lower(category)                        as category,
    supplier                               as supplier_name,
    {{ cents_to_dollars('standard_cost_cents') }} as unit_cogs,
    coalesce(is_perishable, false)         as is_perishable,
    coalesce(is_vegan, false)              as is_vegan
from {{ source('shop', 'products') }}
where not coalesce(is_sample, false)

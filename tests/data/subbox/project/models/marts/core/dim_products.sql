select
    product_id,
    product_name,
    category,
    supplier_name,
    unit_cogs,
    is_perishable,
    is_vegan
from {{ ref('stg_shop__products') }}

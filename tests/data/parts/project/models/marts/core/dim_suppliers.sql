select
    supplier_id,
    supplier_name,
    country,
    supplier_type,
    primary_category,
    secondary_category,
    cast(rating as decimal(2, 1)) as rating,
    is_preferred,
    onboarded_date
from {{ ref('stg_app__vendors') }}

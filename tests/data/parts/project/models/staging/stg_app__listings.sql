select
    'PRT-' || lpad(cast(id as varchar), 5, '0')            as part_id,
    title                                                  as part_name,
    upper(mpn)                                             as manufacturer_part_number,
    lower(category_slug)                                   as category,
    nullif(trim(brand), '')                                as brand,
    'SUP-' || lpad(cast(vendor_id as varchar), 3, '0')     as supplier_id,
    lower(item_condition)                                  as condition,
    {{ cents_to_dollars('list_price_cents') }}             as list_price_usd,
    quoted_lead_time_days                                  as lead_time_days,
    cast(published_at as date)                             as listed_date
from {{ source('marketplace_app', 'listings') }}
where published_at is not null

with source as (
    select * from {{ source('marketplace_app', 'vendors') }}
),

reviews as (
    select vendor_id, round(avg(stars), 1) as rating
    from {{ source('marketplace_app', 'vendor_reviews') }}
    group by 1
)

select
    'SUP-' || lpad(cast(source.id as varchar), 3, '0')     as supplier_id,
    source.display_name                                    as supplier_name,
    source.country_name                                    as country,
    lower(source.vendor_type)                              as supplier_type,
    source.primary_category,
    source.secondary_category,
    reviews.rating,
    coalesce(source.is_preferred, false)                   as is_preferred,
    cast(source.approved_at as date)                       as onboarded_date
from source
left join reviews on reviews.vendor_id = source.id
where source.approved_at is not null

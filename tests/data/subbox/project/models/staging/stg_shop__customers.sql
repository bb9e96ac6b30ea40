with source as (
    select * from {{ source('shop', 'customers') }}
),

default_address as (
    select * from {{ source('shop', 'customer_addresses') }}
    where is_default
),

renamed as (
    select
        'CUS-' || lpad(cast(c.id as varchar), 5, '0')        as customer_id,
        trim(c.first_name) || ' ' || trim(c.last_name)        as customer_name,
        lower(c.email)                                        as email,
        cast(c.created_at as date)                            as signup_date,
        nullif(lower(c.utm_channel), '')                      as acquisition_channel,
        a.city                                                as city,
        a.province_code                                       as state_code,
        a.country_code                                        as country,
        coalesce(c.accepts_marketing, false)                  as marketing_opt_in,
        c.deleted_at
    from source c
    left join default_address a on a.customer_id = c.id
)

select *
from renamed
where deleted_at is null
  and email not like '%@{{ var("internal_email_domain") }}'
  and signup_date >= '{{ var("launch_date") }}'

with source as (
    select * from {{ source('marketplace_app', 'companies') }}
),

renamed as (
    select
        'BUY-' || lpad(cast(id as varchar), 4, '0')        as buyer_id,
        trim(legal_name)                                   as company_name,
        lower(nullif(trim(industry_code), ''))             as industry,
        lower(account_tier)                                as tier,
        billing_country_name                               as country,
        cast(created_at as date)                           as signup_date,
        lower(coalesce(payment_terms, 'prepaid'))          as payment_terms,
        {{ cents_to_dollars('credit_limit_cents') }}       as credit_limit_usd,
        kyb_verified_at is not null                        as is_verified
    from source
    where id not in ({{ var('test_company_ids') | join(', ') }})
)

select * from renamed

with charges as (
    select * from {{ source('stripe', 'charge') }}
)

select
    'PAY-' || lpad(cast(metadata_payment_number as varchar), 6, '0') as payment_id,
    id                                                     as stripe_charge_id,
    metadata_subscription_id                               as subscription_id,
    metadata_customer_id                                   as customer_id,
    cast(created as date)                                  as payment_date,
    case when metadata_billing_cycle = '0' then 'new' else 'renewal' end as payment_type,
    cast(metadata_attempt as integer)                      as attempt_number,
    case payment_method_type
        when 'card' then case when wallet_type = 'apple_pay' then 'apple_pay' else 'card' end
        else payment_method_type
    end                                                    as payment_method,
    case status when 'succeeded' then 'succeeded' else 'failed' end as payment_status,
    {{ cents_to_dollars('amount') }}                       as amount_usd
from charges
where livemode

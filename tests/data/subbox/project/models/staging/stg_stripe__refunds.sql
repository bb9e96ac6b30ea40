select
    id                                     as stripe_refund_id,
    charge_id                              as stripe_charge_id,
    cast(created as date)                  as refund_date,
    coalesce(metadata_reason, 'billing_error') as refund_reason,
    {{ cents_to_dollars('amount') }}       as refund_amount_usd
from {{ source('stripe', 'refund') }}
where status = 'succeeded'

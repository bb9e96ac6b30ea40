select
    'ORD-' || lpad(cast(id as varchar), 6, '0')            as order_id,
    'BUY-' || lpad(cast(company_id as varchar), 4, '0')    as buyer_id,
    'SUP-' || lpad(cast(vendor_id as varchar), 3, '0')     as supplier_id,
    case when rfq_id is not null
         then 'RFQ-' || lpad(cast(rfq_id as varchar), 5, '0') end as quote_id,
    cast(submitted_at as date)                             as order_date,
    lower(status)                                          as order_status,
    lower(coalesce(source_channel, 'web'))                 as order_channel,
    lower(payment_terms)                                   as payment_terms,
    coalesce(is_breakdown, false)                          as is_urgent,
    {{ cents_to_dollars('freight_charged_cents') }}        as freight_charged_usd
from {{ source('marketplace_app', 'purchase_orders') }}
where cast(submitted_at as date) >= cast('{{ var("go_live_date") }}' as date)
  and company_id not in ({{ var('test_company_ids') | join(', ') }})

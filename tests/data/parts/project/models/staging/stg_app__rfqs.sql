select
    'RFQ-' || lpad(cast(id as varchar), 5, '0')            as rfq_id,
    'BUY-' || lpad(cast(company_id as varchar), 4, '0')    as buyer_id,
    'SUP-' || lpad(cast(vendor_id as varchar), 3, '0')     as supplier_id,
    'PRT-' || lpad(cast(listing_id as varchar), 5, '0')    as part_id,
    cast(requested_at as date)                             as requested_date,
    cast(quoted_at as date)                                as responded_date,
    round(date_diff('minute', requested_at, quoted_at) / 60.0, 1) as response_hours,
    quantity                                               as quantity_requested,
    {{ cents_to_dollars('quoted_total_cents') }}           as quoted_amount_usd,
    lower(status)                                          as quote_status
from {{ source('marketplace_app', 'rfqs') }}

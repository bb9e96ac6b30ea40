select
    rfq_id,
    buyer_id,
    supplier_id,
    part_id,
    requested_date,
    responded_date,
    response_hours,
    quantity_requested,
    quoted_amount_usd,
    quote_status
from {{ ref('stg_app__rfqs') }}

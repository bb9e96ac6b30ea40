select
    'RMA-' || lpad(cast(id as varchar), 5, '0')            as return_id,
    'ORD-' || lpad(cast(purchase_order_id as varchar), 6, '0') || '-' || cast(item_position as varchar) as order_line_id,
    cast(requested_at as date)                             as return_date,
    lower(reason_code)                                     as return_reason,
    lower(status)                                          as return_status,
    quantity                                               as returned_quantity,
    case lower(status)
        when 'approved' then {{ cents_to_dollars('credit_note_cents') }}
        when 'rejected' then 0
    end                                                    as refund_amount_usd
from {{ source('marketplace_app', 'rmas') }}

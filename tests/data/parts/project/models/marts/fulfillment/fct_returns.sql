with rmas as (
    select * from {{ ref('stg_app__rmas') }}
),

lines as (
    select order_line_id, order_id, part_id, buyer_id, supplier_id from {{ ref('int_order_lines_priced') }}
)

select
    rmas.return_id,
    rmas.order_line_id,
    lines.order_id,
    lines.part_id,
    lines.buyer_id,
    lines.supplier_id,
    rmas.return_date,
    rmas.return_reason,
    rmas.return_status,
    rmas.returned_quantity,
    rmas.refund_amount_usd
from rmas
inner join lines on lines.order_line_id = rmas.order_line_id

-- an order is with one supplier: every line's listing belongs to that supplier
select l.order_line_id
from {{ ref('fct_order_lines') }} l
join {{ ref('fct_orders') }} o on o.order_id = l.order_id
join {{ ref('dim_parts') }} p on p.part_id = l.part_id
where p.supplier_id <> o.supplier_id

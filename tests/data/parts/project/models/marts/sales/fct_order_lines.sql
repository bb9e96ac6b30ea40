select * from {{ ref('int_order_lines_priced') }}

-- one row per day and open invoice of a buyer on net terms (open = issued, not yet fully paid)
with invoices as (
    select * from {{ ref('stg_netsuite__invoices') }}
),

days as (
    select date_day from {{ ref('metricflow_time_spine') }}
    where date_day between cast('{{ var("go_live_date") }}' as date) and current_date - 1
)

select
    days.date_day as snapshot_date,
    invoices.buyer_id,
    invoices.invoice_id,
    invoices.invoice_amount_usd,
    invoices.due_date < days.date_day as is_overdue
from days
inner join invoices
    on invoices.invoice_date <= days.date_day
   and (invoices.paid_date is null or invoices.paid_date > days.date_day)

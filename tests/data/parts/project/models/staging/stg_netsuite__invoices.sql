with invoices as (
    select * from {{ source('netsuite', 'invoices') }}
),

payments as (
    select invoice_id, max(cast(applied_at as date)) as paid_date, sum(amount) as paid_amount
    from {{ source('netsuite', 'customer_payments') }}
    group by 1
)

select
    invoices.id                                            as invoice_id,
    'BUY-' || lpad(cast(invoices.customer_external_id as varchar), 4, '0') as buyer_id,
    'ORD-' || lpad(cast(invoices.po_external_id as varchar), 6, '0')       as order_id,
    cast(invoices.tran_date as date)                       as invoice_date,
    cast(invoices.due_date as date)                        as due_date,
    case when payments.paid_amount >= invoices.total then payments.paid_date end as paid_date,
    invoices.total                                         as invoice_amount_usd
from invoices
left join payments on payments.invoice_id = invoices.id
where invoices.status <> 'voided'

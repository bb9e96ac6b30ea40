{{
    config(
        materialized='incremental',
        unique_key=['snapshot_date', 'buyer_id'],
        on_schema_change='append_new_columns'
    )
}}

-- daily AR snapshot per buyer on net terms (every day since the buyer signed up, zero balances included)
with buyers as (
    select buyer_id, payment_terms, credit_limit_usd, signup_date
    from {{ ref('dim_buyers') }}
    where payment_terms in ('net30', 'net60')
),

days as (
    select date_day from {{ ref('metricflow_time_spine') }}
    where date_day between cast('{{ var("go_live_date") }}' as date) and current_date - 1
    {% if is_incremental() %}
      and date_day > (select max(snapshot_date) from {{ this }})
    {% endif %}
),

open_invoices as (
    select * from {{ ref('int_invoices_open_daily') }}
)

select
    days.date_day                                                          as snapshot_date,
    buyers.buyer_id,
    buyers.payment_terms,
    buyers.credit_limit_usd,
    coalesce(sum(open_invoices.invoice_amount_usd), 0)                     as open_balance_usd,
    coalesce(sum(case when open_invoices.is_overdue then open_invoices.invoice_amount_usd end), 0) as overdue_balance_usd,
    count(open_invoices.invoice_id)                                        as open_invoices
from buyers
inner join days on days.date_day >= buyers.signup_date
left join open_invoices
    on open_invoices.buyer_id = buyers.buyer_id
   and open_invoices.snapshot_date = days.date_day
group by 1, 2, 3, 4

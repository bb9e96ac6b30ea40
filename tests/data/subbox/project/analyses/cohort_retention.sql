-- ad-hoc: share of each signup-month cohort still receiving boxes N months later
with first_box as (
    select customer_id, date_trunc('month', min(shipped_date)) as cohort_month
    from {{ ref('fct_shipments') }}
    group by 1
),
activity as (
    select distinct customer_id, date_trunc('month', shipped_date) as active_month
    from {{ ref('fct_shipments') }}
)
select f.cohort_month,
       datediff('month', f.cohort_month, a.active_month) as months_since_first_box,
       count(distinct a.customer_id) as customers
from first_box f
join activity a using (customer_id)
group by 1, 2
order by 1, 2

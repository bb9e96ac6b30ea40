-- GMV by signup cohort (quarter) and order month, for the quarterly board deck
select
    date_trunc('quarter', b.signup_date) as signup_cohort,
    date_trunc('month', o.order_date)    as order_month,
    count(distinct o.buyer_id)           as ordering_buyers,
    sum(o.order_total_usd)               as gmv
from {{ ref('fct_orders') }} o
join {{ ref('dim_buyers') }} b on b.buyer_id = o.buyer_id
where o.order_status <> 'cancelled'
group by 1, 2
order by 1, 2

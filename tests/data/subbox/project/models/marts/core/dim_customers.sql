{{ config(materialized='table') }}

with customers as (
    select * from {{ ref('stg_shop__customers') }}
),

regions as (
    select * from {{ ref('region_by_state') }}
)

select
    c.customer_id,
    c.customer_name,
    c.signup_date,
    c.acquisition_channel,
    coalesce(r.region, case when c.country = 'CA' then 'Canada' end) as region,
    c.country,
    c.city,
    c.marketing_opt_in
from customers c
left join regions r
    on r.country_code = c.country
   and r.state_code = c.state_code

{{ config(
    materialized='incremental',
    unique_key='inventory_snapshot_key',
    on_schema_change='fail'
) }}

with inventory as (
    select * from {{ ref('stg_wms__inventory_eod') }}
    {% if is_incremental() %}
    where snapshot_date > (select max(snapshot_date) from {{ this }})
    {% endif %}
),

products as (
    select product_id, unit_cogs from {{ ref('dim_products') }}
)

select
    i.warehouse_id || '|' || i.product_id || '|' || strftime(i.snapshot_date, '%Y%m%d') as inventory_snapshot_key,
    i.snapshot_date,
    i.warehouse_id,
    i.product_id,
    i.units_on_hand,
    i.units_reserved,
    p.unit_cogs,
    cast(i.units_on_hand * p.unit_cogs as decimal(12, 2)) as inventory_value_usd
from inventory i
left join products p on p.product_id = i.product_id

with shipments as (
    select * from {{ ref('stg_shop__box_shipments') }}
),

subscriptions as (
    select subscription_id, customer_id, plan_id from {{ ref('stg_shop__subscriptions') }}
)

select
    sh.shipment_id,
    sh.subscription_id,
    su.customer_id,
    su.plan_id,
    sh.warehouse_id,
    sh.box_number,
    sh.shipped_date,
    case when sh.tracking_status = 'delivered' then sh.delivered_date end                   as delivered_date,
    case when sh.tracking_status = 'delivered' then sh.delivered_date - sh.shipped_date end as days_in_transit,
    sh.carrier,
    sh.tracking_status as shipment_status,
    sh.shipping_cost_usd
from shipments sh
left join subscriptions su on su.subscription_id = sh.subscription_id

with shipments as (
    select * from {{ source('shiphawk', 'shipments') }}
),

delivered as (
    select shipment_id, min(cast(event_at as date)) as delivered_date
    from {{ source('shiphawk', 'tracking_events') }}
    where event_type = 'delivered'
    group by 1
),

service_levels as (
    select * from {{ ref('carrier_service_levels') }}
)

select
    'SHP-' || lpad(cast(shipments.id as varchar), 6, '0')                as shipment_id,
    'ORD-' || lpad(cast(shipments.external_order_id as varchar), 6, '0') as order_id,
    service_levels.carrier_name                                          as carrier,
    coalesce(service_levels.ship_mode, 'ltl')                            as ship_mode,
    cast(shipments.picked_up_at as date)                                 as shipped_date,
    cast(shipments.picked_up_at as date)
        + coalesce(service_levels.promised_transit_days, 6)              as promised_date,
    delivered.delivered_date,
    case when delivered.delivered_date is not null then 'delivered'
         when shipments.exception_code is not null then 'exception'
         else 'in_transit' end                                           as shipment_status,
    {{ cents_to_dollars('total_charge_cents') }}                         as shipping_cost_usd,
    shipments.billed_weight_kg                                           as weight_kg
from shipments
left join service_levels on service_levels.carrier_code = shipments.service_code
left join delivered on delivered.shipment_id = shipments.id

with tickets as (
    select * from {{ source('zendesk', 'ticket') }}
    where requester_id not in ({{ var('zendesk_bot_requester_ids') | join(', ') }})
),

ratings as (
    select ticket_id, max(score) as csat_score
    from {{ source('zendesk', 'satisfaction_rating') }}
    where score is not null
    group by 1
),

metrics as (
    select ticket_id, reply_time_in_minutes_business as first_response_minutes, reopens
    from {{ source('zendesk', 'ticket_metric') }}
)

select
    'CS-' || lpad(cast(t.id as varchar), 6, '0')           as contact_id,
    t.custom_customer_id                                   as customer_id,
    t.custom_shipment_id                                   as shipment_id,
    cast(t.created_at as date)                             as contacted_date,
    case t.via_channel when 'web' then 'email' when 'native_messaging' then 'chat'
                       when 'voice' then 'phone' when 'any_channel' then 'social' else t.via_channel end as contact_channel,
    t.custom_contact_reason                                as contact_reason,
    m.first_response_minutes,
    (t.status in ('solved', 'closed') and coalesce(m.reopens, 0) = 0 and t.agent_replies <= 1) as is_resolved_first_contact,
    r.csat_score
from tickets t
left join ratings r on r.ticket_id = t.id
left join metrics m on m.ticket_id = t.id

select
    contact_id,
    customer_id,
    shipment_id,
    contacted_date,
    contact_channel,
    contact_reason,
    first_response_minutes,
    is_resolved_first_contact,
    csat_score
from {{ ref('stg_zendesk__tickets') }}

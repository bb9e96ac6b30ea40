with offers as (
    select *,
        row_number() over (partition by application_id order by version desc) as version_rank
    from {{ source('greenhouse', 'offer') }}
)

select
    id as greenhouse_offer_id,
    'OFF-' || lpad(cast(id % 100000 as varchar), 5, '0') as offer_id,
    application_id as greenhouse_application_id,
    cast(sent_at as date) as offer_extended_date,
    cast(resolved_at as date) as offer_responded_date,
    case lower(status)
        when 'accepted' then 'accepted'
        when 'rejected' then 'declined'      -- Greenhouse: the candidate rejected the offer
        when 'deprecated' then 'rescinded'
        else 'pending' end as offer_status,
    lower(custom_decline_reason) as decline_reason,
    currency as offer_currency,
    {{ to_usd('custom_base_salary', 'currency') }} as base_salary_usd,
    {{ to_usd('coalesce(custom_signing_bonus, 0)', 'currency') }} as signing_bonus_usd,
    version > 1 as was_negotiated,
    starts_at as expected_start_date
from offers
where version_rank = 1
  and sent_at is not null

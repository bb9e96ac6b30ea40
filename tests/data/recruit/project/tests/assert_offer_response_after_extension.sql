select offer_id
from {{ ref('fct_offers') }}
where offer_responded_date < offer_extended_date

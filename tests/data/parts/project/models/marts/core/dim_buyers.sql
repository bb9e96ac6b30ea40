select
    buyer_id,
    company_name,
    industry,
    tier,
    country,
    signup_date,
    payment_terms,
    credit_limit_usd,
    is_verified
from {{ ref('stg_app__companies') }}

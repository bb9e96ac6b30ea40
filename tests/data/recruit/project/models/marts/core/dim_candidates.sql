-- candidate profiles: everyone who applied since the go-live, and prospects sourced who never applied
select
    candidate_id,
    candidate_name,
    created_date,
    location_city,
    years_of_experience,
    is_former_employee,
    is_prospect,
    location_country
from {{ ref('stg_greenhouse__candidates') }}
where created_date >= cast('{{ var("ats_go_live_date") }}' as date)
   or not is_prospect

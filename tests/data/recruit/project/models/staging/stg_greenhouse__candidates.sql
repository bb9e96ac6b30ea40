with candidates as (
    select * from {{ source('greenhouse', 'candidate') }}
    where email_domain is distinct from '{{ var("test_candidate_emails_domain") }}'
),

addresses as (
    select candidate_id, city, country_code,
           row_number() over (partition by candidate_id order by updated_at desc) as rn
    from {{ source('greenhouse', 'candidate_address') }}
),

boomerangs as (
    select distinct candidate_id from {{ source('greenhouse', 'candidate_tag') }} where lower(tag) = 'boomerang'
)

select
    'CAN-' || lpad(cast(candidates.id % 100000 as varchar), 5, '0') as candidate_id,
    candidates.first_name || ' ' || candidates.last_name as candidate_name,
    cast(candidates.created_at as date) as created_date,
    nullif(trim(addresses.city), '') as location_city,
    addresses.country_code as location_country,
    candidates.custom_years_of_experience as years_of_experience,
    boomerangs.candidate_id is not null as is_former_employee,
    candidates.is_prospect_only as is_prospect
from candidates
left join addresses on addresses.candidate_id = candidates.id and addresses.rn = 1
left join boomerangs on boomerangs.candidate_id = candidates.id

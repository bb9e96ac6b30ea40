select
    employee_id,
    preferred_name as employee_name,
    supervisory_org_level_2 as department_name,
    business_title as job_title,
    is_manager as is_people_manager,
    case when location_name like 'Remote%' then 'Remote' else location_name end as office,
    cast(hire_date as date) as employee_hire_date,
    cast(termination_date as date) as termination_date
from {{ source('workday', 'worker') }}

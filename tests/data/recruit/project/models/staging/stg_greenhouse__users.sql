select
    id as greenhouse_user_id,
    employee_id,                         -- Workday id (EMP-####) for employees; NULL for agency users
    custom_recruiter_code as recruiter_id,   -- REC-## for members of the TA team
    first_name || ' ' || last_name as user_name,
    email,
    disabled as is_disabled
from {{ source('greenhouse', 'user') }}

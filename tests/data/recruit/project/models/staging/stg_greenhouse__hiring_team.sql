-- one recruiter and one hiring manager per job (the "responsible" member of each role)
select
    job_id as greenhouse_job_id,
    max(case when role = 'recruiter' and responsible then user_id end) as recruiter_user_id,
    max(case when role = 'hiring_manager' and responsible then user_id end) as hiring_manager_user_id
from {{ source('greenhouse', 'hiring_team') }}
group by 1

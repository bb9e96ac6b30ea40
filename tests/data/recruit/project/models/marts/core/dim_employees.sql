-- employees who can hire or interview: everyone in Workday with a Greenhouse user
with workers as (
    select * from {{ ref('stg_workday__workers') }}
),

departments as (
    select * from {{ ref('dim_departments') }}
)

select
    workers.employee_id,
    workers.employee_name,
    departments.department_id,
    workers.job_title,
    workers.is_people_manager,
    workers.office
from workers
join {{ ref('stg_greenhouse__users') }} users on users.employee_id = workers.employee_id
left join departments on departments.department_name = workers.department_name

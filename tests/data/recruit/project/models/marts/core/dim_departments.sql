-- departments that hire, with their division and Workday cost center
select
    d.id as department_id,
    d.name as department_name,
    case
        when d.name in ('Engineering', 'Product', 'Design', 'Data') then 'R&D'
        when d.name in ('Sales', 'Marketing', 'Customer Success') then 'Go-to-Market'
        else 'G&A'
    end as division,
    d.external_id as cost_center
from {{ source('greenhouse', 'department') }} d
where d.parent_id is null

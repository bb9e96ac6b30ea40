-- a requisition never hires more people than it has openings
select r.requisition_id, r.openings, count(h.hire_id) as hires
from {{ ref('dim_requisitions') }} r
join {{ ref('fct_hires') }} h on h.requisition_id = r.requisition_id
group by 1, 2
having count(h.hire_id) > r.openings

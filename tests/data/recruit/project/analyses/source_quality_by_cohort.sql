-- ad-hoc: hire yield and onsite rate by source and application quarter (asked by the VP TA, 2025-03)
select
    date_trunc('quarter', a.applied_date) as applied_quarter,
    a.source,
    count(*) as applications,
    avg(case when a.reached_onsite then 1.0 else 0 end) as onsite_rate,
    avg(case when a.application_status = 'hired' then 1.0 else 0 end) as hire_yield
from {{ ref('fct_applications') }} a
group by 1, 2
order by 1, 2

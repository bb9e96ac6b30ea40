-- an application leaves a stage on or after the day it entered it
select application_stage_id
from {{ ref('fct_application_stages') }}
where exited_date < entered_date

select
    application_id as greenhouse_application_id,
    {{ normalize_pipeline_stage('new_stage_name') }} as stage_name,
    cast(updated_at as date) as entered_date
from {{ source('greenhouse', 'application_history') }}
where new_stage_name is not null

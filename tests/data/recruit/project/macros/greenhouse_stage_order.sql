{#-
  Greenhouse stage names differ per job (each job has its own interview plan). TA ops maps every
  job stage to one of the six company-wide pipeline stages; this returns the stage's position.
-#}
{% macro greenhouse_stage_order(stage_col) -%}
    case {{ stage_col }}
        when 'application_review' then 1
        when 'recruiter_screen' then 2
        when 'hiring_manager_screen' then 3
        when 'assessment' then 4
        when 'onsite' then 5
        when 'offer' then 6
    end
{%- endmacro %}

{% macro normalize_pipeline_stage(stage_name_col) -%}
    case
        when lower({{ stage_name_col }}) like '%application review%' then 'application_review'
        when lower({{ stage_name_col }}) like '%recruiter%' or lower({{ stage_name_col }}) like '%phone screen%' then 'recruiter_screen'
        when lower({{ stage_name_col }}) like '%hiring manager%' then 'hiring_manager_screen'
        when lower({{ stage_name_col }}) like '%take home%' or lower({{ stage_name_col }}) like '%assessment%'
          or lower({{ stage_name_col }}) like '%case study%' or lower({{ stage_name_col }}) like '%portfolio%' then 'assessment'
        when lower({{ stage_name_col }}) like '%onsite%' or lower({{ stage_name_col }}) like '%final%'
          or lower({{ stage_name_col }}) like '%panel%' then 'onsite'
        when lower({{ stage_name_col }}) like '%offer%' then 'offer'
    end
{%- endmacro %}

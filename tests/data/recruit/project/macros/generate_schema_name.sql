{#-
  Use a model's custom schema as is (`analytics`, `staging`, `reference`) instead of dbt's default
  `<target_schema>_<custom_schema>`. Developers build into their own prefixed schemas so that a dev
  run never overwrites the production marts the dashboards read.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set default_schema = target.schema -%}
    {%- if custom_schema_name is none -%}
        {{ default_schema }}
    {%- elif target.name == 'dev' -%}
        {{ default_schema }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

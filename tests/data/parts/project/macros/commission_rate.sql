{# commission Gearbridge charges the supplier on an order's parts subtotal #}
{% macro commission_rate(is_preferred_column) -%}
    case when {{ is_preferred_column }}
         then {{ var('commission_rate_preferred') }}
         else {{ var('commission_rate_standard') }} end
{%- endmacro %}

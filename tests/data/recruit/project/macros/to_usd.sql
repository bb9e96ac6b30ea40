{#- Offers are made in the office's currency; the marts report USD at the month's plan rate (seed-free: fixed plan rates FY24/25). -#}
{% macro to_usd(amount_col, currency_col) -%}
    round({{ amount_col }} * case {{ currency_col }}
        when 'USD' then 1.0
        when 'CAD' then 0.73
        when 'EUR' then 1.08
    end, 2)
{%- endmacro %}

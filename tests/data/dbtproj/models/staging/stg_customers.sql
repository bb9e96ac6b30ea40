select id as customer_id, name as customer_name, region from {{ ref('raw_customers') }}

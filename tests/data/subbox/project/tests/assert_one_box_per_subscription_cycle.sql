select subscription_id, box_number, count(*) as boxes
from {{ ref('fct_shipments') }}
group by 1, 2
having count(*) > 1

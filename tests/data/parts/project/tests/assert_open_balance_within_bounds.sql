-- overdue can never exceed the open balance
select snapshot_date, buyer_id
from {{ ref('fct_receivables_daily') }}
where overdue_balance_usd > open_balance_usd or open_balance_usd < 0

{{ config(materialized='table') }}

-- one row per day, 2023-01-01 .. 2026-12-31: MetricFlow joins to it for cumulative metrics
-- (running totals, trailing windows, month/year to date) and offsets (growth vs prior month)
with days as (
    {{ dbt_utils.date_spine(
        datepart="day",
        start_date="cast('2023-01-01' as date)",
        end_date="cast('2027-01-01' as date)"
    ) }}
)

select cast(date_day as date) as date_day
from days

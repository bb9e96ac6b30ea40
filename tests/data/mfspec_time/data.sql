-- Time spine traps: a daily spine (2024-12-01 .. 2025-06-30) with a fiscal
-- quarter (the fiscal year starts on 1 February) and a retail week (weeks start
-- on Sunday), and sales with gaps: no rows in December, February or June, no
-- rows on most days, a week with none (2025-01-07 .. 2025-01-19). A second,
-- monthly spine ends in May: reports by month use it (the coarsest spine no
-- coarser than the report's grain, as MetricFlow chooses), so June is absent.
CREATE SCHEMA bronze;
CREATE TABLE bronze.time_spine_daily AS
SELECT CAST(d AS DATE) AS date_day,
       CAST(CASE WHEN month(d) = 1 THEN make_date(year(d) - 1, 11, 1)
                 ELSE make_date(year(d), 2 + 3 * ((month(d) - 2) // 3), 1) END AS DATE) AS fiscal_quarter_start,
       CAST(d - to_days(CAST(dayofweek(d) AS INTEGER)) AS DATE) AS retail_week_start
FROM generate_series(TIMESTAMP '2024-12-01', TIMESTAMP '2025-06-30', INTERVAL 1 DAY) AS g(d);
CREATE TABLE bronze.time_spine_monthly AS
SELECT DISTINCT CAST(date_trunc('month', date_day) AS DATE) AS date_month
FROM bronze.time_spine_daily WHERE date_day < DATE '2025-06-01';
CREATE TABLE bronze.sales AS SELECT * FROM (VALUES
  (1, DATE '2025-01-02', 10.0, 'web'), (2, DATE '2025-01-02', 5.0, 'store'), (3, DATE '2025-01-03', 7.0, 'web'),
  (4, DATE '2025-01-06', 4.0, 'web'), (5, DATE '2025-01-20', 8.0, 'store'), (6, DATE '2025-01-31', 1.0, 'web'),
  (7, DATE '2025-03-01', 6.0, 'web'), (8, DATE '2025-03-03', 9.0, 'web'), (9, DATE '2025-03-15', 3.0, 'store'),
  (10, DATE '2025-03-31', 2.0, 'web'), (11, DATE '2025-04-01', 12.0, 'web'), (12, DATE '2025-04-02', 2.0, 'store'),
  (13, DATE '2025-05-05', 20.0, 'web')) t(sale_id, sold_on, amount, channel);

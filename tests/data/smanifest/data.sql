-- The semantic manifest fixture's world: a shop with customers, orders,
-- visits (a conversion funnel on customer and device), daily account
-- balances (semi-additive), a customer tier history (SCD type 2) and a
-- daily time spine with a fiscal quarter column. A decoy schema holds
-- tables with the same names, as dbt seeds beside models do: only the
-- manifest's node_relation (or schema.table) says which one is meant.
CREATE SCHEMA shop;
CREATE SCHEMA raw;
CREATE TABLE raw.customers AS SELECT * FROM (VALUES (1, 'seed')) t(id, note);
CREATE TABLE raw.orders AS SELECT * FROM (VALUES (1, 'seed')) t(id, note);
CREATE TABLE shop.customers AS SELECT * FROM (VALUES
  (1, 'north', DATE '2024-11-02'), (2, 'south', DATE '2024-12-15'), (3, 'north', DATE '2025-01-20'),
  (4, NULL, DATE '2025-02-01')) t(customer_id, region, signup_date);
CREATE TABLE shop.orders AS SELECT * FROM (VALUES
  (10, 1, DATE '2025-01-03', 120.0, 'paid', 'web'), (11, 1, DATE '2025-01-20', 30.0, 'paid', 'app'),
  (12, 2, DATE '2025-02-02', 75.5, 'void', 'web'), (13, 3, DATE '2025-02-15', 60.0, 'paid', 'web'),
  (14, 2, DATE '2025-03-01', 45.0, 'paid', 'app'), (15, 4, DATE '2025-03-10', 200.0, 'pending', 'web'),
  (16, 3, DATE '2025-04-04', 55.0, 'paid', 'app')) t(order_id, customer_id, ordered_at, amount, status, device);
CREATE TABLE shop.visits AS SELECT * FROM (VALUES
  (1, 1, DATE '2025-01-01', 'web'), (2, 1, DATE '2025-01-18', 'app'), (3, 2, DATE '2025-01-30', 'web'),
  (4, 3, DATE '2025-02-14', 'web'), (5, 2, DATE '2025-02-27', 'web'), (6, 4, DATE '2025-03-09', 'web'),
  (7, 3, DATE '2025-03-30', 'app'), (8, 1, DATE '2025-04-02', 'web')) t(visit_id, customer_id, visited_at, device);
CREATE TABLE shop.balances AS SELECT * FROM (VALUES
  (100, 1, DATE '2025-01-31', 500.0), (100, 1, DATE '2025-02-28', 450.0), (101, 1, DATE '2025-01-31', 20.0),
  (102, 2, DATE '2025-01-31', 300.0), (102, 2, DATE '2025-02-28', 350.0), (103, 3, DATE '2025-02-28', 80.0))
  t(account_id, customer_id, as_of, balance);
CREATE TABLE shop.tier_history AS SELECT * FROM (VALUES
  (1, 'silver', DATE '2024-11-02', DATE '2025-02-01'), (1, 'gold', DATE '2025-02-01', NULL),
  (2, 'silver', DATE '2024-12-15', NULL), (3, 'bronze', DATE '2025-01-20', NULL)) t(customer_id, tier, valid_from, valid_to);
CREATE TABLE shop.time_spine_daily AS SELECT CAST(d AS DATE) AS date_day,
  'FY' || CAST(year(d + INTERVAL 1 MONTH) AS VARCHAR) || '-Q' || CAST(quarter(d + INTERVAL 1 MONTH) AS VARCHAR) AS fiscal_quarter
  FROM range(DATE '2024-10-01', DATE '2025-07-01', INTERVAL 1 DAY) t(d);

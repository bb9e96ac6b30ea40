-- dbt project test catalog (tests/data/dbtproj): the database as `dbt seed`
-- and `dbt build` leave it, plus a decoy.
--
--   raw.orders, raw.customers            seeds (raw_orders/raw_customers, alias orders/customers):
--                                        raw columns, amounts in cents
--   analytics.stg_orders, stg_customers  staging views
--   analytics.orders, analytics.customers the models the semantic models ref()
--   main.orders, main.customers          a decoy: an old hand-made copy (3 orders of 1000)
--
-- Order totals: analytics 265.75 (8 orders, 4 of at least 30); main 3000 (3 orders).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE OR REPLACE TABLE raw.orders AS
SELECT * FROM (VALUES
  (1, 1, '2025-03-02', 1000, 'completed'),
  (2, 2, '2025-03-05', 2550, 'completed'),
  (3, 1, '2025-03-09', 4000, 'completed'),
  (4, 3, '2025-04-01', 525, 'returned'),
  (5, 2, '2025-04-12', 6000, 'completed'),
  (6, 4, '2025-04-20', 1200, 'completed'),
  (7, 3, '2025-05-03', 3300, 'completed'),
  (8, 4, '2025-05-28', 8000, 'completed')
) AS t(id, customer, order_date, amount_cents, status);

CREATE OR REPLACE TABLE raw.customers AS
SELECT * FROM (VALUES (1, 'Ada', 'EU'), (2, 'Ben', 'US'), (3, 'Chloe', 'EU'), (4, 'Dev', 'APAC'))
  AS t(id, name, region);

CREATE OR REPLACE VIEW analytics.stg_orders AS
SELECT id AS order_id, customer AS customer_id, CAST(order_date AS DATE) AS ordered_at,
       CAST(amount_cents / 100.0 AS DECIMAL(10, 2)) AS amount, status
FROM raw.orders;

CREATE OR REPLACE VIEW analytics.stg_customers AS
SELECT id AS customer_id, name AS customer_name, region FROM raw.customers;

CREATE OR REPLACE TABLE analytics.orders AS SELECT * FROM analytics.stg_orders;
CREATE OR REPLACE TABLE analytics.customers AS SELECT * FROM analytics.stg_customers;

CREATE OR REPLACE TABLE main.orders AS
SELECT * FROM (VALUES
  (101, 1, DATE '2025-03-01', CAST(1000 AS DECIMAL(10, 2)), 'completed'),
  (102, 2, DATE '2025-03-02', CAST(1000 AS DECIMAL(10, 2)), 'completed'),
  (103, 3, DATE '2025-03-03', CAST(1000 AS DECIMAL(10, 2)), 'completed')
) AS t(order_id, customer_id, ordered_at, amount, status);

CREATE OR REPLACE TABLE main.customers AS
SELECT * FROM (VALUES (1, 'Ada', 'EU'), (2, 'Ben', 'US'), (3, 'Chloe', 'EU')) AS t(customer_id, customer_name, region);

-- The tables dbt builds for dbt-labs/jaffle-sl-template (staging models and
-- marts, same names and columns), with small data written for the tests: it
-- is not the project's seed data. tests/e2e/jaffle.sh loads the project's own
-- semantic models over it. Traps: no order in March 2025 (a month without
-- rows between two with rows, for period over period and cumulative
-- windows), an order on 27 February whose 7-day window reaches into March,
-- orders on the first and last day of a month, customers with one order
-- ('new') and with several, a customer and a location without orders,
-- order_total of 20 and more (large orders), drinks-only orders.
CREATE TABLE stg_customers AS SELECT * FROM (VALUES
  (1, 'Ann Lee'), (2, 'Bo Chan'), (3, 'Cy Park'), (4, 'Di Moss'), (5, 'Ed Fox'), (6, 'Fay Roe')) t(customer_id, customer_name);
CREATE TABLE stg_locations AS SELECT location_id, location_name, tax_rate, CAST(opened_at AS TIMESTAMP) AS opened_at FROM (VALUES
  (1, 'Philadelphia', 0.06, DATE '2024-09-01'), (2, 'Brooklyn', 0.04, DATE '2025-01-15'),
  (3, 'Chicago', 0.05, DATE '2025-03-01')) t(location_id, location_name, tax_rate, opened_at);
CREATE TABLE stg_products AS SELECT product_id, product_name, product_type, product_description,
  CAST(price AS DECIMAL(16, 2)) AS product_price,
  CASE WHEN product_type = 'jaffle' THEN 1 ELSE 0 END AS is_food_item,
  CASE WHEN product_type = 'beverage' THEN 1 ELSE 0 END AS is_drink_item
FROM (VALUES
  ('JAF-001', 'nutellaphone', 'jaffle', 'hazelnut and chocolate toastie', 11.00),
  ('JAF-002', 'doctor stew', 'jaffle', 'beef stew toastie', 12.00),
  ('BEV-001', 'tangaroo', 'beverage', 'mango juice', 6.00),
  ('BEV-002', 'chai and mighty', 'beverage', 'spiced tea', 5.00)) t(product_id, product_name, product_type, product_description, price);
CREATE TABLE stg_supplies AS SELECT supply_id || '-' || product_id AS supply_uuid, supply_id, product_id, supply_name,
  CAST(cost AS DECIMAL(16, 2)) AS supply_cost, is_perishable_supply
FROM (VALUES
  (1, 'JAF-001', 'bread', 0.50, false), (2, 'JAF-001', 'hazelnut spread', 1.25, false),
  (1, 'JAF-002', 'bread', 0.50, false), (3, 'JAF-002', 'stew', 2.75, true),
  (4, 'BEV-001', 'cup', 0.20, false), (5, 'BEV-001', 'mango', 1.10, true),
  (4, 'BEV-002', 'cup', 0.20, false), (6, 'BEV-002', 'tea', 0.80, false)) t(supply_id, product_id, supply_name, cost, is_perishable_supply);
CREATE TABLE stg_order_items AS SELECT * FROM (VALUES
  (1, 1, 'JAF-001'), (2, 1, 'BEV-001'), (3, 2, 'BEV-002'), (4, 3, 'JAF-002'), (5, 3, 'JAF-001'), (6, 3, 'BEV-001'),
  (7, 4, 'JAF-002'), (8, 5, 'JAF-001'), (9, 5, 'JAF-002'), (10, 6, 'BEV-002'), (11, 7, 'BEV-001'), (12, 7, 'BEV-002'),
  (13, 8, 'JAF-001'), (14, 9, 'BEV-001'), (15, 9, 'JAF-002'), (16, 9, 'JAF-001'), (17, 10, 'BEV-002'))
  t(order_item_id, order_id, product_id);
-- order_total and tax_paid as the shop's system would record them: the
-- items' prices plus the location's tax, rounded to cents
CREATE TABLE stg_orders AS
WITH o(order_id, location_id, customer_id, day) AS (VALUES
  (1, 1, 1, DATE '2025-01-03'), (2, 1, 2, DATE '2025-01-03'), (3, 2, 1, DATE '2025-01-17'), (4, 2, 3, DATE '2025-01-31'),
  (5, 1, 2, DATE '2025-02-01'), (6, 2, 4, DATE '2025-02-14'), (7, 1, 1, DATE '2025-02-27'),
  (8, 1, 3, DATE '2025-04-02'), (9, 2, 2, DATE '2025-04-05'), (10, 1, 5, DATE '2025-04-30')),
sub AS (SELECT i.order_id, sum(p.product_price) AS subtotal FROM stg_order_items i JOIN stg_products p USING (product_id) GROUP BY 1)
SELECT o.order_id, o.location_id, o.customer_id,
  CAST(sub.subtotal + round(sub.subtotal * l.tax_rate, 2) AS DECIMAL(16, 2)) AS order_total,
  CAST(round(sub.subtotal * l.tax_rate, 2) AS DECIMAL(16, 2)) AS tax_paid,
  CAST(o.day AS TIMESTAMP) AS ordered_at
FROM o JOIN sub USING (order_id) JOIN stg_locations l USING (location_id);
-- the marts, built from the staging tables the way the project's models do
CREATE TABLE order_items AS
SELECT i.*, p.product_price, s.supply_cost, p.is_food_item, p.is_drink_item, o.ordered_at
FROM stg_order_items i
LEFT JOIN stg_orders o ON i.order_id = o.order_id
LEFT JOIN stg_products p ON i.product_id = p.product_id
LEFT JOIN (SELECT product_id, sum(supply_cost) AS supply_cost FROM stg_supplies GROUP BY 1) s ON i.product_id = s.product_id;
CREATE TABLE orders AS
SELECT o.*, s.count_food_items > 0 AS is_food_order, s.count_drink_items > 0 AS is_drink_order, s.order_cost
FROM stg_orders o
LEFT JOIN (SELECT order_id, sum(supply_cost) AS order_cost, sum(is_food_item) AS count_food_items,
                  sum(is_drink_item) AS count_drink_items
           FROM order_items GROUP BY 1) s ON o.order_id = s.order_id;
CREATE TABLE customers AS
WITH summary AS (
  SELECT o.customer_id, count(DISTINCT o.order_id) AS count_lifetime_orders,
         count(DISTINCT o.order_id) > 1 AS is_repeat_buyer, min(o.ordered_at) AS first_ordered_at,
         max(o.ordered_at) AS last_ordered_at, sum(i.product_price) AS lifetime_spend_pretax,
         sum(o.order_total) AS lifetime_spend
  FROM orders o LEFT JOIN order_items i ON o.order_id = i.order_id GROUP BY 1)
SELECT c.*, s.count_lifetime_orders, s.first_ordered_at, s.last_ordered_at, s.lifetime_spend_pretax, s.lifetime_spend,
       CASE WHEN s.is_repeat_buyer THEN 'returning' ELSE 'new' END AS customer_type
FROM stg_customers c LEFT JOIN summary s ON c.customer_id = s.customer_id;
-- the time spine model: one row per day, with the project's custom grain
CREATE TABLE time_spine AS
SELECT CAST(d AS DATE) AS date_day, CAST(date_trunc('quarter', d) AS DATE) AS almost_fiscal_quarter
FROM generate_series(TIMESTAMP '2024-12-01', TIMESTAMP '2025-06-30', INTERVAL 1 DAY) AS g(d);

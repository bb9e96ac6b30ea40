-- A tiny world for compiler tests: fan-out (orders -> items), chasm (orders and visits
-- share customers), an orphan customer (9), a NULL region (customer 3), an order whose
-- units sum to 0 (order 15), multi-hop joins (items -> orders -> customers).
CREATE SCHEMA bronze;
CREATE TABLE bronze.customers AS SELECT * FROM (VALUES (1, 'north', 'gold'), (2, 'south', 'silver'), (3, NULL, 'gold')) t(customer_id, region, tier);
CREATE TABLE bronze.orders AS SELECT * FROM (VALUES
  (10, 1, DATE '2025-01-03', 'done'), (11, 1, DATE '2025-01-20', 'done'), (12, 2, DATE '2025-02-02', 'void'),
  (13, 3, DATE '2025-02-15', 'done'), (14, 9, DATE '2025-03-01', 'done'), (15, 2, DATE '2025-03-10', 'pending')) t(order_id, customer_id, ordered_on, status);
CREATE TABLE bronze.items AS SELECT i.*, o.ordered_on FROM (VALUES
  (100, 10, 2, 5.0), (101, 10, 1, 10.0), (102, 11, 3, 1.0), (103, 12, 1, 7.5), (104, 13, 4, 2.5), (105, 13, 1, 0.0), (106, 14, 2, 3.0), (107, 15, 0, 4.0)) i(item_id, order_id, qty, price) JOIN bronze.orders o USING (order_id);
CREATE TABLE bronze.visits AS SELECT * FROM (VALUES
  (1, 1, DATE '2025-01-02'), (2, 1, DATE '2025-01-19'), (3, 2, DATE '2025-02-01'), (4, 3, DATE '2025-02-10'), (5, 3, DATE '2025-03-05')) t(visit_id, customer_id, visited_on);

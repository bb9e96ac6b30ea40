-- Join paths for tests/e2e/joins.sh: two facts reach the cities' country by
-- different routes (buyers directly, sales through stores, refunds through
-- sales and stores: 1, 2 and 3 hops), and deliveries reach it by two routes
-- of the same length (the store's city and the buyer's city), which must be
-- asked about, never picked. Buyer 5 lives in a city (30) of no store, so the
-- buyers' country and the stores' country differ in their totals.
CREATE SCHEMA bronze;
CREATE TABLE bronze.cities AS SELECT * FROM (VALUES
  (10, 'Lyon', 'France'), (11, 'Paris', 'France'), (20, 'Porto', 'Portugal'), (30, 'Ghent', 'Belgium')) t(city_id, city_name, country);
CREATE TABLE bronze.stores AS SELECT * FROM (VALUES
  (1, 'Rue A', 10), (2, 'Rue B', 11), (3, 'Rua C', 20)) t(store_id, store_name, city_id);
CREATE TABLE bronze.buyers AS SELECT * FROM (VALUES
  (100, 10, DATE '2025-01-05'), (101, 11, DATE '2025-01-20'), (102, 20, DATE '2025-02-02'),
  (103, 20, DATE '2025-02-10'), (104, 30, DATE '2025-03-01'), (105, NULL, DATE '2025-03-03')) t(buyer_id, city_id, joined_on);
CREATE TABLE bronze.sales AS SELECT * FROM (VALUES
  (1000, 1, 100, 20.0, DATE '2025-01-06'), (1001, 1, 102, 35.0, DATE '2025-01-07'), (1002, 2, 101, 12.5, DATE '2025-02-01'),
  (1003, 3, 103, 40.0, DATE '2025-02-11'), (1004, 3, 104, 8.0, DATE '2025-03-02'), (1005, 2, 104, 16.0, DATE '2025-03-09'),
  (1006, 9, 100, 5.0, DATE '2025-03-10')) t(sale_id, store_id, buyer_id, amount, sold_on);
CREATE TABLE bronze.refunds AS SELECT * FROM (VALUES
  (1, 1001, 10.0, DATE '2025-01-15'), (2, 1003, 40.0, DATE '2025-02-20'), (3, 1005, 6.0, DATE '2025-03-12'),
  (4, 1006, 5.0, DATE '2025-03-11')) t(refund_id, sale_id, refund_amount, refunded_on);
CREATE TABLE bronze.deliveries AS SELECT * FROM (VALUES
  (1, 1, 102, DATE '2025-01-08'), (2, 3, 100, DATE '2025-02-03'), (3, 2, 104, DATE '2025-03-04')) t(delivery_id, store_id, buyer_id, delivered_on);

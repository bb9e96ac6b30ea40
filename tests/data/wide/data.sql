-- The wide product's traps: an entity dataset whose key repeats (store 2 twice
-- with the same attributes, store 3 twice with different names), a fact row
-- whose store is missing (store 4), money with three decimals, a filtered
-- numerator, a name-like attribute that is not the first column and a boolean
-- attribute (store 3's rows disagree on it too); a channel key stored as text in
-- the sales and as an integer in the channels.
CREATE SCHEMA bronze;
CREATE TABLE bronze.stores AS SELECT * FROM (VALUES
  (1, 'big', 'north', 'North Store', DATE '2024-01-01', true),
  (2, 'small', 'south', 'South Store', DATE '2024-02-01', false),
  (2, 'small', 'south', 'South Store', DATE '2024-02-01', false),
  (3, 'big', 'east', 'East Store', DATE '2024-03-01', true),
  (3, 'big', 'east', 'East Store (renamed)', DATE '2024-03-01', false)) t(store_id, store_size, region, store_name, opened_on, flagship);
CREATE TABLE bronze.channels AS SELECT * FROM (VALUES (1, 'Web shop'), (2, 'Phone')) t(channel_id, channel_name);
CREATE TABLE bronze.sales AS SELECT sale_id, store_id, sold_on, CAST(amount AS DECIMAL(10, 3)) AS amount, units, returned,
  CAST(1 + sale_id % 2 AS VARCHAR) AS channel_code FROM (VALUES
  (1, 1, DATE '2025-01-03', 10.125, 2, false), (2, 1, DATE '2025-01-20', 5.5, 1, true), (3, 2, DATE '2025-01-05', 7.25, 3, false),
  (4, 2, DATE '2025-02-11', 1.001, 0, false), (5, 3, DATE '2025-02-14', 20.0, 4, true), (6, 4, DATE '2025-02-20', 3.333, 1, false),
  (7, 3, DATE '2025-03-02', 2.5, 1, false), (8, 1, DATE '2025-03-09', 0.0, 0, false)) t(sale_id, store_id, sold_on, amount, units, returned);

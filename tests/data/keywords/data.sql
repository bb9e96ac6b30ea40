-- A catalog whose tables, columns, entities and dimensions are named with SQL
-- keywords: reserved in PostgreSQL (order, user, offset, window, desc, group),
-- reserved only in DuckDB (qualify, pivot), type/function names (left),
-- column-name keywords (position, time, value). The compiler must quote each
-- where its engine needs it, for DuckDB and for PostgreSQL alike.
CREATE SCHEMA bronze;
CREATE TABLE bronze."window" AS SELECT * FROM (VALUES
  ('ann', 'red', 'tall'), ('bob', 'blue', 'short'), ('cy', 'red', 'short')) t("user", "pivot", "desc");
CREATE TABLE bronze."order" AS SELECT * FROM (VALUES
  (1, 'ann', 'port', 'front', DATE '2025-01-03', 'yes', 10.0, 'g1'),
  (2, 'ann', 'port', 'back',  DATE '2025-01-20', 'no',  4.5,  'g1'),
  (3, 'bob', 'starboard', 'front', DATE '2025-02-02', 'yes', 7.0, 'g2'),
  (4, 'cy',  'port', 'middle', DATE '2025-02-15', 'yes', 2.5, 'g2'),
  (5, 'dee', 'starboard', 'back', DATE '2025-03-01', 'no', 3.0, 'g3'),
  (6, 'bob', 'port', 'front', DATE '2025-03-10', 'yes', 0.0, 'g3'))
  t("offset", "user", "left", "position", "time", "qualify", "value", "group");

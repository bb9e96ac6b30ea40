-- Orphans test catalog: visits of listed items, where some visits name an
-- item the item list lacks (orphans) or no item at all, and an item has no
-- category (deterministic, no scale).
--
-- Tables (schema raw)                                                  rows
--   items   listed items, one without a category                          3
--   visits  visits 2025-01-08 (a Wednesday) .. 2025-02-25 (a Tuesday)    300
--
-- KNOWN DEFECTS (rows measured):
--   O1  visits.item_id = 'I9', an item the list lacks (orphan)           60
--   O2  visits.item_id IS NULL                                           60
--   O3  items.category IS NULL (item I3)                                  1
--   O4  visits.taps > visits.views: i % 11 = 0 (taps 20), i % 97 = 0 (taps 500)
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE raw.items (item_id VARCHAR PRIMARY KEY, item_name VARCHAR, category VARCHAR);
INSERT INTO raw.items VALUES ('I1', 'Lamp', 'home'), ('I2', 'Desk', 'office'), ('I3', 'Mug', NULL);
CREATE TABLE raw.visits (visit_id INTEGER PRIMARY KEY, item_id VARCHAR, visit_date DATE, views INTEGER, taps INTEGER);
INSERT INTO raw.visits
SELECT i,
       CASE i % 5 WHEN 0 THEN 'I1' WHEN 1 THEN 'I2' WHEN 2 THEN 'I3' WHEN 3 THEN 'I9' ELSE NULL END,
       CAST(DATE '2025-01-08' + CAST(i % 49 AS INTEGER) AS DATE),
       10 + i % 7,
       CASE WHEN i % 97 = 0 THEN 500 WHEN i % 11 = 0 THEN 20 ELSE i % 4 END
FROM range(0, 300) AS t(i);

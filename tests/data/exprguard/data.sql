-- Exprguard test catalog: one table of rows the catalog declares (raw.events)
-- and one it does not (private.secret), which no catalog expression may read
-- (issue 13 item 5.2). Deterministic, no scale.
--
-- Tables                                                              rows
--   raw.events      events 2025-01-01 .. 2025-03-31, 3 kinds             90
--   private.secret  a value no catalog element declares                   1
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS private;
CREATE TABLE raw.events (event_id INTEGER PRIMARY KEY, account_id INTEGER, kind VARCHAR, amount DECIMAL(10, 2),
                         created_at DATE, note VARCHAR);
INSERT INTO raw.events
SELECT i, i % 7, CASE i % 3 WHEN 0 THEN 'click' WHEN 1 THEN 'view' ELSE 'buy' END,
       CAST(i % 13 + 0.5 AS DECIMAL(10, 2)), CAST(DATE '2025-01-01' + CAST(i AS INTEGER) AS DATE),
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'n' || i END
FROM range(0, 90) AS t(i);
CREATE TABLE private.secret (x INTEGER, token VARCHAR);
INSERT INTO private.secret VALUES (424242, 'top-secret-token');

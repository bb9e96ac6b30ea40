-- Limits test catalog: tables whose profile or test run would take
-- unbounded time or memory without the limits (issue 13, items 1.2, 1.5).
--
-- Tables (schema raw)                                                 rows
--   slow     a view: cross join of range(), each row's key unique    10^10
--            (profiling it runs for hours; a filtered day is cheap)
--   small    a plain table                                             100
--   events   one row per event: "points by event" has 2M rows     2000000
--   entries  above the 10M rows a profile samples                12000000
--            (its exact key count needs memory per row)
-- slow.yml models slow and small (in that order: slow is profiled first),
-- large.yml models events and entries.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE VIEW raw.slow AS
SELECT a.range * 100000 + b.range AS slow_id,
       CAST(DATE '2025-01-01' + CAST(b.range % 30 AS INTEGER) AS DATE) AS slow_date,
       b.range % 7 AS weight
FROM range(0, 100000) AS a, range(0, 100000) AS b;
CREATE TABLE raw.small AS
SELECT i AS small_id, CAST(DATE '2025-01-01' + CAST(i % 30 AS INTEGER) AS DATE) AS small_date, i % 5 AS amount
FROM range(0, 100) AS t(i);
CREATE TABLE raw.events AS
SELECT i AS event_id, CAST(DATE '2025-01-01' + CAST(i % 90 AS INTEGER) AS DATE) AS event_date, i % 13 AS points
FROM range(0, 2000000) AS t(i);
CREATE TABLE raw.entries AS
SELECT i AS entry_id, i % 1000 AS bucket FROM range(0, 12000000) AS t(i);

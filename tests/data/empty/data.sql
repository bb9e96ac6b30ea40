-- Empty-table test catalog: a table that never stored a row and a view over
-- it (profiled by a query: DuckDB keeps no row count for a view), so the
-- two profiles must agree; parents has rows, for the orphan check.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE raw.parents (parent_id BIGINT PRIMARY KEY, label VARCHAR);
INSERT INTO raw.parents VALUES (1, 'a'), (2, 'b');
CREATE TABLE raw.items (item_id BIGINT PRIMARY KEY, parent_id BIGINT, kind VARCHAR, amount DOUBLE, item_date DATE);
CREATE VIEW raw.items_v AS SELECT * FROM raw.items;

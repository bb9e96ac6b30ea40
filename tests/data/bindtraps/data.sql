-- Binding traps: relations the semantic models name in ways that bind
-- exactly, bind somewhere else, or do not bind (tests/unit/test_bind_bulk.c
-- compares the binding with the per-table one it replaced).
--   main.plain        a table with a primary key and a unique key
--   main.plain_v      a view over it (views have columns, no keys)
--   other.elsewhere   a table only in another schema
--   main."MixedCase"  a quoted mixed-case name, with a "Mixed Col" column
--   main.twin, other.twin  the same name in two schemas (main is the default)
--   main.nocols_hint  a table with no column the models name
CREATE TABLE plain (id INTEGER PRIMARY KEY, code VARCHAR UNIQUE, amount DECIMAL(10,2), qty INTEGER, day DATE);
COMMENT ON COLUMN plain.amount IS 'amount of the row';
INSERT INTO plain VALUES (1, 'a', 1.50, 2, DATE '2025-01-01'), (2, 'b', 2.25, 3, DATE '2025-01-02');
CREATE VIEW plain_v AS SELECT id, code, amount * 2 AS doubled, day FROM plain;
CREATE SCHEMA other;
CREATE TABLE other.elsewhere (eid BIGINT, label VARCHAR, day DATE);
INSERT INTO other.elsewhere VALUES (1, 'x', DATE '2025-01-01');
CREATE TABLE "MixedCase" ("Key" INTEGER PRIMARY KEY, "Mixed Col" VARCHAR, lower_col DOUBLE, day DATE);
INSERT INTO "MixedCase" VALUES (1, 'm', 0.5, DATE '2025-01-01');
CREATE TABLE twin (tid INTEGER, main_only VARCHAR, day DATE);
CREATE TABLE other.twin (tid INTEGER, other_only VARCHAR, day DATE);
CREATE TABLE nocols_hint (alpha INTEGER, beta INTEGER, gamma INTEGER);

-- MetricFlow spec test catalog (issue 11, item 4): SCD type 2 dimensions
-- (validity_params), metric filters ({{ Metric(...) }}), saved queries and
-- measures exposed with create_metric. Hand-written rows, each with a reason.
--
-- Tables (schema bronze)                                            rows
--   members       one row per member                                   5
--   member_tiers  SCD type 2: a member's tier, region and agent over time,
--                 [valid_from, valid_to), NULL valid_to = current      7
--   agents        one row per agent (reached through member_tiers)      3
--   visits        one row per visit, with its amount                  15
--   referrals     one row per referral, no date (so no period to
--                 place it in a member's tier history)                 3
--
-- Traps:
--   member 1 changes tier on 2025-03-15 (visits on 03-14 and 03-15): a join
--     on member_id alone gives each of its visits both versions (counts x2);
--   member 2 changes tier and region on 2025-02-10 (visits on 02-09, 02-10);
--   member 4's history starts 2025-02-01 and ends 2025-05-01 (visits on
--     01-25 and 05-01 find no version: NULL tier); member 5's starts on
--     2025-03-09, a day whose midnight does not exist in the zone the
--     PostgreSQL parity server runs in (clocks move at midnight): visit 15
--     on that day must be bronze in both engines; visit 13 before it has no
--     version;
--   visit 14 has no member;
--   member 3 spends 105 in three visits of 35, member 2 has one visit of
--     120: "members whose visit amount is above 100" (entity level: members
--     1, 2, 3, 9 visits) is not "visits above 100" (row level: 1 visit).
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.members AS
SELECT * FROM (VALUES
  (1, 'Ada', DATE '2024-11-02'),
  (2, 'Ben', DATE '2024-12-12'),
  (3, 'Cy', DATE '2025-01-01'),
  (4, 'Dee', DATE '2025-01-20'),
  (5, 'Eve', DATE '2025-03-03')
) AS t(member_id, member_name, joined_at);

CREATE OR REPLACE TABLE bronze.member_tiers AS
SELECT * FROM (VALUES
  (1, 'silver', 'north', 10, DATE '2025-01-01', DATE '2025-03-15'),
  (1, 'gold',   'north', 20, DATE '2025-03-15', CAST(NULL AS DATE)),
  (2, 'bronze', 'north', 10, DATE '2025-01-01', DATE '2025-02-10'),
  (2, 'silver', 'south', 10, DATE '2025-02-10', CAST(NULL AS DATE)),
  (3, 'gold',   'south', 20, DATE '2025-01-01', CAST(NULL AS DATE)),
  (4, 'bronze', 'east',  30, DATE '2025-02-01', DATE '2025-05-01'),
  (5, 'bronze', 'west',  30, DATE '2025-03-09', CAST(NULL AS DATE))
) AS t(member_id, tier, region, agent_id, valid_from, valid_to);

-- the agent looking after each version of a member (reached through the
-- SCD table: a join on member_id alone would give member 1's visits both agents)
CREATE OR REPLACE TABLE bronze.agents AS
SELECT * FROM (VALUES (10, 'Kim'), (20, 'Lou'), (30, 'Max')) AS t(agent_id, agent_name);

CREATE OR REPLACE TABLE bronze.visits AS
SELECT * FROM (VALUES
  (1,  1, DATE '2025-01-10', 40.0),
  (2,  1, DATE '2025-03-14', 30.0),
  (3,  1, DATE '2025-03-15', 50.0),
  (4,  1, DATE '2025-04-02', 25.0),
  (5,  2, DATE '2025-02-09', 120.0),
  (6,  2, DATE '2025-02-10', 10.0),
  (7,  3, DATE '2025-01-05', 35.0),
  (8,  3, DATE '2025-02-20', 35.0),
  (9,  3, DATE '2025-03-30', 35.0),
  (10, 4, DATE '2025-01-25', 60.0),
  (11, 4, DATE '2025-04-30', 20.0),
  (12, 4, DATE '2025-05-01', 15.0),
  (13, 5, DATE '2025-03-03', 80.0),
  (14, CAST(NULL AS INTEGER), DATE '2025-02-15', 5.0),
  (15, 5, DATE '2025-03-09', 10.0)
) AS t(visit_id, member_id, visited_at, amount);

CREATE OR REPLACE TABLE bronze.referrals AS
SELECT * FROM (VALUES (1, 1), (2, 1), (3, 3)) AS t(referral_id, member_id);

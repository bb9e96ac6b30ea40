-- Fitness test catalog: a chain of gym clubs, their members, monthly and annual
-- membership invoices and class bookings (deterministic, no scale; a catalog
-- the dpgen code was not written for, used by the trap suite tests/traps/).
--
-- Tables (schema bronze)                                              rows
--   clubs     8 clubs in 5 cities, boutique or full_service              8
--   members   members who signed up 2024-01-01 .. 2025-06-30,
--             some cancelled (cancel_date) before 2025-07-01          1 200
--   invoices  one invoice per member and month (monthly billing),
--             or per year (annual billing), 2024-01 .. 2025-06       ~9 000
--   bookings  class bookings 2024-01-01 .. 2025-06-30 within each
--             member's membership                                   ~5 000
-- Declared primary keys: all four tables. No foreign keys. No planted defects:
-- the trap suite checks answers, not the quality stage.
--
-- Contrast pairs a user would ask about: plan basic/premium/student, billing_cycle
-- monthly/annual, class_type yoga/pilates/spin/hiit/strength, time_slot
-- morning/lunchtime/evening, signup_channel web/app/front_desk/partner (so "the
-- web app" names two values of one column), club_format boutique/full_service.
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1), the same
-- BIGINT hash as catalog/demo/generate.sql; dropped at the end of the file.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.clubs AS
SELECT * FROM (VALUES
  ('CLB-01', 'Riverside', 'Leeds', 'full_service', DATE '2016-03-01'),
  ('CLB-02', 'Old Town', 'York', 'boutique', DATE '2018-09-15'),
  ('CLB-03', 'Harbourside', 'Bristol', 'full_service', DATE '2015-05-01'),
  ('CLB-04', 'Northgate', 'Leeds', 'boutique', DATE '2021-01-10'),
  ('CLB-05', 'Parkview', 'Bath', 'boutique', DATE '2019-06-01'),
  ('CLB-06', 'Canal Street', 'Manchester', 'full_service', DATE '2017-11-20'),
  ('CLB-07', 'Minster Yard', 'York', 'full_service', DATE '2024-04-02'),
  ('CLB-08', 'Temple Quay', 'Bristol', 'boutique', DATE '2024-10-01')
) v(club_id, club_name, location, club_format, opened_date);

CREATE OR REPLACE TABLE bronze.members AS
WITH m AS (
  SELECT i,
    DATE '2024-01-01' + CAST(floor(prand(i, 51) * 547) AS INTEGER) AS signup_date,
    ['CLB-01', 'CLB-01', 'CLB-02', 'CLB-03', 'CLB-03', 'CLB-04', 'CLB-05', 'CLB-06', 'CLB-06', 'CLB-07', 'CLB-08']
      [1 + CAST(floor(prand(i, 52) * 11) AS INTEGER)] AS club
  FROM range(1, 1201) t(i)
)
SELECT
  printf('MEM-%04d', i) AS member_id,
  ['Alex', 'Sam', 'Maria', 'Jonas', 'Aisha', 'Ravi', 'Lena', 'Tom', 'Yara', 'Ken', 'Julia', 'Omar', 'Mia', 'Luis', 'Nora', 'Ben',
   'Chloe', 'Dev', 'Fatima', 'Hugo']
    [1 + CAST(floor(prand(i, 53) * 20) AS INTEGER)] || ' ' ||
  ['Meyer', 'Novak', 'Iyer', 'Costa', 'Berg', 'Kim', 'Walsh', 'Ahmed', 'Rossi', 'Lund', 'Park', 'Moreau', 'Okafor', 'Silva',
   'Brennan', 'Haddad', 'Tanaka', 'Evans', 'Fischer', 'Quinn', 'Duarte', 'Sato', 'Ward', 'Young', 'Zielinski']
    [1 + CAST(floor(prand(i, 54) * 25) AS INTEGER)] AS member_name,
  club AS home_club_id,
  CASE WHEN prand(i, 55) < 0.55 THEN 'basic' WHEN prand(i, 55) < 0.85 THEN 'premium' ELSE 'student' END AS plan,
  CASE WHEN prand(i, 56) < 0.75 THEN 'monthly' ELSE 'annual' END AS billing_cycle,
  CASE WHEN prand(i, 57) < 0.35 THEN 'web' WHEN prand(i, 57) < 0.65 THEN 'app'
       WHEN prand(i, 57) < 0.90 THEN 'front_desk' ELSE 'partner' END AS signup_channel,
  signup_date,
  CASE WHEN prand(i, 58) < 0.3 AND signup_date + 30 + CAST(floor(prand(i, 59) * 400) AS INTEGER) <= DATE '2025-06-30'
       THEN signup_date + 30 + CAST(floor(prand(i, 59) * 400) AS INTEGER) END AS cancel_date
FROM m
ORDER BY i;

CREATE OR REPLACE TABLE bronze.invoices AS
WITH months AS (
  SELECT CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE) AS m0, n FROM range(0, 18) r(n)
), due AS (
  SELECT mb.member_id, mb.plan, mb.billing_cycle, months.m0,
         row_number() OVER (ORDER BY months.m0, mb.member_id) AS k
  FROM bronze.members mb JOIN months
    ON months.m0 >= date_trunc('month', mb.signup_date)
   AND (mb.cancel_date IS NULL OR months.m0 <= mb.cancel_date)
   AND (mb.billing_cycle = 'monthly'
        OR date_diff('month', date_trunc('month', mb.signup_date), months.m0) % 12 = 0)
)
SELECT
  printf('INV-%06d', k) AS invoice_id,
  member_id,
  CAST(m0 + CAST(floor(prand(k, 61) * 28) AS INTEGER) AS DATE) AS invoice_date,
  CAST(CASE plan WHEN 'basic' THEN 29 WHEN 'premium' THEN 59 ELSE 19 END
       * CASE billing_cycle WHEN 'annual' THEN 10 ELSE 1 END AS DECIMAL(10, 2)) AS amount,
  CASE WHEN prand(k, 62) < 0.92 THEN 'paid' WHEN prand(k, 62) < 0.98 THEN 'failed' ELSE 'refunded' END AS payment_status
FROM due
ORDER BY k;

CREATE OR REPLACE TABLE bronze.bookings AS
WITH b AS (
  SELECT t.i, mb.member_id, mb.home_club_id, mb.signup_date AS w0,
         coalesce(mb.cancel_date, DATE '2025-06-30') AS w1
  FROM range(1, 5201) t(i)
  JOIN bronze.members mb ON mb.member_id = printf('MEM-%04d', 1 + CAST(floor(prand(t.i, 71) * 1200) AS INTEGER))
), c AS (
  SELECT *, w0 + CAST(floor(prand(i, 72) * (w1 - w0 + 1)) AS INTEGER) AS class_date,
         row_number() OVER (ORDER BY i) AS k
  FROM b
)
SELECT
  printf('BKG-%05d', k) AS booking_id,
  member_id,
  CASE WHEN prand(k, 73) < 0.85 THEN home_club_id
       ELSE printf('CLB-%02d', 1 + CAST(floor(prand(k, 74) * 8) AS INTEGER)) END AS club_id,
  class_date,
  ['yoga', 'yoga', 'pilates', 'spin', 'spin', 'hiit', 'strength'][1 + CAST(floor(prand(k, 75) * 7) AS INTEGER)] AS class_type,
  ['morning', 'lunchtime', 'evening', 'evening'][1 + CAST(floor(prand(k, 76) * 4) AS INTEGER)] AS time_slot,
  CASE WHEN prand(k, 77) < 0.78 THEN 'attended' WHEN prand(k, 77) < 0.90 THEN 'no_show' ELSE 'cancelled' END AS booking_status
FROM c
ORDER BY k;

ALTER TABLE bronze.clubs ADD PRIMARY KEY (club_id);
ALTER TABLE bronze.members ADD PRIMARY KEY (member_id);
ALTER TABLE bronze.invoices ADD PRIMARY KEY (invoice_id);
ALTER TABLE bronze.bookings ADD PRIMARY KEY (booking_id);

DROP MACRO IF EXISTS prand;

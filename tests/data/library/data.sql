-- Public library test catalog: branches, members, books, loans and fines
-- (deterministic, no scale; a probe catalog the dpgen code was not written for).
--
-- Tables (schema bronze)                                         rows
--   branches   8 library branches in 3 districts                      8
--   members    library card holders, joined 2015-01 .. 2025-06       600
--   books      catalogue titles (print, ebook, audiobook)            400
--   loans      checkouts 2024-01-01 .. 2025-06-30                   4 000
--   fines      late fees charged on overdue loans                    ~?
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.branches AS
SELECT * FROM (VALUES
  ('BR-01', 'Central Library', 'Downtown', 1962),
  ('BR-02', 'Riverside', 'North', 1988),
  ('BR-03', 'Oak Hill', 'North', 1995),
  ('BR-04', 'Harbor View', 'Downtown', 2004),
  ('BR-05', 'Maple Park', 'South', 1979),
  ('BR-06', 'Eastgate', 'South', 2011),
  ('BR-07', 'Westfield', 'North', 2017),
  ('BR-08', 'Old Town', 'Downtown', 1931)
) v(branch_id, branch_name, district, opened_year);

CREATE OR REPLACE TABLE bronze.members AS
SELECT
  'MB-' || lpad(CAST(i AS VARCHAR), 4, '0') AS member_id,
  ['Anna', 'Peter', 'Grace', 'Hugo', 'Ines', 'Karl', 'Lucy', 'Mateo', 'Nina', 'Oscar', 'Priya', 'Quinn']
    [1 + CAST(floor(prand(i, 11) * 12) AS INTEGER)] || ' ' ||
  ['Fischer', 'Garcia', 'Hansen', 'Jones', 'Khan', 'Lopez', 'Murphy', 'Nguyen', 'Olsen', 'Patel']
    [1 + CAST(floor(prand(i, 12) * 10) AS INTEGER)] AS full_name,
  CASE WHEN prand(i, 13) < 0.55 THEN 'adult' WHEN prand(i, 13) < 0.75 THEN 'child'
       WHEN prand(i, 13) < 0.90 THEN 'senior' ELSE 'student' END AS membership_type,
  'BR-0' || CAST(1 + floor(prand(i, 14) * 8) AS INTEGER) AS home_branch_id,
  DATE '2015-01-01' + CAST(floor(sqrt(prand(i, 15)) * 3833) AS INTEGER) AS join_date,
  prand(i, 16) < 0.85 AS is_active,
  CASE WHEN prand(i, 17) < 0.03 THEN NULL
       ELSE ['Downtown', 'North', 'South', 'Outside city'][1 + CAST(floor(prand(i, 17) * 4) AS INTEGER)] END AS home_district
FROM range(1, 601) t(i)
ORDER BY i;

CREATE OR REPLACE TABLE bronze.books AS
SELECT
  'BK-' || lpad(CAST(i AS VARCHAR), 4, '0') AS book_id,
  ['The', 'A', 'Silent', 'Last', 'Hidden', 'Broken', 'Golden', 'Lost'][1 + CAST(floor(prand(i, 21) * 8) AS INTEGER)] || ' ' ||
  ['River', 'Garden', 'Winter', 'Machine', 'Kingdom', 'Letter', 'Island', 'Mirror', 'Harvest', 'Orbit'][1 + CAST(floor(prand(i, 22) * 10) AS INTEGER)]
    || CASE WHEN i % 7 = 0 THEN ' ' || CAST(i AS VARCHAR) ELSE '' END AS title,
  ['Maya Roth', 'Daniel Okafor', 'Elena Sato', 'James Whitlow', 'Sofia Brandt', 'Tariq Aziz', 'Claire Dubois', 'Ivan Petrov']
    [1 + CAST(floor(prand(i, 23) * 8) AS INTEGER)] AS author,
  CASE WHEN prand(i, 24) < 0.30 THEN 'fiction' WHEN prand(i, 24) < 0.45 THEN 'mystery' WHEN prand(i, 24) < 0.58 THEN 'science'
       WHEN prand(i, 24) < 0.70 THEN 'history' WHEN prand(i, 24) < 0.85 THEN 'children' ELSE 'biography' END AS genre,
  CASE WHEN prand(i, 25) < 0.65 THEN 'print' WHEN prand(i, 25) < 0.88 THEN 'ebook' ELSE 'audiobook' END AS format,
  CASE WHEN prand(i, 26) < 0.04 THEN NULL ELSE 1950 + CAST(floor(pow(prand(i, 26), 0.4) * 75) AS INTEGER) END AS publication_year,
  DATE '2010-01-01' + CAST(floor(prand(i, 27) * 5600) AS INTEGER) AS acquired_date,
  CAST(round(8 + prand(i, 28) * 32, 2) AS DECIMAL(8, 2)) AS replacement_cost
FROM range(1, 401) t(i)
ORDER BY i;

CREATE OR REPLACE TABLE bronze.loans AS
WITH l AS (
  SELECT i,
    'MB-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 31), 1.5) * 600) AS INTEGER) AS VARCHAR), 4, '0') AS member_id,
    'BK-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 32), 1.3) * 400) AS INTEGER) AS VARCHAR), 4, '0') AS book_id,
    'BR-0' || CAST(1 + floor(prand(i, 33) * 8) AS INTEGER) AS branch_id,
    DATE '2024-01-01' + CAST(floor(prand(i, 34) * 547) AS INTEGER) AS loan_date
  FROM range(1, 4001) t(i)
)
SELECT
  'LN-' || lpad(CAST(i AS VARCHAR), 5, '0') AS loan_id,
  member_id, book_id, branch_id, loan_date,
  loan_date + 21 AS due_date,
  CASE WHEN prand(i, 35) < 0.04 OR loan_date + 40 > DATE '2025-06-30' AND prand(i, 35) < 0.5 THEN NULL
       ELSE loan_date + 3 + CAST(floor(pow(prand(i, 36), 1.4) * 40) AS INTEGER) END AS return_date,
  CASE WHEN prand(i, 37) < 0.6 THEN 'desk' WHEN prand(i, 37) < 0.9 THEN 'self_checkout' ELSE 'online' END AS checkout_channel,
  prand(i, 38) < 0.22 AS renewed
FROM l
ORDER BY i;

CREATE OR REPLACE TABLE bronze.fines AS
SELECT
  'FN-' || lpad(CAST(row_number() OVER (ORDER BY loan_id) AS VARCHAR), 5, '0') AS fine_id,
  loan_id, member_id,
  return_date AS assessed_date,
  CAST(round((return_date - due_date) * 0.25, 2) AS DECIMAL(8, 2)) AS amount,
  CASE WHEN prand(CAST(substr(loan_id, 4) AS BIGINT), 41) < 0.7 THEN 'paid'
       WHEN prand(CAST(substr(loan_id, 4) AS BIGINT), 41) < 0.9 THEN 'unpaid' ELSE 'waived' END AS status
FROM bronze.loans
WHERE return_date > due_date
ORDER BY loan_id;

ALTER TABLE bronze.branches ADD PRIMARY KEY (branch_id);
ALTER TABLE bronze.members ADD PRIMARY KEY (member_id);
ALTER TABLE bronze.books ADD PRIMARY KEY (book_id);
ALTER TABLE bronze.loans ADD PRIMARY KEY (loan_id);
ALTER TABLE bronze.fines ADD PRIMARY KEY (fine_id);

DROP MACRO IF EXISTS prand;

-- Property management test catalog: residential buildings, units, tenants, leases,
-- monthly rent charges with their payment status, and maintenance requests (work orders).
-- Deterministic (hash-based prand), data window 2024-01-01 .. 2025-06-30
-- (leases running into the window may have started in 2023 and end after it).
--
-- Tables (schema bronze)
--   properties            14 buildings in 4 regions
--   units                 apartments, studios, lofts and townhomes of the buildings
--   tenants               one row per household (tenant), with move-in / move-out dates
--   leases                lease contracts (new leases and renewals), monthly rent
--   rent_payments         one rent charge per lease and month 2024-01 .. 2025-06, status paid/late/missed
--   maintenance_requests  work orders opened 2024-01-01 .. 2025-06-30 (service requests, and one
--                         'turnover' make-ready request the day after each move-out); unit_id NULL for common areas
--
-- Quirks: maintenance_requests.unit_id NULL (common area) ~13 %, tenant_id NULL for common areas, turns and vacant units;
-- closed_date/cost NULL while open or cancelled; missed rent has paid_date NULL and amount_paid 0;
-- the building named "The Austin" is in Dallas (the city Austin has two other buildings);
-- 'townhome' is both a property_type and a unit_type.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.properties AS
SELECT * FROM (VALUES
  ('PRP-01', 'The Austin',              'Dallas',         'Central',           'high-rise', 2016, DATE '2019-04-01', false, 40),
  ('PRP-02', 'Barton Creek Flats',      'Austin',         'Central',           'garden',    1998, DATE '2014-06-15', false, 48),
  ('PRP-03', 'Mueller Commons',         'Austin',         'Central',           'mid-rise',  2012, DATE '2021-09-01', true,  36),
  ('PRP-04', 'Heights Station',         'Houston',        'Central',           'mid-rise',  2009, DATE '2017-02-01', false, 44),
  ('PRP-05', 'Cherry Creek Residences', 'Denver',         'Mountain',          'mid-rise',  2015, DATE '2020-11-01', false, 38),
  ('PRP-06', 'Highlands Townhomes',     'Denver',         'Mountain',          'townhome',  2004, DATE '2016-03-01', false, 24),
  ('PRP-07', 'Wasatch Point',           'Salt Lake City', 'Mountain',          'garden',    1995, DATE '2021-05-15', true,  42),
  ('PRP-08', 'Peachtree Tower',         'Atlanta',        'Southeast',         'high-rise', 2018, DATE '2022-01-10', false, 50),
  ('PRP-09', 'Decatur Green',           'Atlanta',        'Southeast',         'garden',    1992, DATE '2013-08-01', true,  40),
  ('PRP-10', 'South End Lofts',         'Charlotte',      'Southeast',         'mid-rise',  2011, DATE '2018-07-01', false, 32),
  ('PRP-11', 'Oak City Townhomes',      'Raleigh',        'Southeast',         'townhome',  2007, DATE '2023-03-01', false, 22),
  ('PRP-12', 'Pearl District Lofts',    'Portland',       'Pacific Northwest', 'mid-rise',  2010, DATE '2015-10-01', false, 34),
  ('PRP-13', 'Ballard Court',           'Seattle',        'Pacific Northwest', 'garden',    2001, DATE '2019-12-01', false, 30),
  ('PRP-14', 'Capitol Hill House',      'Seattle',        'Pacific Northwest', 'high-rise', 2020, DATE '2021-02-01', false, 46)
) v(property_id, property_name, city, region, property_type, year_built, acquired_date, is_affordable, n_units);

CREATE OR REPLACE TABLE bronze.units AS
WITH u AS (
  SELECT p.property_id, p.property_type, p.city, p.acquired_date, n AS unit_seq,
         row_number() OVER (ORDER BY p.property_id, n) AS k
  FROM bronze.properties p, generate_series(1, p.n_units) g(n)
), t AS (
  SELECT *,
    CASE WHEN property_type = 'townhome' THEN 'townhome'
         WHEN property_id IN ('PRP-10', 'PRP-12') THEN CASE WHEN prand(k, 2) < 0.7 THEN 'loft' ELSE 'studio' END
         WHEN property_type = 'garden' AND prand(k, 2) < 0.12 THEN 'townhome'
         WHEN prand(k, 2) < 0.22 THEN 'studio'
         ELSE 'apartment' END AS unit_type
  FROM u
), b AS (
  SELECT *,
    CASE unit_type WHEN 'studio' THEN 0
                   WHEN 'loft' THEN 1 + CAST(floor(prand(k, 3) * 2) AS INTEGER)
                   WHEN 'townhome' THEN 2 + CAST(floor(prand(k, 3) * 3) AS INTEGER)
                   ELSE 1 + CAST(floor(pow(prand(k, 3), 1.4) * 3) AS INTEGER) END AS bedrooms
  FROM t
)
SELECT
  'U-' || lpad(CAST(k AS VARCHAR), 4, '0') AS unit_id,
  property_id,
  CAST(100 * (1 + (unit_seq - 1) // 10) + ((unit_seq - 1) % 10) + 1 AS VARCHAR) AS unit_number,
  unit_type,
  bedrooms,
  CAST(round(450 + bedrooms * 330 + CASE unit_type WHEN 'townhome' THEN 250 WHEN 'loft' THEN 120 ELSE 0 END
             + prand(k, 4) * 180, -1) AS INTEGER) AS square_feet,
  CAST(round((950 + bedrooms * 420 + CASE unit_type WHEN 'townhome' THEN 300 WHEN 'loft' THEN 150 ELSE 0 END)
       * CASE city WHEN 'Seattle' THEN 1.35 WHEN 'Austin' THEN 1.1 WHEN 'Denver' THEN 1.15 WHEN 'Portland' THEN 1.12
                   WHEN 'Atlanta' THEN 1.0 WHEN 'Dallas' THEN 1.05 ELSE 0.92 END
       * (0.93 + prand(k, 5) * 0.14), -1) AS DECIMAL(10, 2)) AS market_rent,
  prand(k, 6) < 0.3 AS is_renovated,
  acquired_date AS in_service_date   -- first day the unit was in our rentable inventory
FROM b
ORDER BY k;

-- lease chains per unit: each lease is followed by a renewal (same tenant) or, after a vacancy gap,
-- a new lease with a new tenant, until the start passes 2025-06-30
CREATE OR REPLACE TABLE bronze._chain AS
WITH RECURSIVE ux AS (
  SELECT unit_id, CAST(substr(unit_id, 3) AS INTEGER) AS uk, market_rent FROM bronze.units
), c(uk, unit_id, market_rent, n, tenant_seq, lease_type, start_date, term) AS (
  SELECT uk, unit_id, market_rent, 1, 1, 'new',
         DATE '2022-09-01' + CAST(floor(prand(uk, 7) * 480) AS INTEGER),
         [12, 12, 12, 6, 15][1 + CAST(floor(prand(uk, 8) * 5) AS INTEGER)]
  FROM ux
  UNION ALL
  SELECT uk, unit_id, market_rent, n + 1,
         CASE WHEN prand(uk * 31 + n, 9) < 0.55 THEN tenant_seq ELSE tenant_seq + 1 END,
         CASE WHEN prand(uk * 31 + n, 9) < 0.55 THEN 'renewal' ELSE 'new' END,
         CAST(start_date + to_months(term) AS DATE)
           + CASE WHEN prand(uk * 31 + n, 9) < 0.55 THEN 0 ELSE CAST(floor(prand(uk * 31 + n, 10) * 50) AS INTEGER) END,
         [12, 12, 12, 6, 15][1 + CAST(floor(prand(uk * 31 + n, 8) * 5) AS INTEGER)]
  FROM c
  WHERE CAST(start_date + to_months(term) AS DATE) <= DATE '2025-06-30'
)
SELECT *, CAST(start_date + to_months(term) AS DATE) - 1 AS end_date FROM c
WHERE start_date <= DATE '2025-06-30';

CREATE OR REPLACE TABLE bronze._tenant_keys AS
SELECT uk, tenant_seq, min(start_date) AS move_in, max(end_date) AS last_end,
       row_number() OVER (ORDER BY min(start_date), uk) AS tk
FROM bronze._chain GROUP BY uk, tenant_seq;

CREATE OR REPLACE TABLE bronze.tenants AS
SELECT
  'TNT-' || lpad(CAST(t.tk AS VARCHAR), 4, '0') AS tenant_id,
  ['Maria', 'James', 'Aisha', 'Daniel', 'Sofia', 'Kevin', 'Priya', 'Marcus', 'Elena', 'Tyler', 'Grace', 'Omar', 'Hannah', 'Luis', 'Chloe', 'Andre']
    [1 + CAST(floor(prand(t.tk, 11) * 16) AS INTEGER)] || ' ' ||
  ['Johnson', 'Garcia', 'Nguyen', 'Patel', 'Williams', 'Kim', 'Brown', 'Lopez', 'Davis', 'Chen', 'Walker', 'Reed', 'Hughes', 'Diaz']
    [1 + CAST(floor(prand(t.tk, 12) * 14) AS INTEGER)] AS full_name,
  u.unit_id,
  u.property_id,
  t.move_in AS move_in_date,
  -- moved out when the last lease of the household ended before the data's end
  CASE WHEN t.last_end < DATE '2025-06-30' THEN t.last_end END AS move_out_date,
  ['online', 'online', 'online', 'referral', 'walk-in', 'locator'][1 + CAST(floor(prand(t.tk, 13) * 6) AS INTEGER)] AS lead_source,
  prand(t.tk, 14) < 0.35 AS has_pet,
  CASE WHEN prand(t.tk, 15) < 0.08 THEN 1 ELSE 0 END AS is_corporate
FROM bronze._tenant_keys t JOIN bronze.units u ON CAST(substr(u.unit_id, 3) AS INTEGER) = t.uk
WHERE t.last_end >= DATE '2024-01-01'   -- households with a lease in the data window
ORDER BY t.tk;

-- only leases that overlap the data window (2024-01-01 .. 2025-06-30)
CREATE OR REPLACE TABLE bronze.leases AS
WITH l AS (
  SELECT c.*, t.tk, row_number() OVER (ORDER BY c.start_date, c.uk) AS lk
  FROM bronze._chain c JOIN bronze._tenant_keys t ON t.uk = c.uk AND t.tenant_seq = c.tenant_seq
  WHERE c.end_date >= DATE '2024-01-01'
)
SELECT
  'LSE-' || lpad(CAST(lk AS VARCHAR), 5, '0') AS lease_id,
  l.unit_id,
  u.property_id,
  'TNT-' || lpad(CAST(tk AS VARCHAR), 4, '0') AS tenant_id,
  lease_type,
  start_date,
  end_date,
  term AS term_months,
  CAST(round(l.market_rent * (0.92 + 0.03 * (year(start_date) - 2023)) * (0.95 + prand(lk, 16) * 0.08)
             * CASE WHEN lease_type = 'renewal' THEN 1.0 ELSE 1.02 END, 0) AS DECIMAL(10, 2)) AS monthly_rent,
  CAST(CASE WHEN prand(lk, 17) < 0.7 THEN round(l.market_rent, 0) ELSE 500 END AS DECIMAL(10, 2)) AS security_deposit,
  CASE WHEN end_date < DATE '2025-06-30' THEN 'expired' ELSE 'active' END AS lease_status
FROM l JOIN bronze.units u ON u.unit_id = l.unit_id
ORDER BY lk;

CREATE OR REPLACE TABLE bronze.rent_payments AS
WITH months AS (
  SELECT CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE) AS due_date FROM range(0, 18) r(n)
), ch AS (
  SELECT l.lease_id, l.property_id, l.monthly_rent, m.due_date,
         row_number() OVER (ORDER BY m.due_date, l.lease_id) AS k
  FROM bronze.leases l JOIN months m
    ON m.due_date >= date_trunc('month', l.start_date) AND m.due_date <= l.end_date
), s AS (
  SELECT *,
    -- some buildings collect worse; risk is higher around the holidays
    prand(k, 21) - CASE WHEN property_id IN ('PRP-07', 'PRP-09') THEN 0.08 ELSE 0 END
                 - CASE WHEN month(due_date) IN (1, 12) THEN 0.04 ELSE 0 END AS r
  FROM ch
)
SELECT
  'PMT-' || lpad(CAST(k AS VARCHAR), 6, '0') AS payment_id,
  lease_id,
  property_id,
  due_date,
  CASE WHEN r >= 0.16 THEN due_date + CAST(floor(prand(k, 22) * 5) AS INTEGER)
       WHEN r >= 0.04 THEN due_date + 6 + CAST(floor(prand(k, 22) * 30) AS INTEGER) END AS paid_date,
  monthly_rent AS amount_due,
  CAST(CASE WHEN r >= 0.16 THEN monthly_rent
            WHEN r >= 0.04 THEN CASE WHEN prand(k, 23) < 0.25 THEN round(monthly_rent * 0.5, 2) ELSE monthly_rent END
            ELSE 0 END AS DECIMAL(10, 2)) AS amount_paid,
  CASE WHEN r >= 0.16 THEN 'paid' WHEN r >= 0.04 THEN 'late' ELSE 'missed' END AS payment_status,
  CASE WHEN r < 0.04 THEN NULL
       ELSE ['portal', 'portal', 'portal', 'ach', 'ach', 'check', 'card'][1 + CAST(floor(prand(k, 24) * 7) AS INTEGER)] END AS payment_method
FROM s
ORDER BY k;

CREATE OR REPLACE TABLE bronze.maintenance_requests AS
WITH r AS (
  -- service requests of residents and staff
  SELECT i,
    DATE '2024-01-01' + CAST(floor(prand(i, 31) * 547) AS INTEGER) AS opened_date,
    CAST(floor(prand(i, 1532) * 526) AS INTEGER) + 1 AS unit_k,
    prand(i, 2733) AS pc, prand(i, 4174) AS pp, prand(i, 5935) AS pd, prand(i, 7377) AS pa,
    NULL AS turn_unit
  FROM range(1, 2101) t(i)
), turns AS (
  -- one make-ready ("turnover") request the day after a household moves out
  SELECT 100000 + row_number() OVER (ORDER BY t.move_out_date, t.unit_id) AS i,
    t.move_out_date + 1 AS opened_date, NULL AS unit_k,
    0.99 AS pc, 0.40 + prand(row_number() OVER (ORDER BY t.move_out_date, t.unit_id), 8819) * 0.54 AS pp,
    prand(row_number() OVER (ORDER BY t.move_out_date, t.unit_id), 9461) AS pd, 1.0 AS pa,
    t.unit_id AS turn_unit
  FROM bronze.tenants t
  WHERE t.move_out_date >= DATE '2023-12-31' AND t.move_out_date < DATE '2025-06-30'
), a AS (
  SELECT * FROM r UNION ALL SELECT * FROM turns
), c AS (
  SELECT a.*, u.unit_id AS u_id, u.property_id,
    CASE WHEN turn_unit IS NOT NULL THEN 'turnover'
         WHEN pc < 0.27 THEN 'plumbing' WHEN pc < 0.43 THEN 'hvac' WHEN pc < 0.61 THEN 'appliance'
         WHEN pc < 0.75 THEN 'electrical' WHEN pc < 0.84 THEN 'pest control' ELSE 'general' END AS category,
    CASE WHEN pp < 0.35 THEN 'low' WHEN pp < 0.75 THEN 'medium' WHEN pp < 0.94 THEN 'high' ELSE 'emergency' END AS priority
  FROM a JOIN bronze.units u ON u.unit_id = coalesce(a.turn_unit, 'U-' || lpad(CAST(a.unit_k AS VARCHAR), 4, '0'))
), d AS (
  SELECT c.*,
    CASE priority WHEN 'emergency' THEN 0 + CAST(floor(pd * 3) AS INTEGER)
                  WHEN 'high' THEN 1 + CAST(floor(pd * 6) AS INTEGER)
                  WHEN 'medium' THEN 2 + CAST(floor(pow(pd, 1.5) * 14) AS INTEGER)
                  ELSE 3 + CAST(floor(pow(pd, 1.5) * 28) AS INTEGER) END
      + CASE WHEN category = 'turnover' THEN 4 ELSE 0 END AS days_to_close,
    turn_unit IS NULL AND prand(i, 36) < 0.03 AS cancelled,
    -- common-area work orders carry no unit
    turn_unit IS NULL AND prand(i, 6037) < 0.15 AS common_area
  FROM c
), e AS (
  SELECT d.*, row_number() OVER (ORDER BY opened_date, i) AS k FROM d
  WHERE opened_date BETWEEN DATE '2024-01-01' AND DATE '2025-06-30'
)
SELECT
  'WO-' || lpad(CAST(k AS VARCHAR), 5, '0') AS request_id,
  property_id,
  CASE WHEN common_area THEN NULL ELSE u_id END AS unit_id,
  -- the reporting tenant: the household living in the unit that day; NULL for common areas, turns and vacant units
  (SELECT min(l.tenant_id) FROM bronze.leases l
    WHERE l.unit_id = e.u_id AND e.opened_date BETWEEN l.start_date AND l.end_date
      AND NOT e.common_area AND e.category <> 'turnover') AS tenant_id,
  category,
  priority,
  opened_date,
  CASE WHEN cancelled THEN NULL
       WHEN opened_date + days_to_close <= DATE '2025-06-30' THEN opened_date + days_to_close END AS closed_date,
  CASE WHEN cancelled THEN 'cancelled'
       WHEN opened_date + days_to_close <= DATE '2025-06-30' THEN 'closed'
       WHEN opened_date + days_to_close - 3 <= DATE '2025-06-30' THEN 'in progress'
       ELSE 'open' END AS request_status,
  CASE WHEN cancelled OR opened_date + days_to_close > DATE '2025-06-30' THEN NULL
       ELSE CAST(round(CASE category WHEN 'turnover' THEN 600 + prand(i, 38) * 2400
                                     WHEN 'hvac' THEN 150 + pow(prand(i, 38), 2) * 2200
                                     WHEN 'appliance' THEN 80 + prand(i, 38) * 900
                                     WHEN 'plumbing' THEN 90 + pow(prand(i, 38), 2) * 1500
                                     WHEN 'electrical' THEN 100 + prand(i, 38) * 700
                                     WHEN 'pest control' THEN 120 + prand(i, 38) * 250
                                     ELSE 40 + prand(i, 38) * 400 END
                       * CASE priority WHEN 'emergency' THEN 1.6 ELSE 1.0 END, 2) AS DECIMAL(10, 2)) END AS cost,
  CASE WHEN category = 'turnover' OR prand(i, 8123) < 0.62 THEN 'in-house' ELSE 'vendor' END AS assigned_to
FROM e
ORDER BY k;

DROP TABLE bronze._chain;
DROP TABLE bronze._tenant_keys;
ALTER TABLE bronze.properties DROP COLUMN n_units;

ALTER TABLE bronze.properties ADD PRIMARY KEY (property_id);
ALTER TABLE bronze.units ADD PRIMARY KEY (unit_id);
ALTER TABLE bronze.tenants ADD PRIMARY KEY (tenant_id);
ALTER TABLE bronze.leases ADD PRIMARY KEY (lease_id);
ALTER TABLE bronze.rent_payments ADD PRIMARY KEY (payment_id);
ALTER TABLE bronze.maintenance_requests ADD PRIMARY KEY (request_id);

DROP MACRO IF EXISTS prand;

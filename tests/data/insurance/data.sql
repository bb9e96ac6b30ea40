-- Held-out catalog `insurance`: Harborline Mutual, a US property & casualty insurer writing personal
-- auto, homeowners and small commercial policies in 8 states through captive/independent agents,
-- a direct (web/phone) channel and wholesale brokers.
--
-- Tables (schema bronze)                                                                  rows
--   adjusters          claim adjusters (staff and independent), specialty and field office      36
--   policyholders      insured persons and businesses; mailing state, how they were acquired 12 000
--   policies           one row per policy term effective 2024-01-01 .. 2025-06-30; written   30 000
--                      premium and premium/exposure earned through the 2025-06-30 evaluation
--   claims             loss date 2024-01-07 .. 2025-06-30, reported by 2025-06-30; status     3 140
--                      open / closed / reopened / denied; incurred loss at 2025-06-30
--   claim_payments     indemnity, expense (ALAE) and recovery (salvage/subrogation, negative)  8 768
--   reserve_snapshots  month-end case reserves (indemnity and expense) per claim while open    9 345
--
-- Quirks: ~1.5% of policies have no channel (legacy conversion); ~1% of claims have no policy
-- (coverage not yet verified); unassigned claims have no adjuster; catastrophe_flag is a 0/1 integer,
-- litigation_flag and is_renewal are booleans; reopened claims have no close date (open again).
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (same hash as the HR catalog).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
-- rnd(i, salt): prand of prand, so that draws with different salts stay independent even among rows
-- selected by another draw (a single prand is linear in i across salts).
CREATE OR REPLACE MACRO rnd(i, salt) AS prand(CAST(floor(prand(i, salt) * 2147483647) AS BIGINT), salt);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.adjusters AS
SELECT adjuster_id, adjuster_name, specialty, office, is_independent, CAST(hire_date AS DATE) AS hire_date FROM (VALUES
  ('ADJ-001', 'Maya Patel',       'auto',       'Dallas',     false, '2016-03-14'),
  ('ADJ-002', 'Derek Olsen',      'auto',       'Dallas',     false, '2018-07-02'),
  ('ADJ-003', 'Sofia Ramirez',    'auto',       'Phoenix',    false, '2019-01-21'),
  ('ADJ-004', 'Kevin Brennan',    'auto',       'Atlanta',    false, '2015-09-08'),
  ('ADJ-005', 'Jordan Lee',       'auto',       'Dallas',     false, '2021-04-12'),
  ('ADJ-006', 'Priya Nair',       'auto',       'Sacramento', false, '2020-02-03'),
  ('ADJ-007', 'Marcus Hill',      'auto',       'Atlanta',    false, '2017-11-27'),
  ('ADJ-008', 'Elena Petrova',    'auto',       'Columbus',   false, '2022-06-06'),
  ('ADJ-009', 'Tyler Brooks',     'auto',       'Phoenix',    true,  '2023-03-01'),
  ('ADJ-010', 'Hannah Schultz',   'auto',       'Columbus',   false, '2014-05-19'),
  ('ADJ-011', 'Andre Dubois',     'auto',       'Sacramento', false, '2019-08-26'),
  ('ADJ-012', 'Grace Kim',        'auto',       'Sacramento', true,  '2024-01-15'),
  ('ADJ-013', 'Luis Ortega',      'auto',       'Dallas',     false, '2016-10-10'),
  ('ADJ-014', 'Nina Kowalski',    'auto',       'Columbus',   true,  '2024-02-05'),
  ('ADJ-015', 'Samuel Price',     'property',   'Atlanta',    false, '2013-04-22'),
  ('ADJ-016', 'Olivia Chen',      'property',   'Sacramento', false, '2018-01-08'),
  ('ADJ-017', 'Rashid Khan',      'property',   'Dallas',     false, '2020-09-14'),
  ('ADJ-018', 'Megan Foster',     'property',   'Atlanta',    false, '2017-03-06'),
  ('ADJ-019', 'Victor Alvarez',   'property',   'Phoenix',    false, '2015-12-01'),
  ('ADJ-020', 'Chloe Martin',     'property',   'Columbus',   false, '2021-07-19'),
  ('ADJ-021', 'Isaac Turner',     'property',   'Dallas',     true,  '2023-08-28'),
  ('ADJ-022', 'Fatima Haddad',    'property',   'Atlanta',    true,  '2024-05-13'),
  ('ADJ-023', 'Brandon Wu',       'property',   'Sacramento', false, '2019-05-20'),
  ('ADJ-024', 'Laura Jensen',     'property',   'Columbus',   false, '2016-08-15'),
  ('ADJ-025', 'Diego Morales',    'property',   'Phoenix',    true,  '2024-03-18'),
  ('ADJ-026', 'Rachel Stein',     'property',   'Dallas',     false, '2012-02-27'),
  ('ADJ-027', 'Owen Gallagher',   'liability',  'Columbus',   false, '2011-06-13'),
  ('ADJ-028', 'Aisha Bello',      'liability',  'Atlanta',    false, '2018-10-01'),
  ('ADJ-029', 'Jordan Lee',       'liability',  'Atlanta',    false, '2016-01-11'),
  ('ADJ-030', 'Keith Duncan',     'liability',  'Dallas',     false, '2014-09-29'),
  ('ADJ-031', 'Monica Reyes',     'liability',  'Sacramento', false, '2020-11-16'),
  ('ADJ-032', 'Peter Lindqvist',  'liability',  'Phoenix',    false, '2017-07-24'),
  ('ADJ-033', 'Tanya Fischer',    'liability',  'Columbus',   true,  '2022-10-03'),
  ('ADJ-034', 'Robert Castillo',  'large_loss', 'Dallas',     false, '2010-03-15'),
  ('ADJ-035', 'Yuki Tanaka',      'large_loss', 'Sacramento', false, '2015-04-06'),
  ('ADJ-036', 'Claire Dumont',    'large_loss', 'Atlanta',    false, '2013-11-18')
) v(adjuster_id, adjuster_name, specialty, office, is_independent, hire_date);

CREATE OR REPLACE TABLE bronze.policyholders AS
WITH p AS (
  SELECT i,
    CASE WHEN rnd(i, 101) < 0.85 THEN 'individual' ELSE 'business' END AS holder_type,
    ['TX', 'TX', 'TX', 'CA', 'CA', 'CA', 'FL', 'FL', 'FL', 'NY', 'NY', 'GA', 'GA', 'IL', 'IL', 'AZ', 'PA', 'PA']
      [1 + CAST(floor(rnd(i, 102) * 18) AS INTEGER)] AS st,
    -- 60 % long-standing customers (2012 .. 2023), 40 % acquired 2024-01-01 .. 2025-06-30
    CASE WHEN rnd(i, 103) < 0.60
         THEN DATE '2012-01-01' + CAST(floor(rnd(i, 104) * 4383) AS INTEGER)
         ELSE DATE '2024-01-01' + CAST(floor(rnd(i, 104) * 547) AS INTEGER) END AS since
  FROM range(1, 12001) t(i)
)
SELECT
  'PH-' || lpad(CAST(i AS VARCHAR), 5, '0') AS policyholder_id,
  CASE WHEN holder_type = 'business'
       THEN ['Apex', 'Blue Ridge', 'Cedar', 'Delta', 'Evergreen', 'Foxglove', 'Granite', 'Harbor', 'Ironwood', 'Juniper']
              [1 + CAST(floor(rnd(i, 105) * 10) AS INTEGER)] || ' ' ||
            ['Plumbing', 'Bakery', 'Logistics', 'Dental', 'Auto Repair', 'Landscaping', 'Cafe', 'Print Shop']
              [1 + CAST(floor(rnd(i, 106) * 8) AS INTEGER)] || ' ' ||
            ['LLC', 'Inc', 'Co'][1 + CAST(floor(rnd(i, 107) * 3) AS INTEGER)]
       ELSE ['James', 'Mary', 'Robert', 'Patricia', 'Carlos', 'Linda', 'Wei', 'Fatima', 'David', 'Emily', 'Jose', 'Aaliyah',
             'Michael', 'Sarah', 'Anh', 'Brian']
              [1 + CAST(floor(rnd(i, 105) * 16) AS INTEGER)] || ' ' ||
            ['Smith', 'Johnson', 'Garcia', 'Nguyen', 'Brown', 'Davis', 'Martinez', 'Wilson', 'Anderson', 'Thomas',
             'Hernandez', 'Moore', 'Jackson', 'Lopez']
              [1 + CAST(floor(rnd(i, 106) * 14) AS INTEGER)] END AS full_name,
  holder_type,
  st AS mailing_state,
  CASE WHEN rnd(i, 108) < 0.42 THEN 'agent' WHEN rnd(i, 108) < 0.75 THEN 'direct'
       WHEN rnd(i, 108) < 0.90 THEN 'broker' ELSE 'comparison_site' END AS acquisition_channel,
  since AS customer_since,
  CAST(1940 + floor(rnd(i, 109) * 64) AS INTEGER) AS birth_year
FROM p
ORDER BY i;
-- businesses have no birth year
UPDATE bronze.policyholders SET birth_year = NULL WHERE holder_type = 'business';

CREATE OR REPLACE TABLE bronze.policies AS
WITH base AS (
  SELECT t.i,
    1 + CAST(floor(rnd(t.i, 201) * 12000) AS INTEGER) AS ph
  FROM range(1, 30001) t(i)
), p AS (
  SELECT b.i, h.policyholder_id, h.holder_type, h.mailing_state, h.customer_since,
    CASE WHEN h.holder_type = 'business' THEN CASE WHEN rnd(b.i, 202) < 0.85 THEN 'commercial' ELSE 'auto' END
         ELSE CASE WHEN rnd(b.i, 202) < 0.60 THEN 'auto' ELSE 'home' END END AS lob,
    greatest(DATE '2024-01-01' + CAST(floor(rnd(b.i, 203) * 547) AS INTEGER), h.customer_since) AS eff
  FROM base b JOIN bronze.policyholders h ON h.policyholder_id = 'PH-' || lpad(CAST(b.ph AS VARCHAR), 5, '0')
), q AS (
  SELECT *,
    CASE WHEN lob = 'auto' AND rnd(i, 204) < 0.30 THEN 6 ELSE 12 END AS term_months,
    CASE WHEN rnd(i, 205) < 0.92 THEN mailing_state
         ELSE ['TX', 'CA', 'FL', 'NY', 'GA', 'IL', 'AZ', 'PA'][1 + CAST(floor(rnd(i, 206) * 8) AS INTEGER)] END AS st,
    CASE lob
      WHEN 'auto' THEN CASE WHEN rnd(i, 207) < 0.45 THEN 'direct' WHEN rnd(i, 207) < 0.85 THEN 'agent' ELSE 'broker' END
      WHEN 'home' THEN CASE WHEN rnd(i, 207) < 0.55 THEN 'agent' WHEN rnd(i, 207) < 0.85 THEN 'direct' ELSE 'broker' END
      ELSE CASE WHEN rnd(i, 207) < 0.60 THEN 'broker' WHEN rnd(i, 207) < 0.95 THEN 'agent' ELSE 'direct' END END AS ch
  FROM p
), r AS (
  SELECT *,
    CAST(eff + to_months(term_months) AS DATE) AS expiry,
    CASE lob WHEN 'auto' THEN 1350 WHEN 'home' THEN 1850 ELSE 7800 END
      * CASE st WHEN 'FL' THEN CASE WHEN lob = 'home' THEN 2.1 ELSE 1.3 END WHEN 'NY' THEN 1.3 WHEN 'CA' THEN 1.2
                WHEN 'TX' THEN 1.15 WHEN 'PA' THEN 0.9 WHEN 'AZ' THEN 0.95 ELSE 1.0 END
      * (0.55 + 0.9 * rnd(i, 208) + CASE WHEN rnd(i, 209) < 0.05 THEN 1.5 ELSE 0 END)
      * term_months / 12.0 AS prem,
    rnd(i, 210) < 0.07 AS cancelled
  FROM q
), s AS (
  SELECT *,
    CASE WHEN cancelled AND eff + 15 + CAST(floor(rnd(i, 211) * (expiry - eff - 20)) AS INTEGER) <= DATE '2025-06-30'
         THEN eff + 15 + CAST(floor(rnd(i, 211) * (expiry - eff - 20)) AS INTEGER) END AS cancel_date
  FROM r
), u AS (
  SELECT *,
    greatest(0, least(coalesce(cancel_date, expiry), expiry, DATE '2025-07-01') - eff) AS earned_days,
    expiry - eff AS term_days
  FROM s
)
SELECT
  'POL-' || lpad(CAST(row_number() OVER (ORDER BY eff, i) AS VARCHAR), 6, '0') AS policy_id,
  policyholder_id,
  lob AS line_of_business,
  st AS state,
  CASE WHEN rnd(i, 212) < 0.015 THEN NULL ELSE ch END AS channel,
  eff AS effective_date,
  expiry AS expiry_date,
  term_months,
  CASE WHEN cancel_date IS NOT NULL THEN 'cancelled'
       WHEN expiry <= DATE '2025-06-30' THEN 'expired' ELSE 'active' END AS policy_status,
  cancel_date AS cancellation_date,
  (customer_since < eff - 180 AND rnd(i, 213) < 0.92) AS is_renewal,
  CAST(round(prem, 2) AS DECIMAL(12, 2)) AS written_premium,
  CAST(round(round(prem, 2) * earned_days / term_days, 2) AS DECIMAL(12, 2)) AS earned_premium,
  CAST(round(earned_days / 365.0, 4) AS DECIMAL(10, 4)) AS earned_exposure_years
FROM u
ORDER BY eff, i;

-- claims: work table with the ultimate loss, dropped at the end
CREATE OR REPLACE TABLE bronze.claims_work AS
WITH pol AS (
  SELECT *, row_number() OVER (ORDER BY policy_id) AS pn,
    least(coalesce(cancellation_date, expiry_date), expiry_date, DATE '2025-07-01') - effective_date AS covered_days
  FROM bronze.policies
), cand AS (
  -- claims per policy ~ Poisson(annual frequency x earned exposure): slot s exists with probability lambda^s / s!
  SELECT pol.pn, s.n AS slot, pol.pn * 4 + s.n AS i
  FROM pol JOIN range(1, 4) s(n) ON true
  WHERE pol.covered_days > 0
    AND rnd(pol.pn * 4 + s.n, 303) < pow(CASE pol.line_of_business WHEN 'auto' THEN 0.24 WHEN 'home' THEN 0.11 ELSE 0.20 END
                                           * pol.covered_days / 365.0, s.n) / CASE s.n WHEN 1 THEN 1 WHEN 2 THEN 2 ELSE 6 END
), c AS (
  SELECT cand.i, pol.policy_id, pol.line_of_business AS lob, pol.state,
    pol.effective_date + CAST(floor(rnd(cand.i, 302) * pol.covered_days) AS INTEGER) AS loss_date
  FROM cand JOIN pol ON pol.pn = cand.pn
), d AS (
  SELECT *,
    loss_date + CAST(floor(pow(rnd(i, 304), 3) * 75) AS INTEGER) AS report_date,
    CASE lob
      WHEN 'auto' THEN CASE WHEN rnd(i, 305) < 0.45 THEN 'collision' WHEN rnd(i, 305) < 0.60 THEN 'glass'
                            WHEN rnd(i, 305) < 0.68 THEN 'theft' WHEN rnd(i, 305) < 0.85 THEN 'bodily_injury'
                            WHEN rnd(i, 305) < 0.90 THEN 'vandalism' ELSE 'wind_hail' END
      WHEN 'home' THEN CASE WHEN rnd(i, 305) < 0.35 THEN 'water_damage' WHEN rnd(i, 305) < 0.60 THEN 'wind_hail'
                            WHEN rnd(i, 305) < 0.70 THEN 'fire' WHEN rnd(i, 305) < 0.82 THEN 'theft'
                            WHEN rnd(i, 305) < 0.90 THEN 'liability' ELSE 'vandalism' END
      ELSE CASE WHEN rnd(i, 305) < 0.15 THEN 'fire' WHEN rnd(i, 305) < 0.35 THEN 'water_damage'
                WHEN rnd(i, 305) < 0.70 THEN 'liability' WHEN rnd(i, 305) < 0.80 THEN 'theft'
                WHEN rnd(i, 305) < 0.95 THEN 'wind_hail' ELSE 'bodily_injury' END END AS cause
  FROM c
), e AS (
  SELECT *,
    CASE WHEN cause = 'wind_hail' AND (state IN ('FL', 'TX', 'GA') AND month(loss_date) IN (8, 9, 10)
                                       OR state IN ('TX', 'AZ') AND month(loss_date) IN (4, 5)) THEN rnd(i, 306) < 0.85
         WHEN cause = 'wind_hail' THEN rnd(i, 306) < 0.25
         WHEN cause IN ('water_damage', 'fire') THEN rnd(i, 306) < 0.04
         ELSE false END AS is_cat,
    CASE WHEN cause = 'bodily_injury' THEN rnd(i, 307) < 0.30 WHEN cause = 'liability' THEN rnd(i, 307) < 0.22
         ELSE rnd(i, 307) < 0.015 END AS litig,
    rnd(i, 308) < CASE WHEN cause IN ('theft', 'liability', 'bodily_injury') THEN 0.12 ELSE 0.06 END AS denied
  FROM d
  WHERE report_date <= DATE '2025-06-30'
), f AS (
  SELECT *,
    round(CASE cause WHEN 'glass' THEN 450 WHEN 'collision' THEN 4200 WHEN 'theft' THEN 4200 WHEN 'bodily_injury' THEN 15000
                     WHEN 'vandalism' THEN 1600 WHEN 'wind_hail' THEN CASE WHEN lob = 'auto' THEN 3900 ELSE 13500 END
                     WHEN 'water_damage' THEN 9800 WHEN 'fire' THEN 38000 ELSE 21000 END
          * CASE WHEN lob = 'commercial' THEN 1.6 ELSE 1.0 END
          * CASE WHEN litig THEN 2.2 ELSE 1.0 END
          * (0.15 - ln(greatest(rnd(i, 309), 0.0005)) * 0.85), 2) AS ultimate,
    CASE WHEN denied THEN 5 + CAST(floor(rnd(i, 310) * 40) AS INTEGER)
         ELSE CAST(floor((CASE cause WHEN 'glass' THEN 8 WHEN 'collision' THEN 40 WHEN 'theft' THEN 55 WHEN 'vandalism' THEN 25
                                     WHEN 'bodily_injury' THEN 220 WHEN 'liability' THEN 190 WHEN 'fire' THEN 150
                                     WHEN 'water_damage' THEN 70 ELSE 60 END)
                         * CASE WHEN litig THEN 2.5 ELSE 1.0 END * (0.3 + 1.4 * rnd(i, 310))) AS INTEGER) END AS dur
  FROM e
), g AS (
  SELECT *, row_number() OVER (ORDER BY loss_date, i) AS k,
    report_date + dur <= DATE '2025-06-30' AS done
  FROM f
)
SELECT
  k, i,
  'CLM-' || lpad(CAST(k AS VARCHAR), 6, '0') AS claim_id,
  CASE WHEN rnd(i, 311) < 0.01 THEN NULL ELSE policy_id END AS policy_id,
  lob, cause, loss_date, report_date, is_cat, litig, denied,
  CASE WHEN denied THEN 0 ELSE ultimate END AS ultimate,
  CASE WHEN denied AND done THEN 'denied'
       WHEN denied THEN 'open'
       WHEN done AND rnd(i, 312) < 0.05 THEN 'reopened'
       WHEN done THEN 'closed' ELSE 'open' END AS status,
  CASE WHEN done AND (denied OR rnd(i, 312) >= 0.05) THEN report_date + dur END AS close_date,
  -- recoveries (salvage / subrogation) on some closed auto physical damage and theft claims
  CASE WHEN NOT denied AND done AND cause IN ('collision', 'theft') AND rnd(i, 313) < 0.18
       THEN round(ultimate * (0.2 + 0.4 * rnd(i, 314)), 2) ELSE 0 END AS recovery,
  -- adjuster: by specialty; large losses go to the large-loss unit; some new claims not assigned yet
  CASE WHEN report_date >= DATE '2025-06-20' AND rnd(i, 315) < 0.5 THEN NULL
       WHEN rnd(i, 315) < 0.012 THEN NULL
       WHEN NOT denied AND ultimate > 75000
         THEN 'ADJ-0' || CAST(34 + CAST(floor(rnd(i, 316) * 3) AS INTEGER) AS VARCHAR)
       WHEN cause IN ('bodily_injury', 'liability')
         THEN 'ADJ-0' || CAST(27 + CAST(floor(rnd(i, 316) * 7) AS INTEGER) AS VARCHAR)
       WHEN lob = 'auto'
         THEN 'ADJ-0' || lpad(CAST(1 + CAST(floor(rnd(i, 316) * 14) AS INTEGER) AS VARCHAR), 2, '0')
       ELSE 'ADJ-0' || CAST(15 + CAST(floor(rnd(i, 316) * 12) AS INTEGER) AS VARCHAR) END AS adjuster_id
FROM g;

CREATE OR REPLACE TABLE bronze.claim_payments AS
WITH w AS (
  SELECT *, least(coalesce(close_date, DATE '2025-06-30'), DATE '2025-06-30') AS pay_end,
    CASE WHEN status IN ('closed') THEN 1.0
         WHEN status = 'reopened' THEN 0.9 + 0.1 * rnd(i, 401)
         ELSE 0.7 * rnd(i, 401) END AS paid_frac,
    1 + CAST(floor(rnd(i, 402) * 3) AS INTEGER) AS n_ind,
    CAST(floor(rnd(i, 403) * (CASE WHEN litig THEN 4 ELSE 2.6 END)) AS INTEGER) AS n_exp
  FROM bronze.claims_work
), ind AS (
  SELECT w.claim_id, w.i, s.n AS slot, 'indemnity' AS payment_type, NULL AS expense_category,
    w.report_date + CAST(floor(rnd(w.i * 10 + s.n, 404) * (w.pay_end - w.report_date + 1)) AS INTEGER) AS payment_date,
    round(w.ultimate * w.paid_frac / w.n_ind, 2) AS amount
  FROM w JOIN range(1, 4) s(n) ON s.n <= w.n_ind
  WHERE NOT w.denied AND w.ultimate * w.paid_frac >= 1
), exp AS (
  SELECT w.claim_id, w.i, 10 + s.n AS slot, 'expense' AS payment_type,
    CASE WHEN w.litig AND rnd(w.i * 10 + s.n, 405) < 0.7 THEN 'defense_legal'
         WHEN rnd(w.i * 10 + s.n, 405) < 0.45 THEN 'independent_adjuster'
         WHEN rnd(w.i * 10 + s.n, 405) < 0.80 THEN 'appraisal' ELSE 'medical_review' END AS expense_category,
    w.report_date + CAST(floor(rnd(w.i * 10 + s.n, 406) * (w.pay_end - w.report_date + 1)) AS INTEGER) AS payment_date,
    round((120 + greatest(w.ultimate, 2000) * (0.03 + 0.06 * rnd(w.i * 10 + s.n, 407)))
          * CASE WHEN w.litig THEN 2.5 ELSE 1 END, 2) AS amount
  FROM w JOIN range(1, 4) s(n) ON s.n <= w.n_exp
), rec AS (
  SELECT w.claim_id, w.i, 20 AS slot, 'recovery' AS payment_type, NULL AS expense_category,
    w.close_date AS payment_date, -w.recovery AS amount
  FROM w WHERE w.recovery > 0
), allp AS (
  SELECT * FROM ind UNION ALL SELECT * FROM exp UNION ALL SELECT * FROM rec
)
SELECT
  'PAY-' || lpad(CAST(row_number() OVER (ORDER BY payment_date, i, slot) AS VARCHAR), 7, '0') AS payment_id,
  claim_id, payment_date, payment_type, expense_category,
  CAST(amount AS DECIMAL(12, 2)) AS amount
FROM allp
ORDER BY payment_date, i, slot;

CREATE OR REPLACE TABLE bronze.reserve_snapshots AS
WITH m AS (
  SELECT CAST(last_day(DATE '2024-01-01' + to_months(CAST(n AS INTEGER))) AS DATE) AS snapshot_date FROM range(0, 18) r(n)
), cm AS (
  SELECT c.*, m.snapshot_date,
    row_number() OVER (ORDER BY m.snapshot_date, c.k) AS sk
  FROM bronze.claims_work c JOIN m
    ON m.snapshot_date >= last_day(c.report_date)
   AND m.snapshot_date <= coalesce(last_day(c.close_date), DATE '2025-06-30')
), paid AS (
  SELECT cm.sk, coalesce(sum(p.amount), 0) AS paid_to_date
  FROM cm LEFT JOIN bronze.claim_payments p
    ON p.claim_id = cm.claim_id AND p.payment_type = 'indemnity' AND p.payment_date <= cm.snapshot_date
  GROUP BY 1
)
SELECT
  'RSV-' || lpad(CAST(cm.sk AS VARCHAR), 7, '0') AS snapshot_id,
  cm.claim_id,
  cm.snapshot_date,
  CAST(CASE WHEN cm.close_date IS NOT NULL AND cm.close_date <= cm.snapshot_date THEN 0
            WHEN cm.denied THEN round(500 + 1500 * rnd(cm.i, 501), 2)
            WHEN cm.snapshot_date = DATE '2025-06-30' THEN greatest(cm.ultimate - paid.paid_to_date, 0)
            ELSE greatest(round(cm.ultimate * (0.85 + 0.3 * rnd(cm.sk, 502)) - paid.paid_to_date, 2), 0) END
       AS DECIMAL(12, 2)) AS indemnity_reserve,
  CAST(CASE WHEN cm.close_date IS NOT NULL AND cm.close_date <= cm.snapshot_date THEN 0
            ELSE round((150 + greatest(cm.ultimate, 1500) * 0.06) * CASE WHEN cm.litig THEN 3 ELSE 1 END
                       * (0.8 + 0.4 * rnd(cm.sk, 503)), 2) END AS DECIMAL(12, 2)) AS expense_reserve
FROM cm JOIN paid ON paid.sk = cm.sk
ORDER BY cm.sk;

CREATE OR REPLACE TABLE bronze.claims AS
WITH pay AS (
  SELECT claim_id,
    sum(CASE WHEN payment_type = 'indemnity' THEN amount ELSE 0 END) AS ind_paid,
    sum(CASE WHEN payment_type = 'recovery' THEN amount ELSE 0 END) AS rec
  FROM bronze.claim_payments GROUP BY 1
), rsv AS (
  SELECT claim_id, indemnity_reserve FROM bronze.reserve_snapshots WHERE snapshot_date = DATE '2025-06-30'
)
SELECT
  c.claim_id, c.policy_id, c.adjuster_id,
  c.loss_date, c.report_date, c.close_date,
  c.status AS claim_status,
  c.cause AS cause_of_loss,
  CAST(CASE WHEN c.is_cat THEN 1 ELSE 0 END AS INTEGER) AS catastrophe_flag,
  c.litig AS litigation_flag,
  CAST(coalesce(pay.ind_paid, 0) + coalesce(pay.rec, 0)
       + coalesce(rsv.indemnity_reserve, 0) AS DECIMAL(12, 2)) AS incurred_loss
FROM bronze.claims_work c
LEFT JOIN pay ON pay.claim_id = c.claim_id
LEFT JOIN rsv ON rsv.claim_id = c.claim_id
ORDER BY c.k;

DROP TABLE bronze.claims_work;

ALTER TABLE bronze.adjusters ADD PRIMARY KEY (adjuster_id);
ALTER TABLE bronze.policyholders ADD PRIMARY KEY (policyholder_id);
ALTER TABLE bronze.policies ADD PRIMARY KEY (policy_id);
ALTER TABLE bronze.claims ADD PRIMARY KEY (claim_id);
ALTER TABLE bronze.claim_payments ADD PRIMARY KEY (payment_id);
ALTER TABLE bronze.reserve_snapshots ADD PRIMARY KEY (snapshot_id);

DROP MACRO IF EXISTS prand;

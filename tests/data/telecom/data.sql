-- Telecom test catalog: a mobile operator (fictional country, five regions).
-- Deterministic (no scale). Data window 2024-01-01 .. 2025-06-30; subscribers may be
-- activated before 2024 (the base), cell sites commissioned before 2024.
--
-- Tables (schema bronze)
--   plans              tariff plans (prepaid and postpaid, consumer and business)
--   subscribers        one row per subscriber line (SIM / MSISDN), current or churned
--   cell_sites         radio sites with region, technology (4G/5G), vendor
--   usage_daily        daily usage summaries per subscriber, service and cell site (sampled)
--   invoices           monthly postpaid bills
--   topups             prepaid top-ups (recharges), successful and failed
--   network_incidents  outages/degradations by cell site
--   port_requests      number-portability requests, in and out
--
-- KNOWN QUIRKS
--   subscribers.plan_id NULL for ~2 % (migrated lines), acquisition_channel NULL for ~3 %
--   usage_daily.site_id NULL on roaming rows (used abroad, roaming_country set)
--   network_incidents.site_id NULL for core-network incidents; open incidents have
--     restored_at and outage_minutes NULL
--   port_requests.subscriber_id NULL for failed port-ins (no line was created)
--   invoices of June 2025 are mostly 'open' (due in July)
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (same hash as the HR catalog).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.plans AS
SELECT * FROM (VALUES
  ('PRE-GO',      'Go Prepaid',          'consumer',  0.00, 0,    false, false, 0,  DATE '2016-03-01'),
  ('PRE-DATA10',  'Prepaid Data 10',     'consumer', 10.00, 10,   false, false, 0,  DATE '2019-05-01'),
  ('PRE-UNL',     'Prepaid Unlimited',   'consumer', 25.00, NULL, true,  false, 0,  DATE '2022-09-01'),
  ('PRE-CLASSIC', 'Prepaid Classic',     'consumer',  5.00, 1,    false, true,  0,  DATE '2012-01-01'),
  ('SMART-15',    'Smart 15',            'consumer', 18.00, 15,   false, false, 24, DATE '2020-02-01'),
  ('SMART-40',    'Smart 40',            'consumer', 28.00, 40,   false, false, 24, DATE '2021-06-01'),
  ('UNL-MAX',     'Unlimited Max',       'consumer', 45.00, NULL, true,  false, 24, DATE '2022-01-01'),
  ('FAMILY',      'Family Share',        'consumer', 60.00, 100,  false, false, 24, DATE '2023-03-01'),
  ('DATA-SIM',    'Data SIM 50',         'consumer', 20.00, 50,   false, false, 12, DATE '2020-10-01'),
  ('CLASSIC-5',   'Classic 5',           'consumer', 15.00, 5,    false, true,  24, DATE '2014-01-01'),
  ('BIZ-ESS',     'Business Essentials', 'business', 22.00, 20,   false, false, 12, DATE '2019-01-01'),
  ('BIZ-PRO',     'Business Pro',        'business', 38.00, 60,   false, false, 12, DATE '2021-01-01'),
  ('BIZ-UNL',     'Business Unlimited',  'business', 55.00, NULL, true,  false, 12, DATE '2022-04-01'),
  ('BIZ-CLASSIC', 'Business Classic',    'business', 30.00, 10,   false, true,  24, DATE '2013-06-01')
) v(plan_id, plan_name, plan_segment, monthly_fee, data_allowance_gb, is_unlimited, is_legacy, contract_months, launch_date);

CREATE OR REPLACE TABLE bronze.subscribers AS
WITH s AS (
  SELECT i,
    CASE WHEN prand(i, 2) < 0.45 THEN 'prepaid' ELSE 'postpaid' END AS payment_type,
    CASE WHEN prand(i, 3) < 0.58
         THEN DATE '2016-01-01' + CAST(floor(prand(i, 4) * 2922) AS INTEGER)
         ELSE DATE '2024-01-01' + CAST(floor(prand(i, 4) * 547) AS INTEGER) END AS activation_date
  FROM range(1, 4001) t(i)
), c AS (
  SELECT *,
    greatest(activation_date + 30, DATE '2024-01-01') AS c0,
    prand(i, 5) < CASE payment_type WHEN 'prepaid' THEN 0.32 ELSE 0.19 END AS will_churn
  FROM s
), d AS (
  SELECT *,
    CASE WHEN will_churn AND c0 <= DATE '2025-06-30'
         THEN c0 + CAST(floor(prand(i, 6) * (DATE '2025-06-30' - c0 + 1)) AS INTEGER) END AS churn_date,
    CASE WHEN payment_type = 'prepaid'
         THEN ['PRE-GO', 'PRE-GO', 'PRE-DATA10', 'PRE-DATA10', 'PRE-DATA10', 'PRE-UNL', 'PRE-UNL', 'PRE-CLASSIC']
              [1 + CAST(floor(prand(i, 7) * 8) AS INTEGER)]
         ELSE ['SMART-15', 'SMART-15', 'SMART-15', 'SMART-40', 'SMART-40', 'SMART-40', 'UNL-MAX', 'UNL-MAX', 'FAMILY',
               'DATA-SIM', 'CLASSIC-5', 'BIZ-ESS', 'BIZ-ESS', 'BIZ-PRO', 'BIZ-PRO', 'BIZ-UNL', 'BIZ-CLASSIC']
              [1 + CAST(floor(prand(i, 7) * 17) AS INTEGER)] END AS plan0
  FROM c
)
SELECT
  'SUB-' || lpad(CAST(i AS VARCHAR), 5, '0') AS subscriber_id,
  '07700' || lpad(CAST((i * 7919) % 1000000 AS VARCHAR), 6, '0') AS msisdn,
  ['James', 'Olivia', 'Noah', 'Amelia', 'Liam', 'Isla', 'Ethan', 'Ava', 'Mason', 'Sofia', 'Lucas', 'Grace',
   'Arjun', 'Fatima', 'Mateo', 'Zara', 'Daniel', 'Chloe', 'Kofi', 'Hana'][1 + CAST(floor(prand(i, 8) * 20) AS INTEGER)] || ' ' ||
  ['Smith', 'Jones', 'Patel', 'Brown', 'Taylor', 'Wilson', 'Khan', 'Evans', 'Murphy', 'Clarke', 'Mensah', 'Silva',
   'Novak', 'Okafor', 'Reid'][1 + CAST(floor(prand(i, 9) * 15) AS INTEGER)] AS customer_name,
  payment_type,
  CASE WHEN prand(i, 10) < 0.02 THEN NULL
       WHEN plan0 IN ('PRE-CLASSIC', 'CLASSIC-5', 'BIZ-CLASSIC') AND activation_date >= DATE '2021-01-01'
         THEN CASE plan0 WHEN 'PRE-CLASSIC' THEN 'PRE-DATA10' WHEN 'CLASSIC-5' THEN 'SMART-15' ELSE 'BIZ-ESS' END
       ELSE plan0 END AS plan_id,
  ['North', 'South', 'East', 'West', 'Metro', 'Metro'][1 + CAST(floor(prand(i, 11) * 6) AS INTEGER)] AS home_region,
  CASE WHEN prand(i, 12) < 0.03 THEN NULL
       WHEN prand(i, 13) < 0.35 THEN 'retail_store'
       WHEN prand(i, 13) < 0.65 THEN 'online'
       WHEN prand(i, 13) < 0.75 THEN 'telesales'
       ELSE 'partner_dealer' END AS acquisition_channel,
  CASE WHEN payment_type = 'prepaid' AND prand(i, 14) < 0.15 THEN 'feature_phone'
       WHEN prand(i, 14) < 0.62 THEN 'android' ELSE 'ios' END AS device_os,
  CASE WHEN payment_type = 'prepaid' AND prand(i, 14) < 0.15 THEN '3G'
       WHEN prand(i, 15) < CASE WHEN activation_date >= DATE '2023-01-01' THEN 0.65 ELSE 0.30 END THEN '5G'
       ELSE '4G' END AS device_capability,
  payment_type = 'postpaid' AND prand(i, 16) < 0.70 AS direct_debit,
  activation_date,
  churn_date,
  CASE WHEN churn_date IS NULL THEN NULL
       WHEN prand(i, 17) < 0.12 THEN CASE payment_type WHEN 'prepaid' THEN 'inactivity' ELSE 'non_payment' END
       WHEN prand(i, 17) < 0.37 THEN 'price'
       WHEN prand(i, 17) < 0.55 THEN 'network_quality'
       WHEN prand(i, 17) < 0.80 THEN 'competitor_offer'
       WHEN prand(i, 17) < 0.90 THEN 'relocation'
       ELSE 'other' END AS churn_reason,
  CASE WHEN churn_date IS NOT NULL THEN 'churned'
       WHEN prand(i, 18) < 0.04 THEN 'suspended'
       ELSE 'active' END AS status
FROM d
ORDER BY i;

CREATE OR REPLACE TABLE bronze.cell_sites AS
WITH s AS (
  SELECT i,
    ['Riverside', 'Oakfield', 'Harbour', 'Kingsway', 'Millbrook', 'Ashford', 'Bramley', 'Castlegate',
     'Elmwood', 'Fairview', 'Greenhill', 'Hollow Bay', 'Lakeside', 'Northgate', 'Stonebridge', 'Westcliff']
      [1 + (i - 1) // 5] || ' ' || ['Tower', 'Park', 'Central', 'Station', 'Heights'][1 + (i - 1) % 5] AS nm,
    ['North', 'South', 'East', 'West', 'Metro'][1 + (i % 5)] AS region,
    -- the first site of each region (i <= 5) is an old macro site
    CASE WHEN i <= 5 THEN DATE '2011-01-01' + CAST(floor(prand(i, 21) * 1500) AS INTEGER)
         WHEN prand(i, 22) < 0.14 THEN DATE '2024-01-01' + CAST(floor(prand(i, 21) * 500) AS INTEGER)
         ELSE DATE '2010-01-01' + CAST(floor(prand(i, 21) * 5000) AS INTEGER) END AS commissioned_date
  FROM range(1, 81) t(i)
)
SELECT
  'CS-' || lpad(CAST(i AS VARCHAR), 3, '0') AS site_id,
  CASE WHEN i IN (17, 58) THEN 'Market Square' ELSE nm END AS site_name,
  region,
  CASE WHEN commissioned_date >= DATE '2023-01-01' OR (i > 5 AND prand(i, 23) < 0.28) THEN '5G' ELSE '4G' END AS technology,
  CASE WHEN i <= 5 OR prand(i, 24) < 0.70 THEN 'macro' WHEN prand(i, 24) < 0.90 THEN 'small_cell' ELSE 'indoor' END AS site_type,
  CASE WHEN prand(i, 25) < 0.45 THEN 'Ericsson' WHEN prand(i, 25) < 0.85 THEN 'Nokia' ELSE 'Samsung' END AS vendor,
  commissioned_date
FROM s
ORDER BY i;

CREATE OR REPLACE TABLE bronze.usage_daily AS
WITH subs AS (
  SELECT CAST(substr(subscriber_id, 5) AS BIGINT) AS n, subscriber_id, payment_type, home_region,
    greatest(activation_date, DATE '2024-01-01') AS w0,
    least(coalesce(churn_date, DATE '2025-06-30'), DATE '2025-06-30') AS w1
  FROM bronze.subscribers
), sites AS (
  SELECT site_id, region, technology, commissioned_date,
    CAST(substr(site_id, 4) AS INTEGER) AS sn,
    row_number() OVER (PARTITION BY region ORDER BY site_id) AS rn,
    count(*) OVER (PARTITION BY region) AS cnt
  FROM bronze.cell_sites
), a AS (
  -- rejection sampling: a random subscriber and a random day, kept when the line was live that day
  SELECT t.i, s.*,
    DATE '2024-01-01' + CAST(floor(prand(t.i, 32) * 547) AS INTEGER) AS usage_date,
    CASE WHEN prand(t.i, 33) < 0.50 THEN 'data' WHEN prand(t.i, 33) < 0.85 THEN 'voice' ELSE 'sms' END AS service_type,
    -- roaming peaks in the summer holidays
    prand(t.i, 34) < CASE s.payment_type WHEN 'postpaid' THEN 0.05 ELSE 0.012 END
      * CASE WHEN month(DATE '2024-01-01' + CAST(floor(prand(t.i, 32) * 547) AS INTEGER)) IN (6, 7, 8) THEN 2.2
             WHEN month(DATE '2024-01-01' + CAST(floor(prand(t.i, 32) * 547) AS INTEGER)) = 12 THEN 1.4 ELSE 1.0 END AS is_roaming
  FROM range(1, 66001) t(i)
  JOIN subs s ON s.n = 1 + CAST(floor(prand(t.i, 31) * 4000) AS INTEGER)
  WHERE DATE '2024-01-01' + CAST(floor(prand(t.i, 32) * 547) AS INTEGER) BETWEEN s.w0 AND s.w1
), b AS (
  SELECT a.*,
    CASE WHEN a.is_roaming THEN NULL
         WHEN prand(a.i, 35) < 0.85
           THEN (SELECT x.site_id FROM sites x WHERE x.region = a.home_region
                 AND x.rn = 1 + CAST(floor(prand(a.i, 36) * x.cnt) AS INTEGER))
         ELSE 'CS-' || lpad(CAST(1 + CAST(floor(prand(a.i, 36) * 80) AS INTEGER) AS VARCHAR), 3, '0') END AS site0
  FROM a
), c AS (
  -- a site commissioned after the usage day is replaced by the region's first (old) site
  SELECT b.*,
    CASE WHEN b.site0 IS NULL THEN NULL
         WHEN st.commissioned_date > b.usage_date
           THEN (SELECT x.site_id FROM sites x WHERE x.region = st.region AND x.rn = 1)
         ELSE b.site0 END AS site_id,
    row_number() OVER (ORDER BY b.usage_date, b.i) AS k
  FROM b LEFT JOIN sites st ON st.site_id = b.site0
), e AS (
  SELECT c.*, st.technology, coalesce(st.sn, 0) AS sn,
    CASE WHEN c.service_type = 'voice' THEN 1 + CAST(floor(prand(c.i, 39) * 12) AS INTEGER) ELSE 0 END AS calls
  FROM c LEFT JOIN sites st ON st.site_id = c.site_id
)
SELECT
  k AS usage_id,
  subscriber_id,
  usage_date,
  site_id,
  service_type,
  is_roaming,
  CASE WHEN is_roaming THEN ['France', 'Spain', 'Spain', 'Germany', 'Italy', 'United States', 'Portugal', 'Greece', 'Turkey']
       [1 + CAST(floor(prand(i, 37) * 9) AS INTEGER)] END AS roaming_country,
  CAST(CASE WHEN service_type = 'data'
            THEN round((20 + pow(prand(i, 38), 2) * CASE WHEN is_roaming THEN 900 ELSE 3500 END)
                       * CASE WHEN payment_type = 'postpaid' THEN 1.3 ELSE 1.0 END, 1)
            ELSE 0 END AS DECIMAL(10, 1)) AS data_mb,
  CAST(CASE WHEN service_type = 'voice' THEN round(calls * (0.5 + prand(i, 40) * 6), 1) ELSE 0 END AS DECIMAL(8, 1)) AS voice_minutes,
  calls,
  -- drop probability per call: 5G sites drop less, a few problem sites drop much more
  CASE WHEN calls = 0 THEN 0
       WHEN prand(i, 41) < calls * CASE WHEN sn IN (9, 23, 31, 44, 62, 77) THEN 0.045
                                        WHEN technology = '5G' THEN 0.006
                                        WHEN site_id IS NULL THEN 0.02
                                        ELSE 0.011 + (sn % 7) * 0.0015 END
         THEN 1 + CASE WHEN prand(i, 42) < 0.2 THEN 1 ELSE 0 END
       ELSE 0 END AS dropped_calls,
  CASE WHEN service_type = 'sms' THEN 1 + CAST(floor(pow(prand(i, 43), 2) * 40) AS INTEGER) ELSE 0 END AS sms_count
FROM e
ORDER BY k;

CREATE OR REPLACE TABLE bronze.invoices AS
WITH months AS (
  SELECT CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE) AS bill_month FROM range(0, 18) r(n)
), b AS (
  SELECT s.subscriber_id, CAST(substr(s.subscriber_id, 5) AS BIGINT) AS n, s.direct_debit, s.churn_reason, s.churn_date,
         coalesce(p.monthly_fee, 20.00) AS fee, m.bill_month,
         row_number() OVER (ORDER BY m.bill_month, s.subscriber_id) AS k
  FROM bronze.subscribers s
  JOIN months m ON m.bill_month >= date_trunc('month', s.activation_date)
               AND (s.churn_date IS NULL OR m.bill_month <= s.churn_date)
  LEFT JOIN bronze.plans p ON p.plan_id = s.plan_id
  WHERE s.payment_type = 'postpaid'
), c AS (
  SELECT b.*,
    bill_month + 27 AS invoice_date,
    CASE WHEN prand(k, 51) < 0.15 THEN round(fee * 0.2, 2) ELSE 0 END AS discount,
    CASE WHEN prand(k, 52) < 0.25 THEN round(pow(prand(k, 53), 2) * 30, 2) ELSE 0 END AS usage_charge,
    CASE WHEN prand(k, 54) < 0.10 THEN round(5 + pow(prand(k, 55), 2) * 90, 2) ELSE 0 END AS roaming_charge
  FROM b
), d AS (
  SELECT c.*,
    CASE WHEN invoice_date >= DATE '2025-06-20' THEN CASE WHEN prand(k, 56) < 0.15 THEN 'paid' ELSE 'open' END
         WHEN churn_reason = 'non_payment' AND bill_month >= date_trunc('month', churn_date) - INTERVAL 2 MONTH THEN 'written_off'
         WHEN direct_debit THEN CASE WHEN prand(k, 56) < 0.98 THEN 'paid' ELSE 'overdue' END
         WHEN prand(k, 56) < 0.88 THEN 'paid'
         WHEN prand(k, 56) < 0.97 THEN 'overdue'
         ELSE 'written_off' END AS status
  FROM c
)
SELECT
  'INV-' || lpad(CAST(k AS VARCHAR), 6, '0') AS invoice_id,
  subscriber_id,
  bill_month,
  invoice_date,
  invoice_date + 14 AS due_date,
  CAST(fee AS DECIMAL(10, 2)) AS recurring_charge,
  CAST(usage_charge AS DECIMAL(10, 2)) AS usage_charge,
  CAST(roaming_charge AS DECIMAL(10, 2)) AS roaming_charge,
  CAST(discount AS DECIMAL(10, 2)) AS discount_amount,
  CAST(fee + usage_charge + roaming_charge - discount AS DECIMAL(10, 2)) AS total_amount,
  status,
  CASE WHEN status = 'paid' THEN least(invoice_date + CASE WHEN direct_debit THEN 14 ELSE 2 + CAST(floor(prand(k, 57) * 20) AS INTEGER) END,
                                      DATE '2025-06-30') END AS paid_date
FROM d
ORDER BY k;

CREATE OR REPLACE TABLE bronze.topups AS
WITH pre AS (
  SELECT subscriber_id, row_number() OVER (ORDER BY subscriber_id) AS pn, count(*) OVER () AS pc,
    greatest(activation_date, DATE '2024-01-01') AS w0,
    least(coalesce(churn_date, DATE '2025-06-30'), DATE '2025-06-30') AS w1
  FROM bronze.subscribers WHERE payment_type = 'prepaid'
), a AS (
  SELECT t.i, p.subscriber_id, DATE '2024-01-01' + CAST(floor(prand(t.i, 62) * 547) AS INTEGER) AS d,
    CASE WHEN prand(t.i, 63) < 0.35 THEN 'mobile_app' WHEN prand(t.i, 63) < 0.60 THEN 'retail_voucher'
         WHEN prand(t.i, 63) < 0.75 THEN 'online' WHEN prand(t.i, 63) < 0.90 THEN 'auto_topup' ELSE 'ussd' END AS channel
  FROM range(1, 30001) t(i)
  JOIN pre p ON p.pn = 1 + CAST(floor(prand(t.i, 61) * (SELECT max(pc) FROM pre)) AS INTEGER)
  WHERE DATE '2024-01-01' + CAST(floor(prand(t.i, 62) * 547) AS INTEGER) BETWEEN p.w0 AND p.w1
), b AS (
  SELECT a.*, row_number() OVER (ORDER BY d, i) AS k FROM a
)
SELECT
  'TU-' || lpad(CAST(k AS VARCHAR), 6, '0') AS topup_id,
  subscriber_id,
  CAST(d AS TIMESTAMP) + to_seconds(CAST(floor(prand(i, 64) * 86400) AS BIGINT)) AS topup_at,
  CAST([5, 10, 10, 10, 15, 20, 20, 25, 30, 50][1 + CAST(floor(prand(i, 65) * 10) AS INTEGER)] AS DECIMAL(8, 2)) AS amount,
  channel,
  CASE WHEN prand(i, 66) < CASE channel WHEN 'auto_topup' THEN 0.11 WHEN 'online' THEN 0.08 WHEN 'mobile_app' THEN 0.05
                                        WHEN 'ussd' THEN 0.04 ELSE 0.02 END
       THEN 'failed' ELSE 'successful' END AS status,
  prand(i, 67) < 0.18 AS bonus_applied
FROM b
ORDER BY k;

CREATE OR REPLACE TABLE bronze.network_incidents AS
WITH a AS (
  SELECT i,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(floor(prand(i, 71) * 547 * 86400) AS BIGINT)) AS started_at,
    CASE WHEN prand(i, 72) < 0.03 THEN NULL
         ELSE 'CS-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 73), 1.3) * 80) AS INTEGER) AS VARCHAR), 3, '0') END AS site0,
    prand(i, 74) < 0.12 AS is_planned,
    prand(i, 75) AS r
  FROM range(1, 701) t(i)
), a2 AS (
  -- an incident at a site not yet on air moves to the region's first (old) site
  SELECT a.*,
    CASE WHEN st.commissioned_date > CAST(a.started_at AS DATE)
         THEN (SELECT x.site_id FROM bronze.cell_sites x WHERE x.region = st.region ORDER BY x.site_id LIMIT 1)
         ELSE a.site0 END AS site_id
  FROM a LEFT JOIN bronze.cell_sites st ON st.site_id = a.site0
), b AS (
  SELECT a2.*,
    CASE WHEN is_planned THEN CASE WHEN r < 0.5 THEN 'P3' ELSE 'P4' END
         WHEN r < 0.05 THEN 'P1' WHEN r < 0.20 THEN 'P2' WHEN r < 0.60 THEN 'P3' ELSE 'P4' END AS severity,
    CASE WHEN is_planned THEN 'planned_maintenance'
         WHEN prand(i, 76) < 0.25 THEN 'power_failure' WHEN prand(i, 76) < 0.45 THEN 'fiber_cut'
         WHEN prand(i, 76) < 0.70 THEN 'hardware_fault' WHEN prand(i, 76) < 0.85 THEN 'software_fault'
         WHEN prand(i, 76) < 0.95 THEN 'weather' ELSE 'vandalism' END AS cause,
    row_number() OVER (ORDER BY started_at, i) AS k
  FROM a2
), c AS (
  SELECT b.*,
    CAST(CASE severity WHEN 'P1' THEN 60 + prand(i, 77) * 540 WHEN 'P2' THEN 30 + prand(i, 77) * 270
                       WHEN 'P3' THEN 15 + prand(i, 77) * 165 ELSE 5 + prand(i, 77) * 85 END AS INTEGER) AS mins
  FROM b
)
SELECT
  'INC-' || lpad(CAST(k AS VARCHAR), 5, '0') AS incident_id,
  site_id,
  started_at,
  CASE WHEN started_at >= TIMESTAMP '2025-06-29 06:00:00' THEN NULL ELSE started_at + to_minutes(mins) END AS restored_at,
  severity,
  cause,
  is_planned,
  CASE WHEN started_at >= TIMESTAMP '2025-06-29 06:00:00' THEN 'open' ELSE 'resolved' END AS incident_status,
  CASE WHEN started_at >= TIMESTAMP '2025-06-29 06:00:00' THEN NULL ELSE mins END AS outage_minutes,
  CAST(CASE severity WHEN 'P1' THEN 800 + prand(i, 78) * 4200 WHEN 'P2' THEN 200 + prand(i, 78) * 1300
                     WHEN 'P3' THEN 20 + prand(i, 78) * 380 ELSE prand(i, 78) * 60 END AS INTEGER)
    * CASE WHEN site_id IS NULL THEN 5 ELSE 1 END AS subscribers_affected
FROM c
ORDER BY k;

CREATE OR REPLACE TABLE bronze.port_requests AS
WITH ops AS (SELECT ['Vireo Mobile', 'Vireo Mobile', 'Telestar', 'Telestar', 'Telestar', 'Kora', 'Kora', 'Nimbus MVNO'] AS l),
pin AS (   -- completed port-ins: the line was activated on the completion day
  SELECT subscriber_id, msisdn, 'port_in' AS direction, CAST(substr(subscriber_id, 5) AS BIGINT) AS n,
    activation_date - 1 - CAST(floor(prand(CAST(substr(subscriber_id, 5) AS BIGINT), 81) * 4) AS INTEGER) AS requested_date,
    activation_date AS completed_date, 'completed' AS status
  FROM bronze.subscribers
  WHERE activation_date >= DATE '2024-01-06' AND prand(CAST(substr(subscriber_id, 5) AS BIGINT), 80) < 0.30
), pout AS ( -- completed port-outs: the line churned on the completion day
  SELECT subscriber_id, msisdn, 'port_out' AS direction, CAST(substr(subscriber_id, 5) AS BIGINT) + 5000 AS n,
    churn_date - 1 - CAST(floor(prand(CAST(substr(subscriber_id, 5) AS BIGINT), 83) * 5) AS INTEGER) AS requested_date,
    churn_date AS completed_date, 'completed' AS status
  FROM bronze.subscribers
  WHERE churn_date >= DATE '2024-01-08'
    AND prand(CAST(substr(subscriber_id, 5) AS BIGINT), 82) < CASE WHEN churn_reason IN ('price', 'competitor_offer') THEN 0.65
                                                                     WHEN churn_reason IN ('network_quality', 'relocation') THEN 0.25
                                                                     ELSE 0.0 END
), fin AS (  -- port-ins that never completed: no line was created
  SELECT NULL AS subscriber_id, '07' || lpad(CAST((i * 104729) % 1000000000 AS VARCHAR), 9, '0') AS msisdn,
    'port_in' AS direction, i + 10000 AS n,
    DATE '2024-01-01' + CAST(floor(prand(i, 84) * 547) AS INTEGER) AS requested_date, NULL::DATE AS completed_date,
    CASE WHEN prand(i, 85) < 0.6 THEN 'rejected' ELSE 'cancelled' END AS status
  FROM range(1, 131) t(i)
), fout AS ( -- port-outs that did not go through (rejected, or cancelled after a retention offer)
  SELECT s.subscriber_id, s.msisdn, 'port_out' AS direction, t.i + 20000 AS n,
    greatest(s.activation_date, DATE '2024-01-01') + CAST(floor(prand(t.i, 87) * 200) AS INTEGER) AS requested_date,
    NULL::DATE AS completed_date,
    CASE WHEN prand(t.i, 88) < 0.45 THEN 'rejected' ELSE 'cancelled' END AS status
  FROM range(1, 181) t(i)
  JOIN bronze.subscribers s ON s.subscriber_id = 'SUB-' || lpad(CAST(1 + CAST(floor(prand(t.i, 86) * 4000) AS INTEGER) AS VARCHAR), 5, '0')
  WHERE s.churn_date IS NULL
), pend AS ( -- requested in the last days of June 2025, not completed yet
  SELECT NULL AS subscriber_id, '07' || lpad(CAST((i * 7727) % 1000000000 AS VARCHAR), 9, '0') AS msisdn,
    'port_in' AS direction, i + 30000 AS n,
    DATE '2025-06-26' + CAST(floor(prand(i, 89) * 5) AS INTEGER) AS requested_date, NULL::DATE AS completed_date, 'pending' AS status
  FROM range(1, 13) t(i)
), u AS (
  SELECT * FROM pin UNION ALL SELECT * FROM pout UNION ALL SELECT * FROM fin
  UNION ALL SELECT * FROM fout WHERE requested_date <= DATE '2025-06-25' UNION ALL SELECT * FROM pend
), v AS (
  SELECT u.*, row_number() OVER (ORDER BY requested_date, n) AS k FROM u
)
SELECT
  'PRT-' || lpad(CAST(k AS VARCHAR), 5, '0') AS port_id,
  subscriber_id,
  msisdn,
  direction,
  (SELECT l FROM ops)[1 + CAST(floor(prand(n, 90) * 8) AS INTEGER)] AS counterparty_operator,
  requested_date,
  completed_date,
  status
FROM v
ORDER BY k;

ALTER TABLE bronze.plans ADD PRIMARY KEY (plan_id);
ALTER TABLE bronze.subscribers ADD PRIMARY KEY (subscriber_id);
ALTER TABLE bronze.cell_sites ADD PRIMARY KEY (site_id);
ALTER TABLE bronze.usage_daily ADD PRIMARY KEY (usage_id);
ALTER TABLE bronze.invoices ADD PRIMARY KEY (invoice_id);
ALTER TABLE bronze.topups ADD PRIMARY KEY (topup_id);
ALTER TABLE bronze.network_incidents ADD PRIMARY KEY (incident_id);
ALTER TABLE bronze.port_requests ADD PRIMARY KEY (port_id);

DROP MACRO IF EXISTS prand;

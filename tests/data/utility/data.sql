-- Utility test catalog: Northvale Energy, an electricity and gas distribution utility
-- (deterministic, no scale; a held-out catalog the dpgen code was not written for).
--
-- Tables (schema bronze)                                                                   rows
--   customers        customer accounts (residential, small business, commercial, industrial)   1 400
--   service_points   metered service points (one electric and/or one gas meter per premise),   2 092
--                    with district, premise type, meter technology and tariff
--   meter_readings   one read per service point and month, 2024-01 .. 2025-06 (kWh or therms) 36 252
--   bills            one bill per read of a service point with an account holder, with its    31 763
--                    payment (amount paid, paid date, method) when paid by the load of 2025-06-30
--   outages          electric and gas interruptions 2024-01-01 .. 2025-06-30                      390
--   work_orders      field jobs (meter installs, disconnects, leak calls, outage repair, ...)   4 200
-- Declared primary keys: all six tables. No foreign keys.
--
-- Quirks on purpose:
--   service_points.customer_id IS NULL for vacant premises (no account holder: read, never billed)
--   meter_readings.consumption_qty IS NULL when the read failed (read_type 'failed')
--   customers.autopay_flag is a 0/1 INTEGER, paperless_billing a BOOLEAN
--   customers.assistance_program is NULL for most customers (CARE / Medical Baseline otherwise)
--   outages.substation IS NULL for gas outages; outages.restored_at IS NULL for open outages
--   work_orders.service_point_id IS NULL for network work; outage_id only for outage repair jobs
--   'Riverside' is both a district and a substation name
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1), the same
-- BIGINT hash as the HR catalog; dropped at the end of the file.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

-- ---------------------------------------------------------------- customers
CREATE OR REPLACE TABLE bronze.customers AS
WITH c AS (
  SELECT i,
    CASE WHEN prand(i, 101) < 0.72 THEN 'residential' WHEN prand(i, 101) < 0.90 THEN 'small_business'
         WHEN prand(i, 101) < 0.98 THEN 'commercial' ELSE 'industrial' END AS seg,
    DATE '2010-01-01' + CAST(floor(pow(prand(i, 102), 0.55) * 5660) AS INTEGER) AS open_date
  FROM range(1, 1401) t(i)
), c2 AS (
  SELECT *,
    CASE WHEN prand(i, 103) < 0.07 AND open_date < DATE '2025-05-01'
         THEN greatest(open_date, DATE '2024-01-01') + 30
              + CAST(floor((prand(i, 104) + prand(i, 114) - floor(prand(i, 104) + prand(i, 114)))
                           * (DATE '2025-06-30' - greatest(open_date, DATE '2024-01-01') - 30)) AS INTEGER)
    END AS closed_date
  FROM c
)
SELECT
  'CU-' || CAST(10000 + i AS VARCHAR) AS customer_id,
  CASE WHEN seg = 'residential' THEN
    ['Alex', 'Sam', 'Maria', 'Jonas', 'Aisha', 'Ravi', 'Lena', 'Tom', 'Yara', 'Ken', 'Julia', 'Omar', 'Mia', 'Luis', 'Nora', 'Ben']
      [1 + CAST(floor(prand(i, 105) * 16) AS INTEGER)] || ' ' ||
    ['Meyer', 'Novak', 'Iyer', 'Costa', 'Berg', 'Kim', 'Walsh', 'Ahmed', 'Rossi', 'Lund', 'Park', 'Moreau', 'Okafor', 'Brennan', 'Silva', 'Duarte', 'Hale', 'Fischer']
      [1 + CAST(floor(prand(i, 106) * 18) AS INTEGER)]
  ELSE
    ['Harbor', 'Summit', 'Oakridge', 'Bluewater', 'Granite', 'Maple', 'Pioneer', 'Cedar', 'Northvale', 'Ironwood', 'Lakeside', 'Copper']
      [1 + CAST(floor(prand(i, 107) * 12) AS INTEGER)] || ' ' ||
    CASE seg
      WHEN 'industrial' THEN ['Steel Works', 'Plastics', 'Paper Mill', 'Foundry', 'Chemicals', 'Cold Storage']
        [1 + CAST(floor(prand(i, 108) * 6) AS INTEGER)]
      ELSE ['Bakery', 'Dental Clinic', 'Auto Repair', 'Foods', 'Hotel', 'Brewing', 'Laundry', 'Fitness', 'Pharmacy', 'Cafe', 'Hardware', 'Offices']
        [1 + CAST(floor(prand(i, 108) * 12) AS INTEGER)]
    END || ' ' || ['LLC', 'Inc', 'Co'][1 + CAST(floor(prand(i, 109) * 3) AS INTEGER)]
  END AS customer_name,
  seg AS customer_segment,
  open_date AS account_open_date,
  closed_date,
  CASE WHEN closed_date IS NOT NULL THEN 'closed' WHEN prand(i, 110) < 0.04 THEN 'collections' ELSE 'active' END AS account_status,
  CASE WHEN prand(i, 111) < 0.45 THEN 1 ELSE 0 END AS autopay_flag,
  prand(i, 112) < 0.55 AS paperless_billing,
  CASE WHEN seg <> 'residential' THEN NULL
       WHEN prand(i, 113) < 0.10 THEN 'CARE'
       WHEN prand(i, 113) < 0.13 THEN 'Medical Baseline' END AS assistance_program
FROM c2
ORDER BY i;

-- ---------------------------------------------------------------- service points
CREATE OR REPLACE TABLE bronze.service_points AS
WITH cu AS (
  SELECT c.*, CAST(substr(customer_id, 4) AS INTEGER) - 10000 AS i FROM bronze.customers c
), prem AS (
  -- one premise per customer, plus 60 vacant premises (no account holder)
  SELECT i, customer_id, customer_segment AS seg, account_open_date AS open_date, account_status, closed_date
  FROM cu
  UNION ALL
  SELECT 1400 + k, NULL, CASE WHEN prand(k, 120) < 0.8 THEN 'residential' ELSE 'small_business' END,
    DATE '2008-01-01' + CAST(floor(prand(k, 121) * 5800) AS INTEGER), 'vacant', NULL
  FROM range(1, 61) t(k)
), p2 AS (
  SELECT *,
    'PR-' || lpad(CAST(i AS VARCHAR), 5, '0') AS premise_id,
    ['Riverside', 'Riverside', 'Hillcrest', 'Hillcrest', 'Lakeshore', 'Old Town', 'Old Town', 'Millbrook', 'Ashford']
      [1 + CAST(floor(prand(i, 122) * 9) AS INTEGER)] AS district,
    CASE WHEN seg = 'residential' THEN CASE WHEN prand(i, 123) < 0.65 THEN 'single_family' ELSE 'multi_family' END
         WHEN seg = 'industrial' THEN 'industrial' ELSE 'commercial' END AS premise_type,
    -- the premise is often older than the current account (a move-in)
    CASE WHEN prand(i, 124) < 0.6 THEN open_date - CAST(floor(prand(i, 125) * 3000) AS INTEGER) ELSE open_date END AS conn_date,
    prand(i, 126) < 0.88 AS has_elec,
    prand(i, 127) < CASE WHEN seg = 'industrial' THEN 0.7 ELSE 0.5 END AS has_gas
  FROM prem
), sp AS (
  SELECT p2.*, 'electric' AS commodity, 1 AS ord FROM p2 WHERE has_elec OR NOT has_gas
  UNION ALL
  SELECT p2.*, 'gas', 2 FROM p2 WHERE has_gas
), sp2 AS (
  SELECT *, row_number() OVER (ORDER BY i, ord) AS k FROM sp
)
SELECT
  'SP-' || lpad(CAST(k AS VARCHAR), 6, '0') AS service_point_id,
  customer_id,
  premise_id,
  commodity,
  district,
  premise_type,
  CASE WHEN commodity = 'electric' THEN
         CASE WHEN prand(k, 130) < 0.70 THEN 'AMI' WHEN prand(k, 130) < 0.90 THEN 'AMR' ELSE 'manual' END
       ELSE CASE WHEN prand(k, 130) < 0.40 THEN 'AMI' WHEN prand(k, 130) < 0.80 THEN 'AMR' ELSE 'manual' END
  END AS meter_type,
  CASE WHEN commodity = 'gas' THEN CASE WHEN seg = 'residential' THEN 'G-RES' ELSE 'G-COM' END
       WHEN seg = 'residential' THEN CASE WHEN prand(k, 131) < 0.60 THEN 'E-RES-STD' WHEN prand(k, 131) < 0.85 THEN 'E-RES-TOU' ELSE 'E-RES-EV' END
       WHEN seg = 'small_business' THEN 'E-SMB' WHEN seg = 'commercial' THEN 'E-COM' ELSE 'E-IND' END AS tariff_code,
  commodity = 'electric' AND premise_type = 'single_family' AND prand(k, 132) < 0.14 AS is_net_metered,
  CASE WHEN customer_id IS NULL THEN 'vacant'
       WHEN account_status = 'closed' AND prand(k, 133) < 0.5 THEN 'disconnected'
       WHEN account_status = 'collections' AND prand(k, 133) < 0.35 THEN 'disconnected'
       ELSE 'active' END AS service_status,
  conn_date + CASE WHEN ord = 2 THEN CAST(floor(prand(k, 134) * 40) AS INTEGER) ELSE 0 END AS connection_date
FROM sp2
ORDER BY k;

-- the tariff's name and rate structure, as the billing system exports them on the service point
ALTER TABLE bronze.service_points ADD COLUMN tariff_name VARCHAR;
ALTER TABLE bronze.service_points ADD COLUMN rate_structure VARCHAR;
UPDATE bronze.service_points SET
  tariff_name = CASE tariff_code WHEN 'E-RES-STD' THEN 'Residential Standard' WHEN 'E-RES-TOU' THEN 'Residential Time-of-Use'
    WHEN 'E-RES-EV' THEN 'EV Home Charging' WHEN 'E-SMB' THEN 'Small Business General' WHEN 'E-COM' THEN 'Commercial Demand'
    WHEN 'E-IND' THEN 'Industrial High Voltage' WHEN 'G-RES' THEN 'Residential Gas' ELSE 'Commercial Gas' END,
  rate_structure = CASE tariff_code WHEN 'E-RES-STD' THEN 'tiered' WHEN 'E-RES-TOU' THEN 'time_of_use'
    WHEN 'E-RES-EV' THEN 'time_of_use' WHEN 'E-SMB' THEN 'flat' WHEN 'E-COM' THEN 'demand'
    WHEN 'E-IND' THEN 'demand' WHEN 'G-RES' THEN 'tiered' ELSE 'flat' END;

-- ---------------------------------------------------------------- meter readings
CREATE OR REPLACE TABLE bronze.meter_readings AS
WITH months AS (
  SELECT CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE) AS m FROM range(0, 18) r(n)
), r AS (
  SELECT s.service_point_id, s.commodity, s.meter_type, s.premise_type, s.tariff_code, s.service_status, s.customer_id,
    CAST(substr(s.service_point_id, 4) AS INTEGER) AS spk, m.m,
    m.m + CAST(floor(prand(CAST(substr(s.service_point_id, 4) AS INTEGER), 140) * 25) AS INTEGER) AS read_date,
    month(m.m) AS mo
  FROM bronze.service_points s JOIN months m
    ON m.m + CAST(floor(prand(CAST(substr(s.service_point_id, 4) AS INTEGER), 140) * 25) AS INTEGER) >= s.connection_date
), r2 AS (
  SELECT *, row_number() OVER (ORDER BY read_date, service_point_id) AS k FROM r
), r3 AS (
  SELECT *,
    CASE WHEN prand(k, 141) < 0.004 THEN 'failed'
         WHEN prand(k, 142) < CASE meter_type WHEN 'manual' THEN 0.28 WHEN 'AMR' THEN 0.08 ELSE 0.02 END THEN 'estimated'
         WHEN meter_type = 'manual' AND prand(k, 143) < 0.15 THEN 'customer'
         ELSE 'actual' END AS read_type,
    -- seasonal shape: electricity peaks in summer (cooling) and a bit in winter; gas in winter
    CASE WHEN commodity = 'electric'
         THEN (CASE premise_type WHEN 'single_family' THEN 720 WHEN 'multi_family' THEN 430 WHEN 'commercial' THEN 6500 ELSE 120000 END)
              * (1 + 0.30 * CASE WHEN mo IN (6, 7, 8) THEN 1 WHEN mo IN (12, 1, 2) THEN 0.5 ELSE 0 END)
              * (CASE WHEN tariff_code = 'E-RES-EV' THEN 1.35 ELSE 1 END)
         ELSE (CASE WHEN premise_type IN ('single_family', 'multi_family') THEN 45 WHEN premise_type = 'commercial' THEN 420 ELSE 6000 END)
              * (CASE WHEN mo IN (12, 1, 2) THEN 2.6 WHEN mo IN (3, 11) THEN 1.6 WHEN mo IN (4, 10) THEN 0.9 ELSE 0.35 END)
    END * (0.6 + prand(k, 144) * 0.8) * (CASE WHEN service_status = 'vacant' THEN 0.08 ELSE 1 END) AS q
  FROM r2
)
SELECT
  k AS reading_id,
  service_point_id,
  read_date,
  read_type,
  CASE WHEN read_type = 'failed' THEN NULL ELSE CAST(round(q, 1) AS DECIMAL(12, 1)) END AS consumption_qty,
  CASE WHEN commodity = 'electric' THEN 'kWh' ELSE 'therm' END AS unit_of_measure
FROM r3
WHERE read_date <= DATE '2025-06-30'
ORDER BY k;

-- ---------------------------------------------------------------- bills (with their payment)
CREATE OR REPLACE TABLE bronze.bills AS
WITH b AS (
  SELECT r.reading_id, r.service_point_id, s.customer_id, r.read_date, r.read_type, r.consumption_qty, s.tariff_code,
    c.customer_segment, c.autopay_flag, c.account_status, c.account_open_date, c.closed_date
  FROM bronze.meter_readings r
  JOIN bronze.service_points s ON s.service_point_id = r.service_point_id
  JOIN bronze.customers c ON c.customer_id = s.customer_id
  WHERE r.read_date >= c.account_open_date AND (c.closed_date IS NULL OR r.read_date <= c.closed_date + 30)
    AND r.read_date + 2 <= DATE '2025-06-30'
), b2 AS (
  SELECT *, row_number() OVER (ORDER BY read_date, service_point_id) AS k,
    -- failed reads are billed on an estimate
    coalesce(consumption_qty, 0) * CASE tariff_code WHEN 'E-RES-STD' THEN 0.24 WHEN 'E-RES-TOU' THEN 0.21 WHEN 'E-RES-EV' THEN 0.19
      WHEN 'E-SMB' THEN 0.22 WHEN 'E-COM' THEN 0.17 WHEN 'E-IND' THEN 0.11 WHEN 'G-RES' THEN 1.45 ELSE 1.20 END AS usage,
    CASE tariff_code WHEN 'E-RES-STD' THEN 12.50 WHEN 'E-RES-TOU' THEN 12.50 WHEN 'E-RES-EV' THEN 14.00 WHEN 'E-SMB' THEN 25.00
      WHEN 'E-COM' THEN 95.00 WHEN 'E-IND' THEN 450.00 WHEN 'G-RES' THEN 9.00 ELSE 30.00 END AS fixed
  FROM b
), b3 AS (
  SELECT *,
    CAST(round(usage, 2) AS DECIMAL(12, 2)) AS usage_charge,
    CAST(fixed AS DECIMAL(12, 2)) AS fixed_charge,
    CAST(round((round(usage, 2) + fixed) * 0.05, 2) AS DECIMAL(12, 2)) AS tax_amount,
    read_date + 2 AS bill_date,
    read_date + 23 AS due_date,
    CASE WHEN prand(k, 150) < 0.01 THEN 'cancel'
         WHEN account_status = 'collections' AND prand(k, 151) < 0.7 THEN 'none'
         WHEN autopay_flag = 1 THEN CASE WHEN prand(k, 151) < 0.03 THEN 'none' ELSE 'full_auto' END
         WHEN prand(k, 151) < 0.78 THEN 'full'
         WHEN prand(k, 151) < 0.88 THEN 'partial'
         ELSE 'none' END AS behaviour,
    CASE WHEN autopay_flag = 1 THEN 21 ELSE 4 + CAST(floor(pow(prand(k, 152), 1.6) * 45) AS INTEGER) END AS pay_lag
  FROM b2
), b4 AS (
  SELECT *,
    usage_charge + fixed_charge + tax_amount AS total_amount,
    CASE WHEN behaviour IN ('full', 'full_auto', 'partial') AND bill_date + pay_lag <= DATE '2025-06-30' THEN bill_date + pay_lag END AS pdate
  FROM b3
)
SELECT
  'BL-' || lpad(CAST(k AS VARCHAR), 7, '0') AS bill_id,
  customer_id,
  service_point_id,
  bill_date,
  due_date,
  read_type = 'estimated' OR read_type = 'failed' AS is_estimated_bill,
  usage_charge,
  fixed_charge,
  tax_amount,
  total_amount,
  CASE WHEN behaviour = 'cancel' THEN 'cancelled'
       WHEN pdate IS NOT NULL AND behaviour = 'partial' THEN 'partially_paid'
       WHEN pdate IS NOT NULL THEN 'paid'
       WHEN closed_date IS NOT NULL AND bill_date < DATE '2025-01-01' THEN 'written_off'
       ELSE 'unpaid' END AS bill_status,
  CASE WHEN behaviour = 'cancel' OR pdate IS NULL THEN NULL
       WHEN behaviour = 'partial' THEN CAST(round(total_amount * (0.3 + prand(k, 153) * 0.5), 2) AS DECIMAL(12, 2))
       ELSE total_amount END AS amount_paid,
  CASE WHEN behaviour = 'cancel' THEN NULL ELSE pdate END AS paid_date,
  CASE WHEN behaviour = 'cancel' OR pdate IS NULL THEN NULL
       WHEN behaviour = 'full_auto' THEN 'direct_debit'
       WHEN prand(k, 154) < 0.45 THEN 'card' WHEN prand(k, 154) < 0.75 THEN 'bank_transfer'
       WHEN prand(k, 154) < 0.88 THEN 'check' ELSE 'cash' END AS payment_method,
  CAST(CASE WHEN behaviour <> 'cancel' AND pdate > read_date + 23 THEN 10.00 ELSE 0 END AS DECIMAL(8, 2)) AS late_fee
FROM b4
ORDER BY k;

-- ---------------------------------------------------------------- outages
CREATE OR REPLACE TABLE bronze.outages AS
WITH o AS (
  SELECT i,
    CASE WHEN prand(i, 160) < 0.88 THEN 'electric' ELSE 'gas' END AS commodity,
    TIMESTAMP '2024-01-01 00:00:00' + to_minutes(CAST(floor(prand(i, 161) * 787680) AS BIGINT)) AS started_at,
    prand(i, 162) AS pc
  FROM range(1, 391) t(i)
), o2 AS (
  SELECT *,
    CASE WHEN commodity = 'electric' THEN
           CASE WHEN pc < 0.30 THEN 'weather' WHEN pc < 0.55 THEN 'equipment_failure' WHEN pc < 0.70 THEN 'vegetation'
                WHEN pc < 0.80 THEN 'animal' WHEN pc < 0.87 THEN 'third_party_damage' WHEN pc < 0.97 THEN 'planned_maintenance'
                ELSE 'unknown' END
         ELSE CASE WHEN pc < 0.40 THEN 'third_party_damage' WHEN pc < 0.70 THEN 'equipment_failure' ELSE 'planned_maintenance' END
    END AS cause,
    row_number() OVER (ORDER BY started_at) AS k,
    count(*) OVER () AS n_all
  FROM o
), o3 AS (
  SELECT *,
    CASE WHEN cause = 'planned_maintenance' THEN 120 + CAST(floor(prand(k, 163) * 300) AS INTEGER)
         WHEN prand(k, 164) < 0.09 THEN 1 + CAST(floor(prand(k, 165) * 4) AS INTEGER)          -- momentary
         ELSE 15 + CAST(floor(pow(prand(k, 165), 2.2) * 1400) AS INTEGER) END AS dur,
    CASE WHEN cause = 'planned_maintenance' THEN 5 + CAST(floor(prand(k, 166) * 180) AS INTEGER)
         ELSE 1 + CAST(floor(pow(prand(k, 166), 2.5) * 4200) AS INTEGER) END AS ca
  FROM o2
)
SELECT
  'OUT-' || lpad(CAST(k AS VARCHAR), 5, '0') AS outage_id,
  commodity,
  ['Riverside', 'Riverside', 'Hillcrest', 'Hillcrest', 'Lakeshore', 'Old Town', 'Old Town', 'Millbrook', 'Ashford']
    [1 + CAST(floor(prand(k, 167) * 9) AS INTEGER)] AS district,
  CASE WHEN commodity = 'electric' THEN
    ['Riverside', 'Kingsway', 'Northgate', 'Elm Park', 'Quarry Road', 'Harbour Point'][1 + CAST(floor(prand(k, 168) * 6) AS INTEGER)]
  END AS substation,
  cause,
  cause = 'planned_maintenance' AS is_planned,
  started_at,
  -- the last two outages of the load are still open (no restoration time yet)
  CASE WHEN k > n_all - 2 OR started_at + to_minutes(dur) > TIMESTAMP '2025-06-30 23:59:59' THEN NULL ELSE started_at + to_minutes(dur) END AS restored_at,
  CASE WHEN k > n_all - 2 OR started_at + to_minutes(dur) > TIMESTAMP '2025-06-30 23:59:59' THEN 'open' ELSE 'restored' END AS outage_status,
  ca AS customers_affected
FROM o3
ORDER BY k;

-- ---------------------------------------------------------------- work orders
CREATE OR REPLACE TABLE bronze.work_orders AS
WITH w AS (
  SELECT i, prand(i, 170) AS pt,
    DATE '2024-01-01' + CAST(floor(prand(i, 171) * 547) AS INTEGER) AS created_date
  FROM range(1, 4201) t(i)
), w2 AS (
  SELECT *,
    CASE WHEN pt < 0.14 THEN 'meter_install' WHEN pt < 0.28 THEN 'meter_exchange' WHEN pt < 0.40 THEN 'disconnect'
         WHEN pt < 0.50 THEN 'reconnect' WHEN pt < 0.60 THEN 'leak_investigation' WHEN pt < 0.72 THEN 'outage_repair'
         WHEN pt < 0.88 THEN 'inspection' ELSE 'vegetation_trim' END AS work_type,
    row_number() OVER (ORDER BY created_date, i) AS k
  FROM w
), sps AS (
  -- gas leaks are investigated at gas service points, other jobs at any service point
  SELECT service_point_id, district, commodity, row_number() OVER (ORDER BY service_point_id) AS n,
    CASE WHEN commodity = 'gas' THEN row_number() OVER (PARTITION BY commodity ORDER BY service_point_id) END AS gn
  FROM bronze.service_points
), outs AS (
  SELECT outage_id, district, started_at, row_number() OVER (ORDER BY outage_id) AS n FROM bronze.outages WHERE NOT is_planned
), w3 AS (
  SELECT w2.*,
    CASE WHEN work_type IN ('meter_install', 'meter_exchange', 'disconnect', 'reconnect')
           OR (work_type = 'inspection' AND prand(k, 172) < 0.5)
         THEN 1 + CAST(floor(prand(k, 173) * (SELECT count(*) FROM sps)) AS INTEGER) END AS sp_n,
    CASE WHEN work_type = 'leak_investigation'
         THEN 1 + CAST(floor(prand(k, 173) * (SELECT count(gn) FROM sps)) AS INTEGER) END AS gas_n,
    CASE WHEN work_type = 'outage_repair' THEN 1 + CAST(floor(prand(k, 174) * (SELECT count(*) FROM outs)) AS INTEGER) END AS out_n,
    CASE WHEN work_type IN ('leak_investigation', 'outage_repair') THEN CASE WHEN prand(k, 175) < 0.8 THEN 'emergency' ELSE 'high' END
         WHEN work_type IN ('disconnect', 'reconnect') THEN CASE WHEN prand(k, 175) < 0.4 THEN 'high' ELSE 'routine' END
         ELSE CASE WHEN prand(k, 175) < 0.12 THEN 'high' ELSE 'routine' END END AS priority
  FROM w2
), w4 AS (
  SELECT w3.*, s.service_point_id, o.outage_id,
    coalesce(s.district, o.district,
      ['Riverside', 'Riverside', 'Hillcrest', 'Hillcrest', 'Lakeshore', 'Old Town', 'Old Town', 'Millbrook', 'Ashford']
        [1 + CAST(floor(prand(k, 176) * 9) AS INTEGER)]) AS district,
    CASE WHEN o.outage_id IS NOT NULL THEN greatest(CAST(o.started_at AS DATE), w3.created_date) ELSE w3.created_date END AS cdate,
    coalesce(s.commodity, CASE WHEN work_type IN ('outage_repair', 'vegetation_trim') THEN 'electric' END) AS comm
  FROM w3 LEFT JOIN sps s ON s.n = w3.sp_n OR s.gn = w3.gas_n LEFT JOIN outs o ON o.n = w3.out_n
), w5 AS (
  SELECT *,
    CASE WHEN priority = 'emergency' THEN 0 WHEN priority = 'high' THEN 1 + CAST(floor(prand(k, 177) * 4) AS INTEGER)
         ELSE 3 + CAST(floor(prand(k, 177) * 20) AS INTEGER) END AS sched_lag,
    CASE WHEN priority = 'emergency' THEN CAST(floor(prand(k, 178) * 2) AS INTEGER)
         ELSE CAST(floor(pow(prand(k, 178), 1.5) * 12) AS INTEGER) - 3 END AS slip
  FROM w4
), w6 AS (
  SELECT *, cdate + sched_lag AS sdate, cdate + sched_lag + greatest(slip, 0) AS done
  FROM w5
)
SELECT
  'WO-' || lpad(CAST(k AS VARCHAR), 6, '0') AS work_order_id,
  service_point_id,
  outage_id,
  district,
  work_type,
  priority,
  CASE WHEN work_type IN ('outage_repair', 'vegetation_trim') THEN
         CASE WHEN prand(k, 179) < 0.25 THEN 'Vega Contracting' WHEN prand(k, 179) < 0.62 THEN 'North Line Crew' ELSE 'South Line Crew' END
       WHEN work_type = 'leak_investigation' OR comm = 'gas' THEN 'Gas Operations'
       WHEN work_type IN ('meter_install', 'meter_exchange', 'disconnect', 'reconnect') THEN 'Meter Services'
       ELSE CASE WHEN prand(k, 179) < 0.5 THEN 'North Line Crew' ELSE 'South Line Crew' END END AS crew,
  cdate AS created_date,
  sdate AS scheduled_date,
  CASE WHEN prand(k, 180) < 0.04 THEN NULL WHEN done > DATE '2025-06-30' THEN NULL ELSE done END AS completed_date,
  CASE WHEN prand(k, 180) < 0.04 THEN 'cancelled'
       WHEN done > DATE '2025-06-30' THEN CASE WHEN sdate <= DATE '2025-06-30' THEN 'in_progress' ELSE 'open' END
       ELSE 'completed' END AS status,
  CASE WHEN prand(k, 180) < 0.04 THEN NULL ELSE CAST(round(
    CASE work_type WHEN 'outage_repair' THEN 4 + prand(k, 181) * 20 WHEN 'vegetation_trim' THEN 3 + prand(k, 181) * 10
      WHEN 'leak_investigation' THEN 1 + prand(k, 181) * 6 WHEN 'meter_install' THEN 1.5 + prand(k, 181) * 3
      ELSE 0.5 + prand(k, 181) * 2.5 END, 1) AS DECIMAL(6, 1)) END AS labor_hours,
  CAST(CASE WHEN prand(k, 180) < 0.04 THEN 0 ELSE round(
    CASE work_type WHEN 'outage_repair' THEN 200 + prand(k, 182) * 4800 WHEN 'meter_install' THEN 180 + prand(k, 182) * 220
      WHEN 'meter_exchange' THEN 150 + prand(k, 182) * 150 WHEN 'leak_investigation' THEN prand(k, 182) * 600
      ELSE prand(k, 182) * 80 END, 2) END AS DECIMAL(10, 2)) AS material_cost
FROM w6
WHERE cdate <= DATE '2025-06-30'
ORDER BY k;

ALTER TABLE bronze.customers ADD PRIMARY KEY (customer_id);
ALTER TABLE bronze.service_points ADD PRIMARY KEY (service_point_id);
ALTER TABLE bronze.meter_readings ADD PRIMARY KEY (reading_id);
ALTER TABLE bronze.bills ADD PRIMARY KEY (bill_id);
ALTER TABLE bronze.outages ADD PRIMARY KEY (outage_id);
ALTER TABLE bronze.work_orders ADD PRIMARY KEY (work_order_id);

DROP MACRO IF EXISTS prand;

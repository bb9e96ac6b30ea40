-- parts: what `dbt build` of tests/data/parts/project leaves in the warehouse.
-- "Gearbridge" is a B2B marketplace for industrial MRO spare parts (bearings, seals, hydraulics,
-- drives ...): buyer companies (plants, mines, mills) order from independent suppliers' listings,
-- suppliers ship with parcel / LTL / air-freight carriers, buyers return parts (RMAs), request
-- quotes (RFQs) that suppliers win or lose, and buyers on net terms carry an open AR balance.
--
-- Marts (schema analytics; the project's generate_schema_name uses the custom schema as is):
--   table                     rows   grain
--   dim_buyers                  320   buyer company (BUY-0001 .. BUY-0320)
--   dim_suppliers                48   supplier (SUP-001 .. SUP-048)
--   dim_parts                 1 138   listing: one part offered by one supplier (PRT-00001 ..)
--   fct_orders                9 573   order (one supplier per order)
--   fct_order_lines          27 029   order line
--   fct_shipments             8 964   shipment (one per shipped order)
--   fct_returns               1 151   return request (RMA) of an order line
--   fct_rfqs                  3 193   request for quote
--   fct_receivables_daily    44 544   day x buyer on net terms (AR snapshot)
--   metricflow_time_spine     1 461   day, 2023-01-01 .. 2026-12-31
-- Staging models are views in schema staging and are not rebuilt here (nothing reads them).
--
-- Events fall in 2024-01-01 .. 2025-06-30 (the last load); buyers signed up from 2022.
-- Quirks kept on purpose (they are in the raw data too):
--   dim_buyers.industry NULL for ~3 % (CRM field never filled)
--   dim_parts.brand NULL for ~4 % (unbranded / generic parts)
--   fct_orders.quote_id NULL unless the order came from a won RFQ (order_channel = 'rfq')
--   fct_shipments.carrier NULL for ~1.5 % (supplier's own truck, no carrier recorded)
--   fct_shipments.delivered_date NULL while in transit or for an exception (lost / damaged)
--   fct_returns.refund_amount_usd NULL while the RMA is pending, 0 when rejected
--   fct_rfqs.responded_date / response_hours / quoted_amount_usd NULL when the supplier never answered
--   two different buyer companies are both called 'Atlas Foods' (one US, one UK)
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1): integer-only modular hashing (two
-- squaring rounds, the multiplier depends on the salt, so draws of one row with different salts are
-- independent even after filtering on one of them; the HR test data's single-round hash is not).
CREATE OR REPLACE MACRO _a(i, salt) AS ((CAST(i AS BIGINT) * ((1103515245 + CAST(salt AS BIGINT) * 320791259) % 2147483647) + 12345) % 2147483647);
CREATE OR REPLACE MACRO _h1(i, salt) AS (((((_a(i, salt) * _a(i, salt)) % 2147483647 + CAST(salt AS BIGINT) * 7919) % 2147483647) * 1583458089 + 99991) % 2147483647);
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((_h1(i, salt) * _h1(i, salt) % 2147483647 + 7) % 2147483647 * 48271 % 2147483647 AS DOUBLE) / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS _gen;

-- ------------------------------------------------------------------ buyers
CREATE OR REPLACE TABLE analytics.dim_buyers AS
WITH b AS (
  SELECT i,
    ['Atlas', 'Northfield', 'Cascade', 'Redwood', 'Summit', 'Ironbridge', 'Bluewater', 'Granite', 'Harbor', 'Keystone',
     'Lakeside', 'Meridian', 'Pinnacle', 'Riverbend', 'Silverline', 'Timberline', 'Vanguard', 'Westgate', 'Copperfield', 'Eagle Rock',
     'Frontier', 'Highland', 'Juniper', 'Liberty', 'Maple Ridge', 'Oakmont', 'Prairie', 'Sierra', 'Stonebridge', 'Tri-County',
     'Union', 'Valley', 'Weston', 'Aurora', 'Beacon', 'Crescent', 'Delta', 'Evergreen', 'Falcon', 'Horizon']
      [1 + ((i - 1) % 40)] AS prefix,
    1 + ((i - 1) // 40) AS ind
  FROM range(1, 321) t(i)
), b2 AS (
  SELECT i, prefix,
    ['Mining', 'Foods', 'Paper', 'Automotive', 'Chemicals', 'Power', 'Steel', 'Water'][ind] AS suffix,
    ['mining', 'food_beverage', 'pulp_paper', 'automotive', 'chemicals', 'energy', 'metals', 'water_utilities'][ind] AS industry0,
    CASE WHEN prand(i, 11) < 0.15 THEN 'enterprise' WHEN prand(i, 11) < 0.50 THEN 'mid_market' ELSE 'smb' END AS tier,
    CASE WHEN prand(i, 12) < 0.40 THEN 'United States' WHEN prand(i, 12) < 0.60 THEN 'Germany'
         WHEN prand(i, 12) < 0.70 THEN 'United Kingdom' WHEN prand(i, 12) < 0.78 THEN 'Canada'
         WHEN prand(i, 12) < 0.85 THEN 'Mexico' WHEN prand(i, 12) < 0.93 THEN 'Poland' ELSE 'Brazil' END AS country0,
    DATE '2022-01-01' + CAST(floor(pow(prand(i, 13), 0.9) * 1276) AS INTEGER) AS signup_date
  FROM b
)
SELECT
  printf('BUY-%04d', i) AS buyer_id,
  CASE WHEN i = 161 THEN 'Atlas Foods' ELSE prefix || ' ' || suffix END AS company_name,
  CASE WHEN i = 161 THEN 'food_beverage' WHEN prand(i, 14) < 0.03 THEN NULL ELSE industry0 END AS industry,
  tier,
  CASE WHEN i = 41 THEN 'United States' WHEN i = 161 THEN 'United Kingdom' ELSE country0 END AS country,
  signup_date,
  CASE WHEN tier = 'enterprise' THEN (CASE WHEN prand(i, 15) < 0.6 THEN 'net60' ELSE 'net30' END)
       WHEN tier = 'mid_market' THEN (CASE WHEN prand(i, 15) < 0.5 THEN 'net30' ELSE 'prepaid' END)
       ELSE (CASE WHEN prand(i, 15) < 0.06 THEN 'net30' ELSE 'prepaid' END) END AS payment_terms,
  CAST(CASE WHEN tier = 'enterprise' THEN (CASE WHEN prand(i, 16) < 0.5 THEN 250000 ELSE 500000 END)
       WHEN tier = 'mid_market' THEN (CASE WHEN prand(i, 16) < 0.5 THEN 50000 ELSE 100000 END)
       ELSE 15000 END AS DECIMAL(12, 2)) AS credit_limit_usd,
  prand(i, 17) < 0.82 AS is_verified
FROM b2;

-- ------------------------------------------------------------------ suppliers
CREATE OR REPLACE TABLE analytics.dim_suppliers AS
WITH s AS (
  SELECT * FROM (VALUES
    (1,  'Kraus Antriebstechnik GmbH',   'Germany',       'oem',            'drives',             'motors'),
    (2,  'Rheinland Bearings GmbH',      'Germany',       'distributor',    'bearings',           'power_transmission'),
    (3,  'Ohio Bearing Supply',          'United States', 'distributor',    'bearings',           'seals'),
    (4,  'Great Lakes Hydraulics',       'United States', 'distributor',    'hydraulics',         'valves'),
    (5,  'Shenzhen Hengli Hydraulic Co', 'China',         'oem',            'hydraulics',         'pneumatics'),
    (6,  'Milano Tenute S.r.l.',         'Italy',         'oem',            'seals',              'valves'),
    (7,  'Osaka Precision Parts',        'Japan',         'oem',            'bearings',           'sensors'),
    (8,  'Pune Motors & Drives',         'India',         'oem',            'motors',             'drives'),
    (9,  'Gdansk Filtry',                'Poland',        'oem',            'filters',            'seals'),
    (10, 'Bursa Rulman',                 'Turkey',        'oem',            'bearings',           'power_transmission'),
    (11, 'Texas Industrial Reman',       'United States', 'remanufacturer', 'motors',             'drives'),
    (12, 'Bavaria Sensorik GmbH',        'Germany',       'oem',            'sensors',            'drives'),
    (13, 'Ningbo Pneumatic Components',  'China',         'oem',            'pneumatics',         'valves'),
    (14, 'Torino Valvole S.p.A.',        'Italy',         'oem',            'valves',             'hydraulics'),
    (15, 'Carolina Belt & Chain',        'United States', 'distributor',    'power_transmission', 'bearings'),
    (16, 'Silesia Drive Systems',        'Poland',        'remanufacturer', 'drives',             'motors'),
    (17, 'Yokohama Seal Works',          'Japan',         'oem',            'seals',              'filters'),
    (18, 'Chennai Filtration',           'India',         'oem',            'filters',            'pneumatics'),
    (19, 'Izmir Hidrolik',               'Turkey',        'oem',            'hydraulics',         'seals'),
    (20, 'Midwest MRO Supply',           'United States', 'distributor',    'filters',            'bearings'),
    (21, 'Hamburg Pneumatik GmbH',       'Germany',       'distributor',    'pneumatics',         'sensors'),
    (22, 'Suzhou Motor Works',           'China',         'oem',            'motors',             'power_transmission'),
    (23, 'Bologna Trasmissioni',         'Italy',         'oem',            'power_transmission', 'bearings'),
    (24, 'Pacific Valve & Fitting',      'United States', 'distributor',    'valves',             'pneumatics'),
    (25, 'Nagoya Servo Systems',         'Japan',         'oem',            'drives',             'sensors'),
    (26, 'Wroclaw Uszczelnienia',        'Poland',        'oem',            'seals',              'hydraulics'),
    (27, 'Ahmedabad Valves',             'India',         'oem',            'valves',             'filters'),
    (28, 'Stuttgart Hydraulik Service',  'Germany',       'remanufacturer', 'hydraulics',         'drives'),
    (29, 'Gulf Coast Motor Repair',      'United States', 'remanufacturer', 'motors',             'pneumatics'),
    (30, 'Konya Filtre',                 'Turkey',        'oem',            'filters',            'valves'),
    (31, 'Dalian Bearing Group',         'China',         'oem',            'bearings',           'seals'),
    (32, 'Appalachian Industrial Parts', 'United States', 'distributor',    'power_transmission', 'motors'),
    (33, 'Brescia Componenti',           'Italy',         'distributor',    'pneumatics',         'hydraulics'),
    (34, 'Dortmund Antriebe',            'Germany',       'remanufacturer', 'drives',             'motors'),
    (35, 'Kobe Sensor Technologies',     'Japan',         'oem',            'sensors',            'pneumatics'),
    (36, 'Poznan Industrial Supply',     'Poland',        'distributor',    'bearings',           'filters'),
    (37, 'Rocky Mountain Seals',         'United States', 'distributor',    'seals',              'hydraulics'),
    (38, 'Hangzhou Drive Technology',    'China',         'oem',            'drives',             'motors'),
    (39, 'Ankara Valf',                  'Turkey',        'oem',            'valves',             'seals'),
    (40, 'Bangalore Sensors',            'India',         'oem',            'sensors',            'filters'),
    (41, 'New England Bearing Exchange', 'United States', 'remanufacturer', 'bearings',           'power_transmission'),
    (42, 'Leipzig Filtertechnik',        'Germany',       'oem',            'filters',            'hydraulics'),
    (43, 'Verona Pompe',                 'Italy',         'oem',            'hydraulics',         'valves'),
    (44, 'Qingdao Seal Industry',        'China',         'oem',            'seals',              'pneumatics'),
    (45, 'Lone Star Drives',             'United States', 'remanufacturer', 'drives',             'sensors'),
    (46, 'Lodz Napedy',                  'Poland',        'oem',            'motors',             'power_transmission'),
    (47, 'Sendai Bearing Co',            'Japan',         'oem',            'bearings',           'sensors'),
    (48, 'Kocaeli Pnomatik',             'Turkey',        'oem',            'pneumatics',         'filters')
  ) v(s, supplier_name, country, supplier_type, primary_category, secondary_category)
)
SELECT
  printf('SUP-%03d', s) AS supplier_id,
  supplier_name, country, supplier_type, primary_category, secondary_category,
  CAST(round(3.1 + pow(prand(s, 21), 0.7) * 1.8, 1) AS DECIMAL(2, 1)) AS rating,
  CASE WHEN s <= 42 THEN DATE '2021-02-01' + CAST(floor(prand(s, 22) * 1000) AS INTEGER)
       ELSE DATE '2024-03-01' + CAST(floor((s - 43) * 75 + prand(s, 22) * 40) AS INTEGER) END AS onboarded_date,
  s AS _s
FROM s;

CREATE OR REPLACE TABLE analytics.dim_suppliers AS
SELECT supplier_id, supplier_name, country, supplier_type, primary_category, secondary_category, rating,
  rating >= 4.3 AND prand(_s, 23) < 0.7 AS is_preferred,
  onboarded_date, _s
FROM analytics.dim_suppliers;

-- ------------------------------------------------------------------ parts (listings)
CREATE OR REPLACE TABLE _gen.supplier_ranges AS
WITH c AS (SELECT _s AS s, 15 + CAST(floor(prand(_s, 31) * 21) AS INTEGER) AS cnt FROM analytics.dim_suppliers)
SELECT s, cnt, CAST(sum(cnt) OVER (ORDER BY s) - cnt + 1 AS INTEGER) AS first_p FROM c;

CREATE OR REPLACE TABLE _gen.parts AS
SELECT r.first_p + k AS p, r.s, k,
  CASE WHEN prand(r.first_p + k, 32) < 0.7 THEN s.primary_category ELSE s.secondary_category END AS category,
  prand(r.first_p + k, 33) AS u_type, prand(r.first_p + k, 34) AS u_brand, prand(r.first_p + k, 35) AS u_cond,
  prand(r.first_p + k, 36) AS u_price, prand(r.first_p + k, 37) AS u_list,
  s.supplier_id, s.supplier_type, s.onboarded_date
FROM _gen.supplier_ranges r JOIN analytics.dim_suppliers s ON s._s = r.s
JOIN range(0, 40) t(k) ON t.k < r.cnt;

CREATE OR REPLACE TABLE analytics.dim_parts AS
WITH p AS (
  SELECT *,
    CASE category
      WHEN 'bearings' THEN ['Deep Groove Ball Bearing', 'Tapered Roller Bearing', 'Spherical Roller Bearing', 'Pillow Block Bearing', 'Needle Roller Bearing']
      WHEN 'seals' THEN ['Hydraulic Rod Seal', 'O-Ring Kit', 'Mechanical Seal', 'Radial Oil Seal', 'Flange Gasket Set']
      WHEN 'hydraulics' THEN ['Hydraulic Gear Pump', 'Hydraulic Cylinder', 'Hydraulic Hose Assembly', 'Hydraulic Motor', 'Bladder Accumulator']
      WHEN 'pneumatics' THEN ['Pneumatic Cylinder', 'Air Preparation Unit', 'Pneumatic Fitting Kit', 'Vacuum Generator', 'Pneumatic Gripper']
      WHEN 'motors' THEN ['AC Induction Motor', 'Servo Motor', 'Gear Motor', 'DC Motor', 'Brake Motor']
      WHEN 'drives' THEN ['Variable Frequency Drive', 'Servo Drive', 'Soft Starter', 'Helical Gearbox', 'DC Drive']
      WHEN 'sensors' THEN ['Inductive Proximity Sensor', 'Photoelectric Sensor', 'Pressure Transmitter', 'RTD Temperature Sensor', 'Rotary Encoder']
      WHEN 'filters' THEN ['Hydraulic Return Filter', 'Air Filter Element', 'Lube Oil Filter', 'Dust Collector Cartridge', 'Coalescing Filter']
      WHEN 'power_transmission' THEN ['V-Belt', 'Timing Belt', 'Roller Chain', 'Sprocket', 'Jaw Coupling']
      ELSE ['Ball Valve', 'Butterfly Valve', 'Check Valve', 'Gate Valve', 'Pressure Relief Valve'] END
      [1 + CAST(floor(u_type * 5) AS INTEGER)] AS part_type,
    CASE category
      WHEN 'bearings' THEN ['SKF', 'FAG', 'NSK', 'Timken']
      WHEN 'seals' THEN ['Trelleborg', 'Freudenberg', 'Parker', 'SKF']
      WHEN 'hydraulics' THEN ['Bosch Rexroth', 'Parker', 'Eaton', 'Danfoss']
      WHEN 'pneumatics' THEN ['Festo', 'SMC', 'Norgren', 'Parker']
      WHEN 'motors' THEN ['Siemens', 'WEG', 'ABB', 'Nord']
      WHEN 'drives' THEN ['ABB', 'Danfoss', 'Siemens', 'Yaskawa']
      WHEN 'sensors' THEN ['Sick', 'ifm', 'Pepperl+Fuchs', 'Omron']
      WHEN 'filters' THEN ['Donaldson', 'Pall', 'Mann+Hummel', 'Hydac']
      WHEN 'power_transmission' THEN ['Gates', 'Optibelt', 'Tsubaki', 'Rexnord']
      ELSE ['Swagelok', 'Emerson', 'Flowserve', 'Spirax Sarco'] END
      [1 + CAST(floor(u_brand * 4) AS INTEGER)] AS brand0,
    CASE WHEN supplier_type = 'remanufacturer' THEN (CASE WHEN u_cond < 0.75 THEN 'refurbished' ELSE 'used' END)
         WHEN u_cond < 0.88 THEN 'new' WHEN u_cond < 0.96 THEN 'refurbished' ELSE 'used' END AS condition,
    CASE category WHEN 'bearings' THEN 45 WHEN 'seals' THEN 18 WHEN 'hydraulics' THEN 650 WHEN 'pneumatics' THEN 140
      WHEN 'motors' THEN 1400 WHEN 'drives' THEN 1900 WHEN 'sensors' THEN 160 WHEN 'filters' THEN 55
      WHEN 'power_transmission' THEN 70 ELSE 260 END AS base_price
  FROM _gen.parts
)
SELECT
  printf('PRT-%05d', p) AS part_id,
  part_type || ' ' || upper(substr(md5(CAST(p AS VARCHAR)), 1, 2)) || '-' || CAST(1000 + (p * 37) % 9000 AS VARCHAR) AS part_name,
  printf('%s-%06d', upper(substr(category, 1, 3)), 100000 + (p * 7919) % 900000) AS manufacturer_part_number,
  category,
  CASE WHEN prand(p, 38) < 0.04 THEN NULL ELSE brand0 END AS brand,
  supplier_id,
  condition,
  CAST(round(base_price * (0.5 + u_price * 1.5) * CASE condition WHEN 'new' THEN 1.0 WHEN 'refurbished' THEN 0.6 ELSE 0.45 END, 2) AS DECIMAL(12, 2)) AS list_price_usd,
  CASE WHEN category IN ('motors', 'drives', 'hydraulics') THEN 3 + CAST(floor(prand(p, 39) * 25) AS INTEGER)
       ELSE 1 + CAST(floor(prand(p, 39) * 10) AS INTEGER) END AS lead_time_days,
  CASE WHEN k = 0 OR u_list < 0.8 THEN onboarded_date + CAST(floor(CASE WHEN k = 0 THEN 0 ELSE u_list / 0.8 * 60 END) AS INTEGER)
       ELSE greatest(onboarded_date, DATE '2023-06-01') + CAST(floor((u_list - 0.8) / 0.2 * 400) AS INTEGER) END AS listed_date,
  p AS _p, k AS _k
FROM p;

-- ------------------------------------------------------------------ orders and lines
-- each buyer orders in proportion to its tier and to how long it has been on the platform
CREATE OR REPLACE TABLE _gen.orders0 AS
WITH b AS (
  SELECT CAST(substr(buyer_id, 5) AS INTEGER) AS bi, buyer_id, tier, country, payment_terms, signup_date,
    greatest(signup_date, DATE '2024-01-01') AS start_d,
    date_diff('day', greatest(signup_date, DATE '2024-01-01'), DATE '2025-06-30') + 1 AS span
  FROM analytics.dim_buyers
), n AS (
  SELECT *, CAST(round(CASE tier WHEN 'enterprise' THEN 110 WHEN 'mid_market' THEN 45 ELSE 16 END
      * span / 547.0 * (0.5 + prand(bi, 41))) AS INTEGER) AS n_orders
  FROM b
), o AS (
  SELECT n.*, k, bi * 1000 + k AS seed,
    start_d + CAST(floor(pow(prand(bi * 1000 + k, 42), 0.8) * span) AS INTEGER) AS order_date,
    1 + CAST(floor(pow(prand(bi * 1000 + k, 43), 1.25) * 48) AS INTEGER) AS s0
  FROM n JOIN range(0, 300) t(k) ON t.k < n.n_orders
)
SELECT o.*,
  CASE WHEN s.onboarded_date > o.order_date THEN 1 + ((s0 * 7) % 42) ELSE s0 END AS s
FROM o JOIN analytics.dim_suppliers s ON s._s = o.s0;

CREATE OR REPLACE TABLE _gen.orders1 AS
SELECT o.*, row_number() OVER (ORDER BY order_date, bi, k) AS oseq,
  prand(seed, 44) < 0.12 AS is_urgent,
  CASE WHEN prand(seed, 45) < 0.09 AND order_date >= DATE '2024-01-12' THEN 'rfq'
       WHEN tier = 'enterprise' THEN (CASE WHEN prand(seed, 46) < 0.45 THEN 'punchout' WHEN prand(seed, 46) < 0.65 THEN 'edi'
                                           WHEN prand(seed, 46) < 0.90 THEN 'web' ELSE 'api' END)
       WHEN tier = 'mid_market' THEN (CASE WHEN prand(seed, 46) < 0.65 THEN 'web' WHEN prand(seed, 46) < 0.80 THEN 'punchout'
                                           WHEN prand(seed, 46) < 0.90 THEN 'api' ELSE 'edi' END)
       ELSE (CASE WHEN prand(seed, 46) < 0.92 THEN 'web' ELSE 'api' END) END AS order_channel,
  prand(seed, 47) < CASE WHEN tier = 'smb' THEN 0.075 ELSE 0.05 END AS is_cancelled
FROM _gen.orders0 o;

CREATE OR REPLACE TABLE _gen.lines AS
WITH l AS (
  SELECT o.oseq, o.seed, o.order_date, o.tier, o.s, j,
    oseq * 10 + j AS lseed
  FROM _gen.orders1 o
  JOIN range(0, 6) t(j) ON t.j < 1 + CAST(floor(pow(prand(o.seed, 48), 1.7) * 6) AS INTEGER)
), lp AS (
  SELECT l.*, r.first_p + CAST(floor(prand(lseed, 49) * r.cnt) AS INTEGER) AS p0, r.first_p
  FROM l JOIN _gen.supplier_ranges r ON r.s = l.s
)
SELECT lp.oseq, lp.j, lp.lseed, lp.order_date, lp.tier,
  CASE WHEN p.listed_date > lp.order_date THEN lp.first_p ELSE lp.p0 END AS p
FROM lp JOIN analytics.dim_parts p ON p._p = lp.p0;

CREATE OR REPLACE TABLE _gen.lines2 AS
WITH x AS (
  SELECT l.*, p.part_id, p.category, p.list_price_usd,
    CASE WHEN p.category IN ('motors', 'drives', 'hydraulics') THEN 1 + CAST(floor(pow(prand(lseed, 50), 2) * 3) AS INTEGER)
         WHEN p.category IN ('valves', 'pneumatics', 'sensors') THEN 1 + CAST(floor(pow(prand(lseed, 50), 2) * 8) AS INTEGER)
         ELSE 1 + CAST(floor(pow(prand(lseed, 50), 2) * 24) AS INTEGER) END AS quantity,
    CASE l.tier WHEN 'enterprise' THEN 0.06 + prand(lseed, 51) * 0.06
                WHEN 'mid_market' THEN 0.02 + prand(lseed, 51) * 0.04
                ELSE (CASE WHEN prand(lseed, 51) < 0.7 THEN 0 ELSE 0.03 END) END AS disc
  FROM _gen.lines l JOIN analytics.dim_parts p ON p._p = l.p
)
SELECT *, CAST(round(list_price_usd * (1 - disc), 2) AS DECIMAL(12, 2)) AS unit_price_usd
FROM x;

CREATE OR REPLACE TABLE _gen.orders2 AS
WITH agg AS (
  SELECT oseq, sum(CAST(round(unit_price_usd * quantity, 2) AS DECIMAL(12, 2))) AS subtotal,
    max(CASE WHEN category IN ('motors', 'drives', 'hydraulics') THEN 1 ELSE 0 END) AS heavy,
    sum(quantity) AS units, min(part_id) AS first_part
  FROM _gen.lines2 GROUP BY 1
), o AS (
  SELECT o.*, a.subtotal, a.heavy, a.units, a.first_part,
    CASE WHEN o.is_urgent AND a.subtotal >= 400 THEN 'air_freight'
         WHEN a.heavy = 1 AND a.subtotal >= 1500 THEN 'ltl' ELSE 'parcel' END AS ship_mode,
    o.order_date + CASE WHEN o.is_urgent THEN CAST(floor(prand(o.seed, 52) * 2) AS INTEGER)
                        ELSE 1 + CAST(floor(prand(o.seed, 52) * 5) AS INTEGER) END AS shipped_date0
  FROM _gen.orders1 o JOIN agg a USING (oseq)
), c AS (
  SELECT o.*,
    CASE WHEN ship_mode = 'parcel' THEN (CASE WHEN prand(seed, 53) < 0.35 THEN 'DHL' WHEN prand(seed, 53) < 0.70 THEN 'UPS' ELSE 'FedEx' END)
         WHEN ship_mode = 'ltl' THEN (CASE WHEN prand(seed, 53) < 0.40 THEN 'XPO' WHEN prand(seed, 53) < 0.70 THEN 'DB Schenker' ELSE 'Kuehne+Nagel' END)
         ELSE (CASE WHEN prand(seed, 53) < 0.40 THEN 'DHL' WHEN prand(seed, 53) < 0.75 THEN 'FedEx' ELSE 'Kuehne+Nagel' END) END AS carrier0,
    CASE ship_mode WHEN 'parcel' THEN 3 WHEN 'ltl' THEN 6 ELSE 2 END AS promised_days
  FROM o
), t AS (
  SELECT c.*,
    promised_days + CASE WHEN prand(seed, 54) < CASE carrier0 WHEN 'XPO' THEN 0.55 WHEN 'UPS' THEN 0.72 WHEN 'DHL' THEN 0.80 WHEN 'FedEx' THEN 0.76 ELSE 0.70 END
                           THEN -CAST(floor(prand(seed, 55) * 2) AS INTEGER)
                         WHEN prand(seed, 54) < 0.93 THEN 1 + CAST(floor(prand(seed, 55) * 2) AS INTEGER)
                         ELSE 3 + CAST(floor(prand(seed, 55) * 5) AS INTEGER) END AS transit_days,
    prand(seed, 56) < 0.012 AS is_exception
  FROM c
)
SELECT t.*,
  shipped_date0 + transit_days AS delivered_date0,
  CASE WHEN is_cancelled THEN 'cancelled'
       WHEN shipped_date0 > DATE '2025-06-30' THEN (CASE WHEN order_date >= DATE '2025-06-29' THEN 'placed' ELSE 'confirmed' END)
       WHEN is_exception OR shipped_date0 + transit_days > DATE '2025-06-30' THEN 'shipped'
       ELSE 'delivered' END AS order_status,
  CASE WHEN subtotal >= 750 THEN 0 ELSE round(19 + prand(seed, 57) * 40, 2) END AS freight_charged
FROM t;

CREATE OR REPLACE TABLE analytics.fct_order_lines AS
SELECT
  printf('ORD-%06d-%d', l.oseq, l.j + 1) AS order_line_id,
  printf('ORD-%06d', l.oseq) AS order_id,
  l.j + 1 AS line_number,
  l.part_id,
  printf('BUY-%04d', o.bi) AS buyer_id,
  printf('SUP-%03d', o.s) AS supplier_id,
  l.order_date,
  l.quantity,
  l.list_price_usd,
  l.unit_price_usd,
  CAST(round(l.unit_price_usd * l.quantity, 2) AS DECIMAL(12, 2)) AS line_amount_usd,
  CAST(round(l.list_price_usd * l.quantity, 2) - round(l.unit_price_usd * l.quantity, 2) AS DECIMAL(12, 2)) AS discount_amount_usd
FROM _gen.lines2 l JOIN _gen.orders2 o USING (oseq);

-- ------------------------------------------------------------------ RFQs
-- won RFQs are the ones that became an order (order_channel = 'rfq'); lost, expired and open ones are extra
CREATE OR REPLACE TABLE _gen.rfq0 AS
SELECT 'won' AS quote_status, o.oseq, o.seed * 3 + 1 AS rseed, o.bi, o.s, o.first_part AS part_id, o.units AS quantity,
  2 + pow(prand(o.seed, 61), 2) * 70 AS response_hours,
  o.order_date, CAST(o.subtotal AS DOUBLE) AS quoted
FROM _gen.orders2 o WHERE o.order_channel = 'rfq';

CREATE OR REPLACE TABLE _gen.rfq1 AS
WITH x AS (
  SELECT k, 5000000 + k AS rseed,
    1 + CAST(floor(prand(5000000 + k, 62) * 320) AS INTEGER) AS bi,
    1 + CAST(floor(pow(prand(5000000 + k, 63), 1.4) * 48) AS INTEGER) AS s0,
    DATE '2024-01-01' + CAST(floor(pow(prand(5000000 + k, 64), 0.85) * 547) AS INTEGER) AS d0
  FROM range(0, 2300) t(k)
), y AS (
  SELECT x.*, greatest(x.d0, b.signup_date) AS requested_date
  FROM x JOIN analytics.dim_buyers b ON b.buyer_id = printf('BUY-%04d', x.bi)
), z AS (
  SELECT y.*, CASE WHEN s.onboarded_date > y.requested_date THEN 1 + ((s0 * 7) % 42) ELSE s0 END AS s
  FROM y JOIN analytics.dim_suppliers s ON s._s = y.s0
)
SELECT z.*, r.first_p + CAST(floor(prand(rseed, 65) * r.cnt) AS INTEGER) AS p0, r.first_p,
  CASE WHEN z.requested_date > DATE '2025-06-16' THEN 'open'
       WHEN prand(rseed, 66) < 0.70 THEN 'lost' ELSE 'expired' END AS quote_status,
  prand(rseed, 67) AS u_resp
FROM z JOIN _gen.supplier_ranges r ON r.s = z.s;

CREATE OR REPLACE TABLE _gen.rfq_all AS
SELECT quote_status, oseq, rseed, bi, s, part_id, quantity, response_hours,
  order_date - 1 - CAST(floor(response_hours / 24) AS INTEGER) - CAST(floor(prand(rseed, 68) * 4) AS INTEGER) AS requested_date,
  quoted
FROM _gen.rfq0
UNION ALL
SELECT r.quote_status, NULL, r.rseed, r.bi, r.s,
  CASE WHEN p.listed_date > r.requested_date THEN printf('PRT-%05d', r.first_p) ELSE p.part_id END,
  CASE WHEN p.category IN ('motors', 'drives', 'hydraulics') THEN 1 + CAST(floor(prand(r.rseed, 69) * 3) AS INTEGER)
       ELSE 2 + CAST(floor(prand(r.rseed, 69) * 40) AS INTEGER) END,
  CASE WHEN r.quote_status = 'expired' AND r.u_resp < 0.6 THEN NULL
       WHEN r.quote_status = 'open' AND r.u_resp < 0.4 THEN NULL
       ELSE 2 + pow(prand(r.rseed, 70), 2) * 90 END,
  r.requested_date,
  NULL
FROM _gen.rfq1 r JOIN analytics.dim_parts p ON p._p = r.p0;

CREATE OR REPLACE TABLE analytics.fct_rfqs AS
WITH r AS (
  SELECT r.*, row_number() OVER (ORDER BY requested_date, rseed) AS rn,
    p.list_price_usd, p.category
  FROM _gen.rfq_all r JOIN analytics.dim_parts p ON p.part_id = r.part_id
)
SELECT
  printf('RFQ-%05d', rn) AS rfq_id,
  printf('BUY-%04d', bi) AS buyer_id,
  printf('SUP-%03d', s) AS supplier_id,
  part_id,
  requested_date,
  CASE WHEN response_hours IS NULL THEN NULL
       ELSE CAST(requested_date + CAST(floor(response_hours / 24) AS INTEGER) AS DATE) END AS responded_date,
  CAST(round(response_hours, 1) AS DECIMAL(6, 1)) AS response_hours,
  quantity AS quantity_requested,
  CAST(CASE WHEN response_hours IS NULL THEN NULL
            WHEN quoted IS NOT NULL THEN round(quoted, 2)
            ELSE round(list_price_usd * quantity * (0.85 + prand(rseed, 71) * 0.25), 2) END AS DECIMAL(12, 2)) AS quoted_amount_usd,
  quote_status,
  oseq AS _oseq
FROM r;

-- ------------------------------------------------------------------ orders
CREATE OR REPLACE TABLE analytics.fct_orders AS
SELECT
  printf('ORD-%06d', o.oseq) AS order_id,
  printf('BUY-%04d', o.bi) AS buyer_id,
  printf('SUP-%03d', o.s) AS supplier_id,
  q.rfq_id AS quote_id,
  o.order_date,
  o.order_status,
  o.order_channel,
  o.payment_terms,
  o.is_urgent,
  CAST(o.subtotal AS DECIMAL(12, 2)) AS subtotal_usd,
  CAST(o.freight_charged AS DECIMAL(12, 2)) AS freight_charged_usd,
  CAST(o.subtotal + o.freight_charged AS DECIMAL(12, 2)) AS order_total_usd,
  CAST(CASE WHEN o.order_status = 'cancelled' THEN 0
            ELSE round(o.subtotal * CASE WHEN s.is_preferred THEN 0.08 ELSE 0.10 END, 2) END AS DECIMAL(12, 2)) AS commission_usd,
  CAST(o.units AS INTEGER) AS units
FROM _gen.orders2 o
JOIN analytics.dim_suppliers s ON s._s = o.s
LEFT JOIN analytics.fct_rfqs q ON q._oseq = o.oseq;

-- ------------------------------------------------------------------ shipments
CREATE OR REPLACE TABLE analytics.fct_shipments AS
WITH s AS (
  SELECT o.*, row_number() OVER (ORDER BY shipped_date0, oseq) AS rn
  FROM _gen.orders2 o WHERE o.order_status IN ('shipped', 'delivered')
)
SELECT
  printf('SHP-%06d', rn) AS shipment_id,
  printf('ORD-%06d', oseq) AS order_id,
  printf('BUY-%04d', bi) AS buyer_id,
  printf('SUP-%03d', s) AS supplier_id,
  CASE WHEN prand(seed, 58) < 0.015 THEN NULL ELSE carrier0 END AS carrier,
  ship_mode,
  shipped_date0 AS shipped_date,
  shipped_date0 + promised_days AS promised_date,
  CASE WHEN order_status = 'delivered' THEN delivered_date0 END AS delivered_date,
  CASE WHEN order_status = 'delivered' THEN 'delivered' WHEN is_exception THEN 'exception' ELSE 'in_transit' END AS shipment_status,
  CAST(round(CASE ship_mode WHEN 'parcel' THEN 9 + prand(seed, 59) * 30 WHEN 'ltl' THEN 140 + prand(seed, 59) * 260
                            ELSE 90 + prand(seed, 59) * 240 END, 2) AS DECIMAL(12, 2)) AS shipping_cost_usd,
  CAST(round(CASE WHEN heavy = 1 THEN 15 + prand(seed, 60) * 400 ELSE 0.3 + prand(seed, 60) * 25 END, 1) AS DECIMAL(8, 1)) AS weight_kg
FROM s;

-- ------------------------------------------------------------------ returns (RMAs)
CREATE OR REPLACE TABLE analytics.fct_returns AS
WITH r AS (
  SELECT l.*, s.delivered_date,
    s.delivered_date + 2 + CAST(floor(prand(l.lseed, 81) * 28) AS INTEGER) AS return_date
  FROM _gen.lines2 l
  JOIN analytics.fct_shipments s ON s.order_id = printf('ORD-%06d', l.oseq)
  WHERE s.delivered_date IS NOT NULL AND prand(l.lseed, 80) < 0.05
), r2 AS (
  SELECT r.*, row_number() OVER (ORDER BY return_date, lseed) AS rn,
    CASE WHEN prand(lseed, 82) < 0.30 THEN 'wrong_part' WHEN prand(lseed, 82) < 0.55 THEN 'defective'
         WHEN prand(lseed, 82) < 0.70 THEN 'damaged_in_transit' WHEN prand(lseed, 82) < 0.90 THEN 'not_needed'
         ELSE 'late_delivery' END AS return_reason,
    CASE WHEN return_date >= DATE '2025-06-01' AND prand(lseed, 83) < 0.5 THEN 'pending'
         WHEN prand(lseed, 84) < 0.86 THEN 'approved' ELSE 'rejected' END AS return_status,
    1 + CAST(floor(prand(lseed, 85) * quantity) AS INTEGER) AS returned_quantity
  FROM r WHERE return_date <= DATE '2025-06-30'
)
SELECT
  printf('RMA-%05d', rn) AS return_id,
  printf('ORD-%06d-%d', oseq, j + 1) AS order_line_id,
  printf('ORD-%06d', oseq) AS order_id,
  part_id,
  printf('BUY-%04d', o.bi) AS buyer_id,
  printf('SUP-%03d', o.s) AS supplier_id,
  return_date,
  return_reason,
  return_status,
  returned_quantity,
  CAST(CASE return_status WHEN 'approved' THEN round(unit_price_usd * returned_quantity, 2)
                          WHEN 'rejected' THEN 0 END AS DECIMAL(12, 2)) AS refund_amount_usd
FROM r2 JOIN _gen.orders2 o USING (oseq);

-- ------------------------------------------------------------------ receivables (AR snapshot)
-- invoices of buyers on net terms are issued when the order ships and stay open until paid
CREATE OR REPLACE TABLE _gen.invoices AS
SELECT o.bi, o.shipped_date0 AS invoice_date,
  o.shipped_date0 + CASE o.payment_terms WHEN 'net60' THEN 60 ELSE 30 END AS due_date,
  o.shipped_date0 + CASE o.payment_terms WHEN 'net60' THEN 60 ELSE 30 END
    + CASE WHEN prand(o.seed, 90) < 0.62 THEN -CAST(floor(prand(o.seed, 91) * 10) AS INTEGER)
           WHEN prand(o.seed, 90) < 0.90 THEN CAST(floor(prand(o.seed, 91) * 15) AS INTEGER)
           ELSE 15 + CAST(floor(prand(o.seed, 91) * 50) AS INTEGER) END AS paid_date,
  o.subtotal + o.freight_charged AS amount
FROM _gen.orders2 o
WHERE o.payment_terms IN ('net30', 'net60') AND o.order_status IN ('shipped', 'delivered');

CREATE OR REPLACE TABLE analytics.fct_receivables_daily AS
WITH d AS (
  SELECT b.buyer_id, CAST(substr(b.buyer_id, 5) AS INTEGER) AS bi, b.payment_terms, b.credit_limit_usd,
    CAST(t.d AS DATE) AS snapshot_date
  FROM analytics.dim_buyers b
  JOIN generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2025-06-30', INTERVAL 1 DAY) t(d)
    ON CAST(t.d AS DATE) >= b.signup_date
  WHERE b.payment_terms IN ('net30', 'net60')
)
SELECT d.snapshot_date, d.buyer_id, d.payment_terms, d.credit_limit_usd,
  CAST(coalesce(sum(i.amount), 0) AS DECIMAL(12, 2)) AS open_balance_usd,
  CAST(coalesce(sum(CASE WHEN i.due_date < d.snapshot_date THEN i.amount END), 0) AS DECIMAL(12, 2)) AS overdue_balance_usd,
  count(i.amount) AS open_invoices
FROM d LEFT JOIN _gen.invoices i ON i.bi = d.bi AND i.invoice_date <= d.snapshot_date AND i.paid_date > d.snapshot_date
GROUP BY ALL;

-- ------------------------------------------------------------------ time spine
CREATE OR REPLACE TABLE analytics.metricflow_time_spine AS
SELECT CAST(d AS DATE) AS date_day
FROM generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2026-12-31', INTERVAL 1 DAY) t(d);

-- ------------------------------------------------------------------ clean up
ALTER TABLE analytics.dim_suppliers DROP COLUMN _s;
ALTER TABLE analytics.dim_parts DROP COLUMN _p;
ALTER TABLE analytics.dim_parts DROP COLUMN _k;
ALTER TABLE analytics.fct_rfqs DROP COLUMN _oseq;
DROP SCHEMA _gen CASCADE;
DROP MACRO IF EXISTS prand;
DROP MACRO IF EXISTS _h1;
DROP MACRO IF EXISTS _a;

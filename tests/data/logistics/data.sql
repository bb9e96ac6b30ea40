-- Logistics test catalog: warehouses, carriers and outbound shipments
-- (deterministic, no scale; a test catalog the dpgen code was not written for).
--
-- Tables (schema bronze)                                               rows
--   warehouses  distribution centers in NA, EMEA and APAC                 8
--   carriers    parcel, freight and postal carriers                      10
--   shipments   shipments shipped 2024-07-01 .. 2025-06-30            4 000
-- Declared primary keys: all three tables. No foreign keys.
--
-- KNOWN DEFECTS (rate used; rows measured):
--   L1  shipments.delivered_date < ship_date (impossible)   0.5 % of delivered  11
--   L2  shipments.weight_kg IS NULL                         1.0 % of shipments  40
--   L3  shipments.carrier_id not in carriers (CAR-99)       0.5 % of shipments  16
-- Shipments not delivered (in_transit, lost, returned) have no delivered_date.
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1), the same
-- BIGINT hash as catalog/demo/generate.sql; dropped at the end of the file.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.warehouses AS
SELECT * FROM (VALUES
  ('WH-01', 'Memphis DC', 'Memphis', 'US', 'NA', 42000),
  ('WH-02', 'Reno DC', 'Reno', 'US', 'NA', 30000),
  ('WH-03', 'Toronto DC', 'Toronto', 'CA', 'NA', 18000),
  ('WH-04', 'Venlo DC', 'Venlo', 'NL', 'EMEA', 38000),
  ('WH-05', 'Leipzig DC', 'Leipzig', 'DE', 'EMEA', 26000),
  ('WH-06', 'Madrid DC', 'Madrid', 'ES', 'EMEA', 15000),
  ('WH-07', 'Singapore DC', 'Singapore', 'SG', 'APAC', 22000),
  ('WH-08', 'Sydney DC', 'Sydney', 'AU', 'APAC', 12000)
) v(warehouse_id, warehouse_name, city, country, region, capacity_pallets);

-- price_factor and reliability only drive the generator; they are not published.
CREATE OR REPLACE TEMP TABLE carrier_params AS
SELECT * FROM (VALUES
  ('CAR-01', 'SwiftParcel', 'parcel', 'US', 1.00, 0.93),
  ('CAR-02', 'BlueLine Express', 'parcel', 'US', 1.25, 0.96),
  ('CAR-03', 'NorthStar Freight', 'freight', 'CA', 0.80, 0.88),
  ('CAR-04', 'EuroPost', 'postal', 'DE', 0.60, 0.84),
  ('CAR-05', 'Continental Cargo', 'freight', 'NL', 0.75, 0.90),
  ('CAR-06', 'Iberia Rapid', 'parcel', 'ES', 0.95, 0.89),
  ('CAR-07', 'PacificLink', 'freight', 'SG', 0.85, 0.91),
  ('CAR-08', 'Southern Cross Post', 'postal', 'AU', 0.65, 0.82),
  ('CAR-09', 'Global Courier', 'parcel', 'GB', 1.40, 0.97),
  ('CAR-10', 'ValueShip', 'postal', 'US', 0.55, 0.80)
) v(carrier_id, carrier_name, carrier_type, home_country, price_factor, reliability);

CREATE OR REPLACE TABLE bronze.carriers AS
SELECT carrier_id, carrier_name, carrier_type, home_country FROM carrier_params ORDER BY carrier_id;

CREATE OR REPLACE TABLE bronze.shipments AS
WITH s AS (
  SELECT i,
    printf('WH-%02d', 1 + CAST(floor(prand(i, 51) * 8) AS INTEGER)) AS warehouse_id,
    printf('CAR-%02d', 1 + CAST(floor(prand(i, 52) * 10) AS INTEGER)) AS carrier_id,
    DATE '2024-07-01' + CAST(floor(prand(i, 53) * 365) AS INTEGER) AS ship_date,
    CASE WHEN prand(i, 54) < 0.55 THEN 'standard' WHEN prand(i, 54) < 0.80 THEN 'economy' ELSE 'express' END AS service_level,
    round(0.2 + pow(prand(i, 55), 3) * 400, 1) AS weight0
  FROM range(1, 4001) t(i)
), j AS (
  SELECT s.*, w.region, c.price_factor, c.reliability,
    CASE s.service_level WHEN 'express' THEN 2 WHEN 'standard' THEN 5 ELSE 8 END AS sla_days,
    CASE w.region WHEN 'NA' THEN ['US', 'US', 'US', 'CA', 'MX'] WHEN 'EMEA' THEN ['DE', 'FR', 'NL', 'ES', 'GB']
                  ELSE ['SG', 'AU', 'JP', 'IN', 'AU'] END[1 + CAST(floor(prand(i, 56) * 5) AS INTEGER)] AS destination_country
  FROM s JOIN bronze.warehouses w USING (warehouse_id) JOIN carrier_params c USING (carrier_id)
), d AS (
  SELECT *,
    CASE WHEN prand(i, 57) < 0.012 THEN 'lost'
         WHEN prand(i, 57) < 0.04 THEN 'returned'
         WHEN ship_date > DATE '2025-06-30' - sla_days - 3 AND prand(i, 58) < 0.7 THEN 'in_transit'
         ELSE 'delivered' END AS status,
    -- on time with the carrier's reliability, otherwise 1..6 days late
    sla_days - CAST(floor(prand(i, 59) * least(sla_days, 3)) AS INTEGER)
      + CASE WHEN prand(i, 60) < reliability THEN 0 ELSE 1 + CAST(floor(prand(i, 61) * 6) AS INTEGER) END AS transit_days
  FROM j
)
SELECT
  printf('SHP-%05d', i) AS shipment_id,
  CASE WHEN prand(i, 62) < 0.005 THEN 'CAR-99' ELSE carrier_id END AS carrier_id,      -- L3
  warehouse_id,
  destination_country,
  service_level,
  status,
  ship_date,
  ship_date + sla_days AS promised_date,
  CASE WHEN status <> 'delivered' THEN NULL
       WHEN prand(i, 63) < 0.005 THEN ship_date - 1 - CAST(floor(prand(i, 64) * 5) AS INTEGER)  -- L1
       ELSE ship_date + transit_days END AS delivered_date,
  CASE WHEN prand(i, 65) < 0.01 THEN NULL ELSE weight0 END AS weight_kg,               -- L2
  CAST(round((4 + weight0 * 0.9) * price_factor
             * CASE service_level WHEN 'express' THEN 1.8 WHEN 'standard' THEN 1.0 ELSE 0.75 END
             * (0.9 + prand(i, 66) * 0.2), 2) AS DECIMAL(10, 2)) AS shipping_cost
FROM d
ORDER BY i;

ALTER TABLE bronze.warehouses ADD PRIMARY KEY (warehouse_id);
ALTER TABLE bronze.carriers ADD PRIMARY KEY (carrier_id);
ALTER TABLE bronze.shipments ADD PRIMARY KEY (shipment_id);

DROP TABLE carrier_params;
DROP MACRO IF EXISTS prand;

-- Manufacturing test catalog: plants, production lines, machines, production runs (batches),
-- quality inspections and machine downtime events, 2024-01-01 .. 2025-06-30 (deterministic).
--
-- Tables (schema bronze)
--   plants              5 plants in 5 countries
--   production_lines    16 lines (machining, assembly, painting, packaging)
--   machines            machines on the lines; a few spares have no line (NULL line_id)
--   production_runs     one batch per line, shift and day worked, with planned/run minutes,
--                       ideal units, units produced, scrapped and reworked, and a status
--   quality_inspections inspections of batches on a line (a few audits have no run: NULL run_id),
--                       defects found by defect type (NULL when no defect), result
--   downtime_events     stoppages of a line, usually of one machine (NULL machine_id for
--                       line-level stoppages), with reason, shift, planned flag, minutes
--
-- Quirks: machines.line_id NULL for spares; quality_inspections.run_id NULL for audits;
--   downtime_events.machine_id NULL for line-level stoppages; the value 'DE', 'US' and 'CN'
--   is both a plant country and a machine vendor country; 'assembly' is both a line type and
--   a defect type; 'scrapped' is a run status beside the scrapped units.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.plants AS
SELECT * FROM (VALUES
  ('PLT-01', 'Stuttgart Works', 'Stuttgart', 'DE', 'EMEA', DATE '1998-04-01', 1200),
  ('PLT-02', 'Monterrey Plant', 'Monterrey', 'MX', 'Americas', DATE '2012-09-15', 850),
  ('PLT-03', 'Greenville Plant', 'Greenville', 'US', 'Americas', DATE '2005-03-01', 640),
  ('PLT-04', 'Brno Works', 'Brno', 'CZ', 'EMEA', DATE '2016-06-01', 520),
  ('PLT-05', 'Suzhou Plant', 'Suzhou', 'CN', 'APAC', DATE '2019-11-01', 700)
) v(plant_id, plant_name, city, country, region, opened_date, headcount);

CREATE OR REPLACE TABLE bronze.production_lines AS
SELECT * FROM (VALUES
  ('LN-101', 'PLT-01', 'Gear Machining 1', 'machining', 'gearboxes', 'active'),
  ('LN-102', 'PLT-01', 'Gear Machining 2', 'machining', 'gearboxes', 'active'),
  ('LN-103', 'PLT-01', 'Gearbox Assembly', 'assembly', 'gearboxes', 'active'),
  ('LN-104', 'PLT-01', 'Paint Shop', 'painting', 'gearboxes', 'active'),
  ('LN-201', 'PLT-02', 'Pump Housing Machining', 'machining', 'pumps', 'active'),
  ('LN-202', 'PLT-02', 'Pump Assembly', 'assembly', 'pumps', 'active'),
  ('LN-203', 'PLT-02', 'Pump Packaging', 'packaging', 'pumps', 'active'),
  ('LN-301', 'PLT-03', 'Valve Machining', 'machining', 'valves', 'active'),
  ('LN-302', 'PLT-03', 'Valve Assembly', 'assembly', 'valves', 'active'),
  ('LN-303', 'PLT-03', 'Valve Packaging', 'packaging', 'valves', 'decommissioned'),
  ('LN-401', 'PLT-04', 'Motor Stator Line', 'machining', 'e-motors', 'active'),
  ('LN-402', 'PLT-04', 'Motor Assembly', 'assembly', 'e-motors', 'active'),
  ('LN-403', 'PLT-04', 'Motor Paint Line', 'painting', 'e-motors', 'active'),
  ('LN-501', 'PLT-05', 'Suzhou Machining', 'machining', 'e-motors', 'active'),
  ('LN-502', 'PLT-05', 'Suzhou Assembly', 'assembly', 'pumps', 'active'),
  ('LN-503', 'PLT-05', 'Suzhou Packaging', 'packaging', 'pumps', 'active')
) v(line_id, plant_id, line_name, line_type, product_family, line_status);

CREATE OR REPLACE TABLE bronze.machines AS
WITH l AS (
  SELECT line_id, line_type, row_number() OVER (ORDER BY line_id) AS ln FROM bronze.production_lines
), m AS (
  SELECT i,
    (SELECT line_id FROM l WHERE ln = 1 + CAST(floor(prand(i, 11) * 16) AS INTEGER)) AS line0,
    (SELECT line_type FROM l WHERE ln = 1 + CAST(floor(prand(i, 11) * 16) AS INTEGER)) AS ltype,
    prand(i, 12) AS r
  FROM range(1, 121) t(i)
)
SELECT
  'M-' || lpad(CAST(i AS VARCHAR), 4, '0') AS machine_id,
  CASE WHEN prand(i, 13) < 0.04 THEN NULL ELSE line0 END AS line_id,
  CASE ltype
    WHEN 'machining' THEN CASE WHEN r < 0.45 THEN 'cnc_mill' WHEN r < 0.8 THEN 'lathe' ELSE 'grinder' END
    WHEN 'assembly'  THEN CASE WHEN r < 0.5 THEN 'robot' WHEN r < 0.8 THEN 'press' ELSE 'conveyor' END
    WHEN 'painting'  THEN CASE WHEN r < 0.6 THEN 'paint_booth' ELSE 'conveyor' END
    ELSE CASE WHEN r < 0.6 THEN 'packer' ELSE 'conveyor' END END AS machine_type,
  ['Trumpf', 'DMG Mori', 'Fanuc', 'Okuma', 'Haas', 'Comau', 'Siasun', 'Kuka']
    [1 + CAST(floor(prand(i, 14) * 8) AS INTEGER)] AS vendor,
  DATE '2008-01-01' + CAST(floor(prand(i, 15) * 6300) AS INTEGER) AS install_date,
  CASE WHEN prand(i, 16) < 0.25 THEN 'A' WHEN prand(i, 16) < 0.7 THEN 'B' ELSE 'C' END AS criticality
FROM m
ORDER BY i;

-- vendor country from the vendor (a lookup a real ERP would hold)
CREATE OR REPLACE TABLE bronze.machines AS
SELECT machine_id, line_id, machine_type, vendor,
  CASE vendor WHEN 'Trumpf' THEN 'DE' WHEN 'Kuka' THEN 'DE' WHEN 'DMG Mori' THEN 'DE'
              WHEN 'Fanuc' THEN 'JP' WHEN 'Okuma' THEN 'JP' WHEN 'Haas' THEN 'US'
              WHEN 'Comau' THEN 'IT' ELSE 'CN' END AS vendor_country,
  install_date, criticality
FROM bronze.machines ORDER BY machine_id;

CREATE OR REPLACE TABLE bronze.production_runs AS
WITH d AS (
  SELECT CAST(DATE '2024-01-01' + CAST(n AS INTEGER) AS DATE) AS run_date FROM range(0, 547) r(n)
), s AS (
  SELECT * FROM (VALUES ('early', 1), ('late', 2), ('night', 3)) v(shift, sn)
), c AS (
  SELECT l.line_id, l.line_type, l.line_status, l.plant_id, d.run_date, s.shift, s.sn,
         row_number() OVER (ORDER BY d.run_date, l.line_id, s.sn) AS k
  FROM bronze.production_lines l CROSS JOIN d CROSS JOIN s
), kept AS (
  SELECT *, row_number() OVER (ORDER BY k) AS run_id
  FROM c
  WHERE prand(k, 21) < CASE WHEN dayofweek(run_date) IN (0, 6) THEN (CASE WHEN sn = 1 THEN 0.35 ELSE 0.05 END)
                            WHEN sn = 3 THEN 0.55 ELSE 0.88 END
    AND NOT (line_status = 'decommissioned' AND run_date >= DATE '2025-03-01')
), x AS (
  SELECT *,
    480 - CASE WHEN prand(run_id, 22) < 0.3 THEN 30 ELSE 0 END AS planned_minutes,
    CASE line_type WHEN 'machining' THEN 1.6 WHEN 'assembly' THEN 1.1 WHEN 'painting' THEN 2.4 ELSE 3.0 END AS ideal_rate,
    CASE WHEN prand(run_id, 23) < 0.05 THEN 'aborted' WHEN prand(run_id, 23) < 0.07 THEN 'scrapped' ELSE 'completed' END AS status,
    prand(run_id, 24) AS a, prand(run_id, 25) AS p, prand(run_id, 26) AS q,
    CASE plant_id WHEN 'PLT-01' THEN 0.010 WHEN 'PLT-02' THEN 0.022 WHEN 'PLT-03' THEN 0.015
                  WHEN 'PLT-04' THEN 0.018 ELSE 0.028 END * CASE WHEN sn = 3 THEN 1.5 ELSE 1.0 END AS scrap_base
  FROM kept
), y AS (
  SELECT *,
    CAST(round(planned_minutes * CASE WHEN status = 'aborted' THEN 0.2 + 0.4 * a ELSE 0.72 + 0.25 * a END) AS INTEGER) AS run_minutes
  FROM x
), z AS (
  SELECT *,
    CAST(round(run_minutes * ideal_rate) AS INTEGER) AS ideal_units,
    CAST(round(run_minutes * ideal_rate * (0.78 + 0.2 * p)) AS INTEGER) AS units_produced
  FROM y
)
SELECT
  run_id,
  'B' || strftime(run_date, '%y%m%d') || '-' || right(line_id, 3) || '-' || sn AS batch_number,
  line_id,
  run_date,
  shift,
  status,
  planned_minutes,
  run_minutes,
  ideal_units,
  units_produced,
  CASE WHEN status = 'scrapped' THEN units_produced
       ELSE CAST(floor(units_produced * scrap_base * (0.3 + 1.4 * q)) AS INTEGER) END AS units_scrapped,
  CASE WHEN status = 'scrapped' THEN 0
       ELSE CAST(floor(units_produced * 0.02 * pow(prand(run_id, 27), 2) * 2) AS INTEGER) END AS units_reworked
FROM z
ORDER BY run_id;

CREATE OR REPLACE TABLE bronze.quality_inspections AS
WITH r AS (
  SELECT run_id, line_id, run_date, units_produced, status,
         row_number() OVER (ORDER BY run_id) AS k
  FROM bronze.production_runs
  WHERE prand(run_id, 31) < 0.4
), i AS (
  SELECT row_number() OVER (ORDER BY k) AS inspection_id, *,
    CASE WHEN prand(k, 32) < 0.015 THEN NULL ELSE run_id END AS run_ref,
    CASE WHEN prand(k, 33) < 0.6 THEN 'final' ELSE 'in_process' END AS stage,
    20 + CAST(floor(prand(k, 34) * 60) AS INTEGER) AS sample_size,
    prand(k, 35) AS dr
  FROM r
), j AS (
  SELECT *,
    CASE WHEN dr < 0.62 THEN 0 WHEN dr < 0.85 THEN 1 WHEN dr < 0.95 THEN 2 ELSE 3 + CAST(floor(prand(k, 36) * 4) AS INTEGER) END AS defects_found
  FROM i
)
SELECT
  inspection_id,
  run_ref AS run_id,
  line_id,
  run_date + CASE WHEN prand(k, 37) < 0.2 THEN 1 ELSE 0 END AS inspection_date,
  stage AS inspection_stage,
  ['K. Weber', 'L. Garcia', 'M. Chen', 'P. Novak', 'S. Iyer', 'T. Brooks']
    [1 + CAST(floor(prand(k, 38) * 6) AS INTEGER)] AS inspector,
  sample_size,
  defects_found,
  CASE WHEN defects_found = 0 THEN NULL
       ELSE ['dimensional', 'dimensional', 'surface', 'surface', 'porosity', 'assembly', 'labeling']
              [1 + CAST(floor(prand(k, 39) * 7) AS INTEGER)] END AS defect_type,
  CASE WHEN defects_found = 0 THEN 'pass'
       WHEN defects_found <= 2 AND prand(k, 40) < 0.6 THEN 'rework'
       ELSE 'fail' END AS result
FROM j
ORDER BY inspection_id;

CREATE OR REPLACE TABLE bronze.downtime_events AS
WITH r AS (
  SELECT run_id, line_id, run_date, shift, row_number() OVER (ORDER BY run_id) AS k
  FROM bronze.production_runs
  WHERE prand(run_id, 51) < 0.33
), e AS (
  SELECT row_number() OVER (ORDER BY k) AS downtime_id, r.*,
    prand(k, 52) AS rr,
    (SELECT list(machine_id ORDER BY machine_id) FROM bronze.machines m
      WHERE m.line_id = r.line_id AND m.install_date <= r.run_date) AS ms
  FROM r
), f AS (
  SELECT *,
    CASE WHEN rr < 0.30 THEN 'breakdown' WHEN rr < 0.52 THEN 'changeover' WHEN rr < 0.67 THEN 'planned_maintenance'
         WHEN rr < 0.79 THEN 'material_shortage' WHEN rr < 0.88 THEN 'quality_hold' WHEN rr < 0.95 THEN 'no_operator'
         ELSE 'power_outage' END AS reason
  FROM e
)
SELECT
  downtime_id,
  line_id,
  CASE WHEN reason IN ('material_shortage', 'no_operator', 'power_outage') AND prand(downtime_id, 53) < 0.7 THEN NULL
       WHEN ms IS NULL OR len(ms) = 0 THEN NULL
       ELSE ms[1 + CAST(floor(prand(downtime_id, 54) * len(ms)) AS INTEGER)] END AS machine_id,
  run_date AS event_date,
  shift,
  reason,
  reason IN ('changeover', 'planned_maintenance') AS is_planned,
  CAST(CASE reason WHEN 'breakdown' THEN 15 + floor(pow(prand(downtime_id, 55), 2) * 220)
                   WHEN 'changeover' THEN 20 + floor(prand(downtime_id, 55) * 40)
                   WHEN 'planned_maintenance' THEN 60 + floor(prand(downtime_id, 55) * 120)
                   WHEN 'power_outage' THEN 10 + floor(prand(downtime_id, 55) * 90)
                   ELSE 10 + floor(prand(downtime_id, 55) * 50) END AS INTEGER) AS duration_minutes
FROM f
ORDER BY downtime_id;

ALTER TABLE bronze.plants ADD PRIMARY KEY (plant_id);
ALTER TABLE bronze.production_lines ADD PRIMARY KEY (line_id);
ALTER TABLE bronze.machines ADD PRIMARY KEY (machine_id);
ALTER TABLE bronze.production_runs ADD PRIMARY KEY (run_id);
ALTER TABLE bronze.quality_inspections ADD PRIMARY KEY (inspection_id);
ALTER TABLE bronze.downtime_events ADD PRIMARY KEY (downtime_id);

DROP MACRO IF EXISTS prand;

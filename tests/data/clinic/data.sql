-- Outpatient clinic network test catalog: clinics, providers, patients,
-- appointments and billing claims (deterministic, no scale).
--
-- Tables (schema bronze)
--   clinics       8 clinics in 5 regions (CLN-08 opened 2024-09-01)
--   providers     30 providers (PRV-001 .. PRV-030); two are named Emily Chen
--   patients      3 500 patients (PAT-00001 ..), registered 2018-01-01 .. 2025-06-30
--   appointments  23 500 appointments 2024-01-01 .. 2025-06-30 (APT-000001 ..)
--   claims        18 310 claims, one for most completed appointments (CLM-000001 ..)
--
-- Quirks: appointments.provider_id NULL for some walk-ins (~2 %),
--   wait_minutes NULL unless completed (and ~3 % of completed visits not recorded),
--   claims.paid_amount NULL while a claim is pending, denial_reason only for denied claims.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.clinics AS
SELECT * FROM (VALUES
  ('CLN-01', 'Riverside Family Health',   'Columbus',    'Central', 'primary_care', DATE '2012-03-01', 14),
  ('CLN-02', 'Northgate Medical Center',  'Cleveland',   'North',   'primary_care', DATE '2009-06-15', 18),
  ('CLN-03', 'Lakeview Urgent Care',      'Toledo',      'North',   'urgent_care',  DATE '2016-10-03', 8),
  ('CLN-04', 'Southpoint Health',         'Cincinnati',  'South',   'primary_care', DATE '2014-01-20', 16),
  ('CLN-05', 'Eastwood Specialty Clinic', 'Zanesville',  'East',    'specialty',    DATE '2018-04-09', 10),
  ('CLN-06', 'Westfield Urgent Care',     'Springfield', 'West',    'urgent_care',  DATE '2019-08-26', 7),
  ('CLN-07', 'Harbor Heart and Vascular', 'Cleveland',   'North',   'specialty',    DATE '2020-02-03', 9),
  ('CLN-08', 'Maple Grove Pediatrics',    'Columbus',    'Central', 'primary_care', DATE '2024-09-01', 6)
) v(clinic_id, clinic_name, city, region, clinic_type, opened_date, exam_rooms);

-- home_clinic is used to place appointments only (providers float between clinics in the model)
CREATE OR REPLACE TABLE bronze.providers AS
SELECT * FROM (VALUES
  ('PRV-001', 'Sarah Mitchell',   'family_medicine',    'MD', true,  DATE '2015-07-01', 'CLN-01'),
  ('PRV-002', 'David Okafor',     'internal_medicine',  'MD', true,  DATE '2017-09-01', 'CLN-01'),
  ('PRV-003', 'Laura Bennett',    'family_medicine',    'NP', true,  DATE '2021-03-15', 'CLN-01'),
  ('PRV-004', 'Emily Chen',       'family_medicine',    'DO', false, DATE '2013-05-01', 'CLN-02'),
  ('PRV-005', 'Marcus Reed',      'internal_medicine',  'MD', false, DATE '2011-08-01', 'CLN-02'),
  ('PRV-006', 'Anita Desai',      'internal_medicine',  'MD', true,  DATE '2019-01-07', 'CLN-02'),
  ('PRV-007', 'Tom Kowalski',     'family_medicine',    'PA', true,  DATE '2020-06-01', 'CLN-02'),
  ('PRV-008', 'Grace Huang',      'emergency_medicine', 'MD', true,  DATE '2016-10-03', 'CLN-03'),
  ('PRV-009', 'Jamal Wright',     'emergency_medicine', 'PA', true,  DATE '2018-02-12', 'CLN-03'),
  ('PRV-010', 'Rachel Foster',    'emergency_medicine', 'NP', true,  DATE '2022-04-04', 'CLN-03'),
  ('PRV-011', 'Carlos Mendez',    'family_medicine',    'MD', true,  DATE '2014-01-20', 'CLN-04'),
  ('PRV-012', 'Hannah Schultz',   'internal_medicine',  'DO', false, DATE '2016-03-01', 'CLN-04'),
  ('PRV-013', 'Olivia Grant',     'pediatrics',         'MD', true,  DATE '2017-11-06', 'CLN-04'),
  ('PRV-014', 'Kevin Brooks',     'family_medicine',    'NP', true,  DATE '2023-01-09', 'CLN-04'),
  ('PRV-015', 'Nadia Petrova',    'dermatology',        'MD', false, DATE '2018-04-09', 'CLN-05'),
  ('PRV-016', 'Samuel Adeyemi',   'orthopedics',        'MD', true,  DATE '2018-04-09', 'CLN-05'),
  ('PRV-017', 'Julia Romano',     'orthopedics',        'PA', true,  DATE '2021-09-13', 'CLN-05'),
  ('PRV-018', 'Brian Novak',      'emergency_medicine', 'MD', true,  DATE '2019-08-26', 'CLN-06'),
  ('PRV-019', 'Emily Chen',       'dermatology',        'MD', true,  DATE '2022-02-01', 'CLN-05'),
  ('PRV-020', 'Priya Raman',      'emergency_medicine', 'NP', true,  DATE '2020-11-02', 'CLN-06'),
  ('PRV-021', 'Robert Haines',    'cardiology',         'MD', false, DATE '2020-02-03', 'CLN-07'),
  ('PRV-022', 'Mei Tanaka',       'cardiology',         'MD', true,  DATE '2020-02-03', 'CLN-07'),
  ('PRV-023', 'Ahmed Farouk',     'cardiology',         'DO', true,  DATE '2023-06-05', 'CLN-07'),
  ('PRV-024', 'Lisa Moreno',      'pediatrics',         'MD', true,  DATE '2024-09-01', 'CLN-08'),
  ('PRV-025', 'Daniel Kim',       'pediatrics',         'NP', true,  DATE '2024-09-01', 'CLN-08'),
  ('PRV-026', 'Fatima Siddiqui',  'pediatrics',         'MD', true,  DATE '2015-02-16', 'CLN-01'),
  ('PRV-027', 'George Lindqvist', 'internal_medicine',  'MD', false, DATE '2010-09-01', 'CLN-04'),
  ('PRV-028', 'Rosa Alvarez',     'family_medicine',    'PA', true,  DATE '2019-05-20', 'CLN-02'),
  ('PRV-029', 'Victor Osei',      'dermatology',        'NP', true,  DATE '2023-10-02', 'CLN-05'),
  ('PRV-030', 'Claire Dubois',    'emergency_medicine', 'PA', true,  DATE '2024-01-08', 'CLN-06')
) v(provider_id, provider_name, specialty, credential, accepting_new_patients, start_date, home_clinic_id);

CREATE OR REPLACE TABLE bronze.patients AS
WITH p AS (
  SELECT i,
    CASE WHEN prand(i, 3) < 0.55 THEN DATE '2018-01-01' + CAST(floor(prand(i, 4) * 2191) AS INTEGER)
         ELSE DATE '2024-01-01' + CAST(floor(prand(i, 4) * 547) AS INTEGER) END AS registered_date,
    1935 + CAST(floor(prand(i, 5) * 88) AS INTEGER) AS birth_year
  FROM range(1, 3501) t(i)
)
SELECT
  'PAT-' || lpad(CAST(i AS VARCHAR), 5, '0') AS patient_id,
  ['James', 'Mary', 'John', 'Linda', 'Michael', 'Susan', 'William', 'Karen', 'Jose', 'Ana', 'Wei', 'Aaliyah', 'Noah', 'Emma', 'Liam', 'Ava']
    [1 + CAST(floor(prand(i, 1) * 16) AS INTEGER)] || ' ' ||
  ['Smith', 'Johnson', 'Garcia', 'Brown', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Nguyen', 'Patel', 'Clark', 'Lewis']
    [1 + CAST(floor(prand(i, 2) * 14) AS INTEGER)] AS patient_name,
  CASE WHEN prand(i, 6) < 0.52 THEN 'F' ELSE 'M' END AS sex,
  birth_year,
  CASE WHEN 2025 - birth_year < 18 THEN '0-17' WHEN 2025 - birth_year < 40 THEN '18-39'
       WHEN 2025 - birth_year < 65 THEN '40-64' ELSE '65+' END AS age_group,
  CASE WHEN 2025 - birth_year >= 65 AND prand(i, 7) < 0.85 THEN 'medicare'
       WHEN prand(i, 7) < 0.55 THEN 'commercial' WHEN prand(i, 7) < 0.82 THEN 'medicaid' ELSE 'self_pay' END AS insurance_type,
  registered_date
FROM p ORDER BY i;

CREATE OR REPLACE TABLE bronze.appointments AS
WITH prov AS (
  SELECT p.*, c.clinic_type, c.opened_date, row_number() OVER (ORDER BY p.provider_id) AS pn
  FROM bronze.providers p JOIN bronze.clinics c ON c.clinic_id = p.home_clinic_id
), a AS (
  SELECT t.i,
    -- busier providers first: weight by a skewed draw over the 30 providers
    1 + CAST(floor(prand(t.i, 21) * 30) AS INTEGER) AS pn,
    1 + CAST(floor(pow(prand(t.i, 22), 1.15) * 3500) AS INTEGER) AS pat
  FROM range(1, 23501) t(i)
), b AS (
  SELECT a.i, pt.patient_id, pt.insurance_type, pr.provider_id, pr.home_clinic_id AS clinic_id, pr.clinic_type, pr.specialty,
    greatest(pt.registered_date, DATE '2024-01-01', pr.opened_date, pr.start_date) AS w0
  FROM a
  JOIN prov pr ON pr.pn = a.pn
  JOIN bronze.patients pt ON pt.patient_id = 'PAT-' || lpad(CAST(a.pat AS VARCHAR), 5, '0')
), c AS (
  SELECT *, w0 + CAST(floor(prand(i, 23) * (DATE '2025-06-30' - w0 + 1)) AS INTEGER) AS appointment_date,
    row_number() OVER (ORDER BY w0 + CAST(floor(prand(i, 23) * (DATE '2025-06-30' - w0 + 1)) AS INTEGER), i) AS k
  FROM b WHERE w0 <= DATE '2025-06-30'
), d AS (
  SELECT *,
    CASE WHEN clinic_type = 'urgent_care' THEN 'urgent'
         WHEN prand(k, 31) < 0.20 THEN 'new_patient'
         WHEN prand(k, 31) < 0.65 THEN 'follow_up'
         WHEN prand(k, 31) < 0.82 AND specialty IN ('family_medicine', 'internal_medicine', 'pediatrics') THEN 'annual_physical'
         WHEN prand(k, 31) < 0.82 THEN 'follow_up'
         ELSE 'procedure' END AS visit_type,
    prand(k, 33) < 0.85 AS reminder_sent
  FROM c
), e AS (
  SELECT *,
    CASE WHEN visit_type IN ('follow_up', 'new_patient') AND prand(k, 32) < 0.22 THEN 'telehealth' ELSE 'in_person' END AS visit_mode,
    CASE WHEN prand(k, 34) < (CASE WHEN reminder_sent THEN 0.055 ELSE 0.16 END) + (CASE WHEN insurance_type = 'medicaid' THEN 0.05 ELSE 0 END)
              AND visit_type <> 'urgent' THEN 'no_show'
         WHEN prand(k, 35) < 0.11 AND visit_type <> 'urgent' THEN 'cancelled'
         WHEN prand(k, 35) > 0.97 AND visit_type <> 'urgent' THEN 'rescheduled'
         ELSE 'completed' END AS status,
    CASE WHEN visit_type = 'urgent' THEN 0
         ELSE CAST(floor(pow(prand(k, 36), 2) * CASE visit_type WHEN 'new_patient' THEN 75 WHEN 'annual_physical' THEN 90 ELSE 45 END) AS INTEGER) END AS lead_days
  FROM d
)
SELECT
  'APT-' || lpad(CAST(k AS VARCHAR), 6, '0') AS appointment_id,
  patient_id,
  CASE WHEN clinic_type = 'urgent_care' AND prand(k, 37) < 0.09 THEN NULL ELSE provider_id END AS provider_id,
  clinic_id,
  appointment_date,
  appointment_date - lead_days AS booked_date,
  visit_type,
  visit_mode,
  status,
  reminder_sent,
  CASE WHEN status <> 'completed' OR prand(k, 38) < 0.03 THEN NULL
       WHEN visit_mode = 'telehealth' THEN CAST(floor(prand(k, 39) * 15) AS INTEGER)
       WHEN clinic_type = 'urgent_care' THEN 10 + CAST(floor(pow(prand(k, 39), 1.5) * 80) AS INTEGER)
       ELSE 2 + CAST(floor(pow(prand(k, 39), 1.7) * 40) AS INTEGER) + CASE clinic_id WHEN 'CLN-02' THEN 6 WHEN 'CLN-04' THEN 3 ELSE 0 END
  END AS wait_minutes
FROM e ORDER BY k;

CREATE OR REPLACE TABLE bronze.claims AS
WITH a AS (
  SELECT ap.*, pt.insurance_type, row_number() OVER (ORDER BY ap.appointment_id) AS k
  FROM bronze.appointments ap JOIN bronze.patients pt ON pt.patient_id = ap.patient_id
  WHERE ap.status = 'completed' AND prand(CAST(substr(ap.appointment_id, 5) AS BIGINT), 51) < 0.94
), b AS (
  SELECT *,
    CASE WHEN visit_type = 'annual_physical' THEN ['99395', '99396'][1 + CAST(floor(prand(k, 52) * 2) AS INTEGER)]
         WHEN visit_type = 'new_patient' THEN ['99203', '99204'][1 + CAST(floor(prand(k, 52) * 2) AS INTEGER)]
         WHEN visit_type = 'procedure' THEN ['11102', '20610', '93000', '71046'][1 + CAST(floor(prand(k, 52) * 4) AS INTEGER)]
         WHEN visit_type = 'urgent' THEN ['99213', '99214', '80053', '71046'][1 + CAST(floor(pow(prand(k, 52), 1.6) * 4) AS INTEGER)]
         ELSE ['99213', '99214', '80053'][1 + CAST(floor(pow(prand(k, 52), 1.4) * 3) AS INTEGER)] END AS procedure_code,
    least(appointment_date + 1 + CAST(floor(prand(k, 53) * 10) AS INTEGER), DATE '2025-06-30') AS submitted_date
  FROM a
), c AS (
  SELECT *,
    CASE procedure_code WHEN '99395' THEN 'preventive' WHEN '99396' THEN 'preventive'
      WHEN '80053' THEN 'lab' WHEN '71046' THEN 'imaging' WHEN '93000' THEN 'diagnostic_test'
      WHEN '11102' THEN 'minor_procedure' WHEN '20610' THEN 'minor_procedure' ELSE 'office_visit' END AS procedure_category,
    CASE procedure_code WHEN '99213' THEN 135 WHEN '99214' THEN 195 WHEN '99203' THEN 180 WHEN '99204' THEN 265
      WHEN '99395' THEN 240 WHEN '99396' THEN 260 WHEN '80053' THEN 62 WHEN '71046' THEN 210
      WHEN '93000' THEN 85 WHEN '11102' THEN 310 ELSE 280 END * (0.95 + prand(k, 54) * 0.1) AS billed,
    CASE WHEN appointment_date > DATE '2025-05-31' AND prand(k, 55) < 0.6 THEN 'pending'
         WHEN prand(k, 55) < 0.02 THEN 'pending'
         WHEN prand(k, 56) < CASE insurance_type WHEN 'medicaid' THEN 0.14 WHEN 'self_pay' THEN 0.03 ELSE 0.08 END THEN 'denied'
         ELSE 'paid' END AS claim_status
  FROM b
)
SELECT
  'CLM-' || lpad(CAST(k AS VARCHAR), 6, '0') AS claim_id,
  appointment_id,
  patient_id,
  clinic_id,
  provider_id,
  appointment_date AS service_date,
  submitted_date,
  procedure_code,
  procedure_category,
  CAST(round(billed, 2) AS DECIMAL(10, 2)) AS billed_amount,
  CAST(CASE claim_status WHEN 'pending' THEN NULL WHEN 'denied' THEN 0
       ELSE round(billed * CASE insurance_type WHEN 'commercial' THEN 0.72 WHEN 'medicare' THEN 0.55
                                               WHEN 'medicaid' THEN 0.41 ELSE 0.35 END * (0.9 + prand(k, 57) * 0.2), 2) END
       AS DECIMAL(10, 2)) AS paid_amount,
  claim_status,
  CASE WHEN claim_status = 'denied' THEN
    ['missing_authorization', 'coding_error', 'not_covered', 'eligibility'][1 + CAST(floor(prand(k, 58) * 4) AS INTEGER)] END AS denial_reason,
  CASE WHEN claim_status = 'paid' THEN least(submitted_date + 12 + CAST(floor(prand(k, 59) * 30) AS INTEGER), DATE '2025-06-30') END AS paid_date
FROM c ORDER BY k;

ALTER TABLE bronze.providers DROP COLUMN home_clinic_id;
ALTER TABLE bronze.clinics ADD PRIMARY KEY (clinic_id);
ALTER TABLE bronze.providers ADD PRIMARY KEY (provider_id);
ALTER TABLE bronze.patients ADD PRIMARY KEY (patient_id);
ALTER TABLE bronze.appointments ADD PRIMARY KEY (appointment_id);
ALTER TABLE bronze.claims ADD PRIMARY KEY (claim_id);

DROP MACRO IF EXISTS prand;

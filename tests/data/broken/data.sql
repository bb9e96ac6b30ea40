-- Broken test catalog (tests/data/broken): the HR data of tests/data/hr; the table the
-- semantic model trainings refers to is deliberately absent.
-- HR test catalog: departments, employees, monthly payroll and absences
-- (deterministic, no scale; a test catalog the dpgen code was not written for).
--
-- Tables (schema bronze)                                              rows
--   departments  12 departments in 4 divisions                          12
--   employees    employees hired 2015-01-01 .. 2025-06-30              320
--   payroll      one payslip per employee and month employed,
--                2024-01 .. 2025-06 (pay_month = first day of month)  4 525
--   absences     absence spells 2024-01-01 .. 2025-06-30,
--                each within its employee's employment                 1 501
-- Declared primary keys: all four tables. No foreign keys.
--
-- KNOWN DEFECTS (rate used; rows measured):
--   H1  employees.department_id IS NULL            2 % of employees     8
--   H2  absences.days <= 0 (data-entry error)      1 % of absences     12
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1), the same
-- BIGINT hash as catalog/demo/generate.sql; dropped at the end of the file.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.departments AS
SELECT * FROM (VALUES
  (1, 'Warehouse Operations', 'Operations', 'CC-110'),
  (2, 'Customer Service', 'Operations', 'CC-120'),
  (3, 'Procurement', 'Operations', 'CC-130'),
  (4, 'Sales', 'Commercial', 'CC-210'),
  (5, 'Marketing', 'Commercial', 'CC-220'),
  (6, 'Account Management', 'Commercial', 'CC-230'),
  (7, 'Finance', 'Corporate', 'CC-310'),
  (8, 'People and Culture', 'Corporate', 'CC-320'),
  (9, 'Legal', 'Corporate', 'CC-330'),
  (10, 'Engineering', 'Technology', 'CC-410'),
  (11, 'Data and Analytics', 'Technology', 'CC-420'),
  (12, 'IT Support', 'Technology', 'CC-430')
) v(department_id, department_name, division, cost_center);

CREATE OR REPLACE TABLE bronze.employees AS
WITH e AS (
  SELECT i,
    -- bigger departments first: operations and engineering employ the most people
    [1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 10, 10, 11, 11, 12]
      [1 + CAST(floor(prand(i, 11) * 25) AS INTEGER)] AS dept,
    1 + CAST(floor(pow(prand(i, 12), 1.8) * 6) AS INTEGER) AS lvl,
    DATE '2015-01-01' + CAST(floor(sqrt(prand(i, 13)) * 3833) AS INTEGER) AS hire_date
  FROM range(1, 321) t(i)
)
SELECT
  i AS employee_id,
  ['Alex', 'Sam', 'Maria', 'Jonas', 'Aisha', 'Ravi', 'Lena', 'Tom', 'Yara', 'Ken', 'Julia', 'Omar', 'Mia', 'Luis', 'Nora', 'Ben']
    [1 + CAST(floor(prand(i, 14) * 16) AS INTEGER)] || ' ' ||
  ['Meyer', 'Novak', 'Iyer', 'Costa', 'Berg', 'Kim', 'Walsh', 'Ahmed', 'Rossi', 'Lund', 'Park', 'Moreau']
    [1 + CAST(floor(prand(i, 15) * 12) AS INTEGER)] AS full_name,
  CASE WHEN prand(i, 16) < 0.02 THEN NULL ELSE dept END AS department_id,          -- H1
  'L' || lvl AS job_level,
  CASE WHEN prand(i, 17) < 0.78 THEN 'full_time' WHEN prand(i, 17) < 0.93 THEN 'part_time' ELSE 'contractor' END AS employment_type,
  ['Berlin', 'Berlin', 'London', 'New York', 'Bangalore', 'Sao Paulo'][1 + CAST(floor(prand(i, 18) * 6) AS INTEGER)] AS location,
  hire_date,
  CASE WHEN prand(i, 19) < 0.2 AND hire_date + 90 + CAST(floor(prand(i, 20) * 1500) AS INTEGER) <= DATE '2025-06-30'
       THEN hire_date + 90 + CAST(floor(prand(i, 20) * 1500) AS INTEGER) END AS termination_date,
  CAST(round((32000 + lvl * 14000) * (0.85 + prand(i, 21) * 0.35)
             * CASE WHEN dept IN (10, 11) THEN 1.25 WHEN dept IN (1, 2) THEN 0.8 ELSE 1.0 END, -2) AS DECIMAL(12, 2)) AS annual_salary
FROM e
ORDER BY i;

CREATE OR REPLACE TABLE bronze.payroll AS
WITH months AS (
  SELECT CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE) AS pay_month FROM range(0, 18) r(n)
), slips AS (
  SELECT e.employee_id, e.employment_type, e.annual_salary, m.pay_month,
         row_number() OVER (ORDER BY m.pay_month, e.employee_id) AS k
  FROM bronze.employees e JOIN months m
    ON m.pay_month >= date_trunc('month', e.hire_date)
   AND (e.termination_date IS NULL OR m.pay_month <= e.termination_date)
)
SELECT
  k AS payroll_id,
  employee_id,
  pay_month,
  CASE employment_type WHEN 'part_time' THEN 12 ELSE 21 END AS scheduled_days,
  CAST(round(CASE WHEN employment_type = 'contractor' THEN 0
                  ELSE floor(pow(prand(k, 31), 3) * 25) END, 1) AS DECIMAL(6, 1)) AS overtime_hours,
  CAST(round(annual_salary / 12 * CASE employment_type WHEN 'part_time' THEN 0.6 ELSE 1.0 END
             + CASE WHEN employment_type = 'contractor' THEN 0 ELSE floor(pow(prand(k, 31), 3) * 25) * 45 END, 2)
       AS DECIMAL(12, 2)) AS gross_pay
FROM slips
ORDER BY k;

CREATE OR REPLACE TABLE bronze.absences AS
WITH a AS (
  -- each spell starts while its employee is employed (2024-01-01 .. 2025-06-30)
  SELECT t.i, e.employee_id,
    greatest(e.hire_date, DATE '2024-01-01') AS w0,
    least(coalesce(e.termination_date, DATE '2025-06-30'), DATE '2025-06-30') AS w1,
    CASE WHEN prand(t.i, 43) < 0.45 THEN 'vacation' WHEN prand(t.i, 43) < 0.80 THEN 'sick'
         WHEN prand(t.i, 43) < 0.88 THEN 'training' WHEN prand(t.i, 43) < 0.95 THEN 'unpaid' ELSE 'parental' END AS reason
  FROM range(1, 1601) t(i)
  JOIN bronze.employees e ON e.employee_id = 1 + CAST(floor(prand(t.i, 41) * 320) AS INTEGER)
), b AS (
  SELECT *, w0 + CAST(floor(prand(i, 42) * (w1 - w0 + 1)) AS INTEGER) AS start_date,
         row_number() OVER (ORDER BY i) AS k
  FROM a WHERE w1 >= w0
)
SELECT
  k AS absence_id,
  employee_id,
  start_date,
  reason,
  CASE WHEN prand(k, 44) < 0.01 THEN 0 - CAST(floor(prand(k, 45) * 2) AS INTEGER)    -- H2
       WHEN reason = 'parental' THEN 20 + CAST(floor(prand(k, 45) * 60) AS INTEGER)
       WHEN reason = 'vacation' THEN 1 + CAST(floor(prand(k, 45) * 10) AS INTEGER)
       ELSE 1 + CAST(floor(pow(prand(k, 45), 2) * 5) AS INTEGER) END AS days,
  prand(k, 46) < 0.93 AS approved
FROM b
ORDER BY k;

ALTER TABLE bronze.departments ADD PRIMARY KEY (department_id);
ALTER TABLE bronze.employees ADD PRIMARY KEY (employee_id);
ALTER TABLE bronze.payroll ADD PRIMARY KEY (payroll_id);
ALTER TABLE bronze.absences ADD PRIMARY KEY (absence_id);

DROP MACRO IF EXISTS prand;

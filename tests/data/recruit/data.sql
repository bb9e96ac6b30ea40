-- recruit: what `dbt build` of tests/data/recruit/project leaves in the warehouse.
-- Brightwell is a ~1,400-person B2B software company (HQ Austin; offices in Toronto and Dublin;
-- remote roles). Talent Acquisition runs hiring in Greenhouse (ATS go-live 2024-01-01: nothing
-- older was migrated). The marts cover job requisitions, candidates, applications moving through
-- the pipeline stages, interviews with scorecards, offers (accepted / declined / rescinded /
-- pending), hires with their source, recruiters, hiring managers and interviewers.
--
-- Marts (schema analytics; the project's generate_schema_name uses the custom schema as is):
--   table                      rows    grain
--   dim_departments               11    department
--   dim_recruiters                14    TA team member (REC-01 .. REC-14; Dana Moss left, is_active false)
--   dim_employees                160    employee who hires or interviews (EMP-0001 .. EMP-0160)
--   dim_requisitions             480    job requisition (REQ-1001 .. REQ-1480)
--   dim_candidates            22 178    candidate profile (CAN-#####), 900 prospects who never applied
--   fct_applications          28 702    application of a candidate to a requisition (APP-######)
--   fct_application_stages    52 717    application x pipeline stage entered
--   fct_interviews            16 716    interview (INT-######) with its scorecard
--   fct_offers                   563    offer sent (OFF-#####)
--   fct_hires                    463    accepted offer = hire (HIR-####)
--   fct_requisitions_daily    39 240    day x requisition open or on hold that day (a snapshot)
--   metricflow_time_spine      1 461    day, 2023-01-01 .. 2026-12-31
-- Staging models are views in schema staging and are not rebuilt here (nothing reads them).
--
-- Events fall in 2024-01-01 .. 2025-06-30 (the last load); start dates of hires can be later.
-- Quirks kept on purpose (they are in Greenhouse too):
--   dim_requisitions.recruiter_id NULL for ~4 % (requisitions nobody picked up yet)
--   fct_applications.source NULL for ~1.5 % (source not recorded), and every fact carries the
--     requisition's recruiter_id, NULL when the requisition has no recruiter
--   fct_interviews.interviewer_id NULL for ~1 % (external panelist whose Greenhouse user was deleted)
--   dim_candidates.location_city NULL for ~3 %
--   fct_hires.agency_fee_usd NULL for hires not made through an agency
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1): the first 48 bits of the md5 of
-- 'i:salt'. (The polynomial hash of the HR test data makes draws with evenly spaced salts of one row
-- depend on each other; this pipeline draws a dozen per application, so it uses md5.)
CREATE OR REPLACE MACRO prand(i, salt) AS
  (CAST(('0x' || substr(md5(CAST(i AS VARCHAR) || ':' || CAST(salt AS VARCHAR)), 1, 12)) AS BIGINT) / 281474976710656.0);
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS _gen;

-- ------------------------------------------------------------------ dimensions
CREATE OR REPLACE TABLE analytics.dim_departments AS
SELECT * FROM (VALUES
  (1, 'Engineering', 'R&D', 'CC-4100'),
  (2, 'Product', 'R&D', 'CC-4200'),
  (3, 'Design', 'R&D', 'CC-4300'),
  (4, 'Data', 'R&D', 'CC-4400'),
  (5, 'Sales', 'Go-to-Market', 'CC-5100'),
  (6, 'Marketing', 'Go-to-Market', 'CC-5200'),
  (7, 'Customer Success', 'Go-to-Market', 'CC-5300'),
  (8, 'Finance', 'G&A', 'CC-6100'),
  (9, 'People', 'G&A', 'CC-6200'),
  (10, 'Legal', 'G&A', 'CC-6300'),
  (11, 'Operations', 'G&A', 'CC-6400')
) v(department_id, department_name, division, cost_center);

CREATE OR REPLACE TABLE analytics.dim_recruiters AS
SELECT * FROM (VALUES
  ('REC-01', 'Priya Raman', 'Tech Recruiting', 'lead', false, 'Austin', true),
  ('REC-02', 'Marcus Webb', 'Tech Recruiting', 'senior_recruiter', false, 'Austin', true),
  ('REC-03', 'Elena Duarte', 'Tech Recruiting', 'recruiter', false, 'Toronto', true),
  ('REC-04', 'Tom Whitfield', 'Tech Recruiting', 'recruiter', true, 'Remote', true),
  ('REC-05', 'Hannah Okoye', 'Tech Recruiting', 'sourcer', false, 'Dublin', true),
  ('REC-06', 'Jordan Blake', 'GTM Recruiting', 'lead', false, 'Austin', true),
  ('REC-07', 'Sofia Marin', 'GTM Recruiting', 'recruiter', false, 'Dublin', true),
  ('REC-08', 'Kevin Osei', 'GTM Recruiting', 'recruiter', false, 'Toronto', true),
  ('REC-09', 'Laura Chen', 'GTM Recruiting', 'recruiter', true, 'Remote', true),
  ('REC-10', 'Rachel Stein', 'Corporate Recruiting', 'senior_recruiter', false, 'Austin', true),
  ('REC-11', 'Omar Haddad', 'Corporate Recruiting', 'recruiter', false, 'Dublin', true),
  ('REC-12', 'Nina Patel', 'Early Careers', 'recruiter', false, 'Austin', true),
  ('REC-13', 'Lucas Ferreira', 'Early Careers', 'coordinator', false, 'Toronto', true),
  ('REC-14', 'Dana Moss', 'Tech Recruiting', 'recruiter', false, 'Austin', false)
) v(recruiter_id, recruiter_name, recruiting_team, recruiter_role, is_contractor, office, is_active);

-- employees who act as hiring managers and interviewers (160); a quarter of each department
-- manage people. Two managers share the name Chris Taylor (one in Engineering, one in Sales).
CREATE OR REPLACE TABLE _gen.emp AS
WITH e AS (
  SELECT i,
    [1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 11]
      [1 + CAST(floor(prand(i, 31) * 24) AS INTEGER)] AS department_id
  FROM range(1, 161) t(i)
), r AS (
  SELECT *, row_number() OVER (PARTITION BY department_id ORDER BY i) AS rk,
         count(*) OVER (PARTITION BY department_id) AS n
  FROM e
)
SELECT i, department_id, rk <= greatest(1, CAST(ceil(n / 4.0) AS INTEGER)) AS is_people_manager, rk
FROM r;

CREATE OR REPLACE TABLE analytics.dim_employees AS
SELECT
  'EMP-' || lpad(CAST(i AS VARCHAR), 4, '0') AS employee_id,
  CASE WHEN department_id = 1 AND rk = 2 THEN 'Chris Taylor'
       WHEN department_id = 5 AND rk = 1 THEN 'Chris Taylor'
       -- (i mod 20, (5 * (i div 20) + 7 * (i mod 20)) mod 18) is one-to-one for i < 180: names are unique
       ELSE ['Aaron', 'Beatriz', 'Caleb', 'Deepa', 'Ethan', 'Fiona', 'Gabriel', 'Ines', 'Jonah', 'Keiko',
             'Liam', 'Maya', 'Noah', 'Olivia', 'Pavel', 'Quinn', 'Rosa', 'Samir', 'Tessa', 'Umar']
              [1 + i % 20] || ' ' ||
            ['Abbott', 'Brennan', 'Castillo', 'Dimitrov', 'Eriksen', 'Fischer', 'Gupta', 'Hale', 'Ivanova',
             'Jensen', 'Kowalski', 'Lindqvist', 'Mbeki', 'Nakamura', 'O''Connor', 'Petrov', 'Quinlan', 'Rahman']
              [1 + (5 * (i // 20) + 7 * (i % 20)) % 18] END AS employee_name,
  department_id,
  CASE WHEN is_people_manager THEN
         CASE department_id WHEN 1 THEN 'Engineering Manager' WHEN 2 THEN 'Group Product Manager'
           WHEN 3 THEN 'Design Manager' WHEN 4 THEN 'Data Science Manager' WHEN 5 THEN 'Regional Sales Director'
           WHEN 6 THEN 'Marketing Director' WHEN 7 THEN 'Customer Success Manager Lead' WHEN 8 THEN 'Finance Controller'
           WHEN 9 THEN 'People Partner Lead' WHEN 10 THEN 'Associate General Counsel' ELSE 'Operations Manager' END
       ELSE
         CASE department_id WHEN 1 THEN 'Senior Software Engineer' WHEN 2 THEN 'Product Manager'
           WHEN 3 THEN 'Product Designer' WHEN 4 THEN 'Data Scientist' WHEN 5 THEN 'Account Executive'
           WHEN 6 THEN 'Marketing Manager' WHEN 7 THEN 'Customer Success Manager' WHEN 8 THEN 'Financial Analyst'
           WHEN 9 THEN 'People Partner' WHEN 10 THEN 'Corporate Counsel' ELSE 'Business Operations Analyst' END
  END AS job_title,
  is_people_manager,
  ['Austin', 'Austin', 'Toronto', 'Dublin', 'Remote'][1 + CAST(floor(prand(i, 34) * 5) AS INTEGER)] AS office
FROM _gen.emp
ORDER BY i;

-- ------------------------------------------------------------------ requisitions (raw plan)
-- 480 requisitions opened 2024-01-02 .. 2025-06-19, more in 2025 (hiring plan grew).
CREATE OR REPLACE TABLE _gen.req0 AS
WITH r AS (
  SELECT i,
    [1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 7, 7, 8, 9, 10, 11, 11]
      [1 + CAST(floor(prand(i, 41) * 25) AS INTEGER)] AS department_id,
    DATE '2024-01-02' + CAST(floor(pow(prand(i, 42), 0.8) * 535) AS INTEGER) AS opened_date,
    prand(i, 43) AS u_type,
    prand(i, 44) AS u_level
  FROM range(1, 481) t(i)
)
SELECT
  row_number() OVER (ORDER BY opened_date, i) AS rn, i, department_id, opened_date,
  CASE WHEN u_type < 0.05 THEN 'intern' WHEN u_type < 0.12 THEN 'contract' ELSE 'full_time' END AS employment_type,
  CASE WHEN u_type < 0.05 THEN 'IC1'
       WHEN u_level < 0.10 THEN 'IC1' WHEN u_level < 0.35 THEN 'IC2' WHEN u_level < 0.65 THEN 'IC3'
       WHEN u_level < 0.80 THEN 'IC4' WHEN u_level < 0.85 THEN 'IC5' WHEN u_level < 0.93 THEN 'M1'
       WHEN u_level < 0.98 THEN 'M2' ELSE 'M3' END AS job_level
FROM r;

CREATE OR REPLACE TABLE _gen.req AS
WITH base AS (
  SELECT r.*,
    'REQ-' || CAST(1000 + rn AS VARCHAR) AS requisition_id,
    CASE WHEN employment_type = 'intern' THEN 2 + CAST(floor(prand(i, 45) * 3) AS INTEGER)
         WHEN prand(i, 45) < 0.88 THEN 1 WHEN prand(i, 45) < 0.97 THEN 2 ELSE 3 END AS openings,
    CASE WHEN employment_type = 'intern' THEN 'Austin'
         ELSE ['Austin', 'Austin', 'Austin', 'Austin', 'Austin', 'Austin', 'Austin', 'Toronto', 'Toronto', 'Toronto',
               'Toronto', 'Toronto', 'Dublin', 'Dublin', 'Dublin', 'Remote', 'Remote', 'Remote', 'Remote', 'Remote']
              [1 + CAST(floor(prand(i, 46) * 20) AS INTEGER)] END AS office,
    employment_type <> 'intern' AND prand(i, 47) < 0.3 AS is_backfill,
    CASE WHEN prand(i, 48) < 0.10 THEN 'critical' WHEN prand(i, 48) < 0.40 THEN 'high' ELSE 'normal' END AS priority,
    prand(i, 49) AS u_rec,
    prand(i, 50) AS u_hm,
    prand(i, 51) AS u_cancel,
    CASE department_id WHEN 1 THEN 0.55 WHEN 2 THEN 0.50 WHEN 3 THEN 0.70 WHEN 4 THEN 0.50 WHEN 5 THEN 0.45
      WHEN 6 THEN 0.50 WHEN 7 THEN 0.45 WHEN 8 THEN 0.35 WHEN 9 THEN 0.35 WHEN 10 THEN 0.20 ELSE 0.40 END
      * (0.6 + 0.8 * prand(i, 52)) AS lam
  FROM _gen.req0 r
), rec AS (
  SELECT b.*,
    CASE WHEN u_rec < 0.04 THEN NULL
         WHEN employment_type = 'intern' THEN ['REC-12', 'REC-12', 'REC-13'][1 + CAST(floor(prand(i, 53) * 3) AS INTEGER)]
         WHEN department_id <= 4 THEN
           CASE WHEN opened_date < DATE '2024-09-01'
                THEN ['REC-01', 'REC-02', 'REC-02', 'REC-03', 'REC-03', 'REC-14', 'REC-14', 'REC-05'][1 + CAST(floor(prand(i, 53) * 8) AS INTEGER)]
                ELSE ['REC-01', 'REC-02', 'REC-02', 'REC-03', 'REC-03', 'REC-04', 'REC-04', 'REC-05'][1 + CAST(floor(prand(i, 53) * 8) AS INTEGER)] END
         WHEN department_id <= 7 THEN ['REC-06', 'REC-07', 'REC-07', 'REC-08', 'REC-08', 'REC-09', 'REC-09'][1 + CAST(floor(prand(i, 53) * 7) AS INTEGER)]
         ELSE ['REC-10', 'REC-10', 'REC-11', 'REC-11', 'REC-11'][1 + CAST(floor(prand(i, 53) * 5) AS INTEGER)] END AS recruiter_id,
    CASE WHEN u_cancel < 0.08 THEN opened_date + 20 + CAST(floor(prand(i, 54) * 120) AS INTEGER) END AS cancel_date0,
    CASE WHEN u_cancel >= 0.08 AND u_cancel < 0.12 THEN opened_date + 25 + CAST(floor(prand(i, 55) * 90) AS INTEGER) END AS hold_date0
  FROM base b
), hm AS (
  SELECT rec.*, e.employee_id AS hiring_manager_id
  FROM rec
  JOIN (SELECT 'EMP-' || lpad(CAST(i AS VARCHAR), 4, '0') AS employee_id, department_id,
               row_number() OVER (PARTITION BY department_id ORDER BY i) - 1 AS k,
               count(*) OVER (PARTITION BY department_id) AS nm
        FROM _gen.emp WHERE is_people_manager) e
    ON e.department_id = rec.department_id AND e.k = CAST(floor(rec.u_hm * e.nm) AS INTEGER)
)
SELECT *,
  CASE WHEN cancel_date0 <= DATE '2025-06-30' THEN cancel_date0 END AS cancel_date,
  CASE WHEN hold_date0 <= DATE '2025-06-30' THEN hold_date0 END AS hold_date
FROM hm;

-- ------------------------------------------------------------------ applications (raw plan)
-- arrivals over 250 days after opening (front-loaded); cut at the last load, at a cancellation or
-- hold, and later (below) at the day the requisition was filled.
CREATE OR REPLACE TABLE _gen.app0 AS
WITH n AS (
  SELECT r.*, CAST(round(lam * 250 * CASE WHEN employment_type = 'intern' THEN 2.5 ELSE 1 END
                        * pow(openings, 0.7)) AS INTEGER) AS n_apps
  FROM _gen.req r
), a AS (
  SELECT n.requisition_id, n.i AS req_i, n.department_id, n.employment_type, n.opened_date, n.cancel_date, n.hold_date,
         k, n.i * 1000 + k AS akey,
         n.opened_date + CAST(floor(250 * pow(prand(n.i * 1000 + k, 61), 1.3)) AS INTEGER) AS applied_date
  FROM n JOIN range(1, 1000) t(k) ON k <= n.n_apps
)
SELECT a.*,
  CASE WHEN employment_type = 'intern' AND prand(akey, 62) < 0.5 THEN 'university'
       WHEN prand(akey, 63) < 0.015 THEN NULL
       ELSE CASE WHEN prand(akey, 64) < 0.14 THEN 'referral' WHEN prand(akey, 64) < 0.36 THEN 'linkedin'
                 WHEN prand(akey, 64) < 0.66 THEN 'careers_site' WHEN prand(akey, 64) < 0.81 THEN 'job_board'
                 WHEN prand(akey, 64) < 0.87 THEN 'agency' WHEN prand(akey, 64) < 0.96 THEN 'sourced'
                 WHEN prand(akey, 64) < 0.98 THEN 'university' ELSE 'internal' END END AS source,
  1 + CAST(floor(prand(akey, 65) * 45000) AS INTEGER) AS cand_num
FROM a
WHERE applied_date <= DATE '2025-06-30'
  AND (cancel_date IS NULL OR applied_date <= cancel_date)
  AND (hold_date IS NULL OR applied_date <= hold_date);

-- furthest stage each application would reach (1 application_review .. 6 offer) and stage durations
CREATE OR REPLACE TABLE _gen.app1 AS
WITH p AS (
  SELECT a.*,
    0.38 * CASE source WHEN 'referral' THEN 1.7 WHEN 'agency' THEN 1.6 WHEN 'sourced' THEN 1.5 WHEN 'internal' THEN 2.0
                       WHEN 'careers_site' THEN 0.85 WHEN 'job_board' THEN 0.7 ELSE 1.0 END AS p1,
    CASE WHEN source IN ('referral', 'internal') THEN 1.12 ELSE 1.0 END AS m
  FROM _gen.app0 a
)
SELECT p.*,
  CASE WHEN prand(akey, 71) >= p1 THEN 1
       WHEN prand(akey, 72) >= 0.62 * m THEN 2
       WHEN prand(akey, 73) >= 0.60 * m THEN 3
       WHEN prand(akey, 74) >= 0.55 * m THEN 4
       WHEN cancel_date IS NOT NULL OR prand(akey, 75) >= 0.40 * m THEN 5
       ELSE 6 END AS f_stage,
  1 + CAST(floor(prand(akey, 81) * 9) AS INTEGER) AS d1,
  2 + CAST(floor(prand(akey, 82) * 8) AS INTEGER) AS d2,
  2 + CAST(floor(prand(akey, 83) * 10) AS INTEGER) AS d3,
  3 + CAST(floor(prand(akey, 84) * 12) AS INTEGER) AS d4,
  3 + CAST(floor(prand(akey, 85) * 12) AS INTEGER) AS d5,
  1 + CAST(floor(prand(akey, 86) * 9) AS INTEGER) AS d6,
  prand(akey, 87) AS u_withdraw,
  prand(akey, 88) AS u_offer
FROM p;

CREATE OR REPLACE TABLE _gen.app2 AS
SELECT *,
  applied_date AS e1,
  applied_date + d1 AS e2,
  applied_date + d1 + d2 AS e3,
  applied_date + d1 + d2 + d3 AS e4,
  applied_date + d1 + d2 + d3 + d4 AS e5,
  applied_date + d1 + d2 + d3 + d4 + d5 AS e6
FROM _gen.app1;

-- offers in the order they would go out; an offer goes out only while the requisition still has
-- an opening nobody accepted (accepted offers before it < openings)
CREATE OR REPLACE TABLE _gen.offer0 AS
WITH c AS (
  SELECT a.akey, a.requisition_id, a.source, a.e6 AS extended_date, a.d6, r.openings,
    CASE WHEN a.u_offer < CASE WHEN a.source IN ('referral', 'internal') THEN 0.90 ELSE 0.79 END THEN 'accepted'
         WHEN prand(a.akey, 89) < 0.12 THEN 'rescinded' ELSE 'declined' END AS outcome
  FROM _gen.app2 a JOIN _gen.req r ON r.requisition_id = a.requisition_id
  WHERE a.f_stage = 6 AND a.e6 <= DATE '2025-06-30'
    AND (r.hold_date IS NULL OR a.e6 <= r.hold_date)
), o AS (
  SELECT c.*,
    CASE WHEN extended_date + d6 > DATE '2025-06-30' THEN 'pending' ELSE outcome END AS offer_status,
    CASE WHEN extended_date + d6 <= DATE '2025-06-30' THEN extended_date + d6 END AS responded_date
  FROM c
), k AS (
  SELECT o.*,
    coalesce(sum(CASE WHEN offer_status = 'accepted' THEN 1 ELSE 0 END)
      OVER (PARTITION BY requisition_id ORDER BY extended_date, akey ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prev_accepted
  FROM o
)
SELECT *, prev_accepted < openings AS is_extended FROM k;

-- day each requisition was filled (its last opening accepted)
CREATE OR REPLACE TABLE _gen.fill AS
SELECT o.requisition_id, max(o.responded_date) AS filled_date
FROM _gen.offer0 o JOIN _gen.req r ON r.requisition_id = o.requisition_id
WHERE o.is_extended AND o.offer_status = 'accepted'
GROUP BY o.requisition_id, r.openings
HAVING count(*) = r.openings;

CREATE OR REPLACE TABLE _gen.req2 AS
SELECT r.*, f.filled_date,
  CASE WHEN f.filled_date IS NOT NULL THEN 'filled' WHEN r.cancel_date IS NOT NULL THEN 'cancelled'
       WHEN r.hold_date IS NOT NULL THEN 'on_hold' ELSE 'open' END AS requisition_status,
  coalesce(f.filled_date, r.cancel_date) AS closed_date,
  -- the day after which nothing moves any more
  coalesce(f.filled_date, r.cancel_date, r.hold_date, DATE '2025-06-30') AS stop_date
FROM _gen.req r LEFT JOIN _gen.fill f ON f.requisition_id = r.requisition_id;

-- ------------------------------------------------------------------ stages
-- one row per application and stage entered; 1 application_review, 2 recruiter_screen,
-- 3 hiring_manager_screen, 4 assessment, 5 onsite, 6 offer
CREATE OR REPLACE TABLE _gen.st0 AS
WITH a AS (
  SELECT a.*, r.stop_date, r.requisition_status, r.filled_date, o.is_extended, o.offer_status, o.responded_date
  FROM _gen.app2 a
  JOIN _gen.req2 r ON r.requisition_id = a.requisition_id
  LEFT JOIN _gen.offer0 o ON o.akey = a.akey
  WHERE a.applied_date <= r.stop_date
), s AS (
  SELECT a.*, sk AS stage_no,
    [e1, e2, e3, e4, e5, e6][sk] AS entered,
    [d1, d2, d3, d4, d5, d6][sk] AS dur
  FROM a JOIN range(1, 7) t(sk) ON sk <= a.f_stage
)
SELECT * FROM s
WHERE entered <= stop_date
  AND NOT (stage_no = 6 AND coalesce(is_extended, false) = false);

-- per application: last stage entered and how it ended
CREATE OR REPLACE TABLE _gen.appfin AS
WITH last AS (
  SELECT akey, max(stage_no) AS last_stage, max(entered) AS last_entered FROM _gen.st0 GROUP BY akey
), a AS (
  SELECT a.*, l.last_stage, l.last_entered, r.stop_date, r.requisition_status, r.filled_date, r.cancel_date, r.hold_date,
         o.offer_status, o.responded_date, coalesce(o.is_extended, false) AS is_extended,
         [a.d1, a.d2, a.d3, a.d4, a.d5, a.d6][l.last_stage] AS last_dur
  FROM _gen.app2 a JOIN last l ON l.akey = a.akey JOIN _gen.req2 r ON r.requisition_id = a.requisition_id
  LEFT JOIN _gen.offer0 o ON o.akey = a.akey
), n AS (
  -- natural end of the application (the stage where it stops, its decision day)
  SELECT a.*,
    CASE WHEN last_stage = 6 THEN responded_date
         WHEN f_stage = 6 AND NOT is_extended AND last_stage = 5 THEN e6       -- offer blocked: role filled
         WHEN last_stage = f_stage THEN last_entered + last_dur END AS natural_end
  FROM a
)
SELECT n.*,
  CASE
    WHEN last_stage = 6 AND offer_status = 'accepted' THEN 'hired'
    WHEN last_stage = 6 AND offer_status = 'declined' THEN 'withdrawn'
    WHEN last_stage = 6 AND offer_status = 'rescinded' THEN 'rejected'
    WHEN last_stage = 6 THEN 'active'
    WHEN natural_end IS NOT NULL AND natural_end <= stop_date AND natural_end <= DATE '2025-06-30' THEN
      CASE WHEN f_stage = 6 THEN 'rejected'
           WHEN f_stage >= 2 AND u_withdraw < 0.25 THEN 'withdrawn'
           WHEN f_stage = 1 AND u_withdraw < 0.04 THEN 'withdrawn' ELSE 'rejected' END
    WHEN requisition_status IN ('filled', 'cancelled') THEN 'rejected'
    ELSE 'active' END AS application_status,
  CASE
    WHEN last_stage = 6 THEN CASE WHEN offer_status = 'pending' THEN NULL ELSE responded_date END
    WHEN natural_end IS NOT NULL AND natural_end <= stop_date AND natural_end <= DATE '2025-06-30' THEN natural_end
    WHEN requisition_status IN ('filled', 'cancelled') THEN stop_date
  END AS closed_date
FROM n;

CREATE OR REPLACE TABLE _gen.appfin2 AS
SELECT a.*,
  CASE
    WHEN application_status IN ('active', 'hired') THEN NULL
    WHEN last_stage = 6 AND offer_status = 'declined' THEN 'declined_offer'
    WHEN last_stage = 6 AND offer_status = 'rescinded' THEN 'offer_rescinded'
    WHEN f_stage = 6 AND NOT is_extended AND closed_date = natural_end THEN 'position_filled'
    WHEN closed_date = natural_end AND application_status = 'withdrawn' THEN
      ['accepted_other_offer', 'accepted_other_offer', 'not_interested', 'compensation', 'unresponsive', 'relocation']
        [1 + CAST(floor(prand(akey, 91) * 6) AS INTEGER)]
    WHEN closed_date = natural_end THEN
      CASE last_stage WHEN 1 THEN ['not_qualified', 'not_qualified', 'not_qualified', 'location', 'compensation_mismatch']
                                    [1 + CAST(floor(prand(akey, 92) * 5) AS INTEGER)]
                      WHEN 2 THEN ['not_qualified', 'compensation_mismatch', 'communication', 'location']
                                    [1 + CAST(floor(prand(akey, 92) * 4) AS INTEGER)]
                      WHEN 4 THEN 'failed_assessment'
                      ELSE ['interview_performance', 'interview_performance', 'culture_add', 'stronger_candidate']
                             [1 + CAST(floor(prand(akey, 92) * 4) AS INTEGER)] END
    WHEN requisition_status = 'filled' THEN 'position_filled'
    ELSE 'requisition_cancelled' END AS disposition_reason
FROM _gen.appfin a;

-- application ids in order of application
CREATE OR REPLACE TABLE _gen.appid AS
SELECT akey, 'APP-' || lpad(CAST(row_number() OVER (ORDER BY applied_date, akey) AS VARCHAR), 6, '0') AS application_id
FROM _gen.appfin2;

-- candidates: applicants (ids from the hash) and 900 sourced prospects who never applied
CREATE OR REPLACE TABLE _gen.cand AS
WITH ap AS (
  SELECT cand_num, min(applied_date) AS first_applied, arg_min(source, applied_date) AS first_source
  FROM _gen.appfin2 GROUP BY cand_num
), pr AS (
  SELECT 45000 + j AS cand_num, DATE '2024-01-02' + CAST(floor(prand(j, 101) * 545) AS INTEGER) AS created_date, true AS is_prospect
  FROM range(1, 901) t(j)
)
SELECT cand_num,
  CASE WHEN first_source = 'sourced'
       THEN greatest(DATE '2024-01-02', first_applied - (1 + CAST(floor(prand(cand_num, 102) * 40) AS INTEGER)))
       ELSE first_applied END AS created_date, false AS is_prospect
FROM ap
UNION ALL SELECT * FROM pr;

CREATE OR REPLACE TABLE analytics.dim_candidates AS
SELECT
  'CAN-' || lpad(CAST(cand_num AS VARCHAR), 5, '0') AS candidate_id,
  ['James', 'Mary', 'Wei', 'Fatima', 'Carlos', 'Anna', 'David', 'Sara', 'Mohammed', 'Emily', 'Raj', 'Laura', 'Daniel',
   'Sofia', 'Michael', 'Aisha', 'Lucas', 'Grace', 'Kenji', 'Chloe', 'Andre', 'Zoe', 'Ivan', 'Leah']
    [1 + CAST(floor(prand(cand_num, 103) * 24) AS INTEGER)] || ' ' ||
  ['Smith', 'Garcia', 'Nguyen', 'Khan', 'Lopez', 'Murphy', 'Wang', 'Silva', 'Brown', 'Kelly', 'Singh', 'Martin',
   'Rossi', 'Cohen', 'Tanaka', 'Walker', 'Byrne', 'Moreno', 'Ali', 'Schmidt', 'Dubois', 'Young']
    [1 + CAST(floor(prand(cand_num, 104) * 22) AS INTEGER)] AS candidate_name,
  created_date,
  CASE WHEN prand(cand_num, 105) < 0.03 THEN NULL
       ELSE ['Austin', 'Austin', 'Austin', 'Toronto', 'Toronto', 'Toronto', 'Dublin', 'Dublin', 'New York', 'San Francisco',
             'Seattle', 'Chicago', 'Denver', 'Vancouver', 'Montreal', 'London', 'Cork', 'Berlin', 'Houston', 'Dallas']
              [1 + CAST(floor(prand(cand_num, 106) * 20) AS INTEGER)] END AS location_city,
  CAST(floor(pow(prand(cand_num, 107), 1.4) * 25) AS INTEGER) AS years_of_experience,
  prand(cand_num, 108) < 0.025 AS is_former_employee,
  is_prospect
FROM _gen.cand
ORDER BY cand_num;

ALTER TABLE analytics.dim_candidates ADD COLUMN location_country VARCHAR;
UPDATE analytics.dim_candidates SET location_country = CASE
  WHEN location_city IN ('Austin', 'New York', 'San Francisco', 'Seattle', 'Chicago', 'Denver', 'Houston', 'Dallas') THEN 'US'
  WHEN location_city IN ('Toronto', 'Vancouver', 'Montreal') THEN 'CA'
  WHEN location_city IN ('Dublin', 'Cork') THEN 'IE'
  WHEN location_city = 'London' THEN 'GB' WHEN location_city = 'Berlin' THEN 'DE' END;

CREATE OR REPLACE TABLE analytics.dim_requisitions AS
SELECT
  requisition_id,
  CASE WHEN job_level IN ('M1', 'M2') THEN
         CASE WHEN job_level = 'M2' THEN 'Senior ' ELSE '' END ||
         CASE department_id WHEN 1 THEN 'Engineering Manager' WHEN 2 THEN 'Product Lead' WHEN 3 THEN 'Design Manager'
           WHEN 4 THEN 'Data Science Manager' WHEN 5 THEN 'Sales Manager' WHEN 6 THEN 'Marketing Manager'
           WHEN 7 THEN 'Customer Success Team Lead' WHEN 8 THEN 'Finance Manager' WHEN 9 THEN 'People Partner Manager'
           WHEN 10 THEN 'Legal Manager' ELSE 'Operations Manager' END
       WHEN job_level = 'M3' THEN 'Director, ' || (SELECT department_name FROM analytics.dim_departments d WHERE d.department_id = r.department_id)
       ELSE
         CASE WHEN employment_type = 'intern' THEN ''
              ELSE CASE job_level WHEN 'IC1' THEN 'Associate ' WHEN 'IC3' THEN 'Senior ' WHEN 'IC4' THEN 'Staff ' WHEN 'IC5' THEN 'Principal ' ELSE '' END END ||
         CASE department_id
           WHEN 1 THEN ['Software Engineer', 'Backend Engineer', 'Frontend Engineer', 'Site Reliability Engineer', 'Security Engineer']
                         [1 + CAST(floor(prand(i, 57) * 5) AS INTEGER)]
           WHEN 2 THEN 'Product Manager' WHEN 3 THEN ['Product Designer', 'UX Researcher'][1 + CAST(floor(prand(i, 57) * 2) AS INTEGER)]
           WHEN 4 THEN ['Data Scientist', 'Data Engineer', 'Analytics Engineer'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 5 THEN ['Account Executive', 'Sales Development Representative', 'Solutions Engineer'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 6 THEN ['Product Marketing Manager', 'Demand Generation Manager', 'Content Marketer'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 7 THEN ['Customer Success Manager', 'Support Engineer', 'Implementation Consultant'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 8 THEN ['Financial Analyst', 'Accountant', 'Revenue Operations Analyst'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 9 THEN ['People Partner', 'Talent Acquisition Partner', 'Total Rewards Analyst'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)]
           WHEN 10 THEN 'Corporate Counsel'
           ELSE ['Business Operations Analyst', 'IT Administrator', 'Workplace Coordinator'][1 + CAST(floor(prand(i, 57) * 3) AS INTEGER)] END ||
         CASE WHEN employment_type = 'intern' THEN ' Intern' ELSE '' END
  END AS job_title,
  department_id,
  hiring_manager_id,
  recruiter_id,
  office,
  employment_type,
  job_level,
  CASE WHEN job_level = 'IC1' THEN 'entry' WHEN job_level = 'IC2' THEN 'mid' WHEN job_level = 'IC3' THEN 'senior'
       WHEN job_level IN ('IC4', 'IC5') THEN 'staff_plus' ELSE 'management' END AS seniority,
  priority,
  is_backfill,
  openings,
  opened_date,
  closed_date,
  requisition_status,
  CAST(round((CASE job_level WHEN 'IC1' THEN 70000 WHEN 'IC2' THEN 92000 WHEN 'IC3' THEN 125000 WHEN 'IC4' THEN 158000
                 WHEN 'IC5' THEN 190000 WHEN 'M1' THEN 150000 WHEN 'M2' THEN 178000 ELSE 215000 END)
              * CASE WHEN employment_type = 'intern' THEN 0.6 ELSE 1 END
              * CASE WHEN department_id IN (1, 4) THEN 1.12 WHEN department_id IN (7, 9, 11) THEN 0.85 ELSE 1.0 END
              * 1.15, -3) AS DECIMAL(12, 2)) AS salary_band_max_usd
FROM _gen.req2 r
ORDER BY requisition_id;

CREATE OR REPLACE TABLE analytics.fct_applications AS
SELECT
  i.application_id,
  'CAN-' || lpad(CAST(a.cand_num AS VARCHAR), 5, '0') AS candidate_id,
  a.requisition_id,
  r.department_id,
  r.recruiter_id,
  a.applied_date,
  a.source,
  a.application_status,
  ['application_review', 'recruiter_screen', 'hiring_manager_screen', 'assessment', 'onsite', 'offer'][a.last_stage] AS current_stage,
  a.last_stage AS current_stage_order,
  a.last_stage >= 5 AS reached_onsite,
  a.disposition_reason,
  a.closed_date,
  CASE WHEN a.application_status = 'hired' THEN a.closed_date END AS hired_date
FROM _gen.appfin2 a JOIN _gen.appid i ON i.akey = a.akey JOIN _gen.req2 r ON r.requisition_id = a.requisition_id
ORDER BY i.application_id;

CREATE OR REPLACE TABLE analytics.fct_application_stages AS
WITH s AS (
  SELECT s.akey, s.stage_no, s.entered,
         lead(s.entered) OVER (PARTITION BY s.akey ORDER BY s.stage_no) AS next_entered
  FROM _gen.st0 s
)
SELECT
  i.application_id || '-' || CAST(s.stage_no AS VARCHAR) AS application_stage_id,
  i.application_id,
  r.requisition_id,
  r.department_id,
  ['application_review', 'recruiter_screen', 'hiring_manager_screen', 'assessment', 'onsite', 'offer'][s.stage_no] AS stage_name,
  s.stage_no AS stage_order,
  s.entered AS entered_date,
  coalesce(s.next_entered, a.closed_date) AS exited_date,
  CASE WHEN s.next_entered IS NOT NULL THEN 'advanced'
       WHEN a.application_status = 'active' THEN 'in_progress'
       ELSE a.application_status END AS stage_outcome,
  date_diff('day', s.entered, coalesce(s.next_entered, a.closed_date)) AS days_in_stage
FROM s JOIN _gen.appid i ON i.akey = s.akey JOIN _gen.appfin2 a ON a.akey = s.akey
  JOIN _gen.req2 r ON r.requisition_id = a.requisition_id
ORDER BY 1;

-- ------------------------------------------------------------------ interviews
-- hiring manager screen: 1 interview with the hiring manager; assessment: 1; onsite: 3 to 5 rounds on
-- one day, all onsite or all over video. Recruiter screens are calls, not interviews.
CREATE OR REPLACE TABLE _gen.iv0 AS
WITH s AS (
  SELECT st.*, a.application_status, a.closed_date, a.last_stage, r.hiring_manager_id, r.department_id AS dept,
         r.recruiter_id
  FROM _gen.st0 st JOIN _gen.appfin2 a ON a.akey = st.akey JOIN _gen.req2 r ON r.requisition_id = st.requisition_id
  WHERE st.stage_no IN (3, 4, 5)
), rounds AS (
  SELECT s.*, j AS round_no,
    s.entered + CAST(floor(prand(s.akey * 10 + s.stage_no, 111) * greatest(1, s.dur - 1)) AS INTEGER) AS interview_date
  FROM s JOIN range(1, 6) t(j)
    ON j <= CASE WHEN s.stage_no = 5 THEN 3 + CAST(floor(prand(s.akey, 112) * 3) AS INTEGER) ELSE 1 END
)
SELECT rounds.*,
  -- advanced past this stage?
  (rounds.last_stage > rounds.stage_no OR (rounds.last_stage = rounds.stage_no AND rounds.stage_no = 6)) AS advanced
FROM rounds
WHERE interview_date <= DATE '2025-06-30'
  AND (closed_date IS NULL OR interview_date <= closed_date);

CREATE OR REPLACE TABLE _gen.iv1 AS
WITH n AS (
  SELECT iv.*, row_number() OVER (ORDER BY interview_date, akey, stage_no, round_no) AS ik FROM _gen.iv0 iv
), emp AS (
  SELECT 'EMP-' || lpad(CAST(i AS VARCHAR), 4, '0') AS employee_id, department_id,
         row_number() OVER (PARTITION BY department_id ORDER BY i) - 1 AS k, count(*) OVER (PARTITION BY department_id) AS ne
  FROM _gen.emp
), pick AS (
  SELECT n.*,
    CASE WHEN prand(ik, 113) < 0.2 THEN 1 + CAST(floor(prand(ik, 114) * 11) AS INTEGER) ELSE dept END AS panel_dept,
    prand(ik, 115) AS u_emp
  FROM n
)
SELECT p.*,
  CASE WHEN prand(ik, 116) < 0.01 THEN NULL
       WHEN stage_no = 3 THEN hiring_manager_id
       ELSE e.employee_id END AS interviewer_id
FROM pick p LEFT JOIN emp e ON e.department_id = p.panel_dept AND e.k = CAST(floor(p.u_emp * e.ne) AS INTEGER);

CREATE OR REPLACE TABLE analytics.fct_interviews AS
WITH x AS (
  SELECT iv.*, i.application_id,
    CASE WHEN prand(ik, 121) < 0.055 THEN 'cancelled' WHEN prand(ik, 121) < 0.095 THEN 'no_show' ELSE 'completed' END AS interview_status,
    CASE WHEN stage_no = 5 AND prand(iv.akey, 122) < 0.55 THEN 'onsite'
         WHEN stage_no = 3 AND prand(ik, 123) < 0.2 THEN 'phone' ELSE 'video' END AS interview_format,
    prand(ik, 124) AS u_sc, prand(ik, 125) AS u_rec, prand(ik, 126) AS u_hrs
  FROM _gen.iv1 iv JOIN _gen.appid i ON i.akey = iv.akey
)
SELECT
  'INT-' || lpad(CAST(ik AS VARCHAR), 6, '0') AS interview_id,
  application_id,
  'CAN-' || lpad(CAST(cand_num AS VARCHAR), 5, '0') AS candidate_id,
  requisition_id,
  dept AS department_id,
  recruiter_id,
  interviewer_id,
  interview_date,
  CAST(interview_date AS TIMESTAMP) + to_hours(9 + CAST(floor(prand(ik, 127) * 8) AS INTEGER)) AS scheduled_start_at,
  ['application_review', 'recruiter_screen', 'hiring_manager_screen', 'assessment', 'onsite', 'offer'][stage_no] AS interview_stage,
  CASE WHEN stage_no = 3 THEN 'hiring_manager_screen'
       WHEN stage_no = 4 THEN CASE WHEN dept IN (1, 4) THEN 'technical_assessment' WHEN dept = 3 THEN 'portfolio_review' ELSE 'case_study' END
       WHEN dept IN (1, 4) THEN ['coding', 'system_design', 'behavioral', 'values', 'cross_functional'][round_no]
       ELSE ['role_deep_dive', 'presentation', 'behavioral', 'values', 'cross_functional'][round_no] END AS interview_type,
  interview_format,
  interview_status,
  CASE WHEN stage_no = 3 THEN 30 WHEN stage_no = 4 THEN 60 ELSE [45, 60, 45, 45, 30][round_no] END AS duration_minutes,
  interview_status = 'completed' AND u_sc < 0.94 AS scorecard_submitted,
  CASE WHEN interview_status = 'completed' AND u_sc < 0.94
       THEN CAST(floor(pow(u_hrs, 2.2) * 120) AS INTEGER) + 1 END AS hours_to_scorecard,
  CASE WHEN interview_status = 'completed' AND u_sc < 0.94 THEN
    CASE WHEN advanced THEN CASE WHEN u_rec < 0.30 THEN 'strong_yes' WHEN u_rec < 0.85 THEN 'yes' WHEN u_rec < 0.98 THEN 'no' ELSE 'strong_no' END
         WHEN application_status = 'active' AND last_stage = stage_no THEN
              CASE WHEN u_rec < 0.15 THEN 'strong_yes' WHEN u_rec < 0.60 THEN 'yes' WHEN u_rec < 0.90 THEN 'no' ELSE 'strong_no' END
         ELSE CASE WHEN u_rec < 0.03 THEN 'strong_yes' WHEN u_rec < 0.25 THEN 'yes' WHEN u_rec < 0.75 THEN 'no' ELSE 'strong_no' END END
  END AS overall_recommendation
FROM x
ORDER BY ik;

ALTER TABLE analytics.fct_interviews ADD COLUMN scorecard_score INTEGER;
UPDATE analytics.fct_interviews SET scorecard_score = CASE overall_recommendation
  WHEN 'strong_yes' THEN 4 WHEN 'yes' THEN 3 WHEN 'no' THEN 2 WHEN 'strong_no' THEN 1 END;
ALTER TABLE analytics.fct_interviews ADD COLUMN scorecard_submitted_at TIMESTAMP;
UPDATE analytics.fct_interviews SET scorecard_submitted_at = scheduled_start_at + to_hours(hours_to_scorecard)
  WHERE scorecard_submitted;
-- scorecards due after the last load are not in it yet
UPDATE analytics.fct_interviews
  SET scorecard_submitted = false, hours_to_scorecard = NULL, overall_recommendation = NULL, scorecard_score = NULL,
      scorecard_submitted_at = NULL
  WHERE scorecard_submitted_at >= TIMESTAMP '2025-07-01 00:00:00';

-- ------------------------------------------------------------------ offers and hires
CREATE OR REPLACE TABLE _gen.off1 AS
SELECT o.*, a.cand_num, a.applied_date, r.department_id, r.recruiter_id, r.hiring_manager_id, r.job_level, r.office,
       r.employment_type, r.opened_date,
       row_number() OVER (ORDER BY o.extended_date, o.akey) AS ok
FROM _gen.offer0 o JOIN _gen.appfin2 a ON a.akey = o.akey JOIN _gen.req2 r ON r.requisition_id = o.requisition_id
WHERE o.is_extended;

CREATE OR REPLACE TABLE analytics.fct_offers AS
SELECT
  'OFF-' || lpad(CAST(ok AS VARCHAR), 5, '0') AS offer_id,
  i.application_id,
  'CAN-' || lpad(CAST(o.cand_num AS VARCHAR), 5, '0') AS candidate_id,
  o.requisition_id,
  o.department_id,
  o.recruiter_id,
  o.extended_date AS offer_extended_date,
  o.responded_date AS offer_responded_date,
  o.offer_status,
  CASE WHEN o.offer_status = 'declined' THEN
    ['compensation', 'compensation', 'compensation', 'competing_offer', 'competing_offer', 'competing_offer',
     'counter_offer', 'location', 'role_scope', 'personal'][1 + CAST(floor(prand(o.akey, 131) * 10) AS INTEGER)] END AS decline_reason,
  CASE o.office WHEN 'Dublin' THEN 'EUR' WHEN 'Toronto' THEN 'CAD' ELSE 'USD' END AS offer_currency,
  CAST(round((CASE o.job_level WHEN 'IC1' THEN 70000 WHEN 'IC2' THEN 92000 WHEN 'IC3' THEN 125000 WHEN 'IC4' THEN 158000
                 WHEN 'IC5' THEN 190000 WHEN 'M1' THEN 150000 WHEN 'M2' THEN 178000 ELSE 215000 END)
              * CASE WHEN o.employment_type = 'intern' THEN 0.6 ELSE 1 END
              * CASE WHEN o.department_id IN (1, 4) THEN 1.12 WHEN o.department_id IN (7, 9, 11) THEN 0.85 ELSE 1.0 END
              * (0.92 + prand(o.akey, 132) * 0.2) / 500, 0) * 500 AS DECIMAL(12, 2)) AS base_salary_usd,
  CAST(CASE WHEN o.employment_type = 'intern' OR prand(o.akey, 133) < 0.6 THEN 0
            ELSE round((5000 + prand(o.akey, 134) * 20000) / 1000, 0) * 1000 END AS DECIMAL(12, 2)) AS signing_bonus_usd,
  prand(o.akey, 135) < 0.35 AS was_negotiated
FROM _gen.off1 o JOIN _gen.appid i ON i.akey = o.akey
ORDER BY ok;

CREATE OR REPLACE TABLE analytics.fct_hires AS
WITH h AS (
  SELECT o.*, f.offer_id, f.base_salary_usd, row_number() OVER (ORDER BY o.responded_date, o.akey) AS hk
  FROM _gen.off1 o JOIN analytics.fct_offers f ON f.offer_id = 'OFF-' || lpad(CAST(o.ok AS VARCHAR), 5, '0')
  WHERE o.offer_status = 'accepted'
)
SELECT
  'HIR-' || lpad(CAST(hk AS VARCHAR), 4, '0') AS hire_id,
  i.application_id,
  h.offer_id,
  'CAN-' || lpad(CAST(h.cand_num AS VARCHAR), 5, '0') AS candidate_id,
  h.requisition_id,
  h.department_id,
  h.recruiter_id,
  h.hiring_manager_id,
  h.source,
  h.responded_date AS hire_date,
  h.responded_date + 14 + CAST(floor(prand(h.akey, 141) * 31) AS INTEGER) AS start_date,
  date_diff('day', h.applied_date, h.responded_date) AS days_to_hire,
  date_diff('day', h.opened_date, h.responded_date) AS days_to_fill,
  h.base_salary_usd,
  CASE WHEN h.source = 'agency' THEN CAST(round(h.base_salary_usd * 0.2, -2) AS DECIMAL(12, 2)) END AS agency_fee_usd
FROM h JOIN _gen.appid i ON i.akey = h.akey
ORDER BY hk;

-- ------------------------------------------------------------------ time spine (models/utilities/metricflow_time_spine.sql)
CREATE OR REPLACE TABLE analytics.metricflow_time_spine AS
SELECT CAST(d AS DATE) AS date_day
FROM generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2026-12-31', INTERVAL 1 DAY) g(d);

-- ------------------------------------------------------------------ daily requisition snapshot
-- a requisition is in the snapshot from its opening day to the day before it was filled or
-- cancelled (to the last load when still open); on-hold requisitions are kept with state on_hold.
CREATE OR REPLACE TABLE analytics.fct_requisitions_daily AS
WITH d AS (
  SELECT r.requisition_id, r.department_id, r.recruiter_id, r.opened_date, r.openings, r.hold_date, t.date_day AS snapshot_date
  FROM _gen.req2 r JOIN analytics.metricflow_time_spine t
    ON t.date_day >= r.opened_date AND t.date_day < coalesce(r.closed_date, DATE '2025-07-01')
), act AS (
  SELECT d.requisition_id, d.snapshot_date, count(a.application_id) AS active_applications
  FROM d LEFT JOIN analytics.fct_applications a
    ON a.requisition_id = d.requisition_id AND a.applied_date <= d.snapshot_date
   AND (a.closed_date IS NULL OR a.closed_date > d.snapshot_date)
  GROUP BY 1, 2
), hired AS (
  SELECT d.requisition_id, d.snapshot_date, count(h.hire_id) AS hired_so_far
  FROM d LEFT JOIN analytics.fct_hires h ON h.requisition_id = d.requisition_id AND h.hire_date <= d.snapshot_date
  GROUP BY 1, 2
)
SELECT
  d.requisition_id || '|' || strftime(d.snapshot_date, '%Y-%m-%d') AS requisition_day_id,
  d.snapshot_date,
  d.requisition_id,
  d.department_id,
  d.recruiter_id,
  CASE WHEN d.hold_date IS NOT NULL AND d.snapshot_date >= d.hold_date THEN 'on_hold' ELSE 'open' END AS requisition_state,
  date_diff('day', d.opened_date, d.snapshot_date) AS days_open,
  d.openings - h.hired_so_far AS openings_remaining,
  act.active_applications
FROM d JOIN act ON act.requisition_id = d.requisition_id AND act.snapshot_date = d.snapshot_date
  JOIN hired h ON h.requisition_id = d.requisition_id AND h.snapshot_date = d.snapshot_date
ORDER BY d.snapshot_date, d.requisition_id;

ALTER TABLE analytics.dim_departments ADD PRIMARY KEY (department_id);
ALTER TABLE analytics.dim_recruiters ADD PRIMARY KEY (recruiter_id);
ALTER TABLE analytics.dim_employees ADD PRIMARY KEY (employee_id);
ALTER TABLE analytics.dim_requisitions ADD PRIMARY KEY (requisition_id);
ALTER TABLE analytics.dim_candidates ADD PRIMARY KEY (candidate_id);
ALTER TABLE analytics.fct_applications ADD PRIMARY KEY (application_id);
ALTER TABLE analytics.fct_application_stages ADD PRIMARY KEY (application_stage_id);
ALTER TABLE analytics.fct_interviews ADD PRIMARY KEY (interview_id);
ALTER TABLE analytics.fct_offers ADD PRIMARY KEY (offer_id);
ALTER TABLE analytics.fct_hires ADD PRIMARY KEY (hire_id);
ALTER TABLE analytics.fct_requisitions_daily ADD PRIMARY KEY (requisition_day_id);
ALTER TABLE analytics.metricflow_time_spine ADD PRIMARY KEY (date_day);

DROP SCHEMA _gen CASCADE;
DROP MACRO IF EXISTS prand;

-- University student-records test catalog (held out): "Halden State University", a mid-sized public
-- university. Programs, students (program, entry cohort, residency, first-generation / Pell flags,
-- matriculation, graduation and exit dates), course sections by term, course enrollments with grades
-- and withdrawals, the student account ledger (charges and financial aid) and the admissions funnel.
-- Deterministic (hash-based pseudo-random numbers, no scale).
--
-- Tables (schema bronze)
--   programs          degree programs with degree, level and college (home department used to build only)
--   students          students who matriculated Fall 2019 .. Spring 2025
--   course_sections   sections offered Spring 2024 .. Fall 2025 (Fall 2025 = upcoming term)
--   enrollments       one row per student and section registered (status registered, completed,
--                     withdrawn, dropped); grades posted for terms ended by 2025-06-30
--   account_entries   student account ledger: charges (tuition, fees, housing, meal_plan) and
--                     financial aid (grant, scholarship, loan, work_study) posted 2024-01-02 .. 2025-05-29
--                     (Fall 2025 is not billed yet)
--   applications      applications for Fall 2024, Spring 2025 and Fall 2025 entry, submitted
--                     2024-01-01 .. 2025-06-11, decisions and deposits up to 2025-06-30
--
-- Quirks
--   Q1  students.program_id IS NULL for undeclared undergraduates (~7 %)
--   Q2  Spring 2024 registrations were migrated from the old SIS with dates 2024-01-02 .. 2024-01-15
--   Q3  enrollments completed without a grade posted (grade IS NULL) ~0.8 %
--   Q4  account_entries.is_reversed: entries reversed later (kept in the ledger, excluded by metrics)
--   Q5  applications.incoming_gpa IS NULL for missing transcripts (~3 %)
--   Q6  cohort_year is the academic year the student started: spring starters belong to the previous
--       fall's cohort (matriculated 2024-01-16 -> cohort 2023)
--   Q7  Summer 2025 is in progress and Fall 2025 is upcoming: status registered, no grades
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.programs AS
SELECT * FROM (VALUES
  ('BS-CS',   'Computer Science',         'BS',  'undergraduate', 'Engineering',      'Computer Science'),
  ('BS-ME',   'Mechanical Engineering',   'BS',  'undergraduate', 'Engineering',      'Mechanical Engineering'),
  ('BS-EE',   'Electrical Engineering',   'BS',  'undergraduate', 'Engineering',      'Electrical Engineering'),
  ('MS-DS',   'Data Science',             'MS',  'graduate',      'Engineering',      'Computer Science'),
  ('MS-CYB',  'Cybersecurity',            'MS',  'graduate',      'Engineering',      'Computer Science'),
  ('BBA-ACC', 'Accounting',               'BBA', 'undergraduate', 'Business',         'Accounting'),
  ('BBA-MGT', 'Management',               'BBA', 'undergraduate', 'Business',         'Management'),
  ('BBA-MKT', 'Marketing',                'BBA', 'undergraduate', 'Business',         'Management'),
  ('BBA-FIN', 'Finance',                  'BBA', 'undergraduate', 'Business',         'Economics'),
  ('MBA',     'Business Administration',  'MBA', 'graduate',      'Business',         'Management'),
  ('BA-ENG',  'English',                  'BA',  'undergraduate', 'Arts and Sciences', 'English'),
  ('BA-HIS',  'History',                  'BA',  'undergraduate', 'Arts and Sciences', 'History'),
  ('BS-PSY',  'Psychology',               'BS',  'undergraduate', 'Arts and Sciences', 'Psychology'),
  ('BS-BIO',  'Biology',                  'BS',  'undergraduate', 'Arts and Sciences', 'Biology'),
  ('BS-CHM',  'Chemistry',                'BS',  'undergraduate', 'Arts and Sciences', 'Chemistry'),
  ('BS-MTH',  'Mathematics',              'BS',  'undergraduate', 'Arts and Sciences', 'Mathematics'),
  ('BA-ECO',  'Economics',                'BA',  'undergraduate', 'Arts and Sciences', 'Economics'),
  ('MA-CPS',  'Counseling Psychology',    'MA',  'graduate',      'Arts and Sciences', 'Psychology'),
  ('PHD-MB',  'Molecular Biology',        'PhD', 'graduate',      'Arts and Sciences', 'Biology'),
  ('BSN',     'Nursing',                  'BSN', 'undergraduate', 'Health Sciences',  'Nursing'),
  ('MSN-NP',  'Nurse Practitioner',       'MSN', 'graduate',      'Health Sciences',  'Nursing'),
  ('BS-KIN',  'Kinesiology',              'BS',  'undergraduate', 'Health Sciences',  'Public Health'),
  ('BS-PH',   'Public Health',            'BS',  'undergraduate', 'Health Sciences',  'Public Health'),
  ('MPH-GH',  'Global Health',            'MPH', 'graduate',      'Health Sciences',  'Public Health')
) v(program_id, program_name, degree, degree_level, college, home_department);

-- semester numbers: spring Y = 2*Y, fall Y = 2*Y + 1 (summers are outside this numbering)
CREATE OR REPLACE TEMP TABLE sem AS
SELECT * FROM (VALUES
  (4039, DATE '2019-08-26'), (4040, DATE '2020-01-13'), (4041, DATE '2020-08-24'), (4042, DATE '2021-01-11'),
  (4043, DATE '2021-08-23'), (4044, DATE '2022-01-10'), (4045, DATE '2022-08-22'), (4046, DATE '2023-01-09'),
  (4047, DATE '2023-08-28'), (4048, DATE '2024-01-16'), (4049, DATE '2024-08-26'), (4050, DATE '2025-01-13'),
  (4051, DATE '2025-08-25')
) v(s, start_date);

CREATE OR REPLACE TEMP TABLE terms AS
SELECT * FROM (VALUES
  (1, 'Spring 2024', '2024SP', 4048, DATE '2024-01-16', DATE '2024-05-10', DATE '2024-01-02', 13),
  (2, 'Summer 2024', '2024SU', NULL, DATE '2024-05-20', DATE '2024-08-09', DATE '2024-03-25', 55),
  (3, 'Fall 2024',   '2024FA', 4049, DATE '2024-08-26', DATE '2024-12-13', DATE '2024-04-08', 139),
  (4, 'Spring 2025', '2025SP', 4050, DATE '2025-01-13', DATE '2025-05-09', DATE '2024-11-04', 69),
  (5, 'Summer 2025', '2025SU', NULL, DATE '2025-05-19', DATE '2025-08-08', DATE '2025-03-24', 55),
  (6, 'Fall 2025',   '2025FA', 4051, DATE '2025-08-25', DATE '2025-12-12', DATE '2025-04-07', 84)
) v(t, term, term_code, s, term_start_date, term_end_date, reg_open, reg_days);

CREATE OR REPLACE TEMP TABLE courses AS
SELECT * FROM (VALUES
  ('CS', 'Computer Science', 101, 'Introduction to Programming', 4), ('CS', 'Computer Science', 201, 'Data Structures', 3),
  ('CS', 'Computer Science', 220, 'Computer Systems', 3), ('CS', 'Computer Science', 310, 'Algorithms', 3),
  ('CS', 'Computer Science', 340, 'Database Systems', 3), ('CS', 'Computer Science', 660, 'Machine Learning', 3),
  ('MATH', 'Mathematics', 110, 'College Algebra', 3), ('MATH', 'Mathematics', 151, 'Calculus I', 4),
  ('MATH', 'Mathematics', 152, 'Calculus II', 4), ('MATH', 'Mathematics', 221, 'Linear Algebra', 3),
  ('MATH', 'Mathematics', 250, 'Discrete Mathematics', 3), ('MATH', 'Mathematics', 340, 'Probability and Statistics', 3),
  ('BIO', 'Biology', 101, 'Principles of Biology', 4), ('BIO', 'Biology', 210, 'Genetics', 4),
  ('BIO', 'Biology', 230, 'Microbiology', 4), ('BIO', 'Biology', 310, 'Cell Biology', 3),
  ('BIO', 'Biology', 350, 'Ecology', 3), ('BIO', 'Biology', 610, 'Advanced Molecular Biology', 3),
  ('CHEM', 'Chemistry', 101, 'General Chemistry I', 4), ('CHEM', 'Chemistry', 102, 'General Chemistry II', 4),
  ('CHEM', 'Chemistry', 221, 'Organic Chemistry I', 4), ('CHEM', 'Chemistry', 222, 'Organic Chemistry II', 4),
  ('CHEM', 'Chemistry', 340, 'Biochemistry', 3), ('CHEM', 'Chemistry', 410, 'Physical Chemistry', 3),
  ('ENGL', 'English', 101, 'Composition I', 3), ('ENGL', 'English', 102, 'Composition II', 3),
  ('ENGL', 'English', 210, 'World Literature', 3), ('ENGL', 'English', 250, 'Creative Writing', 3),
  ('ENGL', 'English', 330, 'Shakespeare', 3), ('ENGL', 'English', 420, 'Literary Theory', 3),
  ('HIST', 'History', 110, 'World History to 1500', 3), ('HIST', 'History', 111, 'World History since 1500', 3),
  ('HIST', 'History', 220, 'American History', 3), ('HIST', 'History', 305, 'History of Science', 3),
  ('HIST', 'History', 340, 'Modern Europe', 3), ('HIST', 'History', 450, 'Senior Seminar in History', 3),
  ('PSYC', 'Psychology', 101, 'Introduction to Psychology', 3), ('PSYC', 'Psychology', 210, 'Research Methods', 3),
  ('PSYC', 'Psychology', 230, 'Developmental Psychology', 3), ('PSYC', 'Psychology', 320, 'Abnormal Psychology', 3),
  ('PSYC', 'Psychology', 350, 'Cognitive Psychology', 3), ('PSYC', 'Psychology', 610, 'Counseling Theories', 3),
  ('ECON', 'Economics', 201, 'Principles of Microeconomics', 3), ('ECON', 'Economics', 202, 'Principles of Macroeconomics', 3),
  ('ECON', 'Economics', 310, 'Intermediate Microeconomics', 3), ('ECON', 'Economics', 330, 'Econometrics', 3),
  ('ECON', 'Economics', 350, 'Corporate Finance', 3), ('ECON', 'Economics', 420, 'International Economics', 3),
  ('ACCT', 'Accounting', 201, 'Financial Accounting', 3), ('ACCT', 'Accounting', 202, 'Managerial Accounting', 3),
  ('ACCT', 'Accounting', 310, 'Intermediate Accounting', 3), ('ACCT', 'Accounting', 330, 'Auditing', 3),
  ('ACCT', 'Accounting', 350, 'Federal Taxation', 3), ('ACCT', 'Accounting', 410, 'Advanced Accounting', 3),
  ('MGMT', 'Management', 101, 'Introduction to Business', 3), ('MGMT', 'Management', 220, 'Principles of Marketing', 3),
  ('MGMT', 'Management', 301, 'Organizational Behavior', 3), ('MGMT', 'Management', 340, 'Operations Management', 3),
  ('MGMT', 'Management', 450, 'Business Strategy', 3), ('MGMT', 'Management', 610, 'Leadership', 3),
  ('NURS', 'Nursing', 110, 'Foundations of Nursing', 3), ('NURS', 'Nursing', 210, 'Health Assessment', 4),
  ('NURS', 'Nursing', 250, 'Pharmacology', 3), ('NURS', 'Nursing', 320, 'Adult Health Nursing', 4),
  ('NURS', 'Nursing', 410, 'Community Health Nursing', 4), ('NURS', 'Nursing', 620, 'Advanced Pathophysiology', 3),
  ('ME', 'Mechanical Engineering', 101, 'Engineering Graphics', 2), ('ME', 'Mechanical Engineering', 210, 'Statics', 3),
  ('ME', 'Mechanical Engineering', 220, 'Dynamics', 3), ('ME', 'Mechanical Engineering', 310, 'Thermodynamics', 3),
  ('ME', 'Mechanical Engineering', 340, 'Fluid Mechanics', 3), ('ME', 'Mechanical Engineering', 450, 'Senior Design', 4),
  ('EE', 'Electrical Engineering', 201, 'Circuit Analysis', 4), ('EE', 'Electrical Engineering', 230, 'Digital Logic', 3),
  ('EE', 'Electrical Engineering', 310, 'Signals and Systems', 3), ('EE', 'Electrical Engineering', 320, 'Electronics', 4),
  ('EE', 'Electrical Engineering', 410, 'Power Systems', 3), ('EE', 'Electrical Engineering', 450, 'Embedded Systems', 3),
  ('PH', 'Public Health', 101, 'Introduction to Public Health', 3), ('PH', 'Public Health', 210, 'Epidemiology', 3),
  ('PH', 'Public Health', 230, 'Nutrition', 3), ('PH', 'Public Health', 320, 'Biostatistics', 3),
  ('PH', 'Public Health', 350, 'Exercise Physiology', 3), ('PH', 'Public Health', 610, 'Global Health Policy', 3)
) v(subject, department, course_number, course_title, credit_hours);

CREATE OR REPLACE TEMP TABLE instructors AS
SELECT d.department, k,
  ['Dr. Elena Vasquez', 'Dr. Marcus Hale', 'Dr. Priya Raman', 'Dr. Tomasz Nowak', 'Dr. Grace Liu', 'Dr. Samuel Okoye',
   'Dr. Hannah Fischer', 'Dr. Daniel Reyes', 'Dr. Aiko Tanaka', 'Dr. Robert Chen', 'Dr. Fatima Haddad', 'Dr. Lucas Moreau',
   'Dr. Sarah Kim', 'Dr. Ibrahim Diallo', 'Dr. Olivia Brandt', 'Dr. Mateo Silva', 'Dr. Nina Petrova', 'Dr. James Walker',
   'Dr. Chloe Dubois', 'Dr. Victor Alvarez', 'Dr. Mei Wong', 'Dr. Peter Lindqvist', 'Dr. Amara Nwosu', 'Dr. Jonas Weber',
   'Dr. Laura Bianchi', 'Dr. Kofi Mensah', 'Dr. Ruth Abramson', 'Dr. Diego Castro'][1 + (d.dn * 2 + k) % 28] AS instructor_name_tt,
  ['Alan Brooks', 'Maya Patel', 'Kevin OConnor', 'Sofia Rossi', 'Brian Foster', 'Leah Goldberg', 'Noah Becker',
   'Emma Johansson', 'Ryan Murphy', 'Zoe Adams', 'Carlos Mendez', 'Julia Novak', 'Ethan Clarke', 'Isabel Costa'][1 + (d.dn * 3 + k) % 14]
    AS instructor_name_other
FROM (SELECT department, row_number() OVER (ORDER BY department) AS dn FROM (SELECT DISTINCT department FROM courses)) d,
     range(1, 5) r(k);

CREATE OR REPLACE TABLE bronze.course_sections AS
WITH offer AS (
  SELECT t.t, t.term, t.term_code, t.term_start_date, c.*,
    CASE WHEN t.term LIKE 'Summer%' THEN
           CASE WHEN c.course_number < 300 AND prand(t.t * 1000 + c.course_number + length(c.subject) * 7919, 5) < 0.55 THEN 1 ELSE 0 END
         WHEN c.course_number < 200 THEN 3
         WHEN c.course_number < 300 THEN 2
         ELSE 1 END AS n_sections
  FROM terms t, courses c
), s AS (
  SELECT o.*, r.sec, row_number() OVER (ORDER BY o.t, o.subject, o.course_number, r.sec) AS k
  FROM offer o, range(1, 4) r(sec) WHERE r.sec <= o.n_sections
)
SELECT
  s.term_code || '-' || s.subject || s.course_number || '-' || lpad(CAST(s.sec AS VARCHAR), 2, '0') AS section_id,
  s.subject || ' ' || s.course_number AS course_code,
  s.course_title,
  s.department,
  CAST(floor(s.course_number / 100) * 100 AS INTEGER) AS course_level,
  s.term,
  s.term_start_date,
  CASE WHEN s.term LIKE 'Summer%' THEN CASE WHEN prand(s.k, 61) < 0.5 THEN 'online' WHEN prand(s.k, 61) < 0.7 THEN 'hybrid' ELSE 'in_person' END
       ELSE CASE WHEN prand(s.k, 61) < 0.75 THEN 'in_person' WHEN prand(s.k, 61) < 0.87 THEN 'hybrid' ELSE 'online' END END AS delivery_mode,
  CASE WHEN s.course_number < 200 THEN 90 WHEN s.course_number < 300 THEN 60 WHEN s.course_number < 600 THEN 40 ELSE 25 END AS seat_capacity,
  s.credit_hours,
  CASE WHEN s.course_number < 200 AND prand(s.k, 62) < 0.2 THEN 'graduate_assistant'
       WHEN s.course_number < 600 AND prand(s.k, 62) < (CASE WHEN s.term LIKE 'Summer%' THEN 0.6 ELSE 0.3 END) THEN 'adjunct'
       WHEN prand(s.k, 62) < 0.55 THEN 'lecturer' ELSE 'tenure_track' END AS instructor_type,
  s.k AS _k
FROM s;

ALTER TABLE bronze.course_sections ADD COLUMN instructor_name VARCHAR;
UPDATE bronze.course_sections cs SET instructor_name = CASE
    WHEN cs.instructor_type IN ('tenure_track', 'lecturer') THEN i.instructor_name_tt
    WHEN cs.instructor_type = 'graduate_assistant' THEN 'TA ' || i.instructor_name_other
    ELSE i.instructor_name_other END
  FROM instructors i
  WHERE i.department = cs.department AND i.k = 1 + CAST(floor(prand(cs._k, 63) * 4) AS INTEGER);

CREATE OR REPLACE TABLE bronze.students AS
WITH base AS (
  SELECT i,
    prand(i, 1) < 0.8 AS ug,
    prand(i, 2) AS r_prog,
    prand(i, 3) AS r_start,
    prand(i, 4) AS r_dur,
    prand(i, 5) AS r_exit
  FROM range(1, 4001) t(i)
), p AS (
  SELECT b.*,
    CASE WHEN b.ug THEN
      CASE WHEN prand(b.i, 6) < 0.07 THEN NULL                                            -- Q1 undeclared
      ELSE ['BS-CS', 'BS-CS', 'BS-CS', 'BS-ME', 'BS-ME', 'BS-EE', 'BBA-ACC', 'BBA-MGT', 'BBA-MGT', 'BBA-MKT', 'BBA-FIN',
            'BA-ENG', 'BA-HIS', 'BS-PSY', 'BS-PSY', 'BS-BIO', 'BS-BIO', 'BS-CHM', 'BS-MTH', 'BA-ECO', 'BSN', 'BSN', 'BSN',
            'BS-KIN', 'BS-PH'][1 + CAST(floor(b.r_prog * 25) AS INTEGER)] END
    ELSE ['MS-DS', 'MS-DS', 'MS-CYB', 'MBA', 'MBA', 'MBA', 'MA-CPS', 'PHD-MB', 'MSN-NP', 'MSN-NP', 'MPH-GH']
      [1 + CAST(floor(b.r_prog * 11) AS INTEGER)] END AS program_id,
    CASE WHEN NOT b.ug THEN 'graduate' WHEN prand(b.i, 7) < 0.78 THEN 'first_year' ELSE 'transfer' END AS entry_type
  FROM base b
), d AS (
  SELECT p.*,
    -- start semester: fall starts mostly; transfers and graduates also start in spring
    CASE WHEN p.entry_type = 'first_year' THEN 4039 + 2 * CAST(floor(p.r_start * 6) AS INTEGER)
         ELSE 4039 + CAST(floor(p.r_start * 12) AS INTEGER) END AS s0,
    CASE WHEN p.entry_type = 'first_year' THEN CASE WHEN p.r_dur < 0.7 THEN 8 WHEN p.r_dur < 0.9 THEN 9 ELSE 10 END
         WHEN p.entry_type = 'transfer' THEN CASE WHEN p.r_dur < 0.6 THEN 4 WHEN p.r_dur < 0.85 THEN 5 ELSE 6 END
         WHEN p.program_id = 'PHD-MB' THEN 10
         ELSE CASE WHEN p.r_dur < 0.75 THEN 4 ELSE 5 END END AS n_sem
  FROM p
), e AS (
  SELECT d.*, sm.start_date AS matriculation_date,
    d.s0 + d.n_sem - 1 AS s_last,
    CASE WHEN (d.s0 + d.n_sem - 1) % 2 = 0 THEN make_date(CAST((d.s0 + d.n_sem - 1) / 2 AS INTEGER), 5, 10)
         ELSE make_date(CAST(floor((d.s0 + d.n_sem - 1) / 2) AS INTEGER), 12, 14) END AS planned_grad
  FROM d JOIN sem sm ON sm.s = d.s0
), f AS (
  SELECT e.*,
    CASE WHEN e.r_exit < 0.14 THEN e.matriculation_date + 20 + CAST(floor(prand(e.i, 8) * (e.planned_grad - e.matriculation_date - 30)) AS INTEGER) END AS exit_raw
  FROM e
)
SELECT
  'S' || CAST(100000 + i AS VARCHAR) AS student_id,
  ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella', 'Lucas', 'Mia', 'Ethan', 'Amelia', 'Aiden',
   'Harper', 'Jayden', 'Priya', 'Wei', 'Fatima', 'Diego', 'Chloe', 'Kwame', 'Yuki', 'Omar'][1 + CAST(floor(prand(i, 9) * 24) AS INTEGER)]
   || ' ' ||
  ['Smith', 'Johnson', 'Garcia', 'Nguyen', 'Patel', 'Brown', 'Kim', 'Martinez', 'Lee', 'Walker', 'Chen', 'Lopez', 'Wilson',
   'Okafor', 'Hernandez', 'Anderson', 'Singh', 'Thompson', 'Rossi', 'Murphy'][1 + CAST(floor(prand(i, 10) * 20) AS INTEGER)] AS full_name,
  program_id,
  entry_type,
  CASE WHEN prand(i, 11) < (CASE WHEN ug THEN 0.62 ELSE 0.45 END) THEN 'in_state'
       WHEN prand(i, 11) < (CASE WHEN ug THEN 0.89 ELSE 0.65 END) THEN 'out_of_state' ELSE 'international' END AS residency,
  ug AND prand(i, 12) < 0.3 AS first_generation,
  ug AND prand(i, 13) < 0.32 AND prand(i, 11) < 0.89 AS pell_eligible,                                  -- no Pell for international students
  matriculation_date,
  CAST(CASE WHEN s0 % 2 = 1 THEN floor(s0 / 2) ELSE s0 / 2 - 1 END AS INTEGER) AS cohort_year,           -- Q6
  CASE WHEN exit_raw IS NULL AND planned_grad <= DATE '2025-06-30' THEN planned_grad END AS graduation_date,
  CASE WHEN exit_raw <= DATE '2025-06-30' THEN exit_raw END AS exit_date,
  CASE WHEN exit_raw <= DATE '2025-06-30' THEN 'withdrawn'
       WHEN exit_raw IS NULL AND planned_grad <= DATE '2025-06-30' THEN 'graduated'
       WHEN prand(i, 14) < 0.04 THEN 'on_leave'
       ELSE 'active' END AS student_status,
  s0 AS _s0, s_last AS _s_last, 0.25 + 0.75 * prand(i, 15) AS _ability, ug AS _ug
FROM f
ORDER BY i;

-- who takes how many courses in which term
CREATE OR REPLACE TEMP TABLE slots AS
WITH st AS (
  SELECT s.student_id, CAST(substr(s.student_id, 2) AS INTEGER) - 100000 AS si, s.program_id, s._ug, s._ability,
         s.student_status, s._s0, s._s_last, s.exit_date, s.graduation_date, p.home_department
  FROM bronze.students s LEFT JOIN bronze.programs p ON p.program_id = s.program_id
), active AS (
  SELECT st.*, t.t, t.term, t.term_start_date, t.reg_open, t.reg_days
  FROM st, terms t
  WHERE ((t.s IS NOT NULL AND st._s0 <= t.s AND t.s <= st._s_last)
      -- summer: some continuing students who are not done after the spring
      OR (t.s IS NULL AND st._s0 <= (CASE t.t WHEN 2 THEN 4048 ELSE 4050 END) AND st._s_last > (CASE t.t WHEN 2 THEN 4048 ELSE 4050 END)
          AND prand(st.si * 10 + t.t, 21) < 0.22))
    AND (st.exit_date IS NULL OR st.exit_date > t.term_start_date - 20)
    AND NOT (st.student_status = 'on_leave' AND t.term_start_date >= DATE '2025-01-01')
    AND NOT (t.t = 6 AND (st.exit_date IS NOT NULL OR prand(st.si, 22) > 0.72))
)
SELECT a.*, r.k,
  row_number() OVER (ORDER BY a.t, a.si, r.k) AS n
FROM active a, range(1, 6) r(k)
WHERE r.k <= CASE
    WHEN a.term LIKE 'Summer%' THEN 1 + CAST(floor(prand(a.si * 10 + a.t, 23) * 2) AS INTEGER)
    WHEN NOT a._ug THEN 2 + CAST(floor(prand(a.si * 10 + a.t, 23) * 2) AS INTEGER)
    WHEN prand(a.si * 10 + a.t, 24) < 0.1 THEN 2
    ELSE 4 + CAST(floor(prand(a.si * 10 + a.t, 23) * 2) AS INTEGER) END;

CREATE OR REPLACE TABLE bronze.enrollments AS
WITH sec AS (
  SELECT cs.*, cs.course_level >= 600 AS grad_course,
    row_number() OVER (PARTITION BY term, department, course_level >= 600 ORDER BY section_id) AS rn,
    count(*) OVER (PARTITION BY term, department, course_level >= 600) AS cnt,
    row_number() OVER (PARTITION BY term ORDER BY section_id) AS rn_any,
    count(*) OVER (PARTITION BY term) AS cnt_any
  FROM bronze.course_sections cs
), pick AS (
  SELECT sl.*,
    CASE WHEN sl.home_department IS NOT NULL AND (sl.k = 1 OR prand(sl.n, 31) < (CASE WHEN sl._ug THEN 0.45 ELSE 0.9 END))
         THEN sl.home_department
         ELSE ['English', 'English', 'Mathematics', 'Mathematics', 'Mathematics', 'History', 'Psychology', 'Psychology', 'Economics',
               'Biology', 'Chemistry', 'Computer Science', 'Management', 'Accounting', 'Public Health', 'Nursing',
               'Mechanical Engineering', 'Electrical Engineering'][1 + CAST(floor(prand(sl.n, 32) * 18) AS INTEGER)] END AS dept,
    NOT sl._ug AND prand(sl.n, 33) < 0.7 AS want_grad
  FROM slots sl
), joined AS (
  SELECT pk.*, coalesce(s1.section_id, s2.section_id) AS section_id
  FROM pick pk
  LEFT JOIN sec s1 ON s1.term = pk.term AND s1.department = pk.dept AND s1.grad_course = pk.want_grad
    AND s1.rn = 1 + CAST(floor(prand(pk.n, 34) * s1.cnt) AS INTEGER)
  LEFT JOIN sec s2 ON s2.term = pk.term AND s2.rn_any = 1 + CAST(floor(prand(pk.n, 35) * s2.cnt_any) AS INTEGER)
), dedup AS (
  SELECT * FROM joined QUALIFY row_number() OVER (PARTITION BY student_id, section_id ORDER BY n) = 1
), g AS (
  SELECT d.*, cs.credit_hours, cs.department AS sec_dept, cs.course_level,
    row_number() OVER (ORDER BY d.n) AS enrollment_id,
    -- grade score: student ability, course difficulty (gateway courses in chemistry and mathematics)
    0.55 * d._ability + 0.45 * prand(d.n, 36)
      - CASE WHEN cs.department IN ('Chemistry', 'Mathematics') AND cs.course_level < 300 THEN 0.12 ELSE 0 END
      + CASE WHEN cs.course_level >= 600 THEN 0.15 ELSE 0 END AS score
  FROM dedup d JOIN bronze.course_sections cs ON cs.section_id = d.section_id
), st AS (
  SELECT g.*,
    CASE
      WHEN prand(g.n, 37) < (CASE WHEN g.t = 6 THEN 0.03 ELSE 0.06 END) THEN 'dropped'
      WHEN g.exit_date IS NOT NULL AND g.exit_date >= g.term_start_date + 10 AND g.exit_date < g.term_start_date + 110 THEN 'withdrawn'
      WHEN g.t <= 4 AND prand(g.n, 38) < 0.045 + CASE WHEN g.score < 0.3 THEN 0.08 ELSE 0 END THEN 'withdrawn'
      WHEN g.t = 5 AND prand(g.n, 38) < 0.02 THEN 'withdrawn'
      WHEN g.t <= 4 THEN 'completed'
      ELSE 'registered' END AS enrollment_status
  FROM g
), gr AS (
  SELECT st.*,
    CASE WHEN enrollment_status = 'withdrawn' THEN 'W'
         WHEN enrollment_status <> 'completed' THEN NULL
         WHEN prand(n, 39) < 0.008 THEN NULL                                                          -- Q3
         WHEN prand(n, 40) < 0.02 THEN 'P'
         WHEN prand(n, 40) < 0.03 THEN 'I'
         WHEN score >= 0.78 THEN 'A' WHEN score >= 0.70 THEN 'A-' WHEN score >= 0.63 THEN 'B+'
         WHEN score >= 0.55 THEN 'B' WHEN score >= 0.49 THEN 'B-' WHEN score >= 0.43 THEN 'C+'
         WHEN score >= 0.36 THEN 'C' WHEN score >= 0.31 THEN 'C-' WHEN score >= 0.25 THEN 'D' ELSE 'F' END AS grade
  FROM st
)
SELECT
  enrollment_id,
  student_id,
  section_id,
  term_start_date,
  CASE WHEN t = 1 THEN reg_open + CAST(floor(prand(n, 41) * reg_days) AS INTEGER)                      -- Q2
       ELSE reg_open + CAST(floor(pow(prand(n, 41), 1.6) * reg_days) AS INTEGER) END AS registration_date,
  enrollment_status,
  CASE WHEN enrollment_status = 'withdrawn' THEN
    CASE WHEN exit_date IS NOT NULL AND exit_date >= term_start_date + 10 AND exit_date < term_start_date + 110 THEN exit_date
         WHEN t = 5 THEN term_start_date + 10 + CAST(floor(prand(n, 42) * 30) AS INTEGER)
         ELSE term_start_date + 14 + CAST(floor(prand(n, 42) * 60) AS INTEGER) END END AS withdrawal_date,
  grade,
  CAST(CASE grade WHEN 'A' THEN 4.0 WHEN 'A-' THEN 3.7 WHEN 'B+' THEN 3.3 WHEN 'B' THEN 3.0 WHEN 'B-' THEN 2.7
       WHEN 'C+' THEN 2.3 WHEN 'C' THEN 2.0 WHEN 'C-' THEN 1.7 WHEN 'D' THEN 1.0 WHEN 'F' THEN 0.0 END AS DECIMAL(3, 1)) AS grade_points,
  credit_hours,
  CASE WHEN grade IN ('A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D', 'P') THEN credit_hours ELSE 0 END AS credits_earned
FROM gr
ORDER BY enrollment_id;

CREATE OR REPLACE TABLE bronze.account_entries AS
WITH st AS (
  SELECT e.student_id, cs.term, t.t, t.term_start_date, sum(e.credit_hours) AS credits
  FROM bronze.enrollments e JOIN bronze.course_sections cs ON cs.section_id = e.section_id JOIN terms t ON t.term = cs.term
  WHERE e.enrollment_status <> 'dropped' AND t.t <= 5
  GROUP BY 1, 2, 3, 4
), x AS (
  SELECT st.*, s.residency, s._ug AS ug, s.pell_eligible, s.program_id,
    CAST(substr(st.student_id, 2) AS INTEGER) - 100000 AS si,
    st.term LIKE 'Summer%' AS summer,
    st.credits * CASE WHEN NOT s._ug THEN 950 WHEN s.residency = 'in_state' THEN 420
                      WHEN s.residency = 'out_of_state' THEN 1050 ELSE 1150 END AS tuition
  FROM st JOIN bronze.students s ON s.student_id = st.student_id
), items AS (
  SELECT si, student_id, term, t, term_start_date, 'charge' AS entry_type, 'tuition' AS item_type, NULL AS fund_source, tuition AS amount FROM x
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'charge', 'fees', NULL, CASE WHEN summer THEN 250 ELSE 650 END FROM x
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'charge', 'housing', NULL, 4200 FROM x WHERE ug AND NOT summer AND prand(si, 51) < 0.35
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'charge', 'meal_plan', NULL, 2350 FROM x WHERE ug AND NOT summer AND prand(si, 51) < 0.35
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'grant', 'federal', 3698 FROM x WHERE pell_eligible AND NOT summer
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'grant', 'state', 1500 FROM x
    WHERE ug AND residency = 'in_state' AND NOT summer AND prand(si, 52) < 0.25
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'scholarship', 'institutional',
    CASE WHEN program_id = 'PHD-MB' THEN tuition ELSE round(tuition * (0.2 + 0.4 * prand(si * 10 + t, 53)), -1) END
    FROM x WHERE (ug AND prand(si, 54) < 0.55) OR program_id = 'PHD-MB'
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'loan', 'federal',
    CASE WHEN summer THEN 1500 ELSE 2750 + 250 * CAST(floor(prand(si * 10 + t, 55) * 12) AS INTEGER) END
    FROM x WHERE prand(si, 56) < (CASE WHEN ug THEN 0.38 ELSE 0.5 END) AND (NOT summer OR prand(si * 10 + t, 57) < 0.3)
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'work_study', 'federal', 1200 FROM x
    WHERE ug AND NOT summer AND prand(si, 58) < 0.07
  UNION ALL
  SELECT si, student_id, term, t, term_start_date, 'aid', 'scholarship', 'private', 1000 FROM x
    WHERE NOT summer AND prand(si, 59) < 0.06
), n AS (
  SELECT items.*, row_number() OVER (ORDER BY t, si, entry_type DESC, item_type, fund_source) AS k FROM items
)
SELECT
  k AS entry_id,
  student_id,
  term,
  CASE WHEN entry_type = 'charge' THEN greatest(term_start_date - 21, DATE '2024-01-02')
       ELSE term_start_date + 10 END AS posted_date,
  entry_type,
  item_type,
  fund_source,
  CAST(amount AS DECIMAL(10, 2)) AS amount,
  prand(k, 60) < 0.02 AS is_reversed                                                                 -- Q4
FROM n
ORDER BY k;

CREATE OR REPLACE TABLE bronze.applications AS
WITH a AS (
  SELECT i,
    CASE WHEN prand(i, 71) < 0.30 THEN 'Fall 2024' WHEN prand(i, 71) < 0.42 THEN 'Spring 2025' ELSE 'Fall 2025' END AS entry_term,
    CASE WHEN prand(i, 72) < 0.62 THEN 'first_year' WHEN prand(i, 72) < 0.77 THEN 'transfer' ELSE 'graduate' END AS applicant_type,
    prand(i, 73) AS r_prog, prand(i, 74) AS r_sub, prand(i, 75) AS r_res
  FROM range(1, 8001) t(i)
), b AS (
  SELECT a.*,
    CASE WHEN applicant_type = 'graduate' THEN
      ['MS-DS', 'MS-DS', 'MS-DS', 'MS-CYB', 'MS-CYB', 'MBA', 'MBA', 'MBA', 'MA-CPS', 'PHD-MB', 'MSN-NP', 'MSN-NP', 'MPH-GH']
        [1 + CAST(floor(r_prog * 13) AS INTEGER)]
    WHEN applicant_type = 'first_year' AND prand(i, 76) < 0.07 THEN NULL
    ELSE ['BS-CS', 'BS-CS', 'BS-CS', 'BS-CS', 'BS-ME', 'BS-ME', 'BS-EE', 'BBA-ACC', 'BBA-MGT', 'BBA-MGT', 'BBA-MKT', 'BBA-FIN',
          'BA-ENG', 'BA-HIS', 'BS-PSY', 'BS-PSY', 'BS-BIO', 'BS-BIO', 'BS-CHM', 'BS-MTH', 'BA-ECO', 'BSN', 'BSN', 'BSN', 'BSN',
          'BS-KIN', 'BS-PH'][1 + CAST(floor(r_prog * 27) AS INTEGER)] END AS program_id,
    CASE entry_term
      WHEN 'Fall 2024' THEN DATE '2024-01-01' + CAST(floor(pow(r_sub, 1.5) * 197) AS INTEGER)
      WHEN 'Spring 2025' THEN DATE '2024-07-01' + CAST(floor(r_sub * 154) AS INTEGER)
      ELSE DATE '2024-08-01' + CAST(floor((r_sub + prand(i, 86)) / 2 * 318) AS INTEGER) END AS submitted_date,
    CASE WHEN r_res < (CASE WHEN applicant_type = 'graduate' THEN 0.4 ELSE 0.55 END) THEN 'in_state'
         WHEN r_res < (CASE WHEN applicant_type = 'graduate' THEN 0.6 ELSE 0.82 END) THEN 'out_of_state' ELSE 'international' END AS residency
  FROM a
), c AS (
  SELECT b.*,
    CASE WHEN applicant_type = 'graduate' AND residency = 'international' AND prand(i, 77) < 0.45 THEN 'agent'
         WHEN applicant_type = 'first_year' AND prand(i, 77) < 0.72 THEN 'common_app'
         WHEN applicant_type = 'transfer' AND prand(i, 77) < 0.35 THEN 'common_app'
         ELSE 'direct' END AS application_source,
    CASE WHEN prand(i, 78) < 0.03 THEN NULL                                                           -- Q5
         ELSE round(least(4.0, 2.3 + pow(prand(i, 79), 0.6) * 1.75), 2) END AS incoming_gpa,
    submitted_date + 18 + CAST(floor(prand(i, 80) * 60) AS INTEGER) AS decision_raw
  FROM b
), d AS (
  SELECT c.*,
    CASE WHEN prand(i, 81) < 0.05 THEN 'withdrawn'
         WHEN decision_raw > DATE '2025-06-30' THEN 'pending'
         WHEN prand(i, 82) < 0.08 THEN 'waitlisted'
         WHEN prand(i, 83) < 0.2 + 0.55 * coalesce((incoming_gpa - 2.3) / 1.7, 0.4)
                             - CASE WHEN program_id IN ('BSN', 'MSN-NP') THEN 0.2 ELSE 0 END THEN 'admitted'
         ELSE 'denied' END AS application_status
  FROM c
), e AS (
  SELECT d.*,
    CASE WHEN application_status IN ('admitted', 'denied', 'waitlisted') THEN decision_raw END AS decision_date,
    CASE WHEN application_status = 'admitted'
          AND prand(i, 84) < (CASE applicant_type WHEN 'first_year' THEN 0.3 WHEN 'transfer' THEN 0.5 ELSE 0.45 END)
                             * CASE WHEN residency = 'international' THEN 0.6 ELSE 1 END
         THEN decision_raw + 7 + CAST(floor(prand(i, 85) * 50) AS INTEGER) END AS deposit_raw
  FROM d
)
SELECT
  'APP-' || CAST(2400000 + i AS VARCHAR) AS application_id,
  program_id,
  entry_term,
  applicant_type,
  residency,
  application_source,
  incoming_gpa,
  submitted_date,
  application_status,
  decision_date,
  coalesce(deposit_raw <= DATE '2025-06-30', false) AS deposit_paid,
  CASE WHEN deposit_raw <= DATE '2025-06-30' THEN deposit_raw END AS deposit_date
FROM e
ORDER BY i;

ALTER TABLE bronze.students DROP COLUMN _s0;
ALTER TABLE bronze.students DROP COLUMN _s_last;
ALTER TABLE bronze.students DROP COLUMN _ability;
ALTER TABLE bronze.students DROP COLUMN _ug;
ALTER TABLE bronze.course_sections DROP COLUMN _k;
ALTER TABLE bronze.programs DROP COLUMN home_department;

ALTER TABLE bronze.programs ADD PRIMARY KEY (program_id);
ALTER TABLE bronze.students ADD PRIMARY KEY (student_id);
ALTER TABLE bronze.course_sections ADD PRIMARY KEY (section_id);
ALTER TABLE bronze.enrollments ADD PRIMARY KEY (enrollment_id);
ALTER TABLE bronze.account_entries ADD PRIMARY KEY (entry_id);
ALTER TABLE bronze.applications ADD PRIMARY KEY (application_id);

DROP TABLE slots;
DROP TABLE courses;
DROP TABLE instructors;
DROP TABLE terms;
DROP TABLE sem;
DROP MACRO IF EXISTS prand;

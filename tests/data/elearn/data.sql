-- E-learning test catalog: an online course marketplace (instructors, courses,
-- learners, enrollments with their purchase and refund, lesson views, quiz attempts).
-- Deterministic (hash-based pseudo-random numbers), dates 2024-01-01 .. 2025-06-30.
--
-- Tables (schema bronze)
--   instructors    30 instructors (two share the name Daniel Kim)
--   courses        60 courses in 6 categories x 3 levels, ids CRS-001 .. CRS-060;
--                  instructor_id NULL for platform-produced courses
--   learners       3 000 learners who signed up 2024-01-01 .. 2025-06-30
--   enrollments    one row per learner and course taken: status, completion date,
--                  price paid (0 for free courses), refund flag and date
--   lesson_views   lesson views with minutes watched and device
--   quiz_attempts  quiz attempts with score (0-100) and pass flag (score >= 70)
--
-- Quirks: courses.instructor_id NULL (platform originals); enrollments.payment_method
-- NULL for free courses; enrollments.coupon_code mostly NULL; 'business' is both a
-- course category and a learner account type; country codes appear for learners and
-- instructors.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.instructors AS
SELECT * FROM (VALUES
  (1, 'Priya Raman', 'IN', 'staff', DATE '2021-03-01'),
  (2, 'Daniel Kim', 'US', 'expert', DATE '2021-06-15'),
  (3, 'Sofia Almeida', 'BR', 'community', DATE '2022-01-10'),
  (4, 'Lukas Weber', 'DE', 'expert', DATE '2021-09-01'),
  (5, 'Grace Okoye', 'GB', 'staff', DATE '2020-11-20'),
  (6, 'Marco Bianchi', 'ES', 'community', DATE '2023-02-01'),
  (7, 'Hannah Schulz', 'DE', 'staff', DATE '2022-05-05'),
  (8, 'Arjun Mehta', 'IN', 'expert', DATE '2022-08-18'),
  (9, 'Emily Carter', 'US', 'staff', DATE '2020-04-01'),
  (10, 'Tomás Ruiz', 'ES', 'expert', DATE '2023-06-12'),
  (11, 'Chloe Martin', 'GB', 'community', DATE '2023-09-09'),
  (12, 'Daniel Kim', 'GB', 'community', DATE '2024-01-15'),
  (13, 'Ana Souza', 'BR', 'expert', DATE '2022-03-03'),
  (14, 'Kenji Sato', 'US', 'expert', DATE '2021-12-01'),
  (15, 'Fatima Zahra', 'GB', 'staff', DATE '2022-10-10'),
  (16, 'Oliver Brown', 'US', 'community', DATE '2023-04-04'),
  (17, 'Meera Nair', 'IN', 'community', DATE '2023-11-11'),
  (18, 'Jonas Fischer', 'DE', 'community', DATE '2024-02-02'),
  (19, 'Lucía Gómez', 'ES', 'staff', DATE '2021-01-20'),
  (20, 'Samuel Adeyemi', 'US', 'expert', DATE '2022-07-07'),
  (21, 'Isabela Costa', 'BR', 'community', DATE '2024-03-03'),
  (22, 'Ravi Shankar', 'IN', 'expert', DATE '2021-05-25'),
  (23, 'Laura Becker', 'DE', 'expert', DATE '2022-12-12'),
  (24, 'Noah Wilson', 'US', 'staff', DATE '2020-09-30'),
  (25, 'Aisha Bello', 'GB', 'expert', DATE '2023-01-17'),
  (26, 'Pablo Herrera', 'ES', 'community', DATE '2024-04-04'),
  (27, 'Yuki Tanaka', 'US', 'community', DATE '2023-08-08'),
  (28, 'Neha Gupta', 'IN', 'staff', DATE '2021-02-14'),
  (29, 'Felix Wagner', 'DE', 'community', DATE '2024-05-05'),
  (30, 'Camila Rocha', 'BR', 'expert', DATE '2022-09-19')
) v(instructor_id, instructor_name, country, instructor_tier, joined_date);

CREATE OR REPLACE TABLE bronze.courses AS
WITH t AS (
  SELECT * FROM (VALUES
    (1, 'Python for Data Analysis', 'data_science'), (2, 'Statistics Essentials', 'data_science'),
    (3, 'Machine Learning A-Z', 'data_science'), (4, 'Deep Learning with PyTorch', 'data_science'),
    (5, 'Data Visualization with Tableau', 'data_science'), (6, 'Intro to SQL', 'data_science'),
    (7, 'Time Series Forecasting', 'data_science'), (8, 'Natural Language Processing', 'data_science'),
    (9, 'A/B Testing in Practice', 'data_science'), (10, 'Spark for Big Data', 'data_science'),
    (11, 'JavaScript Basics', 'programming'), (12, 'Modern React', 'programming'),
    (13, 'Go Programming', 'programming'), (14, 'Rust from Scratch', 'programming'),
    (15, 'Java Spring Boot', 'programming'), (16, 'Git and GitHub', 'programming'),
    (17, 'Docker and Kubernetes', 'programming'), (18, 'C++ Algorithms', 'programming'),
    (19, 'TypeScript Deep Dive', 'programming'), (20, 'Django Web Apps', 'programming'),
    (21, 'Figma Fundamentals', 'design'), (22, 'UX Research Methods', 'design'),
    (23, 'Typography Basics', 'design'), (24, 'Motion Design', 'design'),
    (25, 'Design Systems', 'design'), (26, 'Illustrator Masterclass', 'design'),
    (27, 'Color Theory', 'design'), (28, 'Mobile UI Design', 'design'),
    (29, 'Photoshop Essentials', 'design'), (30, 'Accessibility by Design', 'design'),
    (31, 'Project Management Professional', 'business'), (32, 'Financial Modeling', 'business'),
    (33, 'Negotiation Skills', 'business'), (34, 'Startup Fundraising', 'business'),
    (35, 'Excel for Business', 'business'), (36, 'Leadership Essentials', 'business'),
    (37, 'Agile and Scrum', 'business'), (38, 'Business Strategy', 'business'),
    (39, 'Product Management 101', 'business'), (40, 'Accounting Basics', 'business'),
    (41, 'SEO Fundamentals', 'marketing'), (42, 'Google Ads Mastery', 'marketing'),
    (43, 'Content Marketing', 'marketing'), (44, 'Email Marketing', 'marketing'),
    (45, 'Social Media Strategy', 'marketing'), (46, 'Marketing Analytics', 'marketing'),
    (47, 'Copywriting', 'marketing'), (48, 'Brand Building', 'marketing'),
    (49, 'Growth Hacking', 'marketing'), (50, 'Influencer Marketing', 'marketing'),
    (51, 'Spanish for Beginners', 'languages'), (52, 'Business English', 'languages'),
    (53, 'German A1', 'languages'), (54, 'French Conversation', 'languages'),
    (55, 'Japanese Kana', 'languages'), (56, 'Mandarin Basics', 'languages'),
    (57, 'Italian for Travel', 'languages'), (58, 'Portuguese B1', 'languages'),
    (59, 'IELTS Preparation', 'languages'), (60, 'Arabic Script', 'languages')
  ) v(n0, course_title, category)
), t2 AS (SELECT CAST(n0 AS BIGINT) AS n, course_title, category FROM t
)
SELECT
  'CRS-' || lpad(CAST(n AS VARCHAR), 3, '0') AS course_id,
  course_title,
  category,
  CASE WHEN prand(n, 101) < 0.45 THEN 'beginner' WHEN prand(n, 101) < 0.8 THEN 'intermediate' ELSE 'advanced' END AS level,
  CASE WHEN prand(n, 102) < 0.2 THEN 'free' ELSE 'paid' END AS pricing,
  CAST(CASE WHEN prand(n, 102) < 0.2 THEN 0 ELSE 19.99 + 10 * floor(prand(n, 103) * 9) END AS DECIMAL(8, 2)) AS list_price,
  CASE WHEN prand(n, 104) < 0.08 THEN NULL ELSE 1 + CAST(floor(prand(n, 105) * 30) AS INTEGER) END AS instructor_id,
  DATE '2023-07-01' + CAST(floor(prand(n, 106) * 640) AS INTEGER) AS published_date
FROM t2
ORDER BY n;

CREATE OR REPLACE TABLE bronze.learners AS
SELECT
  i AS learner_id,
  ['Alex', 'Sam', 'Maria', 'Jonas', 'Aisha', 'Ravi', 'Lena', 'Tom', 'Yara', 'Ken', 'Julia', 'Omar', 'Mia', 'Luis', 'Nora', 'Ben', 'Ines', 'Kofi']
    [1 + CAST(floor(prand(i, 201) * 18) AS INTEGER)] || ' ' ||
  ['Meyer', 'Novak', 'Iyer', 'Costa', 'Berg', 'Kim', 'Walsh', 'Ahmed', 'Rossi', 'Lund', 'Park', 'Moreau', 'Silva', 'Osei']
    [1 + CAST(floor(prand(i, 202) * 14) AS INTEGER)] AS learner_name,
  ['US', 'US', 'US', 'IN', 'IN', 'GB', 'DE', 'BR', 'BR', 'NG', 'ES'][1 + CAST(floor(prand(i, 203) * 11) AS INTEGER)] AS country,
  CASE WHEN prand(i, 204) < 0.22 THEN 'business' ELSE 'individual' END AS account_type,
  CASE WHEN prand(i, 205) < 0.45 THEN 'organic' WHEN prand(i, 205) < 0.7 THEN 'paid_search'
       WHEN prand(i, 205) < 0.88 THEN 'referral' ELSE 'partner' END AS acquisition_channel,
  DATE '2024-01-01' + CAST(floor(sqrt(prand(i, 206)) * 547) AS INTEGER) AS signup_date
FROM range(1, 3001) t(i)
ORDER BY i;

CREATE OR REPLACE TABLE bronze.enrollments AS
WITH a AS (
  SELECT t.i, l.learner_id, l.account_type, c.course_id, c.pricing, c.list_price, c.level,
    greatest(l.signup_date, c.published_date) AS d0
  FROM range(1, 14001) t(i)
  JOIN bronze.learners l ON l.learner_id = 1 + CAST(floor(prand(t.i, 301) * 3000) AS INTEGER)
  JOIN bronze.courses c ON c.course_id = 'CRS-' || lpad(CAST(1 + CAST(floor(pow(prand(t.i, 302), 1.3) * 60) AS INTEGER) AS VARCHAR), 3, '0')
), b AS (
  SELECT *, d0 + CAST(floor(prand(i, 303) * 120) AS INTEGER) AS enrolled_date
  FROM a
), c AS (
  SELECT *, row_number() OVER (ORDER BY enrolled_date, i) AS k,
    enrolled_date + 7 + CAST(floor(prand(i, 304) * (CASE level WHEN 'advanced' THEN 150 ELSE 90 END)) AS INTEGER) AS done_date,
    prand(i, 305) AS r_status
  FROM b WHERE enrolled_date <= DATE '2025-06-30'
), d AS (
  SELECT *,
    CASE WHEN r_status < CASE level WHEN 'beginner' THEN 0.55 WHEN 'intermediate' THEN 0.45 ELSE 0.32 END
              AND done_date <= DATE '2025-06-30' THEN 'completed'
         WHEN r_status > 0.72 AND enrolled_date + 30 <= DATE '2025-06-30' THEN 'dropped'
         ELSE 'in_progress' END AS status,
    CASE WHEN pricing = 'free' THEN 0
         WHEN prand(k, 306) < 0.18 THEN round(list_price * 0.75, 2)
         ELSE list_price END AS paid
  FROM c
)
SELECT
  k AS enrollment_id,
  learner_id,
  course_id,
  enrolled_date,
  status,
  CASE WHEN status = 'completed' THEN done_date END AS completed_date,
  CAST(paid AS DECIMAL(8, 2)) AS price_paid,
  CASE WHEN pricing = 'free' THEN NULL
       WHEN prand(k, 307) < 0.6 THEN 'card' WHEN prand(k, 307) < 0.85 THEN 'paypal' ELSE 'apple_pay' END AS payment_method,
  CASE WHEN pricing = 'paid' AND paid < list_price THEN ['SPRING25', 'WELCOME25', 'BLACKFRIDAY'][1 + CAST(floor(prand(k, 308) * 3) AS INTEGER)] END AS coupon_code,
  pricing = 'paid' AND prand(k, 309) < CASE status WHEN 'dropped' THEN 0.2 ELSE 0.04 END AS is_refunded,
  CASE WHEN pricing = 'paid' AND prand(k, 309) < CASE status WHEN 'dropped' THEN 0.2 ELSE 0.04 END
       THEN least(enrolled_date + 1 + CAST(floor(prand(k, 310) * 14) AS INTEGER), DATE '2025-06-30') END AS refund_date
FROM d
ORDER BY k;

CREATE OR REPLACE TABLE bronze.lesson_views AS
WITH n AS (SELECT count(*) AS n FROM bronze.enrollments),
a AS (
  SELECT t.i, e.learner_id, e.course_id, e.enrolled_date, e.status,
    coalesce(e.completed_date, least(e.enrolled_date + 90, DATE '2025-06-30')) AS d1
  FROM range(1, 48001) t(i), n
  JOIN bronze.enrollments e ON e.enrollment_id = 1 + CAST(floor(prand(t.i, 401) * n.n) AS INTEGER)
)
SELECT
  row_number() OVER (ORDER BY i) AS view_id,
  learner_id,
  course_id,
  enrolled_date + CAST(floor(prand(i, 402) * (d1 - enrolled_date + 1)) AS INTEGER) AS viewed_date,
  CAST(1 + floor(pow(prand(i, 403), 1.4) * 45) AS INTEGER) AS minutes_watched,
  CASE WHEN prand(i, 404) < 0.55 THEN 'web' WHEN prand(i, 404) < 0.8 THEN 'ios' ELSE 'android' END AS device
FROM a
ORDER BY view_id;

CREATE OR REPLACE TABLE bronze.quiz_attempts AS
WITH n AS (SELECT count(*) AS n FROM bronze.enrollments),
a AS (
  SELECT t.i, e.enrollment_id, e.learner_id, e.course_id, e.enrolled_date, c.level,
    coalesce(e.completed_date, least(e.enrolled_date + 90, DATE '2025-06-30')) AS d1
  FROM range(1, 16001) t(i), n
  JOIN bronze.enrollments e ON e.enrollment_id = 1 + CAST(floor(prand(t.i, 501) * n.n) AS INTEGER)
  JOIN bronze.courses c ON c.course_id = e.course_id
), b AS (
  SELECT *,
    enrolled_date + CAST(floor(prand(i, 502) * (d1 - enrolled_date + 1)) AS INTEGER) AS attempted_date,
    CAST(least(100, greatest(0, round(40 + prand(i, 503) * 55 + prand(i, 504) * 10
         - CASE level WHEN 'advanced' THEN 12 WHEN 'intermediate' THEN 5 ELSE 0 END))) AS INTEGER) AS score
  FROM a
)
SELECT
  row_number() OVER (ORDER BY attempted_date, i) AS attempt_id,
  learner_id,
  course_id,
  attempted_date,
  row_number() OVER (PARTITION BY enrollment_id ORDER BY attempted_date, i) AS attempt_number,
  score,
  score >= 70 AS passed
FROM b
ORDER BY attempt_id;

ALTER TABLE bronze.instructors ADD PRIMARY KEY (instructor_id);
ALTER TABLE bronze.courses ADD PRIMARY KEY (course_id);
ALTER TABLE bronze.learners ADD PRIMARY KEY (learner_id);
ALTER TABLE bronze.enrollments ADD PRIMARY KEY (enrollment_id);
ALTER TABLE bronze.lesson_views ADD PRIMARY KEY (view_id);
ALTER TABLE bronze.quiz_attempts ADD PRIMARY KEY (attempt_id);

DROP MACRO IF EXISTS prand;

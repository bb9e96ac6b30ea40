-- Nonprofit fundraising test catalog: a regional food-security charity's donor CRM.
-- Deterministic (hash-based prand), data window 2024-01-01 .. 2025-06-30
-- (donors' first gift dates and recurring pledges' start dates go back before the window).
--
-- Tables (schema bronze)
--   donors            (2 400) individuals, foundations and corporations (and never-gave prospects)
--   appeals           (20) fundraising appeals (campaigns): mail, email, event, peer_to_peer;
--                     goal, cost, and attendees for events
--   recurring_pledges (490) monthly giving commitments (start, cancellation, installments due/paid)
--   gifts             (10 344) one-time gifts and the monthly installments of recurring pledges
--   grants            (180) grant applications to foundations and corporate giving programmes
--   volunteer_shifts  (3 600) volunteer shifts (hours), some linked to a donor and to an event
--
-- Quirks: gifts.appeal_id NULL for unsolicited gifts and pledge installments; gifts.pledge_id NULL
-- for one-time gifts; gift_status posted / refunded / pending (uncleared checks in late June 2025);
-- gifts.is_restricted is a 0/1 integer, donors.is_major_donor a boolean; donors.first_gift_date NULL
-- for prospects who never gave; many individual donors share a name (e.g. several "Maria Lopez");
-- 'peer_to_peer', 'event' and 'email' are values of both appeals.channel and donors.acquisition_source;
-- payment_method is a column of both gifts and recurring_pledges; volunteer_shifts.donor_id NULL for
-- volunteers who are not donors, hours NULL for no-shows and cancelled shifts;
-- grants.awarded_amount and decision_date NULL while pending; awarded_amount NULL when declined.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((CAST(i AS BIGINT) * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.appeals AS
SELECT * FROM (VALUES
  (1,  'APL-24-01', 'Winter Match 2024',         'email',        DATE '2024-01-16', DATE '2024-02-15',  300000.00,  4000.00, NULL),
  (2,  'APL-24-02', 'Spring Appeal 2024',        'mail',         DATE '2024-03-04', DATE '2024-04-30', 550000.00, 38000.00, NULL),
  (3,  'APL-24-03', 'Spring Gala 2024',          'event',        DATE '2024-04-20', DATE '2024-04-20', 300000.00, 72000.00, 410),
  (4,  'APL-24-04', 'Run for Meals 2024',        'peer_to_peer', DATE '2024-05-01', DATE '2024-06-15',  500000.00, 15000.00, NULL),
  (5,  'APL-24-05', 'Summer Email Series 2024',  'email',        DATE '2024-07-08', DATE '2024-07-31',  250000.00,  2500.00, NULL),
  (6,  'APL-24-06', 'Back to School Drive 2024', 'mail',         DATE '2024-08-05', DATE '2024-09-15',  350000.00, 22000.00, NULL),
  (7,  'APL-24-07', 'Golf Classic 2024',         'event',        DATE '2024-09-16', DATE '2024-09-16', 200000.00, 41000.00, 144),
  (8,  'APL-24-08', 'Team Challenge 2024',       'peer_to_peer', DATE '2024-10-01', DATE '2024-11-10',  250000.00,  9000.00, NULL),
  (9,  'APL-24-09', 'Fall Appeal 2024',          'mail',         DATE '2024-10-07', DATE '2024-11-22', 450000.00, 36000.00, NULL),
  (10, 'APL-24-10', 'Giving Tuesday 2024',       'email',        DATE '2024-12-03', DATE '2024-12-06',  300000.00,  3500.00, NULL),
  (11, 'APL-24-11', 'Year-End Appeal 2024',      'mail',         DATE '2024-11-25', DATE '2024-12-31', 750000.00, 52000.00, NULL),
  (12, 'APL-24-12', 'Year-End Email 2024',       'email',        DATE '2024-12-09', DATE '2024-12-31',  400000.00,  3000.00, NULL),
  (13, 'APL-24-13', 'Holiday Luncheon 2024',     'event',        DATE '2024-12-12', DATE '2024-12-12',  500000.00, 18000.00, 220),
  (14, 'APL-25-01', 'Winter Match 2025',         'email',        DATE '2025-01-14', DATE '2025-02-14',  450000.00,  4200.00, NULL),
  (15, 'APL-25-02', 'Donor Breakfast 2025',      'event',        DATE '2025-02-20', DATE '2025-02-20',  150000.00, 12500.00, 130),
  (16, 'APL-25-03', 'Spring Appeal 2025',        'mail',         DATE '2025-03-03', DATE '2025-04-30', 500000.00, 40000.00, NULL),
  (17, 'APL-25-04', 'Tax Season Email 2025',     'email',        DATE '2025-03-24', DATE '2025-04-15',  200000.00,  1800.00, NULL),
  (18, 'APL-25-05', 'Spring Gala 2025',          'event',        DATE '2025-04-26', DATE '2025-04-26', 350000.00, 78000.00, 455),
  (19, 'APL-25-06', 'Run for Meals 2025',        'peer_to_peer', DATE '2025-05-01', DATE '2025-06-30', 550000.00, 16000.00, NULL),
  (20, 'APL-25-07', 'Summer Kickoff Email 2025', 'email',        DATE '2025-06-09', DATE '2025-06-30',  250000.00,  2600.00, NULL)
) v(appeal_id, appeal_code, appeal_name, channel, launch_date, end_date, goal_amount, cost, attendees);

CREATE OR REPLACE TABLE bronze.donors AS
WITH d AS (
  SELECT i,
    CASE WHEN prand(i, 1) < 0.025 THEN 'foundation' WHEN prand(i, 1) < 0.06 THEN 'corporate' ELSE 'individual' END AS donor_type
  FROM range(1, 2401) t(i)
), r AS (
  SELECT *, row_number() OVER (PARTITION BY donor_type ORDER BY i) AS rn FROM d
)
SELECT
  i AS donor_id,
  CASE donor_type
    WHEN 'foundation' THEN
      ['Hartwell', 'Bridgeway', 'Cedar Grove', 'Lumen', 'Oakridge', 'Marlow', 'Silverbrook', 'Kestrel', 'Alder',
       'Whitcombe', 'Redfern', 'Ashby', 'Greenleaf', 'Halvorsen', 'Pemberton', 'Quarry Hill', 'Sorensen', 'Tallis',
       'Vance', 'Wexford'][1 + CAST((rn - 1) % 20 AS INTEGER)] || ' ' ||
      ['Family Foundation', 'Foundation', 'Charitable Trust', 'Fund'][1 + CAST(((rn - 1) // 20) % 4 AS INTEGER)]
    WHEN 'corporate' THEN
      ['Northstar', 'Apex', 'Bluewater', 'Crestline', 'Evergreen', 'Granite', 'Harbor', 'Ironwood', 'Juniper',
       'Keystone', 'Lakeshore', 'Meridian', 'Summit', 'Pinecrest', 'Riverside', 'Sterling', 'Trident', 'Unity',
       'Westgate', 'Zenith'][1 + CAST((rn - 1) % 20 AS INTEGER)] || ' ' ||
      ['Bank', 'Industries', 'Health', 'Logistics', 'Foods'][1 + CAST(((rn - 1) // 20) % 5 AS INTEGER)]
    ELSE
      ['Maria', 'James', 'Linda', 'Robert', 'Aisha', 'David', 'Sofia', 'Michael', 'Grace', 'Daniel', 'Priya', 'Thomas',
       'Emily', 'Carlos'][1 + CAST(floor(prand(i, 2) * 14) AS INTEGER)] || ' ' ||
      ['Lopez', 'Johnson', 'Nguyen', 'Smith', 'Patel', 'Williams', 'Garcia', 'Brown', 'Okafor', 'Miller', 'Chen',
       'Davis'][1 + CAST(floor(prand(i, 3) * 12) AS INTEGER)]
  END AS donor_name,
  donor_type,
  ['CA', 'CA', 'CA', 'NY', 'NY', 'TX', 'TX', 'IL', 'WA', 'MA', 'FL', 'CO', 'GA', 'PA', 'MN', 'NC']
    [1 + CAST(floor(prand(i, 4) * 16) AS INTEGER)] AS state,
  CASE WHEN donor_type = 'individual' THEN prand(i, 5) < 0.04 ELSE prand(i, 5) < 0.30 END AS is_major_donor,
  CASE WHEN donor_type <> 'individual' THEN CASE WHEN prand(i, 6) < 0.6 THEN 'referral' ELSE 'event' END
       WHEN prand(i, 6) < 0.30 THEN 'direct_mail'
       WHEN prand(i, 6) < 0.50 THEN 'website'
       WHEN prand(i, 6) < 0.65 THEN 'email'
       WHEN prand(i, 6) < 0.80 THEN 'event'
       WHEN prand(i, 6) < 0.92 THEN 'peer_to_peer'
       ELSE 'referral' END AS acquisition_source,
  CASE WHEN donor_type = 'individual' AND prand(i, 7) < 0.06 THEN NULL          -- prospects who never gave
       ELSE DATE '2012-01-01' + CAST(floor(pow(prand(i, 8), 0.6) * 4929) AS INTEGER) END AS first_gift_date
FROM r
ORDER BY i;

-- recurring pledges and their monthly installments (helper table, dropped at the end)
CREATE OR REPLACE TABLE bronze.recurring_pledges AS
WITH p AS (
  SELECT t.i, d.donor_id,
    greatest(d.first_gift_date, DATE '2023-01-01' + CAST(floor(prand(t.i, 62) * 910) AS INTEGER)) AS start_date
  FROM range(1, 561) t(i)
  JOIN bronze.donors d ON d.donor_id = 1 + CAST(floor(prand(t.i, 61) * 2400) AS INTEGER)
  WHERE d.donor_type = 'individual' AND d.first_gift_date IS NOT NULL
), q AS (
  SELECT *, row_number() OVER (ORDER BY start_date, i) AS pledge_id,
    CASE WHEN prand(i, 63) < 0.4 AND start_date + 45 + CAST(floor(prand(i, 64) * 600) AS INTEGER) <= DATE '2025-06-30'
         THEN start_date + 45 + CAST(floor(prand(i, 64) * 600) AS INTEGER) END AS cancelled_date
  FROM p WHERE start_date <= DATE '2025-06-30'
)
SELECT
  pledge_id,
  donor_id,
  CAST([10, 15, 20, 25, 25, 30, 50, 50, 75, 100, 150][1 + CAST(floor(prand(i, 65) * 11) AS INTEGER)] AS DECIMAL(10, 2)) AS monthly_amount,
  start_date,
  cancelled_date,
  CASE WHEN cancelled_date IS NULL THEN NULL
       ELSE ['card_expired', 'card_expired', 'financial_hardship', 'donor_request', 'donor_request', 'no_reason_given']
            [1 + CAST(floor(prand(i, 66) * 6) AS INTEGER)] END AS cancel_reason,
  CASE WHEN prand(i, 67) < 0.7 THEN 'credit_card' ELSE 'ach' END AS payment_method,
  i AS seed
FROM q
ORDER BY pledge_id;

CREATE OR REPLACE TABLE bronze._installments AS
SELECT p.pledge_id, p.donor_id, p.monthly_amount, p.payment_method, m,
  CAST(p.start_date + to_months(CAST(m AS INTEGER)) AS DATE) AS due_date,
  prand(p.seed * 100 + m, 71) < CASE WHEN p.payment_method = 'ach' THEN 0.03 ELSE 0.08 END AS failed
FROM bronze.recurring_pledges p, generate_series(0, 40) g(m)
WHERE p.start_date + to_months(CAST(m AS INTEGER)) <= coalesce(p.cancelled_date, DATE '2025-06-30');

CREATE OR REPLACE TABLE bronze.recurring_pledges AS
SELECT p.pledge_id, p.donor_id, p.monthly_amount, p.start_date, p.cancelled_date, p.cancel_reason, p.payment_method,
  CAST(count(i.m) AS INTEGER) AS installments_due,
  CAST(count(i.m) FILTER (WHERE NOT i.failed) AS INTEGER) AS installments_paid
FROM bronze.recurring_pledges p LEFT JOIN bronze._installments i ON i.pledge_id = p.pledge_id
GROUP BY ALL
ORDER BY p.pledge_id;

CREATE OR REPLACE TABLE bronze.gifts AS
WITH dn AS (
  SELECT d.*,
    CASE WHEN d.first_gift_date IS NULL THEN 0
         WHEN d.donor_type = 'foundation' THEN 1 + CAST(floor(prand(d.donor_id, 21) * 3) AS INTEGER)
         WHEN d.donor_type = 'corporate' THEN 1 + CAST(floor(prand(d.donor_id, 21) * 4) AS INTEGER)
         WHEN d.first_gift_date >= DATE '2024-01-01' THEN 1 + CAST(floor(pow(prand(d.donor_id, 21), 2) * 6) AS INTEGER)
         WHEN d.first_gift_date < DATE '2020-01-01' THEN CAST(floor(pow(prand(d.donor_id, 21), 2.5) * 7) AS INTEGER)
         ELSE CAST(floor(pow(prand(d.donor_id, 21), 1.6) * 10) AS INTEGER) END AS n_gifts,
    greatest(d.first_gift_date, DATE '2024-01-01') AS w0
  FROM bronze.donors d
), one_time AS (
  SELECT dn.donor_id, dn.donor_type, dn.is_major_donor, k, dn.donor_id * 20 + k AS s,
    CASE WHEN k = 0 AND dn.first_gift_date >= DATE '2024-01-01' THEN dn.first_gift_date
         -- year-end giving season: a fifth of gifts fall in December 2024
         WHEN prand(dn.donor_id * 20 + k, 22) < 0.2 AND dn.w0 <= DATE '2024-12-01'
           THEN DATE '2024-12-01' + CAST(floor(prand(dn.donor_id * 20 + k, 23) * 31) AS INTEGER)
         ELSE dn.w0 + CAST(floor(prand(dn.donor_id * 20 + k, 23) * (DATE '2025-06-30' - dn.w0 + 1)) AS INTEGER) END AS gift_date
  FROM dn, range(0, 10) r(k)
  WHERE k < dn.n_gifts
), amt AS (
  SELECT *,
    CASE donor_type
      WHEN 'foundation' THEN round(pow(10, 3.7 + prand(s, 24) * 1.3), -3)
      WHEN 'corporate' THEN round(pow(10, 3.0 + prand(s, 24) * 1.5), -2)
      ELSE round(pow(10, 1.3 + prand(s, 24) * 2.0) * CASE WHEN is_major_donor THEN 12 ELSE 1 END / 5) * 5 END AS amount
  FROM one_time
), app AS (
  -- the appeal a gift answers: one of the appeals running (or up to three weeks after), 85 % of the time
  SELECT a.s, a.appeal_id,
    row_number() OVER (PARTITION BY a.s ORDER BY prand(a.s * 31 + a.appeal_id, 25)) AS pick
  FROM (SELECT o.s, ap.appeal_id FROM amt o JOIN bronze.appeals ap
          ON o.gift_date BETWEEN ap.launch_date AND ap.end_date + 21) a
), g1 AS (
  SELECT amt.donor_id, amt.gift_date,
    -- gifts made at an event (gala bids, luncheon tables) are larger
    CAST(amt.amount * CASE WHEN prand(amt.s, 27) < 0.85 AND ea.channel = 'event' THEN 4 ELSE 1 END AS DECIMAL(12, 2)) AS amount,
    CASE WHEN donor_type <> 'individual' THEN
           CASE WHEN prand(amt.s, 26) < 0.5 THEN 'check' WHEN prand(amt.s, 26) < 0.95 THEN 'ach' ELSE 'stock' END
         WHEN prand(amt.s, 26) < 0.45 THEN 'credit_card'
         WHEN prand(amt.s, 26) < 0.62 THEN 'check'
         WHEN prand(amt.s, 26) < 0.76 THEN 'paypal'
         WHEN prand(amt.s, 26) < 0.86 THEN 'ach'
         WHEN prand(amt.s, 26) < 0.92 THEN 'cash'
         WHEN amt.amount >= 500 THEN 'stock'
         ELSE 'credit_card' END AS payment_method,
    CASE WHEN prand(amt.s, 27) < 0.85 THEN app.appeal_id END AS appeal_id,
    CAST(NULL AS BIGINT) AS pledge_id,
    CASE WHEN prand(amt.s, 28) < CASE donor_type WHEN 'foundation' THEN 0.6 WHEN 'corporate' THEN 0.3 ELSE 0.1 END
         THEN 1 ELSE 0 END AS is_restricted,
    prand(amt.s, 29) < 0.05 AND donor_type = 'individual' AS is_anonymous,
    amt.s
  FROM amt LEFT JOIN app ON app.s = amt.s AND app.pick = 1
  LEFT JOIN bronze.appeals ea ON ea.appeal_id = app.appeal_id
), g2 AS (
  SELECT donor_id, gift_date, amount, payment_method, appeal_id, pledge_id, is_restricted, is_anonymous,
    CASE WHEN is_restricted = 1 THEN
           ['scholarships', 'food_security', 'food_security', 'youth_programs', 'capital_campaign'][1 + CAST(floor(prand(s, 30) * 5) AS INTEGER)]
         ELSE 'general_operating' END AS fund,
    CASE WHEN payment_method = 'check' AND gift_date >= DATE '2025-06-16' AND prand(s, 31) < 0.6 THEN 'pending'
         WHEN prand(s, 32) < 0.025 THEN 'refunded'
         ELSE 'posted' END AS gift_status,
    s
  FROM g1
  UNION ALL
  SELECT donor_id, due_date, monthly_amount, payment_method, NULL, pledge_id, 0, false, 'general_operating',
    CASE WHEN prand(pledge_id * 100 + m, 33) < 0.01 THEN 'refunded' ELSE 'posted' END,
    1000000 + pledge_id * 100 + m
  FROM bronze._installments
  WHERE NOT failed AND due_date >= DATE '2024-01-01' AND due_date <= DATE '2025-06-30'
)
SELECT row_number() OVER (ORDER BY gift_date, s) AS gift_id,
  donor_id, appeal_id, pledge_id, gift_date, amount, payment_method, fund, is_restricted, is_anonymous, gift_status
FROM g2
ORDER BY gift_id;

CREATE OR REPLACE TABLE bronze.grants AS
WITH orgs AS (
  SELECT donor_id, donor_type, row_number() OVER (ORDER BY donor_type DESC, donor_id) AS rn,
    count(*) FILTER (WHERE donor_type = 'foundation') OVER () AS n_f, count(*) OVER () AS n_all
  FROM bronze.donors WHERE donor_type IN ('foundation', 'corporate')
), g AS (
  SELECT t.i,
    CASE WHEN prand(t.i, 81) < 0.8 THEN 1 + CAST(floor(prand(t.i, 82) * 1000) AS INTEGER) % (SELECT max(n_f) FROM orgs)
         ELSE (SELECT max(n_f) FROM orgs) + 1 + CAST(floor(prand(t.i, 82) * 1000) AS INTEGER)
              % ((SELECT max(n_all) FROM orgs) - (SELECT max(n_f) FROM orgs)) END AS rn,
    DATE '2024-01-02' + CAST(floor(prand(t.i, 83) * 545) AS INTEGER) AS submitted_date,
    ['education', 'food_security', 'food_security', 'youth_development', 'health', 'capacity_building']
      [1 + CAST(floor(prand(t.i, 84) * 6) AS INTEGER)] AS program_area,
    round(pow(10, 4.0 + prand(t.i, 85) * 1.4), -3) AS requested
  FROM range(1, 181) t(i)
), s AS (
  SELECT g.*, o.donor_id,
    submitted_date + 30 + CAST(floor(prand(i, 86) * 120) AS INTEGER) AS decided,
    CASE WHEN prand(i, 87) < 0.6 THEN 'awarded' WHEN prand(i, 87) < 0.92 THEN 'declined' ELSE 'withdrawn' END AS outcome
  FROM g JOIN orgs o ON o.rn = g.rn
)
SELECT
  row_number() OVER (ORDER BY submitted_date, i) AS grant_id,
  donor_id,
  program_area,
  submitted_date,
  CASE WHEN decided <= DATE '2025-06-30' THEN decided END AS decision_date,
  CASE WHEN decided > DATE '2025-06-30' THEN 'pending' ELSE outcome END AS grant_status,
  CAST(requested AS DECIMAL(12, 2)) AS requested_amount,
  CASE WHEN decided <= DATE '2025-06-30' AND outcome = 'awarded'
       THEN CAST(round(requested * (0.5 + 0.5 * prand(i, 88)), -3) AS DECIMAL(12, 2)) END AS awarded_amount
FROM s
ORDER BY grant_id;

CREATE OR REPLACE TABLE bronze.volunteer_shifts AS
WITH v AS (
  SELECT t.i,
    1 + CAST(floor(pow(prand(t.i, 91), 1.3) * 320) AS INTEGER) AS volunteer_id,
    CASE WHEN prand(t.i, 92) < 0.40 THEN 'food_bank' WHEN prand(t.i, 92) < 0.60 THEN 'tutoring'
         WHEN prand(t.i, 92) < 0.72 THEN 'office_admin' WHEN prand(t.i, 92) < 0.87 THEN 'event_support'
         ELSE 'delivery' END AS activity,
    [3, 7, 13, 15, 18][1 + CAST(floor(prand(t.i, 93) * 5) AS INTEGER)] AS event_appeal
  FROM range(1, 3601) t(i)
)
SELECT
  v.i AS shift_id,
  v.volunteer_id,
  CASE WHEN v.volunteer_id % 5 IN (0, 1) THEN 1 + (v.volunteer_id * 37) % 2400 END AS donor_id,
  CASE WHEN v.activity = 'event_support' THEN v.event_appeal END AS appeal_id,
  CASE WHEN v.activity = 'event_support' THEN a.launch_date
       ELSE DATE '2024-01-01' + CAST(floor(prand(v.i, 94) * 547) AS INTEGER) END AS shift_date,
  v.activity,
  CASE WHEN prand(v.i, 95) < 0.05 THEN 'no_show' WHEN prand(v.i, 95) < 0.08 THEN 'cancelled' ELSE 'completed' END AS shift_status,
  CASE WHEN prand(v.i, 95) >= 0.08 THEN CAST(2 + floor(prand(v.i, 96) * 13) * 0.5 AS DECIMAL(4, 1)) END AS hours
FROM v JOIN bronze.appeals a ON a.appeal_id = v.event_appeal
ORDER BY v.i;

DROP TABLE bronze._installments;

ALTER TABLE bronze.appeals ADD PRIMARY KEY (appeal_id);
ALTER TABLE bronze.donors ADD PRIMARY KEY (donor_id);
ALTER TABLE bronze.recurring_pledges ADD PRIMARY KEY (pledge_id);
ALTER TABLE bronze.gifts ADD PRIMARY KEY (gift_id);
ALTER TABLE bronze.grants ADD PRIMARY KEY (grant_id);
ALTER TABLE bronze.volunteer_shifts ADD PRIMARY KEY (shift_id);

DROP MACRO IF EXISTS prand;

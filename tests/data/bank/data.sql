-- Held-out test catalog `bank`: Lakeshore Community Bank, a regional retail bank with 14 branches in
-- Michigan, Ohio and Indiana (deterministic, no scale). Data loaded through 2025-06-30.
--
-- Tables (schema bronze)                                                          rows
--   branches          14 branches (full_service / in_store / drive_up), 5 regions          14
--   customers         retail, premier and small-business customers onboarded
--                     2008-01-01 .. 2025-06-30 (customer_since)                         2 000
--   deposit_accounts  checking, savings, money market and CD accounts                  2 800
--   account_balances  month-end snapshots 2024-01-31 .. 2025-06-30, one per account
--                     and month-end it was open                                        41 348
--   card_transactions debit card authorizations 2024-01-01 .. 2025-06-30 on checking
--                     accounts (purchases, refunds, ATM withdrawals)                    38 335
--   loans             mortgages, HELOCs, auto and personal loans originated
--                     2024-01-01 .. 2025-06-30; status and days past due as of 2025-06-30  1 300
--   loan_payments     monthly installments due up to 2025-06-30                         8 977
--
-- Quirks: customers.home_branch_id is NULL for digital-only customers (as is their accounts'
-- branch_id); loans.branch_id is NULL for loans originated online or at a car dealer; ATM
-- withdrawals have no merchant; ~2 % of purchases have no merchant category (missing MCC);
-- loan_payments.paid_date / payment_method / days_late are NULL for missed installments;
-- loans.days_past_due and delinquency_bucket are NULL for charged-off loans; is_employee is a 0/1 integer.
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (same hash as the HR catalog).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.branches AS
SELECT * FROM (VALUES
  ('BR-01', 'Detroit Downtown',        'Detroit',      'MI', 'Metro Detroit', 'full_service', DATE '1996-05-06'),
  ('BR-02', 'Dearborn',                'Dearborn',     'MI', 'Metro Detroit', 'full_service', DATE '2001-09-17'),
  ('BR-03', 'Ann Arbor Main Street',   'Ann Arbor',    'MI', 'Metro Detroit', 'full_service', DATE '2004-03-01'),
  ('BR-04', 'Troy Somerset',           'Troy',         'MI', 'Metro Detroit', 'in_store',     DATE '2012-06-11'),
  ('BR-05', 'Grand Rapids Central',    'Grand Rapids', 'MI', 'West Michigan', 'full_service', DATE '1999-10-04'),
  ('BR-06', 'Kalamazoo',               'Kalamazoo',    'MI', 'West Michigan', 'drive_up',     DATE '2009-02-23'),
  ('BR-07', 'Toledo Westgate',         'Toledo',       'OH', 'Northern Ohio', 'full_service', DATE '2006-08-14'),
  ('BR-08', 'Cleveland Public Square', 'Cleveland',    'OH', 'Northern Ohio', 'full_service', DATE '2003-01-13'),
  ('BR-09', 'Akron',                   'Akron',        'OH', 'Northern Ohio', 'in_store',     DATE '2015-04-20'),
  ('BR-10', 'Columbus Short North',    'Columbus',     'OH', 'Central Ohio',  'full_service', DATE '2010-11-08'),
  ('BR-11', 'Dublin',                  'Dublin',       'OH', 'Central Ohio',  'drive_up',     DATE '2025-02-03'),
  ('BR-12', 'Fort Wayne',              'Fort Wayne',   'IN', 'Indiana',       'full_service', DATE '2011-05-02'),
  ('BR-13', 'Indianapolis Mass Ave',   'Indianapolis', 'IN', 'Indiana',       'full_service', DATE '2013-09-09'),
  ('BR-14', 'Carmel',                  'Carmel',       'IN', 'Indiana',       'in_store',     DATE '2024-09-16')
) v(branch_id, branch_name, city, state, region, branch_format, opened_date);

-- customers (customer_status is added once the accounts exist)
CREATE OR REPLACE TABLE bronze.customers AS
WITH c AS (
  SELECT i,
    DATE '2008-01-01' + CAST(floor(sqrt(prand(i, 101)) * 6391) AS INTEGER) AS since,
    prand(i, 104) < 0.07 AS digital_only,
    [1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 5, 6, 7, 7, 8, 8, 8, 9, 10, 10, 10, 11, 12, 12, 13, 13, 13, 14]
      [1 + CAST(floor(prand(i, 103) * 29) AS INTEGER)] AS b0
  FROM range(1, 2001) t(i)
), c2 AS (
  SELECT c.*,
    CASE WHEN digital_only THEN NULL
         WHEN b0 = 11 AND since < DATE '2025-02-03' THEN 10
         WHEN b0 = 14 AND since < DATE '2024-09-16' THEN 13
         ELSE b0 END AS bn
  FROM c
)
SELECT
  'CUS-' || lpad(CAST(i AS VARCHAR), 5, '0') AS customer_id,
  ['James', 'Mary', 'Robert', 'Linda', 'Michael', 'Patricia', 'David', 'Jennifer', 'William', 'Elizabeth',
   'Daniel', 'Susan', 'Anthony', 'Karen', 'Kevin', 'Nancy', 'Brian', 'Lisa', 'Jamal', 'Priya']
    [1 + CAST(floor(prand(i, 105) * 20) AS INTEGER)] || ' ' ||
  ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Kowalski',
   'Nguyen', 'Patel', 'Hernandez', 'Schmidt', 'Haddad']
    [1 + CAST(floor(prand(i, 106) * 15) AS INTEGER)] AS full_name,
  CASE WHEN bn IS NULL THEN NULL ELSE 'BR-' || lpad(CAST(bn AS VARCHAR), 2, '0') END AS home_branch_id,
  CASE WHEN bn IS NOT NULL AND prand(i, 107) < 0.86
       THEN CASE WHEN bn <= 6 THEN 'MI' WHEN bn <= 11 THEN 'OH' ELSE 'IN' END
       ELSE ['MI', 'MI', 'OH', 'OH', 'IN', 'IL', 'PA', 'FL', 'KY'][1 + CAST(floor(prand(i, 108) * 9) AS INTEGER)] END AS state,
  CASE WHEN prand(i, 109) < 0.76 THEN 'retail' WHEN prand(i, 109) < 0.92 THEN 'premier' ELSE 'small_business' END AS segment,
  CASE WHEN digital_only THEN CASE WHEN prand(i, 110) < 0.55 THEN 'online' ELSE 'mobile_app' END
       WHEN prand(i, 110) < 0.62 THEN 'branch' WHEN prand(i, 110) < 0.77 THEN 'online'
       WHEN prand(i, 110) < 0.87 THEN 'mobile_app' ELSE 'referral' END AS acquisition_channel,
  ['18-24', '25-34', '35-44', '45-54', '55-64', '65+']
    [1 + CAST(floor(pow(prand(i, 111), 1.15) * 6) AS INTEGER)] AS age_band,
  since AS customer_since,
  CASE WHEN prand(i, 112) < 0.03 THEN 1 ELSE 0 END AS is_employee,
  prand(i, 113) < 0.61 AS paperless
FROM c2
ORDER BY i;

CREATE OR REPLACE TABLE bronze.deposit_accounts AS
WITH base AS (
  SELECT i AS k, i AS cnum, TRUE AS first_account FROM range(1, 2001) t(i)
  UNION ALL
  SELECT 2000 + j, 1 + CAST(floor(prand(j, 201) * 2000) AS INTEGER), FALSE FROM range(1, 801) t(j)
), a AS (
  SELECT b.k, b.first_account, c.customer_id, c.segment, c.home_branch_id, c.customer_since,
    CASE WHEN b.first_account THEN c.customer_since
         ELSE c.customer_since + CAST(floor(prand(b.k, 202) * (DATE '2025-06-30' - c.customer_since + 1)) AS INTEGER) END AS opened_date,
    CASE WHEN b.first_account THEN CASE WHEN prand(b.k, 203) < 0.86 THEN 'checking' ELSE 'savings' END
         WHEN prand(b.k, 203) < 0.45 THEN 'savings' WHEN prand(b.k, 203) < 0.65 THEN 'money_market'
         WHEN prand(b.k, 203) < 0.93 THEN 'cd' ELSE 'checking' END AS product_type
  FROM base b JOIN bronze.customers c ON c.customer_id = 'CUS-' || lpad(CAST(b.cnum AS VARCHAR), 5, '0')
), a2 AS (
  SELECT a.*,
    CASE product_type
      WHEN 'checking' THEN CASE WHEN segment = 'small_business' THEN 'Business Checking'
                                WHEN segment = 'premier' AND prand(k, 204) < 0.8 THEN 'Premier Checking'
                                WHEN segment = 'retail' AND prand(k, 204) < 0.05 THEN 'Premier Checking'
                                WHEN segment = 'retail' AND prand(k, 204) < 0.14 THEN 'Student Checking'
                                ELSE 'Everyday Checking' END
      WHEN 'savings' THEN CASE WHEN prand(k, 204) < 0.4 THEN 'High Yield Savings' ELSE 'Basic Savings' END
      WHEN 'money_market' THEN 'Money Market Plus'
      ELSE CASE WHEN prand(k, 204) < 0.55 THEN '12-Month CD' ELSE '24-Month CD' END END AS product_name,
    CASE WHEN home_branch_id IS NULL THEN CASE WHEN prand(k, 205) < 0.55 THEN 'online' ELSE 'mobile' END
         WHEN prand(k, 205) < 0.78 THEN 'branch' WHEN prand(k, 205) < 0.90 THEN 'online' ELSE 'mobile' END AS opened_channel,
    CASE WHEN prand(k, 206) < 0.08 AND DATE '2025-06-30' - opened_date > 60
         THEN opened_date + 30 + CAST(floor(prand(k, 207) * (DATE '2025-06-30' - opened_date - 30)) AS INTEGER) END AS closed_date
  FROM a
)
SELECT
  'ACC-' || lpad(CAST(k AS VARCHAR), 6, '0') AS account_id,
  customer_id,
  CASE WHEN home_branch_id IS NULL THEN NULL
       WHEN opened_channel = 'branch' AND prand(k, 208) < 0.08
         THEN 'BR-' || lpad(CAST(1 + CAST(floor(prand(k, 209) * 10) AS INTEGER) AS VARCHAR), 2, '0')
       ELSE home_branch_id END AS branch_id,
  product_type,
  product_name,
  opened_channel,
  opened_date,
  closed_date,
  CASE WHEN closed_date IS NOT NULL THEN 'closed' WHEN prand(k, 210) < 0.06 THEN 'dormant'
       WHEN prand(k, 210) < 0.07 THEN 'frozen' ELSE 'open' END AS account_status,
  CAST(CASE product_name
         WHEN 'Premier Checking' THEN 0.10 WHEN 'Business Checking' THEN 0.05
         WHEN 'Everyday Checking' THEN 0.01 WHEN 'Student Checking' THEN 0.01
         WHEN 'High Yield Savings' THEN 3.90 WHEN 'Basic Savings' THEN 0.25
         WHEN 'Money Market Plus' THEN 2.75 + round(prand(k, 211) * 0.5, 2)
         WHEN '12-Month CD' THEN 4.60 ELSE 4.25 END AS DECIMAL(5, 2)) AS interest_rate,
  prand(k, 212) < 0.14 AS is_joint,
  product_type = 'checking' AND prand(k, 213) < 0.45 AS overdraft_protection
FROM a2
ORDER BY k;

-- customer status from their accounts: closed when every account is closed, dormant when no account
-- is open or frozen, otherwise active
CREATE OR REPLACE TABLE bronze.customers AS
SELECT c.customer_id, c.full_name, c.home_branch_id, c.state, c.segment, c.acquisition_channel, c.age_band,
  c.customer_since,
  CASE WHEN s.n_closed = s.n THEN 'closed' WHEN s.n_live = 0 THEN 'dormant' ELSE 'active' END AS customer_status,
  c.is_employee, c.paperless
FROM bronze.customers c
JOIN (SELECT customer_id, count(*) AS n, sum(CASE WHEN account_status = 'closed' THEN 1 ELSE 0 END) AS n_closed,
        sum(CASE WHEN account_status IN ('open', 'frozen') THEN 1 ELSE 0 END) AS n_live
      FROM bronze.deposit_accounts GROUP BY 1) s ON s.customer_id = c.customer_id
ORDER BY c.customer_id;

CREATE OR REPLACE TABLE bronze.account_balances AS
WITH m AS (
  SELECT n, last_day(CAST(DATE '2024-01-01' + to_months(CAST(n AS INTEGER)) AS DATE)) AS snapshot_date FROM range(0, 18) r(n)
), a AS (
  SELECT d.*, CAST(substr(d.account_id, 5) AS BIGINT) AS k, c.segment,
    CASE d.product_type WHEN 'checking' THEN 3200 WHEN 'savings' THEN 11000 WHEN 'money_market' THEN 42000 ELSE 28000 END
      * CASE c.segment WHEN 'premier' THEN 3.2 WHEN 'small_business' THEN 2.6 ELSE 1.0 END
      * (0.1 + 2.4 * pow(prand(CAST(substr(d.account_id, 5) AS BIGINT), 301), 2))
      * CASE WHEN d.account_status = 'dormant' THEN 0.05 ELSE 1.0 END AS level
  FROM bronze.deposit_accounts d JOIN bronze.customers c ON c.customer_id = d.customer_id
), s AS (
  SELECT a.account_id, a.k, a.product_type, a.interest_rate, m.n, m.snapshot_date,
    row_number() OVER (ORDER BY m.snapshot_date, a.account_id) AS sid,
    CASE
      WHEN a.product_type = 'checking' AND prand(a.k * 100 + m.n, 303) < 0.025
        THEN -(5 + floor(prand(a.k * 100 + m.n, 304) * 400))
      WHEN a.product_type = 'cd' THEN a.level * pow(1 + a.interest_rate / 1200, m.n)
      ELSE a.level * (1 + 0.004 * m.n) * (0.8 + 0.4 * prand(a.k * 100 + m.n, 302)) END AS bal
  FROM a JOIN m ON a.opened_date <= m.snapshot_date AND (a.closed_date IS NULL OR a.closed_date > m.snapshot_date)
)
SELECT
  sid AS balance_snapshot_id,
  account_id,
  snapshot_date,
  CAST(round(bal, 2) AS DECIMAL(14, 2)) AS ledger_balance,
  CAST(round(CASE WHEN bal < 0 THEN bal ELSE bal * (1 - 0.03 * prand(k * 100 + n, 305)) END, 2) AS DECIMAL(14, 2)) AS available_balance,
  CAST(round(greatest(bal, 0) * interest_rate / 1200, 2) AS DECIMAL(12, 2)) AS interest_credited
FROM s
ORDER BY sid;

CREATE OR REPLACE TABLE bronze.card_transactions AS
WITH merchants AS (
  SELECT * FROM (VALUES
    (1, 'Kroger', 'grocery', FALSE), (2, 'Meijer', 'grocery', FALSE), (3, 'Whole Foods Market', 'grocery', FALSE),
    (4, 'Aldi', 'grocery', FALSE), (5, 'Costco', 'grocery', FALSE), (6, 'Shell', 'fuel', FALSE),
    (7, 'Speedway', 'fuel', FALSE), (8, 'BP', 'fuel', FALSE), (9, 'Marathon', 'fuel', FALSE),
    (10, 'Starbucks', 'dining', FALSE), (11, 'McDonald''s', 'dining', FALSE), (12, 'Chipotle', 'dining', FALSE),
    (13, 'Panera Bread', 'dining', FALSE), (14, 'Olive Garden', 'dining', FALSE), (15, 'Tim Hortons', 'dining', FALSE),
    (16, 'Delta Air Lines', 'travel', TRUE), (17, 'Southwest Airlines', 'travel', TRUE), (18, 'Marriott', 'travel', FALSE),
    (19, 'Uber', 'travel', TRUE), (20, 'Amazon', 'retail', TRUE), (21, 'Target', 'retail', FALSE),
    (22, 'Walmart', 'retail', FALSE), (23, 'Home Depot', 'retail', FALSE), (24, 'Best Buy', 'retail', FALSE),
    (25, 'DTE Energy', 'utilities', TRUE), (26, 'Consumers Energy', 'utilities', TRUE), (27, 'AT&T', 'utilities', TRUE),
    (28, 'CVS Pharmacy', 'healthcare', FALSE), (29, 'Walgreens', 'healthcare', FALSE), (30, 'Netflix', 'entertainment', TRUE),
    (31, 'Spotify', 'entertainment', TRUE), (32, 'AMC Theatres', 'entertainment', FALSE), (33, 'Ticketmaster', 'entertainment', TRUE)
  ) v(mid, merchant_name, category, online_only)
), ca AS (
  SELECT d.account_id, d.customer_id, d.account_status,
    greatest(d.opened_date, DATE '2024-01-01') AS w0,
    least(coalesce(d.closed_date - 1, DATE '2025-06-30'), DATE '2025-06-30') AS w1,
    row_number() OVER (ORDER BY d.account_id) AS n
  FROM bronze.deposit_accounts d WHERE d.product_type = 'checking' AND d.account_status <> 'dormant'
), nca AS (SELECT count(*) AS cnt FROM ca),
t AS (
  SELECT i, ca.*,
    CASE WHEN prand(i, 403) < 0.875 THEN 'purchase' WHEN prand(i, 403) < 0.955 THEN 'atm_withdrawal' ELSE 'refund' END AS ttype,
    [1, 1, 1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 13, 14, 15, 16, 17, 18, 19, 19,
     20, 20, 20, 20, 21, 21, 22, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33][1 + CAST(floor(prand(i, 404) * 50) AS INTEGER)] AS mid
  FROM range(1, 40001) r(i) CROSS JOIN nca
  JOIN ca ON ca.n = 1 + CAST(floor(prand(i, 401) * nca.cnt) AS INTEGER)
  WHERE ca.w1 >= ca.w0
), t2 AS (
  SELECT t.*, m.merchant_name, m.category, m.online_only,
    row_number() OVER (ORDER BY t.w0 + CAST(floor(prand(t.i, 402) * (t.w1 - t.w0 + 1)) AS INTEGER), t.i) AS k,
    t.w0 + CAST(floor(prand(t.i, 402) * (t.w1 - t.w0 + 1)) AS INTEGER) AS tdate,
    prand(t.i, 405) AS u
  FROM t JOIN merchants m ON m.mid = t.mid
), t3 AS (
  SELECT t2.*,
    CASE WHEN ttype = 'atm_withdrawal' THEN 'atm' WHEN online_only THEN 'ecommerce'
         WHEN prand(i, 406) < 0.40 THEN 'chip' WHEN prand(i, 406) < 0.78 THEN 'contactless'
         WHEN prand(i, 406) < 0.88 THEN 'mobile_wallet' ELSE 'ecommerce' END AS entry_mode,
    CASE WHEN ttype = 'atm_withdrawal' THEN prand(i, 407) < 0.02
         WHEN category = 'travel' AND merchant_name <> 'Uber' THEN prand(i, 407) < 0.22
         ELSE prand(i, 407) < 0.015 END AS intl,
    CASE WHEN ttype = 'atm_withdrawal' THEN 20 * (1 + floor(u * 15))
         ELSE CASE category
           WHEN 'grocery' THEN 12 + pow(u, 1.5) * 220 WHEN 'fuel' THEN 20 + u * 70
           WHEN 'dining' THEN 5 + pow(u, 2) * 110
           WHEN 'travel' THEN CASE WHEN merchant_name = 'Uber' THEN 8 + u * 52 ELSE 40 + pow(u, 1.5) * 1400 END
           WHEN 'retail' THEN 8 + pow(u, 2) * 450 WHEN 'utilities' THEN 45 + u * 210
           WHEN 'healthcare' THEN 6 + pow(u, 2) * 250 ELSE 9 + u * 60 END
           * CASE WHEN ttype = 'refund' THEN 0.7 ELSE 1.0 END END AS amt
  FROM t2
), t4 AS (
  SELECT t3.*,
    CASE WHEN account_status = 'frozen' THEN 'declined'
         WHEN prand(i, 408) < 0.03 + CASE WHEN intl THEN 0.10 ELSE 0 END + CASE WHEN ttype = 'atm_withdrawal' THEN 0.03 ELSE 0 END THEN 'declined'
         WHEN prand(i, 408) > 0.99 THEN 'reversed' ELSE 'approved' END AS tstatus
  FROM t3
)
SELECT
  'TXN-' || lpad(CAST(k AS VARCHAR), 7, '0') AS transaction_id,
  account_id,
  customer_id,
  tdate AS transaction_date,
  ttype AS transaction_type,
  CASE WHEN ttype = 'atm_withdrawal' THEN NULL ELSE merchant_name END AS merchant_name,
  CASE WHEN ttype = 'atm_withdrawal' OR prand(i, 409) < 0.02 THEN NULL ELSE category END AS merchant_category,
  entry_mode,
  CAST(round(amt, 2) AS DECIMAL(12, 2)) AS amount,
  intl AS is_international,
  tstatus AS transaction_status,
  tstatus = 'approved' AND ttype <> 'refund' AND prand(i, 410) < CASE WHEN intl THEN 0.03 ELSE 0.003 END AS is_fraud,
  CAST(CASE WHEN tstatus = 'approved' AND ttype = 'purchase' THEN round(round(amt, 2) * 0.0115 + 0.12, 2) ELSE 0 END AS DECIMAL(10, 2)) AS interchange_fee
FROM t4
ORDER BY k;

-- loans: a helper with the payment behaviour, then the installments, then the loans with their status
CREATE OR REPLACE TABLE bronze._loan_base AS
WITH l AS (
  SELECT i, c.customer_id, c.home_branch_id, c.customer_since,
    greatest(DATE '2024-01-01' + CAST(floor(pow(prand(i, 502), 0.85) * 547) AS INTEGER), c.customer_since) AS odate,
    CASE WHEN prand(i, 503) < 0.14 THEN 'mortgage' WHEN prand(i, 503) < 0.28 THEN 'heloc'
         WHEN prand(i, 503) < 0.62 THEN 'auto' ELSE 'personal' END AS loan_type,
    prand(i, 504) AS u_ch, prand(i, 505) AS u_tier, prand(i, 506) AS u_amt
  FROM range(1, 1301) t(i)
  JOIN bronze.customers c ON c.customer_id = 'CUS-' || lpad(CAST(1 + CAST(floor(prand(i, 501) * 2000) AS INTEGER) AS VARCHAR), 5, '0')
), l2 AS (
  SELECT l.*,
    CASE WHEN loan_type = 'auto' THEN CASE WHEN u_ch < 0.45 THEN 'dealer' WHEN u_ch < 0.85 THEN 'branch' ELSE 'online' END
         WHEN loan_type IN ('mortgage', 'heloc') THEN CASE WHEN u_ch < 0.85 THEN 'branch' ELSE 'online' END
         ELSE CASE WHEN u_ch < 0.45 THEN 'branch' ELSE 'online' END END AS ch0,
    CASE WHEN loan_type IN ('mortgage', 'heloc')
         THEN CASE WHEN u_tier < 0.80 THEN 'prime' WHEN u_tier < 0.97 THEN 'near_prime' ELSE 'subprime' END
         ELSE CASE WHEN u_tier < 0.62 THEN 'prime' WHEN u_tier < 0.86 THEN 'near_prime' ELSE 'subprime' END END AS credit_tier,
    CASE loan_type
      WHEN 'mortgage' THEN 90000 + round(pow(u_amt, 1.3) * 380000, -3)
      WHEN 'heloc' THEN 15000 + round(u_amt * 110000, -3)
      WHEN 'auto' THEN 9000 + round(u_amt * 48000, -2)
      ELSE 1500 + round(pow(u_amt, 1.5) * 38500, -2) END AS principal,
    CASE loan_type
      WHEN 'mortgage' THEN [360, 360, 360, 180][1 + CAST(floor(prand(i, 507) * 4) AS INTEGER)]
      WHEN 'heloc' THEN 120
      WHEN 'auto' THEN [48, 60, 60, 72][1 + CAST(floor(prand(i, 507) * 4) AS INTEGER)]
      ELSE [24, 36, 36, 60][1 + CAST(floor(prand(i, 507) * 4) AS INTEGER)] END AS term
  FROM l
), l3 AS (
  SELECT l2.*,
    CASE WHEN ch0 = 'branch' AND home_branch_id IS NULL THEN 'online' ELSE ch0 END AS channel,
    round(CASE loan_type WHEN 'mortgage' THEN 6.35 WHEN 'heloc' THEN 8.10 WHEN 'auto' THEN 6.45 ELSE 10.90 END
      + CASE credit_tier WHEN 'prime' THEN 0 WHEN 'near_prime' THEN 2.4 ELSE 6.8 END
      + prand(i, 508) * 0.9, 2) AS rate,
    prand(i, 509) < 0.58 AS autopay,
    prand(i, 511) < CASE credit_tier WHEN 'prime' THEN 0.02 WHEN 'near_prime' THEN 0.12 ELSE 0.32 END
      * CASE loan_type WHEN 'personal' THEN 1.5 WHEN 'mortgage' THEN 0.5 ELSE 1.0 END AS defaults,
    1 + CAST(floor(prand(i, 512) * 10) AS INTEGER) AS default_k,
    CASE WHEN loan_type IN ('auto', 'personal') AND prand(i, 513) < 0.10 THEN 2 + CAST(floor(prand(i, 514) * 12) AS INTEGER) END AS payoff_k
  FROM l2
)
SELECT i,
  'LN-' || lpad(CAST(i AS VARCHAR), 5, '0') AS loan_id, customer_id,
  CASE WHEN channel = 'branch' THEN home_branch_id END AS branch_id,
  loan_type, channel, odate, credit_tier, principal, term, rate, autopay,
  CASE WHEN defaults THEN default_k END AS default_k, payoff_k,
  round(principal * (rate / 1200) / (1 - pow(1 + rate / 1200, -term)), 2) AS installment,
  CASE WHEN defaults AND CAST(odate + to_months(default_k) AS DATE) + 120 <= DATE '2025-06-30'
       THEN CAST(odate + to_months(default_k) AS DATE) + 120 END AS co_date
FROM l3;

CREATE OR REPLACE TABLE bronze.loan_payments AS
WITH p AS (
  SELECT b.*, k.k AS inst, CAST(b.odate + to_months(CAST(k.k AS INTEGER)) AS DATE) AS due_date,
    b.i * 100 + k.k AS pk
  FROM bronze._loan_base b JOIN range(1, 19) k(k) ON TRUE
), p2 AS (
  SELECT p.*,
    prand(pk, 520) AS u, prand(pk, 521) AS u2,
    (CASE WHEN autopay THEN 0.02 ELSE 0.07 END + CASE credit_tier WHEN 'subprime' THEN 0.10 WHEN 'near_prime' THEN 0.04 ELSE 0 END) AS p_late,
    (CASE WHEN autopay THEN 0.004 ELSE 0.01 END + CASE WHEN credit_tier = 'subprime' THEN 0.02 ELSE 0 END) AS p_miss
  FROM p
  WHERE due_date <= DATE '2025-06-30'
    AND (payoff_k IS NULL OR inst <= payoff_k)
    AND (co_date IS NULL OR due_date < co_date)
), p3 AS (
  SELECT p2.*,
    CASE WHEN default_k IS NOT NULL AND inst >= default_k THEN 'missed'
         WHEN u < p_miss THEN 'missed'
         WHEN u < p_miss + p_late THEN 'late'
         WHEN u < p_miss + p_late + 0.01 THEN 'partial'
         ELSE 'on_time' END AS s0,
    1 + CAST(floor(pow(u2, 2) * 44) AS INTEGER) AS late_days,
    CASE WHEN inst = payoff_k
         THEN round(principal * pow(1 + rate / 1200, inst - 1) - installment * (pow(1 + rate / 1200, inst - 1) - 1) / (rate / 1200), 2)
         ELSE 0 END AS payoff_extra
  FROM p2
), p4 AS (
  SELECT p3.*,
    CASE WHEN s0 = 'late' AND due_date + late_days > DATE '2025-06-30' THEN 'missed' ELSE s0 END AS status
  FROM p3
)
SELECT
  'PMT-' || lpad(CAST(row_number() OVER (ORDER BY due_date, loan_id) AS VARCHAR), 6, '0') AS payment_id,
  loan_id,
  inst AS installment_number,
  due_date,
  CASE status WHEN 'missed' THEN NULL WHEN 'late' THEN due_date + late_days
              WHEN 'on_time' THEN CASE WHEN autopay THEN due_date ELSE due_date - CAST(floor(u2 * 4) AS INTEGER) END
              ELSE due_date END AS paid_date,
  CAST(installment AS DECIMAL(12, 2)) AS amount_due,
  CAST(CASE status WHEN 'missed' THEN 0 WHEN 'partial' THEN round(installment * 0.5, 2)
                   ELSE installment + payoff_extra END AS DECIMAL(12, 2)) AS amount_paid,
  CASE status WHEN 'missed' THEN NULL WHEN 'late' THEN late_days ELSE 0 END AS days_late,
  status AS payment_status,
  CASE WHEN status = 'missed' THEN NULL WHEN autopay THEN 'autopay'
       ELSE ['online', 'online', 'branch', 'check', 'phone'][1 + CAST(floor(prand(pk, 522) * 5) AS INTEGER)] END AS payment_method
FROM p4
ORDER BY due_date, loan_id;

CREATE OR REPLACE TABLE bronze.loans AS
WITH ps AS (
  SELECT loan_id,
    count(*) FILTER (WHERE payment_status <> 'missed') AS n_paid,
    max(due_date) FILTER (WHERE payment_status <> 'missed') AS last_paid_due,
    max(installment_number) AS last_inst
  FROM bronze.loan_payments GROUP BY 1
), fu AS (
  SELECT p.loan_id, min(p.due_date) AS first_unpaid
  FROM bronze.loan_payments p LEFT JOIN ps ON ps.loan_id = p.loan_id
  WHERE p.payment_status = 'missed' AND (ps.last_paid_due IS NULL OR p.due_date > ps.last_paid_due)
  GROUP BY 1
), l AS (
  SELECT b.*, coalesce(ps.n_paid, 0) AS n_paid,
    CASE WHEN b.payoff_k IS NOT NULL AND ps.last_inst = b.payoff_k THEN TRUE ELSE FALSE END AS paid_off,
    CASE WHEN fu.first_unpaid IS NULL THEN 0 ELSE DATE '2025-06-30' - fu.first_unpaid END AS dpd0
  FROM bronze._loan_base b LEFT JOIN ps ON ps.loan_id = b.loan_id LEFT JOIN fu ON fu.loan_id = b.loan_id
), l2 AS (
  SELECT l.*,
    principal * pow(1 + rate / 1200, n_paid) - installment * (pow(1 + rate / 1200, n_paid) - 1) / (rate / 1200) AS remaining
  FROM l
)
SELECT
  loan_id,
  customer_id,
  branch_id,
  loan_type,
  channel AS origination_channel,
  credit_tier,
  odate AS originated_date,
  CAST(principal AS DECIMAL(12, 2)) AS principal_amount,
  CAST(rate AS DECIMAL(5, 2)) AS interest_rate,
  term AS term_months,
  autopay AS autopay_enrolled,
  CASE WHEN co_date IS NOT NULL THEN 'charged_off' WHEN paid_off THEN 'paid_off'
       WHEN dpd0 >= 30 THEN 'delinquent' ELSE 'current' END AS loan_status,
  CASE WHEN co_date IS NOT NULL THEN NULL WHEN paid_off THEN 0 ELSE dpd0 END AS days_past_due,
  CASE WHEN co_date IS NOT NULL OR paid_off THEN NULL
       WHEN dpd0 = 0 THEN 'current' WHEN dpd0 < 30 THEN '1-29' WHEN dpd0 < 60 THEN '30-59'
       WHEN dpd0 < 90 THEN '60-89' ELSE '90+' END AS delinquency_bucket,
  CAST(CASE WHEN co_date IS NOT NULL OR paid_off THEN 0 ELSE round(remaining, 2) END AS DECIMAL(12, 2)) AS outstanding_principal,
  co_date AS charged_off_date,
  CAST(CASE WHEN co_date IS NOT NULL THEN round(remaining, 2) END AS DECIMAL(12, 2)) AS charged_off_amount
FROM l2
ORDER BY loan_id;

DROP TABLE bronze._loan_base;

ALTER TABLE bronze.branches ADD PRIMARY KEY (branch_id);
ALTER TABLE bronze.customers ADD PRIMARY KEY (customer_id);
ALTER TABLE bronze.deposit_accounts ADD PRIMARY KEY (account_id);
ALTER TABLE bronze.account_balances ADD PRIMARY KEY (balance_snapshot_id);
ALTER TABLE bronze.card_transactions ADD PRIMARY KEY (transaction_id);
ALTER TABLE bronze.loans ADD PRIMARY KEY (loan_id);
ALTER TABLE bronze.loan_payments ADD PRIMARY KEY (payment_id);

DROP MACRO IF EXISTS prand;

-- B2B SaaS test catalog: customer accounts, price plans, subscriptions, invoices,
-- product usage events and support cases (deterministic, no scale).
--
-- Tables (schema bronze)                                                     rows
--   accounts        customer accounts created 2024-01-01 .. 2025-06-30         400
--   plans           price plans (4 core tiers, 2 add-ons)                        6
--   subscriptions   one core subscription per account on its creation day,
--                   plus add-ons / extra workspaces started later               660
--   invoices        subscription invoices (monthly or yearly, in advance) and
--                   one-off services invoices (subscription_id NULL)          3 270
--   usage_events    daily product usage records per account and feature       24 000
--   support_cases   support cases 2024-01-01 .. 2025-06-30                    2 500
--
-- Quirks: support_cases.account_id NULL for ~3 % (pre-sales / unidentified
-- requesters); invoices.subscription_id NULL for services invoices;
-- usage_events.is_billable is a 0/1 integer; accounts.is_internal flags the
-- vendor's own test accounts; csat_score NULL when the customer did not rate.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.plans AS
SELECT * FROM (VALUES
  ('PLN-01', 'Starter',               'starter',    'core',    15.00),
  ('PLN-02', 'Team',                  'growth',     'core',    29.00),
  ('PLN-03', 'Business',              'business',   'core',    49.00),
  ('PLN-04', 'Enterprise',            'enterprise', 'core',    89.00),
  ('PLN-05', 'Advanced Analytics',    'add_on',     'add_on',  12.00),
  ('PLN-06', 'Data Connectors',       'add_on',     'add_on',   8.00)
) v(plan_id, plan_name, plan_tier, product_line, list_price_per_seat);

CREATE OR REPLACE TABLE bronze.accounts AS
WITH a AS (
  SELECT i,
    CASE WHEN prand(i, 11) < 0.55 THEN 'smb' WHEN prand(i, 11) < 0.85 THEN 'mid_market' ELSE 'enterprise' END AS segment
  FROM range(1, 401) t(i)
)
SELECT
  'ACC-' || lpad(CAST(i AS VARCHAR), 4, '0') AS account_id,
  ['Northwind', 'Bluepeak', 'Cobalt', 'Helix', 'Ironleaf', 'Juniper', 'Keystone', 'Lumen', 'Meridian', 'Nimbus',
   'Orchard', 'Pinecrest', 'Quarry', 'Redwood', 'Silverline', 'Tidewater', 'Umbra', 'Vantage', 'Willow', 'Zenith']
    [1 + CAST((i - 1) % 20 AS INTEGER)] || ' ' ||
  ['Labs', 'Systems', 'Health', 'Foods', 'Logistics', 'Capital', 'Media', 'Works', 'Analytics', 'Partners',
   'Retail', 'Energy', 'Studios', 'Bank', 'Clinics', 'Academy', 'Motors', 'Software', 'Group', 'Supply']
    [1 + CAST((i - 1) // 20 AS INTEGER)] AS account_name,
  segment,
  ['fintech', 'healthcare', 'retail', 'manufacturing', 'education', 'media', 'fintech', 'retail']
    [1 + CAST(floor(prand(i, 12) * 8) AS INTEGER)] AS industry,
  CASE WHEN prand(i, 13) < 0.40 THEN 'NA' WHEN prand(i, 13) < 0.75 THEN 'EMEA'
       WHEN prand(i, 13) < 0.90 THEN 'APAC' ELSE 'LATAM' END AS region,
  CASE WHEN segment = 'smb' AND prand(i, 14) < 0.6 THEN 'self_serve'
       WHEN prand(i, 14) < 0.45 THEN 'inbound' WHEN prand(i, 14) < 0.8 THEN 'outbound' ELSE 'partner' END AS acquisition_channel,
  DATE '2024-01-01' + CAST(floor(pow(prand(i, 15), 1.25) * 547) AS INTEGER) AS created_date,
  prand(i, 16) < 0.02 AS is_internal
FROM a
ORDER BY i;

CREATE OR REPLACE TABLE bronze.subscriptions AS
WITH core AS (
  -- every account starts a core subscription on the day it is created
  SELECT CAST(substr(a.account_id, 5) AS BIGINT) AS n, a.account_id, a.segment, a.created_date AS start_date,
    CASE a.segment
      WHEN 'smb' THEN CASE WHEN prand(CAST(substr(a.account_id, 5) AS BIGINT), 21) < 0.65 THEN 'PLN-01' ELSE 'PLN-02' END
      WHEN 'mid_market' THEN CASE WHEN prand(CAST(substr(a.account_id, 5) AS BIGINT), 21) < 0.55 THEN 'PLN-02' ELSE 'PLN-03' END
      ELSE CASE WHEN prand(CAST(substr(a.account_id, 5) AS BIGINT), 21) < 0.35 THEN 'PLN-03' ELSE 'PLN-04' END END AS plan_id
  FROM bronze.accounts a
), extra AS (
  -- add-ons and second workspaces, started after the account was created
  SELECT 1000 + t.i AS n, a.account_id, a.segment,
    a.created_date + CAST(floor(prand(t.i, 23) * (DATE '2025-06-30' - a.created_date + 1)) AS INTEGER) AS start_date,
    CASE WHEN prand(t.i, 24) < 0.40 THEN 'PLN-05' WHEN prand(t.i, 24) < 0.75 THEN 'PLN-06'
         WHEN a.segment = 'smb' THEN 'PLN-02' WHEN a.segment = 'mid_market' THEN 'PLN-03' ELSE 'PLN-04' END AS plan_id
  FROM range(1, 261) t(i)
  JOIN bronze.accounts a ON a.account_id = 'ACC-' || lpad(CAST(1 + CAST(floor(prand(t.i, 22) * 400) AS INTEGER) AS VARCHAR), 4, '0')
), s AS (
  SELECT * FROM core UNION ALL SELECT * FROM extra
), s2 AS (
  SELECT s.*, p.list_price_per_seat,
    row_number() OVER (ORDER BY s.start_date, s.n) AS k,
    CASE WHEN s.segment = 'enterprise' THEN prand(s.n, 25) < 0.85
         WHEN s.segment = 'mid_market' THEN prand(s.n, 25) < 0.55 ELSE prand(s.n, 25) < 0.20 END AS annual,
    CASE s.segment WHEN 'smb' THEN 3 + CAST(floor(prand(s.n, 26) * 23) AS INTEGER)
                   WHEN 'mid_market' THEN 20 + CAST(floor(prand(s.n, 26) * 131) AS INTEGER)
                   ELSE 100 + CAST(floor(pow(prand(s.n, 26), 1.5) * 900) AS INTEGER) END AS seats,
    -- churn: about a quarter of subscriptions end 30 .. 480 days after they start
    CASE WHEN prand(s.n, 27) < 0.26 AND s.start_date + 30 + CAST(floor(prand(s.n, 28) * 450) AS INTEGER) <= DATE '2025-06-30'
         THEN s.start_date + 30 + CAST(floor(prand(s.n, 28) * 450) AS INTEGER) END AS cancelled_date
  FROM s JOIN bronze.plans p ON p.plan_id = s.plan_id
)
SELECT
  'SUB-' || lpad(CAST(k AS VARCHAR), 5, '0') AS subscription_id,
  account_id,
  plan_id,
  CASE WHEN annual THEN 'annual' ELSE 'monthly' END AS billing_interval,
  seats,
  CAST(CASE WHEN annual THEN 0.15 WHEN prand(n, 29) < 0.3 THEN 0.10 ELSE 0 END AS DECIMAL(4, 2)) AS discount_pct,
  CAST(round(seats * list_price_per_seat * (1 - CASE WHEN annual THEN 0.15 WHEN prand(n, 29) < 0.3 THEN 0.10 ELSE 0 END), 2)
       AS DECIMAL(12, 2)) AS mrr_usd,
  start_date,
  cancelled_date,
  CASE WHEN cancelled_date IS NOT NULL THEN 'cancelled'
       WHEN start_date >= DATE '2025-06-10' THEN 'trialing'
       WHEN prand(n, 30) < 0.05 THEN 'past_due'
       ELSE 'active' END AS status,
  CASE WHEN cancelled_date IS NULL THEN NULL
       WHEN prand(n, 31) < 0.30 THEN 'price' WHEN prand(n, 31) < 0.52 THEN 'missing_features'
       WHEN prand(n, 31) < 0.72 THEN 'switched_competitor' WHEN prand(n, 31) < 0.88 THEN 'business_closed'
       ELSE 'poor_support' END AS cancel_reason,
  prand(n, 32) < 0.8 AS auto_renew
FROM s2
ORDER BY k;

CREATE OR REPLACE TABLE bronze.invoices AS
WITH periods AS (
  -- one invoice per billing period, issued on the period's first day, while the subscription runs
  SELECT s.subscription_id, s.account_id, s.billing_interval, s.mrr_usd, s.status,
    CAST(s.start_date + CASE WHEN s.billing_interval = 'annual' THEN to_months(CAST(12 * m AS INTEGER))
                             ELSE to_months(CAST(m AS INTEGER)) END AS DATE) AS invoice_date,
    'subscription' AS invoice_type
  FROM bronze.subscriptions s CROSS JOIN range(0, 18) r(m)
  WHERE s.status <> 'trialing'
    AND (s.billing_interval = 'monthly' OR m < 2)
), valid AS (
  SELECT p.*,
    CASE WHEN p.billing_interval = 'annual' THEN p.mrr_usd * 12 ELSE p.mrr_usd END AS amount
  FROM periods p JOIN bronze.subscriptions s ON s.subscription_id = p.subscription_id
  WHERE p.invoice_date <= DATE '2025-06-30'
    AND (s.cancelled_date IS NULL OR p.invoice_date < s.cancelled_date)
), services AS (
  -- onboarding and training packages, billed once, without a subscription
  SELECT NULL AS subscription_id, a.account_id, NULL AS billing_interval, NULL AS mrr_usd, NULL AS status,
    a.created_date + 7 + CAST(floor(prand(t.i, 52) * 60) AS INTEGER) AS invoice_date,
    'services' AS invoice_type,
    CAST(round(1500 + prand(t.i, 53) * 18000, -2) AS DECIMAL(12, 2)) AS amount
  FROM range(1, 161) t(i)
  JOIN bronze.accounts a ON a.account_id = 'ACC-' || lpad(CAST(1 + CAST(floor(prand(t.i, 51) * 400) AS INTEGER) AS VARCHAR), 4, '0')
  WHERE a.segment <> 'smb'
), allinv AS (
  SELECT subscription_id, account_id, invoice_date, invoice_type, amount FROM valid
  UNION ALL
  SELECT subscription_id, account_id, invoice_date, invoice_type, amount FROM services WHERE invoice_date <= DATE '2025-06-30'
), k AS (
  SELECT *, row_number() OVER (ORDER BY invoice_date, account_id, subscription_id NULLS LAST) AS k FROM allinv
), st AS (
  SELECT *,
    CASE WHEN prand(k, 54) < 0.015 THEN 'void'
         WHEN invoice_date + 30 > DATE '2025-06-30' THEN CASE WHEN prand(k, 55) < 0.55 THEN 'paid' ELSE 'open' END
         WHEN prand(k, 55) < 0.94 THEN 'paid'
         ELSE 'overdue' END AS status
  FROM k
)
SELECT
  'INV-' || lpad(CAST(k AS VARCHAR), 6, '0') AS invoice_id,
  account_id,
  subscription_id,
  invoice_type,
  invoice_date,
  invoice_date + 30 AS due_date,
  CAST(amount AS DECIMAL(12, 2)) AS amount_usd,
  CAST(round(amount * CASE WHEN prand(k, 56) < 0.3 THEN 0 ELSE 0.2 END, 2) AS DECIMAL(12, 2)) AS tax_usd,
  status,
  CASE WHEN status = 'paid' THEN least(invoice_date + CAST(floor(pow(prand(k, 57), 2) * 40) AS INTEGER), DATE '2025-06-30') END AS paid_date,
  CASE WHEN invoice_type = 'services' OR amount > 20000 THEN 'wire'
       WHEN prand(k, 58) < 0.7 THEN 'card' ELSE 'ach' END AS payment_method
FROM st
ORDER BY k;

CREATE OR REPLACE TABLE bronze.usage_events AS
WITH e AS (
  SELECT t.i, a.account_id, a.segment,
    a.created_date + CAST(floor(prand(t.i, 62) * (DATE '2025-06-30' - a.created_date + 1)) AS INTEGER) AS usage_date,
    CASE WHEN prand(t.i, 63) < 0.40 THEN 'api_calls' WHEN prand(t.i, 63) < 0.65 THEN 'dashboard_views'
         WHEN prand(t.i, 63) < 0.85 THEN 'report_exports' ELSE 'workflow_runs' END AS feature
  FROM range(1, 24001) t(i)
  JOIN bronze.accounts a ON a.account_id = 'ACC-' || lpad(CAST(1 + CAST(floor(pow(prand(t.i, 61), 1.2) * 400) AS INTEGER) AS VARCHAR), 4, '0')
)
SELECT
  i AS usage_event_id,
  account_id,
  usage_date,
  feature,
  CASE WHEN prand(i, 64) < 0.9 THEN 'production' ELSE 'sandbox' END AS environment,
  CAST(CASE feature WHEN 'api_calls' THEN 100 + floor(prand(i, 65) * 4900)
                    WHEN 'dashboard_views' THEN 5 + floor(prand(i, 65) * 200)
                    WHEN 'report_exports' THEN 1 + floor(prand(i, 65) * 40)
                    ELSE 1 + floor(prand(i, 65) * 120) END
       * CASE segment WHEN 'enterprise' THEN 4 WHEN 'mid_market' THEN 2 ELSE 1 END AS BIGINT) AS units,
  CASE WHEN feature IN ('api_calls', 'workflow_runs') AND prand(i, 66) < 0.35 THEN 1 ELSE 0 END AS is_billable
FROM e
ORDER BY i;

CREATE OR REPLACE TABLE bronze.support_cases AS
WITH c AS (
  SELECT t.i,
    DATE '2024-01-01' + CAST(floor(pow(prand(t.i, 71), 0.8) * 547) AS INTEGER) AS opened_date,
    CASE WHEN prand(t.i, 73) < 0.30 THEN 'low' WHEN prand(t.i, 73) < 0.75 THEN 'normal'
         WHEN prand(t.i, 73) < 0.93 THEN 'high' ELSE 'urgent' END AS priority,
    CASE WHEN prand(t.i, 74) < 0.22 THEN 'billing' WHEN prand(t.i, 74) < 0.52 THEN 'bug'
         WHEN prand(t.i, 74) < 0.80 THEN 'how_to' WHEN prand(t.i, 74) < 0.94 THEN 'feature_request' ELSE 'outage' END AS category
  FROM range(1, 2501) t(i)
), c2 AS (
  SELECT c.*,
    -- the requester's account: one created before the case, or none (pre-sales, unidentified)
    CASE WHEN prand(i, 75) < 0.03 THEN NULL
         ELSE (SELECT a.account_id FROM bronze.accounts a WHERE a.created_date <= c.opened_date
               ORDER BY prand(CAST(substr(a.account_id, 5) AS BIGINT) * 7 + c.i, 76) LIMIT 1) END AS account_id,
    CASE WHEN opened_date > DATE '2025-06-20' AND prand(i, 77) < 0.6 THEN 'open'
         WHEN opened_date > DATE '2025-06-10' AND prand(i, 77) < 0.8 THEN 'pending'
         ELSE 'resolved' END AS status
  FROM c
)
SELECT
  'CS-' || lpad(CAST(i AS VARCHAR), 5, '0') AS case_id,
  account_id,
  opened_date,
  CASE WHEN status = 'resolved' THEN least(opened_date + CAST(floor(pow(prand(i, 78), 2) * 12) AS INTEGER), DATE '2025-06-30') END AS closed_date,
  priority,
  category,
  CASE WHEN prand(i, 79) < 0.45 THEN 'email' WHEN prand(i, 79) < 0.75 THEN 'chat'
       WHEN prand(i, 79) < 0.90 THEN 'portal' ELSE 'phone' END AS channel,
  status,
  CAST(round(CASE priority WHEN 'urgent' THEN 0.2 + prand(i, 80) * 2 WHEN 'high' THEN 0.5 + prand(i, 80) * 6
                           ELSE 1 + prand(i, 80) * 30 END, 1) AS DECIMAL(6, 1)) AS first_response_hours,
  CASE WHEN status = 'resolved' THEN CAST(round(2 + pow(prand(i, 81), 2) * 200, 1) AS DECIMAL(7, 1)) END AS resolution_hours,
  CASE WHEN status = 'resolved' AND prand(i, 82) < 0.42
       THEN CASE WHEN prand(i, 83) < 0.08 THEN 1 WHEN prand(i, 83) < 0.18 THEN 2 WHEN prand(i, 83) < 0.35 THEN 3
                 WHEN prand(i, 83) < 0.65 THEN 4 ELSE 5 END END AS csat_score,
  (priority IN ('high', 'urgent') AND prand(i, 84) < 0.35) OR prand(i, 84) < 0.04 AS escalated
FROM c2
ORDER BY i;

ALTER TABLE bronze.plans ADD PRIMARY KEY (plan_id);
ALTER TABLE bronze.accounts ADD PRIMARY KEY (account_id);
ALTER TABLE bronze.subscriptions ADD PRIMARY KEY (subscription_id);
ALTER TABLE bronze.invoices ADD PRIMARY KEY (invoice_id);
ALTER TABLE bronze.usage_events ADD PRIMARY KEY (usage_event_id);
ALTER TABLE bronze.support_cases ADD PRIMARY KEY (case_id);

DROP MACRO IF EXISTS prand;

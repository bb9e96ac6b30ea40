-- subbox: what `dbt build` of tests/data/subbox/project leaves in the warehouse.
-- "Crate & Kettle" is a direct-to-consumer snack subscription box (launched January 2024):
-- customers subscribe to a plan (Mini, Classic, Deluxe, Family, Plant-Based Box), are billed
-- monthly, quarterly or annually, get one box a month from one of three warehouses; the data
-- also has refunds, a daily inventory snapshot per warehouse and SKU, and support contacts.
--
-- Marts (schema analytics; the project's generate_schema_name uses the custom schema as is):
--   dim_customers, dim_plans, dim_products, dim_warehouses,
--   fct_subscriptions, fct_shipments, fct_box_items, fct_payments, fct_refunds,
--   fct_inventory_daily, fct_support_contacts, metricflow_time_spine
--   table                    rows    grain
--   dim_customers           1 400    customer (CUS-00001 .. CUS-01400)
--   dim_plans                   5    plan
--   dim_products               30    SKU (SKU-1001 .. SKU-1030)
--   dim_warehouses              3    warehouse (Edison, Dallas, Reno)
--   fct_subscriptions       1 528    subscription
--   fct_shipments           7 269    box shipped
--   fct_box_items          29 842    product line of a box
--   fct_payments            5 923    charge attempt
--   fct_refunds               226    refund
--   fct_inventory_daily    47 042    day x warehouse x SKU (Reno stocks no perishables)
--   fct_support_contacts    2 750    support contact
--   metricflow_time_spine   1 461    day, 2023-01-01 .. 2026-12-31
-- Staging models are views in schema staging and are not rebuilt here (nothing reads them).
--
-- Events fall in 2024-01-01 .. 2025-06-30 (the last load); the time spine covers 2023..2026.
-- Quirks kept on purpose (they are in the raw data too):
--   dim_customers.acquisition_channel NULL for ~1 % (a fifth of the Q1 2024 signups: a UTM tracking bug)
--   fct_shipments.warehouse_id NULL for ~2 % (boxes sent by the overflow 3PL, not recorded)
--   fct_support_contacts.customer_id NULL for ~2 % (contacts from visitors never identified),
--   shipment_id NULL for contacts not about a box, csat_score NULL when no survey answer.
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (same hash as the HR test data).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS _gen;

-- ------------------------------------------------------------------ dimensions
CREATE OR REPLACE TABLE analytics.dim_plans AS
SELECT * FROM (VALUES
  ('PLN-MINI',    'Mini Box',        'small',  3, CAST(19.99 AS DECIMAL(8, 2)), DATE '2024-01-01'),
  ('PLN-CLASSIC', 'Classic Box',     'medium', 4, CAST(29.99 AS DECIMAL(8, 2)), DATE '2024-01-01'),
  ('PLN-DELUXE',  'Deluxe Box',      'large',  5, CAST(49.99 AS DECIMAL(8, 2)), DATE '2024-01-01'),
  ('PLN-FAMILY',  'Family Box',      'large',  5, CAST(59.99 AS DECIMAL(8, 2)), DATE '2024-01-01'),
  ('PLN-PLANT',   'Plant-Based Box', 'medium', 4, CAST(34.99 AS DECIMAL(8, 2)), DATE '2024-03-01')
) v(plan_id, plan_name, box_size, product_lines_per_box, monthly_list_price, launched_date);

CREATE OR REPLACE TABLE analytics.dim_warehouses AS
SELECT * FROM (VALUES
  ('WH-EDI', 'Edison', 'Edison', 'NJ', 'in_house', DATE '2024-01-01'),
  ('WH-DAL', 'Dallas', 'Dallas', 'TX', 'in_house', DATE '2024-01-01'),
  ('WH-RNO', 'Reno',   'Reno',   'NV', '3pl',      DATE '2024-01-01')
) v(warehouse_id, warehouse_name, warehouse_city, warehouse_state, operator_type, opened_date);

CREATE OR REPLACE TABLE analytics.dim_products AS
SELECT product_id, product_name, category, supplier_name, CAST(unit_cogs AS DECIMAL(8, 2)) AS unit_cogs, is_perishable, is_vegan
FROM (VALUES
  ('SKU-1001', 'Sea Salt Kettle Chips',        'savory',   'Golden Acre Foods',   1.35, false, true),
  ('SKU-1002', 'Smoked Almonds',               'savory',   'Nutcracker Supply',   2.10, false, true),
  ('SKU-1003', 'Cheddar Pretzel Bites',        'savory',   'Golden Acre Foods',   1.55, false, false),
  ('SKU-1004', 'Wasabi Pea Crunch',            'savory',   'Pacific Pantry Co',   1.20, false, true),
  ('SKU-1005', 'Beef Jerky Original',          'savory',   'High Plains Provisions', 3.40, false, false),
  ('SKU-1006', 'Rosemary Olive Crackers',      'savory',   'Pacific Pantry Co',   1.80, false, true),
  ('SKU-1007', 'Dark Chocolate Sea Salt Bar',  'sweet',    'Cocoa Collective',    1.95, false, true),
  ('SKU-1008', 'Salted Caramel Popcorn',       'sweet',    'Golden Acre Foods',   1.40, false, false),
  ('SKU-1009', 'Maple Pecan Cookies',          'sweet',    'Hearthstone Bakery',  2.25, true,  false),
  ('SKU-1010', 'Sour Gummy Peaches',           'sweet',    'Sugar Lane Candy',    0.95, false, false),
  ('SKU-1011', 'Honey Lavender Shortbread',    'sweet',    'Hearthstone Bakery',  2.40, true,  false),
  ('SKU-1012', 'Peanut Butter Cups',           'sweet',    'Cocoa Collective',    1.65, false, false),
  ('SKU-1013', 'Cold Brew Coffee Bags',        'drinks',   'Ridgeline Roasters',  3.10, false, true),
  ('SKU-1014', 'Matcha Latte Mix',             'drinks',   'Pacific Pantry Co',   3.75, false, true),
  ('SKU-1015', 'Sparkling Yuzu Soda',          'drinks',   'Bright Fizz Beverage', 1.10, false, true),
  ('SKU-1016', 'Chai Spice Tea',               'drinks',   'Ridgeline Roasters',  1.60, false, true),
  ('SKU-1017', 'Hot Cocoa Bombs',              'drinks',   'Cocoa Collective',    2.80, false, false),
  ('SKU-1018', 'Hibiscus Iced Tea',            'drinks',   'Bright Fizz Beverage', 1.25, false, true),
  ('SKU-1019', 'Chili Crisp Oil',              'pantry',   'Pacific Pantry Co',   3.90, false, true),
  ('SKU-1020', 'Truffle Salt',                 'pantry',   'High Plains Provisions', 4.60, false, true),
  ('SKU-1021', 'Wildflower Honey Jar',         'pantry',   'Hearthstone Bakery',  4.10, false, false),
  ('SKU-1022', 'Everything Bagel Seasoning',   'pantry',   'Golden Acre Foods',   1.70, false, true),
  ('SKU-1023', 'Small-Batch Hot Sauce',        'pantry',   'High Plains Provisions', 2.95, false, true),
  ('SKU-1024', 'Fig and Olive Jam',            'pantry',   'Hearthstone Bakery',  3.30, true,  true),
  ('SKU-1025', 'Protein Oat Bar',              'wellness', 'Nutcracker Supply',   1.85, false, false),
  ('SKU-1026', 'Collagen Gummies',             'wellness', 'Sugar Lane Candy',    4.25, false, false),
  ('SKU-1027', 'Mushroom Coffee Sachets',      'wellness', 'Ridgeline Roasters',  3.55, false, true),
  ('SKU-1028', 'Electrolyte Drink Mix',        'wellness', 'Bright Fizz Beverage', 2.05, false, true),
  ('SKU-1029', 'Trail Mix Superfood Blend',    'wellness', 'Nutcracker Supply',   2.60, false, true),
  ('SKU-1030', 'Ginger Turmeric Shots',        'wellness', 'Bright Fizz Beverage', 3.20, true,  true)
) v(product_id, product_name, category, supplier_name, unit_cogs, is_perishable, is_vegan);

CREATE OR REPLACE TABLE analytics.dim_customers AS
WITH c AS (
  SELECT i,
    DATE '2024-01-01' + CAST(floor(sqrt(prand(i, 101)) * 547) AS INTEGER) AS signup_date,
    CASE WHEN prand(i, 102) < 0.10 THEN 'Canada'
         ELSE ['Northeast', 'Northeast', 'Southeast', 'Midwest', 'Southwest', 'West', 'West'][1 + CAST(floor(prand(i, 103) * 7) AS INTEGER)] END AS region
  FROM range(1, 1401) t(i)
)
SELECT
  'CUS-' || lpad(CAST(i AS VARCHAR), 5, '0') AS customer_id,
  ['Priya', 'Marcus', 'Elena', 'Jamal', 'Sofia', 'Liam', 'Hannah', 'Diego', 'Grace', 'Noah', 'Aaliyah', 'Ethan',
   'Chloe', 'Mateo', 'Zoe', 'Owen', 'Maya', 'Lucas', 'Ava', 'Chris', 'Nadia', 'Samuel', 'Isabel', 'Victor',
   'Leah', 'Andre', 'Mei', 'Tomas', 'Fatima', 'Ryan', 'Olivia', 'Kenji', 'Rosa', 'Daniel', 'Amara', 'Felix',
   'Julia', 'Hugo', 'Ines', 'Caleb', 'Nora', 'Arjun', 'Sara', 'Jonah', 'Leila', 'Marco', 'Hazel', 'Theo']
    [1 + CAST((i * 37 + (i // 48) * 11) % 48 AS INTEGER)] || ' ' ||
  ['Raman', 'Bennett', 'Okafor', 'Nguyen', 'Fischer', 'Morgan', 'Alvarez', 'Kowalski', 'Tanaka', 'Murphy',
   'Haddad', 'Larsen', 'Silva', 'Cohen', 'Patel', 'Dubois', 'Reyes', 'Sullivan', 'Park', 'Brooks', 'Ferreira', 'Yilmaz',
   'Novak', 'Grant', 'Ibrahim', 'Costa', 'Meyer', 'Walsh', 'Chen', 'Lopez', 'Rossi', 'Hughes', 'Kim', 'Mensah',
   'Santos', 'Becker', 'Ortiz', 'Foster', 'Ali', 'Moreau', 'Lindqvist', 'Campbell', 'Herrera', 'Singh', 'Doyle']
    [1 + CAST(floor(prand(i, 105) * 45) AS INTEGER)] AS customer_name,
  signup_date,
  CASE WHEN signup_date < DATE '2024-04-01' AND prand(i, 106) < 0.20 THEN NULL
       WHEN prand(i, 107) < 0.30 THEN 'paid_social' WHEN prand(i, 107) < 0.50 THEN 'organic_search'
       WHEN prand(i, 107) < 0.65 THEN 'referral' WHEN prand(i, 107) < 0.77 THEN 'influencer'
       WHEN prand(i, 107) < 0.87 THEN 'affiliate' ELSE 'podcast' END AS acquisition_channel,
  region,
  CASE WHEN region = 'Canada' THEN 'CA' ELSE 'US' END AS country,
  CASE region
    WHEN 'Northeast' THEN ['New York', 'Boston', 'Philadelphia', 'Newark']
    WHEN 'Southeast' THEN ['Atlanta', 'Miami', 'Charlotte', 'Nashville']
    WHEN 'Midwest'   THEN ['Chicago', 'Columbus', 'Minneapolis', 'Detroit']
    WHEN 'Southwest' THEN ['Dallas', 'Houston', 'Phoenix', 'Austin']
    WHEN 'West'      THEN ['Los Angeles', 'Seattle', 'Denver', 'Portland']
    ELSE ['Toronto', 'Vancouver', 'Montreal', 'Calgary'] END[1 + CAST(floor(prand(i, 108) * 4) AS INTEGER)] AS city,
  prand(i, 109) < 0.62 AS marketing_opt_in
FROM c
ORDER BY i;

-- ------------------------------------------------------------------ subscriptions (generation helpers in _gen)
-- every customer starts one subscription at signup; ~320 more are second subscriptions
-- (a resubscribe or a gift bought for someone else) started later by a random customer
CREATE OR REPLACE TABLE _gen.subs AS
WITH s AS (
  SELECT i,
    CASE WHEN i <= 1400 THEN i ELSE 1 + CAST(floor(prand(i, 201) * 1400) AS INTEGER) END AS cust,
    prand(i, 202) AS u_plan, prand(i, 203) AS u_int, prand(i, 204) < CASE WHEN i <= 1400 THEN 0.04 ELSE 0.35 END AS is_gift,
    prand(i, 205) AS u_life, prand(i, 206) AS u_promo
  FROM range(1, 1721) t(i)
), s2 AS (
  SELECT s.*, c.customer_id, c.region,
    CASE WHEN i <= 1400 THEN c.signup_date ELSE c.signup_date + 30 + CAST(floor(prand(i, 207) * 420) AS INTEGER) END AS started_date
  FROM s JOIN analytics.dim_customers c ON c.customer_id = 'CUS-' || lpad(CAST(s.cust AS VARCHAR), 5, '0')
), s3 AS (
  SELECT *,
    CASE WHEN u_plan < 0.20 THEN 'PLN-MINI' WHEN u_plan < 0.58 THEN 'PLN-CLASSIC' WHEN u_plan < 0.75 THEN 'PLN-DELUXE'
         WHEN u_plan < 0.87 THEN 'PLN-FAMILY'
         WHEN started_date >= DATE '2024-03-01' THEN 'PLN-PLANT' ELSE 'PLN-CLASSIC' END AS plan_id,
    CASE WHEN is_gift THEN CASE WHEN u_int < 0.5 THEN 'quarterly' ELSE 'annual' END
         WHEN u_int < 0.76 THEN 'monthly' WHEN u_int < 0.91 THEN 'quarterly' ELSE 'annual' END AS billing_interval
  FROM s2 WHERE started_date <= DATE '2025-06-30'
)
SELECT row_number() OVER (ORDER BY started_date, i) AS n, s3.*,
  CASE billing_interval WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 ELSE 12 END AS interval_months,
  -- planned lifetime in boxes: monthly subscribers churn ~9 % a month, prepaid ones renew by term
  CASE WHEN is_gift THEN CASE billing_interval WHEN 'quarterly' THEN 3 ELSE 12 END
       WHEN billing_interval = 'monthly' THEN 1 + CAST(floor(ln(1 - u_life) / ln(1 - CASE plan_id WHEN 'PLN-MINI' THEN 0.12 WHEN 'PLN-FAMILY' THEN 0.07 ELSE 0.09 END)) AS INTEGER)
       WHEN billing_interval = 'quarterly' THEN 3 * (1 + CAST(floor(ln(1 - u_life) / ln(1 - 0.25)) AS INTEGER))
       ELSE 12 * (1 + CAST(floor(ln(1 - u_life) / ln(1 - 0.45)) AS INTEGER)) END AS life_boxes,
  CASE WHEN is_gift THEN NULL WHEN u_promo < 0.30 THEN 'WELCOME50' WHEN u_promo < 0.42 THEN 'FRIEND20'
       WHEN u_promo < 0.50 THEN 'CRATE30' END AS promo_code
FROM s3;

-- one billing cycle per box: box k (0-based) is due on started_date + k months
CREATE OR REPLACE TABLE _gen.cycles AS
SELECT s.n, s.customer_id, s.plan_id, s.region, s.billing_interval, s.interval_months, s.promo_code, s.is_gift, k,
  CAST(s.started_date + to_months(CAST(k AS INTEGER)) AS DATE) AS due_date
FROM _gen.subs s, range(0, 19) r(k)
WHERE k < s.life_boxes AND CAST(s.started_date + to_months(CAST(k AS INTEGER)) AS DATE) <= DATE '2025-06-30';

-- ------------------------------------------------------------------ payments
-- a charge at each billing date (every box, every 3rd or every 12th); a declined first attempt
-- is retried 3 days later
CREATE OR REPLACE TABLE _gen.charges AS
SELECT c.*, p.monthly_list_price,
  row_number() OVER (ORDER BY c.due_date, c.n) AS m,
  CAST(round(p.monthly_list_price * c.interval_months * CASE c.interval_months WHEN 1 THEN 1.0 WHEN 3 THEN 0.95 ELSE 0.88 END
    - CASE WHEN c.k = 0 THEN p.monthly_list_price * CASE c.promo_code WHEN 'WELCOME50' THEN 0.5 WHEN 'FRIEND20' THEN 0.2 WHEN 'CRATE30' THEN 0.3 ELSE 0 END ELSE 0 END
    , 2) AS DECIMAL(10, 2)) AS amount
FROM _gen.cycles c JOIN analytics.dim_plans p ON p.plan_id = c.plan_id
WHERE c.k % c.interval_months = 0;

CREATE OR REPLACE TABLE analytics.fct_payments AS
WITH a AS (
  SELECT ch.*, 1 AS attempt_number, due_date AS payment_date, prand(m, 301) < 0.06 AS declined FROM _gen.charges ch
  UNION ALL
  SELECT ch.*, 2 AS attempt_number, due_date + 3 AS payment_date, prand(m, 302) < 0.22 AS declined FROM _gen.charges ch
  WHERE prand(m, 301) < 0.06 AND due_date + 3 <= DATE '2025-06-30'
)
SELECT
  'PAY-' || lpad(CAST(row_number() OVER (ORDER BY payment_date, n, attempt_number) AS VARCHAR), 6, '0') AS payment_id,
  'SUB-' || lpad(CAST(n AS VARCHAR), 5, '0') AS subscription_id,
  customer_id,
  plan_id,
  payment_date,
  CASE WHEN k = 0 THEN 'new' ELSE 'renewal' END AS payment_type,
  attempt_number,
  CASE WHEN prand(n, 303) < 0.68 THEN 'card' WHEN prand(n, 303) < 0.88 THEN 'paypal' ELSE 'apple_pay' END AS payment_method,
  CASE WHEN declined THEN 'failed' ELSE 'succeeded' END AS payment_status,
  amount AS amount_usd
FROM a
ORDER BY payment_date, n, attempt_number;

CREATE OR REPLACE TABLE analytics.fct_subscriptions AS
WITH last_charge AS (
  SELECT subscription_id, arg_max(payment_status, payment_date + attempt_number * 0) AS last_status,
         max(payment_date) AS last_payment_date
  FROM analytics.fct_payments GROUP BY 1
), e AS (
  SELECT s.*, 'SUB-' || lpad(CAST(s.n AS VARCHAR), 5, '0') AS subscription_id,
    CAST(s.started_date + to_months(CAST(s.life_boxes AS INTEGER)) AS DATE) AS next_due_after_life
  FROM _gen.subs s
)
SELECT
  e.subscription_id,
  e.customer_id,
  e.plan_id,
  e.started_date,
  CASE WHEN e.next_due_after_life <= DATE '2025-06-30' THEN
         CASE WHEN e.is_gift THEN 'expired' WHEN prand(e.n, 401) < 0.84 THEN 'cancelled' ELSE 'paused' END
       WHEN lc.last_status = 'failed' THEN 'past_due'
       ELSE 'active' END AS subscription_status,
  CASE WHEN e.next_due_after_life <= DATE '2025-06-30' AND NOT e.is_gift AND prand(e.n, 401) < 0.84
       THEN e.next_due_after_life - (1 + CAST(floor(prand(e.n, 402) * 20) AS INTEGER)) END AS cancelled_date,
  CASE WHEN e.next_due_after_life <= DATE '2025-06-30' AND NOT e.is_gift AND prand(e.n, 401) < 0.84 THEN
         CASE WHEN prand(e.n, 403) < 0.34 THEN 'too_expensive' WHEN prand(e.n, 403) < 0.55 THEN 'not_enough_variety'
              WHEN prand(e.n, 403) < 0.68 THEN 'product_quality' WHEN prand(e.n, 403) < 0.80 THEN 'delivery_issues'
              WHEN prand(e.n, 403) < 0.90 THEN 'moving' ELSE 'other' END END AS cancel_reason,
  e.billing_interval,
  e.is_gift,
  e.promo_code,
  CAST(round(p.monthly_list_price * CASE e.interval_months WHEN 1 THEN 1.0 WHEN 3 THEN 0.95 ELSE 0.88 END, 2) AS DECIMAL(10, 2)) AS monthly_price_usd
FROM e
JOIN analytics.dim_plans p ON p.plan_id = e.plan_id
LEFT JOIN last_charge lc ON lc.subscription_id = e.subscription_id
ORDER BY e.n;

-- ------------------------------------------------------------------ shipments (one box per billing cycle month)
CREATE OR REPLACE TABLE analytics.fct_shipments AS
WITH b AS (
  SELECT c.*, c.due_date + 1 + CAST(floor(prand(c.n * 31 + c.k, 501) * 3) AS INTEGER) AS shipped_date
  FROM _gen.cycles c
), b2 AS (
  SELECT b.*, row_number() OVER (ORDER BY shipped_date, n) AS j
  FROM b WHERE shipped_date <= DATE '2025-06-30'
), b3 AS (
  SELECT b2.*,
    CASE WHEN region = 'Canada' THEN CASE WHEN prand(j, 502) < 0.7 THEN 'Canada Post' ELSE 'UPS' END
         WHEN prand(j, 502) < 0.45 THEN 'UPS' WHEN prand(j, 502) < 0.80 THEN 'USPS' ELSE 'FedEx' END AS carrier,
    CASE WHEN prand(j, 503) < 0.02 THEN NULL
         WHEN region IN ('Northeast', 'Southeast', 'Canada') THEN 'WH-EDI'
         WHEN region IN ('Midwest', 'Southwest') THEN 'WH-DAL' ELSE 'WH-RNO' END AS warehouse_id,
    prand(j, 504) AS u_status
  FROM b2
), b4 AS (
  SELECT b3.*,
    shipped_date + CASE carrier WHEN 'FedEx' THEN 2 WHEN 'UPS' THEN 3 WHEN 'USPS' THEN 3 ELSE 5 END
      + CAST(floor(pow(prand(j, 505), 2) * 5) AS INTEGER) AS arrival_date
  FROM b3
)
SELECT
  'SHP-' || lpad(CAST(j AS VARCHAR), 6, '0') AS shipment_id,
  'SUB-' || lpad(CAST(n AS VARCHAR), 5, '0') AS subscription_id,
  customer_id,
  b4.plan_id,
  warehouse_id,
  CAST(k + 1 AS INTEGER) AS box_number,
  shipped_date,
  CASE WHEN u_status < 0.008 OR u_status > 0.99 OR arrival_date > DATE '2025-06-30' THEN NULL ELSE arrival_date END AS delivered_date,
  CASE WHEN u_status < 0.008 OR u_status > 0.99 OR arrival_date > DATE '2025-06-30' THEN NULL ELSE arrival_date - shipped_date END AS days_in_transit,
  carrier,
  CASE WHEN u_status < 0.008 THEN 'lost' WHEN u_status > 0.99 THEN 'returned'
       WHEN arrival_date > DATE '2025-06-30' THEN 'in_transit' ELSE 'delivered' END AS shipment_status,
  CAST(round((CASE p.box_size WHEN 'small' THEN 6.40 WHEN 'medium' THEN 8.90 ELSE 12.35 END) * (0.9 + prand(j, 506) * 0.2)
       + CASE WHEN region = 'Canada' THEN 4.25 ELSE 0 END, 2) AS DECIMAL(8, 2)) AS shipping_cost_usd
FROM b4 JOIN analytics.dim_plans p ON p.plan_id = b4.plan_id
ORDER BY j;

-- ------------------------------------------------------------------ box items (product lines packed in each box)
CREATE OR REPLACE TABLE analytics.fct_box_items AS
WITH l AS (
  SELECT s.shipment_id, s.shipped_date, s.plan_id, s.warehouse_id, CAST(substr(s.shipment_id, 5) AS BIGINT) AS j, line
  FROM analytics.fct_shipments s JOIN analytics.dim_plans p ON p.plan_id = s.plan_id, range(0, 5) r(line)
  WHERE line < p.product_lines_per_box
), l2 AS (
  SELECT l.*, row_number() OVER (ORDER BY j, line) AS q,
    -- 7 is prime to 30: the lines of one box are distinct SKUs
    'SKU-' || CAST(1001 + (CAST(floor(prand(j, 601) * 30) AS INTEGER) + line * 7) % 30 AS VARCHAR) AS product_id
  FROM l
)
SELECT
  CAST(q AS INTEGER) AS box_item_id,
  l2.shipment_id,
  l2.product_id,
  l2.plan_id,
  l2.warehouse_id,
  l2.shipped_date,
  CAST(CASE WHEN l2.plan_id = 'PLN-FAMILY' THEN 2 + CAST(floor(prand(q, 602) * 2) AS INTEGER)
            ELSE 1 + CAST(prand(q, 602) < 0.3 AS INTEGER) END AS INTEGER) AS quantity,
  prand(q, 603) < 0.045 AS is_substitution,
  pr.unit_cogs,
  CAST(pr.unit_cogs * CASE WHEN l2.plan_id = 'PLN-FAMILY' THEN 2 + CAST(floor(prand(q, 602) * 2) AS INTEGER)
            ELSE 1 + CAST(prand(q, 602) < 0.3 AS INTEGER) END AS DECIMAL(10, 2)) AS cogs_usd
FROM l2 JOIN analytics.dim_products pr ON pr.product_id = l2.product_id
ORDER BY q;

-- ------------------------------------------------------------------ refunds (of succeeded payments)
CREATE OR REPLACE TABLE analytics.fct_refunds AS
WITH r AS (
  SELECT p.*, CAST(substr(p.payment_id, 5) AS BIGINT) AS pn
  FROM analytics.fct_payments p WHERE p.payment_status = 'succeeded'
), r2 AS (
  SELECT r.*, payment_date + 2 + CAST(floor(prand(pn, 702) * 25) AS INTEGER) AS refund_date
  FROM r WHERE prand(pn, 701) < 0.045
)
SELECT
  'REF-' || lpad(CAST(row_number() OVER (ORDER BY refund_date, payment_id) AS VARCHAR), 5, '0') AS refund_id,
  payment_id, subscription_id, customer_id, plan_id, refund_date,
  CASE WHEN prand(pn, 703) < 0.30 THEN 'damaged_box' WHEN prand(pn, 703) < 0.52 THEN 'missing_items'
       WHEN prand(pn, 703) < 0.70 THEN 'quality_complaint' WHEN prand(pn, 703) < 0.90 THEN 'accidental_renewal'
       ELSE 'billing_error' END AS refund_reason,
  CAST(CASE WHEN prand(pn, 704) < 0.35 THEN amount_usd ELSE round(amount_usd * (0.2 + prand(pn, 705) * 0.4), 2) END AS DECIMAL(10, 2)) AS refund_amount_usd
FROM r2 WHERE refund_date <= DATE '2025-06-30'
ORDER BY refund_date, payment_id;

-- ------------------------------------------------------------------ daily inventory snapshot (end of day, per warehouse and SKU)
-- Reno (3PL) does not stock perishables; replenishment runs in cycles, so stock saw-tooths and sometimes hits 0
CREATE OR REPLACE TABLE analytics.fct_inventory_daily AS
WITH wp AS (
  SELECT w.warehouse_id, p.product_id, p.unit_cogs,
    row_number() OVER (ORDER BY w.warehouse_id, p.product_id) AS wpi,
    CASE w.warehouse_id WHEN 'WH-EDI' THEN 1.4 WHEN 'WH-DAL' THEN 1.0 ELSE 0.7 END AS scale
  FROM analytics.dim_warehouses w CROSS JOIN analytics.dim_products p
  WHERE NOT (w.warehouse_id = 'WH-RNO' AND p.is_perishable)
), wp2 AS (
  SELECT wp.*, (150 + floor(prand(wpi, 801) * 900)) * scale AS base,
    14 + CAST(floor(prand(wpi, 802) * 21) AS INTEGER) AS cycle_days,
    CAST(floor(prand(wpi, 803) * 34) AS INTEGER) AS phase
  FROM wp
), d AS (
  SELECT CAST(DATE '2024-01-01' + CAST(n AS INTEGER) AS DATE) AS snapshot_date, n FROM range(0, 547) r(n)
), x AS (
  SELECT wp2.*, d.snapshot_date, d.n,
    CAST(greatest(0, round(base * (1 - ((d.n + phase) % cycle_days) / cycle_days) * (0.92 + 0.16 * prand(wpi * 1000 + d.n, 804)) - base * 0.06)) AS INTEGER) AS units_on_hand
  FROM wp2 CROSS JOIN d
)
SELECT
  warehouse_id || '|' || product_id || '|' || strftime(snapshot_date, '%Y%m%d') AS inventory_snapshot_key,
  snapshot_date,
  warehouse_id,
  product_id,
  units_on_hand,
  CAST(round(units_on_hand * (0.1 + prand(wpi * 1000 + n, 805) * 0.2)) AS INTEGER) AS units_reserved,
  unit_cogs,
  CAST(units_on_hand * unit_cogs AS DECIMAL(12, 2)) AS inventory_value_usd
FROM x
ORDER BY snapshot_date, warehouse_id, product_id;

-- ------------------------------------------------------------------ support contacts
CREATE OR REPLACE TABLE analytics.fct_support_contacts AS
WITH ship AS (
  SELECT s.*, row_number() OVER (ORDER BY shipment_id) AS sn FROM analytics.fct_shipments s
), c AS (
  SELECT i, prand(i, 901) < 0.58 AS about_box,
    1 + CAST(floor(prand(i, 902) * (SELECT count(*) FROM analytics.fct_shipments)) AS INTEGER) AS pick_ship,
    'CUS-' || lpad(CAST(1 + CAST(floor(prand(i, 903) * 1400) AS INTEGER) AS VARCHAR), 5, '0') AS pick_cust
  FROM range(1, 2801) t(i)
), c2 AS (
  SELECT c.i, c.about_box,
    CASE WHEN c.about_box THEN s.shipment_id END AS shipment_id,
    CASE WHEN c.about_box THEN s.customer_id
         WHEN prand(c.i, 904) < 0.07 THEN NULL ELSE cu.customer_id END AS customer_id,
    CASE WHEN c.about_box THEN s.shipped_date + 2 + CAST(floor(prand(c.i, 905) * 12) AS INTEGER)
         ELSE cu.signup_date + CAST(floor(prand(c.i, 905) * (DATE '2025-06-30' - cu.signup_date + 1)) AS INTEGER) END AS contacted_date,
    CASE WHEN c.about_box THEN
           CASE WHEN prand(c.i, 906) < 0.28 THEN 'damaged_item' WHEN prand(c.i, 906) < 0.47 THEN 'missing_item'
                WHEN prand(c.i, 906) < 0.78 THEN 'delivery_delay' ELSE 'product_question' END
         ELSE CASE WHEN prand(c.i, 906) < 0.35 THEN 'billing' WHEN prand(c.i, 906) < 0.60 THEN 'skip_or_pause'
                   WHEN prand(c.i, 906) < 0.80 THEN 'cancellation_request' ELSE 'account_update' END END AS contact_reason
  FROM c
  LEFT JOIN ship s ON s.sn = c.pick_ship
  LEFT JOIN analytics.dim_customers cu ON cu.customer_id = c.pick_cust
), c3 AS (
  SELECT c2.*, row_number() OVER (ORDER BY contacted_date, i) AS r,
    CASE WHEN prand(i, 907) < 0.38 THEN 'email' WHEN prand(i, 907) < 0.72 THEN 'chat'
         WHEN prand(i, 907) < 0.88 THEN 'phone' ELSE 'social' END AS contact_channel
  FROM c2 WHERE contacted_date <= DATE '2025-06-30'
)
SELECT
  'CS-' || lpad(CAST(r AS VARCHAR), 6, '0') AS contact_id,
  customer_id,
  shipment_id,
  contacted_date,
  contact_channel,
  contact_reason,
  CAST(round(CASE contact_channel WHEN 'chat' THEN 1 + prand(r, 911) * 9 WHEN 'phone' THEN prand(r, 911) * 6
             WHEN 'email' THEN 45 + pow(prand(r, 911), 1.5) * 1400 ELSE 20 + prand(r, 911) * 600 END, 1) AS DECIMAL(8, 1)) AS first_response_minutes,
  prand(r, 912) < CASE contact_channel WHEN 'email' THEN 0.58 WHEN 'social' THEN 0.5 ELSE 0.78 END AS is_resolved_first_contact,
  CASE WHEN prand(r, 913) < 0.56 THEN NULL
       ELSE CAST(least(5, greatest(1, 1 + floor(prand(r, 914) * 5)
            + CASE WHEN contact_reason IN ('damaged_item', 'delivery_delay', 'missing_item') THEN -1 ELSE 1 END)) AS INTEGER) END AS csat_score
FROM c3
ORDER BY r;

-- ------------------------------------------------------------------ time spine (models/utilities/metricflow_time_spine.sql)
CREATE OR REPLACE TABLE analytics.metricflow_time_spine AS
SELECT CAST(d AS DATE) AS date_day
FROM generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2026-12-31', INTERVAL 1 DAY) g(d);

ALTER TABLE analytics.dim_customers ADD PRIMARY KEY (customer_id);
ALTER TABLE analytics.dim_plans ADD PRIMARY KEY (plan_id);
ALTER TABLE analytics.dim_products ADD PRIMARY KEY (product_id);
ALTER TABLE analytics.dim_warehouses ADD PRIMARY KEY (warehouse_id);
ALTER TABLE analytics.fct_subscriptions ADD PRIMARY KEY (subscription_id);
ALTER TABLE analytics.fct_shipments ADD PRIMARY KEY (shipment_id);
ALTER TABLE analytics.fct_box_items ADD PRIMARY KEY (box_item_id);
ALTER TABLE analytics.fct_payments ADD PRIMARY KEY (payment_id);
ALTER TABLE analytics.fct_refunds ADD PRIMARY KEY (refund_id);
ALTER TABLE analytics.fct_inventory_daily ADD PRIMARY KEY (inventory_snapshot_key);
ALTER TABLE analytics.fct_support_contacts ADD PRIMARY KEY (contact_id);
ALTER TABLE analytics.metricflow_time_spine ADD PRIMARY KEY (date_day);

DROP SCHEMA _gen CASCADE;
DROP MACRO IF EXISTS prand;

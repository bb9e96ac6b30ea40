-- =============================================================================
-- dpgen demo world: deterministic generator of the bronze tables (DuckDB 1.4).
--
-- Run after `SET VARIABLE scale = <DOUBLE>;` (defaults to 1.0 when unset).
-- Scale 1.0 gives about one million marketing_events rows; every other table
-- scales linearly (with small floors so that scale 0.01 still makes sense).
-- Every value comes from prand(i, salt), a hash of a row number and a salt,
-- never from random(): the same scale always gives the same data, on any
-- machine and any DuckDB version.
--
-- Tables (schema bronze)                            rows at scale 1.0   at 0.01
--   marketing_campaigns  one row per campaign                      560          6
--   marketing_events     campaign x day x device x country     994 599     13 384
--                        2025-01-01 .. 2025-06-30
--   customers            registered customers                   20 000        200
--   products             product catalogue                         500         20
--   orders               orders 2024-01-01 .. 2025-06-30        60 000        600
--   order_items          order lines (1..4 per order)          120 481      1 133
--   user_interactions    views, clicks, add_to_cart,           300 000      3 000
--                        purchases 2025-01-01 .. 2025-06-30
--   support_tickets      tickets 2024-07-01 .. 2025-06-30       15 000        150
-- Declared primary keys: every table except marketing_events (its event_id
-- is meant to be unique but is not, see D2). No foreign keys are declared.
--
-- KNOWN DEFECTS (planted on purpose, for the quality stage to find; the rates
-- are the probabilities used, measured counts are in docs/demo.md):
--   D1  marketing_events.device IS NULL                       1.0 % of rows
--   D2  marketing_events: exact duplicate rows, so event_id
--       (the intended primary key) is duplicated             0.05 % of rows
--   D3  marketing_events.campaign_id not in
--       marketing_campaigns (orphan foreign key)              0.5 % of rows
--   D4  marketing_events.spend < 0 (negative cost)            0.3 % of rows
--   D5  marketing_events.clicks > impressions (funnel
--       violation; conversions stay <= clicks)               0.02 % of rows
--   D6  customers.email IS NULL                               2.0 % of rows
--   D7  customers.country IS NULL (region still filled)       1.0 % of rows
--   D8  orders.customer_id not in customers (orphan)          0.5 % of rows
--   D9  order_items.unit_price < 0 (refund lines booked as
--       negative sales)                                       0.3 % of rows
--   D10 user_interactions.dwell_seconds < 0                   0.2 % of rows
--   D11 support_tickets: closed tickets with NULL
--       resolution_hours (close time not recorded)            1.0 % of closed
-- Nullable by design (not defects): user_interactions.rating (about half of
-- the purchases and 3 % of other interactions are rated),
-- support_tickets.satisfaction_score (closed tickets only, about 60 % of them
-- answer the survey) and support_tickets.resolution_hours of open and pending
-- tickets.
-- =============================================================================

-- prand(i, salt) is a version-independent pseudo-random number in [0, 1): the
-- bench's hash (square modulo a prime, then a multiplier), kept in BIGINT
-- arithmetic modulo the prime 2^31 - 1 (the HUGEINT variant is 70 times
-- slower). Valid for 0 <= i < 8e9. Dropped at the end of the file.
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

SET VARIABLE demo_scale = coalesce(TRY_CAST(getvariable('scale') AS DOUBLE), 1.0);
SET VARIABLE demo_campaigns = greatest(4, round(560 * getvariable('demo_scale')))::INTEGER;
SET VARIABLE demo_customers = greatest(100, round(20000 * getvariable('demo_scale')))::INTEGER;
SET VARIABLE demo_products = greatest(20, round(500 * getvariable('demo_scale')))::INTEGER;
SET VARIABLE demo_orders = greatest(200, round(60000 * getvariable('demo_scale')))::INTEGER;
SET VARIABLE demo_interactions = greatest(1000, round(300000 * getvariable('demo_scale')))::INTEGER;
SET VARIABLE demo_tickets = greatest(100, round(15000 * getvariable('demo_scale')))::INTEGER;

-- -----------------------------------------------------------------------------
-- Marketing
-- -----------------------------------------------------------------------------
CREATE OR REPLACE TABLE bronze.marketing_campaigns AS
WITH c AS (
  SELECT i,
    ['search', 'social', 'display', 'email', 'video'][1 + CAST(floor(prand(i, 101) * 5) AS INTEGER)] AS channel,
    ['Brand', 'Spring Sale', 'Summer Sale', 'Launch', 'Retargeting', 'Loyalty', 'Clearance', 'Prospecting']
      [1 + CAST(floor(prand(i, 102) * 8) AS INTEGER)] AS theme,
    ['NA', 'NA', 'EMEA', 'EMEA', 'APAC', 'LATAM'][1 + CAST(floor(prand(i, 103) * 6) AS INTEGER)] AS region,
    DATE '2024-11-01' + CAST(floor(prand(i, 104) * 150) AS INTEGER) AS start_date,
    45 + CAST(floor(prand(i, 105) * 200) AS INTEGER) AS duration_days
  FROM range(1, getvariable('demo_campaigns') + 1) t(i)
)
SELECT
  printf('CMP-%04d', i) AS campaign_id,
  printf('%s %s %s #%d', theme, region, upper(channel[1]) || channel[2:], i) AS campaign_name,
  channel,
  CASE theme WHEN 'Brand' THEN 'awareness' WHEN 'Launch' THEN 'awareness'
             WHEN 'Retargeting' THEN 'conversion' WHEN 'Clearance' THEN 'conversion'
             ELSE ['awareness', 'consideration', 'conversion'][1 + CAST(floor(prand(i, 106) * 3) AS INTEGER)] END AS objective,
  region,
  start_date,
  start_date + duration_days AS end_date,
  CAST(round(CASE channel WHEN 'search' THEN 20000 WHEN 'social' THEN 15000 WHEN 'display' THEN 10000
                          WHEN 'email' THEN 2000 ELSE 25000 END * (0.5 + prand(i, 107) * 4), -2) AS DECIMAL(12, 2)) AS budget
FROM c
ORDER BY i;

CREATE OR REPLACE TABLE bronze.marketing_events AS
WITH c AS (
  SELECT row_number() OVER (ORDER BY campaign_id) AS cn, campaign_id, channel,
         greatest(start_date, DATE '2025-01-01') AS s, least(end_date, DATE '2025-06-30') AS e
  FROM bronze.marketing_campaigns
), days AS (
  SELECT n AS dn, DATE '2025-01-01' + CAST(n AS INTEGER) AS day FROM range(0, 181) r(n)
), combos AS (
  SELECT n AS cb, ['desktop', 'mobile', 'tablet'][1 + n // 6] AS device,
         ['US', 'GB', 'DE', 'FR', 'BR', 'IN'][1 + n % 6] AS country
  FROM range(0, 18) r(n)
), grid AS (
  SELECT c.campaign_id, c.channel, d.day, x.device, x.country, (c.cn * 181 + d.dn) * 18 + x.cb AS k
  FROM c JOIN days d ON d.day BETWEEN c.s AND c.e CROSS JOIN combos x
), imp AS (
  SELECT *,
    CAST(floor(CASE channel WHEN 'search' THEN 1500 WHEN 'social' THEN 6000 WHEN 'display' THEN 12000
                            WHEN 'email' THEN 800 ELSE 5000 END
      * CASE country WHEN 'US' THEN 1.0 WHEN 'GB' THEN 0.45 WHEN 'DE' THEN 0.4 WHEN 'FR' THEN 0.35
                     WHEN 'BR' THEN 0.5 ELSE 0.7 END
      * CASE device WHEN 'mobile' THEN 1.0 WHEN 'desktop' THEN 0.7 ELSE 0.2 END
      * CASE WHEN dayofweek(day) IN (0, 6) THEN 0.8 ELSE 1.0 END
      * (0.5 + prand(k, 111))) AS INTEGER) + 20 AS impressions
  FROM grid
  WHERE prand(k, 110) < 0.9
), clk AS (
  SELECT *,
    CAST(floor(impressions
      * CASE channel WHEN 'search' THEN 0.035 WHEN 'social' THEN 0.012 WHEN 'display' THEN 0.004
                     WHEN 'email' THEN 0.025 ELSE 0.008 END
      * CASE device WHEN 'desktop' THEN 1.1 WHEN 'mobile' THEN 1.0 ELSE 0.8 END
      * (0.5 + prand(k, 112)) + prand(k, 113)) AS INTEGER) AS clicks0
  FROM imp
), cnv AS (
  SELECT *,
    CAST(floor(clicks0
      * CASE channel WHEN 'search' THEN 0.06 WHEN 'social' THEN 0.025 WHEN 'display' THEN 0.015
                     WHEN 'email' THEN 0.05 ELSE 0.02 END
      * (0.4 + 1.2 * prand(k, 114)) + prand(k, 115)) AS INTEGER) AS conversions
  FROM clk
), money AS (
  SELECT *,
    round(clicks0 * CASE channel WHEN 'search' THEN 1.6 WHEN 'social' THEN 0.6 WHEN 'display' THEN 0.2
                                 WHEN 'email' THEN 0.6 ELSE 0.3 END * (0.7 + 0.6 * prand(k, 116))
          + impressions / 1000.0 * CASE channel WHEN 'social' THEN 2 WHEN 'display' THEN 3
                                                WHEN 'video' THEN 8 ELSE 0 END, 2) AS spend0,
    round(conversions * CASE country WHEN 'US' THEN 120 WHEN 'GB' THEN 95 WHEN 'DE' THEN 100
                                     WHEN 'FR' THEN 90 WHEN 'BR' THEN 55 ELSE 40 END
          * (0.5 + prand(k, 117)), 2) AS revenue0
  FROM cnv
)
SELECT
  row_number() OVER (ORDER BY k) AS event_id,
  CASE WHEN prand(k, 62) < 0.005                                            -- D3 orphan campaign
       THEN printf('CMP-%04d', getvariable('demo_campaigns') + 1 + CAST(floor(prand(k, 63) * 25) AS INTEGER))
       ELSE campaign_id END AS campaign_id,
  day AS event_date,
  CASE WHEN prand(k, 61) < 0.01 THEN NULL ELSE device END AS device,        -- D1 NULL device
  country,
  impressions,
  CASE WHEN prand(k, 65) < 0.0002                                           -- D5 clicks > impressions
       THEN impressions + 1 + CAST(floor(prand(k, 67) * 40) AS INTEGER)
       ELSE clicks0 END AS clicks,
  conversions,
  CAST(CASE WHEN prand(k, 64) < 0.003 THEN -greatest(spend0, 1.0)           -- D4 negative spend
            ELSE spend0 END AS DECIMAL(12, 2)) AS spend,
  CAST(revenue0 AS DECIMAL(12, 2)) AS revenue
FROM money
ORDER BY event_id;

-- D2: exact duplicates of 0.05 % of the rows (same event_id).
INSERT INTO bronze.marketing_events
SELECT * FROM bronze.marketing_events WHERE prand(event_id, 66) < 0.0005 ORDER BY event_id;

-- -----------------------------------------------------------------------------
-- Customers and products
-- -----------------------------------------------------------------------------
CREATE OR REPLACE TABLE bronze.customers AS
WITH c AS (
  SELECT i,
    ['James', 'Mary', 'Wei', 'Fatima', 'Lucas', 'Sofia', 'Arjun', 'Priya', 'Hans', 'Chloe', 'Mateo', 'Yuki',
     'Olivia', 'Noah', 'Amara', 'Liam', 'Elena', 'Omar', 'Ana', 'Kenji', 'Grace', 'Pierre', 'Ines', 'David']
      [1 + CAST(floor(prand(i, 201) * 24) AS INTEGER)] AS first_name,
    ['Smith', 'Garcia', 'Chen', 'Khan', 'Silva', 'Rossi', 'Patel', 'Sharma', 'Muller', 'Martin', 'Lopez',
     'Tanaka', 'Brown', 'Wilson', 'Okafor', 'Nguyen', 'Petrov', 'Haddad', 'Santos', 'Sato', 'Taylor',
     'Dubois', 'Fernandez', 'Cohen'][1 + CAST(floor(prand(i, 202) * 24) AS INTEGER)] AS last_name,
    ['US', 'US', 'US', 'US', 'US', 'US', 'CA', 'MX', 'GB', 'GB', 'DE', 'DE', 'FR', 'FR', 'ES',
     'BR', 'BR', 'IN', 'IN', 'JP', 'AU'][1 + CAST(floor(prand(i, 203) * 21) AS INTEGER)] AS country0
  FROM range(1, getvariable('demo_customers') + 1) t(i)
)
SELECT
  i AS customer_id,
  first_name || ' ' || last_name AS name,
  CASE WHEN prand(i, 204) < 0.02 THEN NULL                                 -- D6 NULL email
       ELSE lower(printf('%s.%s%d@example.com', first_name, last_name, i)) END AS email,
  CASE WHEN prand(i, 205) < 0.01 THEN NULL ELSE country0 END AS country,  -- D7 NULL country
  CASE WHEN country0 IN ('US', 'CA') THEN 'NA'
       WHEN country0 IN ('GB', 'DE', 'FR', 'ES') THEN 'EMEA'
       WHEN country0 IN ('IN', 'JP', 'AU') THEN 'APAC'
       ELSE 'LATAM' END AS region,
  ['consumer', 'consumer', 'consumer', 'consumer', 'consumer', 'consumer', 'consumer',
   'small_business', 'small_business', 'enterprise'][1 + CAST(floor(prand(i, 206) * 10) AS INTEGER)] AS segment,
  DATE '2022-01-01' + CAST(floor(prand(i, 207) * 1277) AS INTEGER) AS signup_date
FROM c
ORDER BY i;

CREATE OR REPLACE TABLE bronze.products AS
WITH p AS (
  SELECT i,
    ['electronics', 'home', 'apparel', 'footwear', 'beauty', 'sports', 'toys', 'grocery'][1 + (i % 8)] AS category,
    ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Soylent']
      [1 + CAST(floor(prand(i, 301) * 8) AS INTEGER)] AS brand,
    ['Classic', 'Pro', 'Eco', 'Mini', 'Ultra', 'Smart', 'Travel', 'Deluxe'][1 + CAST(floor(prand(i, 302) * 8) AS INTEGER)] AS adjective
  FROM range(1, getvariable('demo_products') + 1) t(i)
), q AS (
  SELECT *,
    CASE category
      WHEN 'electronics' THEN ['Headphones', 'Speaker', 'Charger', 'Tablet', 'Smartwatch']
      WHEN 'home' THEN ['Lamp', 'Chair', 'Rug', 'Kettle', 'Pillow']
      WHEN 'apparel' THEN ['Jacket', 'T-Shirt', 'Hoodie', 'Jeans', 'Scarf']
      WHEN 'footwear' THEN ['Sneaker', 'Boot', 'Sandal', 'Loafer', 'Runner']
      WHEN 'beauty' THEN ['Serum', 'Lipstick', 'Shampoo', 'Perfume', 'Cream']
      WHEN 'sports' THEN ['Yoga Mat', 'Dumbbell', 'Racket', 'Bike Helmet', 'Water Bottle']
      WHEN 'toys' THEN ['Puzzle', 'Robot', 'Board Game', 'Plush Bear', 'Kite']
      ELSE ['Coffee', 'Tea', 'Olive Oil', 'Granola', 'Chocolate'] END
      [1 + CAST(floor(prand(i, 303) * 5) AS INTEGER)] AS noun,
    CASE category WHEN 'electronics' THEN 40 WHEN 'home' THEN 25 WHEN 'apparel' THEN 15 WHEN 'footwear' THEN 30
                  WHEN 'beauty' THEN 8 WHEN 'sports' THEN 15 WHEN 'toys' THEN 10 ELSE 3 END
      * (0.5 + prand(i, 304) * 3) AS cost
  FROM p
)
SELECT
  i AS product_id,
  printf('%s %s %s', brand, adjective, noun) AS product_name,
  category,
  brand,
  CAST(round(cost, 2) AS DECIMAL(10, 2)) AS unit_cost,
  CAST(round(cost * (1.3 + prand(i, 305) * 0.9), 2) AS DECIMAL(10, 2)) AS list_price
FROM q
ORDER BY i;

-- -----------------------------------------------------------------------------
-- Orders and order lines
-- -----------------------------------------------------------------------------
CREATE OR REPLACE TABLE bronze.orders AS
SELECT
  i AS order_id,
  CASE WHEN prand(i, 401) < 0.005                                          -- D8 orphan customer
       THEN getvariable('demo_customers') + 1 + CAST(floor(prand(i, 402) * 1000) AS INTEGER)
       ELSE 1 + CAST(floor(pow(prand(i, 403), 1.4) * getvariable('demo_customers')) AS INTEGER) END AS customer_id,
  -- sqrt() skews dates towards the end: the business grows.
  DATE '2024-01-01' + CAST(floor(sqrt(prand(i, 404)) * 547) AS INTEGER) AS order_date,
  CASE WHEN prand(i, 405) < 0.08 THEN 'cancelled' WHEN prand(i, 405) < 0.14 THEN 'returned' ELSE 'completed' END AS status,
  ['web', 'web', 'web', 'web', 'web', 'app', 'app', 'app', 'store', 'store'][1 + CAST(floor(prand(i, 406) * 10) AS INTEGER)] AS sales_channel
FROM range(1, getvariable('demo_orders') + 1) t(i)
ORDER BY i;

CREATE OR REPLACE TABLE bronze.order_items AS
WITH lines AS (
  SELECT o.order_id, o.order_date, l.n AS line_no,
         row_number() OVER (ORDER BY o.order_id, l.n) AS k
  FROM bronze.orders o, range(1, 5) l(n)
  WHERE l.n <= [1, 1, 1, 1, 2, 2, 2, 3, 3, 4][1 + CAST(floor(prand(o.order_id, 501) * 10) AS INTEGER)]
), priced AS (
  SELECT l.*, 1 + CAST(floor(pow(prand(k, 502), 1.8) * getvariable('demo_products')) AS INTEGER) AS product_id
  FROM lines l
)
SELECT
  k AS order_item_id,
  x.order_id,
  x.product_id,
  [1, 1, 1, 1, 1, 1, 2, 2, 3, 4][1 + CAST(floor(prand(k, 503) * 10) AS INTEGER)] AS quantity,
  CAST(round(CASE WHEN prand(k, 504) < 0.003 THEN -1 ELSE 1 END              -- D9 negative unit price
             * p.list_price * (0.85 + prand(k, 505) * 0.15), 2) AS DECIMAL(10, 2)) AS unit_price,
  x.order_date
FROM priced x JOIN bronze.products p USING (product_id)
ORDER BY order_item_id;

-- -----------------------------------------------------------------------------
-- Product interactions (recommendation features)
-- -----------------------------------------------------------------------------
CREATE OR REPLACE TABLE bronze.user_interactions AS
WITH t AS (
  SELECT i,
    CASE WHEN prand(i, 601) < 0.68 THEN 'view' WHEN prand(i, 601) < 0.88 THEN 'click'
         WHEN prand(i, 601) < 0.96 THEN 'add_to_cart' ELSE 'purchase' END AS interaction_type
  FROM range(1, getvariable('demo_interactions') + 1) r(i)
), u AS (
  SELECT *, 1 + CAST(floor(pow(prand(i, 602), 1.3) * getvariable('demo_customers')) AS INTEGER) AS user_id
  FROM t
)
SELECT
  i AS interaction_id,
  user_id,
  -- 80 % of a user's interactions go to five products of interest, the rest
  -- explore the catalogue (skewed towards popular, low-numbered products).
  CASE WHEN prand(i, 609) < 0.8
       THEN 1 + (user_id * 37 + CAST(floor(pow(prand(i, 603), 2) * 5) AS INTEGER) * 101) % getvariable('demo_products')
       ELSE 1 + CAST(floor(pow(prand(i, 603), 2) * getvariable('demo_products')) AS INTEGER) END AS product_id,
  interaction_type,
  TIMESTAMP '2025-01-01 00:00:00' + to_seconds(CAST(floor(prand(i, 604) * 181 * 86400) AS BIGINT)) AS occurred_at,
  CASE WHEN prand(i, 605) < CASE interaction_type WHEN 'purchase' THEN 0.5 ELSE 0.03 END
       THEN [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][1 + CAST(floor(prand(i, 606) * 10) AS INTEGER)] END AS rating,
  CASE WHEN prand(i, 607) < 0.002 THEN -1 ELSE 1 END                       -- D10 negative dwell time
    * CASE interaction_type WHEN 'view' THEN 3 + CAST(floor(prand(i, 608) * 240) AS INTEGER)
                            WHEN 'click' THEN 1 + CAST(floor(prand(i, 608) * 30) AS INTEGER)
                            WHEN 'add_to_cart' THEN 5 + CAST(floor(prand(i, 608) * 120) AS INTEGER)
                            ELSE 30 + CAST(floor(prand(i, 608) * 570) AS INTEGER) END AS dwell_seconds
FROM u
ORDER BY i;

-- -----------------------------------------------------------------------------
-- Support tickets
-- -----------------------------------------------------------------------------
CREATE OR REPLACE TABLE bronze.support_tickets AS
WITH t AS (
  SELECT i,
    TIMESTAMP '2024-07-01 00:00:00' + to_seconds(CAST(floor(prand(i, 702) * 365 * 86400) AS BIGINT)) AS opened_at,
    ['low', 'low', 'normal', 'normal', 'normal', 'normal', 'high', 'high', 'urgent', 'normal']
      [1 + CAST(floor(prand(i, 703) * 10) AS INTEGER)] AS priority
  FROM range(1, getvariable('demo_tickets') + 1) r(i)
), s AS (
  SELECT *,
    CASE WHEN opened_at >= TIMESTAMP '2025-06-01'
         THEN CASE WHEN prand(i, 704) < 0.4 THEN 'open' WHEN prand(i, 704) < 0.7 THEN 'pending' ELSE 'closed' END
         ELSE CASE WHEN prand(i, 704) < 0.04 THEN 'open' WHEN prand(i, 704) < 0.08 THEN 'pending' ELSE 'closed' END
    END AS status
  FROM t
)
SELECT
  i AS ticket_id,
  1 + CAST(floor(pow(prand(i, 701), 1.2) * getvariable('demo_customers')) AS INTEGER) AS customer_id,
  opened_at,
  status,
  priority,
  ['billing', 'delivery', 'returns', 'product_defect', 'account', 'technical']
    [1 + CAST(floor(prand(i, 705) * 6) AS INTEGER)] AS category,
  prand(i, 710) < CASE priority WHEN 'urgent' THEN 0.3 WHEN 'high' THEN 0.12 ELSE 0.04 END AS escalated,
  CASE WHEN status = 'closed' AND prand(i, 706) < 0.6
       THEN [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][1 + CAST(floor(prand(i, 707) * 10) AS INTEGER)] END AS satisfaction_score,
  CASE WHEN status <> 'closed' OR prand(i, 708) < 0.01 THEN NULL           -- D11 closed without time
       ELSE round(CASE priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 8 WHEN 'normal' THEN 24 ELSE 48 END
                  * (0.2 + prand(i, 709) * 1.8), 1) END AS resolution_hours
FROM s
ORDER BY i;

-- -----------------------------------------------------------------------------
-- Keys and documentation in the database itself
-- -----------------------------------------------------------------------------
ALTER TABLE bronze.marketing_campaigns ADD PRIMARY KEY (campaign_id);
ALTER TABLE bronze.customers ADD PRIMARY KEY (customer_id);
ALTER TABLE bronze.products ADD PRIMARY KEY (product_id);
ALTER TABLE bronze.orders ADD PRIMARY KEY (order_id);
ALTER TABLE bronze.order_items ADD PRIMARY KEY (order_item_id);
ALTER TABLE bronze.user_interactions ADD PRIMARY KEY (interaction_id);
ALTER TABLE bronze.support_tickets ADD PRIMARY KEY (ticket_id);

COMMENT ON TABLE bronze.marketing_campaigns IS 'Advertising campaigns with channel, objective, target region, flight dates and budget.';
COMMENT ON COLUMN bronze.marketing_campaigns.campaign_id IS 'Campaign identifier (CMP-nnnn).';
COMMENT ON COLUMN bronze.marketing_campaigns.channel IS 'Advertising channel: search, social, display, email, video.';
COMMENT ON COLUMN bronze.marketing_campaigns.objective IS 'Funnel objective: awareness, consideration, conversion.';
COMMENT ON COLUMN bronze.marketing_campaigns.region IS 'Target market region of the campaign: NA, EMEA, APAC, LATAM.';
COMMENT ON COLUMN bronze.marketing_campaigns.budget IS 'Planned budget in USD.';
COMMENT ON TABLE bronze.marketing_events IS 'Daily ad delivery per campaign, device and country: impressions, clicks, conversions, spend and attributed revenue.';
COMMENT ON COLUMN bronze.marketing_events.event_id IS 'Row identifier, one per campaign, day, device and country.';
COMMENT ON COLUMN bronze.marketing_events.campaign_id IS 'Campaign that delivered the ads.';
COMMENT ON COLUMN bronze.marketing_events.event_date IS 'Delivery day.';
COMMENT ON COLUMN bronze.marketing_events.device IS 'Device type: desktop, mobile, tablet.';
COMMENT ON COLUMN bronze.marketing_events.country IS 'ISO country code of the audience.';
COMMENT ON COLUMN bronze.marketing_events.spend IS 'Media cost in USD.';
COMMENT ON COLUMN bronze.marketing_events.revenue IS 'Revenue in USD attributed to the ads.';
COMMENT ON TABLE bronze.customers IS 'Registered customers of the shop.';
COMMENT ON COLUMN bronze.customers.email IS 'Contact e-mail address (personal data).';
COMMENT ON COLUMN bronze.customers.country IS 'ISO country code of the customer.';
COMMENT ON COLUMN bronze.customers.region IS 'Sales region of the customer: NA, EMEA, APAC, LATAM.';
COMMENT ON COLUMN bronze.customers.segment IS 'Customer segment: consumer, small_business, enterprise.';
COMMENT ON TABLE bronze.products IS 'Product catalogue with category, brand, unit cost and list price.';
COMMENT ON TABLE bronze.orders IS 'Orders placed on the web shop, the app or in stores.';
COMMENT ON COLUMN bronze.orders.status IS 'Order status: completed, cancelled, returned.';
COMMENT ON COLUMN bronze.orders.sales_channel IS 'Where the order was placed: web, app, store.';
COMMENT ON TABLE bronze.order_items IS 'Order lines: product, quantity and unit price; order_date repeats the order''s date.';
COMMENT ON COLUMN bronze.order_items.unit_price IS 'Price paid per unit in USD.';
COMMENT ON TABLE bronze.user_interactions IS 'User interactions with products in the shop: view, click, add_to_cart, purchase.';
COMMENT ON COLUMN bronze.user_interactions.user_id IS 'The customer_id of the user.';
COMMENT ON COLUMN bronze.user_interactions.rating IS 'Star rating 1..5 the user gave the product, when any.';
COMMENT ON COLUMN bronze.user_interactions.dwell_seconds IS 'Seconds spent on the product page or step.';
COMMENT ON TABLE bronze.support_tickets IS 'Customer support tickets with status, priority, category, satisfaction and resolution time.';
COMMENT ON COLUMN bronze.support_tickets.status IS 'Ticket status: open, pending, closed.';
COMMENT ON COLUMN bronze.support_tickets.priority IS 'Ticket priority: low, normal, high, urgent.';
COMMENT ON COLUMN bronze.support_tickets.satisfaction_score IS 'Customer satisfaction survey answer 1..5 (CSAT), when given.';
COMMENT ON COLUMN bronze.support_tickets.resolution_hours IS 'Hours from opening to closing, for closed tickets.';
COMMENT ON COLUMN bronze.support_tickets.escalated IS 'True when the ticket was escalated to a second-level team.';

DROP MACRO IF EXISTS prand;

-- Restaurant test catalog: "Smash & Co.", a fast-casual burger chain with its own
-- delivery fleet (deterministic, no scale; held-out: written without dpgen's code).
--
-- Tables (schema bronze)                                                   rows
--   stores        14 restaurants in 6 cities: dine_in, drive_thru and
--                 ghost_kitchen formats, franchised or company-operated      14
--   menu_items    32 menu items in 7 categories, vegetarian flag,
--                 current list price, launch date                            32
--   orders        POS / app / web / marketplace orders 2024-01-01 ..
--                 2025-06-30, status completed / refunded / voided        16 554
--   order_lines   one row per item on an order                            45 648
--   deliveries    own-fleet deliveries of app and web orders
--                 (marketplace couriers deliver third_party orders)        3 041
--   labor_shifts  worked shifts of company-operated stores (franchisees
--                 run their own payroll: no rows for franchised stores)   1 229
--
-- Quirks (on purpose):
--   R1  orders.store_id IS NULL          0.4 % of orders (POS sync failures)
--   R2  orders.customer_id IS NULL       anonymous in-store and all third_party orders
--   R3  order_lines.item_id IS NULL      0.4 % of lines (open-price "misc" items)
--   R4  deliveries.courier_id IS NULL    1 % (dispatched without a courier in the system)
--   R5  deliveries.is_late IS NULL       failed deliveries (never delivered)
--   R6  labor_shifts.store_id IS NULL    1 % (regional floaters)
--   R7  order_lines.unit_price = list_price / 1.05 before 2025-03-01 (menu price increase)
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1): murmur3's 32-bit
-- finalizer over i and salt in plain integer arithmetic (the HR catalog's prand shows
-- visible correlations between salts at these row counts); dropped at the end of the file.
CREATE OR REPLACE MACRO prand_xs(k, s) AS xor(k, k >> s);
CREATE OR REPLACE MACRO prand_mul(k, c) AS CAST((CAST(k AS HUGEINT) * c) % 4294967296 AS BIGINT);
CREATE OR REPLACE MACRO prand(i, salt) AS CAST(prand_xs(prand_mul(prand_xs(prand_mul(prand_xs(
  (CAST(i AS BIGINT) * 2654435761 + CAST(salt AS BIGINT) * 2246822519) % 4294967296, 16), 2246822507), 13), 3266489909), 16) AS DOUBLE)
  / 4294967296.0;
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.stores AS
SELECT store_id, store_name, city, state, store_format, is_franchise, CAST(opened_date AS DATE) AS opened_date, seats
FROM (VALUES
  ('ST-101', 'South Congress',        'Austin',    'TX', 'dine_in',       0, '2019-05-10', 64),
  ('ST-102', 'Downtown',              'Austin',    'TX', 'dine_in',       0, '2020-02-01', 48),
  ('ST-103', 'Mueller',               'Austin',    'TX', 'drive_thru',    1, '2021-09-15', 32),
  ('ST-104', 'Austin Kitchen Hub',    'Austin',    'TX', 'ghost_kitchen', 0, '2024-03-18', 0),
  ('ST-201', 'Deep Ellum',            'Dallas',    'TX', 'dine_in',       0, '2018-11-03', 72),
  ('ST-202', 'Plano Parkway',         'Plano',     'TX', 'drive_thru',    1, '2022-06-20', 40),
  ('ST-203', 'Dallas Kitchen Hub',    'Dallas',    'TX', 'ghost_kitchen', 0, '2023-01-09', 0),
  ('ST-301', 'The Heights',           'Houston',   'TX', 'dine_in',       0, '2020-08-14', 58),
  ('ST-302', 'Katy Freeway',          'Houston',   'TX', 'drive_thru',    1, '2024-08-05', 36),
  ('ST-401', 'Downtown',              'Denver',    'CO', 'dine_in',       1, '2022-03-01', 54),
  ('ST-402', 'Highlands',             'Denver',    'CO', 'drive_thru',    0, '2024-11-18', 30),
  ('ST-501', 'East Nashville',        'Nashville', 'TN', 'dine_in',       0, '2023-04-22', 60),
  ('ST-502', 'Nashville Kitchen Hub', 'Nashville', 'TN', 'ghost_kitchen', 1, '2025-02-10', 0),
  ('ST-503', 'Germantown',            'Nashville', 'TN', 'drive_thru',    0, '2025-05-05', 34)
) v(store_id, store_name, city, state, store_format, is_franchise, opened_date, seats);

CREATE OR REPLACE TABLE bronze.menu_items AS
SELECT item_id, item_name, category, is_vegetarian, CAST(list_price AS DECIMAL(8, 2)) AS list_price,
       CAST(launched_date AS DATE) AS launched_date
FROM (VALUES
  ('MI-01', 'Classic Smash',            'burgers',   false,  8.49, '2018-11-03'),
  ('MI-02', 'Double Smash',             'burgers',   false, 10.99, '2018-11-03'),
  ('MI-03', 'Bacon Jam Burger',         'burgers',   false, 11.49, '2021-04-12'),
  ('MI-04', 'Veggie Smash',             'burgers',   true,   9.49, '2020-01-20'),
  ('MI-05', 'Mushroom Swiss',           'burgers',   false, 10.49, '2022-09-05'),
  ('MI-06', 'Hot Honey Smash',          'burgers',   false, 10.79, '2025-03-03'),
  ('MI-07', 'Crispy Chicken Sandwich',  'chicken',   false,  9.29, '2018-11-03'),
  ('MI-08', 'Nashville Hot Chicken',    'chicken',   false,  9.99, '2023-04-22'),
  ('MI-09', 'Chicken Tenders (3 pc)',   'chicken',   false,  8.49, '2018-11-03'),
  ('MI-10', 'Chicken Tenders (5 pc)',   'chicken',   false, 11.99, '2019-06-01'),
  ('MI-11', 'Caesar Salad',             'salads',    false,  8.99, '2018-11-03'),
  ('MI-12', 'Harvest Bowl',             'salads',    true,  10.49, '2022-01-10'),
  ('MI-13', 'Grilled Chicken Salad',    'salads',    false, 11.29, '2019-06-01'),
  ('MI-14', 'Breakfast Taco',           'breakfast', false,  4.49, '2020-02-01'),
  ('MI-15', 'Egg & Cheese Biscuit',     'breakfast', true,   4.99, '2020-02-01'),
  ('MI-16', 'Sausage Biscuit',          'breakfast', false,  5.29, '2020-02-01'),
  ('MI-17', 'Hash Brown Bowl',          'breakfast', true,   6.49, '2023-09-18'),
  ('MI-18', 'Fries',                    'sides',     true,   3.49, '2018-11-03'),
  ('MI-19', 'Loaded Fries',             'sides',     false,  5.99, '2019-06-01'),
  ('MI-20', 'Onion Rings',              'sides',     true,   4.29, '2018-11-03'),
  ('MI-21', 'Side Salad',               'sides',     true,   3.99, '2018-11-03'),
  ('MI-22', 'Mac & Cheese',             'sides',     true,   4.49, '2021-04-12'),
  ('MI-23', 'Fountain Soda',            'drinks',    true,   2.59, '2018-11-03'),
  ('MI-24', 'Fresh Lemonade',           'drinks',    true,   3.29, '2018-11-03'),
  ('MI-25', 'Iced Tea',                 'drinks',    true,   2.79, '2018-11-03'),
  ('MI-26', 'Cold Brew',                'drinks',    true,   3.99, '2022-01-10'),
  ('MI-27', 'Peach Tea',                'drinks',    true,   3.49, '2025-05-01'),
  ('MI-28', 'Vanilla Shake',            'desserts',  true,   5.49, '2018-11-03'),
  ('MI-29', 'Chocolate Shake',          'desserts',  true,   5.49, '2018-11-03'),
  ('MI-30', 'Chocolate Chip Cookie',    'desserts',  true,   2.29, '2018-11-03'),
  ('MI-31', 'Banana Pudding',           'desserts',  true,   3.99, '2023-04-22'),
  ('MI-32', 'Apple Pie',                'desserts',  true,   3.29, '2019-06-01')
) v(item_id, item_name, category, is_vegetarian, list_price, launched_date);

-- Order headers before amounts: store, date, channel, fulfillment, daypart, customer,
-- status and promo code; the delivery of own-fleet orders is simulated here too,
-- since a late or failed delivery makes a refund more likely.
CREATE OR REPLACE TABLE bronze._order_base AS
WITH s AS (
  SELECT row_number() OVER (ORDER BY store_id) AS sidx, * FROM bronze.stores
), c AS (
  SELECT i,
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14]
      [1 + CAST(floor(prand(i, 1) * 30) AS INTEGER)] AS sidx,
    DATE '2024-01-01' + CAST(floor(pow(prand(i, 2), 0.85) * 547) AS INTEGER) AS order_date
  FROM range(1, 20001) t(i)
), o AS (
  SELECT c.i, c.order_date, s.sidx, s.store_id, s.store_format, s.state,
    prand(c.i, 3) AS u_ch, prand(c.i, 4) AS u_ff,
    CASE WHEN s.store_format = 'ghost_kitchen' THEN 0.10 + prand(c.i, 5) * 0.90 ELSE prand(c.i, 5) END AS u_dp
  FROM c JOIN s ON s.sidx = c.sidx
  WHERE c.order_date >= s.opened_date
), o2 AS (
  SELECT *,
    CASE store_format
      WHEN 'ghost_kitchen' THEN CASE WHEN u_ch < 0.45 THEN 'app' WHEN u_ch < 0.60 THEN 'web' ELSE 'third_party' END
      WHEN 'dine_in' THEN CASE WHEN u_ch < 0.52 THEN 'in_store' WHEN u_ch < 0.74 THEN 'app' WHEN u_ch < 0.82 THEN 'web' ELSE 'third_party' END
      ELSE CASE WHEN u_ch < 0.58 THEN 'in_store' WHEN u_ch < 0.76 THEN 'app' WHEN u_ch < 0.82 THEN 'web' ELSE 'third_party' END
    END AS channel,
    CASE WHEN u_dp < 0.10 THEN 'breakfast' WHEN u_dp < 0.48 THEN 'lunch' WHEN u_dp < 0.60 THEN 'afternoon'
         WHEN u_dp < 0.92 THEN 'dinner' ELSE 'late_night' END AS daypart
  FROM o
), o3 AS (
  SELECT *,
    CASE
      WHEN channel = 'in_store' AND store_format = 'drive_thru' THEN
        CASE WHEN u_ff < 0.60 THEN 'drive_thru' WHEN u_ff < 0.85 THEN 'dine_in' ELSE 'pickup' END
      WHEN channel = 'in_store' THEN CASE WHEN u_ff < 0.65 THEN 'dine_in' ELSE 'pickup' END
      WHEN channel IN ('app', 'web') AND store_format = 'ghost_kitchen' THEN CASE WHEN u_ff < 0.80 THEN 'delivery' ELSE 'pickup' END
      WHEN channel IN ('app', 'web') THEN CASE WHEN u_ff < 0.45 THEN 'delivery' ELSE 'pickup' END
      ELSE CASE WHEN u_ff < 0.92 THEN 'delivery' ELSE 'pickup' END
    END AS fulfillment_method,
    CASE daypart WHEN 'breakfast' THEN 7 + CAST(floor(prand(i, 6) * 4) AS INTEGER)
                 WHEN 'lunch' THEN 11 + CAST(floor(prand(i, 6) * 4) AS INTEGER)
                 WHEN 'afternoon' THEN 15 + CAST(floor(prand(i, 6) * 2) AS INTEGER)
                 WHEN 'dinner' THEN 17 + CAST(floor(prand(i, 6) * 4) AS INTEGER)
                 ELSE 21 + CAST(floor(prand(i, 6) * 2) AS INTEGER) END AS hr,
    CAST(floor(prand(i, 7) * 60) AS INTEGER) AS mi
  FROM o2
), o4 AS (
  SELECT *,
    channel IN ('app', 'web') AND fulfillment_method = 'delivery' AS own_fleet,
    round(0.6 + pow(prand(i, 20), 1.4) * 9.4, 1) AS distance_km,
    CASE WHEN prand(i, 25) < 0.01 THEN NULL ELSE (sidx - 1) * 3 + CAST(floor(prand(i, 21) * 3) AS INTEGER) + 1 END AS courier_no,
    6 + CAST(floor(prand(i, 22) * 12) AS INTEGER) AS prep_min,
    prand(i, 24) < 0.03 AS failed
  FROM o3
), o5 AS (
  SELECT *,
    CASE WHEN courier_no IS NULL THEN NULL ELSE ['car', 'bike', 'scooter'][1 + courier_no % 3] END AS vehicle_type,
    25 + CAST(round(distance_km * 3) AS INTEGER) AS promised_min
  FROM o4
), o6 AS (
  SELECT *,
    prep_min + CAST(round(distance_km * CASE vehicle_type WHEN 'bike' THEN 3.6 WHEN 'scooter' THEN 3.0 ELSE 2.7 END
                          * CASE WHEN daypart = 'dinner' THEN 1.2 ELSE 1.0 END + 2 + prand(i, 23) * 9) AS INTEGER) AS actual_min
  FROM o5
), o7 AS (
  SELECT *,
    own_fleet AND NOT failed AND actual_min > promised_min AS late,
    CASE WHEN prand(i, 30) < 0.025 THEN 'voided'
         WHEN prand(i, 31) < CASE WHEN own_fleet AND failed THEN 0.60
                                  WHEN own_fleet AND actual_min > promised_min THEN 0.18
                                  WHEN channel = 'third_party' THEN 0.05 ELSE 0.025 END THEN 'refunded'
         ELSE 'completed' END AS status
  FROM o6
)
SELECT row_number() OVER (ORDER BY order_date, hr, mi, i) AS order_id, *,
  CASE
    WHEN channel = 'third_party' THEN NULL
    WHEN prand(i, 40) >= CASE channel WHEN 'app' THEN 0.20 WHEN 'web' THEN 0.14 ELSE 0.04 END THEN NULL
    WHEN own_fleet AND prand(i, 41) < 0.35 THEN 'FREEDEL'
    WHEN daypart = 'lunch' AND prand(i, 41) < 0.55 THEN 'LUNCH5'
    WHEN channel = 'in_store' AND prand(i, 41) < 0.30 THEN 'STAFF50'
    WHEN prand(i, 41) < 0.75 THEN 'BOGOFRIES'
    ELSE 'WELCOME10'
  END AS promo_code,
  CASE
    WHEN channel IN ('app', 'web') THEN 'CU-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 9), 1.6) * 4000) AS INTEGER) AS VARCHAR), 5, '0')
    WHEN channel = 'in_store' AND prand(i, 10) < 0.25 THEN 'CU-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 9), 1.6) * 4000) AS INTEGER) AS VARCHAR), 5, '0')
  END AS customer_id
FROM o7;

CREATE OR REPLACE TABLE bronze.order_lines AS
WITH slots AS (
  SELECT b.order_id, b.i, b.order_date, b.daypart, k.slot
  FROM bronze._order_base b
  CROSS JOIN (VALUES (1), (2), (3), (4), (5)) k(slot)
  WHERE k.slot = 1
     OR (k.slot = 2 AND prand(b.i, 50) < 0.72)
     OR (k.slot = 3 AND prand(b.i, 51) < 0.62)
     OR (k.slot = 4 AND prand(b.i, 52) < 0.20)
     OR (k.slot = 5 AND prand(b.i, 53) < 0.22)
), picked AS (
  SELECT *, prand(i * 7 + slot, 54) AS u,
    CASE
      WHEN slot IN (1, 5) AND daypart = 'breakfast' THEN [14, 14, 15, 16, 16, 17][1 + CAST(floor(prand(i * 7 + slot, 54) * 6) AS INTEGER)]
      WHEN slot IN (1, 5) THEN [1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 10, 11, 12, 13]
                                 [1 + CAST(floor(prand(i * 7 + slot, 54) * 23) AS INTEGER)]
      WHEN slot = 2 THEN [18, 18, 18, 18, 19, 19, 20, 20, 21, 22][1 + CAST(floor(prand(i * 7 + slot, 54) * 10) AS INTEGER)]
      WHEN slot = 3 THEN [23, 23, 23, 24, 24, 25, 25, 26, 27][1 + CAST(floor(prand(i * 7 + slot, 54) * 9) AS INTEGER)]
      ELSE [28, 29, 30, 30, 31, 32][1 + CAST(floor(prand(i * 7 + slot, 54) * 6) AS INTEGER)]
    END AS item_no
  FROM slots
), launched AS (
  -- an item picked before its launch is the item it replaced on the menu board
  SELECT p.*, 'MI-' || lpad(CAST(CASE WHEN p.item_no = 6 AND p.order_date < DATE '2025-03-03' THEN 1
                                      WHEN p.item_no = 27 AND p.order_date < DATE '2025-05-01' THEN 25
                                      ELSE p.item_no END AS VARCHAR), 2, '0') AS item_code,
         row_number() OVER (ORDER BY p.order_id, p.slot) AS order_line_id
  FROM picked p
)
SELECT
  l.order_line_id,
  l.order_id,
  CAST(row_number() OVER (PARTITION BY l.order_id ORDER BY l.slot) AS INTEGER) AS line_number,
  CASE WHEN prand(l.order_line_id, 55) < 0.004 THEN NULL ELSE l.item_code END AS item_id,       -- R3
  l.order_date,
  CAST(1 + CASE WHEN prand(l.order_line_id, 56) < 0.15 THEN 1 ELSE 0 END
         + CASE WHEN prand(l.order_line_id, 57) < 0.04 THEN 1 ELSE 0 END AS INTEGER) AS quantity,
  CAST(CASE WHEN prand(l.order_line_id, 55) < 0.004 THEN 1.50
            WHEN l.order_date < DATE '2025-03-01' THEN round(m.list_price / 1.05, 2)            -- R7
            ELSE m.list_price END AS DECIMAL(8, 2)) AS unit_price
FROM launched l JOIN bronze.menu_items m ON m.item_id = l.item_code
ORDER BY l.order_line_id;

ALTER TABLE bronze.order_lines ADD COLUMN line_amount DECIMAL(10, 2);
UPDATE bronze.order_lines SET line_amount = quantity * unit_price;

CREATE OR REPLACE TABLE bronze.orders AS
WITH sub AS (
  SELECT order_id, sum(line_amount) AS subtotal FROM bronze.order_lines GROUP BY 1
), a AS (
  SELECT b.*, s.subtotal,
    CAST(CASE b.promo_code
           WHEN 'WELCOME10' THEN round(s.subtotal * 0.10, 2)
           WHEN 'LUNCH5' THEN least(5.00, s.subtotal)
           WHEN 'BOGOFRIES' THEN least(3.49, s.subtotal)
           WHEN 'STAFF50' THEN round(s.subtotal * 0.50, 2)
           ELSE 0 END AS DECIMAL(10, 2)) AS discount_amount,
    CAST(CASE WHEN b.own_fleet AND coalesce(b.promo_code, '') <> 'FREEDEL' THEN 3.99 ELSE 0 END AS DECIMAL(8, 2)) AS delivery_fee,
    CASE b.state WHEN 'CO' THEN 0.0881 WHEN 'TN' THEN 0.0925 ELSE 0.0825 END AS tax_rate
  FROM bronze._order_base b JOIN sub s ON s.order_id = b.order_id
)
SELECT
  order_id,
  CASE WHEN prand(i, 60) < 0.004 THEN NULL ELSE store_id END AS store_id,                      -- R1
  customer_id,                                                                                 -- R2
  channel,
  fulfillment_method,
  daypart,
  order_date,
  CAST(order_date AS TIMESTAMP) + to_hours(hr) + to_minutes(mi) AS ordered_at,
  status,
  promo_code,
  CAST(subtotal AS DECIMAL(10, 2)) AS subtotal,
  discount_amount,
  CAST(round((subtotal - discount_amount) * tax_rate, 2) AS DECIMAL(10, 2)) AS tax_amount,
  delivery_fee,
  CAST(subtotal - discount_amount + round((subtotal - discount_amount) * tax_rate, 2) + delivery_fee AS DECIMAL(10, 2)) AS total_amount
FROM a
ORDER BY order_id;

CREATE OR REPLACE TABLE bronze.deliveries AS
SELECT
  row_number() OVER (ORDER BY b.order_id) AS delivery_id,
  b.order_id,
  o.store_id,
  CASE WHEN b.courier_no IS NULL THEN NULL ELSE 'CR-' || lpad(CAST(b.courier_no AS VARCHAR), 3, '0') END AS courier_id,   -- R4
  b.vehicle_type,
  b.order_date AS delivery_date,
  o.ordered_at + to_minutes(b.prep_min) AS dispatched_at,
  o.ordered_at + to_minutes(b.promised_min) AS promised_at,
  CASE WHEN b.failed THEN NULL ELSE o.ordered_at + to_minutes(b.actual_min) END AS delivered_at,
  CAST(b.distance_km AS DECIMAL(5, 1)) AS distance_km,
  CASE WHEN b.failed THEN NULL ELSE b.actual_min END AS delivery_minutes,
  CASE WHEN b.failed THEN 'failed' ELSE 'delivered' END AS delivery_status,
  CASE WHEN b.failed THEN NULL WHEN b.late THEN 1 ELSE 0 END AS is_late                         -- R5
FROM bronze._order_base b JOIN bronze.orders o ON o.order_id = b.order_id
WHERE b.own_fleet AND b.status <> 'voided'
ORDER BY b.order_id;

-- Labor: company-operated stores staff each week to about their target labor %
-- of that week's net sales (franchisees run their own payroll: no rows).
CREATE OR REPLACE TABLE bronze.labor_shifts AS
WITH weeks AS (
  SELECT CAST(DATE '2024-01-01' + to_days(CAST(7 * n AS INTEGER)) AS DATE) AS week_start FROM range(0, 79) r(n)
), s AS (
  SELECT row_number() OVER (ORDER BY store_id) AS sidx, * FROM bronze.stores
), sales AS (
  SELECT store_id, CAST(date_trunc('week', order_date) AS DATE) AS week_start, sum(subtotal - discount_amount) AS net
  FROM bronze.orders WHERE status = 'completed' AND store_id IS NOT NULL GROUP BY 1, 2
), sw AS (
  SELECT s.sidx, s.store_id, s.store_format, s.opened_date, w.week_start,
         coalesce(x.net, 0) * (0.25 + prand(s.sidx, 70) * 0.10) * (0.85 + prand(s.sidx * 1000 + datediff('day', DATE '2024-01-01', w.week_start), 71) * 0.30) AS target,
         row_number() OVER (ORDER BY s.sidx, w.week_start) AS swk
  FROM s CROSS JOIN weeks w LEFT JOIN sales x ON x.store_id = s.store_id AND x.week_start = w.week_start
  WHERE s.is_franchise = 0 AND w.week_start + 6 >= s.opened_date
), n AS (
  SELECT *, greatest(1, CAST(ceil(target / 65.0) AS INTEGER)) AS n_shifts FROM sw
), sh AS (
  SELECT n.*, k.k, n.swk * 50 + k.k AS key,
    CASE WHEN prand(n.swk * 50 + k.k, 72) < 0.45 THEN 'cook'
         WHEN prand(n.swk * 50 + k.k, 72) < 0.70 THEN CASE WHEN n.store_format = 'ghost_kitchen' THEN 'cook' ELSE 'cashier' END
         WHEN prand(n.swk * 50 + k.k, 72) < 0.85 THEN 'shift_lead'
         ELSE 'courier' END AS role
  FROM n JOIN range(1, 50) k(k) ON k.k <= n.n_shifts
), w AS (
  SELECT *,
    CAST(CASE role WHEN 'cook' THEN 16.50 + floor(prand(key, 73) * 9) * 0.25
                   WHEN 'cashier' THEN 14.00 + floor(prand(key, 73) * 7) * 0.25
                   WHEN 'shift_lead' THEN 20.50 + floor(prand(key, 73) * 11) * 0.25
                   ELSE 15.00 + floor(prand(key, 73) * 5) * 0.25 END AS DECIMAL(6, 2)) AS hourly_wage,
    greatest(week_start, opened_date, DATE '2024-01-01') AS d0,
    least(week_start + 6, DATE '2025-06-30') AS d1
  FROM sh
), h AS (
  SELECT *,
    least(10.0, greatest(2.0, round(target / n_shifts / hourly_wage * (0.85 + prand(key, 74) * 0.30) * 4) / 4)) AS hours
  FROM w
)
SELECT
  row_number() OVER (ORDER BY shift_date, key) AS shift_id,
  CASE WHEN prand(key, 75) < 0.01 THEN NULL ELSE store_id END AS store_id,                      -- R6
  'EMP-' || lpad(CAST(sidx * 100 + 1 + CAST(floor(prand(key, 76) * 12) AS INTEGER) AS VARCHAR), 4, '0') AS employee_id,
  role,
  shift_date,
  CAST(hours AS DECIMAL(5, 2)) AS hours_worked,
  hourly_wage,
  CAST(round(hours * hourly_wage, 2) AS DECIMAL(10, 2)) AS labor_cost
FROM (SELECT *, d0 + CAST(floor(prand(key, 77) * (d1 - d0 + 1)) AS INTEGER) AS shift_date FROM h WHERE d1 >= d0) x
ORDER BY shift_id;

DROP TABLE bronze._order_base;

ALTER TABLE bronze.stores ADD PRIMARY KEY (store_id);
ALTER TABLE bronze.menu_items ADD PRIMARY KEY (item_id);
ALTER TABLE bronze.orders ADD PRIMARY KEY (order_id);
ALTER TABLE bronze.order_lines ADD PRIMARY KEY (order_line_id);
ALTER TABLE bronze.deliveries ADD PRIMARY KEY (delivery_id);
ALTER TABLE bronze.labor_shifts ADD PRIMARY KEY (shift_id);

DROP MACRO IF EXISTS prand;
DROP MACRO IF EXISTS prand_mul;
DROP MACRO IF EXISTS prand_xs;

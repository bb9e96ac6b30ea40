-- Rides test catalog: "Zipp", a ride-hailing and courier marketplace in six cities
-- of Portugal, Spain and Italy (deterministic, no scale; held-out: written without dpgen's code).
-- Amounts in EUR. Data runs 2024-01-01 .. 2025-06-30 (trip requests); courier launched 2024-03-01.
--
-- Tables (schema bronze)                                                        rows
--   riders         rider accounts, signed up 2021-01-01 .. 2025-06-30,
--                  ids RDR-00001.. in signup order                              4 200
--   drivers        driver partners with vehicle, home city, onboarding date,
--                  lifetime star rating, EV flag (0/1), fleet partner             360
--   promotions     promo codes riders apply to a trip request                     11
--   trips          every trip request: status completed / cancelled_by_rider /
--                  cancelled_by_driver / no_driver, product tier economy /
--                  comfort / xl / courier, surge, fare, payout, promo, tip     42 618
--   trip_ratings   the rider's 1-5 star rating of a completed trip             20 387
--   driver_shifts  online sessions of drivers (one per driver and day worked,
--                  plus idle sessions without a trip)                         17 626
--
-- Quirks (on purpose):
--   Z1  trips.rider_id IS NULL              ~1 % (bookings through the hotel-concierge partner API)
--   Z2  trips.driver_id IS NULL             no_driver requests and rider cancellations before a match
--   Z3  trips.fare / driver_payout / distance_km / tip_amount / promo_discount IS NULL
--       on trips that were not completed; promo_discount = 0 on completed trips without a promo
--   Z4  trips.promo_id set on some cancelled requests (applied at request, never redeemed)
--   Z5  riders.home_city IS NULL            ~4 % (never set in the profile)
--   Z6  driver_shifts.online_hours = 0      ~0.5 % (telemetry gaps)
--   Z7  trip_ratings.feedback_tag IS NULL   most ratings carry no tag
--   Z8  promotion NIGHT10 was never redeemed
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (a 32-bit integer
-- mixing hash in plain BIGINT/HUGEINT arithmetic); dropped at the end of the file.
CREATE OR REPLACE MACRO zx(k, s) AS xor(k, k >> s);
CREATE OR REPLACE MACRO zm(k, c) AS CAST((CAST(k AS HUGEINT) * c) % 4294967296 AS BIGINT);
CREATE OR REPLACE MACRO prand(i, salt) AS CAST(zx(zm(zx(zm(zx(
  (CAST(i AS BIGINT) * 2654435761 + CAST(salt AS BIGINT) * 1640531527 + 97531) % 4294967296, 15), 2246822507), 13), 3266489909), 16) AS DOUBLE)
  / 4294967296.0;
CREATE OR REPLACE MACRO pick_city(u) AS CASE WHEN u < 0.22 THEN 'Lisbon' WHEN u < 0.34 THEN 'Porto' WHEN u < 0.59 THEN 'Madrid'
  WHEN u < 0.79 THEN 'Barcelona' WHEN u < 0.88 THEN 'Valencia' ELSE 'Milan' END;
CREATE SCHEMA IF NOT EXISTS bronze;
CREATE SCHEMA IF NOT EXISTS zwork;

-- ------------------------------------------------------------------ riders
CREATE OR REPLACE TABLE bronze.riders AS
WITH r AS (
  SELECT i,
    CASE WHEN prand(i, 11) < 0.30 THEN DATE '2021-01-01' + CAST(floor(prand(i, 12) * 1095) AS INTEGER)
         ELSE DATE '2024-01-01' + CAST(floor(pow(prand(i, 12), 0.8) * 547) AS INTEGER) END AS signup_date,
    CASE WHEN prand(i, 13) < 0.04 THEN NULL ELSE pick_city(prand(i, 14)) END AS home_city,                -- Z5
    CASE WHEN prand(i, 15) < 0.45 THEN 'organic' WHEN prand(i, 15) < 0.70 THEN 'paid_social'
         WHEN prand(i, 15) < 0.90 THEN 'referral' ELSE 'partner' END AS signup_channel,
    CASE WHEN prand(i, 16) < 0.09 THEN 'business' ELSE 'personal' END AS account_type
  FROM range(1, 4201) t(i)
)
SELECT 'RDR-' || lpad(CAST(row_number() OVER (ORDER BY signup_date, i) AS VARCHAR), 5, '0') AS rider_id,
       signup_date, home_city, signup_channel, account_type
FROM r ORDER BY signup_date, i;

-- ------------------------------------------------------------------ drivers
CREATE OR REPLACE TABLE bronze.drivers AS
WITH d AS (
  SELECT i,
    CASE WHEN i <= 60 THEN ['Lisbon', 'Porto', 'Madrid', 'Barcelona', 'Valencia', 'Milan'][1 + (i - 1) % 6]
         ELSE pick_city(prand(i, 21)) END AS city,
    CASE WHEN i <= 60 THEN ['sedan', 'hatchback', 'suv', 'minivan', 'scooter', 'sedan', 'hatchback', 'bike', 'sedan', 'suv'][1 + (i - 1) // 6]
         WHEN prand(i, 22) < 0.42 THEN 'sedan' WHEN prand(i, 22) < 0.64 THEN 'hatchback' WHEN prand(i, 22) < 0.76 THEN 'suv'
         WHEN prand(i, 22) < 0.85 THEN 'minivan' WHEN prand(i, 22) < 0.94 THEN 'scooter' ELSE 'bike' END AS vehicle_type,
    CASE WHEN i <= 60 THEN DATE '2019-03-01' + CAST(floor(prand(i, 23) * 1700) AS INTEGER)
         WHEN prand(i, 24) < 0.45 THEN DATE '2020-01-01' + CAST(floor(prand(i, 23) * 1461) AS INTEGER)
         ELSE DATE '2024-01-01' + CAST(floor(prand(i, 23) * 547) AS INTEGER) END AS onboarding_date
  FROM range(1, 361) t(i)
)
SELECT
  'DRV-' || lpad(CAST(i AS VARCHAR), 4, '0') AS driver_id,
  ['Ana', 'Bruno', 'Carla', 'Diego', 'Elena', 'Fabio', 'Giulia', 'Hugo', 'Ines', 'Javier', 'Lucia', 'Marco',
   'Nuno', 'Paula', 'Rafael', 'Sofia', 'Tiago', 'Valeria', 'Pedro', 'Marta'][1 + CAST(floor(prand(i, 25) * 20) AS INTEGER)] || ' ' ||
  ['Silva', 'Santos', 'Garcia', 'Lopez', 'Rossi', 'Ferreira', 'Martinez', 'Costa', 'Romano', 'Sanchez',
   'Oliveira', 'Ricci', 'Fernandez', 'Pereira', 'Moreno', 'Conti'][1 + CAST(floor(prand(i, 26) * 16) AS INTEGER)] AS full_name,
  city,
  vehicle_type,
  CASE WHEN vehicle_type = 'bike' THEN 0 WHEN vehicle_type = 'scooter' THEN CASE WHEN prand(i, 27) < 0.5 THEN 1 ELSE 0 END
       WHEN prand(i, 27) < 0.18 THEN 1 ELSE 0 END AS is_ev,
  onboarding_date,
  CAST(round(4.35 + pow(prand(i, 28), 0.6) * 0.64, 2) AS DECIMAL(3, 2)) AS rating,
  CASE WHEN prand(i, 29) < 0.84 THEN 'active' WHEN prand(i, 29) < 0.95 THEN 'inactive' ELSE 'suspended' END AS driver_status,
  CASE WHEN prand(i, 30) < 0.72 THEN NULL
       WHEN vehicle_type IN ('scooter', 'bike') THEN 'VeloCargo'
       WHEN prand(i, 31) < 0.5 THEN 'MoveFleet' ELSE 'UrbanDrive' END AS fleet_partner
FROM d ORDER BY i;

-- ------------------------------------------------------------------ promotions
CREATE OR REPLACE TABLE bronze.promotions AS
SELECT promo_id, promo_code, promo_type, audience, CAST(discount_value AS DECIMAL(6, 2)) AS discount_value,
       CAST(max_discount AS DECIMAL(6, 2)) AS max_discount, CAST(start_date AS DATE) AS start_date,
       CAST(end_date AS DATE) AS end_date, applies_to
FROM (VALUES
  ('PRM-01', 'WELCOME50', 'percent_off', 'new_riders', 50, 8,    '2024-01-01', '2025-06-30', 'rides'),
  ('PRM-02', 'RIDE5',     'flat_off',    'all_riders', 5,  5,    '2024-01-01', '2024-06-30', 'rides'),
  ('PRM-03', 'SUMMER24',  'percent_off', 'all_riders', 20, 6,    '2024-06-15', '2024-09-15', 'rides'),
  ('PRM-04', 'REFER10',   'referral',    'new_riders', 10, 10,   '2024-01-01', '2025-06-30', 'rides'),
  ('PRM-05', 'COMFORT20', 'percent_off', 'all_riders', 20, 10,   '2024-10-01', '2025-03-31', 'comfort'),
  ('PRM-06', 'BIZ15',     'percent_off', 'business',   15, 12,   '2024-03-01', '2025-06-30', 'rides'),
  ('PRM-07', 'XMAS5',     'flat_off',    'all_riders', 5,  5,    '2024-12-01', '2024-12-31', 'rides'),
  ('PRM-08', 'SENDIT3',   'flat_off',    'all_riders', 3,  3,    '2024-03-01', '2025-06-30', 'courier'),
  ('PRM-09', 'SPRING25',  'percent_off', 'all_riders', 25, 7,    '2025-03-20', '2025-05-31', 'rides'),
  ('PRM-10', 'LISBOA4',   'flat_off',    'all_riders', 4,  4,    '2025-01-01', '2025-06-30', 'rides'),
  ('PRM-11', 'NIGHT10',   'percent_off', 'all_riders', 10, 5,    '2025-07-01', '2025-09-30', 'rides')       -- Z8
) v(promo_id, promo_code, promo_type, audience, discount_value, max_discount, start_date, end_date, applies_to);

-- ------------------------------------------------------------------ trips
CREATE OR REPLACE TABLE zwork.days AS
SELECT d, CAST(DATE '2024-01-01' + CAST(d AS INTEGER) AS DATE) AS day,
  CAST(round(60 * (1 + 0.55 * d / 546.0)
    * [1.00, 0.90, 0.88, 0.92, 0.98, 1.18, 1.25][1 + dayofweek(DATE '2024-01-01' + CAST(d AS INTEGER))]
    * CASE month(DATE '2024-01-01' + CAST(d AS INTEGER)) WHEN 12 THEN 1.15 WHEN 8 THEN 0.85 ELSE 1.0 END
    * (0.9 + 0.2 * prand(d, 41))) AS INTEGER) AS n
FROM range(0, 547) t(d);

-- riders signed up by each day (ids are in signup order: riders 1..n_riders exist on that day)
CREATE OR REPLACE TABLE zwork.rider_days AS
SELECT dd.day, (SELECT count(*) FROM bronze.riders r WHERE r.signup_date <= dd.day) AS n_riders
FROM zwork.days dd;

-- which driver can serve which product: comfort needs an suv or a well-rated sedan, xl a minivan,
-- courier a two-wheeler or a hatchback
CREATE OR REPLACE TABLE zwork.pool AS
SELECT d.city, p.product_tier, d.driver_id, d.onboarding_date,
  row_number() OVER (PARTITION BY d.city, p.product_tier ORDER BY d.onboarding_date, d.driver_id) AS rn
FROM bronze.drivers d
JOIN (VALUES ('economy', 'sedan'), ('economy', 'hatchback'), ('economy', 'suv'), ('comfort', 'sedan'), ('comfort', 'suv'),
             ('xl', 'minivan'), ('courier', 'scooter'), ('courier', 'bike'), ('courier', 'hatchback')) p(product_tier, vehicle_type)
  ON p.vehicle_type = d.vehicle_type
WHERE p.product_tier <> 'comfort' OR d.vehicle_type = 'suv' OR d.rating >= 4.60;

CREATE OR REPLACE TABLE zwork.pool_days AS
SELECT c.city, c.product_tier, dd.day, dd.d, count(p.rn) AS n_drivers
FROM zwork.days dd
CROSS JOIN (SELECT DISTINCT city, product_tier FROM zwork.pool) c
LEFT JOIN zwork.pool p ON p.city = c.city AND p.product_tier = c.product_tier AND p.onboarding_date <= dd.day
GROUP BY ALL;

CREATE OR REPLACE TABLE zwork.t0 AS
WITH x AS (SELECT d, day, unnest(range(n)) AS k FROM zwork.days),
y AS (SELECT row_number() OVER (ORDER BY d, k) AS i, d, day FROM x),
z AS (
  SELECT y.*,
    [0, 0, 1, 1, 2, 5, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 12, 12,
     13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17, 18, 18, 18, 18, 18, 18, 18, 18,
     19, 19, 19, 19, 19, 19, 20, 20, 20, 20, 20, 21, 21, 21, 21, 22, 22, 22, 22, 22, 23, 23, 23, 23, 23, 23, 0, 0,
     1, 1, 13, 14, 15, 16, 12, 11, 19, 20][1 + CAST(floor(prand(i, 101) * 100) AS INTEGER)] AS hr,
    CASE WHEN prand(i, 102) < 0.01 THEN NULL                                                             -- Z1
         ELSE 1 + CAST(floor(pow(prand(i, 103), 1.35) * rd.n_riders) AS INTEGER) END AS rider_num
  FROM y JOIN zwork.rider_days rd ON rd.day = y.day
)
SELECT z.i, z.d, z.day, z.hr,
  z.day + to_hours(z.hr) + to_seconds(CAST(floor(prand(z.i, 104) * 3600) AS BIGINT)) AS requested_at,
  r.rider_id, r.account_type, r.signup_date, r.signup_channel,
  CASE WHEN r.home_city IS NOT NULL AND prand(z.i, 105) < 0.85 THEN r.home_city ELSE pick_city(prand(z.i, 106)) END AS city,
  CASE WHEN prand(z.i, 107) < 0.57 THEN 'economy' WHEN prand(z.i, 107) < 0.74 THEN 'comfort' WHEN prand(z.i, 107) < 0.83 THEN 'xl'
       WHEN z.day < DATE '2024-03-01' THEN 'economy' ELSE 'courier' END AS product_tier,
  CASE WHEN z.hr IN (7, 8, 9, 17, 18, 19, 23, 0) THEN 0.33 ELSE 0.14 END AS surge_p
FROM z LEFT JOIN bronze.riders r ON r.rider_id = 'RDR-' || lpad(CAST(z.rider_num AS VARCHAR), 5, '0');

CREATE OR REPLACE TABLE zwork.t1 AS
SELECT t.*,
  CASE WHEN prand(t.i, 110) < t.surge_p
       THEN [1.2, 1.2, 1.3, 1.3, 1.4, 1.5, 1.5, 1.8, 2.0, 2.5][1 + CAST(floor(prand(t.i, 111) * 10) AS INTEGER)]
       ELSE 1.0 END AS surge,
  pd.n_drivers,
  CASE WHEN pd.n_drivers > 0 THEN 1 + CAST((t.d * 2 + CAST(floor(prand(t.i, 112) * 2) AS INTEGER)) % pd.n_drivers AS INTEGER) END AS pool_rn
FROM zwork.t0 t JOIN zwork.pool_days pd ON pd.city = t.city AND pd.product_tier = t.product_tier AND pd.day = t.day;

CREATE OR REPLACE TABLE zwork.t2 AS
WITH s AS (
  SELECT t.*, p.driver_id AS pool_driver,
    prand(t.i, 120) AS u,
    0.035 + CASE WHEN t.surge > 1 THEN 0.05 ELSE 0 END + CASE WHEN t.city = 'Milan' THEN 0.025 ELSE 0 END
          + CASE WHEN t.product_tier = 'xl' THEN 0.03 ELSE 0 END AS p_nd,
    0.09 + CASE WHEN t.surge > 1 THEN 0.04 ELSE 0 END AS p_cr
  FROM zwork.t1 t LEFT JOIN zwork.pool p ON p.city = t.city AND p.product_tier = t.product_tier AND p.rn = t.pool_rn
)
SELECT s.*,
  CASE WHEN pool_driver IS NULL OR u < p_nd THEN 'no_driver'
       WHEN u < p_nd + p_cr THEN 'cancelled_by_rider'
       WHEN u < p_nd + p_cr + 0.05 THEN 'cancelled_by_driver'
       ELSE 'completed' END AS status
FROM s;

CREATE OR REPLACE TABLE zwork.t3 AS
SELECT t.*,
  -- rider cancellations: half before a driver accepted
  CASE WHEN status = 'completed' OR status = 'cancelled_by_driver' THEN true
       WHEN status = 'cancelled_by_rider' THEN prand(i, 130) < 0.5 ELSE false END AS matched,
  4 + floor(pow(prand(i, 131), 2) * 110) + CASE WHEN surge > 1 THEN 25 ELSE 0 END AS accept_sec,
  round((2 + pow(prand(i, 132), 1.4) * 13 + CASE WHEN hr IN (8, 18) THEN 3 ELSE 0 END
         + CASE WHEN product_tier = 'courier' THEN 2 ELSE 0 END) * 60) AS pickup_sec,
  round(CASE product_tier WHEN 'courier' THEN 1 + pow(prand(i, 133), 1.8) * 11
                          WHEN 'xl' THEN 2 + pow(prand(i, 133), 1.3) * 28
                          ELSE 1 + pow(prand(i, 133), 1.8) * 24 END, 2) AS km,
  16 + prand(i, 134) * 16 AS kmh
FROM zwork.t2 t;

CREATE OR REPLACE TABLE zwork.t4 AS
SELECT t.*,
  round(km / kmh * 3600 + 180) AS ride_sec,
  CASE WHEN status = 'completed' THEN
    round(greatest(CASE product_tier WHEN 'economy' THEN 5.0 WHEN 'comfort' THEN 7.0 WHEN 'xl' THEN 9.0 ELSE 4.5 END,
      (CASE product_tier WHEN 'economy' THEN 2.20 + 0.90 * km + 0.18 * (km / kmh * 60 + 3)
                         WHEN 'comfort' THEN 3.00 + 1.25 * km + 0.25 * (km / kmh * 60 + 3)
                         WHEN 'xl' THEN 3.50 + 1.45 * km + 0.28 * (km / kmh * 60 + 3)
                         ELSE 2.80 + 0.75 * km END) * surge), 2) END AS fare_raw,
  CASE WHEN account_type = 'business' AND prand(i, 140) < 0.8 THEN 'corporate'
       WHEN prand(i, 141) < 0.68 THEN 'card' WHEN prand(i, 141) < 0.88 THEN 'wallet' ELSE 'cash' END AS payment_method,
  (product_tier <> 'courier' AND prand(i, 142) < CASE WHEN product_tier = 'xl' THEN 0.12 ELSE 0.05 END) AS is_scheduled,
  -- new riders (signed up within 30 days) apply a code far more often
  prand(i, 143) < CASE WHEN rider_id IS NOT NULL AND day - signup_date <= 30 THEN 0.6 ELSE 0.15 END AS wants_promo
FROM zwork.t3 t;

CREATE OR REPLACE TABLE zwork.promo_pick AS
SELECT i, promo_id, discount FROM (
  SELECT t.i, p.promo_id,
    CASE p.promo_type WHEN 'percent_off' THEN least(t.fare_raw * p.discount_value / 100, p.max_discount)
                      ELSE least(p.discount_value, t.fare_raw) END AS discount,
    row_number() OVER (PARTITION BY t.i ORDER BY prand(t.i * 17 + CAST(right(p.promo_id, 2) AS INTEGER), 150)) AS pr
  FROM zwork.t4 t JOIN bronze.promotions p
    ON t.day BETWEEN p.start_date AND p.end_date
   AND (p.applies_to = 'rides' AND t.product_tier <> 'courier' OR p.applies_to = t.product_tier)
   AND (p.promo_code <> 'LISBOA4' OR t.city = 'Lisbon')
   AND (p.audience = 'all_riders'
        OR p.audience = 'business' AND t.account_type = 'business'
        OR p.promo_code = 'WELCOME50' AND t.day - t.signup_date <= 30
        OR p.promo_code = 'REFER10' AND t.signup_channel = 'referral' AND t.day - t.signup_date <= 60)
  WHERE t.wants_promo
) WHERE pr = 1;

CREATE OR REPLACE TABLE bronze.trips AS
SELECT
  'TRP-' || lpad(CAST(t.i AS VARCHAR), 6, '0') AS trip_id,
  t.rider_id,
  CASE WHEN t.matched THEN t.pool_driver END AS driver_id,
  t.city,
  CASE t.city WHEN 'Lisbon' THEN 'PT' WHEN 'Porto' THEN 'PT' WHEN 'Milan' THEN 'IT' ELSE 'ES' END AS country_code,
  t.product_tier,
  t.status,
  t.requested_at,
  CASE WHEN t.matched THEN t.requested_at + to_seconds(CAST(t.accept_sec AS BIGINT)) END AS accepted_at,
  CASE WHEN t.status = 'completed' THEN t.requested_at + to_seconds(CAST(t.accept_sec + t.pickup_sec AS BIGINT)) END AS picked_up_at,
  CASE WHEN t.status = 'completed' THEN t.requested_at + to_seconds(CAST(t.accept_sec + t.pickup_sec + t.ride_sec AS BIGINT)) END AS completed_at,
  CAST(t.surge AS DECIMAL(3, 1)) AS surge_multiplier,
  CAST(CASE WHEN t.status = 'completed' THEN t.km END AS DECIMAL(6, 2)) AS distance_km,               -- Z3
  CAST(t.fare_raw AS DECIMAL(10, 2)) AS fare,
  CAST(round(t.fare_raw * CASE t.product_tier WHEN 'economy' THEN 0.75 WHEN 'comfort' THEN 0.73 WHEN 'xl' THEN 0.74 ELSE 0.80 END, 2)
       AS DECIMAL(10, 2)) AS driver_payout,
  pp.promo_id,                                                                                       -- Z4
  CAST(CASE WHEN t.status = 'completed' THEN round(coalesce(pp.discount, 0), 2) END AS DECIMAL(10, 2)) AS promo_discount,
  CAST(CASE WHEN t.status = 'completed' THEN
         CASE WHEN prand(t.i, 160) < CASE WHEN t.product_tier = 'comfort' THEN 0.30 ELSE 0.18 END
              THEN 1 + floor(prand(t.i, 161) * 6) ELSE 0 END END AS DECIMAL(8, 2)) AS tip_amount,
  CAST(CASE WHEN t.status = 'cancelled_by_rider' AND t.matched AND prand(t.i, 162) < 0.6 THEN 3.00 ELSE 0 END AS DECIMAL(6, 2)) AS cancellation_fee,
  t.payment_method,
  t.is_scheduled
FROM zwork.t4 t LEFT JOIN zwork.promo_pick pp ON pp.i = t.i
ORDER BY t.i;

-- ------------------------------------------------------------------ trip_ratings
CREATE OR REPLACE TABLE bronze.trip_ratings AS
WITH c AS (
  SELECT row_number() OVER (ORDER BY t.trip_id) AS k, t.trip_id, t.completed_at,
    prand(row_number() OVER (ORDER BY t.trip_id), 201) AS u_rate,
    prand(row_number() OVER (ORDER BY t.trip_id), 202) * (0.86 + 0.14 * (CAST(d.rating AS DOUBLE) - 4.35) / 0.64)
      - CASE WHEN date_diff('second', t.accepted_at, t.picked_up_at) > 660 THEN 0.06 ELSE 0 END AS score
  FROM bronze.trips t JOIN bronze.drivers d ON d.driver_id = t.driver_id
  WHERE t.status = 'completed'
), s AS (
  SELECT *, CASE WHEN score < 0.04 THEN 1 WHEN score < 0.07 THEN 2 WHEN score < 0.13 THEN 3 WHEN score < 0.31 THEN 4 ELSE 5 END AS stars
  FROM c WHERE u_rate < 0.6
)
SELECT
  row_number() OVER (ORDER BY k) AS rating_id,
  trip_id,
  stars,
  least(completed_at + to_minutes(CAST(2 + floor(pow(prand(k, 203), 3) * 2880) AS BIGINT)), TIMESTAMP '2025-06-30 23:59:00') AS rated_at,
  CASE WHEN stars = 5 AND prand(k, 204) < 0.3 THEN ['great_service', 'clean_car', 'smooth_ride'][1 + CAST(floor(prand(k, 205) * 3) AS INTEGER)]
       WHEN stars <= 3 AND prand(k, 204) < 0.8 THEN ['late_pickup', 'unsafe_driving', 'rude', 'dirty_car', 'wrong_route'][1 + CAST(floor(prand(k, 205) * 5) AS INTEGER)]
       END AS feedback_tag                                                                           -- Z7
FROM s ORDER BY k;

-- ------------------------------------------------------------------ driver_shifts
CREATE OR REPLACE TABLE bronze.driver_shifts AS
WITH worked AS (
  SELECT t.driver_id, CAST(t.requested_at AS DATE) AS shift_date,
    sum(CASE WHEN t.status = 'completed' THEN date_diff('second', t.accepted_at, t.completed_at) ELSE 300 END) / 3600.0 AS engaged_h,
    min(t.requested_at) AS first_request
  FROM bronze.trips t WHERE t.driver_id IS NOT NULL GROUP BY 1, 2
), w AS (
  SELECT w.*, row_number() OVER (ORDER BY shift_date, driver_id) AS k FROM worked w
), idle AS (
  SELECT d.driver_id,
    CAST(greatest(d.onboarding_date, DATE '2024-01-01')
      + CAST(floor(prand(j, 302) * (DATE '2025-06-30' - greatest(d.onboarding_date, DATE '2024-01-01') + 1)) AS INTEGER) AS DATE) AS shift_date,
    0.5 + prand(j, 303) * 2.5 AS online_h
  FROM range(1, 1801) r(j)
  JOIN bronze.drivers d ON d.driver_id = 'DRV-' || lpad(CAST(1 + CAST(floor(prand(j, 301) * 360) AS INTEGER) AS VARCHAR), 4, '0')
  WHERE d.onboarding_date <= DATE '2025-06-30'
), all_shifts AS (
  SELECT driver_id, shift_date,
    CASE WHEN prand(k, 311) < 0.005 THEN 0                                                           -- Z6
         ELSE least(12, engaged_h / (0.40 + 0.35 * prand(k, 312)) + 0.25) END AS online_h
  FROM w
  UNION ALL
  SELECT driver_id, shift_date, online_h FROM idle
)
SELECT row_number() OVER (ORDER BY a.shift_date, a.driver_id, a.online_h) AS shift_id,
  a.driver_id, d.city, a.shift_date, CAST(round(a.online_h, 2) AS DECIMAL(6, 2)) AS online_hours
FROM all_shifts a JOIN bronze.drivers d ON d.driver_id = a.driver_id
ORDER BY shift_id;

ALTER TABLE bronze.riders ADD PRIMARY KEY (rider_id);
ALTER TABLE bronze.drivers ADD PRIMARY KEY (driver_id);
ALTER TABLE bronze.promotions ADD PRIMARY KEY (promo_id);
ALTER TABLE bronze.trips ADD PRIMARY KEY (trip_id);
ALTER TABLE bronze.trip_ratings ADD PRIMARY KEY (rating_id);
ALTER TABLE bronze.driver_shifts ADD PRIMARY KEY (shift_id);

DROP SCHEMA zwork CASCADE;
DROP MACRO IF EXISTS pick_city;
DROP MACRO IF EXISTS prand;
DROP MACRO IF EXISTS zm;
DROP MACRO IF EXISTS zx;

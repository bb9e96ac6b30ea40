-- Hotel group test catalog ("Meridia Hotels", a boutique group of 8 hotels):
-- hotels, guest profiles with loyalty tiers, reservations, folio charges,
-- guest reviews and the daily room inventory (deterministic, no scale).
--
-- Tables (schema bronze)                                                            rows
--   hotels          8 hotels in 3 regions (one opened 2024-05-15, one resort closed Dec-Feb)        8
--   guests          3 000 guest profiles, 75 % enrolled in the loyalty program     3 000
--   reservations    reservations arriving 2024-01-01 .. 2025-09-30, booked up to 2025-06-30
--                   (arrivals after 2025-06-30 are still 'booked' or already 'cancelled')  20 352
--   folio_charges   charges posted to guest folios (room, fnb, spa, parking, minibar) plus
--                   outlet sales to non-resident customers (no reservation)   38 882
--   reviews         guest reviews from the post-stay survey and review sites  2 928
--   room_inventory  rooms available per hotel and open day, 2024-01-01 .. 2025-06-30  4 091
--
-- Conventions: amounts in EUR. Room charges are posted once per stay, on the arrival
-- date, for all nights of the stay; room nights count on the arrival date too.
--
-- KNOWN QUIRKS
--   Q1  reservations.guest_id IS NULL for some OTA/wholesale bookings (no profile)
--   Q2  folio_charges.reservation_id IS NULL for outlet sales to non-residents
--       (posted_to_room = false)
--   Q3  negative room charges (allowances) posted on the departure date
--   Q4  reviews.reservation_id IS NULL for most review-site reviews (unmatched);
--       would_recommend only asked in the post-stay survey (NULL otherwise)
--   Q5  no inventory rows while a hotel is closed or before it opened
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.hotels AS
SELECT hotel_id, hotel_name, brand, city, country, region, star_rating, total_rooms,
       CAST(opened_date AS DATE) AS opened_date, has_spa
FROM (VALUES
  (1, 'Meridia Collection Lisbon',        'Meridia Collection', 'Lisbon', 'Portugal', 'Iberia',         5, 18, '2012-04-01', true),
  (2, 'Meridia City Porto',               'Meridia City',       'Porto',  'Portugal', 'Iberia',         4, 14, '2015-06-15', false),
  (3, 'Meridia City Madrid',              'Meridia City',       'Madrid', 'Spain',    'Iberia',         4, 20, '2014-03-01', false),
  (4, 'Meridia Resort Algarve',           'Meridia Resort',     'Lagos',  'Portugal', 'Iberia',         5, 24, '2018-05-01', true),
  (5, 'Meridia City Berlin Mitte',        'Meridia City',       'Berlin', 'Germany',  'Central Europe', 4, 16, '2016-09-01', false),
  (6, 'Meridia Loft Berlin Kreuzberg',    'Meridia Loft',       'Berlin', 'Germany',  'Central Europe', 3, 12, '2024-05-15', false),
  (7, 'Meridia Collection Paris',         'Meridia Collection', 'Paris',  'France',   'Central Europe', 5, 12, '2019-10-01', true),
  (8, 'Meridia Resort Tulum',             'Meridia Resort',     'Tulum',  'Mexico',   'Americas',       5, 20, '2021-12-01', true)
) v(hotel_id, hotel_name, brand, city, country, region, star_rating, total_rooms, opened_date, has_spa);

CREATE OR REPLACE TABLE bronze.guests AS
WITH g AS (
  SELECT i,
    -- low ids are the frequent travellers (they get more reservations below)
    CASE WHEN prand(i, 103) < 0.45 - least(0.35, 300.0 / (i + 300)) THEN NULL
         WHEN prand(i, 104) < 0.55 - least(0.4, 150.0 / (i + 300)) THEN 'Blue'
         WHEN prand(i, 105) < 0.60 THEN 'Silver'
         WHEN prand(i, 106) < 0.70 THEN 'Gold'
         ELSE 'Platinum' END AS tier
  FROM range(1, 3001) t(i)
)
SELECT
  'G-' || lpad(CAST(i AS VARCHAR), 5, '0') AS guest_id,
  ['Ana', 'Joao', 'Sofia', 'Miguel', 'Lucia', 'Carlos', 'Emma', 'Lukas', 'Hannah', 'Felix', 'Claire', 'Louis',
   'Chloe', 'Hugo', 'James', 'Olivia', 'Michael', 'Sarah', 'Daniel', 'Laura', 'Mateo', 'Valentina', 'Diego',
   'Camila', 'Pieter', 'Sanne', 'Marco', 'Giulia', 'Rafael', 'Beatriz', 'Noah', 'Mia', 'Ethan', 'Grace',
   'Tomas', 'Ines']
    [1 + CAST(floor(prand(i, 101) * 36) AS INTEGER)] || ' ' ||
  ['Silva', 'Santos', 'Garcia', 'Martinez', 'Muller', 'Schmidt', 'Dubois', 'Laurent', 'Smith', 'Johnson',
   'Brown', 'Lopez', 'Hernandez', 'de Vries', 'Rossi', 'Ferreira', 'Weber', 'Moreau', 'Taylor', 'Costa',
   'Fernandez', 'Becker', 'Martin', 'Wilson', 'Jansen', 'Bianchi', 'Oliveira', 'Ramirez']
    [1 + CAST(floor(prand(i, 102) * 28) AS INTEGER)] AS guest_name,
  ['PT', 'PT', 'ES', 'ES', 'DE', 'DE', 'FR', 'FR', 'GB', 'GB', 'US', 'US', 'US', 'MX', 'NL', 'IT', 'BR', 'CA']
    [1 + CAST(floor(prand(i, 107) * 18) AS INTEGER)] AS home_country,
  tier AS loyalty_tier,
  CASE WHEN tier IS NOT NULL
       THEN DATE '2018-01-01' + CAST(floor(sqrt(prand(i, 108)) * 2737) AS INTEGER) END AS enrolled_date,
  prand(i, 109) < 0.38 AS email_opt_in
FROM g
ORDER BY i;

CREATE OR REPLACE TABLE bronze.room_inventory AS
WITH d AS (
  SELECT h.hotel_id, h.total_rooms, CAST(dd AS DATE) AS inventory_date
  FROM bronze.hotels h,
       generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2025-06-30', INTERVAL 1 DAY) s(dd)
  WHERE CAST(dd AS DATE) >= h.opened_date
    AND NOT (h.hotel_id = 4 AND month(dd) IN (12, 1, 2))        -- Q5: the Algarve resort closes in winter
), k AS (
  SELECT *, row_number() OVER (ORDER BY inventory_date, hotel_id) AS n FROM d
)
SELECT
  n AS inventory_id,
  hotel_id,
  inventory_date,
  total_rooms AS physical_rooms,
  CASE WHEN prand(n, 201) < 0.80 THEN 0 WHEN prand(n, 201) < 0.95 THEN 1 ELSE 2 END AS out_of_order_rooms,
  total_rooms - CASE WHEN prand(n, 201) < 0.80 THEN 0 WHEN prand(n, 201) < 0.95 THEN 1 ELSE 2 END AS rooms_available
FROM k
ORDER BY n;

CREATE OR REPLACE TABLE bronze.reservations AS
WITH hd AS (
  -- every open hotel day an arrival can fall on (the future up to 2025-09-30 included)
  SELECT h.hotel_id, h.total_rooms, h.brand, CAST(dd AS DATE) AS arrival_date,
         row_number() OVER (ORDER BY dd, h.hotel_id) AS n
  FROM bronze.hotels h,
       generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2025-09-30', INTERVAL 1 DAY) s(dd)
  WHERE CAST(dd AS DATE) >= h.opened_date AND NOT (h.hotel_id = 4 AND month(dd) IN (12, 1, 2))
), dem AS (
  SELECT *,
    -- expected gross arrivals per day: rooms * occupancy / length of stay / (1 - cancellations)
    total_rooms
      * CASE WHEN brand = 'Meridia Resort'
             THEN [0.45, 0.5, 0.6, 0.7, 0.75, 0.8, 0.84, 0.84, 0.78, 0.7, 0.55, 0.5][month(arrival_date)]
             ELSE [0.5, 0.55, 0.65, 0.72, 0.78, 0.8, 0.75, 0.7, 0.8, 0.78, 0.65, 0.6][month(arrival_date)] END
      * CASE WHEN hotel_id = 6 AND arrival_date < DATE '2024-09-01' THEN 0.6 ELSE 1.0 END   -- ramp-up
      * (0.8 + 0.3 * prand(n, 301))
      / CASE WHEN brand = 'Meridia Resort' THEN 4.6 ELSE 2.5 END
      / 0.8 AS lam
  FROM hd
), slots AS (
  SELECT dem.*, j FROM dem, range(0, 14) r(j)
  WHERE j < floor(lam + prand(n, 302))
), r AS (
  SELECT *, row_number() OVER (ORDER BY arrival_date, hotel_id, j) AS i FROM slots
), a AS (
  SELECT i, hotel_id, brand, arrival_date,
    CASE WHEN prand(i, 311) < 0.38 THEN 'direct' WHEN prand(i, 311) < 0.78 THEN 'ota'
         WHEN prand(i, 311) < 0.88 THEN 'corporate' WHEN prand(i, 311) < 0.95 THEN 'gds' ELSE 'wholesale' END AS channel,
    CASE WHEN brand = 'Meridia Resort' THEN 2 + CAST(floor(prand(i, 312) * 7) AS INTEGER)
         ELSE 1 + CAST(floor(pow(prand(i, 312), 1.6) * 5) AS INTEGER) END AS nights,
    CASE WHEN prand(i, 313) < 0.40 THEN 'standard' WHEN prand(i, 313) < 0.65 THEN 'superior'
         WHEN prand(i, 313) < 0.85 THEN 'deluxe' WHEN prand(i, 313) < 0.95 THEN 'junior_suite' ELSE 'suite' END AS room_type
  FROM r
), b AS (
  SELECT a.*,
    arrival_date - CAST(floor(pow(prand(i, 314), 2) *
      CASE channel WHEN 'ota' THEN 60 WHEN 'direct' THEN 120 WHEN 'corporate' THEN 30 WHEN 'gds' THEN 45 ELSE 180 END)
      AS INTEGER) AS booking_date,
    CASE channel
      WHEN 'corporate' THEN CASE WHEN prand(i, 315) < 0.9 THEN 'corporate' ELSE 'BAR' END
      WHEN 'gds' THEN CASE WHEN prand(i, 315) < 0.6 THEN 'corporate' ELSE 'BAR' END
      WHEN 'ota' THEN CASE WHEN prand(i, 315) < 0.55 THEN 'BAR' WHEN prand(i, 315) < 0.85 THEN 'advance_purchase' ELSE 'package' END
      WHEN 'direct' THEN CASE WHEN prand(i, 315) < 0.40 THEN 'BAR' WHEN prand(i, 315) < 0.65 THEN 'member'
                              WHEN prand(i, 315) < 0.85 THEN 'advance_purchase' ELSE 'package' END
      ELSE CASE WHEN prand(i, 315) < 0.6 THEN 'package' ELSE 'group' END END AS rate_plan
  FROM a
), c AS (
  SELECT b.*,
    CASE channel WHEN 'ota' THEN 0.27 WHEN 'direct' THEN 0.12 WHEN 'corporate' THEN 0.10
                 WHEN 'gds' THEN 0.14 ELSE 0.16 END AS p_cxl,
    CASE channel WHEN 'corporate' THEN 0.05 WHEN 'gds' THEN 0.06 WHEN 'ota' THEN 0.035 ELSE 0.02 END AS p_ns
  FROM b WHERE booking_date <= DATE '2025-06-30'
), s AS (
  SELECT c.*,
    CASE WHEN arrival_date <= DATE '2025-06-30' THEN
           CASE WHEN prand(i, 316) < p_cxl THEN 'cancelled' WHEN prand(i, 316) < p_cxl + p_ns THEN 'no_show'
                ELSE 'checked_out' END
         ELSE CASE WHEN prand(i, 316) < p_cxl * 0.5 THEN 'cancelled' ELSE 'booked' END END AS status
  FROM c
), k AS (
  SELECT s.*, row_number() OVER (ORDER BY booking_date, arrival_date, i) AS rid FROM s
)
SELECT
  100000 + rid AS reservation_id,
  hotel_id,
  CASE WHEN channel IN ('ota', 'wholesale') AND prand(i, 317) < 0.09 THEN NULL                          -- Q1
       ELSE 'G-' || lpad(CAST(1 + CAST(floor(pow(prand(i, 318), 1.7) * 3000) AS INTEGER) AS VARCHAR), 5, '0') END AS guest_id,
  booking_date,
  arrival_date,
  arrival_date + nights AS departure_date,
  nights,
  room_type,
  channel,
  rate_plan,
  status,
  CASE WHEN status = 'cancelled'
       THEN booking_date + CAST(floor(prand(i, 319) * (least(arrival_date, DATE '2025-06-30') - booking_date + 1)) AS INTEGER) END
    AS cancellation_date,
  CASE WHEN prand(i, 320) < 0.3 THEN 1 WHEN prand(i, 320) < 0.9 THEN 2 ELSE 3 END AS adults,
  CASE WHEN brand = 'Meridia Resort' AND prand(i, 321) < 0.35 THEN 1 + CAST(floor(prand(i, 322) * 2) AS INTEGER)
       WHEN prand(i, 321) < 0.08 THEN 1 ELSE 0 END AS children,
  CAST(round(
    [210, 120, 135, 260, 125, 85, 290, 320][hotel_id]
    * CASE room_type WHEN 'standard' THEN 1.0 WHEN 'superior' THEN 1.2 WHEN 'deluxe' THEN 1.45
                     WHEN 'junior_suite' THEN 1.9 ELSE 2.6 END
    * CASE WHEN brand = 'Meridia Resort'
           THEN [0.8, 0.8, 0.85, 0.95, 1.05, 1.25, 1.4, 1.45, 1.15, 0.95, 0.85, 0.9][month(arrival_date)]
           ELSE [0.85, 0.88, 0.95, 1.05, 1.1, 1.12, 1.05, 0.98, 1.15, 1.1, 0.95, 1.0][month(arrival_date)] END
    * CASE rate_plan WHEN 'advance_purchase' THEN 0.85 WHEN 'package' THEN 1.15 WHEN 'corporate' THEN 0.9
                     WHEN 'member' THEN 0.92 WHEN 'group' THEN 0.8 ELSE 1.0 END
    * CASE WHEN arrival_date >= DATE '2025-01-01' THEN 1.05 ELSE 1.0 END
    * (0.92 + 0.16 * prand(i, 323)), 2) AS DECIMAL(10, 2)) AS nightly_rate
FROM k
ORDER BY rid;

CREATE OR REPLACE TABLE bronze.folio_charges AS
WITH st AS (
  SELECT r.*, h.has_spa, h.brand FROM bronze.reservations r JOIN bronze.hotels h ON h.hotel_id = r.hotel_id
  WHERE r.status = 'checked_out'
), lines AS (
  -- room: the whole stay, posted on the arrival date
  SELECT reservation_id, hotel_id, arrival_date AS charge_date, 'room' AS charge_type,
         CAST(nightly_rate * nights AS DECIMAL(12, 2)) AS amount, true AS posted_to_room, 1 AS src, 0 AS j
  FROM st
  UNION ALL
  -- Q3: allowances on the room charge, posted at departure
  SELECT reservation_id, hotel_id, departure_date, 'room',
         CAST(-round(nightly_rate * (0.2 + 0.8 * prand(reservation_id, 401)), 2) AS DECIMAL(12, 2)), true, 2, 0
  FROM st WHERE prand(reservation_id, 402) < 0.03
  UNION ALL
  -- food and beverage: 0-3 checks per stay
  SELECT reservation_id, hotel_id, arrival_date + CAST(floor(prand(reservation_id * 10 + j, 403) * nights) AS INTEGER), 'fnb',
         CAST(round(12 + pow(prand(reservation_id * 10 + j, 404), 1.5) * 140
                    * CASE WHEN brand IN ('Meridia Resort', 'Meridia Collection') THEN 1.4 ELSE 1.0 END, 2) AS DECIMAL(12, 2)),
         true, 3, j
  FROM st, range(0, 3) t(j)
  WHERE j < floor(prand(reservation_id, 405) * (CASE WHEN brand = 'Meridia Resort' THEN 4.2 ELSE 2.6 END))
  UNION ALL
  SELECT reservation_id, hotel_id, arrival_date + CAST(floor(prand(reservation_id, 406) * nights) AS INTEGER), 'spa',
         CAST(round(60 + prand(reservation_id, 407) * 190, 2) AS DECIMAL(12, 2)), true, 4, 0
  FROM st WHERE has_spa AND prand(reservation_id, 408) < 0.2
  UNION ALL
  SELECT reservation_id, hotel_id, departure_date - 1, 'parking',
         CAST(CASE WHEN brand = 'Meridia Resort' THEN 18 ELSE 28 END * nights AS DECIMAL(12, 2)), true, 5, 0
  FROM st WHERE prand(reservation_id, 409) < 0.18
  UNION ALL
  SELECT reservation_id, hotel_id, departure_date - 1, 'minibar',
         CAST(round(6 + prand(reservation_id, 410) * 55, 2) AS DECIMAL(12, 2)), true, 6, 0
  FROM st WHERE prand(reservation_id, 411) < 0.12
  UNION ALL
  -- Q2: outlet sales to non-resident customers (restaurant, bar, day spa)
  SELECT NULL, iv.hotel_id, iv.inventory_date,
         CASE WHEN h.has_spa AND prand(iv.inventory_id * 4 + j, 412) < 0.25 THEN 'spa' ELSE 'fnb' END,
         CAST(round(CASE WHEN h.has_spa AND prand(iv.inventory_id * 4 + j, 412) < 0.25
                         THEN 70 + prand(iv.inventory_id * 4 + j, 413) * 150
                         ELSE 15 + pow(prand(iv.inventory_id * 4 + j, 413), 1.5) * 180 END, 2) AS DECIMAL(12, 2)),
         false, 7, j
  FROM bronze.room_inventory iv JOIN bronze.hotels h ON h.hotel_id = iv.hotel_id, range(0, 4) t(j)
  WHERE j < floor(prand(iv.inventory_id, 414) * 2.2)
), k AS (
  SELECT *, row_number() OVER (ORDER BY charge_date, hotel_id, src, reservation_id, j) AS n FROM lines
)
SELECT 5000000 + n AS charge_id, reservation_id, hotel_id, charge_date, charge_type, amount, posted_to_room
FROM k
ORDER BY n;

CREATE OR REPLACE TABLE bronze.reviews AS
WITH st AS (
  SELECT r.reservation_id, r.hotel_id, r.departure_date, r.room_type
  FROM bronze.reservations r
  WHERE r.status = 'checked_out' AND prand(r.reservation_id, 501) < 0.2
), s AS (
  SELECT st.*,
    CASE WHEN prand(reservation_id, 502) < 0.5 THEN 'post_stay_survey' WHEN prand(reservation_id, 502) < 0.7 THEN 'booking_com'
         WHEN prand(reservation_id, 502) < 0.86 THEN 'google' ELSE 'tripadvisor' END AS review_source,
    least(10.0, greatest(1.0, round(
      [8.6, 8.1, 7.9, 8.8, 8.0, 7.2, 8.9, 8.4][hotel_id]
      + (prand(reservation_id, 503) + prand(reservation_id, 504) + prand(reservation_id, 505) - 1.5) * 3.2
      - CASE WHEN prand(reservation_id, 506) < 0.06 THEN 4 ELSE 0 END, 1))) AS score
  FROM st
), k AS (
  SELECT s.*, row_number() OVER (ORDER BY departure_date, reservation_id) AS n FROM s
)
SELECT
  n AS review_id,
  CASE WHEN review_source IN ('google', 'tripadvisor') AND prand(reservation_id, 507) < 0.75 THEN NULL   -- Q4
       ELSE reservation_id END AS reservation_id,
  hotel_id,
  least(DATE '2025-07-15', departure_date + 1 + CAST(floor(prand(reservation_id, 508) * 14) AS INTEGER)) AS review_date,
  review_source,
  CAST(score AS DECIMAL(3, 1)) AS score,
  CASE WHEN review_source = 'post_stay_survey'
       THEN score >= 7.5 OR (score >= 6 AND prand(reservation_id, 509) < 0.5) END AS would_recommend
FROM k
ORDER BY n;

ALTER TABLE bronze.hotels ADD PRIMARY KEY (hotel_id);
ALTER TABLE bronze.guests ADD PRIMARY KEY (guest_id);
ALTER TABLE bronze.room_inventory ADD PRIMARY KEY (inventory_id);
ALTER TABLE bronze.reservations ADD PRIMARY KEY (reservation_id);
ALTER TABLE bronze.folio_charges ADD PRIMARY KEY (charge_id);
ALTER TABLE bronze.reviews ADD PRIMARY KEY (review_id);

DROP MACRO IF EXISTS prand;

-- Airline test catalog: Northwind Regional, a regional airline flying thin routes
-- around Norway, Denmark, Sweden, Scotland, Iceland and the Faroe Islands
-- (deterministic, no scale).
--
-- Tables (schema bronze)
--   airports    airports served, with country, region and hub flag             13
--   routes      directional scheduled routes (origin-destination), some
--               launched in 2024 / 2025                                        20
--   flights     operated or cancelled flights 2024-01-01 .. 2025-06-30 with
--               scheduled/actual departure, delay minutes and cause          1 577
--   passengers  customers, loyalty programme members (tier, enrolment date)  4 000
--   tickets     one ticket per passenger and flight: fare class, booking
--               channel, booking date, fare and ancillary amounts           48 389
--
-- QUIRKS:
--   flights.route_id IS NULL for ad-hoc charter flights (no scheduled route)
--   tickets.passenger_id IS NULL for group/agency tickets not linked to a profile
--   passengers.loyalty_tier IS NULL for passengers not in the loyalty programme
--   flights.departure_delay_minutes / actual_departure NULL for cancelled flights
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.airports AS
SELECT * FROM (VALUES
  ('OSL', 'Oslo Gardermoen', 'Oslo', 'NO', 'Scandinavia', true),
  ('BGO', 'Bergen Flesland', 'Bergen', 'NO', 'Scandinavia', true),
  ('TRD', 'Trondheim Vaernes', 'Trondheim', 'NO', 'Scandinavia', false),
  ('TOS', 'Tromso Langnes', 'Tromso', 'NO', 'Scandinavia', false),
  ('SVG', 'Stavanger Sola', 'Stavanger', 'NO', 'Scandinavia', false),
  ('CPH', 'Copenhagen Kastrup', 'Copenhagen', 'DK', 'Scandinavia', false),
  ('AAL', 'Aalborg', 'Aalborg', 'DK', 'Scandinavia', false),
  ('GOT', 'Gothenburg Landvetter', 'Gothenburg', 'SE', 'Scandinavia', false),
  ('ABZ', 'Aberdeen Dyce', 'Aberdeen', 'GB', 'British Isles', true),
  ('EDI', 'Edinburgh', 'Edinburgh', 'GB', 'British Isles', false),
  ('LSI', 'Sumburgh', 'Shetland', 'GB', 'British Isles', false),
  ('KEF', 'Reykjavik Keflavik', 'Reykjavik', 'IS', 'North Atlantic', false),
  ('FAE', 'Vagar', 'Faroe Islands', 'FO', 'North Atlantic', false)
) v(airport_code, airport_name, city, country, region, is_hub);

-- one row per direction; the route id is ORIGIN-DESTINATION
CREATE OR REPLACE TABLE bronze.routes AS
WITH pairs AS (
  SELECT * FROM (VALUES
    (1, 'OSL', 'BGO', 305, DATE '2012-04-01', 0.95),
    (2, 'OSL', 'TRD', 365, DATE '2012-04-01', 0.80),
    (3, 'OSL', 'TOS', 1115, DATE '2014-10-26', 0.55),
    (4, 'BGO', 'SVG', 160, DATE '2016-03-27', 0.60),
    (5, 'BGO', 'ABZ', 490, DATE '2017-03-26', 0.45),
    (6, 'OSL', 'CPH', 485, DATE '2015-03-29', 0.70),
    (7, 'CPH', 'AAL', 240, DATE '2019-10-27', 0.40),
    (8, 'ABZ', 'LSI', 300, DATE '2018-03-25', 0.50),
    (9, 'BGO', 'FAE', 640, DATE '2024-04-02', 0.30),
    (10, 'EDI', 'KEF', 1330, DATE '2025-03-30', 0.35),
    (11, 'OSL', 'GOT', 255, DATE '2021-03-28', 0.35)
  ) v(pair_id, a, b, distance_km, launched_date, frequency)
), dirs AS (
  SELECT pair_id, a AS origin, b AS destination, distance_km, launched_date, frequency, 1 AS dir FROM pairs
  UNION ALL
  SELECT pair_id, b, a, distance_km, launched_date, frequency, 2 FROM pairs
  -- the Aalborg and Gothenburg routes are flown one way only (triangle routings)
  WHERE pair_id NOT IN (7, 11)
)
SELECT
  d.origin || '-' || d.destination AS route_id,
  d.origin AS origin_airport_code,
  d.destination AS destination_airport_code,
  ad.city AS destination_city,
  ad.country AS destination_country,
  d.distance_km,
  CASE WHEN ao.country = ad.country THEN 'domestic' ELSE 'international' END AS route_type,
  CASE WHEN d.distance_km < 500 THEN 'short_haul' ELSE 'medium_haul' END AS haul_band,
  d.launched_date,
  d.frequency,
  d.pair_id * 10 + d.dir AS route_no
FROM dirs d
JOIN bronze.airports ao ON ao.airport_code = d.origin
JOIN bronze.airports ad ON ad.airport_code = d.destination
ORDER BY route_no;

CREATE OR REPLACE TABLE bronze.flights AS
WITH days AS (
  SELECT CAST(DATE '2024-01-01' + CAST(n AS INTEGER) AS DATE) AS d, CAST(n AS BIGINT) AS n FROM range(0, 547) r(n)
), sched AS (
  SELECT r.route_id, r.route_no, r.distance_km, days.d AS flight_date, days.n
  FROM bronze.routes r JOIN days ON days.d >= r.launched_date
  WHERE prand(days.n * 97 + r.route_no, 3) < r.frequency * 0.28
       * CASE WHEN month(days.d) IN (6, 7, 8) THEN 1.25 WHEN month(days.d) IN (1, 2, 11) THEN 0.8 ELSE 1.0 END
  UNION ALL
  -- ad-hoc charters: no scheduled route
  SELECT NULL, 0, 600, days.d, days.n FROM days WHERE prand(days.n, 4) < 0.04
), f AS (
  SELECT *, row_number() OVER (ORDER BY flight_date, route_no) AS k FROM sched
), g AS (
  SELECT *,
    CASE WHEN prand(k, 5) < 0.30 THEN 'ATR 72' WHEN prand(k, 5) < 0.65 THEN 'Dash 8-300' ELSE 'Saab 340' END AS aircraft_type,
    CASE WHEN prand(k, 6) < 0.035 + CASE WHEN month(flight_date) IN (12, 1, 2) THEN 0.03 ELSE 0 END THEN 'cancelled'
         WHEN prand(k, 6) > 0.992 THEN 'diverted' ELSE 'landed' END AS flight_status,
    CASE WHEN prand(k, 7) < 0.62 THEN -5 + CAST(floor(prand(k, 8) * 15) AS INTEGER)
         ELSE 10 + CAST(floor(pow(prand(k, 8), 2.2) * 170) AS INTEGER) END AS delay,
    6 + CAST(floor(prand(k, 9) * 15) AS INTEGER) AS dep_hour,
    CAST(floor(prand(k, 10) * 12) AS INTEGER) * 5 AS dep_min
  FROM f
)
SELECT
  k AS flight_id,
  'NR' || CAST(CASE WHEN route_no = 0 THEN 900 + CAST(floor(prand(k, 11) * 90) AS INTEGER)
                    ELSE route_no * 10 + CAST(floor(prand(k, 11) * 4) AS INTEGER) END AS VARCHAR) AS flight_number,
  route_id,
  flight_date,
  CAST(flight_date AS TIMESTAMP) + to_hours(dep_hour) + to_minutes(dep_min) AS scheduled_departure,
  CASE WHEN flight_status = 'cancelled' THEN NULL
       ELSE CAST(flight_date AS TIMESTAMP) + to_hours(dep_hour) + to_minutes(dep_min + delay) END AS actual_departure,
  CASE WHEN flight_status = 'cancelled' THEN NULL ELSE delay END AS departure_delay_minutes,
  CASE WHEN flight_status = 'cancelled' OR delay <= 15 THEN NULL
       WHEN prand(k, 12) < 0.30 THEN 'weather' WHEN prand(k, 12) < 0.50 THEN 'technical'
       WHEN prand(k, 12) < 0.62 THEN 'crew' WHEN prand(k, 12) < 0.75 THEN 'air_traffic_control'
       ELSE 'late_inbound' END AS delay_cause,
  aircraft_type,
  CASE aircraft_type WHEN 'ATR 72' THEN 70 WHEN 'Dash 8-300' THEN 50 ELSE 34 END AS seat_capacity,
  flight_status
FROM g
ORDER BY k;

CREATE OR REPLACE TABLE bronze.passengers AS
WITH p AS (SELECT CAST(i AS BIGINT) AS i FROM range(1, 4001) t(i))
SELECT
  'PAX-' || lpad(CAST(i AS VARCHAR), 5, '0') AS passenger_id,
  ['Ingrid', 'Ola', 'Kari', 'Lars', 'Sigrid', 'Magnus', 'Freya', 'Erik', 'Astrid', 'Jon', 'Fiona', 'Callum',
   'Aisha', 'Mette', 'Anders', 'Gudrun', 'Hannah', 'Rory', 'Sofie', 'Bjorn']
    [1 + CAST(floor(prand(i, 21) * 20) AS INTEGER)] || ' ' ||
  ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Nielsen', 'Berg', 'Dahl', 'Lindqvist', 'MacLeod',
   'Campbell', 'Stewart', 'Jonsson', 'Petersen', 'Haugen', 'Moen']
    [1 + CAST(floor(prand(i, 22) * 16) AS INTEGER)] AS full_name,
  ['NO', 'NO', 'NO', 'NO', 'DK', 'DK', 'SE', 'GB', 'GB', 'GB', 'IS', 'FO', 'DE', 'US']
    [1 + CAST(floor(prand(i, 23) * 14) AS INTEGER)] AS home_country,
  CASE WHEN prand(i, 24) < 0.55 THEN NULL
       WHEN prand(i, 25) < 0.60 THEN 'blue' WHEN prand(i, 25) < 0.88 THEN 'silver' ELSE 'gold' END AS loyalty_tier,
  CASE WHEN prand(i, 24) < 0.55 THEN NULL
       ELSE DATE '2016-01-01' + CAST(floor(sqrt(prand(i, 26)) * 3468) AS INTEGER) END AS enrolled_date,
  prand(i, 27) < 0.4 AS marketing_opt_in
FROM p
ORDER BY i;

CREATE OR REPLACE TABLE bronze.tickets AS
WITH seats AS (
  SELECT f.flight_id, f.flight_date, f.flight_status, f.route_id, f.seat_capacity,
         CAST(floor(f.seat_capacity * (0.35 + 0.6 * prand(f.flight_id, 31)
              * CASE WHEN month(f.flight_date) IN (6, 7, 8) THEN 1.05 ELSE 0.9 END)) AS INTEGER) AS sold
  FROM bronze.flights f
), t AS (
  SELECT s.*, CAST(r.n AS BIGINT) AS seat_no
  FROM seats s JOIN range(1, 71) r(n) ON r.n <= s.sold
), u AS (
  SELECT *, row_number() OVER (ORDER BY flight_id, seat_no) AS k FROM t
), v AS (
  SELECT *,
    CASE WHEN prand(k, 32) < 0.42 THEN 'basic' WHEN prand(k, 32) < 0.78 THEN 'standard'
         WHEN prand(k, 32) < 0.93 THEN 'flex' ELSE 'business' END AS fare_class,
    CAST(floor(pow(prand(k, 33), 1.6) * least(120, flight_date - DATE '2024-01-01')) AS INTEGER) AS lead_days,
    prand(k, 34) AS ps
  FROM u
)
SELECT
  'TKT-' || lpad(CAST(k AS VARCHAR), 7, '0') AS ticket_id,
  flight_id,
  CASE WHEN prand(k, 35) < 0.03 THEN NULL
       ELSE 'PAX-' || lpad(CAST(1 + CAST(floor(pow(prand(k, 36), 1.7) * 4000) AS INTEGER) AS VARCHAR), 5, '0') END AS passenger_id,
  flight_date - lead_days AS booking_date,
  flight_date AS departure_date,
  fare_class,
  CASE WHEN prand(k, 37) < 0.46 THEN 'website' WHEN prand(k, 37) < 0.74 THEN 'mobile_app'
       WHEN prand(k, 37) < 0.92 THEN 'travel_agency' ELSE 'call_centre' END AS booking_channel,
  CASE WHEN flight_status = 'cancelled' THEN 'cancelled'
       WHEN ps < 0.05 THEN 'cancelled' WHEN ps < 0.09 THEN 'no_show' ELSE 'flown' END AS ticket_status,
  CASE WHEN prand(k, 38) < 0.04 THEN 1 ELSE 0 END AS is_award,
  CAST(round(CASE WHEN prand(k, 38) < 0.04 THEN 18 + prand(k, 39) * 20
    ELSE (CASE fare_class WHEN 'basic' THEN 49 WHEN 'standard' THEN 79 WHEN 'flex' THEN 139 ELSE 229 END)
         * (0.8 + prand(k, 39) * 0.7) * (1.3 - least(lead_days, 90) / 150.0) END, 2) AS DECIMAL(10, 2)) AS fare_amount,
  CAST(CASE WHEN prand(k, 40) < 0.35 THEN round(15 + prand(k, 41) * 45, 0) ELSE 0 END AS DECIMAL(10, 2)) AS ancillary_amount
FROM v
ORDER BY k;

-- generation helpers, not part of the routes table
ALTER TABLE bronze.routes DROP COLUMN frequency;
ALTER TABLE bronze.routes DROP COLUMN route_no;

ALTER TABLE bronze.airports ADD PRIMARY KEY (airport_code);
ALTER TABLE bronze.routes ADD PRIMARY KEY (route_id);
ALTER TABLE bronze.flights ADD PRIMARY KEY (flight_id);
ALTER TABLE bronze.passengers ADD PRIMARY KEY (passenger_id);
ALTER TABLE bronze.tickets ADD PRIMARY KEY (ticket_id);

DROP MACRO IF EXISTS prand;

-- Traps for conversion metrics and semi-additive measures (MetricFlow's semantics).
-- Funnel: visits then purchases per user. User 1 visits twice before one purchase
-- (the purchase belongs to the later visit), buys once before any visit (no
-- conversion) and twice after one visit (two conversions); user 4 buys 6 days
-- after a visit in another month (the base month counts) and 15 days after
-- another (outside 7 days); user 5 buys exactly 7 days after (outside: the
-- window is [visit day, visit day + 7 days)); user 2 buys on another device than
-- the visit's (the constant property differs); user 3 buys hours before a
-- visit of the same day (days are compared, as the time dimension's grain is
-- day); user 7 buys without visiting; user 6 visits without buying.
CREATE SCHEMA bronze;
CREATE TABLE bronze.users AS SELECT * FROM (VALUES
  (1, 'new'), (2, 'returning'), (3, 'new'), (4, 'returning'), (5, 'new'), (6, NULL), (7, 'new')) t(user_id, segment);
CREATE TABLE bronze.visits AS SELECT visit_id, user_id, CAST(visited_at AS TIMESTAMP) AS visited_at, channel, device FROM (VALUES
  (1, 1, '2025-01-02 09:00:00', 'ads', 'mobile'),
  (2, 1, '2025-01-05 10:00:00', 'search', 'mobile'),
  (3, 2, '2025-01-10 15:00:00', 'ads', 'desktop'),
  (4, 3, '2025-01-20 08:00:00', 'email', 'mobile'),
  (5, 4, '2025-01-28 12:00:00', 'ads', 'desktop'),
  (6, 5, '2025-02-01 12:00:00', 'search', 'mobile'),
  (7, 2, '2025-02-10 09:00:00', 'search', 'desktop'),
  (8, 6, '2025-02-15 10:00:00', 'ads', 'mobile'),
  (9, 3, '2025-02-20 18:00:00', 'ads', 'mobile'),
  (10, 1, '2025-03-01 10:00:00', 'email', 'mobile'),
  (11, 4, '2025-03-10 10:00:00', 'ads', 'desktop')) t(visit_id, user_id, visited_at, channel, device);
CREATE TABLE bronze.purchases AS SELECT purchase_id, user_id, CAST(purchased_at AS TIMESTAMP) AS purchased_at, amount, device FROM (VALUES
  (101, 1, '2025-01-06 12:00:00', 30.0, 'mobile'),
  (102, 2, '2025-01-12 10:00:00', 50.0, 'desktop'),
  (103, 4, '2025-02-03 09:00:00', 20.0, 'desktop'),
  (104, 5, '2025-02-08 12:00:00', 10.0, 'mobile'),
  (105, 2, '2025-02-12 10:00:00', 40.0, 'mobile'),
  (106, 3, '2025-02-20 09:00:00', 25.0, 'mobile'),
  (107, 1, '2025-03-02 10:00:00', 15.0, 'mobile'),
  (108, 1, '2025-03-04 10:00:00', 35.0, 'mobile'),
  (109, 4, '2025-03-25 10:00:00', 60.0, 'desktop'),
  (110, 7, '2025-01-15 10:00:00', 99.0, 'mobile'),
  (111, 1, '2025-01-01 10:00:00', 5.0, 'mobile')) t(purchase_id, user_id, purchased_at, amount, device);
-- Balances: daily snapshots per account on the days an account changed; no
-- account has a row every day, account 1 has none on 2025-03-31 and account 3
-- closed in February, so a sum over days (or over each account's last row)
-- is not the balance of the last day.
CREATE TABLE bronze.accounts AS SELECT * FROM (VALUES
  (1, 'checking'), (2, 'savings'), (3, 'checking'), (4, 'savings')) t(account_id, account_type);
CREATE TABLE bronze.balances AS SELECT snapshot_id, account_id, CAST(snapshot_date AS DATE) AS snapshot_date,
  CAST(snapshot_date AS DATE) + 1 AS booked_on, balance FROM (VALUES
  (1, 1, '2025-01-30', 100.0), (2, 1, '2025-01-31', 110.0), (3, 1, '2025-02-27', 150.0), (4, 1, '2025-02-28', 160.0),
  (5, 1, '2025-03-30', 170.0),
  (6, 2, '2025-01-31', 1000.0), (7, 2, '2025-02-28', 1200.0), (8, 2, '2025-03-31', 1300.0),
  (9, 3, '2025-01-15', 50.0), (10, 3, '2025-01-31', 55.0), (11, 3, '2025-02-14', 60.0),
  (12, 4, '2025-01-31', 500.0), (13, 4, '2025-02-28', 400.0), (14, 4, '2025-03-15', 420.0), (15, 4, '2025-03-31', 450.0)
  ) t(snapshot_id, account_id, snapshot_date, balance);
-- Stock counts: each product counted on its own days; the stock on hand is each
-- product's last count (window_groupings: product), summed.
CREATE TABLE bronze.products AS SELECT * FROM (VALUES (1, 'tools'), (2, 'tools'), (3, 'parts')) t(product_id, category);
CREATE TABLE bronze.stock_counts AS SELECT count_id, product_id, CAST(counted_on AS DATE) AS counted_on, on_hand FROM (VALUES
  (1, 1, '2025-01-10', 40), (2, 1, '2025-01-25', 35), (3, 1, '2025-02-20', 30),
  (4, 2, '2025-01-05', 100), (5, 2, '2025-02-03', 90), (6, 2, '2025-02-27', 80),
  (7, 3, '2025-01-31', 7), (8, 3, '2025-03-02', 5)) t(count_id, product_id, counted_on, on_hand);

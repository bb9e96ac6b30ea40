-- Game test catalog: Pixel Harbor Games, a free-to-play mobile studio with three titles
-- (Gem Cascade: puzzle, live since 2023; Tiny Kingdoms: strategy; Drift Legends: racing, launched
-- 2025-02-10). Deterministic, no scale; a held-out catalog the dpgen code was not written for.
--
-- Tables (schema bronze)                                                          rows
--   ua_campaigns     paid user-acquisition campaigns (network, optimisation goal,
--                    status, start/end dates)                                      22
--   players          one row per install 2024-01-01 .. 2025-06-30: game, platform,
--                    country, market tier, acquisition source, campaign, status     8 000
--   sessions         game sessions (start timestamp, length, level reached,
--                    app version, crash flag) 2024-01-01 .. 2025-06-30             46 680
--   player_days      daily activity snapshot: one row per player and day played
--                    (sessions, playtime, new/returning)                           33 925
--   iap_purchases    in-app purchases: SKU, local price and currency, USD revenue,
--                    store, refunded flag, first-purchase flag (0/1)                 1 221
--   ad_impressions   ad impressions shown in sessions: ad format, placement,
--                    mediation ad network, estimated revenue in USD                46 376
--
-- QUIRKS (deliberate):
--   G1  players.campaign_id IS NULL for every organic / cross_promo install and for paid installs whose
--       attribution was lost (no active campaign of the game matched, or the MMP dropped it, ~4 %)
--   G2  players.country IS NULL (geo lookup failed, ~1 %), market_tier NULL with it
--   G3  iap_purchases.player_id IS NULL (store receipt never matched to a player, ~1.5 %)
--   G4  sessions.length_seconds IS NULL (session end event never received, ~2 %)
--   G5  iap_purchases.is_first_purchase is an INTEGER 0/1 flag; is_refunded and sessions.crashed are BOOLEAN
--   G6  ua_networks (campaigns) and ad_networks (impressions) share the values applovin, unity and meta
--   G7  campaign CMP-306 is scheduled for July 2025 and has no installs; some players never played (no session)
--
-- prand(i, salt): version-independent pseudo-random number in [0, 1) (same hash as tests/data/hr).
CREATE OR REPLACE MACRO prand(i, salt) AS (CAST((((((i * 1103515245 + salt * 40503 + 12345) % 2147483647)
  * ((i * 1103515245 + salt * 40503 + 12345) % 2147483647)) + salt * 7919) % 2147483647) * 1583458089 % 2147483647 AS DOUBLE)
  / 2147483647.0);
CREATE SCHEMA IF NOT EXISTS bronze;

CREATE OR REPLACE TABLE bronze.ua_campaigns AS
SELECT campaign_id, campaign_name, game_code, ua_network, optimization_goal, campaign_status,
       CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date
FROM (VALUES
  ('CMP-101', 'GC_Launch24_Meta',      'GC', 'meta',       'installs',  'ended',     '2024-01-01', '2024-06-30'),
  ('CMP-102', 'GC_Launch24_Google',    'GC', 'google',     'installs',  'ended',     '2024-01-01', '2024-03-31'),
  ('CMP-103', 'GC_Spring24_AppLovin',  'GC', 'applovin',   'purchases', 'ended',     '2024-03-15', '2024-08-31'),
  ('CMP-104', 'GC_Summer24_TikTok',    'GC', 'tiktok',     'installs',  'ended',     '2024-06-01', '2024-09-30'),
  ('CMP-105', 'GC_H2-24_Meta_ROAS',    'GC', 'meta',       'roas',      'ended',     '2024-07-01', '2024-12-31'),
  ('CMP-106', 'GC_Holiday24_Google',   'GC', 'google',     'purchases', 'ended',     '2024-11-01', '2025-01-15'),
  ('CMP-107', 'GC_H1-25_AppLovin',     'GC', 'applovin',   'roas',      'active',    '2025-01-01', NULL),
  ('CMP-108', 'GC_Spring25_Unity',     'GC', 'unity',      'installs',  'ended',     '2025-03-03', '2025-05-31'),
  ('CMP-109', 'GC_Q2-25_Meta',         'GC', 'meta',       'purchases', 'active',    '2025-04-01', NULL),
  ('CMP-110', 'GC_Q2-25_TikTok',       'GC', 'tiktok',     'installs',  'paused',    '2025-04-14', '2025-06-10'),
  ('CMP-111', 'GC_Mar25_ironSource',   'GC', 'ironsource', 'installs',  'ended',     '2025-03-10', '2025-04-20'),
  ('CMP-201', 'TK_Evergreen_Google',   'TK', 'google',     'purchases', 'active',    '2024-01-01', NULL),
  ('CMP-202', 'TK_Q1-24_Meta',         'TK', 'meta',       'installs',  'ended',     '2024-01-15', '2024-04-30'),
  ('CMP-203', 'TK_Q3-24_Unity',        'TK', 'unity',      'installs',  'ended',     '2024-07-01', '2024-10-31'),
  ('CMP-204', 'TK_Q4-24_AppLovin',     'TK', 'applovin',   'roas',      'ended',     '2024-10-01', '2025-02-28'),
  ('CMP-205', 'TK_2025_Meta_ROAS',     'TK', 'meta',       'roas',      'active',    '2025-01-10', NULL),
  ('CMP-206', 'TK_May25_TikTok',       'TK', 'tiktok',     'installs',  'active',    '2025-05-05', NULL),
  ('CMP-301', 'DL_Launch_Meta',        'DL', 'meta',       'installs',  'active',    '2025-02-10', NULL),
  ('CMP-302', 'DL_Launch_Google',      'DL', 'google',     'installs',  'ended',     '2025-02-10', '2025-04-30'),
  ('CMP-303', 'DL_Launch_TikTok',      'DL', 'tiktok',     'installs',  'active',    '2025-02-10', NULL),
  ('CMP-304', 'DL_Q2-25_AppLovin',     'DL', 'applovin',   'purchases', 'active',    '2025-04-01', NULL),
  ('CMP-306', 'DL_Retarget_Jul25',     'DL', 'unity',      'purchases', 'scheduled', '2025-07-01', NULL)   -- G7
) v(campaign_id, campaign_name, game_code, ua_network, optimization_goal, campaign_status, start_date, end_date);

CREATE OR REPLACE TABLE bronze.players AS
WITH p AS (
  SELECT i AS player_id,
    DATE '2024-01-01' + CAST(floor(pow(prand(i, 1), 0.8) * 547) AS INTEGER) AS install_date,
    prand(i, 2) AS u_game
  FROM range(100001, 108001) t(i)
), g AS (
  SELECT *,
    CASE WHEN install_date >= DATE '2025-02-10'
         THEN CASE WHEN u_game < 0.45 THEN 'GC' WHEN u_game < 0.72 THEN 'TK' ELSE 'DL' END
         ELSE CASE WHEN u_game < 0.62 THEN 'GC' ELSE 'TK' END END AS game_code,
    CASE WHEN prand(player_id, 3) < 0.58 THEN 'android' ELSE 'ios' END AS platform,
    CASE WHEN prand(player_id, 4) < 0.01 THEN NULL                                                -- G2
         ELSE ['US', 'US', 'US', 'US', 'US', 'BR', 'BR', 'IN', 'IN', 'DE', 'GB', 'FR', 'JP', 'JP', 'KR', 'MX', 'CA',
               'AU', 'TR', 'ID', 'PH'][1 + CAST(floor(prand(player_id, 5) * 21) AS INTEGER)] END AS country,
    CASE WHEN prand(player_id, 6) < 0.55 THEN 'organic' WHEN prand(player_id, 6) < 0.94 THEN 'paid'
         ELSE 'cross_promo' END AS acquisition_source
  FROM p
), c AS (
  -- paid installs: one of the game's campaigns running on the install day, picked at random
  SELECT g.player_id, uc.campaign_id,
         row_number() OVER (PARTITION BY g.player_id ORDER BY prand(g.player_id * 7 + CAST(substr(uc.campaign_id, 5) AS INTEGER), 7)) AS rk
  FROM g JOIN bronze.ua_campaigns uc
    ON uc.game_code = g.game_code AND g.acquisition_source = 'paid'
   AND g.install_date >= uc.start_date AND g.install_date <= coalesce(uc.end_date, DATE '2025-06-30')
   AND uc.campaign_status <> 'scheduled'
)
SELECT
  g.player_id,
  CASE g.game_code WHEN 'GC' THEN 'Gem Cascade' WHEN 'TK' THEN 'Tiny Kingdoms' ELSE 'Drift Legends' END AS game_title,
  g.platform,
  g.country,
  CASE WHEN g.country IN ('US', 'CA', 'GB', 'DE', 'FR', 'JP', 'KR', 'AU') THEN 'tier_1'
       WHEN g.country IN ('BR', 'MX', 'TR') THEN 'tier_2'
       WHEN g.country IN ('IN', 'ID', 'PH') THEN 'tier_3' END AS market_tier,
  g.acquisition_source,
  CASE WHEN prand(g.player_id, 8) < 0.04 THEN NULL ELSE c.campaign_id END AS campaign_id,          -- G1
  g.install_date,
  CASE WHEN prand(g.player_id, 9) < 0.015 THEN 'banned' WHEN prand(g.player_id, 9) < 0.045 THEN 'deleted'
       ELSE 'active' END AS account_status
FROM g LEFT JOIN c ON c.player_id = g.player_id AND c.rk = 1
ORDER BY g.player_id;

-- activity plan: K active days per player (0 for installs that never opened the game, G7), day offsets increasing
CREATE OR REPLACE TEMP TABLE _days AS
WITH k AS (
  SELECT player_id, install_date, game_title, platform, market_tier,
    CASE WHEN prand(player_id, 10) < 0.07 THEN 0 ELSE 1 + CAST(floor(pow(prand(player_id, 11), 4) * 22) AS INTEGER) END AS k,
    1 + CAST(floor(prand(player_id, 12) * 12) AS INTEGER) AS gap
  FROM bronze.players
)
SELECT k.player_id, k.game_title, k.platform, k.market_tier, k.install_date, k.k, j.j,
  k.install_date + CAST(CASE WHEN j.j = 0 THEN 0
                        ELSE j.j * k.gap + floor(prand(k.player_id * 40 + j.j, 13) * k.gap) END AS INTEGER) AS activity_date
FROM k JOIN range(0, 31) j(j) ON j.j < k.k;
DELETE FROM _days WHERE activity_date > DATE '2025-06-30';

CREATE OR REPLACE TABLE bronze.sessions AS
WITH s AS (
  SELECT d.*, n.n,
    (d.player_id * 40 + d.j) * 4 + n.n AS seed
  FROM _days d JOIN range(0, 3) n(n)
    ON n.n < 1 + CASE WHEN prand(d.player_id * 40 + d.j, 14) < 0.30 THEN 1 ELSE 0 END
                   + CASE WHEN prand(d.player_id * 40 + d.j, 14) < 0.08 THEN 1 ELSE 0 END
), t AS (
  SELECT *,
    CAST(activity_date AS TIMESTAMP)
      + to_seconds(CAST(floor((n * 5 + 7 + pow(prand(seed, 15), 0.7) * 4.5) * 3600) AS BIGINT)) AS started_at,
    CASE WHEN activity_date < DATE '2024-05-01' THEN '1.8' WHEN activity_date < DATE '2024-10-01' THEN '1.9'
         WHEN activity_date < DATE '2025-03-01' THEN '2.0' ELSE '2.1' END AS app_version
  FROM s
)
SELECT
  row_number() OVER (ORDER BY started_at, player_id) AS session_id,
  player_id,
  started_at,
  CASE WHEN prand(seed, 16) < 0.02 THEN NULL                                                           -- G4
       ELSE 30 + CAST(floor(pow(prand(seed, 17), 1.7) * CASE game_title WHEN 'Tiny Kingdoms' THEN 2100 ELSE 1500 END) AS INTEGER)
  END AS length_seconds,
  1 + CAST(floor(j * CASE game_title WHEN 'Gem Cascade' THEN 3.2 WHEN 'Tiny Kingdoms' THEN 1.3 ELSE 2.0 END) AS INTEGER)
    + n + CAST(floor(prand(seed, 18) * 3) AS INTEGER) AS level_reached,
  app_version,
  prand(seed, 19) < CASE WHEN app_version = '2.0' THEN 0.05 ELSE 0.015 END
                    * CASE WHEN platform = 'android' THEN 1.6 ELSE 0.8 END AS crashed
FROM t
ORDER BY session_id;

CREATE OR REPLACE TABLE bronze.player_days AS
SELECT
  s.player_id || '-' || strftime(CAST(s.started_at AS DATE), '%Y%m%d') AS player_day_key,
  s.player_id,
  CAST(s.started_at AS DATE) AS activity_date,
  CASE WHEN CAST(s.started_at AS DATE) = p.install_date THEN 'new' ELSE 'returning' END AS player_type,
  count(*) AS sessions,
  sum(coalesce(s.length_seconds, 0)) AS playtime_seconds,
  max(s.level_reached) AS max_level
FROM bronze.sessions s JOIN bronze.players p ON p.player_id = s.player_id
GROUP BY s.player_id, CAST(s.started_at AS DATE), p.install_date
ORDER BY 3, 2;

CREATE OR REPLACE TABLE bronze.iap_purchases AS
WITH pk AS (
  SELECT p.player_id, p.platform, p.country, p.market_tier,
    prand(p.player_id, 20) < (CASE WHEN p.platform = 'ios' THEN 0.055 ELSE 0.03 END)
       * CASE p.market_tier WHEN 'tier_1' THEN 1.4 WHEN 'tier_3' THEN 0.6 ELSE 1.0 END
       * (1 + coalesce(d.k, 0) / 8.0) AS is_payer,
    prand(p.player_id, 21) < 0.12 AS is_whale
  FROM bronze.players p LEFT JOIN (SELECT player_id, max(k) AS k FROM _days GROUP BY 1) d ON d.player_id = p.player_id
), cand AS (
  SELECT s.session_id, s.started_at, pk.*
  FROM bronze.sessions s JOIN pk ON pk.player_id = s.player_id
  WHERE pk.is_payer AND prand(s.session_id, 22) < CASE WHEN pk.is_whale THEN 0.5 ELSE 0.17 END
), sk AS (
  SELECT *,
    ['gems_100', 'gems_100', 'gems_100', 'gems_100', 'gems_100', 'gems_100', 'gems_550', 'gems_550', 'gems_550',
     'gems_550', 'gems_1200', 'gems_1200', 'starter_pack', 'starter_pack', 'battle_pass', 'battle_pass',
     'no_ads', 'vip_weekly', 'vip_weekly', 'gems_6500'][1 + CAST(floor(prand(session_id, 23) * 20) AS INTEGER)] AS sku,
    started_at + to_seconds(CAST(30 + floor(prand(session_id, 24) * 540) AS BIGINT)) AS purchased_at
  FROM cand
), pr AS (
  SELECT *,
    CASE WHEN is_whale AND sku = 'gems_100' THEN 'gems_1200' ELSE sku END AS sku2
  FROM sk
), priced AS (
  SELECT *,
    CASE sku2 WHEN 'gems_100' THEN 0.99 WHEN 'gems_550' THEN 4.99 WHEN 'gems_1200' THEN 9.99 WHEN 'gems_6500' THEN 49.99
              WHEN 'starter_pack' THEN 2.99 WHEN 'battle_pass' THEN 9.99 WHEN 'no_ads' THEN 3.99 ELSE 6.99 END AS list_usd,
    CASE country WHEN 'IN' THEN 0.45 WHEN 'ID' THEN 0.5 WHEN 'PH' THEN 0.55 WHEN 'TR' THEN 0.5 WHEN 'BR' THEN 0.6
                 WHEN 'MX' THEN 0.7 ELSE 1.0 END AS ppp,
    CASE country WHEN 'GB' THEN 'GBP' WHEN 'DE' THEN 'EUR' WHEN 'FR' THEN 'EUR' WHEN 'JP' THEN 'JPY' WHEN 'KR' THEN 'KRW'
                 WHEN 'BR' THEN 'BRL' WHEN 'IN' THEN 'INR' WHEN 'MX' THEN 'MXN' WHEN 'CA' THEN 'CAD' WHEN 'AU' THEN 'AUD'
                 WHEN 'TR' THEN 'TRY' WHEN 'ID' THEN 'IDR' WHEN 'PH' THEN 'PHP' ELSE 'USD' END AS currency,
    row_number() OVER (PARTITION BY player_id ORDER BY purchased_at, session_id) AS nth
  FROM pr
), o AS (
  SELECT *, row_number() OVER (ORDER BY purchased_at, player_id) AS k FROM priced
)
SELECT
  'TX-' || lpad(CAST(k AS VARCHAR), 6, '0') AS purchase_id,
  CASE WHEN prand(k, 25) < 0.015 THEN NULL ELSE player_id END AS player_id,                           -- G3
  purchased_at,
  sku2 AS sku,
  CASE WHEN sku2 LIKE 'gems%' THEN 'gems' WHEN sku2 = 'starter_pack' THEN 'bundle' WHEN sku2 = 'battle_pass' THEN 'season_pass'
       WHEN sku2 = 'no_ads' THEN 'utility' ELSE 'subscription' END AS sku_category,
  CASE WHEN platform = 'ios' THEN 'app_store' ELSE 'google_play' END AS store,
  currency,
  CAST(round(list_usd * ppp * CASE currency WHEN 'GBP' THEN 0.79 WHEN 'EUR' THEN 0.92 WHEN 'JPY' THEN 150 WHEN 'KRW' THEN 1350
       WHEN 'BRL' THEN 5.2 WHEN 'INR' THEN 83 WHEN 'MXN' THEN 17.5 WHEN 'CAD' THEN 1.36 WHEN 'AUD' THEN 1.52 WHEN 'TRY' THEN 32
       WHEN 'IDR' THEN 15800 WHEN 'PHP' THEN 56 ELSE 1 END, 2) AS DECIMAL(12, 2)) AS price_local,
  CAST(round(list_usd * ppp, 2) AS DECIMAL(10, 2)) AS revenue_usd,
  prand(k, 26) < CASE WHEN sku2 = 'gems_6500' THEN 0.15 ELSE 0.04 END AS is_refunded,
  CASE WHEN nth = 1 THEN 1 ELSE 0 END AS is_first_purchase
FROM o
ORDER BY k;

CREATE OR REPLACE TABLE bronze.ad_impressions AS
WITH a AS (
  SELECT s.session_id, s.player_id, s.started_at, s.length_seconds, p.market_tier, m.m,
    s.session_id * 3 + m.m AS seed
  FROM bronze.sessions s JOIN bronze.players p ON p.player_id = s.player_id
  JOIN range(0, 3) m(m)
    ON prand(s.session_id * 3 + m.m, 30) < CASE m.m WHEN 0 THEN 0.60 WHEN 1 THEN 0.30 ELSE 0.10 END
), f AS (
  SELECT *,
    CASE WHEN prand(seed, 31) < 0.36 THEN 'rewarded' WHEN prand(seed, 31) < 0.76 THEN 'interstitial' ELSE 'banner' END AS ad_format
  FROM a
), g AS (
  SELECT *,
    CASE ad_format
      WHEN 'rewarded' THEN CASE WHEN prand(seed, 32) < 0.6 THEN 'extra_life' ELSE 'double_reward' END
      WHEN 'interstitial' THEN CASE WHEN prand(seed, 32) < 0.7 THEN 'level_end' ELSE 'app_resume' END
      ELSE 'home_screen' END AS placement,
    ['applovin', 'applovin', 'applovin', 'applovin', 'applovin', 'applovin', 'applovin', 'admob', 'admob', 'admob',
     'admob', 'admob', 'unity', 'unity', 'unity', 'unity', 'ironsource', 'ironsource', 'meta', 'meta']
      [1 + CAST(floor(prand(seed, 33) * 20) AS INTEGER)] AS ad_network,
    started_at + to_seconds(CAST(5 + floor(prand(seed, 34) * 580) AS BIGINT)) AS served_at
  FROM f
)
SELECT
  row_number() OVER (ORDER BY served_at, seed) AS impression_id,
  player_id,
  served_at,
  ad_format,
  placement,
  ad_network,
  CAST(round(CASE ad_format WHEN 'rewarded' THEN 18.0 WHEN 'interstitial' THEN 10.0 ELSE 0.6 END
             * CASE market_tier WHEN 'tier_1' THEN 1.0 WHEN 'tier_2' THEN 0.4 WHEN 'tier_3' THEN 0.15 ELSE 0.3 END
             * (0.6 + 0.8 * prand(seed, 35)) / 1000.0, 6) AS DECIMAL(12, 6)) AS revenue_usd
FROM g
ORDER BY impression_id;

DROP TABLE _days;

ALTER TABLE bronze.ua_campaigns ADD PRIMARY KEY (campaign_id);
ALTER TABLE bronze.players ADD PRIMARY KEY (player_id);
ALTER TABLE bronze.sessions ADD PRIMARY KEY (session_id);
ALTER TABLE bronze.player_days ADD PRIMARY KEY (player_day_key);
ALTER TABLE bronze.iap_purchases ADD PRIMARY KEY (purchase_id);
ALTER TABLE bronze.ad_impressions ADD PRIMARY KEY (impression_id);

DROP MACRO IF EXISTS prand;

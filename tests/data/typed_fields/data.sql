-- Rows for tests/data/typed_fields: six events of two kinds over two days.
CREATE TABLE events (event_id INTEGER, kind VARCHAR, event_date DATE, amount INTEGER);
INSERT INTO events VALUES
  (1, 'click', DATE '2025-01-01', 10), (2, 'view', DATE '2025-01-01', 20), (3, 'click', DATE '2025-01-02', 30),
  (4, 'view', DATE '2025-01-02', 40), (5, 'view', DATE '2025-01-02', 50), (6, 'click', DATE '2025-01-02', 60);

-- Leader leases: a named role only one instance may hold at a time (Telegram long polling).
-- The holder renews its lease well before expires_at; when an instance dies its lease runs out and
-- another takes it over. Times are Unix epoch milliseconds.
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,               -- host:pid:random of the instance holding it
    expires_at  BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL
);

-- Provider delivery receipts and polling cursors.

-- What the provider later told us about a sent message (Twilio status callbacks, Meta statuses):
-- sent | delivered | read | failed | undelivered, with the provider's error code. Kept apart from
-- `status`, which is our own queue state.
ALTER TABLE outbox ADD COLUMN delivery_status TEXT;
ALTER TABLE outbox ADD COLUMN delivery_error TEXT;
ALTER TABLE outbox ADD COLUMN delivery_updated_at BIGINT;
CREATE INDEX ix_outbox_provider_id ON outbox (channel, provider_message_id);

-- Where a long-polling loop has read up to (Telegram getUpdates offset), so a restart neither
-- loses nor repeats updates.
CREATE TABLE channel_cursors (
    name        TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT NOT NULL
);

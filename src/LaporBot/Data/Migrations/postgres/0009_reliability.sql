-- PostgreSQL counterpart of sqlite/0009_reliability.sql (issue 9): delivery lanes and a readiness probe.
-- priority: staff notifications (no reporter) 0, citizen replies 1; lower goes first within a channel.
-- claimed_by: the instance holding a claim, so a restarted instance releases its own claims at once.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
UPDATE outbox SET priority = 0 WHERE reporter_id IS NULL;

-- The claim walks a channel's pending rows in (priority, id) order, each checked to be its chat's
-- oldest pending row; partial indexes over pending rows only.
CREATE INDEX ix_outbox_lane ON outbox (channel, priority, id) WHERE status = 'pending';
CREATE INDEX ix_outbox_chat_pending ON outbox (channel, recipient, id) WHERE status = 'pending';

-- One row the readiness check rewrites, to prove the database commits a write.
CREATE TABLE readiness_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at BIGINT NOT NULL,
    checked_by TEXT NOT NULL
);

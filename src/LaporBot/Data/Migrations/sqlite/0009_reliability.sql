-- Fair, crash-safe delivery and a readiness probe (issue 9).
-- priority: staff notifications (no reporter) 0, citizen replies 1; lower goes first within a channel.
-- claimed_by: the instance holding a claim, so a restarted instance releases its own claims at once
-- instead of waiting out the lease.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
UPDATE outbox SET priority = 0 WHERE reporter_id IS NULL;

-- The claim query walks a channel's pending rows in (priority, id) order and checks each is its
-- chat's oldest pending row: both answered from these partial indexes, which hold pending rows only.
CREATE INDEX ix_outbox_lane ON outbox (channel, priority, id) WHERE status = 'pending';
CREATE INDEX ix_outbox_chat_pending ON outbox (channel, recipient, id) WHERE status = 'pending';

-- One row the readiness check rewrites, to prove the database commits a write.
CREATE TABLE readiness_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at INTEGER NOT NULL,
    checked_by TEXT NOT NULL
);

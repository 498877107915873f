-- LaporBot initial schema (SQLite). Times are Unix epoch milliseconds (UTC) so the same
-- queries compare and sort them on SQLite and PostgreSQL alike.

CREATE TABLE reporters (
    id               INTEGER PRIMARY KEY,
    channel          TEXT    NOT NULL,            -- simulator | twilio | telegram | meta
    address          TEXT    NOT NULL,            -- chat address: whatsapp:+62…, Telegram chat id, …
    display_name     TEXT,                        -- profile name the provider gave us
    language         TEXT    NOT NULL DEFAULT 'id',
    last_inbound_at  INTEGER,                     -- for WhatsApp's 24-hour customer service window
    unreachable_at   INTEGER,                     -- set when the citizen blocked the bot
    created_at       INTEGER NOT NULL,
    UNIQUE (channel, address)
);

CREATE TABLE conversations (
    reporter_id  INTEGER PRIMARY KEY REFERENCES reporters (id),
    dialog       TEXT    NOT NULL,
    state        TEXT    NOT NULL,                -- JSON: step, values, attempts, language
    updated_at   INTEGER NOT NULL
);

CREATE TABLE inbound_messages (
    id                   INTEGER PRIMARY KEY,
    channel              TEXT    NOT NULL,
    provider_message_id  TEXT    NOT NULL,
    reporter_id          INTEGER NOT NULL REFERENCES reporters (id),
    text                 TEXT,
    latitude             REAL,
    longitude            REAL,
    location_label       TEXT,
    attachments          TEXT,                    -- JSON array, null when none
    unsupported          INTEGER NOT NULL DEFAULT 0,
    received_at          INTEGER NOT NULL,
    UNIQUE (channel, provider_message_id)
);
CREATE INDEX ix_inbound_reporter ON inbound_messages (reporter_id, id);

CREATE TABLE tracking_sequences (
    prefix      TEXT    NOT NULL,
    period      TEXT    NOT NULL,                 -- YYMM
    last_value  INTEGER NOT NULL,
    PRIMARY KEY (prefix, period)
);

CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY,
    tracking_number  TEXT    NOT NULL UNIQUE,
    reporter_id      INTEGER NOT NULL REFERENCES reporters (id),
    channel          TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    address          TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    latitude         REAL,
    longitude        REAL,
    location_label   TEXT,
    language         TEXT    NOT NULL DEFAULT 'id',
    status           TEXT    NOT NULL,
    agency_code      TEXT,
    confidential     INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX ix_complaints_reporter ON complaints (reporter_id, id);
CREATE INDEX ix_complaints_status ON complaints (status, created_at);

CREATE TABLE complaint_attachments (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    source_url    TEXT    NOT NULL,
    content_type  TEXT,
    local_path    TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ix_attachments_complaint ON complaint_attachments (complaint_id);

-- The timeline is append-only: history is never rewritten.
CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    at            INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    note          TEXT
);
CREATE INDEX ix_events_complaint ON complaint_events (complaint_id, id);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;

CREATE TABLE outbox (
    id                   INTEGER PRIMARY KEY,
    channel              TEXT    NOT NULL,
    recipient            TEXT    NOT NULL,
    reporter_id          INTEGER REFERENCES reporters (id),
    complaint_id         INTEGER REFERENCES complaints (id),
    body                 TEXT    NOT NULL,
    quick_replies        TEXT,                    -- JSON array, null when none
    status               TEXT    NOT NULL,        -- pending | sent | delivered | read | failed | dead
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      INTEGER NOT NULL,
    claimed_until        INTEGER,
    last_error           TEXT,
    provider_message_id  TEXT,
    created_at           INTEGER NOT NULL,
    sent_at              INTEGER,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_recipient ON outbox (channel, recipient, id);

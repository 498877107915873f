-- Agencies, staff on Telegram, invite codes, and the routing/SLA state of each complaint.

CREATE TABLE agencies (
    code             TEXT    PRIMARY KEY,            -- e.g. DPUPR; what /disposisi takes
    name             TEXT    NOT NULL,
    keywords         TEXT    NOT NULL DEFAULT '[]',  -- JSON array of words/phrases for routing
    categories       TEXT    NOT NULL DEFAULT '[]',  -- JSON array of coarse labels
    is_inspectorate  INTEGER NOT NULL DEFAULT 0,     -- receives oversight complaints (berkadar pengawasan)
    accept_seconds   INTEGER,                        -- per-agency service standards; NULL = the Sla defaults
    answer_seconds   INTEGER,
    active           INTEGER NOT NULL DEFAULT 1,
    updated_at       INTEGER NOT NULL
);

-- Staff known by their Telegram user id: triage desk members (agency_code NULL) and agency admins.
CREATE TABLE staff_members (
    id                INTEGER PRIMARY KEY,
    telegram_user_id  TEXT    NOT NULL,
    role              TEXT    NOT NULL,              -- triage | agency
    agency_code       TEXT    REFERENCES agencies (code),
    display_name      TEXT,
    source            TEXT    NOT NULL,              -- config | invite
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_staff ON staff_members (telegram_user_id, role, COALESCE(agency_code, ''));

-- One-time, expiring codes an admin sends as /start <code> to link their Telegram account.
CREATE TABLE invite_codes (
    code         TEXT    PRIMARY KEY,
    role         TEXT    NOT NULL,
    agency_code  TEXT    REFERENCES agencies (code),
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_by      TEXT,
    used_at      INTEGER
);

ALTER TABLE complaints ADD COLUMN oversight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN suggestions TEXT;          -- JSON: routing suggestions for the triage desk
ALTER TABLE complaints ADD COLUMN assigned_at INTEGER;
ALTER TABLE complaints ADD COLUMN accepted_at INTEGER;
ALTER TABLE complaints ADD COLUMN answered_at INTEGER;
ALTER TABLE complaints ADD COLUMN closed_at INTEGER;
ALTER TABLE complaints ADD COLUMN step TEXT;                  -- the SLA step now running: assign | accept | answer
ALTER TABLE complaints ADD COLUMN step_started_at INTEGER;
ALTER TABLE complaints ADD COLUMN due_at INTEGER;             -- deadline of the current step
ALTER TABLE complaints ADD COLUMN remind_at INTEGER;
ALTER TABLE complaints ADD COLUMN reminded_at INTEGER;
ALTER TABLE complaints ADD COLUMN overdue_at INTEGER;         -- set when the current step's deadline passed
ALTER TABLE complaints ADD COLUMN total_due_at INTEGER;       -- submission → answer, the SOP's total standard
ALTER TABLE complaints ADD COLUMN answer TEXT;
ALTER TABLE complaints ADD COLUMN answered_by TEXT;
ALTER TABLE complaints ADD COLUMN auto_close_at INTEGER;
ALTER TABLE complaints ADD COLUMN rating INTEGER;
ALTER TABLE complaints ADD COLUMN satisfied INTEGER;
ALTER TABLE complaints ADD COLUMN return_reason TEXT;         -- why it was returned (to the citizen or to triage)
CREATE INDEX ix_complaints_due ON complaints (due_at);
CREATE INDEX ix_complaints_agency ON complaints (agency_code, status);

-- Inline buttons on an outgoing message (Telegram callback data), as JSON [{ "text": …, "data": … }].
ALTER TABLE outbox ADD COLUMN buttons TEXT;
-- What a staff message is for, so a reply to it can be understood: notify | ask_answer | ask_reason.
ALTER TABLE outbox ADD COLUMN purpose TEXT;

-- One overdue digest per local day, however often the job fires.
CREATE TABLE digests (
    day      TEXT    PRIMARY KEY,
    sent_at  INTEGER NOT NULL
);

-- Staff commands arriving over Telegram, deduplicated by update id like citizens' messages.
CREATE TABLE staff_updates (
    channel              TEXT    NOT NULL,
    provider_message_id  TEXT    NOT NULL,
    telegram_user_id     TEXT    NOT NULL,
    text                 TEXT,
    received_at          INTEGER NOT NULL,
    PRIMARY KEY (channel, provider_message_id)
);

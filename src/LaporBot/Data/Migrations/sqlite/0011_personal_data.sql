-- Personal data kept apart so it can be erased (UU No. 27/2022 on personal data protection) while the
-- case skeleton, the append-only timeline and the statistics stay. See docs/privacy.md.
--
-- Where personal data lives after this migration:
--   complaint_personal     what the citizen wrote and who they are: name, address, text, location;
--                          the agency's answer addressed to them. One row per case; erasure deletes it.
--   complaint_event_notes  the free-text note of a timeline event (reasons, comments, answers quote the
--                          citizen). The event itself (when, what, by whom) stays in complaint_events.
--   complaint_attachments  photos and files (rows + files under Attachments:Directory).
--   reporters              the identity table: chat address (phone number / chat id) and profile name,
--                          erased in place (address replaced by a token) so the cases keep their key.
--   inbound_messages, conversations, outbox, staff_updates: raw messages, kept for a short time only.

CREATE TABLE complaint_personal (
    complaint_id    INTEGER PRIMARY KEY REFERENCES complaints (id),
    name            TEXT    NOT NULL,
    address         TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    latitude        REAL,
    longitude       REAL,
    location_label  TEXT,
    answer          TEXT
);
INSERT INTO complaint_personal (complaint_id, name, address, text, latitude, longitude, location_label, answer)
SELECT id, name, address, text, latitude, longitude, location_label, answer FROM complaints;

ALTER TABLE complaints DROP COLUMN name;
ALTER TABLE complaints DROP COLUMN address;
ALTER TABLE complaints DROP COLUMN text;
ALTER TABLE complaints DROP COLUMN latitude;
ALTER TABLE complaints DROP COLUMN longitude;
ALTER TABLE complaints DROP COLUMN location_label;
ALTER TABLE complaints DROP COLUMN answer;
-- When the case's personal data was erased (retention or the citizen's request); NULL while held.
ALTER TABLE complaints ADD COLUMN personal_erased_at INTEGER;

-- The timeline's notes move out; the event rows keep their skeleton. The append-only triggers are
-- recreated around the column drop (the rewrite must not count as an update of history).
CREATE TABLE complaint_event_notes (
    event_id      INTEGER PRIMARY KEY REFERENCES complaint_events (id),
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    note          TEXT    NOT NULL
);
CREATE INDEX ix_event_notes_complaint ON complaint_event_notes (complaint_id);
INSERT INTO complaint_event_notes (event_id, complaint_id, note)
SELECT id, complaint_id, note FROM complaint_events WHERE note IS NOT NULL;
DROP TRIGGER complaint_events_no_update;
DROP TRIGGER complaint_events_no_delete;
ALTER TABLE complaint_events DROP COLUMN note;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;

-- What the staff pages, the API and the recaps read: the skeleton with its personal data, empty
-- strings once erased. c.* so columns other migrations add to complaints appear here too.
CREATE VIEW complaint_details AS
SELECT c.*,
       COALESCE(p.name, '') AS name, COALESCE(p.address, '') AS address, COALESCE(p.text, '') AS text,
       p.latitude AS latitude, p.longitude AS longitude, p.location_label AS location_label, p.answer AS answer
FROM complaints c LEFT JOIN complaint_personal p ON p.complaint_id = c.id;

-- The reporter's privacy state.
ALTER TABLE reporters ADD COLUMN notice_sent_at INTEGER;       -- the short privacy notice was sent (once per reporter)
ALTER TABLE reporters ADD COLUMN stopped_at INTEGER;           -- said berhenti/stop: only answers about open cases
ALTER TABLE reporters ADD COLUMN erase_asked_at INTEGER;       -- said hapus data saya; waiting for their YA
ALTER TABLE reporters ADD COLUMN erase_requested_at INTEGER;   -- confirmed; the rest goes when open cases close
ALTER TABLE reporters ADD COLUMN erased_at INTEGER;            -- address and name erased

-- Every view of a case's personal data by staff, and every export with identities: who, when,
-- which case (or reporter), through what, and why. No personal data itself.
CREATE TABLE personal_data_access (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    staff         TEXT    NOT NULL,              -- status page username, or telegram:<user id>, or cli
    via           TEXT    NOT NULL,              -- status_page | telegram | export | cli
    complaint_id  INTEGER REFERENCES complaints (id),
    reporter_id   INTEGER REFERENCES reporters (id),
    purpose       TEXT    NOT NULL,              -- e.g. "membuka halaman aduan", or the reason typed for an export
    detail        TEXT                           -- e.g. the export's period
);
CREATE INDEX ix_access_complaint ON personal_data_access (complaint_id, at);
CREATE INDEX ix_access_reporter ON personal_data_access (reporter_id, at);
CREATE INDEX ix_access_at ON personal_data_access (at);

-- Indexes the retention job's scans use.
CREATE INDEX ix_inbound_received ON inbound_messages (received_at);
CREATE INDEX ix_complaints_closed ON complaints (closed_at);

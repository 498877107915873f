-- The case lifecycle follows the workflow file (workflows/*.yaml): `step` now holds the id of the
-- file's step the case is at (e.g. 'koordinasi'), `step_started_at` when it got there, `due_at` /
-- `remind_at` that step's deadline and reminder. Rows from before this migration carry the old
-- fixed steps ('assign' | 'accept' | 'answer'): the deployment's file is not known to SQL, so
-- start-up (WorkflowUpgrade) moves each to its step in the file — 'assign' to the triage desk's
-- first step, 'accept' to the agency's first step, 'answer' to the step after the agency accepts
-- (or the reopen step) — keeping the deadlines already running.
--
-- Numbered 0010 but written to apply before or after 0011 (databases created before it exist at
-- 0012): it touches only `complaints` and its own table. complaint_details selects c.*, so the new
-- columns appear there too.

ALTER TABLE complaints ADD COLUMN step_allowed_seconds INTEGER;          -- the step's allowance once extended (/perpanjang); NULL = its standard
ALTER TABLE complaints ADD COLUMN extension_reason TEXT;                 -- why it was extended (shown to staff)
ALTER TABLE complaints ADD COLUMN escalate_at INTEGER;                   -- the next escalation of the file that is due for this case
ALTER TABLE complaints ADD COLUMN approved_at INTEGER;                   -- the drafted answer was approved (NULL: not yet, or sent back)
ALTER TABLE complaints ADD COLUMN approved_by TEXT;
CREATE INDEX ix_complaints_escalate ON complaints (escalate_at);
CREATE INDEX ix_complaints_remind ON complaints (remind_at);

-- The drafted answer travels with the case until it is approved and sent; it is addressed to the
-- citizen and may quote them, so it is deleted when it is sent (it becomes the answer) and when the
-- case closes, before any erasure can run.
CREATE TABLE complaint_drafts (
    complaint_id  INTEGER PRIMARY KEY REFERENCES complaints (id),
    text          TEXT    NOT NULL,
    drafted_by    TEXT    NOT NULL,
    drafted_at    INTEGER NOT NULL
);

-- Which escalations of the file have fired for a case, once each: 'e0' for one counted from
-- submission, 'e1@tindak_lanjut@<entered ms>' for one counted from a step's deadline.
CREATE TABLE complaint_escalations (
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    entry         TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (complaint_id, entry)
);

-- Staff are reached on a channel: Telegram (the user id is the chat id) or, in Development, the
-- simulator's staff chat. The column keeps its name; it holds the address on that channel.
ALTER TABLE staff_members ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';

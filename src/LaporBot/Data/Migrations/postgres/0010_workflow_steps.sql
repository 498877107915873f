-- PostgreSQL counterpart of sqlite/0010_workflow_steps.sql (issue 10): the case lifecycle follows the
-- workflow file; see the SQLite file for what each column means and how old steps are moved.
-- Applies before 0011 on a new database and after it on one created earlier, like its SQLite twin.

ALTER TABLE complaints
    ADD COLUMN step_allowed_seconds BIGINT,   -- the step's allowance once extended (/perpanjang); NULL = its standard
    ADD COLUMN extension_reason TEXT,         -- why it was extended (shown to staff)
    ADD COLUMN escalate_at BIGINT,            -- the next escalation of the file that is due for this case
    ADD COLUMN approved_at BIGINT,            -- the drafted answer was approved (NULL: not yet, or sent back)
    ADD COLUMN approved_by TEXT;
CREATE INDEX ix_complaints_escalate ON complaints (escalate_at);
CREATE INDEX ix_complaints_remind ON complaints (remind_at);

CREATE TABLE complaint_drafts (
    complaint_id  BIGINT  PRIMARY KEY REFERENCES complaints (id),
    text          TEXT    NOT NULL,
    drafted_by    TEXT    NOT NULL,
    drafted_at    BIGINT  NOT NULL
);

CREATE TABLE complaint_escalations (
    complaint_id  BIGINT  NOT NULL REFERENCES complaints (id),
    entry         TEXT    NOT NULL,
    at            BIGINT  NOT NULL,
    PRIMARY KEY (complaint_id, entry)
);

ALTER TABLE staff_members ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';

-- complaint_details (0011) fixes its columns when created: rebuild it when it already exists.
DO $$
BEGIN
    IF to_regprocedure('refresh_complaint_details()') IS NOT NULL THEN
        PERFORM refresh_complaint_details();
    END IF;
END;
$$;

-- Reports the SOPs name (daily, monthly, quarterly, semester, annual) and their sign-off as in the
-- reporting SOP: section head initials (3 h), division head initials (3 h), the person in charge signs
-- (2 days), then the files are frozen and archived. One row per stored report (period key); the files
-- themselves stay in `recaps` (one row per period and format).

CREATE TABLE reports (
    period               TEXT    PRIMARY KEY,      -- 2026-11-24 | 2026-11 | 2026-Q4 | 2026-S2 | 2026 | 2026-11-20_2026-11-22
    kind                 TEXT    NOT NULL,         -- Day | Month | Quarter | Semester | Year | Range
    stage                TEXT    NOT NULL,         -- none (daily) | draft | section_head | division_head | person_in_charge | archived
    snapshot             TEXT    NOT NULL,         -- JSON of the figures as compiled: every approval re-prints the same figures
    stage_started_at     INTEGER NOT NULL,
    due_at               INTEGER,                  -- the current stage's time standard; NULL when nothing is pending
    reminded_at          INTEGER,                  -- one reminder per stage
    section_head_by      TEXT,
    section_head_at      INTEGER,
    division_head_by     TEXT,
    division_head_at     INTEGER,
    person_in_charge_by  TEXT,
    person_in_charge_at  INTEGER,
    sent_at              INTEGER,                  -- daily report: when it went to the triage desk
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX ix_reports_due ON reports (due_at);

-- A report's history is append-only, like a complaint's timeline.
CREATE TABLE report_events (
    id      INTEGER PRIMARY KEY,
    period  TEXT    NOT NULL REFERENCES reports (period),
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,                      -- created | rebuilt | approved | returned | reminder | sent
    level   TEXT,                                  -- section_head | division_head | person_in_charge
    note    TEXT
);
CREATE INDEX ix_report_events_period ON report_events (period, id);
CREATE TRIGGER report_events_no_update BEFORE UPDATE ON report_events
BEGIN SELECT RAISE(ABORT, 'report_events is append-only'); END;
CREATE TRIGGER report_events_no_delete BEFORE DELETE ON report_events
BEGIN SELECT RAISE(ABORT, 'report_events is append-only'); END;

-- The signed files' checksum: an archived report is served byte for byte as signed.
ALTER TABLE recaps ADD COLUMN sha256 TEXT;

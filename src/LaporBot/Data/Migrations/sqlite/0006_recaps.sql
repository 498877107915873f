-- Stored recap reports (the SOP's monthly rekap), one file per period and format, produced by the
-- monthly job and listed on the status page. The UNIQUE key is what makes the job idempotent.

CREATE TABLE recaps (
    id          INTEGER PRIMARY KEY,
    period      TEXT    NOT NULL,                -- e.g. 2025-07 (a month; other kinds later: 2025-S1, 2025)
    period_from TEXT    NOT NULL,                -- first local (WIB) day, yyyy-MM-dd
    period_to   TEXT    NOT NULL,                -- last local day, inclusive
    format      TEXT    NOT NULL,                -- xlsx | csv | html
    path        TEXT    NOT NULL,                -- file name relative to Recaps:Directory
    size_bytes  INTEGER NOT NULL,
    case_count  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (period, format)
);

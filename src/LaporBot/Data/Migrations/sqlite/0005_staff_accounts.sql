-- Staff accounts for the web status page (/status). Separate from staff_members, which are people
-- acting on Telegram: these log in with a password.

CREATE TABLE staff_accounts (
    id               INTEGER PRIMARY KEY,
    username         TEXT    NOT NULL,               -- as typed at creation; unique ignoring case
    password_hash    TEXT    NOT NULL,               -- ASP.NET Core PasswordHasher (PBKDF2, versioned format)
    role             TEXT    NOT NULL,               -- viewer | operator
    failed_attempts  INTEGER NOT NULL DEFAULT 0,     -- failed logins in a row; reset by a success or a lock
    locked_until     INTEGER,                        -- refuse every login before this time
    created_at       INTEGER NOT NULL,
    last_login_at    INTEGER
);
-- lower() rather than COLLATE NOCASE so the same index works on PostgreSQL.
CREATE UNIQUE INDEX ux_staff_accounts_username ON staff_accounts (lower(username));

-- Where an agency came from: 'config' (Agencies in configuration, upserted at start-up) or
-- 'status_page' (added by an operator). Start-up seeding deactivates every agency that is not
-- configured; the status page turns its own ones back on right after.
ALTER TABLE agencies ADD COLUMN source TEXT NOT NULL DEFAULT 'config';

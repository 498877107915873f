-- Status-page accounts of agency members: people of an agency (OPD) who work from the web instead
-- of Telegram. Such an account's `role` is a workflow role (admin | penghubung | kepala | pelaksana |
-- inspektorat, as in workflows/*.yaml) and `agency_code` the agency it acts for; it sees that
-- agency's cases and takes the same actions as on Telegram, through the same action API, audited
-- in the timeline with its name. Diskominfo's accounts (viewer, operator, the sign-off roles) keep
-- agency_code NULL.
ALTER TABLE staff_accounts ADD COLUMN agency_code TEXT REFERENCES agencies (code);
-- The name the timeline shows ("Ir. Siti Rahayu"); NULL = the username.
ALTER TABLE staff_accounts ADD COLUMN display_name TEXT;
CREATE INDEX ix_staff_accounts_agency ON staff_accounts (agency_code, role);

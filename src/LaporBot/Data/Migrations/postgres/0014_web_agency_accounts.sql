-- PostgreSQL counterpart of sqlite/0014_web_agency_accounts.sql: status-page accounts of agency
-- members (a workflow role and the agency they act for); see the SQLite file for the meaning.
ALTER TABLE staff_accounts ADD COLUMN agency_code TEXT REFERENCES agencies (code);
ALTER TABLE staff_accounts ADD COLUMN display_name TEXT;
CREATE INDEX ix_staff_accounts_agency ON staff_accounts (agency_code, role);

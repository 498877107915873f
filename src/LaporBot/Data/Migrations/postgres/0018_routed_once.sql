-- Routing happens once per complaint. The router claims the complaint with one guarded UPDATE
-- (routed_at still NULL and the complaint still 'submitted') before it decides and notifies;
-- whoever comes second (the immediate routing, the sweep, an old scheduler job) changes no row and
-- does nothing, even without the write lock that normally orders them. Unix epoch milliseconds.
ALTER TABLE complaints ADD COLUMN routed_at BIGINT;
-- A PostgreSQL view fixes its columns when created: complaint_details (complaints' c.*) takes the new one.
SELECT refresh_complaint_details();

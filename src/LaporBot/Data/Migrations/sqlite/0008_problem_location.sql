-- The applicant's address and where the problem is are two facts (issue 8): `address` is now the
-- applicant's own address (the SOP's completeness field), `problem_location` where the problem is
-- (typed, or the shared location's label/coordinates; the coordinates stay in latitude/longitude).
ALTER TABLE complaints ADD COLUMN problem_location TEXT NOT NULL DEFAULT '';

-- Until now the form asked only "Di mana lokasi masalahnya?" and stored the answer as `address`:
-- for those rows that answer is the problem's location. It is kept as the address too (the only
-- address the citizen gave), so old cases read the same as before on every page.
UPDATE complaints SET problem_location = address WHERE problem_location = '';

-- How an outbox body is written: 'plain' (staff notices) or 'markup' (the dialogs' channel-neutral
-- formatting, rendered per channel: Telegram HTML, WhatsApp *bold*, simulator HTML).
ALTER TABLE outbox ADD COLUMN format TEXT NOT NULL DEFAULT 'plain';

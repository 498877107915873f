-- PostgreSQL counterpart of sqlite/0008_problem_location.sql (issue 8): the applicant's address and
-- where the problem is are two facts; old rows keep their one answer as both.
ALTER TABLE complaints ADD COLUMN problem_location TEXT NOT NULL DEFAULT '';
UPDATE complaints SET problem_location = address WHERE problem_location = '';

-- How an outbox body is written: 'plain' (staff notices) or 'markup' (rendered per channel).
ALTER TABLE outbox ADD COLUMN format TEXT NOT NULL DEFAULT 'plain';

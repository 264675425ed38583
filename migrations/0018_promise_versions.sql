-- 0018 promises paused, changed and ended, each kept as it was: end_day is the first day a
-- promise is no longer due (NULL: it runs); ended says why it stopped (paused: it may resume;
-- edited: a new version took its place; ended: for good), with the promiser's reason; a
-- version made by a change or a resume names the one it replaces (one successor each). The
-- reports stay with the version they were made for, so nothing kept is lost to a change.
ALTER TABLE promises ADD COLUMN end_day INTEGER;
ALTER TABLE promises ADD COLUMN ended TEXT CHECK (ended IS NULL OR ended IN ('paused', 'edited', 'ended'));
ALTER TABLE promises ADD COLUMN end_reason TEXT;
ALTER TABLE promises ADD COLUMN replaces INTEGER;
CREATE UNIQUE INDEX promises_successor ON promises (couple_id, replaces);

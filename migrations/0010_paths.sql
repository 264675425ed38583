-- 0010 two paths through the same process: each partner says once (and may change) which
-- describes them; the program, the home page and the texts follow it. NULL: not said yet.
ALTER TABLE users ADD COLUMN path TEXT CHECK (path IS NULL OR path IN ('hurt', 'broke_trust', 'both'));

-- 0012 the partner's answer to a daily truth, once: a heart, a line, or both.
ALTER TABLE truths ADD COLUMN reply_heart INTEGER NOT NULL DEFAULT 0 CHECK (reply_heart IN (0, 1));
ALTER TABLE truths ADD COLUMN reply TEXT;
ALTER TABLE truths ADD COLUMN replied_at INTEGER;

-- 0011 the trigger log: a moment that brought the hurt back, logged in seconds by the partner
-- who felt it (what, how strong, a note), private unless shared; a shared one can be answered
-- once with "I'm here". words: what happened, then the note after a newline; sealed (and ''
-- here) while private. The local time of day and weekday are kept apart, so the patterns over
-- weeks need no words opened.
CREATE TABLE triggers (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  strength INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 5),
  words TEXT NOT NULL DEFAULT '',
  sealed BLOB,
  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
  local_minute INTEGER NOT NULL CHECK (local_minute BETWEEN 0 AND 1439),
  local_weekday INTEGER NOT NULL CHECK (local_weekday BETWEEN 0 AND 6),
  created_at INTEGER NOT NULL,
  reply TEXT,
  replied_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX triggers_by_time ON triggers (couple_id, created_at, id);

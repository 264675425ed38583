-- 0004 each partner's time zone (a day is their local day) and the daily truth.

ALTER TABLE users ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';

CREATE TABLE truths (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  day INTEGER NOT NULL,            -- the author's local day, days since 1970-01-01
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  UNIQUE (couple_id, author_id, day),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

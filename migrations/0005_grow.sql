-- 0005 reconnect and grow: sealed private entries, the journal, closeness steps, moments and
-- appreciations, values and goals, setbacks, forgiveness notes, and letting the past rest.

-- Each user's data key, wrapped under their password (salt and wrapped key, core/seal.h); a
-- session holds it wrapped under its token. NULL for accounts made before 0005: the key is
-- made at their next log-in.
ALTER TABLE users ADD COLUMN keybox BLOB;
ALTER TABLE sessions ADD COLUMN sealed_key BLOB;
-- a private feeling keeps its words here, sealed; its text column is then empty. So does an
-- apology while it is a draft; it is opened into text when given.
ALTER TABLE feelings ADD COLUMN sealed BLOB;
ALTER TABLE apologies ADD COLUMN sealed BLOB;

CREATE TABLE journal_entries (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  is_private INTEGER NOT NULL CHECK (is_private IN (0, 1)),
  body TEXT,                       -- Markdown; NULL when private (then sealed holds it)
  sealed BLOB,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE,
  CHECK ((is_private = 1) = (sealed IS NOT NULL AND body IS NULL))
) STRICT;
CREATE INDEX journal_entries_time ON journal_entries (couple_id, created_at);

-- Shared entries are written together: each addition is signed by its author.
CREATE TABLE journal_additions (
  couple_id INTEGER NOT NULL,
  entry_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  body TEXT,
  sealed BLOB,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, entry_id) REFERENCES journal_entries (couple_id, id) ON DELETE CASCADE,
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE,
  CHECK ((body IS NULL) <> (sealed IS NULL))
) STRICT;
CREATE INDEX journal_additions_entry ON journal_additions (couple_id, entry_id, created_at);

-- Each partner's private answer per closeness step; only steps both marked ready are shown.
CREATE TABLE closeness_choices (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  step TEXT NOT NULL,
  choice TEXT NOT NULL CHECK (choice IN ('ready', 'not_yet', 'not_for_me')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id, step),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE moments (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  day INTEGER NOT NULL,              -- the planned (or lived) day
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE INDEX moments_day ON moments (couple_id, day);

CREATE TABLE moment_notes (
  couple_id INTEGER NOT NULL,
  moment_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  note TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, moment_id, user_id),
  FOREIGN KEY (couple_id, moment_id) REFERENCES moments (couple_id, id) ON DELETE CASCADE,
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE appreciations (
  couple_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX appreciations_time ON appreciations (couple_id, created_at);

-- A value is the couple's once the partner who did not propose it affirms it.
CREATE TABLE shared_values (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  proposed_by INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  affirmed_at INTEGER,
  PRIMARY KEY (couple_id, id)
) STRICT;

CREATE TABLE goals (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;

CREATE TABLE goal_steps (
  couple_id INTEGER NOT NULL,
  goal_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  PRIMARY KEY (couple_id, goal_id, position),
  FOREIGN KEY (couple_id, goal_id) REFERENCES goals (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE setbacks (
  couple_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  day INTEGER NOT NULL,              -- the author's local day
  what TEXT NOT NULL,
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
  helped TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX setbacks_day ON setbacks (couple_id, day);

-- Notes on readiness to forgive (the partner, or oneself): sealed, unless the author shares
-- one, which then holds its words in text.
CREATE TABLE forgiveness_notes (
  couple_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  about TEXT NOT NULL CHECK (about IN ('partner', 'self')),
  sealed BLOB,
  text TEXT,
  shared_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE,
  CHECK ((sealed IS NULL) <> (text IS NULL))
) STRICT;

-- "Let it rest": a partner's choice; the past rests while both have chosen it.
CREATE TABLE rest_choices (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  chosen_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

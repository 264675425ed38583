-- 0003 safety and consistency: agreements both sign (each version a row), promises and
-- their daily reports with the partner's confirmation, and the couple's hash-chained ledger.

CREATE TABLE agreements (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  root_id INTEGER NOT NULL,          -- the first version's id: all versions share it
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'superseded', 'retired')),
  proposed_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  activated_at INTEGER,
  retire_asked_by INTEGER,
  retired_at INTEGER,
  PRIMARY KEY (couple_id, id),
  UNIQUE (couple_id, root_id, version)
) STRICT;

CREATE TABLE agreement_signatures (
  couple_id INTEGER NOT NULL,
  agreement_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  signed_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, agreement_id, user_id),
  FOREIGN KEY (couple_id, agreement_id) REFERENCES agreements (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE promises (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  promiser_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  every TEXT NOT NULL CHECK (every IN ('once', 'day', 'week')),
  weekdays INTEGER NOT NULL,         -- bit 0 Monday ... bit 6 Sunday, for 'week'
  start_day INTEGER NOT NULL,        -- days since 1970-01-01
  due_day INTEGER,                   -- for 'once'
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, promiser_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE promise_reports (
  couple_id INTEGER NOT NULL,
  promise_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  kept INTEGER NOT NULL CHECK (kept IN (0, 1)),
  note TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  confirmed INTEGER CHECK (confirmed IN (0, 1)),
  confirm_note TEXT,
  confirmed_at INTEGER,
  PRIMARY KEY (couple_id, promise_id, day),
  FOREIGN KEY (couple_id, promise_id) REFERENCES promises (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX promise_reports_open ON promise_reports (couple_id, confirmed);

-- Append-only: each entry's hash covers its content and the previous entry's hash.
CREATE TABLE ledger (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  summary TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (couple_id, seq)
) STRICT;

-- The newest entry of each chain, so a removed last entry is noticed too.
CREATE TABLE ledger_heads (
  couple_id INTEGER PRIMARY KEY REFERENCES couples(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL
) STRICT;

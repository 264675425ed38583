-- 0001 foundation: couples, their two partners, sessions, invites and login throttling.
-- Ids are random 53-bit integers made by the application (same on both engines, never
-- guessable, safe in JSON). Couple-owned tables lead their primary key with couple_id.

CREATE TABLE couples (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  position INTEGER NOT NULL CHECK (position IN (1, 2)),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE UNIQUE INDEX users_username ON users (username);
CREATE UNIQUE INDEX users_id ON users (id);
-- a couple has two places: the database itself refuses a third partner, even in a race
CREATE UNIQUE INDEX users_position ON users (couple_id, position);

-- Only a hash of each session token is stored: the database alone cannot log anybody in.
CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
  created_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL,
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX sessions_user ON sessions (couple_id, user_id);

CREATE TABLE invites (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by INTEGER,
  PRIMARY KEY (couple_id, code_hash)
) STRICT;
CREATE UNIQUE INDEX invites_code ON invites (code_hash);

-- Failed logins per account and per client address, in fixed windows.
CREATE TABLE login_throttle (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT;

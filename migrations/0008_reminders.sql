-- 0008 reminders that reach the phone (Web Push): the server's VAPID key, each partner's
-- devices and choices, and what was pushed, so that an item is pushed once and a reminder
-- due while the server was down is pushed when it is back.

-- The server's own keys (one row: 'vapid', a P-256 pair), made once and shared by every
-- server on the database, so that a subscription made through one is honoured by all.
CREATE TABLE server_keys (
  name TEXT PRIMARY KEY,
  secret BLOB NOT NULL,
  public BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- A browser's push subscription (its endpoint at the push service, and the keys RFC 8291
-- encrypts for). An endpoint names one browser profile: it belongs to one partner at a time.
CREATE TABLE push_subscriptions (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  endpoint TEXT NOT NULL UNIQUE,
  p256dh BLOB NOT NULL,
  auth BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;

-- What each partner chose: pushes on or off, quiet hours (minutes after midnight in their
-- own time zone; from > to spans midnight), and whether a push may say what waits.
CREATE TABLE reminder_settings (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  push INTEGER NOT NULL DEFAULT 0 CHECK (push IN (0, 1)),
  email TEXT NOT NULL DEFAULT 'off' CHECK (email IN ('off', 'each', 'daily')),
  quiet_from INTEGER NOT NULL DEFAULT 1320 CHECK (quiet_from BETWEEN 0 AND 1439),
  quiet_to INTEGER NOT NULL DEFAULT 480 CHECK (quiet_to BETWEEN 0 AND 1439),
  show_titles INTEGER NOT NULL DEFAULT 0 CHECK (show_titles IN (0, 1)),
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;

-- An item of a partner's inbox (or a check-in about to begin) that was pushed to them.
CREATE TABLE push_sent (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id, kind, item_id)
) STRICT;

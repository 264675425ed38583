-- 0009 reminders by e-mail, for partners who prefer it: one address each, used only once it is
-- confirmed (a link mailed to it first; only the link's hash is kept), and what was mailed,
-- so that an item is mailed once, alone or in the day's digest.
CREATE TABLE reminder_emails (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  confirm_hash BLOB,
  confirm_mail TEXT,                 -- the link's secret until it is mailed, then NULL
  asked_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  digest_day INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX reminder_emails_confirm ON reminder_emails (confirm_hash);

CREATE TABLE email_sent (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id, kind, item_id)
) STRICT;

-- 0021 a counsellor in the loop. A counsellor's account lives in a space of its own (a couples
-- row marked counsellor, with them as its one member), so sessions, passwords and keys work as
-- for partners, and it never holds a couple's tools. password_once: the password the operator
-- was given (`mend counsellor add`), to be changed at the first log-in.
ALTER TABLE couples ADD COLUMN counsellor INTEGER NOT NULL DEFAULT 0 CHECK (counsellor IN (0, 1));
ALTER TABLE users ADD COLUMN password_once INTEGER NOT NULL DEFAULT 0 CHECK (password_once IN (0, 1));

-- One partner asks, the other agrees, either ends it. tools: what of the report the counsellor
-- sees, as the couple chose (a comma-separated list of report sections). At most one access
-- per couple and counsellor that has not ended: two partners asking at once make one.
CREATE TABLE counsellor_access (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  counsellor_id INTEGER NOT NULL,
  tools TEXT NOT NULL,
  asked_by INTEGER NOT NULL,
  asked_at INTEGER NOT NULL,
  agreed_by INTEGER,
  agreed_at INTEGER,
  ended_by INTEGER,
  ended_at INTEGER,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE UNIQUE INDEX counsellor_access_open ON counsellor_access (couple_id, counsellor_id) WHERE ended_at IS NULL;
CREATE INDEX counsellor_access_of ON counsellor_access (counsellor_id, couple_id);

-- Every time the counsellor opened the couple's space: when, and which page.
CREATE TABLE counsellor_views (
  couple_id INTEGER NOT NULL,
  access_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  page TEXT NOT NULL,
  FOREIGN KEY (couple_id, access_id) REFERENCES counsellor_access (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX counsellor_views_access ON counsellor_views (couple_id, access_id, at);

-- The counsellor's own notes about a couple, sealed under the counsellor's key: the couple
-- never sees them, and they go with the couple when it is erased.
CREATE TABLE counsellor_notes (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  counsellor_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE INDEX counsellor_notes_of ON counsellor_notes (counsellor_id, couple_id, created_at);

-- What the counsellor suggests for the week, in both partners' inboxes until each sets it aside.
CREATE TABLE counsellor_suggestions (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  counsellor_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE TABLE counsellor_suggestion_seen (
  couple_id INTEGER NOT NULL,
  suggestion_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, suggestion_id, user_id),
  FOREIGN KEY (couple_id, suggestion_id) REFERENCES counsellor_suggestions (couple_id, id) ON DELETE CASCADE
) STRICT;

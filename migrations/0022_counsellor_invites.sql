-- 0022 a counsellor invited by e-mail, where the server sends mail. The access is asked and
-- agreed as any other; its counsellor_id is the negative of the access's id until they make
-- their account (so two invitations never meet in counsellor_access_open). Only once both
-- partners agreed is the link mailed: code_mail holds it until then and is emptied once sent;
-- code_hash is what the link is checked against. It works for 14 days after the mail, once.
CREATE TABLE counsellor_invites (
  couple_id INTEGER NOT NULL,
  access_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  code_hash BLOB NOT NULL UNIQUE,
  code_mail TEXT,
  mailed_at INTEGER,
  joined_at INTEGER,
  PRIMARY KEY (couple_id, access_id),
  FOREIGN KEY (couple_id, access_id) REFERENCES counsellor_access (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX counsellor_invites_unmailed ON counsellor_invites (couple_id) WHERE code_mail IS NOT NULL;

-- The counsellor's list asks which of their accesses moved on each request that follows a
-- write: answered from this index alone, in its order (no table rows, no sort).
CREATE INDEX counsellor_access_seen ON counsellor_access (counsellor_id, couple_id, id, agreed_at, ended_at);

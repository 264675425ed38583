-- 0006 data the couple owns: reports for a counsellor and their share links, the notes each
-- partner chose to include in reports, deleted accounts, and the choice to erase the couple.
-- Also an index for the promises page, which reads only the last days' reports.

CREATE INDEX promise_reports_day ON promise_reports (couple_id, day);

-- A shared journal entry its author chose to include in counsellor's reports.
ALTER TABLE journal_entries ADD COLUMN in_report INTEGER NOT NULL DEFAULT 0 CHECK (in_report IN (0, 1));

-- A report as it was made (a snapshot of shared data over a period), by a partner, or by the
-- operator's `mend report` (made_by NULL). Both partners see that it was made.
CREATE TABLE reports (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  made_by INTEGER,
  made_at INTEGER NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  html TEXT NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE INDEX reports_made ON reports (couple_id, made_at);

-- Read-only links to one report, at most 14 days, revocable by either partner. Only the
-- secret's hash is kept.
CREATE TABLE report_links (
  couple_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  report_id INTEGER NOT NULL,
  secret_hash BLOB NOT NULL,
  made_by INTEGER NOT NULL,
  made_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, report_id) REFERENCES reports (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX report_links_secret ON report_links (secret_hash);

-- A deleted account keeps its row (the shared history the other partner keeps refers to it)
-- without a way to log in, a key, or anything private.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;

-- Each partner's choice to erase the whole couple space; it happens when both have chosen.
CREATE TABLE erase_choices (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  chosen_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

-- 0013 hard dates and time-outs.
-- A hard date (a discovery day, an anniversary, a place or event) both partners see, with the
-- partner who broke trust reminded remind_days before it. day: its first date (a day number);
-- yearly ones come back each year on the same month and day, which slot holds as an index in a
-- 366-day year (Feb 29 is 59), so the reminders' window is found without date functions.
CREATE TABLE hard_dates (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  added_by INTEGER NOT NULL,
  title TEXT NOT NULL,
  day INTEGER NOT NULL,
  slot INTEGER NOT NULL CHECK (slot BETWEEN 0 AND 365),
  yearly INTEGER NOT NULL DEFAULT 1 CHECK (yearly IN (0, 1)),
  remind_days INTEGER NOT NULL CHECK (remind_days BETWEEN 0 AND 30),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, added_by) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;

-- The couple's time-out rule: how long, and how to come back. Set by one, in force as the
-- couple's agreed rule once the other agrees to the same words (agreed_by); a change starts over.
CREATE TABLE timeout_rules (
  couple_id INTEGER PRIMARY KEY REFERENCES couples(id) ON DELETE CASCADE,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 240),
  text TEXT NOT NULL,
  set_by INTEGER NOT NULL,
  set_at INTEGER NOT NULL,
  agreed_by INTEGER,
  agreed_at INTEGER
) STRICT;

-- Each time-out called. The running one's end is also on the couple's row, read with every
-- session so each page can say so at no cost, and set by a conditional write so two taps at
-- once call one time-out.
CREATE TABLE timeouts (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  called_by INTEGER NOT NULL,
  called_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id)
) STRICT;
CREATE INDEX timeouts_by_time ON timeouts (couple_id, called_at, id);
ALTER TABLE couples ADD COLUMN timeout_until INTEGER NOT NULL DEFAULT 0;

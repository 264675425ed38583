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

-- The weekly check-in: when the couple meets (changeable, both see it) and each partner's answers
-- per ISO week, kept as a JSON object of question id to answer.
CREATE TABLE checkin_schedule (
  couple_id INTEGER PRIMARY KEY REFERENCES couples(id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 Monday
  time TEXT NOT NULL,                                        -- HH:MM, local to timezone
  timezone TEXT NOT NULL,
  updated_by INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE checkin_answers (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  week INTEGER NOT NULL,             -- the day number of the ISO week's Monday
  user_id INTEGER NOT NULL,
  answers TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, week, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

-- Each partner's calendar feed: a secret address, renewable and revocable. The secret is kept
-- as is (the account page shows the address again); it opens only that partner's check-in
-- time and promise due dates.
CREATE TABLE calendar_feeds (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX calendar_feeds_secret ON calendar_feeds (secret);

-- The gentle prompt toward guidance: whether things looked stuck when last checked (once a
-- day per partner, so the home page stays quick) and when the partner last said "not now".
CREATE TABLE guidance_prompts (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  checked_day INTEGER NOT NULL,
  stuck INTEGER NOT NULL CHECK (stuck IN (0, 1)),
  dismissed_at INTEGER,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

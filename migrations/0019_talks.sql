-- 0019 talk and listen: one hard topic at a time. One partner says what they want heard, the
-- other says back what they heard, the one who spoke says "yes, that's it" or what they meant,
-- and then the floor passes. Written (each step's words kept), or in person with mend keeping
-- the time and the turns (a step's words optional). steps counts the steps so far: each new one
-- is a conditional write on it, so two at once make one.
CREATE TABLE talks (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  topic TEXT NOT NULL,
  started_by INTEGER NOT NULL,
  first_speaker INTEGER NOT NULL,
  in_person INTEGER NOT NULL CHECK (in_person IN (0, 1)),
  turn_minutes INTEGER NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  closed_by INTEGER,
  closed_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, started_by) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE TABLE talk_steps (
  couple_id INTEGER NOT NULL,
  talk_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('say', 'heard', 'yes', 'correct')),
  by_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, talk_id, seq),
  FOREIGN KEY (couple_id, talk_id) REFERENCES talks (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX talks_open ON talks (couple_id, closed_at);

-- 0002 acknowledge and atone: each partner's account of the breach, feelings, questions
-- and their answers, apologies, and the program's phases and each partner's "ready".

CREATE TABLE breach_accounts (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  root_cause TEXT NOT NULL,
  category TEXT NOT NULL,
  broke_trust TEXT NOT NULL CHECK (broke_trust IN ('me', 'partner', 'both')),
  updated_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE feelings (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  emotion TEXT NOT NULL,
  text TEXT NOT NULL,
  shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
  created_at INTEGER NOT NULL,
  heard_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX feelings_unheard ON feelings (couple_id, shared, heard_at, author_id);

CREATE TABLE questions (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  asker_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  times_asked INTEGER NOT NULL,
  waiting INTEGER NOT NULL CHECK (waiting IN (0, 1)), -- asked (again) and not answered since
  created_at INTEGER NOT NULL,
  last_asked_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, asker_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

-- the home page asks for what waits; these keep it from reading a couple's whole history
CREATE INDEX questions_waiting ON questions (couple_id, waiting, asker_id);

CREATE TABLE answers (
  couple_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  question_id INTEGER NOT NULL,
  seq INTEGER NOT NULL, -- 1, 2, ... per question: the order answers were given in
  author_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, question_id) REFERENCES questions (couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX answers_question ON answers (couple_id, question_id);

CREATE TABLE apologies (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER,
  heard INTEGER CHECK (heard IN (0, 1)),
  response_note TEXT,
  responded_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

-- The phase a couple is in is the newest row here; none means the first phase.
CREATE TABLE program_phases (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  phase INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 5),
  started_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, phase)
) STRICT;

CREATE TABLE program_ready (
  couple_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  phase INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id),
  FOREIGN KEY (couple_id, user_id) REFERENCES users (couple_id, id) ON DELETE CASCADE
) STRICT;

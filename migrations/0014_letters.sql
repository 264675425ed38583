-- 0014 the letters: a written disclosure by the partner who broke trust (the facts, and more
-- detail the hurt partner may choose to read or not), the hurt partner's impact letter, and the
-- restitution letter in reply. A draft is its author's alone: its words sealed (the letter, a
-- record separator U+001E and the more detail, which no text can hold; body and more '' here) until given. Each given letter is answered: read, and later heard or not yet. When
-- both partners ask (letter_destroy), every letter is erased together and the ledger keeps only
-- that they existed and were destroyed by both.
CREATE TABLE letters (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('disclosure', 'impact', 'restitution')),
  author_id INTEGER NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  more TEXT NOT NULL DEFAULT '',
  sealed BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  given_at INTEGER,
  detail TEXT CHECK (detail IS NULL OR detail IN ('facts', 'more')),
  read_at INTEGER,
  heard INTEGER CHECK (heard IS NULL OR heard IN (0, 1)),
  heard_at INTEGER,
  PRIMARY KEY (couple_id, id),
  FOREIGN KEY (couple_id, author_id) REFERENCES users(couple_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX letters_by_time ON letters (couple_id, created_at, id);

CREATE TABLE letter_destroy (
  couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  asked_at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, user_id)
) STRICT;

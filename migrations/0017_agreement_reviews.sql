-- 0017 agreements with a review date (transparency agreed for a while, then stepped down): on
-- review_on (a day) each partner says keep, loosen (a lighter version, proposed as a revision)
-- or end; the round closes when both have said (kept: the next review after the same span;
-- both end: retired; otherwise it stays as it is, with what was proposed). Each choice waits in
-- agreement_reviews until the round closes; the ledger keeps the outcome.
ALTER TABLE agreements ADD COLUMN review_on INTEGER;
CREATE TABLE agreement_reviews (
  couple_id INTEGER NOT NULL,
  agreement_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  choice TEXT NOT NULL CHECK (choice IN ('keep', 'loosen', 'end')),
  at INTEGER NOT NULL,
  PRIMARY KEY (couple_id, agreement_id, user_id),
  FOREIGN KEY (couple_id, agreement_id) REFERENCES agreements (couple_id, id) ON DELETE CASCADE
) STRICT;

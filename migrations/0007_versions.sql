-- A per-couple data version, bumped in the transaction of every write a partner makes (with
-- the couple's lock) and when the partner joins: what is cached of a couple holds while it
-- stands still, on SQLite and PostgreSQL alike, with one server or several.
ALTER TABLE couples ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

-- The API's lists paged in the database read their page in order from an index, and stop.
CREATE INDEX questions_list ON questions (couple_id, waiting DESC, last_asked_at DESC, id);
CREATE INDEX feelings_time ON feelings (couple_id, created_at, id);

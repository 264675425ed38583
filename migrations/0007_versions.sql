-- A per-couple data version, bumped in the transaction of every write a partner makes (with
-- the couple's lock) and when the partner joins: what is cached of a couple holds while it
-- stands still, on SQLite and PostgreSQL alike, with one server or several.
ALTER TABLE couples ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

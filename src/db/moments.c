/* moments.c (db): moments planned and lived together, each partner's note on them, and
   appreciations. */
#include "moments.h"

static void read_moment(db_stmt_t *st, void *row) {
  moment_t *m = row;
  *m = (moment_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), (int)db_col_int(st, 4),
                  db_col_text(st, 5), db_col_text(st, 6)};
}

static void read_note(db_stmt_t *st, void *row) {
  moment_note *n = row;
  *n = (moment_note){db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2)};
}

static void read_appreciation(db_stmt_t *st, void *row) {
  appreciation_t *a = row;
  *a = (appreciation_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3)};
}

int moments_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const char *kind, int64_t day, int done,
                int64_t now) {
  return db_write(db,
      "INSERT INTO moments (couple_id, id, created_by, title, kind, day, done, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      "iiissiii", couple, id, by, title, kind, day, (int64_t)(done != 0), now);
}

int moments_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  moment_t m;
  return db_rows(db, "SELECT id, created_by, day, created_at, done, title, kind FROM moments WHERE couple_id = $1 "
                     "ORDER BY done, CASE WHEN done = 0 THEN day ELSE -day END, created_at, id LIMIT 500",
                 read_moment, &m, cb, ctx, "i", couple);
}

int moments_exists(db_t *db, int64_t couple, int64_t id) {
  return (int)db_count(db, "SELECT COUNT(*) FROM moments WHERE couple_id = $1 AND id = $2", "ii", couple, id);
}

int moments_set_done(db_t *db, int64_t couple, int64_t id, int done, int64_t day) {
  int rc = DB_OK;
  if (done >= 0) rc = db_write(db, "UPDATE moments SET done = $3 WHERE couple_id = $1 AND id = $2", "iii", couple, id, (int64_t)(done != 0));
  if (rc == DB_OK && day >= 0) rc = db_write(db, "UPDATE moments SET day = $3 WHERE couple_id = $1 AND id = $2", "iii", couple, id, day);
  return rc;
}

int moment_note_set(db_t *db, int64_t couple, int64_t moment, int64_t user, const char *note, int64_t now) {
  return db_write(db,
      "INSERT INTO moment_notes (couple_id, moment_id, user_id, note, updated_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (couple_id, moment_id, user_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
      "iiisi", couple, moment, user, note, now);
}

int moment_notes(db_t *db, int64_t couple, db_each cb, void *ctx) {
  moment_note n;
  return db_rows(db, "SELECT moment_id, user_id, note FROM moment_notes WHERE couple_id = $1", read_note, &n, cb, ctx, "i", couple);
}

int appreciations_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, int64_t now) {
  return db_write(db, "INSERT INTO appreciations (couple_id, id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5)",
                  "iiisi", couple, id, author, text, now);
}

int appreciations_list(db_t *db, int64_t couple, int limit, db_each cb, void *ctx) {
  appreciation_t a;
  return db_rows(db, "SELECT id, author_id, created_at, text FROM appreciations WHERE couple_id = $1 "
                     "ORDER BY created_at DESC, id DESC LIMIT $2",
                 read_appreciation, &a, cb, ctx, "ii", couple, (int64_t)limit);
}

/* closeness.c (db): each partner's private choice per closeness step, and the matches. */
#include "grow.h"

int closeness_set(db_t *db, int64_t couple, int64_t user, const char *step, const char *choice, int64_t now) {
  return db_do(db,
      "INSERT INTO closeness_choices (couple_id, user_id, step, choice, updated_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (couple_id, user_id, step) DO UPDATE SET choice = excluded.choice, updated_at = "
      "CASE WHEN closeness_choices.choice = excluded.choice THEN closeness_choices.updated_at ELSE excluded.updated_at END",
      "iissi", couple, user, step, choice, now);
}

int closeness_mine(db_t *db, int64_t couple, int64_t user, void (*cb)(void *, const char *, const char *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT step, choice FROM closeness_choices WHERE couple_id = $1 AND user_id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, user);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) cb(ctx, db_col_text(st, 0), db_col_text(st, 1));
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int closeness_matches(db_t *db, int64_t couple, int64_t ready_before, void (*cb)(void *, const char *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT step FROM closeness_choices WHERE couple_id = $1 AND choice = 'ready' AND updated_at < $2 "
      "GROUP BY step HAVING COUNT(*) = 2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, ready_before);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) cb(ctx, db_col_text(st, 0));
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

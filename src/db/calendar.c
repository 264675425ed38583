/* calendar.c (db): calendar feed secrets. */
#include "calendar.h"
#include <stdio.h>

int cal_get(db_t *db, int64_t couple, int64_t user, char secret[CAL_SECRET]) {
  db_stmt_t *st = db_prepare(db, "SELECT secret FROM calendar_feeds WHERE couple_id = $1 AND user_id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, user);
  int rc = db_step(st);
  if (rc == DB_ROW) snprintf(secret, CAL_SECRET, "%s", db_col_text(st, 0));
  db_reset(st);
  return rc;
}

int cal_set(db_t *db, int64_t couple, int64_t user, const char *secret, int64_t now) {
  return db_do(db,
      "INSERT INTO calendar_feeds (couple_id, user_id, secret, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at",
      "iisi", couple, user, secret, now);
}

int cal_delete(db_t *db, int64_t couple, int64_t user) {
  return db_do(db, "DELETE FROM calendar_feeds WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

int cal_owner(db_t *db, const char *secret, size_t n, int64_t *couple, int64_t *user) {
  db_stmt_t *st = db_prepare(db, "SELECT couple_id, user_id FROM calendar_feeds WHERE secret = $1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, secret, n);
  int rc = db_step(st);
  if (rc == DB_ROW) { *couple = db_col_int(st, 0); *user = db_col_int(st, 1); }
  db_reset(st);
  return rc;
}

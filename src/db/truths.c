/* truths.c (db): the daily truths. */
#include "truths.h"
#include "core/secret.h"

int truths_add(db_t *db, int64_t couple, int64_t author, int64_t day, const char *text, int64_t now, int64_t *id) {
  *id = secret_id();
  return db_do(db, "INSERT INTO truths (couple_id, id, author_id, day, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
               "iiiisi", couple, *id, author, day, text, now);
}

int truths_list(db_t *db, int64_t couple, int64_t since, void (*cb)(void *, const truth_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, day, text, created_at FROM truths WHERE couple_id = $1 AND day >= $2 ORDER BY day DESC, created_at DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, since);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    truth_t t = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3)};
    cb(ctx, &t);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int truths_days(db_t *db, int64_t couple, int64_t author, int64_t since, int64_t *days, int cap) {
  db_stmt_t *st = db_prepare(db, "SELECT day FROM truths WHERE couple_id = $1 AND author_id = $2 AND day >= $3 ORDER BY day");
  if (!st) return -1;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, author);
  db_bind_int(st, 3, since);
  int n = 0, rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n == cap) { /* keep the newest: shift out the oldest */
      for (int i = 1; i < cap; i++) days[i - 1] = days[i];
      n--;
    }
    days[n++] = db_col_int(st, 0);
  }
  db_reset(st);
  return rc == DB_DONE ? n : -1;
}

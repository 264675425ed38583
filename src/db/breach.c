/* breach.c (db): each partner's account of what broke trust. */
#include "atone.h"

int breach_accounts(db_t *db, int64_t couple, void (*cb)(void *, const breach_account_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT user_id, text, root_cause, category, broke_trust, updated_at, acknowledged_at "
      "FROM breach_accounts WHERE couple_id = $1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    breach_account_t a = {db_col_int(st, 0), db_col_int(st, 5), db_col_int(st, 6), db_col_text(st, 1),
                          db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4)};
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int breach_write(db_t *db, int64_t couple, int64_t user, const char *text, const char *root, const char *category,
                 const char *broke, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *up = db_prepare(db,
      "INSERT INTO breach_accounts (couple_id, user_id, text, root_cause, category, broke_trust, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (couple_id, user_id) DO UPDATE SET "
      "text = excluded.text, root_cause = excluded.root_cause, category = excluded.category, "
      "broke_trust = excluded.broke_trust, updated_at = excluded.updated_at");
  db_stmt_t *clear = db_prepare(db, "UPDATE breach_accounts SET acknowledged_at = NULL WHERE couple_id = $1");
  if (!up || !clear) { db_rollback(db); return DB_ERROR; }
  db_bind_int(up, 1, couple);
  db_bind_int(up, 2, user);
  db_bind_str(up, 3, text);
  db_bind_str(up, 4, root);
  db_bind_str(up, 5, category);
  db_bind_str(up, 6, broke);
  db_bind_int(up, 7, now);
  int rc = db_step(up);
  db_reset(up);
  if (rc == DB_DONE) {
    db_bind_int(clear, 1, couple);
    rc = db_step(clear);
    db_reset(clear);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int breach_acknowledge(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_do(db, "UPDATE breach_accounts SET acknowledged_at = $3 WHERE couple_id = $1 AND user_id = $2 AND acknowledged_at IS NULL",
               "iii", couple, user, now);
}

/* breach.c (db): each partner's account of what broke trust. */
#include "breach.h"

static void read_account(db_stmt_t *st, void *row) {
  breach_account_t *a = row;
  *a = (breach_account_t){db_col_int(st, 0), db_col_int(st, 5), db_col_int(st, 6), db_col_text(st, 1),
                          db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4)};
}

int breach_accounts(db_t *db, int64_t couple, db_each cb, void *ctx) {
  breach_account_t a;
  return db_rows(db, "SELECT user_id, text, root_cause, category, broke_trust, updated_at, acknowledged_at "
                     "FROM breach_accounts WHERE couple_id = $1",
                 read_account, &a, cb, ctx, "i", couple);
}

int breach_write(db_t *db, int64_t couple, int64_t user, const char *text, const char *root, const char *category,
                 const char *broke, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db,
      "INSERT INTO breach_accounts (couple_id, user_id, text, root_cause, category, broke_trust, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (couple_id, user_id) DO UPDATE SET "
      "text = excluded.text, root_cause = excluded.root_cause, category = excluded.category, "
      "broke_trust = excluded.broke_trust, updated_at = excluded.updated_at",
      "iissssi", couple, user, text, root, category, broke, now);
  if (rc == DB_OK) rc = db_write(db, "UPDATE breach_accounts SET acknowledged_at = NULL WHERE couple_id = $1", "i", couple);
  return db_end(db, rc);
}

int breach_acknowledge(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_write(db, "UPDATE breach_accounts SET acknowledged_at = $3 WHERE couple_id = $1 AND user_id = $2 AND acknowledged_at IS NULL",
                  "iii", couple, user, now);
}

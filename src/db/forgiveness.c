/* forgiveness.c (db): sealed notes on readiness to forgive, shared only by their author, and
   each partner's choice to let the past rest. */
#include "grow.h"

int forgiveness_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *about, const void *sealed, size_t sealed_n,
                    int64_t now) {
  return db_do(db,
      "INSERT INTO forgiveness_notes (couple_id, id, author_id, about, sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      "iiisbi", couple, id, author, about, sealed, sealed_n, now);
}

static void read_note(db_stmt_t *st, forgiveness_t *f) {
  f->id = db_col_int(st, 0);
  f->author_id = db_col_int(st, 1);
  f->created_at = db_col_int(st, 2);
  f->shared_at = db_col_int(st, 3);
  f->about = db_col_text(st, 4);
  f->text = db_col_is_null(st, 5) ? NULL : db_col_text(st, 5);
  f->sealed_n = db_col_bytes(st, 6);
  f->sealed = f->sealed_n ? db_col_blob(st, 6) : NULL;
}

int forgiveness_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const forgiveness_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, created_at, COALESCE(shared_at, 0), about, text, sealed FROM forgiveness_notes "
      "WHERE couple_id = $1 AND (author_id = $2 OR shared_at IS NOT NULL) ORDER BY created_at DESC, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    forgiveness_t f;
    read_note(st, &f);
    cb(ctx, &f);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int forgiveness_get(db_t *db, int64_t couple, int64_t author, int64_t id, void (*cb)(void *, const forgiveness_t *),
                    void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, created_at, COALESCE(shared_at, 0), about, text, sealed FROM forgiveness_notes "
      "WHERE couple_id = $1 AND author_id = $2 AND id = $3");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, author);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    forgiveness_t f;
    read_note(st, &f);
    cb(ctx, &f);
  }
  db_reset(st);
  return rc;
}

int forgiveness_share(db_t *db, int64_t couple, int64_t author, int64_t id, const char *text, int64_t now) {
  return db_do(db,
      "UPDATE forgiveness_notes SET text = $4, sealed = NULL, shared_at = $5 "
      "WHERE couple_id = $1 AND author_id = $2 AND id = $3 AND shared_at IS NULL",
      "iiisi", couple, author, id, text, now);
}

int rest_choose(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_do(db, "INSERT INTO rest_choices (couple_id, user_id, chosen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
               "iii", couple, user, now);
}

int rest_withdraw(db_t *db, int64_t couple, int64_t user) {
  return db_do(db, "DELETE FROM rest_choices WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

int64_t rest_state(db_t *db, int64_t couple, int64_t user, int *mine) {
  db_stmt_t *st = db_prepare(db,
      "SELECT COUNT(*), MAX(chosen_at), COUNT(CASE WHEN user_id = $2 THEN 1 END) FROM rest_choices WHERE couple_id = $1");
  if (!st) return -1;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, user);
  int64_t out = -1;
  if (db_step(st) == DB_ROW) {
    *mine = db_col_int(st, 2) > 0;
    out = db_col_int(st, 0) == 2 ? db_col_int(st, 1) : 0;
  }
  db_reset(st);
  return out;
}

/* feelings.c (db): feelings, private to their author unless shared. */
#include "atone.h"
#include "core/secret.h"

#define FEELING_COLS "id, author_id, emotion, text, shared, created_at, COALESCE(heard_at, 0), sealed"

static void read_feeling(db_stmt_t *st, feeling_t *f) {
  f->id = db_col_int(st, 0);
  f->author_id = db_col_int(st, 1);
  f->emotion = db_col_text(st, 2);
  f->text = db_col_text(st, 3);
  f->shared = (int)db_col_int(st, 4);
  f->created_at = db_col_int(st, 5);
  f->heard_at = db_col_int(st, 6);
  f->sealed_n = db_col_bytes(st, 7);
  f->sealed = f->sealed_n ? db_col_blob(st, 7) : NULL;
}

int feelings_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *emotion, const char *text,
                 const void *sealed, size_t sealed_n, int shared, int64_t now) {
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO feelings (couple_id, id, author_id, emotion, text, shared, created_at, sealed) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, author);
  db_bind_str(st, 4, emotion);
  db_bind_str(st, 5, text);
  db_bind_int(st, 6, shared != 0);
  db_bind_int(st, 7, now);
  if (sealed) db_bind_blob(st, 8, sealed, sealed_n);
  else db_bind_null(st, 8);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

int feelings_list(db_t *db, int64_t couple, int64_t viewer, int limit, void (*cb)(void *, const feeling_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT " FEELING_COLS " FROM feelings WHERE couple_id = $1 AND (author_id = $2 OR shared = 1) "
      "ORDER BY created_at DESC, id DESC LIMIT $3");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, limit);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    feeling_t f;
    read_feeling(st, &f);
    cb(ctx, &f);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int feelings_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, feeling_t *out) {
  db_stmt_t *st = db_prepare(db,
      "SELECT " FEELING_COLS " FROM feelings WHERE couple_id = $1 AND id = $3 AND (author_id = $2 OR shared = 1)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  if (rc == DB_ROW) { read_feeling(st, out); out->text = NULL; out->emotion = NULL; }
  db_reset(st);
  return rc;
}

int feelings_hear(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_do(db, "UPDATE feelings SET heard_at = $3 WHERE couple_id = $1 AND id = $2 AND heard_at IS NULL", "iii",
               couple, id, now);
}


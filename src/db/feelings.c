/* feelings.c (db): feelings, private to their author unless shared. */
#include "feelings.h"

#define FEELING_COLS "id, author_id, emotion, text, shared, created_at, COALESCE(heard_at, 0), sealed"

static void read_feeling(db_stmt_t *st, void *row) {
  feeling_t *f = row;
  *f = (feeling_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .emotion = db_col_text(st, 2),
      .text = db_col_text(st, 3), .shared = (int)db_col_int(st, 4), .created_at = db_col_int(st, 5),
      .heard_at = db_col_int(st, 6), .sealed_n = db_col_bytes(st, 7)};
  f->sealed = f->sealed_n ? db_col_blob(st, 7) : NULL;
}

int feelings_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *emotion, const char *text,
                 const void *sealed, size_t sealed_n, int shared, int64_t now) {
  return db_write(db,
      "INSERT INTO feelings (couple_id, id, author_id, emotion, text, shared, created_at, sealed) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      "iiissiib", couple, id, author, emotion, text, (int64_t)(shared != 0), now, sealed, sealed_n);
}

int feelings_page(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit, db_each cb,
                  void *ctx) {
  feeling_t f;
  return db_rows(db, "SELECT " FEELING_COLS " FROM feelings WHERE couple_id = $1 AND " FEELINGS_VISIBLE
                     " AND (created_at < $3 OR (created_at = $3 AND id < $4)) ORDER BY created_at DESC, id DESC LIMIT $5",
                 read_feeling, &f, cb, ctx, "iiiii", couple, viewer, before_at, before_id, (int64_t)limit);
}

int feelings_list(db_t *db, int64_t couple, int64_t viewer, int limit, db_each cb, void *ctx) {
  feeling_t f;
  return db_rows(db, "SELECT " FEELING_COLS " FROM feelings WHERE couple_id = $1 AND " FEELINGS_VISIBLE
                     " ORDER BY created_at DESC, id DESC LIMIT $3",
                 read_feeling, &f, cb, ctx, "iii", couple, viewer, (int64_t)limit);
}

int feelings_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, feeling_t *out) {
  int rc = db_row(db, "SELECT " FEELING_COLS " FROM feelings WHERE couple_id = $1 AND id = $3 AND " FEELINGS_VISIBLE,
                  read_feeling, out, "iii", couple, viewer, id);
  if (rc == DB_ROW) { out->text = out->emotion = NULL; out->sealed = NULL; }
  return rc;
}

int feelings_hear(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_write(db, "UPDATE feelings SET heard_at = $3 WHERE couple_id = $1 AND id = $2 AND heard_at IS NULL", "iii",
                  couple, id, now);
}

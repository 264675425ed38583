/* triggers.c (db): the trigger log. See triggers.h. */
#include "triggers.h"

#define TRIGGER_COLS "id, author_id, strength, words, shared, local_minute, local_weekday, created_at, " \
                     "COALESCE(replied_at, 0), reply, sealed"

static void read_trigger(db_stmt_t *st, void *row) {
  trigger_t *t = row;
  *t = (trigger_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .strength = (int)db_col_int(st, 2),
      .words = db_col_text(st, 3), .shared = (int)db_col_int(st, 4), .local_minute = (int)db_col_int(st, 5),
      .local_weekday = (int)db_col_int(st, 6), .created_at = db_col_int(st, 7), .replied_at = db_col_int(st, 8),
      .reply = db_col_is_null(st, 9) ? NULL : db_col_text(st, 9), .sealed_n = db_col_bytes(st, 10)};
  t->sealed = t->sealed_n ? db_col_blob(st, 10) : NULL;
}

int triggers_add(db_t *db, int64_t couple, int64_t id, int64_t author, int strength, const char *words, const void *sealed,
                 size_t sealed_n, int shared, int local_minute, int local_weekday, int64_t now) {
  return db_write(db,
      "INSERT INTO triggers (couple_id, id, author_id, strength, words, sealed, shared, local_minute, local_weekday, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      "iiiisbiiii", couple, id, author, (int64_t)strength, words, sealed, sealed_n, (int64_t)(shared != 0),
      (int64_t)local_minute, (int64_t)local_weekday, now);
}

int triggers_list(db_t *db, int64_t couple, int64_t viewer, int limit, db_each cb, void *ctx) {
  trigger_t t;
  return db_rows(db, "SELECT " TRIGGER_COLS " FROM triggers WHERE couple_id = $1 AND " TRIGGERS_VISIBLE
                     " ORDER BY created_at DESC, id DESC LIMIT $3",
                 read_trigger, &t, cb, ctx, "iii", couple, viewer, (int64_t)limit);
}

int triggers_page(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit, db_each cb,
                  void *ctx) {
  trigger_t t;
  return db_rows(db, "SELECT " TRIGGER_COLS " FROM triggers WHERE couple_id = $1 AND " TRIGGERS_VISIBLE
                     " AND (created_at < $3 OR (created_at = $3 AND id < $4)) ORDER BY created_at DESC, id DESC LIMIT $5",
                 read_trigger, &t, cb, ctx, "iiiii", couple, viewer, before_at, before_id, (int64_t)limit);
}

int triggers_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, trigger_t *out) {
  int rc = db_row(db, "SELECT " TRIGGER_COLS " FROM triggers WHERE couple_id = $1 AND id = $3 AND " TRIGGERS_VISIBLE,
                  read_trigger, out, "iii", couple, viewer, id);
  if (rc == DB_ROW) { out->words = out->reply = NULL; out->sealed = NULL; }
  return rc;
}

int triggers_reply(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now) {
  int rc = db_write(db, "UPDATE triggers SET reply = $4, replied_at = $5 WHERE couple_id = $1 AND id = $2 AND shared = 1 "
                        "AND author_id <> $3 AND replied_at IS NULL",
                    "iiisi", couple, id, by, text, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

static void read_mark(db_stmt_t *st, void *row) {
  trigger_mark *m = row;
  *m = (trigger_mark){(int)db_col_int(st, 0), (int)db_col_int(st, 1), (int)db_col_int(st, 2)};
}

int triggers_marks(db_t *db, int64_t couple, int64_t viewer, int64_t author, int64_t since, db_each cb, void *ctx) {
  trigger_mark m;
  return db_rows(db, "SELECT local_minute, local_weekday, strength FROM triggers WHERE couple_id = $1 AND " TRIGGERS_VISIBLE
                     " AND author_id = $3 AND created_at >= $4 ORDER BY created_at",
                 read_mark, &m, cb, ctx, "iiii", couple, viewer, author, since);
}

/* forgiveness.c (db): sealed notes on readiness to forgive, shared only by their author, and
   each partner's choice to let the past rest. */
#include "forgiveness.h"

#define F_COLS "id, author_id, created_at, COALESCE(shared_at, 0), about, text, sealed"

static void read_note(db_stmt_t *st, void *row) {
  forgiveness_t *f = row;
  *f = (forgiveness_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .created_at = db_col_int(st, 2),
      .shared_at = db_col_int(st, 3), .about = db_col_text(st, 4),
      .text = db_col_is_null(st, 5) ? NULL : db_col_text(st, 5), .sealed_n = db_col_bytes(st, 6)};
  f->sealed = f->sealed_n ? db_col_blob(st, 6) : NULL;
}

int forgiveness_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *about, const void *sealed, size_t sealed_n,
                    int64_t now) {
  return db_write(db,
      "INSERT INTO forgiveness_notes (couple_id, id, author_id, about, sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      "iiisbi", couple, id, author, about, sealed, sealed_n, now);
}

int forgiveness_list(db_t *db, int64_t couple, int64_t viewer, db_each cb, void *ctx) {
  forgiveness_t f;
  return db_rows(db, "SELECT " F_COLS " FROM forgiveness_notes WHERE couple_id = $1 AND " FORGIVENESS_VISIBLE
                     " ORDER BY created_at DESC, id DESC",
                 read_note, &f, cb, ctx, "ii", couple, viewer);
}

int forgiveness_get(db_t *db, int64_t couple, int64_t author, int64_t id, db_each cb, void *ctx) {
  forgiveness_t f;
  return db_first(db, "SELECT " F_COLS " FROM forgiveness_notes WHERE couple_id = $1 AND author_id = $2 AND id = $3",
                  read_note, &f, cb, ctx, "iii", couple, author, id);
}

int forgiveness_share(db_t *db, int64_t couple, int64_t author, int64_t id, const char *text, int64_t now) {
  return db_write(db,
      "UPDATE forgiveness_notes SET text = $4, sealed = NULL, shared_at = $5 "
      "WHERE couple_id = $1 AND author_id = $2 AND id = $3 AND shared_at IS NULL",
      "iiisi", couple, author, id, text, now);
}

int rest_choose(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_write(db, "INSERT INTO rest_choices (couple_id, user_id, chosen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  "iii", couple, user, now);
}

int rest_withdraw(db_t *db, int64_t couple, int64_t user) {
  return db_write(db, "DELETE FROM rest_choices WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

typedef struct { int64_t chosen, last, mine; } rest_row;
static void read_rest(db_stmt_t *st, void *row) {
  rest_row *r = row;
  *r = (rest_row){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2)};
}

int64_t rest_state(db_t *db, int64_t couple, int64_t user, int *mine) {
  rest_row r;
  if (db_row(db, "SELECT COUNT(*), MAX(chosen_at), COUNT(CASE WHEN user_id = $2 THEN 1 END) FROM rest_choices WHERE couple_id = $1",
             read_rest, &r, "ii", couple, user) != DB_ROW)
    return -1;
  *mine = r.mine > 0;
  return r.chosen == 2 ? r.last : 0;
}

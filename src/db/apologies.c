/* apologies.c (db): apologies, private drafts until delivered, with the partner's answer. */
#include "apologies.h"

#define A_COLS "id, author_id, text, created_at, updated_at, COALESCE(delivered_at, 0), COALESCE(heard, -1), " \
  "response_note, COALESCE(responded_at, 0), sealed"

static void read_a(db_stmt_t *st, void *row) {
  apology_t *a = row;
  *a = (apology_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .text = db_col_text(st, 2),
      .created_at = db_col_int(st, 3), .updated_at = db_col_int(st, 4), .delivered_at = db_col_int(st, 5),
      .heard = (int)db_col_int(st, 6), .note = db_col_text(st, 7), .responded_at = db_col_int(st, 8),
      .sealed_n = db_col_bytes(st, 9)};
  a->sealed = a->sealed_n ? db_col_blob(st, 9) : NULL;
}

int apologies_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, const void *sealed, size_t sealed_n,
                  int64_t now) {
  return db_write(db,
      "INSERT INTO apologies (couple_id, id, author_id, text, created_at, updated_at, sealed) VALUES ($1, $2, $3, $4, $5, $5, $6)",
      "iiisib", couple, id, author, text, now, sealed, sealed_n);
}

int apologies_list(db_t *db, int64_t couple, int64_t viewer, db_each cb, void *ctx) {
  apology_t a;
  return db_rows(db, "SELECT " A_COLS " FROM apologies WHERE couple_id = $1 AND " APOLOGIES_VISIBLE " ORDER BY created_at DESC, id DESC",
                 read_a, &a, cb, ctx, "ii", couple, viewer);
}

int apologies_get_cb(db_t *db, int64_t couple, int64_t viewer, int64_t id, db_each cb, void *ctx) {
  apology_t a;
  return db_first(db, "SELECT " A_COLS " FROM apologies WHERE couple_id = $1 AND id = $3 AND " APOLOGIES_VISIBLE,
                  read_a, &a, cb, ctx, "iii", couple, viewer, id);
}

int apologies_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, apology_t *out) {
  int rc = db_row(db, "SELECT " A_COLS " FROM apologies WHERE couple_id = $1 AND id = $3 AND " APOLOGIES_VISIBLE,
                  read_a, out, "iii", couple, viewer, id);
  if (rc == DB_ROW) { out->text = out->note = NULL; out->sealed = NULL; }
  return rc;
}

int apologies_edit(db_t *db, int64_t couple, int64_t id, const char *text, const void *sealed, size_t sealed_n, int64_t now) {
  if (sealed)
    return db_write(db, "UPDATE apologies SET text = '', sealed = $3, updated_at = $4 WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
                    "iibi", couple, id, sealed, sealed_n, now);
  return db_write(db, "UPDATE apologies SET text = $3, sealed = NULL, updated_at = $4 WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
                  "iisi", couple, id, text, now);
}

int apologies_deliver(db_t *db, int64_t couple, int64_t id, const char *text, int64_t now) {
  return db_write(db,
      "UPDATE apologies SET delivered_at = $3, text = $4, sealed = NULL WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
      "iiis", couple, id, now, text);
}

int apologies_respond(db_t *db, int64_t couple, int64_t id, int heard, const char *note, int64_t now) {
  return db_write(db, "UPDATE apologies SET heard = $3, response_note = $4, responded_at = $5 "
                  "WHERE couple_id = $1 AND id = $2 AND delivered_at IS NOT NULL", "iiisi", couple, id, (int64_t)(heard != 0), note, now);
}
